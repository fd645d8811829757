-- The training programme: courses, their sessions and trainers,
-- bookings, and training records.

CREATE TABLE courses (
	id		bigserial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,20}$'),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	summary		text NOT NULL DEFAULT '',
	format		text NOT NULL CHECK (format IN ('full_day', 'half_day',
			    'twilight', 'e_learning', 'seminar', 'conference')),
	duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 1440),
	multi_agency	boolean NOT NULL DEFAULT true,
	published	boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (format <> 'twilight' OR duration_minutes <= 120)
);
CREATE INDEX courses_published ON courses (title, id) WHERE published;
COMMENT ON TABLE courses IS 'Courses of the partnership''s training programme.';
COMMENT ON COLUMN courses.id IS 'Surrogate key.';
COMMENT ON COLUMN courses.code IS 'Programme code, e.g. SG3-NEG.';
COMMENT ON COLUMN courses.title IS 'Title shown in the catalogue.';
COMMENT ON COLUMN courses.summary IS 'What the course covers, for the catalogue.';
COMMENT ON COLUMN courses.format IS
	'full_day, half_day, twilight (up to 2 hours), e_learning, seminar, conference.';
COMMENT ON COLUMN courses.duration_minutes IS 'Length of one session.';
COMMENT ON COLUMN courses.multi_agency IS 'Whether it is a multi-agency course.';
COMMENT ON COLUMN courses.published IS 'Whether it shows in the public catalogue.';
COMMENT ON COLUMN courses.created_at IS 'When it was added.';

CREATE TABLE course_group_levels (
	course_id	bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	group_level_id	integer NOT NULL REFERENCES group_levels (id),
	PRIMARY KEY (course_id, group_level_id)
);
CREATE INDEX course_group_levels_level ON course_group_levels (group_level_id);
COMMENT ON TABLE course_group_levels IS 'Group levels a course qualifies for.';
COMMENT ON COLUMN course_group_levels.course_id IS 'The course.';
COMMENT ON COLUMN course_group_levels.group_level_id IS 'A level it qualifies for.';

CREATE TABLE course_topics (
	course_id	bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	topic_id	integer NOT NULL REFERENCES topics (id),
	PRIMARY KEY (course_id, topic_id)
);
CREATE INDEX course_topics_topic ON course_topics (topic_id);
COMMENT ON TABLE course_topics IS 'Topics a course covers.';
COMMENT ON COLUMN course_topics.course_id IS 'The course.';
COMMENT ON COLUMN course_topics.topic_id IS 'A topic it covers.';

CREATE TABLE sessions (
	id		bigserial PRIMARY KEY,
	course_id	bigint NOT NULL REFERENCES courses (id),
	starts_at	timestamptz NOT NULL,
	ends_at		timestamptz NOT NULL,
	venue		text NOT NULL DEFAULT '',
	capacity	integer NOT NULL CHECK (capacity BETWEEN 0 AND 10000),
	booking_opens_at timestamptz NOT NULL,
	booking_closes_at timestamptz NOT NULL,
	cancel_cutoff_hours integer NOT NULL DEFAULT 48
			CHECK (cancel_cutoff_hours BETWEEN 0 AND 2160),
	status		text NOT NULL DEFAULT 'scheduled'
			CHECK (status IN ('scheduled', 'cancelled')),
	cancel_reason	text,
	confirmed_count	integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
	waitlist_count	integer NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
	waitlist_next	integer NOT NULL DEFAULT 1 CHECK (waitlist_next >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_at > starts_at),
	CHECK (booking_closes_at > booking_opens_at),
	CHECK (booking_closes_at <= ends_at),
	CHECK (confirmed_count <= capacity)
);
CREATE INDEX sessions_course ON sessions (course_id, starts_at);
CREATE INDEX sessions_starts ON sessions (starts_at) WHERE status = 'scheduled';
COMMENT ON TABLE sessions IS 'Dated deliveries of a course.';
COMMENT ON COLUMN sessions.id IS 'Surrogate key.';
COMMENT ON COLUMN sessions.course_id IS 'The course delivered.';
COMMENT ON COLUMN sessions.starts_at IS 'Start.';
COMMENT ON COLUMN sessions.ends_at IS 'End.';
COMMENT ON COLUMN sessions.venue IS 'Where, or "Online".';
COMMENT ON COLUMN sessions.capacity IS 'Places.';
COMMENT ON COLUMN sessions.booking_opens_at IS 'Bookings taken from.';
COMMENT ON COLUMN sessions.booking_closes_at IS 'Bookings taken until.';
COMMENT ON COLUMN sessions.cancel_cutoff_hours IS
	'Hours before the start after which a cancellation is late.';
COMMENT ON COLUMN sessions.status IS 'scheduled or cancelled (by the board).';
COMMENT ON COLUMN sessions.cancel_reason IS 'Why the board cancelled it.';
COMMENT ON COLUMN sessions.confirmed_count IS
	'Confirmed places, kept by the booking transaction under the row lock; '
	'CHECKed against capacity so the session can never be overbooked.';
