// The reports in words a sub-group reads: key findings and a contents
// list first, the 1 to 10 scales the forms ask, each statistic explained
// once in plain words, every chart titled with its axes named, and the
// no-show chart with its intervals and what the test found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('/reports opens with key findings and contents, and explains its statistics once', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'reviewer@demo.example');
  await page.goto(BASE + '/reports', { waitUntil: 'networkidle' });
  await page.locator('#findings li').first().waitFor({ timeout: 20000 });
  // The demo data's last full year (other tests add sessions in later
  // years, with a place or two and no forms that count).
  await page.getByLabel('Financial year').selectOption('2016/17');
  await page.getByRole('button', { name: 'Show the reports' }).click();
  await page.locator('#findings-for').filter({ hasText: '2016/17' }).waitFor({ timeout: 20000 });
  await page.locator('#findings li').first().waitFor({ timeout: 20000 });

  // Key findings, above the filters, from the figures below them.
  const findings = await page.locator('#findings li').allInnerTexts();
  assert.ok(findings.length >= 4, findings.join('\n'));
  const total = (await page.locator('#attendance-summary').innerText()).match(/^(\d+) places taken up/)[1];
  assert.match(findings[0], new RegExp(`^${total} places taken up from .*: (rising|falling|no clear trend)`));
  assert.ok(findings.some((f) => /% of the places attended led to a same-day evaluation form/.test(f)));
  assert.ok(findings.some((f) => /^Impact scores: \d+ for knowledge and \d+ for confidence, out of 100/.test(f)));
  assert.ok(findings.some((f) => /agencies differ/i.test(f)));
  const order = await page.evaluate(() => ['findings-title', 'contents-title', 'choose-title', 'attendance-title']
    .map((id) => document.getElementById(id).getBoundingClientRect().top));
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'findings, contents, filters, then the sections');

  // Every entry of the contents leads to a heading of the page.
  const targets = await page.locator('nav.portal-contents a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(targets.length >= 5);
  for (const href of targets) assert.equal(await page.locator(`${href}:is(h2)`).count(), 1, href);

  // The scales the forms ask, and each statistic explained once.
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /1 to 7/);
  assert.match(main, /Knowledge \(1 to 10\)/);
  assert.match(main, /Confidence \(1 to 10\)/);
  const explained = await page.locator('#reading-title + dl dt').allInnerTexts();
  for (const term of ['95% interval', 'p =', 'Impact score']) {
    assert.equal(explained.filter((t) => t.trim() === term).length, 1, `${term} in ${explained}`);
  }

  // Every chart has a title and names both axes; the no-show chart
  // draws each agency's interval and the summary says what the test found.
  const charts = await page.evaluate(() => [...document.querySelectorAll('main canvas')].map((c) => {
    const chart = globalThis.Chart.getChart(c);
    return chart && { id: c.id, title: chart.options.plugins.title.text,
      axes: Object.values(chart.options.scales).map((s) => s.title?.text ?? ''),
      series: chart.data.datasets.map((d) => d.label) };
  }));
  assert.ok(charts.length >= 4);
  for (const c of charts) {
    assert.ok(c && c.title, `a chart without a title: ${JSON.stringify(c)}`);
    assert.ok(c.axes.every((t) => t.length > 0), `${c.id}: axes ${JSON.stringify(c.axes)}`);
  }
  assert.ok(charts.find((c) => c.id === 'agencies-chart').series.some((s) => /95% interval/.test(s)));
  assert.match(await page.locator('#agencies-summary').innerText(),
    /^(The test found no clear evidence that agencies differ|Agencies differ in how often).*95% interval/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a setting lead\'s coverage says in words where its staff numbers come from', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, 'lead@demo.example');
  await page.goto(BASE + '/coverage', { waitUntil: 'networkidle' });
  await page.locator('#level-rows tr').first().waitFor({ timeout: 20000 });
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /\(return\)/);
  assert.match(main, /Staff \(N\) is how many staff you have at each group level/);
  await page.context().close();
});
