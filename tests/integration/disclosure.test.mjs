// Disclosure control, attacked: forms with unusual answers are planted
// among others, and each role tries every request it may make (day
// windows, each filter, each breakdown, a breakdown's total less its
// rows, session summaries and exports, forms typed in, before and after a
// new form). The test fails if any two answers differ by one form whose
// ratings are a planted form's, or if any answer shows fewer than five
// forms. A control breaks the mechanism (a lone form released) and checks
// that the same attack then finds the form.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql, login, as } from './http.mjs';
import { newSession, move } from './sessions.mjs';

const RATINGS = ['content', 'delivery', 'venue', 'trainer', 'overall'];
// Unusual answers, unlike the others'.
const PLANTED = { rating_content: 1, rating_delivery: 5, rating_venue: 1, rating_trainer: 5,
  rating_overall: 1, knowledge_before: 10, knowledge_after: 1, confidence_before: 10,
  confidence_after: 1, outcomes_met: 'no', improve_safeguarding: 'no' };
const PLANTED_RATINGS = [1, 5, 1, 5, 1];
const tag = `D${process.pid}`;
const area = `Disclosure ${tag}`;
let coordinator, reviewer, trainer, lead, agencyA, agencyB, sessions, days;

// `n` people of `agency` booked and attended on `session`: their bookings.
function attendees(session, agency, n, from) {
  return sql(`WITH p AS (
      INSERT INTO people (agency_id, full_name, email)
      SELECT ${agency}, 'Person ' || g, '${tag.toLowerCase()}-' || g || '@disclosure.example'
        FROM generate_series(${from}, ${from + n - 1}) g RETURNING id),
    b AS (INSERT INTO bookings (session_id, person_id, status, confirmed_at, attendance_at)
    SELECT ${session}, id, 'attended', now() - interval '90 days', now() - interval '90 days'
      FROM p RETURNING id) SELECT id FROM b ORDER BY id`).map((r) => r[0]);
}

// Same-day forms for `bookings`, given on the session's day, in one
// statement (as a window's forms stand when it closes).
function forms(session, bookings, answers) {
  const cols = ['rating_content', 'rating_delivery', 'rating_venue', 'rating_trainer', 'rating_overall',
    'knowledge_before', 'knowledge_after', 'confidence_before', 'confidence_after',
    'outcomes_met', 'improve_safeguarding'];
  const rows = bookings.map((b, i) => `(${session}, ${b}, 'online', ${cols.map((c) => {
    const v = answers(i)[c];
    return typeof v === 'string' ? `'${v}'` : v;
  }).join(', ')}, (SELECT starts_at FROM sessions WHERE id = ${session}))`);
  sql(`INSERT INTO evaluations (session_id, booking_id, source, ${cols.join(', ')}, submitted_at)
       VALUES ${rows.join(', ')}`);
}

const ordinary = (i) => ({ rating_content: 3 + (i % 3), rating_delivery: 4, rating_venue: 3 + (i % 2),
  rating_trainer: 4 + (i % 2), rating_overall: 4 - (i % 2), knowledge_before: 4, knowledge_after: 7,
  confidence_before: 5, confidence_after: 7, outcomes_met: 'yes', improve_safeguarding: 'yes' });

