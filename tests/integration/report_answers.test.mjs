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
  sql(`UPDATE report_answers SET body = '${MARK}' WHERE key LIKE 'coverage|%'`);
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
