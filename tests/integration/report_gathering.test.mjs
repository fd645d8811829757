// Reports are gathered off the request path (app/report_task.c,
// app/reply_report.c): on a server of the test's own with ONE worker, a
// report whose gathering is held up inside its SQL (report_places()
// replaced by one that waits for a lock the test holds) answers at once
// (202 with where to ask again, or the last answer kept marked as of its
// time), and meanwhile sign-ins, bookings and a practitioner's list of
// bookings on that same worker are answered: all of them before the
// report's answer comes, which it does once the test lets go.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, chmodSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql, login, pgClient, as } from './http.mjs';
import { newSession } from './sessions.mjs';

const LIMIT = 30000;
// The advisory lock the slowed report_places() waits for.
const HOLD = 19190019;
const SIG = "'report_places(date,date,bigint,text,bigint,text,text,text,text[])'::regprocedure";
let dir, kore, base, coordinator, trainer, reviewer, session, people, holder, original;
const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A request to the test's own one-worker server, as `session` (or none).
async function own(path, session, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  if (session) headers.cookie = session.cookie;
  if (session && init.method && init.method !== 'GET') headers['x-csrf-token'] = session.csrf;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(base + path, { method: init.method ?? 'GET', headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: AbortSignal.timeout(LIMIT) });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json };
  } catch (err) {
    throw new Error(`${path}: ${err.message}\n--- the server's log:\n${kore.log}`);
  }
}

async function until(what, check) {
  const end = Date.now() + LIMIT;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end || (kore && kore.exitCode !== null)) {
      throw new Error(`${what}: not within ${LIMIT / 1000} s\n--- the server's log:\n${kore?.log}`);
    }
    await sleep(100);
  }
}

// Gatherings of this test's server held inside report_places(): their
// statement still running, whether the backend is in its pg_sleep() at
// that instant or not (at the least priority on busy cores it may be
// waiting for a core between two sleeps, with no wait event).
const waiting = () => Number(sql(`SELECT count(*) FROM pg_stat_activity
  WHERE state = 'active' AND pid <> pg_backend_pid()
    AND query LIKE '%report_places(%'`)[0][0]);

// report_places() as a function that first waits (in a statement of the
// gathering, as a slow report does) while the test holds HOLD.
function slowDown() {
  const [[args, result, body]] = sql(`SELECT pg_get_function_arguments(${SIG}),
    pg_get_function_result(${SIG}), prosrc FROM pg_proc WHERE oid = ${SIG}`);
  sql(`CREATE OR REPLACE FUNCTION report_places(${args}) RETURNS ${result}
    LANGUAGE plpgsql VOLATILE AS $fn$
    #variable_conflict use_column
    BEGIN
      WHILE NOT pg_try_advisory_lock_shared(${HOLD}) LOOP PERFORM pg_sleep(0.05); END LOOP;
      PERFORM pg_advisory_unlock_shared(${HOLD});
      RETURN QUERY ${body.trim().replace(/;\s*$/, '')};
    END $fn$`);
}

// Gatherings waiting for the database's turn (app/db_report_answer.c).
const waitingTurn = () => Number(sql(`SELECT count(*) FROM pg_stat_activity
  WHERE wait_event = 'advisory' AND query LIKE '%report_answers:turn%'`)[0][0]);

// A change the kept answers see: every report is to be gathered afresh.
const touch = () => sql(`UPDATE sessions SET capacity = capacity WHERE id = ${session}`);

