// The evaluations' scheduled work in the mail sender's loop: reminders
// of the same-day form, follow-ups falling due, the line manager's
// single-use link (hashed, out of the outbox once sent), never twice even
// from two processes at once; the manager answers through the link; the
// release of same-day forms at their window's close; the follow-up's days
// as set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError, login, as, register, request } from './http.mjs';
import { startSink, sendMailOnce, sendMailTwiceAtOnce } from './smtp.mjs';
import { newSession, move, attend, RATED } from './sessions.mjs';

let sink;
before(async () => { sink = await startSink(); });
after(() => sink?.stop());

// A POST without a session.
function post(path, body) {
  return request(path, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function attendee(coordinator, trainer, days) {
  const id = await newSession(coordinator, trainer);
  const { body } = await register({ manager_email: `line.manager.${process.pid}.${days}@example.org` });
  const p = await login(body.email, body.password);
  const booking = (await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  move(id, -0.1);
  const r = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT', body: [{ booking_id: booking, status: 'attended' }] });
  assert.equal(r.status, 200, r.text);
  move(id, days);
  sql(`UPDATE bookings SET attendance_at = now() + interval '${days} days 3 hours' WHERE id = ${booking}`);
  return { id, booking, p, email: body.email };
}

test('reminders, follow-ups and managers\' links go once, even from two senders at once', async () => {
  // What the demo data and earlier tests left (the coverage reminders the
  // loop queues for the demo's staff, thousands of them) counts as sent:
  // the sender delivers in batches, and this test's mail must not wait
  // behind that backlog.
  sendMailOnce(sink.port);
  sql("UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'");
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const recent = await attendee(coordinator, trainer, -4);
  const due = await attendee(coordinator, trainer, -91);
  // Answered already: no reminder.
  const answered = await attendee(coordinator, trainer, -4);
  assert.equal((await as(answered.p, `/api/v1/bookings/${answered.booking}/evaluations/same_day`,
    { method: 'PUT', body: RATED })).status, 201);

  await sendMailTwiceAtOnce(sink.port);
  sendMailOnce(sink.port);
  const kinds = (b) => sql(`SELECT kind FROM evaluation_notices WHERE booking_id = ${b} ORDER BY kind`).map((r) => r[0]);
  assert.deepEqual(kinds(recent.booking), ['before', 'same_day', 'same_day_3']);
  assert.deepEqual(kinds(answered.booking), ['before', 'same_day']);
  assert.deepEqual(kinds(due.booking), ['before', 'followup', 'manager', 'same_day']);

  const mails = sink.mailbox();
  const to = (addr, subject) => mails.filter((m) => m.includes(`To: ${addr}`) && subject.test(m));
  assert.equal(to(recent.email, /Subject: Reminder: your evaluation of/).length, 1);
  assert.equal(to(answered.email, /Subject: Reminder/).length, 0);
  assert.equal(to(due.email, /Subject: Three months on: /).length, 1);
  const manager = `line.manager.${process.pid}.-91@example.org`;
  const links = to(manager, /Subject: Has training changed/);
  assert.equal(links.length, 1);
  const token = links[0].replace(/=\r?\n/g, '').match(/\/manager-review#([A-Za-z0-9_-]{43})/)[1];

  // Stored hashed; the link left the outbox's body once sent.
  assert.deepEqual(sql(`SELECT encode(token_hash, 'hex') <> '${token}', expires_at > now() + interval '29 days'
    FROM manager_reviews WHERE booking_id = ${due.booking}`), [['t', 't']]);
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE body_text LIKE '%${token}%'`)[0][0], '0');
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${manager}' AND status = 'sent' AND erase_body_once_sent`)[0][0], '1');
  // The follow-up row fell due PORTAL_FOLLOWUP_DAYS after the session
  // ended, counted from its last day in London (run after 21:00, the
  // three-hour session ends on the day after the one it started).
  assert.deepEqual(sql(`SELECT due_on = (SELECT (ends_at AT TIME ZONE 'Europe/London')::date + 90 FROM sessions
    WHERE id = ${due.id}), asked_at IS NOT NULL FROM followups WHERE booking_id = ${due.booking}`), [['t', 't']]);

  // The manager answers through the link, once.
  const look = await post('/api/v1/manager-reviews/lookup', { token });
  assert.equal(look.status, 200, look.text);
  assert.deepEqual(Object.keys(look.json).sort(), ['course_title', 'full_name', 'starts_at']);
  assert.equal(look.json.course_title, 'Domestic abuse and its impact on children');
  const bad = assertError(await post('/api/v1/manager-reviews', { token, changed_practice: 'maybe', evidence: 5 }), 422);
  assert.deepEqual(Object.keys(bad).sort(), ['changed_practice', 'evidence']);
  const ok = await post('/api/v1/manager-reviews', { token, changed_practice: 'yes', evidence: 'Seen in supervision.' });
  assert.equal(ok.status, 201, ok.text);
  assertError(await post('/api/v1/manager-reviews', { token, changed_practice: 'no' }), 410, 'gone');
  assertError(await post('/api/v1/manager-reviews/lookup', { token }), 410, 'gone');
  assertError(await post('/api/v1/manager-reviews/lookup', { token: 'x'.repeat(43) }), 404);
  assertError(await post('/api/v1/manager-reviews/lookup', { token: 'nonsense' }), 404);
  assertError(await post('/api/v1/manager-reviews/lookup', {}), 422);
  assert.deepEqual(sql(`SELECT changed_practice, evidence FROM manager_reviews WHERE booking_id = ${due.booking}`),
    [['yes', 'Seen in supervision.']]);

  // An expired link is gone too.
  sql(`UPDATE manager_reviews SET answered_at = NULL, changed_practice = NULL, evidence = NULL,
       expires_at = now() - interval '1 minute' WHERE booking_id = ${due.booking}`);
  assertError(await post('/api/v1/manager-reviews', { token, changed_practice: 'no' }), 410);
  // The token never reached the server's log.
  if (process.env.PORTAL_TEST_KORE_LOG) {
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(process.env.PORTAL_TEST_KORE_LOG, 'utf8').includes(token), false);
  }
});

test('same-day forms are released when their window closes, not a minute before', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const closed = await newSession(coordinator, trainer, { days: -1 });
  const open = await newSession(coordinator, trainer, { days: -1 });
  for (const id of [closed, open]) {
    attend(id, 5);
    const typed = await as(trainer, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
      body: { forms: Array.from({ length: 5 }, () => ({ ...RATED })) } });
    assert.equal(typed.status, 200, typed.text);
  }
  // The window closes 14 days after the end: a minute ago, in a minute
  // (move() puts the end 3 hours after the start).
  move(closed, -(14 + 3 / 24 + 1 / 1440));
  move(open, -(14 + 3 / 24 - 1 / 1440));
  sendMailOnce(sink.port);
  const released = (id) => sql(`SELECT count(step) FROM evaluations WHERE session_id = ${id}`)[0][0];
  assert.equal(released(closed), '5');
  assert.equal(released(open), '0');
});

test('follow-ups fall due PORTAL_FOLLOWUP_DAYS after the session\'s last day in London', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  // 31 days ago with 30 days set: due yesterday or today, open; 45 days
  // ago with 10 days set: closed (its 30 days have passed), no row.
  const due = await attendee(coordinator, trainer, -31);
  const gone = await attendee(coordinator, trainer, -45);
  sendMailOnce(sink.port, { PORTAL_FOLLOWUP_DAYS: '30' });
  assert.deepEqual(sql(`SELECT f.due_on = (s.ends_at AT TIME ZONE 'Europe/London')::date + 30, f.asked_at IS NOT NULL
    FROM followups f JOIN bookings b ON b.id = f.booking_id JOIN sessions s ON s.id = b.session_id
   WHERE f.booking_id = ${due.booking}`), [['t', 't']]);
  sql(`DELETE FROM followups WHERE booking_id = ${gone.booking}`);
  sendMailOnce(sink.port, { PORTAL_FOLLOWUP_DAYS: '10' });
  assert.equal(sql(`SELECT count(*) FROM followups WHERE booking_id = ${gone.booking}`)[0][0], '0');
});
