// The kept training periods (migration 0024) agree with a recount from
// the training records and people after every kind of change: a staff
// list, imported records, the register and walk-ins, records changed and
// deleted by hand, a person changing agency, level or leaving the list,
// erasure, a deleted person and a level's refresh changed. The recount
// here is written apart from training_periods_of() (a self-join, not a
// window), and training_status() is checked against migration 0008's
// rule on many dates. Controls: a period made wrong and a trigger turned
// off are both seen. Two people's writes do not wait on each other; two
// writes for one person take turns and keep both records.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql, login, as, pgClient } from './http.mjs';
import { newSession } from './sessions.mjs';

const tag = `periods${process.pid}`;
const insert = (q) => sql(`WITH x AS (${q}) SELECT * FROM x`)[0][0];
const level = (code) => `(SELECT l.id FROM group_levels l JOIN group_schemes s
  ON s.id = l.scheme_id AND s.is_default WHERE l.code = '${code}')`;

const KEPT = `SELECT person_id, from_on, to_on, agency_id, group_level_id, trained_on, expires_on
  FROM training_periods`;
const RECOUNT = `WITH q AS (
    SELECT DISTINCT p.id, p.agency_id, p.group_level_id, l.refresh_months, r.completed_on
      FROM people p JOIN group_levels l ON l.id = p.group_level_id
      LEFT JOIN training_records r ON r.person_id = p.id AND EXISTS (SELECT 1
        FROM group_levels rl WHERE rl.id = r.group_level_id AND rl.scheme_id = l.scheme_id
         AND rl.rank >= l.rank)
     WHERE p.active AND p.erased_at IS NULL)
  SELECT id, '-infinity'::date, coalesce(min(completed_on), 'infinity'::date), agency_id,
         group_level_id, NULL::date, NULL::date
    FROM q GROUP BY id, agency_id, group_level_id
  UNION ALL
  SELECT q.id, q.completed_on, coalesce(min(x.completed_on), 'infinity'::date), q.agency_id,
         q.group_level_id, q.completed_on,
         (q.completed_on + q.refresh_months * interval '1 month')::date
    FROM q LEFT JOIN q x ON x.id = q.id AND x.completed_on > q.completed_on
   WHERE q.completed_on IS NOT NULL
   GROUP BY q.id, q.completed_on, q.agency_id, q.group_level_id, q.refresh_months`;

// Migration 0008's rule as it was written: the latest qualifying record
// on or before the date, from the records themselves.
const RULE = (d, who) => `SELECT t.person_id, t.agency_id, t.group_level_id, t.level_code,
       t.completed_on, e.expires_on,
       CASE WHEN t.completed_on IS NULL THEN 'never' WHEN e.expires_on <= ${d} THEN 'expired'
            WHEN e.expires_on <= ${d} + 90 THEN 'lapsing' ELSE 'in_date' END AS status
  FROM (SELECT p.id AS person_id, p.agency_id, l.id AS group_level_id, l.code AS level_code,
               l.refresh_months, max(r.completed_on) AS completed_on
          FROM people p JOIN group_levels l ON l.id = p.group_level_id
          LEFT JOIN (training_records r JOIN group_levels rl ON rl.id = r.group_level_id)
            ON r.person_id = p.id AND rl.scheme_id = l.scheme_id AND rl.rank >= l.rank
           AND r.completed_on <= ${d}
         WHERE p.active AND p.erased_at IS NULL AND ${who} GROUP BY p.id, p.agency_id, l.id) t
  CROSS JOIN LATERAL (SELECT (t.completed_on + make_interval(months => t.refresh_months))::date
    AS expires_on) e`;

// The test's people (a condition on people p).
const OURS = `(p.email LIKE '%${tag}%' OR p.full_name LIKE '%${tag}%')`;

// The dates the rule is checked on: around today, and the days of the
// test people's records and expiries, a day either side.
const DATES = `SELECT DISTINCT d FROM (
    SELECT CURRENT_DATE + k AS d FROM unnest(ARRAY[-3650, -400, -91, -90, -89, -1, 0, 1, 89, 90,
      91, 400, 3650]) k
    UNION ALL SELECT e.d + k FROM (SELECT r.completed_on AS d, (r.completed_on
        + make_interval(months => l.refresh_months))::date AS x
        FROM training_records r JOIN people p ON p.id = r.person_id
        JOIN group_levels l ON l.id = r.group_level_id
       WHERE ${OURS}) r,
      LATERAL (VALUES (r.d), (r.x), (r.x - 90)) e (d), unnest(ARRAY[-1, 0, 1]) k) x`;

