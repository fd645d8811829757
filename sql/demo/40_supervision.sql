-- Demo data of DSL group supervision: a facilitator's account, four
-- groups of schools' DSLs since September 2014 and a pilot group that
-- closed, members who join and leave, and a meeting in most school terms
-- up to today (a term missed here and there), each with attendance for
-- every member. Demo meetings carry no case notes: notes are sealed with
-- the key of the running portal, which the demo data cannot know, so
-- only meetings recorded through the portal have them.

-- The facilitator: an educational psychologist with an account.
INSERT INTO people (agency_id, full_name, email, job_title, group_level_id)
SELECT (SELECT min(id) FROM agencies WHERE name LIKE 'Hackney Learning Trust%'),
       'Fola Facilitator', 'facilitator@demo.example',
       'Educational psychologist',
       (SELECT l.id FROM group_levels l JOIN group_schemes s
            ON s.id = l.scheme_id AND s.is_default WHERE l.code = 'G5');
INSERT INTO accounts (person_id, password_hash, created_at)
SELECT p.id, d.pw, timestamptz '2014-07-01'
  FROM people p, demo_scale d WHERE p.email = 'facilitator@demo.example';
INSERT INTO account_roles (person_id, role)
SELECT id, 'practitioner' FROM people WHERE email = 'facilitator@demo.example';

CREATE TEMP TABLE demo_sup_group ON COMMIT DROP AS
SELECT row_number() OVER () AS n, * FROM (VALUES
	('Primary DSLs: north', 'primary', 'Educational Psychology Service', true, NULL::date),
	('Primary DSLs: south', 'primary', 'Educational Psychology Service', true, NULL),
	('Secondary and alternative provision DSLs', 'secondary', 'CAMHS schools team', false, NULL),
	('Early years and special schools DSLs', 'mixed', 'Educational Psychology Service', true, NULL),
	('Pilot group 2014', 'mixed', 'Educational Psychology Service', true, date '2014-09-01')
) AS g (name, kind, facilitator, has_account, closed_on);

INSERT INTO supervision_groups (name, kind, facilitator, facilitator_person_id,
                                active, closed_on, created_at)
SELECT g.name, g.kind, g.facilitator,
       CASE WHEN g.has_account THEN (SELECT id FROM people
             WHERE email = 'facilitator@demo.example') END,
       g.closed_on IS NULL, g.closed_on,
       CASE WHEN g.closed_on IS NULL THEN timestamptz '2014-07-01'
            ELSE timestamptz '2014-05-01' END
  FROM demo_sup_group g ORDER BY g.n;

-- Members: most schools' DSLs, by phase; some join late, some leave,
-- about one in eight is in no group. The demo lead is in the north group.
CREATE TEMP TABLE demo_sup_dsl ON COMMIT DROP AS
SELECT p.id AS person_id, a.phase, p.email, random() AS r1, random() AS r2,
       row_number() OVER (ORDER BY p.id) AS k
  FROM people p JOIN agencies a ON a.id = p.agency_id
 WHERE p.is_dsl AND p.active
 ORDER BY p.id;

INSERT INTO supervision_members (group_id, person_id, joined_on, left_on)
SELECT sg.id, d.person_id,
       CASE WHEN d.email = 'lead@demo.example' THEN date '2014-09-01'
            WHEN d.r2 < 0.2 THEN date '2016-01-04'
            ELSE date '2014-09-01' END,
       CASE WHEN d.email IS DISTINCT FROM 'lead@demo.example'
             AND d.r2 > 0.93 THEN date '2017-07-21' END
  FROM demo_sup_dsl d
  JOIN demo_sup_group g ON g.n = CASE
        WHEN d.email = 'lead@demo.example' THEN 1
        WHEN d.phase = 'primary' THEN 1 + d.k % 2
        WHEN d.phase IN ('secondary', 'pru') THEN 3
        ELSE 4 END
  JOIN supervision_groups sg ON sg.name = g.name
 WHERE d.email = 'lead@demo.example' OR d.r1 > 0.12
 ORDER BY sg.id, d.person_id;

