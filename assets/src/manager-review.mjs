// The line manager's page (/manager-review#TOKEN, no account): the token
// is read from the URL's fragment, which browsers never send to the
// server, and posted; then taken out of the address bar.
import { api, showErrors, clearErrors, problemsOf } from '/assets/api.mjs';
import { when } from '/assets/when.mjs';

const token = window.location.hash.slice(1);
const form = document.getElementById('form');
const message = document.getElementById('message');
history.replaceState(null, '', window.location.pathname);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const chosen = form.querySelector('input[name=changed_practice]:checked');
  const evidence = document.getElementById('evidence').value.trim();
  const res = await api('POST', '/api/v1/manager-reviews', {
    token, changed_practice: chosen?.value ?? null, evidence: evidence || null });
  if (res.status !== 201) {
    if (res.status === 410 || res.status === 404) {
      form.classList.add('portal-hidden');
      message.textContent = res.json.error.message;
      return;
    }
    showErrors(form, problemsOf(res.json));
    return;
  }
  form.classList.add('portal-hidden');
  message.classList.add('portal-hidden');
  const done = document.getElementById('done');
  done.classList.remove('portal-hidden');
  done.focus();
});

async function main() {
  if (!token) {
    message.textContent = 'Open the whole link from the e-mail you were sent.';
    return;
  }
  const res = await api('POST', '/api/v1/manager-reviews/lookup', { token });
  if (res.status !== 200) {
    message.textContent = res.json?.error?.message ?? 'This link does not work.';
    return;
  }
  message.textContent = 'This person you manage attended a multi-agency safeguarding course some months ago. '
    + 'The Safeguarding Children Partnership asks whether it has changed their practice. It needs no account and takes a minute.';
  document.getElementById('full_name').textContent = res.json.full_name;
  document.getElementById('course_title').textContent = res.json.course_title;
  document.getElementById('date').textContent = when(res.json.starts_at, false);
  document.getElementById('details').classList.remove('portal-hidden');
  form.classList.remove('portal-hidden');
}

main();
