// Set a new password through the link's token.
import { api, showErrors, problemsOf } from '/assets/api.mjs';

const form = document.getElementById('reset');
const token = new URLSearchParams(window.location.search).get('token') ?? '';
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', `/api/v1/password-reset/${encodeURIComponent(token)}`,
    Object.fromEntries(new FormData(form)));
  if (res.status === 204) {
    window.location.assign('/sign-in?reset=1');
    return;
  }
  showErrors(form, problemsOf(res.json));
});