before(async () => {
  coordinator = await login('coordinator@demo.example');
  reviewer = await login('reviewer@demo.example');
  trainer = await login('trainer@demo.example');
  lead = await login('lead@demo.example');
  const agency = (name, sector) => sql(`WITH a AS (INSERT INTO agencies (name, sector, area)
      VALUES ('${name} ${tag}', '${sector}', '${area}') RETURNING id) SELECT id FROM a`)[0][0];
  agencyA = agency('School', 'education');
  agencyB = agency('Clinic', 'health');
  // Four sessions a week apart, long past: their windows have closed.
  sessions = [];
  for (const d of [-60, -53, -46, -39]) {
    const id = await newSession(coordinator, trainer, { days: 10 });
    move(id, d);
    sessions.push(id);
  }
  const [s1, s2, s3, s4] = sessions;
  // S1: eight ordinary forms of the school.
  forms(s1, attendees(s1, agencyA, 8, 0), ordinary);
  // S2: one person of the clinic, alone, with unusual answers.
  forms(s2, attendees(s2, agencyB, 1, 100), () => PLANTED);
  // S3: four of the school and one of the clinic; the clinic's unusual.
  const b3 = [...attendees(s3, agencyA, 4, 200), ...attendees(s3, agencyB, 1, 300)];
  forms(s3, b3, (i) => (i === 4 ? PLANTED : ordinary(i)));
  // S4: five attended, three real forms (one unusual); the trainer
  // types two of all 5s, as many as the places left.
  forms(s4, attendees(s4, agencyA, 5, 400).slice(0, 3), (i) => (i === 0 ? PLANTED : ordinary(i)));
  const typed = await as(trainer, `/api/v1/sessions/${s4}/evaluations`, { method: 'POST', body: {
    forms: [0, 1].map(() => ({ rating_content: 5, rating_delivery: 5, rating_venue: 5,
      rating_trainer: 5, rating_overall: 5 })) } });
  assert.equal(typed.status, 200, typed.text);
  days = sessions.map((id) => sql(`SELECT (starts_at AT TIME ZONE 'Europe/London')::date FROM sessions WHERE id = ${id}`)[0][0]);
});

const dayShift = (d, n) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

// What one answer tells: respondents and, per rating, its n and sum.
function observe(label, block) {
  if (!block || block.suppressed) return null;
  const o = { label, n: block.respondents, ratings: {} };
  for (const r of RATINGS) {
    const m = block.ratings?.[r];
    if (m && typeof m.mean === 'number') o.ratings[r] = { n: m.n, sum: m.mean * m.n };
  }
  return o;
}

// Every request of the evaluation report a reviewer or coordinator can
// make around the planted forms: day windows, each filter, each
// breakdown, and each breakdown's total less its rows.
async function reportObservations(who) {
  const out = [];
  const edges = [];
  // A window starts or ends on a session's day or the day before it.
  for (const d of days) edges.push(dayShift(d, -1), d);
  edges.push(dayShift(days[days.length - 1], 1));
  const filters = ['', `&agency_id=${agencyA}`, `&agency_id=${agencyB}`, '&sector=education',
    '&sector=health', '&by=agency', '&by=sector', '&by=course'];
  for (const from of edges) {
    for (const to of edges) {
      if (to < from) continue;
      for (const f of filters) {
        const q = `/api/v1/reports/evaluation?from=${from}&to=${to}&area=${encodeURIComponent(area)}${f}`;
        const res = await as(who, q);
        assert.equal(res.status, 200, `${q}: ${res.text}`);
        const top = observe(q, res.json.same_day);
        if (top) out.push(top);
        const rest = { label: `${q} less its rows`, n: top ? top.n : 0, ratings: {} };
        if (top?.ratings.overall) rest.ratings.overall = { ...top.ratings.overall };
        for (const row of res.json.rows ?? []) {
          if (row.suppressed) continue;
          const m = row.overall_rating;
          const o = { label: `${q} row ${row.label}`, n: row.respondents, ratings: {} };
          if (typeof m?.mean === 'number') o.ratings.overall = { n: m.n, sum: m.mean * m.n };
          out.push(o);
          rest.n -= row.respondents;
          if (rest.ratings.overall && o.ratings.overall) {
            rest.ratings.overall.n -= o.ratings.overall.n;
            rest.ratings.overall.sum -= o.ratings.overall.sum;
          }
        }
        if (top && res.json.rows) out.push(rest);
      }
    }
  }
  return out;
}

async function summaryObservations(who) {
  const out = [];
  for (const id of sessions) {
    const res = await as(who, `/api/v1/sessions/${id}/evaluations/summary`);
    if (res.status !== 200) continue;
    const o = observe(`summary of ${id}`, res.json);
    if (o) out.push(o);
  }
  return out;
}

// The planted forms an attacker recovers from `obs`: a figure over fewer
// than five forms, or two figures one form apart whose difference is a
// planted form's ratings.
function recovered(obs) {
  const found = [];
  for (const a of obs) {
    if (a.n > 0 && a.n < 5) found.push(`${a.label} shows ${a.n} forms`);
  }
  for (const a of obs) {
    for (const b of obs) {
      if (a.n - b.n !== 1) continue;
      const rs = RATINGS.filter((r) => a.ratings[r] && b.ratings[r]);
      if (rs.length === 0) continue;
      if (rs.every((r) => a.ratings[r].n - b.ratings[r].n === 1
          && Math.abs(a.ratings[r].sum - b.ratings[r].sum - PLANTED_RATINGS[RATINGS.indexOf(r)]) < 1e-6)) {
        found.push(`${a.label} less ${b.label}`);
      }
    }
  }
  return found;
}

