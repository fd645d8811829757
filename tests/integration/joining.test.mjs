// Joining details of an online session (a link and any code): set by a
// coordinator, given to confirmed delegates only (their booking, its mail
// and calendar invitation), never in the public session list or page,
// nor to someone on the waitlist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, as, register, request, sql, assertError } from './http.mjs';
import { iso, DAY } from './sessions.mjs';

const DETAILS = 'https://meet.example.org/j/123456789\nPasscode: 4321';

// The ICS text unfolded (RFC 5545 folds lines at 75 octets) and unescaped.
const unfold = (ics) => ics.replace(/\r\n[ \t]/g, '').replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');

test('joining details reach confirmed delegates only, never the public or the waitlist', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-DA'");
  const start = Date.now() + 70 * DAY;
  const base = { course_id: Number(course), venue: 'Online', capacity: 1, starts_at: iso(start),
    ends_at: iso(start + 2 * 3600e3), trainer_ids: [trainer.account.person_id] };
  const fields = assertError(await as(coordinator, '/api/v1/sessions', { method: 'POST',
    body: { ...base, joining_details: 'x'.repeat(1001) } }), 422, 'invalid');
  assert.deepEqual(Object.keys(fields), ['joining_details']);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: { ...base, joining_details: DETAILS } });
  assert.equal(s.status, 201, s.text);
  const id = s.json.id;
  assert.equal(sql(`SELECT joining_details FROM sessions WHERE id = ${id}`)[0][0], DETAILS);

  // Not public: the session's page and the list, signed out or not.
  const first = (await register()).body;
  const second = (await register()).body;
  const a = await login(first.email, first.password);
  const b = await login(second.email, second.password);
  for (const res of [await request(`/api/v1/sessions/${id}`), await as(a, `/api/v1/sessions/${id}`),
    await request(`/api/v1/sessions?course_id=${course}&limit=100&from=2000-01-01`)]) {
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /meet\.example|joining_details/);
  }
  assert.equal((await as(coordinator, `/api/v1/sessions/${id}`)).json.joining_details, DETAILS);

  // The confirmed place has them; the waitlist place does not.
  const placed = await as(a, `/api/v1/sessions/${id}/bookings`, { method: 'POST' });
  assert.equal(placed.json.status, 'confirmed');
  const waiting = await as(b, `/api/v1/sessions/${id}/bookings`, { method: 'POST' });
  assert.equal(waiting.json.status, 'waitlisted');
  const mine = (who, booking) => as(who, '/api/v1/me/bookings').then((r) => r.json.bookings.find((x) => x.id === booking));
  assert.equal((await mine(a, placed.json.id)).joining_details, DETAILS);
  assert.equal((await mine(b, waiting.json.id)).joining_details, null);

  // In the confirmed delegate's mail and calendar invitation only.
  const mail = (email) => sql(`SELECT body_text, coalesce(ics, '') FROM email_outbox
    WHERE to_address = '${email}' ORDER BY id DESC LIMIT 1`)[0];
  const [text, ics] = mail(first.email);
  assert.match(text, /How to join: https:\/\/meet\.example\.org\/j\/123456789\nPasscode: 4321/);
  // Its time as the pages write it: "Tuesday 1 September 2026, 9:30am to 11:30am".
  assert.match(text, /\n\w+day \d{1,2} \w+ \d{4}, (\d{1,2}(:\d\d)?[ap]m|midday|midnight) to (\d{1,2}(:\d\d)?[ap]m|midday|midnight)\n/);
  assert.match(unfold(ics), /How to join: https:\/\/meet\.example\.org\/j\/123456789\nPasscode: 4321/);
  const calendar = await as(a, `/api/v1/bookings/${placed.json.id}/calendar.ics`);
  assert.match(unfold(calendar.text), /Passcode: 4321/);
  assert.doesNotMatch(mail(second.email)[0], /meet\.example|How to join/);

  // New details: the confirmed delegate is sent them (an updated invitation).
  const changed = await as(coordinator, `/api/v1/sessions/${id}`, { method: 'PATCH',
    body: { joining_details: 'https://meet.example.org/j/987' } });
  assert.equal(changed.status, 200, changed.text);
  assert.match(unfold(mail(first.email)[1]), /How to join: https:\/\/meet\.example\.org\/j\/987/);
  assert.equal((await mine(a, placed.json.id)).joining_details, 'https://meet.example.org/j/987');
});
