// The home page is served from assets/, built on GOV.UK Frontend without
// the crown or the GDS Transport font.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from './http.mjs';

test('the home page says what the portal is and links to the catalogue', async () => {
  const res = await request('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.match(res.text, /Safeguarding Training Portal/);
  assert.match(res.text, /href="\/courses"/);
  assert.match(res.text, /govuk-generic-header/);
  assert.doesNotMatch(res.text, /govuk-logo|govuk-header__logotype|crown/i);
  assert.doesNotMatch(res.text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');
  assert.doesNotMatch(res.text, /style="/, 'no inline styles');
});

test('the stylesheet is GOV.UK Frontend with a system font stack', async () => {
  const res = await request('/assets/portal.css');
  assert.equal(res.status, 200);
  assert.match(res.text, /\.govuk-generic-header/);
  assert.doesNotMatch(res.text, /GDS Transport/);
  assert.doesNotMatch(res.text, /@font-face/);
  assert.doesNotMatch(res.text, /\.woff2?/);
});
