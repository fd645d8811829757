// Workforce coverage over HTTP: agencies, imported training records,
// staffing returns, a setting's coverage and the partnership's reports.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql, request, assertError, login, as } from './http.mjs';

const tag = `${process.pid}`;
let coordinator, reviewer, lead, leadAgency;

// A new school with a setting lead and a staff list; returns
// {agency, lead (session), staff: [{email, level}]}.
async function school(name, staff) {
  const made = await as(coordinator, '/api/v1/agencies', { method: 'POST', body: {
    name: `${name} ${tag}`, sector: 'education', area: 'Hackney', phase: 'primary' } });
  assert.equal(made.status, 201, made.text);
  const agency = made.json.id;
  const csv = ['full_name,email,job_title,group_level,is_dsl,manager_email',
    ...staff.map(([email, level], i) => `Person ${i},${email},Teacher,${level},${level === 'G5' ? 'yes' : 'no'},`)]
    .join('\r\n');
  const up = await as(coordinator, `/api/v1/agencies/${agency}/staff`, { method: 'POST',
    headers: { 'content-type': 'text/csv' }, body: csv });
  assert.equal(up.status, 200, up.text);
  return agency;
}

function csvOf(rows) {
  return ['email,course_title,completed_on,group_level,provider,hours', ...rows.map((r) => r.join(','))]
    .join('\r\n');
}

before(async () => {
  coordinator = await login('coordinator@demo.example');
  reviewer = await login('reviewer@demo.example');
  lead = await login('lead@demo.example');
  leadAgency = lead.account.lead_agency_id ?? Number(sql(`SELECT r.agency_id FROM account_roles r
    JOIN people p ON p.id = r.person_id WHERE p.email = 'lead@demo.example' AND r.role = 'setting_lead'`)[0][0]);
});

