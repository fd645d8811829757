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
let levelList = [];

const pct = (x) => `${Math.round(x * 100)}%`;
const date = (d) => (d ? new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB',
  { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' }) : '–');

// The success banner, with the focus on it (it is at the top of the
// page, the form that was sent at the bottom).
function done(text) {
  document.getElementById('done-text').textContent = text;
  const banner = document.getElementById('done');
  banner.classList.remove('portal-hidden');
  banner.tabIndex = -1;
  banner.focus();
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
    await load();
    done(`Training records uploaded: ${res.json.created} added, ${res.json.unchanged} already held.`);
    return;
  }
  const rows = res.json?.error?.fields?.rows;
  showErrors(form, Array.isArray(rows)
    ? rows.map((r) => ({ field: 'records-file', message: `Line ${r.line}, ${RECORD_COLUMNS[r.field] ?? r.field}: ${r.message}` }))
    : [{ field: 'records-file', message: res.json?.error?.message ?? 'The file could not be uploaded.' }]);
});

// "Enter the number of staff at Group 2 as a whole number from 0 to
// 100000": a headcount's message names its level.
const levelName = (code) => levelList.find((l) => l.code === code)?.name ?? code;
const headcountMessage = (code) => `Enter the number of staff at ${levelName(code)} as a whole number from 0 to 100000`;

document.getElementById('return').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  document.getElementById('done').classList.add('portal-hidden');
  // The date and every number checked together: one round of errors.
  const headcount = {};
  const problems = [];
  const asOf = readDate('as_of', 'The date the numbers are true at');
  if (asOf.error || asOf.value === null) {
    problems.push({ field: 'as_of', message: asOf.error ?? 'Enter the date the numbers are true at' });
  }
  for (const input of form.querySelectorAll('[name^="headcount."]')) {
    const v = input.value.trim();
    const code = input.name.slice(10);
    if (v === '') continue;
    if (!/^\d+$/.test(v) || Number(v) > 100000) problems.push({ field: input.id, message: headcountMessage(code) });
    else headcount[code] = Number(v);
  }
  if (problems.length) {
    showErrors(form, problems);
    return;
  }
  const res = await api('PUT', `/api/v1/agencies/${agency}/staffing-return`, { as_of: asOf.value, headcount });
  if (res.status === 200) {
    clearErrors(form);
    await load();
    await loadReturn(levelList);
    done(`Staffing return of ${date(asOf.value)} sent.`);
    return;
  }
  const fields = res.json?.error?.fields ?? {};
  const answer = Object.entries(fields).map(([k, message]) => ({
    field: k === 'headcount' ? form.querySelector('[name^="headcount."]')?.id : (k.startsWith('headcount.') ? `headcount-${k.slice(10)}` : k),
    message: k.startsWith('headcount.') ? headcountMessage(k.slice(10)) : message,
  }));
  showErrors(form, answer.length ? answer : [{ field: null, message: res.json?.error?.message ?? 'The return could not be sent.' }]);
});

// The upload's template: the header row and one example row, made in
// the page (UTF-8 with a byte-order mark, so that Excel reads it right).
function template() {
  const csv = '\ufeffEmail,Course title,Completed on,Group level,Provider,Hours\r\n'
    + 'name@school.example,Whole-staff safeguarding update,2016-09-05,Group 2,In-house,2\r\n';
  document.getElementById('records-template').href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
}

async function main() {
  template();
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
  levelList = levels.json?.group_levels ?? [];
  if (mayEdit) await loadReturn(levelList);
}

main();
