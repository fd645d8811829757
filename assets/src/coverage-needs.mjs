// Training needs of a period, per group level, for the programme.
import { api, el, showErrors, problemsOf, clearErrors, pageAccount } from '/assets/api.mjs';
import { mountDateInputs, readDate, writeDate } from '/assets/dates.mjs';
import { when } from '/assets/when.mjs';

const form = document.getElementById('period');
const cell = (text) => el('td', 'govuk-table__cell govuk-table__cell--numeric', String(text));

async function load() {
  const q = new URLSearchParams();
  const problems = [];
  for (const [name, label] of [['from', 'From'], ['to', 'To']]) {
    const { value, error } = readDate(name, label);
    if (error) problems.push({ field: name, message: error });
    else if (value) q.set(name, value);
  }
  if (problems.length) {
    showErrors(form, problems);
    return;
  }
  const res = await api('GET', `/api/v1/reports/training-needs?${q}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  clearErrors(form);
  q.set('format', 'csv');
  document.getElementById('csv').href = `/api/v1/reports/training-needs?${q}`;
  writeDate('from', res.json.from);
  writeDate('to', res.json.to);
  const day = (d) => when(`${d}T12:00:00Z`, false);
  document.getElementById('caption').textContent = `Training needs from ${day(res.json.from)} to ${day(res.json.to)}`;
  document.getElementById('rows').replaceChildren(...res.json.levels.map((l) => {
    const tr = el('tr', 'govuk-table__row');
    tr.append(el('th', 'govuk-table__header', l.name));
    tr.append(cell(l.never), cell(l.expired), cell(l.expiring), cell(l.places_scheduled), cell(l.places_short),
      cell(l.sessions_needed ?? 'not known'));
    return tr;
  }));
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});

async function main() {
  if (!(await pageAccount(['reviewer', 'coordinator'], ['You cannot use this page',
    'The training needs of the partnership are for the training sub-group and coordinators.']))) return;
  mountDateInputs(form);
  await load();
}

main();
