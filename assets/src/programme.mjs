// Coordinators: every course of the programme, published or not, and
// the walk-ins trainers added, to confirm or remove.
import { api, el, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { names } from '/assets/names.mjs';
import { pageLinks } from '/assets/paging.mjs';

const PAGE = 50;
const offset = Math.max(0, Number.parseInt(new URLSearchParams(window.location.search).get('offset') ?? '0', 10) || 0);

function row(c, n) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.code = c.code;
  const title = el('td', 'govuk-table__cell');
  const link = el('a', 'govuk-link', c.title);
  link.href = `/programme/course?id=${c.id}`;
  title.append(link);
  const status = el('td', 'govuk-table__cell');
  status.append(el('strong', c.published ? 'govuk-tag govuk-tag--green' : 'govuk-tag govuk-tag--grey',
    c.published ? 'Published' : 'Not published'));
  tr.append(title, el('td', 'govuk-table__cell', c.code), el('td', 'govuk-table__cell', n.levels(c.group_levels)),
    el('td', 'govuk-table__cell', c.next_session ? when(c.next_session, false) : 'None'), status);
  return tr;
}

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot change the programme',
    'Only the partnership\'s training coordinators can add and change courses and sessions.',
    ['/courses', 'Find a course']]);
  if (!account) return false;
  const res = await api('GET', `/api/v1/courses?include_unpublished=true&limit=${PAGE}&offset=${offset}`);
  const count = document.getElementById('count');
  if (res.status !== 200) {
    count.textContent = res.json?.error?.message ?? 'The programme could not be loaded.';
    return true;
  }
  const { courses, total } = res.json;
  count.textContent = `${total} course${total === 1 ? '' : 's'}` +
    (total > PAGE ? `, showing ${offset + 1} to ${offset + courses.length}` : '');
  const n = await names();
  document.getElementById('rows').replaceChildren(...courses.map((c) => row(c, n)));
  document.getElementById('table').classList.toggle('portal-hidden', courses.length === 0);
  pageLinks(offset, PAGE, total, { href: (to) => `/programme?offset=${to}` });
  return true;
}

// One walk-in waiting: who the address found, what the trainer typed,
// the session, and Confirm or Remove (which asks first).
function walkInRow(w, done) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.booking = String(w.booking_id);
  const person = el('td', 'govuk-table__cell');
  person.append(el('span', '', w.full_name), el('br'), el('span', 'govuk-hint', w.email ?? ''),
    el('br'), el('span', '', w.agency ?? 'No agency'),
    el('br'), el('span', 'govuk-hint', w.other_bookings === 0 ? 'No other bookings'
      : `${w.other_bookings} other booking${w.other_bookings === 1 ? '' : 's'}`));
  const typed = el('td', 'govuk-table__cell');
  typed.append(el('span', '', w.entered_name), el('br'), el('span', 'govuk-hint', w.entered_agency ?? ''));
  const session = el('td', 'govuk-table__cell');
  const link = el('a', 'govuk-link', w.course_title);
  link.href = `/programme/session?id=${w.session_id}`;
  session.append(link, el('br'), el('span', '', when(w.session_starts_at)));
  const action = el('td', 'govuk-table__cell');
  const buttons = el('div', 'govuk-button-group');
  const confirm = el('button', 'govuk-button govuk-button--secondary', 'Confirm');
  const remove = el('button', 'govuk-button govuk-button--warning', 'Remove');
  const message = el('p', 'govuk-body', '');
  message.setAttribute('aria-live', 'polite');
  for (const b of [confirm, remove]) b.type = 'button';
  confirm.setAttribute('aria-label', `Confirm ${w.full_name} at ${w.course_title}`);
  remove.setAttribute('aria-label', `Remove ${w.full_name} from ${w.course_title}`);
  confirm.addEventListener('click', async () => {
    const res = await api('POST', `/api/v1/walk-ins/${w.booking_id}/confirm`);
    if (res.status === 204) done(tr, `${w.full_name}'s attendance is confirmed.`);
    else message.textContent = res.json?.error?.message ?? 'Something went wrong. Try again.';
  });
  remove.addEventListener('click', async () => {
    if (remove.dataset.asked !== 'yes') {
      remove.dataset.asked = 'yes';
      remove.textContent = 'Yes, remove this attendance';
      message.textContent = `This takes ${w.full_name} off the register of ${w.course_title}, with the training record and evaluation it made.`;
      return;
    }
    const res = await api('DELETE', `/api/v1/walk-ins/${w.booking_id}`);
    if (res.status === 204) done(tr, `${w.full_name}'s attendance is removed.`);
    else message.textContent = res.json?.error?.message ?? 'Something went wrong. Try again.';
  });
  buttons.append(confirm, remove);
  action.append(buttons, message);
  tr.append(person, typed, session, el('td', 'govuk-table__cell', w.added_by ?? ''), action);
  return tr;
}

async function walkIns() {
  const count = document.getElementById('walk-ins-count');
  const res = await api('GET', '/api/v1/walk-ins?limit=100');
  if (res.status !== 200) {
    count.textContent = res.json?.error?.message ?? 'The walk-ins could not be loaded.';
    return;
  }
  let left = res.json.total;
  const say = () => {
    count.textContent = left === 0 ? 'No walk-ins are waiting to be confirmed.'
      : `${left} walk-in${left === 1 ? '' : 's'} waiting to be confirmed.`;
  };
  const done = (tr, text) => {
    left -= 1;
    tr.remove();
    say();
    count.textContent = `${text} ${count.textContent}`;
    document.getElementById('walk-ins').classList.toggle('portal-hidden',
      document.getElementById('walk-in-rows').children.length === 0);
  };
  say();
  document.getElementById('walk-in-rows').replaceChildren(...res.json.walk_ins.map((w) => walkInRow(w, done)));
  document.getElementById('walk-ins').classList.toggle('portal-hidden', res.json.walk_ins.length === 0);
}

main().then((ok) => ok && walkIns());