test('no role recovers a planted form from any requests it may make, typed-in forms and new forms included', async () => {
  const seen = {
    reviewer: [...await reportObservations(reviewer), ...await summaryObservations(reviewer)],
    coordinator: [...await reportObservations(coordinator), ...await summaryObservations(coordinator)],
    trainer: await summaryObservations(trainer),
  };
  // Figures do come out: the school's session and the mixed one.
  assert.ok(seen.reviewer.some((o) => o.n === 8), 'the eight forms are shown');
  assert.ok(seen.reviewer.some((o) => o.n === 13), 'eight and five together are shown');
  // The trainer typed two of S4's five forms: S4 is not theirs to see,
  // though a reviewer sees it.
  const s4 = sessions[3];
  const own = await as(trainer, `/api/v1/sessions/${s4}/evaluations/summary`);
  assert.equal(own.json.suppressed, true, JSON.stringify(own.json));
  assert.equal(own.json.ratings, undefined);
  assert.equal((await as(reviewer, `/api/v1/sessions/${s4}/evaluations/summary`)).json.respondents, 5);
  // A setting lead gets no answers at all.
  assert.equal((await as(lead, `/api/v1/reports/evaluation?area=${encodeURIComponent(area)}`)).status, 403);
  assert.equal((await as(lead, `/api/v1/sessions/${sessions[0]}/evaluations/summary`)).status, 403);

  // Before and after new forms: a paper form typed up late for S1 and an
  // online form on a session whose window is still open.
  const late = await as(coordinator, `/api/v1/sessions/${sessions[0]}/evaluations`, { method: 'POST',
    body: { forms: [{ ...PLANTED }] } });
  // S1 has eight places and eight forms: room for none, so give it one.
  if (late.status === 422) {
    attendees(sessions[0], agencyA, 1, 500);
    assert.equal((await as(coordinator, `/api/v1/sessions/${sessions[0]}/evaluations`, { method: 'POST',
      body: { forms: [{ ...PLANTED }] } })).status, 200);
  }
  const open = await newSession(coordinator, trainer, { days: 10 });
  move(open, -2);
  forms(open, attendees(open, agencyB, 1, 600), () => PLANTED);
  const after = [...await reportObservations(reviewer), ...await summaryObservations(reviewer)];

  for (const [role, obs] of Object.entries(seen)) {
    assert.deepEqual(recovered(obs), [], `${role} recovers a planted form`);
  }
  assert.deepEqual(recovered([...seen.reviewer, ...after]), [], 'before and after a new form');
  // No figure moved for one new form.
  assert.deepEqual(after.map((o) => [o.label, o.n]).filter(([l]) => !l.includes(`summary of ${open}`)),
    seen.reviewer.map((o) => [o.label, o.n]));

  // Answers keep no time finer than their session.
  assert.deepEqual(sql(`SELECT count(*) FROM evaluations e JOIN sessions s ON s.id = e.session_id
                         WHERE e.session_id IN (${[...sessions, open].join(', ')})
                           AND e.submitted_at <> s.starts_at`), [['0']]);
});

test('control: with the release rule broken, the same attack finds the lone form', async () => {
  // report_forms() as it was before disclosure control: every form shown.
  const sig = "'report_forms(date,date,bigint,text,bigint,text,text,text,text[],bigint)'::regprocedure";
  const [[def]] = sql(`SELECT pg_get_functiondef(${sig})`);
  const broken = def.replace(/e\.step IS NOT NULL AND count\(\*\)[\s\S]*?>= 5/, 'true');
  assert.notEqual(broken, def);
  // A change the kept answers see, so that reports are gathered afresh.
  const touch = () => sql(`UPDATE sessions SET capacity = capacity WHERE id = ${sessions[0]}`);
  sql(broken);
  touch();
  try {
    const found = recovered(await reportObservations(reviewer));
    assert.ok(found.length > 0, 'a broken mechanism must let the attack through');
  } finally {
    sql(def);
    touch();
  }
});