test('coordinators add agencies; names are unique whatever the case; a phase only for settings', async () => {
  const body = { name: `Ashdown Primary School ${tag}`, sector: 'education', area: 'Hackney', phase: 'primary' };
  const made = await as(coordinator, '/api/v1/agencies', { method: 'POST', body });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual({ ...made.json, id: 0 }, { ...body, id: 0, active: true });
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'agency.create' AND target_id = ${made.json.id}`)[0][0], '1');
  assertError(await as(coordinator, '/api/v1/agencies', { method: 'POST',
    body: { ...body, name: body.name.toUpperCase() } }), 409, 'conflict');
  const bad = assertError(await as(coordinator, '/api/v1/agencies', { method: 'POST',
    body: { name: '', sector: 'health', area: 'Hackney', phase: 'primary', colour: 'red' } }), 422);
  assert.deepEqual(Object.keys(bad).sort(), ['colour', 'name', 'phase']);
  assert.deepEqual(Object.keys(assertError(await as(coordinator, '/api/v1/agencies', { method: 'POST',
    body: { name: 'X', sector: 'bakery', area: '' } }), 422)).sort(), ['area', 'sector']);
  // Others may not.
  assertError(await as(lead, '/api/v1/agencies', { method: 'POST', body }), 403);
  assertError(await request('/api/v1/agencies', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body) }), 401);
});

test('an agency that closes is marked inactive, never deleted, and leaves the lists', async () => {
  const made = await as(coordinator, '/api/v1/agencies', { method: 'POST', body: {
    name: `Closing Nursery ${tag}`, sector: 'early_years', area: 'City of London', phase: 'nursery' } });
  const id = made.json.id;
  const patched = await as(coordinator, `/api/v1/agencies/${id}`, { method: 'PATCH', body: { active: false } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.active, false);
  assert.equal(patched.json.name, `Closing Nursery ${tag}`);
  const open = await request('/api/v1/agencies?sector=early_years&limit=500');
  assert.ok(!open.json.agencies.some((a) => a.id === id));
  const all = await request('/api/v1/agencies?sector=early_years&limit=500&include_inactive=true');
  assert.equal(all.json.agencies.find((a) => a.id === id)?.active, false);
  assert.equal((await request(`/api/v1/agencies/${id}`)).json.active, false);
  // The coordinators' list filters by area and by open or closed.
  const closed = await request('/api/v1/agencies?status=closed&area=City%20of%20London&limit=500');
  assert.equal(closed.status, 200, closed.text);
  assert.ok(closed.json.agencies.some((a) => a.id === id));
  assert.ok(closed.json.agencies.every((a) => !a.active && a.area === 'City of London'));
  const hackney = await request('/api/v1/agencies?status=all&area=Hackney&limit=500');
  assert.ok(hackney.json.agencies.length > 0 && hackney.json.agencies.every((a) => a.area === 'Hackney'));
  assert.ok(!hackney.json.agencies.some((a) => a.id === id));
  assert.ok(closed.json.areas.includes('Hackney') && closed.json.areas.includes('City of London'));
  const opened = await request('/api/v1/agencies?status=open&limit=500');
  assert.ok(opened.json.agencies.every((a) => a.active));
  assert.deepEqual(Object.keys(assertError(await request('/api/v1/agencies?status=shut'), 422)), ['status']);
  // Changing the sector away from early years with a phase is refused.
  assertError(await as(coordinator, `/api/v1/agencies/${id}`, { method: 'PATCH', body: { sector: 'health' } }), 422);
  assertError(await as(coordinator, `/api/v1/agencies/${id}`, { method: 'PATCH', body: { active: 'no' } }), 422);
  assertError(await as(lead, `/api/v1/agencies/${id}`, { method: 'PATCH', body: { active: true } }), 403);
  assertError(await as(coordinator, '/api/v1/agencies/999999999', { method: 'PATCH', body: { active: true } }), 404);
  assert.equal((await as(coordinator, `/api/v1/agencies/${id}`, { method: 'PATCH',
    body: { sector: 'health', phase: null } })).status, 200);
});

test('training records import all or nothing, never doubled, listed and exported', async () => {
  const agency = await school('Import Test School', [[`a.${tag}@example.org`, 'G2'], [`b.${tag}@example.org`, 'G5']]);
  const path = `/api/v1/agencies/${agency}/training-records`;
  const post = (body, who = coordinator) => as(who, path, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
  // Every bad row named, nothing applied.
  const bad = await post(csvOf([
    [`a.${tag}@example.org`, 'In-house safeguarding', '2026-01-05', 'G2', 'The school', '2'],
    [`nobody.${tag}@example.org`, 'In-house safeguarding', '2026-01-05', 'G2', 'The school', ''],
    [`b.${tag}@example.org`, 'DSL refresher', '05/01/2026', 'G9', '', 'lots'],
    [`b.${tag}@example.org`, 'DSL refresher', '2999-01-01', 'G5', 'Another board', ''],
  ]));
  const rows = assertError(bad, 422).rows;
  assert.deepEqual(rows.map((r) => `${r.line}:${r.field}`).sort(),
    ['3:email', '4:completed_on', '4:group_level', '4:hours', '4:provider', '5:completed_on'].sort());
  assert.equal(sql(`SELECT count(*) FROM training_records r JOIN people p ON p.id = r.person_id
    WHERE p.agency_id = ${agency}`)[0][0], '0');
  const unknownLevel = assertError(await post(csvOf([
    [`b.${tag}@example.org`, 'DSL refresher', '2025-01-05', 'G9', 'Another board', '']])), 422).rows;
  assert.deepEqual(unknownLevel.map((r) => `${r.line}:${r.field}`), ['2:group_level']);
  assertError(await post('email,course_title\r\n'), 422);
  assertError(await as(coordinator, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 415);

  // A good file, with a BOM and a repeated line: two records, not three.
  const good = '\ufeff' + csvOf([
    [`A.${tag}@Example.org`, 'In-house safeguarding', '2026-01-05', 'g2', 'The school', '1.5'],
    [`b.${tag}@example.org`, '"DSL refresher, 2 days"', '2025-11-20', 'G5', 'Another board', ''],
    [`b.${tag}@example.org`, '"DSL refresher, 2 days"', '2025-11-20', 'G5', 'Another board', ''],
  ]);
  const ok = await post(good);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { rows: 3, created: 2, unchanged: 1 });
  // The same file again changes nothing.
  assert.deepEqual((await post(good)).json, { rows: 3, created: 0, unchanged: 3 });
  assert.equal(sql(`SELECT count(*) FROM training_records r JOIN people p ON p.id = r.person_id
    WHERE p.agency_id = ${agency} AND r.source = 'import' AND r.agency_id = ${agency}`)[0][0], '2');
  const list = await as(coordinator, path);
  assert.equal(list.json.total, 2);
  assert.deepEqual(list.json.records.map((r) => [r.course_title, r.completed_on, r.group_level, r.hours]),
    [['In-house safeguarding', '2026-01-05', 'G2', 1.5], ['DSL refresher, 2 days', '2025-11-20', 'G5', null]]);
  const csv = await as(coordinator, `${path}?format=csv`);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.equal(csv.text, csvOf([
    [`a.${tag}@example.org`, 'In-house safeguarding', '2026-01-05', 'G2', 'The school', '1.50'],
    [`b.${tag}@example.org`, '"DSL refresher, 2 days"', '2025-11-20', 'G5', 'Another board', ''],
  ]) + '\r\n');
  // The columns and levels as people write them in a spreadsheet.
  const named = await post(['Email,Course title,Completed on,Group level,Provider,Hours',
    `a.${tag}@example.org,Whole-school refresher,2026-02-02,Group 2,The school,`].join('\r\n'));
  assert.equal(named.status, 200, named.text);
  assert.deepEqual(named.json, { rows: 1, created: 1, unchanged: 0 });
  assert.equal(sql(`SELECT l.code FROM training_records r JOIN group_levels l ON l.id = r.group_level_id
    WHERE r.title = 'Whole-school refresher' AND r.agency_id = ${agency}`)[0][0], 'G2');
  // The export sent back doubles nothing.
  assert.equal((await post(csv.text)).json.created, 0);
  // Another setting's lead may neither read nor write.
  assertError(await as(lead, path), 403);
  assertError(await post(good, lead), 403);
});

test('training records travel to the database as COPY text: backslashes, quotes and a tab kept or refused exactly', async () => {
  const agency = await school('Copy Test School', [[`copy.${tag}@example.org`, 'G2']]);
  const path = `/api/v1/agencies/${agency}/training-records`;
  const post = (body) => as(coordinator, path, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
  // Text COPY would misread unless escaped: \N, \t and \n as written,
  // backslashes at the end, quotes of every kind.
  const title = 'C:\\Training\\new "Quotes" ""twice"" \'single\' \\N \\t end\\';
  const provider = '\\N';
  const quoted = (v) => `"${v.replaceAll('"', '""')}"`;
  const row = [`copy.${tag}@example.org`, quoted(title), '2025-10-01', 'G2', provider, ''];
  // A tab is refused at its line and field, the rows around it still
  // checked by the database (the unknown person on line 4).
  const tab = assertError(await post(csvOf([row,
    [`copy.${tag}@example.org`, quoted('In\thouse'), '2025-10-02', 'G2', 'The school', ''],
    [`nobody.copy.${tag}@example.org`, 'X', '2025-10-03', 'G2', 'The school', '']])), 422).rows;
  assert.deepEqual(tab.map((r) => `${r.line}:${r.field}`), ['3:course_title', '4:email']);
  assert.equal(sql(`SELECT count(*) FROM training_records WHERE agency_id = ${agency}`)[0][0], '0');
  const ok = await post(csvOf([row]));
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { rows: 1, created: 1, unchanged: 0 });
  const list = await as(coordinator, path);
  assert.deepEqual(list.json.records.map((r) => [r.course_title, r.provider, r.hours]), [[title, provider, null]]);
  // Sent again: the same record, found and not doubled.
  assert.deepEqual((await post(csvOf([row]))).json, { rows: 1, created: 0, unchanged: 1 });
});

