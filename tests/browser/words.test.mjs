// Plain words, and each role's pages: no codes (G3, half_day) reach a
// person; printed registers carry dates as people write them; errors name
// their fields in the order of the form; a page a role may not use says
// so without a half-drawn form; a trainer's counts and each role's home.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch } from './browser.mjs';
import { sql, login, as } from '../integration/http.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function pageAs(role) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { cookie } = await login(`${role}@demo.example`);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: BASE }]);
  return context.newPage();
}

async function open(page, path) {
  await page.goto(BASE + path, { waitUntil: 'networkidle', timeout: 30000 });
  await page.locator('html[data-signed-in]').waitFor({ timeout: 10000 });
  await page.waitForLoadState('networkidle');
}

test('the printed register dates its session as people write dates', async () => {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-NEG'");
  const year = new Date().getUTCFullYear() + 1;
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), starts_at: `${year}-12-19T09:30`, ends_at: `${year}-12-19T16:00`,
    venue: 'Hackney Service Centre', capacity: 10 } });
  assert.equal(s.status, 201, s.text);
  const [[weekday]] = sql(`SELECT trim(to_char(date '${year}-12-19', 'Day'))`);
  const res = await as(coordinator, `/api/v1/sessions/${s.json.id}/register?format=html`);
  assert.equal(res.status, 200);
  assert.ok(res.text.includes(`${weekday} 19 December ${year}, 9:30am`), res.text.slice(0, 600));
  assert.doesNotMatch(res.text, /\d{4}-\d{2}-\d{2}T/);
});

