// Kept report answers (migration 14, app/db_report_answer.c): a report's
// answer is served again while nothing it reads has changed, and never
// once something has, including a change that commits while the report
// is being gathered. A kept answer is marked here by rewriting its body
// in the database: the marker comes back only when the kept answer is
// what was served.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sql, login, as, pgClient } from './http.mjs';

const REPORT = '/api/v1/reports/attendance?by=sector&from_year=2012/13&to_year=2015/16';
const MARK = '{"kept":"marker"}';
let reviewer, coordinator, booking;

before(async () => {
  reviewer = await login('reviewer@demo.example');
  coordinator = await login('coordinator@demo.example');
  [[booking]] = sql("SELECT id FROM bookings WHERE status = 'attended' ORDER BY id LIMIT 1");
});

const keys = () => sql("SELECT key FROM report_answers WHERE key LIKE 'attendance|%'"
  + ' ORDER BY key').map((r) => r[0]);
const mark = () => sql(`UPDATE report_answers SET body = '${MARK}' WHERE key LIKE 'attendance|%'`);
// A change that leaves every value as it was: a change all the same.
const touch = () => sql(`UPDATE bookings SET status = status WHERE id = ${booking}`);

async function read(who = reviewer, path = REPORT) {
  const res = await as(who, path);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

test('a report read twice is served the second time from its kept answer', async () => {
  sql('DELETE FROM report_answers');
  const first = await read();
  assert.ok(Array.isArray(first.rows), JSON.stringify(first));
  assert.deepEqual(keys(), ['attendance|reader|{"by":"sector","from_year":"2012/13","to_year":"2015/16"}']);
  mark();
  assert.deepEqual(await read(), JSON.parse(MARK));
  // The same filters in another order, and the CSV, are the same answer.
  assert.deepEqual(await read(reviewer, '/api/v1/reports/attendance?to_year=2015/16&from_year=2012/13&by=sector'),
    JSON.parse(MARK));
});

test('any change to what reports read, even to the same values, gathers afresh', async () => {
  sql('DELETE FROM report_answers');
  const first = await read();
  mark();
  touch();
  assert.deepEqual(await read(), first);
  // A statement that changes no row changes nothing.
  mark();
  sql('UPDATE bookings SET status = status WHERE id = -1');
  assert.deepEqual(await read(), JSON.parse(MARK));
});

test('reviewers\' and coordinators\' answers are kept apart', async () => {
  sql('DELETE FROM report_answers');
  await read(reviewer);
  mark();
  const mine = await read(coordinator);
  assert.notDeepEqual(mine, JSON.parse(MARK));
  assert.equal(keys().length, 2);
});

test('a change that commits while a report is gathered makes its kept answer stale', async () => {
  sql('DELETE FROM report_answers');
  const holder = pgClient();
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('UPDATE bookings SET status = status WHERE id = $1', [booking]);
    // Gathered and kept while the change is not yet committed.
    await read();
    assert.equal(keys().length, 1);
    await holder.query('COMMIT');
  } finally {
    await holder.end();
  }
  mark();
  assert.notDeepEqual(await read(), JSON.parse(MARK), 'a stale answer was served');
  // The answer gathered after the commit is kept and current.
  mark();
  assert.deepEqual(await read(), JSON.parse(MARK));
});

test('an answer kept on an earlier day is not served', async () => {
  sql('DELETE FROM report_answers');
  await read();
  mark();
  sql("UPDATE report_answers SET computed_on = computed_on - 1 WHERE key LIKE 'attendance|%'");
  assert.notDeepEqual(await read(), JSON.parse(MARK));
});

test('the coverage report is kept too, and a training record makes it stale', async () => {
  sql('DELETE FROM report_answers');
  const path = '/api/v1/reports/coverage?sector=education';
  const first = await read(reviewer, path);
  // The default page written out, or in another order: the same answer.
  assert.deepEqual(await read(reviewer, '/api/v1/reports/coverage?offset=0&sector=education&limit=100'), first);
  assert.deepEqual(sql("SELECT key FROM report_answers WHERE key LIKE 'coverage%'"),
    [['coverage:100:0|reader|{"sector":"education"}']]);
  sql(`UPDATE report_answers SET body = '${MARK}' WHERE key LIKE 'coverage:%'`);
  assert.deepEqual(await read(reviewer, path), JSON.parse(MARK));
  sql('UPDATE training_records SET title = title WHERE id = (SELECT min(id) FROM training_records)');
  assert.deepEqual(await read(reviewer, path), first);
});

test('the loop forgets stale answers and old changes no answer needs, and keeps the rest', async () => {
  sql('DELETE FROM report_answers');
  await read();
  await read(coordinator);
  sql("UPDATE report_answers SET computed_on = computed_on - 1 WHERE key LIKE 'attendance|coordinator|%'");
  touch();
  const [[xid]] = sql(`SELECT max(xid)::text FROM report_changes`);
  await read();
  sql(`UPDATE report_changes SET changed_at = now() - interval '2 hours' WHERE xid = '${xid}'`);
  execFileSync('build/portalctl', ['purge'], { env: process.env, stdio: 'pipe', timeout: 60000 });
  // The reader's answer, gathered after the change, is current: kept.
  assert.deepEqual(keys(), ['attendance|reader|{"by":"sector","from_year":"2012/13","to_year":"2015/16"}']);
  // Every kept answer sees the old change: forgotten.
  assert.deepEqual(sql(`SELECT count(*) FROM report_changes WHERE xid = '${xid}'`), [['0']]);
});

