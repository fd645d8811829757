// A setting's training coverage: the table by level with its chart, the
// staff worst first, and the lead's uploads (training records, staffing
// return). Coordinators and reviewers open it with ?agency_id=.
import { api, el, showErrors, clearErrors, pageAccount, refuse } from '/assets/api.mjs';
import { barChart } from '/assets/chart.mjs';
import { mountDateInputs, readDate, writeDate } from '/assets/dates.mjs';
import { londonDate } from '/assets/when.mjs';

// A training records file's columns, as its hint names them.
const RECORD_COLUMNS = { email: 'Email', course_title: 'Course title', completed_on: 'Completed on',
  group_level: 'Group level', provider: 'Provider', hours: 'Hours', file: 'The file' };

const STATUS = { never: 'Never trained', expired: 'Expired', lapsing: 'Lapsing', in_date: 'In date' };
let agency = null;

const pct = (x) => `${Math.round(x * 100)}%`;
const date = (d) => (d ? new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB',
  { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' }) : '–');

function done(text) {
  document.getElementById('done-text').textContent = text;
  document.getElementById('done').classList.remove('portal-hidden');
}

async function load() {
  const res = await api('GET', `/api/v1/agencies/${agency}/coverage`);
  if (res.status !== 200) {
    document.getElementById('summary').textContent = res.json?.error?.message ?? 'Coverage could not be loaded.';
    return;
  }
  const c = res.json;
  document.getElementById('setting').textContent = c.agency.name;
  const levels = c.levels.filter((l) => l.n > 0 || l.staff > 0);
  const n = levels.reduce((a, l) => a + l.n, 0);
  const trained = levels.reduce((a, l) => a + Math.min(l.trained, l.n), 0);
  document.getElementById('summary').textContent = n
    ? `${trained} of ${n} staff are trained at their group level and in date (${pct(trained / n)}) on ${date(c.as_of)}.`
    : 'There is no one on your staff list yet, and no staffing return.';
  document.getElementById('level-rows').replaceChildren(...levels.map((l) => {
    const tr = el('tr', 'govuk-table__row');
    tr.append(el('th', 'govuk-table__header', l.name));
    const cov = l.coverage ? `${pct(l.coverage.rate)} (${pct(l.coverage.lower)} to ${pct(l.coverage.upper)})` : '–';
    for (const text of [`${l.n}${l.n_source === 'return' ? ' (staffing return)' : ''}`, l.trained, l.required, cov, l.lapsing]) {
      tr.append(el('td', 'govuk-table__cell govuk-table__cell--numeric', String(text)));
    }
    return tr;
  }));
  barChart(document.getElementById('chart'), {
    labels: levels.map((l) => l.name),
    datasets: [{ label: 'Coverage (%)', data: levels.map((l) => (l.coverage ? Math.round(l.coverage.rate * 100) : 0)) }],
    max: 100,
  });
  const people = c.people;
  document.getElementById('people-part').classList.toggle('portal-hidden', !Array.isArray(people));
  if (Array.isArray(people)) {
    document.getElementById('people-rows').replaceChildren(...people.map((p) => {
      const tr = el('tr', 'govuk-table__row');
      tr.append(el('td', 'govuk-table__cell', p.full_name));
      tr.append(el('td', 'govuk-table__cell', p.group_level_name));
      const status = el('td', 'govuk-table__cell');
      const tag = el('strong', `govuk-tag ${{ never: 'govuk-tag--red', expired: 'govuk-tag--red',
        lapsing: 'govuk-tag--yellow', in_date: 'govuk-tag--green' }[p.status]}`, STATUS[p.status]);
      status.append(tag);
      tr.append(status);
      tr.append(el('td', 'govuk-table__cell', date(p.last_trained_on)));
      tr.append(el('td', 'govuk-table__cell', date(p.expires_on)));
      return tr;
    }));
  }
}

async function loadReturn(levels) {
  const res = await api('GET', `/api/v1/agencies/${agency}/staffing-return`);
  const latest = res.json?.latest;
  document.getElementById('return-latest').textContent = latest
    ? `Your latest return is of ${date(latest.as_of)}.` : 'You have not sent a return yet.';
  document.getElementById('headcounts').replaceChildren(...levels.map((l) => {
    const group = el('div', 'govuk-form-group');
    const label = el('label', 'govuk-label', `${l.name}: number of staff`);
    label.htmlFor = `headcount-${l.code}`;
    const input = el('input', 'govuk-input govuk-input--width-4');
    input.id = `headcount-${l.code}`;
    input.name = `headcount.${l.code}`;
    input.inputMode = 'numeric';
    input.value = latest?.headcount?.[l.code] ?? '';
    group.append(label, input);
    return group;
  }));
}

document.getElementById('records').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  document.getElementById('done').classList.add('portal-hidden');
  const file = document.getElementById('records-file').files[0];
  if (!file) {
    showErrors(form, [{ field: 'records-file', message: 'Select a CSV file' }]);
    return;
  }
  const res = await api('POST', `/api/v1/agencies/${agency}/training-records`, await file.text(), 'text/csv');
  if (res.status === 200) {
    clearErrors(form);
    form.reset();
    done(`Training records uploaded: ${res.json.created} added, ${res.json.unchanged} already held.`);
    await load();
    return;
  }
  const rows = res.json?.error?.fields?.rows;
  showErrors(form, Array.isArray(rows)
    ? rows.map((r) => ({ field: 'records-file', message: `Line ${r.line}, ${RECORD_COLUMNS[r.field] ?? r.field}: ${r.message}` }))
    : [{ field: 'records-file', message: res.json?.error?.message ?? 'The file could not be uploaded.' }]);
});

