// Upgrades keep the data. For every schema version v before the latest
// (found in sql/migrations, so new migrations are covered as they come),
// a database of its own in a throwaway cluster is migrated to v and
// filled as a portal at v would be: the demo generators of sql/demo that
// fit v (each that loads, in order, the way `portalctl load-demo` loads
// them), or, before the demo fits, the seed files of
// tests/integration/upgrade/ numbered v or lower. Every table is then
// copied aside, and each later migration is applied in turn with
// `portalctl migrate`; after each one no table, column or row may be gone,
// and at the end no row of the copy may be missing or changed in any
// column that is still there, and the figures (bookings by status and
// year, evaluation sums per course, coverage and training status at a
// date, supervision attendance) are as they were. A migration that changes data on
// purpose says so in CHANGES, with its reason.
//
// Each migration is one transaction: the last one, broken at its end,
// leaves the schema and the data exactly as they were, and applies once
// mended.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import pg from 'pg';

// Data a migration changes on purpose: 'table.column' whose values may
// change (or that may be dropped) from that migration on, and why.
// (0010_booking_overlap.sql cancels the later of two overlapping
// confirmed places; neither the demo nor the seeds hold any, so nothing
// of the bookings may change here.)
const CHANGES = {
  // Plain-text case notes gave way to sealed ones; SQL cannot seal them
  // (the key is not in the database). No release wrote them: the
  // supervision records arrived with this migration.
  '0013_supervision.sql': ['supervision_sessions.case_notes'],
  // Disclosure control: no answer keeps a time finer than its session's
  // start, and paper forms typed in before batches were recorded get one
  // batch per session and typist.
  '0015_disclosure.sql': ['evaluations.submitted_at', 'evaluations.upload_id'],
};

// Figures that must not move, each run wherever its tables and functions
// exist at the starting version.
const FIGURES = {
  'bookings by status and financial year': `SELECT b.status,
      extract(year FROM s.starts_at - interval '3 months') AS year, count(*)
      FROM bookings b JOIN sessions s ON s.id = b.session_id GROUP BY 1, 2`,
  'same-day evaluations per course': `SELECT c.code, e.source, count(*),
      sum(e.rating_overall), sum(e.knowledge_after - e.knowledge_before),
      sum(e.confidence_after - e.confidence_before),
      count(*) FILTER (WHERE e.improve_safeguarding = 'yes')
      FROM evaluations e JOIN sessions s ON s.id = e.session_id
      JOIN courses c ON c.id = s.course_id GROUP BY 1, 2`,
  'follow-ups and managers\' answers': `SELECT 'followup', applied, count(*)
      FROM followups GROUP BY 2 UNION ALL
      SELECT 'manager', changed_practice, count(*) FROM manager_reviews GROUP BY 2`,
  'coverage at 31 March 2017': `SELECT * FROM coverage_counts('2017-03-31')`,
  'training status at 31 March 2017': `SELECT status, group_level_id, count(*)
      FROM training_status('2017-03-31') GROUP BY 1, 2`,
  'supervision attendance': `SELECT a.status, count(*) FROM supervision_attendance a
      GROUP BY 1`,
};

const migrations = readdirSync('sql/migrations')
  .filter((f) => /^\d+_.*\.sql$/.test(f))
  .map((name) => ({ name, version: Number.parseInt(name, 10) }))
  .sort((a, b) => a.version - b.version);
const latest = migrations.at(-1).version;
const demoFiles = readdirSync('sql/demo').filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
const seeds = readdirSync('tests/integration/upgrade').filter((f) => /^\d+_.*\.sql$/.test(f)).sort();

let dir, base;

before(() => {
  dir = mkdtempSync('/tmp/portal-upgrade.');
  execFileSync('chmod', ['755', dir]);
  execFileSync('sh', ['conf/bin/portal-db.sh', 'init', `${dir}/db`], { stdio: 'inherit' });
  execFileSync('sh', ['conf/bin/portal-db.sh', 'start', `${dir}/db`], { stdio: 'inherit' });
  base = execFileSync('sh', ['conf/bin/portal-db.sh', 'url', `${dir}/db`], { encoding: 'utf8' }).trim();
});

