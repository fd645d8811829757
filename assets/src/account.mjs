// The signed-in person's account; sign out (DELETE /api/v1/session).
import { me, api } from '/assets/api.mjs';

const ROLES = { practitioner: 'Practitioner', trainer: 'Trainer',
  setting_lead: 'Setting lead', reviewer: 'Training sub-group reviewer',
  coordinator: 'Coordinator' };

async function main() {
  const account = await me();
  if (!account) {
    window.location.assign('/sign-in');
    return;
  }
  for (const key of ['full_name', 'email', 'job_title', 'group_level']) {
    document.getElementById(key).textContent = account[key] ?? '';
  }
  document.getElementById('roles').textContent = account.roles.map((r) => ROLES[r] ?? r).join(', ');
  if (account.setting_lead_agency_id) document.getElementById('staff-link').classList.remove('portal-hidden');
  if (account.roles.includes('trainer')) document.getElementById('teaching-link').classList.remove('portal-hidden');
  if (account.roles.includes('coordinator')) document.getElementById('programme-link').classList.remove('portal-hidden');
  document.getElementById('loading').remove();
  for (const id of ['details', 'links', 'sign-out']) document.getElementById(id).classList.remove('portal-hidden');
}

document.getElementById('sign-out').addEventListener('submit', async (event) => {
  event.preventDefault();
  await api('DELETE', '/api/v1/session');
  window.location.assign('/sign-in?signed-out=1');
});

main();
