-- Demo data: a deterministic generator for a realistic partnership
-- (London borough, 2013/14 to 2016/17), run once by `portalctl load-demo`
-- on an empty database, first of the NN_*.sql files of sql/demo, which
-- all run in one transaction. Nothing here is hand-typed
-- rows of people: names, bookings and answers come from a seeded random
-- stream, so the same scale gives the same data.
--
-- Settings read: portal.demo_scale (1 = about 20 agencies, 40 schools and
-- settings, 3,000 people, 40 courses) and portal.demo_password_hash (the
-- Argon2id hash of the demo accounts' password).

SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL synchronous_commit = off;
SELECT setseed(0.2016);

CREATE TEMP TABLE demo_scale ON COMMIT DROP AS
SELECT current_setting('portal.demo_scale')::int AS s,
       current_setting('portal.demo_password_hash') AS pw;

-- Agencies: 20 partner agencies across the sectors, 40 schools and
-- early-years settings, each block repeated per scale unit.
INSERT INTO agencies (name, sector, area, phase)
SELECT a.name || CASE WHEN k > 1 THEN ' (' || k || ')' ELSE '' END,
       a.sector, a.area, NULL
  FROM demo_scale, generate_series(1, s) k, (VALUES
	('Hackney Children and Families Service', 'childrens_social_care', 'Hackney'),
	('City of London Children''s Social Care', 'childrens_social_care', 'City of London'),
	('Hackney Early Help Hub', 'childrens_social_care', 'Hackney'),
	('Homerton University Hospital', 'health', 'Hackney'),
	('East London NHS Foundation Trust', 'health', 'Hackney'),
	('City and Hackney GP Confederation', 'health', 'Hackney'),
	('City and Hackney Public Health', 'health', 'City of London'),
	('Metropolitan Police Central East BCU', 'police', 'Hackney'),
	('City of London Police', 'police', 'City of London'),
	('London Probation Service, Hackney', 'probation', 'Hackney'),
	('Hackney Housing Needs', 'housing', 'Hackney'),
	('City of London Housing', 'housing', 'City of London'),
	('Hackney Youth Justice Service', 'childrens_social_care', 'Hackney'),
	('Hackney CVS', 'voluntary_community', 'Hackney'),
	('Family Action Hackney', 'voluntary_community', 'Hackney'),
	('Young Hackney Youth Hubs', 'voluntary_community', 'Hackney'),
	('Shoreditch Trust', 'voluntary_community', 'Hackney'),
	('North London Independent Schools Group', 'independent', 'Hackney'),
	('Hackney Faith Forum', 'faith', 'Hackney'),
	('Hackney Learning Trust', 'education', 'Hackney')
  ) AS a (name, sector, area)
 ORDER BY k, a.name;

INSERT INTO agencies (name, sector, area, phase)
SELECT x.name || ' ' || x.kind || CASE WHEN k > 1 THEN ' (' || k || ')' ELSE '' END,
       x.sector, CASE WHEN i % 9 = 0 THEN 'City of London' ELSE 'Hackney' END,
       x.phase
  FROM demo_scale, generate_series(1, s) k,
       (SELECT i, n.name,
               (ARRAY['Primary School', 'Primary School', 'Primary School',
                      'Primary School', 'Academy', 'Secondary School',
                      'Nursery School', 'Children''s Centre', 'Special School',
                      'Pupil Referral Unit'])[1 + i % 10] AS kind,
               (ARRAY['education', 'education', 'education', 'education',
                      'education', 'education', 'early_years', 'early_years',
                      'education', 'education'])[1 + i % 10] AS sector,
               (ARRAY['primary', 'primary', 'primary', 'primary', 'secondary',
                      'secondary', 'nursery', 'nursery', 'special',
                      'pru'])[1 + i % 10] AS phase
          FROM generate_series(0, 39) i,
               LATERAL (SELECT (ARRAY['Mandeville', 'Orchard', 'Gayhurst',
                 'Sebright', 'Queensbridge', 'Lauriston', 'Holmleigh',
                 'Jubilee', 'Morningside', 'Kingsmead', 'Colvestone',
                 'Grazebrook', 'Millfields', 'Rushmore', 'Shacklewell',
                 'Tyssen', 'Woodberry', 'Sir Thomas Abney', 'Princess May',
                 'Randal Cremer', 'Berger', 'Daubeney', 'Nightingale',
                 'Southwold', 'Baden-Powell', 'Betty Layward', 'Harrington Hill',
                 'Mossbourne', 'Clapton', 'Stoke Newington', 'Haggerston',
                 'Cardinal Pole', 'Bridge', 'Ickburgh', 'Stormont House',
                 'New Regent''s', 'Aldgate', 'Golden Lane', 'Hoxton',
                 'De Beauvoir'])[1 + i] AS name) n) x
 ORDER BY k, x.i;

-- People: about 3,000 a scale unit, more in large agencies; job titles
-- and group levels that fit the sector.
CREATE TEMP TABLE demo_names ON COMMIT DROP AS
SELECT ARRAY['Amara', 'Ben', 'Chloe', 'Daniel', 'Ella', 'Femi', 'Grace',
	'Hassan', 'Isla', 'Jamal', 'Kemi', 'Liam', 'Maya', 'Nadia', 'Omar',
	'Priya', 'Quentin', 'Ruth', 'Samir', 'Tara', 'Usha', 'Victor', 'Wendy',
	'Xavier', 'Yasmin', 'Zoe', 'Aisha', 'Bilal', 'Ciara', 'Deji', 'Esther',
	'Farah', 'George', 'Hannah', 'Ibrahim', 'Joy', 'Kofi', 'Leah', 'Mehmet',
	'Niamh', 'Olu', 'Paul', 'Rosa', 'Sade', 'Tom', 'Umar', 'Vera', 'Will',
	'Ada', 'Bola', 'Chen', 'Dina', 'Emre', 'Fatima', 'Gus', 'Hana', 'Ivan',
	'Jade', 'Kwame', 'Lola'] AS first,
       ARRAY['Adeyemi', 'Begum', 'Campbell', 'Demir', 'Evans', 'Fraser',
	'Gordon', 'Hussain', 'Iqbal', 'Johnson', 'Khan', 'Lewis', 'Mensah',
	'Nowak', 'Okafor', 'Patel', 'Quinn', 'Reid', 'Singh', 'Taylor', 'Uddin',
	'Varga', 'Walker', 'Xu', 'Yilmaz', 'Zahir', 'Ali', 'Brown', 'Clarke',
	'Davies', 'Ekwueme', 'Fernandes', 'Green', 'Harris', 'Ibe', 'James',
	'Kaur', 'Lopez', 'Moore', 'Nguyen', 'Owusu', 'Price', 'Rahman', 'Smith',
	'Thomas', 'Usman', 'Vaughan', 'White', 'Young', 'Asante', 'Bello',
	'Cohen', 'Doherty', 'Edwards', 'Francis', 'Gray', 'Hall', 'Idowu',
	'Jones', 'King'] AS last;

CREATE TEMP TABLE demo_agency ON COMMIT DROP AS
SELECT id, sector, phase, row_number() OVER (ORDER BY id) AS n,
       CASE sector WHEN 'education' THEN 30 WHEN 'early_years' THEN 15
            WHEN 'health' THEN 160 WHEN 'police' THEN 120
            WHEN 'childrens_social_care' THEN 140 ELSE 45 END AS weight
  FROM agencies;

CREATE TEMP TABLE demo_person ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY a.id, g) AS n, a.id AS agency_id,
       a.sector, a.phase, g AS seat, random() AS r1, random() AS r2,
       random() AS r3
  FROM demo_agency a, demo_scale,
       generate_series(1, a.weight) g
 ORDER BY a.id, g;

