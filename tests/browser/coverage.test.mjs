// Workforce coverage pages: a setting lead uploads training records and
// sees coverage rise; the partnership table for reviewers; phone width,
// axe, no codes shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, newPage, axeViolations, sql, signIn } from './browser.mjs';

let browser, dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync('/tmp/portal-browser.');
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});


// The summary line's "k of N" numbers.
async function summary(page) {
  const text = await page.locator('#summary').filter({ hasText: / of / }).innerText({ timeout: 10000 });
  const [, k, n] = text.match(/(\d+) of (\d+)/);
  return [Number(k), Number(n)];
}

test('a setting lead uploads training records and sees coverage rise', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'lead@demo.example');
  await page.getByRole('link', { name: "Your setting's training coverage" }).click();
  await page.waitForURL(BASE + '/coverage');
  const [k0, n0] = await summary(page);
  await page.locator('#people-rows tr').first().waitFor();
  // Staff needing training come first.
  assert.match(await page.locator('#people-rows tr').first().innerText(), /Never trained|Expired|Lapsing/);
  const body = await page.locator('main').innerText();
  assert.doesNotMatch(body, /\bG[1-6]\b|in_date|staff_list/);
  await page.screenshot({ path: join(process.env.PORTAL_TEST_TMP ?? dir, 'coverage-1280.png'), fullPage: true });

  // Records for those on the list who are not trained, at their level, today.
  const [[agency]] = sql(`SELECT r.agency_id FROM account_roles r JOIN people p ON p.id = r.person_id
    WHERE p.email = 'lead@demo.example' AND r.role = 'setting_lead'`);
  const today = sql("SELECT (now() AT TIME ZONE 'Europe/London')::date")[0][0];
  const untrained = sql(`SELECT p.email, t.level_code FROM training_status('${today}') t JOIN people p ON p.id = t.person_id
    WHERE t.agency_id = ${agency} AND t.status IN ('never', 'expired') ORDER BY p.id LIMIT 3`);
  assert.ok(untrained.length > 0, 'the demo school has staff to train');
  const csv = ['email,course_title,completed_on,group_level,provider,hours',
    ...untrained.map(([email, level]) => `${email},Safeguarding update,${today},${level},In-house,2`)].join('\r\n');
  const file = join(dir, 'records.csv');
  writeFileSync(file, csv);
  await page.getByLabel('Upload training records').setInputFiles(file);
  await page.getByRole('button', { name: 'Send the training records' }).click();
  await page.locator('#done-text').filter({ hasText: /added/ }).waitFor({ timeout: 10000 });
  assert.match(await page.locator('#done-text').innerText(), new RegExp(`${untrained.length} added`));
  await page.locator('#summary').filter({ hasText: new RegExp(`^${k0 + untrained.length} of`) })
    .waitFor({ timeout: 10000 })
    .catch(async () => assert.fail(`coverage did not rise: ${await page.locator('#summary').innerText()}`));
  const [k1, n1] = await summary(page);
  assert.equal(n1, n0);
  assert.ok(k1 > k0, `${k1} > ${k0}`);

  // A file with a problem is refused whole, with the line named.
  // Its columns are named as the hint and a spreadsheet's header name them.
  writeFileSync(file, 'Email,Course title,Completed on,Group level,Provider,Hours\r\nnobody@example.org,X,2016-01-01,Group 9,Y,\r\n');
  await page.getByLabel('Upload training records').setInputFiles(file);
  await page.getByRole('button', { name: 'Send the training records' }).click();
  await page.locator('.govuk-error-summary').waitFor({ timeout: 10000 });
  const problems = await page.locator('.govuk-error-summary').innerText();
  assert.match(problems, /Line 2, Email: /);
  assert.match(problems, /Line 2, Group level: /);
  assert.doesNotMatch(problems, /_/);

  // The staffing return: its date asked for as GOV.UK does, a date that
  // is not one named before anything is sent.
  await page.locator('#headcount-G2').fill('20');
  await page.locator('#as_of-day').fill('30');
  await page.locator('#as_of-month').fill('2');
  await page.locator('#as_of-year').fill('2026');
  await page.getByRole('button', { name: 'Send the staffing return' }).click();
  await page.locator('.govuk-error-summary')
    .getByText('The date the numbers are true at must be a real date').waitFor({ timeout: 10000 });
  await page.locator('#as_of-day').fill('28');
  await page.getByRole('button', { name: 'Send the staffing return' }).click();
  await page.locator('#done-text').filter({ hasText: 'Staffing return of 28 Feb 2026 sent.' }).waitFor({ timeout: 10000 });
  assert.deepEqual(sql(`SELECT r.headcount FROM staffing_returns r JOIN group_levels l
    ON l.id = r.group_level_id WHERE r.agency_id = ${agency} AND r.as_of = '2026-02-28'
    AND l.code = 'G2'`), [['20']]);
  // The demo school's return as it was, for the tests after this one.
  sql(`DELETE FROM staffing_returns WHERE agency_id = ${agency} AND as_of = '2026-02-28'`);

  // On a phone, nothing is wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload({ waitUntil: 'networkidle' });
  await summary(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  await page.screenshot({ path: join(process.env.PORTAL_TEST_TMP ?? dir, 'coverage-390.png'), fullPage: true });
  // The refused upload's 422 is the only complaint.
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  assert.deepEqual(await axeViolations(browser, '/coverage', await page.context().cookies()), []);
  await page.context().close();
});

