// `make install`: with DESTDIR and PREFIX, as Debian packaging runs it,
// everything lands where the FHS says, the operator's files in /etc are
// kept on a second install, and the systemd units of the portal and its
// mail sender pass `systemd-analyze verify` with the sandbox the README
// promises.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync,
  writeFileSync } from 'node:fs';

let dir;

function make(args) {
  const r = spawnSync('make', ['-s', 'install', ...args], { encoding: 'utf8', timeout: 600000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r;
}

// The [Service] settings of a unit file: name -> list of values.
function settings(file) {
  const out = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) (out[m[1]] ??= []).push(m[2]);
  }
  return out;
}

before(() => {
  dir = mkdtempSync('/tmp/portal-install.');
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('make install DESTDIR= PREFIX=/usr puts each file where the FHS says', () => {
  const root = `${dir}/root`;
  make([`DESTDIR=${root}`, 'PREFIX=/usr']);
  for (const f of ['usr/bin/portalctl', 'usr/lib/portal/portal.so', 'usr/share/portal/conf/routes.conf',
    'usr/share/portal/conf/common-passwords.txt', 'usr/share/portal/assets/dist/portal.css',
    'usr/share/portal/sql/demo/10_programme.sql', 'usr/share/portal/README.md',
    'usr/lib/systemd/system/portal.service', 'usr/lib/systemd/system/portal-mail.service',
    'usr/lib/systemd/system/portal-backup.service', 'usr/lib/systemd/system/portal-backup.timer',
    'usr/share/portal/portal-backup.sh',
    'usr/lib/sysusers.d/portal.conf', 'etc/portal/kore.conf', 'etc/portal/portal.env',
    'etc/portal/nginx-portal.conf']) {
    assert.ok(existsSync(`${root}/${f}`), `${f} installed`);
  }
  // Every migration, so that `portalctl migrate` finds them.
  assert.deepEqual(readdirSync(`${root}/usr/share/portal/sql/migrations`).sort(),
    readdirSync('sql/migrations').filter((f) => f.endsWith('.sql')).sort());
  assert.equal(statSync(`${root}/usr/bin/portalctl`).mode & 0o777, 0o755);
  assert.equal(statSync(`${root}/etc/portal/credentials`).mode & 0o777, 0o700);
  // Nothing of the checkout's paths or of the templates' placeholders.
  const kore = readFileSync(`${root}/etc/portal/kore.conf`, 'utf8');
  assert.match(kore, /^load \/usr\/lib\/portal\/portal\.so portal_init$/m);
  assert.match(kore, /include \/usr\/share\/portal\/conf\/routes\.conf/);
  assert.match(kore, /^\s*bind 127\.0\.0\.1 8080$/m);
  for (const f of ['etc/portal/kore.conf', 'usr/lib/systemd/system/portal.service',
    'usr/lib/systemd/system/portal-mail.service']) {
    const text = readFileSync(`${root}/${f}`, 'utf8');
    assert.doesNotMatch(text, /@[A-Z]+@/, `${f}: a placeholder left`);
    assert.doesNotMatch(text.replace(/^#.*$/gm, ''), /\/srv\/portal/, `${f}: a checkout path`);
  }
  assert.match(readFileSync(`${root}/usr/lib/sysusers.d/portal.conf`, 'utf8'), /^u portal /m);
  // The three settings an operator sets, and no secret in them.
  const env = readFileSync(`${root}/etc/portal/portal.env`, 'utf8');
  for (const v of ['PORTAL_DATABASE_URL', 'PORTAL_PUBLIC_URL', 'PORTAL_MAIL_FROM']) {
    assert.match(env, new RegExp(`^${v}=`, 'm'));
  }
  assert.doesNotMatch(env, /password=/i);

  // A second install keeps what the operator changed in /etc.
  writeFileSync(`${root}/etc/portal/portal.env`, 'PORTAL_PUBLIC_URL=https://training.example.gov.uk\n');
  const again = make([`DESTDIR=${root}`, 'PREFIX=/usr']);
  assert.equal(readFileSync(`${root}/etc/portal/portal.env`, 'utf8'),
    'PORTAL_PUBLIC_URL=https://training.example.gov.uk\n');
  assert.ok(existsSync(`${root}/etc/portal/portal.env.new`));
  assert.match(again.stdout, /kept \/etc\/portal\/portal\.env/);
});

test('the units run unprivileged and sandboxed, restart on failure, and pass systemd-analyze verify', () => {
  // Installed where this machine can run them (verify checks that every
  // command exists), in a prefix of their own.
  const prefix = `${dir}/prefix`;
  make([`PREFIX=${prefix}`, `SYSCONFDIR=${prefix}/etc/portal`]);
  const units = ['portal.service', 'portal-mail.service'].map((u) => `${prefix}/lib/systemd/system/${u}`);
  const backup = ['portal-backup.service', 'portal-backup.timer'].map((u) => `${prefix}/lib/systemd/system/${u}`);
  const verify = spawnSync('systemd-analyze', ['verify', ...units, ...backup], { encoding: 'utf8', timeout: 60000 });
  assert.equal(verify.status, 0, verify.stderr);
  assert.equal(verify.stderr.trim(), '', 'no warning from systemd-analyze verify');
  for (const unit of units) {
    const s = settings(unit);
    assert.deepEqual(s.User, ['portal'], unit);
    for (const [k, v] of [['ProtectSystem', 'strict'], ['NoNewPrivileges', 'yes'], ['PrivateTmp', 'yes'],
      ['Restart', 'on-failure'], ['ProtectHome', 'yes'], ['CapabilityBoundingSet', '']]) {
      assert.deepEqual(s[k], [v], `${unit}: ${k}`);
    }
    assert.ok(s.StateDirectory?.length, `${unit}: StateDirectory`);
    assert.ok(s.LoadCredential.some((c) => c.startsWith('pgpass:')), `${unit}: the database password`);
    assert.ok(s.Environment.includes('PGPASSFILE=%d/pgpass'));
    assert.deepEqual(s.ExecStartPre, [`${prefix}/bin/portalctl check`], `${unit}: the schema checked first`);
    assert.ok(!Object.keys(s).some((k) => /PASSWORD/.test(k)), 'no secret in the environment');
  }
  const portal = settings(units[0]);
  assert.ok(portal.LoadCredential.some((c) => c.startsWith('notes.key:')), 'the notes key as a credential');
  assert.ok(portal.Environment.includes('PORTAL_NOTES_KEY_FILE=%d/notes.key'));
  assert.ok(portal.Environment.includes('PORTAL_TRUST_PROXY=1'));
  assert.match(portal.ExecStart[0], /kore -c \S+\/etc\/portal\/kore\.conf -f -n -r$/);
  assert.match(settings(units[1]).ExecStart[0], /portalctl send-mail$/);
  const b = settings(backup[0]);
  assert.deepEqual(b.User, ['portal']);
  assert.deepEqual(b.ProtectSystem, ['strict']);
  assert.deepEqual(b.StateDirectory, ['portal/backups']);
  assert.deepEqual(b.ExecStart, [`${prefix}/share/portal/portal-backup.sh`]);
  assert.match(settings(backup[1]).OnCalendar[0], /\d\d:\d\d/);
  // Each unit's exposure as systemd rates it: "OK" or better.
  for (const unit of [...units, backup[0]]) {
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', unit],
      { encoding: 'utf8', timeout: 60000 });
    assert.equal(security.status, 0, security.stderr);
    assert.match(security.stdout, /Overall exposure level for \S+: \d+\.\d+ (SAFE|OK)/);
  }
});

test('the nightly backup makes a backup and deletes those older than PORTAL_BACKUP_DAYS', () => {
  const state = `${dir}/backups`;
  mkdirSync(state);
  for (const [name, days] of [['2026-01-01T000000Z', 40], ['2026-02-01T000000Z', 10]]) {
    mkdirSync(`${state}/${name}`);
    const then = new Date(Date.now() - days * 86400000);
    utimesSync(`${state}/${name}`, then, then);
  }
  const r = spawnSync('sh', ['conf/systemd/portal-backup.sh'], { encoding: 'utf8', timeout: 300000,
    env: { ...process.env, STATE_DIRECTORY: state, PORTALCTL: 'build/portalctl', PORTAL_BACKUP_DAYS: '35' } });
  assert.equal(r.status, 0, r.stderr);
  const left = readdirSync(state).sort();
  assert.equal(left.length, 2, left.join(' '));
  assert.equal(left[0], '2026-02-01T000000Z', 'the 10 days old backup is kept');
  assert.match(left[1], /^\d{4}-\d\d-\d\dT\d{6}Z$/);
  assert.ok(existsSync(`${state}/${left[1]}/manifest.json`));
  assert.match(r.stdout, /deleted .*2026-01-01T000000Z/);
  const bad = spawnSync('sh', ['conf/systemd/portal-backup.sh'], { encoding: 'utf8',
    env: { ...process.env, STATE_DIRECTORY: state, PORTALCTL: 'build/portalctl', PORTAL_BACKUP_DAYS: 'forever' } });
  assert.equal(bad.status, 2);
});
