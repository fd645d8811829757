// A known attendance history for the report tests: agencies of an area
// of their own (so that the demo data and other tests stay out of the
// figures), and a CSV of the import's shape built from a seeded stream.
import { sql } from './http.mjs';

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
