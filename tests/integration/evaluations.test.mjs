// Evaluations, the four-stage model: each stage's window, answers once,
// someone else's booking, every wrong field named; paper forms (the cap,
// a file twice); the session's summary against SciPy; disclosure control
// (nothing while the window is open, released steps of five forms the
// viewer did not enter, for every role); the outstanding list and the
// export without names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sql, assertError, login, as, register, pgClient } from './http.mjs';
import { iso, DAY, newSession, move, attend, closeWindow, RATED } from './sessions.mjs';

async function delegate() {
  const { body } = await register();
  return login(body.email, body.password);
}

const csvOf = (rows) => 'rating_content,rating_delivery,rating_venue,rating_trainer,rating_overall,'
  + 'knowledge_before,knowledge_after,confidence_before,confidence_after,outcomes_met,'
  + 'improve_safeguarding,action,comments\r\n' + rows.map((r) => r.map((c) =>
    /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c).join(',') + '\r\n').join('');

const upload = (who, id, text) => as(who, `/api/v1/sessions/${id}/evaluations`, {
  method: 'POST', headers: { 'content-type': 'text/csv' }, body: text });

test('a delegate answers each stage once, inside its window', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer);
  const p = await delegate();
  const other = await delegate();
  const booking = (await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  const path = `/api/v1/bookings/${booking}/evaluations`;

  // Before the course: open from the confirmation to the start.
  let mine = await as(p, '/api/v1/me/evaluations');
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.json.evaluations.map((e) => [e.stage, e.booking_id, e.status]),
    [['before', booking, 'open']]);
  assert.equal(mine.json.evaluations[0].course_title, 'Domestic abuse and its impact on children');
  let got = await as(p, `${path}/before`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.status, 'open');
  assert.equal(got.json.answers, null);
  assert.deepEqual(got.json.questions.map((q) => q.field), ['knowledge', 'confidence', 'hopes']);

  // Every wrong field is named; nothing is saved.
  const bad = assertError(await as(p, `${path}/before`, { method: 'PUT',
    body: { knowledge: 11, confidence: 'high', hopes: 'x'.repeat(2001), colour: 'blue' } }), 422, 'invalid');
  assert.deepEqual(Object.keys(bad).sort(), ['colour', 'confidence', 'hopes', 'knowledge']);
  assertError(await as(p, `${path}/before`, { method: 'PUT', body: { knowledge: 4.5 } }), 422, 'invalid');
  assert.equal(sql(`SELECT count(*) FROM baselines WHERE booking_id = ${booking}`)[0][0], '0');

  // Someone else's booking does not exist for them.
  assertError(await as(other, `${path}/before`), 404, 'not_found');
  assertError(await as(other, `${path}/before`, { method: 'PUT', body: { knowledge: 3 } }), 404, 'not_found');
  assertError(await as(p, `/api/v1/bookings/${booking}/evaluations/lunch`), 404);
  // The CSRF token is needed.
  assertError(await as(p, `${path}/before`, { method: 'PUT', body: { knowledge: 3 }, csrf: false }), 403, 'csrf');

  const put = await as(p, `${path}/before`, { method: 'PUT', body: { knowledge: 3, confidence: 4, hopes: 'Risk assessment' } });
  assert.equal(put.status, 201, put.text);
  assertError(await as(p, `${path}/before`, { method: 'PUT', body: { knowledge: 9 } }), 409, 'answered');
  got = await as(p, `${path}/before`);
  assert.equal(got.json.status, 'done');
  assert.equal(got.json.answers.knowledge, 3);
  assert.equal(got.json.answers.hopes, 'Risk assessment');

  // Same day: not open until the register marks the booking.
  assertError(await as(p, `${path}/same_day`, { method: 'PUT', body: RATED }), 422, 'not_open');
  move(id, -0.1);
  const marked = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT',
    body: [{ booking_id: booking, status: 'attended' }] });
  assert.equal(marked.status, 200, marked.text);
  // The invitation went into the outbox with the mark.
  assert.equal(sql(`SELECT count(*) FROM evaluation_notices WHERE booking_id = ${booking} AND kind = 'same_day'`)[0][0], '1');
  assertError(await as(p, `/api/v1/bookings/${booking}/certificate`), 409, 'not_available');

  // The same-day window closes when the database's disclosure control
  // (evaluation_window_closes()) starts releasing its forms.
  got = await as(p, `${path}/same_day`);
  assert.equal(got.json.status, 'open');
  assert.equal(Date.parse(got.json.closes_at) / 1000, Number(sql(`SELECT floor(extract(epoch FROM
    evaluation_window_closes(${id})))`)[0][0]));

  const wrong = assertError(await as(p, `${path}/same_day`, { method: 'PUT', body: {
    rating_content: 0, rating_delivery: 6, rating_venue: '5', rating_trainer: 5, rating_overall: 5,
    knowledge_before: 0, knowledge_after: 11, outcomes_met: 'maybe', improve_safeguarding: 'perhaps' } }), 422, 'invalid');
  assert.deepEqual(Object.keys(wrong).sort(), ['improve_safeguarding', 'knowledge_after', 'knowledge_before',
    'outcomes_met', 'rating_content', 'rating_delivery', 'rating_venue']);
  const answer = { rating_content: 5, rating_delivery: 4, rating_venue: 3, rating_trainer: 5, rating_overall: 4,
    knowledge_before: 3, knowledge_after: 7, confidence_before: 4, confidence_after: 8, outcomes_met: 'partly',
    improve_safeguarding: 'yes', action: 'Use the DASH checklist.', comments: 'Good case studies.' };
  const sd = await as(p, `${path}/same_day`, { method: 'PUT', body: answer });
  assert.equal(sd.status, 201, sd.text);
  assertError(await as(p, `${path}/same_day`, { method: 'PUT', body: answer }), 409, 'answered');
  got = await as(p, `${path}/same_day`);
  assert.equal(got.json.answers.outcomes_met, 'partly');
  const row = sql(`SELECT source, rating_venue, knowledge_after FROM evaluations WHERE booking_id = ${booking}`);
  assert.deepEqual(row, [['online', '3', '7']]);

  // The certificate once the same-day evaluation is done.
  const cert = await as(p, `/api/v1/bookings/${booking}/certificate`);
  assert.equal(cert.status, 200, cert.text);
  assert.equal(cert.json.course_title, 'Domestic abuse and its impact on children');
  assert.equal(cert.json.group_level, 'Group 3');
  assert.equal(cert.json.duration_minutes, 390);
  // Issued the day the form came in.
  assert.equal(cert.json.issued_on, sql(`SELECT to_char(submitted_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')
    FROM evaluations WHERE booking_id = ${booking}`)[0][0]);
  assertError(await as(other, `/api/v1/bookings/${booking}/certificate`), 404);

  // The baseline closed at the start.
  mine = await as(p, '/api/v1/me/evaluations');
  assert.deepEqual(mine.json.evaluations.map((e) => [e.stage, e.status]), [['same_day', 'done'], ['before', 'done']]);

  // Follow-up: due 90 days after the session ended, open 30 days.
  assertError(await as(p, `${path}/followup`, { method: 'PUT', body: { applied: 'yes' } }), 422, 'not_open');
  move(id, -91);
  // Coordinators chasing see the open follow-up until it is answered.
  const chased = async () => (await as(coordinator, '/api/v1/evaluations/outstanding')).json.sessions
    .filter((s) => s.session_id === id).map((s) => [s.stage, s.outstanding]);
  assert.deepEqual(await chased(), [['followup', 1]]);
  const wrongF = assertError(await as(p, `${path}/followup`, { method: 'PUT',
    body: { applied: 'sometimes', confidence_now: 0, changed: ['referrals', 'cooking'] } }), 422);
  assert.deepEqual(Object.keys(wrongF).sort(), ['applied', 'changed', 'confidence_now']);
  const f = await as(p, `${path}/followup`, { method: 'PUT',
    body: { applied: 'yes', example: 'A joint visit.', confidence_now: 8, changed: ['joint_working', 'referrals'] } });
  assert.equal(f.status, 201, f.text);
  assert.deepEqual(await chased(), []);
  assertError(await as(p, `${path}/followup`, { method: 'PUT', body: { applied: 'no' } }), 409);
  got = await as(p, `${path}/followup`);
  assert.deepEqual(got.json.answers.changed, ['joint_working', 'referrals']);
  assert.deepEqual(sql(`SELECT changed_information_sharing, changed_joint_working, due_on = (
      SELECT (ends_at AT TIME ZONE 'Europe/London')::date + 90 FROM sessions WHERE id = ${id})
    FROM followups WHERE booking_id = ${booking}`), [['f', 't', 't']]);
});

