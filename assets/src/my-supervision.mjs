// A DSL's own supervision: groups, meetings with their attendance, the
// next date; a setting lead also sees their setting's DSLs' attendance.
import { api, pageAccount } from '/assets/api.mjs';
import { ATTENDANCE, TOPICS, FLAGS, TRAINING, day, table, link, folded } from '/assets/supervision-ui.mjs';

// Meetings shown before "earlier meetings": about a school year's.
const RECENT = 6;

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
    // The latest meetings; the earlier ones folded away.
    const meetingTable = (list, label) => table(null, ['Date', 'Group', 'You were', 'Covered'],
      list.map((m) => [link(`/supervision/meeting?id=${m.id}`, day(m.held_on)), m.group,
        ATTENDANCE[m.status], m.topics.map((t) => TOPICS[t]).join(', ')]), label);
    const latest = [...s.meetings].sort((a, b) => b.held_on.localeCompare(a.held_on));
    const meetings = [meetingTable(latest.slice(0, RECENT), 'Your meetings')];
    if (latest.length > RECENT) {
      meetings.push(folded(`${latest.length - RECENT} earlier meeting${latest.length - RECENT === 1 ? '' : 's'}`,
        meetingTable(latest.slice(RECENT), 'Your earlier meetings')));
    }
    document.getElementById('meetings').replaceChildren(...meetings);
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
