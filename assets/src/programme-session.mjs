// Coordinators: schedule a session of a course, change one, and go on to
// cancel one (/programme/cancel asks first).
import { api, el, showErrors, clearErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { when, londonLocal } from '/assets/when.mjs';
import { mountDateInputs, readDate, writeDate } from '/assets/dates.mjs';

const params = new URLSearchParams(window.location.search);
const id = params.get('id');
let courseId = params.get('course_id');
const form = document.getElementById('session');
// The date and time inputs, by the name the API gives them.
const TIMES = { starts_at: 'Starts', ends_at: 'Ends', booking_opens_at: 'Booking opens',
  booking_closes_at: 'Booking closes' };
mountDateInputs(form);

function trainerBoxes(trainers) {
  const box = document.getElementById('trainer_ids');
  box.replaceChildren(...trainers.map((t) => {
    const item = el('div', 'govuk-checkboxes__item');
    const input = el('input', 'govuk-checkboxes__input');
    input.type = 'checkbox';
    input.id = `trainer-${t.person_id}`;
    input.name = 'trainer_ids';
    input.value = String(t.person_id);
    const label = el('label', 'govuk-label govuk-checkboxes__label', `${t.full_name}${t.agency_name ? `, ${t.agency_name}` : ''}`);
    label.htmlFor = input.id;
    item.append(input, label);
    return item;
  }));
}

// A whole number as a number; anything else as typed, for the API to name.
function count(value) {
  const v = value.trim();
  return /^\d+$/.test(v) ? Number(v) : (v || null);
}

// The body to send, or {problems} when a date or time is not one.
function body() {
  const b = {
    venue: form.elements.venue.value.trim(),
    joining_details: form.elements.joining_details.value.trim(),
    capacity: count(form.elements.capacity.value),
    cancel_cutoff_hours: count(form.elements.cancel_cutoff_hours.value),
    trainer_ids: [...form.querySelectorAll('#trainer_ids input:checked')].map((i) => Number(i.value)),
  };
  const problems = [];
  for (const [name, label] of Object.entries(TIMES)) {
    const { value, error } = readDate(name, label);
    if (error) problems.push({ field: name, message: error });
    b[name] = value ?? null;
  }
  if (problems.length) return { problems };
  if (!id) b.course_id = Number(courseId);
  if (b.cancel_cutoff_hours === null) delete b.cancel_cutoff_hours;
  return b;
}

function fill(s) {
  courseId = String(s.course.id);
  for (const name of Object.keys(TIMES)) writeDate(name, s[name] ? londonLocal(s[name]) : '');
  form.elements.venue.value = s.venue;
  form.elements.joining_details.value = s.joining_details ?? '';
  form.elements.capacity.value = String(s.capacity);
  form.elements.cancel_cutoff_hours.value = String(s.cancel_cutoff_hours);
  const chosen = new Set(s.trainers.map((t) => String(t.id)));
  for (const input of form.querySelectorAll('#trainer_ids input')) input.checked = chosen.has(input.value);
  document.getElementById('title').textContent = when(s.starts_at);
  document.getElementById('confirmed').textContent = `${s.confirmed} of ${s.capacity}`;
  document.getElementById('waitlisted').textContent = String(s.waitlisted);
  document.getElementById('status').textContent = s.status === 'cancelled' ? 'Cancelled' : 'Scheduled';
  document.getElementById('counts').classList.remove('portal-hidden');
  document.getElementById('save').textContent = 'Save changes';
  const cancelled = s.status === 'cancelled';
  form.classList.toggle('portal-hidden', cancelled);
  document.getElementById('cancelling').classList.toggle('portal-hidden', cancelled);
}

async function showCourse() {
  const back = document.getElementById('back');
  back.href = `/programme/course?id=${encodeURIComponent(courseId)}`;
  back.textContent = 'Back to the course';
  const res = await api('GET', `/api/v1/courses/${encodeURIComponent(courseId)}`);
  if (res.status === 200) document.getElementById('course').textContent = res.json.title;
}

function saved(text) {
  document.getElementById('saved-text').textContent = text;
  const banner = document.getElementById('saved');
  banner.classList.remove('portal-hidden');
  banner.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const b = body();
  if (b.problems) {
    showErrors(form, b.problems);
    return;
  }
  const res = id ? await api('PATCH', `/api/v1/sessions/${encodeURIComponent(id)}`, b)
    : await api('POST', '/api/v1/sessions', b);
  if (res.status === 201) {
    window.location.assign(`/programme/session?id=${res.json.id}&added=1`);
    return;
  }
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json).map((p) => (res.json?.error?.code === 'capacity_below_confirmed'
      ? { field: 'capacity', message: p.message } : p)));
    return;
  }
  fill(res.json);
  saved('The session is saved.');
});

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot change the programme',
    'Only the partnership\'s training coordinators can add and change courses and sessions.',
    ['/courses', 'Find a course']]);
  if (!account) return;
  const trainers = await api('GET', '/api/v1/accounts?role=trainer&limit=200');
  trainerBoxes(trainers.json?.accounts ?? []);
  if (!id) {
    form.elements.cancel_cutoff_hours.value = '48';
    if (courseId) await showCourse();
    else showErrors(form, [{ field: null, message: 'Choose the course from the programme first.' }]);
    return;
  }
  const res = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json, 'There is no such session.'));
    return;
  }
  fill(res.json);
  document.getElementById('forms-link').href = `/programme/forms?id=${encodeURIComponent(id)}`;
  document.getElementById('register-link').href = `/teaching/register?id=${encodeURIComponent(id)}`;
  document.getElementById('chase-link').href = `/programme/evaluations?id=${encodeURIComponent(id)}`;
  document.getElementById('cancel-link').href = `/programme/cancel?id=${encodeURIComponent(id)}`;
  document.getElementById('forms-para').classList.remove('portal-hidden');
  await showCourse();
  if (params.get('added')) saved('The session is scheduled and open for booking.');
  if (params.get('cancelled')) saved('The session is cancelled and everyone booked on it or waiting has been told by email.');
  if (params.get('added') || params.get('cancelled')) history.replaceState(null, '', `/programme/session?id=${encodeURIComponent(id)}`);
}

main();