test('windows close: the same day 14 days after the session, the follow-up 30 days from due', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer);
  const p = await delegate();
  const booking = (await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  move(id, -0.1);
  await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT', body: [{ booking_id: booking, status: 'partial' }] });
  assertError(await as(p, `/api/v1/bookings/${booking}/evaluations/before`, { method: 'PUT', body: { knowledge: 2 } }), 422, 'closed');
  move(id, -15);
  assertError(await as(p, `/api/v1/bookings/${booking}/evaluations/same_day`, { method: 'PUT', body: RATED }), 422, 'closed');
  // Closed unanswered, the certificate is there all the same, issued
  // the day the window closed.
  const cert = await as(p, `/api/v1/bookings/${booking}/certificate`);
  assert.equal(cert.status, 200);
  assert.equal(cert.json.issued_on, sql(`SELECT to_char((ends_at AT TIME ZONE 'Europe/London'
    + interval '14 days') , 'YYYY-MM-DD') FROM sessions WHERE id = ${id}`)[0][0]);
  move(id, -125);
  assertError(await as(p, `/api/v1/bookings/${booking}/evaluations/followup`, { method: 'PUT', body: { applied: 'no' } }), 422, 'closed');
  const mine = await as(p, '/api/v1/me/evaluations');
  assert.deepEqual(mine.json.evaluations.map((e) => [e.stage, e.status]).sort(),
    [['before', 'closed'], ['followup', 'closed'], ['same_day', 'closed']]);
});

