// The /reports page: a reviewer filters the attendance report by sector
// and downloads its CSV, the filters carried; the annual report prints
// with a page to each section; the page fits a phone and passes axe; a
// practitioner is told plainly the page is not for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, newPage, axeViolations, sql, signIn } from './browser.mjs';

let browser, dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync('/tmp/portal-browser.');
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (name) => join(process.env.PORTAL_TEST_TMP ?? dir, name);


const fy = (y) => `${y}/${String((Number(y) + 1) % 100).padStart(2, '0')}`;

// The "All" row of the attendance table: its total places.
async function allPlaces(page) {
  const row = page.locator('#attendance-table tbody tr').last();
  await row.waitFor({ timeout: 15000 });
  const cells = await row.locator('th, td').allInnerTexts();
  assert.equal(cells[0].replace(/^.*\n/, '').trim(), 'All');
  return Number(cells.at(-2).replace(/^.*\n/, '').trim());
}

test('a reviewer filters the attendance report by sector and downloads its CSV', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'reviewer@demo.example');
  await page.getByRole('link', { name: /Training reports/ }).click();
  await page.waitForURL(/\/reports/, { timeout: 10000 });
  await page.locator('#attendance-table tbody tr').first().waitFor({ timeout: 15000 });

  // The years of the demo's history, where places were taken up.
  const [[first, last]] = sql(`SELECT min(fy), max(fy) FROM report_places(NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL) WHERE status IN ('attended', 'partial') AND fy < (SELECT max(fy) FROM report_places(NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))`);
  await page.getByLabel('Places taken up from').selectOption(fy(first));
  await page.getByLabel('Places taken up to').selectOption(fy(last));
  await page.getByLabel('Financial year').selectOption(fy(last));
  await page.getByRole('button', { name: 'Show the reports' }).click();
  // The table of the years chosen (the one shown before may hold the
  // first year already): its summary names both ends.
  await page.locator('#attendance-summary').filter({ hasText: `from ${fy(first)} to ${fy(last)}` })
    .waitFor({ timeout: 15000 });
  const everyone = await allPlaces(page);
  const [[expected]] = sql(`SELECT count(*) FROM report_places(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    WHERE status IN ('attended', 'partial') AND fy BETWEEN ${first} AND ${last}`);
  assert.equal(everyone, Number(expected));

  // Health alone: the table changes to health's places.
  await page.getByLabel('Sector', { exact: true }).selectOption('health');
  await page.getByRole('button', { name: 'Show the reports' }).click();
  await page.waitForFunction(() => document.getElementById('attendance-csv').href.includes('sector=health'),
    null, { timeout: 15000 }).catch(() => assert.fail('the CSV link does not carry the sector'));
  const health = await allPlaces(page);
  const [[healthExpected]] = sql(`SELECT count(*) FROM report_places(NULL, NULL, NULL, NULL, NULL, 'health', NULL,
    NULL, NULL) WHERE status IN ('attended', 'partial') AND fy BETWEEN ${first} AND ${last}`);
  assert.equal(health, Number(healthExpected));
  assert.ok(health > 0 && health < everyone, `${health} of ${everyone}`);
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /\bG[1-6]\b|\b[a-z]+_[a-z_]+\b|\bflat\b/);
  assert.match(main, /Rising|Falling|No clear trend/);
  assert.match(main, /95% interval/);
  await page.screenshot({ path: shot('reports-1280.png'), fullPage: true });

  // The CSV follows the filters: text/csv, the years as columns, health's
  // agencies only.
  const href = await page.locator('#attendance-csv').getAttribute('href');
  const q = new URL(href, BASE).searchParams;
  assert.equal(q.get('sector'), 'health');
  assert.equal(q.get('from_year'), fy(first));
  assert.equal(q.get('format'), 'csv');
  const res = await page.context().request.get(BASE + href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^text\/csv/);
  // UTF-8 with a byte order mark (so a spreadsheet reads it as UTF-8).
  const body = await res.text();
  assert.ok(body.startsWith('\ufeff'), 'a byte order mark');
  const lines = body.slice(1).trim().split(/\r\n/);
  assert.match(lines[0], new RegExp(`^Agency,${fy(first).replace('/', '\\/')},.*,Total,`));
  const tableRows = await page.locator('#attendance-table tbody tr').count();
  assert.equal(lines.length - 1, tableRows, 'one CSV line for each row of the table');
  assert.equal(lines.at(-1).split(',')[0], 'Total');
  assert.equal(Number(lines.at(-1).split(',').at(-4)), health);

  // The annual report of the chosen year prints, a page to each section.
  const annual = await page.locator('#annual').getAttribute('href');
  assert.equal(new URL(annual, BASE).searchParams.get('year'), fy(last));
  const print = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await print.context().addCookies(await page.context().cookies());
  await print.goto(BASE + annual, { waitUntil: 'networkidle' });
  // Figures not kept yet are gathered first: the page says so and
  // reloads itself until they are there.
  await print.locator('section.report-section h2').first().waitFor({ timeout: 60000 });
  await print.emulateMedia({ media: 'print' });
  const sections = await print.locator('section.report-section h2').allInnerTexts();
  for (const s of ['Places taken up by agency', 'Courses', 'Evaluation']) {
    assert.ok(sections.includes(s), `the annual report has "${s}": ${sections}`);
  }
  const breaks = await print.locator('section.report-section').evaluateAll((all) =>
    all.map((s) => getComputedStyle(s).breakBefore));
  assert.equal(breaks[0], 'auto');
  assert.ok(breaks.slice(1).every((b) => b === 'page'), `each later section starts a page: ${breaks}`);
  const pdf = await print.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
  assert.ok(pages >= sections.length, `${pages} printed pages for ${sections.length} sections`);
  await print.context().close();

  // This year's forms broken down by agency: a row only of sessions
  // whose attendees were all of that agency, each of at least 5 forms;
  // the page says in words what is in no row and why.
  const [[now]] = sql(`SELECT max(fy) FROM report_forms(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await page.getByLabel('Financial year').selectOption(fy(now));
  await page.getByLabel('Break down by').selectOption('agency');
  await page.getByLabel('Sector', { exact: true }).selectOption('');
  await page.getByRole('button', { name: 'Show the reports' }).click();
  await page.locator('#annual').filter({ hasText: fy(now) }).waitFor({ timeout: 15000 });
  const groups = await page.locator('#evaluation-groups').innerText();
  assert.match(groups, /groups of at least 5 forms/);
  assert.match(groups, /only when everyone who attended it was from that agency: \d+ forms? from sessions of more than one agency (is|are) in no row/);
  const counts = await page.locator('#evaluation-groups tbody tr td:nth-child(2)').allInnerTexts();
  for (const c of counts) assert.ok(Number(c) >= 5, `a row of ${c} forms`);

  // On a phone: nothing wider than the screen, and no serious problem for axe.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, { timeout: 5000 })
    .catch(() => {});
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  await page.screenshot({ path: shot('reports-390.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  const path = new URL(page.url()).pathname + new URL(page.url()).search;
  assert.deepEqual(await axeViolations(browser, path, await page.context().cookies()), []);
  await page.context().close();
});

test('a practitioner is told the reports are not for them', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, 'practitioner@demo.example');
  assert.equal(await page.getByRole('link', { name: /Training reports/ }).count(), 0);
  await page.goto(BASE + '/reports');
  await page.getByRole('heading', { name: 'You cannot use this page' }).waitFor({ timeout: 10000 });
  assert.match(await page.locator('main').innerText(), /for the training sub-group and coordinators/);
  assert.equal(await page.locator('#filters').count(), 0);
  await page.context().close();
});

test('someone signed out is asked to sign in first', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/reports?year=2016%2F17');
  await page.waitForURL(/\/sign-in\?next=/, { timeout: 10000 });
  assert.equal(new URL(page.url()).searchParams.get('next'), '/reports?year=2016%2F17');
  await page.context().close();
});

// report_places() made to wait, inside the gathering's SQL, while the
// table report_gathering_hold has a row: a report gathered meanwhile is
// held.
const SIG = "'report_places(date,date,bigint,text,bigint,text,text,text,text[])'::regprocedure";
// One text value of `query` (any number of lines), through base64.
const text = (query) => Buffer.from(sql(`SELECT replace(encode(convert_to((${query}), 'UTF8'), 'base64'),
  E'\\n', '')`)[0][0], 'base64').toString('utf8');
let held;
function holdGathering() {
  held ??= [`SELECT pg_get_function_arguments(${SIG})`, `SELECT pg_get_function_result(${SIG})`,
    `SELECT prosrc FROM pg_proc WHERE oid = ${SIG}`].map(text);
  const [args, result, body] = held;
  sql('CREATE TABLE IF NOT EXISTS report_gathering_hold (held boolean)');
  sql('INSERT INTO report_gathering_hold VALUES (true)');
  sql(`CREATE OR REPLACE FUNCTION report_places(${args}) RETURNS ${result}
    LANGUAGE plpgsql VOLATILE AS $fn$
    #variable_conflict use_column
    BEGIN
      WHILE EXISTS (SELECT 1 FROM report_gathering_hold) LOOP PERFORM pg_sleep(0.05); END LOOP;
      RETURN QUERY ${body.trim().replace(/;\s*$/, '')};
    END $fn$`);
}
const letGo = () => sql('DELETE FROM report_gathering_hold');
const touch = () => sql('UPDATE sessions SET capacity = capacity WHERE id = (SELECT min(id) FROM sessions)');

test('while the figures are gathered the page shows a progress bar, then the figures; older figures say when they are from', async () => {
  const original = text(`SELECT pg_get_functiondef(${SIG})`);
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  try {
    await signIn(page, 'reviewer@demo.example');
    holdGathering();
    sql('DELETE FROM report_answers');
    await page.goto(`${BASE}/reports`);
    const box = page.locator('#report-status');
    await box.getByText('Gathering the latest figures').waitFor({ timeout: 15000 });
    assert.ok(await box.locator('progress').isVisible());
    assert.equal(await box.getAttribute('role'), 'status');
    assert.equal(await page.locator('#reports').isVisible(), false);
    letGo();
    await page.locator('#attendance-table tbody tr').first().waitFor({ timeout: 30000 });
    await box.waitFor({ state: 'detached', timeout: 15000 });

    // A change: the figures kept are shown at once, said to be older,
    // until the newer ones are kept.
    holdGathering();
    touch();
    await page.reload();
    await box.getByText(/These figures are as of \w+day \d+ \w+ \d{4}, \d/).waitFor({ timeout: 15000 });
    await page.locator('#attendance-table tbody tr').first().waitFor({ timeout: 15000 });
    assert.equal(await box.locator('progress').count(), 0);
    letGo();
    await box.waitFor({ state: 'detached', timeout: 30000 });
  } finally {
    letGo();
    sql(original);
    sql('DROP TABLE IF EXISTS report_gathering_hold');
    await page.close();
  }
});
