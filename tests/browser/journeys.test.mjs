// Journeys as people take them: signing in returns to the page that
// asked (same-site paths only), booking states, cancelling, bookings
// list, pages a role may not use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage } from './browser.mjs';
import { sql, login, as, register, DEMO_PASSWORD } from '../integration/http.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signInForm(page, email) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('"Sign in to book a place" comes back to the session after signing in', async () => {
  const [[id]] = sql(`SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id
    WHERE c.published AND s.status = 'scheduled' AND s.starts_at > now() + interval '7 days'
    ORDER BY s.starts_at, s.id LIMIT 1`);
  const page = await newPage(browser);
  await page.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  await page.getByRole('link', { name: 'Sign in' }).filter({ hasNotText: 'Sign in to' }).first().waitFor();
  await page.locator('#sign-in-note').getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL(/\/sign-in\?next=/);
  await signInForm(page, 'practitioner@demo.example');
  await page.waitForURL(`${BASE}/session?id=${id}`, { timeout: 10000 });
  await page.context().close();
});

test('a signed-out visitor following a link from a mail signs in and comes back to it', async () => {
  for (const path of ['/evaluation?booking=1&stage=same_day', '/my-supervision', '/certificate?booking=1',
    '/teaching/feedback?id=1']) {
    const page = await newPage(browser);
    await page.goto(BASE + path);
    await page.waitForURL(`${BASE}/sign-in?next=${encodeURIComponent(path)}`, { timeout: 10000 });
    await signInForm(page, 'practitioner@demo.example');
    await page.waitForURL(BASE + path, { timeout: 10000 });
    await page.context().close();
  }
});

test('signing in never sends anyone to another site', async () => {
  for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)',
    '%2F%2Fevil.example']) {
    const page = await newPage(browser);
    await page.goto(`${BASE}/sign-in?next=${encodeURIComponent(next)}`, { waitUntil: 'networkidle' });
    await signInForm(page, 'practitioner@demo.example');
    await page.waitForURL((url) => url.pathname !== '/sign-in', { timeout: 10000 });
    assert.equal(page.url(), `${BASE}/account`, `next=${next}`);
    await page.context().close();
  }
});

// A session of its own for a test: `capacity` places, `days` ahead,
// `cutoff` hours of cancellation cut-off, on course `code`.
async function newSession({ capacity = 5, days = 40, cutoff = 48, code = 'SG3-CSE' } = {}) {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql(`SELECT id FROM courses WHERE code = '${code}'`);
  const start = new Date(Date.now() + days * 86400e3);
  const iso = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Hackney Service Centre', capacity, cancel_cutoff_hours: cutoff,
    starts_at: iso(start), ends_at: iso(new Date(start.getTime() + 3 * 3600e3)) } });
  assert.equal(s.status, 201, s.text);
  return s.json.id;
}

// A new practitioner at `level`, signed in in a browser page.
async function person(level = 'G3', width = 1280) {
  const { body } = await register({ group_level: level });
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const { cookie } = await login(body.email, body.password);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: BASE }]);
  page.body = body;
  return page;
}

test('a booked session says "You have a place" with cancel; a waitlist place says its number', async () => {
  const id = await newSession({ capacity: 1 });
  const first = await person();
  await first.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  await first.getByRole('button', { name: 'Book a place' }).click();
  await first.locator('#booked').filter({ hasText: 'Place booked' }).waitFor();
  await first.reload({ waitUntil: 'networkidle' });
  await first.locator('#mine').filter({ hasText: 'You have a place' }).waitFor({ timeout: 10000 });
  assert.equal(await first.getByRole('button', { name: /Book a place|Join the waitlist/ }).isVisible(), false);
  assert.ok(await first.getByRole('link', { name: 'Cancel your place' }).isVisible());

  const second = await person();
  await second.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  await second.getByRole('button', { name: 'Join the waitlist' }).click();
  await second.locator('#booked').filter({ hasText: 'You are on the waitlist' }).waitFor();
  await second.reload({ waitUntil: 'networkidle' });
  await second.locator('#mine').filter({ hasText: 'You are number 1 on the waitlist' }).waitFor({ timeout: 10000 });
  assert.ok(await second.getByRole('link', { name: 'Leave the waitlist' }).isVisible());
  // No calendar entry for a waitlist place.
  await second.goto(`${BASE}/bookings`, { waitUntil: 'networkidle' });
  await second.locator('#upcoming-rows tr').first().waitFor();
  assert.equal(await second.getByRole('link', { name: /Add to calendar/ }).count(), 0);
  await first.context().close();
  await second.context().close();
});

