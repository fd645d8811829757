// Retention (README.md): the scheduled loop deletes sign-in attempts after
// a day, sessions and reset links once expired, and sent mail after
// PORTAL_MAIL_RETENTION_DAYS (30 by default); it keeps everything else,
// and two purges at once do no harm.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { sql } from './http.mjs';

const tag = `purge.${process.pid}`;

function portalctl(args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn('build/portalctl', args, { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 30000);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, out, err }); });
  });
}

// Rows either side of each rule, marked with `tag`; returns what is left.
function seed() {
  const [[person]] = sql("SELECT person_id FROM accounts a JOIN people p ON p.id = a.person_id " +
    "WHERE p.email = 'practitioner@demo.example'");
  sql(`INSERT INTO login_attempts (email, at, succeeded) VALUES
      ('old.${tag}@example.org', now() - interval '25 hours', false),
      ('new.${tag}@example.org', now() - interval '2 hours', false);
    INSERT INTO web_sessions (token_hash, person_id, csrf_token, created_at, last_seen_at, expires_at) VALUES
      (sha256('expired.${tag}'), ${person}, 'expired.${tag}', now() - interval '13 hours',
        now() - interval '20 minutes', now() - interval '1 hour'),
      (sha256('idle.${tag}'), ${person}, 'idle.${tag}', now() - interval '2 hours',
        now() - interval '31 minutes', now() + interval '10 hours'),
      (sha256('live.${tag}'), ${person}, 'live.${tag}', now() - interval '2 hours',
        now() - interval '5 minutes', now() + interval '10 hours');
    INSERT INTO password_resets (token_hash, person_id, created_at, expires_at) VALUES
      (sha256('expired.${tag}'), ${person}, now() - interval '2 hours', now() - interval '1 hour'),
      (sha256('live.${tag}'), ${person}, now() - interval '10 minutes', now() + interval '50 minutes');
    INSERT INTO email_outbox (to_address, subject, body_text, status, sent_at, created_at, next_attempt_at) VALUES
      ('old.sent.${tag}@example.org', 's', 'b', 'sent', now() - interval '31 days', now() - interval '31 days', now() - interval '31 days'),
      ('new.sent.${tag}@example.org', 's', 'b', 'sent', now() - interval '29 days', now() - interval '29 days', now() - interval '29 days'),
      ('old.failed.${tag}@example.org', 's', 'b', 'failed', NULL, now() - interval '40 days', now() - interval '35 days'),
      ('old.pending.${tag}@example.org', 's', 'b', 'pending', NULL, now() - interval '40 days', now() + interval '1 day')`);
}

function left() {
  return {
    attempts: sql(`SELECT email FROM login_attempts WHERE email LIKE '%.${tag}@example.org' ORDER BY 1`).flat(),
    sessions: sql(`SELECT csrf_token FROM web_sessions WHERE csrf_token LIKE '%.${tag}' ORDER BY 1`).flat(),
    resets: sql(`SELECT count(*) FROM password_resets WHERE token_hash IN
      (sha256('expired.${tag}'), sha256('live.${tag}'))`)[0][0],
    liveReset: sql(`SELECT count(*) FROM password_resets WHERE token_hash = sha256('live.${tag}')`)[0][0],
    mail: sql(`SELECT to_address FROM email_outbox WHERE to_address LIKE '%.${tag}@example.org' ORDER BY 1`).flat(),
  };
}

const KEPT = {
  attempts: [`new.${tag}@example.org`],
  sessions: [`live.${tag}`],
  resets: '1',
  liveReset: '1',
  mail: [`new.sent.${tag}@example.org`, `old.pending.${tag}@example.org`],
};

beforeEach(() => {
  sql(`DELETE FROM login_attempts WHERE email LIKE '%.${tag}@example.org';
    DELETE FROM web_sessions WHERE csrf_token LIKE '%.${tag}';
    DELETE FROM password_resets WHERE token_hash IN (sha256('expired.${tag}'), sha256('live.${tag}'));
    DELETE FROM email_outbox WHERE to_address LIKE '%.${tag}@example.org'`);
  seed();
});

test('portalctl purge deletes what is past its retention and keeps the rest', async () => {
  const r = await portalctl(['purge']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /purged \d+ sign-in attempts, \d+ sessions, \d+ reset links, \d+ sent mails/);
  assert.deepEqual(left(), KEPT);
  // Nothing more goes the second time.
  await portalctl(['purge']);
  assert.deepEqual(left(), KEPT);
});

test('the retention of sent mail is PORTAL_MAIL_RETENTION_DAYS', async () => {
  const r = await portalctl(['purge'], { PORTAL_MAIL_RETENTION_DAYS: '28' });
  assert.equal(r.status, 0, r.err);
  assert.deepEqual(left().mail, [`old.pending.${tag}@example.org`]);
});

test('two purges at once both finish, and the outcome is the same', async () => {
  const runs = await Promise.all([portalctl(['purge']), portalctl(['purge']), portalctl(['purge'])]);
  for (const r of runs) assert.equal(r.status, 0, r.err);
  assert.deepEqual(left(), KEPT);
});

