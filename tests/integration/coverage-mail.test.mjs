// Coverage reminders in the mail sender's loop (app/job_coverage.c): 60
// days before training expires, once when it has expired, a monthly
// digest to setting leads; never twice, even with two senders at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sql } from './http.mjs';

const tag = `mail${process.pid}`;
const insert = (q) => sql(`WITH x AS (${q}) SELECT * FROM x`)[0][0];

// One `portalctl send-mail --once` (the relay is unreachable: mail stays
// in the outbox, which is what is counted).
function sendOnce() {
  return new Promise((resolve, reject) => {
    const child = spawn('build/portalctl', ['send-mail', '--once'], {
      env: { ...process.env, PORTAL_SMTP_URL: 'smtp://127.0.0.1:9', PORTAL_MAIL_INTERVAL: '1' },
      stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { child.kill(); reject(new Error('send-mail took over 60 s')); }, 60000);
    child.on('exit', () => { clearTimeout(timer); resolve(err); });
  });
}

const mails = (email) => sql(`SELECT subject FROM email_outbox WHERE to_address = '${email}' ORDER BY id`)
  .map((r) => r[0]);

test('expiry reminders and the leads\' digest are queued once, even by two senders at once', async () => {
  const agency = insert(`INSERT INTO agencies (name, sector, area, phase)
    VALUES ('Mail Test School ${tag}', 'education', 'Hackney', 'primary') RETURNING id`);
  const person = (name, level, daysAgo) => {
    const email = `${name}.${tag}@example.org`;
    const id = insert(`INSERT INTO people (agency_id, full_name, email, group_level_id)
      SELECT ${agency}, '${name}', '${email}', id FROM group_levels WHERE code = '${level}'
         AND scheme_id = (SELECT id FROM group_schemes WHERE is_default) RETURNING id`);
    if (daysAgo !== null) {
      sql(`INSERT INTO training_records (person_id, group_level_id, completed_on, title, provider, source)
        SELECT ${id}, group_level_id, (now() AT TIME ZONE 'Europe/London')::date - ${daysAgo}, 'T', 'P', 'import'
          FROM people WHERE id = ${id}`);
    }
    return email;
  };
  // Group 5 lasts 24 months: completed 700 days ago expires in about 30 days.
  const soon = person('soon', 'G5', 700);
  // Group 3, 36 months: completed 1100 days ago, expired a few days ago.
  const lapsed = person('lapsed', 'G3', 1100);
  const fresh = person('fresh', 'G2', 10);
  const never = person('never', 'G1', null);
  const longAgo = person('longago', 'G2', 3000);
  const [[leadEmail]] = sql(`SELECT email FROM people WHERE id = (SELECT person_id FROM account_roles
    WHERE role = 'setting_lead' LIMIT 1)`);
  // This test's school gets a lead: an account of its own.
  const leadId = insert(`INSERT INTO people (agency_id, full_name, email) VALUES (${agency}, 'Lead ${tag}',
    'lead.${tag}@example.org') RETURNING id`);
  sql(`INSERT INTO accounts (person_id, password_hash) VALUES (${leadId}, '$argon2id$v=19$m=65536,t=2,p=1$x$y')`);
  sql(`INSERT INTO account_roles (person_id, role, agency_id) VALUES (${leadId}, 'setting_lead', ${agency})`);

  const errors = await Promise.all([sendOnce(), sendOnce()]);
  assert.doesNotMatch(errors.join(''), /coverage reminders/);
  assert.deepEqual(mails(soon), [`Your safeguarding training expires on ${
    sql("SELECT to_char((now() AT TIME ZONE 'Europe/London')::date - 700 + interval '24 months', 'FMDD FMMonth YYYY')")[0][0]}`]);
  assert.deepEqual(mails(lapsed), ['Your safeguarding training has expired']);
  assert.deepEqual(mails(fresh), []);
  assert.deepEqual(mails(never), []);
  assert.deepEqual(mails(longAgo), [], 'training that lapsed years ago is not news');
  const digest = sql(`SELECT subject, body_text FROM email_outbox WHERE to_address = 'lead.${tag}@example.org'`);
  assert.equal(digest.length, 1);
  assert.match(digest[0][0], new RegExp(`^Training coverage of Mail Test School ${tag}`));
  assert.match(digest[0][1], /1 lapsing in the next 90 days, 2 expired, 1 never trained/);
  assert.match(digest[0][1], /never \(Group 1, never trained\)/);
  assert.doesNotMatch(digest[0][1], /fresh/);
  // Each mail links to what to do: the sessions to book, the coverage page.
  const body = (email) => sql(`SELECT body_text FROM email_outbox WHERE to_address = '${email}'`)[0][0];
  assert.match(body(soon), /Book a course at your level before then:\nhttps?:\/\/\S+\/sessions\n/);
  assert.match(body(lapsed), /to be in date again:\nhttps?:\/\/\S+\/sessions\n/);
  assert.match(digest[0][1], /training coverage page:\nhttps?:\/\/\S+\/coverage\n/);
  assert.ok(leadEmail);

  // Again, and again at once: nothing more.
  await Promise.all([sendOnce(), sendOnce()]);
  assert.equal(mails(soon).length, 1);
  assert.equal(mails(lapsed).length, 1);
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE to_address = 'lead.${tag}@example.org'`)[0][0], '1');
});
