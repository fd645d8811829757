// Errors leave as JSON in the shape of ARCHITECTURE.md, with the right status, and
// every answer carries the security headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, rawRequest, assertError, assertSecurityHeaders } from './http.mjs';

test('an unknown API route is a JSON 404', async () => {
  for (const path of ['/api/v1/nothing-here', '/api/v2/courses', '/api/']) {
    const res = await request(path);
    assertError(res, 404, 'not_found');
    assertSecurityHeaders(res);
  }
});

test('an unknown page is a 404 page, not JSON', async () => {
  const res = await request('/no-such-page');
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /^text\/(html|plain)/);
  assertSecurityHeaders(res);
});

test('a wrong method is a JSON 405 with Allow', async () => {
  for (const [method, path] of [['POST', '/api/v1/topics'], ['DELETE', '/api/v1/group-levels'],
    ['PUT', '/api/v1/group-levels'], ['POST', '/healthz']]) {
    const res = await request(path, { method, headers: { 'content-type': 'application/json' },
      body: method === 'DELETE' ? undefined : '{}' });
    assertError(res, 405, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assertSecurityHeaders(res);
  }
  for (const path of ['/api/v1/courses', '/api/v1/agencies']) {
    const res = await request(path, { method: 'DELETE' });
    assertError(res, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, POST');
  }
});

test('HEAD is answered like GET, without a body', async () => {
  const res = await request('/api/v1/group-levels', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.text, '');
});

test('malformed JSON is a 400', async () => {
  for (const body of ['{"email": ', 'not json', '{"a":1}}']) {
    const res = await request('/api/v1/accounts', { method: 'POST',
      headers: { 'content-type': 'application/json' }, body });
    assertError(res, 400, 'malformed_json');
    assertSecurityHeaders(res);
  }
});

test('a body over the limit is a JSON 413', async () => {
  const body = JSON.stringify({ full_name: 'x'.repeat(70 * 1024) });
  const res = await request('/api/v1/accounts', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body });
  assertError(res, 413, 'body_too_large');
});

test('security headers on pages, assets and API answers', async () => {
  for (const path of ['/', '/courses', '/assets/portal.css', '/api/v1/courses', '/healthz']) {
    const res = await request(path);
    assert.equal(res.status, 200, path);
    assertSecurityHeaders(res);
  }
});

test('static assets carry an ETag and answer 304 when unchanged', async () => {
  const first = await request('/assets/portal.css');
  const etag = first.headers.get('etag');
  assert.ok(etag);
  assert.match(first.headers.get('content-type'), /^text\/css/);
  const again = await request('/assets/portal.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('a path that climbs out of the assets folder is refused, sent as is', async () => {
  // fetch would normalise /assets/../conf/dev.conf to /conf/dev.conf
  // before sending: write the request line on a socket of our own.
  for (const path of ['/assets/../conf/dev.conf', '/assets/../../../etc/passwd',
    '/assets/pages/../portal.css']) {
    const res = await rawRequest(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close`);
    assert.equal(res.status, 400, `${path}: ${res.head}`);
    assert.doesNotMatch(res.body, /http_body_max|root:/);
  }
  const plain = await rawRequest('GET /assets/portal.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close');
  assert.equal(plain.status, 200);
});
