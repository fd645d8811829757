// A coordinator imports the board's attendance history: the file is sent,
// answered at once with a job, and imported off the request path; this
// page polls the job, shows its progress as a bar with the step in words,
// and at the end what was made or every row and name refused.
import { api, showErrors, clearErrors, pageAccount } from '/assets/api.mjs';

// The columns as the file names them, in words for the problems.
const COLUMNS = { session_date: 'Session date', course_code: 'Course code', course_title: 'Course title',
  format: 'Format', group_level: 'Group level', agency: 'Agency', full_name: 'Full name', email: 'Email',
  status: 'Status', file: 'The file' };

// What the import is doing once `step` steps are done.
const DOING = ['Reading and checking the file', 'Waiting for any other import to finish', 'Loading the rows',
  'Checking the agencies and group levels', 'Adding courses and sessions', 'Adding people',
  'Adding places and training records', 'Saving'];

const form = document.getElementById('upload');
const show = (id, on) => document.getElementById(id).classList.toggle('portal-hidden', !on);
const text = (id, t) => { document.getElementById(id).textContent = t; };
const count = (n, one, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

function progress(job) {
  const bar = document.getElementById('progress');
  bar.max = job.steps;
  bar.value = job.step;
  bar.textContent = `${job.step} of ${job.steps} steps`;
  text('progress-label', `Step ${Math.min(job.step + 1, job.steps)} of ${job.steps}: ${DOING[job.step] ?? 'Saving'}`);
  text('progress-rows', job.rows ? `The file has ${count(job.rows, 'row')}.` : '');
}

function refused(result) {
  const items = [];
  for (const r of result.rows ?? []) items.push(`Line ${r.line}, ${COLUMNS[r.field] ?? r.field}: ${r.message}`);
  for (const a of result.unknown_agencies ?? []) items.push(`There is no agency called “${a}”: add it first, or correct its name.`);
  for (const l of result.unknown_group_levels ?? []) items.push(`There is no group level called “${l}”.`);
  const list = document.getElementById('refused');
  list.replaceChildren(...items.map((t) => {
    const li = document.createElement('li');
    li.textContent = t;
    return li;
  }));
  text('refused-text', `Nothing was imported. Correct ${items.length === 1 ? 'this problem' : `these ${items.length} problems`} and send the file again.`);
  show('refused-box', true);
  showErrors(form, [{ field: 'file', message: 'The file has problems: nothing was imported. They are listed below.' }]);
}

function finished(r) {
  text('done-text', `History imported: ${count(r.rows, 'row')}, ${count(r.bookings_created, 'place')} added `
    + `(${count(r.bookings_existing, 'was', 'were')} here already), ${count(r.courses_created, 'course')}, `
    + `${count(r.sessions_created, 'session')} and ${count(r.people_created, 'person', 'people')} added, `
    + `${count(r.training_records_created, 'training record')}.`);
  show('done', true);
}

async function follow(job) {
  show('progress-box', true);
  for (;;) {
    progress(job);
    if (job.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 500));
    const res = await api('GET', job.location);
    if (res.status !== 200) {
      showErrors(form, [{ field: 'file', message: 'The import’s progress cannot be read now. Reload the page to see it.' }]);
      return;
    }
    job = res.json;
  }
  show('progress-box', false);
  history.replaceState(null, '', '/imports');
  if (job.status === 'done') finished(job.result);
  else if (job.status === 'refused') refused(job.result);
  else showErrors(form, [{ field: 'file', message: job.result?.message ?? 'The import failed: nothing was imported.' }]);
  document.getElementById('send').disabled = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show('done', false);
  show('refused-box', false);
  const file = document.getElementById('file').files[0];
  if (!file) {
    showErrors(form, [{ field: 'file', message: 'Select a CSV file' }]);
    return;
  }
  if (file.size > 16 * 1024 * 1024) {
    showErrors(form, [{ field: 'file', message: 'The file must be 16 MB or smaller' }]);
    return;
  }
  document.getElementById('send').disabled = true;
  const res = await api('POST', '/api/v1/imports/attendance', await file.text(), 'text/csv');
  if (res.status !== 202) {
    document.getElementById('send').disabled = false;
    showErrors(form, [{ field: 'file', message: res.json?.error?.message ?? 'The file could not be sent.' }]);
    return;
  }
  clearErrors(form);
  form.reset();
  // The job stays in the address: a reload follows it again.
  history.replaceState(null, '', `/imports?job=${res.json.id}`);
  await follow(res.json);
});

async function main() {
  if (!(await pageAccount(['coordinator'], ['You cannot use this page',
    'Only training coordinators import the attendance history.']))) return;
  const id = new URLSearchParams(window.location.search).get('job');
  if (id && /^\d+$/.test(id)) {
    const res = await api('GET', `/api/v1/imports/attendance/${id}`);
    if (res.status === 200) {
      document.getElementById('send').disabled = res.json.status === 'running';
      await follow(res.json);
    }
  }
}

main();