test('errors name their fields ("Enter the course title"), in the order of the form', async () => {
  const page = await pageAs('coordinator');
  await open(page, '/programme/course');
  await page.getByRole('button', { name: 'Add the course' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const items = await summary.locator('li').allInnerTexts();
  assert.deepEqual(items.slice(0, 3), ['Enter the course code', 'Enter the course title', 'Choose a format']);
  assert.ok(!items.some((i) => /cannot be empty/.test(i)), items.join(' | '));
  // Every linked item's field comes after the one before it in the form.
  const order = await summary.locator('a').evaluateAll((links) => links.map((a) => {
    const target = document.querySelector(a.getAttribute('href'));
    return [...document.querySelectorAll('#course *')].indexOf(target);
  }));
  assert.deepEqual(order, [...order].sort((a, b) => a - b), `form order: ${order}`);
  await page.context().close();
});

test('dates are asked for with GOV.UK date inputs, and a date that is not one is named', async () => {
  const page = await pageAs('coordinator');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-NEG'");
  await open(page, `/programme/session?course_id=${course}`);
  assert.equal(await page.locator('input[type="datetime-local"], input[type="date"]').count(), 0);
  const starts = page.getByRole('group', { name: /^Starts/ });
  await starts.getByLabel('Day').fill('31');
  await starts.getByLabel('Month').fill('2');
  await starts.getByLabel('Year').fill('2030');
  await starts.getByLabel('Time').fill('9:30am');
  await page.getByRole('button', { name: 'Schedule the session' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.ok((await summary.locator('li').allInnerTexts()).includes('Starts must be a real date, like 19 12 2026'));
  await summary.getByRole('link', { name: 'Starts must be a real date, like 19 12 2026' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'starts_at-day');
  await open(page, '/sessions');
  assert.equal(await page.locator('input[type="date"]').count(), 0);
  await page.context().close();
});

test('a page a role may not use says so plainly, with no half-drawn form', async () => {
  const lead = await pageAs('lead');
  for (const path of ['/programme', '/programme/course', '/programme/session?id=1']) {
    await open(lead, path);
    assert.equal(await lead.locator('h1').innerText(), 'You cannot change the programme', path);
    assert.equal(await lead.locator('main form, main table, main .govuk-button').count(), 0, path);
  }
  await lead.context().close();
  const trainer = await pageAs('trainer');
  await open(trainer, '/teaching/register');
  assert.equal(await trainer.locator('h1').innerText(), 'Choose a session');
  assert.equal(await trainer.locator('main form, main table, main dl').count(), 0);
  await open(trainer, '/staff');
  assert.equal(await trainer.locator('h1').innerText(), 'You do not keep a staff list');
  assert.equal(await trainer.locator('main form, main table').count(), 0);
  await trainer.context().close();
});

test('a trainer\'s past sessions count who was booked and who came', async () => {
  const page = await pageAs('trainer');
  await open(page, '/teaching');
  const [[id, booked, came]] = sql(`SELECT s.id,
      count(*) FILTER (WHERE b.status IN ('confirmed', 'attended', 'partial', 'no_show')),
      count(*) FILTER (WHERE b.status IN ('attended', 'partial'))
    FROM sessions s JOIN session_trainers t ON t.session_id = s.id JOIN people p ON p.id = t.person_id
    JOIN bookings b ON b.session_id = s.id
    WHERE p.email = 'trainer@demo.example' AND s.starts_at < now() - interval '1 day' AND s.status = 'scheduled'
    GROUP BY s.id HAVING count(*) FILTER (WHERE b.status IN ('attended', 'partial', 'no_show')) > 0
    ORDER BY s.starts_at DESC LIMIT 1`);
  assert.ok(Number(booked) > 0);
  // Past sessions come ten a page, latest first: "Earlier" until it shows.
  const row = page.locator(`#past-rows tr[data-session="${id}"]`);
  await page.locator('#past-rows tr').first().waitFor({ timeout: 10000 });
  for (let i = 0; i < 50 && !(await row.count()); i++) {
    await page.locator('#past-older a').click();
    await page.waitForLoadState('networkidle');
    await page.locator('#past-rows tr').first().waitFor({ timeout: 10000 });
  }
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.innerText(), new RegExp(`\\b${came} of ${booked} came\\b`));
  await page.context().close();
});

test('each role\'s account page is its home: the links and counts it needs', async () => {
  const trainer = await pageAs('trainer');
  await open(trainer, '/account');
  const [[toTake]] = sql(`SELECT count(*) FROM sessions s JOIN session_trainers t ON t.session_id = s.id
    JOIN people p ON p.id = t.person_id WHERE p.email = 'trainer@demo.example' AND s.starts_at <= now()
      AND s.status = 'scheduled' AND s.confirmed_count > 0
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.session_id = s.id AND b.status IN ('attended', 'partial', 'no_show'))`);
  assert.match(await trainer.locator('#home-trainer').innerText(),
    Number(toTake) ? new RegExp(`${toTake} registers? to take`) : /No registers to take/);
  assert.ok(await trainer.getByRole('link', { name: 'All the sessions you train' }).isVisible());
  assert.equal(await trainer.locator('#home-coordinator').isVisible(), false);
  await trainer.context().close();

  const lead = await pageAs('lead');
  await open(lead, '/account');
  const [[staff]] = sql(`SELECT count(*) FROM people p WHERE p.agency_id = (SELECT agency_id FROM people
    WHERE email = 'lead@demo.example') AND p.erased_at IS NULL`);
  assert.match(await lead.locator('#home-lead').innerText(), new RegExp(`${staff} (person|people) on your staff list`));
  assert.equal(await lead.locator('#group_level').innerText(), 'Group 5');
  await lead.context().close();

  const coordinator = await pageAs('coordinator');
  await open(coordinator, '/account');
  const [[courses]] = sql('SELECT count(*) FROM courses');
  assert.match(await coordinator.locator('#home-coordinator').innerText(), new RegExp(`^${courses} courses`, 'm'));
  assert.ok(await coordinator.getByRole('link', { name: 'Courses and sessions' }).isVisible());
  await coordinator.context().close();

  const practitioner = await pageAs('practitioner');
  await open(practitioner, '/account');
  assert.ok(await practitioner.getByRole('link', { name: 'Your bookings' }).isVisible());
  assert.equal(await practitioner.locator('#home-trainer, #home-lead, #home-coordinator').evaluateAll(
    (els) => els.filter((e) => e.offsetParent !== null).length), 0);
  await practitioner.context().close();
});
