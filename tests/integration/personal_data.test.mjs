// Personal data kept only where it should be. Every column that can hold
// text, an address or bytes is marked in its comment [personal], [sealed]
// or [not personal] (sql/migrations/0016_personal_data.sql); erasing a
// person (DELETE /api/v1/people/{id}) leaves nothing of them in any
// [personal] column. The columns are read from the catalogue, so a new
// column without a marker, or a new [personal] column that erasure does
// not handle (or that this test's person leaves empty), fails here.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { sql, login, as, register } from './http.mjs';

// A mark in everything of the person's: name, addresses, words.
const tag = `qzv${process.pid}k${Date.now() % 100000}`;
const fullName = `Ottoline ${tag} Brackenbury`;
const ip = `192.0.2.${(process.pid % 250) + 1}`;
let coordinator;

// Text-like types whose columns must say whether they hold personal data.
const TYPES = `'text', 'character varying', 'character', 'json', 'jsonb', 'inet',
  'cidr', 'bytea', 'text[]', 'character varying[]', 'jsonb[]', 'inet[]'`;

// [table, column, marker] of every such column of the public schema's tables.
function classified() {
  return sql(`SELECT c.relname, a.attname,
      coalesce(substring(col_description(c.oid, a.attnum)
        from '\\[(personal|not personal|sealed)\\]'), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0
     AND NOT a.attisdropped AND format_type(a.atttypid, NULL) IN (${TYPES})
   ORDER BY 1, 2`);
}

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

// How many values of each [personal] column hold one of `needles`.
function holding(needles) {
  const out = {};
  for (const [table, column, marker] of classified()) {
    if (marker !== 'personal') continue;
    const cond = needles.map((n) => `"${column}"::text ILIKE ${q(`%${n}%`)}`).join(' OR ');
    const [[count]] = sql(`SELECT count(*) FROM "${table}" WHERE ${cond}`);
    out[`${table}.${column}`] = Number(count);
  }
  return out;
}

before(async () => {
  coordinator = await login('coordinator@demo.example');
});

test('every column that can hold text, an address or bytes says whether it is personal', () => {
  const cols = classified();
  assert.ok(cols.length > 50, 'the catalogue is read');
  const unmarked = cols.filter(([, , m]) => m === '').map(([t, c]) => `${t}.${c}`);
  assert.deepEqual(unmarked, [], 'columns without [personal], [sealed] or [not personal] in their comment');
  const twice = sql(`SELECT c.relname || '.' || a.attname FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
     AND (SELECT count(*) FROM regexp_matches(coalesce(col_description(c.oid, a.attnum), ''),
          '\\[(personal|not personal|sealed)\\]', 'g')) > 1`).map(([x]) => x);
  assert.deepEqual(twice, [], 'a column says one thing');
  // What plainly holds personal data is marked so.
  const personal = new Set(cols.filter(([, , m]) => m === 'personal').map(([t, c]) => `${t}.${c}`));
  for (const [t, c] of cols) {
    if (/(^|_)(email|full_name|job_title|ip|password_hash|evidence|example|hopes|comments|to_address|facilitator)$/.test(c)) {
      assert.ok(personal.has(`${t}.${c}`), `${t}.${c} holds personal data: mark it [personal]`);
    }
  }
});

