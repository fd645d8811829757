-- Personal data kept only where it should be.
--
-- 1. Every column that can hold text, an address or bytes (text,
--    varchar, char, json, jsonb, inet, cidr, bytea, and arrays of them)
--    says in its comment what it holds, with one of three markers:
--
--      [personal]      personal data in the clear: a name, an e-mail or
--                      network address, a password hash, words a person
--                      wrote or words about a person. Erasing a person
--                      (DELETE /api/v1/people/{id}) leaves nothing of
--                      them in it.
--      [sealed]        personal data sealed under the case notes key
--                      (only ciphertext here).
--      [not personal]  codes, statuses, organisations' names, hashes of
--                      tokens, aggregates.
--
--    tests/integration/personal_data.test.mjs reads the markers from
--    pg_description: a column of those types without one fails it, and
--    so does a [personal] column that still holds something of an erased
--    person.
--
-- 2. Case notes are sealed with associated data naming their meeting and
--    group, so a sealed note moved to another meeting does not open
--    there. case_notes_seal says how each note was sealed; notes sealed
--    before (1) are sealed again by portalctl, which holds the key
--    (`portalctl reseal-notes`, also run by `portalctl migrate` when
--    PORTAL_NOTES_KEY_FILE is set).

DO $$
DECLARE
	r	record;
	old	text;
BEGIN
	FOR r IN SELECT * FROM (VALUES
		('people', 'full_name', 'personal'),
		('people', 'email', 'personal'),
		('people', 'job_title', 'personal'),
		('people', 'manager_email', 'personal'),
		('accounts', 'password_hash', 'personal'),
		('web_sessions', 'ip', 'personal'),
		('web_sessions', 'token_hash', 'not personal'),
		('web_sessions', 'csrf_token', 'not personal'),
		('password_resets', 'token_hash', 'not personal'),
		('login_attempts', 'email', 'personal'),
		('login_attempts', 'ip', 'personal'),
		('account_requests', 'email', 'personal'),
		('account_requests', 'ip', 'personal'),
		('account_requests', 'kind', 'not personal'),
		('email_verifications', 'email', 'personal'),
		('email_verifications', 'full_name', 'personal'),
		('email_verifications', 'job_title', 'personal'),
		('email_verifications', 'manager_email', 'personal'),
		('email_verifications', 'password_hash', 'personal'),
		('email_verifications', 'token_hash', 'not personal'),
		('account_roles', 'role', 'not personal'),
		('agencies', 'name', 'not personal'),
		('agencies', 'sector', 'not personal'),
		('agencies', 'area', 'not personal'),
		('agencies', 'phase', 'not personal'),
		('group_schemes', 'code', 'not personal'),
		('group_schemes', 'name', 'not personal'),
		('group_levels', 'code', 'not personal'),
		('group_levels', 'name', 'not personal'),
		('group_levels', 'description', 'not personal'),
		('topics', 'code', 'not personal'),
		('topics', 'name', 'not personal'),
		('courses', 'code', 'not personal'),
		('courses', 'title', 'not personal'),
		('courses', 'summary', 'not personal'),
		('courses', 'format', 'not personal'),
		('sessions', 'venue', 'not personal'),
		('sessions', 'status', 'not personal'),
		('sessions', 'cancel_reason', 'not personal'),
		('bookings', 'status', 'not personal'),
		('bookings', 'idempotency_key', 'not personal'),
		('training_records', 'title', 'not personal'),
		('training_records', 'provider', 'not personal'),
		('training_records', 'source', 'not personal'),
		('evaluations', 'source', 'not personal'),
		('evaluations', 'outcomes_met', 'not personal'),
		('evaluations', 'improve_safeguarding', 'not personal'),
		('evaluations', 'action', 'personal'),
		('evaluations', 'comments', 'personal'),
		('baselines', 'hopes', 'personal'),
		('followups', 'applied', 'not personal'),
		('followups', 'example', 'personal'),
		('followups', 'token_hash', 'not personal'),
		('manager_reviews', 'manager_email', 'personal'),
		('manager_reviews', 'evidence', 'personal'),
		('manager_reviews', 'changed_practice', 'not personal'),
		('manager_reviews', 'token_hash', 'not personal'),
		('evaluation_uploads', 'sha256', 'not personal'),
		('evaluation_uploads', 'void_reason', 'personal'),
		('evaluation_notices', 'kind', 'not personal'),
		('coverage_reminders', 'kind', 'not personal'),
		('supervision_groups', 'name', 'not personal'),
		('supervision_groups', 'kind', 'not personal'),
		('supervision_groups', 'facilitator', 'personal'),
		('supervision_sessions', 'facilitator', 'personal'),
		('supervision_sessions', 'topics', 'not personal'),
		('supervision_sessions', 'specific_topic', 'personal'),
		('supervision_sessions', 'actions', 'personal'),
		('supervision_sessions', 'case_notes_sealed', 'sealed'),
		('supervision_attendance', 'status', 'not personal'),
		('audit_log', 'action', 'not personal'),
		('audit_log', 'target_type', 'not personal'),
		('audit_log', 'ip', 'personal'),
		('audit_log', 'detail', 'not personal'),
		('email_outbox', 'to_address', 'personal'),
		('email_outbox', 'subject', 'personal'),
		('email_outbox', 'body_text', 'personal'),
		('email_outbox', 'ics', 'personal'),
		('email_outbox', 'last_error', 'personal'),
		('email_outbox', 'status', 'not personal'),
		('report_answers', 'key', 'not personal'),
		('report_answers', 'body', 'not personal')
	) AS v (tab, col, marker)
	LOOP
		SELECT col_description(a.attrelid, a.attnum) INTO STRICT old
		  FROM pg_attribute a
		 WHERE a.attrelid = r.tab::regclass AND a.attname = r.col
		   AND NOT a.attisdropped;
		EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.tab, r.col,
		    coalesce(old || ' ', '') || '[' || r.marker || ']');
	END LOOP;
