// The impact reports for reviewers (the training sub-group) and
// coordinators: places taken up over a range of financial years, the
// evaluations, each course and each agency of one financial year, under
// the same filters. Each report is a table with a chart beside it (the
// table is the accessible form), every rate and mean with its interval
// as the API gives it, and its CSV download following the filters.
import { reportGet, reportForget } from '/assets/gathering.mjs';
import { api, el, fillSelect, showErrors, clearErrors, problemsOf, pageAccount } from '/assets/api.mjs';
import { barChart, lineChart } from '/assets/chart.mjs';
import { names, SECTORS } from '/assets/names.mjs';
import { FORMATS } from '/assets/when.mjs';

const form = document.getElementById('filters');
const FILTERS = ['sector', 'agency_id', 'topic', 'group_level'];
const TREND = { up: 'Rising', down: 'Falling', flat: 'No clear trend' };
const SUPPRESSED = 'Not shown: fewer than 5 answers';
const pc = (x) => `${Math.round(x * 100)}%`;
const num = (x) => (x === null || x === undefined ? '–' : x.toFixed(2));

// "2016/17" for the financial year starting in April 2016.
const fy = (y) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
// The financial year today is in.
function thisYear() {
  const d = new Date();
  return d.getMonth() < 3 ? d.getFullYear() - 1 : d.getFullYear();
}

// A rate with its interval: "82% (5689 of 6983; 95% interval 81% to 82%)",
// or in a table whose heading names the interval, "82% (81% to 82%)".
function rate(p, short = false) {
  if (!p) return '–';
  if (p.suppressed) return SUPPRESSED;
  if (p.rate === null || p.rate === undefined) return `None expected (${p.k ?? 0} of ${p.n ?? 0})`;
  return short ? `${pc(p.rate)} (${pc(p.lower)} to ${pc(p.upper)})`
    : `${pc(p.rate)} (${p.k} of ${p.n}; 95% interval ${pc(p.lower)} to ${pc(p.upper)})`;
}

// A mean with its interval: "4.31 (95% interval 4.29 to 4.33; 5689 answers)",
// or "4.31 (4.29 to 4.33)".
function mean(m, short = false) {
  if (!m) return '–';
  if (m.suppressed) return SUPPRESSED;
  if (m.mean === null || m.mean === undefined || !m.n) return 'No answers';
  if (m.lower === null || m.lower === undefined) return `${num(m.mean)} (${m.n} answers)`;
  return short ? `${num(m.mean)} (${num(m.lower)} to ${num(m.upper)})`
    : `${num(m.mean)} (95% interval ${num(m.lower)} to ${num(m.upper)}; ${m.n} answers)`;
}

// The change from before to after a course: "+0.82 (95% interval 0.79 to
// 0.85; 5689 pairs)", or "+0.82 (0.79 to 0.85)".
function change(d, short = false) {
  if (!d) return '–';
  if (d.suppressed) return SUPPRESSED;
  if (d.mean_diff === null || d.mean_diff === undefined || !d.n) return 'No answers';
  const sign = d.mean_diff > 0 ? '+' : '';
  return short ? `${sign}${num(d.mean_diff)} (${num(d.ci_lower)} to ${num(d.ci_upper)})`
    : `${sign}${num(d.mean_diff)} (95% interval ${num(d.ci_lower)} to ${num(d.ci_upper)}; ${d.n} pairs)`;
}

