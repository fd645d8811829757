// Training needs of a period, per group level, for the programme.
import { me, api, el, showErrors, problemsOf, clearErrors } from '/assets/api.mjs';

const form = document.getElementById('period');
const cell = (text) => el('td', 'govuk-table__cell govuk-table__cell--numeric', String(text));

async function load() {
  const q = new URLSearchParams();
  for (const name of ['from', 'to']) {
    const v = document.getElementById(name).value.trim();
    if (v) q.set(name, v);
  }
  const res = await api('GET', `/api/v1/reports/training-needs?${q}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  clearErrors(form);
  q.set('format', 'csv');
  document.getElementById('csv').href = `/api/v1/reports/training-needs?${q}`;
  document.getElementById('from').value = res.json.from;
  document.getElementById('to').value = res.json.to;
  document.getElementById('caption').textContent = `Training needs from ${res.json.from} to ${res.json.to}`;
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
  if (!(await me())) {
    window.location.assign('/sign-in');
    return;
  }
  await load();
}

main();
