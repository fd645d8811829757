// The database never stalls the portal for long: a booking behind a row
// lock held elsewhere answers 503 with Retry-After within a few seconds
// (lock_timeout, app/init.c) while the other requests go on being served,
// and pooled connections that the database dropped are made again.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, as, sql, pgClient, assertError } from './http.mjs';

let coordinator, sessionId, people;

before(async () => {
  coordinator = await login('coordinator@demo.example');
  [[sessionId]] = sql(`SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id
    WHERE c.published AND s.status = 'scheduled' AND s.starts_at > now() + interval '30 days'
      AND s.booking_opens_at < now() AND s.confirmed_count < s.capacity ORDER BY s.id DESC LIMIT 1`);
  // Two people of its own, with no bookings (a coordinator books them).
  const tag = `database.${process.pid}`;
  sql(`INSERT INTO people (full_name, email, agency_id) SELECT 'Lock Test ' || g, 'lock.' || g || '.${tag}@example.org',
    (SELECT min(id) FROM agencies) FROM generate_series(1, 2) g`);
  people = sql(`SELECT id FROM people WHERE email LIKE '%.${tag}@example.org' ORDER BY id`).map((r) => Number(r[0]));
});

const book = (person) => as(coordinator, `/api/v1/sessions/${sessionId}/bookings`,
  { method: 'POST', body: { person_id: person } });

test('a booking behind a held row lock answers 503 with Retry-After within seconds', async () => {
  const holder = pgClient();
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM sessions WHERE id = $1 FOR UPDATE', [sessionId]);
    const started = Date.now();
    const stalled = book(people[0]);
    // Meanwhile the portal goes on answering.
    for (let i = 0; i < 6; i++) assert.equal((await request('/api/v1/group-levels')).status, 200);
    const res = await Promise.race([stalled, new Promise((_, reject) => setTimeout(() =>
      reject(new Error('the booking still waits for the lock after 8 s')), 8000))]);
    const took = Date.now() - started;
    assertError(res, 503, 'database_unavailable');
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.ok(took < 6000, `answered after ${took} ms`);
    assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${sessionId}
      AND person_id = ${people[0]}`)[0][0], '0');
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
  // The lock gone, the same booking goes through.
  const res = await book(people[0]);
  assert.equal(res.status, 201, res.text);
});

test('pooled connections the database dropped are made again at once', async () => {
  // Warm every worker's connections, then end them from the server side.
  for (let i = 0; i < 10; i++) assert.equal((await request('/api/v1/agencies')).status, 200);
  const [[ended]] = sql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_type = 'client backend'`);
  assert.ok(Number(ended) >= 1, 'connections ended');
  for (let i = 0; i < 10; i++) {
    const res = await request('/api/v1/agencies');
    assert.equal(res.status, 200, `request ${i} after the connections ended: ${res.text}`);
  }
  const res = await book(people[1]);
  assert.equal(res.status, 201, res.text);
});