// Wilson 95% intervals from tests/reference (scipy z = norm.ppf(0.975)):
// 2 of 3 and 2 of 10.
const WILSON_2_3 = [0.2076596008020477, 0.9385080552796037];
const WILSON_2_10 = [0.05668215145437519, 0.5098375284633583];
const close = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-9, `${msg}: ${a} is not ${b}`);

test('a setting\'s coverage: N from the staff list, then from its staffing return, with history', async () => {
  const staff = [[`c1.${tag}@example.org`, 'G2'], [`c2.${tag}@example.org`, 'G2'], [`c3.${tag}@example.org`, 'G2'],
    [`c4.${tag}@example.org`, 'G5']];
  const agency = await school('Coverage Test School', staff);
  const today = sql("SELECT (now() AT TIME ZONE 'Europe/London')::date::text")[0][0];
  const recent = sql("SELECT ((now() AT TIME ZONE 'Europe/London')::date - 30)::text")[0][0];
  const old = sql("SELECT ((now() AT TIME ZONE 'Europe/London')::date - 1080)::text")[0][0];
  await as(coordinator, `/api/v1/agencies/${agency}/training-records`, { method: 'POST',
    headers: { 'content-type': 'text/csv' }, body: csvOf([
      [staff[0][0], 'In-house safeguarding', recent, 'G2', 'The school', ''],
      [staff[1][0], 'In-house safeguarding', old, 'G3', 'The school', ''],
      [staff[3][0], 'Group 3 course', recent, 'G3', 'The board', '']]) });
  const path = `/api/v1/agencies/${agency}/coverage`;
  const res = await as(coordinator, path);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.as_of, today);
  assert.equal(res.json.agency.id, agency);
  const g2 = res.json.levels.find((l) => l.code === 'G2');
  // c1 in date, c2 lapsing (1080 days ago: expires within 90 days), c3 never.
  assert.equal(g2.name, 'Group 2');
  assert.deepEqual([g2.n, g2.n_source, g2.trained, g2.required, g2.lapsing, g2.expired, g2.never],
    [3, 'staff_list', 2, 1, 1, 0, 1]);
  close(g2.coverage.rate, 2 / 3, 'rate');
  close(g2.coverage.lower, WILSON_2_3[0], 'lower');
  close(g2.coverage.upper, WILSON_2_3[1], 'upper');
  assert.ok('sessions_needed' in g2 && 'sessions_basis' in g2);
  // The DSL's Group 3 course does not qualify them for Group 5.
  const g5 = res.json.levels.find((l) => l.code === 'G5');
  assert.deepEqual([g5.n, g5.trained, g5.never], [1, 0, 1]);
  const g4 = res.json.levels.find((l) => l.code === 'G4');
  assert.deepEqual([g4.n, g4.coverage, g4.required], [0, null, 0]);
  // People, worst first.
  assert.deepEqual(res.json.people.map((p) => p.status), ['never', 'never', 'lapsing', 'in_date']);

  // A staffing return declares N = 10 for Group 2.
  const put = (body, who = coordinator) => as(who, `/api/v1/agencies/${agency}/staffing-return`,
    { method: 'PUT', body });
  const bad = assertError(await put({ as_of: '31/03/2017', headcount: { G2: -1, G9: 3, G5: 1.5 }, extra: 1 }), 422);
  assert.deepEqual(Object.keys(bad).sort(), ['as_of', 'extra', 'headcount.G2', 'headcount.G5', 'headcount.G9'].sort());
  assert.deepEqual(Object.keys(assertError(await put({ as_of: today, headcount: { G9: 3, G2: 10 } }), 422)),
    ['headcount.G9']);
  assert.equal(sql(`SELECT count(*) FROM staffing_returns WHERE agency_id = ${agency}`)[0][0], '0');
  const first = await put({ as_of: recent, headcount: { G2: 12, G5: 1 } });
  assert.equal(first.status, 200, first.text);
  const second = await put({ as_of: today, headcount: { G2: 10, G5: 1 } });
  assert.equal(second.json.latest.as_of, today);
  assert.deepEqual(second.json.latest.headcount, { G2: 10, G5: 1 });
  assert.deepEqual(second.json.history.map((h) => h.as_of), [today, recent]);
  // The same date again replaces that day's return.
  assert.deepEqual((await put({ as_of: today, headcount: { G2: 10, G5: 1 } })).json.history.length, 2);
  const after = (await as(coordinator, path)).json.levels.find((l) => l.code === 'G2');
  assert.deepEqual([after.n, after.n_source, after.trained, after.required], [10, 'return', 2, 8]);
  close(after.coverage.lower, WILSON_2_10[0], 'lower');
  close(after.coverage.upper, WILSON_2_10[1], 'upper');
  // As of before the first return: the staff list again.
  const before = (await as(coordinator, `${path}?as_of=2020-01-01`)).json.levels.find((l) => l.code === 'G2');
  assert.equal(before.n_source, 'staff_list');
  assertError(await as(coordinator, `${path}?as_of=2020-13-01`), 422);

  // CSV of the table and of the staff.
  const csv = await as(coordinator, `${path}?format=csv`);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.equal(csv.text.split('\r\n')[0], 'Group level,Staff counted from,Staff,Trained,Still to train,Coverage (%),'
    + 'Coverage: lower 95% limit (%),Coverage: upper 95% limit (%),Lapsing in 90 days,Expired,Never trained,'
    + 'Sessions needed');
  assert.match(csv.text, /\r\nGroup 2,Staffing return,10,2,8,20\.0,/);
  assert.doesNotMatch(csv.text, /G2/);
  const people = await as(coordinator, `${path}?format=csv&table=people`);
  assert.equal(people.text.split('\r\n')[0], 'Full name,Job title,Group level,Last trained on,Expires on,Status');
  assert.match(people.text, /,Group 2,\d{4}-\d\d-\d\d,\d{4}-\d\d-\d\d,In date\r\n/);

  // Reviewers see the figures, not the people; other settings' leads nothing.
  const r = await as(reviewer, path);
  assert.equal(r.status, 200);
  assert.equal(r.json.people, undefined);
  assertError(await as(reviewer, `${path}?format=csv&table=people`), 403);
  assertError(await as(lead, path), 403);
  assertError(await as(lead, `/api/v1/agencies/${agency}/staffing-return`), 403);
  assertError(await put({ as_of: today, headcount: { G2: 1 } }, lead), 403);
  assertError(await request(path), 401);
  // The lead of this setting: their own, with people.
  const own = await as(lead, `/api/v1/agencies/${leadAgency}/coverage`);
  assert.equal(own.status, 200, own.text);
  assert.ok(Array.isArray(own.json.people));
});

