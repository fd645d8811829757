// Capacity and fairness under load: 200 clients, each on its own
// connection, released together on a session of 20 places, 8 times.
// Exactly 20 confirmed and 180 waitlisted in positions 1..180 without
// gaps, every time. The server is one of the test's own with 8 workers
// (and 4 database connections each): database calls are synchronous, so
// the number of workers is the number of booking transactions that
// overlap, and 2 (the shared server's) rarely catch a broken guard. A
// control runs the same load through a naive check-then-insert (no lock)
// straight against PostgreSQL, to show that the check below does catch an
// oversell.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import { sql, pgClient } from './http.mjs';

const CLIENTS = 200;
const PLACES = 20;
const ROUNDS = 8;
const WORKERS = 8;
let base, kore, dir, coordinator, courseId, people;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A request to the test's own server: {status, json, headers}.
function send(path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, agent: false, headers: {
      ...headers, ...(body ? { 'content-type': 'application/json',
        'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text,
        json: text ? JSON.parse(text) : undefined }));
    });
    req.setTimeout(60000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  dir = mkdtempSync('/tmp/portal-concurrency.');
  for (const d of ['run', 'log', 'tmp']) mkdirSync(`${dir}/${d}`);
  const port = await freePort();
  const conf = execFileSync('sh', ['conf/bin/render-conf.sh', String(port), dir], { encoding: 'utf8' })
    .replace(/^workers \d+$/m, `workers ${WORKERS}`)
    .replace(/^pgsql_conn_max \d+$/m, 'pgsql_conn_max 4');
  assert.match(conf, new RegExp(`^workers ${WORKERS}$`, 'm'));
  writeFileSync(`${dir}/portal.conf`, conf);
  kore = spawn('kore', ['-c', `${dir}/portal.conf`, '-f', '-n', '-r'], { stdio: ['ignore', 'pipe', 'pipe'] });
  kore.log = '';
  kore.stdout.on('data', (d) => { kore.log += d; });
  kore.stderr.on('data', (d) => { kore.log += d; });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await send('/healthz').catch(() => ({}))).status === 200) break;
    if (i > 150 || kore.exitCode !== null) throw new Error(`the server did not start:\n${kore.log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const signin = await send('/api/v1/session', { method: 'POST',
    body: JSON.stringify({ email: 'coordinator@demo.example', password: 'demo-password-2016' }) });
  assert.equal(signin.status, 200, signin.text);
  coordinator = { cookie: signin.headers['set-cookie'][0].split(';')[0], csrf: signin.json.csrf_token };
  [[courseId]] = sql("SELECT id FROM courses WHERE code = 'SG5-DSL'");
  people = sql(`SELECT id FROM people WHERE erased_at IS NULL AND email NOT LIKE '%@demo.example'
    ORDER BY id LIMIT ${CLIENTS}`).map((r) => Number(r[0]));
  assert.equal(people.length, CLIENTS);
});

after(() => {
  if (kore && kore.exitCode === null) kore.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One booking on a connection of its own (no keep-alive pool).
function book(sessionId, personId) {
  return send(`/api/v1/sessions/${sessionId}/bookings`, { method: 'POST',
    headers: { cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrf },
    body: JSON.stringify({ person_id: personId }) });
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

test(`200 simultaneous clients on 20 places, ${WORKERS} workers: never overbooked, a gapless waitlist (${ROUNDS} rounds)`, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const start = new Date(Date.now() + (400 + round * 2) * 86400e3);
    const s = await send('/api/v1/sessions', { method: 'POST',
      headers: { cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrf },
      body: JSON.stringify({ course_id: Number(courseId),
        starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
        ends_at: new Date(start.getTime() + 6 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'),
        venue: 'Online', capacity: PLACES }) });
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
    const client = pgClient();
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
  // Out of the way of later tests (other tables may refer to the rows).
  sql(`UPDATE bookings SET status = 'cancelled', cancelled_at = now(), waitlist_position = NULL
    WHERE session_id = ${sessionId}`);
});
