// A session's batches of paper forms for coordinators
// (/programme/forms?id=): who entered each and how many forms, and
// voiding one (its forms then leave every figure).
import { api, el, showErrors, clearErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

const id = new URLSearchParams(window.location.search).get('id') ?? '';
const form = document.getElementById('void');
const voiding = document.getElementById('voiding');
let chosen = null;

const HEADINGS = ['Entered by', 'On', 'How', 'Forms', 'Counted'];

// A cell of column `i`, labelled for the cards a phone shows.
function cell(i, text) {
  const td = el('td', i === 3 ? 'govuk-table__cell govuk-table__cell--numeric' : 'govuk-table__cell', text);
  td.dataset.label = HEADINGS[i];
  return td;
}

function choose(batch) {
  chosen = batch;
  clearErrors(form);
  form.elements.reason.value = '';
  document.getElementById('voiding-title').textContent = `Void the ${batch.forms === 1 ? 'form' : `${batch.forms} forms`} `
    + `${batch.kind === 'file' ? 'uploaded' : 'typed in'} by ${batch.entered_by} on ${when(batch.entered_on, false)}`;
  voiding.classList.remove('portal-hidden');
  form.elements.reason.focus();
}

async function show() {
  const res = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}/evaluations/batches`);
  const status = document.getElementById('status');
  if (res.status !== 200) {
    status.textContent = res.json?.error?.message ?? 'There is no such session.';
    return;
  }
  const { batches } = res.json;
  status.textContent = batches.length ? '' : 'No paper forms have been entered for this session.';
  document.getElementById('batches').classList.toggle('portal-hidden', batches.length === 0);
  document.getElementById('batch-rows').replaceChildren(...batches.map((b) => {
    const tr = el('tr', 'govuk-table__row');
    const counted = cell(4, b.voided ? `No: void (${b.void_reason})` : 'Yes ');
    if (!b.voided) {
      const a = el('a', 'govuk-link', 'Void');
      a.href = '#void';
      a.append(el('span', 'govuk-visually-hidden', ` the batch of ${b.forms} by ${b.entered_by}`));
      a.addEventListener('click', (e) => {
        e.preventDefault();
        choose(b);
      });
      counted.append(a);
    }
    tr.append(cell(0, b.entered_by), cell(1, when(b.entered_on, false)),
      cell(2, b.kind === 'file' ? 'File uploaded' : 'Typed in'), cell(3, String(b.forms)), counted);
    return tr;
  }));
}

document.getElementById('keep').addEventListener('click', (e) => {
  e.preventDefault();
  voiding.classList.add('portal-hidden');
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(form);
  const res = await api('POST', `/api/v1/evaluation-batches/${chosen.id}/void`,
    { reason: form.elements.reason.value });
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return;
  }
  voiding.classList.add('portal-hidden');
  document.getElementById('voided-text').textContent = `The batch of ${chosen.forms} `
    + `${chosen.forms === 1 ? 'form' : 'forms'} is void: its forms no longer count in any figure.`;
  const banner = document.getElementById('voided');
  banner.classList.remove('portal-hidden');
  banner.focus();
  await show();
});

async function main() {
  const account = await pageAccount(['coordinator'], ['You cannot see the batches of paper forms',
    'Only the partnership\'s training coordinators can see and void batches of paper forms.',
    ['/account', 'Go to your account']]);
  if (!account) return;
  const session = await api('GET', `/api/v1/sessions/${encodeURIComponent(id)}`);
  if (session.status === 200) {
    document.getElementById('title').textContent = session.json.course.title;
    document.getElementById('when').textContent = when(session.json.starts_at);
    document.title = `Paper forms: ${session.json.course.title} – Safeguarding Training Portal`;
  }
  document.getElementById('back').href = `/programme/session?id=${encodeURIComponent(id)}`;
  await show();
}

main();
