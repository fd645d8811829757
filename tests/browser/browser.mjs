// Browser tests' helpers: Debian's Chromium driven by playwright-core (no
// browser download), and axe-core run inside a page.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);

export const BASE = process.env.PORTAL_URL;
if (!BASE) throw new Error('PORTAL_URL is not set: run the tests with `make test`');

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A page that records console errors and CSP violations in page.problems
// (not the header's 401 from /api/v1/me when no one is signed in).
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    // The header asks who is signed in: a 401 there only means no one.
    if (msg.type() === 'error' && !(/status of 401/.test(msg.text())
      && msg.location().url.endsWith('/api/v1/me'))) page.problems.push(msg.text());
  });
  page.on('pageerror', (err) => page.problems.push(String(err)));
  return page;
}

// The serious and critical accessibility violations axe-core finds. The
// page's CSP forbids injected scripts, so axe runs in a context that
// bypasses CSP (the page under test is loaded again there).
export async function axeViolations(browser, path, cookies = []) {
  const context = await browser.newContext({ bypassCSP: true });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto(BASE + path, { waitUntil: 'networkidle' });
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document,
    { resultTypes: ['violations'] }));
  await context.close();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Rows of `query` on the suite's database, each an array of its columns.
export function sql(query) {
  return execFileSync('psql', [process.env.PORTAL_DATABASE_URL, '-AtX', '-c', query], { encoding: 'utf8' })
    .trim().split('\n').filter((l) => l).map((l) => l.split('|'));
}

// Sign `page` in as the demo account `email`, through the form.
export async function signIn(page, email) {
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('demo-password-2016');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account', { timeout: 10000 });
}

// The words broken across lines inside a visible table cell, as
// "word (in "cell text")": each word of each text node in a th or td is
// measured with a Range, and a word whose boxes sit on more than one line
// was split inside itself. Words are what lies between spaces, and
// after a hyphen, dash or slash (where a line may break) or where a page
// offers a break (<wbr> after the @ and dots of an email address makes
// each part a text node of its own); text a screen reader alone hears
// (govuk-visually-hidden) is not drawn, so not checked.
export function brokenWords(page) {
  return page.evaluate(() => {
    const out = [];
    const cells = [...document.querySelectorAll('td, th')].filter((c) => c.getClientRects().length > 0);
    for (const cell of cells) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('.govuk-visually-hidden, [hidden]')) continue;
        const text = node.textContent;
        for (const m of text.matchAll(/[^\s\-\u2010-\u2014/]+[\-\u2010-\u2014/]?/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
            .map((r) => Math.round(r.top)));
          if (tops.size > 1) {
            out.push(`"${m[0]}" in "${cell.innerText.replace(/\s+/g, ' ').trim().slice(0, 60)}"`);
          }
        }
      }
    }
    return [...new Set(out)];
  });
}
