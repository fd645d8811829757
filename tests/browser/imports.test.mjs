// A coordinator imports the attendance history in the browser: the page
// follows the job (imported off the request path) with a progress bar
// and the step in words, then says what was made; a file with problems
// lists every row and name refused, in words, and imports nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, newPage, signIn, axeViolations } from './browser.mjs';
import { sql } from '../integration/http.mjs';
import { makeArea, historyRows, toCsv } from '../integration/history.mjs';

let browser, dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync('/tmp/portal-browser.');
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a coordinator imports a history: the progress, then what was made; a bad file: every row refused', async () => {
  const page = await newPage(browser);
  await signIn(page, 'coordinator@demo.example');
  await page.getByRole('link', { name: 'Import attendance history' }).click();
  await page.waitForURL(BASE + '/imports');
  await page.locator('html[data-signed-in]').waitFor();

  const { agencies } = makeArea('BRW', ['health']);
  const rows = historyRows({ tag: 'brw', agencies, years: [2014, 2015], perYear: 300 });
  const good = join(dir, 'history.csv');
  writeFileSync(good, toCsv(rows));
  // Every state the bar shows, as the page draws it.
  await page.evaluate(() => {
    window.seenSteps = [];
    const bar = document.getElementById('progress');
    new MutationObserver(() => window.seenSteps.push([bar.value, bar.max,
      document.getElementById('progress-label').textContent]))
      .observe(bar, { attributes: true, childList: true });
  });
  await page.setInputFiles('#file', good);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#done').filter({ hasText: /History imported/ }).waitFor({ timeout: 120000 });
  const done = await page.locator('#done').innerText();
  assert.match(done, new RegExp(`${rows.length.toLocaleString('en-GB')} rows`), done);
  assert.match(done, /places? added/);
  assert.ok(await page.locator('#progress-box').isHidden());
  const seen = await page.evaluate(() => window.seenSteps);
  assert.ok(seen.length > 0, 'the progress bar was never drawn');
  assert.ok(seen.every(([, max]) => max === 8), JSON.stringify(seen));
  assert.ok(seen.some(([, , label]) => /^Step \d of 8: [A-Z][a-z]/.test(label)), JSON.stringify(seen));
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  assert.equal(Number(sql(`SELECT count(*) FROM people WHERE agency_id = ${agencies[0].id}`)[0][0]) > 0, true);

  // A bad file: rows and names refused, in words, nothing imported.
  const { agencies: others } = makeArea('BRX', ['police']);
  const bad = historyRows({ tag: 'brx', agencies: others, years: [2014], perYear: 5 });
  bad[0].session_date = '2014-02-30';
  bad[1].format = 'picnic';
  const badFile = join(dir, 'bad.csv');
  writeFileSync(badFile, toCsv(bad));
  await page.setInputFiles('#file', badFile);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#refused-box:not(.portal-hidden)').waitFor({ timeout: 60000 });
  const refused = await page.locator('#refused li').allInnerTexts();
  assert.deepEqual(refused.map((r) => r.replace(/:.*/, '')), ['Line 2, Session date', 'Line 3, Format']);
  assert.match(await page.locator('#refused-text').innerText(), /Nothing was imported/);
  assert.ok(await page.locator('.govuk-error-summary').isVisible());
  assert.equal(sql(`SELECT count(*) FROM people WHERE agency_id = ${others[0].id}`)[0][0], '0');
  // An unknown agency is named as written.
  bad[0].session_date = '2014-05-02';
  bad[1].format = 'seminar';
  bad[2].agency = 'Nowhere Trust';
  writeFileSync(badFile, toCsv(bad));
  await page.setInputFiles('#file', badFile);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#refused li', { hasText: 'Nowhere Trust' }).waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#refused li').count(), 1);

  const cookies = await page.context().cookies();
  await page.context().close();
  assert.deepEqual(await axeViolations(browser, '/imports', cookies), []);
});

test('only coordinators import: others are told so, with no form', async () => {
  const page = await newPage(browser);
  await signIn(page, 'reviewer@demo.example');
  await page.goto(BASE + '/imports');
  await page.locator('h1', { hasText: 'You cannot use this page' }).waitFor();
  assert.equal(await page.locator('main form').count(), 0);
  await page.context().close();
});