// A GOV.UK table that becomes cards on a phone: each cell is labelled
// with its column's name (data-label). The first cell of a row heads it.
function table(caption, headings, rows, numeric = () => false) {
  const t = el('table', 'govuk-table portal-table--cards');
  t.append(el('caption', 'govuk-table__caption govuk-table__caption--s', caption));
  const head = el('thead', 'govuk-table__head');
  const hr = el('tr', 'govuk-table__row');
  headings.forEach((h, i) => {
    const th = el('th', `govuk-table__header${numeric(i) ? ' govuk-table__header--numeric' : ''}`, h);
    th.scope = 'col';
    hr.append(th);
  });
  head.append(hr);
  const body = el('tbody', 'govuk-table__body');
  for (const cells of rows) {
    const tr = el('tr', 'govuk-table__row');
    cells.forEach((c, i) => {
      const cell = i === 0 ? el('th', 'govuk-table__header') : el('td', `govuk-table__cell${numeric(i) ? ' govuk-table__cell--numeric' : ''}`);
      if (i === 0) cell.scope = 'row';
      cell.textContent = c ?? '';
      cell.dataset.label = headings[i];
      tr.append(cell);
    });
    body.append(tr);
  }
  t.append(head, body);
  return t;
}

function put(id, ...nodes) {
  document.getElementById(id).replaceChildren(...nodes);
}

function text(id, words) {
  document.getElementById(id).textContent = words;
}

// The chart's box grows with its bars when they run down the page (a
// long name takes two lines).
function tall(id, bars) {
  document.getElementById(id).style.height = `${Math.max(300, bars * 44 + 120)}px`;
}

// An impact score (0 to 100) of a before-and-after change, in words.
function impact(d, suppressed) {
  if (suppressed || d?.suppressed) return SUPPRESSED;
  const score = d?.impact?.score ?? d?.impact_score;
  return score === null || score === undefined ? 'No answers' : String(Math.round(score));
}

// The filters chosen, as the query of each report.
function chosen() {
  const common = new URLSearchParams();
  for (const name of FILTERS) {
    const v = form.elements[name].value;
    if (v) common.set(name, v);
  }
  const exclude = [...form.querySelectorAll('input[name="exclude_formats"]:checked')].map((c) => c.value);
  if (exclude.length) common.set('exclude_formats', exclude.join(','));
  const by = form.elements.by.value;
  const attendance = new URLSearchParams(common);
  attendance.set('from_year', form.elements.from_year.value);
  attendance.set('to_year', form.elements.to_year.value);
  attendance.set('by', by);
  const year = new URLSearchParams(common);
  year.set('year', form.elements.year.value);
  const evaluation = new URLSearchParams(year);
  evaluation.set('by', ['course', 'agency', 'sector'].includes(by) ? by : 'course');
  return { attendance, year, evaluation, all: new URLSearchParams([...attendance, ['year', form.elements.year.value]]) };
}

// A report's figures, once gathered (gathering.mjs says how far it is);
// when older figures come first, the page is drawn again with newer ones.
async function get(path, q) {
  const res = await reportGet(`/api/v1/reports/${path}?${q}`, redraw);
  if (res.status !== 200) throw res;
  return res.json;
}

let redrawing;
function redraw() {
  clearTimeout(redrawing);
  redrawing = setTimeout(load, 200);
}

// The report's CSV download, under the same filters.
function csvLink(path, q) {
  const csv = new URLSearchParams(q);
  csv.set('format', 'csv');
  document.getElementById(`${path}-csv`).href = `/api/v1/reports/${path}?${csv}`;
}

