// DSL group supervision: groups and members (DSLs only, spells kept),
// meetings with attendance for every member, case notes sealed at rest
// and shown only to the facilitator and coordinators (each read audited),
// a DSL's and a setting lead's view, the report of a school year checked
// against figures computed here from the database, the school terms
// against Easter from python3-dateutil, and the mail: next date,
// reminders five days ahead and the coordinators' digest, never twice.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { sql, login, as, register, assertError } from './http.mjs';

// A mark only case notes carry, to look for where they must not be.
const tag = `SECRET-${process.pid}-NOTE`;
let coordinator, reviewer, lead, practitioner;
let facilitator, dsls, notDsl, group, otherFacilitator;
let seq = 0;

// Today in Europe/London, as the database has it, and days from it.
const today = () => sql("SELECT to_char(current_date, 'YYYY-MM-DD')")[0][0];
const day = (n) => sql(`SELECT to_char(current_date + ${Number(n)}, 'YYYY-MM-DD')`)[0][0];

// A new account (practitioner) at a school; `dsl` makes them a DSL.
async function person(dsl) {
  const [[school]] = sql("SELECT min(id) FROM agencies WHERE phase = 'secondary'");
  const { res, body } = await register({ agency_id: Number(school) });
  assert.ok(res.status === 200 || res.status === 201, res.text);
  const [[id]] = sql(`SELECT id FROM people WHERE email = '${body.email}'`);
  if (dsl) sql(`UPDATE people SET is_dsl = true, job_title = 'Designated Safeguarding Lead' WHERE id = ${id}`);
  const session = await login(body.email, body.password);
  return { id: Number(id), email: body.email, session };
}

