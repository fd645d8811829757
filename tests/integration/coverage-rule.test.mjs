// The qualifying rule of workforce coverage (sql/migrations/0008_coverage.sql):
// training_status(as_of) and coverage_counts(as_of), checked on people made
// for the test, against dates worked out by hand.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from './http.mjs';

// The id an INSERT ... RETURNING id makes (psql prints its status too).
const insert = (q) => sql(`WITH x AS (${q}) SELECT * FROM x`)[0][0];

const tag = `rule${process.pid}`;
let agency;
const person = {};

// A person at `level` (a code of the default scheme, or a level id) with
// training records [[level, completed_on], ...].
function makePerson(name, level, records, levelSql = null) {
  const lv = levelSql ?? `(SELECT l.id FROM group_levels l JOIN group_schemes s ON s.id = l.scheme_id
    AND s.is_default WHERE l.code = '${level}')`;
  const id = insert(`INSERT INTO people (agency_id, full_name, email, group_level_id)
    VALUES (${agency}, '${name}', '${name}.${tag}@example.org', ${lv}) RETURNING id`);
  for (const [rlevel, on] of records) {
    const rl = typeof rlevel === 'number' ? rlevel : `(SELECT l.id FROM group_levels l
      JOIN group_schemes s ON s.id = l.scheme_id AND s.is_default WHERE l.code = '${rlevel}')`;
    sql(`INSERT INTO training_records (person_id, group_level_id, completed_on, title, provider, source)
      VALUES (${id}, ${rl}, '${on}', 'Test training', 'Test provider', 'import')`);
  }
  person[name] = id;
  return id;
}

function status(name, asOf) {
  const rows = sql(`SELECT status, coalesce(last_trained_on::text, ''), coalesce(expires_on::text, '')
    FROM training_status('${asOf}') WHERE person_id = ${person[name]}`);
  assert.equal(rows.length, 1, `${name} has one status row`);
  const [[s, last, expires]] = rows;
  return { status: s, last, expires };
}

before(() => {
  agency = insert(`INSERT INTO agencies (name, sector, area, phase)
    VALUES ('Rule Test School ${tag}', 'education', 'Hackney', 'primary') RETURNING id`);
  makePerson('exact', 'G3', [['G3', '2023-03-29']]);
  makePerson('lower', 'G3', [['G2', '2025-01-01'], ['G1', '2026-01-01']]);
  makePerson('higher', 'G3', [['G5', '2024-01-01']]);
  makePerson('dsl', 'G5', [['G5', '2024-03-30'], ['G3', '2026-01-10']]);
  makePerson('dsl_old', 'G5', [['G5', '2024-03-28']]);
  makePerson('g2', 'G2', [['G2', '2023-06-01']]);
  makePerson('future', 'G2', [['G2', '2026-04-01']]);
  makePerson('autumn', 'G3', [['G3', '2023-10-25']]);
  makePerson('latest', 'G1', [['G1', '2020-01-01'], ['G4', '2025-05-05'], ['G1', '2024-01-01']]);
  makePerson('monthend', 'G2', [['G2', '2024-02-29']]);
});

test('a record qualifies at its level or a higher one, never a lower one', () => {
  assert.equal(status('lower', '2026-03-29').status, 'never');
  assert.deepEqual(status('higher', '2026-03-29'),
    { status: 'in_date', last: '2024-01-01', expires: '2027-01-01' });
  // The latest qualifying record counts, whatever its level above the person's.
  assert.deepEqual(status('latest', '2026-03-29'),
    { status: 'in_date', last: '2025-05-05', expires: '2028-05-05' });
});

test('training expires on the day the refresh interval ends: the day before it still counts', () => {
  // Completed 2023-03-29, Group 3 refreshes every 36 months: expires on
  // 2026-03-29, which is also the day the clocks go forward in London.
  assert.deepEqual(status('exact', '2026-03-28'),
    { status: 'lapsing', last: '2023-03-29', expires: '2026-03-29' });
  assert.equal(status('exact', '2026-03-29').status, 'expired');
  // The day the clocks go back.
  assert.equal(status('autumn', '2026-10-24').status, 'lapsing');
  assert.equal(status('autumn', '2026-10-25').status, 'expired');
  // 29 February + 36 months is the last day of February.
  assert.deepEqual(status('monthend', '2027-02-27'),
    { status: 'lapsing', last: '2024-02-29', expires: '2027-02-28' });
  assert.equal(status('monthend', '2027-02-28').status, 'expired');
});

test('the interval is the person\'s level\'s: 24 months for Group 5', () => {
  // A Group 5 course on 2024-03-30 lasts 24 months for a DSL, and the
  // Group 3 course after it does not qualify a Group 5 person.
  assert.deepEqual(status('dsl', '2026-03-29'),
    { status: 'lapsing', last: '2024-03-30', expires: '2026-03-30' });
  assert.equal(status('dsl', '2026-03-30').status, 'expired');
  assert.equal(status('dsl_old', '2026-03-27').status, 'lapsing');
  assert.equal(status('dsl_old', '2026-03-28').status, 'expired');
  // A Group 5 course qualifies a Group 3 person for Group 3's 36 months.
  assert.equal(status('higher', '2026-06-01').status, 'in_date');
});

