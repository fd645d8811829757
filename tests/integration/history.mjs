// A known attendance history for the report tests: agencies of an area
// of their own (so that the demo data and other tests stay out of the
// figures), and a CSV of the import's shape built from a seeded stream.
import assert from 'node:assert/strict';
import { sql, as } from './http.mjs';

export const HEADER = 'session_date,course_code,course_title,format,group_level,agency,full_name,email,status';

// Make `n` agencies in a new area; returns {area, agencies: [{id, name, sector}]}.
export function makeArea(tag, sectors = ['health', 'police', 'education']) {
  const area = `Testshire ${tag} ${process.pid}`;
  const agencies = sectors.map((sector, i) => {
    const name = `${tag} ${process.pid} agency ${i + 1}`;
    const [[id]] = sql(`WITH a AS (INSERT INTO agencies (name, sector, area)
      VALUES ('${name}', '${sector}', '${area}') RETURNING id) SELECT id FROM a`);
    return { id: Number(id), name, sector };
  });
  return { area, agencies };
}

// A seeded stream (mulberry32), so that a failing run can be repeated.
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Rows of a history over financial years `years` (start years), as
// objects of the CSV's columns; `trend` rows more places a year per agency.
export function historyRows({ tag, agencies, years, seed = 7, courses = 3, perYear = 20, trend = [] }) {
  const rnd = random(seed);
  const formats = ['full_day', 'seminar', 'half_day'];
  const statuses = ['attended', 'attended', 'attended', 'attended', 'partial', 'no_show', 'cancelled', 'late_cancelled'];
  const rows = [];
  const code = (c) => `H${process.pid % 100000}-${tag}${c}`.toUpperCase().slice(0, 20);
  years.forEach((y, yi) => {
    agencies.forEach((a, ai) => {
      const n = perYear + (trend[ai] ?? 0) * yi + Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) {
        const c = Math.floor(rnd() * courses);
        const month = 4 + Math.floor(rnd() * 12);
        const date = `${month > 12 ? y + 1 : y}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-${String(1 + c * 7 + Math.floor(rnd() * 3)).padStart(2, '0')}`;
        const p = Math.floor(rnd() * 40);
        rows.push({
          session_date: date, course_code: code(c), course_title: `Test course ${tag} ${c}`,
          format: formats[c % formats.length], group_level: `G${1 + (c % 5)}`, agency: a.name,
          full_name: `Person ${ai}-${p}`, email: `p${ai}-${p}.${tag}.${process.pid}@history.example`.toLowerCase(),
          status: statuses[Math.floor(rnd() * statuses.length)],
        });
      }
    });
  });
  return rows;
}

export function toCsv(rows) {
  const cols = HEADER.split(',');
  return [HEADER, ...rows.map((r) => cols.map((c) => r[c]).join(','))].join('\r\n') + '\r\n';
}

// Send a history as `session` and wait for its import (run off the
// request path: POST answers 202 with a job to poll). The answer is put
// as the import's outcome: 200 with what was made, 422 with the rows or
// names refused (the job's result as the error's fields), 503 when it
// failed; anything but a 202 to the POST is returned as it came. The
// job's last state is in `job`, every state polled in `seen`.
export async function importHistory(session, body, headers = {}, { timeout = 180000 } = {}) {
  const sent = await as(session, '/api/v1/imports/attendance', {
    method: 'POST', headers: { 'content-type': 'text/csv', ...headers }, body });
  if (sent.status !== 202) return sent;
  assert.equal(sent.headers.get('location'), sent.json.location);
  const seen = [sent.json];
  const deadline = Date.now() + timeout;
  for (;;) {
    const res = await as(session, sent.json.location);
    assert.equal(res.status, 200, res.text);
    seen.push(res.json);
    if (res.json.status !== 'running') {
      const job = res.json;
      if (job.status === 'done') return { ...res, json: job.result, text: JSON.stringify(job.result), job, seen };
      const error = { code: job.status === 'refused' ? 'invalid' : 'import_failed',
        message: job.status === 'refused' ? 'The history has problems: nothing was imported.' : job.result.message,
        fields: job.status === 'refused' ? job.result : {} };
      return { ...res, status: job.status === 'refused' ? 422 : 503, json: { error }, text: JSON.stringify({ error }),
        job, seen };
    }
    assert.ok(Date.now() < deadline, `the import ${sent.json.location} did not end in ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