after(async () => {
  for (const db of [...clients.keys()]) await disconnect(db);
  if (dir) {
    execFileSync('sh', ['conf/bin/portal-db.sh', 'stop', `${dir}/db`], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
  }
});

const urlOf = (db) => base.replace('dbname=portal', `dbname=${db}`);
// The same as a URL, for node-postgres.
function pgUrlOf(db) {
  const kv = Object.fromEntries(urlOf(db).split(/\s+/).map((p) => p.split('=')));
  return `postgresql://${kv.user}@/${kv.dbname}?host=${encodeURIComponent(kv.host)}&port=${kv.port}`;
}

// One connection a database, kept (a new one costs a third of a second
// on a busy machine, and a check makes many queries).
const clients = new Map();
const asText = { getTypeParser: () => (v) => v };

// Rows of a query as arrays of strings (NULL as null); throws on an
// SQL error.
async function psql(db, query) {
  if (!clients.has(db)) {
    const c = new pg.Client({ connectionString: pgUrlOf(db), types: asText,
      statement_timeout: 120000 });
    await c.connect();
    clients.set(db, c);
  }
  const res = await clients.get(db).query({ text: query, rowMode: 'array' });
  return res.rows;
}

async function disconnect(db) {
  await clients.get(db)?.end();
  clients.delete(db);
}

// A folder for PORTAL_SQL_DIR holding the migrations up to `version`
// (their text changed by `edit` when given).
function sqlDir(name, version, edit = null) {
  const d = `${dir}/${name}`;
  rmSync(d, { recursive: true, force: true });
  mkdirSync(`${d}/migrations`, { recursive: true });
  for (const m of migrations.filter((x) => x.version <= version)) {
    cpSync(`sql/migrations/${m.name}`, `${d}/migrations/${m.name}`);
  }
  if (edit) edit(d);
  return d;
}

function portalctl(db, sqldir, args) {
  return spawnSync('build/portalctl', args, { encoding: 'utf8', timeout: 300000,
    env: { ...process.env, PORTAL_DATABASE_URL: urlOf(db), PORTAL_SQL_DIR: sqldir, DEMO_SCALE: '1' } });
}

function migrateTo(db, version, edit = null) {
  return portalctl(db, sqlDir(`sql-${db}`, version, edit), ['migrate']);
}

const version = async (db) => Number((await psql(db, 'SELECT max(version) FROM schema_migrations'))[0][0]);

// The demo generators' settings (app/migrate.c, migrate_load_demo): the
// scale, and a password hash for the demo accounts (any Argon2id string:
// nobody signs in here).
const DEMO_SETTINGS = `SELECT set_config('portal.demo_scale', '1', true),
  set_config('portal.demo_password_hash', '$argon2id$v=19$m=65536,t=3,p=1$dXBncmFkZQ$dXBncmFkZQ', true)`;

// A new database at `v`, filled as a portal at v would be; says what.
// The demo generators run as `portalctl load-demo` runs them (in order,
// in one transaction, with its settings), each behind a savepoint: one
// that does not fit the schema is undone, and the others are kept. Where
// none fits, the seed files numbered v or lower are loaded instead.
async function databaseAt(db, v) {
  await psql('portal', `DROP DATABASE IF EXISTS ${db}`);
  await psql('portal', `CREATE DATABASE ${db}`);
  const m = migrateTo(db, v);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(await version(db), v);
  const loaded = [];
  await psql(db, 'BEGIN');
  await psql(db, DEMO_SETTINGS);
  for (const f of demoFiles) {
    await psql(db, 'SAVEPOINT demo_file');
    try {
      await psql(db, readFileSync(`sql/demo/${f}`, 'utf8'));
      loaded.push(f);
    } catch {
      await psql(db, 'ROLLBACK TO SAVEPOINT demo_file');
    }
  }
  await psql(db, 'COMMIT');
  if (loaded.length) return `demo ${loaded.join(', ')}`;
  const fit = seeds.filter((f) => Number.parseInt(f, 10) <= v);
  for (const f of fit) {
    execFileSync('psql', [urlOf(db), '-qX', '-v', 'ON_ERROR_STOP=1', '-1', '-f',
      `tests/integration/upgrade/${f}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return fit.length ? `seeds ${fit.join(', ')}` : 'only the reference data of the migrations';
}

// The tables of the schema `schema`, each with its columns.
async function tables(db, schema) {
  const out = new Map();
  for (const [t, c] of await psql(db, `SELECT c.relname, a.attname FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = '${schema}' AND c.relkind = 'r' ORDER BY c.relname, a.attnum`)) {
    if (!out.has(t)) out.set(t, []);
    out.get(t).push(c);
  }
  return out;
}

// Copy every table and figure aside (schema upgrade_snapshot); returns
// the names of the figures that could be computed at this version.
async function snapshot(db) {
  const copies = [...(await tables(db, 'public')).keys()].filter((t) => t !== 'schema_migrations')
    .map((t) => `CREATE TABLE upgrade_snapshot.${q(t)} AS SELECT * FROM public.${q(t)};`);
  await psql(db, `CREATE SCHEMA upgrade_snapshot; ${copies.join('\n')}`);
  const figures = [];
  for (const [name, query] of Object.entries(FIGURES)) {
    try {
      await psql(db, `CREATE TABLE upgrade_snapshot."figure: ${name}" AS ${query}`);
      figures.push(name);
    } catch {
      // Not at this version: its tables or functions come later.
    }
  }
  return figures;
}

const q = (c) => `"${c.replaceAll('"', '""')}"`;
const lit = (s) => `'${s.replaceAll("'", "''")}'`;

// What the migrations applied so far lost or changed: a list of
// sentences, empty when nothing was. Tables, columns and row counts
// always; with `values`, every row's values and the figures too (one
// query for all of them; the columns that moved are named only when
// something did).
async function losses(db, figures, { values = true } = {}) {
  const applied = new Set((await psql(db, 'SELECT name FROM schema_migrations')).map(([n]) => n));
  const allowed = new Set(Object.entries(CHANGES)
    .filter(([m]) => applied.has(m))
    .flatMap(([, cols]) => cols));
  const now = await tables(db, 'public');
  const kept = await tables(db, 'upgrade_snapshot');
  const found = [];
  const checks = [];
  const common = new Map();
  for (const [t, cols] of kept) {
    if (t.startsWith('figure: ')) continue;
    if (!now.has(t)) {
      found.push(`table ${t} is gone`);
      continue;
    }
    for (const c of cols) {
      if (!now.get(t).includes(c) && !allowed.has(`${t}.${c}`)) found.push(`column ${t}.${c} is gone`);
    }
    const same = cols.filter((c) => now.get(t).includes(c) && !allowed.has(`${t}.${c}`));
    common.set(t, same);
    const list = same.map((c) => `${q(c)}::text`).join(', ') || '1';
    checks.push(`SELECT ${lit(t)}, (SELECT count(*) FROM upgrade_snapshot.${q(t)}),
      (SELECT count(*) FROM public.${q(t)}), ${values ? `(SELECT count(*) FROM (
        SELECT ${list} FROM upgrade_snapshot.${q(t)}
        EXCEPT ALL SELECT ${list} FROM public.${q(t)}) x)` : '0'}`);
  }
  for (const name of values ? figures : []) {
    checks.push(`SELECT ${lit(`figure: ${name}`)}, 0, 0, (SELECT count(*) FROM (
      (SELECT * FROM upgrade_snapshot.${q(`figure: ${name}`)} EXCEPT ALL (${FIGURES[name]}))
      UNION ALL ((${FIGURES[name]}) EXCEPT ALL SELECT * FROM upgrade_snapshot.${q(`figure: ${name}`)})) x)`);
  }
  for (const [t, before, after, missing] of await psql(db, checks.join('\nUNION ALL\n'))) {
    if (t.startsWith('figure: ')) {
      if (Number(missing) > 0) found.push(`${t} changed (${missing} rows differ)`);
      continue;
    }
    if (Number(after) < Number(before)) found.push(`${t}: ${before} rows before, ${after} now`);
    if (Number(missing) === 0) continue;
    const moved = [];
    for (const c of common.get(t)) {
      const [[n]] = await psql(db, `SELECT count(*) FROM (
        SELECT ${q(c)}::text FROM upgrade_snapshot.${q(t)} EXCEPT ALL
        SELECT ${q(c)}::text FROM public.${q(t)}) x`);
      if (Number(n) > 0) moved.push(c);
    }
    found.push(`${t}: ${missing} rows lost or changed (${moved.join(', ') || 'in combination'})`);
  }
  return found;
}

for (const { version: v } of migrations.slice(0, -1)) {
  test(`a database at schema version ${v} with data in it upgrades to ${latest}, keeping it`, async (t) => {
    const db = `upgrade_v${v}`;
    t.diagnostic(`version ${v}: ${await databaseAt(db, v)}`);
    const [[rows]] = await psql(db, `SELECT coalesce(sum((xpath('/row/n/text()', query_to_xml(
        format('SELECT count(*) AS n FROM public.%I', relname), false, true, '')))[1]::text::bigint), 0)
      FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
       AND relname NOT IN ('schema_migrations', 'group_schemes', 'group_levels', 'topics')`);
    if (v >= 2) assert.ok(Number(rows) > 0, `version ${v} holds data`);
    const figures = await snapshot(db);
    for (const m of migrations.filter((x) => x.version > v)) {
      const r = migrateTo(db, m.version);
      assert.equal(r.status, 0, `${m.name} on data of version ${v}: ${r.stderr}`);
      assert.equal(await version(db), m.version);
      assert.deepEqual(await losses(db, figures, { values: false }), [], `after ${m.name}, from version ${v}`);
    }
    assert.deepEqual(await losses(db, figures), [], `every value, from version ${v} to ${latest}`);
    const check = portalctl(db, sqlDir(`sql-${db}`, latest), ['check']);
    assert.equal(check.status, 0, check.stderr);
    await disconnect(db);
    await psql('portal', `DROP DATABASE ${db}`);
  });
}

test('a migration that fails half-way leaves the schema and the data as they were', async (t) => {
  const db = 'upgrade_broken';
  const last = migrations.at(-1);
  const previous = migrations.at(-2).version;
  t.diagnostic(`version ${previous}: ${await databaseAt(db, previous)}`);
  const figures = await snapshot(db);
  const catalogue = `SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
      SELECT c.relname || '.' || coalesce(a.attname, '') || ':' || c.relkind::text AS x
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE n.nspname = 'public'
      UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace
      UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL SELECT 'constraint ' || conname FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace
      UNION ALL SELECT 'extension ' || extname FROM pg_extension) s`;
  const [[before]] = await psql(db, catalogue);
  // The whole of the last migration runs, then one more statement fails.
  const broken = migrateTo(db, last.version, (d) =>
    appendFileSync(`${d}/migrations/${last.name}`, '\n;\nSELECT 1 / 0;\n'));
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, new RegExp(`migration ${last.name} failed`));
  assert.equal(await version(db), previous);
  assert.equal((await psql(db, catalogue))[0][0], before, 'the schema is as it was');
  assert.deepEqual(await losses(db, figures), []);
  const check = portalctl(db, sqlDir(`sql-${db}`, last.version), ['check']);
  assert.equal(check.status, 1, 'portalctl check refuses the outdated schema');
  // Mended, it applies.
  const mended = migrateTo(db, last.version);
  assert.equal(mended.status, 0, mended.stderr);
  assert.equal(await version(db), last.version);
  assert.deepEqual(await losses(db, figures), []);
  await disconnect(db);
  await psql('portal', `DROP DATABASE ${db}`);
});

test('a backup taken before an upgrade restores, and then upgrades', async (t) => {
  const db = 'upgrade_backup';
  const previous = migrations.at(-2).version;
  t.diagnostic(`version ${previous}: ${await databaseAt(db, previous)}`);
  const backup = portalctl(db, sqlDir(`sql-${db}`, previous), ['backup', `${dir}/backup`]);
  assert.equal(backup.status, 0, backup.stderr);
  await psql('portal', 'CREATE DATABASE upgrade_restored');
  const restore = portalctl('upgrade_restored', sqlDir('sql-restored', latest), ['restore', `${dir}/backup`]);
  assert.equal(restore.status, 0, restore.stderr);
  assert.match(restore.stdout, new RegExp(`restored schema version ${previous}`));
  assert.match(restore.stdout, /run `portalctl migrate`/);
  const m = migrateTo('upgrade_restored', latest);
  assert.equal(m.status, 0, m.stderr);
  const counts = `SELECT count(*) FROM bookings UNION ALL SELECT count(*) FROM evaluations
    UNION ALL SELECT count(*) FROM supervision_attendance UNION ALL SELECT count(*) FROM training_records`;
  assert.deepEqual(await psql('upgrade_restored', counts), await psql(db, counts));
  for (const d of [db, 'upgrade_restored']) {
    await disconnect(d);
    await psql('portal', `DROP DATABASE ${d}`);
  }
});
