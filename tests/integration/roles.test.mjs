// Roles, the staff list, the audit log, subject access and erasure, and
// the access matrix: every role against every protected route.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, sql, assertError, login, as, register } from './http.mjs';

const sessions = {};
let leadAgency, otherAgency;

before(async () => {
  for (const role of ['coordinator', 'reviewer', 'trainer', 'lead', 'practitioner']) {
    sessions[role] = await login(`${role}@demo.example`);
  }
  leadAgency = sessions.lead.account.setting_lead_agency_id;
  [[otherAgency]] = sql(`SELECT min(id) FROM agencies WHERE id <> ${leadAgency} AND sector = 'education'`);
  otherAgency = Number(otherAgency);
});

test('coordinators list accounts with filters; others may not', async () => {
  const all = await as(sessions.coordinator, '/api/v1/accounts?limit=200');
  assert.equal(all.status, 200);
  assert.equal(all.json.total, Number(sql('SELECT count(*) FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.erased_at IS NULL')[0][0]));
  const trainers = await as(sessions.coordinator, '/api/v1/accounts?role=trainer&limit=200');
  assert.ok(trainers.json.accounts.length > 0);
  assert.ok(trainers.json.accounts.every((a) => a.roles.includes('trainer')));
  const q = await as(sessions.coordinator, '/api/v1/accounts?q=Lena');
  assert.deepEqual(q.json.accounts.map((a) => a.email), ['lead@demo.example']);
  const byAgency = await as(sessions.coordinator, `/api/v1/accounts?agency_id=${leadAgency}`);
  assert.ok(byAgency.json.accounts.some((a) => a.email === 'lead@demo.example'));
  assert.doesNotMatch(all.text, /argon2|password/);
  const bad = await as(sessions.coordinator, '/api/v1/accounts?role=king&limit=0');
  assert.deepEqual(Object.keys(assertError(bad, 422)).sort(), ['limit', 'role']);
  assertError(await as(sessions.reviewer, '/api/v1/accounts'), 403, 'forbidden');
  assertError(await request('/api/v1/accounts'), 401);
});

