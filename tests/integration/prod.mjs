// Kore as production runs it (conf/prod.conf), for the tests that need
// the production shape: workers drop to the runas user (`nobody` when the
// tests run as root), so what they read goes into a folder of `dir` that
// user can read: the checkout may not be (a root's clone in /root, mode
// 0700), and a worker that cannot read its pages stops the server.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = process.getuid() === 0;

// Prepare `dir` (mode 755) for a Kore on `port`: {args, env} to spawn
// `kore` with, its configuration in `${dir}/prod.conf`. With `asan`, the
// module is build/portal-asan.so and the AddressSanitizer runtime is
// preloaded into kore: an invalid read or write prints
// "AddressSanitizer" in the log and stops the worker.
export function prodKore(dir, port, env = {}, { asan = false } = {}) {
  execFileSync('chmod', ['755', dir]);
  const srv = `${dir}/srv`;
  for (const sub of ['build', 'conf', 'assets']) mkdirSync(`${srv}/${sub}`, { recursive: true });
  cpSync(asan ? 'build/portal-asan.so' : 'build/portal.so', `${srv}/build/portal.so`);
  cpSync('conf', `${srv}/conf`, { recursive: true });
  cpSync('assets/dist', `${srv}/assets/dist`, { recursive: true });
  execFileSync('chmod', ['-R', 'a+rX', srv]);
  // Where the workers keep bodies past 1 MiB.
  mkdirSync(`${dir}/bodies`, { mode: 0o1777 });
  execFileSync('chmod', ['1777', `${dir}/bodies`]);
  let conf = readFileSync('conf/prod.conf', 'utf8')
    .replace(/bind 127\.0\.0\.1 8080/, `bind 127.0.0.1 ${port}`)
    .replaceAll('/srv/portal/', `${srv}/`)
    .replace(/pidfile .*/, `pidfile ${dir}/kore.pid`)
    .replace(/http_body_disk_path .*/, `http_body_disk_path ${dir}/bodies`)
    .replace(/accesslog .*/, `accesslog ${dir}/access.log`);
  if (root) conf = conf.replace(/^runas portal$/m, 'runas nobody');
  writeFileSync(`${dir}/prod.conf`, conf);
  const args = ['-c', `${dir}/prod.conf`, '-f', '-n'];
  if (!root) args.push('-r');
  // The case notes' key, owned by the user the workers run as, mode 0600.
  const notesKey = `${dir}/notes.key`;
  execFileSync('sh', ['conf/bin/notes-key.sh', notesKey], { stdio: 'ignore' });
  if (root) execFileSync('chown', ['nobody', notesKey]);
  const sanitizer = asan ? {
    LD_PRELOAD: execFileSync('cc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim(),
    // Leaks are the unit tests' business; kore itself is not built for it.
    ASAN_OPTIONS: 'detect_leaks=0',
  } : {};
  return { args, env: { ...process.env, PORTAL_ASSETS_DIR: `${srv}/assets`, PORTAL_CONF_DIR: `${srv}/conf`,
    PORTAL_TRUST_PROXY: '1', PORTAL_NOTES_KEY_FILE: notesKey, ...sanitizer, ...env } };
}
