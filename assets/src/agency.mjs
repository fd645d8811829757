// Coordinators: add an agency or setting, change one, mark one that has
// closed (after confirming; never deleted), or reopen it.
import { api, el, fillSelect, showErrors, clearErrors, problemsOf, refuse, pageAccount } from '/assets/api.mjs';
import { SECTORS, PHASES, PHASED } from '/assets/names.mjs';

const id = new URLSearchParams(window.location.search).get('id');
const form = document.getElementById('agency');
const byId = (name) => document.getElementById(name);
const show = (name, shown = true) => byId(name).classList.toggle('portal-hidden', !shown);

// The phase is asked only of schools and early years settings.
function showPhase() {
  show('phase-group', PHASED.includes(form.elements.sector.value));
}

function saved(message) {
  byId('saved-text').textContent = message;
  show('saved');
}

function fill(a) {
  for (const name of ['name', 'sector', 'area']) form.elements[name].value = a[name] ?? '';
  form.elements.phase.value = a.phase ?? '';
  showPhase();
  byId('heading').textContent = a.name;
  document.title = `${a.name} – Safeguarding Training Portal`;
  byId('status').replaceChildren(el('strong', `govuk-tag ${a.active ? 'govuk-tag--green' : 'govuk-tag--grey'}`,
    a.active ? 'Open' : 'Closed'), a.active ? '' : ' It is not in the lists people choose from.');
  show('status');
  byId('save').textContent = 'Save changes';
  byId('confirm-title').textContent = `Has ${a.name} closed?`;
  show('closing', a.active);
  show('close');
  show('confirm', false);
  show('reopening', !a.active);
}

function body() {
  const sector = form.elements.sector.value;
  return {
    name: form.elements.name.value.trim(),
    sector: sector || null,
    area: form.elements.area.value.trim(),
    phase: PHASED.includes(sector) ? form.elements.phase.value || null : null,
  };
}

// Mark the agency open or closed; the page shows what the API answered.
async function setActive(active) {
  clearErrors(form);
  byId('saved').classList.add('portal-hidden');
  const res = await api('PATCH', `/api/v1/agencies/${encodeURIComponent(id)}`, { active });
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  fill(res.json);
  saved(active ? `${res.json.name} is open again.` : `${res.json.name} is marked as closed.`);
}

form.elements.sector.addEventListener('change', showPhase);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  byId('saved').classList.add('portal-hidden');
  const res = id ? await api('PATCH', `/api/v1/agencies/${encodeURIComponent(id)}`, body())
    : await api('POST', '/api/v1/agencies', body());
  if (res.status === 201) {
    window.location.assign(`/agencies/agency?id=${res.json.id}&added=1`);
    return;
  }
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  fill(res.json);
  saved('The changes are saved.');
});

byId('close').addEventListener('click', () => {
  show('close', false);
  show('confirm');
  byId('confirm').focus();
});
byId('cancel-close').addEventListener('click', () => {
  show('confirm', false);
  show('close');
  byId('close').focus();
});
byId('confirm-close').addEventListener('click', () => setActive(false));
byId('reopen').addEventListener('click', () => setActive(true));

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot change the agencies', 'Only the partnership\'s training coordinators can add and change agencies and settings.']);
  if (!account) return;
  fillSelect(form.elements.sector, Object.entries(SECTORS).map(([value, label]) => ({ value, label })));
  fillSelect(form.elements.phase, Object.entries(PHASES).map(([value, label]) => ({ value, label })));
  const [list, one] = await Promise.all([api('GET', '/api/v1/agencies?limit=1&status=all'),
    id ? api('GET', `/api/v1/agencies/${encodeURIComponent(id)}`) : null]);
  byId('areas').replaceChildren(...(list.json?.areas ?? []).map((a) => Object.assign(document.createElement('option'), { value: a })));
  if (!id) return;
  if (one.status !== 200) {
    refuse('There is no such agency', 'The agency may have been mistyped in the address.', ['/agencies', 'Go to agencies and settings']);
    return;
  }
  fill(one.json);
  if (new URLSearchParams(window.location.search).get('added')) saved(`${one.json.name} is added.`);
}

main();
