// What a person sees on the home page and the course catalogue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the home page says what the portal is and leads to the catalogue', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/', { waitUntil: 'networkidle' });
  assert.equal(await page.title(), 'Safeguarding Training Portal');
  assert.match(await page.locator('.govuk-service-navigation__service-name').innerText(),
    /Safeguarding Training Portal/);
  assert.equal(await page.locator('h1').innerText(), 'Multi-agency safeguarding children training');
  assert.match(await page.locator('main').innerText(), /training group level/);
  // A partnership's service: no crown, no GDS Transport.
  assert.equal(await page.locator('.govuk-header__logotype, .govuk-footer__crown, svg.govuk-logo').count(), 0);
  const font = await page.locator('h1').evaluate((h) => getComputedStyle(h).fontFamily);
  assert.doesNotMatch(font, /GDS Transport/);
  assert.match(font, /^system-ui/);
  // GOV.UK Frontend's JavaScript ran (from an external module, under CSP).
  assert.ok(await page.locator('body.govuk-frontend-supported').count());
  assert.deepEqual(page.problems, []);

  await page.getByRole('button', { name: 'Find a course' }).click();
  await page.waitForURL(BASE + '/courses');
  await page.locator('#courses li').first().waitFor();
  // As many as the API lists for anyone (the demo's 40, and any the
  // integration tests published before).
  const { total } = await (await fetch(BASE + '/api/v1/courses?limit=1')).json();
  assert.ok(total >= 40, `${total} courses`);
  assert.match(await page.locator('#count').innerText(), new RegExp(`^${total} courses`));
  assert.equal(await page.locator('#courses li').count(), 20);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('filtering the catalogue by group level and topic narrows the list', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/courses', { waitUntil: 'networkidle' });
  await page.selectOption('#group_level', { label: 'Group 5' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/group_level=G5/);
  await page.locator('#courses li').first().waitFor();
  const titles = await page.locator('#courses li h2').allInnerTexts();
  assert.ok(titles.length > 0 && titles.length < 20, `${titles.length} courses for Group 5`);
  const levels = await page.locator('#courses li').evaluateAll((items) =>
    items.map((i) => i.querySelector('dd').textContent));
  assert.ok(levels.every((l) => l.includes('Group 5')), levels.join(' | '));
  assert.equal(await page.locator('#group_level').inputValue(), 'G5', 'the filter stays chosen');

  await page.selectOption('#topic', { label: 'Neglect' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/topic=neglect/);
  // Not "Loading courses…" (which a wait for /course/ took for the answer).
  await page.locator('#count').filter({ hasText: 'No courses match' }).waitFor({ timeout: 10000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('pagination moves through the catalogue', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/courses', { waitUntil: 'networkidle' });
  await page.locator('#courses li').first().waitFor();
  const first = await page.locator('#courses li h2').first().innerText();
  await page.getByRole('link', { name: 'Next page' }).click();
  await page.waitForURL(/offset=20/);
  await page.locator('#courses li').first().waitFor();
  assert.match(await page.locator('#count').innerText(), /showing 21 to 40/);
  assert.notEqual(await page.locator('#courses li h2').first().innerText(), first);
  await page.context().close();
});

test('no serious or critical accessibility violations (axe-core)', async () => {
  for (const path of ['/', '/courses', '/no-such-page']) {
    assert.deepEqual(await axeViolations(browser, path), [], path);
  }
});
