// Uploads do not multiply memory: a worker reads a CSV upload a row at a
// time (app/csv.c csv_read()), so its memory during an upload stays
// within a small multiple of the file, and is given back after. Against
// a server of its own (conf/prod.conf, the module without sanitizers,
// whose allocations would blur the measure), on the suite's database:
// each worker's peak resident memory (VmHWM in /proc/PID/status) is read
// before and after 4 MiB training-records uploads of one-character
// fields, and the answers are the ones the rules give (the same 422s).
// An attendance history import runs off the request path, in the
// sandbox, while the workers go on answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { sql, DEMO_PASSWORD } from './http.mjs';
import { prodKore } from './prod.mjs';
import { freePort, startKore, stopKore } from './server.mjs';
import { makeArea, historyRows, toCsv } from './history.mjs';

const MiB = 1024 * 1024;
let dir, kore, port, session, agency;


// One request on a connection of its own, within `timeout` milliseconds.
function send(path, { method = 'GET', body, headers = {}, timeout = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const h = { 'x-forwarded-for': '192.0.2.77', ...headers };
    if (session) Object.assign(h, { cookie: session.cookie, 'x-csrf-token': session.csrf });
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false, timeout, headers: h }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeout} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function workers() {
  const pid = readFileSync(`${dir}/kore.pid`, 'utf8').trim();
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', pid], { encoding: 'utf8' })
    .trim().split('\n').filter((l) => /wrk/.test(l)).map((l) => l.trim().split(/\s+/)[0]).sort();
}

// {pid: {rss, hwm}} in bytes, of every worker. With `reset`, each
// worker's peak is first brought down to what it holds now (clear_refs
// 5): the sign-in's password hash alone (Argon2id) takes 64 MiB.
function memory(reset = false) {
  if (reset) for (const pid of workers()) writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const out = {};
  for (const pid of workers()) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]) * 1024;
    out[pid] = { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  }
  return out;
}