test("the same-day invitation names the window's days as the rule has them", async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer);
  const [p, q] = [await delegate(), await delegate()];
  const book = async (who) => (await as(who, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  const [booking, second] = [await book(p), await book(q)];
  move(id, -0.1);
  const invitation = (who) => `SELECT body_text FROM email_outbox WHERE to_address = '${who.account.email}'
    AND subject LIKE 'Your evaluation:%'`;

  // The rule: the window closes evaluation_window_days() after the end.
  const [[days, ruled]] = sql(`SELECT evaluation_window_days(), evaluation_window_closes(id)
    = ((ends_at AT TIME ZONE 'Europe/London') + evaluation_window_days() * interval '1 day')
      AT TIME ZONE 'Europe/London' FROM sessions WHERE id = ${id}`);
  assert.equal(days, '14');
  assert.equal(ruled, 't');
  const marked = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT',
    body: [{ booking_id: booking, status: 'attended' }] });
  assert.equal(marked.status, 200, marked.text);
  const [[words]] = sql(invitation(p));
  assert.match(words, new RegExp(`Please fill in the evaluation within ${days} days of the course`));

  // Another length of window, in a transaction never committed: the
  // words follow the rule.
  const [[other]] = sql(`BEGIN;
    CREATE OR REPLACE FUNCTION evaluation_window_days() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 9';
    UPDATE bookings SET status = 'attended', attendance_at = now() WHERE id = ${second};
    ${invitation(q)}`);
  assert.match(other, /within 9 days of the course/);
  assert.deepEqual(sql(invitation(q)), [], 'rolled back');
  assert.equal(sql('SELECT evaluation_window_days()')[0][0], '14');
});

