// Wrong input is a 422 naming the field, wherever it comes in: the query
// string (bytes that are not UTF-8), the path (ids that are not whole
// numbers) and JSON bodies (ids such as 1.9 or 1e300, text that is not
// UTF-8). Never a 500, never the wrong row.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, rawRequest, assertError, login, as, sql } from './http.mjs';

let coordinator, sessionId;

before(async () => {
  coordinator = await login('coordinator@demo.example');
  [[sessionId]] = sql(`SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id
    WHERE c.published AND s.status = 'scheduled' AND s.starts_at > now() + interval '30 days'
      AND s.booking_opens_at < now() ORDER BY s.id LIMIT 1`);
});

test('query parameters that are not UTF-8 are a 422 naming the parameter', async () => {
  for (const [path, field] of [['/api/v1/courses?topic=%ff', 'topic'],
    ['/api/v1/courses?group_level=%c0%af', 'group_level'], ['/api/v1/sessions?from=%ed%a0%80', 'from'],
    ['/api/v1/agencies?sector=%e2%82', 'sector'], ['/api/v1/courses?limit=5&topic=a%00b', 'topic']]) {
    const fields = assertError(await request(path), 422, 'invalid');
    assert.ok(fields[field], `${path}: ${JSON.stringify(fields)}`);
  }
});

test('numbers that are not whole in the query are a 422 naming them', async () => {
  for (const value of ['1.9', '1e300', '-1', '99999999999999999999']) {
    const fields = assertError(await request(`/api/v1/courses?limit=${value}`), 422, 'invalid');
    assert.ok(fields.limit, value);
  }
});

test('every list names a wrong limit and offset, each with its own range', async () => {
  const [[agency]] = sql('SELECT min(id) FROM agencies');
  for (const [path, max] of [['/api/v1/accounts', 200], ['/api/v1/agencies', 500],
    ['/api/v1/sessions', 100], ['/api/v1/courses', 100], ['/api/v1/reports/coverage', 1000],
    ['/api/v1/audit', 1000], [`/api/v1/agencies/${agency}/staff`, 1000],
    [`/api/v1/agencies/${agency}/training-records`, 1000], ['/api/v1/walk-ins', 1000]]) {
    for (const query of ['limit=0&offset=-1', `limit=${max + 1}&offset=x`]) {
      const fields = assertError(await as(coordinator, `${path}?${query}`), 422, 'invalid');
      assert.deepEqual(fields, { limit: `Must be a whole number from 1 to ${max}.`,
        offset: 'Must be a whole number, 0 or more.' }, `${path}?${query}`);
    }
    const ok = await as(coordinator, `${path}?limit=${max}&offset=0`);
    assert.equal(ok.status, 200, `${path}: ${ok.text}`);
  }
});

test('an id in the path that is not a whole number is a 422 naming it', async () => {
  for (const path of ['/api/v1/courses/1.9', '/api/v1/courses/1e300', '/api/v1/sessions/0',
    '/api/v1/sessions/99999999999999999999', `/api/v1/sessions/${sessionId}.5/bookings`,
    '/api/v1/bookings/-1', '/api/v1/courses/%ff', '/api/v1/bookings/1.5/evaluations/same_day',
    '/api/v1/bookings/1e300/certificate', `/api/v1/sessions/${sessionId}.0/evaluations/summary`,
    '/api/v1/sessions/x/attendees', '/api/v1/supervision/groups/0', '/api/v1/supervision/groups/1.9/meetings',
    '/api/v1/supervision/meetings/99999999999999999999']) {
    // Each with a method its route takes: the method is checked first.
    const method = /(bookings|attendees)$/.test(path) ? 'POST' : /^\/api\/v1\/bookings\/[^/]+$/.test(path) ? 'DELETE' : 'GET';
    const res = await as(coordinator, path, { method });
    const fields = assertError(res, 422, 'invalid');
    assert.ok(fields.id, `${path}: ${res.text}`);
  }
  // Raw bytes, as fetch would never send them.
  const raw = await rawRequest(`GET /api/v1/courses/\xff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close`);
  assert.ok([400, 422].includes(raw.status), raw.head);
});

test('a person_id of 1.9 or 1e300 books nobody: 422 naming it', async () => {
  const [[first]] = sql('SELECT min(id) FROM people');
  const before = sql(`SELECT count(*) FROM bookings WHERE session_id = ${sessionId}`)[0][0];
  for (const value of [Number(first) + 0.9, 1e300, -1e300, 2 ** 53 + 2, `${first}`, true]) {
    const res = await as(coordinator, `/api/v1/sessions/${sessionId}/bookings`,
      { method: 'POST', body: { person_id: value } });
    const fields = assertError(res, 422, 'invalid');
    assert.ok(fields.person_id, `${value}: ${res.text}`);
  }
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${sessionId}`)[0][0], before);
});

test('text in a JSON body that is not UTF-8 is a 422 naming the member', async () => {
  const body = Buffer.concat([Buffer.from('{"email":"ann'), Buffer.from([0xff, 0xfe]),
    Buffer.from('@example.org","password":"lantern orchard tuesday"}')]);
  const res = await request('/api/v1/session', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body });
  const fields = assertError(res, 422, 'invalid');
  assert.ok(fields.email, res.text);
  // Deeper down, the top-level member holding it is named.
  const nested = Buffer.concat([Buffer.from('{"topics":["ok","'), Buffer.from([0xc0, 0xaf]),
    Buffer.from('"]}')]);
  const res2 = await as(coordinator, '/api/v1/courses', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: nested });
  assert.ok(assertError(res2, 422, 'invalid').topics, res2.text);
});

test('a report\'s query string that cannot be read is a 422 naming the parameter, as elsewhere', async () => {
  const reviewer = await login('reviewer@demo.example');
  for (const [path, field] of [['/api/v1/reports/supervision?year=%ff', 'year'],
    ['/api/v1/reports/supervision?table=a%00b', 'table'], ['/api/v1/reports/attendance?by=%ff', 'by'],
    ['/api/v1/reports/evaluation?year=%c0%af', 'year'], ['/api/v1/reports/annual?format=a%00b', 'format']]) {
    const fields = assertError(await as(reviewer, path), 422, 'invalid');
    assert.ok(fields[field], `${path}: ${JSON.stringify(fields)}`);
  }
});
