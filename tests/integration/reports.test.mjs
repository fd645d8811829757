// The impact reports over a known imported history (agencies of an area
// of their own), every figure checked against SciPy
// (tests/reference/reports_reference.py) to 1e-9; roles; CSV; the
// suppression of small numbers for reviewers, lifted for coordinators.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
  assert.equal(lines[0], 'agency,2012/13,2013/14,2014/15,2015/16,total,trend_slope,trend_p,trend');
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
  assert.match(csv.text, /^agency,sector,booked,places,no_show,no_show_rate,/);
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
  assert.match(csv.text, /^Will improve their practice,suppressed\r$/m);
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
  assert.match(html.text, /annual report 2015\/16/);
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
