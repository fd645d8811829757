// The report aggregates (migration 0021) agree with a recount from the
// rows themselves after every kind of change: bookings, the register,
// baselines, same-day forms on time and late, a batch typed in and
// voided, follow-ups and managers' reviews, a person changing agency, a
// session moved, and erasure. The recount here is written apart from the
// triggers' (form by form, one row each column), so that a trigger that
// misses a change fails the test; a control corrupts one count and checks
// that the comparison sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql, login, as, pgClient } from './http.mjs';
import { newSession, move, attend, RATED, closeWindow } from './sessions.mjs';

// Each kept table against its recount: the rows of either not in the
// other (EXCEPT ALL both ways, in one statement: one snapshot).
const CHECKS = {
  course_places: [
    `SELECT course_id, month, status, walk_in, sum(n)::int, sum(baselines)::int
       FROM report_course_places GROUP BY 1, 2, 3, 4
     HAVING sum(n) <> 0 OR sum(baselines) <> 0`,
    `SELECT s.course_id, report_month(s.starts_at), b.status, b.walk_in, count(*)::int,
            count(bl.id)::int
       FROM bookings b JOIN sessions s ON s.id = b.session_id
       LEFT JOIN baselines bl ON bl.booking_id = b.id GROUP BY 1, 2, 3, 4`],
  agency_places: [
    `SELECT month, agency_id, status, sum(n)::int FROM report_agency_places
      GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
    `SELECT report_month(s.starts_at), coalesce(p.agency_id, 0), b.status, count(*)::int
       FROM bookings b JOIN sessions s ON s.id = b.session_id
       JOIN people p ON p.id = b.person_id GROUP BY 1, 2, 3`],
  course_forms: [
    'SELECT course_id, month, col, a, b, n FROM report_course_forms',
    `WITH f AS (
       SELECT s.course_id, report_month(s.starts_at) AS month, e.*,
              e.step IS NOT NULL AND (SELECT count(*) FROM evaluations x
                LEFT JOIN evaluation_uploads xu ON xu.id = x.upload_id
               WHERE x.session_id = e.session_id AND x.step = e.step
                 AND xu.voided_at IS NULL) >= 5 AS released
         FROM evaluations e JOIN sessions s ON s.id = e.session_id
         LEFT JOIN evaluation_uploads u ON u.id = e.upload_id
        WHERE u.voided_at IS NULL)
     SELECT course_id, month, v.col::smallint, v.a::smallint, v.b::smallint, count(*)::int
       FROM f, LATERAL (VALUES
         (0, coalesce(rating_content, 0), 0), (1, coalesce(rating_delivery, 0), 0),
         (2, coalesce(rating_venue, 0), 0), (3, coalesce(rating_trainer, 0), 0),
         (4, coalesce(rating_overall, 0), 0),
         (5, coalesce(knowledge_before, 0), coalesce(knowledge_after, 0)),
         (7, coalesce(confidence_before, 0), coalesce(confidence_after, 0)),
         (9, coalesce(array_position(ARRAY['yes', 'partly', 'no'], outcomes_met), 0), 0),
         (10, coalesce(array_position(ARRAY['yes', 'no', 'unsure'], improve_safeguarding), 0), 0),
         (11, (source = 'online')::int, 0)) v (col, a, b)
      WHERE released GROUP BY 1, 2, 3, 4, 5
     UNION ALL
     SELECT course_id, month, 12::smallint, (source = 'online')::int::smallint, 0::smallint,
            count(*)::int FROM f GROUP BY 1, 2, 4`],
  session_due: [
    'SELECT session_id, due_on, n, done FROM report_session_due',
    `SELECT b.session_id, f.due_on, count(*)::int, count(f.completed_at)::int
       FROM followups f JOIN bookings b ON b.id = f.booking_id
      WHERE b.status IN ('attended', 'partial') GROUP BY 1, 2`],
  session_stages: [
    `SELECT session_id, followups_last, followups_done, applied_yes, applied, managers,
            managers_answered, managers_yes, managers_open_until, staff_answered, staff_yes,
            self_answered, self_yes FROM report_session_stages`,
    `SELECT s.id,
            (SELECT max(f.due_on) FROM followups f JOIN bookings b ON b.id = f.booking_id
              WHERE b.session_id = s.id),
            (SELECT count(*) FROM followups f JOIN bookings b ON b.id = f.booking_id
              WHERE b.session_id = s.id AND f.completed_at IS NOT NULL)::int,
            (SELECT count(*) FROM followups f JOIN bookings b ON b.id = f.booking_id
              WHERE b.session_id = s.id AND b.status IN ('attended', 'partial')
                AND f.applied = 'yes')::int,
            (SELECT count(*) FROM followups f JOIN bookings b ON b.id = f.booking_id
              WHERE b.session_id = s.id AND b.status IN ('attended', 'partial')
                AND f.applied IS NOT NULL)::int,
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id)::int,
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.answered_at IS NOT NULL)::int,
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.changed_practice = 'yes')::int,
            (SELECT max(m.expires_at) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.answered_at IS NULL),
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.answered_at IS NOT NULL
                AND m.manager_source = 'staff_list')::int,
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.changed_practice = 'yes'
                AND m.manager_source = 'staff_list')::int,
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.answered_at IS NOT NULL
                AND m.manager_source = 'self')::int,
            (SELECT count(*) FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id
              WHERE b.session_id = s.id AND m.changed_practice = 'yes'
                AND m.manager_source = 'self')::int
       FROM sessions s
      WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.session_id = s.id
                      AND (EXISTS (SELECT 1 FROM followups f WHERE f.booking_id = b.id)
                        OR EXISTS (SELECT 1 FROM manager_reviews m WHERE m.booking_id = b.id)))`],
  session_sustained: [
    'SELECT session_id, before, now, n FROM report_session_sustained',
    `SELECT b.session_id, coalesce(e.confidence_before, bl.confidence), f.confidence_now,
            count(*)::int
       FROM followups f JOIN bookings b ON b.id = f.booking_id
       LEFT JOIN evaluations e ON e.booking_id = b.id
       LEFT JOIN baselines bl ON bl.booking_id = b.id
      WHERE b.status IN ('attended', 'partial') AND f.confidence_now IS NOT NULL
        AND coalesce(e.confidence_before, bl.confidence) IS NOT NULL
      GROUP BY 1, 2, 3`],
};

// The rows where a kept table and its recount differ, by table.
function differences() {
  const out = {};
  for (const [name, [kept, recount]] of Object.entries(CHECKS)) {
    const rows = sql(`WITH k AS (${kept}), r AS (${recount})
      SELECT 'kept', * FROM (SELECT * FROM k EXCEPT ALL SELECT * FROM r) x
      UNION ALL SELECT 'recount', * FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM k) y
      LIMIT 10`);
    if (rows.length) out[name] = rows;
  }
  return out;
}

function agree(step) {
  assert.deepEqual(differences(), {}, `the kept counts agree with a recount ${step}`);
}

test('report aggregates agree with a recount after bookings, registers, forms, voids, moves and erasure', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  agree('of the demo data');

  // A past session: places taken up, then the register changes them.
  const id = await newSession(coordinator, trainer, { days: -3 });
  attend(id, 14, 900);
  agree('after bookings');
  const bookings = sql(`SELECT id FROM bookings WHERE session_id = ${id} ORDER BY id`).map((r) => r[0]);
  const reg = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT', body: [
    { booking_id: Number(bookings[0]), status: 'no_show' },
    { booking_id: Number(bookings[1]), status: 'partial' }] });
  assert.equal(reg.status, 200, reg.text);
  sql(`UPDATE bookings SET status = 'late_cancelled', cancelled_at = now()
        WHERE id = ${bookings[2]}`);
  agree('after register changes');

  // Baselines, same-day forms online, then the window closes.
  sql(`INSERT INTO baselines (booking_id, session_id, knowledge, confidence)
       SELECT id, session_id, 3, 4 FROM bookings WHERE id IN (${bookings.slice(3, 8).join(', ')})`);
  sql(`INSERT INTO evaluations (session_id, booking_id, source, rating_content, rating_delivery,
         rating_venue, rating_trainer, rating_overall, knowledge_before, knowledge_after,
         confidence_before, confidence_after, outcomes_met, improve_safeguarding)
       SELECT session_id, id, 'online', 4, 4, 3, 5, 1 + id % 5, 3, 7, NULL, 8, 'yes', 'unsure'
         FROM bookings WHERE id IN (${bookings.slice(3, 10).join(', ')})`);
  agree('after forms in the window');
  closeWindow(id);
  agree('after the window closed (a released step)');

  // Late paper forms typed in: a step of their own once there are 5.
  const typed = await as(coordinator, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
    body: { forms: Array.from({ length: 5 }, () => ({ ...RATED, rating_overall: 2 })) } });
  assert.equal(typed.status, 200, typed.text);
  agree('after late forms');
  const [[batch]] = sql(`SELECT id FROM evaluation_uploads WHERE session_id = ${id} ORDER BY id DESC LIMIT 1`);
  const voided = await as(coordinator, `/api/v1/evaluation-batches/${batch}/void`, { method: 'POST',
    body: { reason: 'Typed twice' } });
  assert.equal(voided.status, 200, voided.text);
  agree('after a batch voided');

  // Follow-ups and managers' reviews, asked and answered.
  sql(`INSERT INTO followups (booking_id, due_on)
       SELECT id, current_date - 40 FROM bookings WHERE session_id = ${id}`);
  sql(`UPDATE followups SET completed_at = now(), applied = 'yes', confidence_now = 6
        WHERE booking_id IN (SELECT id FROM bookings WHERE session_id = ${id})
          AND booking_id % 3 <> 0`);
  sql(`INSERT INTO manager_reviews (booking_id, manager_email, expires_at, manager_source)
       SELECT id, 'manager' || id || '@example.org', now() + interval '10 days', 'staff_list'
         FROM bookings WHERE session_id = ${id}`);
  sql(`UPDATE manager_reviews SET answered_at = now(), changed_practice = 'yes'
        WHERE booking_id IN (SELECT id FROM bookings WHERE session_id = ${id})
          AND booking_id % 2 = 0`);
  agree('after follow-ups and managers');

  // A person changes agency; the session moves to another month and course.
  const [[person]] = sql(`SELECT person_id FROM bookings WHERE id = ${bookings[5]}`);
  sql(`UPDATE people SET agency_id = (SELECT id FROM agencies WHERE id <>
         coalesce((SELECT agency_id FROM people WHERE id = ${person}), 0) ORDER BY id LIMIT 1)
        WHERE id = ${person}`);
  agree('after a person changed agency');
  move(id, -50);
  sql(`UPDATE sessions SET course_id = (SELECT id FROM courses WHERE id <>
         (SELECT course_id FROM sessions WHERE id = ${id}) ORDER BY id LIMIT 1) WHERE id = ${id}`);
  agree('after the session moved');

  // Erasure keeps the counts (the places and forms stay, anonymous).
  const erased = await as(coordinator, `/api/v1/people/${person}`, { method: 'DELETE' });
  assert.equal(erased.status, 204, erased.text);
  agree('after erasure');

  // A booking taken away entirely, with what hangs on it.
  const gone = bookings[13];
  sql(`DELETE FROM manager_reviews WHERE booking_id = ${gone};
       DELETE FROM followups WHERE booking_id = ${gone};
       DELETE FROM evaluations WHERE booking_id = ${gone};
       DELETE FROM baselines WHERE booking_id = ${gone};
       DELETE FROM walk_ins WHERE booking_id = ${gone};
       DELETE FROM evaluation_notices WHERE booking_id = ${gone};
       DELETE FROM training_records WHERE booking_id = ${gone};
       DELETE FROM bookings WHERE id = ${gone}`);
  agree('after a booking deleted');

  // The place counts are differences: folding each bucket's rows into
  // one changes no sum.
  const buckets = () => sql(`SELECT
      (SELECT count(*) FROM report_course_places) - (SELECT count(*) FROM (SELECT DISTINCT
        course_id, month, status, walk_in FROM report_course_places) k),
      (SELECT count(*) FROM report_agency_places) - (SELECT count(*) FROM (SELECT DISTINCT
        month, agency_id, status FROM report_agency_places) k)`)[0].map(Number);
  const [courseExtra, agencyExtra] = buckets();
  assert.ok(courseExtra > 0 && agencyExtra > 0, 'the changes above left buckets of several rows');
  assert.ok(Number(sql('SELECT report_places_fold()')[0][0]) > 0, 'the fold deletes rows');
  assert.deepEqual(buckets(), [0, 0], 'one row a bucket after the fold');
  agree('after the place counts were folded');

  // Control: one count off by one is seen.
  const corrupt = (k) => sql(`UPDATE report_course_places SET n = n + ${k} WHERE ctid =
         (SELECT ctid FROM report_course_places WHERE n > 0
           ORDER BY course_id, month, status, walk_in LIMIT 1)`);
  corrupt(1);
  assert.ok(differences().course_places, 'a wrong count is found');
  corrupt(-1);
  agree('after the control');
});

// The counts are appended, never changed in place: two people of one
// agency booked onto two sessions of one course in one month, in two
// transactions open at once, do not wait on each other (in place, the
// second would wait for the first's count rows until it ended).
test('two bookings in one course, month and agency do not wait on each other', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const a = await newSession(coordinator, trainer, { days: 40 });
  const b = await newSession(coordinator, trainer, { days: 40 });
  const [[first, second]] = sql(`SELECT min(id), max(id) FROM (SELECT id FROM people
      WHERE agency_id = (SELECT agency_id FROM people WHERE email LIKE '%@agency%'
                          ORDER BY id LIMIT 1)
      ORDER BY id LIMIT 2) p`);
  assert.notEqual(first, second, 'two people of one agency');
  const one = pgClient();
  const two = pgClient();
  await one.connect();
  await two.connect();
  try {
    await one.query('BEGIN');
    await one.query(`INSERT INTO bookings (session_id, person_id, status, confirmed_at)
      VALUES ($1, $2, 'confirmed', now())`, [a, first]);
    await two.query("SET lock_timeout = '1s'");
    await two.query('BEGIN');
    await two.query(`INSERT INTO bookings (session_id, person_id, status, confirmed_at)
      VALUES ($1, $2, 'confirmed', now())`, [b, second]);
    await two.query(`UPDATE bookings SET status = 'cancelled', cancelled_at = now()
      WHERE session_id = $1 AND person_id = $2`, [b, second]);
    await two.query('COMMIT');
    await one.query('COMMIT');
  } finally {
    await one.end();
    await two.end();
  }
  agree('after two bookings at once');
  // The first place was taken past the sessions' counts of places: give
  // it up, so that later tests (an erasure releases a person's places)
  // find the counts true.
  sql(`UPDATE bookings SET status = 'cancelled', cancelled_at = now()
    WHERE session_id = ${a} AND person_id = ${first}`);
  agree('after the first place is given up');
});

// A recount of more than 1000 buckets (a bulk load) locks the table, not
// each bucket: one advisory lock a bucket ran out of the lock table at
// the demo data's 100x. Up to 1000, each bucket is locked on its own.
test('a recount of many buckets locks the table, of a few each bucket, in one call or over many', async () => {
  const db = pgClient();
  await db.connect();
  // `recount`: the function as the schema has it, or as a migration
  // defined it (its CREATE FUNCTION run in this transaction, in pg_temp).
  const locks = async (buckets, recount = 'report_forms_recount') => {
    await db.query('BEGIN');
    try {
      if (recount !== 'report_forms_recount') await db.query(recount);
      await db.query(`SELECT ${recount === 'report_forms_recount' ? recount : 'pg_temp.report_forms_recount'}(array_agg(c.id), array_agg(m::date))
        FROM (SELECT min(id) AS id FROM courses) c,
             generate_series(date '1900-01-01', date '1900-01-01' + interval '${buckets - 1} months',
                             interval '1 month') g (m)`);
      const { rows: [r] } = await db.query(`SELECT count(*) FILTER (WHERE locktype = 'advisory')::int AS advisory,
          coalesce(bool_or(locktype = 'relation' AND mode = 'ExclusiveLock'
                   AND relation = 'report_course_forms'::regclass), false) AS whole
        FROM pg_locks WHERE pid = pg_backend_pid()`);
      return [r.advisory, r.whole];
    } finally {
      await db.query('ROLLBACK');
    }
  };
  try {
    assert.deepEqual(await locks(1000), [1000, false]);
    assert.deepEqual(await locks(1001), [0, true]);
    // Migration 0021's own, which its backfill calls on a database
    // upgraded to it: the same rule.
    const migration = readFileSync(new URL('../../sql/migrations/0021_report_aggregates.sql', import.meta.url), 'utf8');
    const created = migration.match(/CREATE FUNCTION report_forms_recount\([^]*?\n\$\$;/)[0]
      .replace('CREATE FUNCTION report_forms_recount', 'CREATE FUNCTION pg_temp.report_forms_recount');
    assert.deepEqual(await locks(1000, created), [1000, false]);
    assert.deepEqual(await locks(1001, created), [0, true]);
    // Many calls in one transaction, one bucket or session each (a bulk
    // insert of forms releases each session's in a call of its own):
    // 1000 advisory locks of a kind, then its table instead.
    for (const [recount, table] of [
      ["report_forms_recount(ARRAY[(SELECT min(id) FROM courses)], ARRAY[(date '1900-01-01' + make_interval(months => i))::date])", 'report_course_forms'],
      ['report_stages_recount(ARRAY[-i::bigint])', 'report_session_stages']]) {
      const held = async (calls) => {
        await db.query('BEGIN');
        try {
          await db.query(`SELECT ${recount} FROM generate_series(1, ${calls}) i`);
          const { rows: [r] } = await db.query(`SELECT count(*) FILTER (WHERE locktype = 'advisory')::int AS advisory,
              coalesce(bool_or(locktype = 'relation' AND mode = 'ExclusiveLock'
                       AND relation = $1::regclass), false) AS whole
            FROM pg_locks WHERE pid = pg_backend_pid()`, [table]);
          return [r.advisory, r.whole];
        } finally {
          await db.query('ROLLBACK');
        }
      };
      assert.deepEqual(await held(1000), [1000, false], table);
      assert.deepEqual(await held(1300), [1000, true], table);
      // The count is the transaction's: the next one starts again.
      assert.deepEqual(await held(10), [10, false], table);
    }
  } finally {
    await db.end();
  }
});

// A recount writes only the counts that changed (migration 0031): a
// count left as it was keeps its row version (its xmin is not this
// transaction's), so a bulk load that recounts a bucket once a session
// does not leave a dead copy of the whole bucket each time. Checked on a
// recount with nothing changed, on a same-day form's rating changed (its
// course and month's answers), and on a follow-up's confidence changed
// (its session's follow-ups, stages and confidence pairs).
test('a recount rewrites only the counts that changed', async () => {
  const db = pgClient();
  await db.connect();
  // The rows of `table` under `where`, each as JSON with whether this
  // transaction wrote it.
  const rows = async (table, where, params) => (await db.query(
    `SELECT to_jsonb(t) - 'xmin' AS row, t.xmin = pg_current_xact_id()::xid AS written
       FROM (SELECT *, xmin FROM ${table}) t WHERE ${where}`, params)).rows;
  // Rows written are exactly the rows not among `before` (new or changed).
  const onlyChanged = (before, after, what) => {
    const old = new Set(before.map((r) => JSON.stringify(r.row)));
    for (const r of after)
      assert.equal(r.written, !old.has(JSON.stringify(r.row)), `${what}: ${JSON.stringify(r.row)}`);
  };
  try {
    await db.query('BEGIN');
    const { rows: [f] } = await db.query(`SELECT e.id, s.course_id, report_month(s.starts_at) AS month
      FROM evaluations e JOIN sessions s ON s.id = e.session_id
      LEFT JOIN evaluation_uploads u ON u.id = e.upload_id
     WHERE e.rating_overall IS NOT NULL AND u.voided_at IS NULL AND e.step IS NOT NULL
       AND (SELECT count(*) FROM evaluations x WHERE x.session_id = e.session_id
             AND x.step = e.step) >= 5
     ORDER BY e.id LIMIT 1`);
    const { rows: [u] } = await db.query(`SELECT f.id, b.session_id FROM followups f
      JOIN bookings b ON b.id = f.booking_id
      JOIN evaluations e ON e.booking_id = b.id
     WHERE f.confidence_now IS NOT NULL AND e.confidence_before IS NOT NULL
       AND b.status IN ('attended', 'partial')
     ORDER BY f.id LIMIT 1`);
    assert.ok(f && u, 'the demo data has a released form and an answered follow-up');
    const bucket = ['report_course_forms', 'course_id = $1 AND month = $2', [f.course_id, f.month]];
    const session = [['report_session_due', 'session_id = $1', [u.session_id]],
      ['report_session_stages', 'session_id = $1', [u.session_id]],
      ['report_session_sustained', 'session_id = $1', [u.session_id]]];

    // Nothing changed: a recount writes nothing.
    await db.query('SELECT report_forms_recount(ARRAY[$1::bigint], ARRAY[$2::date])',
      [f.course_id, f.month]);
    await db.query('SELECT report_stages_recount(ARRAY[$1::bigint])', [u.session_id]);
    for (const [table, where, params] of [bucket, ...session]) {
      const now = await rows(table, where, params);
      assert.ok(now.length > 0, `${table} has rows`);
      assert.deepEqual(now.filter((r) => r.written), [], `${table}: nothing rewritten`);
    }

    // One rating changed: its two counts, not the bucket's other rows.
    const formsBefore = await rows(...bucket);
    await db.query(`UPDATE evaluations SET rating_overall = CASE rating_overall WHEN 5 THEN 4
      ELSE rating_overall + 1 END WHERE id = $1`, [f.id]);
    const formsAfter = await rows(...bucket);
    onlyChanged(formsBefore, formsAfter, 'report_course_forms');
    assert.ok(formsAfter.some((r) => r.written) && formsAfter.some((r) => !r.written));

    // One confidence changed: its pairs only, not the session's other rows.
    const before = await Promise.all(session.map((s) => rows(...s)));
    await db.query(`UPDATE followups SET confidence_now = CASE confidence_now WHEN 10 THEN 9
      ELSE confidence_now + 1 END WHERE id = $1`, [u.id]);
    const after = await Promise.all(session.map((s) => rows(...s)));
    session.forEach(([table], i) => onlyChanged(before[i], after[i], table));
    assert.ok(after[2].some((r) => r.written), 'the pairs changed');
    assert.deepEqual(after[1].filter((r) => r.written), [], 'the stages did not');
  } finally {
    await db.query('ROLLBACK');
    await db.end();
  }
});
