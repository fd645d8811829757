// A practitioner changes their line manager on their account page: the
// change waits for the link mailed to their own address, which the
// /confirm-manager page confirms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage } from './browser.mjs';
import { register, mailedToken } from '../integration/http.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a practitioner changes their line manager through the link mailed to them', async () => {
  const first = `first.manager.${process.pid}@example.org`;
  const next = `next.manager.${process.pid}@example.org`;
  const { body } = await register({ manager_email: first });
  const page = await newPage(browser);
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(body.email);
  await page.getByLabel('Password').fill(body.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  await page.getByText(`You named ${first}.`).waitFor();

  // Nothing entered: the field is named.
  await page.getByRole('button', { name: 'Change your line manager' }).click();
  await page.locator('#manager_email-error').waitFor();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter your line manager's email address/);
  // Their own address is refused.
  await page.getByLabel("Your new line manager's email address").fill(body.email);
  await page.getByRole('button', { name: 'Change your line manager' }).click();
  await page.getByText('not your own').first().waitFor();

  await page.getByLabel("Your new line manager's email address").fill(next);
  await page.getByRole('button', { name: 'Change your line manager' }).click();
  await page.getByText(`We have emailed you a link to change it to ${next}.`).waitFor();
  assert.ok(await page.getByText(`You named ${first}.`).isVisible());

  await page.goto(`${BASE}/confirm-manager#token=${mailedToken(body.email, 'confirm-manager')}`);
  await page.getByRole('heading', { name: 'Line manager changed' }).waitFor();
  assert.match(await page.locator('#manager').innerText(), new RegExp(next.replace(/\./g, '\\.')));
  assert.equal(new URL(page.url()).hash, '');
  await page.goto(BASE + '/account');
  await page.getByText(`You named ${next}.`).waitFor();
});
