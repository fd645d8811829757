// Walk-ins in the browser: a coordinator reads the walk-ins trainers
// added on the programme page, confirms one and removes another (asked
// first), without codes or ids on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage } from './browser.mjs';
import { DEMO_PASSWORD, login, as, sql } from '../integration/http.mjs';
import { newSession } from '../integration/sessions.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a coordinator confirms one walk-in and removes another on the programme page', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  const [[agency]] = sql("SELECT min(id) FROM agencies WHERE sector = 'police'");
  const add = (email, name) => as(trainer, `/api/v1/sessions/${id}/attendees`, { method: 'POST',
    body: { email, full_name: name, agency_id: Number(agency), group_level: 'G2' } });
  const keep = await add(`keep.${process.pid}@example.org`, `Kim Keep ${process.pid}`);
  const drop = await add(`drop.${process.pid}@example.org`, `Dan Drop ${process.pid}`);
  assert.equal(keep.status, 201, keep.text);
  assert.equal(drop.status, 201, drop.text);

  const page = await newPage(browser);
  await page.goto(BASE + '/sign-in?next=/programme');
  await page.getByLabel('Email address').fill('coordinator@demo.example');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/programme');
  const keepRow = page.locator(`#walk-in-rows tr[data-booking="${keep.json.booking_id}"]`);
  await keepRow.waitFor();
  const text = await keepRow.innerText();
  assert.match(text, new RegExp(`Kim Keep ${process.pid}`));
  assert.ok(!/\bG2\b/.test(text), text);

  await page.getByRole('button', { name: `Confirm Kim Keep ${process.pid} at` }).click();
  await keepRow.waitFor({ state: 'detached' });
  assert.match(await page.locator('#walk-ins-count').innerText(), /attendance is confirmed/);
  assert.equal(sql(`SELECT confirmed_at IS NOT NULL FROM walk_ins WHERE booking_id = ${keep.json.booking_id}`)[0][0], 't');

  const remove = page.getByRole('button', { name: `Remove Dan Drop ${process.pid} from` });
  await remove.click();
  // Asked first: nothing is removed yet.
  await page.getByText('This takes Dan Drop').waitFor();
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE id = ${drop.json.booking_id}`)[0][0], '1');
  await remove.click();
  await page.locator(`#walk-in-rows tr[data-booking="${drop.json.booking_id}"]`).waitFor({ state: 'detached' });
  assert.match(await page.locator('#walk-ins-count').innerText(), /attendance is removed/);
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE id = ${drop.json.booking_id}`)[0][0], '0');
});