INSERT INTO people (agency_id, full_name, email, job_title, group_level_id,
                    manager_email, is_dsl, active, created_at)
SELECT p.agency_id,
       nm.first[1 + (p.n * 7) % 60] || ' ' || nm.last[1 + (p.n * 13 + p.n / 60) % 60],
       lower(nm.first[1 + (p.n * 7) % 60] || '.' ||
             nm.last[1 + (p.n * 13 + p.n / 60) % 60]) || '.' || p.n ||
             '@agency' || p.agency_id || '.demo.example',
       CASE WHEN p.sector IN ('education', 'early_years') THEN
                 CASE WHEN p.seat = 1 THEN 'Headteacher'
                      WHEN p.seat = 2 THEN 'Designated Safeguarding Lead'
                      WHEN p.r1 < 0.45 THEN 'Teacher'
                      WHEN p.r1 < 0.75 THEN 'Teaching assistant'
                      WHEN p.r1 < 0.85 THEN 'Early years practitioner'
                      ELSE 'Office staff' END
            WHEN p.sector = 'health' THEN
                 (ARRAY['Health visitor', 'School nurse', 'Midwife', 'GP',
                        'Paediatric nurse', 'Receptionist'])[1 + floor(p.r1 * 6)::int]
            WHEN p.sector = 'police' THEN
                 (ARRAY['Police constable', 'Detective constable',
                        'Sergeant', 'Police staff'])[1 + floor(p.r1 * 4)::int]
            WHEN p.sector = 'childrens_social_care' THEN
                 (ARRAY['Social worker', 'Senior practitioner',
                        'Team manager', 'Family support worker',
                        'Youth worker'])[1 + floor(p.r1 * 5)::int]
            ELSE (ARRAY['Support worker', 'Volunteer coordinator',
                        'Project manager', 'Outreach worker'])[1 + floor(p.r1 * 4)::int]
       END,
       (SELECT l.id FROM group_levels l JOIN group_schemes s
            ON s.id = l.scheme_id AND s.is_default
         WHERE l.rank = CASE
            WHEN p.sector IN ('education', 'early_years') THEN
                 CASE WHEN p.seat <= 2 THEN 5
                      WHEN p.r2 < 0.2 THEN 1 WHEN p.r2 < 0.85 THEN 2 ELSE 3 END
            WHEN p.sector = 'childrens_social_care' THEN
                 CASE WHEN p.r2 < 0.5 THEN 4 WHEN p.r2 < 0.85 THEN 3
                      WHEN p.r2 < 0.95 THEN 6 ELSE 5 END
            WHEN p.sector IN ('health', 'police') THEN
                 CASE WHEN p.r2 < 0.15 THEN 1 WHEN p.r2 < 0.45 THEN 2
                      WHEN p.r2 < 0.8 THEN 3 WHEN p.r2 < 0.93 THEN 4
                      WHEN p.r2 < 0.97 THEN 5 ELSE 6 END
            ELSE CASE WHEN p.r2 < 0.3 THEN 1 WHEN p.r2 < 0.8 THEN 2 ELSE 3 END
         END),
       CASE WHEN p.r3 < 0.85 THEN 'manager.' || p.agency_id || '.' ||
            (p.seat % 7) || '@agency' || p.agency_id || '.demo.example' END,
       p.sector IN ('education', 'early_years') AND p.seat <= 2,
       p.r3 > 0.03,
       timestamptz '2013-04-01' + (p.r1 * interval '1000 days')
  FROM demo_person p, demo_names nm
 ORDER BY p.n;