END;
$$;

-- What the markers promise, where it is not plain from the column.
COMMENT ON COLUMN audit_log.detail IS
	'Details, e.g. roles before and after: counts, ids and codes, never a '
	'name, an address or free text. [not personal]';
COMMENT ON COLUMN report_answers.body IS
	'The answer, JSON text: aggregates only, no names. [not personal]';
COMMENT ON COLUMN evaluations.comments IS
	'Comments. An erased person''s own are removed; their name in others'' '
	'about a session they trained is replaced. [personal]';
COMMENT ON COLUMN supervision_groups.facilitator IS
	'Who facilitates, e.g. the Educational Psychology Service (a person''s '
	'name is replaced when they are erased). [personal]';

ALTER TABLE supervision_sessions ADD COLUMN case_notes_seal smallint
	CHECK (case_notes_seal IN (1, 2));
UPDATE supervision_sessions SET case_notes_seal = 1
 WHERE case_notes_sealed IS NOT NULL;
ALTER TABLE supervision_sessions ADD CONSTRAINT supervision_sessions_seal
	CHECK ((case_notes_sealed IS NULL) = (case_notes_seal IS NULL));
CREATE INDEX supervision_sessions_reseal ON supervision_sessions (id)
	WHERE case_notes_seal = 1;
COMMENT ON COLUMN supervision_sessions.case_notes_seal IS
	'How the case notes were sealed: 2, with associated data naming this '
	'meeting and its group (a note moved elsewhere does not open); 1, '
	'with a fixed string, waiting for portalctl to seal it again as 2 '
	'(the portal does not open it). NULL without notes.';
COMMENT ON COLUMN supervision_sessions.case_notes_sealed IS
	'Case notes, sealed: 24-byte nonce then XChaCha20-Poly1305 ciphertext '
	'under the key of PORTAL_NOTES_KEY_FILE, the associated data naming '
	'the meeting and group (case_notes_seal). Only the group''s '
	'facilitator and coordinators read them, and each read is audited. '
	'[sealed]';
