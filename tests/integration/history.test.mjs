// POST /api/v1/imports/attendance: a board's history in one transaction,
// imported off the request path (202 and a job to poll: importHistory()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sql, assertError, login, as } from './http.mjs';
import { makeArea, historyRows, toCsv, HEADER, importHistory } from './history.mjs';

const csvPost = importHistory;

test('a coordinator imports a history: courses, sessions, people and one booking a row; twice changes nothing', async () => {
  const coordinator = await login('coordinator@demo.example');
  const { agencies } = makeArea('IMP');
  const rows = historyRows({ tag: 'imp', agencies, years: [2013, 2014], perYear: 6 });
  // A name in another case, an e-mail address in capitals, a level by name.
  rows[0].agency = rows[0].agency.toUpperCase();
  rows[1].email = rows[1].email.toUpperCase();
  rows[2].group_level = 'Group 2';
  const pairs = new Set(rows.map((r) => `${r.course_code}|${r.session_date}|${r.email.toLowerCase()}`));
  const first = await csvPost(coordinator, toCsv(rows));
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.rows, rows.length);
  assert.equal(first.json.bookings_created, pairs.size);
  assert.equal(first.json.courses_created, new Set(rows.map((r) => r.course_code)).size);
  assert.equal(first.json.sessions_created, new Set(rows.map((r) => `${r.course_code}|${r.session_date}`)).size);
  assert.equal(first.json.people_created, new Set(rows.map((r) => r.email.toLowerCase())).size);
  const taken = new Set(rows.filter((r) => ['attended', 'partial'].includes(r.status))
    .map((r) => `${r.course_code}|${r.session_date}|${r.email.toLowerCase()}`));
  assert.ok(first.json.training_records_created <= taken.size);

  const ids = agencies.map((a) => a.id).join(',');
  const count = () => sql(`SELECT count(*) FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE p.agency_id IN (${ids})`)[0][0];
  assert.equal(Number(count()), pairs.size);
  // People without accounts, in the agency named.
  assert.equal(sql(`SELECT count(*) FROM people p JOIN accounts a ON a.person_id = p.id
    WHERE p.agency_id IN (${ids})`)[0][0], '0');
  // Imported courses stay out of the catalogue.
  assert.equal(sql(`SELECT count(*) FROM courses WHERE code = '${rows[0].course_code}' AND NOT published`)[0][0], '1');

  const again = await csvPost(coordinator, toCsv(rows));
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.bookings_created, again.json.courses_created, again.json.sessions_created,
    again.json.people_created, again.json.bookings_existing], [0, 0, 0, 0, rows.length]);
  assert.equal(Number(count()), pairs.size);
  assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'history.import'
    AND actor_person_id = ${coordinator.account.person_id}`)[0][0]) >= 2);
});

test('unknown agencies and levels: 422 naming each once, nothing applied', async () => {
  const coordinator = await login('coordinator@demo.example');
  const { agencies } = makeArea('UNK', ['health']);
  const rows = historyRows({ tag: 'unk', agencies, years: [2014], perYear: 4 });
  rows[0].agency = 'Nowhere Trust';
  rows[1].agency = 'NOWHERE TRUST';
  rows[2].agency = 'Elsewhere Council';
  rows[3].group_level = 'G9';
  const res = await csvPost(coordinator, toCsv(rows));
  const fields = assertError(res, 422, 'invalid');
  assert.deepEqual(fields.unknown_agencies, ['Elsewhere Council', 'Nowhere Trust']);
  assert.deepEqual(fields.unknown_group_levels, ['G9']);
  assert.equal(sql(`SELECT count(*) FROM courses WHERE code = '${rows[0].course_code}'`)[0][0], '0');
  assert.equal(sql(`SELECT count(*) FROM people WHERE agency_id = ${agencies[0].id}`)[0][0], '0');
});

test('rows with problems: each named by line and field, nothing applied', async () => {
  const coordinator = await login('coordinator@demo.example');
  const { agencies } = makeArea('BAD', ['health']);
  const rows = historyRows({ tag: 'bad', agencies, years: [2014], perYear: 6 });
  rows[0].session_date = '2014-02-30';
  rows[1].status = 'asleep';
  rows[2].email = 'not an address';
  rows[3].format = 'picnic';
  rows[4].session_date = '2999-01-01';
  const fields = assertError(await csvPost(coordinator, toCsv(rows)), 422, 'invalid');
  assert.deepEqual(fields.rows.map((r) => [r.line, r.field]), [[2, 'session_date'], [3, 'status'],
    [4, 'email'], [5, 'format'], [6, 'session_date']]);
  assert.equal(sql(`SELECT count(*) FROM people WHERE agency_id = ${agencies[0].id}`)[0][0], '0');
  const header = assertError(await csvPost(coordinator, 'session_date,course_code\r\n2014-05-01,X\r\n'), 422);
  assert.ok(header.rows.some((r) => r.field === 'status' && r.line === 1));
  assertError(await csvPost(coordinator, `${HEADER}\r\n`), 422);
});

test('only coordinators import, with the CSRF token, as text/csv', async () => {
  const reviewer = await login('reviewer@demo.example');
  assertError(await csvPost(reviewer, `${HEADER}\r\n`), 403, 'forbidden');
  const coordinator = await login('coordinator@demo.example');
  assertError(await as(coordinator, '/api/v1/imports/attendance', { method: 'POST', csrf: false,
    headers: { 'content-type': 'text/csv' }, body: `${HEADER}\r\n` }), 403, 'csrf');
  assertError(await as(coordinator, '/api/v1/imports/attendance', { method: 'POST', body: { rows: [] } }), 415);
  assertError(await as(coordinator, '/api/v1/imports/attendance'), 405);
});

test('an import job is polled by coordinators only, and forgotten 30 days on', async () => {
  const coordinator = await login('coordinator@demo.example');
  const { agencies } = makeArea('JOB', ['health']);
  const done = await csvPost(coordinator, toCsv(historyRows({ tag: 'job', agencies, years: [2014], perYear: 3 })));
  assert.equal(done.status, 200, done.text);
  assert.equal(done.job.step, done.job.steps);
  assert.ok(done.seen.every((j) => j.step <= j.steps && j.steps === 8));
  const reviewer = await login('reviewer@demo.example');
  assertError(await as(reviewer, done.job.location), 403, 'forbidden');
  assertError(await as(coordinator, '/api/v1/imports/attendance/999999999'), 404, 'not_found');
  assertError(await as(coordinator, '/api/v1/imports/attendance/1.5'), 422);
  // A job whose thread stopped (its worker ended) is failed, not running for ever.
  sql(`UPDATE import_jobs SET status = 'running', finished_at = NULL, updated_at = now() - interval '11 minutes'
    WHERE id = ${done.job.id}`);
  const stale = await as(coordinator, done.job.location);
  assert.equal(stale.json.status, 'failed');
  assert.match(stale.json.result.message, /nothing was imported/);
  sql(`UPDATE import_jobs SET created_at = now() - interval '31 days' WHERE id = ${done.job.id}`);
  execFileSync('build/portalctl', ['purge'], { env: process.env, stdio: 'pipe', timeout: 60000 });
  assertError(await as(coordinator, done.job.location), 404, 'not_found');
});
