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
	'Personal data: the name as the trainer typed it, shown on the register.';
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
