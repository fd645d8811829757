// Bad input never breaks the server: every route of conf/routes.conf,
// with every method, signed out and signed in as each role (with the
// CSRF token), gets query parameters, path ids and bodies made of random
// bytes, huge and fractional numbers, deep nesting, NULs and invalid
// UTF-8. No answer may be a 500 or no answer at all; afterwards the
// server is healthy and its log has no crash or sanitizer report.
// Deterministic (a seeded generator) and bounded (a few thousand
// requests, several at a time).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { sql, login, as, request, rawRequest, register } from './http.mjs';

const SEED = 20161123;
const PARALLEL = 8;
const ROLES = ['coordinator', 'reviewer', 'trainer', 'lead', 'practitioner'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// mulberry32: a small seeded generator, the same requests every run.
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)] };
}
const rnd = generator(SEED);

// What the handlers read, taken from their source so that a new route,
// parameter or member is fuzzed without editing this file.
const source = readdirSync('app').filter((f) => f.endsWith('.c'))
  .map((f) => readFileSync(`app/${f}`, 'utf8')).join('\n');
const uniq = (list) => [...new Set(list)].sort();
const PARAMS = uniq([...source.matchAll(/qs_get\w*\(&?q, "(\w+)"/g)].map((m) => m[1]));
const MEMBERS = uniq([...source.matchAll(/(?:cJSON_GetObjectItem\w*\(\w+|\(\s*body),\s*"(\w+)"/g)]
  .map((m) => m[1]));
const ROUTES = readFileSync('conf/routes.conf', 'utf8').split('\n')
  .map((l) => /^\s*route\s+(\S+)\s+(\S+)/.exec(l)).filter(Boolean).map((m) => m[1])
  .filter((r) => r !== '^/');

// Values that have broken parsers before, and random ones.
const BAD_NUMBERS = ['1e300', '-1e300', '1.9', '0', '-1', '99999999999999999999',
  '9007199254740993', 'NaN', '0x10', '1%00', '%ff', '%c0%af', '%ed%a0%80', '', '+1', '%201', '1%0a'];
function randomBytes(n) {
  return Buffer.from(Array.from({ length: n }, () => rnd.int(256)));
}
function badText() {
  switch (rnd.int(7)) {
    case 0: return '%ff';
    case 1: return '%00';
    case 2: return 'x'.repeat(rnd.int(1500));
    case 3: return [...randomBytes(1 + rnd.int(12))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    case 4: return rnd.pick(BAD_NUMBERS);
    case 5: return '%e2%82'; // a truncated sequence
    default: return rnd.pick(['true', 'false', 'G3', 'csv', 'html', 'me', '2026-02-30', 'x']);
  }
}
function badValue(depth = 0) {
  switch (rnd.int(depth > 2 ? 7 : 10)) {
    case 0: return 1e300;
    case 1: return rnd.pick([1.9, -1, 0, 9007199254740993, -0.5, 1e-300, 2 ** 63]);
    case 2: return '\u0000' + 'x';
    case 3: return 'é'.repeat(rnd.int(3000));
    case 4: return rnd.pick([true, false, null, '', ' ', '2026-13-45T25:61:00Z', 'G99', 'a@b']);
    case 5: return String(rnd.int(100000));
    case 6: return rnd.int(1000000);
    case 7: return [badValue(depth + 1), badValue(depth + 1)];
    case 8: return { [rnd.pick(MEMBERS)]: badValue(depth + 1) };
    default: return Object.fromEntries(MEMBERS.filter(() => rnd.next() < 0.3)
      .map((m) => [m, badValue(depth + 1)]));
  }
}
// A body: [content-type, bytes].
function badBody() {
  switch (rnd.int(9)) {
    case 0: return ['application/json', randomBytes(1 + rnd.int(300))];
    case 1: return ['application/json', Buffer.from('['.repeat(5000) + ']'.repeat(5000))];
    case 2: return ['application/json', Buffer.from('{"a":'.repeat(900) + '1' + '}'.repeat(900))];
    case 3: {
      // Invalid UTF-8 inside an otherwise valid object.
      const m = rnd.pick(MEMBERS);
      return ['application/json', Buffer.concat([Buffer.from(`{"${m}":"`),
        Buffer.from([0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"}')])];
    }
    case 4: return ['application/json', Buffer.from(JSON.stringify([badValue(), badValue()]))];
    case 5: return ['text/csv', Buffer.concat([Buffer.from('full_name,email\n'), randomBytes(rnd.int(400))])];
    case 6: return [rnd.pick(['text/plain', 'application/x-www-form-urlencoded', '']), randomBytes(rnd.int(100))];
    default: return ['application/json', Buffer.from(JSON.stringify(badValue()))];
  }
}

let sessions, ids;
const startedAt = new Date().toISOString();

before(async () => {
  sessions = { anonymous: null };
  for (const role of ROLES) sessions[role] = await login(`${role}@demo.example`);
  // Rows of the fuzz's own, so that what it changes harms no other test.
  const coordinator = sessions.coordinator;
  const [[courseId]] = sql(`WITH c AS (INSERT INTO courses (code, title, format, duration_minutes)
    VALUES ('FUZZ-${process.pid % 100000}', 'Fuzz course', 'full_day', 360) RETURNING id)
    SELECT id FROM c`);
  sql(`INSERT INTO course_group_levels (course_id, group_level_id)
    SELECT ${courseId}, id FROM group_levels`);
  const start = new Date(Date.now() + 300 * 86400e3);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(courseId), starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'),
    venue: 'Fuzz room', capacity: 5 } });
  assert.equal(s.status, 201, s.text);
  const { res, body } = await register();
  assert.equal(res.status, 200, res.text);
  const [[person]] = sql(`SELECT id FROM people WHERE email = '${body.email}'`);
  const b = await as(coordinator, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST',
    body: { person_id: Number(person) } });
  assert.equal(b.status, 201, b.text);
  const [[agency]] = sql("SELECT r.agency_id FROM account_roles r JOIN people p ON p.id = r.person_id " +
    "WHERE p.email = 'lead@demo.example' AND r.role = 'setting_lead'");
  const g = await as(coordinator, '/api/v1/supervision/groups', { method: 'POST', body: {
    name: `Fuzz group ${process.pid}`, kind: 'secondary', facilitator: 'Fuzz facilitators' } });
  assert.equal(g.status, 201, g.text);
  ids = { course: courseId, session: String(s.json.id), booking: String(b.json.id), person, agency,
    group: String(g.json.id) };
});

after(() => {
  // Failed sign-ins of the fuzz must not throttle the tests after it.
  sql(`DELETE FROM login_attempts WHERE at >= '${startedAt}'`);
});

// The path of a route with an id: a real one (of the fuzz's own rows; a
// well-formed id of no row where it has none: the demo's rows are other
// tests' to use, and a random POST may close a group) or a bad one.
function pathOf(route) {
  if (!route.startsWith('^')) return route;
  const real = { agencies: ids.agency, courses: ids.course, sessions: ids.session,
    accounts: ids.person, bookings: ids.booking, people: ids.person, groups: ids.group };
  return route.replace(/^\^|\$$/g, '').replace(/\/(\w[\w-]*)\/(\[[^\]]*\]\+)/, (all, what, cls) => {
    let id;
    if (cls.includes('A-Za-z')) id = rnd.pick(['abc', 'x'.repeat(200), '-_-']);
    else id = rnd.next() < 0.5 ? real[what] ?? '999999999' : rnd.pick(BAD_NUMBERS);
    return `/${what}/${id}`;
  }).replace(/\\\./g, '.').replace(/\[[^\]]*\]\+/g, 'x');
}

function query() {
  if (rnd.next() < 0.2) return '';
  const parts = PARAMS.filter(() => rnd.next() < 0.4).map((p) => `${p}=${badText()}`);
  if (rnd.next() < 0.2) parts.push(`${badText()}=${badText()}`);
  // Kore closes a connection whose request head passes 4 KiB.
  let q = '';
  for (const p of parts) if (q.length + p.length < 2500) q += `${q ? '&' : '?'}${p}`;
  return q;
}

async function one(role, method, route) {
  const session = sessions[role];
  const path = pathOf(route) + query();
  let body = Buffer.alloc(0);
  const headers = [`Host: 127.0.0.1`, 'Connection: close'];
  if (session) headers.push(`Cookie: ${session.cookie}`, `X-CSRF-Token: ${session.csrf}`);
  if (method !== 'GET' && method !== 'DELETE') {
    const [type, bytes] = badBody();
    if (type) headers.push(`Content-Type: ${type}`);
    body = bytes;
  }
  if (method !== 'GET') headers.push(`Content-Length: ${body.length}`);
  const head = `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}`;
  let res;
  try {
    res = await rawRequest(head, body);
  } catch (err) {
    // Kore closes, without an answer, a connection whose headers exceed
    // http_header_max (4096 bytes); and a server that answers before it
    // has read a body it does not want (a 405, a 413) closes with unread
    // bytes, which resets the connection and can lose the answer on the
    // client's side. Neither is a 500; the next test checks the server
    // is healthy and its log holds no crash.
    if (/no HTTP answer/.test(err.message) && (head.length > 4000 || body.length > 0)) {
      return { role, method, path: path.slice(0, 200), status: 0, body: '' };
    }
    throw err;
  }
  return { role, method, path: path.slice(0, 200), status: res.status, body: res.body.slice(0, 300) };
}

test(`random, huge and malformed input on every route, as every role: never a 500 (seed ${SEED})`, async () => {
  assert.ok(ROUTES.length >= 20, 'routes read from conf/routes.conf');
  assert.ok(PARAMS.includes('limit') && MEMBERS.includes('person_id'), 'names read from app/');
  const jobs = [];
  for (const role of ['anonymous', ...ROLES]) {
    for (const route of ROUTES) {
      for (const method of METHODS) {
        // Signing out would end the role's session for the rest of the run.
        if (role !== 'anonymous' && method === 'DELETE' && route === '/api/v1/session') continue;
        const tries = route.startsWith('/api/') || route.startsWith('^/api/') ? 3 : 1;
        for (let i = 0; i < tries; i++) jobs.push([role, method, route]);
      }
    }
  }
  const failures = [];
  let done = 0;
  const worker = async () => {
    while (jobs.length) {
      const [role, method, route] = jobs.shift();
      const r = await one(role, method, route);
      done++;
      if (r.status >= 500 && r.status !== 503) failures.push(r);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  assert.ok(done > 1000, `${done} requests`);
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} answers were 5xx`);
});

test('the server is healthy after the fuzz, and its log has no crash', async () => {
  const health = await request('/healthz');
  assert.equal(health.status, 200);
  assert.equal(health.json.database, 'ok');
  const me = await as(sessions.practitioner, '/api/v1/me');
  assert.equal(me.status, 200);
  const log = process.env.PORTAL_TEST_KORE_LOG;
  assert.ok(log, 'PORTAL_TEST_KORE_LOG names the server log');
  const crashes = readFileSync(log, 'utf8').split('\n').filter((l) =>
    /AddressSanitizer|LeakSanitizer|runtime error:|sandbox violation|exited with status|\) gone|\bfatal\b|panic/i.test(l));
  assert.deepEqual(crashes, []);
});
