-- Agencies and settings, people, accounts, roles, sign-in sessions,
-- password resets and sign-in attempts.

CREATE TABLE agencies (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL,
	sector		text NOT NULL CHECK (sector IN ('childrens_social_care',
			    'education', 'early_years', 'health', 'police',
			    'probation', 'housing', 'voluntary_community',
			    'independent', 'faith', 'other')),
	area		text NOT NULL,
	phase		text CHECK (phase IN ('nursery', 'primary', 'secondary',
			    'special', 'pru', 'alternative_provision', 'college')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (phase IS NULL OR sector IN ('education', 'early_years')),
	UNIQUE (name, area)
);
CREATE INDEX agencies_sector ON agencies (sector, name);
COMMENT ON TABLE agencies IS
	'Partner agencies and the settings (schools, early years) within them.';
COMMENT ON COLUMN agencies.id IS 'Surrogate key.';
COMMENT ON COLUMN agencies.name IS 'Name of the agency or setting.';
COMMENT ON COLUMN agencies.sector IS 'Sector the agency belongs to.';
COMMENT ON COLUMN agencies.area IS 'Area served, e.g. Hackney or City of London.';
COMMENT ON COLUMN agencies.phase IS
	'Phase of a school or early years setting; NULL for other agencies.';
COMMENT ON COLUMN agencies.created_at IS 'When the agency was added.';

CREATE TABLE people (
	id		bigserial PRIMARY KEY,
	agency_id	bigint REFERENCES agencies (id),
	full_name	text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
	email		text CHECK (email IS NULL OR length(email) <= 254),
	job_title	text CHECK (job_title IS NULL OR length(job_title) <= 200),
	group_level_id	integer REFERENCES group_levels (id),
	manager_email	text CHECK (manager_email IS NULL OR length(manager_email) <= 254),
	is_dsl		boolean NOT NULL DEFAULT false,
	active		boolean NOT NULL DEFAULT true,
	erased_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (erased_at IS NULL OR email IS NULL)
);
CREATE UNIQUE INDEX people_email ON people ((lower(email)))
	WHERE email IS NOT NULL;
CREATE INDEX people_agency ON people (agency_id, full_name);
COMMENT ON TABLE people IS
	'Everyone the portal knows: practitioners with or without an account, '
	'staff imported from settings'' lists, board staff.';
COMMENT ON COLUMN people.id IS 'Surrogate key.';
COMMENT ON COLUMN people.agency_id IS
	'Agency or setting the person works for; NULL for board staff.';
COMMENT ON COLUMN people.full_name IS 'Name; "Erased person" after erasure.';
COMMENT ON COLUMN people.email IS
	'Work e-mail address, unique case-insensitively; NULL after erasure.';
COMMENT ON COLUMN people.job_title IS 'Job title.';
COMMENT ON COLUMN people.group_level_id IS 'Training group level of the role.';
COMMENT ON COLUMN people.manager_email IS
	'Line manager''s e-mail address, for the three-month question.';
COMMENT ON COLUMN people.is_dsl IS 'Whether the person is a Designated Safeguarding Lead.';
COMMENT ON COLUMN people.active IS 'Whether the person is on the staff list now.';
COMMENT ON COLUMN people.erased_at IS
	'When the person was erased: personal fields gone, statistics kept.';
COMMENT ON COLUMN people.created_at IS 'When the person was added.';

CREATE TABLE accounts (
	person_id	bigint PRIMARY KEY REFERENCES people (id),
	password_hash	text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_login_at	timestamptz,
	disabled_at	timestamptz
);
COMMENT ON TABLE accounts IS 'Sign-in accounts of people.';
COMMENT ON COLUMN accounts.person_id IS 'The person the account belongs to.';
COMMENT ON COLUMN accounts.password_hash IS
	'Argon2id hash string (libsodium crypto_pwhash_str), never the password.';
COMMENT ON COLUMN accounts.created_at IS 'When the account was made.';
COMMENT ON COLUMN accounts.last_login_at IS 'Last successful sign-in.';
COMMENT ON COLUMN accounts.disabled_at IS 'When a coordinator disabled it, if so.';

CREATE TABLE account_roles (
	person_id	bigint NOT NULL REFERENCES accounts (person_id) ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('practitioner', 'trainer',
			    'setting_lead', 'reviewer', 'coordinator')),
	agency_id	bigint REFERENCES agencies (id),
	PRIMARY KEY (person_id, role),
	CHECK ((role = 'setting_lead') = (agency_id IS NOT NULL))
);
CREATE INDEX account_roles_agency ON account_roles (agency_id)
	WHERE agency_id IS NOT NULL;
COMMENT ON TABLE account_roles IS 'What each account may do.';
COMMENT ON COLUMN account_roles.person_id IS 'The account.';
COMMENT ON COLUMN account_roles.role IS 'A role the account holds.';
COMMENT ON COLUMN account_roles.agency_id IS
	'For setting_lead only: the agency or setting they lead.';

CREATE TABLE web_sessions (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	person_id	bigint NOT NULL REFERENCES accounts (person_id) ON DELETE CASCADE,
	csrf_token	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	ip		inet
);
CREATE INDEX web_sessions_person ON web_sessions (person_id);
COMMENT ON TABLE web_sessions IS
	'Signed-in browser sessions, known only by the hash of their token.';
COMMENT ON COLUMN web_sessions.token_hash IS
	'BLAKE2b-256 of the cookie''s token: a copy of the table opens no session.';
COMMENT ON COLUMN web_sessions.person_id IS 'Whose session it is.';
COMMENT ON COLUMN web_sessions.csrf_token IS
	'Token every state-changing request of the session must carry.';
COMMENT ON COLUMN web_sessions.created_at IS 'Sign-in time.';
COMMENT ON COLUMN web_sessions.last_seen_at IS
	'Last request; idle after 30 minutes.';
COMMENT ON COLUMN web_sessions.expires_at IS 'Absolute end, 12 hours after sign-in.';
COMMENT ON COLUMN web_sessions.ip IS 'Address the sign-in came from.';

CREATE TABLE password_resets (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	person_id	bigint NOT NULL REFERENCES accounts (person_id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX password_resets_person ON password_resets (person_id, created_at);
COMMENT ON TABLE password_resets IS 'Single-use password reset links.';
COMMENT ON COLUMN password_resets.token_hash IS 'BLAKE2b-256 of the link''s token.';
COMMENT ON COLUMN password_resets.person_id IS 'Whose password the link resets.';
COMMENT ON COLUMN password_resets.created_at IS 'When it was asked for.';
COMMENT ON COLUMN password_resets.expires_at IS 'One hour after it was asked for.';
COMMENT ON COLUMN password_resets.used_at IS 'When it was used (or voided).';

CREATE TABLE login_attempts (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	email		text NOT NULL,
	ip		inet,
	succeeded	boolean NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts ((lower(email)), at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
COMMENT ON TABLE login_attempts IS
	'Sign-in attempts, for throttling (10 failures an account, 50 an address, '
	'in 15 minutes).';
COMMENT ON COLUMN login_attempts.id IS 'Surrogate key.';
COMMENT ON COLUMN login_attempts.at IS 'When.';
COMMENT ON COLUMN login_attempts.email IS 'E-mail address tried, lowercased.';
COMMENT ON COLUMN login_attempts.ip IS 'Address it came from.';
COMMENT ON COLUMN login_attempts.succeeded IS 'Whether the sign-in succeeded.';