test('erasure leaves nothing of the person in any [personal] column', async () => {
  // The person: an account made through registration (a verification
  // link, a registration counted per address), signed in (a session, an
  // attempt, audited), with their requests from one address.
  const { res, body } = await register({ full_name: fullName, email: `erase.${tag}@example.org`,
    job_title: `Nurse ${tag}`, manager_email: `mgr.${tag}@example.org` });
  assert.equal(res.status, 200, res.text);
  const email = body.email;
  await login(email, body.password);
  const [[pid]] = sql(`SELECT id FROM people WHERE lower(email) = lower(${q(email)})`);
  sql(`UPDATE web_sessions SET ip = '${ip}' WHERE person_id = ${pid};
    UPDATE login_attempts SET ip = '${ip}' WHERE lower(email) = lower(${q(email)});
    UPDATE account_requests SET ip = '${ip}' WHERE lower(email) = lower(${q(email)});
    UPDATE audit_log SET ip = '${ip}' WHERE actor_person_id = ${pid}`);
  const [[hash]] = sql(`SELECT password_hash FROM accounts WHERE person_id = ${pid}`);
  const claimHash = `$argon2id$v=19$m=65536,t=2,p=1$${tag}`;

  // A registration waiting to claim them, made by someone at their address.
  sql(`INSERT INTO email_verifications (token_hash, email, full_name, job_title, manager_email,
      password_hash, expires_at)
    VALUES (sha256(random()::text::bytea), ${q(email)}, ${q(fullName)}, ${q(`Nurse ${tag}`)},
      ${q(`mgr.${tag}@example.org`)}, ${q(claimHash)}, now() + interval '1 day')`);

  // Two past sessions: one attended (every stage answered, with words),
  // one they trained (a paper form names them).
  const [[s1], [s2]] = sql(`SELECT id FROM sessions WHERE ends_at < now() - interval '30 days'
    AND status <> 'cancelled' ORDER BY id LIMIT 2`);
  const [[booking]] = sql(`WITH b AS (INSERT INTO bookings (session_id, person_id, status)
    VALUES (${s1}, ${pid}, 'attended') RETURNING id) SELECT id FROM b`);
  sql(`INSERT INTO baselines (booking_id, session_id, knowledge, hopes)
      VALUES (${booking}, ${s1}, 4, ${q(`I hope to learn (${tag})`)});
    INSERT INTO evaluations (session_id, booking_id, source, rating_overall, action, comments)
      VALUES (${s1}, ${booking}, 'online', 4, ${q(`Share it (${tag})`)}, ${q(`Good (${tag})`)});
    INSERT INTO followups (booking_id, due_on, applied, example, completed_at)
      VALUES (${booking}, current_date - 1, 'yes', ${q(`At my school (${tag})`)}, now());
    INSERT INTO manager_reviews (booking_id, manager_email, token_hash, expires_at, answered_at,
        changed_practice, evidence)
      VALUES (${booking}, ${q(`mgr.${tag}@example.org`)}, sha256(random()::text::bytea),
        now() + interval '30 days', now(), 'yes', ${q(`${fullName} now refers sooner`)});
    INSERT INTO session_trainers (session_id, person_id) VALUES (${s2}, ${pid})
      ON CONFLICT DO NOTHING;
    INSERT INTO evaluations (session_id, source, rating_overall, comments)
      VALUES (${s2}, 'paper', 5, ${q(`${fullName} explained it well.`)});
    INSERT INTO evaluation_uploads (session_id, forms, uploaded_by, typed, voided_at, void_reason)
      VALUES (${s2}, 0, ${pid}, true, now(), ${q(`Typed twice by ${fullName}`)});
    INSERT INTO walk_ins (booking_id, by_trainer, entered_name) VALUES (${booking}, true, ${q(fullName)});
    INSERT INTO manager_changes (person_id, manager_email, token_hash, expires_at)
      VALUES (${pid}, ${q(`new.mgr.${tag}@example.org`)}, sha256(random()::text::bytea),
        now() + interval '1 day')`);

  // A supervision group they facilitate, and a meeting naming them.
  sql(`WITH g AS (INSERT INTO supervision_groups (name, kind, facilitator, facilitator_person_id)
      VALUES ('Erasure test ${tag}', 'mixed', ${q(fullName)}, ${pid}) RETURNING id)
    INSERT INTO supervision_sessions (group_id, held_on, duration_minutes, facilitator,
      specific_topic, actions)
    SELECT id, current_date - 3, 60, ${q(fullName)}, ${q(`Escalation, led by ${fullName}`)},
      ${q(`${fullName} to send the policy.`)} FROM g`);

  // Mail: to them (one refused by the relay), about them to their
  // manager, and naming them to someone else.
  sql(`INSERT INTO email_outbox (to_address, subject, body_text, status, attempts, last_error)
      VALUES (${q(email)}, 'Your booking', 'Dear you', 'failed', 5, ${q(`550 <${email}> unknown`)});
    INSERT INTO email_outbox (to_address, subject, body_text)
      VALUES (${q(`mgr.${tag}@example.org`)}, 'Has the training changed their practice?',
        ${q(`Dear manager, ${fullName} attended a course.`)});
    INSERT INTO email_outbox (to_address, subject, body_text, ics)
      VALUES ('someone.else@example.org', ${q(`Session with ${fullName}`)},
        ${q(`Your trainer is ${fullName}.`)}, ${q(`BEGIN:VEVENT\r\nDESCRIPTION:Trainer ${fullName}\r\nEND:VEVENT`)})`);

  // Their own copy of their data (subject access) holds what is theirs.
  const own = await as(await login(email, body.password), '/api/v1/me/data');
  assert.equal(own.status, 200, own.text);
  assert.deepEqual(own.json.walk_ins.map((w) => [w.booking_id, w.entered_name, w.added_by_trainer]),
    [[Number(booking), fullName, true]], 'their walk-in');
  assert.deepEqual(own.json.manager_changes.map((m) => m.manager_email), [`new.mgr.${tag}@example.org`],
    'the manager change they asked for');
  assert.ok(own.json.evaluations.some((e) => e.comments === `Good (${tag})`), 'their own words');
  assert.doesNotMatch(own.text, /token_hash/, 'never a link\'s hash');

  const needles = [tag, ip, hash, claimHash];
  const before_ = holding(needles);
  const empty = Object.entries(before_).filter(([, n]) => n === 0).map(([c]) => c);
  assert.deepEqual(empty, [], 'every [personal] column holds something of the person before erasure '
    + '(a new [personal] column: give this test\'s person a value in it, and make erasure remove it)');

  const erased = await as(coordinator, `/api/v1/people/${pid}`, { method: 'DELETE' });
  assert.equal(erased.status, 204, erased.text);

  const after = holding(needles);
  const left = Object.entries(after).filter(([, n]) => n > 0).map(([c, n]) => `${c}: ${n}`);
  assert.deepEqual(left, [], 'nothing of the erased person is left in a [personal] column');

  // What the statistics need is kept, anonymous.
  assert.deepEqual(sql(`SELECT full_name, email IS NULL FROM people WHERE id = ${pid}`)[0], ['Erased person', 't']);
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE id = ${booking} AND status = 'attended'`)[0][0], '1');
  assert.deepEqual(sql(`SELECT rating_overall, action IS NULL, comments IS NULL FROM evaluations
    WHERE booking_id = ${booking}`)[0], ['4', 't', 't']);
  assert.deepEqual(sql(`SELECT changed_practice, evidence IS NULL FROM manager_reviews
    WHERE booking_id = ${booking}`)[0], ['yes', 't']);
  assert.deepEqual(sql(`SELECT applied FROM followups WHERE booking_id = ${booking}`)[0], ['yes']);
  assert.equal(sql(`SELECT comments FROM evaluations WHERE session_id = ${s2} AND source = 'paper'
    AND comments LIKE '%explained it well.'`)[0][0], 'Erased person explained it well.');
  assert.equal(sql(`SELECT void_reason FROM evaluation_uploads WHERE session_id = ${s2}
    AND void_reason LIKE 'Typed twice by %'`)[0][0], 'Typed twice by Erased person');
  assert.equal(sql(`SELECT actions FROM supervision_sessions s JOIN supervision_groups g ON g.id = s.group_id
    WHERE g.name = 'Erasure test ${tag}'`)[0][0], 'Erased person to send the policy.');
  assert.equal(sql(`SELECT subject FROM email_outbox WHERE to_address = 'someone.else@example.org'
    ORDER BY id DESC LIMIT 1`)[0][0], 'Session with Erased person');
});

test('registrations and reset requests are kept a day, for the throttles, then purged', () => {
  const mark = `purge.${tag}`;
  sql(`INSERT INTO account_requests (kind, email, ip, at) VALUES
      ('register', 'old.${mark}@example.org', '${ip}', now() - interval '25 hours'),
      ('reset', 'new.${mark}@example.org', '${ip}', now() - interval '2 hours')`);
  const run = spawnSync('build/portalctl', ['purge'], { encoding: 'utf8', env: process.env, timeout: 60000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(sql(`SELECT email FROM account_requests WHERE email LIKE '%.${mark}@example.org'`),
    [[`new.${mark}@example.org`]]);
  sql(`DELETE FROM account_requests WHERE email LIKE '%.${mark}@example.org'`);
});
