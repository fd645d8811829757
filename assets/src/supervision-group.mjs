// One supervision group: its members (every spell, with joining and
// leaving dates), its meetings, and for coordinators changing the members
// and closing the group.
import { api, el, showErrors, clearErrors, problemsOf, pageAccount, refuse } from '/assets/api.mjs';
import { KINDS, day, table, link, folded, dateInput, readDate, setDate } from '/assets/supervision-ui.mjs';
import { londonDate } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const membersForm = document.getElementById('edit-members');
const closeForm = document.getElementById('close');
let group = null;
// Meetings shown before "earlier meetings": about a school year's.
const RECENT = 6;

function render() {
  document.getElementById('title').textContent = group.name;
  document.title = `${group.name} – Safeguarding Training Portal`;
  document.getElementById('kind').textContent = KINDS[group.kind];
  document.getElementById('facilitator').textContent = group.facilitator_name
    ? `${group.facilitator} (${group.facilitator_name})` : group.facilitator;
  document.getElementById('status').textContent = group.active ? 'Meets each term' : `Closed on ${day(group.closed_on)}`;
  // Members now, and those who left folded away; the latest meetings,
  // the earlier ones folded away (years of cards on a phone otherwise).
  const memberRows = (list) => list.map((m) => [m.full_name, m.agency ?? '', day(m.joined_on),
    m.left_on ? day(m.left_on) : 'Still a member']);
  const current = group.members.filter((m) => !m.left_on);
  const former = group.members.filter((m) => m.left_on);
  const members = [table(null, ['Name', 'Setting', 'Joined', 'Left'], memberRows(current), 'Members')];
  if (former.length) {
    members.push(folded(`${former.length} former member${former.length === 1 ? '' : 's'}`,
      table(null, ['Name', 'Setting', 'Joined', 'Left'], memberRows(former), 'Former members')));
  }
  document.getElementById('members').replaceChildren(...members);
  const meetingTable = (list, label) => table(null,
    ['Date', 'Present', 'Apologies', 'Absent', 'Next meeting', 'Case notes'],
    list.map((m) => [link(`/supervision/meeting?id=${m.id}`, day(m.held_on)), String(m.present),
      String(m.apologies), String(m.absent), day(m.next_date), m.has_case_notes ? 'Yes' : 'No']), label);
  const latest = [...group.meetings].sort((a, b) => b.held_on.localeCompare(a.held_on));
  const meetings = latest.length ? [meetingTable(latest.slice(0, RECENT), 'Meetings')] : [];
  if (latest.length > RECENT) {
    meetings.push(folded(`${latest.length - RECENT} earlier meeting${latest.length - RECENT === 1 ? '' : 's'}`,
      meetingTable(latest.slice(RECENT), 'Earlier meetings')));
  }
  document.getElementById('meetings').replaceChildren(...meetings);
  document.getElementById('no-meetings').classList.toggle('portal-hidden', group.meetings.length > 0);
}

async function load() {
  const res = await api('GET', `/api/v1/supervision/groups/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    refuse(res.status === 404 ? 'Not found' : 'You cannot use this page',
      res.status === 404 ? 'There is no such group.'
      : 'This page is for coordinators and the group\'s facilitator.');
    return false;
  }
  group = res.json;
  render();
  return true;
}

function saved(text) {
  document.getElementById('saved-text').textContent = text;
  const banner = document.getElementById('saved');
  banner.classList.remove('portal-hidden');
  banner.focus();
}

async function main() {
  const account = await pageAccount();
  if (!account) return;
  if (!(await load())) return;
  const coordinator = account.roles.includes('coordinator');
  const facilitator = group.facilitator_person_id === account.person_id;
  if (group.active && (coordinator || facilitator)) {
    const record = document.getElementById('record');
    record.href = `/supervision/meeting?group=${group.id}`;
    record.classList.remove('portal-hidden');
  }
  if (!coordinator || !group.active) return;
  // Coordinators: the DSLs to choose from, and closing.
  const report = await api('GET', '/api/v1/reports/supervision');
  const current = new Set(group.members.filter((m) => m.current).map((m) => m.person_id));
  document.getElementById('person_ids').replaceChildren(...(report.json?.dsls ?? []).map((d) => {
    const item = el('div', 'govuk-checkboxes__item');
    const input = el('input', 'govuk-checkboxes__input');
    input.type = 'checkbox';
    input.id = `dsl-${d.person_id}`;
    input.value = String(d.person_id);
    input.checked = current.has(d.person_id);
    const label = el('label', 'govuk-label govuk-checkboxes__label', `${d.full_name}${d.agency ? `, ${d.agency}` : ''}`);
    label.htmlFor = input.id;
    item.append(input, label);
    return item;
  }));
  document.getElementById('effective-on').replaceChildren(dateInput('effective_on', 'From',
    'The day they join or leave, for example 4 9 2026'));
  setDate('effective_on', londonDate());
  membersForm.classList.remove('portal-hidden');
  closeForm.classList.remove('portal-hidden');
}

membersForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const ids = [...membersForm.querySelectorAll('#person_ids input:checked')].map((i) => Number(i.value));
  const effective = readDate('effective_on');
  const res = await api('PUT', `/api/v1/supervision/groups/${group.id}/members`,
    { person_ids: ids, ...(effective ? { effective_on: effective } : {}) });
  if (res.status !== 200) {
    showErrors(membersForm, problemsOf(res.json).map((p) => ({
      field: p.field?.startsWith('person_ids.') ? `dsl-${p.field.slice(11)}` : p.field === 'effective_on' ? 'effective_on' : null,
      message: p.field === 'effective_on' ? 'Enter a real date, on or after the day each leaver joined' : p.message,
    })));
    return;
  }
  clearErrors(membersForm);
  group = res.json;
  render();
  saved('The members are saved.');
});

closeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!document.getElementById('confirm-close').checked) {
    showErrors(closeForm, [{ field: 'confirm-close', message: 'Tick the box to say the group no longer meets' }]);
    return;
  }
  const res = await api('POST', `/api/v1/supervision/groups/${group.id}/close`);
  if (res.status !== 200) {
    showErrors(closeForm, problemsOf(res.json));
    return;
  }
  group = res.json;
  render();
  membersForm.classList.add('portal-hidden');
  closeForm.classList.add('portal-hidden');
  document.getElementById('record').classList.add('portal-hidden');
  saved('The group is closed.');
});

main();