// The rows where the kept periods and their recount differ, and the
// dates on which training_status() and the rule differ for the test's
// people (for everyone: a tenth of a second a date at the demo's scale).
function differences(everyone = false) {
  const who = everyone ? 'true' : OURS;
  const periods = sql(`WITH k AS (${KEPT}), r AS (${RECOUNT})
    SELECT 'kept', * FROM (SELECT * FROM k EXCEPT ALL SELECT * FROM r) x
    UNION ALL SELECT 'recount', * FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM k) y LIMIT 10`);
  const status = `SELECT t.* FROM training_status(d.d) t JOIN people p ON p.id = t.person_id
    WHERE ${who}`;
  const dates = sql(`SELECT d.d FROM (${DATES}) d
    WHERE EXISTS (${status} EXCEPT ALL SELECT * FROM (${RULE('d.d', who)}) r)
       OR EXISTS (SELECT * FROM (${RULE('d.d', who)}) r EXCEPT ALL ${status})
    ORDER BY 1 LIMIT 10`);
  const out = {};
  if (periods.length) out.periods = periods;
  if (dates.length) out.dates = dates;
  return out;
}

// coverage_counts() against the rule's statuses counted, on dates around
// today and in the past: the rows whose staff counts differ.
function countsDiffer() {
  const counts = (d) => `SELECT agency_id, group_level_id, staff, trained, lapsing, expired, never
    FROM coverage_counts(${d}) WHERE staff > 0`;
  const rule = (d) => `SELECT t.agency_id, t.group_level_id, count(*)::int,
      count(*) FILTER (WHERE status IN ('in_date', 'lapsing'))::int,
      count(*) FILTER (WHERE status = 'lapsing')::int, count(*) FILTER (WHERE status = 'expired')::int,
      count(*) FILTER (WHERE status = 'never')::int
    FROM (${RULE(d, 'true')}) t JOIN agencies a ON a.id = t.agency_id AND a.active GROUP BY 1, 2`;
  return sql(`SELECT d.d FROM unnest(ARRAY[CURRENT_DATE, CURRENT_DATE - 90, CURRENT_DATE + 91,
      '2016-03-31'::date]) d (d)
    WHERE EXISTS (${counts('d.d')} EXCEPT ALL ${rule('d.d')})
       OR EXISTS (${rule('d.d')} EXCEPT ALL ${counts('d.d')})`);
}

function agree(step, everyone = false) {
  assert.deepEqual(differences(everyone), {}, `the kept periods agree with a recount ${step}`);
}

// The periods' differences seen in an open transaction of `client`.
async function differencesIn(client) {
  return (await client.query({ rowMode: 'array', text: `WITH k AS (${KEPT}), r AS (${RECOUNT})
    SELECT * FROM (SELECT * FROM k EXCEPT ALL SELECT * FROM r) x
    UNION ALL SELECT * FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM k) y LIMIT 10` })).rows;
}

let coordinator, trainer, agency, otherAgency;

before(async () => {
  coordinator = await login('coordinator@demo.example');
  trainer = await login('trainer@demo.example');
  agency = insert(`INSERT INTO agencies (name, sector, area, phase)
    VALUES ('Periods Test School ${tag}', 'education', 'Hackney', 'primary') RETURNING id`);
  otherAgency = insert(`INSERT INTO agencies (name, sector, area, phase)
    VALUES ('Periods Other School ${tag}', 'education', 'Hackney', 'primary') RETURNING id`);
});

