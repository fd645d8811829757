// Builds assets/dist from assets/src and the npm packages: the Sass with
// GOV.UK Frontend, the portal's scripts, and GOV.UK Frontend's script.
// Third-party files are copied from node_modules at build time, never
// committed.
import { compile } from 'sass';
import { mkdirSync, writeFileSync, copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const css = compile(join(root, 'src', 'portal.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
if (/GDS Transport|@font-face/.test(css.css)) {
  throw new Error('the stylesheet still refers to the GOV.UK font');
}
writeFileSync(join(dist, 'portal.css'), css.css);

copyFileSync(join(govuk, 'govuk-frontend.min.js'), join(dist, 'govuk-frontend.min.js'));
// Chart.js's self-contained build: assets/src/chart.mjs imports it.
copyFileSync(join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'), join(dist, 'chart.umd.min.js'));
for (const f of readdirSync(join(root, 'src'))) {
  if ((f.endsWith('.mjs') && f !== 'build.mjs') || f.endsWith('.svg')) copyFileSync(join(root, 'src', f), join(dist, f));
}
// Pages: each assets/pages/*.html is the main content of a page, with
// its title, navigation item, scripts and banner in leading comments,
// put into src/layout.html.
// (Sign in and Sign out are in the header: portal.mjs puts them there.)
const NAV = [
  ['courses', '/courses', 'Courses'],
  ['account', '/account', 'Your account'],
];
const BANNER = `    <div class="govuk-phase-banner">
      <p class="govuk-phase-banner__content">
        <strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>
        <span class="govuk-phase-banner__text">This is a new service. Help us improve it and <a class="govuk-link" href="/contact#feedback">give your feedback</a>.</span>
      </p>
    </div>
`;
const layout = readFileSync(join(root, 'src', 'layout.html'), 'utf8');
const escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
mkdirSync(join(dist, 'pages'));
for (const f of readdirSync(join(root, 'pages')).filter((n) => n.endsWith('.html'))) {
  const source = readFileSync(join(root, 'pages', f), 'utf8');
  const meta = (key) => [...source.matchAll(new RegExp(`^<!-- ${key}(?:: (.*?))? -->$`, 'gm'))]
    .map((m) => m[1] ?? true);
  const [title] = meta('title');
  if (!title) throw new Error(`${f}: no <!-- title: ... --> line`);
  const [current] = meta('nav');
  const nav = NAV.map(([id, href, label]) => (id === current
    ? `            <li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="${href}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${label}</strong></a></li>`
    : `            <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="${href}">${label}</a></li>`)).join('\n');
  const scripts = meta('script').map((src) => `  <script type="module" src="/assets/${src}"></script>\n`).join('');
  const content = source.replace(/^<!-- .*? -->\n/gm, '').replace(/\n$/, '')
    .split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  const page = layout.replace('{{title}}', escape(title)).replace('{{nav}}', nav)
    .replace('{{scripts}}', scripts).replace('{{banner}}', meta('banner').length ? BANNER : '')
    .replace('{{content}}', content);
  writeFileSync(join(dist, 'pages', f), page);
}
console.log('assets built in', dist);
