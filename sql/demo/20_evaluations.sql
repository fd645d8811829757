-- Demo data of the four-stage evaluations, after
-- 10_programme.sql (which writes the same-day forms, follow-ups and
-- managers' answers of the past sessions): baselines before the course,
-- follow-ups due PORTAL_FOLLOWUP_DAYS (90) days after the session ended,
-- walk-ins, and for the demo accounts a session that ended yesterday
-- (trainer@ sees its feedback; practitioner@ has its evaluation to do),
-- one whose follow-up is open, and an upcoming place with its baseline
-- to answer. Deterministic: setseed, as 10_programme.sql. No mail: the
-- invitations' trigger stays silent while the demo loads.

SELECT setseed(0.1010);

-- Follow-ups fall due 90 days after the session ended (10_programme.sql
-- takes three months from the start).
UPDATE followups f
   SET due_on = (s.ends_at AT TIME ZONE 'Europe/London')::date + 90,
       asked_at = ((s.ends_at AT TIME ZONE 'Europe/London')::date + 90)
           AT TIME ZONE 'Europe/London'
  FROM bookings b JOIN sessions s ON s.id = b.session_id
 WHERE b.id = f.booking_id;

-- Walk-ins: about one attended place in forty was never booked.
UPDATE bookings SET walk_in = true, confirmed_at = NULL
 WHERE status = 'attended' AND id % 41 = 7;

-- Baselines: about half of those who had a confirmed place answered
-- before the course, a little below their retrospective "before".
INSERT INTO baselines (booking_id, session_id, knowledge, confidence, hopes,
                       submitted_at)
SELECT b.id, b.session_id,
       greatest(1, least(10, coalesce(e.knowledge_before, 5) + x.k)),
       greatest(1, least(10, coalesce(e.confidence_before, 5) + x.c)),
       CASE WHEN x.h < 0.3 THEN (ARRAY['How to make a good referral.',
            'Recognising the signs earlier.', 'Who to talk to in other agencies.',
            'What the thresholds mean in practice.'])[1 + floor(x.h * 13)::int] END,
       b.confirmed_at + (s.starts_at - b.confirmed_at) * x.h
  FROM bookings b JOIN sessions s ON s.id = b.session_id
  JOIN courses c ON c.id = s.course_id AND c.evaluation_baseline
  LEFT JOIN evaluations e ON e.booking_id = b.id,
       LATERAL (SELECT random() AS r, floor(random() * 3)::int - 1 AS k,
                       floor(random() * 3)::int - 1 AS c, random() AS h
                 WHERE b.id > 0) x
 WHERE b.status IN ('attended', 'partial', 'no_show')
   AND b.confirmed_at IS NOT NULL AND s.starts_at < now() AND x.r < 0.5
 ORDER BY b.id;

-- Recent sessions for the demo accounts: one that ended yesterday, one
-- whose follow-up fell due this week; trained by trainer@.
CREATE TEMP TABLE demo_recent (n int, session_id bigint) ON COMMIT DROP;
WITH v (n, code, days) AS (VALUES (1, 'SG3-NEG', 1), (2, 'SG3-CSE', 93)),
     s AS (
	INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,
	                      booking_opens_at, booking_closes_at, created_at)
	SELECT c.id, t.t0, t.t0 + make_interval(mins => c.duration_minutes),
	       'Hackney Service Centre', 24, t.t0 - interval '60 days',
	       t.t0 - interval '1 day', t.t0 - interval '70 days'
	  FROM v JOIN courses c ON c.code = v.code,
	       LATERAL (SELECT ((CURRENT_DATE - v.days) + time '09:30')
	                    AT TIME ZONE 'Europe/London' AS t0) t
	 ORDER BY v.n
	RETURNING id, course_id)
INSERT INTO demo_recent (n, session_id)
SELECT v.n, s.id FROM s JOIN courses c ON c.id = s.course_id
  JOIN v ON v.code = c.code;

INSERT INTO session_trainers (session_id, person_id)
SELECT r.session_id, p.id FROM demo_recent r, people p
 WHERE p.email = 'trainer@demo.example';

