// The restore drill (README.md, Backups): the suite's portal, filled with
// the demo data and a supervision meeting with case notes written through
// it, is backed up with `portalctl backup`; the backup is restored with
// `portalctl restore` into a fresh cluster, and a second portal started on
// it answers the same bookings, evaluation figures, coverage and
// supervision records as the first. The case notes open there with the
// key, and stay sealed without it or under another key. A backup holds no
// trace of the key; restore refuses a database with tables in it and a
// damaged dump.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { login, as, sql, DEMO_PASSWORD, reportSettled } from './http.mjs';

const tag = `restore-drill-${process.pid}`;
const notes = `Discussed a referral that was not accepted (${tag}).`;
let dir, restoredUrl, restored, portals = [], coordinator, meetingId, groupId, sessionId, keyFile;

function portalctl(url, args) {
  return spawnSync('build/portalctl', args, { encoding: 'utf8', timeout: 300000,
    env: { ...process.env, PORTAL_DATABASE_URL: url } });
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A second portal (Kore, the development configuration) on the restored
// database, with `env` added; resolves with its base URL once it answers.
async function startPortal(name, env) {
  const port = await freePort();
  const state = `${dir}/${name}`;
  for (const sub of ['run', 'log', 'tmp']) mkdirSync(`${state}/${sub}`, { recursive: true });
  const conf = execFileSync('sh', ['conf/bin/render-conf.sh', String(port), state], { encoding: 'utf8' });
  writeFileSync(`${state}/portal.conf`, conf);
  const kore = spawn('kore', ['-c', `${state}/portal.conf`, '-f', '-n', '-r'], {
    stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    env: { ...process.env, PORTAL_DATABASE_URL: restoredUrl, ...env } });
  kore.log = '';
  kore.stdout.on('data', (d) => { kore.log += d; });
  kore.stderr.on('data', (d) => { kore.log += d; });
  portals.push(kore);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return base;
    } catch {
      // Not listening yet.
    }
    if (kore.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the portal on the restored database did not start:\n${kore.log.slice(-3000)}`);
}

// GET `path` on `base` signed in as `email`; {status, json}. A report
// is asked again while it is being gathered (202, or older figures kept
// before it was asked), as request() of http.mjs does; the marks of an
// answer kept since are left out (the figures are what is compared).
async function getAs(base, email, path) {
  const signin = await fetch(`${base}/api/v1/session`, { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }), signal: AbortSignal.timeout(30000) });
  assert.equal(signin.status, 200, `sign in at ${base}`);
  const cookie = signin.headers.get('set-cookie').split(';')[0];
  const asked = Date.now();
  let res, text;
  for (let i = 0; i < 600; i++) {
    res = await fetch(`${base}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(30000) });
    text = await res.text();
    if (reportSettled(res, asked)) break;
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  const json = text ? JSON.parse(text) : undefined;
  if (json && typeof json === 'object') {
    delete json.kept_at;
    delete json.being_updated;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// `value` with every list of strings sorted.
function unordered(value) {
  if (Array.isArray(value)) {
    const items = value.map(unordered);
    return items.every((v) => typeof v === 'string') ? items.sort() : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unordered(v)]));
  }
  return value;
}

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

before(async () => {
  dir = mkdtempSync('/tmp/portal-restore.');
  execFileSync('chmod', ['755', dir]);
  keyFile = process.env.PORTAL_NOTES_KEY_FILE;
  assert.ok(keyFile && existsSync(keyFile), 'the suite has a case notes key');
  coordinator = await login('coordinator@demo.example');

  // A meeting with case notes, sealed by the suite's portal: a demo
  // group, on a day it has no meeting, its members that day present.
  [[groupId]] = sql(`SELECT g.id FROM supervision_groups g WHERE g.active
    AND EXISTS (SELECT 1 FROM supervision_members m WHERE m.group_id = g.id AND m.left_on IS NULL)
    ORDER BY g.id LIMIT 1`);
  let held;
  for (let n = 2; n < 60 && !held; n++) {
    const [[taken]] = sql(`SELECT count(*) FROM supervision_sessions WHERE group_id = ${groupId}
      AND held_on = '${day(-n)}'`);
    if (taken === '0') held = day(-n);
  }
  const members = sql(`SELECT person_id FROM supervision_members WHERE group_id = ${groupId}
    AND joined_on <= '${held}' AND (left_on IS NULL OR left_on > '${held}') ORDER BY person_id`);
  const made = await as(coordinator, `/api/v1/supervision/groups/${groupId}/meetings`, { method: 'POST',
    body: { held_on: held, duration_minutes: 90, topics: ['practice_dilemmas'], cases_discussed: 1,
      actions: 'Review the threshold document.', case_notes: notes,
      attendance: members.map(([p]) => ({ person_id: Number(p), status: 'present' })) } });
  assert.equal(made.status, 201, made.text);
  meetingId = made.json.id;

  // A past session with the most same-day forms, for its figures.
  [[sessionId]] = sql(`SELECT session_id FROM evaluations GROUP BY session_id
    ORDER BY count(*) DESC, session_id LIMIT 1`);

  // The backup, then a fresh cluster restored from it.
  const backup = portalctl(process.env.PORTAL_DATABASE_URL, ['backup', `${dir}/backup`]);
  assert.equal(backup.status, 0, backup.stderr);
  execFileSync('sh', ['conf/bin/portal-db.sh', 'init', `${dir}/db`], { stdio: 'inherit' });
  execFileSync('sh', ['conf/bin/portal-db.sh', 'start', `${dir}/db`], { stdio: 'inherit' });
  restoredUrl = execFileSync('sh', ['conf/bin/portal-db.sh', 'url', `${dir}/db`], { encoding: 'utf8' }).trim();
  const restore = portalctl(restoredUrl, ['restore', `${dir}/backup`]);
  assert.equal(restore.status, 0, restore.stderr);
  assert.match(restore.stdout, /restored schema version \d+/);
  assert.match(restore.stdout, /erasures of people made since then/);
});

