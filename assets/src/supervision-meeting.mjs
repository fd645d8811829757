// A supervision meeting: record a new one (?group=ID) with attendance for
// every member on one screen, or see one (?id=ID) and correct it. Case
// notes come only to the group's facilitator and coordinators.
import { api, el, showErrors, problemsOf, pageAccount, refuse } from '/assets/api.mjs';
import { TOPICS, ATTENDANCE, day, table, dateInput, readDate, setDate } from '/assets/supervision-ui.mjs';

const params = new URLSearchParams(window.location.search);
const form = document.getElementById('meeting');
let group = null;
let meeting = null;

// Members of the group on `date` (YYYY-MM-DD), or today's when none.
function membersOn(date) {
  const seen = new Map();
  for (const m of group.members) {
    const on = date ? m.joined_on <= date && (!m.left_on || date < m.left_on) : m.current;
    if (on) seen.set(m.person_id, m);
  }
  return [...seen.values()];
}

function renderAttendance() {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(readDate('held_on')) ? readDate('held_on') : '';
  const chosen = new Map([...form.querySelectorAll('#attendance input:checked')]
    .map((i) => [Number(i.dataset.person), i.value]));
  if (meeting && chosen.size === 0) for (const a of meeting.attendance) chosen.set(a.person_id, a.status);
  const rows = membersOn(date).map((m) => {
    const group_ = el('div', 'govuk-form-group govuk-!-margin-bottom-0');
    const fieldset = el('fieldset', 'govuk-fieldset');
    fieldset.append(el('legend', 'govuk-fieldset__legend govuk-visually-hidden', `Attendance of ${m.full_name}`));
    const radios = el('div', 'govuk-radios govuk-radios--small govuk-radios--inline');
    for (const [value, label] of Object.entries(ATTENDANCE)) {
      const item = el('div', 'govuk-radios__item');
      const input = el('input', 'govuk-radios__input');
      input.type = 'radio';
      input.name = `attendance-${m.person_id}`;
      input.id = value === 'present' ? `attendance.${m.person_id}` : `attendance.${m.person_id}-${value}`;
      input.value = value;
      input.dataset.person = String(m.person_id);
      input.checked = chosen.get(m.person_id) === value;
      const l = el('label', 'govuk-label govuk-radios__label', label);
      l.htmlFor = input.id;
      item.append(input, l);
      radios.append(item);
    }
    fieldset.append(radios);
    group_.append(fieldset);
    return [`${m.full_name}${m.agency ? `, ${m.agency}` : ''}`, group_];
  });
  document.getElementById('attendance').replaceChildren(rows.length
    ? table(null, ['Member', 'Attendance'], rows)
    : el('p', 'govuk-body', 'The group had no members on that day.'));
}

function renderForm() {
  document.getElementById('held-on').replaceChildren(dateInput('held_on', 'Date of the meeting', 'For example, 12 10 2026'));
  document.getElementById('next-date').replaceChildren(dateInput('next_date', 'Date of the next meeting (optional)',
    'Members are told the date now, and reminded five days before'));
  document.getElementById('topic-boxes').replaceChildren(...Object.entries(TOPICS).map(([code, label], i) => {
    const item = el('div', 'govuk-checkboxes__item');
    const input = el('input', 'govuk-checkboxes__input');
    input.type = 'checkbox';
    input.id = i === 0 ? 'topics' : `topics-${code}`;
    input.value = code;
    const l = el('label', 'govuk-label govuk-checkboxes__label', label);
    l.htmlFor = input.id;
    item.append(input, l);
    return item;
  }));
  for (const part of ['held_on', 'held_on-month', 'held_on-year']) {
    document.getElementById(part).addEventListener('change', renderAttendance);
  }
  form.elements.facilitator.value = meeting?.facilitator ?? group.facilitator;
  if (meeting) {
    setDate('held_on', meeting.held_on);
    setDate('next_date', meeting.next_date);
    form.elements.duration_minutes.value = String(meeting.duration_minutes);
    form.elements.specific_topic.value = meeting.specific_topic ?? '';
    form.elements.cases_discussed.value = String(meeting.cases_discussed);
    form.elements.actions.value = meeting.actions ?? '';
    form.elements.case_notes.value = meeting.case_notes ?? '';
    for (const t of meeting.topics) form.querySelector(`#topic-boxes input[value="${t}"]`).checked = true;
    document.getElementById('save').textContent = 'Save the corrections';
  }
  renderAttendance();
  form.classList.remove('portal-hidden');
}

function renderRecord() {
  document.getElementById('title').textContent = `Meeting of ${day(meeting.held_on)}`;
  document.title = `Meeting of ${day(meeting.held_on)} – Safeguarding Training Portal`;
  const rows = [
    ['Length', `${meeting.duration_minutes} minutes`], ['Facilitated by', meeting.facilitator],
    ['Covered', meeting.topics.map((t) => TOPICS[t]).join(', ') || 'Not recorded'],
    ['Specific topic', meeting.specific_topic ?? 'None'], ['Cases discussed', String(meeting.cases_discussed)],
    ['Actions agreed', meeting.actions ?? 'None'], ['Next meeting', day(meeting.next_date)],
  ];
  document.getElementById('summary').replaceChildren(...rows.map(([k, v]) => {
    const row = el('div', 'govuk-summary-list__row');
    row.append(el('dt', 'govuk-summary-list__key', k), el('dd', 'govuk-summary-list__value', v));
    return row;
  }));
  document.getElementById('attendance-table').replaceChildren(table('Attendance', ['Member', 'Attendance'],
    meeting.attendance.map((a) => [`${a.full_name}${a.agency ? `, ${a.agency}` : ''}`, ATTENDANCE[a.status]])));
  // Notes that cannot be opened (moved, altered, waiting to be sealed
  // again) are said so, in the server's words, in place of the notes.
  const notes = ('case_notes' in meeting && meeting.case_notes)
    || (meeting.case_notes_unavailable && meeting.case_notes_problem);
  document.getElementById('notes-box').classList.toggle('portal-hidden', !notes);
  document.getElementById('notes').textContent = notes || '';
  document.getElementById('record').classList.remove('portal-hidden');
}