test('cancelling asks first, and says first when it would be late', async () => {
  const early = await newSession({ days: 30, cutoff: 48 });
  const soon = await newSession({ days: 1, cutoff: 48 });
  const page = await person();
  for (const id of [early, soon]) {
    await page.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Book a place' }).click();
    await page.locator('#booked').filter({ hasText: 'Place booked' }).waitFor();
  }
  await page.goto(`${BASE}/session?id=${soon}`, { waitUntil: 'networkidle' });
  await page.getByRole('link', { name: 'Cancel your place' }).click();
  await page.waitForURL(/\/cancel\?id=/);
  await page.locator('#late').filter({ hasText: 'This is a late cancellation' }).waitFor({ timeout: 10000 });
  // Saying no keeps the place.
  await page.getByRole('link', { name: 'No, keep it' }).click();
  await page.waitForURL(`${BASE}/bookings`);
  await page.locator('#upcoming-rows tr').nth(1).waitFor();
  assert.equal(await page.locator('#upcoming-rows tr').count(), 2);

  await page.locator('#upcoming-rows tr').nth(1).getByRole('link', { name: /^Cancel/ }).click();
  await page.waitForURL(/\/cancel\?id=/);
  await page.locator('#not-late').filter({ hasText: /without it counting as late/ }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#late').isVisible(), false);
  await page.getByRole('button', { name: 'Yes, cancel my place' }).click();
  await page.waitForURL(/\/bookings\?cancelled=/);
  await page.locator('#done').filter({ hasText: 'is cancelled' }).waitFor();
  await page.context().close();
});

test('"Your bookings": upcoming soonest first, cancelled ones apart, a sentence when there are none', async () => {
  const page = await person();
  await page.goto(`${BASE}/bookings`, { waitUntil: 'networkidle' });
  await page.locator('#upcoming-none').waitFor({ timeout: 10000 });
  assert.match(await page.locator('#upcoming-none').innerText(), /You have no upcoming bookings/);
  assert.equal(await page.locator('#upcoming').isVisible(), false, 'no table of headers alone');
  assert.equal(await page.locator('#past').isVisible(), false, 'no table of headers alone');

  const later = await newSession({ days: 60 });
  const sooner = await newSession({ days: 20 });
  const dropped = await newSession({ days: 10 });
  const { cookie, csrf } = await login(page.body.email, page.body.password);
  const me = { cookie, csrf };
  for (const id of [later, sooner, dropped]) {
    assert.equal((await as(me, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).status, 201);
  }
  const [[droppedBooking]] = sql(`SELECT b.id FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE b.session_id = ${dropped} AND p.email = '${page.body.email}'`);
  assert.equal((await as(me, `/api/v1/bookings/${droppedBooking}`, { method: 'DELETE' })).status, 200);
  await page.reload({ waitUntil: 'networkidle' });
  await page.locator('#upcoming-rows tr').nth(1).waitFor({ timeout: 10000 });
  const rows = await page.locator('#upcoming-rows tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.booking));
  const ids = sql(`SELECT b.id FROM bookings b JOIN people p ON p.id = b.person_id JOIN sessions s ON s.id = b.session_id
    WHERE p.email = '${page.body.email}' AND b.status = 'confirmed' ORDER BY s.starts_at`).map(([x]) => x);
  assert.deepEqual(rows, ids, 'soonest first');
  assert.equal(await page.locator('#cancelled-rows tr').count(), 1);
  assert.equal(await page.locator(`#upcoming-rows tr[data-booking="${droppedBooking}"]`).count(), 0);
  await page.context().close();
});

test('a course\'s level shows on its sessions; a practitioner outside it is told before booking', async () => {
  const id = await newSession({ code: 'SG4-S47' });
  const page = await person('G2');
  await page.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  await page.locator('#levels').filter({ hasText: /Group 4/ }).waitFor({ timeout: 10000 });
  await page.locator('#not-eligible').filter({ hasText: /This course is for Group 4\. Your training group level is Group 2/ })
    .waitFor({ timeout: 10000 });
  assert.equal(await page.getByRole('button', { name: 'Book a place' }).isVisible(), false);
  await page.context().close();

  const fits = await person('G4');
  await fits.goto(`${BASE}/session?id=${id}`, { waitUntil: 'networkidle' });
  await fits.getByRole('button', { name: 'Book a place' }).waitFor({ timeout: 10000 });
  assert.equal(await fits.locator('#not-eligible').isVisible(), false);
  await fits.context().close();
});
