-- No person holds two confirmed places at overlapping times: the database
-- guarantees it with an exclusion constraint over each booking's time,
-- a copy of its session's that triggers keep in step (a booking gets it
-- when made, and every booking of a session follows a rescheduling).

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE bookings ADD COLUMN during tstzrange;
COMMENT ON COLUMN bookings.during IS
	'When the session takes place (its starts_at to ends_at, half open), '
	'kept by triggers: what the no-overlap exclusion constraint compares.';

UPDATE bookings b SET during = tstzrange(s.starts_at, s.ends_at)
  FROM sessions s WHERE s.id = b.session_id;
ALTER TABLE bookings ALTER COLUMN during SET NOT NULL;

CREATE FUNCTION booking_during() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT tstzrange(s.starts_at, s.ends_at) INTO NEW.during
	  FROM sessions s WHERE s.id = NEW.session_id;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION booking_during() IS
	'Sets a booking''s during from its session, whatever the caller sent.';
CREATE TRIGGER bookings_during BEFORE INSERT OR UPDATE OF session_id, during
	ON bookings FOR EACH ROW EXECUTE FUNCTION booking_during();

CREATE FUNCTION session_during() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE bookings SET during = tstzrange(NEW.starts_at, NEW.ends_at)
	 WHERE session_id = NEW.id;
	RETURN NULL;
END $$;
COMMENT ON FUNCTION session_during() IS
	'Moves the bookings of a rescheduled session with it.';
CREATE TRIGGER sessions_during AFTER UPDATE OF starts_at, ends_at ON sessions
	FOR EACH ROW WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at
	    OR OLD.ends_at IS DISTINCT FROM NEW.ends_at)
	EXECUTE FUNCTION session_during();

-- Overlapping confirmed places made before this guarantee (two bookings
-- racing each other): the later booking of each such pair is cancelled
-- by the board, and the sessions' counters follow.
WITH later AS (
	UPDATE bookings b SET status = 'board_cancelled', cancelled_at = now(),
	       ics_sequence = b.ics_sequence + 1
	 WHERE b.status = 'confirmed' AND EXISTS (SELECT 1 FROM bookings o
	        WHERE o.person_id = b.person_id AND o.status = 'confirmed'
	          AND o.id < b.id AND o.during && b.during)
	RETURNING session_id)
UPDATE sessions s SET confirmed_count = s.confirmed_count - l.n
  FROM (SELECT session_id, count(*) AS n FROM later GROUP BY session_id) l
 WHERE l.session_id = s.id;

ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
	EXCLUDE USING gist (person_id WITH =, during WITH &&)
	WHERE (status = 'confirmed');
COMMENT ON CONSTRAINT bookings_no_overlap ON bookings IS
	'A person holds at most one confirmed place at any moment.';
