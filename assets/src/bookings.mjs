// The signed-in person's bookings: upcoming ones soonest first (add a
// confirmed place to a calendar, cancel), past ones, and cancelled ones
// apart; a sentence, never an empty table, when there are none.
import { api, el, pageAccount } from '/assets/api.mjs';
import { when, STATUS } from '/assets/when.mjs';

const LIVE = ['confirmed', 'waitlisted'];
const CANCELLED = ['cancelled', 'late_cancelled', 'board_cancelled'];

function row(b, extra) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.booking = String(b.id);
  const course = el('td', 'govuk-table__cell');
  const link = el('a', 'govuk-link', b.course.title);
  link.href = `/session?id=${b.session_id}`;
  course.append(link);
  let status = STATUS[b.status] ?? b.status;
  if (b.status === 'waitlisted') status += ` (number ${b.waitlist_position})`;
  if (b.status === 'cancelled' && !b.had_place) status = 'Left the waitlist';
  if (b.status === 'confirmed' && b.upcoming) status = 'You have a place';
  tr.append(course, el('td', 'govuk-table__cell', when(b.starts_at)), el('td', 'govuk-table__cell', status));
  if (extra) tr.append(extra);
  return tr;
}

function actions(b) {
  const cell = el('td', 'govuk-table__cell');
  const list = el('ul', 'govuk-list portal-actions');
  // A waitlist place gets no calendar entry until it is confirmed.
  if (b.status === 'confirmed') {
    const ics = el('a', 'govuk-link', 'Add to calendar');
    ics.href = b.calendar;
    ics.append(el('span', 'govuk-visually-hidden', `: ${b.course.title}`));
    const item = el('li');
    item.append(ics);
    list.append(item);
  }
  const cancel = el('a', 'govuk-link', b.status === 'confirmed' ? 'Cancel' : 'Leave the waitlist');
  cancel.href = `/cancel?id=${b.id}`;
  cancel.append(el('span', 'govuk-visually-hidden', ` ${b.course.title}, ${when(b.starts_at)}`));
  const item = el('li');
  item.append(cancel);
  list.append(item);
  cell.append(list);
  return cell;
}

function fill(name, rows, always) {
  document.getElementById(`${name}-rows`).replaceChildren(...rows);
  document.getElementById(name).classList.toggle('portal-hidden', rows.length === 0);
  document.getElementById(`${name}-none`)?.classList.toggle('portal-hidden', rows.length > 0);
  document.getElementById(`${name}-section`).classList.toggle('portal-hidden', rows.length === 0 && !always);
}

async function main() {
  if (!(await pageAccount())) return;
  const params = new URLSearchParams(window.location.search);
  const res = await api('GET', '/api/v1/me/bookings');
  const all = res.json?.bookings ?? [];
  const byDate = (a, b) => new Date(a.starts_at) - new Date(b.starts_at);
  const upcoming = all.filter((b) => b.upcoming && LIVE.includes(b.status)).sort(byDate);
  const cancelled = all.filter((b) => CANCELLED.includes(b.status));
  const past = all.filter((b) => !upcoming.includes(b) && !cancelled.includes(b));
  document.getElementById('loading').remove();
  fill('upcoming', upcoming.map((b) => row(b, actions(b))), true);
  fill('past', past.map((b) => row(b)), true);
  fill('cancelled', cancelled.map((b) => row(b)), false);
  const done = all.find((b) => String(b.id) === params.get('cancelled'));
  if (done) {
    let words = `Your booking of ${done.course.title} is cancelled.`;
    if (done.status === 'late_cancelled') words += ' It is recorded as a late cancellation.';
    else if (!done.had_place) words = `You have left the waitlist for ${done.course.title}. Your place on the waitlist is given up.`;
    document.getElementById('done-text').textContent = words;
    document.getElementById('done').classList.remove('portal-hidden');
  }
}

main();
