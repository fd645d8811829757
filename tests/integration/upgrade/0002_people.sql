-- Seed data for the upgrade test (tests/integration/upgrade.test.mjs) at
-- schema versions 2 to 4, where sql/demo does not fit yet: agencies,
-- people, accounts and roles, a sign-in session, a reset link and
-- sign-in attempts, as a portal at version 2 would hold them. Written
-- against the schema of migration 0002 (which never changes).
INSERT INTO agencies (name, sector, area, phase) VALUES
	('Seed Children''s Services', 'childrens_social_care', 'Hackney', NULL),
	('Seed Primary School', 'education', 'Hackney', 'primary'),
	('Seed Health Trust', 'health', 'City of London', NULL);

INSERT INTO people (agency_id, full_name, email, job_title, group_level_id,
    manager_email, is_dsl, active, erased_at)
SELECT a.id, p.full_name, p.email, p.job_title,
       (SELECT id FROM group_levels WHERE code = p.level), p.manager_email,
       p.is_dsl, p.active, p.erased_at
  FROM (VALUES
	('Seed Children''s Services', 'Ada Seed', 'ada.seed@example.org', 'Social worker', 'G4', 'boss.seed@example.org', false, true, NULL::timestamptz),
	('Seed Primary School', 'Ben Seed', 'ben.seed@example.org', 'Head teacher', 'G5', NULL, true, true, NULL),
	('Seed Primary School', 'Cat Seed', 'cat.seed@example.org', 'Teaching assistant', 'G2', 'ben.seed@example.org', false, true, NULL),
	('Seed Health Trust', 'Dan Seed', 'dan.seed@example.org', 'Health visitor', 'G3', NULL, false, false, NULL),
	('Seed Health Trust', 'Erased person', NULL, NULL, 'G1', NULL, false, false, '2016-05-01 10:00+01'),
	('Seed Children''s Services', 'Fay Seed', 'fay.seed@example.org', 'Trainer', 'G6', NULL, false, true, NULL)
  ) AS p (agency, full_name, email, job_title, level, manager_email, is_dsl, active, erased_at)
  JOIN agencies a ON a.name = p.agency;

INSERT INTO accounts (person_id, password_hash, created_at, last_login_at, disabled_at)
SELECT id, '$argon2id$v=19$m=65536,t=3,p=1$c2VlZHNhbHQ$c2VlZGhhc2g',
       '2015-09-01 09:00+01', '2016-03-01 12:00', CASE WHEN email = 'dan.seed@example.org' THEN timestamptz '2016-06-01 08:00+01' END
  FROM people WHERE email IN ('ada.seed@example.org', 'ben.seed@example.org',
      'dan.seed@example.org', 'fay.seed@example.org');

INSERT INTO account_roles (person_id, role, agency_id)
SELECT p.id, r.role, CASE WHEN r.role = 'setting_lead' THEN p.agency_id END
  FROM people p JOIN (VALUES
	('ada.seed@example.org', 'practitioner'), ('ada.seed@example.org', 'coordinator'),
	('ben.seed@example.org', 'practitioner'), ('ben.seed@example.org', 'setting_lead'),
	('dan.seed@example.org', 'practitioner'), ('fay.seed@example.org', 'trainer'),
	('fay.seed@example.org', 'reviewer')
  ) AS r (email, role) ON r.email = p.email;

INSERT INTO web_sessions (token_hash, person_id, csrf_token, expires_at, ip)
SELECT sha256('seed-session'::bytea), id, 'seed-csrf', now() + interval '1 hour', '192.0.2.1'
  FROM people WHERE email = 'ada.seed@example.org';

INSERT INTO password_resets (token_hash, person_id, expires_at)
SELECT sha256('seed-reset'::bytea), id, now() + interval '1 hour'
  FROM people WHERE email = 'ben.seed@example.org';

INSERT INTO login_attempts (email, ip, succeeded) VALUES
	('ada.seed@example.org', '192.0.2.1', true),
	('nobody.seed@example.org', '192.0.2.2', false);