document.getElementById('return').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  document.getElementById('done').classList.add('portal-hidden');
  const headcount = {};
  for (const input of form.querySelectorAll('[name^="headcount."]')) {
    if (input.value.trim() !== '') headcount[input.name.slice(10)] = Number(input.value.trim());
  }
  const asOf = readDate('as_of', 'The date the numbers are true at');
  if (asOf.error || asOf.value === null) {
    showErrors(form, [{ field: 'as_of', message: asOf.error ?? 'Enter the date the numbers are true at' }]);
    return;
  }
  const res = await api('PUT', `/api/v1/agencies/${agency}/staffing-return`, { as_of: asOf.value, headcount });
  if (res.status === 200) {
    clearErrors(form);
    done('Staffing return sent.');
    await load();
    return;
  }
  const fields = res.json?.error?.fields ?? {};
  const problems = Object.entries(fields).map(([k, message]) => ({
    field: k === 'headcount' ? form.querySelector('[name^="headcount."]')?.id : (k.startsWith('headcount.') ? `headcount-${k.slice(10)}` : k),
    message,
  }));
  showErrors(form, problems.length ? problems : [{ field: null, message: res.json?.error?.message ?? 'The return could not be sent.' }]);
});

async function main() {
  const account = await pageAccount();
  if (!account) return;
  agency = new URLSearchParams(window.location.search).get('agency_id') ?? account.setting_lead_agency_id;
  if (!agency) {
    refuse('You have no setting to see', 'This page shows a setting\'s training coverage to its lead (a school\'s DSL or an agency\'s training lead). Ask a training coordinator if that should be you.');
    return;
  }
  const mayEdit = String(account.setting_lead_agency_id) === String(agency) || account.roles.includes('coordinator');
  document.getElementById('edit-part').classList.toggle('portal-hidden', !mayEdit);
  document.getElementById('levels-csv').href = `/api/v1/agencies/${agency}/coverage?format=csv`;
  document.getElementById('people-csv').href = `/api/v1/agencies/${agency}/coverage?format=csv&table=people`;
  mountDateInputs(document.getElementById('return'));
  writeDate('as_of', londonDate());
  await load();
  const levels = await api('GET', '/api/v1/group-levels');
  if (mayEdit) await loadReturn(levels.json?.group_levels ?? []);
}

main();