-- Demo accounts, one a role, and more trainers.
INSERT INTO people (agency_id, full_name, email, job_title, group_level_id,
                    manager_email, is_dsl)
SELECT (SELECT min(id) FROM agencies WHERE sector = v.sector AND
            (v.phase IS NULL OR phase = v.phase)),
       v.name, v.email, v.job, (SELECT l.id FROM group_levels l
            JOIN group_schemes s ON s.id = l.scheme_id AND s.is_default
           WHERE l.code = v.level), v.manager, v.dsl
  FROM (VALUES
	('Chris Coordinator', 'coordinator@demo.example', 'Training coordinator',
	 'childrens_social_care', NULL, 'G6', NULL, false),
	('Rita Reviewer', 'reviewer@demo.example', 'Chair, training sub-group',
	 'health', NULL, 'G6', NULL, false),
	('Tess Trainer', 'trainer@demo.example', 'Safeguarding trainer',
	 'childrens_social_care', NULL, 'G5', NULL, false),
	('Lena Lead', 'lead@demo.example', 'Designated Safeguarding Lead',
	 'education', 'primary', 'G5', 'head.lead@demo.example', true),
	('Pat Practitioner', 'practitioner@demo.example', 'Health visitor',
	 'health', NULL, 'G3', 'manager.pat@demo.example', false)
  ) AS v (name, email, job, sector, phase, level, manager, dsl);

INSERT INTO people (agency_id, full_name, email, job_title, group_level_id, is_dsl)
SELECT (SELECT min(id) FROM agencies WHERE sector = 'childrens_social_care'),
       nm.first[1 + (t * 11) % 60] || ' ' || nm.last[1 + (t * 17) % 60],
       'trainer' || t || '@demo.example', 'Safeguarding trainer',
       (SELECT l.id FROM group_levels l JOIN group_schemes s
            ON s.id = l.scheme_id AND s.is_default WHERE l.code = 'G5'), false
  FROM demo_names nm, demo_scale, generate_series(1, 8 * s) t;

