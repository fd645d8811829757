// Booking in the browser: book a place; a full session offers the
// waitlist; a cancellation promotes the next person, who sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { login, as, register, sql } from '../integration/http.mjs';

let browser, sessionId;

before(async () => {
  browser = await launch();
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-CSE'");
  const start = new Date(Date.now() + 50 * 86400e3);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Hackney Service Centre', capacity: 1,
    starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 6 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') } });
  assert.equal(s.status, 201, s.text);
  sessionId = s.json.id;
});
after(async () => { await browser?.close(); });

async function signedIn() {
  const { body } = await register();
  const page = await newPage(browser);
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(body.email);
  await page.getByLabel('Password').fill(body.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  return page;
}

test('book a place, be waitlisted when full, and be promoted by a cancellation', async () => {
  const first = await signedIn();
  // From the catalogue to the session's dates.
  await first.goto(BASE + '/courses?topic=cse', { waitUntil: 'networkidle' });
  await first.getByRole('link', { name: 'See dates and book for Child sexual exploitation' }).first().click();
  await first.waitForURL(/\/sessions\?course_id=/);
  await first.goto(`${BASE}/session?id=${sessionId}`, { waitUntil: 'networkidle' });
  assert.equal(await first.locator('h1#title').innerText(), 'Child sexual exploitation');
  assert.match(await first.locator('#places').innerText(), /1 of 1/);
  await first.getByRole('button', { name: 'Book a place' }).click();
  await first.locator('#booked').filter({ hasText: 'Place booked' }).waitFor();

  const second = await signedIn();
  await second.goto(`${BASE}/session?id=${sessionId}`, { waitUntil: 'networkidle' });
  assert.match(await second.locator('#places').innerText(), /full/);
  await second.getByRole('button', { name: 'Join the waitlist' }).click();
  await second.locator('#booked').filter({ hasText: 'You are on the waitlist' }).waitFor();
  assert.match(await second.locator('#booked-body').innerText(), /number 1/);
  await second.goto(BASE + '/bookings', { waitUntil: 'networkidle' });
  assert.match(await second.locator('#upcoming-rows').innerText(), /On the waitlist \(number 1\)/);

  await first.goto(BASE + '/bookings', { waitUntil: 'networkidle' });
  assert.match(await first.locator('#upcoming-rows').innerText(), /You have a place/);
  assert.ok(await first.getByRole('link', { name: /Add to calendar/ }).count());
  await first.getByRole('link', { name: /^Cancel/ }).first().click();
  await first.getByRole('button', { name: 'Yes, cancel my place' }).click();
  await first.locator('#done').filter({ hasText: 'is cancelled' }).waitFor();

  await second.reload({ waitUntil: 'networkidle' });
  assert.match(await second.locator('#upcoming-rows').innerText(), /You have a place/);
  assert.deepEqual(first.problems, []);
  assert.deepEqual(second.problems, []);
  const cookies = await second.context().cookies();
  for (const path of [`/session?id=${sessionId}`, '/bookings', '/sessions?course_id=1']) {
    assert.deepEqual(await axeViolations(browser, path, cookies), [], path);
  }
  await first.context().close();
  await second.context().close();
});
