// Production shape: Kore with conf/prod.conf (loopback, runas, sandbox)
// behind nginx with conf/nginx-portal.conf terminating TLS, over HTTPS
// with a self-signed certificate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import https from 'node:https';
import http from 'node:http';
import { prodKore } from './prod.mjs';
import path from 'node:path';

const root = process.getuid() === 0;
let dir, kore, nginx, httpsPort, httpPort, korePort, cert;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The servers' logs, for the message of a failure.
function logs() {
  const nginxLog = dir && existsSync(`${dir}/nginx-error.log`) ? readFileSync(`${dir}/nginx-error.log`, 'utf8') : '';
  return `--- kore (prod.conf):\n${kore?.log.slice(-4000) ?? ''}\n--- nginx:\n${nginxLog.slice(-2000)}`;
}

// Up to 30 s for fn() to be true, or an error with the servers' logs.
async function waitFor(fn, what) {
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    try {
      if (await fn()) return;
    } catch { /* not yet */ }
    if (kore && kore.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${logs()}`);
}

// One request, which gives up after 10 s (with the servers' logs).
function send(url, options = {}, data = undefined) {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { timeout: 10000, ...options }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 10 s\n${logs()}`)));
    req.on('error', reject);
    req.end(data);
  });
}

const get = (url, options = {}) => send(url, options);

before(async () => {
  dir = mkdtempSync('/tmp/portal-tls.');
  execFileSync('chmod', ['755', dir]);
  [httpsPort, httpPort, korePort] = [await freePort(), await freePort(), await freePort()];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt',
    'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/portal.key`,
    '-out', `${dir}/portal.pem`], { stdio: 'ignore' });
  cert = readFileSync(`${dir}/portal.pem`);

  // conf/prod.conf, with this checkout's files and a free port.
  const { args, env } = prodKore(dir, korePort);
  assert.doesNotMatch(readFileSync(`${dir}/prod.conf`, 'utf8'), /seccomp_tracing/);
  kore = spawn('kore', args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  kore.log = '';
  kore.stdout.on('data', (d) => { kore.log += d; });
  kore.stderr.on('data', (d) => { kore.log += d; });

  // conf/nginx-portal.conf inside a minimal main configuration.
  const site = readFileSync('conf/nginx-portal.conf', 'utf8')
    .split('\n').filter((l) => !l.includes('[::]')).join('\n')
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
    .replace(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${korePort};`)
    .replace(/ssl_certificate .*/, `ssl_certificate ${dir}/portal.pem;`)
    .replace(/ssl_certificate_key .*/, `ssl_certificate_key ${dir}/portal.key;`);
  writeFileSync(`${dir}/site.conf`, site);
  writeFileSync(`${dir}/nginx.conf`, `${root ? 'user www-data;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'],
    { stdio: 'inherit' });
  await waitFor(async () => (await get(`http://127.0.0.1:${korePort}/healthz`)).status === 200,
    'kore (prod.conf)');
  await waitFor(async () => (await get(`https://127.0.0.1:${httpsPort}/healthz`, { ca: cert }))
    .status === 200, 'nginx');
}, { timeout: 90000 });

after(() => {
  for (const p of [kore, nginx]) if (p && p.exitCode === null) p.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the portal answers over HTTPS through nginx, with HSTS', async () => {
  const res = await get(`https://127.0.0.1:${httpsPort}/healthz`, { ca: cert });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body).database, 'ok');
  assert.match(res.headers['strict-transport-security'], /max-age=\d+/);
  assert.ok(res.headers['content-security-policy']);
  const page = await get(`https://127.0.0.1:${httpsPort}/`, { ca: cert });
  assert.equal(page.status, 200);
  assert.match(page.body, /Safeguarding Training Portal/);
});

test('over HTTPS the session cookie is Secure, under the __Host- prefix', async () => {
  const res = await send(`https://127.0.0.1:${httpsPort}/api/v1/session`, {
    method: 'POST', ca: cert, headers: { 'content-type': 'application/json' },
  }, JSON.stringify({ email: 'practitioner@demo.example', password: 'demo-password-2016' }));
  assert.equal(res.status, 200, res.body);
  const cookie = res.headers['set-cookie'][0];
  assert.match(cookie, /^__Host-portal_session=[A-Za-z0-9_-]{43}; Path=\/;/);
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.doesNotMatch(cookie, /Domain=/i);
  const me = await get(`https://127.0.0.1:${httpsPort}/api/v1/me`,
    { ca: cert, headers: { cookie: cookie.split(';')[0] } });
  assert.equal(me.status, 200);
  assert.equal(JSON.parse(me.body).email, 'practitioner@demo.example');
  // The plain cookie name means nothing over HTTPS.
  const plain = await get(`https://127.0.0.1:${httpsPort}/api/v1/me`,
    { ca: cert, headers: { cookie: cookie.split(';')[0].replace('__Host-', '') } });
  assert.equal(plain.status, 401);
});