INSERT INTO accounts (person_id, password_hash, created_at)
SELECT p.id, d.pw, timestamptz '2013-04-01'
  FROM people p, demo_scale d
 WHERE p.email LIKE '%@demo.example';

INSERT INTO account_roles (person_id, role, agency_id)
SELECT a.person_id, r.role, CASE WHEN r.role = 'setting_lead' THEN p.agency_id END
  FROM accounts a JOIN people p ON p.id = a.person_id,
       LATERAL (SELECT unnest(ARRAY['practitioner'] ||
         CASE WHEN p.email = 'coordinator@demo.example' THEN ARRAY['coordinator']
              WHEN p.email = 'reviewer@demo.example' THEN ARRAY['reviewer']
              WHEN p.email = 'lead@demo.example' THEN ARRAY['setting_lead']
              WHEN p.email LIKE 'trainer%@demo.example' THEN ARRAY['trainer']
              ELSE ARRAY[]::text[] END) AS role) r;

-- Courses: 40, covering the topics and levels of a multi-agency programme.
CREATE TEMP TABLE demo_course ON COMMIT DROP AS
SELECT row_number() OVER () AS n, * FROM (VALUES
	('SG1-BAS', 'Safeguarding children: the basics', 'e_learning', 120, ARRAY[1,2], ARRAY['child_protection']),
	('SG2-FND', 'Safeguarding children foundation', 'half_day', 210, ARRAY[2], ARRAY['child_protection', 'information_sharing']),
	('SG3-MAW', 'Working together to safeguard children', 'full_day', 390, ARRAY[3], ARRAY['child_protection', 'information_sharing']),
	('SG3-NEG', 'Recognising and responding to neglect', 'full_day', 390, ARRAY[3,4], ARRAY['neglect']),
	('SG3-CSE', 'Child sexual exploitation', 'full_day', 390, ARRAY[3,4], ARRAY['cse', 'online_safety']),
	('SG2-CSE', 'Child sexual exploitation awareness', 'twilight', 120, ARRAY[2], ARRAY['cse']),
	('SG3-FGM', 'Female genital mutilation', 'half_day', 210, ARRAY[2,3], ARRAY['fgm']),
	('SG2-PRV', 'Prevent: WRAP', 'twilight', 90, ARRAY[1,2,3], ARRAY['prevent']),
	('SG3-DA', 'Domestic abuse and its impact on children', 'full_day', 390, ARRAY[3], ARRAY['domestic_abuse']),
	('SG4-DA', 'Domestic abuse: risk assessment and MARAC', 'full_day', 390, ARRAY[4], ARRAY['domestic_abuse']),
	('SG3-ONL', 'Online safety for practitioners', 'half_day', 210, ARRAY[2,3], ARRAY['online_safety']),
	('SG3-TOX', 'Parental mental health and substance misuse', 'full_day', 390, ARRAY[3,4], ARRAY['mental_health', 'substance_misuse', 'domestic_abuse']),
	('SG3-GNG', 'Gangs and serious youth violence', 'full_day', 390, ARRAY[3], ARRAY['gangs']),
	('SG2-EH', 'Early help assessment', 'half_day', 210, ARRAY[2,3], ARRAY['early_help']),
	('SG4-S47', 'Child protection enquiries (section 47)', 'full_day', 390, ARRAY[4], ARRAY['child_protection']),
	('SG4-CPC', 'Child protection conferences and core groups', 'full_day', 390, ARRAY[3,4], ARRAY['child_protection']),
	('SG5-DSL', 'Designated Safeguarding Lead: new to role', 'full_day', 390, ARRAY[5], ARRAY['dsl_role', 'child_protection']),
	('SG5-DSU', 'Designated Safeguarding Lead: update', 'half_day', 210, ARRAY[5], ARRAY['dsl_role']),
	('SG5-NMD', 'Named and designated professionals', 'seminar', 180, ARRAY[5], ARRAY['case_reviews']),
	('SG6-MGR', 'Safeguarding for managers', 'full_day', 390, ARRAY[6], ARRAY['case_reviews', 'information_sharing']),
	('SG6-SRC', 'Safer recruitment', 'full_day', 390, ARRAY[5,6], ARRAY['safer_recruitment']),
	('SG3-SCR', 'Learning from serious case reviews', 'seminar', 180, ARRAY[3,4,5], ARRAY['case_reviews']),
	('SG3-PF', 'Private fostering', 'twilight', 120, ARRAY[2,3], ARRAY['private_fostering']),
	('SG3-DIS', 'Safeguarding disabled children', 'full_day', 390, ARRAY[3], ARRAY['disabled_children']),
	('SG3-HSB', 'Harmful sexual behaviour', 'full_day', 390, ARRAY[3,4], ARRAY['harmful_sexual_behaviour']),
	('SG2-INF', 'Information sharing', 'twilight', 120, ARRAY[2,3], ARRAY['information_sharing']),
	('SG3-NEG2', 'Neglect: the Graded Care Profile', 'full_day', 390, ARRAY[3,4], ARRAY['neglect']),
	('SG2-NEG', 'Neglect awareness', 'twilight', 120, ARRAY[2], ARRAY['neglect']),
	('SG3-FGMX', 'FGM: mandatory reporting', 'twilight', 90, ARRAY[3,4,5], ARRAY['fgm']),
	('SG4-CSE', 'CSE: disruption and MASE', 'full_day', 390, ARRAY[4,5], ARRAY['cse']),
	('SG3-RAD', 'Radicalisation and extremism', 'half_day', 210, ARRAY[3], ARRAY['prevent']),
	('SG1-CON', 'Annual safeguarding conference', 'conference', 360, ARRAY[1,2,3,4,5,6], ARRAY['case_reviews', 'child_protection']),
	('SG3-TEN', 'Adolescent neglect', 'half_day', 210, ARRAY[3], ARRAY['neglect']),
	('SG3-MH', 'Children''s mental health', 'full_day', 390, ARRAY[3], ARRAY['mental_health']),
	('SG2-ONL', 'Online safety awareness', 'e_learning', 60, ARRAY[1,2], ARRAY['online_safety']),
	('SG3-EHA', 'Early help: team around the family', 'full_day', 390, ARRAY[3], ARRAY['early_help']),
	('SG4-ASM', 'Assessment and analysis in child protection', 'full_day', 390, ARRAY[4], ARRAY['child_protection']),
	('SG5-SUP', 'Supervising safeguarding practice', 'full_day', 390, ARRAY[5,6], ARRAY['dsl_role', 'case_reviews']),
	('SG3-DAY', 'Domestic abuse: young people''s relationships', 'half_day', 210, ARRAY[3], ARRAY['domestic_abuse', 'cse']),
	('SG2-SUB', 'Substance misuse awareness', 'twilight', 120, ARRAY[2], ARRAY['substance_misuse'])
) AS c (code, title, format, minutes, ranks, topics);

