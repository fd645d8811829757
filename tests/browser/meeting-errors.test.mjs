// Recording a supervision meeting with nothing filled in: one round of
// errors names the date, the length and every member's attendance, and
// the date's message sits above its three boxes, not inside the Day box.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, sql } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an empty meeting names the date, the length and each member\'s attendance at once', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, 'coordinator@demo.example');
  const [[group]] = sql('SELECT min(id) FROM supervision_groups WHERE active');
  await page.goto(`${BASE}/supervision/meeting?group=${group}`, { waitUntil: 'networkidle' });
  const members = await page.locator('#attendance tbody tr').count();
  assert.ok(members > 0);
  await page.getByRole('button', { name: 'Record the meeting' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const items = await summary.locator('li').allInnerTexts();
  assert.ok(items.some((t) => /date of the meeting/i.test(t)), items.join('\n'));
  assert.ok(items.some((t) => /length of the meeting/i.test(t)), items.join('\n'));
  assert.equal(items.filter((t) => /^Say whether .* was present, sent apologies or was absent$/.test(t)).length, members);
  // The date's message comes before the boxes, which stay side by side.
  const placed = await page.evaluate(() => {
    const msg = document.getElementById('held_on-error');
    const boxes = [...document.querySelectorAll('#held-on .govuk-date-input__item')].map((i) => Math.round(i.getBoundingClientRect().top));
    return { beforeBoxes: msg.nextElementSibling?.classList.contains('govuk-date-input'), rows: new Set(boxes).size };
  });
  assert.deepEqual(placed, { beforeBoxes: true, rows: 1 });
  assert.deepEqual(page.problems.filter((m) => !/status of 422/.test(m)), []);
  await page.context().close();
});
