// Reports read a replica (PORTAL_REPORTS_DATABASE_URL): a streaming
// replica of the suite's throwaway cluster (conf/bin/portal-db.sh
// replica, i.e. pg_basebackup -R) and a server of the test's own whose
// reports read it. A booking made through the API lands on the primary
// and shows in the courses report once replicated; with the replica's
// replay paused the report does not show it though the replica has
// received it (so the report reads the replica), while the suite's
// server, started without the variable, shows it at once (the primary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql, login, as, reportSettled } from './http.mjs';
import { newSession } from './sessions.mjs';

const LIMIT = 30000;
let dir, replicaUrl, kore, base, coordinator, trainer, session, course, day, people;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function db(...args) {
  return execFileSync('sh', ['conf/bin/portal-db.sh', ...args], { encoding: 'utf8' }).trim();
}

// One value of `query` on the replica.
function onReplica(query) {
  return execFileSync('psql', [replicaUrl, '-AtX', '-c', query], { encoding: 'utf8' }).trim();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Poll `check` (async, truthy when done) for LIMIT ms; fail with `what`
// and the own server's log.
async function until(what, check) {
  const end = Date.now() + LIMIT;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end || (kore && kore.exitCode !== null)) {
      throw new Error(`${what}: not within ${LIMIT / 1000} s\n--- the replica server's log:\n${kore?.log}`);
    }
    await sleep(200);
  }
}

// A request to the test's own server (the replica's), as `session`; a
// report is asked again until its answer gathered since is there (as
// request() of http.mjs does).
async function own(path, session, init = {}) {
  const asked = Date.now();
  for (;;) {
    const res = await ownOnce(path, session, init);
    if ((init.method ?? 'GET') !== 'GET' || !path.startsWith('/api/v1/reports/') || Date.now() > asked + LIMIT
      || reportSettled(res, asked)) return res;
    await sleep(100);
  }
}

async function ownOnce(path, session, init = {}) {
  const headers = { cookie: session.cookie, ...(init.headers ?? {}) };
  if (init.method && init.method !== 'GET') headers['x-csrf-token'] = session.csrf;
  try {
    const res = await fetch(base + path, { ...init, headers, signal: AbortSignal.timeout(LIMIT) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  } catch (err) {
    throw new Error(`${path}: ${err.message}\n--- the replica server's log:\n${kore.log}`);
  }
}

// The places booked on the test's session's course and day, as the
// courses report of `get` (own, or the suite's server) has them.
async function booked(get) {
  const res = await get(`/api/v1/reports/courses?course_id=${course}&from=${day}&to=${day}`);
  assert.equal(res.status, 200, res.text);
  return res.json.rows.find((r) => r.course_id === course)?.booked ?? 0;
}
const viaReplica = (path) => own(path, coordinator);
const viaPrimary = (path) => as(coordinator, path);

// Book a place for the next person through the replica server's API
// (writes go to the primary).
async function book() {
  const res = await own(`/api/v1/sessions/${session}/bookings`, coordinator, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person_id: people.shift() }) });
  assert.ok([200, 201].includes(res.status), res.text);
}

// The replica has received (not necessarily replayed) all the primary
// has written so far.
async function received() {
  const [[lsn]] = sql('SELECT pg_current_wal_lsn()');
  await until('the replica receiving the primary\'s WAL', () =>
    onReplica(`SELECT pg_last_wal_receive_lsn() >= '${lsn}'`) === 't');
}