test('kept training periods agree with a recount after staff lists, records, registers, walk-ins, moves, erasure and level changes', async () => {
  agree('of the demo data', true);
  assert.deepEqual(countsDiffer(), [], 'coverage counts are the rule\'s of the demo data');

  // A staff list: people at their levels, never trained.
  const email = (i) => `s${i}.${tag}@example.org`;
  const staff = (rows) => as(coordinator, `/api/v1/agencies/${agency}/staff`, { method: 'POST',
    headers: { 'content-type': 'text/csv' }, body: ['full_name,email,job_title,group_level,is_dsl,manager_email',
      ...rows.map(([i, lv]) => `Person ${i},${email(i)},Teacher,${lv},no,`)].join('\r\n') });
  let up = await staff([[1, 'G2'], [2, 'G2'], [3, 'G3'], [4, 'G5']]);
  assert.equal(up.status, 200, up.text);
  agree('after a staff list');
  const id = (i) => sql(`SELECT id FROM people WHERE email = '${email(i)}'`)[0][0];

  // Imported records: at the level, above it, below it (not qualifying),
  // two on one day, one in the future of some dates.
  const records = (rows) => as(coordinator, `/api/v1/agencies/${agency}/training-records`, {
    method: 'POST', headers: { 'content-type': 'text/csv' },
    body: ['email,course_title,completed_on,group_level,provider,hours',
      ...rows.map(([i, title, on, lv]) => `${email(i)},${title},${on},${lv},The school,`)].join('\r\n') });
  const imported = await records([[1, 'In-house', '2024-02-29', 'G2'], [1, 'Refresher', '2025-09-01', 'G3'],
    [2, 'Basic', '2025-01-10', 'G1'], [3, 'Group 3', '2023-06-30', 'G3'], [3, 'Group 3 again', '2023-06-30', 'G4'],
    [4, 'DSL', '2024-11-30', 'G5'], [4, 'DSL update', '2025-12-31', 'G3']]);
  assert.equal(imported.status, 200, imported.text);
  agree('after records imported');

  // The staff list again: one person's level changes.
  up = await staff([[1, 'G2'], [2, 'G1'], [3, 'G3'], [4, 'G5']]);
  assert.equal(up.status, 200, up.text);
  agree('after a level changed by the staff list');

  // The register: a booked place attended, then not.
  const session = await newSession(coordinator, trainer, { days: -2 });
  const booking = insert(`INSERT INTO bookings (session_id, person_id, status, confirmed_at)
    VALUES (${session}, ${id(3)}, 'confirmed', now() - interval '5 days') RETURNING id`);
  const mark = (status) => as(trainer, `/api/v1/sessions/${session}/attendance`, { method: 'PUT',
    body: [{ booking_id: Number(booking), status }] });
  let reg = await mark('attended');
  assert.equal(reg.status, 200, reg.text);
  assert.equal(sql(`SELECT count(*) FROM training_records WHERE booking_id = ${booking}`)[0][0], '1');
  agree('after the register marked a place attended');
  reg = await mark('no_show');
  assert.equal(reg.status, 200, reg.text);
  agree('after the register marked it no show');
  reg = await mark('partial');
  assert.equal(reg.status, 200, reg.text);
  agree('after the register marked it partial');

  // A walk-in (a new person, attended), then removed.
  const walkIn = await as(coordinator, `/api/v1/sessions/${session}/attendees`, { method: 'POST',
    body: { email: `walkin.${tag}@example.org`, full_name: `Walk In ${tag}`, agency_id: Number(agency),
      group_level: 'G3' } });
  assert.equal(walkIn.status, 201, walkIn.text);
  agree('after a walk-in');
  const removed = await as(coordinator, `/api/v1/walk-ins/${walkIn.json.booking_id}`, { method: 'DELETE' });
  assert.equal(removed.status, 204, removed.text);
  agree('after a walk-in removed');

  // Records changed by hand: a date moved, a level lowered, one given to
  // another person, one deleted.
  sql(`UPDATE training_records SET completed_on = '2025-10-01' WHERE person_id = ${id(1)}
        AND title = 'Refresher'`);
  agree('after a record\'s date moved');
  sql(`UPDATE training_records SET group_level_id = ${level('G1')} WHERE person_id = ${id(4)}
        AND title = 'DSL'`);
  agree('after a record\'s level lowered');
  sql(`UPDATE training_records SET person_id = ${id(2)} WHERE person_id = ${id(1)}
        AND title = 'In-house'`);
  agree('after a record given to another person');
  sql(`DELETE FROM training_records WHERE person_id = ${id(3)} AND title = 'Group 3 again'`);
  agree('after a record deleted');

  // People: another agency, another level, off the list and back, erased.
  sql(`UPDATE people SET agency_id = ${otherAgency} WHERE id = ${id(1)}`);
  agree('after a person changed agency');
  sql(`UPDATE people SET group_level_id = ${level('G4')} WHERE id = ${id(3)}`);
  agree('after a person changed level');
  sql(`UPDATE people SET group_level_id = NULL WHERE id = ${id(2)}`);
  agree('after a person lost their level');
  sql(`UPDATE people SET active = false WHERE id = ${id(4)}`);
  agree('after a person left the staff list');
  sql(`UPDATE people SET active = true WHERE id = ${id(4)}`);
  agree('after a person came back');
  const erased = await as(coordinator, `/api/v1/people/${id(1)}`, { method: 'DELETE' });
  assert.equal(erased.status, 204, erased.text);
  agree('after erasure');

  // A person with a record, deleted outright.
  const gone = insert(`INSERT INTO people (agency_id, full_name, group_level_id)
    VALUES (${agency}, 'Gone ${tag}', ${level('G2')}) RETURNING id`);
  sql(`INSERT INTO training_records (person_id, group_level_id, completed_on, title, provider, source)
       VALUES (${gone}, ${level('G2')}, '2025-03-03', 'Gone', 'The school', 'import')`);
  agree('after a person added by hand');
  sql(`DELETE FROM training_records WHERE person_id = ${gone}; DELETE FROM people WHERE id = ${gone}`);
  agree('after a person deleted');

  // A level's refresh and rank changed, in a transaction rolled back (the
  // scheme is shared with the other tests).
  const client = pgClient();
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`UPDATE group_levels SET refresh_months = refresh_months + 5
      WHERE id = ${level('G3')}`);
    assert.deepEqual(await differencesIn(client), [], 'the periods follow a level\'s refresh');
    await client.query(`UPDATE group_levels SET rank = rank + 100 WHERE id = ${level('G1')}`);
    assert.deepEqual(await differencesIn(client), [], 'the periods follow a level\'s rank');

    // Control: a trigger turned off is seen.
    await client.query('ALTER TABLE training_records DISABLE TRIGGER training_records_periods_insert');
    await client.query(`INSERT INTO training_records (person_id, group_level_id, completed_on, title,
      provider, source) VALUES (${id(3)}, ${level('G5')}, CURRENT_DATE, 'Unseen', 'The school', 'import')`);
    assert.notDeepEqual(await differencesIn(client), [], 'a record the trigger missed is found');
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
  agree('after the level changes were rolled back');

  // Control: one period made wrong is seen, by the periods and the dates.
  const ctl = insert(`INSERT INTO people (agency_id, full_name, group_level_id)
    VALUES (${agency}, 'Control ${tag}', ${level('G2')}) RETURNING id`);
  sql(`INSERT INTO training_records (person_id, group_level_id, completed_on, title, provider, source)
       VALUES (${ctl}, ${level('G2')}, CURRENT_DATE - 30, 'Control', 'The school', 'import')`);
  agree('after a record of today\'s month');
  sql(`UPDATE training_periods SET expires_on = CURRENT_DATE WHERE person_id = ${ctl}
        AND trained_on IS NOT NULL`);
  const wrong = differences();
  assert.ok(wrong.periods && wrong.dates, 'a wrong period is found');
  assert.ok(countsDiffer().length > 0, 'and so is a wrong count');
  sql(`SELECT training_periods_refresh(ARRAY[${ctl}::bigint])`);
  agree('after the control', true);
  assert.deepEqual(countsDiffer(), [], 'coverage counts are the rule\'s after the changes');
});