test('paper forms: a bad row refuses the file, the cap holds, the same file twice is refused', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  attend(id, 4);

  const template = await as(trainer, `/api/v1/sessions/${id}/evaluations/template.csv`);
  assert.equal(template.status, 200);
  assert.match(template.headers.get('content-type'), /^text\/csv/);
  assert.equal(template.text, csvOf([]));

  const bad = assertError(await upload(trainer, id, csvOf([
    ['5', '4', '4', '5', '5', '3', '7', '4', '8', 'yes', 'yes', '', ''],
    ['6', '4', '', '5', '5', '3', 'ten', '4', '8', 'often', 'yes', '', ''],
    ['5', '4']])), 422, 'invalid');
  assert.deepEqual(bad.rows.map((r) => [r.row, r.field]), [[3, 'rating_content'], [3, 'knowledge_after'],
    [3, 'outcomes_met'], [4, 'row']]);
  assert.equal(sql(`SELECT count(*) FROM evaluations WHERE session_id = ${id}`)[0][0], '0');
  assertError(await upload(trainer, id, 'a,b\r\n1,2\r\n'), 422, 'invalid');

  // UTF-8 with a byte order mark, Yes in capitals, blank cells unanswered.
  const good = '\ufeff' + csvOf([
    ['5', '4', '4', '5', '5', '3', '7', '4', '8', 'Yes', 'yes', 'Share the pathway', 'Très bien, "useful"'],
    ['4', '', '3', '4', '4', '', '', '5', '6', 'partly', 'unsure', '', '']]);
  const ok = await upload(trainer, id, good);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { added: 2 });
  assert.deepEqual(sql(`SELECT source, rating_delivery, outcomes_met, comments, entered_by IS NOT NULL
    FROM evaluations WHERE session_id = ${id} ORDER BY id`), [
    ['paper', '4', 'yes', 'Très bien, "useful"', 't'], ['paper', '', 'partly', '', 't']]);
  assertError(await upload(trainer, id, good), 409, 'duplicate');

  // Four attended places: two more fit, three do not.
  const three = csvOf([['3', '3', '3', '3', '3', '', '', '', '', '', '', '', ''],
    ['4', '4', '4', '4', '4', '', '', '', '', '', '', '', ''], ['5', '5', '5', '5', '5', '', '', '', '', '', '', '', '']]);
  const full = assertError(await upload(trainer, id, three), 422, 'forms_full');
  assert.ok(full.forms);
  // Typed in one at a time (the data-entry page).
  const typed = await as(trainer, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
    body: { forms: [{ rating_overall: 5, improve_safeguarding: 'yes' }] } });
  assert.equal(typed.status, 200, typed.text);
  const typedBad = assertError(await as(trainer, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
    body: { forms: [{ rating_overall: 5 }, { rating_overall: 9, outcomes_met: 'x' }] } }), 422);
  assert.deepEqual(typedBad.rows.map((r) => [r.row, r.field]), [[2, 'rating_overall'], [2, 'outcomes_met']]);
  assert.equal(sql(`SELECT count(*) FROM evaluations WHERE session_id = ${id}`)[0][0], '3');

  // Only the session's trainers and coordinators add forms.
  const lead = await login('lead@demo.example');
  assertError(await upload(lead, id, good), 403);
  const p = await delegate();
  assertError(await upload(p, id, good), 403);
  assertError(await upload(trainer, 999999999, good), 404);
});