INSERT INTO courses (code, title, summary, format, duration_minutes,
                     multi_agency, published, created_at)
SELECT code, title,
       CASE format WHEN 'e_learning' THEN 'An e-learning'
                   ELSE 'A ' || replace(format, '_', ' ') END
       || ' course for practitioners at '
       || (SELECT string_agg('Group ' || r, ', ' ORDER BY r) FROM unnest(ranks) r)
       || coalesce('. Topics: ' || (SELECT string_agg(t.name, ', ' ORDER BY t.name)
                    FROM topics t WHERE t.code = ANY (demo_course.topics)), '')
       || '.',
       format, minutes, format <> 'e_learning', true, timestamptz '2013-03-01'
  FROM demo_course ORDER BY n;

INSERT INTO course_group_levels (course_id, group_level_id)
SELECT c.id, l.id
  FROM demo_course d JOIN courses c ON c.code = d.code, unnest(d.ranks) r,
       group_levels l JOIN group_schemes s ON s.id = l.scheme_id AND s.is_default
 WHERE l.rank = r;

INSERT INTO course_topics (course_id, topic_id)
SELECT c.id, t.id
  FROM demo_course d JOIN courses c ON c.code = d.code, unnest(d.topics) tc
  JOIN topics t ON t.code = tc;

-- Sessions: 2013/14 to 2016/17, about three a course a year for each
-- scale unit, on weekdays at 09:30 (twilights at 16:00); and upcoming
-- sessions over the next four months so that the catalogue is bookable.
CREATE TEMP TABLE demo_session ON COMMIT DROP AS
SELECT c.id AS course_id, d.minutes, d.format,
       (date '2013-04-08' + (floor(random() * 1440))::int) AS day,
       15 + floor(random() * 16)::int AS capacity,
       random() AS fill
  FROM courses c JOIN demo_course d ON d.code = c.code, demo_scale,
       generate_series(1, 12 * s) g
 ORDER BY c.id, g;

INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,
                      booking_opens_at, booking_closes_at, cancel_cutoff_hours,
                      created_at)
