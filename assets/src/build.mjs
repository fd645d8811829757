// Builds assets/dist from assets/src and the npm packages: the Sass with
// GOV.UK Frontend, the portal's scripts, and GOV.UK Frontend's script.
// Third-party files are copied from node_modules at build time, never
// committed.
import { compile } from 'sass';
import { mkdirSync, writeFileSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
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
for (const f of readdirSync(join(root, 'src'))) {
  if ((f.endsWith('.mjs') && f !== 'build.mjs') || f.endsWith('.svg')) copyFileSync(join(root, 'src', f), join(dist, f));
}
console.log('assets built in', dist);
