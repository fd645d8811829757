// Coordinators chase evaluations: across sessions, how many delegates
// have a form open and not sent, with its deadline; for one session
// (?id=), who they are, with their email address to remind them, and
// the line managers yet to answer.
import { api, el, pageAccount, refuse, breakable } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

const STAGES = { same_day: 'Same-day evaluation', followup: 'Three-month follow-up',
  manager: 'Line manager’s review', before: 'Before the course' };
const id = new URLSearchParams(window.location.search).get('id');
const text = (key, t) => { document.getElementById(key).textContent = t; };
const cell = (t) => el('td', 'govuk-table__cell', t);
// A deadline at midnight is the end of the day before: "Tuesday 29
// December 2026, 11:59pm", never "Wednesday 30 December, midnight".
const deadline = (iso) => when(/T00:00/.test(new Date(iso).toLocaleString('sv', { timeZone: 'Europe/London' }).replace(' ', 'T'))
  ? new Date(Date.parse(iso) - 60e3).toISOString() : iso);

function sessionRow(s) {
  const tr = el('tr', 'govuk-table__row');
  const what = el('td', 'govuk-table__cell');
  const a = el('a', 'govuk-link', s.course_title);
  a.href = `/programme/evaluations?id=${s.session_id}`;
  what.append(a, el('span', 'govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block', when(s.starts_at, false)));
  const n = el('td', 'govuk-table__cell govuk-table__cell--numeric', String(s.outstanding));
  tr.append(what, cell(STAGES[s.stage] ?? 'Evaluation'), cell(deadline(s.closes_at)), n);
  return tr;
}

async function all() {
  const res = await api('GET', '/api/v1/evaluations/outstanding');
  if (res.status !== 200) {
    text('count', res.json?.error?.message ?? 'The evaluations could not be loaded. Try again.');
    return;
  }
  const { sessions } = res.json;
  const people = sessions.reduce((n, s) => n + s.outstanding, 0);
  const n = new Set(sessions.map((s) => s.session_id)).size;
  text('count', sessions.length === 0 ? 'Every evaluation form open now has been sent.'
    : `${people} form${people === 1 ? '' : 's'} not yet sent, on ${n} session${n === 1 ? '' : 's'}.`);
  document.getElementById('rows').replaceChildren(...sessions.map(sessionRow));
  document.getElementById('table').classList.toggle('portal-hidden', sessions.length === 0);
}

// One stage's people on one session: a heading and a table (cards on a
// phone).
function stageTable(stage, people) {
  const box = el('section');
  const h = el('h2', 'govuk-heading-m', STAGES[stage] ?? 'Evaluation');
  h.id = `stage-${stage}`;
  box.setAttribute('aria-labelledby', h.id);
  const open = people.filter((p) => p.status === 'open');
  const closed = people.length - open.length;
  const manager = stage === 'manager';
  box.append(h, el('p', 'govuk-body', `${open.length} not yet ${manager ? 'answered' : 'sent'}, still open.`
    + (closed ? ` ${closed} more closed without ${manager ? 'an answer' : 'being sent'}.` : '')));
  if (open.length === 0) return box;
  const table = el('table', 'govuk-table portal-table--cards');
  const head = el('thead', 'govuk-table__head');
  const hr = el('tr', 'govuk-table__row');
  for (const t of [manager ? 'Delegate' : 'Name', 'Agency', manager ? 'Line manager’s email' : 'Email address', 'Deadline']) {
    const th = el('th', 'govuk-table__header', t);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = el('tbody', 'govuk-table__body');
  for (const p of open) {
    const tr = el('tr', 'govuk-table__row');
    const email = el('td', 'govuk-table__cell');
    const a = el('a', 'govuk-link');
    a.href = `mailto:${p.email}`;
    a.append(...breakable(p.email));
    email.append(a);
    tr.append(cell(p.full_name), cell(p.agency ?? 'None'), email, cell(deadline(p.closes_at)));
    body.append(tr);
  }
  table.append(head, body);
  box.append(table);
  return box;
}

async function one() {
  const base = `/api/v1/sessions/${encodeURIComponent(id)}`;
  const [session, res] = await Promise.all([api('GET', base), api('GET', `${base}/evaluations/outstanding`)]);
  if (session.status !== 200 || res.status !== 200) {
    refuse('There is no such session', 'Check the link, or choose the session from the list of evaluations not yet sent.',
      ['/programme/evaluations', 'Go to the evaluations not yet sent']);
    return;
  }
  const back = document.getElementById('back');
  back.href = '/programme/evaluations';
  back.textContent = 'Back to the evaluations not yet sent';
  text('caption', `${session.json.course.title}, ${when(session.json.starts_at, false)}`);
  document.title = `Evaluations not yet sent: ${session.json.course.title} – Safeguarding Training Portal`;
  text('intro', 'The delegates who have not sent a form that is still open, with their email address to remind them. Forms are sent from their account page; what anyone answered is never shown here.');
  const { outstanding } = res.json;
  const stages = ['same_day', 'followup', 'manager'].filter((s) => outstanding.some((p) => p.stage === s));
  const open = outstanding.filter((p) => p.status === 'open').length;
  text('count', open === 0 ? 'Every form open now on this session has been sent.' : `${open} not yet sent.`);
  document.getElementById('stages').replaceChildren(...stages.map((s) => stageTable(s, outstanding.filter((p) => p.stage === s))));
}

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot see who has not sent their evaluation',
    'Only the partnership\'s training coordinators can see whose evaluation forms are not yet sent.']);
  if (!account) return;
  if (id) await one();
  else await all();
}

main();
