// The impact reports over a known imported history (agencies of an area
// of their own), every figure checked against SciPy
// (tests/reference/reports_reference.py) to 1e-9; roles; CSV; the
// suppression of small numbers for reviewers, lifted for coordinators.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, assertError, login, as, request } from './http.mjs';
import { makeArea, historyRows, toCsv, importHistory } from './history.mjs';

const YEARS = [2012, 2013, 2014, 2015];
let area, agencies, rows, coordinator, reviewer;

function reference(input) {
  return JSON.parse(execFileSync('/usr/bin/python3', ['tests/reference/reports_reference.py'],
    { input: JSON.stringify(input), encoding: 'utf8' }));
}

function close(actual, expected, what) {
  assert.ok(typeof actual === 'number', `${what}: ${actual}`);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} against ${expected}`);
}

const fyOf = (date) => {
  const [y, m] = date.split('-').map(Number);
  return m >= 4 ? y : y - 1;
};

// Each person's first row on a session counts (the import's rule).
function places() {
  const seen = new Map();
  for (const r of rows) {
    const k = `${r.course_code}|${r.session_date}|${r.email}`;
    if (!seen.has(k)) seen.set(k, r);
  }
  return [...seen.values()];
}

before(async () => {
  coordinator = await login('coordinator@demo.example');
  reviewer = await login('reviewer@demo.example');
  ({ area, agencies } = makeArea('REP'));
  sql(`UPDATE agencies SET name = '=' || name WHERE id = ${agencies[0].id}`);
  agencies[0].name = `=${agencies[0].name}`;
  // Agency 2 grows by 12 places a year: a significant rise.
  rows = historyRows({ tag: 'rep', agencies, years: YEARS, perYear: 15, trend: [0, 12, 0], seed: 2016 });
  const res = await importHistory(coordinator, toCsv(rows));
  assert.equal(res.status, 200, res.text);
});

test('attendance by agency and sector: counts, totals and trends as SciPy has them', async () => {
  const q = `from_year=2012/13&to_year=2015/16&area=${encodeURIComponent(area)}`;
  const res = await as(reviewer, `/api/v1/reports/attendance?${q}&by=agency`);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.years, ['2012/13', '2013/14', '2014/15', '2015/16']);
  const taken = places().filter((r) => ['attended', 'partial'].includes(r.status));
  const expected = agencies.map((a) => YEARS.map((y) => taken.filter((r) => r.agency === a.name
    && fyOf(r.session_date) === y).length));
  const ref = reference({ years: YEARS, trends: expected });
  assert.equal(res.json.rows.length, agencies.length);
  for (const [i, a] of agencies.entries()) {
    const row = res.json.rows.find((r) => r.key === String(a.id));
    assert.ok(row, a.name);
    assert.equal(row.label, a.name);
    assert.deepEqual(row.counts, expected[i]);
    assert.equal(row.total, expected[i].reduce((s, x) => s + x, 0));
    close(row.trend.slope, ref.trends[i].slope, `${a.name} slope`);
    close(row.trend.p, ref.trends[i].p, `${a.name} p`);
    const direction = ref.trends[i].p < 0.05 ? (ref.trends[i].slope > 0 ? 'up' : 'down') : 'flat';
    assert.equal(row.trend.direction, direction);
  }
  assert.equal(res.json.rows.find((r) => r.key === String(agencies[1].id)).trend.direction, 'up');
  assert.deepEqual(res.json.totals, YEARS.map((_, j) => expected.reduce((s, e) => s + e[j], 0)));

  // By sector, named for people; seminars left out when asked.
  const sector = await as(reviewer, `/api/v1/reports/attendance?${q}&by=sector&exclude_formats=seminar`);
  assert.equal(sector.status, 200, sector.text);
  assert.deepEqual(sector.json.excluded_formats, ['seminar']);
  const health = sector.json.rows.find((r) => r.key === 'health');
  assert.equal(health.label, 'Health');
  assert.deepEqual(health.counts, YEARS.map((y) => taken.filter((r) => r.agency === agencies[0].name
    && r.format !== 'seminar' && fyOf(r.session_date) === y).length));

  // CSV: the same figures, safe to open in a spreadsheet.
  const csv = await as(reviewer, `/api/v1/reports/attendance?${q}&by=agency&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'Agency,2012/13,2013/14,2014/15,2015/16,Total,Trend (places a year),Trend p-value,Trend');
  assert.ok(lines.some((l) => l.startsWith(`"'${agencies[0].name}",${expected[0].join(',')},`)), csv.text);
  assert.match(lines.at(-1), /^Total,/);
  // The trend in words, as the page says it.
  assert.ok(lines.some((l) => l.startsWith(`${agencies[1].name},`) && l.endsWith(',Rising')), csv.text);
  assert.ok(lines.slice(1, -1).every((l) => /,(Rising|Falling|No clear trend)$/.test(l)), csv.text);
});

