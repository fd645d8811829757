// Helpers of the integration tests: the real server at PORTAL_URL, the
// throwaway database through psql (an independent reference for counts),
// and the test cluster's start and stop.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

export const BASE = process.env.PORTAL_URL;
if (!BASE) {
  throw new Error('PORTAL_URL is not set: run the tests with `make test`');
}

// One HTTP request; returns {status, headers, text, json}.
export async function request(path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// The answer of a query on the test database, as rows of strings.
export function sql(query) {
  const out = execFileSync('psql', [process.env.PORTAL_DATABASE_URL, '-AtX',
    '-F', '\u001f', '-R', '\u001e', '-c', query], { encoding: 'utf8' });
  return out.replace(/\n$/, '').split('\u001e').filter((l) => l.length)
    .map((l) => l.split('\u001f'));
}

// Stop or start the throwaway cluster the server uses.
export function database(action) {
  execFileSync('sh', ['conf/bin/portal-db.sh', action, process.env.PORTAL_TEST_DB_DIR],
    { stdio: 'inherit' });
}

// Assert the DESIGN.md error shape, and return its fields.
export function assertError(res, status, code) {
  assert.equal(res.status, status, `status of ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(typeof res.json?.error, 'object', res.text);
  if (code) assert.equal(res.json.error.code, code);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
  assert.equal(typeof res.json.error.fields, 'object');
  return res.json.error.fields;
}

// Assert the security headers every answer carries.
export function assertSecurityHeaders(res) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, 'Content-Security-Policy present');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /default-src 'self'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(res.headers.get('referrer-policy'));
}

export const DEMO_PASSWORD = 'demo-password-2016';

// Sign in; returns {cookie, csrf, account, setCookie} or throws.
export async function login(email, password = DEMO_PASSWORD) {
  const res = await fetch(BASE + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  const setCookie = res.headers.get('set-cookie');
  return { cookie: setCookie.split(';')[0], csrf: body.csrf_token, account: body.account, setCookie };
}

// A request in a signed-in session (cookie and CSRF token).
export function as(session, path, { method = 'GET', headers = {}, body, csrf = true } = {}) {
  const h = { ...headers, cookie: session.cookie };
  if (csrf && method !== 'GET' && session.csrf) h['x-csrf-token'] = session.csrf;
  if (body !== undefined && typeof body !== 'string') {
    h['content-type'] = 'application/json';
    body = JSON.stringify(body);
  }
  return request(path, { method, headers: h, body });
}

// A fresh, valid registration; `over` replaces fields.
let serial = 0;
export function registration(over = {}) {
  serial += 1;
  const [[agency]] = sql("SELECT min(id) FROM agencies WHERE sector = 'health'");
  return {
    full_name: `Test Person ${serial}`,
    email: `test.person.${process.pid}.${serial}@example.org`,
    password: 'lantern orchard tuesday',
    agency_id: Number(agency),
    job_title: 'School nurse',
    group_level: 'G3',
    manager_email: 'manager@example.org',
    ...over,
  };
}

export async function register(over = {}) {
  const body = registration(over);
  const res = await request('/api/v1/accounts', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body };
}