async function newGroup(over = {}) {
  seq += 1;
  const res = await as(coordinator, '/api/v1/supervision/groups', { method: 'POST', body: {
    name: `Test group ${process.pid}.${seq}`, kind: 'secondary',
    facilitator: 'Educational Psychology Service', facilitator_person_id: facilitator.id, ...over } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

const meeting = (held_on, attendance, over = {}) => ({
  held_on, duration_minutes: 120, topics: ['practice_dilemmas', 'wellbeing'],
  cases_discussed: 2, actions: 'Share the escalation policy.', attendance, ...over });

before(async () => {
  [coordinator, reviewer, lead, practitioner] = await Promise.all(['coordinator', 'reviewer', 'lead',
    'practitioner'].map((r) => login(`${r}@demo.example`)));
  facilitator = await person(false);
  otherFacilitator = await person(false);
  dsls = [await person(true), await person(true), await person(true)];
  notDsl = await person(false);
  group = await newGroup();
  const put = await as(coordinator, `/api/v1/supervision/groups/${group.id}/members`,
    { method: 'PUT', body: { person_ids: dsls.map((d) => d.id), effective_on: day(-60) } });
  assert.equal(put.status, 200, put.text);
});

test('groups: coordinators create them, names are unique, every wrong field is named', async () => {
  assert.equal(group.kind, 'secondary');
  assert.equal(group.facilitator_person_id, facilitator.id);
  for (const who of [reviewer, practitioner, lead, facilitator.session]) {
    assertError(await as(who, '/api/v1/supervision/groups', { method: 'POST',
      body: { name: 'x', kind: 'mixed', facilitator: 'y' } }), 403, 'forbidden');
  }
  assertError(await as(coordinator, '/api/v1/supervision/groups', { method: 'POST',
    body: { name: group.name, kind: 'mixed', facilitator: 'y' } }), 409, 'conflict');
  const fields = assertError(await as(coordinator, '/api/v1/supervision/groups', { method: 'POST',
    body: { kind: 'junior', facilitator_person_id: 'me' } }), 422, 'invalid');
  assert.deepEqual(Object.keys(fields).sort(), ['facilitator', 'facilitator_person_id', 'kind', 'name']);
  const [[count]] = sql(`SELECT count(*) FROM supervision_groups WHERE name LIKE 'Test group ${process.pid}.%'`);
  assert.equal(count, String(seq));

  // The list: all for a coordinator, their own for a facilitator.
  const all = await as(coordinator, '/api/v1/supervision/groups');
  assert.ok(all.json.groups.some((g) => g.id === group.id));
  assert.ok(all.json.groups.length >= 5);
  const own = await as(facilitator.session, '/api/v1/supervision/groups');
  assert.ok(own.json.groups.every((g) => g.facilitator_person_id === facilitator.id));
  assert.ok(own.json.groups.some((g) => g.id === group.id));
  assert.deepEqual((await as(practitioner, '/api/v1/supervision/groups')).json.groups, []);
  assertError(await as(practitioner, `/api/v1/supervision/groups/${group.id}`), 403);
  assert.equal((await as(reviewer, `/api/v1/supervision/groups/${group.id}`)).status, 200);
  assertError(await as(coordinator, '/api/v1/supervision/groups/999999999'), 404);
});

test('members must be active DSLs; leaving and joining again keeps every spell', async () => {
  const g = await newGroup();
  const url = `/api/v1/supervision/groups/${g.id}/members`;
  const bad = assertError(await as(coordinator, url, { method: 'PUT',
    body: { person_ids: [dsls[0].id, notDsl.id, 999999999] } }), 422, 'invalid');
  assert.deepEqual(Object.keys(bad).sort(), [`person_ids.${notDsl.id}`, 'person_ids.999999999']);
  assert.equal(sql(`SELECT count(*) FROM supervision_members WHERE group_id = ${g.id}`)[0][0], '0');
  assertError(await as(facilitator.session, url, { method: 'PUT', body: { person_ids: [] } }), 403);

  const put = (ids, on) => as(coordinator, url, { method: 'PUT', body: { person_ids: ids, effective_on: on } });
  assert.equal((await put([dsls[0].id, dsls[1].id], day(-30))).status, 200);
  const r = await put([dsls[1].id, dsls[2].id], day(-10));
  assert.equal(r.status, 200);
  const left = r.json.members.find((m) => m.person_id === dsls[0].id);
  assert.deepEqual([left.joined_on, left.left_on, left.current], [day(-30), day(-10), false]);
  await put([dsls[0].id, dsls[1].id, dsls[2].id], day(-5));
  assert.deepEqual(sql(`SELECT joined_on, coalesce(left_on::text, '') FROM supervision_members
    WHERE group_id = ${g.id} AND person_id = ${dsls[0].id} ORDER BY joined_on`).map((x) => x.join(' ')),
  [`${day(-30)} ${day(-10)}`, `${day(-5)} `]);
  // Leaving before one joined is refused, and nothing changes.
  assertError(await put([dsls[1].id], day(-40)), 422);
  assert.equal(sql(`SELECT count(*) FROM supervision_members WHERE group_id = ${g.id} AND left_on IS NULL`)[0][0], '3');

  // Closing: no more meetings, spells end, the group is kept.
  const closed = await as(coordinator, `/api/v1/supervision/groups/${g.id}/close`, { method: 'POST' });
  assert.equal(closed.status, 200);
  assert.equal(closed.json.active, false);
  assert.equal(closed.json.closed_on, today());
  assert.ok(closed.json.members.every((m) => m.left_on !== null));
  const f = assertError(await as(coordinator, `/api/v1/supervision/groups/${g.id}/meetings`, { method: 'POST',
    body: meeting(day(-1), []) }), 422);
  assert.ok('group' in f);
});

test('a meeting needs attendance for every member that day, and no one else; one a day', async () => {
  const url = `/api/v1/supervision/groups/${group.id}/meetings`;
  const before = sql('SELECT count(*) FROM supervision_sessions')[0][0];
  const two = dsls.slice(0, 2).map((d) => ({ person_id: d.id, status: 'present' }));
  let f = assertError(await as(facilitator.session, url, { method: 'POST', body: meeting(day(-7), two) }), 422);
  assert.deepEqual(Object.keys(f), [`attendance.${dsls[2].id}`]);
  assert.match(f[`attendance.${dsls[2].id}`], /present, sent apologies or was absent/);
  f = assertError(await as(facilitator.session, url, { method: 'POST',
    body: meeting(day(-7), [...two, { person_id: dsls[2].id, status: 'late' },
      { person_id: notDsl.id, status: 'present' }]) }), 422);
  assert.deepEqual(Object.keys(f).sort(), [`attendance.${dsls[2].id}`]);
  f = assertError(await as(facilitator.session, url, { method: 'POST',
    body: meeting(day(-7), [...two, { person_id: dsls[2].id, status: 'absent' },
      { person_id: notDsl.id, status: 'present' }]) }), 422);
  assert.deepEqual(Object.keys(f), [`attendance.${notDsl.id}`]);
  f = assertError(await as(facilitator.session, url, { method: 'POST', body: meeting(day(2),
    [...two, { person_id: dsls[2].id, status: 'absent' }], { next_date: day(1) }) }), 422);
  assert.deepEqual(Object.keys(f).sort(), ['next_date']);
  f = assertError(await as(facilitator.session, url, { method: 'POST', body: meeting(day(2),
    [...two, { person_id: dsls[2].id, status: 'absent' }]) }), 422);
  assert.deepEqual(Object.keys(f), ['held_on']);
  f = assertError(await as(facilitator.session, url, { method: 'POST', body: {} }), 422);
  assert.deepEqual(Object.keys(f).sort(), ['attendance', 'duration_minutes', 'held_on']);
  assert.equal(sql('SELECT count(*) FROM supervision_sessions')[0][0], before);

  const all = [...two, { person_id: dsls[2].id, status: 'apologies' }];
  const ok = await as(facilitator.session, url, { method: 'POST', body: meeting(day(-7), all) });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.attendance.length, 3);
  assert.deepEqual(sql(`SELECT person_id, status FROM supervision_attendance WHERE session_id = ${ok.json.id}
    ORDER BY person_id`).map(([p, s]) => [Number(p), s]), all.map((a) => [a.person_id, a.status]));
  assertError(await as(coordinator, url, { method: 'POST', body: meeting(day(-7), all) }), 409, 'conflict');
  // Someone else's group: no.
  assertError(await as(otherFacilitator.session, url, { method: 'POST', body: meeting(day(-8), all) }), 403);
  assertError(await as(dsls[0].session, url, { method: 'POST', body: meeting(day(-8), all) }), 403);
});

test('case notes: only the facilitator and coordinators get them, each read audited; sealed at rest', async () => {
  const notes = `Discussed a referral not accepted by children's social care (${tag}); escalate.`;
  const url = `/api/v1/supervision/groups/${group.id}/meetings`;
  const all = dsls.map((d) => ({ person_id: d.id, status: 'present' }));
  const made = await as(facilitator.session, url, { method: 'POST',
    body: meeting(day(-14), all, { case_notes: notes, next_date: day(30) }) });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.equal(made.json.case_notes, notes);

  const reads = () => sql(`SELECT actor_person_id FROM audit_log WHERE action = 'supervision.case_notes.read'
    AND target_type = 'supervision_meeting' AND target_id = ${id} ORDER BY id`).map(([a]) => Number(a));
  const start = reads().length;
  const [[coordinatorId]] = sql("SELECT id FROM people WHERE email = 'coordinator@demo.example'");
  for (const who of [facilitator.session, coordinator]) {
    const r = await as(who, `/api/v1/supervision/meetings/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.case_notes, notes);
  }
  assert.deepEqual(reads().slice(start), [facilitator.id, Number(coordinatorId)]);
  for (const who of [reviewer, dsls[0].session]) {
    const r = await as(who, `/api/v1/supervision/meetings/${id}`);
    assert.equal(r.status, 200);
    assert.equal('case_notes' in r.json, false);
    assert.equal(r.json.has_case_notes, true);
    assert.ok(!r.text.includes(tag));
    assert.equal(r.json.attendance.length, 3);
  }
  for (const who of [practitioner, lead, otherFacilitator.session]) {
    assertError(await as(who, `/api/v1/supervision/meetings/${id}`), 403);
  }
  assert.equal(reads().length, start + 2, 'only the two reads with notes are audited');

  // At rest: ciphertext only (nonce 24 + text + tag 16 bytes), a fresh
  // nonce each time, and the text nowhere in the database.
  const [[len, hex]] = sql(`SELECT octet_length(case_notes_sealed), encode(case_notes_sealed, 'hex')
    FROM supervision_sessions WHERE id = ${id}`);
  assert.equal(Number(len), 24 + Buffer.byteLength(notes) + 16);
  assert.ok(!Buffer.from(hex, 'hex').toString('latin1').includes(tag));
  const again = await as(coordinator, url, { method: 'POST',
    body: meeting(day(-13), all, { case_notes: notes }) });
  const [[hex2]] = sql(`SELECT encode(case_notes_sealed, 'hex') FROM supervision_sessions WHERE id = ${again.json.id}`);
  assert.notEqual(hex2.slice(0, 48), hex.slice(0, 48));
  const dump = execFileSync('pg_dump', ['--data-only', process.env.PORTAL_DATABASE_URL],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  assert.ok(!dump.includes(`(${tag})`), 'the case notes are not in a dump of the database');

  // A DSL's own page and a setting lead's never carry them.
  const mine = await as(dsls[0].session, '/api/v1/me/supervision');
  assert.equal(mine.status, 200);
  assert.ok(!mine.text.includes('case_notes') && !mine.text.includes(tag));
});

test('corrections are audited with the names of what changed, never the content', async () => {
  const url = `/api/v1/supervision/groups/${group.id}/meetings`;
  const all = dsls.map((d) => ({ person_id: d.id, status: 'absent' }));
  const made = await as(coordinator, url, { method: 'POST', body: meeting(day(-21), all) });
  const path = `/api/v1/supervision/meetings/${made.json.id}`;
  const secret = `correction ${tag}`;
  const r = await as(facilitator.session, path, { method: 'PATCH',
    body: { duration_minutes: 90, case_notes: secret, attendance: all.map((a) => ({ ...a, status: 'present' })) } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.duration_minutes, 90);
  assert.equal(r.json.case_notes, secret);
  assert.ok(r.json.attendance.every((a) => a.status === 'present'));
  const [[detail, actor]] = sql(`SELECT detail, actor_person_id FROM audit_log WHERE action = 'supervision.meeting.update'
    AND target_id = ${made.json.id} ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(detail).changed.sort(), ['attendance', 'case_notes', 'duration_minutes']);
  assert.equal(Number(actor), facilitator.id);
  assert.ok(!detail.includes(tag));
  // All or nothing: a member left out, nothing changes.
  const f = assertError(await as(facilitator.session, path, { method: 'PATCH',
    body: { duration_minutes: 60, attendance: all.slice(1) } }), 422);
  assert.deepEqual(Object.keys(f), [`attendance.${dsls[0].id}`]);
  assert.equal(sql(`SELECT duration_minutes FROM supervision_sessions WHERE id = ${made.json.id}`)[0][0], '90');
  assertError(await as(dsls[0].session, path, { method: 'PATCH', body: { duration_minutes: 60 } }), 403);
  assertError(await as(reviewer, path, { method: 'PATCH', body: { duration_minutes: 60 } }), 403);
  // Clearing the notes.
  const cleared = await as(coordinator, path, { method: 'PATCH', body: { case_notes: null } });
  assert.equal(cleared.json.case_notes, null);
  assert.equal(sql(`SELECT case_notes_sealed IS NULL FROM supervision_sessions WHERE id = ${made.json.id}`)[0][0], 't');
});

test('a DSL sees their supervision; a setting lead sees their DSLs\' attendance', async () => {
  const mine = await as(dsls[2].session, '/api/v1/me/supervision');
  assert.equal(mine.json.is_dsl, true);
  assert.ok(mine.json.groups.some((g) => g.id === group.id && g.left_on === null));
  const [[present, apologies, absent]] = sql(`SELECT count(*) FILTER (WHERE status = 'present'),
    count(*) FILTER (WHERE status = 'apologies'), count(*) FILTER (WHERE status = 'absent')
    FROM supervision_attendance WHERE person_id = ${dsls[2].id}`);
  assert.deepEqual([mine.json.attended, mine.json.apologies, mine.json.absent],
    [Number(present), Number(apologies), Number(absent)]);
  assert.equal(mine.json.meetings.length, Number(present) + Number(apologies) + Number(absent));
  // The next date: the one the group's latest meeting set.
  const [[nextDate]] = sql(`SELECT coalesce((SELECT to_char(next_date, 'YYYY-MM-DD') FROM supervision_sessions
    WHERE group_id = ${group.id} ORDER BY held_on DESC LIMIT 1), 'none')`);
  assert.equal(mine.json.next_date ?? 'none', nextDate);

  const l = await as(lead, '/api/v1/me/supervision');
  assert.equal(l.status, 200);
  assert.equal(l.json.is_dsl, true);
  assert.ok(l.json.meetings.length > 0);
  const [[agency]] = sql("SELECT r.agency_id FROM account_roles r JOIN people p ON p.id = r.person_id WHERE p.email = 'lead@demo.example' AND r.role = 'setting_lead'");
  const expected = sql(`SELECT id FROM people WHERE is_dsl AND active AND agency_id = ${agency} ORDER BY id`).map(([i]) => Number(i));
  assert.deepEqual(l.json.setting.dsls.map((d) => d.person_id).sort((a, b) => a - b), expected);
  assert.ok(!l.text.includes('case_notes'));
  assert.equal('setting' in mine.json, false);
});

// Easter Sunday of `years` from python3-dateutil.
function easter(years) {
  return execFileSync('python3', ['tests/reference/easter_reference.py', ...years.map(String)],
    { encoding: 'utf8' }).trim().split('\n');
}

test('school terms of many years: spring ends on Easter Sunday, summer starts on Easter Monday', async () => {
  const years = [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];
  const sundays = easter(years.map((y) => y + 1));
  for (const [i, y] of years.entries()) {
    const r = await as(reviewer, `/api/v1/reports/supervision?year=${y}`);
    assert.equal(r.status, 200, r.text);
    const [autumn, spring, summer] = r.json.terms;
    assert.deepEqual([autumn.starts_on, autumn.ends_on], [`${y}-09-01`, `${y}-12-31`]);
    assert.deepEqual([spring.starts_on, spring.ends_on], [`${y + 1}-01-01`, sundays[i]]);
    const monday = new Date(`${sundays[i]}T12:00:00Z`);
    monday.setUTCDate(monday.getUTCDate() + 1);
    assert.deepEqual([summer.starts_on, summer.ends_on], [monday.toISOString().slice(0, 10), `${y + 1}-08-31`]);
    assert.equal(r.json.label, `${y}/${String((y + 1) % 100).padStart(2, '0')}`);
  }
  assertError(await as(reviewer, '/api/v1/reports/supervision?year=2090'), 422);
  const f = assertError(await as(reviewer, '/api/v1/reports/supervision?year=x&format=pdf&table=z'), 422);
  assert.deepEqual(Object.keys(f).sort(), ['format', 'table', 'year']);
});

test('a school year is its label, 2016/17, or the year it starts in, 2016; other forms are named', async () => {
  const label = await as(reviewer, '/api/v1/reports/supervision?year=2016/17');
  const start = await as(reviewer, '/api/v1/reports/supervision?year=2016');
  assert.equal(label.status, 200, label.text);
  assert.equal(label.json.label, '2016/17');
  assert.deepEqual(start.json, label.json);
  const csv = await as(reviewer, '/api/v1/reports/supervision?year=2016/17&format=csv&table=groups');
  assert.equal(csv.status, 200, csv.text);
  for (const wrong of ['2016/18', '2016/7', 'abc', '2016-17', '16/17', '2016/2017', '2090/91']) {
    const f = assertError(await as(reviewer, `/api/v1/reports/supervision?year=${encodeURIComponent(wrong)}`), 422);
    assert.deepEqual(Object.keys(f), ['year'], wrong);
  }
});

test('a group set up today to record 2016/17 from paper shows in that year, with its meetings', async () => {
  const backfilled = await newGroup();
  const put = await as(coordinator, `/api/v1/supervision/groups/${backfilled.id}/members`,
    { method: 'PUT', body: { person_ids: dsls.map((d) => d.id), effective_on: '2016-09-05' } });
  assert.equal(put.status, 200, put.text);
  const url = `/api/v1/supervision/groups/${backfilled.id}/meetings`;
  const present = dsls.map((d) => ({ person_id: d.id, status: 'present' }));
  const held = ['2016-10-12', '2017-02-08'];
  for (const on of held) {
    const res = await as(coordinator, url, { method: 'POST', body: meeting(on, present) });
    assert.equal(res.status, 201, res.text);
  }
  const r = await as(reviewer, '/api/v1/reports/supervision?year=2016/17');
  assert.equal(r.status, 200, r.text);
  const g = r.json.groups.find((x) => x.id === backfilled.id);
  assert.ok(g, 'the group is in the 2016/17 report');
  assert.deepEqual(g.meetings, { autumn: 1, spring: 1, summer: 0 });
  assert.deepEqual([g.attendance.k, g.attendance.n], [6, 6]);
  assert.deepEqual(g.terms_without_meeting, ['summer']);
  for (const d of dsls) {
    const row = r.json.dsls.find((x) => x.person_id === d.id);
    assert.ok(row.meetings_held >= 2 && row.attended >= 2, JSON.stringify(row));
  }
  // Its members stayed on: it is in every year since, and in none before.
  const [[now]] = sql(`SELECT CASE WHEN extract(month FROM current_date) >= 9
    THEN extract(year FROM current_date) ELSE extract(year FROM current_date) - 1 END`);
  for (const y of [2017, Number(now)]) {
    const later = await as(reviewer, `/api/v1/reports/supervision?year=${y}`);
    assert.ok(later.json.groups.some((x) => x.id === backfilled.id), `in ${y}`);
  }
  const before = await as(reviewer, '/api/v1/reports/supervision?year=2015/16');
  assert.equal(before.status, 200, before.text);
  assert.ok(!before.json.groups.some((x) => x.id === backfilled.id), 'not in 2015/16');
  for (const who of [practitioner, lead, facilitator.session]) {
    assertError(await as(who, '/api/v1/reports/supervision'), 403);
  }
});

// Wilson score interval at 95 %, computed here.
function wilson(k, n) {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { rate: p, lower: centre - half, upper: centre + half };
}

function close(a, b, what) {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} against ${b}`);
}

test('the report\'s figures match figures computed independently', async () => {
  const [[y]] = sql(`SELECT CASE WHEN extract(month FROM current_date) >= 9
    THEN extract(year FROM current_date) ELSE extract(year FROM current_date) - 1 END`);
  for (const year of [2016, Number(y)]) {
    const r = await as(coordinator, `/api/v1/reports/supervision?year=${year}`);
    assert.equal(r.status, 200, r.text);
    // The CSV downloads first (Kore closes a connection idle for 10 s).
    const csv = await as(reviewer, `/api/v1/reports/supervision?year=${year}&format=csv`);
    const gcsv = await as(reviewer, `/api/v1/reports/supervision?year=${year}&format=csv&table=groups`);
    const [sunday] = easter([year + 1]);
    const end = `${year + 1}-08-31`;
    const [[asOf]] = sql(`SELECT to_char(least(current_date, '${end}'::date), 'YYYY-MM-DD')`);
    assert.equal(r.json.as_of, asOf);
    const bounds = { autumn: [`${year}-09-01`, `${year}-12-31`], spring: [`${year + 1}-01-01`, sunday],
      summer: [`'${sunday}'::date + 1`, end] };
    const range = ([a, b]) => `s.held_on BETWEEN ${a.includes('::') ? a : `'${a}'`} AND '${b}'`;
    // Groups: meetings per term and attendance, straight from the tables.
    const counts = new Map(sql(`SELECT g.id,
        (SELECT count(*) FROM supervision_sessions s WHERE s.group_id = g.id AND ${range(bounds.autumn)}),
        (SELECT count(*) FROM supervision_sessions s WHERE s.group_id = g.id AND ${range(bounds.spring)}),
        (SELECT count(*) FROM supervision_sessions s WHERE s.group_id = g.id AND ${range(bounds.summer)}),
        (SELECT count(*) FILTER (WHERE a.status = 'present') FROM supervision_attendance a
           JOIN supervision_sessions s ON s.id = a.session_id
          WHERE s.group_id = g.id AND s.held_on BETWEEN '${year}-09-01' AND '${end}'),
        (SELECT count(*) FROM supervision_attendance a JOIN supervision_sessions s ON s.id = a.session_id
          WHERE s.group_id = g.id AND s.held_on BETWEEN '${year}-09-01' AND '${end}')
      FROM supervision_groups g`).map(([id, ...n]) => [Number(id), n.map(Number)]));
    // A group of the year: open in it, or with a member or a meeting in it.
    const existed = sql(`SELECT g.id FROM supervision_groups g
      WHERE (g.created_at::date <= '${end}' AND (g.closed_on IS NULL OR g.closed_on >= '${year}-09-01'))
         OR EXISTS (SELECT 1 FROM supervision_members m WHERE m.group_id = g.id
              AND m.joined_on <= '${end}' AND (m.left_on IS NULL OR (m.left_on > '${year}-09-01'
              AND m.left_on > m.joined_on)))
         OR EXISTS (SELECT 1 FROM supervision_sessions s WHERE s.group_id = g.id
              AND s.held_on BETWEEN '${year}-09-01' AND '${end}')
      ORDER BY g.id`).map(([i]) => Number(i));
    assert.deepEqual(r.json.groups.map((g) => g.id).sort((a, b) => a - b), existed);
    for (const g of r.json.groups) {
      const [autumn, spring, summer, k, n] = counts.get(g.id);
      assert.deepEqual(g.meetings, { autumn, spring, summer }, g.name);
      assert.deepEqual([g.attendance.k, g.attendance.n], [k, n]);
      if (n > 0) {
        const w = wilson(k, n);
        close(g.attendance.rate, w.rate, `${g.name} rate`);
        close(g.attendance.lower, w.lower, `${g.name} lower`);
        close(g.attendance.upper, w.upper, `${g.name} upper`);
      } else {
        assert.equal(g.attendance.rate, null);
      }
      const begun = r.json.terms.filter((t) => t.starts_on <= asOf).map((t) => t.term);
      assert.deepEqual(g.terms_without_meeting, begun.filter((t) => g.meetings[t] === 0));
    }
    // DSLs: every active DSL, with meetings held while a member, this
    // term's attendance, and training in date by the qualifying rule.
    const current = r.json.current_term;
    const rows = sql(`SELECT p.id,
        (SELECT count(DISTINCT s.id) FROM supervision_sessions s JOIN supervision_members m
           ON m.group_id = s.group_id AND m.person_id = p.id AND m.joined_on <= s.held_on
          AND (m.left_on IS NULL OR s.held_on < m.left_on)
          WHERE s.held_on BETWEEN '${year}-09-01' AND '${end}'),
        (SELECT count(*) FROM supervision_attendance a JOIN supervision_sessions s ON s.id = a.session_id
          WHERE a.person_id = p.id AND a.status = 'present' AND s.held_on BETWEEN '${year}-09-01' AND '${end}'),
        (SELECT count(*) FROM supervision_attendance a JOIN supervision_sessions s ON s.id = a.session_id
          WHERE a.person_id = p.id AND a.status = 'present'
            AND s.held_on BETWEEN '${current.starts_on}' AND '${current.ends_on}'),
        EXISTS (SELECT 1 FROM training_records t JOIN group_levels tl ON tl.id = t.group_level_id
          JOIN group_levels pl ON pl.id = p.group_level_id
          WHERE t.person_id = p.id AND tl.scheme_id = pl.scheme_id AND tl.rank >= pl.rank
            AND t.completed_on <= '${asOf}'
            AND t.completed_on + make_interval(months => pl.refresh_months) > '${asOf}'::date)
      FROM people p WHERE p.is_dsl AND p.active AND p.erased_at IS NULL ORDER BY p.id`);
    assert.equal(r.json.dsls.length, rows.length);
    const byId = new Map(r.json.dsls.map((d) => [d.person_id, d]));
    let unsupervised = 0;
    let lapsed = 0;
    for (const [id, held, attended, thisTerm, inDate] of rows) {
      const d = byId.get(Number(id));
      assert.ok(d, `DSL ${id} is in the report`);
      assert.deepEqual([d.meetings_held, d.attended, d.attended_this_term, d.training_in_date],
        [Number(held), Number(attended), Number(thisTerm), inDate === 't'], `DSL ${id}`);
      const flags = [];
      if (Number(thisTerm) === 0) flags.push('no_supervision_this_term');
      if (inDate !== 't') flags.push('training_lapsed');
      assert.deepEqual(d.flags, flags);
      unsupervised += Number(thisTerm) === 0;
      lapsed += inDate !== 't';
    }
    assert.equal(r.json.summary.no_supervision_this_term, unsupervised);
    assert.equal(r.json.summary.training_lapsed, lapsed);
    const w = wilson(rows.length - unsupervised, rows.length);
    close(r.json.summary.supervised_this_term.lower, w.lower, 'supervised this term');
    // The demo has DSLs both ways, so the flags are seen to work.
    if (year === 2016) assert.ok(unsupervised > 0 && unsupervised < rows.length);

    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const lines = csv.text.trim().split(/\r?\n/);
    assert.match(lines[0], /^Name,Setting,Groups,Meetings held while a member/);
    assert.equal(lines.length, rows.length + 1);
    assert.equal(gcsv.text.trim().split(/\r?\n/).length, r.json.groups.length + 1,
      `${gcsv.status} ${gcsv.text}`);
  }
});

// Run `portalctl send-mail --once` twice at the same time (the relay is
// away: what matters is what goes into the outbox).
async function twoSenders() {
  const env = { ...process.env, PORTAL_SMTP_URL: 'smtp://127.0.0.1:9', PORTAL_MAIL_INTERVAL: '1' };
  await Promise.all([0, 1].map(() => new Promise((resolve, reject) => {
    const p = spawn('build/portalctl', ['send-mail', '--once'], { env, stdio: 'ignore' });
    const timer = setTimeout(() => { p.kill(); reject(new Error('send-mail did not finish in 60 s')); }, 60e3);
    p.on('exit', () => { clearTimeout(timer); resolve(); });
  })));
}

test('mail: the next date when recorded, a reminder five days before, the monthly digest, never twice', async () => {
  const g = await newGroup();
  await as(coordinator, `/api/v1/supervision/groups/${g.id}/members`,
    { method: 'PUT', body: { person_ids: dsls.map((d) => d.id), effective_on: day(-40) } });
  const since = sql('SELECT max(id) FROM email_outbox')[0][0] ?? 0;
  const made = await as(facilitator.session, `/api/v1/supervision/groups/${g.id}/meetings`, { method: 'POST',
    body: meeting(day(-30), dsls.map((d) => ({ person_id: d.id, status: 'present' })),
      { next_date: day(3), case_notes: `mail ${tag}` }) });
  assert.equal(made.status, 201);
  const next = sql(`SELECT to_address, body_text FROM email_outbox WHERE id > ${since}
    AND subject = 'Next supervision meeting: ${g.name}' ORDER BY to_address`);
  assert.deepEqual(next.map(([to]) => to), dsls.map((d) => d.email).sort());
  assert.ok(next.every(([, body]) => !body.includes(tag)));

  sql(`DELETE FROM supervision_digests WHERE month = date_trunc('month', current_date)`);
  await twoSenders();
  await twoSenders();
  const reminders = sql(`SELECT to_address FROM email_outbox WHERE id > ${since}
    AND subject LIKE 'Reminder: DSL supervision on %' AND body_text LIKE '%${g.name}%' ORDER BY to_address`);
  assert.deepEqual(reminders.map(([to]) => to), dsls.map((d) => d.email).sort());
  const digests = sql(`SELECT to_address, body_text FROM email_outbox WHERE id > ${since}
    AND subject LIKE 'DSLs without supervision this term: %'`);
  const coordinators = sql(`SELECT DISTINCT p.email FROM account_roles r JOIN people p ON p.id = r.person_id
    JOIN accounts a ON a.person_id = p.id AND a.disabled_at IS NULL WHERE r.role = 'coordinator' AND p.email IS NOT NULL`);
  assert.equal(digests.length, coordinators.length);
  assert.ok(digests.some(([to]) => to === 'coordinator@demo.example'));
  // A DSL who attended nothing this term is listed; one who did is not.
  const [[dslName]] = sql(`SELECT full_name FROM people WHERE id = ${dsls[0].id}`);
  const [[attendedThisTerm]] = sql(`SELECT count(*) FROM supervision_attendance a JOIN supervision_sessions s
    ON s.id = a.session_id WHERE a.person_id = ${dsls[0].id} AND a.status = 'present'
    AND s.held_on >= '${(await as(reviewer, '/api/v1/reports/supervision')).json.current_term.starts_on}'`);
  assert.equal(digests[0][1].includes(`- ${dslName},`), attendedThisTerm === '0');
});
