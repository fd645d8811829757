-- DSL group supervision: groups that close, membership kept with joining
-- and leaving dates (a DSL may leave and join again), case notes sealed
-- with libsodium (the database holds only ciphertext), corrections
-- stamped, and the reminders and digests that must go once only.

ALTER TABLE supervision_groups ADD COLUMN closed_on date;
ALTER TABLE supervision_groups ADD CONSTRAINT supervision_groups_closed
	CHECK (active = (closed_on IS NULL));
COMMENT ON COLUMN supervision_groups.closed_on IS
	'When the group was closed (then active is false); kept, never deleted.';

ALTER TABLE supervision_members DROP CONSTRAINT supervision_members_pkey;
ALTER TABLE supervision_members ADD COLUMN id bigserial PRIMARY KEY;
CREATE UNIQUE INDEX supervision_members_current
	ON supervision_members (group_id, person_id) WHERE left_on IS NULL;
CREATE INDEX supervision_members_person ON supervision_members (person_id);
COMMENT ON COLUMN supervision_members.id IS
	'Surrogate key: one row a spell of membership.';
COMMENT ON TABLE supervision_members IS
	'Spells of DSLs'' membership of supervision groups: a member on day d '
	'has joined_on <= d and no left_on or d < left_on.';

ALTER TABLE supervision_sessions DROP COLUMN case_notes;
ALTER TABLE supervision_sessions
	ADD COLUMN case_notes_sealed bytea
	    CHECK (case_notes_sealed IS NULL OR octet_length(case_notes_sealed) >= 40),
	ADD COLUMN updated_at timestamptz,
	ADD COLUMN updated_by bigint REFERENCES people (id),
	ADD COLUMN reminded_at timestamptz;
CREATE INDEX supervision_sessions_group ON supervision_sessions (group_id, held_on);
CREATE INDEX supervision_sessions_next ON supervision_sessions (next_date)
	WHERE reminded_at IS NULL AND next_date IS NOT NULL;
COMMENT ON COLUMN supervision_sessions.case_notes_sealed IS
	'Case notes, sealed: 24-byte nonce then XChaCha20-Poly1305 ciphertext '
	'under the key of PORTAL_NOTES_KEY_FILE. Only the group''s facilitator '
	'and coordinators read them, and each read is audited.';
COMMENT ON COLUMN supervision_sessions.updated_at IS 'Last correction, if any.';
COMMENT ON COLUMN supervision_sessions.updated_by IS 'Who made the last correction.';
COMMENT ON COLUMN supervision_sessions.reminded_at IS
	'When the members were reminded of next_date (5 days before): once.';

CREATE INDEX supervision_attendance_person ON supervision_attendance (person_id);

CREATE TABLE supervision_digests (
	person_id	bigint NOT NULL REFERENCES people (id),
	month		date NOT NULL CHECK (extract(day FROM month) = 1),
	queued_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (person_id, month)
);
COMMENT ON TABLE supervision_digests IS
	'Coordinators'' monthly digests of DSLs without supervision this term: '
	'the key makes a second digest in a month impossible.';
COMMENT ON COLUMN supervision_digests.person_id IS 'The coordinator mailed.';
COMMENT ON COLUMN supervision_digests.month IS 'First day of the month of the digest.';
COMMENT ON COLUMN supervision_digests.queued_at IS 'When it went into the outbox.';
