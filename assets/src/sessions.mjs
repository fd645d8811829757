// Dates and places: sessions from today (or the dates chosen), of one
// course or filtered by group level, topic and places left.
import { api, el, fillSelect, showErrors, problemsOf } from '/assets/api.mjs';
import { when, londonDate } from '/assets/when.mjs';
import { mountDateInputs, readDate, writeDate } from '/assets/dates.mjs';
import { names } from '/assets/names.mjs';

const params = new URLSearchParams(window.location.search);
const form = document.getElementById('filters');
mountDateInputs(form);

// The dates go as from=YYYY-MM-DD and to=; a date that is not one is
// named before anything is sent.
form.addEventListener('submit', (event) => {
  const problems = [];
  for (const [name, label] of [['from', 'From'], ['to', 'To']]) {
    const { value, error } = readDate(name, label);
    if (error) problems.push({ field: name, message: error });
    form.querySelector(`input[type=hidden][name=${name}]`).value = value ?? '';
  }
  if (problems.length) {
    event.preventDefault();
    showErrors(form, problems);
  }
});

function placesText(s) {
  if (s.status === 'cancelled') return 'Cancelled';
  return s.places_left > 0 ? String(s.places_left) : `Full (${s.waitlisted} waiting)`;
}

async function main() {
  form.elements.course_id.value = params.get('course_id') ?? '';
  writeDate('from', params.get('from') ?? londonDate());
  writeDate('to', params.get('to') ?? '');
  form.elements.available.checked = params.get('available') === 'true';
  const [levels, topics] = await Promise.all([api('GET', '/api/v1/group-levels'), api('GET', '/api/v1/topics')]);
  fillSelect(form.elements.group_level, (levels.json?.group_levels ?? []).map((l) => ({ value: l.code, label: l.name })));
  fillSelect(form.elements.topic, (topics.json?.topics ?? []).map((t) => ({ value: t.code, label: t.name })));
  form.elements.group_level.value = params.get('group_level') ?? '';
  form.elements.topic.value = params.get('topic') ?? '';

  // The query as given (a date the browser cannot show is still sent,
  // for the API to name); from today unless a start is chosen.
  const query = new URLSearchParams({ limit: '100', from: londonDate() });
  for (const name of ['course_id', 'group_level', 'topic', 'from', 'to', 'available']) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  const res = await api('GET', `/api/v1/sessions?${query}`);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    count.textContent = '';
    showErrors(form, problemsOf(res.json, 'The dates could not be loaded.'));
    return;
  }
  const { sessions, total } = res.json;
  if (params.get('course_id') && sessions.length) document.getElementById('title').textContent = sessions[0].course.title;
  count.textContent = total === 0 ? 'No sessions match. Try other dates or filters.'
    : `${total} session${total === 1 ? '' : 's'}${total > sessions.length ? `, showing the first ${sessions.length}` : ''}`;
  const n = await names();
  const rows = sessions.map((s) => {
    const tr = el('tr', 'govuk-table__row');
    const cell = el('td', 'govuk-table__cell');
    if (s.taking_bookings) {
      const link = el('a', 'govuk-link', s.places_left > 0 ? 'Book' : 'Join the waitlist');
      link.href = `/session?id=${s.id}`;
      link.append(el('span', 'govuk-visually-hidden', ` ${s.course.title}, ${when(s.starts_at)}`));
      cell.append(link);
    }
    tr.append(el('td', 'govuk-table__cell', s.course.title),
      el('td', 'govuk-table__cell', s.course.group_levels.length ? n.levels(s.course.group_levels) : 'Everyone'),
      el('td', 'govuk-table__cell', when(s.starts_at)),
      el('td', 'govuk-table__cell', s.venue), el('td', 'govuk-table__cell', placesText(s)), cell);
    return tr;
  });
  document.getElementById('rows').replaceChildren(...rows);
  document.getElementById('table').classList.toggle('portal-hidden', sessions.length === 0);
}

main();
