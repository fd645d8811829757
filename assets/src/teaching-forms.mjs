// A session's paper forms (/teaching/forms?id=): upload a CSV file, or
// type in one form at a time with the keyboard alone.
import { api, showErrors, clearErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';
import { questionGroups, readAnswers, questionsOf } from '/assets/evaluation-form.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const base = `/api/v1/sessions/${encodeURIComponent(id)}`;
const upload = document.getElementById('upload');
const entry = document.getElementById('entry');
let questions = [];
let typed = 0;

function added(text) {
  const banner = document.getElementById('added');
  document.getElementById('added-text').textContent = text;
  banner.classList.remove('portal-hidden');
}

// A file's problems: one line each, "Row 3: rating_content: ...".
function rowProblems(json, field) {
  const rows = json?.error?.fields?.rows;
  if (!Array.isArray(rows)) return problemsOf(json).map((p) => ({ field: p.field === 'forms' ? field : p.field, message: p.message }));
  const label = (f) => questions.find((q) => q.field === f)?.label.replace(/\s*\(.*\)$/, '') ?? f;
  return rows.map((r) => ({ field, message: `Row ${r.row}: ${label(r.field)}: ${r.message}` }));
}

upload.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(upload);
  clearErrors(entry);
  const file = document.getElementById('file').files[0];
  if (!file) {
    showErrors(upload, [{ field: 'file', message: 'Choose a CSV file' }]);
    return;
  }
  const res = await api('POST', `${base}/evaluations`, await file.text(), 'text/csv');
  if (res.status !== 200) {
    showErrors(upload, rowProblems(res.json, 'file'));
    return;
  }
  upload.reset();
  added(`${res.json.added} form${res.json.added === 1 ? '' : 's'} added from ${file.name}.`);
});

entry.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(entry);
  clearErrors(upload);
  const res = await api('POST', `${base}/evaluations`, { forms: [readAnswers(entry, questions)] });
  if (res.status !== 200) {
    const rows = res.json?.error?.fields?.rows;
    showErrors(entry, Array.isArray(rows) ? rows.map((r) => ({ field: r.field, message: r.message }))
      : problemsOf(res.json));
    return;
  }
  typed += 1;
  entry.reset();
  added(`Form saved: ${typed} typed in on this page so far.`);
  document.getElementById(questions[0].field).focus();
});

// Enter in a box saves the form (Shift+Enter for a new line in a comment).
entry.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && event.target.tagName === 'TEXTAREA') {
    event.preventDefault();
    entry.requestSubmit();
  }
});

async function main() {
  if (!(await pageAccount())) return;
  const session = await api('GET', base);
  if (session.status !== 200) {
    document.getElementById('title').textContent = 'There is no such session';
    upload.classList.add('portal-hidden');
    entry.classList.add('portal-hidden');
    return;
  }
  document.getElementById('title').textContent = session.json.course.title;
  document.title = `Paper forms: ${session.json.course.title} – Safeguarding Training Portal`;
  document.getElementById('when').textContent = when(session.json.starts_at);
  document.getElementById('paper-link').href = `/teaching/paper-form?id=${encodeURIComponent(id)}`;
  document.getElementById('template-link').href = `${base}/evaluations/template.csv`;
  document.getElementById('feedback-link').href = `/teaching/feedback?id=${encodeURIComponent(id)}`;
  questions = await questionsOf('same_day');
  document.getElementById('entry-questions').replaceChildren(...questionGroups(questions, { entry: true }));
}

main();
