// A setting lead's staffing return: a wrong date and wrong numbers come
// in one round of errors, each number's message naming its level; once
// sent, the success banner has the focus and the hint gives the new
// return's date; the training records upload has a template.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, newPage, signIn, sql } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a staffing return names every problem at once, then says it is sent where the focus is', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, acceptDownloads: true });
  await signIn(page, 'lead@demo.example');
  await page.goto(BASE + '/coverage', { waitUntil: 'networkidle' });
  await page.locator('#headcount-G2').waitFor();
  await page.locator('#as_of-day').fill('31');
  await page.locator('#as_of-month').fill('2');
  await page.locator('#as_of-year').fill('2026');
  await page.locator('#headcount-G2').fill('abc');
  await page.locator('#headcount-G3').fill('100001');
  await page.getByRole('button', { name: 'Send the staffing return' }).click();
  const items = await page.locator('.govuk-error-summary li').allInnerTexts();
  assert.equal(items.length, 3, items.join('\n'));
  assert.match(items[0], /date/i);
  assert.equal(items[1], 'Enter the number of staff at Group 2 as a whole number from 0 to 100000');
  assert.equal(items[2], 'Enter the number of staff at Group 3 as a whole number from 0 to 100000');

  const today = new Date();
  const shown = today.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
  const [d, m, y] = today.toLocaleDateString('en-GB', { timeZone: 'Europe/London' }).split('/');
  await page.locator('#as_of-day').fill(d);
  await page.locator('#as_of-month').fill(m);
  await page.locator('#as_of-year').fill(y);
  await page.locator('#headcount-G2').fill('21');
  await page.locator('#headcount-G3').fill('4');
  await page.getByRole('button', { name: 'Send the staffing return' }).click();
  await page.locator('#done:not(.portal-hidden)').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'done');
  assert.equal(await page.locator('#done-text').innerText(), `Staffing return of ${shown} sent.`);
  assert.equal(await page.locator('#return-latest').innerText(), `Your latest return is of ${shown}.`);
  // The demo school's returns as they were, for the tests after this one.
  sql(`DELETE FROM staffing_returns WHERE as_of = (now() AT TIME ZONE 'Europe/London')::date AND agency_id = (SELECT r.agency_id
    FROM account_roles r JOIN people p ON p.id = r.person_id WHERE p.email = 'lead@demo.example' AND r.role = 'setting_lead')`);

  // The upload's template: the columns the hint names.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#records-template').click()]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /^\ufeffEmail,Course title,Completed on,Group level,Provider,Hours\r\n/);
  assert.deepEqual(page.problems.filter((m) => !/status of 422/.test(m)), []);
  await page.context().close();
});
