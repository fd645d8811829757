// Sign in: POST /api/v1/session, then back to the page that asked for it
// (?next=, a path of this site only) or to the account page.
import { api, showErrors, problemsOf, safeNext } from '/assets/api.mjs';

const form = document.getElementById('sign-in');
const notices = {
  'signed-out': 'You have signed out.',
  reset: 'Your password has been changed. Sign in with the new one.',
};
const done = new URLSearchParams(window.location.search);
for (const [key, text] of Object.entries(notices)) {
  if (done.has(key)) {
    document.getElementById('done-text').textContent = text;
    document.getElementById('done').classList.remove('portal-hidden');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', '/api/v1/session', Object.fromEntries(new FormData(form)));
  if (res.status === 200) {
    window.location.assign(safeNext(done.get('next')));
    return;
  }
  form.querySelector('#password').value = '';
  if (res.status === 401) {
    showErrors(form, [{ field: 'email', message: res.json.error.message }]);
  } else {
    showErrors(form, problemsOf(res.json));
  }
});
