// The trainer's register: sign-in sheet and attendance, which makes
// training records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError, login, as, register } from './http.mjs';

test('a trainer takes the register from the start; attendance makes training records', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG2-PRV'");
  const soon = new Date(Date.now() + 3 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const end = new Date(Date.now() + 3 * 86400e3 + 5400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), starts_at: soon, ends_at: end, venue: 'Hackney <Centre> & "Hall"',
    capacity: 5, trainer_ids: [trainer.account.person_id] } });
  assert.equal(s.status, 201, s.text);
  const people = [];
  const bookings = [];
  for (let i = 0; i < 3; i++) {
    const { body } = await register({ full_name: i === 0 ? '=Formula Person' : `Delegate ${i}` });
    const p = await login(body.email, body.password);
    people.push(p);
    bookings.push((await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' })).json.id);
  }
  const path = `/api/v1/sessions/${s.json.id}`;
  // Before the start, no register.
  assertError(await as(trainer, `${path}/attendance`, { method: 'PUT', body: [] }), 422, 'not_started');
  const sheet = await as(trainer, `${path}/register`);
  assert.equal(sheet.status, 200);
  assert.equal(sheet.json.register.length, 3);
  const csv = await as(trainer, `${path}/register?format=csv`);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.ok(csv.text.startsWith('name,agency,job_title,status,signature\r\n'));
  assert.match(csv.text, /"'=Formula Person"/);
  const html = await as(trainer, `${path}/register?format=html`);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.text, /Hackney &lt;Centre&gt; &amp; &quot;Hall&quot;/);
  assert.doesNotMatch(html.text, /<Centre>/);

  // Others may not.
  const outsider = await login('lead@demo.example');
  assertError(await as(outsider, `${path}/register`), 403);
  assertError(await as(people[0], `${path}/register`), 403);

  sql(`UPDATE sessions SET starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour',
    booking_opens_at = now() - interval '2 days', booking_closes_at = now() WHERE id = ${s.json.id}`);
  const bad = await as(trainer, `${path}/attendance`, { method: 'PUT', body: [
    { booking_id: bookings[0], status: 'attended' }, { booking_id: 999999999, status: 'attended' },
    { booking_id: bookings[1], status: 'asleep' }] });
  assert.equal(assertError(bad, 422).entries.length, 2);
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${s.json.id} AND status = 'attended'`)[0][0], '0');

  const ok = await as(trainer, `${path}/attendance`, { method: 'PUT', body: [
    { booking_id: bookings[0], status: 'attended' }, { booking_id: bookings[1], status: 'partial' },
    { booking_id: bookings[2], status: 'no_show' }] });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.register.map((r) => r.status).sort(), ['attended', 'no_show', 'partial']);
  const records = sql(`SELECT booking_id FROM training_records WHERE booking_id IN (${bookings.join(',')}) ORDER BY booking_id`);
  assert.deepEqual(records.map((r) => Number(r[0])), bookings.slice(0, 2));
  // Corrected: the partial attendee did not come after all.
  await as(trainer, `${path}/attendance`, { method: 'PUT', body: [{ booking_id: bookings[1], status: 'no_show' }] });
  assert.equal(sql(`SELECT count(*) FROM training_records WHERE booking_id = ${bookings[1]}`)[0][0], '0');
  // A coordinator may keep any register.
  assert.equal((await as(coordinator, `${path}/register`)).status, 200);
  assertError(await as(trainer, '/api/v1/sessions/999999999/register'), 404);
});