test('the sender loop purges on each round', async () => {
  // No relay listens there: what is due fails and waits, as it would.
  const r = await portalctl(['send-mail', '--once'], { PORTAL_SMTP_URL: 'smtp://127.0.0.1:9' });
  assert.match(r.out, /purged/, r.err);
  assert.deepEqual(left(), KEPT);
});

test('the purge folds the place counts: one row a bucket, the same sums, also with two at once', async () => {
  const sums = () => sql(`SELECT course_id, month, status, walk_in, sum(n), sum(baselines)
      FROM report_course_places GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 OR sum(baselines) <> 0
    UNION ALL SELECT agency_id, month, status, NULL, sum(n), NULL
      FROM report_agency_places GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`);
  const extra = () => sql(`SELECT (SELECT count(*) FROM report_course_places)
      - (SELECT count(*) FROM (SELECT DISTINCT course_id, month, status, walk_in
                                 FROM report_course_places) k)
      + (SELECT count(*) FROM report_agency_places)
      - (SELECT count(*) FROM (SELECT DISTINCT month, agency_id, status
                                 FROM report_agency_places) k)`)[0][0];
  // Each booking and cancellation a statement of its own: rows to fold.
  const [[session]] = sql(`SELECT id FROM sessions WHERE starts_at > now() ORDER BY id LIMIT 1`);
  const people = sql(`SELECT id FROM people p WHERE NOT EXISTS (SELECT 1 FROM bookings b
      WHERE b.person_id = p.id AND b.session_id = ${session}) ORDER BY id LIMIT 3`).map(([id]) => id);
  for (const id of people) {
    sql(`INSERT INTO bookings (session_id, person_id, status, confirmed_at)
         VALUES (${session}, ${id}, 'confirmed', now())`);
    sql(`UPDATE bookings SET status = 'cancelled', cancelled_at = now()
         WHERE session_id = ${session} AND person_id = ${id}`);
  }
  const before = sums();
  assert.ok(Number(extra()) > 0, 'buckets of several rows');
  const runs = await Promise.all([portalctl(['purge']), portalctl(['purge'])]);
  for (const r of runs) assert.equal(r.status, 0, r.err);
  assert.equal(extra(), '0');
  assert.deepEqual(sums(), before);
});

test('e-mail links go once used or expired; an account never verified goes after a week, and its person is erased', async () => {
  sql(`INSERT INTO people (full_name, email) VALUES
      ('Stale ${tag}', 'stale.${tag}@example.org'), ('Fresh ${tag}', 'fresh.${tag}@example.org'),
      ('Proven ${tag}', 'proven.${tag}@example.org')`);
  const people = sql(`SELECT id FROM people WHERE full_name LIKE '% ${tag}' ORDER BY id`).flat();
  const [stale, fresh, proven] = people;
  const hash = '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA';
  sql(`INSERT INTO accounts (person_id, password_hash, created_at, verified_at) VALUES
      (${stale}, '${hash}', now() - interval '8 days', NULL),
      (${fresh}, '${hash}', now() - interval '1 day', NULL),
      (${proven}, '${hash}', now() - interval '30 days', now() - interval '30 days');
    INSERT INTO email_verifications (token_hash, email, person_id, created_at, expires_at) VALUES
      (sha256('stale.${tag}'), 'stale.${tag}@example.org', ${stale}, now() - interval '8 days', now() - interval '7 days'),
      (sha256('fresh.${tag}'), 'fresh.${tag}@example.org', ${fresh}, now() - interval '1 hour', now() + interval '23 hours');
    INSERT INTO email_verifications (token_hash, email, full_name, password_hash, created_at, expires_at, used_at) VALUES
      (sha256('used.${tag}'), 'used.${tag}@example.org', 'Used', '${hash}', now() - interval '2 hours', now() + interval '22 hours', now() - interval '1 hour'),
      (sha256('expired.claim.${tag}'), 'expired.${tag}@example.org', 'Expired', '${hash}', now() - interval '25 hours', now() - interval '1 hour', NULL),
      (sha256('live.claim.${tag}'), 'live.${tag}@example.org', 'Live', '${hash}', now() - interval '1 hour', now() + interval '23 hours', NULL)`);
  const r = await portalctl(['purge']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /\d+ e-mail links, \d+ unverified accounts/);
  assert.deepEqual(sql(`SELECT email FROM email_verifications WHERE email LIKE '%.${tag}@example.org' ORDER BY 1`).flat(),
    [`fresh.${tag}@example.org`, `live.${tag}@example.org`]);
  assert.deepEqual(sql(`SELECT person_id FROM accounts WHERE person_id IN (${people}) ORDER BY 1`).flat(), [fresh, proven]);
  assert.deepEqual(sql(`SELECT full_name, coalesce(email, 'NULL'), erased_at IS NOT NULL FROM people
    WHERE id IN (${people}) ORDER BY id`), [['Erased person', 'NULL', 't'],
    [`Fresh ${tag}`, `fresh.${tag}@example.org`, 'f'], [`Proven ${tag}`, `proven.${tag}@example.org`, 'f']]);
});
