// Limits of the accounts routes, against a server of its own: Kore with
// conf/prod.conf as production runs it (behind a trusted proxy, so each
// test speaks for its own client addresses through X-Forwarded-For, and
// the default per-client limits), on the suite's database, with the
// module built with AddressSanitizer (build/portal-asan.so): a task that
// read what Kore freed would stop the test with ASan's report.
//
//   - X-Forwarded-For: the right-most address, validated, never a 500;
//   - registrations and reset requests per client address;
//   - a parallel burst of wrong passwords for one account;
//   - at most 8 password tasks in flight per worker, then 503;
//   - one address's 500 wrong attempts and 200 right sign-ins at once;
//   - clients hanging up mid-hash, again and again (the task owns its data);
//   - 1,500 idle connections do not stop sign-in (worker_rlimit_nofiles).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import { sql, registration, mailedToken } from './http.mjs';
import { prodKore } from './prod.mjs';
import { freePort, startKore, stopKore } from './server.mjs';

let dir, kore, port;

// One request on a connection of its own, from client `from` (the
// proxy's X-Forwarded-For), within `timeout` milliseconds.
function send(path, { method = 'POST', body, from = '192.0.2.1', headers = {}, timeout = 60000 } = {}) {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false, timeout,
      headers: { 'x-forwarded-for': from, ...(data ? { 'content-type': 'application/json',
        'content-length': Buffer.byteLength(data) } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeout} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

const signIn = (email, password, from) => send('/api/v1/session', { body: { email, password }, from });
const count = (list) => list.reduce((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
let serial = 0;
const address = () => { serial += 1; return `10.${(serial >> 16) & 255}.${(serial >> 8) & 255}.${serial & 255}`; };

function workers() {
  const pid = readFileSync(`${dir}/kore.pid`, 'utf8').trim();
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', pid], { encoding: 'utf8' })
    .trim().split('\n').filter((l) => /wrk/.test(l)).map((l) => l.trim().split(/\s+/)[0]).sort();
}

// A verified account made through the API, as a person would.
async function account() {
  const body = registration();
  assert.equal((await send('/api/v1/accounts', { body, from: address() })).status, 202);
  const v = await send('/api/v1/email-verification', { body: { token: mailedToken(body.email, 'verify-email') } });
  assert.equal(v.status, 200, v.text);
  return body;
}

before(async () => {
  dir = mkdtempSync('/tmp/portal-limits.');
  port = await freePort();
  const { args, env } = prodKore(dir, port, {}, { asan: true });
  delete env.PORTAL_REQUESTS_PER_CLIENT;
  kore = await startKore(args, env, port);
});

// stopKore(): an ASan build's worker can hang in its exit handlers
// (libp11-kit's destructor waiting on glibc's locale lock).
after(async () => {
  await stopKore(kore);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('X-Forwarded-For: the right-most address, validated; a list or nonsense is never a 500', async () => {
  const email = `xff.${process.pid}@example.org`;
  const cases = [
    ['198.51.100.1, 203.0.113.9', '203.0.113.9'],
    ['198.51.100.1,2001:db8::7 ', '2001:db8::7'],
    ['not an address', '127.0.0.1'],
    ['203.0.113.9, 999.1.1.1', '127.0.0.1'],
    [`${'1'.repeat(300)}`, '127.0.0.1'],
  ];
  for (const [from, ip] of cases) {
    sql(`DELETE FROM login_attempts WHERE email = '${email}'`);
    const res = await signIn(email, 'not the password', from);
    assert.equal(res.status, 401, `${from}: ${res.text}`);
    assert.deepEqual(sql(`SELECT host(ip) FROM login_attempts WHERE email = '${email}'`), [[ip]], from);
  }
  const ok = await signIn('practitioner@demo.example', 'demo-password-2016', '198.51.100.1, 203.0.113.10');
  assert.equal(ok.status, 200, ok.text);
});

test('registrations and reset requests: 20 an hour per client address (429, Retry-After)', async () => {
  const from = '192.0.2.20';
  for (let i = 0; i < 20; i++) {
    assert.equal((await send('/api/v1/accounts', { body: registration(), from })).status, 202);
  }
  const refused = await send('/api/v1/accounts', { body: registration(), from });
  assert.equal(refused.status, 429, refused.text);
  assert.equal(JSON.parse(refused.text).error.code, 'too_many_requests');
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.equal((await send('/api/v1/accounts', { body: registration(), from: '192.0.2.21' })).status, 202);
  for (let i = 0; i < 20; i++) {
    const email = `reset.${i}.${process.pid}@example.org`;
    assert.equal((await send('/api/v1/password-reset', { body: { email }, from })).status, 202);
  }
  const reset = await send('/api/v1/password-reset', { body: { email: 'one.more@example.org' }, from });
  assert.equal(reset.status, 429);
  assert.ok(Number(reset.headers['retry-after']) > 0);
});

test('a parallel burst of 300 wrong passwords for one account: at most 10 are checked, the rest get 429', async () => {
  const body = await account();
  const [[person]] = sql(`SELECT id FROM people WHERE lower(email) = lower('${body.email}')`);
  const burst = await Promise.all(Array.from({ length: 300 },
    (_, i) => signIn(body.email, `wrong password ${i}`, address())));
  const by = count(burst);
  assert.deepEqual(Object.keys(by).sort(), by[503] ? ['401', '429', '503'] : ['401', '429'], JSON.stringify(by));
  assert.ok(by[401] <= 10, JSON.stringify(by));
  assert.ok(by[429] >= 280, JSON.stringify(by));
  for (const r of burst.filter((x) => x.status === 429)) assert.ok(Number(r.headers['retry-after']) > 0);
  assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'session.login_failed'
    AND target_id = ${person}`)[0][0]) <= 10);
  assert.equal((await signIn(body.email, body.password, address())).status, 429, 'the account is throttled');
});

test('at most 8 password tasks per worker: beyond that 503 with Retry-After, never a 500', async () => {
  const burst = await Promise.all(Array.from({ length: 120 },
    (_, i) => signIn(`nobody.${i}.${process.pid}@example.org`, 'not the password', address())));
  const by = count(burst);
  assert.deepEqual(Object.keys(by).sort(), ['401', '503'], JSON.stringify(by));
  assert.ok(by[401] >= 8, JSON.stringify(by)); // at least one worker's 8
  for (const r of burst.filter((x) => x.status === 503)) {
    assert.equal(JSON.parse(r.text).error.code, 'busy');
    assert.ok(Number(r.headers['retry-after']) > 0);
  }
});

// Argon2id of 'correct horse battery staple 2016' by libsodium's
// crypto_pwhash_str_alg at 4 MiB and one pass: cheaper to check than the
// 64 MiB registration uses, so that 200 checks take seconds on a busy
// machine. The throttle does not look at the cost.
const SHARED_PASSWORD = 'correct horse battery staple 2016';
const SHARED_HASH = '$argon2id$v=19$m=4096,t=1,p=1$Oppi+FO9PgKsu91F2L/gBQ$eMh62LDEn02s8dEEWMhV+sUD7rmCjGDs7raBCr5LTuc';

test('one address: 500 wrong attempts in parallel with 200 right sign-ins; all 200 get in, the attacker nowhere', async () => {
  const from = '203.0.113.77';
  const tag = `shared.${process.pid}`;
  // 200 staff, 3 accounts the attacker goes for and 60 it sprays, behind
  // one proxy (no agency, no level: they count in no report).
  sql(`WITH p AS (INSERT INTO people (full_name, email)
         SELECT 'Shared address ' || g, 'staff' || g || '.${tag}@example.org'
           FROM generate_series(1, 263) g RETURNING id)
       INSERT INTO accounts (person_id, password_hash) SELECT id, '${SHARED_HASH}' FROM p`);
  const staff = Array.from({ length: 200 }, (_, i) => `staff${i + 1}.${tag}@example.org`);
  const victims = [201, 202, 203].map((i) => `staff${i}.${tag}@example.org`);
  const sprayed = Array.from({ length: 60 }, (_, i) => `staff${i + 204}.${tag}@example.org`);
  // 140 guesses at each victim, one at each sprayed account, and 20 at
  // addresses with no account (checked against the 64 MiB dummy hash).
  const attack = [
    ...victims.flatMap((email) => Array.from({ length: 140 }, (_, i) => ({ email, password: `guess ${i}` }))),
    ...sprayed.map((email) => ({ email, password: 'password1' })),
    ...Array.from({ length: 20 }, (_, i) => ({ email: `nobody${i}.${tag}@example.org`, password: 'password1' })),
  ].map((a) => ({ ...a, attacker: true }));
  assert.equal(attack.length, 500);
  const all = [...attack, ...staff.map((email) => ({ email, password: SHARED_PASSWORD }))];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const answers = await Promise.all(all.map((a) => send('/api/v1/session',
    { body: { email: a.email, password: a.password }, from, timeout: 120000 })
    .then((res) => ({ ...a, status: res.status, retry: res.headers['retry-after'] }))));

  const right = answers.filter((a) => !a.attacker);
  const wrong = answers.filter((a) => a.attacker);
  assert.deepEqual(count(right), { 200: 200 }, 'every right password got in');
  assert.deepEqual(Object.keys(count(wrong)).sort(), ['401', '429'], JSON.stringify(count(wrong)));
  for (const a of wrong.filter((x) => x.status === 429)) assert.ok(Number(a.retry) > 0);
  // Each victim's password was checked 10 times at most, then refused.
  for (const email of victims) {
    const checked = wrong.filter((a) => a.email === email && a.status === 401).length;
    assert.ok(checked <= 10, `${email}: ${checked} checked`);
  }
  // The address is now slowed: its failures doubled the delay for every
  // sign-in from it, right or wrong, and a victim is refused...
  const [[failures]] = sql(`SELECT count(*) FROM login_attempts WHERE ip = '${from}'
    AND failed_at IS NOT NULL AND NOT succeeded AND at > now() - interval '15 minutes'`);
  assert.ok(Number(failures) >= 50, `${failures} failures`);
  const delay = Math.min(500 * 2 ** Math.floor((Number(failures) - 50) / 50), 8000);
  const timed = async (email, password) => {
    const t0 = Date.now();
    const res = await signIn(email, password, from);
    return { status: res.status, ms: Date.now() - t0 };
  };
  const victim = await timed(victims[0], SHARED_PASSWORD);
  assert.equal(victim.status, 429);
  // ... while the staff, who have not failed, still get in.
  const again = await timed(staff[0], SHARED_PASSWORD);
  assert.equal(again.status, 200);
  assert.ok(again.ms >= delay, `${again.ms} ms against a delay of ${delay} ms`);
  const guess = await timed(`nobody.more.${tag}@example.org`, 'password1');
  assert.equal(guess.status, 401);
  assert.ok(guess.ms >= delay, `${guess.ms} ms against a delay of ${delay} ms`);
  // Another address is not slowed.
  assert.equal((await signIn(staff[1], SHARED_PASSWORD, address())).status, 200);
  assert.doesNotMatch(kore.log, /AddressSanitizer|gone|exited|restarting|fatal|sandbox violation/);
});

test('clients hanging up mid-hash, 300 times over, leave the server up and its workers alive', async () => {
  const before = workers();
  const raw = (path, body) => new Promise((resolve) => {
    const data = JSON.stringify(body);
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${address()}\r\n`
        + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(data)}\r\n\r\n${data}`);
      setTimeout(() => { s.destroy(); resolve(); }, Math.floor(Math.random() * 40));
    });
    s.on('error', () => resolve());
  });
  for (let round = 0; round < 30; round++) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2
      ? raw('/api/v1/session', { email: `gone.${round}.${i}@example.org`, password: 'not the password' })
      : raw('/api/v1/accounts', registration()))));
  }
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await send('/healthz', { method: 'GET' })).status, 200);
  assert.equal((await signIn('practitioner@demo.example', 'demo-password-2016', address())).status, 200);
  assert.deepEqual(workers(), before, `workers died:\n${kore.log}`);
  assert.doesNotMatch(kore.log, /AddressSanitizer|gone|exited|restarting|fatal|sandbox violation/);
});

// A connection opened now, for a request sent later: {socket, ask}.
function connection() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve({ socket, ask }));
    socket.on('error', reject);
    // Send a sign-in on it; the answer's status, within 30 seconds.
    function ask(body) {
      const data = JSON.stringify(body);
      return new Promise((done, fail) => {
        let text = '';
        const timer = setTimeout(() => fail(new Error('no answer in 30 s')), 30000);
        socket.on('data', (d) => {
          text += d;
          if (text.includes('\r\n\r\n')) {
            clearTimeout(timer);
            done(Number(text.split(' ')[1]));
          }
        });
        socket.on('close', () => { clearTimeout(timer); fail(new Error(`closed: ${text}`)); });
        socket.write(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${address()}\r\n`
          + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(data)}\r\n\r\n${data}`);
      });
    }
  });
}

test('1,500 idle connections do not stop sign-in (descriptors to spare per worker)', async () => {
  for (const file of ['conf/prod.conf', 'conf/dev.conf']) {
    const conf = readFileSync(file, 'utf8');
    const value = (name) => Number(conf.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1]);
    // Connections, two per password task (8), database connections, logs.
    assert.ok(value('worker_rlimit_nofiles') > value('worker_max_connections') + 2 * 8
      + value('pgsql_conn_max') + 16, file);
  }
  // Connections of people about to sign in, on both workers, then a
  // flood of idle ones (more than Kore's default 768 descriptors a
  // worker), then the sign-ins: each needs a socketpair for its task.
  const waiting = await Promise.all(Array.from({ length: 8 }, () => connection()));
  const idle = [];
  try {
    for (let i = 0; i < 1500; i++) {
      idle.push(await new Promise((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      }));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const statuses = await Promise.all(waiting.map((c) => c.ask({
      email: 'practitioner@demo.example', password: 'demo-password-2016' })));
    assert.deepEqual([...new Set(statuses)], [200]);
  } finally {
    for (const s of idle) s.destroy();
    for (const c of waiting) c.socket.destroy();
  }
  assert.equal((await signIn('practitioner@demo.example', 'demo-password-2016', address())).status, 200);
  assert.doesNotMatch(kore.log, /socketpair|Too many open files|gone|exited|restarting|fatal/);
});
