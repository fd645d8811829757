-- Walk-ins that cannot be made up: who added each, the name they typed
-- (shown on the register in place of the record found by the address,
-- so that the register says nothing of whether it was known), and the
-- coordinator's review of those a trainer added.

CREATE TABLE walk_ins (
	booking_id	bigint PRIMARY KEY REFERENCES bookings (id),
	added_by	bigint REFERENCES people (id),
	by_trainer	boolean NOT NULL,
	entered_name	text NOT NULL CHECK (length(entered_name) <= 200),
	entered_agency_id bigint REFERENCES agencies (id),
	added_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz,
	confirmed_by	bigint REFERENCES people (id),
	CHECK (confirmed_by IS NULL OR confirmed_at IS NOT NULL)
);
CREATE INDEX walk_ins_to_review ON walk_ins (added_at)
	WHERE confirmed_at IS NULL;
COMMENT ON TABLE walk_ins IS
	'Attended bookings added to a register by a trainer or coordinator '
	'(bookings.walk_in). Those a trainer added wait for a coordinator to '
	'confirm them or remove them; removing one deletes the booking, its '
	'training record and its evaluation invitation (audited).';
COMMENT ON COLUMN walk_ins.booking_id IS 'The walk-in''s attended booking.';
COMMENT ON COLUMN walk_ins.added_by IS 'Who added it.';
COMMENT ON COLUMN walk_ins.by_trainer IS
	'Added by a trainer of the session (not a coordinator): to be reviewed.';
COMMENT ON COLUMN walk_ins.entered_name IS
	'The name as the trainer typed it, shown on the register. [personal]';
COMMENT ON COLUMN walk_ins.entered_agency_id IS
	'The agency as the trainer gave it, shown on the register.';
COMMENT ON COLUMN walk_ins.added_at IS 'When it was added.';
COMMENT ON COLUMN walk_ins.confirmed_at IS
	'When a coordinator confirmed it (at once when a coordinator added it).';
COMMENT ON COLUMN walk_ins.confirmed_by IS 'The coordinator who confirmed it (NULL for walk-ins that predate '
	'the review).';

-- Walk-ins added before this review existed stand as they were.
INSERT INTO walk_ins (booking_id, added_by, by_trainer, entered_name,
		      entered_agency_id, added_at, confirmed_at)
SELECT b.id, b.booked_by, false, left(p.full_name, 200), p.agency_id,
       coalesce(b.attendance_at, b.booked_at),
       coalesce(b.attendance_at, b.booked_at)
  FROM bookings b JOIN people p ON p.id = b.person_id
 WHERE b.walk_in;

-- Line managers: where each person's manager address came from, and a
-- practitioner's change of their own manager, which takes effect only
-- through a link mailed to the practitioner's own address.

ALTER TABLE people ADD COLUMN manager_source text
	CHECK (manager_source IN ('staff_list', 'self'));
COMMENT ON COLUMN people.manager_source IS
	'Where manager_email came from: staff_list (a setting''s staff list, '
	'which wins over any other) or self (the person named them). NULL when '
	'there is no manager address. [not personal]';
-- Addresses already held: those of people without an account can only
-- have come from a staff list or an import; those of account holders are
-- counted as their own until a staff list names a manager.
UPDATE people p SET manager_source = CASE WHEN EXISTS (SELECT 1
	FROM accounts a WHERE a.person_id = p.id) THEN 'self'
	ELSE 'staff_list' END
 WHERE manager_email IS NOT NULL;

ALTER TABLE manager_reviews ADD COLUMN manager_source text NOT NULL
	DEFAULT 'self' CHECK (manager_source IN ('staff_list', 'self'));
COMMENT ON COLUMN manager_reviews.manager_source IS
	'Where the asked address came from when the link was made: staff_list '
	'(the reports'' manager_confirmed) or self (reported apart). '
	'[not personal]';
UPDATE manager_reviews m SET manager_source = p.manager_source
  FROM bookings b JOIN people p ON p.id = b.person_id
 WHERE b.id = m.booking_id AND p.manager_source IS NOT NULL
   AND lower(p.manager_email) = lower(m.manager_email);

CREATE TABLE manager_changes (
	id		bigserial PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES people (id),
	manager_email	text NOT NULL CHECK (length(manager_email) <= 254),
	token_hash	bytea NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	confirmed_at	timestamptz
);
CREATE INDEX manager_changes_person ON manager_changes (person_id);
COMMENT ON TABLE manager_changes IS
	'A practitioner''s change of their line manager, waiting for them to '
	'confirm it through a single-use link mailed to their own address '
	'(24 hours); a newer request voids the older ones.';
COMMENT ON COLUMN manager_changes.id IS 'Surrogate key.';
COMMENT ON COLUMN manager_changes.person_id IS 'Whose manager changes.';
COMMENT ON COLUMN manager_changes.manager_email IS
	'The new manager''s address. [personal]';
COMMENT ON COLUMN manager_changes.token_hash IS
	'BLAKE2b-256 of the link''s token; the token itself is kept nowhere. '
	'[not personal]';
COMMENT ON COLUMN manager_changes.created_at IS 'When it was asked for.';
COMMENT ON COLUMN manager_changes.expires_at IS 'When the link stops working.';
COMMENT ON COLUMN manager_changes.confirmed_at IS
	'When the practitioner confirmed it (then it took effect).';
