// Helpers of the integration tests: the real server at PORTAL_URL, the
// throwaway database through psql (an independent reference for counts),
// and the test cluster's start and stop.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';

export const BASE = process.env.PORTAL_URL;
if (!BASE) {
  throw new Error('PORTAL_URL is not set: run the tests with `make test`');
}

// The last lines of the test server's log, for a failure's message.
export function serverLog(lines = 40) {
  const file = process.env.PORTAL_TEST_KORE_LOG;
  if (!file || !existsSync(file)) return '(no server log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

// One HTTP request; returns {status, headers, text, json, bytes}. It gives up
// after 30 s, with the server's log in the error.
//
// Kore answers 408 and closes a kept-alive connection left idle past its
// header timeout (10 s), before reading anything more on it. A test that
// blocks node's event loop that long (execFileSync: psql, SciPy) keeps
// such a connection in fetch's pool and sends its next request into that
// stale 408. Kore never read that request: it is sent once more, on a
// fresh connection, as browsers do. Kore may also close that connection
// just as the request goes out: fetch then fails at once with the socket
// reset ("other side closed", ECONNRESET), Kore having read nothing on it,
// and the request is sent once more in the same way.
//
// A report (`/api/v1/reports/...`) is gathered off the request path: while
// it is, the server answers 202, or the last answer kept with the header
// x-report-being-updated. Unless `settle` is false, request() asks again,
// as a page does, until an answer comes that is current or was kept after
// it first asked (x-report-kept-at), for up to 90 s; a test of those
// interim answers passes `settle: false`.
// `base` is another server's address (a test's own Kore) instead of the
// suite's.
export async function request(path, { method = 'GET', headers = {}, body, settle = true, base = BASE } = {}) {
  const gathered = settle && method === 'GET' && path.startsWith('/api/v1/reports/');
  const asked = Date.now();
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    const res = await requestOnce(base + path, { method, headers, body });
    if (!gathered || Date.now() > asked + 90000 || reportSettled(res, asked)) return res;
    await new Promise((resolve) => { setTimeout(resolve, wait); });
  }
}

// Whether a report's answer `res` is the one to read for a request made
// at `asked` (milliseconds): neither 202 nor older figures kept before it.
export function reportSettled(res, asked) {
  const kept = Date.parse(res.headers.get('x-report-kept-at') ?? '');
  return res.status !== 202 && (!res.headers.get('x-report-being-updated') || kept >= asked);
}

// The errors of a kept-alive connection Kore closed as it was reused.
const STALE_SOCKET = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

async function requestOnce(url, { method, headers, body }) {
  let res, text, bytes;
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        res = await fetch(url, { method, headers, body, redirect: 'manual',
          signal: AbortSignal.timeout(30000) });
      } catch (err) {
        if (attempt > 0 || !STALE_SOCKET.has(err.cause?.code)) throw err;
        continue;
      }
      // The bytes as sent (a CSV's byte order mark); the text without it.
      bytes = Buffer.from(await res.arrayBuffer());
      text = new TextDecoder().decode(bytes);
      if (res.status !== 408) break;
    }
  } catch (err) {
    throw new Error(`${method} ${path}: ${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}\n--- server log:\n${serverLog()}`);
  }
  let json;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, bytes };
}

// The answer of a query on the test database, as rows of strings.
export function sql(query) {
  const out = execFileSync('psql', [process.env.PORTAL_DATABASE_URL, '-AtX',
    '-F', '\u001f', '-R', '\u001e', '-c', query], { encoding: 'utf8' });
  return out.replace(/\n$/, '').split('\u001e').filter((l) => l.length)
    .map((l) => l.split('\u001f'));
}

// A node-postgres client of the test database (not connected yet).
export function pgClient() {
  return new pg.Client({ connectionString: pgUrl() });
}

