// Every page: tell GOV.UK Frontend's styles that its JavaScript runs, and
// start its components; show in the header who is signed in, with Sign
// out (or Sign in); give tables that turn into cards on a phone their
// cells' labels. An external module, because the pages' Content Security
// Policy allows no inline script.
import { initAll } from '/assets/govuk-frontend.min.js';
import { me, api, el, here } from '/assets/api.mjs';

document.body.classList.add('govuk-frontend-supported');
initAll();

// The header's account area: "Signed in as <name>" and Sign out, or a
// Sign in link that comes back to this page. <html data-signed-in> says
// which, once known.
async function header() {
  const box = document.getElementById('portal-account');
  const account = await me();
  if (!box) return;
  if (account) {
    const who = el('span', 'portal-header__who', 'Signed in as ');
    const name = el('a', 'portal-header__link', account.full_name);
    name.href = '/account';
    who.append(name);
    const out = el('button', 'portal-header__link portal-header__sign-out', 'Sign out');
    out.type = 'button';
    out.addEventListener('click', async () => {
      await api('DELETE', '/api/v1/session');
      window.location.assign('/sign-in?signed-out=1');
    });
    box.replaceChildren(who, out);
  } else if (window.location.pathname !== '/sign-in') {
    const link = el('a', 'portal-header__link', 'Sign in');
    link.href = window.location.pathname === '/' ? '/sign-in'
      : `/sign-in?next=${encodeURIComponent(here())}`;
    box.replaceChildren(link);
  }
  document.documentElement.dataset.signedIn = account ? 'yes' : 'no';
}

// A table with the class portal-table--cards shows each row as a card
// on a narrow screen: each cell is labelled with its column's header
// (data-label, shown by the stylesheet), also for rows added later.
function labelCells(table) {
  const heads = [...table.querySelectorAll('thead th')].map((th) =>
    (th.querySelector('.govuk-visually-hidden') && th.textContent.trim() === th.querySelector('.govuk-visually-hidden').textContent.trim()
      ? '' : th.textContent.trim()));
  for (const tr of table.querySelectorAll('tbody tr')) {
    [...tr.children].forEach((cell, i) => {
      if (heads[i] && !cell.dataset.label) cell.dataset.label = heads[i];
    });
  }
}

// A box that scrolls a wide table sideways is reached from the keyboard
// and named for a screen reader: by its table's caption, or the heading
// before it.
function focusScroller(box) {
  if (box.hasAttribute('tabindex')) return;
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  if (!box.hasAttribute('aria-label')) {
    let heading = box.querySelector('caption');
    for (let e = box.previousElementSibling; !heading && e; e = e.previousElementSibling) {
      if (/^H[1-6]$/.test(e.tagName)) heading = e;
    }
    box.setAttribute('aria-label', heading ? heading.textContent.trim() : 'Table');
  }
}

// Tables and boxes on the page now, and those that scripts add later.
function tables() {
  for (const table of document.querySelectorAll('table.portal-table--cards')) labelCells(table);
  for (const box of document.querySelectorAll('.portal-table-scroll')) focusScroller(box);
}
tables();
new MutationObserver(tables).observe(document.body, { childList: true, subtree: true });

header();
