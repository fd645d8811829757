// Coordinators: the partnership's agencies and settings, filtered by
// sector, area and whether they are open, each linked to its page.
import { api, el, fillSelect, pageAccount } from '/assets/api.mjs';
import { SECTORS, PHASES, PHASED } from '/assets/names.mjs';
import { pageLinks } from '/assets/paging.mjs';

const PAGE = 100;
const params = new URLSearchParams(window.location.search);
const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
const form = document.getElementById('filters');

function row(a) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.agency = String(a.id);
  const name = el('td', 'govuk-table__cell');
  const link = el('a', 'govuk-link', a.name);
  link.href = `/agencies/agency?id=${a.id}`;
  name.append(link);
  const status = el('td', 'govuk-table__cell');
  status.append(el('strong', a.active ? 'govuk-tag govuk-tag--green' : 'govuk-tag govuk-tag--grey',
    a.active ? 'Open' : 'Closed'));
  tr.append(name, el('td', 'govuk-table__cell', SECTORS[a.sector] ?? 'Other'),
    el('td', 'govuk-table__cell', a.phase ? PHASES[a.phase] ?? '' : PHASED.includes(a.sector) ? 'None' : 'Not applicable'),
    el('td', 'govuk-table__cell', a.area), status);
  return tr;
}

// The filters chosen, as the API and this page's address take them.
function chosen() {
  const q = new URLSearchParams();
  for (const name of ['sector', 'area', 'status']) {
    const v = params.get(name);
    if (v) q.set(name, v);
  }
  return q;
}

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot change the agencies', 'Only the partnership\'s training coordinators can add and change agencies and settings.']);
  if (!account) return;
  fillSelect(form.elements.sector, Object.entries(SECTORS).map(([value, label]) => ({ value, label })));
  const q = chosen();
  q.set('limit', String(PAGE));
  q.set('offset', String(offset));
  const res = await api('GET', `/api/v1/agencies?${q}`);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    count.textContent = res.json?.error?.message ?? 'The agencies could not be loaded.';
    return;
  }
  const { agencies, total, areas } = res.json;
  fillSelect(form.elements.area, areas.map((a) => ({ value: a, label: a })));
  for (const name of ['sector', 'area', 'status']) {
    if (params.get(name)) form.elements[name].value = params.get(name);
  }
  count.textContent = `${total} ${total === 1 ? 'agency' : 'agencies'}` +
    (total > PAGE ? `, showing ${offset + 1} to ${offset + agencies.length}` : '');
  document.getElementById('rows').replaceChildren(...agencies.map(row));
  document.getElementById('table').classList.toggle('portal-hidden', agencies.length === 0);
  pageLinks(offset, PAGE, total, { href: (to) => {
    const at = chosen();
    at.set('offset', String(to));
    return `/agencies?${at}`;
  } });
}

main();