SELECT course_id, t0, t0 + make_interval(mins => minutes),
       (ARRAY['Hackney Service Centre', 'Hackney Learning Trust, Reading Lane',
              'Guildhall, City of London', 'Homerton University Hospital',
              'Online'])[1 + course_id::int % 5],
       capacity, t0 - interval '90 days', t0 - interval '1 day', 48,
       t0 - interval '100 days'
  FROM (SELECT *, ((day + CASE extract(isodow FROM day)::int
                               WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END)
                  + CASE WHEN format = 'twilight' THEN time '16:00'
                         ELSE time '09:30' END) AT TIME ZONE 'Europe/London' AS t0
          FROM demo_session) x
 WHERE t0 < timestamptz '2017-03-31'
 ORDER BY t0;

INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,
                      booking_opens_at, booking_closes_at, cancel_cutoff_hours)
SELECT c.id, t0, t0 + make_interval(mins => c.duration_minutes),
       (ARRAY['Hackney Service Centre', 'Guildhall, City of London',
              'Online'])[1 + (c.id::int + g) % 3],
       20 + (c.id::int + g) % 11, least(now(), t0 - interval '60 days'),
       t0 - interval '1 day', 48
  FROM courses c, demo_scale, generate_series(1, 2 * s) g,
       LATERAL (SELECT ((CURRENT_DATE + 7 + ((c.id::int * 5 + g * 37) % 110))
                + time '09:30') AT TIME ZONE 'Europe/London' AS t0) t
 ORDER BY c.id, g;

-- Trainers: each session has one or two.
INSERT INTO session_trainers (session_id, person_id)
SELECT s.id, t.person_id
  FROM sessions s,
       LATERAL (SELECT a.person_id FROM account_roles a
                 WHERE a.role = 'trainer'
                 ORDER BY (a.person_id * 31 + s.id * 17) % 97, a.person_id
                 LIMIT 1 + (s.id % 2)::int) t;

-- Bookings of past sessions: filled to 60-100 % with distinct people,
-- what became of them drawn at realistic rates.
CREATE TEMP TABLE demo_people_ids ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id) - 1 AS k, id
  FROM people WHERE email NOT LIKE '%@demo.example';
CREATE UNIQUE INDEX ON demo_people_ids (k);

INSERT INTO bookings (session_id, person_id, status, booked_at, confirmed_at,
                      cancelled_at, attendance_at)
SELECT b.session_id, p.id, b.status, b.booked_at,
       b.booked_at, CASE WHEN b.status LIKE '%cancelled' THEN b.booked_at
            + (b.starts_at - b.booked_at) * CASE WHEN b.status =
              'late_cancelled' THEN 0.99 ELSE 0.5 END END,
       CASE WHEN b.status IN ('attended', 'partial', 'no_show')
            THEN b.ends_at END
  FROM (SELECT s.id AS session_id, s.starts_at, s.ends_at, seat,
               s.starts_at - (interval '1 day' * (2 + floor(random() * 80))) AS booked_at,
               CASE WHEN r < 0.80 THEN 'attended' WHEN r < 0.85 THEN 'partial'
                    WHEN r < 0.93 THEN 'no_show' WHEN r < 0.98 THEN 'cancelled'
                    ELSE 'late_cancelled' END AS status
          FROM sessions s,
               LATERAL (SELECT seat, random() AS r FROM generate_series(1,
                   greatest(1, floor(s.capacity * (0.6 + 0.4 *
                   ((s.id * 7919) % 1000) / 1000.0))::int)) seat) x
         WHERE s.starts_at < now()) b
  JOIN demo_people_ids p
    ON p.k = (b.session_id * 7919 + b.seat * 104729) %
             (SELECT count(*) FROM demo_people_ids)
 ORDER BY b.session_id, b.seat;

-- Upcoming sessions: confirmed places, some sessions full with a
-- waitlist. Nobody is drawn for two sessions at overlapping times (the
-- database refuses two confirmed places at once): of such draws only the
-- earlier session's counts, and the places are numbered without the rest.
CREATE TEMP TABLE demo_draws ON COMMIT DROP AS
SELECT s.id AS session_id, s.capacity, draw, p.id AS person_id,
       tstzrange(s.starts_at, s.ends_at) AS during
  FROM sessions s
 CROSS JOIN LATERAL generate_series(1, CASE WHEN s.id % 5 = 0
           THEN s.capacity + 1 + (s.id % 7)::int
           ELSE floor(s.capacity * ((s.id * 37) % 90) / 100.0)::int
           END) draw
  JOIN demo_people_ids p
    ON p.k = (s.id * 7919 + draw * 104729) %
             (SELECT count(*) FROM demo_people_ids)
 WHERE s.starts_at > now();