before(async () => {
  assert.ok(process.env.PORTAL_TEST_DB_DIR, 'run with make test');
  [[original]] = sql(`SELECT pg_get_functiondef(${SIG})`);
  dir = mkdtempSync('/tmp/portal-gathering.');
  chmodSync(dir, 0o755);
  for (const d of ['run', 'log', 'tmp']) mkdirSync(`${dir}/${d}`);
  const port = await freePort();
  const conf = execFileSync('sh', ['conf/bin/render-conf.sh', String(port), dir], { encoding: 'utf8' })
    .replace(/^(\s*)workers\s+\d+$/m, '$1workers 1');
  assert.match(conf, /^\s*workers 1$/m);
  writeFileSync(`${dir}/portal.conf`, conf);
  kore = spawn('kore', ['-c', `${dir}/portal.conf`, '-f', '-n', '-r'], { stdio: ['ignore', 'pipe', 'pipe'] });
  kore.log = '';
  kore.stdout.on('data', (d) => { kore.log += d; });
  kore.stderr.on('data', (d) => { kore.log += d; });
  base = `http://127.0.0.1:${port}`;
  await until('the server starting', async () =>
    (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => ({}))).status === 200);
  coordinator = await login('coordinator@demo.example');
  trainer = await login('trainer@demo.example');
  reviewer = await login('reviewer@demo.example');
  session = await newSession(coordinator, trainer, { days: 15, capacity: 10 });
  people = sql(`SELECT p.id FROM people p WHERE p.erased_at IS NULL AND p.email NOT LIKE '%@demo.example'
      AND NOT EXISTS (SELECT 1 FROM bookings b JOIN sessions s ON s.id = b.session_id
                       WHERE b.person_id = p.id AND s.starts_at < now() + interval '16 days'
                         AND s.ends_at > now() + interval '14 days')
    ORDER BY p.id DESC LIMIT 3`).map(([id]) => Number(id));
  assert.equal(people.length, 3);
  holder = pgClient();
  await holder.connect();
});

