// Calendar invitations of bookings, read back by a real parser (Python's
// icalendar, tests/reference/ical_check.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { sql, assertError, login, as, register } from './http.mjs';

function parse(ics) {
  const dir = mkdtempSync('/tmp/portal-ics.');
  try {
    writeFileSync(`${dir}/b.ics`, ics);
    return JSON.parse(execFileSync('/usr/bin/python3', ['tests/reference/ical_check.py', `${dir}/b.ics`],
      { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a booking has an RFC 5545 invitation; cancelling it sends a CANCEL with a higher SEQUENCE', async () => {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-FGM'");
  // A summer session: 09:30 London is 08:30 UTC.
  const year = new Date().getUTCFullYear() + 2;
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), starts_at: `${year}-07-14T09:30`, ends_at: `${year}-07-14T13:00`,
    venue: 'Guildhall, City of London; Basinghall Street', capacity: 10 } });
  assert.equal(s.status, 201, s.text);
  const { body } = await register({ full_name: 'Zoë Ünal-Smith' });
  const p = await login(body.email, body.password);
  const b = await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' });
  const res = await as(p, `/api/v1/bookings/${b.json.id}/calendar.ics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/calendar; charset=utf-8; method=REQUEST/);
  assert.ok(res.text.split('\r\n').slice(0, -1).every((l) => Buffer.byteLength(l) <= 75));
  assert.ok(!/[^\r]\n/.test(res.text), 'CRLF only');
  const ev = parse(res.text);
  assert.equal(ev.method, 'REQUEST');
  assert.equal(ev.version, '2.0');
  assert.deepEqual(ev.timezones, ['Europe/London']);
  assert.equal(ev.uid, `booking-${b.json.id}@safeguarding-training-portal`);
  assert.equal(ev.sequence, 0);
  assert.equal(ev.status, 'CONFIRMED');
  assert.equal(ev.summary, 'Female genital mutilation');
  assert.equal(ev.location, 'Guildhall, City of London; Basinghall Street');
  assert.equal(new Date(ev.dtstart).toISOString(), `${year}-07-14T08:30:00.000Z`);
  assert.equal(new Date(ev.dtend).toISOString(), `${year}-07-14T12:00:00.000Z`);
  assert.match(ev.attendee, new RegExp(`mailto:${body.email}`, 'i'));

  await as(p, `/api/v1/bookings/${b.json.id}`, { method: 'DELETE' });
  const after = await as(p, `/api/v1/bookings/${b.json.id}/calendar.ics`);
  assert.match(after.headers.get('content-type'), /method=CANCEL/);
  const cancelled = parse(after.text);
  assert.equal(cancelled.method, 'CANCEL');
  assert.equal(cancelled.status, 'CANCELLED');
  assert.equal(cancelled.uid, ev.uid);
  assert.ok(cancelled.sequence > ev.sequence);

  const other = await login('practitioner@demo.example');
  assertError(await as(other, `/api/v1/bookings/${b.json.id}/calendar.ics`), 404);
  assert.equal((await as(coordinator, `/api/v1/bookings/${b.json.id}/calendar.ics`)).status, 200);
});

test('a waitlist place has no calendar entry until it is confirmed', async () => {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-FGM'");
  const year = new Date().getUTCFullYear() + 2;
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), starts_at: `${year}-08-14T09:30`, ends_at: `${year}-08-14T13:00`,
    venue: 'Hackney Service Centre', capacity: 1 } });
  assert.equal(s.status, 201, s.text);
  const first = await login((await register()).body.email, 'lantern orchard tuesday');
  const second = await login((await register()).body.email, 'lantern orchard tuesday');
  const held = await as(first, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' });
  const waiting = await as(second, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' });
  assert.equal(waiting.json.status, 'waitlisted');
  assertError(await as(second, `/api/v1/bookings/${waiting.json.id}/calendar.ics`), 409, 'waitlisted');
  const mine = await as(second, '/api/v1/me/bookings');
  assert.equal(mine.json.bookings.find((b) => b.id === waiting.json.id).calendar, null);
  // Once promoted, the place has its invitation, and it is confirmed.
  assert.equal((await as(first, `/api/v1/bookings/${held.json.id}`, { method: 'DELETE' })).status, 200);
  const res = await as(second, `/api/v1/bookings/${waiting.json.id}/calendar.ics`);
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, /STATUS:CONFIRMED/);
});
