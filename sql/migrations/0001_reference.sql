-- Reference data: training group level schemes, sectors, phases, topics.
-- The group level scheme is data, not code: the London "Competence Still
-- Matters" scheme is the default; other partnerships add their own.

CREATE TABLE group_schemes (
	id		serial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,32}$'),
	name		text NOT NULL,
	is_default	boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX group_schemes_one_default ON group_schemes (is_default)
	WHERE is_default;
COMMENT ON TABLE group_schemes IS
	'Schemes of training group levels a partnership may use.';
COMMENT ON COLUMN group_schemes.id IS 'Surrogate key.';
COMMENT ON COLUMN group_schemes.code IS 'Short stable name, e.g. london.';
COMMENT ON COLUMN group_schemes.name IS 'Name shown to people.';
COMMENT ON COLUMN group_schemes.is_default IS
	'The scheme in use; at most one is the default.';

CREATE TABLE group_levels (
	id		serial PRIMARY KEY,
	scheme_id	integer NOT NULL REFERENCES group_schemes (id),
	code		text NOT NULL CHECK (code ~ '^[A-Za-z0-9]{1,16}$'),
	name		text NOT NULL,
	description	text NOT NULL,
	refresh_months	integer NOT NULL CHECK (refresh_months BETWEEN 1 AND 120),
	rank		integer NOT NULL,
	UNIQUE (scheme_id, code),
	UNIQUE (scheme_id, rank)
);
COMMENT ON TABLE group_levels IS
	'Training group levels of a scheme: who needs which depth of training.';
COMMENT ON COLUMN group_levels.id IS 'Surrogate key.';
COMMENT ON COLUMN group_levels.scheme_id IS 'The scheme the level belongs to.';
COMMENT ON COLUMN group_levels.code IS 'Short code used in the API and CSV, e.g. G3.';
COMMENT ON COLUMN group_levels.name IS 'Name shown to people, e.g. Group 3.';
COMMENT ON COLUMN group_levels.description IS 'Who belongs at this level.';
COMMENT ON COLUMN group_levels.refresh_months IS
	'Months after which training at this level must be refreshed.';
COMMENT ON COLUMN group_levels.rank IS 'Order of the levels, 1 the lightest.';

INSERT INTO group_schemes (code, name, is_default)
VALUES ('london', 'Competence Still Matters (London)', true);

INSERT INTO group_levels (scheme_id, code, name, description, refresh_months, rank)
SELECT s.id, v.code, v.name, v.description, v.refresh_months, v.rank
  FROM group_schemes s, (VALUES
	('G1', 'Group 1', 'Staff in incidental contact with children and young people, their parents or carers.', 36, 1),
	('G2', 'Group 2', 'Staff in regular contact with children and young people, their parents or carers.', 36, 2),
	('G3', 'Group 3', 'Staff who work mainly with children and young people and may contribute to assessments.', 36, 3),
	('G4', 'Group 4', 'Staff with particular responsibility for child protection enquiries (section 47).', 36, 4),
	('G5', 'Group 5', 'Designated and named professionals, including schools'' Designated Safeguarding Leads.', 24, 5),
	('G6', 'Group 6', 'Operational and strategic managers responsible for safeguarding services.', 36, 6)
  ) AS v (code, name, description, refresh_months, rank)
 WHERE s.code = 'london';

CREATE TABLE topics (
	id		serial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,40}$'),
	name		text NOT NULL
);
COMMENT ON TABLE topics IS 'Safeguarding topics courses cover.';
COMMENT ON COLUMN topics.id IS 'Surrogate key.';
COMMENT ON COLUMN topics.code IS 'Short code used in the API, e.g. neglect.';
COMMENT ON COLUMN topics.name IS 'Name shown to people.';

INSERT INTO topics (code, name) VALUES
	('child_protection', 'Child protection basics'),
	('cse', 'Child sexual exploitation'),
	('fgm', 'Female genital mutilation'),
	('neglect', 'Neglect'),
	('prevent', 'Prevent and radicalisation'),
	('domestic_abuse', 'Domestic abuse'),
	('online_safety', 'Online safety'),
	('mental_health', 'Parental mental health'),
	('substance_misuse', 'Parental substance misuse'),
	('gangs', 'Gangs and serious youth violence'),
	('early_help', 'Early help'),
	('information_sharing', 'Information sharing'),
	('case_reviews', 'Learning from case reviews'),
	('dsl_role', 'The Designated Safeguarding Lead role'),
	('safer_recruitment', 'Safer recruitment'),
	('private_fostering', 'Private fostering'),
	('disabled_children', 'Safeguarding disabled children'),
	('harmful_sexual_behaviour', 'Harmful sexual behaviour');
