// Line managers: a practitioner names their own at registration; a change
// takes effect only through the link mailed to their own address (a
// newer request voids an older link); a staff list's manager wins and
// cannot be changed by the person; the managers asked keep where their
// address came from, and the evaluation report counts staff-list managers
// (manager_confirmed) apart from self-named ones (manager_self_reported).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { sql, assertError, login, as, register, request, mailedToken } from './http.mjs';
import { startSink, sendMailOnce } from './smtp.mjs';
import { newSession, move } from './sessions.mjs';

let sink;
before(async () => { sink = await startSink(); });
after(() => sink?.stop());

const confirm = (token) => request('/api/v1/line-manager-confirmations', { method: 'POST',
  headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
const tag = `${process.pid}`;
let serial = 0;
const address = (who) => `${who}.${tag}.${++serial}@example.org`;

async function practitioner(over = {}) {
  const { body } = await register({ manager_email: address('first.manager'), ...over });
  return { p: await login(body.email, body.password), email: body.email, manager: body.manager_email };
}

test('a change of one\'s line manager takes effect only through the link mailed to one\'s own address', async () => {
  const { p, email, manager } = await practitioner();
  let got = await as(p, '/api/v1/me/line-manager');
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json, { manager_email: manager, source: 'self', pending: null });

  const second = address('second.manager');
  const put = await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: second } });
  assert.equal(put.status, 202, put.text);
  assert.deepEqual(put.json, { status: 'pending' });
  // Nothing changes until the link is used: the managers asked meanwhile
  // are the old one.
  got = await as(p, '/api/v1/me/line-manager');
  assert.equal(got.json.manager_email, manager);
  assert.equal(got.json.pending.manager_email, second);
  const [[id]] = sql(`SELECT id FROM people WHERE email = '${email}'`);
  assert.equal(sql(`SELECT manager_email FROM people WHERE id = ${id}`)[0][0], manager);
  // The link goes to the practitioner, never to the new address.
  const token = mailedToken(email, 'confirm-manager');
  assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${second}'`)[0][0], '0');
  assert.equal(sql(`SELECT count(*) FROM manager_changes WHERE person_id = ${id}
    AND token_hash = decode('${Buffer.from(token).toString('hex')}', 'hex')`)[0][0], '0');

  // One's own address is no manager; wrong input is named; the CSRF
  // token is needed.
  const own = assertError(await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: email.toUpperCase() } }), 422, 'invalid');
  assert.deepEqual(Object.keys(own), ['manager_email']);
  assertError(await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: 'nobody' } }), 422, 'invalid');
  assertError(await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: second }, csrf: false }), 403);
  assertError(await request('/api/v1/me/line-manager'), 401);

  const ok = await confirm(token);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { manager_email: second, source: 'self' });
  got = await as(p, '/api/v1/me/line-manager');
  assert.deepEqual(got.json, { manager_email: second, source: 'self', pending: null });
  assertError(await confirm(token), 410, 'gone');
  assertError(await confirm('x'.repeat(43)), 404, 'not_found');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'person.manager_changed' AND target_id = ${id}`)[0][0], '1');

  // The same address again changes nothing; a newer request voids the
  // older link.
  assert.deepEqual((await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: second.toUpperCase() } })).json,
    { status: 'unchanged' });
  assert.equal((await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: address('third') } })).status, 202);
  const older = mailedToken(email, 'confirm-manager');
  const fourth = address('fourth');
  assert.equal((await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: fourth } })).status, 202);
  const newer = mailedToken(email, 'confirm-manager');
  assertError(await confirm(older), 410, 'gone');
  assert.equal((await confirm(newer)).json.manager_email, fourth);

  // The purge deletes used and void links, and keeps one still waiting.
  assert.equal((await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: address('fifth') } })).status, 202);
  const purge = spawnSync('build/portalctl', ['purge'], { encoding: 'utf8', timeout: 30000 });
  assert.equal(purge.status, 0, purge.stderr);
  assert.deepEqual(sql(`SELECT count(*), count(*) FILTER (WHERE confirmed_at IS NULL AND expires_at > now())
    FROM manager_changes WHERE person_id = ${id}`), [['1', '1']]);
});

test('a staff list\'s manager wins; the person cannot change it, and a change waiting is void', async () => {
  const coordinator = await login('coordinator@demo.example');
  const made = await as(coordinator, '/api/v1/agencies', { method: 'POST', body: {
    name: `Line manager surgery ${tag}`, sector: 'health', area: 'Hackney' } });
  assert.equal(made.status, 201, made.text);
  const agency = made.json.id;
  const { p, email, manager } = await practitioner({ agency_id: agency });
  assert.equal((await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: address('waiting') } })).status, 202);
  const waiting = mailedToken(email, 'confirm-manager');

  const listed = address('listed.manager');
  const upload = (mgr) => as(coordinator, `/api/v1/agencies/${agency}/staff`, { method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: `full_name,email,job_title,group_level,is_dsl,manager_email\r\nPat Person,${email},Nurse,G3,no,${mgr}\r\n` });
  // A list without a manager leaves the one the person named.
  assert.equal((await upload('')).status, 200);
  assert.equal((await as(p, '/api/v1/me/line-manager')).json.manager_email, manager);
  assert.equal((await upload(listed)).status, 200);
  assert.deepEqual((await as(p, '/api/v1/me/line-manager')).json, { manager_email: listed, source: 'staff_list', pending: null });
  assertError(await confirm(waiting), 410, 'gone');
  assertError(await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: address('mine') } }), 409, 'staff_list');
  assert.equal(sql(`SELECT manager_email FROM people WHERE email = '${email}'`)[0][0], listed);
  // The same list again changes nothing; one without a manager now
  // clears the list's (it no longer names one).
  assert.equal((await upload(listed)).json.unchanged, 1);
  await upload('');
  assert.deepEqual((await as(p, '/api/v1/me/line-manager')).json, { manager_email: null, source: null, pending: null });
});

test('the managers asked keep where their address came from; the report counts staff-list managers apart', async () => {
  sendMailOnce(sink.port);
  sql("UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'");
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const made = await as(coordinator, '/api/v1/agencies', { method: 'POST', body: {
    name: `Line manager practice ${tag}`, sector: 'health', area: 'Hackney' } });
  const agency = made.json.id;
  // Two sessions of the same day: the first's delegates named their
  // managers themselves (5); the second has 5 managers from the staff
  // list and 1 named by the delegate.
  const first = await newSession(coordinator, trainer, { code: 'SG6-MGR' });
  const second = await newSession(coordinator, trainer, { code: 'SG6-MGR' });
  const people = [];
  for (const [id, n] of [[first, 5], [second, 6]]) {
    for (let i = 0; i < n; i++) {
      const { p, email } = await practitioner({ agency_id: agency, group_level: 'G6' });
      const b = await as(p, `/api/v1/sessions/${id}/bookings`, { method: 'POST' });
      assert.equal(b.status, 201, b.text);
      people.push({ id, email, booking: b.json.id });
    }
  }
  const listed = people.slice(5, 10).map((x, i) => `Listed ${i},${x.email},Manager,G6,no,${address('listed')}`);
  const up = await as(coordinator, `/api/v1/agencies/${agency}/staff`, { method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: ['full_name,email,job_title,group_level,is_dsl,manager_email', ...listed].join('\r\n') });
  assert.equal(up.status, 200, up.text);
  for (const id of [first, second]) {
    move(id, -0.1);
    const marked = await as(trainer, `/api/v1/sessions/${id}/attendance`, { method: 'PUT',
      body: people.filter((x) => x.id === id).map((x) => ({ booking_id: x.booking, status: 'attended' })) });
    assert.equal(marked.status, 200, marked.text);
    move(id, -93);
  }
  sendMailOnce(sink.port);
  const sources = sql(`SELECT booking_id, manager_source FROM manager_reviews
    WHERE booking_id IN (${people.map((x) => x.booking).join(',')}) ORDER BY booking_id`);
  assert.deepEqual(sources.map((r) => r[1]),
    [...Array(5).fill('self'), ...Array(5).fill('staff_list'), 'self']);
  // Every manager says the training changed practice.
  sql(`UPDATE manager_reviews SET answered_at = now(), changed_practice = 'yes'
    WHERE booking_id IN (${people.map((x) => x.booking).join(',')})`);
  const [[course]] = sql("SELECT id FROM courses WHERE code = 'SG6-MGR'");
  const [[day]] = sql(`SELECT (starts_at AT TIME ZONE 'Europe/London')::date FROM sessions WHERE id = ${first}`);
  const r = await as(coordinator, `/api/v1/reports/evaluation?course_id=${course}&agency_id=${agency}&from=${day}&to=${day}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.completion.manager.n, 11);
  assert.equal(r.json.manager_confirmed.n, 5);
  assert.equal(r.json.manager_confirmed.k, 5);
  // The second session's one self-named manager counts in neither split
  // figure: with it, this report less the first session's alone would
  // be that one manager's answer.
  assert.equal(r.json.manager_self_reported.n, 5);
  const csv = await as(coordinator, `/api/v1/reports/evaluation?course_id=${course}&agency_id=${agency}&from=${day}&to=${day}&format=csv`);
  assert.match(csv.text, /^Manager confirmed a change,5,/m);
  assert.match(csv.text, /^Self-named manager saw a change,5,/m);
});

