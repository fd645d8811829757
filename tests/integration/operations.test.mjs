// Operating the portal: portalctl, the schema's documentation and
// constraints, and start-up refusing a database it cannot use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { sql, login } from './http.mjs';

const url = process.env.PORTAL_DATABASE_URL;

function portalctl(args, input = '') {
  return spawnSync('build/portalctl', args, { input, encoding: 'utf8',
    env: { ...process.env, PORTAL_DATABASE_URL: url } });
}

test('portalctl migrate is recorded and applies nothing twice; check agrees', () => {
  const again = portalctl(['migrate']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /\(0 migrations applied\)/);
  const rows = sql('SELECT version, name FROM schema_migrations ORDER BY version');
  assert.ok(rows.length >= 5);
  rows.forEach(([v, name], i) => {
    assert.equal(Number(v), i + 1);
    assert.match(name, new RegExp(`^${String(i + 1).padStart(4, '0')}_.*\\.sql$`));
  });
  assert.equal(portalctl(['check']).status, 0);
  assert.equal(portalctl(['no-such-command']).status, 2);
});

test('portalctl create-coordinator makes the first account, password from standard input', async () => {
  const email = `first.coordinator.${process.pid}@example.org`;
  const weak = portalctl(['create-coordinator', email, 'Fay First'], 'password1234\n');
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /commonly used/);
  const ok = portalctl(['create-coordinator', email, 'Fay First'], 'a long and private phrase\n');
  assert.equal(ok.status, 0, ok.stderr);
  const s = await login(email, 'a long and private phrase');
  assert.deepEqual(s.account.roles, ['coordinator', 'practitioner']);
  assert.equal(s.account.full_name, 'Fay First');
  // Again for an existing account: the role stays, the password too.
  const again = portalctl(['create-coordinator', email], 'another phrase entirely\n');
  assert.equal(again.status, 0, again.stderr);
  await login(email, 'a long and private phrase');
  assert.equal(portalctl(['create-coordinator', 'not-an-email'], 'a long and private phrase\n').status, 1);
});

test('every table and column of the schema has a comment', () => {
  const missing = sql(`SELECT c.relname || '.' || coalesce(a.attname, '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind = 'r'
       AND (obj_description(c.oid, 'pg_class') IS NULL
            OR (a.attname IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))`);
  assert.deepEqual(missing, []);
});

function violates(statement) {
  const r = spawnSync('psql', [url, '-X', '-v', 'ON_ERROR_STOP=1', '-c',
    `BEGIN; ${statement}; ROLLBACK;`], { encoding: 'utf8' });
  return r.status !== 0 ? r.stderr : null;
}

