// The rules of booking that the database and its db_* layer enforce:
// unpublished courses, group levels, no two confirmed places at once
// (also under concurrency and in waitlist promotion), rescheduling,
// courses without levels, nothing but the register after the start,
// erasure, and idempotency keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import pg from 'pg';
import { request, sql, assertError, login, as, register, pgUrl } from './http.mjs';

let coordinator, neglect, dsl, trainerId, client, watcher, racer, raceBase;

function iso(hoursFromNow) {
  return new Date(Date.now() + hoursFromNow * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
}

// `hours` after the start of session `s`.
function at(s, hours) {
  return new Date(Date.parse(s.starts_at) + hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
}

// Each test's sessions on days of their own, far from the demo's.
let day = 500;
function when() {
  day += 3;
  return day * 24;
}

async function newSession(over = {}) {
  const h = when();
  const res = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: neglect, starts_at: iso(h), ends_at: iso(h + 6),
    venue: 'Hackney Service Centre', capacity: 2, trainer_ids: [trainerId], ...over } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function person(over = {}) {
  const { res, body } = await register(over);
  assert.ok(res.status < 300, `registration: ${res.status} ${res.text}`);
  return login(body.email, body.password);
}

function book(p, sessionId, headers = {}) {
  return as(p, `/api/v1/sessions/${sessionId}/bookings`, { method: 'POST', headers });
}

// Kore's accept lock stays with one worker until that worker is busy
// (http_request_limit in flight), and the booking's database calls are
// synchronous: against the main server two requests never overlap. The
// races run against a second server on the same database whose workers
// hand on the accept lock as soon as they hold one request.
async function startRacer() {
  const port = await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => resolve(p)); });
  });
  const dir = `${process.env.PORTAL_TEST_TMP}/racer`;
  for (const d of ['run', 'log', 'tmp']) mkdirSync(`${dir}/${d}`, { recursive: true });
  const conf = execFileSync('sh', ['conf/bin/render-conf.sh', String(port), dir], { encoding: 'utf8' })
    .replace(/^workers \d+$/m, 'workers 3').replace(/^http_request_limit \d+$/m, 'http_request_limit 1');
  writeFileSync(`${dir}/portal.conf`, conf);
  racer = spawn('kore', ['-c', `${dir}/portal.conf`, '-f', '-n', '-r'], { stdio: 'ignore' });
  raceBase = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${raceBase}/healthz`).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the second server did not start within 10 s');
}

// A request on a connection of its own, to the racing server.
function alone(p, method, path, { body, key } = {}) {
  const text = body ? JSON.stringify(body) : '';
  const headers = { cookie: p.cookie, 'x-csrf-token': p.csrf, 'content-length': Buffer.byteLength(text) };
  if (body) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(raceBase + path), { method, agent: false, headers, timeout: 20000 },
      (res) => {
        let data = '';
        res.on('data', (d) => { data += d; });
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(data) }));
      });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after 20 s`)));
    req.on('error', reject);
    req.end(text);
  });
}

const bookAlone = (p, sessionId, opts) => alone(p, 'POST', `/api/v1/sessions/${sessionId}/bookings`, opts);

