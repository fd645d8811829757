// Every page of the portal, as each demo role and signed out, on a phone
// (390 px wide) and on a desktop (1280 px): nothing wider than the screen
// and no word broken across lines inside a table cell at either width;
// on the phone the header says who is signed in with Sign out (or offers
// Sign in), the footer's links lead to pages that exist, and axe-core
// finds no serious or critical violation. The pages are those of
// app/h_pages.c, so a page added there is checked too.
// PORTAL_SCREENSHOTS=dir also saves each page at 390 and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BASE, launch, brokenWords } from './browser.mjs';
import { login, sql } from '../integration/http.mjs';

const require = createRequire(import.meta.url);
const PHONE = 390;
const DESKTOP = 1280;
const CODES = /\bG[1-6]\b|\b[a-z]+_[a-z_]+\b/;
const shots = process.env.PORTAL_SCREENSHOTS;
let browser;

// Every page route of app/h_pages.c, with an id where the page needs one.
function pages() {
  const source = readFileSync('app/h_pages.c', 'utf8');
  const routes = [...source.matchAll(/\{\s*"(\/[^"]*)",\s*"[^"]+\.html"\s*\}/g)].map((m) => m[1]);
  const [[session]] = sql(`SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id
    WHERE c.published AND s.status = 'scheduled' AND s.starts_at > now() ORDER BY s.starts_at, s.id LIMIT 1`);
  const [[course]] = sql(`SELECT course_id FROM sessions WHERE id = ${session}`);
  const [[taught]] = sql(`SELECT t.session_id FROM session_trainers t JOIN people p ON p.id = t.person_id
    JOIN sessions s ON s.id = t.session_id WHERE p.email = 'trainer@demo.example' AND s.starts_at < now()
    ORDER BY s.starts_at DESC LIMIT 1`);
  const ids = {
    '/session': `?id=${session}`, '/sessions': `?course_id=${course}`,
    '/teaching/register': `?id=${taught}`, '/programme/course': `?id=${course}`,
    '/programme/session': `?id=${session}`, '/programme/forms': `?id=${taught}`,
    '/programme/cancel': `?id=${session}`,
    '/agencies/agency': `?id=${sql("SELECT min(id) FROM agencies WHERE phase IS NOT NULL")[0][0]}`,
    // The trainer's session with the most forms: its figures are shown.
    '/teaching/feedback': `?id=${sql(`SELECT e.session_id FROM evaluations e JOIN session_trainers t
      ON t.session_id = e.session_id JOIN people p ON p.id = t.person_id WHERE p.email = 'trainer@demo.example'
      GROUP BY e.session_id ORDER BY count(*) DESC, e.session_id LIMIT 1`)[0][0]}`,
    '/supervision/group': `?id=${sql('SELECT min(id) FROM supervision_groups')[0][0]}`,
    '/supervision/meeting': `?id=${sql('SELECT min(id) FROM supervision_sessions')[0][0]}`,
  };
  return routes.map((r) => r + (ids[r] ?? ''));
}

export const ROLES = ['coordinator', 'reviewer', 'trainer', 'lead', 'practitioner'];

// A browser context at `width`, signed in as `role` (or not, for null).
export async function contextAs(role, width = PHONE) {
  const context = await browser.newContext({ viewport: { width, height: 844 }, bypassCSP: true });
  if (role) {
    const { cookie, account } = await login(`${role}@demo.example`);
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url: BASE }]);
    context.account = account;
  }
  return context;
}

// Open a page and wait until its scripts have settled (the header knows
// whether someone is signed in).
async function open(page, path) {
  await page.goto(BASE + path, { waitUntil: 'networkidle', timeout: 60000 });
  await page.locator('html[data-signed-in]').waitFor({ timeout: 30000 });
  await page.waitForLoadState('networkidle', { timeout: 30000 });
}

