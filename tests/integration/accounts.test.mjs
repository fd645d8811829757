// Registration, signing in and out, CSRF, session expiry, throttling and
// password reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, sql, assertError, login, as, register } from './http.mjs';

test('registration creates a practitioner and never shows the password', async () => {
  const { res, body } = await register();
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.email, body.email);
  assert.equal(res.json.full_name, body.full_name);
  assert.equal(res.json.group_level, 'G3');
  assert.deepEqual(res.json.roles, ['practitioner']);
  assert.doesNotMatch(res.text, /password|argon2|lantern/i);
  const [[hash]] = sql(`SELECT a.password_hash FROM accounts a JOIN people p ON p.id = a.person_id
    WHERE p.email = '${body.email}'`);
  // Argon2id at libsodium's interactive limits: 64 MiB, 2 passes (OWASP: 19 MiB, 2).
  assert.match(hash, /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
  const [, m, t] = hash.match(/m=(\d+),t=(\d+)/);
  assert.ok(Number(m) >= 19456 && Number(t) >= 2);
  const [[audit]] = sql(`SELECT count(*) FROM audit_log WHERE action = 'account.create'
    AND target_id = ${res.json.id}`);
  assert.equal(audit, '1');
});

test('an e-mail address already registered, in any case, is a 409', async () => {
  const { res, body } = await register();
  assert.equal(res.status, 201);
  const again = await register({ email: body.email.toUpperCase() });
  assertError(again.res, 409, 'email_taken');
});

test('every invalid field is named at once (422), nothing is created', async () => {
  const before = sql('SELECT count(*) FROM people')[0][0];
  const res = await request('/api/v1/accounts', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ full_name: '', email: 'nope', password: 'short',
      agency_id: 99999999, job_title: 7, group_level: 'G9', manager_email: 'bad@' }) });
  const fields = assertError(res, 422, 'invalid');
  assert.deepEqual(Object.keys(fields).sort(), ['agency_id', 'email', 'full_name',
    'group_level', 'job_title', 'manager_email', 'password']);
  // Unknown agency and group level are named together too.
  const unknown = await register({ agency_id: 99999999, group_level: 'G9' });
  assert.deepEqual(Object.keys(assertError(unknown.res, 422)).sort(), ['agency_id', 'group_level']);
  assert.equal(sql('SELECT count(*) FROM people')[0][0], before);
});

test('passwords: 12 to 128 characters of anything, common ones refused', async () => {
  const ok = [
    'twelve chars', // 12
    'ééééééééééé€', // 12 characters, 25 bytes
    'x'.repeat(100) + ' ' + 'y'.repeat(27), // 128
  ];
  for (const password of ok) {
    const { res } = await register({ password });
    assert.equal(res.status, 201, `${JSON.stringify(password)}: ${res.text}`);
  }
  const bad = ['elevenchars', 'x'.repeat(129), 'password1234', 'Password1234!', 'qwertyuiop12'];
  for (const password of bad) {
    const { res } = await register({ password });
    assert.deepEqual(Object.keys(assertError(res, 422)), ['password'], password);
  }
});

test('hashing a password does not stall the worker: other requests are served meanwhile', async () => {
  // Start registrations (each an Argon2id hash in a task thread), then ask
  // for the health check: it must come back before the last registration.
  const order = [];
  const regs = Array.from({ length: 6 }, () => register().then((r) => {
    order.push('register');
    return r;
  }));
  await new Promise((r) => setTimeout(r, 5));
  const health = request('/healthz').then((r) => { order.push('health'); return r; });
  const [h, ...rs] = await Promise.all([health, ...regs]);
  assert.equal(h.status, 200);
  for (const r of rs) assert.equal(r.res.status, 201);
  assert.notEqual(order.at(-1), 'health', order.join(','));
});

