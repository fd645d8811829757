// Accounts in the browser: register, sign in, sign out; a form's errors;
// a setting lead's staff list upload with errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { mailedToken } from '../integration/http.mjs';

let browser, dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync('/tmp/portal-browser.');
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page, email, password) {
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  await page.locator('#full_name').filter({ hasText: /\S/ }).waitFor();
}

test('register, confirm the address through the mailed link, sign in, see the account, sign out', async () => {
  const page = await newPage(browser);
  const email = `browser.${Date.now()}@example.org`;
  await page.goto(BASE + '/register', { waitUntil: 'networkidle' });
  await page.getByLabel('Full name').fill('Brenda Browser');
  await page.getByLabel('Work email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('maple kettle window river');
  await page.getByLabel('Agency or setting you work for').selectOption({ index: 3 });
  await page.getByLabel('Job title').fill('Health visitor');
  await page.getByLabel('Training group level').selectOption('G3');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#sent').waitFor({ timeout: 10000 });
  assert.match(await page.locator('#sent').innerText(), /Check your email/);
  assert.equal(page.url(), BASE + '/register', 'nothing in the address');

  // The link from the mail: the token is in the fragment, gone once read.
  await page.goto(`${BASE}/verify-email#token=${mailedToken(email, 'verify-email')}`);
  await page.locator('#verified').waitFor({ timeout: 10000 });
  assert.equal(page.url(), BASE + '/verify-email');

  await signIn(page, email, 'maple kettle window river');
  assert.equal(await page.locator('#full_name').innerText(), 'Brenda Browser');
  assert.equal(await page.locator('#email').innerText(), email);
  assert.equal(await page.locator('#roles').innerText(), 'Practitioner');
  assert.equal(await page.locator('#home-lead').isVisible(), false);

  assert.match(await page.locator('header').innerText(), /Signed in as\s+Brenda Browser/);
  await page.locator('header').getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in\?signed-out=1/);
  assert.match(await page.locator('#done').innerText(), /signed out/);
  await page.goto(BASE + '/account');
  await page.waitForURL(BASE + '/sign-in?next=%2Faccount', { timeout: 5000 });
  assert.deepEqual(page.problems.filter((p) => !/status of 401/.test(p)), []);
  await page.context().close();
});

test('a form with mistakes lists every problem, moves focus, keeps the answers', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/register', { waitUntil: 'networkidle' });
  await page.getByLabel('Full name').fill('Kept Name');
  await page.getByLabel('Work email address').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByRole('button', { name: 'Create account' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const items = await summary.locator('li').allInnerTexts();
  assert.ok(items.length >= 5, items.join(' | '));
  assert.ok(await summary.evaluate((s) => s === document.activeElement), 'focus on the summary');
  assert.match(await page.title(), /^Error: /);
  for (const id of ['email', 'password', 'agency_id', 'job_title', 'group_level']) {
    assert.ok(await page.locator(`#${id}-error`).count(), `inline error for ${id}`);
  }
  assert.equal(await page.getByLabel('Full name').inputValue(), 'Kept Name');
  assert.equal(await page.locator('#full_name-error').count(), 0);
  // The summary's links lead to the fields.
  await summary.getByRole('link', { name: /e-mail address in the right format/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
  await page.context().close();
});

test('without its script, a password form posts and comes back: the password is never in the address', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  const seen = [];
  page.on('request', (r) => seen.push(r.url()));
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill('someone@example.org');
  await page.getByLabel('Password').fill('secret in the address');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  assert.equal(page.url(), BASE + '/sign-in');
  assert.ok(seen.every((u) => !/secret/.test(u)), seen.join(' '));
  await page.context().close();
});

test('a setting lead uploads a staff list with errors, then a good one', async () => {
  const page = await newPage(browser);
  await signIn(page, 'lead@demo.example', 'demo-password-2016');
  assert.ok(await page.locator('#home-lead').isVisible());
  await page.getByRole('link', { name: "Your setting's staff list" }).click();
  await page.waitForURL(BASE + '/staff');
  await page.locator('#staff-caption').filter({ hasText: /\(\d+\)/ }).waitFor();
  const before = await page.locator('#staff-rows tr').count();
  const tag = Date.now();
  const header = 'full_name,email,job_title,group_level,is_dsl,manager_email';
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `${header}\nGood One,good.${tag}@school.example,TA,G2,no,\n`
    + `,blank.${tag}@school.example,TA,G2,no,\nBad Mail,nope,TA,G2,perhaps,\n`);
  await page.setInputFiles('#file', bad);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const problems = await summary.locator('li').allInnerTexts();
  // Columns are named as people read them.
  assert.deepEqual(problems.map((p) => p.replace(/:.*/, '')),
    ['Line 3, Full name', 'Line 4, Email', 'Line 4, Is a DSL']);
  assert.equal(await page.locator('#staff-rows tr').count(), before, 'nothing applied');

  const good = join(dir, 'good.csv');
  writeFileSync(good, `${header}\nGood One,good.${tag}@school.example,TA,G2,no,\n`
    + `Two Good,two.${tag}@school.example,Teacher,G3,yes,\n`);
  await page.setInputFiles('#file', good);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.locator('#done').filter({ hasText: /uploaded/ }).waitFor();
  assert.match(await page.locator('#done').innerText(), /2 added, 0 updated, 0 unchanged/);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  await page.locator('#staff-rows tr').nth(before + 1).waitFor();
  assert.equal(await page.locator('#staff-rows tr').count(), before + 2);
  assert.ok((await page.locator('#staff-rows').innerText()).includes(`two.${tag}@school.example`));
  await page.context().close();
});

test('account pages have no serious or critical accessibility violations', async () => {
  for (const path of ['/register', '/sign-in', '/forgotten-password', '/reset-password#token=x',
    '/verify-email#token=x']) {
    assert.deepEqual(await axeViolations(browser, path), [], path);
  }
  const page = await newPage(browser);
  await signIn(page, 'lead@demo.example', 'demo-password-2016');
  const cookies = await page.context().cookies();
  await page.context().close();
  for (const path of ['/account', '/staff']) {
    assert.deepEqual(await axeViolations(browser, path, cookies), [], path);
  }
});
