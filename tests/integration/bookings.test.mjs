// Sessions and bookings: the programme, booking, the waitlist,
// idempotency, cancellation with promotion, and the rules that refuse.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, sql, assertError, login, as, register } from './http.mjs';

let coordinator, courseId, trainerId;

function iso(hoursFromNow) {
  return new Date(Date.now() + hoursFromNow * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
}

async function newSession(over = {}) {
  const res = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: courseId, starts_at: iso(24 * 30), ends_at: iso(24 * 30 + 6),
    venue: 'Hackney Service Centre', capacity: 2, trainer_ids: [trainerId], ...over } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function person() {
  const { body } = await register();
  return login(body.email, body.password);
}

before(async () => {
  coordinator = await login('coordinator@demo.example');
  [[courseId]] = sql("SELECT id FROM courses WHERE code = 'SG3-NEG'");
  courseId = Number(courseId);
  [[trainerId]] = sql("SELECT p.id FROM people p WHERE p.email = 'trainer@demo.example'");
  trainerId = Number(trainerId);
});

test('a coordinator schedules a session; every wrong field is named', async () => {
  const s = await newSession({ capacity: 25 });
  assert.equal(s.capacity, 25);
  assert.equal(s.confirmed, 0);
  assert.equal(s.places_left, 25);
  assert.equal(s.course.code, 'SG3-NEG');
  assert.deepEqual(s.trainers.map((t) => t.id), [trainerId]);
  assert.equal(s.taking_bookings, true);
  const bad = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: 'x', starts_at: 'tomorrow', venue: '', capacity: 0, trainer_ids: [1.5] } });
  assert.deepEqual(Object.keys(assertError(bad, 422)).sort(),
    ['capacity', 'course_id', 'ends_at', 'starts_at', 'trainer_ids', 'venue']);
  const backwards = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: courseId, starts_at: iso(50), ends_at: iso(40), venue: 'X', capacity: 5 } });
  assert.deepEqual(Object.keys(assertError(backwards, 422)), ['ends_at']);
  const notTrainer = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: 999999, starts_at: iso(50), ends_at: iso(56), venue: 'X', capacity: 5,
    trainer_ids: [coordinator.account.person_id] } });
  assert.deepEqual(Object.keys(assertError(notTrainer, 422)).sort(), ['course_id', 'trainer_ids']);
  const practitioner = await person();
  assertError(await as(practitioner, '/api/v1/sessions', { method: 'POST', body: {} }), 403);
});