test('erasure leaves nothing of a walk-in\'s typed name or of a manager change waiting', async () => {
  const coordinator = await login('coordinator@demo.example');
  const trainer = await login('trainer@demo.example');
  const { p, email } = await practitioner();
  const waiting = address('waiting.erased');
  assert.equal((await as(p, '/api/v1/me/line-manager', { method: 'PUT', body: { manager_email: waiting } })).status, 202);
  const id = await newSession(coordinator, trainer, { days: -1 });
  const [[agency]] = sql("SELECT min(id) FROM agencies WHERE sector = 'police'");
  const typed = `Typed Name ${tag}`;
  const w = await as(trainer, `/api/v1/sessions/${id}/attendees`, { method: 'POST',
    body: { email, full_name: typed, agency_id: Number(agency), group_level: 'G2' } });
  assert.equal(w.status, 201, w.text);
  const [[pid]] = sql(`SELECT id FROM people WHERE email = '${email}'`);
  assert.equal((await as(coordinator, `/api/v1/people/${pid}`, { method: 'DELETE' })).status, 204);
  assert.deepEqual(sql(`SELECT (SELECT count(*) FROM walk_ins WHERE entered_name = '${typed}'),
      (SELECT count(*) FROM manager_changes WHERE person_id = ${pid} OR manager_email = '${waiting}'),
      (SELECT count(*) FROM people WHERE id = ${pid} AND (manager_email IS NOT NULL OR manager_source IS NOT NULL))`),
  [['0', '0', '0']]);
});
