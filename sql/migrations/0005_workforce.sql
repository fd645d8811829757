-- Staffing returns of settings, DSL group supervision, the audit log and
-- the e-mail outbox.

CREATE TABLE staffing_returns (
	agency_id	bigint NOT NULL REFERENCES agencies (id),
	group_level_id	integer NOT NULL REFERENCES group_levels (id),
	as_of		date NOT NULL,
	headcount	integer NOT NULL CHECK (headcount BETWEEN 0 AND 100000),
	submitted_by	bigint REFERENCES people (id),
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (agency_id, group_level_id, as_of)
);
COMMENT ON TABLE staffing_returns IS
	'Headcount a setting declares per group level, as of a date: the N of '
	'workforce coverage.';
COMMENT ON COLUMN staffing_returns.agency_id IS 'The setting or agency.';
COMMENT ON COLUMN staffing_returns.group_level_id IS 'The level counted.';
COMMENT ON COLUMN staffing_returns.as_of IS 'Date the count is true at.';
COMMENT ON COLUMN staffing_returns.headcount IS 'Staff needing that level.';
COMMENT ON COLUMN staffing_returns.submitted_by IS 'Who made the return.';
COMMENT ON COLUMN staffing_returns.submitted_at IS 'When.';

CREATE TABLE supervision_groups (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	kind		text NOT NULL CHECK (kind IN ('primary', 'secondary', 'mixed')),
	facilitator	text NOT NULL,
	facilitator_person_id bigint REFERENCES people (id),
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE supervision_groups IS 'Groups of DSLs meeting for group supervision.';
COMMENT ON COLUMN supervision_groups.id IS 'Surrogate key.';
COMMENT ON COLUMN supervision_groups.name IS 'Name of the group.';
COMMENT ON COLUMN supervision_groups.kind IS 'primary, secondary or mixed schools.';
COMMENT ON COLUMN supervision_groups.facilitator IS
	'Who facilitates, e.g. the Educational Psychology Service.';
COMMENT ON COLUMN supervision_groups.facilitator_person_id IS
	'The facilitator''s account, who may read case notes.';
COMMENT ON COLUMN supervision_groups.active IS 'Whether the group still meets.';
COMMENT ON COLUMN supervision_groups.created_at IS 'When it was set up.';

CREATE TABLE supervision_members (
	group_id	bigint NOT NULL REFERENCES supervision_groups (id),
	person_id	bigint NOT NULL REFERENCES people (id),
	joined_on	date NOT NULL DEFAULT CURRENT_DATE,
	left_on		date,
	PRIMARY KEY (group_id, person_id),
	CHECK (left_on IS NULL OR left_on >= joined_on)
);
COMMENT ON TABLE supervision_members IS 'DSLs in a supervision group.';
COMMENT ON COLUMN supervision_members.group_id IS 'The group.';
COMMENT ON COLUMN supervision_members.person_id IS 'A DSL in it.';
COMMENT ON COLUMN supervision_members.joined_on IS 'When they joined.';
COMMENT ON COLUMN supervision_members.left_on IS 'When they left, if so.';

CREATE TABLE supervision_sessions (
	id		bigserial PRIMARY KEY,
	group_id	bigint NOT NULL REFERENCES supervision_groups (id),
	held_on		date NOT NULL,
	duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
	facilitator	text NOT NULL,
	topics		text[] NOT NULL DEFAULT '{}' CHECK (topics <@ ARRAY[
			    'practice_dilemmas', 'specific_topic',
			    'child_protection_cases', 'case_review_learning',
			    'wellbeing']::text[]),
	specific_topic	text,
	cases_discussed	integer NOT NULL DEFAULT 0 CHECK (cases_discussed >= 0),
	actions		text,
	next_date	date,
	case_notes	text,
	recorded_by	bigint REFERENCES people (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (group_id, held_on),
	CHECK (next_date IS NULL OR next_date > held_on)
);
COMMENT ON TABLE supervision_sessions IS
	'Records of DSL group supervision meetings; expected once a school term.';
COMMENT ON COLUMN supervision_sessions.id IS 'Surrogate key.';
COMMENT ON COLUMN supervision_sessions.group_id IS 'The group that met.';
COMMENT ON COLUMN supervision_sessions.held_on IS 'Date of the meeting.';
COMMENT ON COLUMN supervision_sessions.duration_minutes IS 'Length of the meeting.';
COMMENT ON COLUMN supervision_sessions.facilitator IS 'Who facilitated it.';
COMMENT ON COLUMN supervision_sessions.topics IS
	'What was covered: practice_dilemmas, specific_topic, '
	'child_protection_cases, case_review_learning, wellbeing.';
COMMENT ON COLUMN supervision_sessions.specific_topic IS 'The specific topic, if any.';
COMMENT ON COLUMN supervision_sessions.cases_discussed IS 'Number of cases discussed.';
COMMENT ON COLUMN supervision_sessions.actions IS 'Actions agreed.';
COMMENT ON COLUMN supervision_sessions.next_date IS 'Date of the next meeting.';
COMMENT ON COLUMN supervision_sessions.case_notes IS
	'Case notes: restricted to the facilitator and coordinators.';
COMMENT ON COLUMN supervision_sessions.recorded_by IS 'Who recorded the meeting.';
COMMENT ON COLUMN supervision_sessions.created_at IS 'When it was recorded.';

CREATE TABLE supervision_attendance (
	session_id	bigint NOT NULL REFERENCES supervision_sessions (id) ON DELETE CASCADE,
	person_id	bigint NOT NULL REFERENCES people (id),
	status		text NOT NULL CHECK (status IN ('present', 'apologies', 'absent')),
	PRIMARY KEY (session_id, person_id)
);
COMMENT ON TABLE supervision_attendance IS 'Attendance of each DSL at a supervision meeting.';
COMMENT ON COLUMN supervision_attendance.session_id IS 'The meeting.';
COMMENT ON COLUMN supervision_attendance.person_id IS 'The DSL.';
COMMENT ON COLUMN supervision_attendance.status IS 'present, apologies or absent.';

CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_person_id	bigint REFERENCES people (id),
	action		text NOT NULL,
	target_type	text,
	target_id	bigint,
	ip		inet,
	detail		jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_person_id, at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);
COMMENT ON TABLE audit_log IS
	'Who did what, when, from where: sign-ins, role changes, imports, exports, '
	'resets, erasures. Never a password or a token.';
COMMENT ON COLUMN audit_log.id IS 'Surrogate key.';
COMMENT ON COLUMN audit_log.at IS 'When.';
COMMENT ON COLUMN audit_log.actor_person_id IS 'Who did it (NULL: the system or unknown).';
COMMENT ON COLUMN audit_log.action IS 'What, e.g. session.login, account.roles.';
COMMENT ON COLUMN audit_log.target_type IS 'Kind of thing acted on, e.g. person, agency.';
COMMENT ON COLUMN audit_log.target_id IS 'Id of the thing acted on.';
COMMENT ON COLUMN audit_log.ip IS 'Address the request came from.';
COMMENT ON COLUMN audit_log.detail IS 'Details, e.g. roles before and after.';

CREATE TABLE email_outbox (
	id		bigserial PRIMARY KEY,
	created_at	timestamptz NOT NULL DEFAULT now(),
	to_address	text NOT NULL,
	subject		text NOT NULL,
	body_text	text NOT NULL,
	ics		text,
	status		text NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	last_error	text,
	CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX email_outbox_pending ON email_outbox (next_attempt_at)
	WHERE status = 'pending';
COMMENT ON TABLE email_outbox IS
	'Mail written in the same transaction as the change it tells of, sent '
	'later by portalctl send-mail.';
COMMENT ON COLUMN email_outbox.id IS 'Surrogate key.';
COMMENT ON COLUMN email_outbox.created_at IS 'When the mail was written.';
COMMENT ON COLUMN email_outbox.to_address IS 'Recipient.';
COMMENT ON COLUMN email_outbox.subject IS 'Subject line.';
COMMENT ON COLUMN email_outbox.body_text IS 'Plain text body.';
COMMENT ON COLUMN email_outbox.ics IS 'Calendar invitation to attach, if any.';
COMMENT ON COLUMN email_outbox.status IS 'pending, sent, failed (gave up).';
COMMENT ON COLUMN email_outbox.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN email_outbox.next_attempt_at IS 'Earliest next attempt (back-off).';
COMMENT ON COLUMN email_outbox.sent_at IS 'When the relay accepted it.';
COMMENT ON COLUMN email_outbox.last_error IS 'The relay''s last refusal.';