// Every report route, with a query it takes.
const ROUTES = ['attendance?by=sector', 'courses?year=2015/16', 'agencies?year=2015/16',
  'evaluation?year=2015/16&by=course', 'annual?year=2015/16', 'coverage?sector=education',
  'training-needs?from=2016-04-01', 'supervision?format=json'];

test('a parameter a report does not take is a 422 naming it, on every report route, and nothing is kept', async () => {
  sql('DELETE FROM report_answers');
  for (const route of ROUTES) {
    const res = await as(reviewer, `/api/v1/reports/${route}&zz=1&also_not=2&zz=3`);
    assert.equal(res.status, 422, `${route}: ${res.text}`);
    assert.equal(res.json.error.code, 'invalid');
    assert.deepEqual(Object.keys(res.json.error.fields).sort(), ['also_not', 'zz'], route);
  }
  // The reports that take no `by` name it too, once.
  const by = await as(reviewer, '/api/v1/reports/courses?by=agency&zz=1');
  assert.deepEqual(Object.keys(by.json.error.fields).sort(), ['by', 'zz']);
  assert.deepEqual(sql('SELECT count(*) FROM report_answers'), [['0']]);
});

test('the kept answer\'s key is the filters in canonical form: one answer however they are written', async () => {
  sql('DELETE FROM report_answers');
  const variants = [
    'exclude_formats=seminar,conference&agency_id=7',
    'agency_id=007&exclude_formats=conference,seminar,seminar',
    'exclude_formats=conference&exclude_formats=seminar,conference&agency_id=0007&format=json',
    'agency_id=7&exclude_formats=seminar&exclude_formats=conference&format=csv',
  ];
  for (const v of variants) {
    const res = await as(reviewer, `/api/v1/reports/attendance?by=sector&${v}`);
    assert.equal(res.status, 200, `${v}: ${res.text}`);
  }
  assert.deepEqual(keys(), ['attendance|reader|{"agency_id":"7","by":"sector","exclude_formats":"seminar,conference"}']);
  const { json } = await as(reviewer, '/api/v1/reports/attendance?by=sector&agency_id=7&exclude_formats=conference,seminar');
  assert.deepEqual(json.excluded_formats, ['seminar', 'conference']);
});

test('exclude_formats given many times, and any filter however long, never answers 500', async () => {
  const many = Array(40).fill('conference').join(',');
  for (const q of [`exclude_formats=${many}`, Array(40).fill('exclude_formats=seminar').join('&'),
    `exclude_formats=${Array(8).fill('full_day,half_day,twilight,e_learning,seminar,conference').join(',')}`]) {
    const res = await as(reviewer, `/api/v1/reports/attendance?by=sector&${q}`);
    assert.equal(res.status, 200, `${q.slice(0, 60)}: ${res.text}`);
    assert.ok(res.json.excluded_formats.length >= 1 && res.json.excluded_formats.length <= 6);
  }
  const long = (n) => 'a'.repeat(n);
  const values = { exclude_formats: `${Array(150).fill('seminar').join(',')}`, area: long(1500),
    topic: long(1500), group_level: long(1500), sector: long(1500), agency_id: '9'.repeat(1500),
    course_id: '1'.repeat(1500), from: long(1500), to: long(1500), year: long(1500), by: long(1500),
    from_year: long(1500), to_year: long(1500), as_of: long(1500), phase: long(1500) };
  for (const route of ROUTES) {
    for (const [name, value] of Object.entries(values)) {
      const res = await as(reviewer, `/api/v1/reports/${route}&${name}=${value}`);
      assert.ok([200, 422].includes(res.status), `${route} ${name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  const { json } = await as(reviewer, '/healthz');
  assert.ok(json);
});

test('kept answers are bounded: many distinct filters do not grow the table past 256 answers', async () => {
  sql('DELETE FROM report_answers');
  const N = 300;
  for (let i = 0; i < N; i += 10) {
    await Promise.all(Array.from({ length: 10 }, async (_, k) => {
      const res = await as(reviewer, `/api/v1/reports/courses?year=2015/16&agency_id=${900000 + i + k}`);
      assert.equal(res.status, 200, res.text);
    }));
    const [[n]] = sql('SELECT count(*) FROM report_answers');
    assert.ok(Number(n) <= 256, `${n} kept answers after ${i + 10} distinct filters`);
  }
  const [[n]] = sql('SELECT count(*) FROM report_answers');
  assert.equal(Number(n), 256);
  // The newest are the ones kept.
  const kept = sql(`SELECT key FROM report_answers WHERE key LIKE '%"agency_id":"9002%'`);
  assert.ok(kept.length >= 90, `${kept.length} of the last 100 kept`);
  sql('DELETE FROM report_answers');
});
