// DSL group supervision: the groups a coordinator keeps (all) or a
// facilitator leads (theirs), and setting up a group (coordinators).
import { api, showErrors, problemsOf, pageAccount, refuse } from '/assets/api.mjs';
import { KINDS, day, table, link } from '/assets/supervision-ui.mjs';

const form = document.getElementById('create');

async function main() {
  const account = await pageAccount();
  if (!account) return;
  const coordinator = account.roles.includes('coordinator');
  const res = await api('GET', '/api/v1/supervision/groups');
  document.getElementById('loading').remove();
  const groups = res.json?.groups ?? [];
  if (!coordinator && groups.length === 0) {
    refuse('You cannot use this page', 'This page is for coordinators and the facilitators of DSL supervision groups.');
    return;
  }
  document.getElementById('groups').replaceChildren(table('Groups',
    ['Group', 'Schools', 'Facilitated by', 'Members', 'Last met', 'Next meeting'],
    groups.map((g) => [link(`/supervision/group?id=${g.id}`, g.name), KINDS[g.kind],
      g.facilitator, String(g.members), day(g.last_met_on),
      g.active ? day(g.next_date) : `Closed on ${day(g.closed_on)}`])));
  document.getElementById('empty').classList.toggle('portal-hidden', groups.length > 0);
  if (coordinator) {
    form.classList.remove('portal-hidden');
    document.getElementById('report-link').classList.remove('portal-hidden');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const kind = form.querySelector('input[name=kind]:checked')?.value ?? null;
  const body = { name: form.elements.name.value.trim(), kind, facilitator: form.elements.facilitator.value.trim() };
  const email = form.elements.facilitator_email.value.trim();
  if (email) {
    const found = await api('GET', `/api/v1/accounts?q=${encodeURIComponent(email)}`);
    const account = (found.json?.accounts ?? []).find((a) => a.email.toLowerCase() === email.toLowerCase());
    if (!account) {
      showErrors(form, [{ field: 'facilitator_email', message: 'Enter the email address of someone with an account on the portal' }]);
      return;
    }
    body.facilitator_person_id = account.person_id;
  }
  const res = await api('POST', '/api/v1/supervision/groups', body);
  if (res.status === 201) {
    window.location.assign(`/supervision/group?id=${res.json.id}`);
    return;
  }
  const named = { name: 'Enter the group\'s name', kind: 'Choose the schools in the group', facilitator: 'Enter who facilitates the group' };
  showErrors(form, problemsOf(res.json).map((p) => ({
    field: p.field === 'facilitator_person_id' ? 'facilitator_email' : p.field,
    message: p.field === 'name' && res.status === 409 ? p.message : (named[p.field] ?? p.message),
  })));
});

main();
