// The audit rows operations write of their own (app/db_audit.c): who
// did what to which thing, with a detail that says what changed and
// never what a person wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, login, as } from './http.mjs';
import { newSession } from './sessions.mjs';

// The newest audit row of `action` about `type` `id`.
function audit(action, type, id) {
  const rows = sql(`SELECT actor_person_id, coalesce(detail::text, '') FROM audit_log
                     WHERE action = '${action}' AND target_type = '${type}' AND target_id = ${id}
                     ORDER BY id DESC LIMIT 1`);
  assert.equal(rows.length, 1, `no ${action} row for ${type} ${id}`);
  const [[actor, detail]] = rows;
  return { actor: Number(actor), detail: detail === '' ? null : JSON.parse(detail) };
}

const [[AGENCY]] = sql("SELECT min(id) FROM agencies WHERE sector = 'police'");
const walkIn = (email) => ({ method: 'POST', body: { email, full_name: 'Audrey Audit',
  agency_id: Number(AGENCY), group_level: 'G2' } });

test('a course, a session changed and cancelled: each audited with its actor and detail', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const me = coordinator.account.person_id;

  const course = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code: `AUD-${process.pid % 100000}`, title: 'Audited course', format: 'seminar',
    duration_minutes: 90, group_levels: ['G3'], published: false } });
  assert.equal(course.status, 201, course.text);
  assert.deepEqual(audit('course.create', 'course', course.json.id), { actor: me, detail: null });

  const id = await newSession(coordinator, trainer, { days: 20 });
  const bigger = await as(coordinator, `/api/v1/sessions/${id}`, { method: 'PATCH', body: { capacity: 40 } });
  assert.equal(bigger.status, 200, bigger.text);
  assert.deepEqual(audit('session.update', 'session', id), { actor: me, detail: {} });
  // A new place (or time) sends everyone an updated invitation.
  const moved = await as(coordinator, `/api/v1/sessions/${id}`, { method: 'PATCH', body: { venue: 'Online' } });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual(audit('session.update', 'session', id), { actor: me, detail: { rescheduled: true } });

  const reason = 'The trainer is ill; we will run it again in the spring.';
  const cancel = await as(coordinator, `/api/v1/sessions/${id}/cancel`, { method: 'POST', body: { reason } });
  assert.equal(cancel.status, 200, cancel.text);
  assert.deepEqual(audit('session.cancel', 'session', id), { actor: me, detail: { reason, bookings: 0 } });
});

test('walk-ins and the register: audited with who added them and how many were marked', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  const path = `/api/v1/sessions/${id}/attendees`;

  const byTrainer = await as(trainer, path, walkIn(`audit.t.${process.pid}@example.org`));
  assert.equal(byTrainer.status, 201, byTrainer.text);
  assert.deepEqual(audit('booking.walk_in', 'booking', byTrainer.json.booking_id),
    { actor: trainer.account.person_id, detail: { by_trainer: true } });
  const byCoordinator = await as(coordinator, path, walkIn(`audit.c.${process.pid}@example.org`));
  assert.equal(byCoordinator.status, 201, byCoordinator.text);
  assert.deepEqual(audit('booking.walk_in', 'booking', byCoordinator.json.booking_id),
    { actor: coordinator.account.person_id, detail: { by_trainer: false } });

  const marked = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT', body: [
    { booking_id: byTrainer.json.booking_id, status: 'attended' },
    { booking_id: byCoordinator.json.booking_id, status: 'no_show' }] });
  assert.equal(marked.status, 200, marked.text);
  assert.deepEqual(audit('session.attendance', 'session', id),
    { actor: trainer.account.person_id, detail: { marked: 2 } });
});
