// SIGHUP (Kore's module reload) against a server of its own (prod.conf,
// the module built with AddressSanitizer): the module is never reloaded
// (app/init.c), so a report being gathered in a thread when the signal
// comes is answered, no worker stops, and the printer Kore's parent
// started is still there for the annual report's PDF, also for workers
// the parent starts after the reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { sql, login, as } from './http.mjs';
import { prodKore } from './prod.mjs';
import { freePort, startKore, stopKore } from './server.mjs';

let dir, kore, base;

function workers() {
  const pid = readFileSync(`${dir}/kore.pid`, 'utf8').trim();
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', pid], { encoding: 'utf8' })
    .trim().split('\n').filter((l) => /wrk/.test(l)).map((l) => l.trim().split(/\s+/)[0]).sort();
}

before(async () => {
  dir = mkdtempSync('/tmp/portal-reload.');
  const port = await freePort();
  const { args, env } = prodKore(dir, port, {}, { asan: true });
  kore = await startKore(args, env, port);
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  await stopKore(kore);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a reload (SIGHUP) while a report is gathered: answered, no worker lost, the PDF still printed', async () => {
  const reviewer = await login('reviewer@demo.example');
  const before = workers();
  assert.equal(before.length, 2, kore.log);
  // A change, so that the report is gathered afresh, in a thread.
  sql("UPDATE courses SET title = title WHERE id = (SELECT min(id) FROM courses)");
  const path = '/api/v1/reports/evaluation?from=2016-04-01&to=2017-03-31';
  const first = await as(reviewer, path, { base, settle: false });
  assert.ok([200, 202].includes(first.status), first.text);
  process.kill(Number(readFileSync(`${dir}/kore.pid`, 'utf8').trim()), 'SIGHUP');
  const report = await as(reviewer, path, { base });
  assert.equal(report.status, 200, `${report.text.slice(0, 300)}\n${kore.log}`);
  for (let i = 0; i < 50 && (kore.log.match(/forced no reloaded/g) ?? []).length < 2; i++)
    await new Promise((r) => { setTimeout(r, 100); });
  assert.equal((kore.log.match(/forced no reloaded/g) ?? []).length, 2, `each worker refused the reload:\n${kore.log}`);
  await printed(reviewer);
  assert.deepEqual(workers(), before, `no worker stopped or started:\n${kore.log}`);
  const me = await as(reviewer, '/api/v1/me', { base });
  assert.equal(me.status, 200, me.text);

  // Workers Kore's parent starts after the reload (the old ones killed)
  // have the printer too.
  for (const pid of before) process.kill(Number(pid), 'SIGKILL');
  for (let i = 0; i < 100; i++) {
    const now = workers();
    if (now.length === 2 && now.every((p) => !before.includes(p))) break;
    await new Promise((r) => { setTimeout(r, 100); });
  }
  assert.equal(workers().filter((p) => !before.includes(p)).length, 2, kore.log);
  for (let i = 0; i < 2; i++) await printed(reviewer);
  assert.doesNotMatch(kore.log, /AddressSanitizer|sandbox violation/);
});

// The annual report's PDF, printed on this server.
async function printed(reviewer) {
  const pdf = await as(reviewer, '/api/v1/reports/annual?year=2016/17&format=pdf', { base })
    .catch((err) => { throw new Error(`${err.message}\n--- this server's log:\n${kore.log}`); });
  assert.equal(pdf.status, 200, `${pdf.text.slice(0, 300)}\n${kore.log}`);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
}
