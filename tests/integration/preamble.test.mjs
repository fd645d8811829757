// Every handler's preamble checks in one order (ARCHITECTURE.md, A
// request): the method (405 with Allow), who is asking (401, then 403),
// the route's id (422), then the query or body. Walked over every route of
// conf/routes.conf with an id that is not one, so that a handler which
// reads its id (or its query) before the method or the session fails
// here: a wrong method is a 405 everywhere, an anonymous caller a 401
// everywhere but on the public methods below, and a signed-in person
// without the role a 403 whatever the id.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request, login, as } from './http.mjs';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// The methods anyone may use, signed in or not. A route that joins them
// is a decision, made here.
const PUBLIC = new Set([
  'GET /healthz',
  'GET /api/v1/group-levels',
  'GET /api/v1/topics',
  'GET /api/v1/agencies',
  'GET /api/v1/agencies/{id}',
  'GET /api/v1/courses',
  'GET /api/v1/courses/{id}',
  'GET /api/v1/sessions',
  'GET /api/v1/sessions/{id}',
  'POST /api/v1/accounts',
  'POST /api/v1/session',
  'POST /api/v1/line-manager-confirmations',
  'GET /api/v1/sessions/{id}/evaluations/template.csv',
  'GET /api/v1/evaluations/questions/{stage}',
  'POST /api/v1/manager-reviews/lookup',
  'POST /api/v1/manager-reviews',
  'POST /api/v1/password-reset',
  'POST /api/v1/password-reset/confirm',
  'POST /api/v1/email-verification',
]);

// The pages whose form has a POST of its own, answered 303 back to the
// page (app/h_pages.c: the script sends the form's JSON to the API).
const PAGE_FORMS = new Set(['/register', '/sign-in', '/forgotten-password', '/reset-password']);

// The routes of conf/routes.conf but the catch-all and the static files:
// [pattern, name], the name with {id} for an id and {stage} for a stage.
const ALL = readFileSync('conf/routes.conf', 'utf8').split('\n')
  .map((l) => /^\s*route\s+(\S+)\s+(\S+)/.exec(l)).filter(Boolean)
  .map((m) => m[1]).filter((r) => r !== '^/' && !r.startsWith('^/assets/'))
  .map((r) => [r, r.replace(/^\^|\$$/g, '').replaceAll('[^/]+', '{id}')
    .replaceAll('[a-z_]+', '{stage}').replaceAll('\\.', '.')]);
// The API's (and /healthz); the others are pages, anyone's.
const ROUTES = ALL.filter(([, name]) => name === '/healthz' || name.startsWith('/api/'));
const PAGES = ALL.filter(([, name]) => !ROUTES.some(([, n]) => n === name));

// A path of the route: `id` where it takes an id, a stage that exists.
const pathOf = (name, id) => name.replaceAll('{id}', id).replaceAll('{stage}', 'same_day');

let practitioner;

before(async () => {
  practitioner = await login('practitioner@demo.example');
});

test('the routes are read from conf/routes.conf', () => {
  assert.ok(ROUTES.length >= 60, `${ROUTES.length} routes`);
  assert.ok(PAGES.length >= 30, `${PAGES.length} pages`);
  assert.ok(ROUTES.some(([, name]) => name === '/api/v1/bookings/{id}'));
  for (const key of PUBLIC) {
    const [, name] = key.split(' ');
    assert.ok(ROUTES.some(([, n]) => n === name), `${key} is a route`);
  }
});

test('a wrong method is a 405 before anything else, on every route and page', async () => {
  const failures = [];
  for (const [, name] of ALL) {
    // No session and an id that is not one: only the method is answered.
    const path = `${pathOf(name, 'x')}?limit=%ff`;
    const probe = await request(path, { method: 'OPTIONS' });
    if (probe.status !== 405 || !probe.headers.get('allow')) {
      failures.push(`OPTIONS ${name}: ${probe.status}, expected 405 with Allow`);
      continue;
    }
    const allow = probe.headers.get('allow');
    for (const method of METHODS.filter((m) => !allow.split(', ').includes(m))) {
      const res = await request(path, { method });
      if (method === 'POST' && PAGE_FORMS.has(name)) {
        if (res.status !== 303 || res.headers.get('location') !== name) failures.push(`POST ${name}: ${res.status}, expected 303`);
        continue;
      }
      if (res.status !== 405 || res.headers.get('allow') !== allow || res.json?.error?.code !== 'method_not_allowed') {
        failures.push(`${method} ${name}: ${res.status} (${res.headers.get('allow')}), expected 405 (${allow})`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('without a session every method but the public ones is a 401, whatever the id and query', async () => {
  const failures = [];
  for (const [, name] of ROUTES) {
    const path = `${pathOf(name, 'x')}?limit=%ff`;
    const allow = (await request(path, { method: 'OPTIONS' })).headers.get('allow') ?? '';
    for (const method of METHODS.filter((m) => allow.split(', ').includes(m))) {
      const res = await request(path, { method, headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}' });
      const open = PUBLIC.has(`${method} ${name}`);
      if (!open && (res.status !== 401 || res.json?.error?.code !== 'unauthenticated')) {
        failures.push(`${method} ${name}: ${res.status}, expected 401`);
      } else if (open && [401, 403, 405].includes(res.status)) {
        failures.push(`${method} ${name}: ${res.status}, a public method`);
      } else if (open && name.includes('{id}') && !name.endsWith('template.csv')
        && (res.status !== 422 || !res.json.error.fields.id)) {
        // A public route reads its id after the method: a 422 naming it.
        failures.push(`${method} ${name}: ${res.status} ${res.text}, expected 422 naming id`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('a page is anyone\'s: 200 without a session', async () => {
  for (const [, name] of PAGES) {
    const res = await request(name);
    assert.equal(res.status, 200, name);
    assert.match(res.headers.get('content-type'), /^text\/html/, name);
  }
});

test('a signed-in person without the role is refused before the id is read', async () => {
  // With an id that could be one (and is nobody's) and with one that
  // cannot: a refusal for the role does not depend on the id.
  const failures = [];
  let refused = 0;
  for (const [, name] of ROUTES.filter(([, n]) => n.includes('{id}'))) {
    const allow = (await request(pathOf(name, 'x'), { method: 'OPTIONS' })).headers.get('allow') ?? '';
    for (const method of METHODS.filter((m) => allow.split(', ').includes(m))) {
      if (PUBLIC.has(`${method} ${name}`)) continue;
      const unknown = await as(practitioner, pathOf(name, '999999999'), { method });
      const wrong = await as(practitioner, pathOf(name, 'x'), { method });
      if (unknown.status === 403) {
        refused += 1;
        if (wrong.status !== 403) failures.push(`${method} ${name}: ${wrong.status} for a wrong id, 403 for another`);
      } else if (wrong.status !== 422 || !wrong.json?.error?.fields?.id) {
        failures.push(`${method} ${name}: ${wrong.status} for a wrong id, expected 422 naming it`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(refused >= 10, `${refused} routes refuse a practitioner`);
});