function showAttendance(r, label) {
  const by = document.querySelector(`#by option[value="${r.by}"]`).textContent.toLowerCase();
  text('attendance-title', `Places taken up, by ${by}`);
  const excluded = r.excluded_formats.length
    ? ` Leaving out ${r.excluded_formats.map((f) => FORMATS[f] ?? f).join(', ').toLowerCase()}.` : '';
  text('attendance-summary', `${r.total} places taken up from ${r.years[0]} to ${r.years.at(-1)}: ${TREND[r.trend.direction].toLowerCase()}${r.trend.direction === 'flat' ? '' : ' over the years'} (p = ${num(r.trend.p)}).${excluded}`);
  // The six largest rows as lines over the years (the table has them all).
  const top = [...r.rows].sort((a, b) => b.total - a.total).slice(0, 6);
  lineChart(document.getElementById('attendance-chart'), {
    labels: r.years,
    datasets: top.map((row) => ({ label: label(r.by, row), data: row.counts })),
    title: `Places taken up each year: the ${top.length} largest by ${by}`,
    categoryTitle: 'Financial year (April to March)',
    valueTitle: 'Places taken up',
  });
  const numeric = (i) => i > 0 && i <= r.years.length + 1;
  const trend = (t) => `${TREND[t.direction]}${t.p == null ? '' : ` (p = ${num(t.p)})`}`;
  put('attendance-table', table(`Places taken up each financial year, by ${by}, with the trend`,
    [by[0].toUpperCase() + by.slice(1), ...r.years, 'Total', 'Trend'],
    [...r.rows.map((row) => [label(r.by, row), ...row.counts.map(String), String(row.total), trend(row.trend)]),
      ['All', ...r.totals.map(String), String(r.total), trend(r.trend)]], numeric));
}

function showEvaluation(r, label) {
  const s = r.same_day;
  const p = r.places;
  text('evaluation-summary', `${p.booked} places booked: ${p.attended} attended, ${p.partial} attended in part, ${p.no_show} did not attend, ${p.late_cancelled} cancelled late.`
    + (s.suppressed ? ' The same-day answers are not shown: too few forms count yet (answers count in groups of at least 5, once a session\'s evaluation window has closed).' : ` ${s.respondents} same-day forms (${s.forms.online} online, ${s.forms.paper} on paper).`));
  const ASPECTS = { overall: 'Overall', content: 'Content', delivery: 'Delivery', trainer: 'Trainer', venue: 'Venue' };
  const ratings = s.ratings ?? {};
  const shown = Object.keys(ASPECTS).filter((k) => ratings[k] && !ratings[k].suppressed && ratings[k].mean != null);
  barChart(document.getElementById('evaluation-chart'), {
    labels: shown.map((k) => ASPECTS[k]),
    datasets: [{ label: 'Mean rating (1 to 5)', data: shown.map((k) => Number(num(ratings[k].mean))) }],
    max: 5,
    title: `Mean rating of each part of the courses, ${chosen().year.get('year')}`,
    categoryTitle: 'Part of the course',
    valueTitle: 'Mean rating, 1 (poor) to 5 (excellent)',
  });
  const ANSWERS = { yes: 'Yes', partly: 'Partly', no: 'No', unsure: 'Not sure' };
  const rows = [['Same-day forms returned', rate(s.completion ?? { suppressed: s.suppressed })]];
  for (const k of Object.keys(ASPECTS)) rows.push([`${ASPECTS[k]} rating (1 to 5)`, mean(ratings[k] ?? (s.suppressed ? { suppressed: true } : null))]);
  for (const [k, v] of Object.entries(s.improve_safeguarding ?? {})) rows.push([`Will improve safeguarding practice: ${ANSWERS[k] ?? k}`, rate(v)]);
  for (const [k, v] of Object.entries(s.outcomes_met ?? {})) rows.push([`Learning outcomes met: ${ANSWERS[k] ?? k}`, rate(v)]);
  rows.push(['Knowledge (1 to 10), after the course less before', change(s.knowledge ?? (s.suppressed ? { suppressed: true } : null))]);
  rows.push(['Confidence (1 to 10), after the course less before', change(s.confidence ?? (s.suppressed ? { suppressed: true } : null))]);
  rows.push(['Impact score for knowledge (0 to 100)', impact(s.knowledge, s.suppressed)]);
  rows.push(['Impact score for confidence (0 to 100)', impact(s.confidence, s.suppressed)]);
  const STAGES = { before: 'Forms before the course returned', same_day: 'Same-day forms returned', followup: 'Follow-up forms returned', manager: "Managers' reviews returned" };
  for (const [k, v] of Object.entries(r.completion ?? {})) if (k !== 'same_day') rows.push([STAGES[k] ?? k, rate(v)]);
  rows.push(['Confidence (1 to 10) at follow-up, less before the course', change(r.sustained)]);
  rows.push(['Lasting impact score: confidence at follow-up (0 to 100)', impact(r.sustained, r.sustained?.suppressed)]);
  rows.push(['Applied the learning (follow-up)', rate(r.applied)]);
  rows.push(['Managers who saw practice change (managers named by staff lists)', rate(r.manager_confirmed)]);
  rows.push(['Managers who saw practice change (managers the delegates named themselves)', rate(r.manager_self_reported)]);
  put('evaluation-table', table('What people said, with 95% intervals', ['Measure', 'Result'], rows));
  const code = chosen().evaluation.get('by');
  const by = document.querySelector(`#by option[value="${code}"]`).textContent;
  put('evaluation-groups', table(`Same-day answers by ${by.toLowerCase()}`,
    [by, 'Forms', 'Will improve safeguarding practice (95% interval)', 'Overall rating, 1 to 5 (95% interval)'],
    (r.rows ?? []).map((g) => (g.suppressed
      ? [label(code, g), 'Not shown', 'Not shown', 'Not shown']
      : [label(code, g), String(g.respondents), rate(g.improve_safeguarding, true), mean(g.overall_rating, true)])), (i) => i === 1),
    el('p', 'govuk-body', groupsNote(r, code, by.toLowerCase())));
}

