// Two Kore nodes behind nginx on one database, as the README says a
// deployment beyond one machine runs: each node is conf/prod.conf (its
// own folder, port and workers) and nginx (conf/nginx-portal.conf) sends
// requests to both in turn. A person signs in on one node and books on
// the other (sessions live in the database); a rush of bookings through
// nginx, split across both nodes, never oversells; a course changed on
// one node is in the other's catalogue within its cache time (2 s); a
// report's kept answer gathered on one is served by the other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import https from 'node:https';
import http from 'node:http';
import { prodKore } from './prod.mjs';
import { sql, register } from './http.mjs';

const root = process.getuid() === 0;
const PLACES = 15;
const CLIENTS = 80;
let dir, nginx, httpsPort, httpPort, cert;
const nodes = [];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function logs() {
  const nginxLog = dir && existsSync(`${dir}/nginx-error.log`) ? readFileSync(`${dir}/nginx-error.log`, 'utf8') : '';
  return nodes.map((n, i) => `--- node ${i + 1}:\n${n.kore.log.slice(-2000)}`).join('\n')
    + `\n--- nginx:\n${nginxLog.slice(-2000)}`;
}

// One request on a connection of its own, within 60 s: {status, headers, text, json}.
function send(url, { method = 'GET', headers = {}, body, session } = {}) {
  const mod = url.startsWith('https:') ? https : http;
  const h = { ...headers };
  if (session) Object.assign(h, { cookie: session.cookie, 'x-csrf-token': session.csrf });
  if (body !== undefined) Object.assign(h, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers: h, agent: false, ca: cert, timeout: 60000 }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${method} ${url} in 60 s\n${logs()}`)));
    req.on('error', reject);
    req.end(body);
  });
}

const node = (i, path) => `http://127.0.0.1:${nodes[i].port}${path}`;
const front = (path) => `https://127.0.0.1:${httpsPort}${path}`;

async function signIn(url, email, password = 'demo-password-2016') {
  const res = await send(url, { method: 'POST', body: JSON.stringify({ email, password }) });
  assert.equal(res.status, 200, res.text);
  return { cookie: res.headers['set-cookie'][0].split(';')[0], csrf: res.json.csrf_token };
}

async function waitFor(fn, what) {
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    try {
      if (await fn()) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${logs()}`);
}

before(async () => {
  dir = mkdtempSync('/tmp/portal-nodes.');
  execFileSync('chmod', ['755', dir]);
  [httpsPort, httpPort] = [await freePort(), await freePort()];
  for (let i = 0; i < 2; i++) {
    const d = `${dir}/node${i + 1}`;
    mkdirSync(d);
    const port = await freePort();
    const { args, env } = prodKore(d, port);
    const kore = spawn('kore', args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
    kore.log = '';
    kore.stdout.on('data', (x) => { kore.log += x; });
    kore.stderr.on('data', (x) => { kore.log += x; });
    nodes.push({ port, kore });
  }
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt',
    'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/portal.key`,
    '-out', `${dir}/portal.pem`], { stdio: 'ignore' });
  cert = readFileSync(`${dir}/portal.pem`);
  // The site, its one upstream server made two.
  const site = readFileSync('conf/nginx-portal.conf', 'utf8')
    .split('\n').filter((l) => !l.includes('[::]')).join('\n')
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
    .replace(/server 127\.0\.0\.1:8080;/, nodes.map((n) => `server 127.0.0.1:${n.port};`).join('\n\t'))
    .replace(/ssl_certificate .*/, `ssl_certificate ${dir}/portal.pem;`)
    .replace(/ssl_certificate_key .*/, `ssl_certificate_key ${dir}/portal.key;`);
  assert.match(site, new RegExp(`server 127.0.0.1:${nodes[1].port};`));
  writeFileSync(`${dir}/site.conf`, site);
  writeFileSync(`${dir}/nginx.conf`, `${root ? 'user www-data;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 512; }
http {
  log_format upstream '$upstream_addr $request_method $uri $status';
  access_log ${dir}/nginx-access.log upstream;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: 'inherit' });
  for (let i = 0; i < 2; i++)
    await waitFor(async () => (await send(node(i, '/healthz'))).status === 200, `node ${i + 1}`);
  await waitFor(async () => (await send(front('/healthz'))).status === 200, 'nginx');
}, { timeout: 90000 });

after(async () => {
  if (nginx && nginx.exitCode === null) nginx.kill('SIGTERM');
  for (const { kore } of nodes) {
    if (kore.exitCode !== null) continue;
    const gone = new Promise((resolve) => kore.once('exit', resolve));
    kore.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(resolve, 10000, 'timeout'); });
    if (await Promise.race([gone, late]) === 'timeout') {
      try { process.kill(-kore.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    }
    clearTimeout(timer);
    kore.stdout.destroy();
    kore.stderr.destroy();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A session of SG3-NEG `days` ahead with `places`, made through `at`
// (node() or front(), where `coordinator` signed in).
async function newSession(coordinator, at, places, days) {
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG3-NEG'");
  const start = Date.now() + days * 86400e3;
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const res = await send(at('/api/v1/sessions'), { method: 'POST', session: coordinator, body: JSON.stringify({
    course_id: Number(course), starts_at: iso(start), ends_at: iso(start + 3 * 3600e3),
    venue: 'Hackney Service Centre', capacity: places }) });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

test('signed in on one node, a person books on the other', async () => {
  const coordinator = await signIn(node(0, '/api/v1/session'), 'coordinator@demo.example');
  const id = await newSession(coordinator, (path) => node(0, path), 5, 40);
  const { body } = await register();
  const person = await signIn(node(0, '/api/v1/session'), body.email, body.password);
  const booked = await send(node(1, `/api/v1/sessions/${id}/bookings`), { method: 'POST', session: person });
  assert.equal(booked.status, 201, booked.text);
  assert.equal(booked.json.status, 'confirmed');
  // Seen from the first node too, and signed out on one, out on both.
  const mine = await send(node(0, '/api/v1/me/bookings'), { session: person });
  assert.equal(mine.status, 200, mine.text);
  assert.ok(JSON.stringify(mine.json).includes(`"id":${booked.json.id}`), mine.text.slice(0, 300));
  assert.equal((await send(node(1, '/api/v1/session'), { method: 'DELETE', session: person })).status, 204);
  assert.equal((await send(node(0, '/api/v1/me/bookings'), { session: person })).status, 401);
});

test(`a rush of ${CLIENTS} bookings on ${PLACES} places through nginx, split across both nodes: never oversold`, async () => {
  const coordinator = await signIn(front('/api/v1/session'), 'coordinator@demo.example');
  const id = await newSession(coordinator, front, PLACES, 45);
  const people = sql(`SELECT id FROM people WHERE erased_at IS NULL AND email NOT LIKE '%@demo.example'
    ORDER BY id DESC LIMIT ${CLIENTS}`).map((r) => Number(r[0]));
  assert.equal(people.length, CLIENTS);
  const answers = await Promise.all(people.map((p) => send(front(`/api/v1/sessions/${id}/bookings`),
    { method: 'POST', session: coordinator, body: JSON.stringify({ person_id: p }) })));
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [201], answers.find((a) => a.status !== 201)?.text);
  assert.equal(answers.filter((a) => a.json.status === 'confirmed').length, PLACES);
  const rows = sql(`SELECT status, coalesce(waitlist_position, 0) FROM bookings WHERE session_id = ${id}`);
  assert.equal(rows.filter((r) => r[0] === 'confirmed').length, PLACES);
  assert.deepEqual(rows.filter((r) => r[0] === 'waitlisted').map((r) => Number(r[1])).sort((a, b) => a - b),
    Array.from({ length: CLIENTS - PLACES }, (_, i) => i + 1));
  // Both nodes took their share of the rush.
  // (nginx logs a request once its answer has gone: the last may lag.)
  let log = [];
  for (let t0 = Date.now(); log.length < CLIENTS && Date.now() - t0 < 3000;) {
    log = readFileSync(`${dir}/nginx-access.log`, 'utf8').split('\n')
      .filter((l) => l.includes(`POST /api/v1/sessions/${id}/bookings 201`));
    if (log.length < CLIENTS) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(log.length, CLIENTS);
  for (const n of nodes) {
    const share = log.filter((l) => l.startsWith(`127.0.0.1:${n.port} `)).length;
    assert.ok(share >= CLIENTS / 4, `node on ${n.port} took ${share} of ${CLIENTS}`);
  }
  sql(`UPDATE sessions SET status = 'cancelled' WHERE id = ${id}`);
});

test('a course changed on one node is in the other\'s catalogue within its cache time', async () => {
  const coordinator = await signIn(node(0, '/api/v1/session'), 'coordinator@demo.example');
  const [[course, title]] = sql("SELECT id, title FROM courses WHERE code = 'SG3-NEG'");
  const titleIn = async (i) => (await send(node(i, '/api/v1/courses?limit=100'))).json.courses
    .find((c) => c.id === Number(course))?.title;
  // The other node has the catalogue in its cache.
  assert.equal(await titleIn(1), title);
  const changed = `${title} (two nodes)`;
  try {
    const res = await send(node(0, `/api/v1/courses/${course}`), { method: 'PATCH', session: coordinator,
      body: JSON.stringify({ title: changed }) });
    assert.equal(res.status, 200, res.text);
    const t0 = Date.now();
    while (await titleIn(1) !== changed) {
      assert.ok(Date.now() - t0 < 2000 + 1500, 'the other node still shows the old title');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await send(node(0, `/api/v1/courses/${course}`), { method: 'PATCH', session: coordinator,
      body: JSON.stringify({ title }) });
  }
});

test('a report\'s answer kept on one node is served by the other', async () => {
  const reviewer = await signIn(node(0, '/api/v1/session'), 'reviewer@demo.example');
  const path = '/api/v1/reports/courses?year=2015/16&agency_id=424242';
  // Gathered off the request path: 202 until its answer is kept.
  let first = await send(node(0, path), { session: reviewer });
  for (let i = 0; first.status === 202 && i < 300; i++) {
    await new Promise((resolve) => { setTimeout(resolve, 100); });
    first = await send(node(0, path), { session: reviewer });
  }
  assert.equal(first.status, 200, first.text);
  const key = 'courses|reader|{"agency_id":"424242","year":"2015/16"}';
  sql(`UPDATE report_answers SET body = '{"kept":"on node 1"}' WHERE key = '${key}'`);
  const second = await send(node(1, path), { session: reviewer });
  assert.deepEqual(second.json, { kept: 'on node 1' });
  sql(`DELETE FROM report_answers WHERE key = '${key}'`);
});
