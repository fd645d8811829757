// GET /healthz: up, down while PostgreSQL is stopped, and back by itself;
// the schema version and the mail sender reported apart (restore.test.mjs
// also sees a real sender and a schema behind the build's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { request, database, assertSecurityHeaders, sql, pgUrl } from './http.mjs';

test('healthz reports ok with the version while the database is up', async () => {
  const res = await request('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.json.status, 'ok');
  assert.equal(res.json.database, 'ok');
  assert.match(res.json.version, /^\d+\.\d+\.\d+/);
  assertSecurityHeaders(res);
});

test('healthz reports the schema version and whether the mail sender is running', async () => {
  const [[latest]] = sql('SELECT max(version) FROM schema_migrations');
  let res = await request('/healthz');
  assert.deepEqual(res.json.schema, { status: 'ok', version: Number(latest), expected: Number(latest) });
  // The suite runs no sender: a monitor is told so, and the portal
  // still serves.
  assert.deepEqual(res.json.mail, { status: 'not_running', last_round_seconds: null });
  assert.equal(res.status, 200);
  // A connection named as `portalctl send-mail` names its own, busy.
  const sender = new pg.Client({ connectionString: pgUrl(), application_name: 'portal-mail' });
  await sender.connect();
  try {
    await sender.query('SELECT 1');
    res = await request('/healthz');
    assert.equal(res.json.mail.status, 'ok');
    assert.ok(res.json.mail.last_round_seconds >= 0 && res.json.mail.last_round_seconds < 30);
  } finally {
    await sender.end();
  }
  assert.ok(!/@|person|email/i.test(res.text), 'no personal data');
});

test('healthz is 503 while the database is down and recovers by itself', async () => {
  // Warm every worker's pooled connections first, so that the outage
  // kills live connections (the case Kore does not heal on its own).
  for (let i = 0; i < 20; i++) assert.equal((await request('/healthz')).status, 200);
  database('stop');
  try {
    for (let i = 0; i < 6; i++) {
      const down = await request('/healthz');
      assert.equal(down.status, 503);
      assert.equal(down.json.database, 'unavailable');
      assert.ok(down.headers.get('retry-after'));
    }
    // Not the course catalogue: a worker may answer it from memory.
    const api = await request('/api/v1/agencies');
    assert.equal(api.status, 503);
    assert.equal(api.json.error.code, 'database_unavailable');
  } finally {
    database('start');
  }
  // Every worker and pooled connection must come back: the first call
  // after the restart, and all after it, are 200.
  for (let i = 0; i < 20; i++) {
    const up = await request('/healthz');
    assert.equal(up.status, 200, `call ${i} after restart`);
    assert.equal(up.json.database, 'ok');
    assert.equal((await request('/api/v1/group-levels')).status, 200);
  }
});
