// GET /healthz: up, down while PostgreSQL is stopped, and back by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, database, assertSecurityHeaders } from './http.mjs';

test('healthz reports ok with the version while the database is up', async () => {
  const res = await request('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.json.status, 'ok');
  assert.equal(res.json.database, 'ok');
  assert.match(res.json.version, /^\d+\.\d+\.\d+/);
  assertSecurityHeaders(res);
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