before(async () => {
  dir = mkdtempSync('/tmp/portal-uploads.');
  port = await freePort();
  const { args, env } = prodKore(dir, port);
  kore = await startKore(args, env, port);
  const res = await send('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'coordinator@demo.example', password: DEMO_PASSWORD }) });
  assert.equal(res.status, 200, res.text);
  session = { cookie: res.headers['set-cookie'][0].split(';')[0], csrf: res.json.csrf_token };
  [[agency]] = sql("SELECT min(id) FROM agencies WHERE sector = 'education'");
});

after(async () => {
  await stopKore(kore);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A CSV of `bytes` bytes at most: the header, then rows of `fields`
// one-character fields.
function oneCharacterFields(bytes, fields) {
  const header = 'email,course_title,completed_on,group_level,provider,hours\r\n';
  const row = `${Array(fields).fill('a').join(',')}\r\n`;
  return header + row.repeat(Math.floor((bytes - header.length) / row.length));
}

async function upload(csv) {
  return send(`/api/v1/agencies/${agency}/training-records`, { method: 'POST',
    headers: { 'content-type': 'text/csv' }, body: csv });
}

// Upload `csv` three times; each worker's peak memory grows by at most
// `bound` bytes over what it held before, and afterwards it holds at most
// one body's worth more.
async function bounded(csv, bound, check) {
  const before = memory(true);
  for (let i = 0; i < 3; i++) check(await upload(csv));
  const after = memory();
  for (const [pid, m] of Object.entries(after)) {
    const was = before[pid];
    assert.ok(was, `worker ${pid} was restarted: ${kore.log.slice(-2000)}`);
    const peak = m.hwm - was.hwm;
    assert.ok(peak <= bound, `worker ${pid}: peak ${(m.hwm / MiB).toFixed(1)} MiB, `
      + `${(peak / MiB).toFixed(1)} MiB over the ${(was.hwm / MiB).toFixed(1)} MiB it held before `
      + `(bound ${(bound / MiB).toFixed(1)} MiB) for a ${(csv.length / MiB).toFixed(1)} MiB upload`);
    // The allocator may keep one body's worth for the next request.
    assert.ok(m.rss - was.rss <= csv.length + MiB,
      `worker ${pid} kept ${((m.rss - was.rss) / MiB).toFixed(1)} MiB`);
  }
}

test('a 4 MiB upload of one-character fields, 64 to a row: a 422, and memory within 3 times the file', async () => {
  const csv = oneCharacterFields(4 * MiB, 64);
  assert.ok(csv.length > 3.9 * MiB);
  await bounded(csv, 3 * 4 * MiB, (res) => {
    assert.equal(res.status, 422, res.text.slice(0, 300));
    assert.deepEqual(res.json.error.fields.rows,
      [{ line: 1, field: 'file', message: 'At most 10000 records can be sent at once.' }]);
  });
});

test('a 4 MiB upload with a row of too many fields: the file is refused, memory within 3 times the file', async () => {
  const csv = oneCharacterFields(4 * MiB - 200, 63) + Array(65).fill('a').join(',');
  await bounded(csv, 3 * 4 * MiB, (res) => {
    assert.equal(res.status, 422, res.text.slice(0, 300));
    assert.match(res.json.error.fields.rows[0].message, /too large: at most 64 columns/);
  });
});

test('the rows of an upload are checked one by one, each problem named with its line', async () => {
  const rows = ['email,course_title,completed_on,group_level,provider,hours',
    'not-an-address,In-house,2016-09-05,G2,The school,',
    `nobody.${process.pid}@example.org,In-house,2016-02-30,G2,The school,1.5`,
    `nobody.${process.pid}@example.org,In-house,2016-09-05,G2,The school,x`];
  const res = await upload(`${rows.join('\r\n')}\r\n`);
  assert.equal(res.status, 422, res.text);
  assert.deepEqual(res.json.error.fields.rows.map((r) => `${r.line} ${r.field}`).sort(),
    ['2 email', '3 completed_on', '3 email', '4 email', '4 hours']);
});

test('a history import runs off the request path, in the sandbox: 202 at once, other requests answered meanwhile', async () => {
  const { agencies } = makeArea('BIG');
  const rows = historyRows({ tag: 'big', agencies, years: [2008, 2009, 2010, 2011, 2012, 2013], perYear: 500 });
  assert.ok(rows.length > 9000);
  const t0 = Date.now();
  const sent = await send('/api/v1/imports/attendance', { method: 'POST', headers: { 'content-type': 'text/csv' },
    body: toCsv(rows) });
  assert.equal(sent.status, 202, sent.text);
  assert.equal(sent.json.status, 'running');
  assert.equal(sent.headers.location, sent.json.location);
  const answered = Date.now() - t0;
  // Meanwhile: the catalogue and the job, each answered promptly.
  const slowest = { ms: 0 };
  let job = sent.json;
  const steps = new Set();
  while (job.status === 'running') {
    for (const path of ['/api/v1/courses', '/healthz', job.location]) {
      const t = Date.now();
      const res = await send(path);
      slowest.ms = Math.max(slowest.ms, Date.now() - t);
      assert.equal(res.status, 200, res.text);
      if (path === job.location) job = res.json;
    }
    steps.add(job.step);
    assert.ok(Date.now() - t0 < 180000, 'the import did not end in 3 minutes');
  }
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.equal(job.step, job.steps);
  assert.equal(job.rows, rows.length);
  assert.equal(job.result.rows, rows.length);
  assert.ok(answered < 3000, `the upload was answered after ${answered} ms`);
  assert.ok(slowest.ms < 2000, `a request waited ${slowest.ms} ms while the import ran`);
  assert.doesNotMatch(kore.log, /violation/);
  // A job that is not there, and one id that is not one.
  assert.equal((await send('/api/v1/imports/attendance/999999999')).status, 404);
  assert.equal((await send('/api/v1/imports/attendance/x')).status, 422);
});

// A large upload that is accepted: an attendance history of several
// MiB, read a row at a time into the rows of a COPY and imported. Each
// worker's peak memory, from before the upload to the job's end, grows
// by at most `HISTORY_GROWTH` times the file: the body, the COPY text,
// and what libpq and the allocator hold beside them (2.1 times, measured
// on a 7.2 MiB file). A reader that held the file whole beside them, even
// as a table in three allocations (every field, its pointer, each row),
// goes over (3.8 times).
const HISTORY_GROWTH = 3;

test(`a history of several MiB that is accepted: memory within ${HISTORY_GROWTH} times the file`, async (t) => {
  const { agencies } = makeArea('MEM');
  // Ten past years within the twenty the reports page offers (the full
  // suite shares its database: tests/browser/reports.test.mjs picks the
  // first year with places from it).
  const years = Array.from({ length: 10 }, (_, i) => new Date().getFullYear() - 15 + i);
  const rows = historyRows({ tag: 'mem', agencies, years, perYear: 2000 });
  const csv = toCsv(rows);
  assert.ok(csv.length > 6 * MiB, `${csv.length} bytes`);
  const before = memory(true);
  const sent = await send('/api/v1/imports/attendance', { method: 'POST',
    headers: { 'content-type': 'text/csv' }, body: csv });
  assert.equal(sent.status, 202, sent.text);
  let job = sent.json;
  const t0 = Date.now();
  while (job.status === 'running') {
    assert.ok(Date.now() - t0 < 300000, 'the import did not end in 5 minutes');
    await new Promise((resolve) => { setTimeout(resolve, 200); });
    const res = await send(job.location);
    assert.equal(res.status, 200, res.text);
    job = res.json;
  }
  assert.equal(job.status, 'done', JSON.stringify(job).slice(0, 500));
  assert.equal(job.result.rows, rows.length);
  const after = memory();
  for (const [pid, m] of Object.entries(after)) {
    const was = before[pid];
    assert.ok(was, `worker ${pid} was restarted: ${kore.log.slice(-2000)}`);
    const growth = (m.hwm - was.hwm) / csv.length;
    t.diagnostic(`worker ${pid}: peak ${(m.hwm / MiB).toFixed(1)} MiB, grew ${growth.toFixed(2)}x `
      + `the ${(csv.length / MiB).toFixed(1)} MiB file`);
    assert.ok(growth <= HISTORY_GROWTH, `worker ${pid}: peak ${(m.hwm / MiB).toFixed(1)} MiB, `
      + `${((m.hwm - was.hwm) / MiB).toFixed(1)} MiB over the ${(was.hwm / MiB).toFixed(1)} MiB it held `
      + `before: ${growth.toFixed(2)}x the ${(csv.length / MiB).toFixed(1)} MiB file`);
  }
});

// Paper evaluation forms (at most 1 MiB): a file of 40,000 rows, each
// wrong in ten fields, would name 400,000 problems (272 MiB of a worker
// and a 40 MiB answer when every form was read and every problem named).
// A file holds 10,000 forms at most, and the first 100 problems are named.
test('paper forms: at most 10,000 a file and 100 problems named; memory within 8 MiB', async (t) => {
  const [[session]] = sql('SELECT min(id) FROM sessions');
  const header = 'rating_content,rating_delivery,rating_venue,rating_trainer,rating_overall,'
    + 'knowledge_before,knowledge_after,confidence_before,confidence_after,outcomes_met,'
    + 'improve_safeguarding,action,comments\n';
  const row = '0,0,0,0,0,0,0,0,0,0,0,,\n';
  const post = (csv) => send(`/api/v1/sessions/${session}/evaluations`, { method: 'POST',
    headers: { 'content-type': 'text/csv' }, body: csv });
  const before = memory(true);
  const big = await post(header + row.repeat(Math.floor((MiB - header.length) / row.length)));
  assert.equal(big.status, 422, big.text.slice(0, 300));
  assert.deepEqual(big.json.error.fields.rows,
    [{ row: 1, field: 'file', message: 'At most 10000 forms can be sent at once.' }]);
  const wrong = await post(header + row.repeat(10000));
  assert.equal(wrong.status, 422, wrong.text.slice(0, 300));
  const rows = wrong.json.error.fields.rows;
  assert.equal(rows.length, 100);
  assert.deepEqual(rows[0], { row: 2, field: 'rating_content', message: 'Must be a whole number from 1 to 5.' });
  assert.equal(rows[99].row, 11);
  const after = memory();
  for (const [pid, m] of Object.entries(after)) {
    const grew = (m.hwm - before[pid].hwm) / MiB;
    t.diagnostic(`worker ${pid}: grew ${grew.toFixed(1)} MiB`);
    assert.ok(grew <= 8, `worker ${pid}: grew ${grew.toFixed(1)} MiB`);
  }
});
