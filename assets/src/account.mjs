// The signed-in person's home: first what they must do (evaluations open
// now, with their deadlines; their sessions coming up), then for each of
// their roles the links and counts it needs (their training; a trainer's
// registers to take and next sessions; a setting lead's staff; a
// coordinator's programme), their training record (when training at
// their level expires, each course with its certificate), their details
// and line manager, and every evaluation with its status. The header has
// Sign out.
import { api, el, pageAccount, clearErrors, showErrors, problemsOf } from '/assets/api.mjs';
import { when, londonDate } from '/assets/when.mjs';
import { names } from '/assets/names.mjs';
import { STAGES } from '/assets/evaluation-form.mjs';

const ROLES = { practitioner: 'Practitioner', trainer: 'Trainer',
  setting_lead: 'Setting lead', reviewer: 'Training sub-group reviewer',
  coordinator: 'Coordinator' };

const show = (id) => document.getElementById(id).classList.remove('portal-hidden');
const text = (id, t) => { document.getElementById(id).textContent = t; };
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function sessionItem(s, label) {
  const li = el('li');
  const a = el('a', 'govuk-link', `${s.course.title}, ${when(s.starts_at)}`);
  a.href = `/teaching/register?id=${s.id}`;
  if (label) a.prepend(el('span', 'govuk-visually-hidden', label));
  li.append(a);
  return li;
}

// The person's bookings: what is coming up goes under "What you need to
// do"; their training at their level and their records under "Your
// training record", each course done through a booking with its
// certificate.
async function training(n) {
  const res = await api('GET', '/api/v1/me/bookings');
  const upcoming = (res.json?.bookings ?? []).filter((b) => b.upcoming && ['confirmed', 'waitlisted'].includes(b.status))
    .sort((a, b) => new Date(a.starts_at) - new Date(b.starts_at));
  text('bookings-count', upcoming.length ? `You have ${plural(upcoming.length, 'upcoming booking')}.`
    : 'You have no upcoming bookings.');
  show('home-bookings');
  document.getElementById('todo-sessions').replaceChildren(...upcoming.map((b) => {
    const li = el('li');
    const a = el('a', 'govuk-link', b.course.title);
    a.href = `/session?id=${b.session_id}`;
    li.append(a, `, ${when(b.starts_at)}, ${b.venue}. `, el('span', 'govuk-body-s', b.status === 'confirmed'
      ? 'You have a place.' : `You are on the waitlist (number ${b.waitlist_position}).`));
    return li;
  }));
  document.getElementById('todo-sessions-title').classList.toggle('portal-hidden', upcoming.length === 0);
  record(res.json?.training, n);
  return upcoming.length;
}

// "Your training record": when training at the person's level expires,
// and each course they did, with its certificate.
function record(t, n) {
  const day = (date) => when(`${date}T12:00:00Z`, false);
  let words = 'Your training group level is not recorded, so we cannot say when your training is due. Ask a training coordinator to record it.';
  if (t) {
    const level = n.level(t.group_level);
    const sentence = {
      never: () => `You have no training at your level, ${level}, on record. Find a course for ${level}.`,
      expired: () => `Your training at ${level} expired on ${day(t.expires_on)}. Book a course for ${level} to bring it up to date.`,
      lapsing: () => `Your training at ${level} expires on ${day(t.expires_on)}, within 90 days. Book a refresher course soon.`,
      in_date: () => `Your training at ${level} is in date until ${day(t.expires_on)}.`,
    }[t.status];
    if (sentence) words = sentence();
  }
  text('expiry', words);
  const records = t?.records ?? [];
  document.getElementById('record-rows').replaceChildren(...records.map((r) => {
    const tr = el('tr', 'govuk-table__row');
    const cert = el('td', 'govuk-table__cell');
    if (r.source === 'booking') {
      const a = el('a', 'govuk-link', 'Certificate');
      a.href = `/certificate?booking=${r.booking_id}`;
      a.append(el('span', 'govuk-visually-hidden', ` of ${r.title}, ${day(r.completed_on)}`));
      cert.append(a);
    } else {
      cert.textContent = `Recorded by your setting (${r.provider})`;
    }
    tr.append(el('td', 'govuk-table__cell', r.title), el('td', 'govuk-table__cell', day(r.completed_on)),
      el('td', 'govuk-table__cell', n.level(r.group_level)), cert);
    return tr;
  }));
  document.getElementById('record-table').classList.toggle('portal-hidden', records.length === 0);
  show('record');
}