test('the schema backs the rules with constraints', () => {
  const [[session, person]] = sql(`SELECT b.session_id, b.person_id FROM bookings b
    WHERE b.status = 'confirmed' LIMIT 1`);
  assert.match(violates(`INSERT INTO bookings (session_id, person_id, status)
    VALUES (${session}, ${person}, 'waitlisted')`) ?? '', /bookings_one_live|waitlist_position|check/);
  assert.match(violates(`INSERT INTO bookings (session_id, person_id, status)
    VALUES (${session}, ${person}, 'confirmed')`) ?? '', /bookings_one_live/);
  assert.match(violates(`UPDATE sessions SET confirmed_count = capacity + 1 WHERE id = ${session}`) ?? '',
    /sessions_check|check constraint/);
  assert.match(violates(`UPDATE bookings SET status = 'lost' WHERE session_id = ${session}`) ?? '', /check constraint/);
  assert.match(violates('UPDATE evaluations SET rating_overall = 6 WHERE id = (SELECT min(id) FROM evaluations)') ?? '',
    /check constraint/);
  assert.match(violates('UPDATE evaluations SET knowledge_after = 0 WHERE id = (SELECT min(id) FROM evaluations)') ?? '',
    /check constraint/);
  assert.match(violates(`INSERT INTO account_roles (person_id, role)
    SELECT person_id, 'setting_lead' FROM accounts LIMIT 1`) ?? '', /check constraint|duplicate/);
  assert.match(violates("INSERT INTO people (full_name, email) VALUES ('A', 'LEAD@demo.example')") ?? '',
    /people_email/);
  assert.match(violates("INSERT INTO sessions (course_id, starts_at, ends_at, capacity, booking_opens_at, booking_closes_at) VALUES (999999, now(), now() + interval '1 hour', 10, now() - interval '1 day', now())") ?? '',
    /foreign key/);
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Kore started on the test's configuration, with `env` added (and
// worker_death_policy `policy`): its exit status, or 'still running'
// after 15 seconds, and what it printed.
async function startWith(databaseUrl, { env = {}, policy = 'terminate' } = {}) {
  const dir = mkdtempSync('/tmp/portal-start.');
  for (const sub of ['run', 'log', 'tmp']) mkdirSync(`${dir}/${sub}`);
  const port = await freePort();
  const conf = spawnSync('sh', ['conf/bin/render-conf.sh', String(port), dir], { encoding: 'utf8' }).stdout
    .replace(/^worker_death_policy \w+$/m, `worker_death_policy ${policy}`);
  writeFileSync(`${dir}/portal.conf`, conf);
  const kore = spawn('kore', ['-c', `${dir}/portal.conf`, '-f', '-n', '-r'],
    { env: { ...process.env, PORTAL_DATABASE_URL: databaseUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  kore.stdout.on('data', (d) => { log += d; });
  kore.stderr.on('data', (d) => { log += d; });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => { kore.kill('SIGTERM'); resolve('still running'); }, 15000);
    kore.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  rmSync(dir, { recursive: true, force: true });
  return { code, log };
}

test('start-up refuses a database it cannot reach, with a clear message', async () => {
  const { code, log } = await startWith('host=/nonexistent/socket/dir dbname=portal user=portal');
  // Kore stops (its worker death policy is terminate); its own exit
  // status is 0 even so, which is why run.sh checks the schema first.
  assert.notEqual(code, 'still running');
  assert.match(log, /portal: cannot reach the database/);
  assert.match(log, /server shutting down|goodbye/);
});

test('a start-up error stops the server even where workers are restarted (prod.conf): no loop behind an open port', async () => {
  assert.match(readFileSync('conf/prod.conf', 'utf8'), /^worker_death_policy restart$/m);
  const { code, log } = await startWith(url, { policy: 'restart',
    env: { PORTAL_NOTES_KEY_FILE: '/nonexistent/notes.key' } });
  assert.notEqual(code, 'still running', log);
  assert.match(log, /portal: PORTAL_NOTES_KEY_FILE: cannot open \/nonexistent\/notes.key/);
  assert.match(log, /goodbye/);
  assert.ok((log.match(/PORTAL_NOTES_KEY_FILE: cannot open/g) ?? []).length <= 4, log);
});

test('start-up refuses a schema that is behind the build', async () => {
  const db = `portal_behind_${process.pid}`;
  sql(`CREATE DATABASE ${db} TEMPLATE template0`);
  try {
    const behind = url.replace(/dbname=\w+/, `dbname=${db}`);
    const m = spawnSync('build/portalctl', ['migrate'], { encoding: 'utf8',
      env: { ...process.env, PORTAL_DATABASE_URL: behind } });
    assert.equal(m.status, 0, m.stderr);
    const [[latest]] = sql('SELECT max(version) FROM schema_migrations');
    spawnSync('psql', [behind, '-c', `DELETE FROM schema_migrations WHERE version = ${latest}`]);
    const { code, log } = await startWith(behind);
    assert.notEqual(code, 'still running');
    assert.match(log, new RegExp(`schema is at version ${latest - 1} and this build needs ${latest}: run .portalctl migrate.`));
    assert.equal(spawnSync('build/portalctl', ['check'], { encoding: 'utf8',
      env: { ...process.env, PORTAL_DATABASE_URL: behind } }).status, 1);
  } finally {
    sql(`DROP DATABASE ${db}`);
  }
});

test('the demo generator is deterministic', () => {
  const [[people]] = sql("SELECT md5(string_agg(full_name || coalesce(job_title, ''), ',' ORDER BY id)) FROM people WHERE id <= 2968");
  const script = readFileSync('sql/demo/10_programme.sql', 'utf8');
  assert.match(script, /setseed\(/);
  assert.equal(people.length, 32);
});

// A fresh machine: make reads Kore's build flags when it compiles the
// module, after `deps` has installed kore, not when it parses the Makefile.
// Here the "installation" creates the features file during the build.
test('the module is built with the flags of the kore that deps installed', () => {
  const dir = mkdtempSync('/tmp/portal-build.');
  try {
    const features = `${dir}/features`;
    const made = spawnSync('make', ['-s', `BUILD=${dir}/build`, `KORE_FEATURES_FILE=${features}`,
      `INSTALL_DEPS=cp /usr/share/kore/features ${features}`, `${dir}/build/portal.so`],
    { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.ok(existsSync(`${dir}/build/portal.so`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the module refuses to compile without Kore\'s feature flags', () => {
  const bare = spawnSync('cc', ['-fsyntax-only', '-Istats', '-iquote', 'app', 'app/init.c'], { encoding: 'utf8' });
  assert.notEqual(bare.status, 0);
  assert.match(bare.stderr, /flags of \/usr\/share\/kore\/features/);
});

// `make run` in a state folder of its own: up to the first answer.
async function makeRun(dir, port, log) {
  const run = spawn('make', ['-s', 'run'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORTAL_VAR: dir, PORTAL_PORT: String(port), PORTAL_DATABASE_URL: '',
      PORTAL_SMTP_URL: 'smtp://127.0.0.1:9' } });
  run.stdout.on('data', (d) => { log.text += d; });
  run.stderr.on('data', (d) => { log.text += d; });
  run.exited = new Promise((resolve) => run.on('exit', (code, signal) => resolve(code ?? signal)));
  // Up to 3 minutes: on a busy 2-core machine the first start (initdb,
  // migrations, demo data) can take a minute or more.
  for (let i = 0; i < 1800; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return run;
    } catch { /* not yet */ }
    if (run.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`make run did not serve:\n${log.text}`);
}

// The processes of a process group, and those of a cluster's data folder,
// once they have had up to 30 s to stop (make itself may exit on SIGTERM
// before run.sh has finished stopping the rest).
async function leftBehind(pgid, dir) {
  let left = [];
  for (let i = 0; i < 300; i++) {
    const ps = spawnSync('ps', ['-eo', 'pgid=,args='], { encoding: 'utf8' }).stdout.split('\n');
    left = ps.filter((l) => l.trim().split(/\s+/)[0] === String(pgid) || l.includes(`${dir}/db/data`));
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return left;
}

test('make run serves the portal, stops everything on Ctrl-C or SIGTERM, and keeps the data', async () => {
  const dir = mkdtempSync('/tmp/portal-run.');
  spawnSync('chmod', ['755', dir]);
  const port = await freePort();
  const log = { text: '' };
  const base = `http://127.0.0.1:${port}`;
  let run;
  try {
    run = await makeRun(dir, port, log);
    const home = await fetch(base + '/');
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Safeguarding/);
    const email = `kept.${process.pid}@example.org`;
    const [[agency]] = sql('SELECT min(id) FROM agencies');
    const made = await fetch(base + '/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ full_name: 'Kept Person', email, password: 'lantern orchard tuesday',
        agency_id: Number(agency), job_title: 'Teacher', group_level: 'G2' }) });
    assert.equal(made.status, 202, await made.text());
    // The verification link waits in the run's own outbox (its relay is away).
    const runDb = spawnSync('sh', ['conf/bin/portal-db.sh', 'url', `${dir}/db`], { encoding: 'utf8' }).stdout.trim();
    const mailed = spawnSync('psql', [runDb, '-AtX', '-c',
      `SELECT body_text FROM email_outbox WHERE to_address = '${email}' ORDER BY id DESC LIMIT 1`], { encoding: 'utf8' }).stdout;
    const token = mailed.match(/verify-email#token=([A-Za-z0-9_-]{43})/)?.[1];
    assert.ok(token, mailed);
    const verified = await fetch(base + '/api/v1/email-verification', { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    assert.equal(verified.status, 200, await verified.text());
    const agencies = (await (await fetch(base + '/api/v1/agencies?limit=1')).json()).total;
    assert.ok(agencies > 0);
    // Ctrl-C: SIGINT to the whole foreground process group.
    process.kill(-run.pid, 'SIGINT');
    await run.exited;
    assert.deepEqual(await leftBehind(run.pid, dir), [], log.text);
    assert.ok(!existsSync(`${dir}/db/data/postmaster.pid`), 'the database is stopped');
    assert.match(log.text, /portal: stopped/);

    // Again: the account is still there, and the demo data was not loaded twice.
    run = await makeRun(dir, port, log);
    const signIn = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'lantern orchard tuesday' }) });
    assert.equal(signIn.status, 200);
    assert.equal((await (await fetch(base + '/api/v1/agencies?limit=1')).json()).total, agencies);
    process.kill(-run.pid, 'SIGTERM');
    await run.exited;
    assert.deepEqual(await leftBehind(run.pid, dir), [], log.text);
    assert.ok(!existsSync(`${dir}/db/data/postmaster.pid`), 'the database is stopped');
  } finally {
    // A failed check leaves `make run` serving: stop it, or it keeps
    // this test file (and the suite) waiting for ever.
    if (run && run.exitCode === null) {
      try { process.kill(-run.pid, 'SIGTERM'); } catch { /* gone */ }
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 30000))]);
    }
    spawnSync('sh', ['conf/bin/portal-db.sh', 'stop', `${dir}/db`]);
    rmSync(dir, { recursive: true, force: true });
  }
});
