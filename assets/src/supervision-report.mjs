// The supervision report of a school year for reviewers and coordinators:
// meetings per term (chart and table), each group's terms without a
// meeting and attendance rate, and each DSL with the flags that need
// attention first.
import { api, el, showErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { barChart } from '/assets/chart.mjs';
import { KINDS, FLAGS, TRAINING, day, table, rate } from '/assets/supervision-ui.mjs';

const form = document.getElementById('filter');
const TERMS = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };

async function show(year) {
  const res = await api('GET', `/api/v1/reports/supervision${year ? `?year=${year}` : ''}`);
  if (res.status !== 200) {
    showErrors(form, problemsOf(res.json));
    return null;
  }
  const r = res.json;
  document.getElementById('as-of').textContent = `School year ${r.label}, as of ${day(r.as_of)}. This term: ${r.current_term.name} (${day(r.current_term.starts_on)} to ${day(r.current_term.ends_on)}).`;
  document.getElementById('unsupervised').textContent = `${r.summary.no_supervision_this_term} of ${r.summary.dsls}`;
  document.getElementById('lapsed').textContent = `${r.summary.training_lapsed} of ${r.summary.dsls}`;
  document.getElementById('supervised').textContent = rate(r.summary.supervised_this_term);
  document.getElementById('attendance').textContent = rate(r.summary.attendance);
  const begun = r.terms.filter((t) => t.begun);
  barChart(document.getElementById('chart'), {
    labels: begun.map((t) => t.name),
    datasets: r.groups.map((g) => ({ label: g.name, data: begun.map((t) => g.meetings[t.term]) })),
  });
  document.getElementById('terms').replaceChildren(table('Meetings each term, by group',
    ['Group', ...r.terms.map((t) => `${t.name} (${day(t.starts_on)} to ${day(t.ends_on)})`)],
    r.groups.map((g) => [g.name, ...r.terms.map((t) => (t.begun ? String(g.meetings[t.term]) : 'Not begun'))])));
  document.getElementById('groups').replaceChildren(table(null,
    ['Group', 'Schools', 'Facilitated by', 'Meetings', 'Terms without a meeting', 'Attendance'],
    r.groups.map((g) => [g.name, KINDS[g.kind], g.facilitator, String(g.meetings_total),
      g.terms_without_meeting.map((t) => TERMS[t]).join(', ') || 'None', rate(g.attendance)])));
  // DSLs needing attention first.
  const dsls = [...r.dsls].sort((a, b) => b.flags.length - a.flags.length);
  // Nine columns: smaller text and dates without the weekday, so that
  // the whole table fits a desktop screen without scrolling.
  const short = (date) => (date ? new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${date}T12:00:00Z`)) : '–');
  const dslRows = (list) => list.map((d) => {
    const tags = el('span');
    if (!d.flags.length) tags.textContent = 'No';
    for (const f of d.flags) {
      tags.append(el('strong', `govuk-tag ${f === 'training_lapsed' ? 'govuk-tag--red' : 'govuk-tag--orange'}`, FLAGS[f]), ' ');
    }
    return [d.full_name, d.agency ?? '', tags, d.groups ?? 'None', String(d.meetings_held), String(d.attended),
      String(d.apologies), short(d.last_attended), TRAINING[d.training_status] ?? 'Not known'];
  });
  const dslTable = (list, label) => {
    const box = table(null, ['Name', 'Setting', 'Needs attention', 'Groups', 'Meetings while a member', 'Attended',
      'Apologies', 'Last attended', 'Training'], dslRows(list), label);
    box.querySelector('table').classList.add('portal-table--compact');
    return box;
  };
  // Those needing attention in full; the others folded away (a long
  // list of cards on a phone), opened with one click.
  const needing = dsls.filter((d) => d.flags.length);
  const others = dsls.filter((d) => !d.flags.length);
  const parts = [el('p', 'govuk-body', needing.length
    ? `${needing.length} of ${dsls.length} need attention.` : `None of the ${dsls.length} needs attention.`)];
  if (needing.length) parts.push(dslTable(needing, 'Designated Safeguarding Leads needing attention'));
  if (others.length) {
    const details = el('details', 'govuk-details');
    const summary = el('summary', 'govuk-details__summary');
    summary.append(el('span', 'govuk-details__summary-text', `The other ${others.length} DSL${others.length === 1 ? '' : 's'}`));
    const text = el('div', 'govuk-details__text');
    text.append(dslTable(others, 'Designated Safeguarding Leads not needing attention'));
    details.append(summary, text);
    parts.push(details);
  }
  document.getElementById('dsls').replaceChildren(...parts);
  const q = `/api/v1/reports/supervision?year=${r.year}&format=csv`;
  document.getElementById('groups-csv').href = `${q}&table=groups`;
  document.getElementById('dsls-csv').href = q;
  document.getElementById('report').classList.remove('portal-hidden');
  return r;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  await show(form.elements.year.value);
});

async function main() {
  const account = await pageAccount(['reviewer', 'coordinator'], ['You cannot use this page', 'This report is for the training sub-group and coordinators.']);
  if (!account) return;
  const r = await show(new URLSearchParams(window.location.search).get('year'));
  if (!r) return;
  const [, current] = r.current_term.name.split(' ');
  const last = r.current_term.term === 'autumn' ? Number(current) : Number(current) - 1;
  const select = form.elements.year;
  for (let y = last; y >= 2013; y -= 1) {
    const option = el('option', '', `${y}/${String((y + 1) % 100).padStart(2, '0')}`);
    option.value = String(y);
    select.append(option);
  }
  select.value = String(r.year);
}

main();
