// The coordinator's own pages, each journey finishing on its page:
// accounts and roles (find a person, give a role after checking the
// change, disable the account after confirming), the audit log (the
// same changes in words, filtered), evaluations not yet sent (across
// sessions, then who to remind on one), and on the register "Mark
// everyone attended" (asked first) and adding a walk-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { DEMO_PASSWORD, login, as, register, sql } from '../integration/http.mjs';
import { newSession, move, attend } from '../integration/sessions.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(next, options = {}) {
  const page = await newPage(browser, options);
  await page.goto(`${BASE}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill('coordinator@demo.example');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + next);
  return page;
}

// With PORTAL_SCREENSHOTS=dir, the page as it is now at 1280 and 390 px.
async function shoot(page, name) {
  const dir = process.env.PORTAL_SCREENSHOTS;
  if (!dir) return;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${dir}/journey-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${dir}/journey-${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
}

// No serious axe violation at 1280 px, nothing wider than a phone.
async function check(page, path) {
  const cookies = await page.context().cookies();
  assert.deepEqual(await axeViolations(browser, path, cookies), [], path);
  const phone = await newPage(browser, { viewport: { width: 390, height: 800 } });
  await phone.context().addCookies(cookies);
  await phone.goto(BASE + path, { waitUntil: 'networkidle' });
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `${path} is ${wide} px wide on a phone`);
  await phone.context().close();
}

test('accounts and roles: find a person, give a role after checking, disable the account after confirming; the audit log says so', async () => {
  const { res, body } = await register({ full_name: `Rowan Roles ${process.pid}` });
  assert.equal(res.status, 200, res.text);
  const id = res.json.id;
  const them = await login(body.email, body.password);
  const page = await signIn('/account');
  await page.getByRole('link', { name: 'Accounts and roles' }).click();
  await page.waitForURL(BASE + '/accounts');
  await page.getByLabel('Name or email address').fill(`Rowan Roles ${process.pid}`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#count').filter({ hasText: /^1 account$/ }).waitFor();
  assert.ok(!page.url().includes('Rowan'), 'the search stays out of the address');
  const found = page.locator(`#rows tr[data-person="${id}"]`);
  assert.match(await found.innerText(), /Practitioner[\s\S]*Active/);
  await found.getByRole('link', { name: `Rowan Roles ${process.pid}` }).click();
  await page.locator('#person-name').filter({ hasText: `Rowan Roles ${process.pid}` }).waitFor();

  // Nothing changed: said so. A setting lead needs the setting.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.govuk-error-summary').filter({ hasText: 'Tick or untick a role' }).waitFor();
  await page.getByLabel('Setting lead').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('#agency_id-error').waitFor();
  await page.getByLabel('Setting lead').uncheck();
  await page.getByLabel('Trainer').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('#check-roles').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#check-given').innerText(), 'Trainer');
  assert.equal(await page.locator('#check-after').innerText(), 'Practitioner and Trainer');
  // Checked, not yet saved.
  assert.deepEqual(sql(`SELECT role FROM account_roles WHERE person_id = ${id} ORDER BY role`), [['practitioner']]);
  await shoot(page, 'accounts-check');
  await page.getByRole('button', { name: 'Save the roles' }).click();
  await page.locator('#done').filter({ hasText: 'roles are saved: Practitioner and Trainer' }).waitFor();
  assert.deepEqual(sql(`SELECT role FROM account_roles WHERE person_id = ${id} ORDER BY role`), [['practitioner'], ['trainer']]);
  // The earlier mistakes are gone with the change saved.
  assert.equal(await page.locator('.govuk-error-message:visible, .govuk-error-summary').count(), 0);

  // Disabling asks first; "No" changes nothing.
  await page.getByRole('button', { name: 'Disable the account' }).click();
  await page.getByText(`Disable the account of Rowan Roles ${process.pid}?`).waitFor();
  await page.getByRole('link', { name: 'No, keep it' }).click();
  assert.equal(sql(`SELECT disabled_at IS NULL FROM accounts WHERE person_id = ${id}`)[0][0], 't');
  await page.getByRole('button', { name: 'Disable the account' }).click();
  await shoot(page, 'accounts-disable');
  await page.getByRole('button', { name: 'Yes, disable the account' }).click();
  await page.locator('#done').filter({ hasText: 'account is disabled' }).waitFor();
  await shoot(page, 'accounts-disabled');
  assert.equal(await page.locator('#person-status').innerText(), 'Disabled: cannot sign in');
  assert.equal((await as(them, '/api/v1/me')).status, 401);
  await page.getByRole('button', { name: 'Enable the account' }).waitFor();

  // The audit log says what was done, in words, by whom, about whom.
  await page.goto(BASE + '/audit', { waitUntil: 'networkidle' });
  await page.getByLabel('What was done').selectOption({ label: 'Accounts and roles' });
  await page.getByLabel('By or about a person').fill(body.email);
  await page.getByRole('button', { name: 'Show' }).click();
  const rows = page.locator('#rows tr');
  await rows.first().filter({ hasText: 'Account disabled' }).waitFor();
  const log = await page.locator('#rows').innerText();
  const [[coordinatorName]] = sql("SELECT full_name FROM people WHERE email = 'coordinator@demo.example'");
  assert.match(log, /Roles changed/);
  assert.match(log, new RegExp(coordinatorName));
  assert.match(log, new RegExp(`Rowan Roles ${process.pid}`));
  assert.match(log, /Roles now: Practitioner, Trainer/);
  assert.doesNotMatch(log, /account\.|\.roles|_/);
  // Every choice of "What was done" is one the log can be filtered by.
  await page.getByLabel('By or about a person').fill('');
  for (const value of await page.locator('#action option').evaluateAll((os) => os.map((o) => o.value))) {
    await page.getByLabel('What was done').selectOption(value);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#count').filter({ hasText: /entr|Nothing/ }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('.govuk-error-summary').count(), 0, `the choice ${value}`);
  }
  // A wrong date is named.
  await page.getByRole('group', { name: /^From/ }).getByLabel('Day').fill('31');
  await page.getByRole('group', { name: /^From/ }).getByLabel('Month').fill('2');
  await page.getByRole('group', { name: /^From/ }).getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('.govuk-error-summary').filter({ hasText: 'From must be a real date' }).waitFor();

  assert.deepEqual(page.problems, []);
  await check(page, '/accounts');
  await check(page, '/audit');
  await page.context().close();
});