test('the partnership table: per level and per setting, worst first, filtered, as CSV', async () => {
  const res = await as(reviewer, '/api/v1/reports/coverage?sector=education');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.filters.sector, 'education');
  assert.ok(res.json.settings.length > 0);
  // Only education settings, each with its worst level first, the worst setting first.
  const names = sql("SELECT name FROM agencies WHERE sector = 'education' AND active").map((r) => r[0]);
  for (const s of res.json.settings) assert.ok(names.includes(s.agency.name), s.agency.name);
  const worst = (s) => Math.min(...s.levels.map((l) => l.coverage?.rate ?? Infinity));
  for (let i = 1; i < res.json.settings.length; i++) {
    assert.ok(worst(res.json.settings[i - 1]) <= worst(res.json.settings[i]), 'settings worst first');
  }
  for (const s of res.json.settings) {
    const rates = s.levels.map((l) => l.coverage?.rate ?? Infinity);
    assert.deepEqual(rates, [...rates].sort((a, b) => a - b), 'levels worst first');
  }
  // The partnership's N per level is the sum of its settings' N.
  for (const l of res.json.levels) {
    const sum = res.json.settings.flatMap((s) => s.levels).filter((x) => x.code === l.code)
      .reduce((a, x) => a + x.n, 0);
    assert.equal(l.n, sum, l.code);
    if (l.n > 0) assert.ok(l.coverage.lower <= l.coverage.rate && l.coverage.rate <= l.coverage.upper);
  }
  const csv = await as(coordinator, '/api/v1/reports/coverage?sector=education&format=csv');
  assert.ok(csv.text.startsWith('Setting,Group level,Staff counted from,Staff,'), csv.text.slice(0, 100));
  assert.match(csv.text, /\r\nAll settings,Group 1,/);
  assertError(await as(lead, '/api/v1/reports/coverage'), 403);
  assertError(await as(reviewer, '/api/v1/reports/coverage?as_of=yesterday'), 422);
});