test('a coordinator sets roles; practitioner is kept; setting lead needs an agency; audited', async () => {
  const { res } = await register();
  const id = res.json.id;
  const put = (body, s = sessions.coordinator) => as(s, `/api/v1/accounts/${id}/roles`, { method: 'PUT', body });
  const r = await put({ roles: ['trainer', 'reviewer'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.roles, ['practitioner', 'reviewer', 'trainer']);
  assert.deepEqual(Object.keys(assertError(await put({ roles: ['setting_lead'] }), 422)), ['agency_id']);
  assert.deepEqual(Object.keys(assertError(await put({ roles: ['king'] }), 422)), ['roles']);
  assert.deepEqual(Object.keys(assertError(await put({ roles: ['trainer'], agency_id: leadAgency }), 422)), ['agency_id']);
  assert.deepEqual(Object.keys(assertError(await put({ roles: ['setting_lead'], agency_id: 99999999 }), 422)), ['agency_id']);
  const lead = await put({ roles: ['setting_lead'], agency_id: otherAgency });
  assert.equal(lead.status, 200);
  assert.deepEqual(lead.json.roles, ['practitioner', 'setting_lead']);
  assert.equal(lead.json.setting_lead_agency_id, otherAgency);
  const [[detail]] = sql(`SELECT detail FROM audit_log WHERE action = 'account.roles' AND target_id = ${id} ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(detail), { before: ['practitioner', 'reviewer', 'trainer'],
    after: ['practitioner', 'setting_lead'], agency_id: otherAgency });
  assertError(await as(sessions.coordinator, '/api/v1/accounts/99999999/roles', { method: 'PUT', body: { roles: [] } }), 404);
  assertError(await put({ roles: ['coordinator'] }, sessions.reviewer), 403);
  assertError(await as(sessions.coordinator, `/api/v1/accounts/${id}/roles`, { method: 'PUT', body: { roles: [] }, csrf: false }), 403, 'csrf');
  // Nobody locks themselves out.
  const self = sessions.coordinator.account.person_id;
  assertError(await as(sessions.coordinator, `/api/v1/accounts/${self}/roles`, { method: 'PUT', body: { roles: ['trainer'] } }), 403);
});

const HEADER = 'full_name,email,job_title,group_level,is_dsl,manager_email';
const upload = (s, agency, csv) => as(s, `/api/v1/agencies/${agency}/staff`,
  { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });

test('a setting lead uploads the staff list: created, updated, unchanged', async () => {
  const tag = process.pid;
  const csv = `\uFEFF${HEADER}\r\nAnn Staff,ann.${tag}@school.example,Teacher,G2,no,head@school.example\r\n`
    + `Bo Staff,bo.${tag}@school.example,TA,G1,,\r\n"=HYPERLINK(""x"")",cy.${tag}@school.example,Cook,G1,no,\r\n`;
  const first = await upload(sessions.lead, leadAgency, csv);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json, { created: 3, updated: 0, unchanged: 0 });
  const same = await upload(sessions.lead, leadAgency, csv);
  assert.deepEqual(same.json, { created: 0, updated: 0, unchanged: 3 });
  const changed = await upload(sessions.lead, leadAgency, csv.replace('Teacher,G2', 'Teacher,G3'));
  assert.deepEqual(changed.json, { created: 0, updated: 1, unchanged: 2 });
  const [[level]] = sql(`SELECT l.code FROM people p JOIN group_levels l ON l.id = p.group_level_id WHERE p.email = 'ann.${tag}@school.example'`);
  assert.equal(level, 'G3');

  const list = await as(sessions.lead, `/api/v1/agencies/${leadAgency}/staff?limit=1000`);
  assert.equal(list.status, 200);
  assert.ok(list.json.staff.some((p) => p.email === `ann.${tag}@school.example` && p.group_level === 'G3'));

  const csvOut = await as(sessions.lead, `/api/v1/agencies/${leadAgency}/staff?format=csv`);
  assert.equal(csvOut.status, 200);
  assert.match(csvOut.headers.get('content-type'), /^text\/csv/);
  // The export speaks as a spreadsheet's reader does: the columns' and
  // levels' names, which an upload takes back.
  assert.ok(csvOut.text.startsWith('Full name,Email,Job title,Group level,Is a DSL,Manager email\r\n'), csvOut.text.slice(0, 80));
  assert.match(csvOut.text, new RegExp(`\r\nAnn Staff,ann\\.${tag}@school\\.example,Teacher,Group 3,no,head@school\\.example\r\n`));
  const annOnly = csvOut.text.split('\r\n').filter((l, i) => i === 0 || l.startsWith('Ann Staff,')).join('\r\n');
  assert.deepEqual((await upload(sessions.lead, leadAgency, annOnly)).json, { created: 0, updated: 0, unchanged: 1 });
  assert.match(csvOut.text, /"'=HYPERLINK\(""x""\)",cy\./, 'formula neutralised');
  assert.ok(csvOut.text.split('\r\n').every((l) => !/^[=+\-@]/.test(l)));
  const audits = sql(`SELECT action FROM audit_log WHERE target_type = 'agency' AND target_id = ${leadAgency}`).map((r) => r[0]);
  assert.ok(audits.includes('staff.import') && audits.includes('staff.export'));
});

test('a staff list with bad rows is refused whole, every problem listed', async () => {
  const before = sql(`SELECT count(*) FROM people WHERE agency_id = ${leadAgency}`)[0][0];
  const csv = `${HEADER}\nGood Person,good.${process.pid}@school.example,TA,G2,no,\n`
    + `,nobody.${process.pid}@school.example,TA,G2,no,\nBad Email,not-an-email,TA,G9,maybe,\n`
    + `Level Wrong,lw.${process.pid}@school.example,TA,G9,no,\n`;
  const res = await upload(sessions.lead, leadAgency, csv);
  const fields = assertError(res, 422, 'invalid');
  const problems = fields.rows.map((r) => `${r.line}:${r.field}`).sort();
  assert.deepEqual(problems, ['3:full_name', '4:email', '4:is_dsl'].sort());
  // Now only the unknown level (a database check): still nothing applied.
  const res2 = await upload(sessions.lead, leadAgency, `${HEADER}\nGood Person,good.${process.pid}@school.example,TA,G2,no,\nLevel Wrong,lw.${process.pid}@school.example,TA,G9,no,\n`);
  assert.deepEqual(assertError(res2, 422).rows.map((r) => `${r.line}:${r.field}`), ['3:group_level']);
  assert.equal(sql(`SELECT count(*) FROM people WHERE agency_id = ${leadAgency}`)[0][0], before);
  const broken = await upload(sessions.lead, leadAgency, 'full_name,email\n"unclosed,quote\n');
  assert.equal(assertError(broken, 422).rows[0].field, 'file');
  assertError(await as(sessions.lead, `/api/v1/agencies/${leadAgency}/staff`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 415);
});

test('a staff list travels to the database as COPY text: names kept exactly, nobody taken from another agency', async () => {
  const tag = process.pid;
  const email = `copy.${tag}@school.example`;
  // Text COPY would misread unless escaped: \N, \t and \n as written,
  // a backslash at the end, quotes of every kind; a job title of \N alone.
  const name = 'Ann "Nan" O\\Neil \'C:\\new\\N\\t\' ""x""\\';
  const quoted = (v) => `"${v.replaceAll('"', '""')}"`;
  const csv = `${HEADER}\r\n${quoted(name)},${email},\\N,G2,yes,\r\n`;
  const first = await upload(sessions.lead, leadAgency, csv);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json, { created: 1, updated: 0, unchanged: 0 });
  assert.deepEqual(sql(`SELECT full_name, job_title, is_dsl::text, manager_email IS NULL
    FROM people WHERE email = '${email}'`), [[name, '\\N', 'true', 't']]);
  assert.deepEqual((await upload(sessions.lead, leadAgency, csv)).json, { created: 0, updated: 0, unchanged: 1 });
  // The same address on another agency's list: refused at its line, with
  // an unknown level on the line after, and nothing applied.
  const before = sql(`SELECT count(*) FROM people WHERE agency_id = ${otherAgency}`)[0][0];
  const taken = await upload(sessions.coordinator, otherAgency, `${HEADER}\r\n`
    + `New Person,new.${tag}@school.example,TA,G2,no,\r\n${quoted(name)},${email},TA,G2,no,\r\n`
    + `Level Wrong,lw2.${tag}@school.example,TA,G9,no,\r\n`);
  assert.deepEqual(assertError(taken, 422).rows.map((r) => `${r.line}:${r.field}`), ['3:email', '4:group_level']);
  assert.equal(sql(`SELECT count(*) FROM people WHERE agency_id = ${otherAgency}`)[0][0], before);
  assert.equal(sql(`SELECT agency_id FROM people WHERE email = '${email}'`)[0][0], String(leadAgency));
});

test('the audit log: sign-ins and changes, never a password or token', async () => {
  const res = await as(sessions.coordinator, '/api/v1/audit?action=session.&limit=1000');
  assert.equal(res.status, 200);
  assert.ok(res.json.entries.some((e) => e.action === 'session.login'
    && e.actor_person_id === sessions.lead.account.person_id && e.ip === '127.0.0.1'));
  const whole = JSON.stringify(sql('SELECT row_to_json(a) FROM audit_log a'));
  assert.doesNotMatch(whole, /demo-password|lantern|argon2/);
  assert.ok(!whole.includes(sessions.lead.cookie.split('=')[1]));
  const mine = await as(sessions.coordinator, `/api/v1/audit?person_id=${sessions.lead.account.person_id}&from=2000-01-01&to=2999-12-31`);
  assert.ok(mine.json.entries.length > 0);
  assert.deepEqual(Object.keys(assertError(await as(sessions.coordinator, '/api/v1/audit?from=2016-02-30&to=x'), 422)).sort(), ['from', 'to']);
  assertError(await as(sessions.reviewer, '/api/v1/audit'), 403);
});

test('a person gets everything held about them', async () => {
  const res = await as(sessions.practitioner, '/api/v1/me/data');
  assert.equal(res.status, 200);
  assert.equal(res.json.person.email, 'practitioner@demo.example');
  assert.ok(res.json.bookings.length >= 1);
  assert.ok(Array.isArray(res.json.training_records));
  assert.ok(res.json.audit.some((e) => e.action === 'session.login'));
  assert.doesNotMatch(res.text, /argon2|token_hash|csrf/);
});

test('erasure removes the person but keeps their answers in the statistics', async () => {
  // A demo person with attended bookings and evaluations.
  const [[id, email]] = sql(`SELECT p.id, p.email FROM people p JOIN bookings b ON b.person_id = p.id
    JOIN evaluations e ON e.booking_id = b.id WHERE p.email NOT LIKE '%@demo.example'
    ORDER BY p.id LIMIT 1`);
  const stats = () => sql(`SELECT count(*), sum(knowledge_after - knowledge_before) FROM evaluations`)[0].join('/');
  const before = stats();
  const res = await as(sessions.coordinator, `/api/v1/people/${id}`, { method: 'DELETE' });
  assert.equal(res.status, 204, res.text);
  const [[name, mail, erased]] = sql(`SELECT full_name, coalesce(email, 'NULL'), erased_at IS NOT NULL FROM people WHERE id = ${id}`);
  assert.deepEqual([name, mail, erased], ['Erased person', 'NULL', 't']);
  assert.equal(stats(), before);
  assert.equal(sql(`SELECT count(*) FROM people WHERE lower(email) = lower('${email}')`)[0][0], '0');
  assertError(await as(sessions.coordinator, `/api/v1/people/${id}`, { method: 'DELETE' }), 404);
  assertError(await as(sessions.reviewer, `/api/v1/people/${id}`, { method: 'DELETE' }), 403);
  // An erased account cannot sign in.
  const { res: reg, body } = await register();
  assert.equal((await as(sessions.coordinator, `/api/v1/people/${reg.json.id}`, { method: 'DELETE' })).status, 204);
  await assert.rejects(login(body.email, body.password));
});

test('access matrix: every role against every protected route', async () => {
  const none = { cookie: 'portal_session=none', csrf: '' };
  const who = { none, ...sessions };
  const csv = `${HEADER}\n`;
  // Past demo sessions the demo trainer trains and does not train, and a
  // booking of someone with none of the demo accounts.
  const trainer = sessions.trainer.account.person_id;
  const [[trained]] = sql(`SELECT s.id FROM sessions s JOIN session_trainers t ON t.session_id = s.id
    WHERE t.person_id = ${trainer} AND s.starts_at < now() ORDER BY s.id LIMIT 1`);
  const [[notTrained]] = sql(`SELECT s.id FROM sessions s WHERE s.starts_at < now() AND NOT EXISTS
    (SELECT 1 FROM session_trainers t WHERE t.session_id = s.id AND t.person_id = ${trainer}) ORDER BY s.id LIMIT 1`);
  const [[othersBooking]] = sql(`SELECT b.id FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE p.email NOT LIKE '%@demo.example' ORDER BY b.id LIMIT 1`);
  // [method, path, body, {role: expected status}]
  const routes = [
    ['GET', '/api/v1/me', undefined, { none: 401, practitioner: 200, trainer: 200, lead: 200, reviewer: 200, coordinator: 200 }],
    ['GET', '/api/v1/me/data', undefined, { none: 401, practitioner: 200, trainer: 200, lead: 200, reviewer: 200, coordinator: 200 }],
    ['GET', '/api/v1/accounts', undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['PUT', '/api/v1/accounts/999999999/roles', { roles: [] }, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 404 }],
    ['GET', '/api/v1/audit', undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['DELETE', '/api/v1/people/999999999', undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 404 }],
    ['GET', `/api/v1/agencies/${leadAgency}/staff`, undefined, { none: 401, practitioner: 403, trainer: 403, lead: 200, reviewer: 403, coordinator: 200 }],
    ['GET', `/api/v1/agencies/${otherAgency}/staff`, undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['GET', `/api/v1/agencies/${otherAgency}/staff?format=csv`, undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['POST', `/api/v1/agencies/${otherAgency}/staff`, csv, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['GET', '/api/v1/agencies/999999999/staff', undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 404 }],
    ['GET', '/api/v1/sessions?trainer=me', undefined, { none: 401, practitioner: 200, trainer: 200, lead: 200, reviewer: 200, coordinator: 200 }],
    ['GET', '/api/v1/courses?include_unpublished=true', undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['POST', '/api/v1/courses', {}, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 422 }],
    ['PATCH', '/api/v1/courses/999999999', { title: 'x' }, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 404 }],
    ['POST', '/api/v1/sessions', {}, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 422 }],
    ['PATCH', '/api/v1/sessions/999999999', { capacity: 5 }, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 404 }],
    ['POST', '/api/v1/sessions/999999999/cancel', { reason: 'x' }, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 404 }],
    ['GET', `/api/v1/sessions/${trained}/register`, undefined, { none: 401, practitioner: 403, trainer: 200, lead: 403, reviewer: 403, coordinator: 200 }],
    ['GET', `/api/v1/sessions/${notTrained}/register?format=csv`, undefined, { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['PUT', `/api/v1/sessions/${notTrained}/attendance`, [], { none: 401, practitioner: 403, trainer: 403, lead: 403, reviewer: 403, coordinator: 200 }],
    ['GET', `/api/v1/bookings/${othersBooking}/calendar.ics`, undefined, { none: 401, practitioner: 404, trainer: 404, lead: 404, reviewer: 404, coordinator: 200 }],
    ['DELETE', `/api/v1/bookings/${othersBooking}`, undefined, { none: 401, practitioner: 404, trainer: 404, lead: 404, reviewer: 404 }],
  ];
  const failures = [];
  for (const [method, path, body, expected] of routes) {
    for (const [role, status] of Object.entries(expected)) {
      const headers = typeof body === 'string' ? { 'content-type': 'text/csv' } : {};
      const res = await as(who[role], path, { method, body, headers });
      if (res.status !== status) failures.push(`${role} ${method} ${path}: ${res.status}, expected ${status}`);
      if (status >= 400 && res.status === status) {
        // Refusals leak nothing but the error.
        assert.deepEqual(Object.keys(res.json), ['error'], `${role} ${method} ${path}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