CREATE INDEX ON demo_draws (person_id);

INSERT INTO bookings (session_id, person_id, status, waitlist_position,
                      booked_at, confirmed_at, cancelled_at)
SELECT x.session_id, x.person_id,
       CASE WHEN x.seat <= x.capacity THEN 'confirmed' ELSE 'waitlisted' END,
       CASE WHEN x.seat > x.capacity THEN (x.seat - x.capacity)::int END,
       now() - interval '1 minute' * (10000 - x.seat),
       CASE WHEN x.seat <= x.capacity THEN now() - interval '1 minute' * (10000 - x.seat) END,
       NULL
  FROM (SELECT d.session_id, d.capacity, d.person_id,
               row_number() OVER (PARTITION BY d.session_id ORDER BY d.draw) AS seat
          FROM demo_draws d
         WHERE NOT EXISTS (SELECT 1 FROM demo_draws e
                WHERE e.person_id = d.person_id AND e.session_id < d.session_id
                  AND e.during && d.during)) x
 ORDER BY x.session_id, x.seat;

-- The demo practitioner has a place on an upcoming session, and one past.
INSERT INTO bookings (session_id, person_id, status, booked_at, confirmed_at,
                      attendance_at)
SELECT s.id, p.id, 'attended', s.starts_at - interval '30 days',
       s.starts_at - interval '30 days', s.ends_at
  FROM people p, LATERAL (SELECT * FROM sessions WHERE starts_at < now()
                           ORDER BY starts_at DESC LIMIT 1) s
 WHERE p.email = 'practitioner@demo.example';

UPDATE sessions s SET
       confirmed_count = c.confirmed, waitlist_count = c.waitlisted,
       waitlist_next = c.next
  FROM (SELECT session_id,
               count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
               count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted,
               coalesce(max(waitlist_position), 0) + 1 AS next
          FROM bookings GROUP BY session_id) c
 WHERE c.session_id = s.id;

-- Training records: attended and partial bookings, at the highest level
-- the course qualifies for, and in-house training imported by schools.
INSERT INTO training_records (person_id, group_level_id, completed_on, title,
                              provider, source, booking_id)
SELECT b.person_id,
       (SELECT x.group_level_id FROM course_group_levels x
          JOIN group_levels l ON l.id = x.group_level_id
         WHERE x.course_id = c.id ORDER BY l.rank DESC LIMIT 1),
       (s.starts_at AT TIME ZONE 'Europe/London')::date, c.title,
       'Safeguarding Children Partnership', 'booking', b.id
  FROM bookings b JOIN sessions s ON s.id = b.session_id
  JOIN courses c ON c.id = s.course_id
 WHERE b.status IN ('attended', 'partial')
 ORDER BY b.id;

INSERT INTO training_records (person_id, group_level_id, completed_on, title,
                              provider, source)
SELECT p.id, p.group_level_id,
       date '2013-09-02' + 365 * floor(random() * 4)::int + floor(random() * 20)::int,
       'Whole-staff safeguarding training (in-house)', a.name, 'import'
  FROM people p JOIN agencies a ON a.id = p.agency_id
 WHERE a.sector IN ('education', 'early_years') AND p.group_level_id IS NOT NULL
   AND random() < 0.55
 ORDER BY p.id;

-- Same-day evaluations: most attended bookings online, ratings skewed to
-- good, before/after on 1-10 with realistic gains (ties and zero gains
-- common); some anonymous paper forms.
INSERT INTO evaluations (session_id, booking_id, source, rating_content,
                         rating_delivery, rating_venue, rating_trainer,
                         rating_overall, knowledge_before, knowledge_after,
                         confidence_before, confidence_after, outcomes_met,
                         improve_safeguarding, action, comments, submitted_at)
