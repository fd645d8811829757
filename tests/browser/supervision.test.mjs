// DSL group supervision in the browser: a facilitator records a meeting
// with attendance for every member and case notes; a DSL of the group sees
// the meeting without the notes; the report draws its chart and table.
// Every page fits a phone's width and has no serious axe violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { DEMO_PASSWORD, sql } from '../integration/http.mjs';

let browser;
const shots = process.env.PORTAL_SCREENSHOTS;
const notes = `Case ref HS-${process.pid}: escalation discussed, no names.`;

before(async () => {
  browser = await launch();
  if (shots) mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); });

async function signIn(email, options = {}) {
  const page = await newPage(browser, options);
  page.setDefaultTimeout(20000);
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  return page;
}

// The page fits 390 px, passes axe, and (with PORTAL_SCREENSHOTS) is
// photographed at 1280 and 390 px wide.
async function check(page, name) {
  const cookies = await page.context().cookies();
  const violations = await axeViolations(browser, new URL(page.url()).pathname + new URL(page.url()).search, cookies);
  assert.deepEqual(violations, [], `${name}: axe`);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await phone.addCookies(cookies);
  const p = await phone.newPage();
  await p.goto(page.url(), { waitUntil: 'networkidle' });
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} is ${width} px wide on a phone`);
  const text = await p.locator('main').innerText();
  assert.doesNotMatch(text, /\b(practice_dilemmas|child_protection_cases|no_supervision_this_term|training_lapsed|in_date|apologies\b.*_)/);
  if (shots) {
    await p.screenshot({ path: `${shots}/${name}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/${name}-1280.png`, fullPage: true });
  }
  await phone.close();
}

test('a facilitator records a meeting with attendance and case notes; a DSL sees it without the notes', async () => {
  const [[groupId]] = sql("SELECT id FROM supervision_groups WHERE name = 'Primary DSLs: north'");
  const [[free]] = sql(`SELECT to_char(d, 'YYYY-MM-DD') FROM generate_series(current_date - 20, current_date - 1, '1 day') d
    WHERE NOT EXISTS (SELECT 1 FROM supervision_sessions WHERE group_id = ${groupId} AND held_on = d::date)
    ORDER BY d DESC LIMIT 1`);
  const [y, m, d] = free.split('-');
  const members = Number(sql(`SELECT count(DISTINCT person_id) FROM supervision_members WHERE group_id = ${groupId}
    AND joined_on <= '${free}' AND (left_on IS NULL OR '${free}' < left_on)`)[0][0]);

  const page = await signIn('facilitator@demo.example');
  // The account page draws its sections as their answers come: click once
  // it has settled, or a slow machine redraws the link under the click.
  await page.waitForLoadState('networkidle');
  await page.getByRole('link', { name: 'DSL supervision groups and their meetings' }).click();
  await page.waitForURL(BASE + '/supervision');
  await check(page, 'supervision');
  await page.getByRole('link', { name: 'Primary DSLs: north' }).click();
  await page.waitForURL(/\/supervision\/group\?id=\d+/);
  await page.locator('#meetings table').first().waitFor();
  await check(page, 'supervision-group');
  // The facilitator of an open group may record; if not, say why.
  await page.locator('#record').waitFor({ state: 'visible', timeout: 20000 }).catch(async () => {
    const state = await page.evaluate(async (id) => JSON.stringify({
      me: await (await fetch('/api/v1/me')).json(),
      group: await (await fetch(`/api/v1/supervision/groups/${id}`)).json() }), groupId);
    assert.fail(`no "Record a meeting" for the facilitator: ${state}`);
  });
  await page.getByRole('button', { name: 'Record a meeting' }).click();
  await page.waitForURL(/\/supervision\/meeting\?group=\d+/);

  await page.getByLabel('Day').first().fill(String(Number(d)));
  await page.getByLabel('Month').first().fill(String(Number(m)));
  await page.getByLabel('Year').first().fill(y);
  await page.getByLabel('Year').first().dispatchEvent('change');
  await page.getByLabel('Length in minutes').fill('120');
  await page.getByLabel('Practice dilemmas').check();
  await page.getByLabel('Wellbeing').check();
  await page.getByLabel('Case notes (confidential)').fill(notes);
  assert.match(await page.locator('.govuk-warning-text').innerText(), /Never write a child's name/);
  const rows = page.locator('#attendance tbody tr');
  assert.equal(await rows.count(), members);

  // Attendance missing: every member is named, nothing is saved.
  await page.getByRole('button', { name: 'Record the meeting' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  const problems = await page.locator('.govuk-error-summary li').allInnerTexts();
  assert.equal(problems.length, members, problems.join(' | '));
  assert.ok(problems.every((p) => /^Say whether .+ was present, sent apologies or was absent$/.test(p)), problems[0]);
  await check(page, 'supervision-meeting-errors');

  await rows.nth(0).getByLabel('Apologies').check();
  for (let i = 1; i < members; i += 1) await rows.nth(i).getByLabel('Present').check();
  await page.getByRole('button', { name: 'Record the meeting' }).click();
  await page.waitForURL(/\/supervision\/meeting\?id=\d+&saved=1/);
  await page.locator('#notes').filter({ hasText: notes }).waitFor();
  const meetingId = Number(new URL(page.url()).searchParams.get('id'));
  const [[present, apologies, sealed]] = sql(`SELECT count(*) FILTER (WHERE a.status = 'present'),
    count(*) FILTER (WHERE a.status = 'apologies'), s.case_notes_sealed IS NOT NULL
    FROM supervision_sessions s JOIN supervision_attendance a ON a.session_id = s.id
    WHERE s.id = ${meetingId} GROUP BY s.id`);
  assert.deepEqual([Number(present), Number(apologies), sealed], [members - 1, 1, 't']);
  await check(page, 'supervision-meeting');

  // A DSL of the group (the demo lead) sees the meeting, not the notes.
  const dsl = await signIn('lead@demo.example');
  await dsl.getByRole('link', { name: 'Your DSL supervision' }).click();
  await dsl.waitForURL(BASE + '/my-supervision');
  await dsl.locator('#meetings table').first().waitFor();
  await check(dsl, 'my-supervision');
  await dsl.locator(`#meetings a[href="/supervision/meeting?id=${meetingId}"]`).click();
  await dsl.locator('#attendance-table table').waitFor();
  assert.ok(!(await dsl.content()).includes(`HS-${process.pid}`));
  assert.equal(await dsl.locator('#notes-box').isVisible(), false);
  assert.equal(await dsl.getByRole('button', { name: 'Correct this record' }).isVisible(), false);
  await check(dsl, 'supervision-meeting-dsl');
});

