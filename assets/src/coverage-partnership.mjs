// The partnership's coverage table for reviewers and coordinators, with
// filters, a chart, the settings worst first a page at a time, and the
// CSV download (every setting).
import { api, el, showErrors, problemsOf, clearErrors, pageAccount, fillSelect } from '/assets/api.mjs';
import { barChart } from '/assets/chart.mjs';
import { mountDateInputs, readDate } from '/assets/dates.mjs';
import { when } from '/assets/when.mjs';
import { reportGet, reportForget } from '/assets/gathering.mjs';
import { pageLinks } from '/assets/paging.mjs';

const form = document.getElementById('filters');
// Settings a page; `offset` is the first one shown.
const PAGE = 50;
let offset = 0;
const pct = (x) => `${Math.round(x * 100)}%`;
const cell = (text, numeric = true) => el('td', `govuk-table__cell${numeric ? ' govuk-table__cell--numeric' : ''}`,
  typeof text === 'number' ? text.toLocaleString('en-GB') : String(text));

async function load() {
  const q = new URLSearchParams();
  for (const name of ['sector', 'phase', 'area']) {
    const v = document.getElementById(name).value.trim();
    if (v) q.set(name, v);
  }
  const asOf = readDate('as_of', 'The date');
  if (asOf.error) {
    showErrors(form, [{ field: 'as_of', message: asOf.error }]);
    return;
  }
  if (asOf.value) q.set('as_of', asOf.value);
  const page = new URLSearchParams(q);
  page.set('limit', String(PAGE));
  page.set('offset', String(offset));
  reportForget();
  const res = await reportGet(`/api/v1/reports/coverage?${page}`, () => load());
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  clearErrors(form);
  q.set('format', 'csv');
  document.getElementById('csv').href = `/api/v1/reports/coverage?${q}`;
  const r = res.json;
  document.getElementById('caption').textContent = `The partnership on ${when(`${r.as_of}T12:00:00Z`, false)}`;
  const levels = r.levels.filter((l) => l.n > 0);
  document.getElementById('level-rows').replaceChildren(...levels.map((l) => {
    const tr = el('tr', 'govuk-table__row');
    tr.append(el('th', 'govuk-table__header', l.name));
    tr.append(cell(l.n), cell(l.trained), cell(l.required),
      cell(l.coverage ? `${pct(l.coverage.rate)} (${pct(l.coverage.lower)} to ${pct(l.coverage.upper)})` : '–'), cell(l.lapsing));
    return tr;
  }));
  barChart(document.getElementById('chart'), {
    labels: levels.map((l) => l.name),
    datasets: [{ label: 'Coverage (%)', data: levels.map((l) => Math.round(l.coverage.rate * 100)) }],
    max: 100,
  });
  const rows = [];
  for (const s of r.settings) {
    s.levels.forEach((l, i) => {
      const tr = el('tr', 'govuk-table__row');
      const name = el('td', 'govuk-table__cell', i === 0 ? '' : '');
      if (i === 0) {
        const a = el('a', 'govuk-link', s.agency.name);
        a.href = `/coverage?agency_id=${s.agency.id}`;
        name.append(a);
      }
      tr.append(name, cell(l.name, false), cell(l.n), cell(l.trained), cell(l.required),
        cell(l.coverage ? pct(l.coverage.rate) : '–'));
      rows.push(tr);
    });
  }
  document.getElementById('setting-rows').replaceChildren(...rows);
  const total = r.settings_total;
  const n = (x) => x.toLocaleString('en-GB');
  document.getElementById('settings-count').textContent = total === 0 ? 'No setting matches.'
    : `${n(total)} setting${total === 1 ? '' : 's'}${total > PAGE
      ? `, showing ${n(offset + 1)} to ${n(offset + r.settings.length)}` : ''}`;
  pageLinks(offset, PAGE, total, { open: openPage });
}

// The settings from offset `to`, the list's top brought into view.
async function openPage(to) {
  offset = to;
  await load();
  document.getElementById('settings-count').scrollIntoView();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  offset = 0;
  load();
});

async function main() {
  const account = await pageAccount(['reviewer', 'coordinator'], ['You cannot use this page',
    'The partnership\'s training coverage is for the training sub-group and coordinators.']);
  if (!account) return;
  // Coordinators keep the agencies and settings this table is made of.
  if (account.roles.includes('coordinator')) document.getElementById('agencies-link').classList.remove('portal-hidden');
  mountDateInputs(form);
  const agencies = await api('GET', '/api/v1/agencies?status=all');
  fillSelect(document.getElementById('area'), (agencies.json?.areas ?? []).map((a) => ({ value: a, label: a })));
  await load();
}

main();