after(async () => {
  if (original) sql(original);
  if (holder) await holder.end().catch(() => {});
  if (kore && kore.exitCode === null) {
    const exited = new Promise((r) => { kore.once('exit', r); });
    kore.kill('SIGTERM');
    await Promise.race([exited, sleep(10000)]);
    if (kore.exitCode === null) kore.kill('SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  assert.doesNotMatch(kore?.log ?? '', /sandbox violation|AddressSanitizer|runtime error/);
});

// A distinct question each run, so that no answer of it is kept; its
// dates not whole months, so that it reads the rows (report_places())
// rather than the kept counts (migration 0021), which the test cannot
// slow down.
const REPORT = `/api/v1/reports/attendance?by=sector&from_year=2013/14&to_year=2016/17&from=2013-04-02&agency_id=${
  900000000 + (Date.now() % 1000000)}`;

test('while a report is gathered, sign-ins and bookings on the same worker are answered before it', async () => {
  await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
  slowDown();
  touch();
  let released = false;
  try {
    const first = await own(REPORT, reviewer);
    assert.equal(first.status, 202, first.text);
    assert.equal(first.headers.get('location'), REPORT);
    assert.ok(Number(first.headers.get('retry-after')) >= 1);
    assert.equal(first.json.gathering.location, REPORT);
    assert.ok(Date.parse(first.json.gathering.since) <= Date.now());
    // The gathering is inside its SQL, held there.
    await until('the gathering waiting in report_places()', () => waiting() === 1);

    // Meanwhile, on the one worker: sign-ins, bookings, a list.
    const signIn = await own('/api/v1/session', null, { method: 'POST',
      body: { email: 'practitioner@demo.example', password: 'demo-password-2016' } });
    assert.equal(signIn.status, 200, signIn.text);
    const practitioner = { cookie: signIn.headers.get('set-cookie').split(';')[0], csrf: signIn.json.csrf_token };
    const mine = await own('/api/v1/me/bookings', practitioner);
    assert.equal(mine.status, 200, mine.text);
    for (const person of people) {
      const booked = await own(`/api/v1/sessions/${session}/bookings`, coordinator, { method: 'POST',
        body: { person_id: person } });
      assert.ok([200, 201].includes(booked.status), booked.text);
    }

    // All answered while the report is still being gathered: asking
    // again joins the one gathering (no second one starts).
    assert.equal(waiting(), 1);
    const again = await own(REPORT, reviewer);
    assert.equal(again.status, 202, again.text);
    assert.equal(again.json.gathering.since, first.json.gathering.since);
    assert.equal(waiting(), 1);

    await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
    released = true;
    // The bookings made meanwhile committed after the gathering's
    // snapshot: what it kept is already older than them, served marked
    // so while it is gathered again; then the current answer.
    let done;
    await until('the report\'s current answer', async () =>
      (done = await own(REPORT, reviewer)).status === 200 && !done.headers.get('x-report-kept-at'));
    assert.equal(done.headers.get('x-report-being-updated'), null);
    assert.equal(done.json.kept_at, undefined);
    assert.ok(Array.isArray(done.json.rows), done.text);
    assert.equal(done.json.by, 'sector');
  } finally {
    if (!released) await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
  }
});

// Field n (from 1, after the name) of a process's or thread's stat; 0
// when it is gone.
const fieldOf = (stat, n) => {
  try {
    return Number(readFileSync(stat, 'utf8').replace(/^.*\) /s, '').split(' ')[n - 3]);
  } catch {
    return 0;
  }
};
// A thread's nice value.
const niceOf = (stat) => fieldOf(stat, 19);
// The nice of a process's autogroup (its session's share of the cores).
const autogroupNice = (pid) => Number(/nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'))[1]);
const autogroups = existsSync('/proc/self/autogroup');

test('a gathering gives way on busy cores: its thread and its backend at the least priority, the worker\'s loop not', async () => {
  // Another question than the tests' before (report_places() is slowed).
  const report = REPORT.replace(/agency_id=(\d+)/, (_, n) => `agency_id=${Number(n) + 1}`);
  await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
  let released = false;
  try {
    const asked = await own(report, reviewer);
    assert.equal(asked.status, 202, asked.text);
    await until('the gathering waiting in report_places()', () => waiting() === 1);
    // Kore's processes (the worker among them): their event loops at the
    // usual priority, the one gathering thread at the least.
    const processes = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && fieldOf(`/proc/${p}/stat`, 4) === kore.pid);
    assert.ok(processes.length > 0);
    const threads = processes.flatMap((p) => readdirSync(`/proc/${p}/task`)
      .map((tid) => ({ tid, main: tid === p, nice: niceOf(`/proc/${p}/task/${tid}/stat`) })));
    assert.deepEqual(threads.filter((t) => t.main).map((t) => t.nice), processes.map(() => 0));
    assert.equal(threads.filter((t) => t.nice === 19).length, 1, JSON.stringify(threads));
    // Its backend, a session of its own, at the least share of the cores.
    const [[pid]] = sql(`SELECT pid FROM pg_stat_activity
      WHERE state = 'active' AND pid <> pg_backend_pid()
        AND query LIKE '%report_places(%'`);
    if (autogroups) assert.equal(autogroupNice(pid), 19);
    // A request's backend does not.
    const [[other]] = sql('SELECT pg_backend_pid()');
    if (autogroups) assert.equal(autogroupNice(other), 0);
    await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
    released = true;
    await until('the report gathered', async () => (await own(report, reviewer)).status === 200);
  } finally {
    if (!released) await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
  }
});

test('backend_give_way(): the least priority and no parallel workers for its session only, and only for the portal\'s role', async () => {
  const client = pgClient();
  await client.connect();
  try {
    const { rows: [{ pid }] } = await client.query('SELECT pg_backend_pid() AS pid');
    const { rows: [{ gave }] } = await client.query('SELECT backend_give_way() AS gave');
    assert.equal(gave, autogroups);
    if (autogroups) assert.equal(autogroupNice(pid), 19);
    const { rows: [shown] } = await client.query('SHOW max_parallel_workers_per_gather');
    assert.equal(shown.max_parallel_workers_per_gather, '0');
    // Another role may not: the function writes a server file as its owner.
    await client.query('BEGIN');
    await client.query('CREATE ROLE portal_give_way_test NOLOGIN');
    await client.query('SET LOCAL ROLE portal_give_way_test');
    await assert.rejects(client.query('SELECT backend_give_way()'), /permission denied/);
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
  // Other sessions keep their parallel workers.
  assert.notEqual(sql('SHOW max_parallel_workers_per_gather')[0][0], '0');
});

test('after a change, the last answer is served at once, marked as of its time, until the new one is kept', async () => {
  let kept;
  await until('the report\'s current answer', async () =>
    (kept = await own(REPORT, reviewer)).status === 200 && !kept.headers.get('x-report-kept-at'));
  await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
  let released = false;
  try {
    touch();
    const stale = await own(REPORT, reviewer);
    assert.equal(stale.status, 200, stale.text);
    const at = stale.headers.get('x-report-kept-at');
    assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(stale.headers.get('x-report-being-updated'), 'true');
    assert.equal(stale.json.kept_at, at);
    assert.equal(stale.json.being_updated, true);
    assert.ok(Date.parse(at) <= Date.now());
    // The figures are the ones kept.
    const { kept_at: _k, being_updated: _b, ...figures } = stale.json;
    assert.deepEqual(figures, kept.json);
    // The CSV of it too, at once.
    const csv = await own(`${REPORT}&format=csv`, reviewer);
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('x-report-kept-at'), at);
    await until('the gathering waiting in report_places()', () => waiting() === 1);

    await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
    released = true;
    let fresh;
    await until('the answer gathered afresh', async () =>
      (fresh = await own(REPORT, reviewer)).status === 200 && !fresh.headers.get('x-report-kept-at'));
    assert.equal(fresh.json.kept_at, undefined);
  } finally {
    if (!released) await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
  }
});

test('a worker runs two gathering threads and queues 16: beyond that, 503 with Retry-After; one gathers at a time on the database', async () => {
  await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
  let released = false;
  try {
    const asked = [];
    for (let i = 0; i < 19; i++) {
      asked.push(await own(`/api/v1/reports/courses?year=2014/15&from=2014-04-02&agency_id=${800000000 + (Date.now() % 1000000) * 20 + i}`,
        reviewer));
    }
    assert.deepEqual(asked.map((r) => r.status), [...Array(18).fill(202), 503]);
    assert.ok(Number(asked[18].headers.get('retry-after')) >= 1);
    assert.equal(asked[18].json.error.code, 'busy');
    // The second thread waits for the database's gathering turn, which
    // the first holds while it gathers.
    await until('one gathering in report_places(), one waiting its turn', () =>
      waiting() === 1 && waitingTurn() === 1);
    // A gathering of another node (the suite's server, on the same
    // database) waits its turn too.
    const other = `/api/v1/reports/courses?year=2014/15&from=2014-04-02&agency_id=${600000000 + (Date.now() % 1000000)}`;
    assert.equal((await as(reviewer, other, { settle: false })).status, 202);
    await until('a second node\'s gathering waiting its turn', () => waitingTurn() === 2);
    // Bounded: no more than one at once, however many wait.
    await sleep(300);
    assert.equal(waiting(), 1);
    assert.equal(waitingTurn(), 2);
    await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
    released = true;
    // Every queued one is gathered in turn: the last queued comes too.
    const last = asked[17].headers.get('location');
    await until('every queued report gathered', async () => (await own(last, reviewer)).status === 200);
    await until('the other node\'s report gathered', async () =>
      (await as(reviewer, other, { settle: false })).status === 200);
  } finally {
    if (!released) await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
  }
});

test('the printable annual report says it is being gathered, reloading itself, then says its figures are older ones', async () => {
  const annual = `/api/v1/reports/annual?year=2016/17&from=2016-04-02&format=html&agency_id=${700000000 + (Date.now() % 1000000)}`;
  await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
  let released = false;
  try {
    const gathering = await own(annual, reviewer);
    assert.equal(gathering.status, 202, gathering.text);
    assert.match(gathering.headers.get('content-type'), /^text\/html/);
    assert.match(gathering.text, /<meta http-equiv="refresh" content="\d+">/);
    assert.match(gathering.text, /Gathering the figures/);
    assert.match(gathering.text, /<progress /);
    await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
    released = true;
    let page;
    await until('the annual report', async () =>
      (page = await own(annual, reviewer)).status === 200 && !page.headers.get('x-report-kept-at'));
    assert.match(page.text, /Annual training report 2016\/17/);
    assert.doesNotMatch(page.text, /data-kept-at/);

    await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
    released = false;
    touch();
    const older = await own(annual, reviewer);
    assert.equal(older.status, 200, older.text);
    const at = older.headers.get('x-report-kept-at');
    assert.ok(at);
    assert.match(older.text, new RegExp(`data-kept-at="${at.replace(/\./g, '\\.')}"`));
    assert.match(older.text, /Newer figures are being gathered/);
  } finally {
    if (!released) await holder.query('SELECT pg_advisory_unlock($1)', [HOLD]);
  }
  // Leave nothing gathering behind.
  await until('the annual report gathered afresh', async () => {
    const res = await own(annual, reviewer);
    return res.status === 200 && !res.headers.get('x-report-kept-at');
  });
});