test('agencies: no-show rates with Wilson intervals and the chi-square test', async () => {
  const res = await as(reviewer, `/api/v1/reports/agencies?year=2014/15&area=${encodeURIComponent(area)}`);
  assert.equal(res.status, 200, res.text);
  const year = places().filter((r) => fyOf(r.session_date) === 2014);
  const counts = agencies.map((a) => {
    const mine = year.filter((r) => r.agency === a.name);
    return { shows: mine.filter((r) => ['attended', 'partial'].includes(r.status)).length,
      noshows: mine.filter((r) => r.status === 'no_show').length };
  });
  const ref = reference({ proportions: counts.map((c) => [c.noshows, c.shows + c.noshows]),
    chisq: [counts.map((c) => c.noshows), counts.map((c) => c.shows)] });
  for (const [i, a] of agencies.entries()) {
    const row = res.json.rows.find((r) => r.agency_id === a.id);
    assert.equal(row.places, counts[i].shows);
    for (const k of ['rate', 'lower', 'upper']) close(row.no_show_rate[k], ref.proportions[i][k], `${a.name} ${k}`);
  }
  close(res.json.chi_square.statistic, ref.chisq.statistic, 'chi-square');
  close(res.json.chi_square.p, ref.chisq.p, 'chi-square p');
  assert.equal(res.json.chi_square.df, ref.chisq.df);
  const csv = await as(reviewer, `/api/v1/reports/agencies?year=2014/15&area=${encodeURIComponent(area)}&format=csv`);
  assert.match(csv.text, /^Agency,Sector,Booked,Places taken up,No-shows,No-show rate \(%\),/);
  // Each agency's rate as the JSON's, a percentage to one place.
  const byName = new Map(res.json.rows.map((r) => [r.name, r]));
  for (const line of csv.text.trim().split('\r\n').slice(1)) {
    const f = line.split(',');
    const r = byName.get(f[0].replace(/^"'?|"$/g, ''));
    assert.ok(r, line);
    assert.equal(f[5], r.no_show_rate.rate === null ? '' : (100 * r.no_show_rate.rate).toFixed(1), line);
  }
});

test('courses: places and rates per course for the year', async () => {
  const res = await as(reviewer, `/api/v1/reports/courses?year=2013/14&area=${encodeURIComponent(area)}`);
  assert.equal(res.status, 200, res.text);
  const year = places().filter((r) => fyOf(r.session_date) === 2013);
  for (const code of new Set(year.map((r) => r.course_code))) {
    const mine = year.filter((r) => r.course_code === code);
    const row = res.json.rows.find((r) => r.code === code);
    assert.ok(row, code);
    assert.equal(row.attended, mine.filter((r) => r.status === 'attended').length);
    assert.equal(row.no_show, mine.filter((r) => r.status === 'no_show').length);
    const due = mine.filter((r) => ['attended', 'partial', 'no_show'].includes(r.status)).length;
    const [ref] = reference({ proportions: [[row.no_show, due]] }).proportions;
    close(row.no_show_rate.rate, ref.rate, `${code} no-show`);
    close(row.no_show_rate.upper, ref.upper, `${code} no-show upper`);
    assert.ok(['Full day', 'Seminar', 'Half day'].includes(row.format), row.format);
  }
});