-- The pilot group: a few DSLs for a year, before the groups began.
INSERT INTO supervision_members (group_id, person_id, joined_on, left_on)
SELECT sg.id, d.person_id, date '2014-06-02', date '2014-09-01'
  FROM demo_sup_dsl d, supervision_groups sg
 WHERE sg.name = 'Pilot group 2014' AND d.k % 9 = 0;

-- Meetings: one a term for each group, on a weekday near the middle of
-- the term, sometimes two, sometimes none; up to yesterday.
CREATE TEMP TABLE demo_sup_meeting ON COMMIT DROP AS
SELECT sg.id AS group_id, x.day, g.n
  FROM demo_sup_group g JOIN supervision_groups sg ON sg.name = g.name,
       LATERAL (SELECT (t.base + (g.n * 3 + floor(random() * 9))::int) AS day,
                       random() AS skip, random() AS extra
                  FROM generate_series(2013, extract(year FROM current_date)::int) y,
                       LATERAL (VALUES (make_date(y, 10, 6)),
                                       (make_date(y + 1, 2, 2)),
                                       (make_date(y + 1, 6, 8))) t (base)) m,
       LATERAL (SELECT m.day + CASE extract(isodow FROM m.day)::int
                        WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS day
                 UNION ALL
                SELECT m.day + 42 + CASE extract(isodow FROM m.day + 42)::int
                        WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
                 WHERE m.extra < 0.12) x
 WHERE m.skip > 0.1
   AND x.day >= (sg.created_at AT TIME ZONE 'Europe/London')::date
   AND (sg.closed_on IS NULL OR x.day < sg.closed_on)
   AND x.day < current_date;

INSERT INTO supervision_sessions (group_id, held_on, duration_minutes,
    facilitator, topics, specific_topic, cases_discussed, actions, next_date,
    recorded_by, created_at, reminded_at)
SELECT m.group_id, m.day, (ARRAY[90, 120, 120, 150])[1 + floor(random() * 4)::int],
       g.facilitator,
       t.topics,
       CASE WHEN 'specific_topic' = ANY (t.topics) THEN
            (ARRAY['Attendance and children missing education',
                   'Peer-on-peer abuse', 'Online safety and sexting',
                   'Working with early help', 'Prevent referrals',
                   'Escalation when a referral is not accepted'])
            [1 + floor(random() * 6)::int] END,
       floor(random() * 6)::int,
       (ARRAY['Share the escalation policy with the deputy DSLs.',
              'Bring a case of neglect to the next meeting.',
              'Check the staff list for training that lapses this year.',
              'Read the latest serious case review summary.'])
            [1 + floor(random() * 4)::int],
       coalesce(lead(m.day) OVER w, CASE WHEN g.active THEN
            greatest(m.day + 84, current_date + 10 + m.n::int * 6) END),
       (SELECT id FROM people WHERE email = 'facilitator@demo.example'),
       (m.day + time '17:00') AT TIME ZONE 'Europe/London',
       CASE WHEN lead(m.day) OVER w IS NOT NULL THEN
            (lead(m.day) OVER w - 5 + time '08:00') AT TIME ZONE 'Europe/London' END
  FROM demo_sup_meeting m JOIN supervision_groups g ON g.id = m.group_id,
       LATERAL (SELECT array_agg(c ORDER BY c) AS topics
                  FROM unnest(ARRAY['practice_dilemmas', 'specific_topic',
                       'child_protection_cases', 'case_review_learning',
                       'wellbeing']) c
                 WHERE random() < 0.55 OR c = 'practice_dilemmas') t
WINDOW w AS (PARTITION BY m.group_id ORDER BY m.day)
 ORDER BY m.group_id, m.day;

-- Attendance of every member on the day: mostly present.
INSERT INTO supervision_attendance (session_id, person_id, status)
SELECT s.id, mm.person_id,
       CASE WHEN r < 0.78 THEN 'present' WHEN r < 0.93 THEN 'apologies'
            ELSE 'absent' END
  FROM supervision_sessions s,
       LATERAL (SELECT DISTINCT m.person_id, random() AS r
                  FROM supervision_members m
                 WHERE m.group_id = s.group_id AND m.joined_on <= s.held_on
                   AND (m.left_on IS NULL OR s.held_on < m.left_on)) mm
 ORDER BY s.id, mm.person_id;
