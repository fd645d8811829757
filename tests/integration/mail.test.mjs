// The outbox's sender (portalctl send-mail) against a real SMTP sink
// (Debian's python3-aiosmtpd writing a Maildir): delivery with the
// calendar attached, never twice, back-off when the relay is away, and
// reminders five days ahead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql, login, as, register, registerUnverified, request, mailedToken, verifyEmail }
  from './http.mjs';

let sink, dir, port;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => resolve(p)); });
  });
}

function sendMail(smtpPort = port) {
  const r = spawnSync('build/portalctl', ['send-mail', '--once'], { encoding: 'utf8',
    env: { ...process.env, PORTAL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PORTAL_MAIL_FROM: 'training@partnership.example' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function mailbox() {
  const box = `${dir}/mail/new`;
  if (!existsSync(box)) return [];
  return readdirSync(box).map((f) => readFileSync(`${box}/${f}`, 'utf8'));
}

before(async () => {
  dir = mkdtempSync('/tmp/portal-mail.');
  port = await freePort();
  // Kept byte for byte as sent (tests/reference/raw_maildir.py).
  sink = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'raw_maildir.RawMaildir', `${dir}/mail`], { stdio: 'ignore',
    env: { ...process.env, PYTHONPATH: 'tests/reference' } });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Send what the demo data and earlier tests left (and the coverage
  // reminders the demo's staff are due today, which the sender's loop
  // queues: app/job_coverage.c), so that what follows starts from an
  // empty outbox.
  sendMail(await freePort());
  sql("UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'");
  // The coordinators' monthly supervision digest counts as sent (its own
  // test is in supervision.test.mjs).
  sql(`INSERT INTO supervision_digests (person_id, month)
       SELECT person_id, date_trunc('month', current_date) FROM account_roles
        WHERE role = 'coordinator' ON CONFLICT DO NOTHING`);
});

after(() => {
  sink?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('a booking confirmation arrives once, with its calendar invitation', async () => {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-DA'");
  const start = new Date(Date.now() + 40 * 86400e3);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Online', capacity: 5,
    starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') } });
  const { body } = await register();
  assert.match(sendMail(), /1 sent, 0 refused/, 'the address verification');
  const p = await login(body.email, body.password);
  const b = await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' });
  assert.equal(b.json.status, 'confirmed');

  // The confirmation, and the invitation to the baseline evaluation
  // (the round may also send the evaluations' scheduled mail of earlier
  // tests: counted by address below).
  assert.match(sendMail(), /[2-9]\d* sent, 0 refused/);
  const mails = mailbox().filter((m) => m.includes(body.email) && !/^Subject: Confirm your e-mail/m.test(m));
  assert.equal(mails.length, 2);
  assert.equal(mails.filter((m) => /^Subject: Before your course: /m.test(m)).length, 1);
  const [mail] = mails.filter((m) => /^Subject: Booking confirmed/m.test(m));
  assert.match(mail, /^Subject: Booking confirmed: Domestic abuse and its impact on children\r?$/m);
  assert.match(mail, /^From: Safeguarding Training Portal <training@partnership.example>\r?$/m);
  assert.match(mail, /Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
  assert.match(mail, /BEGIN:VCALENDAR[\s\S]*UID:booking-\d+@safeguarding-training-portal[\s\S]*END:VCALENDAR/);
  const [[status, attempts]] = sql(`SELECT status, attempts FROM email_outbox WHERE to_address = '${body.email}' AND subject LIKE 'Booking confirmed%'`);
  assert.deepEqual([status, attempts], ['sent', '1']);

  // Never twice: another round sends nothing.
  assert.doesNotMatch(sendMail(), /sent/);
  assert.equal(mailbox().filter((m) => m.includes(body.email)).length, 3, 'with the address verification');

  // Cancelling sends the CANCEL.
  await as(p, `/api/v1/bookings/${b.json.id}`, { method: 'DELETE' });
  sendMail();
  const cancel = mailbox().filter((m) => m.includes(body.email) && /Booking cancelled/.test(m));
  assert.equal(cancel.length, 1);
  assert.match(cancel[0], /method=CANCEL/);
  assert.match(cancel[0], /STATUS:CANCELLED/);
});

test('a relay that is away: the message waits and backs off, then goes', async () => {
  const { body } = await register();
  sendMail();
  await as(await login(body.email, body.password), '/api/v1/me');
  sql(`INSERT INTO email_outbox (to_address, subject, body_text)
       VALUES ('${body.email}', 'Test of back-off', 'Hello')`);
  const away = await freePort();
  assert.match(sendMail(away), /0 sent, 1 refused/);
  const [[status, attempts, later, error]] = sql(`SELECT status, attempts, next_attempt_at > now(),
    last_error IS NOT NULL FROM email_outbox WHERE subject = 'Test of back-off'`);
  assert.deepEqual([status, attempts, later, error], ['pending', '1', 't', 't']);
  // Not due yet: the relay being back changes nothing until the back-off ends.
  sendMail();
  assert.equal(mailbox().filter((m) => m.includes('Test of back-off')).length, 0);
  sql("UPDATE email_outbox SET next_attempt_at = now() WHERE subject = 'Test of back-off'");
  sendMail();
  assert.equal(mailbox().filter((m) => m.includes('Test of back-off')).length, 1);
  // Given up after the last attempt.
  sql(`INSERT INTO email_outbox (to_address, subject, body_text, attempts)
       VALUES ('${body.email}', 'Test of giving up', 'Hello', 7)`);
  sendMail(away);
  assert.equal(sql("SELECT status FROM email_outbox WHERE subject = 'Test of giving up'")[0][0], 'failed');
});

test('a reminder goes five days before the session, once', async () => {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG2-INF'");
  const start = new Date(Date.now() + 4 * 86400e3);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Online', capacity: 5,
    starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') } });
  const { body } = await register();
  const p = await login(body.email, body.password);
  await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' });
  sendMail();
  sendMail();
  const reminders = mailbox().filter((m) => m.includes(body.email) && /Subject: Reminder:/.test(m));
  assert.equal(reminders.length, 1);
  assert.match(reminders[0], /Information sharing/);
});

test('single-use links leave the outbox once mailed: sent mail keeps no token, and the link still works', async () => {
  const { body } = await registerUnverified();
  sql(`UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'
    AND to_address <> '${body.email}'`);
  await request('/api/v1/password-reset', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: body.email }) });
  const verify = mailedToken(body.email, 'verify-email');
  const reset = mailedToken(body.email, 'reset-password');
  assert.match(sendMail(), /2 sent, 0 refused/);
  // A mail given up after its last attempt keeps no token either.
  sql(`INSERT INTO email_outbox (to_address, subject, body_text, attempts, erase_body_once_sent)
       VALUES ('${body.email}', 'Test of a link given up', 'Open http://x.example/reset-password#token=${'C'.repeat(43)} now', 7, true)`);
  assert.match(sendMail(await freePort()), /0 sent, 1 refused/);
  const mails = mailbox().filter((m) => m.includes(body.email));
  assert.ok(mails.some((m) => m.includes(`/verify-email#token=${verify}`)), 'the mail carries the link');
  assert.ok(mails.some((m) => m.includes(`/reset-password#token=${reset}`)));
  const kept = sql(`SELECT status, body_text FROM email_outbox WHERE to_address = '${body.email}' ORDER BY id`);
  assert.equal(kept.length, 3);
  for (const [, text] of kept) {
    assert.doesNotMatch(text, /#token=/);
    assert.match(text, /^\(Removed (once sent|when given up): it held a single-use link\.\)$/);
  }
  assert.deepEqual(kept.map(([status]) => status).sort(), ['failed', 'sent', 'sent']);
  assert.equal((await verifyEmail(body.email, verify)).status, 200, 'the mailed link works');
});

test('mail keeps the rules: RFC 2047 subjects, lines within 998 octets, absolute links, an ORGANIZER', async () => {
  const coordinator = await login('coordinator@demo.example');
  const title = 'Kinder schützen — Grundlagen';
  const course = await as(coordinator, '/api/v1/courses', { method: 'POST', body: {
    code: `MAIL-${process.pid % 100000}`, title, format: 'seminar', duration_minutes: 120,
    group_levels: ['G3'] } });
  assert.equal(course.status, 201, course.text);
  const start = new Date(Date.now() + 45 * 86400e3);
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: course.json.id, venue: 'Online', capacity: 5,
    starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(start.getTime() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') } });
  const { body } = await register();
  const p = await login(body.email, body.password);
  assert.equal((await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' })).status, 201);
  // A reason of 1000 characters, 1,999 octets on one line.
  const reason = `${'é'.repeat(998)} Fin.`.slice(0, 1000);
  const cancel = await as(coordinator, `/api/v1/sessions/${s.json.id}/cancel`, { method: 'POST', body: { reason } });
  assert.equal(cancel.status, 200, cancel.text);
  sendMail();
  const raw = mailbox().filter((m) => m.includes(body.email));
  assert.ok(raw.length >= 2, `${raw.length} mails`);
  const parsed = raw.map((m) => {
    writeFileSync(`${dir}/one.eml`, m);
    return JSON.parse(execFileSync('/usr/bin/python3', ['tests/reference/mail_check.py', `${dir}/one.eml`],
      { encoding: 'utf8' }));
  });
  for (const m of parsed) {
    assert.equal(m.headers_ascii, true, 'headers are ASCII (RFC 2047)');
    assert.ok(m.longest_line <= 998, `a line of ${m.longest_line} octets`);
    assert.deepEqual(m.defects, []);
  }
  const confirmed = parsed.find((m) => m.subject.startsWith('Booking confirmed'));
  assert.equal(confirmed.subject, `Booking confirmed: ${title}`);
  writeFileSync(`${dir}/one.ics`, confirmed.parts['text/calendar'].text);
  const cal = JSON.parse(execFileSync('/usr/bin/python3', ['tests/reference/ical_check.py', `${dir}/one.ics`],
    { encoding: 'utf8' }));
  assert.equal(cal.summary, title);
  assert.match(cal.organizer, /^mailto:[^@\s]+@[^@\s]+$/i);
  const cancelled = parsed.find((m) => m.subject.startsWith('Session cancelled'));
  assert.equal(cancelled.subject, `Session cancelled: ${title}`);
  assert.equal(cancelled.parts['text/plain'].encoding, 'quoted-printable');
  assert.ok(cancelled.parts['text/plain'].text.includes(reason), 'the long line arrives whole');
  for (const m of [confirmed, cancelled]) {
    assert.match(m.parts['text/plain'].text, /^Your bookings: https?:\/\/[^/\s]+\/bookings$/m);
  }
});
