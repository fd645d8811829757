// One stage of a booking's evaluation (/evaluation?booking=&stage=): the
// questions while it is open, then the answers to check before they are
// sent (they cannot be changed after), what the person answered once
// done.
import { api, el, showErrors, clearErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { questionGroups, readAnswers, STAGES, CHOICE_LABELS } from '/assets/evaluation-form.mjs';

const params = new URLSearchParams(window.location.search);
const booking = params.get('booking') ?? '';
const stage = params.get('stage') ?? '';
const form = document.getElementById('form');
const path = `/api/v1/bookings/${encodeURIComponent(booking)}/evaluations/${encodeURIComponent(stage)}`;
let questions = [];

function say(text) {
  const m = document.getElementById('message');
  m.textContent = text;
  m.classList.remove('portal-hidden');
}

function certificate() {
  if (stage !== 'same_day') return;
  const p = document.getElementById('certificate');
  p.querySelector('a').href = `/certificate?booking=${encodeURIComponent(booking)}`;
  p.classList.remove('portal-hidden');
}

// Continue: the answers are checked by the API (nothing saved), then
// shown to be checked; Send saves them, for good.
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const res = await api('PUT', `${path}?check=true`, readAnswers(form, questions));
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  checkAnswers();
});

// What the person answered to question `q`, in words.
function answerOf(q, answers) {
  const v = answers[q.field];
  if (q.kind === 'set') {
    if (v === undefined) return 'Not answered';
    return v.length ? v.map((c) => CHOICE_LABELS[c] ?? c).join(', ') : 'None of these';
  }
  if (v === undefined) return 'Not answered';
  if (q.kind === 'choice') return CHOICE_LABELS[v] ?? v;
  if (q.kind === 'scale') return `${v} (from ${q.min} to ${q.max})`;
  return String(v);
}

function checkAnswers() {
  const answers = readAnswers(form, questions);
  document.getElementById('check-list').replaceChildren(...questions.map((q) => {
    const row = el('div', 'govuk-summary-list__row');
    const text = q.label.replace(/\s*\([^)]*\)$/, '');
    const value = el('dd', 'govuk-summary-list__value portal-pre', answerOf(q, answers));
    const actions = el('dd', 'govuk-summary-list__actions');
    const change = el('a', 'govuk-link', 'Change');
    change.href = `#${q.field}`;
    change.append(el('span', 'govuk-visually-hidden', ` ${text.toLowerCase()}`));
    change.addEventListener('click', (event) => {
      event.preventDefault();
      document.getElementById('check').classList.add('portal-hidden');
      form.classList.remove('portal-hidden');
      document.getElementById(q.field)?.focus();
    });
    actions.append(change);
    row.append(el('dt', 'govuk-summary-list__key', text), value, actions);
    return row;
  }));
  form.classList.add('portal-hidden');
  document.getElementById('check').classList.remove('portal-hidden');
  document.getElementById('check-title').focus();
}

document.getElementById('send').addEventListener('click', async () => {
  const res = await api('PUT', path, readAnswers(form, questions));
  document.getElementById('check').classList.add('portal-hidden');
  if (res.status !== 201) {
    form.classList.remove('portal-hidden');
    showErrors(form, problemsOf(res.json));
    return;
  }
  form.classList.add('portal-hidden');
  const done = document.getElementById('done');
  done.classList.remove('portal-hidden');
  done.focus();
  certificate();
});

async function main() {
  if (!(await pageAccount())) return;
  const res = await api('GET', path);
  const title = document.getElementById('title');
  if (res.status !== 200) {
    title.textContent = 'Evaluation not found';
    say(res.json?.error?.message ?? 'There is no such evaluation.');
    return;
  }
  const e = res.json;
  document.getElementById('caption').textContent = STAGES[e.stage] ?? 'Evaluation';
  title.textContent = e.course_title;
  document.title = `${STAGES[e.stage]}: ${e.course_title} – Safeguarding Training Portal`;
  document.getElementById('when').textContent = when(e.starts_at);
  if (e.status === 'open') {
    questions = e.questions;
    // The same-day form online needs its five ratings; the rest, and
    // every question of the other forms, may be left unanswered.
    const rated = e.stage === 'same_day';
    if (rated) {
      document.getElementById('intro-rule').textContent = 'The five ratings need an answer; the other questions are optional.';
    }
    document.getElementById('questions').replaceChildren(...questionGroups(questions,
      { optional: rated ? (field) => !field.startsWith('rating_') : null }));
    form.classList.remove('portal-hidden');
    if (e.closes_at) say(`Open until ${when(e.closes_at)}.`);
  } else if (e.status === 'done') {
    say('You have answered this evaluation. Thank you.');
    certificate();
  } else if (e.status === 'closed') {
    say('This evaluation has closed.');
    certificate();
  } else {
    say(e.opens_at ? `This evaluation opens on ${when(e.opens_at)}.` : 'This evaluation is not open yet.');
  }
}

main();
