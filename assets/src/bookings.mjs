// The signed-in person's bookings: cancel, add to a calendar.
import { me, api, el } from '/assets/api.mjs';
import { when, STATUS } from '/assets/when.mjs';

async function render() {
  const res = await api('GET', '/api/v1/me/bookings');
  const upcoming = [];
  const past = [];
  for (const b of res.json?.bookings ?? []) {
    const tr = el('tr', 'govuk-table__row');
    tr.dataset.booking = String(b.id);
    let status = STATUS[b.status] ?? b.status;
    if (b.status === 'waitlisted') status += ` (number ${b.waitlist_position})`;
    tr.append(el('td', 'govuk-table__cell', b.course.title), el('td', 'govuk-table__cell', when(b.starts_at)),
      el('td', 'govuk-table__cell', status));
    if (b.upcoming) {
      const actions = el('td', 'govuk-table__cell');
      if (b.status === 'confirmed' || b.status === 'waitlisted') {
        const ics = el('a', 'govuk-link', 'Add to calendar');
        ics.href = b.calendar;
        const cancel = el('button', 'govuk-button govuk-button--warning govuk-!-margin-bottom-0 govuk-!-margin-left-3', 'Cancel');
        cancel.type = 'button';
        cancel.append(el('span', 'govuk-visually-hidden', ` ${b.course.title}`));
        cancel.addEventListener('click', () => cancelBooking(b));
        actions.append(ics, cancel);
      }
      tr.append(actions);
      upcoming.push(tr);
    } else {
      past.push(tr);
    }
  }
  document.getElementById('upcoming-rows').replaceChildren(...upcoming);
  document.getElementById('past-rows').replaceChildren(...past);
  document.getElementById('none').classList.toggle('portal-hidden', upcoming.length > 0);
  document.getElementById('upcoming').classList.toggle('portal-hidden', upcoming.length === 0);
}

async function cancelBooking(b) {
  const res = await api('DELETE', `/api/v1/bookings/${b.id}`);
  const done = document.getElementById('done');
  document.getElementById('done-text').textContent = res.status === 200
    ? `Your booking of ${b.course.title} is cancelled${res.json.late ? ' (after the cut-off)' : ''}.`
    : res.json?.error?.message ?? 'The booking could not be cancelled.';
  done.classList.remove('portal-hidden');
  await render();
}

async function main() {
  if (!(await me())) {
    window.location.assign('/sign-in');
    return;
  }
  await render();
}

main();