SELECT b.session_id, CASE WHEN e.paper THEN NULL ELSE b.id END,
       CASE WHEN e.paper THEN 'paper' ELSE 'online' END,
       e.r[1], e.r[2], e.r[3], e.r[4], e.r[5],
       e.kb, least(10, e.kb + e.kg), e.cb, least(10, e.cb + e.cg),
       CASE WHEN e.o < 0.78 THEN 'yes' WHEN e.o < 0.96 THEN 'partly' ELSE 'no' END,
       CASE WHEN e.o < 0.85 THEN 'yes' WHEN e.o < 0.97 THEN 'unsure' ELSE 'no' END,
       CASE WHEN e.o < 0.7 THEN (ARRAY['Share the referral pathway with my team.',
            'Use the neglect toolkit in my next assessment.',
            'Check our information sharing agreement.',
            'Talk to our DSL about a current concern.'])[1 + floor(e.o * 5.7)::int] END,
       NULL, b.ends_at + interval '2 hours'
  FROM (SELECT b.*, s.ends_at FROM bookings b JOIN sessions s ON s.id = b.session_id
         WHERE b.status = 'attended' ORDER BY b.id) b,
       LATERAL (SELECT random() < 0.12 AS paper, random() < 0.86 AS answered,
                       ARRAY(SELECT CASE WHEN q < 0.02 THEN 2 WHEN q < 0.12 THEN 3
                                          WHEN q < 0.55 THEN 4 ELSE 5 END
                               FROM (SELECT random() AS q FROM generate_series(1, 5)
                                      WHERE b.id > 0) z) AS r,
                       3 + floor(random() * 5)::int AS kb,
                       floor(random() * random() * 5)::int AS kg,
                       3 + floor(random() * 5)::int AS cb,
                       floor(random() * random() * 5)::int AS cg,
                       random() AS o) e
 WHERE e.answered;

-- Three-month follow-ups: due for every attended booking, answered by
-- about half; line managers asked where known, about a third answer.
INSERT INTO followups (booking_id, due_on, asked_at, applied, example,
                       confidence_now, changed_information_sharing,
                       changed_joint_working, changed_referrals, completed_at)
SELECT b.id, (s.starts_at + interval '3 months')::date,
       s.starts_at + interval '3 months',
       CASE WHEN f.done THEN CASE WHEN f.a < 0.72 THEN 'yes' ELSE 'no' END END,
       CASE WHEN f.done AND f.a < 0.5 THEN 'Used what I learnt in a strategy discussion.' END,
       CASE WHEN f.done THEN least(10, greatest(1, coalesce(e.confidence_after,
            6) - 1 + floor(f.c * 3)::int)) END,
       CASE WHEN f.done THEN f.a < 0.5 END,
       CASE WHEN f.done THEN f.a < 0.35 END,
       CASE WHEN f.done THEN f.a < 0.2 END,
       CASE WHEN f.done THEN s.starts_at + interval '3 months 5 days' END
  FROM bookings b JOIN sessions s ON s.id = b.session_id
  LEFT JOIN evaluations e ON e.booking_id = b.id,
       LATERAL (SELECT random() < 0.48 AS done, random() AS a,
                       random() AS c WHERE b.id > 0) f
 WHERE b.status = 'attended' AND s.starts_at + interval '3 months' < now()
 ORDER BY b.id;

INSERT INTO manager_reviews (booking_id, manager_email, asked_at, expires_at,
                             answered_at, changed_practice, evidence)
SELECT b.id, p.manager_email, s.starts_at + interval '3 months',
       s.starts_at + interval '4 months',
       CASE WHEN m.done THEN s.starts_at + interval '3 months 10 days' END,
       CASE WHEN m.done THEN CASE WHEN m.a < 0.62 THEN 'yes'
            WHEN m.a < 0.85 THEN 'not_sure' ELSE 'no' END END,
       CASE WHEN m.done AND m.a < 0.4 THEN 'Seen in supervision and case recording.' END
  FROM bookings b JOIN sessions s ON s.id = b.session_id
  JOIN people p ON p.id = b.person_id,
       LATERAL (SELECT random() < 0.33 AS done, random() AS a WHERE b.id > 0) m
 WHERE b.status = 'attended' AND p.manager_email IS NOT NULL
   AND s.starts_at + interval '3 months' < now()
 ORDER BY b.id;

-- Staffing returns: schools and settings declare their headcount per
-- level at the end of each year.
INSERT INTO staffing_returns (agency_id, group_level_id, as_of, headcount)
SELECT a.id, p.group_level_id, y.as_of,
       greatest(0, count(*) + floor(random() * 5)::int - 2)
  FROM agencies a JOIN people p ON p.agency_id = a.id,
       (VALUES (date '2014-03-31'), (date '2015-03-31'), (date '2016-03-31'),
               (date '2017-03-31')) y (as_of)
 WHERE a.sector IN ('education', 'early_years') AND p.group_level_id IS NOT NULL
 GROUP BY a.id, p.group_level_id, y.as_of
 ORDER BY a.id, p.group_level_id, y.as_of;