test('the summary: every figure as SciPy computes it, of released forms the viewer did not enter; no role exempt', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const reviewer = await login('reviewer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -2 });
  attend(id, 23, 100);
  // 20 forms with ties, zero gains, blanks and a decline.
  const forms = [];
  const choice = (i, list) => (i % 7 === 3 ? '' : list[(i * 5) % list.length]);
  for (let i = 0; i < 20; i++) {
    const kb = 2 + (i * 3) % 6;
    const cb = 3 + (i * 7) % 5;
    forms.push([String(1 + (i * 7) % 5), String(3 + (i % 3)), i % 6 === 0 ? '' : String(2 + (i * 3) % 4),
      String(4 + (i % 2)), String(1 + (i * 11) % 5),
      String(kb), i === 4 ? '' : String(Math.min(10, kb + (i * 5) % 4)),
      String(cb), String(Math.max(1, Math.min(10, cb + ((i * 3) % 5) - 1))),
      choice(i, ['yes', 'partly', 'no']), choice(i, ['yes', 'no', 'unsure']),
      i % 4 === 0 ? `Action ${i}` : '', i % 5 === 0 ? `Comment ${i}` : '']);
  }
  assert.equal((await upload(trainer, id, csvOf(forms))).status, 200);
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['tests/reference/evaluation_summary.py'],
    { input: JSON.stringify({ places: 23, forms }), encoding: 'utf8' }));

  // While the window is open nothing of the answers is shown, to anyone:
  // only how many forms came in.
  for (const who of [trainer, reviewer, coordinator]) {
    const s = await as(who, `/api/v1/sessions/${id}/evaluations/summary`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.suppressed, true);
    assert.equal(s.json.respondents, 0);
    assert.deepEqual(s.json.forms, { online: 0, paper: 20, total: 20, held_back: 20 });
    assert.equal(s.json.completion.k, 20);
    for (const k of ['ratings', 'knowledge', 'confidence', 'comments', 'actions', 'improve_safeguarding']) {
      assert.equal(s.json[k], undefined, k);
    }
  }
  closeWindow(id);
  for (const who of [reviewer, coordinator]) {
    const s = await as(who, `/api/v1/sessions/${id}/evaluations/summary`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.suppressed, false);
    assert.deepEqual(s.json.places, { attended: 23, partial: 0, unscheduled: 0, total: 23 });
    assert.deepEqual(s.json.forms, { online: 0, paper: 20, total: 20, held_back: 0 });
    const close = (got, want, name) => {
      for (const [k, v] of Object.entries(want)) {
        if (typeof v === 'object') close(got[k], v, `${name}.${k}`);
        else assert.ok(Math.abs(got[k] - v) <= 1e-9 * Math.max(1, Math.abs(v)),
          `${name}.${k}: ${got[k]} against SciPy's ${v}`);
      }
    };
    close(s.json, ref, 'summary');
    if (who === reviewer) {
      // Free text is for the session's trainers and coordinators.
      assert.equal(s.json.comments, undefined);
      assert.equal(s.json.actions, undefined);
    } else {
      assert.deepEqual(s.json.comments, ['Comment 0', 'Comment 10', 'Comment 15', 'Comment 5']);
      assert.equal(s.json.actions.length, 5);
    }
  }
  // The trainer typed every one of them in: none counts for them.
  const own = await as(trainer, `/api/v1/sessions/${id}/evaluations/summary`);
  assert.equal(own.json.suppressed, true);
  assert.equal(own.json.respondents, 0);
  assert.equal(own.json.ratings, undefined);

  // Three forms: suppressed for everyone, coordinators too.
  const small = await newSession(coordinator, trainer, { days: -3 });
  attend(small, 6, 200);
  assert.equal((await upload(trainer, small, csvOf(forms.slice(0, 3)))).status, 200);
  closeWindow(small);
  for (const who of [trainer, reviewer, coordinator]) {
    const s = await as(who, `/api/v1/sessions/${small}/evaluations/summary`);
    assert.equal(s.json.suppressed, true);
    for (const k of ['ratings', 'knowledge', 'confidence', 'comments', 'actions', 'improve_safeguarding']) {
      assert.equal(s.json[k], undefined, k);
    }
    assert.equal(s.json.forms.total, 3);
    assert.equal(s.json.completion.k, 3);
  }

  // Others may not read it.
  assertError(await as(await login('lead@demo.example'), `/api/v1/sessions/${id}/evaluations/summary`), 403);
  const other = sql("SELECT p.id FROM people p JOIN account_roles r ON r.person_id = p.id AND r.role = 'trainer' WHERE p.email = 'trainer1@demo.example'")[0][0];
  assert.ok(other);
});