// Stop or start the throwaway cluster the server uses.
export function database(action) {
  execFileSync('sh', ['conf/bin/portal-db.sh', action, process.env.PORTAL_TEST_DB_DIR],
    { stdio: 'inherit' });
}

// Assert the error shape of ARCHITECTURE.md, and return its fields.
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
  const res = await request('/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = res.json;
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  const setCookie = res.headers.get('set-cookie');
  return { cookie: setCookie.split(';')[0], csrf: body.csrf_token, account: body.account, setCookie };
}

// A request in a signed-in session (cookie and CSRF token).
export function as(session, path, { method = 'GET', headers = {}, body, csrf = true, base, settle } = {}) {
  const h = { ...headers, cookie: session.cookie };
  if (csrf && method !== 'GET' && session.csrf) h['x-csrf-token'] = session.csrf;
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    h['content-type'] = 'application/json';
    body = JSON.stringify(body);
  }
  return request(path, { method, headers: h, body, base, settle });
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

// The token of the newest link to `page` (verify-email, reset-password)
// mailed to `email`, read from the outbox as the mail carries it.
export function mailedToken(email, page) {
  const rows = sql(`SELECT body_text FROM email_outbox
    WHERE lower(to_address) = lower('${email.replaceAll("'", "''")}') ORDER BY id DESC`);
  for (const [text] of rows) {
    const m = text.match(new RegExp(`/${page}#token=([A-Za-z0-9_-]{43})`));
    if (m) return m[1];
  }
  throw new Error(`no ${page} link mailed to ${email}`);
}

// Prove `email` through the link mailed to it (or `token`, when the
// outbox no longer holds it): the verification's answer.
export function verifyEmail(email, token = mailedToken(email, 'verify-email')) {
  return request('/api/v1/email-verification', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
}

// Ask for an account (202 "check your e-mail"): {res, body}.
export async function registerUnverified(over = {}) {
  const body = registration(over);
  const res = await request('/api/v1/accounts', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body };
}

// Register and verify through the mailed link, as a person would: `res`
// is the verification's answer (200, the account) or the registration's
// when that was refused; `asked` the registration's.
export async function register(over = {}) {
  const { res: asked, body } = await registerUnverified(over);
  if (asked.status !== 202) return { res: asked, body, asked };
  return { res: await verifyEmail(body.email), body, asked };
}

// The test database as a URL node-postgres reads (from libpq keywords).
export function pgUrl(conninfo = process.env.PORTAL_DATABASE_URL) {
  const kv = Object.fromEntries(conninfo.split(/\s+/).map((p) => p.split('=')));
  return `postgresql://${kv.user}@/${kv.dbname}?host=${encodeURIComponent(kv.host)}&port=${kv.port}`;
}

// One request sent byte for byte over a socket of its own (fetch would
// normalise the path, encode bytes and refuse NULs): `head` is the
// request line and headers without the blank line, `body` a Buffer or
// string. Returns {status, head, body} or throws after `timeout` ms.
export function rawRequest(head, body = Buffer.alloc(0), { timeout = 10000 } = {}) {
  const url = new URL(BASE);
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return new Promise((resolve, reject) => {
    const chunks = [];
    const sock = net.connect(Number(url.port), url.hostname);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer within ${timeout} ms to ${JSON.stringify(String(head).slice(0, 120))}`));
    }, timeout);
    sock.on('connect', () => {
      sock.write(Buffer.concat([Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1'),
        Buffer.from('\r\n\r\n'), payload]));
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {}); // a reset after the answer is fine; no answer is not
    sock.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const text = all.subarray(0, split < 0 ? all.length : split).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!m) {
        reject(new Error(`no HTTP answer to ${JSON.stringify(String(head).slice(0, 120))}: ` +
          JSON.stringify(all.subarray(0, 200).toString('latin1'))));
        return;
      }
      resolve({ status: Number(m[1]), head: text, body: split < 0 ? '' : all.subarray(split + 4).toString() });
    });
  });
}
