// One session: book a place, or join the waitlist when it is full.
import { me, api, showErrors, problemsOf } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('book');
// One key a page: pressing Book twice books once.
const idempotencyKey = crypto.randomUUID();

async function load() {
  const res = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json, 'There is no such session.'));
    return null;
  }
  const s = res.json;
  document.getElementById('title').textContent = s.course.title;
  document.getElementById('when').textContent = when(s.starts_at);
  document.getElementById('venue').textContent = s.venue;
  document.getElementById('trainers').textContent = s.trainers.map((t) => t.full_name).join(', ') || 'To be confirmed';
  document.getElementById('places').textContent = s.places_left > 0
    ? `${s.places_left} of ${s.capacity}` : `None: the session is full (${s.waitlisted} on the waitlist)`;
  const full = s.places_left === 0;
  document.getElementById('book-button').textContent = full ? 'Join the waitlist' : 'Book a place';
  document.getElementById('full-note').textContent = full
    ? 'This session is full. Join the waitlist: places go to the waitlist in the order people joined, and we will tell you by email if you get one.'
    : '';
  return s;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', `/api/v1/sessions/${encodeURIComponent(id)}/bookings`, undefined,
    'application/json', { 'idempotency-key': idempotencyKey });
  if (res.status === 201) {
    const waitlisted = res.json.status === 'waitlisted';
    document.getElementById('booked-title').textContent = waitlisted ? 'You are on the waitlist' : 'Place booked';
    document.getElementById('booked-body').textContent = waitlisted
      ? `You are number ${res.json.waitlist_position} on the waitlist.` : 'We have sent you a confirmation by email.';
    document.getElementById('booked').classList.remove('portal-hidden');
    form.classList.add('portal-hidden');
    await load();
    return;
  }
  showErrors(form, problemsOf(res.json));
});

async function main() {
  const [account, session] = await Promise.all([me(), load()]);
  if (!session) return;
  if (!session.taking_bookings) {
    document.getElementById('full-note').textContent = 'This session is not taking bookings.';
    return;
  }
  document.getElementById(account ? 'book' : 'sign-in-note').classList.remove('portal-hidden');
}

main();