before(async () => {
  assert.ok(process.env.PORTAL_TEST_DB_DIR, 'run with make test');
  // The suite's server reads the primary: run-tests.sh starts it without
  // the variable.
  assert.equal(process.env.PORTAL_REPORTS_DATABASE_URL, undefined);
  dir = mkdtempSync('/tmp/portal-replica.');
  chmodSync(dir, 0o755);
  db('replica', `${dir}/db`, process.env.PORTAL_TEST_DB_DIR);
  db('start', `${dir}/db`);
  replicaUrl = db('url', `${dir}/db`);
  assert.equal(onReplica('SELECT pg_is_in_recovery()'), 't');

  for (const d of ['run', 'log', 'tmp']) mkdirSync(`${dir}/${d}`);
  const port = await freePort();
  writeFileSync(`${dir}/portal.conf`, execFileSync('sh', ['conf/bin/render-conf.sh', String(port), dir],
    { encoding: 'utf8' }));
  kore = spawn('kore', ['-c', `${dir}/portal.conf`, '-f', '-n', '-r'], { stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORTAL_REPORTS_DATABASE_URL: replicaUrl } });
  kore.log = '';
  kore.stdout.on('data', (d) => { kore.log += d; });
  kore.stderr.on('data', (d) => { kore.log += d; });
  base = `http://127.0.0.1:${port}`;
  await until('the replica server starting', async () =>
    (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => ({}))).status === 200);

  coordinator = await login('coordinator@demo.example');
  trainer = await login('trainer@demo.example');
  session = await newSession(coordinator, trainer, { days: 12, capacity: 10 });
  [[course, day]] = sql(`SELECT course_id, (starts_at AT TIME ZONE 'Europe/London')::date
    FROM sessions WHERE id = ${session}`);
  course = Number(course);
  people = sql(`SELECT p.id FROM people p WHERE p.erased_at IS NULL AND p.email NOT LIKE '%@demo.example'
      AND NOT EXISTS (SELECT 1 FROM bookings b JOIN sessions s ON s.id = b.session_id
                       WHERE b.person_id = p.id AND s.course_id = ${course}
                          OR b.person_id = p.id AND s.starts_at < now() + interval '13 days'
                             AND s.ends_at > now() + interval '11 days')
    ORDER BY p.id LIMIT 2`)
    .map(([id]) => Number(id));
  assert.equal(people.length, 2);
});

after(async () => {
  if (kore && kore.exitCode === null) {
    const exited = new Promise((r) => kore.once('exit', r));
    kore.kill('SIGTERM');
    await Promise.race([exited, sleep(10000)]);
    if (kore.exitCode === null) kore.kill('SIGKILL');
  }
  if (dir) {
    try {
      db('stop', `${dir}/db`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a booking made on the primary shows in the replica\'s report once replicated', async () => {
  await received();
  await until('the replica replaying', () => onReplica(
    'SELECT pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()') === 't');
  const before = await booked(viaReplica);
  await book();
  const [[onPrimary]] = sql(`SELECT count(*) FROM bookings WHERE session_id = ${session}`);
  assert.equal(Number(onPrimary), 1);
  await until('the booking in the replica\'s report', async () => (await booked(viaReplica)) === before + 1);
});

test('the report reads the replica (replay paused: not yet; resumed: there); without the variable, the primary', async () => {
  onReplica('SELECT pg_wal_replay_pause()');
  try {
    await until('replay pausing', () => onReplica('SELECT pg_get_wal_replay_pause_state()') === 'paused');
    const replica = await booked(viaReplica);
    const primary = await booked(viaPrimary);
    await book();
    await received();
    // The suite's server, without PORTAL_REPORTS_DATABASE_URL, reads
    // the primary: the booking is there at once.
    assert.equal(await booked(viaPrimary), primary + 1);
    // The replica has the booking's WAL but has not replayed it: the
    // report on the replica server does not show it. (Without the
    // primary's kept answer, which is current and would serve both: the
    // replica server must gather.)
    assert.equal(onReplica('SELECT pg_get_wal_replay_pause_state()'), 'paused');
    sql('DELETE FROM report_answers');
    assert.equal(await booked(viaReplica), replica);
  } finally {
    onReplica('SELECT pg_wal_replay_resume()');
  }
  const [[n]] = sql(`SELECT count(*) FROM bookings WHERE session_id = ${session}`);
  await until('the booking in the replica\'s report after resuming', async () =>
    (await booked(viaReplica)) === Number(n));
});