test('coordinators see who has not answered, and export answers without names', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer);
  const a = await delegate();
  const b = await delegate();
  const ba = (await as(a, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  const bb = (await as(b, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  move(id, -0.1);
  await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT',
    body: [{ booking_id: ba, status: 'attended' }, { booking_id: bb, status: 'attended' }] });
  await as(a, `/api/v1/bookings/${ba}/evaluations/same_day`, { method: 'PUT',
    body: { ...RATED, comments: 'Clear, =SUM(A1) and useful' } });

  const out = await as(coordinator, `/api/v1/sessions/${id}/evaluations/outstanding`);
  assert.equal(out.status, 200, out.text);
  const sameDay = out.json.outstanding.filter((o) => o.stage === 'same_day');
  assert.deepEqual(sameDay.map((o) => [o.booking_id, o.status]), [[bb, 'open']]);
  assert.equal(JSON.stringify(out.json).includes('Clear'), false);
  // By stage, then name.
  const stages = out.json.outstanding.map((o) => o.stage);
  assert.deepEqual(stages, [...stages].sort());
  assertError(await as(trainer, `/api/v1/sessions/${id}/evaluations/outstanding`), 403);

  // Across sessions, soonest deadline first: this one has one same-day
  // form open and not sent, closing 14 days after the end.
  const chase = await as(coordinator, '/api/v1/evaluations/outstanding');
  assert.equal(chase.status, 200, chase.text);
  const [[closes]] = sql(`SELECT floor(extract(epoch FROM ends_at + interval '14 days')) FROM sessions WHERE id = ${id}`);
  assert.deepEqual(chase.json.sessions.filter((s) => s.session_id === id)
    .map((s) => [s.stage, s.outstanding, Date.parse(s.closes_at)]), [['same_day', 1, Number(closes) * 1000]]);
  const deadlines = chase.json.sessions.map((s) => Date.parse(s.closes_at));
  assert.deepEqual(deadlines, [...deadlines].sort((x, y) => x - y));
  assertError(await as(trainer, '/api/v1/evaluations/outstanding'), 403);

  // While the window is open the export has the questions, no answers.
  // Free text never stands beside the ratings it came with.
  const header = 'source,rating_content,rating_delivery,rating_venue,rating_trainer,rating_overall,'
    + 'knowledge_before,knowledge_after,confidence_before,confidence_after,outcomes_met,improve_safeguarding';
  let csv = await as(coordinator, `/api/v1/sessions/${id}/evaluations/answers.csv`);
  assert.equal(csv.status, 200);
  assert.deepEqual(csv.text.trim().split('\r\n'), [header]);
  // Five paper forms typed in by the trainer; the window closes: the six
  // forms are one step, exported in the order of the answers.
  attend(id, 4, 300);
  const typed = await as(trainer, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
    body: { forms: Array.from({ length: 5 }, (_, i) => ({ ...RATED, rating_overall: 1 + i })) } });
  assert.equal(typed.status, 200, typed.text);
  closeWindow(id);
  csv = await as(coordinator, `/api/v1/sessions/${id}/evaluations/answers.csv`);
  assert.equal(csv.status, 200);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], header);
  assert.equal(lines.length, 7);
  assert.match(lines[1], /^online,4,4,3,5,4,/);
  assert.doesNotMatch(csv.text, /Clear/);
  assert.deepEqual(lines.slice(2).map((l) => l.split(',')[5]), ['1', '2', '3', '4', '5']);
  const [[name, email]] = sql(`SELECT p.full_name, p.email FROM bookings b JOIN people p ON p.id = b.person_id WHERE b.id = ${ba}`);
  assert.ok(!csv.text.includes(name) && !csv.text.includes(email) && !csv.text.includes(String(ba)));
  assertError(await as(coordinator, `/api/v1/sessions/${id}/evaluations/answers.csv?stage=lunch`), 422);
  assertError(await as(trainer, `/api/v1/sessions/${id}/evaluations/answers.csv`), 403);
});

