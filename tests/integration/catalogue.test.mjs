// The public reference data and the course catalogue, checked against
// the database itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, sql, assertError, assertSecurityHeaders } from './http.mjs';

test('group levels: the default London scheme, in order, with refresh intervals', async () => {
  const res = await request('/api/v1/group-levels');
  assert.equal(res.status, 200);
  assertSecurityHeaders(res);
  const levels = res.json.group_levels;
  const expected = sql(`SELECT l.code, l.name, l.refresh_months FROM group_levels l
    JOIN group_schemes s ON s.id = l.scheme_id WHERE s.is_default ORDER BY l.rank`);
  assert.equal(levels.length, 6);
  assert.deepEqual(levels.map((l) => [l.code, l.name, String(l.refresh_months)]), expected);
  for (const l of levels) {
    assert.equal(typeof l.description, 'string');
    assert.ok(l.description.length > 10);
  }
  // Designated safeguarding leads (Group 5) retrain every two years.
  const refresh = levels.map((l) => l.refresh_months);
  assert.deepEqual(refresh, [36, 36, 36, 36, 24, 36]);
  assert.equal(typeof res.json.scheme.name, 'string');
});

test('agencies: paged, with sector, area and phase', async () => {
  const total = Number(sql('SELECT count(*) FROM agencies WHERE active')[0][0]);
  assert.ok(total >= 60, 'demo data has about 60 agencies and settings');
  const first = await request('/api/v1/agencies?limit=25');
  assert.equal(first.status, 200);
  assert.equal(first.json.total, total);
  assert.equal(first.json.agencies.length, 25);
  const rest = await request(`/api/v1/agencies?limit=100&offset=25`);
  assert.equal(rest.json.agencies.length, total - 25);
  const ids = new Set([...first.json.agencies, ...rest.json.agencies].map((a) => a.id));
  assert.equal(ids.size, total, 'pages neither overlap nor skip');
  for (const a of first.json.agencies) {
    assert.deepEqual(Object.keys(a).sort(), ['active', 'area', 'id', 'name', 'phase', 'sector']);
  }
  const schools = await request('/api/v1/agencies?sector=education&limit=100');
  assert.ok(schools.json.agencies.length > 0);
  assert.ok(schools.json.agencies.every((a) => a.sector === 'education'));
  assert.ok(schools.json.agencies.some((a) => a.phase !== null));
});

test('courses: the published catalogue with levels, topics and paging', async () => {
  const total = Number(sql('SELECT count(*) FROM courses WHERE published')[0][0]);
  const res = await request('/api/v1/courses?limit=100');
  assert.equal(res.status, 200);
  assert.equal(res.json.total, total);
  assert.equal(res.json.courses.length, Math.min(total, 100));
  assert.equal(res.json.limit, 100);
  assert.equal(res.json.offset, 0);
  const c = res.json.courses[0];
  for (const k of ['id', 'code', 'title', 'summary', 'format', 'duration_minutes',
    'multi_agency', 'group_levels', 'topics', 'next_session']) {
    assert.ok(k in c, `course has ${k}`);
  }
  const deflt = await request('/api/v1/courses');
  assert.equal(deflt.json.limit, 20);
  assert.equal(deflt.json.courses.length, Math.min(total, 20));
  const page2 = await request('/api/v1/courses?limit=10&offset=10');
  assert.deepEqual(page2.json.courses.map((x) => x.id),
    res.json.courses.slice(10, 20).map((x) => x.id));
  const beyond = await request(`/api/v1/courses?offset=${total + 5}`);
  assert.equal(beyond.status, 200);
  assert.deepEqual(beyond.json.courses, []);
  assert.equal(beyond.json.total, total);
});

test('courses: next_session is the next scheduled session, ISO 8601 in Europe/London', async () => {
  const res = await request('/api/v1/courses?limit=100');
  const upcoming = res.json.courses.filter((c) => c.next_session !== null);
  assert.ok(upcoming.length > 0, 'demo data has upcoming sessions');
  for (const c of upcoming) {
    assert.match(c.next_session, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[01]:00$/);
    const [[expected]] = sql(`SELECT extract(epoch FROM min(starts_at))::bigint FROM sessions
      WHERE course_id = ${Number(c.id)} AND status = 'scheduled' AND starts_at > now()`);
    assert.equal(Date.parse(c.next_session) / 1000, Number(expected));
  }
});

test('courses: filter by group level and by topic', async () => {
  const [[level, topic]] = sql(`SELECT l.code, t.code FROM course_group_levels x
    JOIN group_levels l ON l.id = x.group_level_id
    JOIN course_topics y ON y.course_id = x.course_id
    JOIN topics t ON t.id = y.topic_id
    JOIN courses c ON c.id = x.course_id AND c.published
    GROUP BY l.code, t.code ORDER BY count(*) DESC, 1, 2 LIMIT 1`);
  const byLevel = await request(`/api/v1/courses?group_level=${level}&limit=100`);
  const [[nLevel]] = sql(`SELECT count(DISTINCT c.id) FROM courses c
    JOIN course_group_levels x ON x.course_id = c.id
    JOIN group_levels l ON l.id = x.group_level_id WHERE c.published AND l.code = '${level}'`);
  assert.equal(byLevel.json.total, Number(nLevel));
  assert.ok(byLevel.json.courses.every((c) => c.group_levels.includes(level)));

  const byTopic = await request(`/api/v1/courses?topic=${encodeURIComponent(topic)}&limit=100`);
  assert.ok(byTopic.json.courses.length > 0);
  assert.ok(byTopic.json.courses.every((c) => c.topics.includes(topic)));

  const both = await request(`/api/v1/courses?group_level=${level}&topic=${encodeURIComponent(topic)}&limit=100`);
  assert.ok(both.json.total <= Math.min(byLevel.json.total, byTopic.json.total));
  assert.ok(both.json.courses.every((c) => c.topics.includes(topic) && c.group_levels.includes(level)));
  assert.ok(both.json.total > 0);
});

test('courses: every wrong parameter is named at once (422)', async () => {
  const res = await request('/api/v1/courses?group_level=G99&topic=nope&limit=0&offset=-3');
  const fields = assertError(res, 422, 'invalid');
  assert.deepEqual(Object.keys(fields).sort(), ['group_level', 'limit', 'offset', 'topic']);
  for (const v of Object.values(fields)) assert.equal(typeof v, 'string');
  const big = await request('/api/v1/courses?limit=101');
  assert.deepEqual(Object.keys(assertError(big, 422)), ['limit']);
  const agencies = await request('/api/v1/agencies?limit=abc');
  assert.deepEqual(Object.keys(assertError(agencies, 422)), ['limit']);
});

test('a query parameter that cannot be decoded is a 422 naming it', async () => {
  const fields = assertError(await request('/api/v1/courses?topic=%zz'), 422, 'invalid');
  assert.ok(fields.topic);
});