test('sessions are listed with places left and filtered', async () => {
  const s = await newSession({ capacity: 3 });
  const one = await request(`/api/v1/sessions/${s.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.json.places_left, 3);
  const list = await request(`/api/v1/sessions?course_id=${courseId}&available=true&limit=100`);
  assert.ok(list.json.sessions.some((x) => x.id === s.id));
  assert.ok(list.json.sessions.every((x) => x.places_left > 0 && x.taking_bookings));
  const byLevel = await request('/api/v1/sessions?group_level=G5&limit=100');
  assert.ok(byLevel.json.sessions.every((x) => x.course.group_levels.includes('G5')));
  const fields = assertError(await request('/api/v1/sessions?group_level=G0&from=2016-02-30&available=maybe'), 422);
  assert.deepEqual(Object.keys(fields).sort(), ['available', 'from', 'group_level']);
  assertError(await request('/api/v1/sessions/999999999'), 404);
});

test('a trainer lists the sessions they train', async () => {
  const s = await newSession();
  const trainer = await login('trainer@demo.example');
  const mine = await as(trainer, '/api/v1/sessions?trainer=me&limit=100&from=' +
    s.starts_at.slice(0, 10) + '&to=' + s.starts_at.slice(0, 10));
  assert.equal(mine.status, 200);
  assert.ok(mine.json.sessions.some((x) => x.id === s.id));
  assert.ok(mine.json.sessions.every((x) => x.trainers.some((t) => t.id === trainerId)));
  const [[count]] = sql(`SELECT count(*) FROM session_trainers t JOIN sessions s ON s.id = t.session_id
    JOIN courses c ON c.id = s.course_id WHERE c.published AND t.person_id = ${trainerId}`);
  assert.equal((await as(trainer, '/api/v1/sessions?trainer=me&limit=1')).json.total, Number(count));
  const practitioner = await person();
  assert.equal((await as(practitioner, '/api/v1/sessions?trainer=me')).json.total, 0);
  assertError(await request('/api/v1/sessions?trainer=me'), 401);
  assert.deepEqual(Object.keys(assertError(await request('/api/v1/sessions?trainer=7'), 422)), ['trainer']);
});

test('booking: confirmed to capacity, then a first-come first-served waitlist', async () => {
  const s = await newSession({ capacity: 2 });
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await person());
  const answers = [];
  for (const p of people) {
    answers.push(await as(p, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' }));
  }
  assert.deepEqual(answers.map((a) => a.status), [201, 201, 201, 201]);
  assert.deepEqual(answers.map((a) => a.json.status), ['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
  assert.deepEqual(answers.map((a) => a.json.waitlist_position), [null, null, 1, 2]);
  assertError(await as(people[0], `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' }), 409, 'already_booked');
  const now = await request(`/api/v1/sessions/${s.id}`);
  assert.deepEqual([now.json.confirmed, now.json.waitlisted, now.json.places_left], [2, 2, 0]);
  // Each is told, through the outbox.
  const mails = sql(`SELECT subject FROM email_outbox WHERE to_address = '${people[2].account.email}'
    AND subject <> 'Confirm your e-mail address'`);
  assert.deepEqual(mails.map((m) => m[0]), ['You are on the waitlist: Recognising and responding to neglect']);

  // A cancellation promotes the first on the waitlist, in the same transaction.
  const cancel = await as(people[0], `/api/v1/bookings/${answers[0].json.id}`, { method: 'DELETE' });
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.status, 'cancelled');
  assert.equal(cancel.json.late, false);
  const mine = await as(people[2], '/api/v1/me/bookings');
  assert.equal(mine.json.bookings.find((b) => b.session_id === s.id).status, 'confirmed');
  const fourth = await as(people[3], '/api/v1/me/bookings');
  assert.equal(fourth.json.bookings.find((b) => b.session_id === s.id).waitlist_position, 1);
  const after = await request(`/api/v1/sessions/${s.id}`);
  assert.deepEqual([after.json.confirmed, after.json.waitlisted], [2, 1]);
  assert.ok(sql(`SELECT subject FROM email_outbox WHERE to_address = '${people[2].account.email}'`)
    .some((m) => /^A place has come up/.test(m[0])));
  assertError(await as(people[0], `/api/v1/bookings/${answers[0].json.id}`, { method: 'DELETE' }), 409);
  assertError(await as(people[1], `/api/v1/bookings/${answers[3].json.id}`, { method: 'DELETE' }), 404);
  // Leaving the waitlist frees no place and promotes no one.
  const leave = await as(people[3], `/api/v1/bookings/${answers[3].json.id}`, { method: 'DELETE' });
  assert.equal(leave.json.status, 'cancelled');
  const last = await request(`/api/v1/sessions/${s.id}`);
  assert.deepEqual([last.json.confirmed, last.json.waitlisted], [2, 0]);
});