// What the breakdown leaves out, and why, in words.
function groupsNote(r, code, by) {
  const notes = ['Answers count only once a session\'s evaluation window has closed, and only in groups of at least 5 forms, so that nobody can be picked out from what they said.'];
  if (code === 'agency' || code === 'sector') {
    const n = r.rows_not_attributable ?? 0;
    notes.push(`A session's answers count in a row only when everyone who attended it was from that ${by}`
      + (n ? `: ${n} ${n === 1 ? 'form' : 'forms'} from sessions of more than one ${by} ${n === 1 ? 'is' : 'are'} in no row.` : '.'));
  }
  if ((r.rows ?? []).some((g) => g.suppressed)) {
    notes.push('Rows marked "Not shown" would let someone work out a small group\'s answers.');
  }
  return notes.join(' ');
}

function showCourses(r) {
  const rows = r.rows.filter((c) => c.sessions > 0 || c.booked > 0);
  text('courses-summary', rows.length ? `${rows.length} courses ran. The chart shows each course's mean overall rating; the table gives its interval.`
    : 'No course ran in this year under these filters.');
  const rated = rows.filter((c) => c.overall_rating && !c.overall_rating.suppressed && c.overall_rating.mean != null);
  tall('courses-box', rated.length);
  barChart(document.getElementById('courses-chart'), {
    labels: rated.map((c) => c.title),
    datasets: [{ label: 'Mean overall rating (1 to 5)', data: rated.map((c) => Number(c.overall_rating.mean.toFixed(2))) }],
    horizontal: true,
    max: 5,
    title: 'Mean overall rating of each course',
    categoryTitle: 'Course',
    valueTitle: 'Mean overall rating, 1 (poor) to 5 (excellent)',
  });
  put('courses-table', table('Each course: places, attendance and ratings; rates and means with their 95% intervals',
    ['Course', 'Format', 'Sessions', 'Places booked', 'Places filled', 'Did not attend', 'Forms', 'Overall rating, 1 to 5', 'Knowledge gained, 1 to 10'],
    rows.map((c) => [c.title, FORMATS[c.format] ?? c.format, String(c.sessions), String(c.booked), rate(c.fill_rate, true),
      rate(c.no_show_rate, true), String(c.forms), mean(c.overall_rating, true), change(c.knowledge, true)]),
    (i) => i === 2 || i === 3 || i === 6));
}