-- Twenty people attended each (two in part, one a walk-in), and the
-- demo practitioner.
INSERT INTO bookings (session_id, person_id, status, booked_at, confirmed_at,
                      attendance_at, walk_in)
SELECT r.session_id, p.id,
       CASE WHEN g <= 2 THEN 'partial' ELSE 'attended' END,
       s.starts_at - interval '20 days',
       CASE WHEN g <> 3 THEN s.starts_at - interval '20 days' END,
       s.ends_at, g = 3
  FROM demo_recent r JOIN sessions s ON s.id = r.session_id,
       generate_series(1, 20) g,
       LATERAL (SELECT id FROM people WHERE email LIKE '%@agency%'
                ORDER BY id OFFSET (r.n * 500 + g * 37) LIMIT 1) p
 ORDER BY r.session_id, g;

INSERT INTO bookings (session_id, person_id, status, booked_at, confirmed_at,
                      attendance_at)
SELECT r.session_id, p.id, 'attended', s.starts_at - interval '20 days',
       s.starts_at - interval '20 days', s.ends_at
  FROM demo_recent r JOIN sessions s ON s.id = r.session_id, people p
 WHERE p.email = 'practitioner@demo.example'
 ORDER BY r.session_id;

INSERT INTO training_records (person_id, group_level_id, completed_on, title,
                              provider, source, booking_id)
SELECT b.person_id,
       (SELECT x.group_level_id FROM course_group_levels x
          JOIN group_levels l ON l.id = x.group_level_id
         WHERE x.course_id = c.id ORDER BY l.rank DESC LIMIT 1),
       (s.starts_at AT TIME ZONE 'Europe/London')::date, c.title,
       'Safeguarding Children Partnership', 'booking', b.id
  FROM demo_recent r JOIN bookings b ON b.session_id = r.session_id
  JOIN sessions s ON s.id = b.session_id JOIN courses c ON c.id = s.course_id
 ORDER BY b.id;

-- Their same-day forms: eleven online, five on paper; the practitioner's
-- is still to do on yesterday's session.
INSERT INTO evaluations (session_id, booking_id, source, rating_content,
                         rating_delivery, rating_venue, rating_trainer,
                         rating_overall, knowledge_before, knowledge_after,
                         confidence_before, confidence_after, outcomes_met,
                         improve_safeguarding, action, comments, submitted_at,
                         entered_by)
SELECT b.session_id, CASE WHEN k > 11 THEN NULL ELSE b.id END,
       CASE WHEN k > 11 THEN 'paper' ELSE 'online' END,
       3 + k % 3, 4 + k % 2, 2 + k % 4, 4 + (k + 1) % 2, 3 + (k * 7) % 3,
       2 + k % 5, least(10, 5 + k % 5 + k % 2), 3 + k % 4,
       least(10, 5 + (k * 3) % 5),
       (ARRAY['yes', 'yes', 'yes', 'partly', 'yes', 'no'])[1 + k % 6],
       (ARRAY['yes', 'yes', 'unsure', 'yes', 'yes', 'yes', 'no'])[1 + k % 7],
       CASE WHEN k % 3 = 0 THEN (ARRAY['Use the neglect toolkit with a family I am worried about.',
            'Share the escalation policy with my team.',
            'Check chronologies in my cases.'])[1 + (k / 3) % 3] END,
       CASE WHEN k % 4 = 1 THEN (ARRAY['Very practical, with real case studies.',
            'The room was too cold.', 'More time for discussion, please.',
            'The trainer knew the local procedures well.'])[1 + (k / 4) % 4] END,
       s.ends_at + interval '3 hours',
       CASE WHEN k > 11 THEN (SELECT id FROM people
                              WHERE email = 'trainer@demo.example') END
  FROM (SELECT b.*, row_number() OVER (PARTITION BY b.session_id ORDER BY b.id) AS k
          FROM demo_recent r JOIN bookings b ON b.session_id = r.session_id
          JOIN people p ON p.id = b.person_id
         WHERE p.email NOT LIKE '%@demo.example') b
  JOIN sessions s ON s.id = b.session_id
 WHERE b.k <= 16
 ORDER BY b.session_id, b.k;

