// The account page's links to DSL group supervision: one's own (DSLs and
// setting leads), the groups (coordinators and facilitators), the report
// (reviewers and coordinators).
import { api } from '/assets/api.mjs';

const show = (id) => document.getElementById(id).classList.remove('portal-hidden');

async function main() {
  const account = await api('GET', '/api/v1/me');
  if (account.status !== 200) return;
  const roles = account.json.roles ?? [];
  const [mine, groups] = await Promise.all([api('GET', '/api/v1/me/supervision'),
    api('GET', '/api/v1/supervision/groups')]);
  if (mine.json?.is_dsl || mine.json?.setting) show('my-supervision-link');
  if (roles.includes('coordinator') || (groups.json?.groups ?? []).length) show('supervision-link');
  if (roles.includes('coordinator') || roles.includes('reviewer')) show('supervision-report-link');
}

main();
