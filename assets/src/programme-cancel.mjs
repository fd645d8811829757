// Coordinators: cancelling a session, on a page of its own that says
// what happens (who is told, by email, with the reason; the waitlist;
// that it cannot be undone) and asks for the reason first. Done, it
// goes back to the session, which says it is cancelled.
import { api, showErrors, clearErrors, problemsOf, pageAccount, refuse } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('cancel');
const text = (key, t) => { document.getElementById(key).textContent = t; };
const people = (n) => `${n} ${n === 1 ? 'person' : 'people'}`;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const reason = form.elements.reason.value.trim();
  if (!reason) {
    showErrors(form, [{ field: 'reason', message: 'Say why the session is cancelled: it goes in the email to each person' }]);
    return;
  }
  const res = await api('POST', `/api/v1/sessions/${encodeURIComponent(id)}/cancel`, { reason });
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  window.location.assign(`/programme/session?id=${encodeURIComponent(id)}&cancelled=1`);
});

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot cancel sessions',
    'Only the partnership\'s training coordinators can cancel sessions.', ['/courses', 'Find a course']]);
  if (!account) return;
  const res = /^[0-9]+$/.test(id) ? await api('GET', `/api/v1/sessions/${id}`) : { status: 404 };
  if (res.status !== 200) {
    refuse('There is no such session', 'Check the link, or choose the session from the programme.',
      ['/programme', 'Go to the programme']);
    return;
  }
  const s = res.json;
  const back = `/programme/session?id=${s.id}`;
  document.getElementById('back').href = back;
  document.getElementById('keep').href = back;
  text('course', s.course.title);
  text('when', when(s.starts_at));
  text('venue', s.venue);
  text('booked', `${people(s.confirmed)} of ${s.capacity} places`);
  text('waitlisted', s.waitlisted ? people(s.waitlisted) : 'No one');
  document.title = `Cancel a session: ${s.course.title} – Safeguarding Training Portal`;
  const told = s.confirmed + s.waitlisted;
  text('what-told', told === 0 ? 'No one is booked or waiting, so no one needs to be told.'
    : `The ${people(told)} booked or on the waitlist ${told === 1 ? 'is' : 'are each'} sent an email saying the session is cancelled, with your reason below.`);
  if (s.status === 'cancelled') {
    refuse('This session is already cancelled', 'Everyone booked on it was told when it was cancelled.',
      [back, 'Go back to the session']);
  }
}

main();