test('the same Idempotency-Key books once and answers the same', async () => {
  const s = await newSession({ capacity: 5 });
  const p = await person();
  const key = `key-${Date.now()}`;
  const first = await as(p, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST', headers: { 'idempotency-key': key } });
  const again = await as(p, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST', headers: { 'idempotency-key': key } });
  assert.equal(first.status, 201);
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, first.json);
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${s.id}`)[0][0], '1');
  const other = await newSession({ capacity: 5, starts_at: iso(24 * 60), ends_at: iso(24 * 60 + 3) });
  assert.deepEqual(Object.keys(assertError(await as(p, `/api/v1/sessions/${other.id}/bookings`,
    { method: 'POST', headers: { 'idempotency-key': key } }), 422)), ['Idempotency-Key']);
});

test('closed, cancelled, past and overlapping sessions refuse bookings', async () => {
  const p = await person();
  const closed = await newSession({ booking_opens_at: iso(24 * 5), booking_closes_at: iso(24 * 6) });
  assertError(await as(p, `/api/v1/sessions/${closed.id}/bookings`, { method: 'POST' }), 422, 'booking_closed');
  const cancelled = await newSession();
  sql(`UPDATE sessions SET status = 'cancelled' WHERE id = ${cancelled.id}`);
  assertError(await as(p, `/api/v1/sessions/${cancelled.id}/bookings`, { method: 'POST' }), 422, 'booking_closed');
  const [[past]] = sql("SELECT id FROM sessions WHERE starts_at < now() ORDER BY id LIMIT 1");
  assertError(await as(p, `/api/v1/sessions/${past}/bookings`, { method: 'POST' }), 422, 'booking_closed');
  assertError(await as(p, '/api/v1/sessions/999999999/bookings', { method: 'POST' }), 404);

  const a = await newSession({ starts_at: iso(24 * 90), ends_at: iso(24 * 90 + 6) });
  const b = await newSession({ starts_at: iso(24 * 90 + 3), ends_at: iso(24 * 90 + 9) });
  assert.equal((await as(p, `/api/v1/sessions/${a.id}/bookings`, { method: 'POST' })).json.status, 'confirmed');
  assertError(await as(p, `/api/v1/sessions/${b.id}/bookings`, { method: 'POST' }), 409, 'overlap');
  assertError(await as(p, `/api/v1/sessions/${a.id}/bookings`, { method: 'POST', csrf: false }), 403, 'csrf');
  assertError(await request(`/api/v1/sessions/${a.id}/bookings`, { method: 'POST' }), 401);
});

test('a cancellation after the cut-off is late', async () => {
  const s = await newSession({ cancel_cutoff_hours: 2000 });
  const p = await person();
  const b = await as(p, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' });
  const c = await as(p, `/api/v1/bookings/${b.json.id}`, { method: 'DELETE' });
  assert.equal(c.json.status, 'late_cancelled');
  assert.equal(c.json.late, true);
});

test('a coordinator books for someone; others may not', async () => {
  const s = await newSession();
  const p = await person();
  const res = await as(coordinator, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST',
    body: { person_id: p.account.person_id } });
  assert.equal(res.status, 201);
  assert.equal(res.json.person_id, p.account.person_id);
  const q = await person();
  assertError(await as(q, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST',
    body: { person_id: p.account.person_id } }), 403);
});

test('raising the capacity promotes from the waitlist; lowering it below the confirmed is refused', async () => {
  const s = await newSession({ capacity: 1 });
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await person());
  for (const p of people) await as(p, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' });
  const up = await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { capacity: 3 } });
  assert.equal(up.status, 200, up.text);
  assert.deepEqual([up.json.capacity, up.json.confirmed, up.json.waitlisted], [3, 3, 1]);
  const statuses = [];
  for (const p of people) {
    statuses.push((await as(p, '/api/v1/me/bookings')).json.bookings.find((b) => b.session_id === s.id).status);
  }
  assert.deepEqual(statuses, ['confirmed', 'confirmed', 'confirmed', 'waitlisted'], 'in the order they joined');
  assert.ok(sql(`SELECT subject FROM email_outbox WHERE to_address = '${people[2].account.email}'`)
    .some((m) => /^A place has come up/.test(m[0])));
  assertError(await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { capacity: 2 } }),
    409, 'capacity_below_confirmed');
  const bad = await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { capacity: 'x', venue: '' } });
  assert.deepEqual(Object.keys(assertError(bad, 422)).sort(), ['capacity', 'venue']);
  assertError(await as(people[0], `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { capacity: 9 } }), 403);
  const moved = await as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { venue: 'Online' } });
  assert.equal(moved.json.venue, 'Online');
});

