// The programme in the browser: a coordinator adds a course and
// schedules, changes and cancels sessions; a trainer takes the register;
// dates and places are found with filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { DEMO_PASSWORD, login, as, register, sql } from '../integration/http.mjs';

let browser;
const code = `B-${process.pid % 100000}`;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(email, password = DEMO_PASSWORD) {
  const page = await newPage(browser);
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  return page;
}

// A London wall-clock value `days` from now at `hour` o'clock.
function local(days, hour) {
  const d = new Date(Date.now() + days * 86400e3);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

// Fill the GOV.UK date input `legend` with `days` from now at `hour`.
async function fillDate(page, legend, days, hour) {
  const [y, m, d] = local(days, hour).slice(0, 10).split('-');
  const group = page.getByRole('group', { name: new RegExp(`^${legend}`) });
  await group.getByLabel('Day').fill(String(Number(d)));
  await group.getByLabel('Month').fill(String(Number(m)));
  await group.getByLabel('Year').fill(y);
  await group.getByLabel('Time').fill(`${hour % 12 || 12}${hour < 12 ? 'am' : 'pm'}`);
}

test('a coordinator adds a course, schedules a session, changes it and cancels another', async () => {
  const page = await signIn('coordinator@demo.example');
  await page.getByRole('link', { name: 'Courses and sessions' }).click();
  await page.waitForURL(BASE + '/programme');
  await page.locator('#rows tr').first().waitFor();
  await page.getByRole('button', { name: 'Add a course' }).click();
  await page.waitForURL(BASE + '/programme/course');

  // Nothing filled in: every problem is listed and each field marked.
  await page.getByRole('button', { name: 'Add the course' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const problems = await summary.locator('li').allInnerTexts();
  assert.ok(problems.length >= 4, problems.join(' | '));
  assert.ok(await page.locator('#title-error').count());
  assert.ok(await page.locator('#format-error').count());

  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Title', { exact: true }).fill('Safeguarding disabled children');
  await page.getByLabel('Summary').fill('Recognising abuse of disabled children; communication.');
  await page.getByLabel('Format', { exact: true }).selectOption('full_day');
  await page.getByLabel('Length in minutes').fill('360');
  await page.getByLabel('Group 3', { exact: true }).check();
  await page.getByLabel('Neglect', { exact: true }).check();
  await page.getByLabel('Multi-agency: open to every agency').check();
  await page.getByRole('button', { name: 'Add the course' }).click();
  await page.waitForURL(/\/programme\/course\?id=\d+&added=1/);
  await page.locator('#saved').filter({ hasText: 'The course is added' }).waitFor();
  const courseId = Number(new URL(page.url()).searchParams.get('id'));
  const [[title, published, levels]] = sql(`SELECT c.title, c.published,
    (SELECT string_agg(l.code, ',') FROM course_group_levels x JOIN group_levels l ON l.id = x.group_level_id
      WHERE x.course_id = c.id) FROM courses c WHERE c.id = ${courseId}`);
  assert.deepEqual([title, published, levels], ['Safeguarding disabled children', 't', 'G3']);

  // Schedule a session with the demo trainer.
  await page.getByRole('button', { name: 'Schedule a session' }).click();
  await page.waitForURL(/\/programme\/session\?course_id=/);
  await fillDate(page, 'Starts', 40, 9);
  await fillDate(page, 'Ends', 40, 16);
  await page.getByLabel('Venue').fill('Hackney Service Centre, Room 2');
  await page.getByLabel('Places').fill('0');
  await page.getByLabel(/^Tess Trainer/).check();
  await page.getByRole('button', { name: 'Schedule the session' }).click();
  await page.locator('#capacity-error').waitFor();
  await page.getByLabel('Places').fill('12');
  await page.getByRole('button', { name: 'Schedule the session' }).click();
  await page.waitForURL(/\/programme\/session\?id=\d+&added=1/);
  const sessionId = Number(new URL(page.url()).searchParams.get('id'));
  const [[capacity, venue, starts, trainers]] = sql(`SELECT capacity, venue,
    to_char(starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD"T"HH24:MI'),
    (SELECT count(*) FROM session_trainers WHERE session_id = s.id) FROM sessions s WHERE id = ${sessionId}`);
  assert.deepEqual([capacity, venue, starts, trainers], ['12', 'Hackney Service Centre, Room 2', local(40, 9), '1']);
  // The form shows the session as saved, in London time.
  const startsInput = page.getByRole('group', { name: /^Starts/ });
  assert.equal(await startsInput.getByLabel('Day').inputValue(), String(Number(local(40, 9).slice(8, 10))));
  assert.equal(await startsInput.getByLabel('Time').inputValue(), '9am');

  await page.getByLabel('Places').fill('15');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#saved').filter({ hasText: 'The session is saved' }).waitFor();
  assert.equal(sql(`SELECT capacity FROM sessions WHERE id = ${sessionId}`)[0][0], '15');

  // A second session, booked by someone, is cancelled with a reason.
  const coordinator = await login('coordinator@demo.example');
  const start = new Date(Date.now() + 45 * 86400e3);
  const second = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: courseId, venue: 'Online', capacity: 5,
    starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 3 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') } });
  assert.equal(second.status, 201, second.text);
  const { body } = await register();
  const person = await login(body.email, body.password);
  assert.equal((await as(person, `/api/v1/sessions/${second.json.id}/bookings`, { method: 'POST' })).status, 201);
  await page.goto(`${BASE}/programme/course?id=${courseId}`, { waitUntil: 'networkidle' });
  assert.equal(await page.locator('#sessions-rows tr').count(), 2);
  await page.locator(`#sessions-rows tr[data-session="${second.json.id}"]`).getByRole('link', { name: /Change/ }).click();
  await page.waitForURL(/\/programme\/session\?id=/);
  // Cancelling is a page of its own that says what happens and asks
  // for the reason; nothing is cancelled until it is confirmed there.
  await page.getByRole('button', { name: 'Cancel the session' }).click();
  await page.waitForURL(/\/programme\/cancel\?id=/);
  await page.locator('#booked').filter({ hasText: '1 person of 5 places' }).waitFor();
  assert.match(await page.locator('#what').innerText(), /The 1 person booked or on the waitlist is sent an email/);
  await page.getByRole('button', { name: 'Cancel the session' }).click();
  await page.locator('#reason-error').waitFor();
  assert.deepEqual(sql(`SELECT status FROM bookings WHERE session_id = ${second.json.id}`), [['confirmed']]);
  await page.getByLabel('Why is the session cancelled?').fill('The trainer is unwell.');
  await page.getByRole('button', { name: 'Cancel the session' }).click();
  await page.waitForURL(new RegExp(`/programme/session\\?id=${second.json.id}`));
  await page.locator('#saved').filter({ hasText: 'is cancelled' }).waitFor();
  assert.equal(await page.locator('#status').innerText(), 'Cancelled');
  assert.deepEqual(sql(`SELECT status FROM bookings WHERE session_id = ${second.json.id}`), [['board_cancelled']]);

  // The refusals above are answers the page shows, not problems.
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  const cookies = await page.context().cookies();
  for (const path of ['/programme', `/programme/course?id=${courseId}`, `/programme/session?id=${sessionId}`,
    `/programme/session?course_id=${courseId}`, `/programme/cancel?id=${sessionId}`]) {
    assert.deepEqual(await axeViolations(browser, path, cookies), [], path);
  }
  await page.context().close();
});

test('a trainer takes the register of their session', async () => {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-NEG'");
  const [[trainer]] = sql("SELECT id FROM people WHERE email = 'trainer@demo.example'");
  const start = new Date(Date.now() + 20 * 86400e3);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Stoke Newington Library', capacity: 5, trainer_ids: [Number(trainer)],
    starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 6 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') } });
  assert.equal(s.status, 201, s.text);
  const names = [];
  for (let i = 0; i < 3; i++) {
    const { body } = await register({ full_name: `Register Person ${i} ${process.pid}` });
    names.push(body.full_name);
    const p = await login(body.email, body.password);
    assert.equal((await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' })).status, 201);
  }

  const page = await signIn('trainer@demo.example');
  await page.getByRole('link', { name: 'All the sessions you train' }).click();
  await page.waitForURL(BASE + '/teaching');
  const row = page.locator(`#upcoming-rows tr[data-session="${s.json.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /3 of 5/);
  await row.getByRole('link', { name: /Register/ }).click();
  await page.waitForURL(/\/teaching\/register\?id=/);
  await page.locator('#rows tr').first().waitFor();
  // Before the start: the register is shown, not taken.
  assert.ok(await page.locator('#not-started').isVisible());
  assert.equal(await page.getByRole('button', { name: 'Save the register' }).isVisible(), false);

  // The session starts (moved into the past in the database).
  sql(`UPDATE sessions SET starts_at = now() - interval '1 hour', ends_at = now() + interval '5 hours',
    booking_opens_at = now() - interval '2 days', booking_closes_at = now() - interval '1 hour'
    WHERE id = ${s.json.id}`);
  await page.reload({ waitUntil: 'networkidle' });
  await page.getByRole('group', { name: `Attendance of ${names[0]}` }).getByLabel('Attended').check();
  await page.getByRole('group', { name: `Attendance of ${names[1]}` }).getByLabel('Part').check();
  await page.getByRole('button', { name: 'Save the register' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), new RegExp(`Say whether ${names[2]} came`));
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${s.json.id} AND status <> 'confirmed'`)[0][0], '0');
  await page.getByRole('group', { name: `Attendance of ${names[2]}` }).getByLabel('Did not attend').check();
  await page.getByRole('button', { name: 'Save the register' }).click();
  await page.locator('#saved').filter({ hasText: 'The register is saved' }).waitFor();
  assert.deepEqual(sql(`SELECT p.full_name, b.status FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE b.session_id = ${s.json.id} ORDER BY p.full_name`), names.map((n, i) => [n, ['attended', 'partial', 'no_show'][i]]));
  assert.equal(sql(`SELECT count(*) FROM training_records r JOIN bookings b ON b.id = r.booking_id
    WHERE b.session_id = ${s.json.id}`)[0][0], '2');
  assert.equal(await page.locator('#print').getAttribute('href'), `/api/v1/sessions/${s.json.id}/register?format=html`);

  assert.deepEqual(page.problems, []);
  const cookies = await page.context().cookies();
  for (const path of ['/teaching', `/teaching/register?id=${s.json.id}`]) {
    assert.deepEqual(await axeViolations(browser, path, cookies), [], path);
  }
  await page.context().close();
});

test('dates and places: filtered by level, topic, dates and places left', async () => {
  const page = await newPage(browser);
  const from = new Date().toISOString().slice(0, 10);
  await page.goto(`${BASE}/sessions?group_level=G3&topic=neglect&from=${from}&available=true`, { waitUntil: 'networkidle' });
  assert.equal(await page.getByLabel('Training group level').inputValue(), 'G3');
  assert.ok(await page.getByLabel('Only sessions with places left').isChecked());
  const shown = await page.locator('#rows tr').count();
  const [[expected]] = sql(`SELECT count(*) FROM sessions s JOIN courses c ON c.id = s.course_id
    WHERE c.published AND s.status = 'scheduled' AND s.starts_at > now() AND s.confirmed_count < s.capacity
      AND now() BETWEEN s.booking_opens_at AND s.booking_closes_at
      AND s.starts_at >= '${from}'::date::timestamp AT TIME ZONE 'Europe/London'
      AND EXISTS (SELECT 1 FROM course_group_levels x JOIN group_levels l ON l.id = x.group_level_id
                   WHERE x.course_id = c.id AND l.code = 'G3')
      AND EXISTS (SELECT 1 FROM course_topics x JOIN topics t ON t.id = x.topic_id
                   WHERE x.course_id = c.id AND t.code = 'neglect')`);
  assert.equal(shown, Math.min(20, Number(expected)));
  assert.ok(shown > 0, 'the tests above left bookable G3 neglect sessions');
  for (const text of await page.locator('#rows tr td:nth-child(5)').allInnerTexts()) assert.match(text, /^\d+$/);
  // A bad date is named, as a form error.
  await page.goto(`${BASE}/sessions?from=2016-02-30`, { waitUntil: 'networkidle' });
  assert.ok(await page.locator('#from-error').count());
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  assert.deepEqual(await axeViolations(browser, '/sessions?available=true'), []);
  await page.context().close();
});
