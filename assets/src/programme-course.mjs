// Coordinators: add a course, or change one and see its sessions.
import { api, el, fillSelect, showErrors, clearErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { when, londonDate, FORMATS } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id');
const form = document.getElementById('course');

function checkboxes(box, items) {
  box.replaceChildren(...items.map(({ value, label }) => {
    const item = el('div', 'govuk-checkboxes__item');
    const input = el('input', 'govuk-checkboxes__input');
    input.type = 'checkbox';
    input.id = `${box.id}-${value}`;
    input.name = box.id;
    input.value = value;
    const text = el('label', 'govuk-label govuk-checkboxes__label', label);
    text.htmlFor = input.id;
    item.append(input, text);
    return item;
  }));
}

function fill(c) {
  for (const name of ['code', 'title', 'summary', 'format']) form.elements[name].value = c[name] ?? '';
  form.elements.duration_minutes.value = String(c.duration_minutes);
  form.elements.multi_agency.checked = c.multi_agency;
  form.elements.published.checked = c.published;
  for (const input of form.querySelectorAll('#group_levels input')) input.checked = c.group_levels.includes(input.value);
  for (const input of form.querySelectorAll('#topics input')) input.checked = c.topics.includes(input.value);
  document.getElementById('heading').textContent = c.title;
  document.title = `${c.title} – Safeguarding Training Portal`;
  document.getElementById('save').textContent = 'Save changes';
}

function body() {
  const minutes = form.elements.duration_minutes.value.trim();
  return {
    code: form.elements.code.value.trim(),
    title: form.elements.title.value.trim(),
    summary: form.elements.summary.value.trim(),
    format: form.elements.format.value || null,
    duration_minutes: /^\d+$/.test(minutes) ? Number(minutes) : (minutes ? minutes : null),
    group_levels: [...form.querySelectorAll('#group_levels input:checked')].map((i) => i.value),
    topics: [...form.querySelectorAll('#topics input:checked')].map((i) => i.value),
    multi_agency: form.elements.multi_agency.checked,
    published: form.elements.published.checked,
  };
}

function sessionRow(s) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.session = String(s.id);
  const actions = el('td', 'govuk-table__cell');
  const change = el('a', 'govuk-link', 'Change');
  change.href = `/programme/session?id=${s.id}`;
  change.append(el('span', 'govuk-visually-hidden', ` the session of ${when(s.starts_at)}`));
  const register = el('a', 'govuk-link govuk-!-margin-left-3', 'Register');
  register.href = `/teaching/register?id=${s.id}`;
  register.append(el('span', 'govuk-visually-hidden', ` of ${when(s.starts_at)}`));
  actions.append(change, register);
  tr.append(el('td', 'govuk-table__cell', when(s.starts_at)), el('td', 'govuk-table__cell', s.venue),
    el('td', 'govuk-table__cell', `${s.confirmed} of ${s.capacity}`), el('td', 'govuk-table__cell', String(s.waitlisted)),
    el('td', 'govuk-table__cell', s.status === 'cancelled' ? 'Cancelled' : 'Scheduled'), actions);
  return tr;
}

async function loadSessions(courseId) {
  const res = await api('GET',
    `/api/v1/sessions?course_id=${courseId}&include_unpublished=true&from=${londonDate()}&limit=100`);
  const sessions = res.json?.sessions ?? [];
  document.getElementById('schedule').href = `/programme/session?course_id=${courseId}`;
  document.getElementById('sessions-count').textContent = sessions.length
    ? `${res.json.total} upcoming session${res.json.total === 1 ? '' : 's'}` : 'No upcoming sessions.';
  document.getElementById('sessions-rows').replaceChildren(...sessions.map(sessionRow));
  document.getElementById('sessions-table').classList.toggle('portal-hidden', sessions.length === 0);
  document.getElementById('sessions').classList.remove('portal-hidden');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const res = id ? await api('PATCH', `/api/v1/courses/${encodeURIComponent(id)}`, body())
    : await api('POST', '/api/v1/courses', body());
  if (res.status === 201) {
    window.location.assign(`/programme/course?id=${res.json.id}&added=1`);
    return;
  }
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json).map((p) => (p.field === null && res.json?.error?.code === 'code_taken'
      ? { field: 'code', message: p.message } : p)));
    return;
  }
  fill(res.json);
  document.getElementById('saved-text').textContent = 'The course is saved.';
  document.getElementById('saved').classList.remove('portal-hidden');
});

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot change the programme',
    'Only the partnership\'s training coordinators can add and change courses and sessions.',
    ['/courses', 'Find a course']]);
  if (!account) return;
  const [levels, topics] = await Promise.all([api('GET', '/api/v1/group-levels'), api('GET', '/api/v1/topics')]);
  fillSelect(form.elements.format, Object.entries(FORMATS).map(([value, label]) => ({ value, label })));
  checkboxes(document.getElementById('group_levels'),
    (levels.json?.group_levels ?? []).map((l) => ({ value: l.code, label: l.name })));
  checkboxes(document.getElementById('topics'), (topics.json?.topics ?? []).map((t) => ({ value: t.code, label: t.name })));
  if (!id) return;
  const res = await api('GET', `/api/v1/courses/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json, 'There is no such course.'));
    return;
  }
  fill(res.json);
  if (new URLSearchParams(window.location.search).get('added')) {
    document.getElementById('saved-text').textContent = 'The course is added. Now schedule its sessions.';
    document.getElementById('saved').classList.remove('portal-hidden');
  }
  await loadSessions(res.json.id);
}

main();
