// Coordinators: the audit log, newest first, a page at a time, filtered
// by what was done, by or about whom (found by email address) and
// between which dates; each action in words, never its code.
import { api, el, showErrors, clearErrors, problemsOf, pageAccount, fillSelect } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { mountDateInputs, readDate } from '/assets/dates.mjs';
import { pageLinks } from '/assets/paging.mjs';

const PAGE = 50;
// What each action recorded means.
const ACTIONS = {
  'session.login': 'Signed in', 'session.login_failed': 'Sign-in refused', 'session.logout': 'Signed out',
  'account.create': 'Account asked for', 'account.create_coordinator': 'Coordinator account created',
  'account.claim_requested': 'Asked to take over a record already held', 'account.verified': 'Email address confirmed',
  'account.roles': 'Roles changed', 'account.disabled': 'Account disabled', 'account.enabled': 'Account enabled',
  'password.reset_requested': 'Password reset asked for', 'password.reset': 'Password reset',
  'person.erase': 'Person’s data erased', 'person.manager_change_asked': 'Change of line manager asked for',
  'person.manager_changed': 'Line manager changed',
  'course.create': 'Course added', 'course.update': 'Course changed',
  'session.create': 'Session scheduled', 'session.update': 'Session changed', 'session.cancel': 'Session cancelled',
  'session.attendance': 'Register taken',
  'booking.walk_in': 'Walk-in added to a register', 'booking.walk_in_confirm': 'Walk-in confirmed',
  'booking.walk_in_remove': 'Walk-in removed', 'evaluation_batch.voided': 'Paper forms withdrawn',
  'agency.create': 'Agency or setting added', 'agency.update': 'Agency or setting changed',
  'staff.import': 'Staff list uploaded', 'staff.export': 'Staff list downloaded',
  'staffing_return.put': 'Staffing return sent',
  'training.import': 'Training records uploaded', 'training.export': 'Training records downloaded',
  'supervision.group.create': 'Supervision group set up', 'supervision.group.close': 'Supervision group closed',
  'supervision.members': 'Supervision group’s members changed',
  'supervision.meeting.create': 'Supervision meeting recorded', 'supervision.meeting.update': 'Supervision meeting changed',
  'supervision.case_notes.read': 'Supervision case notes read',
  'history.import': 'Attendance history imported',
  'portal.demo_scale': 'Demonstration data loaded', 'portal.demo_password_hash': 'Demonstration passwords set',
};
// The filter's choices: the start of the actions each takes in (the API
// takes a start without "_", which LIKE would read as a wildcard).
const GROUPS = [
  ['session.log', 'Signing in and out'], ['account.', 'Accounts and roles'], ['password.', 'Password resets'],
  ['person.', 'People’s records and line managers'], ['course.', 'Courses'], ['session.create', 'Sessions scheduled'],
  ['session.update', 'Sessions changed'], ['session.cancel', 'Sessions cancelled'], ['session.attendance', 'Registers'],
  ['booking.', 'Walk-ins'], ['evaluation', 'Paper evaluation forms'], ['agency.', 'Agencies and settings'],
  ['staff', 'Staff lists and staffing returns'], ['training.', 'Training records'],
  ['supervision.', 'DSL group supervision'], ['history.', 'Attendance history imports'],
];
const ROLES = { practitioner: 'Practitioner', trainer: 'Trainer', setting_lead: 'Setting lead',
  reviewer: 'Reviewer', coordinator: 'Coordinator' };
// Where a thing the log names can be seen, and its name.
const TARGETS = {
  session: ['Session', (id) => `/programme/session?id=${id}`], course: ['Course', (id) => `/programme/course?id=${id}`],
  agency: ['Agency or setting', (id) => `/agencies/agency?id=${id}`],
  supervision_group: ['Supervision group', (id) => `/supervision/group?id=${id}`],
  supervision_session: ['Supervision meeting', (id) => `/supervision/meeting?id=${id}`],
  booking: ['A place on a session'], evaluation_batch: ['Paper forms of a session'],
};

const form = document.getElementById('filter');
let offset = 0;
let filters = new URLSearchParams();
mountDateInputs(form);
fillSelect(form.elements.action, GROUPS.map(([value, label]) => ({ value, label })));

const words = (action) => ACTIONS[action] ?? `Other: ${action.replace(/[._]+/g, ' ')}`;

function about(e) {
  const cell = el('td', 'govuk-table__cell');
  if (e.target_type === 'person') {
    cell.textContent = e.target_id === e.actor_person_id ? 'Themselves' : e.target_name ?? 'A person since erased';
  } else if (TARGETS[e.target_type]) {
    const [name, href] = TARGETS[e.target_type];
    if (href && e.target_id) {
      const a = el('a', 'govuk-link', name);
      a.href = href(e.target_id);
      cell.append(a);
    } else {
      cell.textContent = name;
    }
  }
  if (e.action === 'account.roles' && Array.isArray(e.detail?.after)) {
    cell.append(el('span', 'govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block',
      `Roles now: ${e.detail.after.map((r) => ROLES[r] ?? r).join(', ')}`));
  }
  return cell;
}

function row(e) {
  const tr = el('tr', 'govuk-table__row');
  tr.append(el('td', 'govuk-table__cell', when(e.at)), el('td', 'govuk-table__cell', words(e.action)),
    el('td', 'govuk-table__cell', e.actor_person_id ? e.actor_name ?? 'A person since erased' : 'The portal'), about(e));
  return tr;
}

async function load() {
  const query = new URLSearchParams(filters);
  query.set('limit', String(PAGE));
  query.set('offset', String(offset));
  const res = await api('GET', `/api/v1/audit?${query}`);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json, 'The audit log could not be loaded. Try again.'));
    count.textContent = '';
    return;
  }
  const { total } = res.json;
  const { entries } = res.json;
  count.textContent = total === 0 ? 'Nothing in the audit log matches.'
    : `${total.toLocaleString('en-GB')} entr${total === 1 ? 'y' : 'ies'}${total > PAGE
      ? `, showing ${(offset + 1).toLocaleString('en-GB')} to ${(offset + entries.length).toLocaleString('en-GB')}` : ''}`;
  document.getElementById('rows').replaceChildren(...entries.map(row));
  document.getElementById('table').classList.toggle('portal-hidden', entries.length === 0);
  pageLinks(offset, PAGE, total, { open: (to) => { offset = to; load(); } });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const problems = [];
  const next = new URLSearchParams();
  if (form.elements.action.value) next.set('action', form.elements.action.value);
  for (const [name, label] of [['from', 'From'], ['to', 'To']]) {
    const { value, error } = readDate(name, label);
    if (error) problems.push({ field: name, message: error });
    else if (value) next.set(name, value);
  }
  const email = form.elements.person.value.trim();
  if (email) {
    const found = await api('GET', `/api/v1/accounts?q=${encodeURIComponent(email)}&limit=200`);
    const match = (found.json?.accounts ?? []).find((a) => a.email.toLowerCase() === email.toLowerCase());
    if (match) next.set('person_id', String(match.person_id));
    else problems.push({ field: 'person', message: 'No account has this email address: check it, or leave it empty' });
  }
  if (next.get('from') && next.get('to') && next.get('from') > next.get('to')) {
    problems.push({ field: 'to', message: 'To must be the same day as From or after it' });
  }
  if (problems.length) {
    showErrors(form, problems);
    return;
  }
  filters = next;
  offset = 0;
  await load();
});

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot see the audit log',
    'Only the partnership\'s training coordinators can see the audit log.']);
  if (!account) return;
  await load();
}

main();
