-- A session's last use is recorded to the minute, not on every request
-- (app/db_session.c), so that a busy session does not write each time.

COMMENT ON COLUMN web_sessions.last_seen_at IS
	'Last request, recorded at most once a minute; idle after 30 minutes.';
