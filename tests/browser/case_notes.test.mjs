// Case notes that cannot be opened (a sealed note copied in the database
// from another meeting): the meeting's page says so in words in place of
// the notes, and a correction of the record leaves them as they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage } from './browser.mjs';
import { DEMO_PASSWORD, sql, login, as } from '../integration/http.mjs';

let browser;
const notes = `Case ref CN-${process.pid}: escalation discussed, no names.`;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a note moved from another meeting is said not to open, and a correction keeps it', async () => {
  const [[a], [b]] = sql(`SELECT s.id FROM supervision_sessions s JOIN supervision_groups g ON g.id = s.group_id
    WHERE g.name = 'Primary DSLs: north' ORDER BY s.held_on LIMIT 2`);
  const coordinator = await login('coordinator@demo.example');
  const patched = await as(coordinator, `/api/v1/supervision/meetings/${a}`, { method: 'PATCH',
    body: { case_notes: notes } });
  assert.equal(patched.status, 200, patched.text);
  sql(`UPDATE supervision_sessions t SET case_notes_sealed = s.case_notes_sealed, case_notes_seal = 2
    FROM supervision_sessions s WHERE s.id = ${a} AND t.id = ${b}`);
  const [[sealed]] = sql(`SELECT encode(case_notes_sealed, 'hex') FROM supervision_sessions WHERE id = ${b}`);

  const page = await newPage(browser);
  page.setDefaultTimeout(20000);
  await page.goto(`${BASE}/sign-in?next=${encodeURIComponent(`/supervision/meeting?id=${b}`)}`);
  await page.getByLabel('Email address').fill('coordinator@demo.example');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}/supervision/meeting?id=${b}`);
  await page.locator('#record').waitFor();
  assert.equal(await page.locator('#notes-box').isVisible(), true);
  const said = await page.locator('#notes').innerText();
  assert.match(said, /cannot be read/);
  assert.ok(!said.includes(`CN-${process.pid}`));

  // Correcting the length leaves the notes it could not show.
  await page.getByRole('button', { name: 'Correct this record' }).click();
  await page.getByLabel('Length in minutes').fill('75');
  await page.getByRole('button', { name: /Save the corrections/ }).click();
  await page.waitForURL(/saved=1/);
  assert.deepEqual(sql(`SELECT duration_minutes, encode(case_notes_sealed, 'hex') FROM supervision_sessions
    WHERE id = ${b}`)[0], ['75', sealed]);
  assert.deepEqual(page.problems, []);
});