test('the long lists page with Previous and Next: accounts and the audit log in place, agencies and the programme by address', async () => {
  // Rows enough for a second page of each list, whatever ran before.
  const coordinator = await login('coordinator@demo.example');
  const short = async (path, size) => Math.max(0, size + 1 -
    (await as(coordinator, `${path}${path.includes('?') ? '&' : '?'}limit=1`)).json.total);
  const tag = process.pid % 100000;
  sql(`WITH p AS (INSERT INTO people (full_name, email)
      SELECT 'Paige Turner ' || g, 'paige-${tag}-' || g || '@example.org'
        FROM generate_series(1, ${await short('/api/v1/accounts', 20)}) g RETURNING id)
    INSERT INTO accounts (person_id, password_hash)
    SELECT id, (SELECT password_hash FROM accounts LIMIT 1) FROM p`);
  sql(`INSERT INTO agencies (name, sector, area) SELECT 'Paging Children''s Centre ${tag}-' || g,
    'early_years', 'Hackney' FROM generate_series(1, ${await short('/api/v1/agencies', 100)}) g`);
  sql(`INSERT INTO courses (code, title, summary, format, duration_minutes, multi_agency, published)
    SELECT 'PG${tag}-' || g, 'Paging course ' || g, '', 'seminar', 60, false, false
      FROM generate_series(1, ${await short('/api/v1/courses?include_unpublished=true', 50)}) g`);
  sql(`INSERT INTO audit_log (actor_person_id, action) SELECT ${coordinator.account.person_id}, 'session.login'
    FROM generate_series(1, ${await short('/api/v1/audit', 50)}) g`);
  const page = await signIn('/accounts');
  const count = page.locator('#count');
  const pages = page.locator('#pagination');
  const at = (text) => count.filter({ hasText: text }).waitFor();
  // In place: the address stays, the rows change.
  for (const [path, size, back, on] of [['/accounts', 20, 'Previous page', 'Next page'],
    ['/audit', 50, 'Newer entries', 'Older entries']]) {
    if (path !== '/accounts') await page.goto(BASE + path, { waitUntil: 'networkidle' });
    await at(new RegExp(`showing 1 to ${size}$`));
    assert.ok(await page.locator('#prev').isHidden(), `${path}: no page before the first`);
    await pages.getByRole('link', { name: on }).click();
    await at(new RegExp(`showing ${size + 1} to`));
    assert.equal(page.url(), BASE + path);
    await pages.getByRole('link', { name: back }).click();
    await at(new RegExp(`showing 1 to ${size}$`));
    assert.ok(await page.locator('#prev').isHidden(), `${path}: back on the first page`);
  }
  // By address: each page is a link of its own.
  for (const [path, size] of [['/agencies', 100], ['/programme', 50]]) {
    await page.goto(BASE + path, { waitUntil: 'networkidle' });
    await at(new RegExp(`showing 1 to ${size}$`));
    assert.ok(await page.locator('#prev').isHidden(), `${path}: no page before the first`);
    await pages.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(new RegExp(`${path}\\?(.*&)?offset=${size}$`));
    await at(new RegExp(`showing ${size + 1} to`));
    await pages.getByRole('link', { name: 'Previous page' }).click();
    await page.waitForURL(new RegExp(`${path}\\?(.*&)?offset=0$`));
    await at(new RegExp(`showing 1 to ${size}$`));
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('evaluations not yet sent: across sessions, then who to remind on one', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -2 });
  attend(id, 3, 700);
  const page = await signIn('/programme');
  await page.getByRole('link', { name: 'Evaluations not yet sent' }).click();
  await page.waitForURL(BASE + '/programme/evaluations');
  const link = page.locator(`#rows a[href="/programme/evaluations?id=${id}"]`);
  await link.waitFor();
  const row = page.locator('#rows tr').filter({ has: page.locator(`a[href="/programme/evaluations?id=${id}"]`) });
  assert.match(await row.innerText(), /Same-day evaluation[\s\S]*3/);
  await link.click();
  await page.waitForURL(new RegExp(`/programme/evaluations\\?id=${id}$`));
  await page.locator('#stage-same_day').waitFor();
  const [[name]] = sql(`SELECT p.full_name FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE b.session_id = ${id} ORDER BY p.full_name LIMIT 1`);
  assert.match(await page.locator('main').innerText(), new RegExp(name));
  assert.match(await page.locator('#count').innerText(), /^3 not yet sent/);
  await shoot(page, 'evaluations-session');
  assert.deepEqual(page.problems, []);
  await check(page, '/programme/evaluations');
  await check(page, `/programme/evaluations?id=${id}`);
  await page.context().close();
});

