// Evaluations in the browser: a delegate answers the same-day form from
// the account page (error summary, values kept); a trainer uploads a CSV
// with a bad row, then a good one, and reads the feedback; a manager
// answers through the link in the e-mail. Each page: no serious or
// critical axe violation, nothing wider than a phone's 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BASE, launch, newPage, axeViolations } from './browser.mjs';
import { DEMO_PASSWORD, login, as, register, sql } from '../integration/http.mjs';
import { newSession, move, attend, closeWindow } from '../integration/sessions.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(email, password = DEMO_PASSWORD, options = {}) {
  const page = await newPage(browser, options);
  await page.goto(BASE + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(BASE + '/account');
  return page;
}

// No serious axe violation, and nothing wider than a phone.
async function check(page, path) {
  const cookies = await page.context().cookies();
  assert.deepEqual(await axeViolations(browser, path, cookies), [], path);
  const phone = await newPage(browser, { viewport: { width: 390, height: 800 } });
  await phone.context().addCookies(cookies);
  await phone.goto(BASE + path, { waitUntil: 'networkidle' });
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `${path} is ${wide} px wide on a phone`);
  if (process.env.PORTAL_TEST_TMP) {
    await phone.screenshot({ path: `${process.env.PORTAL_TEST_TMP}/shot-390${path.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true });
  }
  await phone.context().close();
}

test('a delegate answers the same-day evaluation from their account page', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer);
  const { body } = await register();
  const p = await login(body.email, body.password);
  const booking = (await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' })).json.id;
  move(id, -0.1);
  await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT', body: [{ booking_id: booking, status: 'attended' }] });

  const page = await signIn(body.email, body.password);
  await page.getByRole('heading', { name: 'Your evaluations' }).waitFor();
  await page.getByRole('link', { name: /Answer.*evaluation of the day/ }).click();
  await page.waitForURL(/\/evaluation\?booking=/);
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  await check(page, `/evaluation?booking=${booking}&stage=same_day`);

  // The page says what the form needs: the five ratings, the rest
  // marked optional (never "every question is optional").
  assert.match(await page.locator('#intro').innerText(), /^The five ratings need an answer; the other questions are optional\./);
  const legend = (field) => page.locator(`fieldset:has(input[name=${field}]) legend`).innerText();
  assert.doesNotMatch(await legend('rating_content'), /optional/);
  assert.match(await legend('knowledge_before'), /\(optional\)$/);
  // Without the ratings: the error summary lists each, and what was typed stays.
  await page.getByLabel('Any other comments').fill('Very practical.');
  await page.locator('input[name=outcomes_met][value=yes]').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('li').count(), 5);
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.getByLabel('Any other comments').inputValue(), 'Very practical.');
  assert.equal(await page.locator('input[name=outcomes_met][value=yes]').isChecked(), true);

  for (const [field, v] of [['rating_content', 5], ['rating_delivery', 4], ['rating_venue', 3], ['rating_trainer', 5], ['rating_overall', 4],
    ['knowledge_before', 3], ['knowledge_after', 7]]) {
    await page.locator(`input[name=${field}][value="${v}"]`).check();
  }
  await page.locator('input[name=improve_safeguarding][value=yes]').check();
  // Check your answers: each question with the answer given, nothing
  // saved yet; Change goes back to the question, answers kept.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Check your answers before sending them' }).waitFor();
  const checked = await page.locator('#check-list').innerText();
  assert.match(checked, /Venue\s+3 \(from 1 to 5\)/);
  assert.match(checked, /confidence before the course\s+Not answered/);
  assert.equal(sql(`SELECT count(*) FROM evaluations WHERE booking_id = ${booking}`)[0][0], '0');
  await page.getByRole('link', { name: 'Change venue' }).click();
  assert.equal(await page.locator('input[name=rating_venue][value="3"]').isChecked(), true);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send your answers' }).click();
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  assert.deepEqual(sql(`SELECT rating_venue, knowledge_after, outcomes_met, comments FROM evaluations WHERE booking_id = ${booking}`),
    [['3', '7', 'yes', 'Very practical.']]);
  await page.getByRole('link', { name: 'Your certificate of attendance' }).click();
  await page.getByText('Certificate of attendance').first().waitFor();
  await page.locator('#full_name').filter({ hasText: body.full_name }).waitFor();
  await check(page, `/certificate?booking=${booking}`);
  await page.goto(BASE + '/account');
  await page.locator('#evaluation-rows .govuk-tag', { hasText: 'Done' }).first().waitFor();
  await check(page, '/account');
  assert.deepEqual(page.problems.filter((m) => !/status of 4(22|09|10)/.test(m)), []);
});

test('a trainer uploads paper forms with a bad row, then a good file, types one in, and reads the feedback', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  attend(id, 12, 300);
  const head = 'rating_content,rating_delivery,rating_venue,rating_trainer,rating_overall,knowledge_before,knowledge_after,'
    + 'confidence_before,confidence_after,outcomes_met,improve_safeguarding,action,comments\n';
  const dir = process.env.PORTAL_TEST_TMP ?? '/tmp';
  writeFileSync(`${dir}/bad.csv`, `${head}5,4,4,5,5,3,7,4,8,yes,yes,,\n9,4,4,5,5,3,7,4,8,yes,yes,,\n`);
  const good = Array.from({ length: 6 }, (_, i) => `${3 + (i % 3)},4,${2 + (i % 4)},5,${4 + (i % 2)},${3 + (i % 4)},${6 + (i % 3)},4,7,yes,${i % 3 ? 'yes' : 'unsure'},Share the pathway,Comment ${i}`).join('\n');
  writeFileSync(`${dir}/good.csv`, `${head}${good}\n`);

  const page = await signIn('trainer@demo.example');
  await page.goto(`${BASE}/teaching/forms?id=${id}`);
  await page.getByRole('heading', { name: 'Domestic abuse and its impact on children' }).waitFor();
  await page.getByLabel(/A CSV file/).setInputFiles(`${dir}/bad.csv`);
  await page.getByRole('button', { name: 'Upload the forms' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /Row 3: Content: Must be a whole number from 1 to 5/);
  assert.equal(sql(`SELECT count(*) FROM evaluations WHERE session_id = ${id}`)[0][0], '0');

  await page.getByLabel(/A CSV file/).setInputFiles(`${dir}/good.csv`);
  await page.getByRole('button', { name: 'Upload the forms' }).click();
  await page.getByText('6 forms added from good.csv.').waitFor();
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);

  // One form typed in with the keyboard alone.
  await page.locator('#rating_content').focus();
  for (const v of ['4', '5', '3', '5', '4']) {
    await page.keyboard.type(v);
    await page.keyboard.press('Tab');
  }
  await page.locator('#comments').focus();
  await page.keyboard.type('Typed from paper');
  await page.keyboard.press('Enter');
  await page.getByText('Form saved: 1 typed in on this page so far.').waitFor();
  assert.equal(sql(`SELECT count(*) FROM evaluations WHERE session_id = ${id} AND source = 'paper'`)[0][0], '7');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rating_content');
  await check(page, `/teaching/forms?id=${id}`);

  // The trainer typed every form in: nothing of them is theirs to see,
  // and the window is still open.
  await page.goto(`${BASE}/teaching/feedback?id=${id}`);
  await page.locator('#suppressed').waitFor();
  assert.match(await page.locator('#counts').textContent(), /7 forms \(0 online, 7 on paper\) from 12 people/);
  assert.match(await page.locator('#counts').textContent(), /answers of 7 of them are not counted yet/);
  await check(page, `/teaching/feedback?id=${id}`);
  // Five delegates answer online; the window closes: a step of twelve,
  // five of them not the trainer's.
  const booked = sql(`SELECT id FROM bookings WHERE session_id = ${id} ORDER BY id LIMIT 5`).map((r) => r[0]);
  sql(`INSERT INTO evaluations (session_id, booking_id, source, rating_content, rating_delivery, rating_venue,
         rating_trainer, rating_overall, submitted_at)
       VALUES ${booked.map((b) => `(${id}, ${b}, 'online', 4, 4, 4, 4, 4, now())`).join(', ')}`);
  closeWindow(id);
  await page.goto(`${BASE}/teaching/feedback?id=${id}`);
  await page.locator('#ratings-rows tr').first().waitFor();
  assert.match(await page.locator('#counts').textContent(), /12 forms \(5 online, 7 on paper\) from 12 people/);
  assert.equal(await page.locator('#ratings-rows tr').count(), 5);
  assert.ok(await page.locator('#ratings-chart').isVisible());
  assert.match(await page.locator('#comments').textContent(), /Typed from paper/);
  await check(page, `/teaching/feedback?id=${id}`);
  await check(page, `/teaching/paper-form?id=${id}`);
  assert.deepEqual(page.problems.filter((m) => !/status of 4(22|09|10)/.test(m)), []);
});

test('a line manager answers through the link', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -100 });
  attend(id, 1, 400);
  const [[booking]] = sql(`SELECT id FROM bookings WHERE session_id = ${id}`);
  const token = `T${process.pid}`.padEnd(43, 'x');
  // Stored as the sender stores it: BLAKE2b-256 of the token.
  sql(`INSERT INTO manager_reviews (booking_id, manager_email, token_hash, expires_at)
       VALUES (${booking}, 'boss@example.org', decode('${blake256(token)}', 'hex'), now() + interval '30 days')`);
  const page = await newPage(browser);
  await page.goto(`${BASE}/manager-review#${token}`);
  await page.getByRole('button', { name: 'Send your answer' }).waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
  await check(page, `/manager-review#${token}`);
  await page.getByRole('button', { name: 'Send your answer' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await page.getByLabel('Not sure').check();
  await page.getByLabel(/What have you seen/).fill('Better referrals.');
  await page.getByRole('button', { name: 'Send your answer' }).click();
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  assert.deepEqual(sql(`SELECT changed_practice, evidence FROM manager_reviews WHERE booking_id = ${booking}`),
    [['not_sure', 'Better referrals.']]);
  // Used: the link says so.
  const again = await newPage(browser);
  await again.goto(`${BASE}/manager-review#${token}`);
  await again.getByText('This link has been used').waitFor();
  assert.deepEqual(page.problems.filter((m) => !/status of 4(22|09|10)/.test(m)), []);
});

// BLAKE2b with a 32-byte digest (libsodium's crypto_generichash), by Python's hashlib.
function blake256(text) {
  return execFileSync('/usr/bin/python3', ['-c',
    'import hashlib,sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())', text],
  { encoding: 'utf8' }).trim();
}

test('a coordinator sees who entered each batch of paper forms and voids one, giving a reason', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const id = await newSession(coordinator, trainer, { days: -1 });
  attend(id, 6, 500);
  const typed = await as(trainer, `/api/v1/sessions/${id}/evaluations`, { method: 'POST',
    body: { forms: [1, 2, 3].map(() => ({ rating_content: 5, rating_delivery: 5, rating_venue: 5,
      rating_trainer: 5, rating_overall: 5 })) } });
  assert.equal(typed.status, 200, typed.text);
  const [[trainerName]] = sql("SELECT full_name FROM people WHERE email = 'trainer@demo.example'");

  const page = await signIn('coordinator@demo.example');
  await page.goto(`${BASE}/programme/session?id=${id}`);
  await page.getByRole('link', { name: 'Paper forms entered for this session' }).click();
  await page.getByRole('heading', { name: 'Domestic abuse and its impact on children' }).waitFor();
  const row = page.locator('#batch-rows tr').first();
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`${trainerName}.*Typed in\\s*3\\s*Yes`));
  assert.doesNotMatch(await page.locator('main').textContent(), /typed_in|\btyped\b(?! in)/);
  await check(page, `/programme/forms?id=${id}`);

  await row.getByRole('link', { name: /Void/ }).click();
  await page.getByRole('heading', { name: /Void the 3 forms typed in by/ }).waitFor();
  await page.getByRole('button', { name: 'Void the batch' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /Say why the batch is voided/);
  await page.getByLabel('Why is it void?').fill('Typed in twice by mistake.');
  await page.getByRole('button', { name: 'Void the batch' }).click();
  await page.getByText('The batch of 3 forms is void: its forms no longer count in any figure.').waitFor();
  await page.locator('#batch-rows tr', { hasText: 'No: void (Typed in twice by mistake.)' }).waitFor();
  assert.deepEqual(sql(`SELECT count(*) FROM evaluation_uploads WHERE session_id = ${id} AND voided_at IS NOT NULL`), [['1']]);
  assert.deepEqual(page.problems.filter((m) => !/status of 4(22|09|10)/.test(m)), []);
});
