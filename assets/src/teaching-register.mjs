// The register of one session: who is booked, and for each whether they
// attended, attended in part or did not come; saved all at once.
import { api, el, showErrors, clearErrors, problemsOf, refuse, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('register');
const CHOICES = [['attended', 'Attended'], ['partial', 'Part'], ['no_show', 'Did not attend']];

// One person's row: their name, agency and a set of radios.
function row(r, started) {
  const tr = el('tr', 'govuk-table__row');
  tr.dataset.booking = String(r.booking_id);
  const name = el('td', 'govuk-table__cell', r.full_name);
  const who = el('td', 'govuk-table__cell', [r.agency, r.job_title].filter(Boolean).join(', '));
  const cell = el('td', 'govuk-table__cell');
  const fieldset = el('fieldset', 'govuk-fieldset');
  fieldset.append(el('legend', 'govuk-fieldset__legend govuk-visually-hidden', `Attendance of ${r.full_name}`));
  const radios = el('div', 'govuk-radios govuk-radios--small govuk-radios--inline');
  for (const [value, label] of CHOICES) {
    const item = el('div', 'govuk-radios__item');
    const input = el('input', 'govuk-radios__input');
    input.type = 'radio';
    input.name = `booking-${r.booking_id}`;
    input.id = `booking-${r.booking_id}-${value}`;
    input.value = value;
    input.checked = r.status === value;
    input.disabled = !started;
    const text = el('label', 'govuk-label govuk-radios__label', label);
    text.htmlFor = input.id;
    item.append(input, text);
    radios.append(item);
  }
  fieldset.append(radios);
  const group = el('div', 'govuk-form-group govuk-!-margin-bottom-0');
  group.append(fieldset);
  cell.append(group);
  tr.append(name, who, cell);
  return tr;
}

function render(rows, started) {
  document.getElementById('rows').replaceChildren(...rows.map((r) => row(r, started)));
  document.getElementById('empty').classList.toggle('portal-hidden', rows.length > 0);
  document.getElementById('save').classList.toggle('portal-hidden', !started || rows.length === 0);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  document.getElementById('saved').classList.add('portal-hidden');
  const marks = [];
  const missing = [];
  for (const tr of form.querySelectorAll('tr[data-booking]')) {
    const chosen = tr.querySelector('input:checked');
    if (chosen) marks.push({ booking_id: Number(tr.dataset.booking), status: chosen.value });
    else missing.push({ field: tr.querySelector('input').id, message: `Say whether ${tr.firstChild.textContent} came` });
  }
  if (missing.length) {
    showErrors(form, missing);
    return;
  }
  const res = await api('PUT', `/api/v1/sessions/${encodeURIComponent(id)}/attendance`, marks);
  if (res.status !== 200) {
    const entries = res.json?.error?.fields?.entries;
    showErrors(form, Array.isArray(entries)
      ? entries.map((e) => ({ field: null, message: e.message })) : problemsOf(res.json));
    return;
  }
  render(res.json.register, true);
  const saved = document.getElementById('saved');
  saved.classList.remove('portal-hidden');
  saved.focus();
});

async function main() {
  if (!(await pageAccount())) return;
  if (!/^[0-9]+$/.test(id)) {
    refuse('Choose a session', 'To take a register, choose its session from the sessions you train.',
      ['/teaching', 'Go to the sessions you train']);
    return;
  }
  const base = `/api/v1/sessions/${encodeURIComponent(id)}`;
  const [session, register] = await Promise.all([api('GET', base), api('GET', `${base}/register`)]);
  if (register.status === 403) {
    refuse('You cannot see this register', 'Only the session\'s trainers and the training coordinators can see and take its register.');
    return;
  }
  if (session.status !== 200 || register.status !== 200) {
    refuse('There is no such session', 'Check the link, or choose the session from the sessions you train.',
      ['/teaching', 'Go to the sessions you train']);
    return;
  }
  const s = session.json;
  document.getElementById('title').textContent = s.course.title;
  document.title = `Register: ${s.course.title} – Safeguarding Training Portal`;
  document.getElementById('when').textContent = when(s.starts_at);
  document.getElementById('venue').textContent = s.venue;
  document.getElementById('booked').textContent = s.register_taken
    ? `${s.booked} booked, ${s.attended} came` : `${s.booked} of ${s.capacity}`;
  document.getElementById('print').href = `${base}/register?format=html`;
  document.getElementById('csv').href = `${base}/register?format=csv`;
  const started = new Date(s.starts_at) <= new Date();
  document.getElementById('not-started').classList.toggle('portal-hidden', started);
  render(register.json.register, started);
}

main();