test('the board cancels a session: every booking is cancelled and each person told', async () => {
  const s = await newSession({ capacity: 1 });
  const a = await person();
  const b = await person();
  await as(a, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' });
  await as(b, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' });
  assert.deepEqual(Object.keys(assertError(await as(coordinator, `/api/v1/sessions/${s.id}/cancel`,
    { method: 'POST', body: {} }), 422)), ['reason']);
  const res = await as(coordinator, `/api/v1/sessions/${s.id}/cancel`, { method: 'POST',
    body: { reason: 'The trainer is ill; we will run it again in the spring.' } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'cancelled');
  assert.deepEqual([res.json.confirmed, res.json.waitlisted], [0, 0]);
  for (const p of [a, b]) {
    const mine = (await as(p, '/api/v1/me/bookings')).json.bookings.find((x) => x.session_id === s.id);
    assert.equal(mine.status, 'board_cancelled');
    const [[text]] = sql(`SELECT body_text FROM email_outbox WHERE to_address = '${p.account.email}'
      AND subject LIKE 'Session cancelled%'`);
    assert.match(text, /trainer is ill/);
  }
  assertError(await as(coordinator, `/api/v1/sessions/${s.id}/cancel`, { method: 'POST', body: { reason: 'again' } }), 409);
  assertError(await as(a, `/api/v1/sessions/${s.id}/bookings`, { method: 'POST' }), 422, 'booking_closed');
});

test("a session's trainers and a course's topics are replaced as a whole set", async () => {
  const [[other]] = sql(`SELECT person_id FROM account_roles WHERE role = 'trainer'
    AND person_id <> ${trainerId} ORDER BY person_id LIMIT 1`);
  const s = await newSession();
  const trainers = async () => (await as(coordinator, `/api/v1/sessions/${s.id}`)).json.trainers
    .map((t) => t.id).sort((a, b) => a - b);
  const change = (ids) => as(coordinator, `/api/v1/sessions/${s.id}`, { method: 'PATCH', body: { trainer_ids: ids } });
  assert.equal((await change([trainerId, Number(other)])).status, 200);
  assert.deepEqual(await trainers(), [trainerId, Number(other)].sort((a, b) => a - b));
  assert.equal((await change([Number(other)])).status, 200);
  assert.deepEqual(await trainers(), [Number(other)]);
  const notTrainer = await change([trainerId, coordinator.account.person_id]);
  assert.deepEqual(Object.keys(assertError(notTrainer, 422)), ['trainer_ids']);
  assert.deepEqual(await trainers(), [Number(other)], 'unchanged when refused');

  const code = `R-${process.pid % 100000}`;
  const course = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code, title: 'Replaced topics', topics: ['gangs', 'cse'], group_levels: ['G3'], format: 'seminar',
    duration_minutes: 60, published: false } });
  assert.equal(course.status, 201, course.text);
  const patched = await as(coordinator, `/api/v1/courses/${course.json.id}`, { method: 'PATCH',
    body: { topics: ['cse', 'neglect'], group_levels: ['G3', 'G4'] } });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual([patched.json.topics, patched.json.group_levels], [['cse', 'neglect'], ['G3', 'G4']]);
  const wrong = await as(coordinator, `/api/v1/courses/${course.json.id}`, { method: 'PATCH',
    body: { topics: ['cse', 'nope'] } });
  assert.deepEqual(Object.keys(assertError(wrong, 422)), ['topics']);
  const now = await as(coordinator, `/api/v1/courses/${course.json.id}`);
  assert.deepEqual(now.json.topics, ['cse', 'neglect'], 'unchanged when refused');
});

