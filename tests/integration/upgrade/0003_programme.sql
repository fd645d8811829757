-- Seed data for the upgrade test at schema versions 3 and 4 (after
-- 0002_people.sql): courses with levels and topics, past and future
-- sessions with trainers, bookings in each state, and training records
-- from bookings and imported. Written against migration 0003's schema.
INSERT INTO courses (code, title, summary, format, duration_minutes, multi_agency, published) VALUES
	('SEED-INTRO', 'Seed introduction to safeguarding', 'Basics.', 'full_day', 390, true, true),
	('SEED-DSL', 'Seed DSL refresher', 'For DSLs.', 'half_day', 180, false, true),
	('SEED-DRAFT', 'Seed course not yet published', '', 'twilight', 120, true, false);

INSERT INTO course_group_levels (course_id, group_level_id)
SELECT c.id, g.id FROM courses c JOIN group_levels g
    ON (c.code = 'SEED-INTRO' AND g.code IN ('G1', 'G2', 'G3', 'G4', 'G6'))
    OR (c.code = 'SEED-DSL' AND g.code = 'G5')
    OR (c.code = 'SEED-DRAFT' AND g.code = 'G2');

INSERT INTO course_topics (course_id, topic_id)
SELECT c.id, t.id FROM courses c JOIN topics t
    ON (c.code = 'SEED-INTRO' AND t.code IN ('child_protection', 'neglect'))
    OR (c.code = 'SEED-DSL' AND t.code = 'dsl_role');

INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,
    booking_opens_at, booking_closes_at, status, cancel_reason)
SELECT c.id, s.starts_at, s.ends_at, s.venue, s.capacity, s.starts_at - interval '60 days',
       s.starts_at - interval '1 day', s.status, s.reason
  FROM (VALUES
	('SEED-INTRO', timestamptz '2016-02-10 09:30+00', timestamptz '2016-02-10 16:00+00', 'Town hall', 2, 'scheduled', NULL),
	('SEED-DSL', timestamptz '2016-03-15 13:00+00', timestamptz '2016-03-15 16:00+00', 'Seed Primary School', 10, 'scheduled', NULL),
	('SEED-INTRO', timestamptz '2036-01-20 09:30+00', timestamptz '2036-01-20 16:00+00', 'Town hall', 1, 'scheduled', NULL),
	('SEED-DSL', timestamptz '2036-02-20 13:00+00', timestamptz '2036-02-20 16:00+00', 'Library', 5, 'cancelled', 'Trainer unwell')
  ) AS s (code, starts_at, ends_at, venue, capacity, status, reason)
  JOIN courses c ON c.code = s.code;

INSERT INTO session_trainers (session_id, person_id)
SELECT s.id, p.id FROM sessions s, people p WHERE p.email = 'fay.seed@example.org';

-- Past sessions: attended, partial, no-show, late cancellation; the
-- future one: a confirmed place, a waitlisted one, a cancellation.
INSERT INTO bookings (session_id, person_id, status, waitlist_position,
    booked_at, confirmed_at, cancelled_at, attendance_at, idempotency_key, ics_sequence)
SELECT s.id, p.id, b.status, b.pos, s.starts_at - interval '30 days',
       CASE WHEN b.status <> 'waitlisted' THEN s.starts_at - interval '30 days' END,
       CASE WHEN b.status LIKE '%cancelled' THEN s.starts_at - interval '1 day' END,
       CASE WHEN b.status IN ('attended', 'partial', 'no_show') THEN s.ends_at END,
       b.ikey, b.seq
  FROM (VALUES
	('SEED-INTRO', 2016, 'ada.seed@example.org', 'attended', NULL::int, 'seed-key-1', 0),
	('SEED-INTRO', 2016, 'cat.seed@example.org', 'partial', NULL, NULL, 0),
	('SEED-INTRO', 2016, 'dan.seed@example.org', 'late_cancelled', NULL, NULL, 1),
	('SEED-DSL', 2016, 'ben.seed@example.org', 'attended', NULL, NULL, 0),
	('SEED-DSL', 2016, 'cat.seed@example.org', 'no_show', NULL, NULL, 0),
	('SEED-INTRO', 2036, 'cat.seed@example.org', 'confirmed', NULL, 'seed-key-2', 0),
	('SEED-INTRO', 2036, 'ada.seed@example.org', 'waitlisted', 1, NULL, 0),
	('SEED-INTRO', 2036, 'dan.seed@example.org', 'cancelled', NULL, NULL, 1),
	('SEED-DSL', 2036, 'ben.seed@example.org', 'board_cancelled', NULL, NULL, 1)
  ) AS b (code, year, email, status, pos, ikey, seq)
  JOIN courses c ON c.code = b.code
  JOIN sessions s ON s.course_id = c.id AND extract(year FROM s.starts_at) = b.year
  JOIN people p ON p.email = b.email;

UPDATE sessions s SET confirmed_count = n.confirmed, waitlist_count = n.waitlisted,
       waitlist_next = n.waitlisted + 1
  FROM (SELECT session_id, count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
               count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
          FROM bookings GROUP BY session_id) n
 WHERE n.session_id = s.id;

INSERT INTO training_records (person_id, group_level_id, completed_on, title, provider, source, booking_id)
SELECT b.person_id, p.group_level_id, (s.starts_at AT TIME ZONE 'Europe/London')::date,
       c.title, 'The partnership', 'booking', b.id
  FROM bookings b JOIN sessions s ON s.id = b.session_id
  JOIN courses c ON c.id = s.course_id JOIN people p ON p.id = b.person_id
 WHERE b.status = 'attended';

INSERT INTO training_records (person_id, group_level_id, completed_on, title, provider, source)
SELECT p.id, p.group_level_id, date '2015-11-02', 'Whole-school safeguarding', 'Seed Primary School', 'import'
  FROM people p WHERE p.email IN ('ben.seed@example.org', 'cat.seed@example.org');
