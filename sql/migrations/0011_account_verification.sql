-- Accounts prove their e-mail address before they book or claim a person
-- already on the books; registration and reset requests are throttled per
-- address and per client; sign-in attempts are reserved before hashing.

ALTER TABLE accounts ADD COLUMN verified_at timestamptz;
UPDATE accounts SET verified_at = created_at;
ALTER TABLE accounts ALTER COLUMN verified_at SET DEFAULT now();
COMMENT ON COLUMN accounts.verified_at IS
	'When the owner proved the e-mail address (verification or reset link); '
	'accounts operators make (portalctl, demo data) are verified when made, '
	'registration leaves it NULL until its link is used: NULL may sign in, '
	'may not book.';

CREATE TABLE email_verifications (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	email		text NOT NULL CHECK (length(email) <= 254),
	person_id	bigint REFERENCES accounts (person_id) ON DELETE CASCADE,
	full_name	text CHECK (length(full_name) BETWEEN 1 AND 200),
	agency_id	bigint REFERENCES agencies (id),
	job_title	text CHECK (length(job_title) <= 200),
	group_level_id	integer REFERENCES group_levels (id),
	manager_email	text CHECK (length(manager_email) <= 254),
	password_hash	text CHECK (password_hash LIKE '$argon2id$%'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	CHECK ((person_id IS NULL) = (password_hash IS NOT NULL))
);
CREATE INDEX email_verifications_email ON email_verifications ((lower(email)));
COMMENT ON TABLE email_verifications IS
	'Single-use links (24 hours) that prove an e-mail address: either for a '
	'new account (person_id set), or for a registration waiting to claim a '
	'person already on the books (the registration''s answers kept here, the '
	'person untouched until the link is used).';
COMMENT ON COLUMN email_verifications.token_hash IS 'BLAKE2b-256 of the link''s token.';
COMMENT ON COLUMN email_verifications.email IS 'The address the link was mailed to.';
COMMENT ON COLUMN email_verifications.person_id IS
	'The new, unverified account the link verifies; NULL for a claim.';
COMMENT ON COLUMN email_verifications.full_name IS 'Claim: the name given.';
COMMENT ON COLUMN email_verifications.agency_id IS 'Claim: the agency given.';
COMMENT ON COLUMN email_verifications.job_title IS 'Claim: the job title given.';
COMMENT ON COLUMN email_verifications.group_level_id IS 'Claim: the group level given.';
COMMENT ON COLUMN email_verifications.manager_email IS 'Claim: the line manager''s address given.';
COMMENT ON COLUMN email_verifications.password_hash IS
	'Claim: Argon2id hash of the chosen password, never the password.';
COMMENT ON COLUMN email_verifications.created_at IS 'When it was asked for.';
COMMENT ON COLUMN email_verifications.expires_at IS '24 hours after it was asked for.';
COMMENT ON COLUMN email_verifications.used_at IS 'When it was used (or voided).';

CREATE TABLE account_requests (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('register', 'reset')),
	email		text NOT NULL,
	ip		inet,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_requests_email ON account_requests (kind, (lower(email)), at);
CREATE INDEX account_requests_ip ON account_requests (kind, ip, at);
COMMENT ON TABLE account_requests IS
	'Registrations and password reset requests (each may send a mail), for '
	'throttling per e-mail address and per client address (README.md).';
COMMENT ON COLUMN account_requests.id IS 'Surrogate key.';
COMMENT ON COLUMN account_requests.kind IS 'register or reset.';
COMMENT ON COLUMN account_requests.email IS 'The e-mail address given.';
COMMENT ON COLUMN account_requests.ip IS 'The client address it came from.';
COMMENT ON COLUMN account_requests.at IS 'When.';

COMMENT ON TABLE login_attempts IS
	'Sign-in attempts, for throttling (10 failures an account, 50 an address, '
	'in 15 minutes). Each is recorded as failed before the password is '
	'checked, and marked succeeded after.';
COMMENT ON COLUMN login_attempts.succeeded IS
	'Whether the sign-in succeeded; false while the password is checked.';
