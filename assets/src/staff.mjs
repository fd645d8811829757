// A setting lead's staff list: the table, CSV upload (applied whole or
// not at all: every problem listed), and CSV export.
import { me, api, el, showErrors, clearErrors } from '/assets/api.mjs';

const form = document.getElementById('upload');
let agency = null;

async function loadStaff() {
  const res = await api('GET', `/api/v1/agencies/${agency}/staff?limit=1000`);
  const rows = (res.json?.staff ?? []).map((p) => {
    const tr = el('tr', 'govuk-table__row');
    for (const text of [p.full_name, p.email ?? '', p.job_title ?? '', p.group_level ?? '', p.is_dsl ? 'Yes' : 'No']) {
      tr.append(el('td', 'govuk-table__cell', text));
    }
    return tr;
  });
  document.getElementById('staff-rows').replaceChildren(...rows);
  document.getElementById('staff-caption').textContent = `Staff (${res.json?.total ?? 0})`;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  document.getElementById('done').classList.add('portal-hidden');
  const file = document.getElementById('file').files[0];
  if (!file) {
    showErrors(form, [{ field: 'file', message: 'Select a CSV file' }]);
    return;
  }
  const res = await api('POST', `/api/v1/agencies/${agency}/staff`, await file.text(), 'text/csv');
  if (res.status === 200) {
    clearErrors(form);
    const { created, updated, unchanged } = res.json;
    document.getElementById('done-text').textContent =
      `Staff list uploaded: ${created} added, ${updated} updated, ${unchanged} unchanged.`;
    document.getElementById('done').classList.remove('portal-hidden');
    form.reset();
    await loadStaff();
    return;
  }
  const rows = res.json?.error?.fields?.rows;
  if (Array.isArray(rows)) {
    showErrors(form, rows.map((r) => ({ field: 'file',
      message: `Line ${r.line}, ${r.field.replace('_', ' ')}: ${r.message}` })));
  } else {
    showErrors(form, [{ field: 'file', message: res.json?.error?.message ?? 'The file could not be uploaded.' }]);
  }
});

async function main() {
  const account = await me();
  if (!account) {
    window.location.assign('/sign-in');
    return;
  }
  agency = new URLSearchParams(window.location.search).get('agency_id') ?? account.setting_lead_agency_id;
  if (!agency) {
    showErrors(form, [{ field: null, message: 'Only a setting lead has a staff list to keep.' }]);
    form.classList.add('portal-hidden');
    return;
  }
  document.getElementById('export').href = `/api/v1/agencies/${agency}/staff?format=csv`;
  await loadStaff();
}

main();