test('reviewers read the partnership table, filter it, and find the CSV', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'reviewer@demo.example');
  await page.getByRole('link', { name: 'Workforce coverage across the partnership' }).click();
  await page.waitForURL(BASE + '/coverage/partnership');
  await page.locator('#level-rows tr').first().waitFor({ timeout: 10000 });
  // The settings a page of 50 at a time, worst first.
  const total = Number(sql(`SELECT count(DISTINCT agency_id) FROM coverage_counts(
    (now() AT TIME ZONE 'Europe/London')::date)`)[0][0]);
  assert.ok(total > 50, `${total} settings`);
  const count = page.locator('#settings-count');
  assert.equal(await count.innerText(), `${total} settings, showing 1 to 50`);
  assert.ok(await page.locator('#prev').isHidden());
  const firstOnPage = await page.locator('#setting-rows a').first().innerText();
  await page.getByRole('link', { name: 'Next settings' }).click();
  await page.waitForFunction((t) => document.getElementById('settings-count').textContent
    === `${t} settings, showing 51 to ${Math.min(t, 100)}`, total);
  assert.notEqual(await page.locator('#setting-rows a').first().innerText(), firstOnPage);
  await page.screenshot({ path: join(process.env.PORTAL_TEST_TMP ?? dir, 'partnership-page-2.png'), fullPage: true });
  await page.getByRole('link', { name: 'Previous settings' }).click();
  await page.waitForFunction(() => document.getElementById('settings-count').textContent.endsWith('showing 1 to 50'));
  await page.getByLabel('Sector').selectOption('education');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => document.getElementById('csv').href.includes('sector=education'));
  assert.ok(await page.locator('#setting-rows tr').count() > 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /\bG[1-6]\b|early_years/);
  // The areas are the agencies' own; a date is asked for as GOV.UK does.
  assert.ok(await page.locator('#area option[value="Hackney"]').count() === 1);
  await page.locator('#as_of-day').fill('31');
  await page.locator('#as_of-month').fill('3');
  await page.locator('#as_of-year').fill('2026');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => document.getElementById('csv').href.includes('as_of=2026-03-31'));
  assert.equal(await page.locator('#caption').innerText(), 'The partnership on Tuesday 31 March 2026');
  await page.locator('#as_of-month').fill('13');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('.govuk-error-summary').getByText('The date must be a real date').waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(process.env.PORTAL_TEST_TMP ?? dir, 'partnership-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // The chart follows the new width on its next resize callback.
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, { timeout: 5000 })
    .catch(() => {});
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  await page.screenshot({ path: join(process.env.PORTAL_TEST_TMP ?? dir, 'partnership-390.png'), fullPage: true });
  const cookies = await page.context().cookies();
  assert.deepEqual(await axeViolations(browser, '/coverage/partnership', cookies), []);
  await page.goto(BASE + '/coverage/needs', { waitUntil: 'networkidle' });
  await page.locator('#rows tr').first().waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#rows tr').count(), 6);
  assert.match(await page.locator('#caption').innerText(), /^Training needs from \w+day \d+ \w+ \d{4} to \w+day \d+ \w+ \d{4}$/);
  assert.deepEqual(await axeViolations(browser, '/coverage/needs', cookies), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the partnership\'s pages tell a practitioner plainly that they are not theirs', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, 'practitioner@demo.example');
  for (const path of ['/coverage/partnership', '/coverage/needs', '/coverage']) {
    await page.goto(BASE + path);
    await page.locator('main h1').filter({ hasText: /^You (cannot use this page|have no setting to see)$/ })
      .waitFor({ timeout: 10000 });
    assert.equal(await page.locator('main form').count(), 0, path);
    assert.equal(await page.locator('main table').count(), 0, path);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
