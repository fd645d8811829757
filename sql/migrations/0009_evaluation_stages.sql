-- Evaluations, the four-stage model: the baseline before the
-- course, the same-day form (online, or paper forms uploaded as CSV or
-- typed in by the trainer), the delegate's follow-up, the line manager's
-- answer through a single-use link. Walk-ins on the register, and the
-- invitations and reminders each stage sends, never twice.
--
-- Windows (computed, not stored): before, from the confirmation to the
-- session's start; same day, from the register's mark to 14 days after
-- the session ended; follow-up, due PORTAL_FOLLOWUP_DAYS (90) days after
-- the session ended, open 30 days from due; the manager's link, 30 days
-- from when it was sent.

ALTER TABLE courses ADD COLUMN evaluation_baseline boolean NOT NULL
	DEFAULT true;
COMMENT ON COLUMN courses.evaluation_baseline IS
	'Whether delegates are asked the baseline (knowledge, confidence, '
	'hopes) before the course; on by default.';

ALTER TABLE bookings ADD COLUMN walk_in boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN bookings.walk_in IS
	'An unscheduled attendee: added to the register as attended by the '
	'trainer or a coordinator, never booked; counted as unscheduled.';

CREATE TABLE baselines (
	id		bigserial PRIMARY KEY,
	booking_id	bigint NOT NULL UNIQUE REFERENCES bookings (id),
	session_id	bigint NOT NULL REFERENCES sessions (id),
	knowledge	smallint CHECK (knowledge BETWEEN 1 AND 10),
	confidence	smallint CHECK (confidence BETWEEN 1 AND 10),
	hopes		text CHECK (length(hopes) <= 2000),
	submitted_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX baselines_session ON baselines (session_id);
COMMENT ON TABLE baselines IS
	'Stage 1, before the course: the delegate''s baseline, answered once '
	'between the confirmation and the session''s start. Linked to the '
	'booking only to count completion and pair stages: never shown with '
	'a name.';
COMMENT ON COLUMN baselines.id IS 'Surrogate key.';
COMMENT ON COLUMN baselines.booking_id IS 'The confirmed booking answered for.';
COMMENT ON COLUMN baselines.session_id IS 'The session (the booking''s), for counting.';
COMMENT ON COLUMN baselines.knowledge IS
	'Knowledge of the course''s subject before it, 1 to 10; NULL unanswered.';
COMMENT ON COLUMN baselines.confidence IS
	'Confidence on the course''s subject before it, 1 to 10; NULL unanswered.';
COMMENT ON COLUMN baselines.hopes IS 'What the delegate hopes to learn.';
COMMENT ON COLUMN baselines.submitted_at IS 'When it was answered.';

CREATE TABLE evaluation_uploads (
	id		bigserial PRIMARY KEY,
	session_id	bigint NOT NULL REFERENCES sessions (id),
	sha256		bytea NOT NULL CHECK (length(sha256) = 32),
	forms		integer NOT NULL CHECK (forms >= 0),
	uploaded_by	bigint REFERENCES people (id),
	uploaded_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (session_id, sha256)
);
COMMENT ON TABLE evaluation_uploads IS
	'Files of paper same-day forms a trainer uploaded (CSV): the same file '
	'twice for one session is refused, so no form is counted twice.';
COMMENT ON COLUMN evaluation_uploads.id IS 'Surrogate key.';
COMMENT ON COLUMN evaluation_uploads.session_id IS 'The session the forms are of.';
COMMENT ON COLUMN evaluation_uploads.sha256 IS 'SHA-256 of the file''s bytes.';
COMMENT ON COLUMN evaluation_uploads.forms IS 'Forms (rows) the file added.';
COMMENT ON COLUMN evaluation_uploads.uploaded_by IS 'The trainer or coordinator.';
COMMENT ON COLUMN evaluation_uploads.uploaded_at IS 'When.';

ALTER TABLE evaluations
	ADD COLUMN upload_id bigint REFERENCES evaluation_uploads (id),
	ADD CONSTRAINT evaluations_action_length CHECK (length(action) <= 2000),
	ADD CONSTRAINT evaluations_comments_length CHECK (length(comments) <= 4000),
	ADD CONSTRAINT evaluations_upload_paper CHECK (upload_id IS NULL OR source = 'paper');
CREATE INDEX evaluations_upload ON evaluations (upload_id) WHERE upload_id IS NOT NULL;
COMMENT ON TABLE evaluations IS
	'Stage 2, same day: one per attended or partial booking online (from '
	'the register''s mark to 14 days after the session), or anonymous paper '
	'forms typed or uploaded by the trainer (session only). Linked to the '
	'booking only to count completion and pair stages: never shown with a '
	'name, kept anonymously when the person is erased.';
COMMENT ON COLUMN evaluations.upload_id IS
	'The uploaded file a paper form came from; NULL online or typed in.';
COMMENT ON COLUMN evaluations.entered_by IS
	'The trainer or coordinator who uploaded or typed a paper form.';

-- Every follow-up question is optional: an answer may leave "applied"
-- blank.
ALTER TABLE followups DROP CONSTRAINT followups_check;
ALTER TABLE followups
	ADD CONSTRAINT followups_example_length CHECK (length(example) <= 2000);
COMMENT ON TABLE followups IS
	'Stage 3, the delegate''s follow-up of an attended or partial booking: '
	'made when it falls due (PORTAL_FOLLOWUP_DAYS after the session ended) '
	'or when the delegate answers, open 30 days from due. All answers '
	'NULL until completed_at; "none changed" is all three changed_* false.';
COMMENT ON COLUMN followups.due_on IS
	'When it falls due: the session''s last day plus PORTAL_FOLLOWUP_DAYS.';
COMMENT ON COLUMN followups.token_hash IS
	'Unused: the delegate answers signed in (My evaluations).';
COMMENT ON COLUMN followups.asked_at IS
	'When the invitation went into the outbox; NULL if answered before it.';
COMMENT ON COLUMN followups.changed_information_sharing IS
	'Information sharing changed (NULL unanswered).';
COMMENT ON COLUMN followups.changed_joint_working IS
	'Joint working changed (NULL unanswered).';
COMMENT ON COLUMN followups.changed_referrals IS
	'Referrals changed (NULL unanswered).';

CREATE INDEX manager_reviews_open ON manager_reviews (expires_at)
	WHERE answered_at IS NULL;
ALTER TABLE manager_reviews
	ADD CONSTRAINT manager_reviews_evidence_length CHECK (length(evidence) <= 4000);
COMMENT ON TABLE manager_reviews IS
	'Stage 4, the line manager''s answer through a single-use link (no '
	'account), asked when the follow-up falls due, valid 30 days. The link''s '
	'token is only in the mail (removed from the outbox once sent); its '
	'BLAKE2b-256 hash is here.';
COMMENT ON COLUMN manager_reviews.token_hash IS
	'BLAKE2b-256 of the link''s token; the token itself is kept nowhere.';
COMMENT ON COLUMN manager_reviews.expires_at IS
	'When the link stops working: 30 days after it was sent.';

ALTER TABLE email_outbox ADD COLUMN erase_body_once_sent boolean NOT NULL
	DEFAULT false;
COMMENT ON COLUMN email_outbox.erase_body_once_sent IS
	'The body holds a single-use link: replace it once the relay took it.';

CREATE TABLE evaluation_notices (
	booking_id	bigint NOT NULL REFERENCES bookings (id),
	kind		text NOT NULL CHECK (kind IN ('before', 'same_day',
			    'same_day_3', 'same_day_7', 'followup',
			    'followup_7', 'followup_14', 'manager')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (booking_id, kind)
);
COMMENT ON TABLE evaluation_notices IS
	'Evaluation invitations and reminders put in the outbox, one row each: '
	'the key makes sure none goes twice, even from two senders at once.';
COMMENT ON COLUMN evaluation_notices.booking_id IS 'The booking it was about.';
COMMENT ON COLUMN evaluation_notices.kind IS
	'before, same_day (invitations), same_day_3 and same_day_7 (reminders '
	'days after the mark), followup (due), followup_7 and followup_14 '
	'(reminders days after due), manager (the line manager''s link).';
COMMENT ON COLUMN evaluation_notices.created_at IS 'When it went into the outbox.';

-- The baseline's invitation with the booking's confirmation, the
-- same-day invitation with the register's mark: in the transaction that
-- makes the change, whichever path makes it (booking, promotion from the
-- waitlist, register, walk-in). Loading the demo data writes no mail.
CREATE FUNCTION evaluation_invite() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	kind	text;
BEGIN
	IF coalesce(current_setting('portal.demo_scale', true), '') <> '' THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.status = OLD.status THEN
		RETURN NULL;
	END IF;
	IF NEW.status = 'confirmed' THEN
		kind := 'before';
	ELSIF NEW.status IN ('attended', 'partial') THEN
		kind := 'same_day';
	ELSE
		RETURN NULL;
	END IF;
	WITH b AS (
		SELECT p.email, p.full_name, c.title, s.starts_at, s.ends_at
		  FROM sessions s JOIN courses c ON c.id = s.course_id,
		       people p
		 WHERE s.id = NEW.session_id AND p.id = NEW.person_id
		   AND p.email IS NOT NULL AND p.erased_at IS NULL
		   AND CASE kind
			WHEN 'before' THEN c.evaluation_baseline
			    AND s.starts_at > now()
			ELSE s.ends_at + interval '14 days' > now() END),
	     n AS (
		INSERT INTO evaluation_notices (booking_id, kind)
		SELECT NEW.id, kind FROM b
		ON CONFLICT DO NOTHING RETURNING booking_id)
	INSERT INTO email_outbox (to_address, subject, body_text)
	SELECT b.email,
	       CASE kind WHEN 'before' THEN 'Before your course: '
			 ELSE 'Your evaluation: ' END || b.title,
	       'Dear ' || b.full_name || E',\n\n'
	       || CASE kind WHEN 'before' THEN
		   'Before ' || b.title || ' on '
		   || to_char(b.starts_at AT TIME ZONE 'Europe/London',
			      'FMDay DD FMMonth YYYY')
		   || E', please tell us how you rate your knowledge and '
		   || E'confidence now, and what you hope to learn. It takes '
		   || E'a minute and helps the trainer.\n\n'
		  ELSE
		   'Thank you for attending ' || b.title || ' on '
		   || to_char(b.starts_at AT TIME ZONE 'Europe/London',
			      'FMDay DD FMMonth YYYY')
		   || E'. Please fill in the evaluation within 14 days of the '
		   || E'course: your answers are anonymous and help the board '
		   || E'improve its training.\n\n'
		  END
	       || E'Sign in to the Safeguarding Training Portal and open '
	       || E'"Your evaluations" on your account page.\n'
	  FROM b, n;
	RETURN NULL;
END;
$$;
COMMENT ON FUNCTION evaluation_invite() IS
	'Puts the baseline invitation (booking confirmed) or the same-day '
	'invitation (marked attended or partial) in the outbox, once a booking.';

CREATE TRIGGER bookings_evaluation_invite
	AFTER INSERT OR UPDATE OF status ON bookings
	FOR EACH ROW EXECUTE FUNCTION evaluation_invite();
