// The register of one session: who is booked, and for each whether they
// attended, attended in part or did not come; saved all at once. Everyone
// can be marked attended in one go (asked first, saved as one change),
// and someone who came without booking added as a walk-in.
import { api, el, showErrors, clearErrors, problemsOf, refuse, pageAccount, fillSelect } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { names } from '/assets/names.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('register');
const walkIn = document.getElementById('walk-in-form');
const show = (key, on) => document.getElementById(key).classList.toggle('portal-hidden', !on);
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
  show('everyone', started && rows.length > 0);
  show('confirm-everyone', false);
}

// Once the register is taken (saved, or a walk-in added): who came.
function tally(rows) {
  const came = rows.filter((r) => r.status === 'attended' || r.status === 'partial').length;
  document.getElementById('booked').textContent = `${rows.length} booked, ${came} came`;
}

function savedBanner(message) {
  document.getElementById('saved-text').textContent = message;
  const saved = document.getElementById('saved');
  saved.classList.remove('portal-hidden');
  saved.focus();
}

// Save `marks` as the register: true when saved.
async function save(marks) {
  const res = await api('PUT', `/api/v1/sessions/${encodeURIComponent(id)}/attendance`, marks);
  if (res.status !== 200) {
    const entries = res.json?.error?.fields?.entries;
    showErrors(form, Array.isArray(entries)
      ? entries.map((e) => ({ field: null, message: e.message })) : problemsOf(res.json));
    return false;
  }
  render(res.json.register, true);
  tally(res.json.register);
  return true;
}

document.getElementById('everyone').addEventListener('click', () => {
  clearErrors(form);
  document.getElementById('saved').classList.add('portal-hidden');
  const rows = [...form.querySelectorAll('tr[data-booking]')];
  const others = rows.filter((tr) => tr.querySelector('input:checked') && tr.querySelector('input:checked').value !== 'attended').length;
  document.getElementById('confirm-everyone-text').textContent = `Mark all ${rows.length} ${rows.length === 1 ? 'person' : 'people'} on the register as attended and save it?`
    + (others ? ` ${others} marked as Part or Did not attend will be changed to Attended.` : '');
  show('everyone', false);
  show('confirm-everyone', true);
  document.getElementById('confirm-everyone-text').focus();
});

document.getElementById('everyone-no').addEventListener('click', (event) => {
  event.preventDefault();
  show('confirm-everyone', false);
  show('everyone', true);
  document.getElementById('everyone').focus();
});

document.getElementById('everyone-yes').addEventListener('click', async () => {
  const marks = [...form.querySelectorAll('tr[data-booking]')]
    .map((tr) => ({ booking_id: Number(tr.dataset.booking), status: 'attended' }));
  if (await save(marks)) savedBanner(`Everyone is marked as attended: ${marks.length} ${marks.length === 1 ? 'person' : 'people'}. The register is saved.`);
  else show('confirm-everyone', false);
});

// The walk-in's problems, named as the form names them.
const WALK_IN_WORDS = { group_level: 'Choose their training group level', agency_id: 'Choose their agency or setting',
  full_name: 'Enter their full name', email: 'Enter their email address, like name@example.org' };

walkIn.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(walkIn);
  document.getElementById('saved').classList.add('portal-hidden');
  const v = (name) => walkIn.elements[name].value.trim();
  const body = { full_name: v('full_name'), email: v('email'), group_level: v('group_level'),
    agency_id: v('agency_id') ? Number(v('agency_id')) : null };
  const missing = Object.keys(WALK_IN_WORDS).filter((k) => !body[k]);
  if (missing.length) {
    showErrors(walkIn, missing.map((field) => ({ field, message: WALK_IN_WORDS[field] })));
    return;
  }
  const res = await api('POST', `/api/v1/sessions/${encodeURIComponent(id)}/attendees`, body);
  if (res.status !== 201) {
    const fields = res.json?.error?.fields ?? {};
    const problems = Object.keys(fields).length
      ? Object.keys(fields).map((field) => ({ field, message: WALK_IN_WORDS[field] ?? fields[field] }))
      : [{ field: res.status === 409 ? 'email' : null,
        message: res.status === 409 ? 'This person is on the register already: mark them there' : problemsOf(res.json)[0].message }];
    showErrors(walkIn, problems);
    return;
  }
  walkIn.reset();
  const register = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}/register`);
  if (register.status === 200) {
    render(register.json.register, true);
    tally(register.json.register);
  }
  savedBanner(`${body.full_name} is added to the register as attended and sent an email saying so.`
    + (res.json.review === 'pending' ? ' A coordinator will confirm it.' : ''));
});

async function walkInChoices() {
  const n = await names();
  fillSelect(walkIn.elements.group_level, [...n.all.levels].map(([value, label]) => ({ value, label })));
  const agencies = [];
  for (let from = 0; ; from += 100) {
    const page = await api('GET', `/api/v1/agencies?limit=100&offset=${from}`);
    const got = page.json?.agencies ?? [];
    agencies.push(...got);
    if (got.length < 100) break;
  }
  fillSelect(walkIn.elements.agency_id, agencies.map((a) => ({ value: String(a.id), label: a.name })));
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
  if (await save(marks)) savedBanner('The register is saved.');
});

async function main() {
  const account = await pageAccount();
  if (!account) return;
  // A coordinator comes from the session in the programme, and goes back there.
  if (account.roles.includes('coordinator') && !account.roles.includes('trainer') && /^[0-9]+$/.test(id)) {
    const back = document.querySelector('.govuk-back-link');
    back.href = `/programme/session?id=${id}`;
    back.textContent = 'Back to the session';
  }
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
  if (started && s.status !== 'cancelled') {
    show('walk-in', true);
    await walkInChoices();
  }
}

main();
