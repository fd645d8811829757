// One session: book a place, or join the waitlist when it is full. A
// place already held shows as such, with its cancel link; a person whose
// group level the course is not for is told so before trying to book;
// a visitor is asked to sign in and comes back here.
import { me, api, showErrors, problemsOf, here } from '/assets/api.mjs';
import { span, FORMATS } from '/assets/when.mjs';
import { names } from '/assets/names.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('book');
// One key a page: pressing Book twice books once.
const idempotencyKey = crypto.randomUUID();
const show = (elementId, on = true) => document.getElementById(elementId).classList.toggle('portal-hidden', !on);
const text = (elementId, t) => { document.getElementById(elementId).textContent = t; };

async function load() {
  const res = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    show('details', false);
    showErrors(form, problemsOf(res.json, 'There is no such session.'));
    return null;
  }
  const s = res.json;
  const n = await names();
  text('title', s.course.title);
  text('when', span(s.starts_at, s.ends_at));
  text('venue', s.venue);
  text('levels', s.course.group_levels.length ? n.levels(s.course.group_levels) : 'Everyone');
  text('format', FORMATS[s.course.format] ?? '');
  text('trainers', s.trainers.map((t) => t.full_name).join(', ') || 'To be confirmed');
  text('places', s.places_left > 0
    ? `${s.places_left} of ${s.capacity}` : `None: the session is full (${s.waitlisted} on the waitlist)`);
  const full = s.places_left === 0;
  text('book-button', full ? 'Join the waitlist' : 'Book a place');
  text('full-note', full
    ? 'This session is full. Join the waitlist: places go to the waitlist in the order people joined, and we will tell you by email if you get one.'
    : '');
  return s;
}

// The signed-in person's live booking of this session, if any.
async function mine() {
  const res = await api('GET', '/api/v1/me/bookings');
  return (res.json?.bookings ?? []).find((b) => String(b.session_id) === id
    && (b.status === 'confirmed' || b.status === 'waitlisted')) ?? null;
}

function showBooking(b) {
  text('mine-title', b.status === 'confirmed' ? 'You have a place' : 'You are on the waitlist');
  text('mine-text', b.status === 'confirmed'
    ? 'Your place on this session is booked.'
    : `You are number ${b.waitlist_position} on the waitlist. We will tell you by email if a place comes up.`);
  // How to join an online session: for a confirmed place only.
  text('joining-text', b.joining_details ?? '');
  show('joining', b.status === 'confirmed' && Boolean(b.joining_details));
  document.getElementById('cancel-link').href = `/cancel?id=${b.id}`;
  document.getElementById('cancel-link').textContent = b.status === 'confirmed'
    ? 'Cancel your place' : 'Leave the waitlist';
  show('mine');
  show('book', false);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', `/api/v1/sessions/${encodeURIComponent(id)}/bookings`, undefined,
    'application/json', { 'idempotency-key': idempotencyKey });
  if (res.status === 201 || res.status === 200) {
    const waitlisted = res.json.status === 'waitlisted';
    text('booked-title', waitlisted ? 'You are on the waitlist' : 'Place booked');
    text('booked-body', waitlisted
      ? `You are number ${res.json.waitlist_position} on the waitlist.` : 'We have sent you a confirmation by email.');
    show('booked');
    show('title', false);
    await load();
    const b = await mine();
    if (b) showBooking(b);
    return;
  }
  showErrors(form, problemsOf(res.json));
});

async function main() {
  const [account, session] = await Promise.all([me(), load()]);
  if (!session) return;
  if (!account) {
    document.getElementById('sign-in-link').href = `/sign-in?next=${encodeURIComponent(here())}`;
    show('sign-in-note', session.taking_bookings);
  }
  const booking = account ? await mine() : null;
  if (booking) {
    showBooking(booking);
    return;
  }
  if (!session.taking_bookings) {
    text('closed', session.status === 'cancelled' ? 'This session has been cancelled.'
      : 'This session is not taking bookings.');
    show('closed');
    return;
  }
  if (!account) return;
  const levels = session.course.group_levels;
  if (!account.roles.includes('coordinator') && levels.length && !levels.includes(account.group_level)) {
    const n = await names();
    text('not-eligible-text', `This course is for ${n.levels(levels)}. Your training group level is `
      + `${account.group_level ? n.level(account.group_level) : 'not recorded'}, so you cannot book it. `
      + 'Ask a training coordinator if the course is right for you after all.');
    show('not-eligible');
    return;
  }
  show('book');
}

main();
