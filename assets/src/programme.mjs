// Coordinators: every course of the programme, published or not.
import { api, el, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { names } from '/assets/names.mjs';

const PAGE = 50;
const offset = Math.max(0, Number.parseInt(new URLSearchParams(window.location.search).get('offset') ?? '0', 10) || 0);

function row(c, n) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.code = c.code;
  const title = el('td', 'govuk-table__cell');
  const link = el('a', 'govuk-link', c.title);
  link.href = `/programme/course?id=${c.id}`;
  title.append(link);
  const status = el('td', 'govuk-table__cell');
  status.append(el('strong', c.published ? 'govuk-tag govuk-tag--green' : 'govuk-tag govuk-tag--grey',
    c.published ? 'Published' : 'Not published'));
  tr.append(title, el('td', 'govuk-table__cell', c.code), el('td', 'govuk-table__cell', n.levels(c.group_levels)),
    el('td', 'govuk-table__cell', c.next_session ? when(c.next_session, false) : 'None'), status);
  return tr;
}

function pageLink(id, to) {
  const box = document.getElementById(id);
  box.querySelector('a').href = `/programme?offset=${to}`;
  box.classList.remove('portal-hidden');
}

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot change the programme',
    'Only the partnership\'s training coordinators can add and change courses and sessions.',
    ['/courses', 'Find a course']]);
  if (!account) return;
  const res = await api('GET', `/api/v1/courses?include_unpublished=true&limit=${PAGE}&offset=${offset}`);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    count.textContent = res.json?.error?.message ?? 'The programme could not be loaded.';
    return;
  }
  const { courses, total } = res.json;
  count.textContent = `${total} course${total === 1 ? '' : 's'}` +
    (total > PAGE ? `, showing ${offset + 1} to ${offset + courses.length}` : '');
  const n = await names();
  document.getElementById('rows').replaceChildren(...courses.map((c) => row(c, n)));
  document.getElementById('table').classList.toggle('portal-hidden', courses.length === 0);
  if (offset > 0 || offset + PAGE < total) {
    document.getElementById('pagination').classList.remove('portal-hidden');
    if (offset > 0) pageLink('prev', Math.max(0, offset - PAGE));
    if (offset + PAGE < total) pageLink('next', offset + PAGE);
  }
}

main();