// Run `requests` (functions returning promises) while the outbox is
// locked, so that every booking transaction stops, uncommitted, just
// after its row is written. Each request starts once the one before is
// seen waiting: its worker is then blocked, so the next goes to another
// worker and the two truly overlap. Returns the answers and whether they
// overlapped (false when a request never reached the lock in time).
async function whileOutboxLocked(requests) {
  // Seen from a connection of its own: a transaction's view of
  // pg_stat_activity would not change.
  const waiting = async () => (await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE wait_event_type = 'Lock'`)).rows[0].n;
  await client.query('BEGIN');
  await client.query('LOCK TABLE email_outbox IN SHARE ROW EXCLUSIVE MODE');
  const pending = [];
  let raced = true;
  // The lock is held for at most 1.2 s in all, well within the server's
  // lock_timeout (2 s, app/init.c): a request that waited longer would
  // fail for the test's sake, not the rule's.
  const deadline = Date.now() + 1200;
  try {
    for (const r of requests) {
      pending.push(r());
      let seen = false;
      while (!seen && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 25));
        seen = await waiting() >= pending.length;
      }
      raced &&= seen;
    }
  } finally {
    await client.query('COMMIT');
  }
  return { answers: await Promise.all(pending), raced };
}

before(async () => {
  coordinator = await login('coordinator@demo.example');
  neglect = Number(sql("SELECT id FROM courses WHERE code = 'SG3-NEG'")[0][0]);
  dsl = Number(sql("SELECT id FROM courses WHERE code = 'SG5-DSL'")[0][0]);
  trainerId = Number(sql("SELECT id FROM people WHERE email = 'trainer@demo.example'")[0][0]);
  client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  watcher = new pg.Client({ connectionString: pgUrl() });
  await watcher.connect();
  await startRacer();
});

after(async () => {
  await client?.end();
  await watcher?.end();
  if (racer) {
    const exited = new Promise((resolve) => racer.once('exit', resolve));
    racer.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
});

test('sessions of an unpublished course: only coordinators see or book them', async () => {
  const code = `UNP-${process.pid % 100000}`;
  const course = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code, title: 'Draft course', format: 'seminar', duration_minutes: 120,
    group_levels: ['G3'], published: false } });
  assert.equal(course.status, 201, course.text);
  const s = await newSession({ course_id: course.json.id });
  const p = await person();
  assertError(await request(`/api/v1/sessions/${s.id}`), 404, 'not_found');
  assertError(await as(p, `/api/v1/sessions/${s.id}`), 404, 'not_found');
  assertError(await book(p, s.id), 404, 'not_found');
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${s.id}`)[0][0], '0');
  const list = await as(p, `/api/v1/sessions?course_id=${course.json.id}`);
  assert.equal(list.json.total, 0);
  assert.equal((await as(coordinator, `/api/v1/sessions/${s.id}`)).status, 200);
  const forP = await as(coordinator, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST',
    body: { person_id: p.account.person_id } });
  assert.equal(forP.status, 201, forP.text);
  // Published, it is anyone's.
  await as(coordinator, `/api/v1/courses/${course.json.id}`, { method: 'PATCH', body: { published: true } });
  assert.equal((await request(`/api/v1/sessions/${s.id}`)).status, 200);
});

