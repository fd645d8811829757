// The course catalogue: filters by group level and topic, a page of
// courses from GET /api/v1/courses, and pagination. Everything from the
// API goes into the page as text, never as HTML.
import { FORMATS } from '/assets/when.mjs';
import { pageLinks } from '/assets/paging.mjs';

const PAGE = 20;
const params = new URLSearchParams(window.location.search);
const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function getJSON(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await res.json();
  if (!res.ok) {
    const fields = Object.values(body?.error?.fields ?? {});
    throw new Error(fields.length ? fields.join(' ') : body?.error?.message ?? 'Something went wrong.');
  }
  return body;
}

function fillSelect(select, items, chosen) {
  for (const item of items) {
    const option = el('option', '', item.label);
    option.value = item.value;
    if (item.value === chosen) option.selected = true;
    select.append(option);
  }
}

function dateText(iso) {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
    timeZone: 'Europe/London',
  }).format(new Date(iso));
}

function renderCourse(course, levelNames, topicNames) {
  const item = el('li', 'portal-course');
  item.dataset.code = course.code;
  item.append(el('h2', 'govuk-heading-m', course.title));
  const meta = el('p', 'govuk-body-s portal-course__meta',
    `${course.code} · ${FORMATS[course.format] ?? course.format} · ` +
    `${Math.round(course.duration_minutes / 6) / 10} hours` +
    (course.multi_agency ? ' · multi-agency' : ''));
  item.append(meta);
  item.append(el('p', 'govuk-body', course.summary));
  const list = el('dl', 'govuk-summary-list govuk-summary-list--no-border');
  const rows = [
    ['Group levels', course.group_levels.map((c) => levelNames.get(c) ?? c).join(', ')],
    ['Topics', course.topics.map((c) => topicNames.get(c) ?? c).join(', ')],
    ['Next session', course.next_session ? dateText(course.next_session) : 'None scheduled yet'],
  ];
  for (const [key, value] of rows) {
    const row = el('div', 'govuk-summary-list__row');
    row.append(el('dt', 'govuk-summary-list__key', key), el('dd', 'govuk-summary-list__value', value));
    list.append(row);
  }
  item.append(list);
  const dates = el('a', 'govuk-link', 'See dates and book');
  dates.href = `/sessions?course_id=${course.id}`;
  dates.append(el('span', 'govuk-visually-hidden', ` for ${course.title}`));
  const p = el('p', 'govuk-body');
  p.append(dates);
  item.append(p);
  return item;
}

async function main() {
  const level = params.get('group_level') ?? '';
  const topic = params.get('topic') ?? '';
  const count = document.getElementById('count');
  try {
    const [levels, topics] = await Promise.all([
      getJSON('/api/v1/group-levels'), getJSON('/api/v1/topics')]);
    const levelNames = new Map(levels.group_levels.map((l) => [l.code, l.name]));
    const topicNames = new Map(topics.topics.map((t) => [t.code, t.name]));
    fillSelect(document.getElementById('group_level'),
      levels.group_levels.map((l) => ({ value: l.code, label: l.name })), level);
    fillSelect(document.getElementById('topic'),
      topics.topics.map((t) => ({ value: t.code, label: t.name })), topic);

    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (level) query.set('group_level', level);
    if (topic) query.set('topic', topic);
    const page = await getJSON(`/api/v1/courses?${query}`);
    const list = document.getElementById('courses');
    list.replaceChildren(...page.courses.map((c) => renderCourse(c, levelNames, topicNames)));
    if (page.total === 0) {
      count.textContent = 'No courses match. Try another level or topic.';
    } else {
      count.textContent = `${page.total} course${page.total === 1 ? '' : 's'}` +
        (page.total > PAGE ? `, showing ${offset + 1} to ${offset + page.courses.length}` : '');
    }
    pageLinks(offset, PAGE, page.total, { href: (to) => {
      const at = new URLSearchParams(params);
      at.set('offset', String(to));
      return `/courses?${at}`;
    } });
  } catch (err) {
    count.textContent = '';
    document.getElementById('error-text').textContent = err.message;
    const summary = document.getElementById('error');
    summary.classList.remove('portal-hidden');
    summary.focus();
  }
}

main();
