// Case notes are sealed for their meeting and group: a sealed note moved
// (with database write access) to another meeting, of another group or of
// the same one, or a meeting moved to another group, does not open there,
// and the answer says so without failing. Notes sealed the old way (a
// fixed associated data: tests/reference/seal_old_note.py seals one as the
// portal did) are not shown until portalctl seals them again for their
// meeting; `portalctl reseal-notes` and `portalctl migrate` do that, once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { sql, login, as, register, request } from './http.mjs';

const tag = `CASE-${process.pid}-NOTE`;
let coordinator, facilitator, groups;

const day = (n) => sql(`SELECT to_char(current_date + ${Number(n)}, 'YYYY-MM-DD')`)[0][0];

async function dsl() {
  const [[school]] = sql("SELECT min(id) FROM agencies WHERE phase = 'primary'");
  const { res, body } = await register({ agency_id: Number(school) });
  assert.equal(res.status, 200, res.text);
  const [[id]] = sql(`SELECT id FROM people WHERE email = '${body.email}'`);
  sql(`UPDATE people SET is_dsl = true WHERE id = ${id}`);
  return { id: Number(id), email: body.email, password: body.password };
}

async function newGroup(n, members) {
  const made = await as(coordinator, '/api/v1/supervision/groups', { method: 'POST', body: {
    name: `Notes group ${process.pid}.${n}`, kind: 'primary', facilitator: 'Educational Psychology Service',
    facilitator_person_id: facilitator.id } });
  assert.equal(made.status, 201, made.text);
  const put = await as(coordinator, `/api/v1/supervision/groups/${made.json.id}/members`,
    { method: 'PUT', body: { person_ids: members.map((m) => m.id), effective_on: day(-60) } });
  assert.equal(put.status, 200, put.text);
  return { id: made.json.id, members };
}

async function meeting(group, ago, notes) {
  const res = await as(coordinator, `/api/v1/supervision/groups/${group.id}/meetings`, { method: 'POST',
    body: { held_on: day(-ago), duration_minutes: 90, topics: ['practice_dilemmas'], cases_discussed: 1,
      attendance: group.members.map((m) => ({ person_id: m.id, status: 'present' })),
      ...(notes ? { case_notes: notes } : {}) } });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.case_notes, notes ?? null);
  return res.json.id;
}

