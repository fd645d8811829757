// The outbox's sender (portalctl send-mail) against a real SMTP sink
// (Debian's python3-aiosmtpd writing a Maildir): delivery with the
// calendar attached, never twice, back-off when the relay is away, and
// reminders five days ahead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql, login, as, register } from './http.mjs';

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
  sink = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', `${dir}/mail`], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Send what the demo data and earlier tests left, so that what
  // follows starts from an empty outbox.
  sql("UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'");
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
  const p = await login(body.email, body.password);
  const b = await as(p, `/api/v1/sessions/${s.json.id}/bookings`, { method: 'POST' });
  assert.equal(b.json.status, 'confirmed');

  assert.match(sendMail(), /1 sent, 0 refused/);
  const mails = mailbox().filter((m) => m.includes(body.email));
  assert.equal(mails.length, 1);
  const [mail] = mails;
  assert.match(mail, /^Subject: Booking confirmed: Domestic abuse and its impact on children\r?$/m);
  assert.match(mail, /^From: Safeguarding Training Portal <training@partnership.example>\r?$/m);
  assert.match(mail, /Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
  assert.match(mail, /BEGIN:VCALENDAR[\s\S]*UID:booking-\d+@safeguarding-training-portal[\s\S]*END:VCALENDAR/);
  const [[status, attempts]] = sql(`SELECT status, attempts FROM email_outbox WHERE to_address = '${body.email}'`);
  assert.deepEqual([status, attempts], ['sent', '1']);

  // Never twice: another round sends nothing.
  assert.doesNotMatch(sendMail(), /sent/);
  assert.equal(mailbox().filter((m) => m.includes(body.email)).length, 1);

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
