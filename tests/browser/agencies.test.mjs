// Agencies and settings pages: a coordinator adds an agency (a mistake
// first, each problem named), finds it filtered by sector, changes it,
// marks it closed after confirming and reopens it; phone width, axe, no
// codes shown; other roles are refused plainly, signed-out people sent
// to sign in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, newPage, axeViolations, sql, signIn } from './browser.mjs';

const tag = `${process.pid}${Date.now() % 100000}`;
let browser, dir, shots;
before(async () => {
  browser = await launch();
  dir = mkdtempSync('/tmp/portal-browser.');
  shots = process.env.PORTAL_SCREENSHOTS ?? process.env.PORTAL_TEST_TMP ?? dir;
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});


// Nothing wider than a phone; the screenshot of a long page stops at
// 2,000 px.
async function fitsPhone(page, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: join(shots, `${name}-390.png`), fullPage: true,
    clip: { x: 0, y: 0, width: 390, height: Math.min(height, 2000) } });
  assert.ok(width <= 390, `${name} is ${width}px wide`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a coordinator adds an agency, finds it, changes it and marks it closed', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'coordinator@demo.example');
  await page.getByRole('link', { name: 'Agencies and settings', exact: true }).click();
  await page.waitForURL(BASE + '/agencies');
  await page.locator('#rows tr').first().waitFor({ timeout: 10000 });
  const [[open]] = sql('SELECT count(*) FROM agencies WHERE active');
  assert.match(await page.locator('#count').innerText(), new RegExp(`^${open} agencies`));
  assert.doesNotMatch(await page.locator('main').innerText(), /\b[a-z]+_[a-z_]+\b/);
  await page.screenshot({ path: join(shots, 'agencies-1280.png'), fullPage: true });
  await fitsPhone(page, 'agencies');

  // A mistake: no name and no sector. Each problem is named, in the
  // form's order, and the phase is not asked of an agency without one.
  await page.getByRole('button', { name: 'Add an agency' }).click();
  await page.waitForURL(BASE + '/agencies/agency');
  await page.getByLabel('Area').fill('Hackney');
  assert.equal(await page.getByLabel('Phase').isVisible(), false);
  await page.getByRole('button', { name: 'Add the agency' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ timeout: 10000 });
  assert.deepEqual(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ['#name', '#sector']);
  assert.match(await summary.innerText(), /Enter the name of the agency/);
  assert.match(await summary.innerText(), /Choose one of the sectors/);
  assert.match(await page.title(), /^Error: /);
  await page.screenshot({ path: join(shots, 'agency-errors-1280.png'), fullPage: true });
  await fitsPhone(page, 'agency-errors');

  // Fixed: a primary school.
  const name = `Daubeney Primary School ${tag}`;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Sector').selectOption('education');
  await page.getByLabel('Phase').selectOption('primary');
  await page.getByRole('button', { name: 'Add the agency' }).click();
  await page.waitForURL(/\/agencies\/agency\?id=\d+&added=1$/, { timeout: 10000 });
  const id = new URL(page.url()).searchParams.get('id');
  await page.locator('#saved-text').filter({ hasText: `${name} is added.` }).waitFor({ timeout: 10000 });
  assert.deepEqual(sql(`SELECT name, sector, area, phase, active FROM agencies WHERE id = ${id}`),
    [[name, 'education', 'Hackney', 'primary', 't']]);

  // In the list, filtered by sector, in words.
  await page.goto(BASE + '/agencies');
  await page.locator('#rows tr').first().waitFor({ timeout: 10000 });
  await page.getByLabel('Sector').selectOption('education');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/sector=education/);
  const row = page.locator(`#rows tr[data-agency="${id}"]`);
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.innerText(), /Education\s+Primary\s+Hackney\s+Open/);
  const sectors = await page.locator('#rows tr td:nth-child(2)').allInnerTexts();
  assert.ok(sectors.length > 1 && sectors.every((s) => s === 'Education'), sectors.join(', '));

  // Changed: now a secondary academy in another area.
  await row.getByRole('link', { name }).click();
  await page.waitForURL(BASE + `/agencies/agency?id=${id}`);
  await page.locator('#heading').filter({ hasText: name }).waitFor({ timeout: 10000 });
  assert.equal(await page.getByLabel('Phase').inputValue(), 'primary');
  await page.getByLabel('Name').fill(`${name} Academy`);
  await page.getByLabel('Phase').selectOption('secondary');
  await page.getByLabel('Area').fill('City of London');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#saved-text').filter({ hasText: 'The changes are saved.' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#heading').innerText(), `${name} Academy`);
  assert.deepEqual(sql(`SELECT phase, area FROM agencies WHERE id = ${id}`), [['secondary', 'City of London']]);

  // A health agency has no phase: the question goes, and none is sent.
  await page.getByLabel('Sector').selectOption('health');
  assert.equal(await page.getByLabel('Phase').isVisible(), false);
  await page.getByLabel('Sector').selectOption('education');
  assert.equal(await page.getByLabel('Phase').isVisible(), true);

  // Marked as closed, only after confirming.
  await page.getByRole('button', { name: 'Mark as closed' }).click();
  await page.getByText(`Has ${name} Academy closed?`).waitFor({ timeout: 5000 });
  await page.getByRole('button', { name: 'No, keep it open' }).click();
  assert.deepEqual(sql(`SELECT active FROM agencies WHERE id = ${id}`), [['t']]);
  await page.getByRole('button', { name: 'Mark as closed' }).click();
  await page.screenshot({ path: join(shots, 'agency-confirm-1280.png'), fullPage: true });
  await fitsPhone(page, 'agency-confirm');
  await page.getByRole('button', { name: 'Yes, mark it as closed' }).click();
  await page.locator('#saved-text').filter({ hasText: 'is marked as closed' }).waitFor({ timeout: 10000 });
  assert.match(await page.locator('#status').innerText(), /^Closed/);
  assert.equal(await page.getByRole('button', { name: 'Reopen this agency' }).isVisible(), true);
  assert.deepEqual(sql(`SELECT active FROM agencies WHERE id = ${id}`), [['f']]);
  assert.equal(await page.getByRole('button', { name: 'Mark as closed' }).isVisible(), false);
  await page.screenshot({ path: join(shots, 'agency-closed-1280.png'), fullPage: true });

  // It shows as closed, and is gone from the open ones.
  await page.goto(BASE + '/agencies?status=closed');
  await page.locator(`#rows tr[data-agency="${id}"]`).filter({ hasText: 'Closed' }).waitFor({ timeout: 10000 });
  await page.goto(BASE + '/agencies?sector=education&area=City+of+London');
  // The answer's count, not "Loading agencies…", before the row is looked for.
  await page.locator('#count').filter({ hasText: /^\d+ agenc/ }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator(`#rows tr[data-agency="${id}"]`).count(), 0);

  const cookies = await page.context().cookies();
  assert.deepEqual(await axeViolations(browser, '/agencies', cookies), []);
  assert.deepEqual(await axeViolations(browser, `/agencies/agency?id=${id}`, cookies), []);

  // Reopened: it had not closed after all.
  await page.goto(BASE + `/agencies/agency?id=${id}`);
  await page.getByRole('button', { name: 'Reopen this agency' }).click();
  await page.locator('#saved-text').filter({ hasText: 'is open again' }).waitFor({ timeout: 10000 });
  assert.deepEqual(sql(`SELECT active FROM agencies WHERE id = ${id}`), [['t']]);
  await fitsPhone(page, 'agency');
  // The mistake's 422 is the only complaint.
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  await page.context().close();
});

test('a practitioner is refused plainly; a signed-out visitor is sent to sign in', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(BASE + '/agencies');
  await page.waitForURL(`${BASE}/sign-in?next=%2Fagencies`, { timeout: 10000 });
  await signIn(page, 'practitioner@demo.example');
  for (const path of ['/agencies', '/agencies/agency']) {
    await page.goto(BASE + path);
    await page.getByRole('heading', { name: 'You cannot change the agencies' }).waitFor({ timeout: 10000 });
    assert.equal(await page.locator('main form').count(), 0);
    assert.equal(await page.locator('main table').count(), 0);
  }
  await page.screenshot({ path: join(shots, 'agency-refused-390.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