test('a practitioner at another group level gets 422 saying why; a coordinator books them', async () => {
  const s = await newSession({ course_id: dsl });
  const p = await person({ group_level: 'G2' });
  const res = await book(p, s.id);
  const fields = assertError(res, 422, 'not_eligible');
  assert.match(res.json.error.message, /for Group 5; your group level is Group 2/);
  assert.ok(fields.group_level);
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${s.id}`)[0][0], '0');
  // No level on record: also refused, and said so.
  const q = await person();
  sql(`UPDATE people SET group_level_id = NULL WHERE id = ${q.account.person_id}`);
  const none = await book(q, s.id);
  assertError(none, 422, 'not_eligible');
  assert.match(none.json.error.message, /not recorded/);
  // A course of several levels: any of them will do.
  const g4 = await person({ group_level: 'G4' });
  assert.equal((await book(g4, (await newSession()).id)).status, 201);
  const byCoordinator = await as(coordinator, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST',
    body: { person_id: p.account.person_id } });
  assert.equal(byCoordinator.status, 201, byCoordinator.text);
  assert.equal(byCoordinator.json.status, 'confirmed');
});

test('the database refuses two overlapping confirmed places for one person', async () => {
  const a = await newSession();
  const b = await newSession({ starts_at: at(a, 3), ends_at: at(a, 9) });
  const p = await person();
  assert.equal((await book(p, a.id)).json.status, 'confirmed');
  const pid = p.account.person_id;
  assert.throws(() => execFileSync('psql', [process.env.PORTAL_DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-c',
    `INSERT INTO bookings (session_id, person_id, status, confirmed_at) VALUES (${b.id}, ${pid}, 'confirmed', now())`],
  { stdio: 'pipe' }), /bookings_no_overlap/);
  // Back to back is not an overlap.
  const next = await newSession({ starts_at: a.ends_at, ends_at: at(a, 12) });
  assert.equal((await book(p, next.id)).json.status, 'confirmed');
});

test('two parallel bookings of overlapping sessions: one place, the other 409', async () => {
  let raced = 0;
  for (let round = 0; round < 8 && raced < 2; round++) {
    const a = await newSession({ capacity: 5 });
    const b = await newSession({ capacity: 5, starts_at: at(a, 1), ends_at: at(a, 5) });
    const p = await person();
    const r = await whileOutboxLocked([() => bookAlone(p, a.id), () => bookAlone(p, b.id)]);
    if (r.raced) raced++;
    const statuses = r.answers.map((x) => x.status).sort();
    assert.deepEqual(statuses, [201, 409], JSON.stringify(r.answers));
    assert.equal(r.answers.find((x) => x.status === 409).json.error.code, 'overlap');
    const [[confirmed]] = sql(`SELECT count(*) FROM bookings WHERE person_id = ${p.account.person_id}
      AND status = 'confirmed'`);
    assert.equal(confirmed, '1');
    const counts = sql(`SELECT s.confirmed_count = (SELECT count(*) FROM bookings b
      WHERE b.session_id = s.id AND b.status = 'confirmed') FROM sessions s WHERE s.id IN (${a.id}, ${b.id})`);
    assert.deepEqual(counts, [['t'], ['t']]);
  }
  assert.ok(raced >= 1, 'the two bookings never overlapped in time: the test proved nothing');
});

test('promotion passes over someone busy at that time: told, keeping their place in the queue', async () => {
  const a = await newSession({ capacity: 1 });
  const holder = await person();
  const busy = await person();
  const next = await person();
  await book(holder, a.id);
  const w1 = await book(busy, a.id);
  const w2 = await book(next, a.id);
  assert.deepEqual([w1.json.waitlist_position, w2.json.waitlist_position], [1, 2]);
  const b = await newSession({ starts_at: at(a, 2), ends_at: at(a, 4) });
  assert.equal((await book(busy, b.id)).json.status, 'confirmed');
  const cancel = await as(holder, `/api/v1/bookings/${(await as(holder, '/api/v1/me/bookings')).json.bookings
    .find((x) => x.session_id === a.id).id}`, { method: 'DELETE' });
  assert.equal(cancel.status, 200, cancel.text);
  const status = (p) => sql(`SELECT status, coalesce(waitlist_position, 0) FROM bookings
    WHERE session_id = ${a.id} AND person_id = ${p.account.person_id}`)[0];
  assert.deepEqual(status(busy), ['waitlisted', '1']);
  assert.deepEqual(status(next), ['confirmed', '0']);
  const [[subject, body]] = sql(`SELECT subject, body_text FROM email_outbox
    WHERE to_address = '${busy.account.email}' AND subject LIKE 'A place came up%'`);
  assert.match(subject, /Recognising and responding to neglect/);
  assert.match(body, /same time[\s\S]*keep your place/);
  const mine = (await as(busy, '/api/v1/me/bookings')).json.bookings.find((x) => x.session_id === a.id);
  assert.equal(mine.waitlist_position, 1);
});

test('promotion racing a booking of the same person elsewhere: never two places at once', async () => {
  let raced = 0;
  for (let round = 0; round < 8 && raced < 2; round++) {
    const a = await newSession({ capacity: 1 });
    const b = await newSession({ capacity: 5, starts_at: at(a, 2), ends_at: at(a, 4) });
    const holder = await person();
    const waiting = await person();
    const held = await book(holder, a.id);
    await book(waiting, a.id);
    const r = await whileOutboxLocked([
      () => alone(holder, 'DELETE', `/api/v1/bookings/${held.json.id}`),
      () => bookAlone(waiting, b.id)]);
    if (r.raced) raced++;
    assert.equal(r.answers[0].status, 200, JSON.stringify(r.answers[0].json));
    const rows = sql(`SELECT session_id, status FROM bookings WHERE person_id = ${waiting.account.person_id}
      AND status = 'confirmed'`);
    assert.equal(rows.length, 1, `confirmed places of one person: ${JSON.stringify(rows)}`);
    const [[c]] = sql(`SELECT confirmed_count FROM sessions WHERE id = ${a.id}`);
    const [[n]] = sql(`SELECT count(*) FROM bookings WHERE session_id = ${a.id} AND status = 'confirmed'`);
    assert.equal(c, n, 'the counter agrees with the places');
  }
  assert.ok(raced >= 1, 'the promotion and the booking never overlapped in time');
});

test('rescheduling mails everyone booked the updated invitation and resets reminders', async () => {
  const s = await newSession({ capacity: 1 });
  const p = await person();
  const w = await person();
  const b = await book(p, s.id);
  await book(w, s.id);
  sql(`UPDATE bookings SET reminded_at = now() WHERE session_id = ${s.id}`);
  const [[before]] = sql(`SELECT ics_sequence FROM bookings WHERE id = ${b.json.id}`);
  const h = when();
  const res = await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: {
    starts_at: iso(h), ends_at: iso(h + 4), venue: 'Guildhall, City of London' } });
  assert.equal(res.status, 200, res.text);
  const [[after, reminded]] = sql(`SELECT ics_sequence, reminded_at IS NULL FROM bookings WHERE id = ${b.json.id}`);
  assert.equal(Number(after), Number(before) + 1);
  assert.equal(reminded, 't');
  const [[subject, text, ics]] = sql(`SELECT subject, body_text, ics FROM email_outbox
    WHERE to_address = '${p.account.email}' AND subject LIKE 'Session changed%'`);
  assert.equal(subject, 'Session changed: Recognising and responding to neglect');
  assert.match(text, /Guildhall, City of London/);
  assert.match(text, /^Your bookings: https?:\/\/[^/\s]+\/bookings$/m, 'links are absolute');
  const dir = mkdtempSync('/tmp/portal-ical.');
  try {
    writeFileSync(`${dir}/b.ics`, ics);
    const cal = JSON.parse(execFileSync('/usr/bin/python3', ['tests/reference/ical_check.py', `${dir}/b.ics`],
      { encoding: 'utf8' }));
    assert.equal(cal.method, 'REQUEST');
    assert.equal(cal.sequence, Number(after));
    assert.equal(cal.location, 'Guildhall, City of London');
    assert.equal(Date.parse(cal.dtstart), Date.parse(res.json.starts_at));
    assert.match(cal.organizer, /^mailto:.+@/i, 'an ORGANIZER (RFC 5546 REQUEST)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The waitlisted person is told too, without an invitation.
  const [[wics]] = sql(`SELECT ics IS NULL FROM email_outbox
    WHERE to_address = '${w.account.email}' AND subject LIKE 'Session changed%'`);
  assert.equal(wics, 't');
  // The calendar the person downloads agrees.
  const cal = await as(p, `/api/v1/bookings/${b.json.id}/calendar.ics`);
  assert.match(cal.text, new RegExp(`SEQUENCE:${after}\\r\\n`));
  assert.match(cal.text, /ORGANIZER[^\r]*:mailto:/);
  // Changing the capacity only is no rescheduling: nobody is mailed.
  const mails = () => sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${p.account.email}'`)[0][0];
  const count = mails();
  await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { capacity: 3 } });
  assert.equal(mails(), count);
});

