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
    '-F', '\t', '-c', query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
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