-- The older session's follow-ups fell due three days ago: seven answered,
-- the practitioner's is open; managers asked where known.
INSERT INTO followups (booking_id, due_on, asked_at, applied, example,
                       confidence_now, changed_information_sharing,
                       changed_joint_working, changed_referrals, completed_at)
SELECT b.id, due, due::timestamp AT TIME ZONE 'Europe/London',
       CASE WHEN k <= 7 THEN CASE WHEN k % 4 = 0 THEN 'no' ELSE 'yes' END END,
       CASE WHEN k <= 7 AND k % 2 = 1 THEN 'Made a joint visit with the school nurse.' END,
       CASE WHEN k <= 7 THEN 5 + k % 4 END,
       CASE WHEN k <= 7 THEN k % 2 = 1 END, CASE WHEN k <= 7 THEN k % 3 = 0 END,
       CASE WHEN k <= 7 THEN k % 5 = 2 END,
       CASE WHEN k <= 7 THEN now() - interval '1 day' END
  FROM (SELECT b.*, row_number() OVER (ORDER BY b.id) AS k,
               (s.ends_at AT TIME ZONE 'Europe/London')::date + 90 AS due
          FROM demo_recent r JOIN bookings b ON b.session_id = r.session_id
          JOIN sessions s ON s.id = b.session_id
         WHERE r.n = 2) b
 ORDER BY b.id;

INSERT INTO manager_reviews (booking_id, manager_email, asked_at, expires_at,
                             answered_at, changed_practice, evidence)
SELECT b.id, p.manager_email, now() - interval '3 days',
       now() + interval '27 days',
       CASE WHEN b.id % 3 = 0 THEN now() - interval '1 day' END,
       CASE WHEN b.id % 3 = 0 THEN 'yes' END,
       CASE WHEN b.id % 3 = 0 THEN 'Discussed in supervision: clearer referrals.' END
  FROM demo_recent r JOIN bookings b ON b.session_id = r.session_id
  JOIN people p ON p.id = b.person_id
 WHERE r.n = 2 AND p.manager_email IS NOT NULL
 ORDER BY b.id;

-- The demo practitioner's upcoming place, with its baseline to answer.
WITH s AS (
	SELECT s.id FROM sessions s
	 WHERE s.starts_at > now() + interval '10 days'
	   AND s.confirmed_count < s.capacity AND s.status = 'scheduled'
	   AND NOT EXISTS (SELECT 1 FROM bookings b JOIN people p
	                     ON p.id = b.person_id
	                    WHERE b.session_id = s.id
	                      AND p.email = 'practitioner@demo.example')
	 ORDER BY s.starts_at, s.id LIMIT 1),
     b AS (
	INSERT INTO bookings (session_id, person_id, status, booked_at,
	                      confirmed_at)
	SELECT s.id, p.id, 'confirmed', now() - interval '2 days',
	       now() - interval '2 days'
	  FROM s, people p WHERE p.email = 'practitioner@demo.example'
	RETURNING session_id)
UPDATE sessions SET confirmed_count = confirmed_count + 1
 WHERE id IN (SELECT session_id FROM b);

-- Every paper form belongs to a batch: who typed it in, how many forms.
WITH b AS (
	INSERT INTO evaluation_uploads (session_id, forms, uploaded_by, typed,
	                                uploaded_at)
	SELECT e.session_id, count(*), e.entered_by, true, min(s.ends_at)
	  FROM evaluations e JOIN sessions s ON s.id = e.session_id
	 WHERE e.source = 'paper' AND e.upload_id IS NULL
	 GROUP BY e.session_id, e.entered_by
	RETURNING id, session_id, uploaded_by)
UPDATE evaluations e SET upload_id = b.id
  FROM b
 WHERE e.source = 'paper' AND e.upload_id IS NULL
   AND e.session_id = b.session_id
   AND e.entered_by IS NOT DISTINCT FROM b.uploaded_by;
