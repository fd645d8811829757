-- Evaluations, the London four-stage model: same-day forms (online or
-- from paper), the delegate's three-month follow-up, and the line
-- manager's answer through a one-time link.

CREATE TABLE evaluations (
	id		bigserial PRIMARY KEY,
	session_id	bigint NOT NULL REFERENCES sessions (id),
	booking_id	bigint UNIQUE REFERENCES bookings (id),
	source		text NOT NULL CHECK (source IN ('online', 'paper')),
	rating_content	smallint CHECK (rating_content BETWEEN 1 AND 5),
	rating_delivery	smallint CHECK (rating_delivery BETWEEN 1 AND 5),
	rating_venue	smallint CHECK (rating_venue BETWEEN 1 AND 5),
	rating_trainer	smallint CHECK (rating_trainer BETWEEN 1 AND 5),
	rating_overall	smallint CHECK (rating_overall BETWEEN 1 AND 5),
	knowledge_before smallint CHECK (knowledge_before BETWEEN 1 AND 10),
	knowledge_after	smallint CHECK (knowledge_after BETWEEN 1 AND 10),
	confidence_before smallint CHECK (confidence_before BETWEEN 1 AND 10),
	confidence_after smallint CHECK (confidence_after BETWEEN 1 AND 10),
	outcomes_met	text CHECK (outcomes_met IN ('yes', 'partly', 'no')),
	improve_safeguarding text CHECK (improve_safeguarding IN ('yes', 'no', 'unsure')),
	action		text,
	comments	text,
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	entered_by	bigint REFERENCES people (id),
	CHECK (source = 'paper' OR booking_id IS NOT NULL)
);
CREATE INDEX evaluations_session ON evaluations (session_id);
COMMENT ON TABLE evaluations IS
	'Same-day evaluations: one per attended booking online, or anonymous '
	'paper forms uploaded by the trainer (session only).';
COMMENT ON COLUMN evaluations.id IS 'Surrogate key.';
COMMENT ON COLUMN evaluations.session_id IS 'The session evaluated.';
COMMENT ON COLUMN evaluations.booking_id IS
	'The delegate''s booking; NULL for an anonymous paper form.';
COMMENT ON COLUMN evaluations.source IS 'online or paper.';
COMMENT ON COLUMN evaluations.rating_content IS 'Content, 1 poor to 5 excellent.';
COMMENT ON COLUMN evaluations.rating_delivery IS 'Delivery, 1 to 5.';
COMMENT ON COLUMN evaluations.rating_venue IS 'Venue, 1 to 5.';
COMMENT ON COLUMN evaluations.rating_trainer IS 'Trainer, 1 to 5.';
COMMENT ON COLUMN evaluations.rating_overall IS 'Overall, 1 to 5.';
COMMENT ON COLUMN evaluations.knowledge_before IS 'Knowledge before, 1 to 10.';
COMMENT ON COLUMN evaluations.knowledge_after IS 'Knowledge after, 1 to 10.';
COMMENT ON COLUMN evaluations.confidence_before IS 'Confidence before, 1 to 10.';
COMMENT ON COLUMN evaluations.confidence_after IS 'Confidence after, 1 to 10.';
COMMENT ON COLUMN evaluations.outcomes_met IS 'Learning outcomes met: yes, partly, no.';
COMMENT ON COLUMN evaluations.improve_safeguarding IS
	'Will this training improve your ability to safeguard children: yes, no, unsure.';
COMMENT ON COLUMN evaluations.action IS 'One action the delegate will take.';
COMMENT ON COLUMN evaluations.comments IS 'Comments.';
COMMENT ON COLUMN evaluations.submitted_at IS 'When it was submitted or uploaded.';
COMMENT ON COLUMN evaluations.entered_by IS 'The trainer who uploaded a paper form.';

CREATE TABLE followups (
	id		bigserial PRIMARY KEY,
	booking_id	bigint NOT NULL UNIQUE REFERENCES bookings (id),
	due_on		date NOT NULL,
	token_hash	bytea UNIQUE CHECK (length(token_hash) = 32),
	asked_at	timestamptz,
	applied		text CHECK (applied IN ('yes', 'no')),
	example		text,
	confidence_now	smallint CHECK (confidence_now BETWEEN 1 AND 10),
	changed_information_sharing boolean,
	changed_joint_working boolean,
	changed_referrals boolean,
	completed_at	timestamptz,
	CHECK (completed_at IS NULL OR applied IS NOT NULL)
);
CREATE INDEX followups_due ON followups (due_on) WHERE completed_at IS NULL;
COMMENT ON TABLE followups IS 'Three-month follow-ups of attended bookings.';
COMMENT ON COLUMN followups.id IS 'Surrogate key.';
COMMENT ON COLUMN followups.booking_id IS 'The attended booking followed up.';
COMMENT ON COLUMN followups.due_on IS 'Three months after the session.';
COMMENT ON COLUMN followups.token_hash IS 'Hash of the link''s token mailed to the delegate.';
COMMENT ON COLUMN followups.asked_at IS 'When the delegate was asked.';
COMMENT ON COLUMN followups.applied IS 'Has the delegate applied the learning: yes or no.';
COMMENT ON COLUMN followups.example IS 'An example of applying it.';
COMMENT ON COLUMN followups.confidence_now IS 'Confidence now, 1 to 10.';
COMMENT ON COLUMN followups.changed_information_sharing IS 'Information sharing changed.';
COMMENT ON COLUMN followups.changed_joint_working IS 'Joint working changed.';
COMMENT ON COLUMN followups.changed_referrals IS 'Referrals changed.';
COMMENT ON COLUMN followups.completed_at IS 'When the delegate answered.';

CREATE TABLE manager_reviews (
	id		bigserial PRIMARY KEY,
	booking_id	bigint NOT NULL UNIQUE REFERENCES bookings (id),
	manager_email	text,
	token_hash	bytea UNIQUE CHECK (length(token_hash) = 32),
	asked_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	answered_at	timestamptz,
	changed_practice text CHECK (changed_practice IN ('yes', 'no', 'not_sure')),
	evidence	text,
	CHECK ((answered_at IS NULL) = (changed_practice IS NULL))
);
COMMENT ON TABLE manager_reviews IS
	'The line manager''s three-month answer, through a one-time link (no account).';
COMMENT ON COLUMN manager_reviews.id IS 'Surrogate key.';
COMMENT ON COLUMN manager_reviews.booking_id IS 'The attended booking asked about.';
COMMENT ON COLUMN manager_reviews.manager_email IS
	'Where the question went; NULL once the person is erased.';
COMMENT ON COLUMN manager_reviews.token_hash IS 'Hash of the one-time link''s token.';
COMMENT ON COLUMN manager_reviews.asked_at IS 'When the manager was asked.';
COMMENT ON COLUMN manager_reviews.expires_at IS 'When the link stops working.';
COMMENT ON COLUMN manager_reviews.answered_at IS 'When the manager answered.';
COMMENT ON COLUMN manager_reviews.changed_practice IS
	'Has the training changed their practice: yes, no, not_sure.';
COMMENT ON COLUMN manager_reviews.evidence IS 'The manager''s evidence.';