test('evaluation: figures as SciPy has them, of released steps only; no role exempt', async () => {
  // Same-day forms, given on the day, for the attended places of three
  // sessions of 2015/16 of three courses, topped up to 8, 3 and 6 people
  // of the area who attended. The session of 3 never makes a step of
  // five: its answers count nowhere.
  const sessions = sql(`SELECT DISTINCT ON (c.code) s.id, c.code FROM bookings b
      JOIN people p ON p.id = b.person_id JOIN agencies a ON a.id = p.agency_id
      JOIN sessions s ON s.id = b.session_id JOIN courses c ON c.id = s.course_id
     WHERE a.area = '${area}' AND b.status = 'attended'
       AND s.starts_at >= '2015-04-01' AND s.starts_at < '2016-04-01'
     ORDER BY c.code, s.id`);
  assert.ok(sessions.length >= 3, JSON.stringify(sessions));
  const chosen = sessions.slice(0, 3).map(([session, code], k) => ({ session, code, n: [8, 3, 6][k] }));
  for (const c of chosen) {
    sql(`INSERT INTO bookings (session_id, person_id, status, confirmed_at, attendance_at)
         SELECT ${c.session}, p.id, 'attended', s.starts_at, s.ends_at
           FROM people p JOIN agencies a ON a.id = p.agency_id, sessions s
          WHERE a.area = '${area}' AND s.id = ${c.session}
            AND NOT EXISTS (SELECT 1 FROM bookings x WHERE x.session_id = s.id AND x.person_id = p.id)
          ORDER BY p.id LIMIT greatest(0, ${c.n} - (SELECT count(*) FROM bookings
            WHERE session_id = ${c.session} AND status = 'attended'))`);
  }
  const overall = [];
  const improved = [];
  const values = [];
  let i = 0;
  for (const c of chosen) {
    const ids = sql(`SELECT id FROM bookings WHERE session_id = ${c.session}
                       AND status = 'attended' ORDER BY id LIMIT ${c.n}`).map((r) => r[0]);
    for (const id of ids) {
      const o = 1 + ((i * 7) % 5);
      if (c.n >= 5) {
        overall.push(o);
        improved.push(i % 3 ? 1 : 0);
      }
      values.push(`(${c.session}, ${id}, 'online', ${o}, '${i % 3 ? 'yes' : 'unsure'}',
        (SELECT starts_at FROM sessions WHERE id = ${c.session}))`);
      i += 1;
    }
  }
  // One statement, as the forms of a closed window are when it closes.
  sql(`INSERT INTO evaluations (session_id, booking_id, source, rating_overall, improve_safeguarding, submitted_at)
       VALUES ${values.join(', ')}`);
  const released = overall.length;
  const q = `/api/v1/reports/evaluation?year=2015/16&area=${encodeURIComponent(area)}&by=course`;
  const mine = await as(coordinator, q);
  assert.equal(mine.status, 200, mine.text);
  const ref = reference({ means: [overall], proportions: [[improved.filter((x) => x).length, improved.length]] });
  const m = mine.json.same_day.ratings.overall;
  close(m.mean, ref.means[0].mean, 'mean');
  close(m.lower, ref.means[0].lower, 'mean lower');
  close(m.upper, ref.means[0].upper, 'mean upper');
  close(mine.json.same_day.improve_safeguarding.yes.rate, ref.proportions[0].rate, 'improve');
  // Rows of released forms only: the session of 3 is in no row.
  const shown = chosen.filter((c) => c.n >= 5);
  assert.deepEqual(mine.json.rows.map((r) => [r.suppressed, r.respondents]).sort(),
    shown.map((c) => [false, c.n]).sort());
  assert.equal(mine.json.same_day.respondents, released);
  // Completion counts every form, the held-back three too.
  assert.equal(mine.json.completion.same_day.k, 17);

  // A reviewer sees what a coordinator sees.
  const theirs = await as(reviewer, q);
  assert.equal(theirs.status, 200, theirs.text);
  assert.deepEqual(theirs.json.rows, mine.json.rows);
  assert.deepEqual(theirs.json.same_day, mine.json.same_day);

  // The small session's course alone: nothing of its answers, to anyone.
  const one = `/api/v1/reports/evaluation?year=2015/16&area=${encodeURIComponent(area)}&course_id=${
    sql(`SELECT id FROM courses WHERE code = '${chosen.find((c) => c.n === 3).code}'`)[0][0]}`;
  for (const who of [reviewer, coordinator]) {
    const few = (await as(who, one)).json;
    // How many forms came in, but no answer of them.
    assert.deepEqual(Object.keys(few.same_day).sort(), ['completion', 'forms', 'respondents', 'suppressed']);
    assert.equal(few.same_day.suppressed, true);
    assert.equal(few.completion.same_day.k, 3);
    for (const k of ['sustained', 'applied', 'manager_confirmed', 'manager_self_reported']) {
      assert.deepEqual(few[k], { suppressed: true }, k);
    }
  }
  // The CSV has no more than the JSON.
  const csv = await as(reviewer, `${one}&format=csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.text, /^Will improve their practice,,,,,Too few answers to show\r$/m);
});

test('the annual report: every table of the year, and a printable page', async () => {
  const res = await as(reviewer, `/api/v1/reports/annual?year=2015/16&area=${encodeURIComponent(area)}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.year, '2015/16');
  for (const k of ['attendance_by_agency', 'attendance_by_sector', 'courses', 'agencies', 'evaluation', 'coverage']) {
    assert.ok(res.json[k], k);
  }
  assert.deepEqual(res.json.attendance_by_agency.years, ['2012/13', '2013/14', '2014/15', '2015/16']);
  const html = await as(reviewer, `/api/v1/reports/annual?year=2015/16&area=${encodeURIComponent(area)}&format=html`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.text, /<h1[^>]*>Annual training report 2015\/16<\/h1>/);
  assert.match(html.text, /data-partnership="Safeguarding Children Partnership" data-period="1 April 2015 to 31 March 2016"/);
  // Dates as people write them, in captions too.
  assert.match(html.text, /trained for their group on 31 March 2016</);
  assert.doesNotMatch(html.text.replace(/<[^>]*>/g, ' '), /\d{4}-\d\d-\d\d/);
  assert.ok(html.text.includes('&lt;') === false || !html.text.includes('<script>'));
  assert.match(html.text, /data-chart=/);
  assert.doesNotMatch(html.text, />G[1-6]</);
  assert.doesNotMatch(html.text, /half_day|full_day/);
});

