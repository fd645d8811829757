// The partnership's coverage table for reviewers and coordinators, with
// filters, a chart, each setting worst first, and the CSV download.
import { api, el, showErrors, problemsOf, clearErrors, pageAccount, fillSelect } from '/assets/api.mjs';
import { barChart } from '/assets/chart.mjs';
import { mountDateInputs, readDate } from '/assets/dates.mjs';
import { when } from '/assets/when.mjs';
import { reportGet, reportForget } from '/assets/gathering.mjs';

const form = document.getElementById('filters');
const pct = (x) => `${Math.round(x * 100)}%`;
const cell = (text, numeric = true) => el('td', `govuk-table__cell${numeric ? ' govuk-table__cell--numeric' : ''}`, String(text));

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
  reportForget();
  const res = await reportGet(`/api/v1/reports/coverage?${q}`, () => load());
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
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
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