COMMENT ON COLUMN sessions.waitlist_count IS 'People on the waitlist now.';
COMMENT ON COLUMN sessions.waitlist_next IS
	'Next waitlist position to hand out (first come, first served).';
COMMENT ON COLUMN sessions.created_at IS 'When it was scheduled.';

CREATE TABLE session_trainers (
	session_id	bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	person_id	bigint NOT NULL REFERENCES people (id),
	PRIMARY KEY (session_id, person_id)
);
CREATE INDEX session_trainers_person ON session_trainers (person_id);
COMMENT ON TABLE session_trainers IS 'Who trains at a session.';
COMMENT ON COLUMN session_trainers.session_id IS 'The session.';
COMMENT ON COLUMN session_trainers.person_id IS 'A trainer of it.';

CREATE TABLE bookings (
	id		bigserial PRIMARY KEY,
	session_id	bigint NOT NULL REFERENCES sessions (id),
	person_id	bigint NOT NULL REFERENCES people (id),
	status		text NOT NULL CHECK (status IN ('confirmed', 'waitlisted',
			    'cancelled', 'late_cancelled', 'board_cancelled',
			    'attended', 'partial', 'no_show')),
	waitlist_position integer CHECK (waitlist_position >= 1),
	booked_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz,
	cancelled_at	timestamptz,
	attendance_at	timestamptz,
	idempotency_key	text CHECK (length(idempotency_key) <= 200),
	ics_sequence	integer NOT NULL DEFAULT 0,
	booked_by	bigint REFERENCES people (id),
	CHECK ((status = 'waitlisted') = (waitlist_position IS NOT NULL)),
	CHECK (status NOT IN ('cancelled', 'late_cancelled', 'board_cancelled')
	    OR cancelled_at IS NOT NULL)
);
CREATE UNIQUE INDEX bookings_one_live ON bookings (session_id, person_id)
	WHERE status IN ('confirmed', 'waitlisted');
CREATE UNIQUE INDEX bookings_waitlist_position ON bookings
	(session_id, waitlist_position) WHERE status = 'waitlisted';
CREATE UNIQUE INDEX bookings_idempotency ON bookings (person_id, idempotency_key)
	WHERE idempotency_key IS NOT NULL;
CREATE INDEX bookings_person ON bookings (person_id, session_id);
CREATE INDEX bookings_session ON bookings (session_id, status);
COMMENT ON TABLE bookings IS 'Places booked on sessions, and what became of them.';
COMMENT ON COLUMN bookings.id IS 'Surrogate key.';
COMMENT ON COLUMN bookings.session_id IS 'The session.';
COMMENT ON COLUMN bookings.person_id IS 'Who the place is for.';
COMMENT ON COLUMN bookings.status IS
	'confirmed, waitlisted; cancelled (by the person), late_cancelled (after '
	'the cut-off), board_cancelled; after the session attended, partial, no_show.';
COMMENT ON COLUMN bookings.waitlist_position IS
	'Place in the queue while waitlisted, first come first served.';
COMMENT ON COLUMN bookings.booked_at IS 'When the booking was made.';
COMMENT ON COLUMN bookings.confirmed_at IS 'When a place was confirmed (or promoted).';
COMMENT ON COLUMN bookings.cancelled_at IS 'When it was cancelled.';
COMMENT ON COLUMN bookings.attendance_at IS 'When the register was taken.';
COMMENT ON COLUMN bookings.idempotency_key IS
	'Client''s Idempotency-Key: the same key books once.';
COMMENT ON COLUMN bookings.ics_sequence IS
	'SEQUENCE of the calendar invitation, raised on every change.';
COMMENT ON COLUMN bookings.booked_by IS
	'Who made the booking when not the person (a coordinator).';

CREATE TABLE training_records (
	id		bigserial PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES people (id),
	group_level_id	integer NOT NULL REFERENCES group_levels (id),
	completed_on	date NOT NULL,
	title		text NOT NULL,
	provider	text NOT NULL,
	source		text NOT NULL CHECK (source IN ('booking', 'import')),
	booking_id	bigint UNIQUE REFERENCES bookings (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((source = 'booking') = (booking_id IS NOT NULL))
);
CREATE INDEX training_records_person ON training_records (person_id, completed_on);
COMMENT ON TABLE training_records IS
	'What counts as trained: attended bookings and imported single-agency training.';
COMMENT ON COLUMN training_records.id IS 'Surrogate key.';
COMMENT ON COLUMN training_records.person_id IS 'Who was trained.';
COMMENT ON COLUMN training_records.group_level_id IS 'Level the training qualifies for.';
COMMENT ON COLUMN training_records.completed_on IS 'Date of the training.';
COMMENT ON COLUMN training_records.title IS 'Course or training title.';
COMMENT ON COLUMN training_records.provider IS
	'Who provided it: the partnership, or e.g. the school in-house.';
COMMENT ON COLUMN training_records.source IS 'booking (attended) or import.';
COMMENT ON COLUMN training_records.booking_id IS 'The attended booking, for source booking.';
COMMENT ON COLUMN training_records.created_at IS 'When the record was made.';