test('sign in: a session cookie (HttpOnly, SameSite=Lax, Path=/) and a CSRF token', async () => {
  const { body } = await register();
  const s = await login(body.email.toUpperCase(), body.password);
  assert.match(s.setCookie, /^portal_session=[A-Za-z0-9_-]{43};/);
  assert.match(s.setCookie, /; HttpOnly/);
  assert.match(s.setCookie, /; SameSite=Lax/);
  assert.match(s.setCookie, /; Path=\//);
  assert.doesNotMatch(s.setCookie, /Domain=/i);
  assert.doesNotMatch(s.setCookie, /Secure/, 'not over plain HTTP');
  assert.match(s.csrf, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(s.account.full_name, body.full_name);
  assert.deepEqual(s.account.roles, ['practitioner']);
  // Only a hash of the token is stored.
  const token = s.cookie.split('=')[1];
  const stored = sql(`SELECT encode(token_hash, 'hex') FROM web_sessions WHERE person_id = ${s.account.person_id}`);
  assert.equal(stored.length, 1);
  assert.ok(!stored[0][0].includes(Buffer.from(token).toString('hex')));
  assert.equal(stored[0][0].length, 64);
  // A fresh token for every sign-in.
  const s2 = await login(body.email, body.password);
  assert.notEqual(s2.cookie, s.cookie);

  const me = await as(s, '/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.person_id, s.account.person_id);
  assertError(await request('/api/v1/me'), 401, 'unauthenticated');
});

test('a wrong password and an unknown e-mail get the same 401', async () => {
  const { body } = await register();
  const wrong = await request('/api/v1/session', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: body.email, password: 'not the password' }) });
  const unknown = await request('/api/v1/session', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'nobody.here@example.org', password: 'not the password' }) });
  assertError(wrong, 401, 'wrong_credentials');
  assertError(unknown, 401, 'wrong_credentials');
  assert.equal(wrong.json.error.message, unknown.json.error.message);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const [[failed]] = sql(`SELECT count(*) FROM audit_log WHERE action = 'session.login_failed'
    AND target_id = (SELECT id FROM people WHERE email = '${body.email}')`);
  assert.equal(failed, '1');
});

test('state-changing requests need the CSRF token; sign-out kills the session server-side', async () => {
  const { body } = await register();
  const s = await login(body.email, body.password);
  assertError(await as(s, '/api/v1/session', { method: 'DELETE', csrf: false }), 403, 'csrf');
  assertError(await as({ ...s, csrf: 'x'.repeat(43) }, '/api/v1/session', { method: 'DELETE' }), 403, 'csrf');
  const out = await as(s, '/api/v1/session', { method: 'DELETE' });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  assertError(await as(s, '/api/v1/me'), 401);
  const [[left]] = sql(`SELECT count(*) FROM web_sessions WHERE person_id = ${s.account.person_id}`);
  assert.equal(left, '0');
});

test('sessions end after 30 idle minutes and 12 hours in all', async () => {
  const { body } = await register();
  const s = await login(body.email, body.password);
  assert.equal((await as(s, '/api/v1/me')).status, 200);
  sql(`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE person_id = ${s.account.person_id}`);
  assertError(await as(s, '/api/v1/me'), 401);
  const s2 = await login(body.email, body.password);
  sql(`UPDATE web_sessions SET last_seen_at = now() - interval '29 minutes' WHERE person_id = ${s2.account.person_id}`);
  assert.equal((await as(s2, '/api/v1/me')).status, 200, 'a request restarts the idle clock');
  // (the person's first session is there too, dead: the newest counts)
  const seen = () => Number(sql(`SELECT min(extract(epoch FROM now() - last_seen_at)) FROM web_sessions
    WHERE person_id = ${s2.account.person_id}`)[0][0]);
  assert.ok(seen() < 60, 'the last use is recorded');
  // Within a minute of the last record, a request does not write again.
  sql(`UPDATE web_sessions SET last_seen_at = now() - interval '40 seconds' WHERE person_id = ${s2.account.person_id}`);
  assert.equal((await as(s2, '/api/v1/me')).status, 200);
  assert.ok(seen() >= 40, 'not recorded again within the minute');
  sql(`UPDATE web_sessions SET created_at = now() - interval '12 hours',
    expires_at = now() - interval '1 second' WHERE person_id = ${s2.account.person_id}`);
  assertError(await as(s2, '/api/v1/me'), 401);
});