test('reports: reviewers and coordinators only; bad filters named', async () => {
  const practitioner = await login('practitioner@demo.example');
  for (const r of ['attendance', 'courses', 'agencies', 'evaluation', 'annual']) {
    assertError(await as(practitioner, `/api/v1/reports/${r}`), 403, 'forbidden');
    assertError(await request(`/api/v1/reports/${r}`), 401);
  }
  const fields = assertError(await as(reviewer, '/api/v1/reports/attendance?from_year=2016/7&by=colour&exclude_formats=picnic&agency_id=x&format=pdf'), 422);
  assert.deepEqual(Object.keys(fields).sort(), ['agency_id', 'by', 'exclude_formats', 'format', 'from_year']);
  assertError(await as(reviewer, '/api/v1/reports/courses?year=2016/18'), 422);
});

test('a year is its label, 2014/15, or the year it starts in, 2014; other forms are named', async () => {
  const q = `area=${encodeURIComponent(area)}`;
  for (const r of ['courses', 'agencies', 'evaluation', 'annual']) {
    const label = await as(reviewer, `/api/v1/reports/${r}?year=2014/15&${q}`);
    const start = await as(reviewer, `/api/v1/reports/${r}?year=2014&${q}`);
    assert.equal(label.status, 200, label.text);
    assert.deepEqual(start.json, label.json, r);
    for (const wrong of ['2014/16', '2014/5', 'abc', '14/15', '2014-15']) {
      const f = assertError(await as(reviewer, `/api/v1/reports/${r}?year=${encodeURIComponent(wrong)}&${q}`), 422);
      assert.deepEqual(Object.keys(f), ['year'], `${r} year=${wrong}`);
    }
  }
  const label = await as(reviewer, `/api/v1/reports/attendance?from_year=2012/13&to_year=2015/16&${q}`);
  const start = await as(reviewer, `/api/v1/reports/attendance?from_year=2012&to_year=2015&${q}`);
  assert.equal(label.status, 200, label.text);
  assert.deepEqual(start.json, label.json);
  const f = assertError(await as(reviewer, '/api/v1/reports/attendance?from_year=2012/14&to_year=abc'), 422);
  assert.deepEqual(Object.keys(f).sort(), ['from_year', 'to_year']);
  assertError(await as(reviewer, '/api/v1/reports/annual?format=csv'), 422);
  assertError(await as(reviewer, '/api/v1/reports/annual', { method: 'POST', body: {} }), 405);
});