test('a certificate the client does not trust is refused', async () => {
  await assert.rejects(get(`https://127.0.0.1:${httpsPort}/healthz`));
});

test('plain HTTP is redirected to HTTPS', async () => {
  const res = await get(`http://127.0.0.1:${httpPort}/courses`);
  assert.equal(res.status, 301);
  assert.match(res.headers.location, /^https:\/\/127\.0\.0\.1\/courses$/);
});

test('Kore serves on loopback only, sandboxed, and (as root) drops to its runas user', async () => {
  assert.doesNotMatch(kore.log, /sandbox violation/);
  assert.doesNotMatch(readFileSync(`${dir}/prod.conf`, 'utf8'), /^\s*tls yes/m);
  if (root) {
    const pid = readFileSync(`${dir}/kore.pid`, 'utf8').trim();
    const workers = execFileSync('ps', ['-o', 'user=,args=', '--ppid', pid], { encoding: 'utf8' })
      .trim().split('\n');
    const served = workers.filter((w) => /wrk/.test(w));
    assert.ok(served.length >= 2, workers.join('\n'));
    for (const w of served) assert.match(w, /^nobody\s/);
  }
  // Seccomp is on for every worker (mode 2: filter).
  const pid = readFileSync(`${dir}/kore.pid`, 'utf8').trim();
  const kids = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', pid], { encoding: 'utf8' })
    .trim().split('\n').filter((l) => /wrk/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
  assert.ok(kids.length >= 2);
  for (const k of kids) {
    assert.match(readFileSync(path.join('/proc', k, 'status'), 'utf8'), /Seccomp:\s+2/);
  }
});

// A request whose body is announced but never sent: the answer must come
// from the headers alone (nothing buffered), within `timeout` ms.
function announced(path, length, timeout = 3000) {
  return new Promise((resolve, reject) => {
    const req = https.request(`https://127.0.0.1:${httpsPort}${path}`, { method: 'POST', ca: cert,
      headers: { 'content-type': /imports|staff$|training-records$/.test(path) ?
        'text/csv' : 'application/json', 'content-length': length } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => { clearTimeout(timer); req.destroy(); resolve({ status: res.statusCode, headers: res.headers, body }); });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${path}: no answer within ${timeout} ms to a ${length}-byte body not sent`));
    }, timeout);
    req.on('error', () => {});
    req.flushHeaders();
  });
}

test('nginx holds each route to its body limit, from the Content-Length alone', async () => {
  // The JSON API: 64 KiB, answered in the portal's error shape.
  const json = await announced('/api/v1/accounts', 100 * 1024);
  assert.equal(json.status, 413);
  assert.equal(JSON.parse(json.body).error.code, 'body_too_large');
  assert.ok(json.headers['content-security-policy']);
  assert.equal((await announced('/api/v1/session', 1024 * 1024)).status, 413);
  // Uploads: their handler's limit, no more.
  assert.equal((await announced('/api/v1/agencies/1/staff', 3 * 1024 * 1024)).status, 413);
  assert.equal((await announced('/api/v1/imports/attendance', 17 * 1024 * 1024)).status, 413);
  // Within the limit the body goes through to Kore (which wants a session).
  const csv = Buffer.alloc(3 * 1024 * 1024, 'a\n');
  const upload = await send(`https://127.0.0.1:${httpsPort}/api/v1/imports/attendance`,
    { method: 'POST', ca: cert, headers: { 'content-type': 'text/csv', 'content-length': csv.length } }, csv);
  assert.equal(upload.status, 401, kore.log.slice(-1500));
  // The training records: 4 MiB, passed through within it.
  assert.equal((await announced('/api/v1/agencies/1/training-records', 5 * 1024 * 1024)).status, 413);
  const records = Buffer.alloc(3 * 1024 * 1024, 'a\n');
  const within = await send(`https://127.0.0.1:${httpsPort}/api/v1/agencies/1/training-records`,
    { method: 'POST', ca: cert, headers: { 'content-type': 'text/csv', 'content-length': records.length } }, records);
  assert.equal(within.status, 401, kore.log.slice(-1500));
});

test('Kore refuses a body over its limit from the Content-Length alone', async () => {
  const res = await send(`http://127.0.0.1:${korePort}/api/v1/imports/attendance`, { method: 'POST',
    headers: { 'content-type': 'text/csv', 'content-length': 16 * 1024 * 1024 + 1 } }, undefined);
  assert.equal(res.status, 413);
});
