// Helpers of the evaluation tests: sessions made through the API and
// moved in time with SQL, and attended places.
import assert from 'node:assert/strict';
import { sql, as } from './http.mjs';

export const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
export const DAY = 86400e3;

// A session of `code` starting `days` from now (negative: past), trained
// by the demo trainer; returns its id.
export async function newSession(coordinator, trainer, { days = 10, code = 'SG3-DA', capacity = 30 } = {}) {
  const [[course]] = sql(`SELECT id FROM courses WHERE code = '${code}'`);
  const start = Date.now() + Math.abs(days) * DAY;
  const s = await as(coordinator, '/api/v1/sessions', { method: 'POST', body: {
    course_id: Number(course), venue: 'Hackney Service Centre', capacity,
    starts_at: iso(start), ends_at: iso(start + 3 * 3600e3),
    trainer_ids: [trainer.account.person_id] } });
  assert.equal(s.status, 201, s.text);
  if (days < 0) move(s.json.id, days);
  return s.json.id;
}

// Move session `id` to start `days` from now (3 hours long).
export function move(id, days) {
  sql(`UPDATE sessions SET starts_at = now() + interval '${days} days',
         ends_at = now() + interval '${days} days 3 hours',
         booking_opens_at = now() + interval '${days - 60} days',
         booking_closes_at = now() + interval '${days} days' WHERE id = ${id}`);
}

// `n` attended places on session `id` for people of the demo data.
export function attend(id, n, offset = 0) {
  sql(`INSERT INTO bookings (session_id, person_id, status, confirmed_at, attendance_at)
       SELECT ${id}, p.id, 'attended', now() - interval '1 day', now()
         FROM people p WHERE p.email LIKE '%@agency%' ORDER BY p.id OFFSET ${offset} LIMIT ${n}`);
}


// The five ratings an online same-day form needs.
export const RATED = { rating_content: 4, rating_delivery: 4, rating_venue: 3, rating_trainer: 5, rating_overall: 4 };

// Close session `id`'s same-day window (its end 20 days ago) and release
// its forms, as the scheduled loop does once a window has closed.
export function closeWindow(id) {
  move(id, -20);
  sql(`SELECT evaluation_release(${id})`);
}