test('the report: chart, tables with the flags, CSV links, for reviewers only', async () => {
  const page = await signIn('reviewer@demo.example');
  await page.getByRole('link', { name: 'The DSL supervision report' }).click();
  await page.waitForURL(BASE + '/reports/supervision');
  await page.locator('#dsls table').first().waitFor();
  assert.ok(await page.locator('#chart').evaluate((c) => c.width > 0));
  assert.ok(await page.locator('#dsls .govuk-tag').filter({ hasText: 'No supervision this term' }).count() > 0);
  // The DSLs needing attention are shown; the others are folded away,
  // and each of them needs none.
  assert.match(await page.locator('#dsls > p').innerText(), /^\d+ of \d+ need attention\.$/);
  const others = page.locator('#dsls details');
  if (await others.count()) {
    assert.equal(await others.locator('table').isVisible(), false);
    await others.locator('summary').click();
    assert.equal(await others.locator('.govuk-tag').count(), 0);
  }
  assert.match(await page.locator('#dsls-csv').getAttribute('href'), /format=csv/);
  await page.getByLabel('School year').selectOption('2016');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('#as-of').filter({ hasText: '2016/17' }).waitFor();
  await check(page, 'supervision-report');
  assert.deepEqual(page.problems, []);

  const practitioner = await signIn('practitioner@demo.example');
  await practitioner.goto(BASE + '/reports/supervision');
  await practitioner.getByRole('heading', { name: 'You cannot use this page' }).waitFor();
  assert.equal(await practitioner.locator('#report').isVisible(), false);
});
