// A setting lead's staff list: the table, CSV upload (applied whole or
// not at all: every problem listed), and CSV export.
import { api, el, breakable, showErrors, clearErrors, refuse, pageAccount } from '/assets/api.mjs';
import { names } from '/assets/names.mjs';

// The file's columns as people read them (the upload's errors name them so).
const COLUMNS = { full_name: 'Full name', email: 'Email', job_title: 'Job title',
  group_level: 'Group level', is_dsl: 'Is a DSL', manager_email: 'Manager email' };

const form = document.getElementById('upload');
let agency = null;

async function loadStaff() {
  const res = await api('GET', `/api/v1/agencies/${agency}/staff?limit=1000`);
  const n = await names();
  const rows = (res.json?.staff ?? []).map((p) => {
    const tr = el('tr', 'govuk-table__row');
    // The name, and the email address under it (a card's heading on a
    // phone), then one short line each.
    const who = el('td', 'govuk-table__cell', p.full_name);
    if (p.email) {
      const email = el('span', 'govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block');
      email.append(...breakable(p.email));
      who.append(email);
    }
    tr.append(who);
    for (const text of [p.job_title || 'Not given', n.level(p.group_level) || 'Not given', p.is_dsl ? 'Yes' : 'No']) {
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
      message: `Line ${r.line}, ${COLUMNS[r.field] ?? r.field}: ${r.message}` })));
  } else {
    showErrors(form, [{ field: 'file', message: res.json?.error?.message ?? 'The file could not be uploaded.' }]);
  }
});

async function main() {
  const account = await pageAccount();
  if (!account) return;
  agency = new URLSearchParams(window.location.search).get('agency_id') ?? account.setting_lead_agency_id;
  if (!agency) {
    refuse('You do not keep a staff list', 'Only a setting\'s lead (a school\'s DSL or an agency\'s training lead) keeps its staff list here. Ask a training coordinator if that should be you.');
    return;
  }
  document.getElementById('export').href = `/api/v1/agencies/${agency}/staff?format=csv`;
  await loadStaff();
}

main();
