// Walk-ins that cannot be made up: a trainer adds them only while the
// register is open (from the start to 7 days after the end), a
// coordinator at any time; the answer is the same for an address the
// portal knows and one it does not, and names nobody; each walk-in is
// mailed; the walk-ins trainers added wait for a coordinator to confirm
// or remove them, and removal undoes the attendance, its training record
// and its evaluation invitation in one go, audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError, login, as } from './http.mjs';
import { newSession, move, RATED } from './sessions.mjs';

const [[AGENCY]] = sql("SELECT min(id) FROM agencies WHERE sector = 'police'");
const walkIn = (email, name = 'Wendy Walkin') => ({ method: 'POST',
  body: { email, full_name: name, agency_id: Number(AGENCY), group_level: 'G2' } });
let serial = 0;
const fresh = () => `walk.in.${process.pid}.${++serial}@example.org`;

test('a trainer adds walk-ins only while the register is open; a coordinator at any time', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const open = await newSession(coordinator, trainer, { days: -7 });
  // Ends 6 days 21 hours ago: open for three more hours.
  assert.equal((await as(trainer, `/api/v1/sessions/${open}/attendees`, walkIn(fresh()))).status, 201);

  const closed = await newSession(coordinator, trainer, { days: -8 });
  // Ended 7 days 21 hours ago: closed to the trainer.
  assertError(await as(trainer, `/api/v1/sessions/${closed}/attendees`, walkIn(fresh())), 422, 'register_closed');
  move(closed, -400);
  assertError(await as(trainer, `/api/v1/sessions/${closed}/attendees`, walkIn(fresh())), 422, 'register_closed');
  // The board's coordinators keep adding past attendance.
  const old = await as(coordinator, `/api/v1/sessions/${closed}/attendees`, walkIn(fresh()));
  assert.equal(old.status, 201, old.text);
  assert.equal(old.json.review, 'confirmed');
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${closed}`)[0][0], '1');

  // Nobody before the start.
  const future = await newSession(coordinator, trainer, { days: 3 });
  assertError(await as(trainer, `/api/v1/sessions/${future}/attendees`, walkIn(fresh())), 422, 'not_started');
  assertError(await as(coordinator, `/api/v1/sessions/${future}/attendees`, walkIn(fresh())), 422, 'not_started');
});

test('the answer is the same for a known and a new address, and the register shows what was typed', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  const path = `/api/v1/sessions/${id}/attendees`;
  const [[leadId, leadName]] = sql("SELECT id, full_name FROM people WHERE email = 'lead@demo.example'");
  const known = await as(trainer, path, walkIn('Lead@Demo.Example', 'Someone Typed'));
  const unknown = await as(trainer, path, walkIn(fresh(), 'Someone Else'));
  assert.equal(known.status, 201, known.text);
  assert.equal(unknown.status, 201, unknown.text);
  const shape = (r) => Object.keys(r.json).sort();
  assert.deepEqual(shape(known), ['booking_id', 'review', 'status']);
  assert.deepEqual(shape(known), shape(unknown));
  assert.deepEqual({ ...known.json, booking_id: 0 }, { ...unknown.json, booking_id: 0 });
  assert.equal(known.json.review, 'pending');
  assert.ok(!known.text.includes('person'));
  // The known person is the one recorded...
  assert.equal(sql(`SELECT person_id FROM bookings WHERE id = ${known.json.booking_id}`)[0][0], leadId);
  // ... but the trainer's register shows the name and agency as typed,
  // never the record the address found.
  const reg = await as(trainer, `/api/v1/sessions/${id}/register`);
  assert.equal(reg.status, 200);
  const row = reg.json.register.find((r) => r.booking_id === known.json.booking_id);
  assert.equal(row.full_name, 'Someone Typed');
  assert.equal(row.person_id, null);
  assert.equal(row.job_title, null);
  assert.equal(row.walk_in, true);
  assert.ok(!reg.text.includes(leadName) && !reg.text.includes(`"person_id":${leadId}`));
});

test('each walk-in is mailed; coordinators confirm or remove those trainers added', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const lead = await login('lead@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  const path = `/api/v1/sessions/${id}/attendees`;
  const newAddress = fresh();
  const a = await as(trainer, path, walkIn('lead@demo.example', 'Lee Lead'));
  const b = await as(trainer, path, walkIn(newAddress, 'Nia New'));
  const c = await as(coordinator, path, walkIn(fresh(), 'Cora Coordinated'));
  for (const r of [a, b, c]) assert.equal(r.status, 201, r.text);

  // The person hears of it, known or new.
  for (const to of ['lead@demo.example', newAddress]) {
    const [[subject, body]] = sql(`SELECT subject, body_text FROM email_outbox WHERE to_address = '${to}'
      AND subject LIKE 'You were recorded as attending%' ORDER BY id DESC LIMIT 1`);
    assert.match(subject, /Domestic abuse/);
    assert.match(body, /Not you, or you were not there\? Please tell the Safeguarding Children Board/);
    assert.match(body, /\/contact/);
  }

  // Listed for coordinators: the trainer's two, not the coordinator's own.
  assertError(await as(trainer, '/api/v1/walk-ins'), 403);
  let list = await as(coordinator, '/api/v1/walk-ins?limit=1000');
  assert.equal(list.status, 200, list.text);
  const mine = list.json.walk_ins.filter((w) => w.session_id === id);
  assert.deepEqual(mine.map((w) => [w.booking_id, w.status]).sort(),
    [[a.json.booking_id, 'pending'], [b.json.booking_id, 'pending']].sort());
  const la = mine.find((w) => w.booking_id === a.json.booking_id);
  assert.equal(la.email, 'lead@demo.example');
  assert.equal(la.entered_name, 'Lee Lead');
  assert.equal(la.added_by, trainer.account.full_name ?? la.added_by);
  assertError(await as(coordinator, '/api/v1/walk-ins?status=maybe&limit=0'), 422, 'invalid');

  // Confirmed once.
  assert.equal((await as(coordinator, `/api/v1/walk-ins/${b.json.booking_id}/confirm`, { method: 'POST' })).status, 204);
  assertError(await as(coordinator, `/api/v1/walk-ins/${b.json.booking_id}/confirm`, { method: 'POST' }), 409, 'confirmed');
  assertError(await as(trainer, `/api/v1/walk-ins/${a.json.booking_id}/confirm`, { method: 'POST' }), 403);
  list = await as(coordinator, '/api/v1/walk-ins?limit=1000');
  assert.deepEqual(list.json.walk_ins.filter((w) => w.session_id === id).map((w) => w.booking_id), [a.json.booking_id]);
  const all = await as(coordinator, '/api/v1/walk-ins?status=all&limit=1000');
  assert.equal(all.json.walk_ins.find((w) => w.booking_id === b.json.booking_id).status, 'confirmed');

  // The lead answers the same-day form of the made-up attendance.
  const put = await as(lead, `/api/v1/bookings/${a.json.booking_id}/evaluations/same_day`, { method: 'PUT', body: RATED });
  assert.equal(put.status, 201, put.text);
  const bid = a.json.booking_id;
  const [[noticeAt]] = sql(`SELECT created_at FROM evaluation_notices WHERE booking_id = ${bid} AND kind = 'same_day'`);
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE to_address = 'lead@demo.example'
    AND created_at = '${noticeAt}' AND subject LIKE 'Your evaluation:%' AND status = 'pending'`)[0][0], '1');
  assert.equal(sql(`SELECT count(*) FROM training_records WHERE booking_id = ${bid}`)[0][0], '1');

  // Removed: the attendance, its training record, the form and the
  // invitation go, in one transaction; the audit log keeps who did it.
  assertError(await as(trainer, `/api/v1/walk-ins/${bid}`, { method: 'DELETE' }), 403);
  const del = await as(coordinator, `/api/v1/walk-ins/${bid}`, { method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  assert.deepEqual(sql(`SELECT (SELECT count(*) FROM bookings WHERE id = ${bid}),
      (SELECT count(*) FROM training_records WHERE booking_id = ${bid}),
      (SELECT count(*) FROM evaluations WHERE booking_id = ${bid}),
      (SELECT count(*) FROM evaluation_notices WHERE booking_id = ${bid}),
      (SELECT count(*) FROM walk_ins WHERE booking_id = ${bid}),
      (SELECT count(*) FROM email_outbox WHERE to_address = 'lead@demo.example'
         AND created_at = '${noticeAt}' AND subject LIKE 'Your evaluation:%')`),
  [['0', '0', '0', '0', '0', '0']]);
  const [[actor, detail]] = sql(`SELECT actor_person_id, detail->>'session_id' FROM audit_log
    WHERE action = 'booking.walk_in_remove' AND target_id = ${bid}`);
  assert.equal(actor, String(coordinator.account.person_id));
  assert.equal(detail, String(id));
  assertError(await as(coordinator, `/api/v1/walk-ins/${bid}`, { method: 'DELETE' }), 404, 'not_found');
  assertError(await as(coordinator, `/api/v1/walk-ins/${bid}/confirm`, { method: 'POST' }), 404, 'not_found');
  // The others stand.
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${id} AND status = 'attended'`)[0][0], '2');
});