test('coordinators add and change courses; every wrong field is named', async () => {
  const code = `T-${process.pid % 100000}`;
  const res = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code, title: 'Contextual safeguarding', summary: 'Harm outside the home.',
    topics: ['gangs', 'cse'], group_levels: ['G3', 'G4'], format: 'full_day',
    duration_minutes: 390, multi_agency: true } });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.group_levels, ['G3', 'G4']);
  assert.deepEqual(res.json.topics, ['cse', 'gangs']);
  const listed = await request('/api/v1/courses?topic=gangs&limit=100');
  assert.ok(listed.json.courses.some((c) => c.code === code));
  assertError(await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code, title: 'Again', format: 'seminar', duration_minutes: 60, group_levels: ['G1'] } }), 409, 'code_taken');
  const bad = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code: 'lower', title: '', format: 'picnic', duration_minutes: 5, group_levels: ['G9'], topics: ['nope'] } });
  assert.deepEqual(Object.keys(assertError(bad, 422)).sort(), ['code', 'duration_minutes', 'format', 'title']);
  const unknown = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code: `${code}X`, title: 'X', format: 'seminar', duration_minutes: 60, group_levels: ['G9'], topics: ['nope'] } });
  assert.deepEqual(Object.keys(assertError(unknown, 422)).sort(), ['group_levels', 'topics']);
  const twilight = await as(coordinator, `/api/v1/courses/${res.json.id}`, { method: 'PATCH',
    body: { format: 'twilight' } });
  assert.deepEqual(Object.keys(assertError(twilight, 422)), ['duration_minutes']);
  const emptied = await as(coordinator, `/api/v1/courses/${res.json.id}`, { method: 'PATCH',
    body: { title: '', code: '', summary: '' } });
  assert.deepEqual(Object.keys(assertError(emptied, 422)).sort(), ['code', 'title']);
  const patched = await as(coordinator, `/api/v1/courses/${res.json.id}`, { method: 'PATCH',
    body: { title: 'Contextual safeguarding: an introduction', published: false, group_levels: ['G2'] } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.published, false);
  assert.deepEqual(patched.json.group_levels, ['G2']);
  // Workers keep catalogue answers for two seconds: gone within three.
  const listedNow = async () => (await request('/api/v1/courses?limit=100')).json.courses.some((c) => c.code === code);
  for (let i = 0; i < 30 && await listedNow(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(!(await listedNow()), 'unpublished');
  // An unpublished course: for coordinators only, alone or in the list.
  assertError(await request(`/api/v1/courses/${res.json.id}`), 404);
  const own = await as(coordinator, `/api/v1/courses/${res.json.id}`);
  assert.equal(own.status, 200);
  assert.equal(own.json.title, 'Contextual safeguarding: an introduction');
  const all = await as(coordinator, '/api/v1/courses?include_unpublished=true&limit=100');
  assert.equal(all.status, 200);
  assert.equal(all.json.courses.find((c) => c.code === code)?.published, false);
  assert.equal(all.json.total, Number(sql('SELECT count(*) FROM courses')[0][0]));
  assertError(await request('/api/v1/courses?include_unpublished=true'), 401);
  assertError(await as(await person(), '/api/v1/courses?include_unpublished=true'), 403);
  assert.deepEqual(Object.keys(assertError(await request('/api/v1/courses?include_unpublished=yes'), 422)),
    ['include_unpublished']);
  const [[published]] = sql("SELECT id FROM courses WHERE published ORDER BY id LIMIT 1");
  assert.equal((await request(`/api/v1/courses/${published}`)).json.id, Number(published));
  assertError(await request('/api/v1/courses/999999999'), 404);
  assertError(await as(coordinator, '/api/v1/courses/999999999', { method: 'PATCH', body: { title: 'x' } }), 404);
  const p = await person();
  assertError(await as(p, '/api/v1/courses', { method: 'POST', body: {} }), 403);
});
