// Coordinators: find a person with an account (by name or email address,
// and role), see their roles, give or take away a role after checking
// the change, and disable or enable the account after confirming. The
// search words stay out of the page's address.
import { api, el, showErrors, clearErrors, problemsOf, pageAccount, fillSelect, breakable } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { listOf } from '/assets/names.mjs';
import { pageLinks } from '/assets/paging.mjs';

const PAGE = 20;
// The roles as people name them, in the order the page lists them.
const ROLES = { practitioner: 'Practitioner', trainer: 'Trainer', setting_lead: 'Setting lead',
  reviewer: 'Reviewer', coordinator: 'Coordinator' };
const GIVEN = ['trainer', 'setting_lead', 'reviewer', 'coordinator'];

const search = document.getElementById('search');
const rolesForm = document.getElementById('roles');
const show = (id, on) => document.getElementById(id).classList.toggle('portal-hidden', !on);
const text = (id, t) => { document.getElementById(id).textContent = t; };
let me = null;
let agencies = new Map();
let offset = 0;
let person = null;
let wanted = null;

const rolesOf = (a) => listOf(Object.keys(ROLES).filter((r) => a.roles.includes(r)).map((r) => ROLES[r]));

function banner(message) {
  text('done-text', message);
  show('done', true);
  document.getElementById('done').focus();
}

function row(a) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.person = String(a.person_id);
  const name = el('td', 'govuk-table__cell');
  const link = el('a', 'govuk-link', a.full_name);
  link.href = '#person';
  link.addEventListener('click', (event) => {
    event.preventDefault();
    open(a);
  });
  const email = el('span', 'govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block');
  email.append(...breakable(a.email));
  name.append(link, email);
  const status = el('td', 'govuk-table__cell');
  status.append(el('strong', a.disabled ? 'govuk-tag govuk-tag--grey' : 'govuk-tag govuk-tag--green',
    a.disabled ? 'Disabled' : 'Active'));
  tr.append(name, el('td', 'govuk-table__cell', a.agency_name ?? 'None'), el('td', 'govuk-table__cell', rolesOf(a)), status);
  return tr;
}

// The accounts matching the search, a page of them.
async function list() {
  const q = search.elements.q.value.trim();
  const role = search.elements.role.value;
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (q) query.set('q', q);
  if (role) query.set('role', role);
  const res = await api('GET', `/api/v1/accounts?${query}`);
  if (res.status !== 200) {
    showErrors(search, problemsOf(res.json, 'The accounts could not be loaded. Try again.'));
    return;
  }
  const { accounts, total } = res.json;
  text('count', total === 0 ? 'No account matches. Check the spelling, or search for part of the name.'
    : `${total} account${total === 1 ? '' : 's'}${total > PAGE ? `, showing ${offset + 1} to ${offset + accounts.length}` : ''}`);
  document.getElementById('rows').replaceChildren(...accounts.map(row));
  show('table', accounts.length > 0);
  pageLinks(offset, PAGE, total, { open: (to) => { offset = to; list(); } });
}

// One person's account, its roles to change and its status.
function open(a) {
  person = a;
  clearErrors(rolesForm);
  show('finding', false);
  show('person', true);
  show('check-roles', false);
  show('disabling', true);
  show('confirm-disable', false);
  show('done', false);
  rolesForm.classList.remove('portal-hidden');
  const back = document.getElementById('back');
  back.textContent = 'Back to the accounts';
  back.href = '/accounts';
  back.onclick = toList;
  text('person-name', a.full_name);
  document.getElementById('person-email').replaceChildren(...breakable(a.email));
  text('person-agency', a.agency_name ?? 'None');
  text('person-roles', rolesOf(a));
  text('person-login', a.last_login_at ? when(a.last_login_at) : 'Never');
  text('person-status', a.disabled ? 'Disabled: cannot sign in' : 'Active');
  for (const r of GIVEN) document.getElementById(`role-${r}`).checked = a.roles.includes(r);
  rolesForm.elements.agency_id.value = a.setting_lead_agency_id ? String(a.setting_lead_agency_id) : '';
  // The agency choice shows under a ticked Setting lead (GOV.UK
  // Frontend keeps it so when the box is ticked by hand).
  document.getElementById('role-setting_lead').setAttribute('aria-expanded', String(a.roles.includes('setting_lead')));
  document.getElementById('lead-agency-box').classList.toggle('govuk-checkboxes__conditional--hidden',
    !a.roles.includes('setting_lead'));
  const self = a.person_id === me.person_id;
  text('disabling-title', a.disabled ? 'Enable the account' : 'Disable the account');
  text('disabling-text', a.disabled
    ? 'The person can sign in again with their password, or reset it.'
    : self ? 'You cannot disable your own account: ask another coordinator.'
      : 'A disabled account is signed out at once and cannot sign in or reset its password. Its bookings, training record and evaluations stay.');
  const button = document.getElementById('disable');
  button.textContent = a.disabled ? 'Enable the account' : 'Disable the account';
  button.className = `govuk-button ${a.disabled ? 'govuk-button--secondary' : 'govuk-button--warning'}`;
  button.classList.toggle('portal-hidden', self && !a.disabled);
  document.getElementById('person-name').focus();
}

function toList(event) {
  event?.preventDefault();
  person = null;
  show('person', false);
  show('finding', true);
  const back = document.getElementById('back');
  back.textContent = 'Back to your account';
  back.href = '/account';
  back.onclick = null;
  list();
}