test('10 failed sign-ins for an account throttle it, even for the right password (429)', async () => {
  const { body } = await register();
  const attempt = (password) => request('/api/v1/session', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: body.email, password }) });
  for (let i = 0; i < 10; i++) assert.equal((await attempt('wrong password ' + i)).status, 401);
  const blocked = await attempt(body.password);
  assertError(blocked, 429, 'too_many_attempts');
  const wait = Number(blocked.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
  // Once the window has passed, the right password works again.
  sql(`UPDATE login_attempts SET at = at - interval '16 minutes' WHERE lower(email) = '${body.email}'`);
  assert.equal((await attempt(body.password)).status, 200);
});

test('50 failed sign-ins from one address throttle that address', async () => {
  const { body } = await register();
  sql(`INSERT INTO login_attempts (email, ip, succeeded, at)
       SELECT 'x' || g || '@example.org', '127.0.0.1', false, now() - interval '1 minute'
         FROM generate_series(1, 50) g`);
  try {
    const res = await request('/api/v1/session', { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: body.email, password: body.password }) });
    assertError(res, 429, 'too_many_attempts');
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  } finally {
    sql("DELETE FROM login_attempts WHERE email LIKE 'x%@example.org'");
  }
  assert.equal((await login(body.email, body.password)).account.full_name, body.full_name);
});

test('password reset: always 202, a one-hour single-use link by mail, sessions ended', async () => {
  const { body } = await register();
  const s = await login(body.email, body.password);
  const before = Number(sql('SELECT count(*) FROM email_outbox')[0][0]);
  const unknown = await request('/api/v1/password-reset', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.org' }) });
  assert.equal(unknown.status, 202);
  assert.equal(Number(sql('SELECT count(*) FROM email_outbox')[0][0]), before, 'no mail for no account');
  const known = await request('/api/v1/password-reset', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: body.email.toUpperCase() }) });
  assert.equal(known.status, 202);
  assert.equal(known.text, unknown.text, 'the answers cannot be told apart');
  const [[text]] = sql(`SELECT body_text FROM email_outbox WHERE to_address = '${body.email}' ORDER BY id DESC LIMIT 1`);
  const token = text.match(/reset-password\?token=([A-Za-z0-9_-]{43})/)[1];
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'password.reset_requested'
    AND target_id = ${s.account.person_id}`)[0][0], '1');
  assert.doesNotMatch(JSON.stringify(sql('SELECT detail FROM audit_log')), new RegExp(token));

  const weak = await request(`/api/v1/password-reset/${token}`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'password1234' }) });
  assert.deepEqual(Object.keys(assertError(weak, 422)), ['password']);
  const set = await request(`/api/v1/password-reset/${token}`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'a brand new passphrase' }) });
  assert.equal(set.status, 204);
  assertError(await as(s, '/api/v1/me'), 401, 'unauthenticated');
  await assert.rejects(login(body.email, body.password));
  assert.equal((await login(body.email, 'a brand new passphrase')).account.full_name, body.full_name);
  const again = await request(`/api/v1/password-reset/${token}`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'yet another passphrase' }) });
  assertError(again, 404);

  // A link older than an hour is dead.
  await request('/api/v1/password-reset', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: body.email }) });
  const [[text2]] = sql(`SELECT body_text FROM email_outbox WHERE to_address = '${body.email}' ORDER BY id DESC LIMIT 1`);
  const token2 = text2.match(/token=([A-Za-z0-9_-]{43})/)[1];
  sql(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE person_id = ${s.account.person_id} AND used_at IS NULL`);
  assertError(await request(`/api/v1/password-reset/${token2}`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'yet another passphrase' }) }), 404);
});