function showAgencies(r) {
  const x = r.chi_square;
  const differ = x && x.p !== null && x.p < 0.05;
  const test = x && x.p != null && x.statistic != null
    ? `(chi-square ${x.statistic.toFixed(1)} on ${x.df} degrees of freedom, p = ${x.p < 0.001 ? 'under 0.001' : x.p.toFixed(3)}; ${x.n} places across ${x.agencies} agencies)` : '';
  text('agencies-summary', !test ? 'Too few places to compare agencies.'
    : differ ? `Agencies differ in how often their staff do not come: more than chance would explain ${test}. The chart shows the 20 agencies with the highest rates, each with its 95% interval; an agency whose interval lies wholly above another's does worse than it.`
      : `The test found no clear evidence that agencies differ in how often their staff do not come ${test}: the differences between them could be chance. The chart shows the 20 agencies with the highest rates, each with its 95% interval; the intervals overlap, so the order does not single out any agency.`);
  const rows = r.rows.filter((a) => a.booked > 0);
  const worst = rows.filter((a) => a.no_show_rate?.rate != null)
    .sort((a, b) => b.no_show_rate.rate - a.no_show_rate.rate).slice(0, 20);
  tall('agencies-box', worst.length);
  const pct = (v) => Math.round(v * 1000) / 10;
  barChart(document.getElementById('agencies-chart'), {
    labels: worst.map((a) => a.name),
    datasets: [{ label: 'Did not attend (%)', data: worst.map((a) => pct(a.no_show_rate.rate)) },
      { label: '95% interval (%)', data: worst.map((a) => [pct(a.no_show_rate.lower), pct(a.no_show_rate.upper)]),
        backgroundColor: '#b1b4b6' }],
    horizontal: true,
    max: 100,
    title: 'The 20 agencies with the highest rates of places not taken up',
    categoryTitle: 'Agency',
    valueTitle: 'Did not attend, % of places booked',
  });
  put('agencies-table', table('Each agency: places booked and not taken up',
    ['Agency', 'Sector', 'Places booked', 'Places taken up', 'Did not attend (95% interval)'],
    rows.map((a) => [a.name, SECTORS[a.sector] ?? a.sector, String(a.booked), String(a.places), rate(a.no_show_rate, true)]),
    (i) => i === 2 || i === 3));
  return { differ, test, worst };
}

// The key findings at the top of the page, from the same figures as the
// sections below: places and their trend, completion, impact scores, and
// what the agencies' test found.
function showFindings(attendance, evaluation, agencies, year) {
  const s = evaluation.same_day;
  const items = [];
  items.push(`${attendance.total} places taken up from ${attendance.years[0]} to ${attendance.years.at(-1)}: `
    + `${TREND[attendance.trend.direction].toLowerCase()}${attendance.trend.p == null ? '' : ` (p = ${num(attendance.trend.p)})`}.`);
  const done = s.completion;
  if (done && !done.suppressed && done.rate != null) {
    items.push(`In ${year}, ${pc(done.rate)} of the places attended led to a same-day evaluation form (${done.k} of ${done.n}).`);
  }
  const k = impact(s.knowledge, s.suppressed);
  const c = impact(s.confidence, s.suppressed);
  if (/^\d+$/.test(k) && /^\d+$/.test(c)) {
    items.push(`Impact scores: ${k} for knowledge and ${c} for confidence, out of 100.`
      + (/^\d+$/.test(impact(evaluation.sustained)) ? ` Three months on, confidence keeps an impact score of ${impact(evaluation.sustained)}.` : ''));
  }
  if (agencies.test) {
    items.push(agencies.differ
      ? `Agencies differ in how often their staff do not come; the highest rate is ${agencies.worst[0]?.name} (${rate(agencies.worst[0]?.no_show_rate, true)}).`
      : 'No clear evidence that agencies differ in how often their staff do not come to a place they booked.');
  }
  text('findings-for', `For ${year}, and places taken up over the years chosen below.`);
  put('findings', ...items.map((words) => el('li', '', words)));
  document.getElementById('summary').classList.remove('portal-hidden');
}

