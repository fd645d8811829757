-- Reminders five days before a session, written by the mail sender.

ALTER TABLE bookings ADD COLUMN reminded_at timestamptz;
COMMENT ON COLUMN bookings.reminded_at IS
	'When the reminder five days before the session went into the outbox.';
CREATE INDEX sessions_upcoming ON sessions (starts_at)
	WHERE status = 'scheduled';
