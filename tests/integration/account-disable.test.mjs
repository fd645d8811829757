// Disabling an account: a coordinator disables one (it is signed out at
// once and cannot sign in), enables it again (it signs in), each change
// audited once; no one disables themselves; the list says which are
// disabled; only coordinators may, and "disabled" must be true or false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, sql, assertError, login, as, register } from './http.mjs';

test('a coordinator disables an account (signed out, cannot sign in) and enables it again, audited', async () => {
  const coordinator = await login('coordinator@demo.example');
  const { res, body } = await register();
  assert.equal(res.status, 200, res.text);
  const id = res.json.id;
  const them = await login(body.email, body.password);
  assert.equal((await as(them, '/api/v1/me')).status, 200);
  const put = (disabled, s = coordinator, target = id) => as(s, `/api/v1/accounts/${target}/disabled`,
    { method: 'PUT', body: { disabled } });

  const off = await put(true);
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.json, { person_id: id, disabled: true });
  assertError(await as(them, '/api/v1/me'), 401);
  await assert.rejects(login(body.email, body.password));
  const listed = await as(coordinator, `/api/v1/accounts?q=${encodeURIComponent(body.email)}`);
  assert.equal(listed.json.accounts[0].disabled, true);
  // Disabling it again changes nothing and records nothing more.
  assert.equal((await put(true)).status, 200);

  const on = await put(false);
  assert.deepEqual(on.json, { person_id: id, disabled: false });
  assert.equal((await login(body.email, body.password)).account.person_id, id);
  const again = await as(coordinator, `/api/v1/accounts?q=${encodeURIComponent(body.email)}`);
  assert.equal(again.json.accounts[0].disabled, false);
  assert.deepEqual(sql(`SELECT action, actor_person_id FROM audit_log WHERE target_type = 'person'
    AND target_id = ${id} AND action LIKE 'account.%abled' ORDER BY id`),
  [['account.disabled', String(coordinator.account.person_id)], ['account.enabled', String(coordinator.account.person_id)]]);

  assert.deepEqual(Object.keys(assertError(await put('yes'), 422)), ['disabled']);
  assertError(await put(true, coordinator, 99999999), 404);
  assertError(await put(true, coordinator, coordinator.account.person_id), 403);
  assertError(await put(true, await login('reviewer@demo.example')), 403);
  assertError(await request(`/api/v1/accounts/${id}/disabled`, { method: 'PUT', body: '{"disabled":true}',
    headers: { 'content-type': 'application/json' } }), 401);
  assertError(await as(coordinator, `/api/v1/accounts/${id}/disabled`), 405);
});
