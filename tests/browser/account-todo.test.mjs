// The account page puts first what the person must do (evaluations open
// now, with their deadlines; their sessions coming up), then their
// training record: when training at their level expires, each course
// with its certificate, which carries a reference number and a date of
// issue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, sql } from './browser.mjs';
import { login, as } from '../integration/http.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a practitioner sees their to-dos first, then their training record with certificates', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'practitioner@demo.example');
  await page.locator('#todo:not(.portal-hidden)').waitFor({ timeout: 15000 });
  await page.locator('#record:not(.portal-hidden)').waitFor({ timeout: 15000 });

  // The order of the page: to-dos, training record, details, all evaluations.
  const tops = await page.evaluate(() => ['todo-title', 'record-title', 'details-title', 'evaluations-title']
    .map((id) => document.getElementById(id).getBoundingClientRect().top));
  assert.deepEqual([...tops].sort((a, b) => a - b), tops);

  // Each evaluation open now, with its deadline, soonest first.
  const session = await login('practitioner@demo.example');
  const open = (await as(session, '/api/v1/me/evaluations')).json.evaluations.filter((e) => e.status === 'open');
  assert.ok(open.length > 0, 'the demo practitioner has evaluations to answer');
  const items = await page.locator('#todo-evaluations li').allInnerTexts();
  assert.equal(items.length, open.length);
  for (const item of items) assert.match(item, /Answer by \w+day \d+ \w+ \d{4}, [^.]+\. Answer/);
  const upcoming = (await as(session, '/api/v1/me/bookings')).json.bookings
    .filter((b) => b.upcoming && ['confirmed', 'waitlisted'].includes(b.status));
  assert.equal(await page.locator('#todo-sessions li').count(), upcoming.length);

  // When training at their level expires, as the coverage rule says.
  const [[expires, status]] = sql(`SELECT t.expires_on, t.status FROM training_status(current_date) t
    JOIN people p ON p.id = t.person_id WHERE p.email = 'practitioner@demo.example'`);
  const expiry = await page.locator('#expiry').innerText();
  if (status === 'in_date') {
    const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(`${expires}T12:00:00Z`));
    assert.match(expiry, new RegExp(`^Your training at Group \\d is in date until \\w+day ${day}\\.$`));
  } else {
    assert.match(expiry, /expire|no training/);
  }

  // Every training record, newest first; a booked course links to its
  // certificate, which has a reference number and a date of issue.
  const [[records]] = sql(`SELECT count(*) FROM training_records r JOIN people p ON p.id = r.person_id
    WHERE p.email = 'practitioner@demo.example'`);
  assert.equal(await page.locator('#record-rows tr').count(), Number(records));
  const [[booking]] = sql(`SELECT r.booking_id FROM training_records r JOIN people p ON p.id = r.person_id
    JOIN bookings b ON b.id = r.booking_id JOIN sessions s ON s.id = b.session_id
    WHERE p.email = 'practitioner@demo.example' AND s.ends_at < now() - interval '15 days'
    ORDER BY r.completed_on DESC LIMIT 1`);
  await page.locator(`#record-rows a[href="/certificate?booking=${booking}"]`).click();
  await page.locator('#details:not(.portal-hidden)').waitFor();
  const [[code]] = sql(`SELECT c.code FROM bookings b JOIN sessions s ON s.id = b.session_id
    JOIN courses c ON c.id = s.course_id WHERE b.id = ${booking}`);
  assert.equal(await page.locator('#reference').innerText(), `${code.toUpperCase()}-${booking}`);
  assert.match(await page.locator('#issued_on').innerText(), /^\w+day \d+ \w+ \d{4}$/);

  // No status tag inside a link on the account page.
  await page.goto(BASE + '/account', { waitUntil: 'networkidle' });
  await page.locator('#evaluation-rows tr').first().waitFor();
  assert.equal(await page.locator('#evaluation-rows a .govuk-tag').count(), 0);
  assert.deepEqual(page.problems.filter((m) => !/status of 409/.test(m)), []);
  await page.context().close();
});

test('the follow-up form\'s hint agrees with its "None of these" box', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, 'practitioner@demo.example');
  const session = await login('practitioner@demo.example');
  const open = (await as(session, '/api/v1/me/evaluations')).json.evaluations
    .find((e) => e.status === 'open' && e.stage === 'followup');
  assert.ok(open, 'the demo practitioner has a follow-up form open');
  await page.goto(`${BASE}/evaluation?booking=${open.booking_id}&stage=followup`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  const hint = await page.locator('#changed-hint').innerText();
  assert.doesNotMatch(hint, /unticked/);
  assert.match(hint, /None of these/);
  assert.equal(await page.getByLabel('None of these').count(), 1);
  await page.context().close();
});