test('two people\'s training records and moves never wait on each other; one person\'s take turns', async () => {
  const person = (n) => insert(`INSERT INTO people (agency_id, full_name, group_level_id)
    VALUES (${agency}, 'Concurrent ${n} ${tag}', ${level('G2')}) RETURNING id`);
  const [p1, p2] = [person(1), person(2)];
  const record = (p, on) => `INSERT INTO training_records (person_id, group_level_id, completed_on,
    title, provider, source) VALUES (${p}, ${level('G2')}, '${on}', 'Concurrent', 'The school', 'import')`;
  const [a, b, c] = [pgClient(), pgClient(), pgClient()];
  await Promise.all([a.connect(), b.connect(), c.connect()]);
  try {
    // A holds a new record of p1 (and its periods) uncommitted.
    await a.query('BEGIN');
    await a.query(record(p1, '2025-01-01'));
    // B, for p2 of the same agency and level, neither waits nor fails: a
    // lock on anything A holds would time out.
    await b.query('BEGIN');
    await b.query("SET LOCAL lock_timeout = '3s'");
    await b.query(record(p2, '2025-02-02'));
    await b.query(`UPDATE people SET agency_id = ${otherAgency} WHERE id = ${p2}`);
    await b.query(`DELETE FROM training_records WHERE person_id = ${p2}`);
    await b.query(record(p2, '2025-03-03'));
    await b.query('COMMIT');
    // C, for p1, waits for A, then counts both records.
    await c.query('BEGIN');
    const [{ pid }] = (await c.query('SELECT pg_backend_pid() AS pid')).rows;
    const waiting = c.query(record(p1, '2025-06-06'));
    let waits = false;
    for (let i = 0; i < 100 && !waits; i++) {
      await new Promise((r) => { setTimeout(r, 30); });
      waits = sql(`SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ${pid}`)[0][0] === 't';
    }
    assert.ok(waits, 'a second write for the same person waits for the first');
    await a.query('COMMIT');
    await waiting;
    await c.query('COMMIT');
  } finally {
    await Promise.all([a, b, c].map((x) => x.query('ROLLBACK').catch(() => {}).then(() => x.end())));
  }
  assert.deepEqual(sql(`SELECT person_id, trained_on FROM training_periods
    WHERE person_id IN (${p1}, ${p2}) AND trained_on IS NOT NULL ORDER BY 1, 2`),
  [[p1, '2025-01-01'], [p1, '2025-06-06'], [p2, '2025-03-03']]);
  agree('after the concurrent writes');
});