test('lapsing means expiring within 90 days of the as-of date', () => {
  // Expires 2026-06-01: 90 days after 2026-03-03, 91 after 2026-03-02.
  assert.equal(status('g2', '2026-03-02').status, 'in_date');
  assert.equal(status('g2', '2026-03-03').status, 'lapsing');
  assert.equal(status('g2', '2026-05-31').status, 'lapsing');
  assert.equal(status('g2', '2026-06-01').status, 'expired');
});

test('training completed after the as-of date does not count yet', () => {
  assert.deepEqual(status('future', '2026-03-31'), { status: 'never', last: '', expires: '' });
  assert.equal(status('future', '2026-04-01').status, 'in_date');
});

test('the scheme is data: another scheme\'s ranks and refresh intervals apply', () => {
  const scheme = insert(`INSERT INTO group_schemes (code, name) VALUES ('t${process.pid}', 'Test scheme')
    RETURNING id`);
  const a = insert(`INSERT INTO group_levels (scheme_id, code, name, description, refresh_months, rank)
    VALUES (${scheme}, 'A', 'Level A', 'Light', 12, 1) RETURNING id`);
  const b = insert(`INSERT INTO group_levels (scheme_id, code, name, description, refresh_months, rank)
    VALUES (${scheme}, 'B', 'Level B', 'Deep', 6, 2) RETURNING id`);
  makePerson('schemeA', null, [[Number(b), '2025-01-15']], a);
  makePerson('schemeB', null, [[Number(a), '2025-12-01'], [Number(b), '2025-01-15']], b);
  // A record of level B (rank 2) qualifies a level A person for A's 12 months.
  assert.equal(status('schemeA', '2025-10-01').status, 'in_date');
  assert.deepEqual(status('schemeA', '2025-11-01'),
    { status: 'lapsing', last: '2025-01-15', expires: '2026-01-15' });
  // A level B person: 6 months, and the later level A record does not count.
  assert.deepEqual(status('schemeB', '2025-04-01'),
    { status: 'in_date', last: '2025-01-15', expires: '2025-07-15' });
  assert.equal(status('schemeB', '2025-07-15').status, 'expired');
  assert.deepEqual(status('schemeB', '2025-12-02'),
    { status: 'expired', last: '2025-01-15', expires: '2025-07-15' });
  // Changing the scheme's data changes the rule.
  sql(`UPDATE group_levels SET refresh_months = 9 WHERE id = ${b}`);
  assert.deepEqual(status('schemeB', '2025-07-15'),
    { status: 'in_date', last: '2025-01-15', expires: '2025-10-15' });
  sql(`UPDATE people SET active = false WHERE id IN (${person.schemeA}, ${person.schemeB})`);
});

test('people who left the staff list have no status', () => {
  const id = makePerson('leaver', 'G2', [['G2', '2025-01-01']]);
  sql(`UPDATE people SET active = false WHERE id = ${id}`);
  assert.equal(sql(`SELECT count(*) FROM training_status('2026-01-01') WHERE person_id = ${id}`)[0][0], '0');
});

test('coverage counts: N from the latest staffing return on or before the date, else the staff list', () => {
  const counts = (asOf) => Object.fromEntries(sql(`SELECT l.code, c.n, c.n_source, c.staff, c.trained,
      c.lapsing, c.expired, c.never
    FROM coverage_counts('${asOf}') c JOIN group_levels l ON l.id = c.group_level_id
    WHERE c.agency_id = ${agency}`).map(([code, ...rest]) => [code, rest.map((v, i) => (i === 1 ? v : Number(v)))]));
  // Group 3 on 2026-03-28: exact (lapsing), lower (never), higher (in date),
  // autumn (in date).
  let c = counts('2026-03-28');
  assert.deepEqual(c.G3, [4, 'staff_list', 4, 3, 1, 0, 1]);
  assert.deepEqual(c.G5, [2, 'staff_list', 2, 1, 1, 1, 0]);
  assert.equal(c.G4, undefined);
  sql(`INSERT INTO staffing_returns (agency_id, group_level_id, as_of, headcount)
    SELECT ${agency}, id, '2026-01-31', CASE code WHEN 'G3' THEN 10 ELSE 3 END
      FROM group_levels WHERE code IN ('G3', 'G4') AND scheme_id = (SELECT id FROM group_schemes WHERE is_default)`);
  sql(`INSERT INTO staffing_returns (agency_id, group_level_id, as_of, headcount)
    SELECT ${agency}, id, '2025-01-31', 1 FROM group_levels WHERE code = 'G5'
       AND scheme_id = (SELECT id FROM group_schemes WHERE is_default)`);
  c = counts('2026-03-28');
  assert.deepEqual(c.G3, [10, 'return', 4, 3, 1, 0, 1]);
  assert.deepEqual(c.G4, [3, 'return', 0, 0, 0, 0, 0]);
  // The older return's Group 5 is not part of the latest return.
  assert.deepEqual(c.G5, [2, 'staff_list', 2, 1, 1, 1, 0]);
  // Before the 2026 return: the 2025 one (Group 5 only).
  c = counts('2026-01-30');
  assert.deepEqual(c.G3, [4, 'staff_list', 4, 3, 1, 0, 1]);
  assert.deepEqual(c.G5, [1, 'return', 2, 2, 2, 0, 0]);
  // A closed agency is left out.
  sql(`UPDATE agencies SET active = false WHERE id = ${agency}`);
  assert.deepEqual(counts('2026-03-28'), {});
  sql(`UPDATE agencies SET active = true WHERE id = ${agency}`);
});
