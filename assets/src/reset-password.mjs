// Set a new password through the link's token, which is in the link's
// fragment (never sent to the server in the address) and posted in the
// JSON body with the new password.
import { api, showErrors, problemsOf } from '/assets/api.mjs';

const form = document.getElementById('reset');
const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
window.history.replaceState(null, '', window.location.pathname);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', '/api/v1/password-reset/confirm',
    { token, ...Object.fromEntries(new FormData(form)) });
  if (res.status === 204) {
    window.location.assign('/sign-in?reset=1');
    return;
  }
  showErrors(form, problemsOf(res.json));
});