async function trainer() {
  // The last 100 sessions up to today (the list is soonest first).
  const pastQuery = `/api/v1/sessions?trainer=me&to=${londonDate()}`;
  const [next, pastCount] = await Promise.all([
    api('GET', `/api/v1/sessions?trainer=me&from=${londonDate()}&limit=3`), api('GET', `${pastQuery}&limit=1`)]);
  const past = await api('GET', `${pastQuery}&limit=100&offset=${Math.max(0, (pastCount.json?.total ?? 0) - 100)}`);
  const started = (past.json?.sessions ?? []).filter((s) => new Date(s.starts_at) <= new Date());
  const toTake = started.filter((s) => s.status !== 'cancelled' && s.booked > 0 && !s.register_taken);
  text('registers-count', toTake.length ? `${plural(toTake.length, 'register')} to take:` : 'No registers to take.');
  document.getElementById('registers').replaceChildren(...toTake.map((s) => sessionItem(s, 'Take the register: ')));
  const soon = (next.json?.sessions ?? []).filter((s) => new Date(s.starts_at) > new Date());
  text('next-count', soon.length ? `Your next ${soon.length === 1 ? 'session' : 'sessions'}:` : 'You have no sessions coming up.');
  document.getElementById('next-sessions').replaceChildren(...soon.map((s) => sessionItem(s)));
  show('home-trainer');
}

async function lead(agency) {
  const res = await api('GET', `/api/v1/agencies/${agency}/staff?limit=1`);
  text('staff-count', res.status === 200 ? `${plural(res.json.total, 'person', 'people')} on your staff list.` : '');
  show('home-lead');
}

async function coordinator() {
  const [courses, sessions] = await Promise.all([
    api('GET', '/api/v1/courses?include_unpublished=true&limit=1'),
    api('GET', `/api/v1/sessions?include_unpublished=true&from=${londonDate()}&limit=1`)]);
  text('programme-count', `${plural(courses.json?.total ?? 0, 'course')}, ${plural(sessions.json?.total ?? 0, 'session')} to come.`);
  show('home-coordinator');
}

async function main() {
  const account = await pageAccount();
  if (!account) return;
  const n = await names();
  for (const key of ['full_name', 'email', 'job_title']) text(key, account[key] ?? '');
  text('group_level', account.group_level ? n.level(account.group_level) : 'Not recorded');
  text('roles', account.roles.map((r) => ROLES[r] ?? r).join(', '));
  const parts = [training(n)];
  if (account.roles.includes('trainer')) parts.push(trainer());
  if (account.setting_lead_agency_id) parts.push(lead(account.setting_lead_agency_id));
  if (account.roles.includes('coordinator')) parts.push(coordinator());
  if (account.setting_lead_agency_id) show('coverage-link');
  if (account.roles.includes('reviewer') || account.roles.includes('coordinator')) {
    show('reports-link');
    show('partnership-link');
  }
  const [sessions] = await Promise.all(parts);
  const open = await evaluations();
  document.getElementById('todo-none').classList.toggle('portal-hidden', sessions + open > 0);
  document.getElementById('loading').remove();
  show('todo');
  for (const id of ['details-title', 'details', 'links']) show(id);
  await lineManager();
}