const read = (id) => as(coordinator, `/api/v1/supervision/meetings/${id}`);
const reads = (id) => Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'supervision.case_notes.read'
  AND target_id = ${id}`)[0][0]);

// The portal refuses the note and says why, in words, and keeps serving.
async function refused(id) {
  const before_ = reads(id);
  const r = await read(id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case_notes, null);
  assert.equal(r.json.case_notes_unavailable, true);
  assert.match(r.json.case_notes_problem, /cannot be read/);
  assert.ok(!r.text.includes(tag));
  assert.equal(reads(id), before_, 'a note not read is not audited as read');
  assert.equal((await request('/healthz')).status, 200);
  return r.json.case_notes_problem;
}

function portalctl(...args) {
  return spawnSync('build/portalctl', args, { encoding: 'utf8', env: process.env, timeout: 60000 });
}

before(async () => {
  coordinator = await login('coordinator@demo.example');
  facilitator = await dsl();
  const members = [await dsl(), await dsl()];
  groups = [await newGroup(1, members), await newGroup(2, members)];
});

test('a sealed note opens only at the meeting and group it was written for', async () => {
  const a = await meeting(groups[0], 20, `Notes of A (${tag})`);
  const b = await meeting(groups[1], 19, `Notes of B (${tag})`);
  const c = await meeting(groups[0], 18, null);
  assert.equal((await read(a)).json.case_notes, `Notes of A (${tag})`);
  assert.deepEqual(sql(`SELECT case_notes_seal FROM supervision_sessions WHERE id IN (${a}, ${b}) ORDER BY id`),
    [['2'], ['2']]);

  // A's note copied over B's (another group) and into C (the same group).
  sql(`UPDATE supervision_sessions t SET case_notes_sealed = s.case_notes_sealed, case_notes_seal = 2
    FROM supervision_sessions s WHERE s.id = ${a} AND t.id IN (${b}, ${c})`);
  const why = await refused(b);
  assert.match(why, /not written for this meeting/);
  await refused(c);
  // The page's words, never a code.
  assert.doesNotMatch(why, /[a-z]+_[a-z]+|portalctl/);

  // The meeting itself moved to another group.
  const d = await meeting(groups[0], 17, `Notes of D (${tag})`);
  sql(`UPDATE supervision_sessions SET group_id = ${groups[1].id} WHERE id = ${d}`);
  await refused(d);
  sql(`UPDATE supervision_sessions SET group_id = ${groups[0].id} WHERE id = ${d}`);
  assert.equal((await read(d)).json.case_notes, `Notes of D (${tag})`);

  // Written again through the portal, B's notes open at B.
  const fixed = await as(coordinator, `/api/v1/supervision/meetings/${b}`, { method: 'PATCH',
    body: { case_notes: `New notes of B (${tag})` } });
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(fixed.json.case_notes, `New notes of B (${tag})`);
  // Cleared, nothing is said to be sealed.
  const cleared = await as(coordinator, `/api/v1/supervision/meetings/${c}`, { method: 'PATCH',
    body: { case_notes: null } });
  assert.equal(cleared.status, 200, cleared.text);
  assert.deepEqual(sql(`SELECT case_notes_sealed IS NULL, case_notes_seal IS NULL FROM supervision_sessions
    WHERE id = ${c}`)[0], ['t', 't']);
});

test('notes sealed the old way are sealed again for their meeting by portalctl, once', async () => {
  assert.ok(process.env.PORTAL_NOTES_KEY_FILE, 'the suite gives the server a notes key');
  const old = (text) => execFileSync('python3', ['tests/reference/seal_old_note.py',
    process.env.PORTAL_NOTES_KEY_FILE, text], { encoding: 'utf8' }).trim();
  const e = await meeting(groups[0], 10, null);
  const f = await meeting(groups[1], 9, null);
  sql(`UPDATE supervision_sessions SET case_notes_sealed = decode('${old(`Old notes of E (${tag})`)}', 'base64'),
    case_notes_seal = 1 WHERE id = ${e}`);
  sql(`UPDATE supervision_sessions SET case_notes_sealed = decode('${old(`Old notes of F (${tag})`)}', 'base64'),
    case_notes_seal = 1 WHERE id = ${f}`);
  // Not shown as they are: their meeting is not in them.
  assert.match(await refused(e), /seals them again/);

  const run = portalctl('reseal-notes');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /case notes? sealed again/);
  assert.deepEqual(sql(`SELECT case_notes_seal FROM supervision_sessions WHERE id IN (${e}, ${f}) ORDER BY id`),
    [['2'], ['2']]);
  assert.equal((await read(e)).json.case_notes, `Old notes of E (${tag})`);
  assert.equal((await read(f)).json.case_notes, `Old notes of F (${tag})`);
  // Sealed for their own meeting: moved, they no longer open.
  const [[hex]] = sql(`SELECT encode(case_notes_sealed, 'hex') FROM supervision_sessions WHERE id = ${e}`);
  sql(`UPDATE supervision_sessions SET case_notes_sealed = decode('${hex}', 'hex') WHERE id = ${f}`);
  await refused(f);

  // Again: nothing to do, nothing changed.
  const again = portalctl('reseal-notes');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^portalctl: 0 case notes sealed again/);
  assert.equal(sql(`SELECT encode(case_notes_sealed, 'hex') FROM supervision_sessions WHERE id = ${e}`)[0][0], hex);

  // `portalctl migrate` does it too when it has the key.
  sql(`UPDATE supervision_sessions SET case_notes_sealed = decode('${old(`Old notes of F (${tag})`)}', 'base64'),
    case_notes_seal = 1 WHERE id = ${f}`);
  const migrated = portalctl('migrate');
  assert.equal(migrated.status, 0, migrated.stderr);
  assert.equal((await read(f)).json.case_notes, `Old notes of F (${tag})`);

  // A note that does not open with the key is left as it is, and said.
  sql(`UPDATE supervision_sessions SET case_notes_sealed = decode(repeat('ab', 60), 'hex'),
    case_notes_seal = 1 WHERE id = ${f}`);
  const bad = portalctl('reseal-notes');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, new RegExp(`meeting ${f} do not open`));
  assert.equal(sql(`SELECT case_notes_seal FROM supervision_sessions WHERE id = ${f}`)[0][0], '1');
  await refused(f);
  sql(`UPDATE supervision_sessions SET case_notes_sealed = NULL, case_notes_seal = NULL WHERE id = ${f}`);
});
