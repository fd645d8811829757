// Create an account: POST /api/v1/accounts, every problem shown at once;
// then "check your email" (the answer is the same for any address).
import { api, showErrors, clearErrors, problemsOf, fillSelect } from '/assets/api.mjs';

const form = document.getElementById('register');

async function loadChoices() {
  const levels = await api('GET', '/api/v1/group-levels');
  fillSelect(document.getElementById('group_level'), (levels.json?.group_levels ?? [])
    .map((l) => ({ value: l.code, label: `${l.name}: ${l.description}` })));
  const agencies = [];
  for (let offset = 0; ; offset += 100) {
    const page = await api('GET', `/api/v1/agencies?limit=100&offset=${offset}`);
    agencies.push(...(page.json?.agencies ?? []));
    if (!page.json || offset + 100 >= page.json.total) break;
  }
  fillSelect(document.getElementById('agency_id'),
    agencies.map((a) => ({ value: String(a.id), label: a.name })));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  const body = { ...data, agency_id: data.agency_id ? Number(data.agency_id) : null };
  if (!body.manager_email) delete body.manager_email;
  const res = await api('POST', '/api/v1/accounts', body);
  if (res.status === 202) {
    clearErrors(form);
    form.reset();
    document.getElementById('ask').classList.add('portal-hidden');
    document.getElementById('sent').classList.remove('portal-hidden');
    document.getElementById('sent').querySelector('h1').focus();
    return;
  }
  showErrors(form, problemsOf(res.json));
});

loadChoices();
