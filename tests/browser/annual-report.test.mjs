// The annual report as a page of the portal (/reports/annual): the
// portal's header, a back link, the partnership's name and the period, a
// print button and the PDF; the chart of places by agency shows the six
// agencies with the most places and no year before the records begin;
// dates read as people write them. Printed (Chromium's own print to PDF,
// as a person's "Save as PDF"): A4 portrait, every page headed with the
// partnership's name and the period and numbered "Page n of m", and no
// table wider than the printable width (A4 less its margins: 182 mm).
// PORTAL_SCREENSHOTS=dir keeps the screenshots and the PDF there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BASE, launch, newPage, signIn, brokenWords } from './browser.mjs';

const YEAR = '2016/17';
const PARTNERSHIP = 'Safeguarding Children Partnership';
// 182 mm at 96 px an inch.
const PRINTABLE = Math.floor((182 / 25.4) * 96);

let browser, dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync('/tmp/portal-annual.');
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (name) => join(process.env.PORTAL_SCREENSHOTS ?? dir, name);

async function open(width) {
  const page = await newPage(browser, { viewport: { width, height: 900 } });
  await signIn(page, 'reviewer@demo.example');
  await page.goto(`${BASE}/reports/annual?year=${encodeURIComponent(YEAR)}`);
  await page.locator('#actions').waitFor({ timeout: 30000 });
  await page.locator('.report-chart canvas').first().waitFor();
  return page;
}

// The text of each page of `pdf` (pdftotext of poppler-utils).
function pdfPages(pdf) {
  const file = join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

test('the annual report is a page of the portal that prints on A4 with its name, period and page numbers', async () => {
  const page = await open(1280);
  assert.equal(await page.locator('.govuk-generic-header').isVisible(), true, 'the portal header');
  assert.equal(await page.locator('a.govuk-back-link').getAttribute('href'), '/reports');
  assert.equal(await page.locator('#partnership').innerText(), PARTNERSHIP);
  assert.equal(await page.locator('h1').innerText(), `Annual training report ${YEAR}`);
  assert.match(await page.locator('#period').innerText(), /1 April 2016 to 31 March 2017/);
  assert.equal(await page.getByRole('button', { name: 'Print this report' }).isVisible(), true);
  const pdfLink = page.getByRole('link', { name: 'Download PDF' });
  assert.equal(new URL(await pdfLink.getAttribute('href'), BASE).searchParams.get('year'), YEAR);
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /\d{4}-\d\d-\d\d/, 'no date written as 2017-03-31');
  assert.match(main, /on 31 March 2017/);
  assert.deepEqual(await brokenWords(page), []);

  // The chart of places by agency: the six with the most places over the
  // years shown, and no year column before the records begin.
  const chart = await page.evaluate(() => {
    const table = document.querySelector('table[data-chart-top]');
    const canvas = table.closest('section').querySelector('canvas');
    const c = globalThis.Chart.getChart(canvas);
    const rows = [...table.tBodies[0].rows].map((r) => ({ name: r.cells[0].textContent.trim(),
      total: [...r.cells].slice(1, -2).reduce((s, td) => s + Number(td.dataset.value), 0) }));
    const totals = [...table.tFoot.rows[0].cells].slice(1, -2).map((td) => Number(td.textContent));
    return { labels: c.data.labels, lines: c.data.datasets.map((d) => d.label), rows, totals,
      title: c.options.plugins.title.text };
  });
  assert.ok(chart.rows.length > 6, `more agencies (${chart.rows.length}) than lines`);
  const top = [...chart.rows].sort((a, b) => b.total - a.total);
  assert.equal(chart.lines.length, 6);
  assert.ok(chart.lines.every((l) => top.slice(0, 6).some((r) => r.name === l) || top.find((r) => r.name === l).total
    === top[5].total), `the six with most places: ${chart.lines} of ${JSON.stringify(top.slice(0, 8))}`);
  assert.ok(chart.totals.every((t) => t > 0), `no year without places: ${chart.totals} (${chart.labels})`);
  assert.match(chart.title, /the six with the most places/);
  await page.screenshot({ path: shot('annual-1280.png'), fullPage: true });

  // Printed at the printable width of A4: every table within it.
  await page.setViewportSize({ width: PRINTABLE, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const wide = await page.evaluate((width) => [...document.querySelectorAll('main table')]
    .map((t) => [t.caption?.textContent.trim(), Math.ceil(t.getBoundingClientRect().right)])
    .filter(([, right]) => right > width), PRINTABLE);
  assert.deepEqual(wide, [], `tables wider than ${PRINTABLE} px`);
  assert.deepEqual(await brokenWords(page), [], 'no word broken inside a printed cell');

  const pdf = await page.pdf({ preferCSSPageSize: true });
  writeFileSync(shot('annual.pdf'), pdf);
  const info = execFileSync('pdfinfo', [shot('annual.pdf')], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/, info);
  const pages = pdfPages(pdf);
  assert.ok(pages.length >= 5, `${pages.length} pages`);
  pages.forEach((text, i) => {
    assert.match(text, new RegExp(PARTNERSHIP), `page ${i + 1}: the partnership`);
    assert.match(text, /Annual training report 2016\/17, 1 April 2016 to 31 March 2017/, `page ${i + 1}: the period`);
    assert.match(text, new RegExp(`Page ${i + 1} of ${pages.length}`), `page ${i + 1}: its number`);
  });
  assert.doesNotMatch(pages.join('\n'), /Print this report|Download PDF|Back to training reports/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the annual report on a phone: nothing wider than the screen, no broken word', async () => {
  const page = await open(390);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width} px wide`);
  assert.deepEqual(await brokenWords(page), []);
  await page.screenshot({ path: shot('annual-390.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a year the report cannot be made for is said in words', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'reviewer@demo.example');
  await page.goto(`${BASE}/reports/annual?year=2016/18`);
  await page.locator('.govuk-error-summary').waitFor();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Year:/);
  await page.context().close();
});