test('paper forms count under a person filter when every attendee of their session falls within it; otherwise not attributable', async () => {
  const sessions = sql(`SELECT s.id, s.course_id, count(*) FROM sessions s
      JOIN bookings b ON b.session_id = s.id JOIN people p ON p.id = b.person_id
      JOIN agencies a ON a.id = p.agency_id
     WHERE a.area = '${area}' AND b.status IN ('attended', 'partial')
       AND s.starts_at >= '2014-04-01' AND s.starts_at < '2015-04-01'
     GROUP BY s.id ORDER BY count(*) DESC, s.id`).map(([id, course, n]) => ({ id, course, n: Number(n) }));
  assert.ok(sessions.length > 3);
  // Anonymous paper forms for most attended places, by session only.
  let forms = 0;
  let places = 0;
  const values = [];
  for (const s of sessions) {
    s.k = s.n > 1 ? s.n - 1 : s.n;
    forms += s.k;
    places += s.n;
    for (let i = 0; i < s.k; i++) {
      values.push(`(${s.id}, 'paper', 4, (SELECT starts_at FROM sessions WHERE id = ${s.id}))`);
    }
  }
  sql(`INSERT INTO evaluations (session_id, source, rating_overall, submitted_at) VALUES ${values.join(', ')}`);
  const completion = async (q) => {
    const res = await as(reviewer, `/api/v1/reports/evaluation?year=2014/15${q}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const { course } = sessions[0];
  const courseForms = sessions.filter((s) => s.course === course);
  const byCourse = await completion(`&course_id=${course}`);
  const byCourseArea = await completion(`&course_id=${course}&area=${encodeURIComponent(area)}`);
  const want = [courseForms.reduce((t, s) => t + s.k, 0), courseForms.reduce((t, s) => t + s.n, 0)];
  assert.deepEqual([byCourse.completion.same_day.k, byCourse.completion.same_day.n], want);
  assert.deepEqual([byCourseArea.completion.same_day.k, byCourseArea.completion.same_day.n], want);
  const inArea = await completion(`&area=${encodeURIComponent(area)}`);
  assert.deepEqual([inArea.completion.same_day.k, inArea.completion.same_day.n], [forms, places]);
  assert.equal(inArea.places.not_attributable, 0);

  // Someone of another area attends the largest session: under the area
  // its forms and places leave the figures, and the answer says so.
  const big = sessions[0];
  sql(`INSERT INTO bookings (session_id, person_id, status, confirmed_at, attendance_at)
       SELECT ${big.id}, p.id, 'attended', s.starts_at, s.ends_at
         FROM people p JOIN agencies a ON a.id = p.agency_id, sessions s
        WHERE a.area <> '${area}' AND s.id = ${big.id} ORDER BY p.id LIMIT 1`);
  const mixed = await completion(`&area=${encodeURIComponent(area)}`);
  assert.deepEqual([mixed.completion.same_day.k, mixed.completion.same_day.n],
    [forms - big.k, places - big.n]);
  assert.equal(mixed.places.not_attributable, big.n);
  // Without the filter every form and place counts.
  const whole = await completion(`&course_id=${course}`);
  assert.deepEqual([whole.completion.same_day.k, whole.completion.same_day.n], [want[0], want[1] + 1]);
});

// One convention for every report's CSV (csv_out_report() in app/csv.c):
// UTF-8 with a byte order mark, CRLF line ends, a header row in words,
// counts whole and rates as percentages to one decimal place.
test('every report CSV opens in a spreadsheet with plain-English headers', async () => {
  const [[school]] = sql("SELECT min(id) FROM agencies WHERE sector = 'education'");
  const q = `area=${encodeURIComponent(area)}`;
  const reports = [
    [`/api/v1/reports/attendance?${q}&by=sector&format=csv`, 'Sector,2012/13,2013/14,2014/15,2015/16,Total,Trend (places a year),Trend p-value,Trend'],
    [`/api/v1/reports/courses?year=2014/15&${q}&format=csv`, 'Course code,Course,Format,Sessions,Places offered,Booked,Attended,Partly attended,No-shows,Late cancellations,Most on the waitlist,Same-day forms,Fill rate (%),Fill rate: lower 95% limit (%),Fill rate: upper 95% limit (%),Attendance rate (%),Attendance rate: lower 95% limit (%),Attendance rate: upper 95% limit (%),No-show rate (%),No-show rate: lower 95% limit (%),No-show rate: upper 95% limit (%),Late cancellation rate (%),Late cancellation rate: lower 95% limit (%),Late cancellation rate: upper 95% limit (%),Same-day forms of places attended (%),Same-day forms of places attended: lower 95% limit (%),Same-day forms of places attended: upper 95% limit (%),Overall rating (1 to 5),Overall rating: lower 95% limit,Overall rating: upper 95% limit,Knowledge impact score,Confidence impact score'],
    [`/api/v1/reports/agencies?year=2014/15&${q}&format=csv`, 'Agency,Sector,Booked,Places taken up,No-shows,No-show rate (%),No-show rate: lower 95% limit (%),No-show rate: upper 95% limit (%)'],
    [`/api/v1/reports/evaluation?year=2016/17&format=csv`, 'Measure,Out of,Per cent (%),Lower 95% limit (%),Upper 95% limit (%),Note'],
    [`/api/v1/agencies/${school}/coverage?as_of=2017-03-31&format=csv`, 'Group level,Staff counted from,Staff,Trained,Still to train,Coverage (%),Coverage: lower 95% limit (%),Coverage: upper 95% limit (%),Lapsing in 90 days,Expired,Never trained,Sessions needed'],
    [`/api/v1/agencies/${school}/coverage?as_of=2017-03-31&format=csv&table=people`, 'Full name,Job title,Group level,Last trained on,Expires on,Status', coordinator],
    ['/api/v1/reports/coverage?as_of=2017-03-31&sector=education&format=csv', 'Setting,Group level,Staff counted from,Staff,Trained,Still to train,Coverage (%),Coverage: lower 95% limit (%),Coverage: upper 95% limit (%),Lapsing in 90 days,Expired,Never trained,Sessions needed'],
    ['/api/v1/reports/training-needs?from=2016-04-01&to=2017-03-31&format=csv', 'Group level,Never trained,Expired,Expiring,People to train,Places scheduled,Places short,Sessions needed'],
    ['/api/v1/reports/supervision?year=2016/17&format=csv', 'Name,Setting,Groups,Meetings held while a member,Attended,Apologies,Absent,Last attended,Attended this term,Training,Training expires,No supervision this term,Training lapsed'],
    ['/api/v1/reports/supervision?year=2016/17&format=csv&table=groups', 'Group,Schools,Facilitator,Autumn meetings,Spring meetings,Summer meetings,Terms without a meeting,Present,Expected,Attendance rate (%),Attendance rate: lower 95% limit (%),Attendance rate: upper 95% limit (%)'],
  ];
  for (const [path, header, who = reviewer] of reports) {
    const res = await as(who, path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8', path);
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="[a-z0-9-]+\.csv"$/, path);
    assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${path}: byte order mark`);
    assert.ok(res.text.endsWith('\r\n'), path);
    assert.doesNotMatch(res.text.replace(/\r\n/g, ''), /[\r\n]/, `${path}: a bare CR or LF`);
    const lines = res.text.slice(0, -2).split('\r\n');
    assert.equal(lines[0], header, path);
    assert.ok(lines.length > 1, `${path}: no rows`);
    const rows = lines.slice(1).join('\n');
    // No long fractions, no fractions of 1 where a percentage is meant.
    assert.doesNotMatch(rows, /\d\.\d{4,}/, `${path}: ${rows.slice(0, 300)}`);
    assert.doesNotMatch(rows, /NaN|null|undefined|Infinity/, path);
    // A percentage column holds percentages (0 to 100, one decimal place).
    const cols = header.split(',');
    for (const line of lines.slice(1)) {
      const f = [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]);
      assert.equal(f.length, cols.length, `${path}: ${line}`);
      cols.forEach((c, i) => {
        if (c.endsWith('(%)') && f[i] !== '') {
          assert.match(f[i], /^\d{1,3}\.\d$/, `${path}: ${c} = ${f[i]}`);
          assert.ok(Number(f[i]) <= 100, `${path}: ${c} = ${f[i]}`);
        }
      });
    }
  }
});