// The partnership's settings come a page at a time (a borough has
// thousands): worst first, by the lowest rate of a setting's levels with
// staff, those without any last, then by name; the CSV has them all.
test('the partnership table pages its settings: pages end to end are the whole table, worst first', async () => {
  // A setting whose return declares no staff: it has no rate, and comes last.
  const staffless = await school('Staffless Nursery', [[`staffless.${tag}@school.example`, 'G2']]);
  const [[today]] = sql("SELECT (now() AT TIME ZONE 'Europe/London')::date");
  const declared = await as(coordinator, `/api/v1/agencies/${staffless}/staffing-return`,
    { method: 'PUT', body: { as_of: today, headcount: { G2: 0 } } });
  assert.equal(declared.status, 200, declared.text);
  const all = await as(reviewer, '/api/v1/reports/coverage?limit=1000');
  assert.equal(all.status, 200, all.text);
  const total = all.json.settings_total;
  assert.equal(all.json.settings.length, total);
  assert.ok(total > 6, `settings: ${total}`);
  assert.equal(total, Number(sql(`SELECT count(DISTINCT c.agency_id) FROM coverage_counts(
    (now() AT TIME ZONE 'Europe/London')::date) c`)[0][0]));
  // The order, worked out here from the levels' counts and the
  // database's order of names.
  const byName = new Map(sql('SELECT id FROM agencies ORDER BY name, id').map(([id], i) => [Number(id), i]));
  const worst = (s) => Math.min(...s.levels.filter((l) => l.n > 0).map((l) => Math.min(l.trained, l.n) / l.n));
  const expected = [...all.json.settings].sort((a, b) => (worst(a) - worst(b))
    || (byName.get(a.agency.id) - byName.get(b.agency.id)));
  assert.deepEqual(all.json.settings.map((s) => s.agency.id), expected.map((s) => s.agency.id));
  assert.equal(worst(all.json.settings.find((s) => s.agency.id === staffless)), Infinity);
  // Pages of 4, laid end to end.
  const paged = [];
  for (let offset = 0; offset < total; offset += 4) {
    const page = await as(reviewer, `/api/v1/reports/coverage?limit=4&offset=${offset}`);
    assert.equal(page.status, 200, page.text);
    assert.deepEqual([page.json.limit, page.json.offset, page.json.settings_total], [4, offset, total]);
    assert.deepEqual(page.json.levels, all.json.levels, 'the partnership on every page');
    paged.push(...page.json.settings);
  }
  assert.deepEqual(paged, all.json.settings);
  // By default a page of 100; a setting's levels leave the basis of
  // sessions needed to the partnership's.
  const first = await as(reviewer, '/api/v1/reports/coverage');
  assert.equal(first.json.limit, 100);
  assert.deepEqual(first.json.settings, all.json.settings.slice(0, 100));
  assert.ok(first.json.levels.every((l) => 'sessions_basis' in l));
  assert.ok(first.json.settings.every((s) => s.levels.every((l) => !('sessions_basis' in l))));
  // The CSV: every setting, whatever the page.
  const csv = await as(reviewer, '/api/v1/reports/coverage?limit=1&offset=2&format=csv');
  assert.equal(csv.status, 200);
  const settingsInCsv = new Set(csv.text.split('\r\n').slice(1)
    .filter((line) => line && !line.startsWith('All settings,'))
    .map((line) => line.replace(/,Group .*$/, '')));
  assert.equal(settingsInCsv.size, total);
  const bad = assertError(await as(reviewer, '/api/v1/reports/coverage?limit=0&offset=-1'), 422);
  assert.deepEqual(Object.keys(bad).sort(), ['limit', 'offset']);
  assertError(await as(reviewer, '/api/v1/reports/coverage?limit=1001'), 422);
});