function body() {
  const count = (v) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : (v.trim() || null));
  const attendance = [...form.querySelectorAll('#attendance input:checked')]
    .map((i) => ({ person_id: Number(i.dataset.person), status: i.value }));
  return {
    held_on: readDate('held_on') || null,
    duration_minutes: count(form.elements.duration_minutes.value),
    facilitator: form.elements.facilitator.value.trim() || null,
    topics: [...form.querySelectorAll('#topic-boxes input:checked')].map((i) => i.value),
    specific_topic: form.elements.specific_topic.value.trim() || null,
    cases_discussed: count(form.elements.cases_discussed.value) ?? 0,
    actions: form.elements.actions.value.trim() || null,
    next_date: readDate('next_date') || null,
    case_notes: form.elements.case_notes.value.trim() || null,
    attendance,
  };
}

// A correction leaves notes it could not show as they are, unless new
// ones are written.
function withoutUnreadNotes(b) {
  if (meeting?.case_notes_unavailable && b.case_notes === null) delete b.case_notes;
  return b;
}

const MESSAGES = {
  held_on: 'Enter the date of the meeting, on or before today',
  duration_minutes: 'Enter the length of the meeting in minutes, 15 to 480',
  next_date: 'Enter a date for the next meeting after this one',
  cases_discussed: 'Enter the number of cases discussed, 0 to 100',
  specific_topic: 'Say what the specific topic was',
};

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const b = withoutUnreadNotes(body());
  const members = membersOn(/^\d{4}-\d{2}-\d{2}$/.test(b.held_on ?? '') ? b.held_on : '');
  const res = meeting
    ? await api('PATCH', `/api/v1/supervision/meetings/${meeting.id}`, b)
    : await api('POST', `/api/v1/supervision/groups/${group.id}/meetings`, b);
  if (res.status === 200 || res.status === 201) {
    window.location.assign(`/supervision/meeting?id=${res.json.id}&saved=1`);
    return;
  }
  const named = new Map(members.map((m) => [`attendance.${m.person_id}`, m.full_name]));
  // Every member without an answer is named at once, with the other
  // problems, whether or not the API got as far as the attendance.
  const problems = problemsOf(res.json);
  const marked = new Set(b.attendance.map((a) => `attendance.${a.person_id}`));
  for (const [field] of named) {
    if (!marked.has(field) && !problems.some((p) => p.field === field)) problems.push({ field, message: '' });
  }
  showErrors(form, problems.map((p) => ({
    field: p.field && document.getElementById(p.field) ? p.field : null,
    message: named.has(p.field) ? `Say whether ${named.get(p.field)} was present, sent apologies or was absent`
      : (MESSAGES[p.field] ?? p.message),
  })));
});

document.getElementById('correct').addEventListener('click', () => {
  document.getElementById('record').classList.add('portal-hidden');
  renderForm();
  document.getElementById('held_on').focus();
});

async function main() {
  const account = await pageAccount();
  if (!account) return;
  let groupId = params.get('group');
  if (params.get('id')) {
    const res = await api('GET', `/api/v1/supervision/meetings/${encodeURIComponent(params.get('id'))}`);
    if (res.status !== 200) {
      refuse(res.status === 404 ? 'Not found' : 'You cannot use this page',
      res.status === 404 ? 'There is no such meeting.'
        : 'Only the group\'s members, its facilitator, coordinators and reviewers see its meetings.');
      return;
    }
    meeting = res.json;
    groupId = meeting.group.id;
  }
  const g = await api('GET', `/api/v1/supervision/groups/${encodeURIComponent(groupId ?? '')}`);
  const keeper = g.status === 200 && (account.roles.includes('coordinator') || g.json.facilitator_person_id === account.person_id);
  if (g.status === 200) {
    group = g.json;
    document.getElementById('back').href = `/supervision/group?id=${group.id}`;
  } else {
    document.getElementById('back').href = '/my-supervision';
    document.getElementById('back').textContent = 'Back to your supervision';
  }
  document.getElementById('group-name').textContent = group?.name ?? meeting?.group.name ?? '';
  if (meeting) {
    renderRecord();
    if (params.get('saved')) document.getElementById('saved').classList.remove('portal-hidden');
    if (keeper) document.getElementById('correct').classList.remove('portal-hidden');
    return;
  }
  if (!keeper || !group.active) {
    refuse('You cannot use this page', 'Only the group\'s facilitator and coordinators record its meetings, while the group meets.');
    return;
  }
  document.getElementById('title').textContent = 'Record a meeting';
  renderForm();
}

main();