after(async () => {
  for (const p of portals) {
    if (p.exitCode === null) {
      const gone = new Promise((r) => p.once('exit', r));
      process.kill(-p.pid, 'SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10000))]);
    }
  }
  if (dir) {
    spawnSync('sh', ['conf/bin/portal-db.sh', 'stop', `${dir}/db`], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the backup is a pg_dump and a manifest of what it holds, without the key', () => {
  const manifest = JSON.parse(readFileSync(`${dir}/backup/manifest.json`, 'utf8'));
  assert.equal(manifest.format, 'portal-backup/1');
  const [[version]] = sql('SELECT max(version) FROM schema_migrations');
  assert.equal(manifest.schema_version, Number(version));
  assert.equal(manifest.dump.file, 'portal.dump');
  const dump = readFileSync(`${dir}/backup/portal.dump`);
  assert.equal(dump.subarray(0, 5).toString(), 'PGDMP', 'pg_dump custom format');
  assert.equal(manifest.dump.bytes, dump.length);
  assert.match(manifest.dump.sha256, /^[0-9a-f]{64}$/);
  for (const t of ['bookings', 'evaluations', 'supervision_sessions', 'training_records', 'people']) {
    assert.ok(manifest.tables[t] > 0, `${t} counted`);
  }
  assert.equal(manifest.tables.supervision_sessions,
    Number(sql('SELECT count(*) FROM supervision_sessions')[0][0]));
  // The key, in hex or as bytes, is nowhere in the backup.
  const key = readFileSync(keyFile, 'utf8').trim();
  for (const f of ['portal.dump', 'manifest.json']) {
    const bytes = readFileSync(`${dir}/backup/${f}`);
    assert.equal(bytes.includes(Buffer.from(key)), false, `${f} holds the key in hex`);
    assert.equal(bytes.includes(Buffer.from(key, 'hex')), false, `${f} holds the key`);
    assert.equal(bytes.includes(Buffer.from(tag)), false, `${f} holds case notes in the clear`);
  }
  const mode = execFileSync('stat', ['-c', '%a', `${dir}/backup`, `${dir}/backup/portal.dump`],
    { encoding: 'utf8' }).trim().split('\n');
  assert.deepEqual(mode, ['700', '600']);
});

test('restore refuses a database with tables, a damaged dump, a newer schema; backup a folder that is not new', () => {
  const again = portalctl(restoredUrl, ['restore', `${dir}/backup`]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /restore only into an empty database/);
  // A damaged copy: one byte changed.
  cpSync(`${dir}/backup`, `${dir}/damaged`, { recursive: true });
  const dump = readFileSync(`${dir}/damaged/portal.dump`);
  dump[dump.length >> 1] ^= 0xff;
  writeFileSync(`${dir}/damaged/portal.dump`, dump);
  execFileSync('psql', [restoredUrl, '-qXc', 'CREATE DATABASE damaged']);
  const damaged = portalctl(restoredUrl.replace('dbname=portal', 'dbname=damaged'), ['restore', `${dir}/damaged`]);
  assert.equal(damaged.status, 1);
  assert.match(damaged.stderr, /does not match its manifest/);
  // A backup of a schema newer than this build's.
  cpSync(`${dir}/backup`, `${dir}/newer`, { recursive: true });
  const manifest = JSON.parse(readFileSync(`${dir}/newer/manifest.json`, 'utf8'));
  writeFileSync(`${dir}/newer/manifest.json`, JSON.stringify({ ...manifest, schema_version: 9999 }));
  const newer = portalctl(restoredUrl.replace('dbname=portal', 'dbname=damaged'), ['restore', `${dir}/newer`]);
  assert.equal(newer.status, 1);
  assert.match(newer.stderr, /newer than this build/);
  assert.equal(execFileSync('psql', [restoredUrl.replace('dbname=portal', 'dbname=damaged'), '-AtXc',
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"], { encoding: 'utf8' }).trim(), '0');
  const into = portalctl(process.env.PORTAL_DATABASE_URL, ['backup', `${dir}/backup`]);
  assert.equal(into.status, 1);
  assert.match(into.stderr, /not empty/);
});

test('a portal on the restored database finds the same bookings, figures, coverage and supervision', async () => {
  restored = await startPortal('with-key', { PORTAL_NOTES_KEY_FILE: keyFile });
  const first = process.env.PORTAL_URL;
  const same = async (email, path) => {
    const [a, b] = [await getAs(first, email, path), await getAs(restored, email, path)];
    assert.equal(a.status, 200, `${path} on the first portal: ${a.text}`);
    assert.equal(b.status, 200, `${path} on the restored portal: ${b.text}`);
    return [a.json, b.json];
  };
  let [a, b] = await same('practitioner@demo.example', '/api/v1/me/bookings');
  assert.ok(a.bookings.length > 0);
  assert.deepEqual(b, a, 'a practitioner\'s bookings');
  [a, b] = await same('coordinator@demo.example', `/api/v1/sessions/${sessionId}/register`);
  assert.ok(a.register.length > 0);
  assert.deepEqual(b, a, 'a session\'s register');
  [a, b] = await same('coordinator@demo.example', `/api/v1/sessions/${sessionId}/evaluations/summary`);
  // The free-text answers come in no order (no form is to be singled
  // out by its place): compared as sets.
  assert.deepEqual(unordered(b), unordered(a), 'the evaluation figures of a session');
  [a, b] = await same('reviewer@demo.example', '/api/v1/reports/coverage?as_of=2017-03-31');
  assert.deepEqual(b, a, 'the partnership\'s coverage');
  // What the restored portal kept is current there: asked again, it is
  // served as it is, not as older figures being gathered afresh.
  const again = await getAs(restored, 'reviewer@demo.example', '/api/v1/reports/coverage?as_of=2017-03-31');
  assert.equal(again.headers.get('x-report-being-updated'), null, 'a kept answer of the restored portal is current');
  [a, b] = await same('reviewer@demo.example', '/api/v1/reports/supervision?year=2016');
  assert.deepEqual(b, a, 'the supervision report');
  [a, b] = await same('coordinator@demo.example', `/api/v1/supervision/groups/${groupId}/meetings`);
  assert.deepEqual(b, a, 'a supervision group\'s meetings');
  [a, b] = await same('coordinator@demo.example', `/api/v1/supervision/meetings/${meetingId}`);
  assert.equal(a.case_notes, notes);
  assert.equal(b.case_notes, notes, 'the case notes open with the key');
  assert.deepEqual(b, a);
});

test('the restored portal\'s health: its schema, then its mail sender, each reported', async () => {
  const health = async () => (await fetch(`${restored}/healthz`, { signal: AbortSignal.timeout(30000) }));
  let res = await health();
  let json = await res.json();
  assert.equal(res.status, 200);
  assert.equal(json.schema.status, 'ok');
  assert.equal(json.mail.status, 'not_running');
  // Its sender (mail to an SMTP port nobody listens on: the outbox of a
  // restored copy must not reach anyone).
  const sender = spawn('build/portalctl', ['send-mail'], { stdio: 'ignore',
    env: { ...process.env, PORTAL_DATABASE_URL: restoredUrl, PORTAL_SMTP_URL: 'smtp://127.0.0.1:9',
      PORTAL_MAIL_INTERVAL: '1' } });
  try {
    for (let i = 0; i < 100 && json.mail.status !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      json = await (await health()).json();
    }
    assert.equal(json.mail.status, 'ok');
    assert.ok(json.mail.last_round_seconds < 30);
  } finally {
    const gone = new Promise((r) => sender.once('exit', r));
    sender.kill('SIGTERM');
    await gone;
  }
  // A schema the build does not know: 503 until it is mended.
  execFileSync('psql', [restoredUrl, '-qXc',
    "INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_from_a_newer_build.sql')"]);
  try {
    res = await health();
    json = await res.json();
    assert.equal(res.status, 503);
    assert.equal(json.schema.status, 'mismatch');
    assert.equal(json.schema.version, 9999);
    assert.equal(json.database, 'ok');
  } finally {
    execFileSync('psql', [restoredUrl, '-qXc', 'DELETE FROM schema_migrations WHERE version = 9999']);
  }
  assert.equal((await health()).status, 200);
});

test('without the key the restored case notes stay sealed; under another key they do not open', async () => {
  const path = `/api/v1/supervision/meetings/${meetingId}`;
  const keyless = await startPortal('without-key', { PORTAL_NOTES_KEY_FILE: '' });
  const r = await getAs(keyless, 'coordinator@demo.example', path);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case_notes, null);
  assert.equal(r.json.case_notes_unavailable, true);
  assert.ok(!r.text.includes(tag));
  const other = `${dir}/other.key`;
  execFileSync('sh', ['conf/bin/notes-key.sh', other], { stdio: 'ignore' });
  const wrong = await startPortal('other-key', { PORTAL_NOTES_KEY_FILE: other });
  const w = await getAs(wrong, 'coordinator@demo.example', path);
  // The meeting is shown; its notes are said not to open, never shown.
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.case_notes, null);
  assert.equal(w.json.case_notes_unavailable, true);
  assert.ok(!w.text.includes(tag));
});