test('training needs: who will need training in a period and what is scheduled for them', async () => {
  const res = await as(reviewer, '/api/v1/reports/training-needs?from=2016-04-01&to=2017-03-31');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.levels.length, 6);
  const [[places]] = sql(`SELECT coalesce(sum(s.capacity), 0) FROM sessions s
    JOIN course_group_levels cl ON cl.course_id = s.course_id
    JOIN group_levels l ON l.id = cl.group_level_id AND l.code = 'G3'
    WHERE s.status = 'scheduled' AND (s.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN '2016-04-01' AND '2017-03-31'`);
  const g3 = res.json.levels.find((l) => l.code === 'G3');
  assert.equal(g3.places_scheduled, Number(places));
  assert.equal(g3.people, g3.never + g3.expired + g3.expiring);
  assert.equal(g3.places_short, Math.max(0, g3.people - g3.places_scheduled));
  assertError(await as(reviewer, '/api/v1/reports/training-needs?from=2017-04-01&to=2016-04-01'), 422);
  assertError(await as(lead, '/api/v1/reports/training-needs'), 403);
  const csv = await as(reviewer, '/api/v1/reports/training-needs?format=csv');
  assert.ok(csv.text.startsWith('Group level,Never trained,Expired,Expiring,People to train,Places scheduled,Places short,Sessions needed\r\n'));
});
