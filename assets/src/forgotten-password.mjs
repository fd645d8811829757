// Ask for a password reset link: the answer is the same for any address.
import { api, showErrors, problemsOf } from '/assets/api.mjs';

const form = document.getElementById('forgotten');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', '/api/v1/password-reset', Object.fromEntries(new FormData(form)));
  if (res.status === 202) {
    document.getElementById('ask').classList.add('portal-hidden');
    document.getElementById('sent').classList.remove('portal-hidden');
    return;
  }
  showErrors(form, problemsOf(res.json));
});
