// Dates and places: sessions from today (or the dates chosen), of one
// course or found by words from course titles and topics, filtered by
// group level, topic and places left, 20 a page. A signed-in person
// starts at their own group level (they can choose another, or any);
// a session they already hold says so instead of offering Book.
import { api, el, fillSelect, showErrors, problemsOf, me } from '/assets/api.mjs';
import { when, londonDate } from '/assets/when.mjs';
import { mountDateInputs, readDate, writeDate } from '/assets/dates.mjs';
import { names } from '/assets/names.mjs';

const PAGE = 20;
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

// The signed-in person's live bookings by session id: confirmed or
// waitlisted.
async function held(account) {
  if (!account) return new Map();
  const res = await api('GET', '/api/v1/me/bookings');
  return new Map((res.json?.bookings ?? []).filter((b) => b.status === 'confirmed' || b.status === 'waitlisted')
    .map((b) => [String(b.session_id), b.status]));
}

// What the last cell offers: Book (or Join the waitlist), or the place
// the person already holds, each a link to the session.
function action(s, mine) {
  const cell = el('td', 'govuk-table__cell');
  let words = null;
  if (mine === 'confirmed') words = 'You have a place';
  else if (mine === 'waitlisted') words = 'You are on the waitlist';
  else if (s.taking_bookings) words = s.places_left > 0 ? 'Book' : 'Join the waitlist';
  if (words) {
    const link = el('a', 'govuk-link', words);
    link.href = `/session?id=${s.id}`;
    link.append(el('span', 'govuk-visually-hidden', `: ${s.course.title}, ${when(s.starts_at)}`));
    cell.append(link);
  }
  return cell;
}

// GOV.UK pagination: Previous, the page numbers (with ellipses past a
// few), Next; each a link to this page with page=N.
function pagination(page, last) {
  const nav = document.getElementById('pages');
  nav.classList.toggle('portal-hidden', last <= 1);
  if (last <= 1) return;
  const href = (n) => {
    const q = new URLSearchParams(params);
    q.set('page', String(n));
    return `/sessions?${q}`;
  };
  const edge = (n, rel, label) => {
    const box = el('div', `govuk-pagination__${rel}`);
    const a = el('a', 'govuk-link govuk-pagination__link');
    a.href = href(n);
    a.rel = rel;
    const title = el('span', 'govuk-pagination__link-title', label);
    title.append(el('span', 'govuk-visually-hidden', ' page'));
    a.append(title);
    box.append(a);
    return box;
  };
  const list = el('ul', 'govuk-pagination__list');
  let gap = false;
  for (let n = 1; n <= last; n++) {
    if (n !== 1 && n !== last && Math.abs(n - page) > 1) {
      if (!gap) list.append(el('li', 'govuk-pagination__item govuk-pagination__item--ellipses', '⋯'));
      gap = true;
      continue;
    }
    gap = false;
    const item = el('li', `govuk-pagination__item${n === page ? ' govuk-pagination__item--current' : ''}`);
    const a = el('a', 'govuk-link govuk-pagination__link', String(n));
    a.href = href(n);
    a.setAttribute('aria-label', `Page ${n}`);
    if (n === page) a.setAttribute('aria-current', 'page');
    item.append(a);
    list.append(item);
  }
  nav.replaceChildren(...[page > 1 ? edge(page - 1, 'prev', 'Previous') : null, list,
    page < last ? edge(page + 1, 'next', 'Next') : null].filter(Boolean));
}

async function main() {
  const course = params.get('course_id') ?? '';
  form.elements.course_id.value = course;
  form.elements.q.value = params.get('q') ?? '';
  writeDate('from', params.get('from') ?? londonDate());
  writeDate('to', params.get('to') ?? '');
  form.elements.available.checked = params.get('available') === 'true';
  const [levels, topics, account, n] = await Promise.all([api('GET', '/api/v1/group-levels'),
    api('GET', '/api/v1/topics'), me(), names()]);
  fillSelect(form.elements.group_level, (levels.json?.group_levels ?? []).map((l) => ({ value: l.code, label: l.name })));
  fillSelect(form.elements.topic, (topics.json?.topics ?? []).map((t) => ({ value: t.code, label: t.name })));
  // A person's own level unless they chose one (or Any level, which
  // comes as group_level=) or came for one course.
  if (!params.has('group_level') && !course && account?.group_level) params.set('group_level', account.group_level);
  form.elements.group_level.value = params.get('group_level') ?? '';
  if (account?.group_level) {
    const hint = document.getElementById('group_level-hint');
    hint.textContent = `Yours is ${n.level(account.group_level)}`;
    hint.classList.remove('portal-hidden');
    form.elements.group_level.setAttribute('aria-describedby', hint.id);
  }
  form.elements.topic.value = params.get('topic') ?? '';

  const page = Math.max(1, Math.floor(Number(params.get('page'))) || 1);
  // The query as given (a date the browser cannot show is still sent,
  // for the API to name); from today unless a start is chosen.
  const query = new URLSearchParams({ limit: String(PAGE), offset: String((page - 1) * PAGE), from: londonDate() });
  for (const name of ['course_id', 'group_level', 'topic', 'q', 'from', 'to', 'available']) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  const [res, mine] = await Promise.all([api('GET', `/api/v1/sessions?${query}`), held(account)]);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    count.textContent = '';
    showErrors(form, problemsOf(res.json, 'The dates could not be loaded.'));
    return;
  }
  const { sessions, total } = res.json;
  if (course && sessions.length) document.getElementById('title').textContent = sessions[0].course.title;
  const first = (page - 1) * PAGE + 1;
  count.textContent = total === 0 ? 'No sessions match. Try other words, dates or filters.'
    : `${total} session${total === 1 ? '' : 's'}${total > sessions.length && sessions.length
      ? `, showing ${first} to ${first + sessions.length - 1}` : ''}`;
  if (total > 0 && sessions.length === 0) count.textContent += '. There are not that many pages.';
  const rows = sessions.map((s) => {
    const tr = el('tr', 'govuk-table__row');
    tr.dataset.session = String(s.id);
    tr.append(el('td', 'govuk-table__cell', s.course.title),
      el('td', 'govuk-table__cell', s.course.group_levels.length ? n.levels(s.course.group_levels) : 'Everyone'),
      el('td', 'govuk-table__cell', when(s.starts_at)),
      el('td', 'govuk-table__cell', s.venue), el('td', 'govuk-table__cell', placesText(s)),
      action(s, mine.get(String(s.id))));
    return tr;
  });
  document.getElementById('rows').replaceChildren(...rows);
  document.getElementById('table').classList.toggle('portal-hidden', sessions.length === 0);
  pagination(page, Math.ceil(total / PAGE));
}

main();