test('walk-ins: a past session is scheduled, unscheduled attendees join its register and its figures', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG2-PRV'");
  const start = Date.now() - 2 * DAY;
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Guildhall', capacity: 20, starts_at: iso(start),
    ends_at: iso(start + 5400e3), trainer_ids: [trainer.account.person_id] } });
  assert.equal(s.status, 201, s.text);
  const path = `/api/v1/sessions/${s.json.id}/attendees`;
  const [[agency]] = sql("SELECT min(id) FROM agencies WHERE sector = 'police'");

  const bad = assertError(await as(trainer, path, { method: 'POST',
    body: { email: 'not-an-address', full_name: '', agency_id: 0, group_level: 5 } }), 422, 'invalid');
  assert.deepEqual(Object.keys(bad).sort(), ['agency_id', 'email', 'full_name', 'group_level']);
  const unknown = assertError(await as(trainer, path, { method: 'POST',
    body: { email: 'walk.in.x@example.org', full_name: 'W', agency_id: 999999999, group_level: 'G9' } }), 422);
  assert.deepEqual(Object.keys(unknown).sort(), ['agency_id', 'group_level']);

  const email = `walk.in.${process.pid}@example.org`;
  const w = await as(trainer, path, { method: 'POST',
    body: { email, full_name: 'Wally Walkin', agency_id: Number(agency), group_level: 'G2' } });
  assert.equal(w.status, 201, w.text);
  assert.deepEqual(sql(`SELECT b.status, b.walk_in, p.full_name, (SELECT count(*) FROM accounts a WHERE a.person_id = p.id),
      (SELECT count(*) FROM training_records t WHERE t.booking_id = b.id)
    FROM bookings b JOIN people p ON p.id = b.person_id WHERE b.id = ${w.json.booking_id}`),
  [['attended', 't', 'Wally Walkin', '0', '1']]);
  assertError(await as(trainer, path, { method: 'POST',
    body: { email: email.toUpperCase(), full_name: 'Wally Walkin', agency_id: Number(agency), group_level: 'G2' } }), 409, 'on_register');
  // Someone the portal knows is found by e-mail.
  const known = await as(coordinator, path, { method: 'POST',
    body: { email: 'practitioner@demo.example', full_name: 'Pat', agency_id: Number(agency), group_level: 'G3' } });
  assert.equal(known.status, 201, known.text);
  assert.equal(sql(`SELECT p.email FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE b.id = ${known.json.booking_id}`)[0][0], 'practitioner@demo.example');

  const summary = await as(coordinator, `/api/v1/sessions/${s.json.id}/evaluations/summary`);
  assert.deepEqual(summary.json.places, { attended: 2, partial: 0, unscheduled: 2, total: 2 });

  // Not before the start, and only the session's trainers and coordinators.
  const future = await newSession(coordinator, trainer);
  assertError(await as(trainer, `/api/v1/sessions/${future}/attendees`, { method: 'POST',
    body: { email, full_name: 'Wally Walkin', agency_id: Number(agency), group_level: 'G2' } }), 422, 'not_started');
  assertError(await as(await login('lead@demo.example'), path, { method: 'POST',
    body: { email, full_name: 'W', agency_id: Number(agency), group_level: 'G2' } }), 403);
});