test('the register: mark everyone attended (asked first, one save) and add a walk-in', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: 5 });
  const names = [];
  for (let i = 0; i < 2; i++) {
    const { body } = await register({ full_name: `Everyone Person ${i} ${process.pid}` });
    names.push(body.full_name);
    const p = await login(body.email, body.password);
    assert.equal((await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).status, 201);
  }
  move(id, -0.05);
  const page = await signIn(`/teaching/register?id=${id}`);
  await page.locator('#rows tr').nth(1).waitFor();
  await page.getByRole('group', { name: `Attendance of ${names[1]}` }).getByLabel('Did not attend').check();
  await page.getByRole('button', { name: 'Mark everyone attended' }).click();
  await page.getByText('Mark all 2 people on the register as attended and save it? 1 marked as Part or Did not attend').waitFor();
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${id} AND status = 'attended'`)[0][0], '0');
  await page.getByRole('button', { name: 'Yes, mark everyone attended' }).click();
  await page.locator('#saved').filter({ hasText: 'Everyone is marked as attended' }).waitFor();
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${id} AND status = 'attended'`)[0][0], '2');

  // A walk-in: every empty answer named, then added and shown.
  await page.getByRole('button', { name: 'Add to the register' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.equal((await summary.locator('li').allInnerTexts()).length, 4);
  const walkIn = `Wendy Walkin ${process.pid}`;
  await page.getByLabel('Full name').fill(walkIn);
  await page.getByLabel('Email address').fill(`wendy.${process.pid}@example.org`);
  const [[agency]] = sql("SELECT name FROM agencies WHERE sector = 'police' AND active ORDER BY id LIMIT 1");
  await page.getByLabel('Agency or setting').selectOption({ label: agency });
  await page.getByLabel('Training group level').selectOption({ value: 'G2' });
  await page.getByRole('button', { name: 'Add to the register' }).click();
  await page.locator('#saved').filter({ hasText: `${walkIn} is added to the register` }).waitFor();
  await page.locator('#rows tr').filter({ hasText: walkIn }).waitFor();
  await shoot(page, 'register-walk-in');
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE session_id = ${id} AND status = 'attended'`)[0][0], '3');
  assert.equal(await page.locator('#booked').innerText(), '3 booked, 3 came');
  assert.deepEqual(page.problems, []);
  await check(page, `/teaching/register?id=${id}`);
  await page.context().close();
});
