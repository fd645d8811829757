// Confirm a change of one's line manager: the token is in the link's
// fragment (never sent to the server in the address), posted here in a
// JSON body.
import { api } from '/assets/api.mjs';

const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
window.history.replaceState(null, '', window.location.pathname);

function show(id) {
  document.getElementById('checking').classList.add('portal-hidden');
  document.getElementById(id).classList.remove('portal-hidden');
}

const res = await api('POST', '/api/v1/line-manager-confirmations', { token });
if (res.status === 200) {
  document.getElementById('manager').textContent = res.json.manager_email;
  show('confirmed');
} else {
  document.getElementById('failed-text').textContent = res.json?.error?.message
    ?? 'Something went wrong. Try again later.';
  show('failed');
}
