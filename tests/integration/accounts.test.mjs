// Registration, signing in and out, CSRF, session expiry, throttling and
// password reset.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { request, sql, assertError, login, as, register, registerUnverified, registration,
  mailedToken, verifyEmail } from './http.mjs';

const post = (path, body) => request(path, { method: 'POST',
  headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const outbox = (email) => sql(`SELECT subject, body_text FROM email_outbox
  WHERE lower(to_address) = lower('${email}') ORDER BY id`);

test('registration creates a practitioner and never shows the password', async () => {
  const { res, body, asked } = await register();
  assert.equal(asked.status, 202, asked.text);
  assert.doesNotMatch(asked.text, /password|argon2|lantern/i);
  assert.equal(res.status, 200, res.text);
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

test('an address with an account answers as a new one (202), its mail says so, nothing changes', async () => {
  const { res, body } = await register();
  assert.equal(res.status, 200);
  const fresh = await registerUnverified();
  const again = await registerUnverified({ email: body.email.toUpperCase(), full_name: 'Someone Else',
    password: 'an attacker passphrase' });
  assert.equal(again.res.status, 202);
  assert.equal(again.res.text, fresh.res.text, 'the answers cannot be told apart');
  const [subject, text] = outbox(body.email).at(-1);
  assert.match(subject, /Your account/);
  assert.match(text, /already has an account/);
  assert.doesNotMatch(text, /#token=/, 'no link for an address that has an account');
  assert.equal(sql(`SELECT count(*) FROM people WHERE lower(email) = lower('${body.email}')`)[0][0], '1');
  assert.equal((await login(body.email, body.password)).account.full_name, body.full_name);
  await assert.rejects(login(body.email, 'an attacker passphrase'));
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
    assert.equal(res.status, 200, `${JSON.stringify(password)}: ${res.text}`);
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
  for (const r of rs) assert.equal(r.asked.status, 202);
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

test('50 failures from one address slow it, never shut it: a right password still gets in', async () => {
  const { body } = await register();
  const failed = await register();
  const attempt = (email, password) => {
    const t0 = Date.now();
    return request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }) }).then((res) => ({ res, ms: Date.now() - t0 }));
  };
  const quick = await attempt(body.email, 'not the password');
  assert.equal(quick.res.status, 401);
  sql(`INSERT INTO login_attempts (email, ip, succeeded, at, failed_at)
       SELECT 'x' || g || '@example.org', '127.0.0.1', false, now() - interval '1 minute',
              now() - interval '1 minute'
         FROM generate_series(1, 50) g`);
  try {
    // The right password of an account that has not failed gets in,
    // after the address's delay (half a second at 50 failures).
    const right = await attempt(failed.body.email, failed.body.password);
    assert.equal(right.res.status, 200, right.res.text);
    assert.ok(right.ms >= 500, `${right.ms} ms`);
    // A wrong one waits as long: the delay says nothing of the answer.
    const wrong = await attempt(failed.body.email, 'not the password');
    assert.equal(wrong.res.status, 401);
    assert.ok(wrong.ms >= 500, `${wrong.ms} ms`);
    // An account with 3 failures is refused while the address is slowed.
    for (const guess of ['not the password either', 'nor this']) {
      assert.equal((await attempt(body.email, guess)).res.status, 401);
    }
    const refused = (await attempt(body.email, body.password)).res;
    assertError(refused, 429, 'too_many_attempts');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    // The delay doubles every 50 failures more.
    sql(`INSERT INTO login_attempts (email, ip, succeeded, at, failed_at)
         SELECT 'x' || g || '@example.org', '127.0.0.1', false, now() - interval '1 minute',
                now() - interval '1 minute'
           FROM generate_series(51, 100) g`);
    const slower = await attempt(failed.body.email, failed.body.password);
    assert.equal(slower.res.status, 200);
    assert.ok(slower.ms >= 1000, `${slower.ms} ms`);
  } finally {
    sql("DELETE FROM login_attempts WHERE email LIKE 'x%@example.org'");
  }
  // Below the address's limit again: 3 failures do not refuse the account.
  assert.equal((await attempt(body.email, body.password)).res.status, 200);
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
  const token = mailedToken(body.email, 'reset-password');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'password.reset_requested'
    AND target_id = ${s.account.person_id}`)[0][0], '1');
  assert.doesNotMatch(JSON.stringify(sql('SELECT detail FROM audit_log')), new RegExp(token));

  const weak = await post('/api/v1/password-reset/confirm', { token, password: 'password1234' });
  assert.deepEqual(Object.keys(assertError(weak, 422)), ['password']);
  const set = await post('/api/v1/password-reset/confirm', { token, password: 'a brand new passphrase' });
  assert.equal(set.status, 204);
  assertError(await as(s, '/api/v1/me'), 401, 'unauthenticated');
  await assert.rejects(login(body.email, body.password));
  assert.equal((await login(body.email, 'a brand new passphrase')).account.full_name, body.full_name);
  const again = await post('/api/v1/password-reset/confirm', { token, password: 'yet another passphrase' });
  assertError(again, 404);

  // A link older than an hour is dead.
  await request('/api/v1/password-reset', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: body.email }) });
  const token2 = mailedToken(body.email, 'reset-password');
  sql(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE person_id = ${s.account.person_id} AND used_at IS NULL`);
  assertError(await post('/api/v1/password-reset/confirm', { token: token2, password: 'yet another passphrase' }), 404);
});

// The server's access log once it holds a line with `path`, within 30
// seconds. Kore's parent gathers its workers' lines every 100 ms but
// writes them out only when its buffer fills or on every hundredth tick
// (kore_accesslog_run in accesslog.c): up to 10 s on an idle machine,
// more on a loaded one.
async function accessLog(path) {
  const file = `${process.env.PORTAL_TEST_TMP}/log/access.log`;
  for (let i = 0; i < 300; i++) {
    const log = readFileSync(file, 'utf8');
    if (log.includes(path)) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no request for ${path} in ${file} after 30 seconds`);
}

function iso(hoursFromNow) {
  return new Date(Date.now() + hoursFromNow * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
}

// A session open for booking, scheduled by the demo coordinator.
async function openSession() {
  const coordinator = await login('coordinator@demo.example');
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-NEG'");
  const [[trainer]] = sql("SELECT id FROM people WHERE email = 'trainer@demo.example'");
  const res = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), starts_at: iso(24 * 30), ends_at: iso(24 * 30 + 6),
    venue: 'Hackney Service Centre', capacity: 5, trainer_ids: [Number(trainer)] } });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

test('registering the address of someone on the books holds nothing of them until the mailed link is used', async () => {
  const [[id, email, name, agency]] = sql(`SELECT p.id, p.email, p.full_name, p.agency_id FROM people p
    WHERE p.email IS NOT NULL AND p.erased_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
      AND EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = p.id)
    ORDER BY p.id DESC LIMIT 1`);
  const [[other]] = sql(`SELECT min(id) FROM agencies WHERE id <> ${agency}`);
  const fresh = await registerUnverified();
  const { res, body } = await registerUnverified({ email: email.toUpperCase(),
    full_name: 'Mallory Takeover', agency_id: Number(other), password: 'mallory takes over' });
  assert.equal(res.status, 202);
  assert.equal(res.text, fresh.res.text, 'answered as for a new address');
  assert.deepEqual(sql(`SELECT full_name, agency_id FROM people WHERE id = ${id}`), [[name, agency]]);
  assert.equal(sql(`SELECT count(*) FROM accounts WHERE person_id = ${id}`)[0][0], '0');
  await assert.rejects(login(email, body.password), /401/, 'no account before the link is used');
  assert.match(outbox(email).at(-1)[1], /verify-email#token=/);
  assert.doesNotMatch(JSON.stringify(sql('SELECT * FROM email_verifications')), /mallory takes over/);

  const verified = await verifyEmail(email);
  assert.equal(verified.status, 200, verified.text);
  assert.equal(verified.json.id, Number(id));
  assert.equal(verified.json.full_name, name, 'the record keeps its name');
  assert.equal(verified.json.agency_id, Number(agency), 'and its agency');
  assert.equal(verified.json.email_verified, true);
  const s = await login(email, body.password);
  const data = await as(s, '/api/v1/me/data');
  assert.equal(data.status, 200);
  assert.ok(data.json.bookings.length >= 1);
  assertError(await verifyEmail(email), 404, 'not_found');
});

test('a new address signs in at once but books only once proved; links are single-use and live 24 hours', async () => {
  const session = await openSession();
  const { res, body } = await registerUnverified();
  assert.equal(res.status, 202);
  const s = await login(body.email, body.password);
  assert.equal((await as(s, '/api/v1/me')).json.email_verified, false);
  assertError(await as(s, `/api/v1/sessions/${session}/bookings`, { method: 'POST' }), 403, 'email_unverified');
  assert.equal(sql(`SELECT count(*) FROM bookings WHERE person_id = ${s.account.person_id}`)[0][0], '0');

  // A link older than 24 hours is dead.
  const late = await registerUnverified();
  sql(`UPDATE email_verifications SET expires_at = now() - interval '1 second'
    WHERE lower(email) = lower('${late.body.email}')`);
  assertError(await verifyEmail(late.body.email), 404, 'not_found');
  const [[stored]] = sql(`SELECT encode(token_hash, 'hex') FROM email_verifications
    WHERE lower(email) = lower('${late.body.email}')`);
  assert.notEqual(stored, Buffer.from(mailedToken(late.body.email, 'verify-email')).toString('hex'));

  assert.equal((await verifyEmail(body.email)).status, 200);
  assert.equal((await as(s, '/api/v1/me')).json.email_verified, true);
  assert.equal((await as(s, `/api/v1/sessions/${session}/bookings`, { method: 'POST' })).status, 201);
  assertError(await verifyEmail(body.email), 404);
});

test('registrations and reset requests for one address are throttled (429, Retry-After)', async () => {
  const body = registration();
  for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/accounts', body)).status, 202);
  const fourth = await post('/api/v1/accounts', body);
  assertError(fourth, 429, 'too_many_requests');
  const wait = Number(fourth.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 3600, `Retry-After ${wait}`);
  assert.equal(outbox(body.email).length, 3, 'no fourth mail');
  for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/password-reset', { email: body.email })).status, 202);
  assertError(await post('/api/v1/password-reset', { email: body.email.toUpperCase() }), 429, 'too_many_requests');
});

test('a disabled account loses its sessions and its reset links', async () => {
  const { body } = await register();
  const s = await login(body.email, body.password);
  assert.equal((await post('/api/v1/password-reset', { email: body.email })).status, 202);
  const token = mailedToken(body.email, 'reset-password');
  sql(`UPDATE accounts SET disabled_at = now() WHERE person_id = ${s.account.person_id}`);
  assertError(await as(s, '/api/v1/me'), 401, 'unauthenticated');
  assertError(await post('/api/v1/password-reset/confirm', { token, password: 'a brand new passphrase' }), 404);
  const mails = outbox(body.email).length;
  assert.equal((await post('/api/v1/password-reset', { email: body.email })).status, 202);
  assert.equal(outbox(body.email).length, mails, 'no link for a disabled account');
  await assert.rejects(login(body.email, body.password));
});

test('e-mail addresses match in any case, in any script (one rule: PostgreSQL lower())', async () => {
  const email = `Zoë.ÉLAN.${process.pid}@Example.org`;
  const { res, body } = await register({ email });
  assert.equal(res.status, 200, res.text);
  for (const typed of [email, email.toLowerCase(), email.toUpperCase()]) {
    assert.equal((await login(typed, body.password)).account.person_id, res.json.id, typed);
  }
  assert.equal(sql(`SELECT email FROM people WHERE id = ${res.json.id}`)[0][0], email.toLowerCase());
  assert.equal((await post('/api/v1/password-reset', { email: email.toUpperCase() })).status, 202);
  assert.ok(mailedToken(email, 'reset-password'));
  const mine = await registerUnverified({ manager_email: email.toUpperCase(), email });
  assert.deepEqual(Object.keys(assertError(mine.res, 422)), ['manager_email']);
});

test('reset links travel in the fragment and a JSON body; the link is looked up before any hashing', async () => {
  const { body } = await register();
  assert.equal((await post('/api/v1/password-reset', { email: body.email })).status, 202);
  const [, text] = outbox(body.email).at(-1);
  assert.match(text, /\nhttps?:\/\/[^\s#?]+\/reset-password#token=[A-Za-z0-9_-]{43}\n/);
  assert.doesNotMatch(text, /\?token=/);
  const token = mailedToken(body.email, 'reset-password');
  // The old route with the token in its path is gone.
  assertError(await post(`/api/v1/password-reset/${'B'.repeat(43)}`, { password: 'a brand new passphrase' }), 404);
  // Unknown links get 404 without hashing: a burst of them never finds
  // the workers' password tasks full (503).
  const bogus = await Promise.all(Array.from({ length: 40 }, (_, i) => post('/api/v1/password-reset/confirm',
    { token: `${'A'.repeat(40)}${String(i).padStart(3, '0')}`, password: 'a brand new passphrase' })));
  assert.deepEqual([...new Set(bogus.map((r) => r.status))], [404]);
  assertError(await post('/api/v1/password-reset/confirm', { password: 'a brand new passphrase' }), 404);
  const ok = await post('/api/v1/password-reset/confirm', { token, password: 'a brand new passphrase' });
  assert.equal(ok.status, 204, ok.text);
  const log = await accessLog('/api/v1/password-reset/confirm');
  assert.ok(!log.includes(token), 'no token in the access log');
});

test('password forms post (never a password in an address) and a post without the script comes back to the page', async () => {
  for (const [path, id] of [['/sign-in', 'sign-in'], ['/register', 'register'],
    ['/reset-password', 'reset'], ['/forgotten-password', 'forgotten']]) {
    const page = await request(path);
    assert.match(page.text, new RegExp(`<form id="${id}" method="post" action="${path}"`), path);
    assert.match(page.text, /<noscript>/);
    const res = await request(path, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=someone%40example.org&password=never+in+a+log' });
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get('location'), path);
  }
  const log = await accessLog('/forgotten-password');
  assert.doesNotMatch(log, /never/);
});
