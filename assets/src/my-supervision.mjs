// A DSL's own supervision: groups, meetings with their attendance, the
// next date; a setting lead also sees their setting's DSLs' attendance.
import { api, pageAccount } from '/assets/api.mjs';
import { ATTENDANCE, TOPICS, FLAGS, TRAINING, day, table, link } from '/assets/supervision-ui.mjs';

async function main() {
  if (!(await pageAccount())) return;
  const res = await api('GET', '/api/v1/me/supervision');
  document.getElementById('loading').remove();
  const s = res.json ?? { groups: [], meetings: [] };
  if (s.groups.length) {
    document.getElementById('next').textContent = day(s.next_date);
    for (const k of ['attended', 'apologies', 'absent']) document.getElementById(k).textContent = String(s[k]);
    document.getElementById('groups').replaceChildren(table(null, ['Group', 'Facilitated by', 'Joined', 'Left'],
      s.groups.map((g) => [g.name, g.facilitator, day(g.joined_on), g.left_on ? day(g.left_on) : 'Still a member'])));
    document.getElementById('meetings').replaceChildren(table(null, ['Date', 'Group', 'You were', 'Covered'],
      s.meetings.map((m) => [link(`/supervision/meeting?id=${m.id}`, day(m.held_on)), m.group,
        ATTENDANCE[m.status], m.topics.map((t) => TOPICS[t]).join(', ')])));
    document.getElementById('mine').classList.remove('portal-hidden');
  } else {
    document.getElementById('none').classList.remove('portal-hidden');
  }
  if (s.setting) {
    document.getElementById('setting-term').textContent =
      `Attendance this school year; "this term" is the ${s.setting.term.name} term (${day(s.setting.term.starts_on)} to ${day(s.setting.term.ends_on)}).`;
    document.getElementById('setting-table').replaceChildren(table(null,
      ['Name', 'Groups', 'Meetings held while a member', 'Attended', 'Apologies', 'Last attended', 'Training', 'Needs attention'],
      s.setting.dsls.map((d) => [d.full_name, d.groups ?? 'None', String(d.meetings_held), String(d.attended),
        String(d.apologies), day(d.last_attended), TRAINING[d.training_status] ?? 'Not known',
        d.flags.map((f) => FLAGS[f]).join('; ') || 'No'])));
    document.getElementById('setting').classList.remove('portal-hidden');
  }
}

main();
