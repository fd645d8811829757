// Capacity and fairness under load: 200 clients, each on its own
// connection, released together on a session of 20 places, 20 times.
// Exactly 20 confirmed and 180 waitlisted in positions 1..180 without
// gaps, every time. A control runs the same load through a naive
// check-then-insert (no lock) straight against PostgreSQL, to show that
// the check below does catch an oversell.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import pg from 'pg';
import { BASE, sql, login, as } from './http.mjs';

const CLIENTS = 200;
const PLACES = 20;
const ROUNDS = 20;
let coordinator, courseId, people;

before(async () => {
  coordinator = await login('coordinator@demo.example');
  [[courseId]] = sql("SELECT id FROM courses WHERE code = 'SG5-DSL'");
  people = sql(`SELECT id FROM people WHERE erased_at IS NULL AND email NOT LIKE '%@demo.example'
    ORDER BY id LIMIT ${CLIENTS}`).map((r) => Number(r[0]));
  assert.equal(people.length, CLIENTS);
});

// One booking on a connection of its own (no keep-alive pool).
function book(sessionId, personId) {
  const body = JSON.stringify({ person_id: personId });
  const url = new URL(`${BASE}/api/v1/sessions/${sessionId}/bookings`);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: {
      cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrf,
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// What a fair outcome is: `places` confirmed, the rest waitlisted in
// positions 1..n without gaps or repeats, and the counters agree.
function assertFair(sessionId, places, clients) {
  const rows = sql(`SELECT status, coalesce(waitlist_position, 0) FROM bookings
    WHERE session_id = ${sessionId} AND status IN ('confirmed', 'waitlisted')`);
  const confirmed = rows.filter((r) => r[0] === 'confirmed').length;
  const positions = rows.filter((r) => r[0] === 'waitlisted').map((r) => Number(r[1])).sort((a, b) => a - b);
  assert.equal(confirmed, places, `confirmed places on session ${sessionId}`);
  assert.deepEqual(positions, Array.from({ length: clients - places }, (_, i) => i + 1));
  const [[c, w]] = sql(`SELECT confirmed_count, waitlist_count FROM sessions WHERE id = ${sessionId}`);
  assert.deepEqual([Number(c), Number(w)], [places, clients - places]);
}

test('200 simultaneous clients on 20 places: never overbooked, a gapless waitlist (20 rounds)', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const start = new Date(Date.now() + (400 + round * 2) * 86400e3);
    const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
      course_id: Number(courseId), starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
      ends_at: new Date(start.getTime() + 6 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'),
      venue: 'Online', capacity: PLACES } });
    assert.equal(s.status, 201, s.text);
    const answers = await Promise.all(people.map((p) => book(s.json.id, p)));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [201]);
    assert.equal(answers.filter((a) => a.json.status === 'confirmed').length, PLACES);
    assertFair(s.json.id, PLACES, CLIENTS);
  }
});

test('control: the check catches an oversell when the lock is taken away', async () => {
  const [[sessionId]] = sql(`WITH s AS (INSERT INTO sessions (course_id, starts_at, ends_at,
      venue, capacity, booking_opens_at, booking_closes_at)
    VALUES (${courseId}, now() + interval '900 days', now() + interval '900 days 6 hours', 'Online',
      ${PLACES}, now(), now() + interval '899 days') RETURNING id) SELECT id FROM s`);
  // The naive way: read the count, then insert; no row lock, no counter.
  const naive = async (personId) => {
    const client = new pg.Client({ connectionString: toPgUrl(process.env.PORTAL_DATABASE_URL) });
    await client.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(`SELECT (SELECT count(*) FROM bookings
        WHERE session_id = $1 AND status = 'confirmed') < capacity AS room FROM sessions
        WHERE id = $1`, [sessionId]);
      await new Promise((r) => setTimeout(r, 5));
      if (rows[0].room) {
        await client.query(`INSERT INTO bookings (session_id, person_id, status)
          VALUES ($1, $2, 'confirmed')`, [sessionId, personId]);
      }
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  };
  await Promise.all(people.slice(0, 60).map(naive));
  assert.throws(() => assertFair(Number(sessionId), PLACES, 60), /confirmed places/);
  sql(`DELETE FROM bookings WHERE session_id = ${sessionId}`);
});

// libpq keywords to a URL node-postgres reads.
function toPgUrl(conninfo) {
  const kv = Object.fromEntries(conninfo.split(/\s+/).map((p) => p.split('=')));
  return `postgresql://${kv.user}@/${kv.dbname}?host=${encodeURIComponent(kv.host)}&port=${kv.port}`;
}

