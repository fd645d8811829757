// A Kore of a test's own, beside the suite's server: a free port, the
// server started (up when /healthz answers) and stopped with every
// worker.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

// A TCP port free on the loopback address now.
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Start `kore` with `args` and `env`, serving on `port`, in a process
// group of its own (so that stopKore() can stop every worker); its output
// gathers in `.log`, line by line (stdbuf: Kore's stdout is a pipe). Resolves once /healthz answers 200 within 30 s,
// else throws with Kore's words.
export async function startKore(args, env, port) {
  const kore = spawn('stdbuf', ['-oL', 'kore', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  kore.log = '';
  kore.stdout.on('data', (d) => { kore.log += d; });
  kore.stderr.on('data', (d) => { kore.log += d; });
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return kore;
    } catch { /* not yet */ }
    if (kore.exitCode !== null || Date.now() > deadline) {
      try { process.kill(-kore.pid, 'SIGKILL'); } catch { /* gone */ }
      throw new Error(`kore did not start:\n${kore.log}`);
    }
    await new Promise((r) => { setTimeout(r, 100); });
  }
}

// Stop `kore`: SIGTERM, then after 10 s SIGKILL to its whole group (an
// ASan build's worker can hang in its exit handlers).
export async function stopKore(kore) {
  if (kore && kore.exitCode === null) {
    const gone = new Promise((resolve) => { kore.once('exit', resolve); });
    kore.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(resolve, 10000, 'timeout'); });
    const how = await Promise.race([gone, late]);
    clearTimeout(timer);
    if (how === 'timeout') {
      try { process.kill(-kore.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    }
  }
  for (const s of [kore?.stdout, kore?.stderr]) s?.destroy();
}
