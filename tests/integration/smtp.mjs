// A real SMTP sink for the tests (Debian's python3-aiosmtpd writing a
// Maildir), and `portalctl send-mail --once` against it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Start a sink; returns {port, mailbox(), stop()}. Waits at most 5 s.
export async function startSink() {
  const dir = mkdtempSync('/tmp/portal-mail.');
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', `${dir}/mail`], { stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 50 && !up; i++) {
    up = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) throw new Error(`the SMTP sink did not listen on ${port} within 5 s`);
  return {
    port,
    mailbox() {
      const box = `${dir}/mail/new`;
      return existsSync(box) ? readdirSync(box).map((f) => readFileSync(`${box}/${f}`, 'utf8')) : [];
    },
    stop() { proc.kill(); rmSync(dir, { recursive: true, force: true }); },
  };
}

// One round of `portalctl send-mail --once` (the scheduled jobs, then
// delivery) to `port`; returns its standard output. At most 60 s.
export function sendMailOnce(port, env = {}) {
  const r = spawnSync('build/portalctl', ['send-mail', '--once'], { encoding: 'utf8', timeout: 60e3,
    env: { ...process.env, PORTAL_SMTP_URL: `smtp://127.0.0.1:${port}`, ...env } });
  if (r.status !== 0) throw new Error(`send-mail: ${r.status} ${r.stderr}`);
  return r.stdout;
}

// Two rounds at once, in two processes; resolves with their outputs.
export function sendMailTwiceAtOnce(port, env = {}) {
  const one = () => new Promise((resolve, reject) => {
    const p = spawn('build/portalctl', ['send-mail', '--once'], {
      env: { ...process.env, PORTAL_SMTP_URL: `smtp://127.0.0.1:${port}`, ...env } });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { p.kill(); reject(new Error('send-mail took over 60 s')); }, 60e3);
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => { clearTimeout(timer); code === 0 ? resolve(out) : reject(new Error(`send-mail: ${code} ${err}`)); });
  });
  return Promise.all([one(), one()]);
}
