// Every upload route has its limit in production: nginx answers 413 past
// `client_max_body_size` (64k for the JSON API), so each route whose
// handler reads a larger body needs a location of its own in the nginx
// site (conf/nginx-portal.conf) that allows at least the handler's limit.
// The routes come from conf/routes.conf and the limits from the handlers'
// source (app/h_*.c: the constant a function compares the body's length
// with, or hands to reply_read_upload(), in the handler or a function it
// calls), so that a new upload route without its location fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

// "16m", "64k", "1024" -> bytes.
function size(text) {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text);
  assert.ok(m, `client_max_body_size ${text}: not a size`);
  return Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()];
}

// The functions of a C file: {name: body}.
function functions(source) {
  const out = {};
  for (const m of source.matchAll(/^(\w+)\([^;]*?\)\n\{\n([\s\S]*?)^\}/gm)) out[m[1]] = m[2];
  return out;
}

// Each handler that reads an upload: {handler: bytes}.
function uploadHandlers() {
  const handlers = {};
  for (const file of readdirSync('app').filter((f) => /^h_.*\.c$/.test(f))) {
    const source = readFileSync(`app/${file}`, 'utf8');
    const defines = Object.fromEntries([...source.matchAll(/^#define\s+(\w+)\s+\(?([\d\s*]+)\)?\s*$/gm)]
      .map((m) => [m[1], m[2].split('*').reduce((a, b) => a * Number(b), 1)]));
    const fns = functions(source);
    // The limit each function reads a body up to, itself.
    const own = {};
    for (const [name, body] of Object.entries(fns)) {
      const m = /content_length\s*>\s*([A-Za-z_]\w*)|reply_read_upload\(\s*req,\s*([A-Za-z_]\w*)/.exec(body);
      if (m) {
        const constant = m[1] ?? m[2];
        assert.ok(constant in defines, `${file}: ${name} reads up to ${constant}, not a #define of a size`);
        own[name] = defines[constant];
      }
    }
    // ... or through a function of the file it calls.
    const limit = (name, seen = new Set()) => {
      if (own[name] !== undefined) return own[name];
      seen.add(name);
      let best;
      for (const callee of Object.keys(fns)) {
        if (seen.has(callee) || !new RegExp(`\\b${callee}\\(`).test(fns[name])) continue;
        const l = limit(callee, seen);
        if (l !== undefined) best = Math.max(best ?? 0, l);
      }
      return best;
    };
    for (const name of Object.keys(fns).filter((n) => n.startsWith('h_'))) {
      const l = limit(name);
      if (l !== undefined) handlers[name] = l;
    }
  }
  return handlers;
}

// Kore's routes: [{path, handler}], a path an example of its pattern.
function routes() {
  return readFileSync('conf/routes.conf', 'utf8').split('\n')
    .map((l) => /^\s*route\s+(\S+)\s+(\S+)/.exec(l)).filter(Boolean)
    .map(([, pattern, handler]) => ({ pattern, handler, path: pattern.startsWith('/') ? pattern
      : pattern.replace(/^\^/, '').replace(/\$$/, '').replaceAll('[^/]+', '12').replaceAll('\\.', '.') }));
}

// The nginx site's locations: [{kind: '=', '~' or 'prefix', match, size}],
// and the server's own client_max_body_size.
function site() {
  const text = readFileSync('conf/nginx-portal.conf', 'utf8').replace(/#.*$/gm, '');
  const servers = text.split(/\bserver\s*\{/).slice(1);
  const https = servers.find((s) => /listen\s+443/.test(s));
  assert.ok(https, 'the nginx site has no HTTPS server');
  const locations = [];
  let outer = https;
  for (const m of https.matchAll(/location\s+(=|~\*?|\^~)?\s*(\S+)\s*\{([^}]*)\}/g)) {
    const body = m[3];
    const sz = /client_max_body_size\s+(\S+);/.exec(body);
    locations.push({ kind: m[1] ?? 'prefix', match: m[2], size: sz ? size(sz[1]) : undefined,
      proxied: /proxy_pass\s/.test(body) });
    outer = outer.replace(m[0], '');
  }
  const server = /client_max_body_size\s+(\S+);/.exec(outer);
  return { locations, server: server ? size(server[1]) : 1024 * 1024 };
}

// The location nginx picks for `path`: an exact match, else the first
// regular expression that matches, else the longest prefix.
function pick(locations, path) {
  const exact = locations.find((l) => l.kind === '=' && l.match === path);
  if (exact) return exact;
  const prefix = locations.filter((l) => (l.kind === 'prefix' || l.kind === '^~') && path.startsWith(l.match))
    .sort((a, b) => b.match.length - a.match.length)[0];
  if (prefix?.kind === '^~') return prefix;
  const regex = locations.find((l) => l.kind.startsWith('~')
    && new RegExp(l.match, l.kind === '~*' ? 'i' : '').test(path));
  return regex ?? prefix;
}

test('the handlers that read uploads are found, with their limits', () => {
  const handlers = uploadHandlers();
  // The uploads the README lists, at least.
  for (const h of ['h_staff', 'h_training_records', 'h_import_attendance'])
    assert.ok(handlers[h] > 64 * 1024, `${h}: ${handlers[h]}`);
});

test('every upload route has an nginx location that passes it to Kore with at least its handler\'s limit', () => {
  const handlers = uploadHandlers();
  const { locations, server } = site();
  const uploads = routes().filter((r) => handlers[r.handler] !== undefined);
  assert.ok(uploads.length >= 4, JSON.stringify(uploads));
  const missing = [];
  for (const r of uploads) {
    const l = pick(locations, r.path);
    const allowed = l?.size ?? server;
    if (!l?.proxied || allowed < handlers[r.handler])
      missing.push(`${r.pattern} (${r.handler}, ${handlers[r.handler]} bytes): nginx allows ${allowed}`
        + `${l ? ` in location ${l.kind} ${l.match}` : ', no location'}`);
  }
  assert.deepEqual(missing, [], 'upload routes without their limit in conf/nginx-portal.conf');
});

test('nginx holds every other route to the JSON API\'s 64 KiB', () => {
  const handlers = uploadHandlers();
  const { locations, server } = site();
  assert.equal(server, 64 * 1024);
  for (const r of routes().filter((x) => handlers[x.handler] === undefined)) {
    const l = pick(locations, r.path);
    assert.ok((l?.size ?? server) <= 64 * 1024, `${r.pattern} is allowed ${l?.size} bytes by location ${l?.match}`);
  }
});

test('Kore\'s own body limit is the largest upload\'s, in both configurations', () => {
  const largest = Math.max(...Object.values(uploadHandlers()));
  for (const conf of ['conf/prod.conf', 'conf/dev.conf']) {
    const m = /^http_body_max\s+(\d+)/m.exec(readFileSync(conf, 'utf8'));
    assert.ok(m, `${conf} sets no http_body_max`);
    assert.equal(Number(m[1]), largest, conf);
  }
});
