// Mail links go straight to the thing to do: the invitation before the
// course (written by the database with the booking), the same-day
// invitation (with the register's mark), the same-day reminder and the
// three-month follow-up (written by the mail sender's loop) each link to
// the evaluation form of that booking, never "your account page".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, login, as, register } from './http.mjs';
import { startSink, sendMailOnce } from './smtp.mjs';
import { newSession, move } from './sessions.mjs';

let sink;
before(async () => { sink = await startSink(); });
after(() => sink?.stop());

const bodies = (email, subject) => sql(`SELECT body_text FROM email_outbox WHERE to_address = '${email}'
  AND subject LIKE '${subject}%' ORDER BY id`).map((r) => r[0]);
const link = (booking, stage) => new RegExp(`https?://\\S+/evaluation\\?booking=${booking}&stage=${stage}\\n`);

test('evaluation invitations, reminders and follow-ups link to the form itself', async () => {
  sendMailOnce(sink.port);
  sql("UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'");
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const booked = async (days) => {
    const id = await newSession(coordinator, trainer, { code: 'SG3-DA' });
    const { body } = await register();
    const p = await login(body.email, body.password);
    const booking = (await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
    move(id, -0.1);
    const r = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT',
      body: [{ booking_id: booking, status: 'attended' }] });
    assert.equal(r.status, 200, r.text);
    move(id, days);
    sql(`UPDATE bookings SET attendance_at = now() + interval '${days} days 3 hours' WHERE id = ${booking}`);
    return { booking, email: body.email };
  };
  const recent = await booked(-4);
  const due = await booked(-91);

  const [before] = bodies(recent.email, 'Before your course');
  assert.match(before, link(recent.booking, 'before'));
  const [sameDay] = bodies(recent.email, 'Your evaluation');
  assert.match(sameDay, link(recent.booking, 'same_day'));
  assert.doesNotMatch(before + sameDay, /account page/);
  // Dates as the pages write them: no leading zero.
  assert.doesNotMatch(before + sameDay, /day 0\d /);

  sendMailOnce(sink.port);
  const [reminder] = bodies(recent.email, 'Reminder: your evaluation');
  assert.match(reminder, link(recent.booking, 'same_day'));
  const [followup] = bodies(due.email, 'Three months on');
  assert.match(followup, link(due.booking, 'followup'));
  assert.doesNotMatch(reminder + followup, /account page/);
});