search.addEventListener('submit', (event) => {
  event.preventDefault();
  clearErrors(search);
  show('done', false);
  offset = 0;
  list();
});
document.getElementById('to-list').addEventListener('click', toList);

// Continue: the roles ticked, checked before they are saved.
rolesForm.addEventListener('submit', (event) => {
  event.preventDefault();
  clearErrors(rolesForm);
  const roles = GIVEN.filter((r) => document.getElementById(`role-${r}`).checked);
  const agency = rolesForm.elements.agency_id.value;
  if (roles.includes('setting_lead') && !agency) {
    showErrors(rolesForm, [{ field: 'agency_id', message: 'Choose the school or agency they lead' }]);
    return;
  }
  const before = person.roles.filter((r) => r !== 'practitioner');
  const given = roles.filter((r) => !before.includes(r));
  const taken = before.filter((r) => !roles.includes(r));
  const moved = roles.includes('setting_lead') && before.includes('setting_lead')
    && Number(agency) !== person.setting_lead_agency_id;
  if (!given.length && !taken.length && !moved) {
    showErrors(rolesForm, [{ field: 'role-trainer', message: 'Tick or untick a role to change the roles, or go back to the accounts' }]);
    return;
  }
  if (person.person_id === me.person_id && taken.includes('coordinator')) {
    showErrors(rolesForm, [{ field: 'role-coordinator', message: 'You cannot take away your own coordinator role: ask another coordinator' }]);
    return;
  }
  const name = (r) => (r === 'setting_lead' ? `Setting lead of ${agencies.get(agency) ?? 'the school or agency'}` : ROLES[r]);
  text('check-given', given.length ? listOf(given.map(name)) : moved ? name('setting_lead') : 'None');
  text('check-taken', taken.length ? listOf(taken.map((r) => ROLES[r])) : 'None');
  text('check-after', listOf(['practitioner', ...roles].map((r) => (r === 'practitioner' ? ROLES[r] : name(r)))));
  wanted = { roles, agency_id: roles.includes('setting_lead') ? Number(agency) : null };
  rolesForm.classList.add('portal-hidden');
  show('disabling', false);
  show('check-roles', true);
  document.getElementById('check-roles-title').focus();
});

document.getElementById('change-roles').addEventListener('click', (event) => {
  event.preventDefault();
  show('check-roles', false);
  show('disabling', true);
  rolesForm.classList.remove('portal-hidden');
  document.getElementById('role-trainer').focus();
});

document.getElementById('save-roles').addEventListener('click', async () => {
  const res = await api('PUT', `/api/v1/accounts/${person.person_id}/roles`, wanted);
  if (res.status !== 200) {
    show('check-roles', false);
    show('disabling', true);
    rolesForm.classList.remove('portal-hidden');
    showErrors(rolesForm, problemsOf(res.json).map((p) => (p.field === 'roles' ? { ...p, field: 'role-trainer' } : p)));
    return;
  }
  const updated = { ...person, roles: res.json.roles, setting_lead_agency_id: res.json.setting_lead_agency_id ?? null };
  open(updated);
  banner(`${updated.full_name}’s roles are saved: ${rolesOf(updated)}.`);
});

// Disable (or enable): asked first, then done.
document.getElementById('disable').addEventListener('click', () => {
  const off = !person.disabled;
  text('confirm-disable-text', off
    ? `Disable the account of ${person.full_name}? They are signed out at once and cannot sign in until a coordinator enables the account again.`
    : `Enable the account of ${person.full_name}? They can sign in again straight away.`);
  const yes = document.getElementById('disable-yes');
  yes.textContent = off ? 'Yes, disable the account' : 'Yes, enable the account';
  yes.className = `govuk-button ${off ? 'govuk-button--warning' : ''}`;
  show('disable', false);
  show('confirm-disable', true);
  document.getElementById('confirm-disable-text').focus();
});

document.getElementById('disable-no').addEventListener('click', (event) => {
  event.preventDefault();
  show('confirm-disable', false);
  show('disable', true);
  document.getElementById('disable').focus();
});

document.getElementById('disable-yes').addEventListener('click', async () => {
  const off = !person.disabled;
  const res = await api('PUT', `/api/v1/accounts/${person.person_id}/disabled`, { disabled: off });
  if (res.status !== 200) {
    show('confirm-disable', false);
    show('disable', true);
    showErrors(rolesForm, problemsOf(res.json));
    return;
  }
  open({ ...person, disabled: res.json.disabled });
  banner(off ? `${person.full_name}’s account is disabled. They are signed out and cannot sign in.`
    : `${person.full_name}’s account is enabled. They can sign in again.`);
});

async function agencyList() {
  const all = [];
  for (let from = 0; ; from += 100) {
    const page = await api('GET', `/api/v1/agencies?limit=100&offset=${from}`);
    const got = page.json?.agencies ?? [];
    all.push(...got);
    if (got.length < 100) break;
  }
  agencies = new Map(all.map((a) => [String(a.id), a.name]));
  fillSelect(rolesForm.elements.agency_id, all.map((a) => ({ value: String(a.id), label: a.name })));
}

async function main() {
  me = await pageAccount(['coordinator'], ['You cannot change accounts',
    'Only the partnership\'s training coordinators can see accounts and change their roles.']);
  if (!me) return;
  await Promise.all([list(), agencyList()]);
}

main();