async function load() {
  reportForget();
  const q = chosen();
  const n = await names();
  // A row's name, never its code.
  const label = (by, row) => (by === 'sector' ? SECTORS[row.key] ?? row.label
    : by === 'group_level' ? n.level(row.key) : by === 'topic' ? n.topic(row.key) : row.label);
  try {
    const [attendance, evaluation, courses, agencies] = await Promise.all([
      get('attendance', q.attendance), get('evaluation', q.evaluation), get('courses', q.year), get('agencies', q.year)]);
    clearErrors(form);
    showAttendance(attendance, label);
    showEvaluation(evaluation, label);
    showCourses(courses);
    showFindings(attendance, evaluation, showAgencies(agencies), q.year.get('year'));
    for (const [path, query] of [['attendance', q.attendance], ['evaluation', q.evaluation], ['courses', q.year],
      ['agencies', q.year]]) csvLink(path, query);
  } catch (res) {
    if (res instanceof Error) throw res;
    showErrors(form, problemsOf(res.json));
    return;
  }
  const annual = new URLSearchParams({ year: form.elements.year.value });
  const a = document.getElementById('annual');
  a.href = `/reports/annual?${annual}`;
  a.textContent = `The annual report for ${form.elements.year.value}`;
  history.replaceState(null, '', `/reports?${q.all}`);
  document.getElementById('loading')?.remove();
  document.getElementById('reports').classList.remove('portal-hidden');
}

// Fill a select from [value, words] pairs.
const options = (select, pairs) => fillSelect(select, pairs.map(([value, label]) => ({ value, label })));

async function main() {
  const account = await pageAccount(['reviewer', 'coordinator'], ['You cannot use this page', 'The training reports are for the training sub-group and coordinators.']);
  if (!account) return;
  const n = await names();
  const now = thisYear();
  const years = Array.from({ length: 20 }, (_, i) => fy(now - i));
  for (const id of ['year', 'from_year', 'to_year']) options(form.elements[id], years.map((y) => [y, y]));
  options(form.elements.sector, Object.entries(SECTORS));
  options(form.elements.topic, [...n.all.topics]);
  options(form.elements.group_level, [...n.all.levels]);
  const agencies = await api('GET', '/api/v1/agencies');
  options(form.elements.agency_id, (agencies.json?.agencies ?? []).map((a) => [String(a.id), a.name]));
  const boxes = document.getElementById('exclude_formats');
  for (const [code, words] of Object.entries(FORMATS)) {
    const item = el('div', 'govuk-checkboxes__item');
    const input = el('input', 'govuk-checkboxes__input');
    input.type = 'checkbox';
    input.name = 'exclude_formats';
    input.value = code;
    input.id = `exclude-${code}`;
    const l = el('label', 'govuk-label govuk-checkboxes__label', words);
    l.htmlFor = input.id;
    item.append(input, l);
    boxes.append(item);
  }
  // The filters of the address (a shared or reloaded page), or the last
  // finished year with places taken up (what a board reviews; this year
  // when there is none) and the three before it.
  const q = new URLSearchParams(window.location.search);
  let last = now;
  if (!q.get('year')) {
    const all = await reportGet(`/api/v1/reports/attendance?${new URLSearchParams({ from_year: years.at(-1), to_year: fy(now), by: 'sector' })}`);
    const found = (all.json?.totals ?? []).slice(0, -1).findLastIndex((n) => n > 0);
    if (found !== -1) last = now - 19 + found;
  }
  form.elements.year.value = q.get('year') ?? fy(last);
  form.elements.from_year.value = q.get('from_year') ?? fy(last - 3);
  form.elements.to_year.value = q.get('to_year') ?? fy(last);
  for (const name of [...FILTERS, 'by']) if (q.get(name)) form.elements[name].value = q.get(name);
  for (const f of (q.get('exclude_formats') ?? '').split(',')) {
    const box = document.getElementById(`exclude-${f}`);
    if (box) box.checked = true;
  }
  await load();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});

main();
