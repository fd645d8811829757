// Cancelling a booking, confirmed first: what is cancelled, and whether
// it would be a late cancellation (after the session's cut-off), before
// the person says yes. Leaving a waitlist is never late.
import { api, showErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { span, STATUS } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('cancel');
const show = (elementId, on = true) => document.getElementById(elementId).classList.toggle('portal-hidden', !on);
const text = (elementId, t) => { document.getElementById(elementId).textContent = t; };

async function main() {
  if (!(await pageAccount())) return;
  const list = await api('GET', '/api/v1/me/bookings');
  const b = (list.json?.bookings ?? []).find((x) => String(x.id) === id);
  if (!b || !b.upcoming || !['confirmed', 'waitlisted'].includes(b.status)) {
    showErrors(form, [{ field: null, message: b ? `This booking cannot be cancelled: it is ${STATUS[b.status]?.toLowerCase() ?? b.status}.`
      : 'There is no such booking of yours.' }]);
    return;
  }
  const session = await api('GET', `/api/v1/sessions/${b.session_id}`);
  const hours = session.json?.cancel_cutoff_hours ?? 0;
  const cutoff = new Date(b.starts_at).getTime() - hours * 3600e3;
  const late = b.status === 'confirmed' && Date.now() > cutoff;
  text('course', b.course.title);
  text('when', span(b.starts_at, b.ends_at));
  text('venue', b.venue);
  text('status', b.status === 'waitlisted' ? `On the waitlist (number ${b.waitlist_position})` : 'You have a place');
  show('details');
  if (b.status === 'waitlisted') {
    text('title', 'Leave the waitlist');
    text('confirm', 'Yes, leave the waitlist');
    text('not-late', 'You will lose your place on the waitlist.');
    show('not-late');
  } else if (late) {
    text('late-text', `This is a late cancellation: the session starts in less than ${hours} hours. `
      + 'It will be recorded as a late cancellation.');
    show('late');
  } else {
    text('not-late', `You can cancel without it counting as late until ${hours} hours before the start. `
      + 'Your place will go to the first person on the waitlist.');
    show('not-late');
  }
  show('cancel');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('DELETE', `/api/v1/bookings/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json, 'The booking could not be cancelled.'));
    return;
  }
  window.location.assign(`/bookings?cancelled=${encodeURIComponent(id)}`);
});

main();