test('rescheduling onto a time someone booked holds elsewhere: 409, nothing changed', async () => {
  const s = await newSession();
  const other = await newSession();
  const p = await person();
  await book(p, s.id);
  await book(p, other.id);
  const res = await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: {
    starts_at: other.starts_at, ends_at: other.ends_at } });
  const fields = assertError(res, 409, 'overlap');
  assert.match(fields.starts_at, /1 of the people booked/);
  const now = (await as(coordinator, `/api/v1/sessions/${s.id}`)).json;
  assert.equal(now.starts_at, s.starts_at);
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${p.account.email}'
    AND subject LIKE 'Session changed%'`)[0][0], '0');
});

test('a course changed to have no group levels is refused with 422; the register keeps working', async () => {
  const code = `NOLV-${process.pid % 100000}`;
  const course = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code, title: 'Levels test', format: 'seminar', duration_minutes: 60, group_levels: ['G3'] } });
  assert.equal(course.status, 201, course.text);
  const res = await as(coordinator, `/api/v1/courses/${course.json.id}`, { method: 'PATCH',
    body: { group_levels: [] } });
  assert.deepEqual(Object.keys(assertError(res, 422)), ['group_levels']);
  const now = await as(coordinator, `/api/v1/courses/${course.json.id}`);
  assert.deepEqual(now.json.group_levels, ['G3']);
});

test('from the start of a session only the register changes a booking', async () => {
  const s = await newSession({ capacity: 1 });
  const p = await person();
  const w = await person();
  const b = await book(p, s.id);
  const wb = await book(w, s.id);
  sql(`UPDATE sessions SET booking_opens_at = now() - interval '3 days',
    booking_closes_at = now() - interval '2 days', starts_at = now() - interval '1 hour',
    ends_at = now() + interval '5 hours' WHERE id = ${s.id}`);
  assertError(await as(p, `/api/v1/bookings/${b.json.id}`, { method: 'DELETE' }), 409, 'session_started');
  assertError(await as(coordinator, `/api/v1/bookings/${b.json.id}`, { method: 'DELETE' }), 409, 'session_started');
  assertError(await as(w, `/api/v1/bookings/${wb.json.id}`, { method: 'DELETE' }), 409, 'session_started');
  assert.equal(sql(`SELECT status FROM bookings WHERE id = ${b.json.id}`)[0][0], 'confirmed');
  // The register still marks it.
  const marked = await as(coordinator, `/api/v1/sessions/${s.id}/attendance`, { method: 'PUT',
    body: [{ booking_id: b.json.id, status: 'no_show' }] });
  assert.equal(marked.status, 200, marked.text);
  assert.equal(sql(`SELECT status FROM bookings WHERE id = ${b.json.id}`)[0][0], 'no_show');
  assertError(await as(p, `/api/v1/bookings/${b.json.id}`, { method: 'DELETE' }), 409);
  assert.equal(sql(`SELECT status FROM bookings WHERE id = ${b.json.id}`)[0][0], 'no_show');
});

test('erasure cancels future places (the waitlist moves up), trainer lists, and personal data in sent mail', async () => {
  const gone = await person();
  const pid = gone.account.person_id;
  const roles = await as(coordinator, `/api/v1/accounts/${pid}/roles`, { method: 'PUT',
    body: { roles: ['practitioner', 'trainer'] } });
  assert.equal(roles.status, 200, roles.text);
  const [[name]] = sql(`SELECT full_name FROM people WHERE id = ${pid}`);
  const s = await newSession({ capacity: 1 });
  const taught = await newSession({ trainer_ids: [pid] });
  const waiting = await person();
  const learner = await person();
  await book(gone, s.id);
  await book(waiting, s.id);
  await book(learner, taught.id);
  // Mail sent already: to the person, and to others naming them.
  sql(`UPDATE email_outbox SET status = 'sent', sent_at = now()
    WHERE to_address IN ('${gone.account.email}', '${learner.account.email}')`);
  assert.ok(sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${learner.account.email}'
    AND replace(ics, E'\\r\\n ', '') LIKE '%${name}%'`)[0][0] > 0, 'the invitation names the trainer');

  const res = await as(coordinator, `/api/v1/people/${pid}`, { method: 'DELETE' });
  assert.equal(res.status, 204, res.text);
  assert.deepEqual(sql(`SELECT status FROM bookings WHERE person_id = ${pid} AND session_id = ${s.id}`),
    [['cancelled']]);
  assert.deepEqual(sql(`SELECT status FROM bookings WHERE person_id = ${waiting.account.person_id}`),
    [['confirmed']]);
  assert.deepEqual(sql(`SELECT confirmed_count, waitlist_count FROM sessions WHERE id = ${s.id}`), [['1', '0']]);
  assert.equal(sql(`SELECT count(*) FROM session_trainers WHERE person_id = ${pid}`)[0][0], '0');
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE lower(to_address) = lower('${gone.account.email}')`)[0][0], '0');
  const whole = `'(?<![[:alnum:]])${name}(?![[:alnum:]])'`;
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE subject ~ ${whole}
    OR body_text ~ ${whole} OR replace(ics, E'\\r\\n ', '') ~ ${whole}`)[0][0], '0');
  assert.ok(sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${learner.account.email}'
    AND replace(ics, E'\\r\\n ', '') LIKE '%Erased person%'`)[0][0] > 0);
});

test('idempotency: a retry after the window closed gets the first answer, a repeat 200', async () => {
  const s = await newSession();
  const p = await person();
  const key = `retry-${Date.now()}`;
  const first = await book(p, s.id, { 'idempotency-key': key });
  assert.equal(first.status, 201);
  sql(`UPDATE sessions SET booking_opens_at = now() - interval '2 days',
    booking_closes_at = now() - interval '1 day' WHERE id = ${s.id}`);
  const retry = await book(p, s.id, { 'idempotency-key': key });
  assert.equal(retry.status, 200, retry.text);
  assert.deepEqual(retry.json, first.json);
  // Without the key the window is closed.
  assertError(await book(p, s.id), 422, 'booking_closed');
});

test('one key on two sessions at once: 422, never 409', async () => {
  let raced = 0;
  for (let round = 0; round < 8 && raced < 2; round++) {
    const a = await newSession({ capacity: 5 });
    const b = await newSession({ capacity: 5 });
    const p = await person();
    const key = `two-${process.pid}-${round}`;
    const r = await whileOutboxLocked([() => bookAlone(p, a.id, { key }), () => bookAlone(p, b.id, { key })]);
    if (r.raced) raced++;
    assert.deepEqual(r.answers.map((x) => x.status).sort(), [201, 422], JSON.stringify(r.answers));
    const refused = r.answers.find((x) => x.status === 422);
    assert.deepEqual(Object.keys(refused.json.error.fields), ['Idempotency-Key']);
  }
  assert.ok(raced >= 1, 'the two requests never overlapped in time');
});