// The annual report as a PDF: Chromium, in the printer process Kore's
// parent starts (app/printer.c), prints the report's document: A4
// portrait, the partnership's name, the report and its period at the head
// of every page and "Page n of m" at its foot, the charts drawn.
test('the annual report as a PDF: A4, every page headed and numbered', async () => {
  const res = await as(reviewer, '/api/v1/reports/annual?year=2016/17&format=pdf');
  assert.equal(res.status, 200, res.text.slice(0, 300));
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="annual-training-report-2016-17.pdf"');
  assert.equal(res.bytes.subarray(0, 5).toString(), '%PDF-');
  const dir = mkdtempSync('/tmp/portal-pdf.');
  try {
    const file = join(dir, 'annual.pdf');
    writeFileSync(file, res.bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/, info);
    const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
    assert.ok(pages.length >= 4, `${pages.length} pages`);
    pages.forEach((text, i) => {
      assert.match(text, /Safeguarding Children Partnership/, `page ${i + 1}`);
      assert.match(text, /Annual training report 2016\/17, 1 April 2016 to 31 March 2017/, `page ${i + 1}`);
      assert.match(text, new RegExp(`Page ${i + 1} of ${pages.length}`), `page ${i + 1}`);
    });
    assert.match(pages.join('\n'), /Courses delivered in 2016\/17/);
    assert.doesNotMatch(pages.join('\n'), /\d{4}-\d\d-\d\d/, 'dates as people write them');
    // The charts are drawn (each is an image on its page).
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').length - 2;
    assert.ok(images >= 4, `${images} charts`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Printing leaves the request path (a task waits for the printer):
  // while a PDF is being made, the workers answer others at once.
  let printing = true;
  const pdf = as(reviewer, '/api/v1/reports/annual?year=2016/17&format=pdf').finally(() => { printing = false; });
  await new Promise((r) => setTimeout(r, 300));
  const waits = [];
  for (let i = 0; i < 8 && printing; i++) {
    const t0 = Date.now();
    const h = await request('/api/v1/courses', { headers: { connection: 'close' } });
    assert.equal(h.status, 200);
    waits.push([Date.now() - t0, printing]);
  }
  assert.equal((await pdf).status, 200);
  const during = waits.filter(([, p]) => p).map(([ms]) => ms);
  assert.ok(during.length > 0, `a request waited until the PDF was made (${waits.map(([ms]) => ms)} ms)`);
  assert.ok(Math.max(...during) < 1500, `others waited ${during} ms while the PDF was made`);
  assertError(await as(reviewer, '/api/v1/reports/annual?year=2016/17&format=docx'), 422);
  assertError(await request('/api/v1/reports/annual?year=2016/17&format=pdf'), 401);
});