// "Your line manager": who is asked three months after each course. A
// staff list's manager is changed on the list; one's own change waits
// for the link mailed to one's own address.
async function lineManager() {
  const res = await api('GET', '/api/v1/me/line-manager');
  if (res.status !== 200) return;
  const m = res.json;
  text('manager-text', m.manager_email === null ? 'You have not named your line manager.'
    : m.source === 'staff_list'
      ? `Your setting's staff list names ${m.manager_email}. Ask your setting lead if that is wrong.`
      : `You named ${m.manager_email}.`);
  const pending = document.getElementById('manager-pending');
  pending.textContent = m.pending ? `We have emailed you a link to change it to ${m.pending.manager_email}. Open it to confirm.` : '';
  pending.classList.toggle('portal-hidden', !m.pending);
  document.getElementById('manager-form').classList.toggle('portal-hidden', m.source === 'staff_list');
  show('line-manager');
}

document.getElementById('manager-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const email = form.elements.manager_email.value.trim();
  if (!email) {
    showErrors(form, [{ field: 'manager_email', message: 'This cannot be empty.' }]);
    return;
  }
  const res = await api('PUT', '/api/v1/me/line-manager', { manager_email: email });
  if (res.status !== 202 && res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  clearErrors(form);
  form.reset();
  await lineManager();
  document.getElementById(res.status === 202 ? 'manager-pending' : 'manager-text').focus?.();
});

// The evaluations: those open now go first, under "What you need to do",
// each with its deadline; "Your evaluations" lists every one with its
// status. Returns how many are open.
const TAGS = { open: ['To do', 'govuk-tag--blue'], done: ['Done', 'govuk-tag--green'], closed: ['Closed', 'govuk-tag--grey'] };
async function evaluations() {
  const res = await api('GET', '/api/v1/me/evaluations');
  if (res.status !== 200) return 0;
  const list = res.json.evaluations;
  const open = list.filter((e) => e.status === 'open').sort((a, b) => new Date(a.closes_at) - new Date(b.closes_at));
  document.getElementById('todo-evaluations').replaceChildren(...open.map((e) => {
    const li = el('li');
    const a = el('a', 'govuk-link', 'Answer');
    a.href = `/evaluation?booking=${e.booking_id}&stage=${e.stage}`;
    a.append(el('span', 'govuk-visually-hidden', ` ${STAGES[e.stage].toLowerCase()}: ${e.course_title}`));
    li.append(el('strong', '', e.course_title), el('br'),
      `${STAGES[e.stage]} (course on ${when(e.starts_at, false)}). Answer by ${when(e.closes_at)}. `, a);
    return li;
  }));
  document.getElementById('todo-evaluations-title').classList.toggle('portal-hidden', open.length === 0);
  document.getElementById('evaluation-rows').replaceChildren(...list.map((e) => {
    const tr = el('tr', 'govuk-table__row');
    const course = el('td', 'govuk-table__cell', e.course_title);
    course.append(el('br'), el('span', 'govuk-body-s', `Course on ${when(e.starts_at, false)}`));
    const [words, colour] = TAGS[e.status];
    const status = el('td', 'govuk-table__cell');
    const p = el('p', 'govuk-body govuk-!-margin-bottom-1');
    p.append(el('strong', `govuk-tag ${colour}`, words));
    status.append(p);
    if (e.status === 'open') status.append(el('span', 'govuk-body-s', `Answer by ${when(e.closes_at)}, above`));
    else if (e.stage === 'same_day' && e.status === 'done') {
      const a = el('a', 'govuk-link', 'Certificate');
      a.href = `/certificate?booking=${e.booking_id}`;
      a.append(el('span', 'govuk-visually-hidden', ` of ${e.course_title}`));
      status.append(a);
    }
    tr.append(course, el('td', 'govuk-table__cell', STAGES[e.stage]), status);
    return tr;
  }));
  document.getElementById('evaluations-none').classList.toggle('portal-hidden', list.length > 0);
  document.getElementById('evaluations-table').classList.toggle('portal-hidden', list.length === 0);
  document.getElementById('evaluations').classList.remove('portal-hidden');
  return open.length;
}

main();