test('batches: coordinators type in paper forms, see who entered each batch, and void one: its forms leave every figure', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const reviewer = await login('reviewer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -2 });
  attend(id, 12, 400);
  // The board's administrator types up six; the trainer uploads five.
  const typed = await as(coordinator, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
    body: { forms: Array.from({ length: 6 }, () => ({ ...RATED, rating_overall: 5 })) } });
  assert.equal(typed.status, 200, typed.text);
  assert.equal((await upload(trainer, id, csvOf(Array.from({ length: 5 }, () =>
    ['4', '4', '3', '5', '1', '', '', '', '', '', '', '', ''])))).status, 200);
  const list = await as(coordinator, `/api/v1/sessions/${id}/evaluations/batches`);
  assert.equal(list.status, 200, list.text);
  const [[coordName]] = sql("SELECT full_name FROM people WHERE email = 'coordinator@demo.example'");
  const [[trainerName]] = sql("SELECT full_name FROM people WHERE email = 'trainer@demo.example'");
  assert.deepEqual(list.json.batches.map((b) => [b.kind, b.forms, b.entered_by, b.voided]),
    [['file', 5, trainerName, false], ['typed', 6, coordName, false]]);
  assertError(await as(trainer, `/api/v1/sessions/${id}/evaluations/batches`), 403);

  closeWindow(id);
  const summary = async (who) => (await as(who, `/api/v1/sessions/${id}/evaluations/summary`)).json;
  let s = await summary(reviewer);
  assert.equal(s.respondents, 11);
  assert.ok(Math.abs(s.ratings.overall.mean - 35 / 11) < 1e-9);
  // Five of the step's forms are not the coordinator's own: shown to them.
  assert.equal((await summary(coordinator)).respondents, 11);

  // The session's course and day in the evaluation report, before.
  const [[course, day]] = sql(`SELECT course_id, (starts_at AT TIME ZONE 'Europe/London')::date
                                 FROM sessions WHERE id = ${id}`);
  const report = async () => {
    const res = await as(reviewer, `/api/v1/reports/evaluation?course_id=${course}&from=${day}&to=${day}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const before = await report();
  const file = list.json.batches[0].id;
  const voidIt = (who, body) => as(who, `/api/v1/evaluation-batches/${file}/void`, { method: 'POST', body });
  assertError(await voidIt(trainer, { reason: 'Made up' }), 403);
  const bad = assertError(await voidIt(coordinator, { reason: '   ' }), 422);
  assert.ok(bad.reason);
  assert.equal((await voidIt(coordinator, { reason: 'The forms were made up.' })).status, 200);
  assertError(await voidIt(coordinator, { reason: 'Again' }), 409);
  assertError(await as(coordinator, '/api/v1/evaluation-batches/99999999/void', { method: 'POST',
    body: { reason: 'No such batch' } }), 404);
  assert.deepEqual(sql(`SELECT count(*) FROM audit_log WHERE action = 'evaluation_batch.voided'
                         AND target_id = ${file}`), [['1']]);

  // The voided forms leave every figure: the summary, completion, reports.
  s = await summary(reviewer);
  assert.equal(s.respondents, 6);
  assert.equal(s.forms.total, 6);
  assert.equal(s.ratings.overall.mean, 5);
  // The coordinator typed every form left: none counts for them.
  assert.equal((await summary(coordinator)).suppressed, true);
  const r = await report();
  assert.equal(r.same_day.respondents, before.same_day.respondents - 5);
  assert.equal(r.completion.same_day.k, before.completion.same_day.k - 5);
});

// The database's copy of the same-day close (the disclosure control and
// the invitation use it) is the portal's rule, 14 days after the end at
// London's clock, whatever the time zone of the connection: across both
// clock changes, on a server kept in UTC too.
test('the database closes the same-day window 14 days after the end, London clock time, in any time zone', async () => {
  const db = pgClient();
  await db.connect();
  try {
    for (const zone of ['Europe/London', 'UTC', 'America/New_York']) {
      for (const [ends, closes] of [
        ['2026-03-20 10:00', '2026-04-03T09:00:00Z'], // GMT, closes in summer time
        ['2026-10-20 10:00', '2026-11-03T10:00:00Z'], // summer time, closes in GMT
        ['2026-06-01 23:30', '2026-06-15T22:30:00Z']]) {
        await db.query('BEGIN');
        try {
          await db.query(`SET LOCAL TIME ZONE '${zone}'`);
          const { rows: [{ id }] } = await db.query(`INSERT INTO sessions (course_id, starts_at, ends_at,
              venue, capacity, booking_opens_at, booking_closes_at)
            VALUES ((SELECT min(id) FROM courses), ($1::timestamp - interval '2 hours') AT TIME ZONE 'Europe/London',
              $1::timestamp AT TIME ZONE 'Europe/London', 'Online', 10, '2026-01-01', '2026-01-02') RETURNING id`, [ends]);
          const { rows: [r] } = await db.query('SELECT evaluation_window_closes($1) AS closes', [id]);
          assert.equal(r.closes.toISOString(), closes.replace('Z', '.000Z'), `${zone}: ${ends}`);
        } finally {
          await db.query('ROLLBACK');
        }
      }
    }
  } finally {
    await db.end();
  }
});
