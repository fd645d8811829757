// Finding and booking a course: the dates and places list starts at the
// person's own group level (Any level is a choice), comes 20 a page, and
// finds sessions by words from course titles and topics; a session the
// person holds says so instead of offering Book; a clash names the
// session it clashes with; leaving a waitlist says the waitlist place is
// given up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { login, as, register, request, sql, assertError } from '../integration/http.mjs';
import { newSession } from '../integration/sessions.mjs';

let browser, coordinator, trainer;

before(async () => {
  browser = await launch();
  coordinator = await login('coordinator@demo.example');
  trainer = await login('trainer@demo.example');
});
after(async () => { await browser?.close(); });

// A fresh person (group level G3) signed in in a page of their own;
// page.session is their API session.
async function person() {
  const { body } = await register();
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(body.email);
  await page.getByLabel('Password').fill(body.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  page.session = await login(body.email, body.password);
  return page;
}

// Sessions from today of published courses, as the list counts them,
// with `where` about course c and session s.
function upcoming(where = 'true') {
  return Number(sql(`SELECT count(*) FROM sessions s JOIN courses c ON c.id = s.course_id
    WHERE c.published AND s.starts_at >= current_date::timestamp AT TIME ZONE 'Europe/London' AND ${where}`)[0][0]);
}

const AT_G3 = `EXISTS (SELECT 1 FROM course_group_levels x JOIN group_levels l ON l.id = x.group_level_id
  WHERE x.course_id = c.id AND l.code = 'G3')`;

test('the list starts at the person\'s own level, pages 20 at a time, and Any level is a choice', async () => {
  const page = await person();
  await page.goto(BASE + '/sessions', { waitUntil: 'networkidle' });
  assert.equal(await page.getByLabel('Training group level').inputValue(), 'G3');
  assert.match(await page.locator('#group_level-hint').innerText(), /Yours is Group 3/);
  const total = upcoming(AT_G3);
  assert.ok(total > 20, `the demo has more than a page of Group 3 sessions (${total})`);
  assert.equal(await page.locator('#rows tr').count(), 20);
  assert.equal(await page.locator('#count').innerText(), `${total} sessions, showing 1 to 20`);
  for (const text of await page.locator('#rows tr td:nth-child(2)').allInnerTexts()) assert.match(text, /Group 3|Everyone/);
  // The next page, from the pagination.
  await page.locator('#pages').getByRole('link', { name: 'Next page' }).click();
  await page.waitForURL(/page=2/);
  await page.locator('#count').filter({ hasText: 'showing 21 to' }).waitFor();
  assert.equal(await page.locator('#pages [aria-current=page]').innerText(), '2');
  // Any level: every session.
  await page.getByLabel('Training group level').selectOption({ label: 'Any level' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/group_level=&/);
  await page.locator('#count').filter({ hasText: `${upcoming()} sessions` }).waitFor();
  assert.deepEqual(page.problems, []);
  assert.deepEqual(await axeViolations(browser, '/sessions?group_level=', await page.context().cookies()), []);
  await page.context().close();
});

test('a search finds sessions by words from course titles and topics; a bad search is named', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(BASE + '/sessions', { waitUntil: 'networkidle' });
  await page.getByLabel('Search courses').fill('NEGLECT');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/q=NEGLECT/);
  const about = `(c.title ILIKE '%neglect%' OR c.code ILIKE '%neglect%' OR EXISTS (SELECT 1 FROM course_topics x
    JOIN topics t ON t.id = x.topic_id WHERE x.course_id = c.id AND t.name ILIKE '%neglect%'))`;
  const total = upcoming(about);
  assert.ok(total > 0 && total < upcoming(), `neglect finds some sessions, not all (${total})`);
  await page.locator('#count').filter({ hasText: new RegExp(`^${total} session`) }).waitFor();
  // Every word must be found: a word from no course finds nothing.
  const none = await request('/api/v1/sessions?q=neglect+zzzzqqq');
  assert.equal(none.json.total, 0);
  const fields = assertError(await request(`/api/v1/sessions?q=${'x'.repeat(101)}&topic=nope`), 422, 'invalid');
  assert.deepEqual(Object.keys(fields).sort(), ['q', 'topic']);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a session the person holds says so rather than offering Book; a clash names the session it clashes with', async () => {
  const page = await person();
  const held = await newSession(coordinator, trainer, { days: 40, code: 'SG3-DA' });
  const booked = await as(page.session, `/api/v1/sessions/${held}/bookings`, { method: 'POST' });
  assert.equal(booked.status, 201, booked.text);
  const [[title]] = sql(`SELECT c.title FROM sessions s JOIN courses c ON c.id = s.course_id WHERE s.id = ${held}`);
  await page.goto(`${BASE}/sessions?q=${encodeURIComponent(title)}&group_level=`, { waitUntil: 'networkidle' });
  const row = page.locator(`#rows tr[data-session="${held}"]`);
  assert.equal(await row.getByRole('link', { name: /^You have a place/ }).count(), 1);
  assert.equal(await row.getByRole('link', { name: /^Book/ }).count(), 0);

  // The same hours, another course: booking it names the one held.
  const clash = await newSession(coordinator, trainer, { days: 40, code: 'SG3-CSE' });
  await page.goto(`${BASE}/session?id=${clash}`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'Book a place' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const words = await summary.innerText();
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The session's time as pages write it: "Saturday 12 January 2027, 9:30am to 4pm".
  assert.match(words, new RegExp(`same time: ${escaped}, \\w+day \\d{1,2} \\w+ \\d{4}, (\\d{1,2}(:\\d\\d)?[ap]m|midday) to (\\d{1,2}(:\\d\\d)?[ap]m|midday)\\.`));
  const res = await as(page.session, `/api/v1/sessions/${clash}/bookings`, { method: 'POST' });
  assertError(res, 409, 'overlap');
  assert.equal(res.json.error.clash.session_id, held);
  assert.deepEqual(page.problems.filter((p) => !/status of 409/.test(p)), []);
  await page.context().close();
});

test('leaving a waitlist says the waitlist place is given up, not that a booking is cancelled', async () => {
  const full = await newSession(coordinator, trainer, { days: 45, code: 'SG3-DA', capacity: 1 });
  const first = await person();
  assert.equal((await as(first.session, `/api/v1/sessions/${full}/bookings`, { method: 'POST' })).status, 201);
  const page = await person();
  const waiting = await as(page.session, `/api/v1/sessions/${full}/bookings`, { method: 'POST' });
  assert.equal(waiting.json.status, 'waitlisted');
  await page.goto(`${BASE}/cancel?id=${waiting.json.id}`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'Yes, leave the waitlist' }).click();
  await page.waitForURL(/\/bookings\?cancelled=/);
  await page.locator('#done:not(.portal-hidden)').waitFor();
  const banner = await page.locator('#done').innerText();
  assert.match(banner, /You have left the waitlist for .*\. Your place on the waitlist is given up\./);
  assert.doesNotMatch(banner, /is cancelled/);
  assert.match(await page.locator('#cancelled-rows').innerText(), /Left the waitlist/);
  assert.deepEqual(page.problems, []);
  await first.context().close();
  await page.context().close();
});

test('a confirmed delegate sees how to join an online session on its page; the public page does not show it', async () => {
  const id = await newSession(coordinator, trainer, { days: 60, code: 'SG3-DA' });
  assert.equal((await as(coordinator, `/api/v1/sessions/${id}`, { method: 'PATCH',
    body: { venue: 'Online', joining_details: 'https://meet.example.org/j/555\nPasscode: 9' } })).status, 200);
  const visitor = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await visitor.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  assert.doesNotMatch(await visitor.locator('main').innerText(), /meet\.example|How to join/);
  const page = await person();
  assert.equal((await as(page.session, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).status, 201);
  await page.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  await page.locator('#joining:not(.portal-hidden)').waitFor();
  assert.equal(await page.locator('#joining-text').innerText(), 'https://meet.example.org/j/555\nPasscode: 9');
  assert.deepEqual(page.problems, []);
  await visitor.context().close();
  await page.context().close();
});