// The elements that stick out of the screen, innermost first.
function overflowing(page) {
  return page.evaluate(() => {
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > window.innerWidth + 0.5
        && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5)) {
        out.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} (${Math.round(r.right)} px)`);
      }
    }
    return out.slice(0, 4);
  });
}

async function axe(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

before(async () => {
  browser = await launch();
  if (shots) mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); });

// The roles side by side (most of a page's time is waiting for it to
// settle), each in a browser context of its own.
test(`every page at ${PHONE} and ${DESKTOP} px, as each role and signed out: fits, no word broken in a table, says who is signed in, no axe violation`,
  { concurrency: 2, timeout: 1500000 }, async (t) => {
  const runs = [];
  for (const role of [null, ...ROLES]) {
    const who = role ?? 'signed out';
    runs.push(t.test(`as ${who}`, async () => {
      const context = await contextAs(role);
      const page = await context.newPage();
      const problems = [];
      for (const path of pages()) {
        await open(page, path);
        const where = `${path} (at ${page.url().slice(BASE.length)})`;
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > PHONE) problems.push(`${where}: ${width} px wide: ${(await overflowing(page)).join('; ')}`);
        const header = (await page.locator('header').innerText()).replace(/\s+/g, ' ');
        const navigation = await page.evaluate(() => [...document.querySelectorAll('header, .govuk-service-navigation')]
          .map((e) => e.innerText).join('\n'));
        if (role) {
          if (!header.includes(`Signed in as ${context.account.full_name}`)) problems.push(`${where}: header "${header}"`);
          if (!(await page.locator('header').getByRole('button', { name: 'Sign out' }).isVisible())) {
            problems.push(`${where}: no Sign out in the header`);
          }
          if (/\bSign in\b/.test(navigation)) problems.push(`${where}: offers Sign in to a signed-in person`);
        } else if (/Sign out|Signed in as/.test(navigation)) {
          problems.push(`${where}: says someone is signed in`);
        }
        // No code reaches a person: G3, half_day, late_cancelled.
        const codes = (await page.locator('main').innerText()).match(CODES);
        if (codes) problems.push(`${where}: shows the code "${codes[0]}"`);
        for (const v of await axe(page)) problems.push(`${where}: ${v}`);
        for (const w of await brokenWords(page)) problems.push(`${where} at ${PHONE} px: word broken in a table cell: ${w}`);
        const name = `${who.replace(' ', '-')}${path.replace(/[/?=&]+/g, '_')}`;
        if (shots) await page.screenshot({ path: `${shots}/${name}-${PHONE}.png`, fullPage: true });
        // The same page on a desktop: the layout changes (columns side by
        // side, tables rather than cards), the content does not.
        await page.setViewportSize({ width: DESKTOP, height: 900 });
        await page.waitForFunction((w) => window.innerWidth === w, DESKTOP);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > DESKTOP) problems.push(`${where}: ${wide} px wide at ${DESKTOP} px: ${(await overflowing(page)).join('; ')}`);
        for (const w of await brokenWords(page)) problems.push(`${where} at ${DESKTOP} px: word broken in a table cell: ${w}`);
        if (shots) await page.screenshot({ path: `${shots}/${name}-${DESKTOP}.png`, fullPage: true });
        await page.setViewportSize({ width: PHONE, height: 844 });
      }
      await context.close();
      assert.deepEqual(problems, []);
    }));
  }
  await Promise.all(runs);
});

test('the footer links to privacy, accessibility and contact pages that exist', async () => {
  const context = await contextAs(null, 1280);
  const page = await context.newPage();
  await open(page, '/courses');
  const links = await page.locator('footer a').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
  for (const [name, href] of [['Privacy', '/privacy'], ['Accessibility statement', '/accessibility'], ['Contact', '/contact']]) {
    assert.ok(links.some(([n, h]) => n === name && h === href), `${name} -> ${href} in ${JSON.stringify(links)}`);
    const res = await page.goto(BASE + href);
    assert.equal(res.status(), 200, href);
    assert.equal(await page.locator('h1').innerText(), name === 'Privacy' ? 'Privacy' : name);
  }
  // The contact page gives the board's telephone number and the front
  // door's; the home page's beta banner's feedback link leads there.
  await open(page, '/contact');
  assert.ok(await page.locator('a[href^="tel:"]').count() >= 2);
  assert.match(await page.locator('main').innerText(), /children's social care front door on \d/);
  await open(page, '/');
  await page.locator('.govuk-phase-banner').getByRole('link', { name: 'give your feedback' }).click();
  await page.waitForURL(/\/contact#feedback$/);
  assert.equal(await page.locator('#feedback').count(), 1);
  await context.close();
});
