-- The same-day window's close, one rule in the database too.
--
-- The portal's rule (evaluation_windows() in app/evaluation.c): a
-- session's same-day form closes 14 days after the session's end, at the
-- same clock time in London. The database keeps that close for the
-- disclosure control (evaluation_window_closes(): a form after it is
-- late, and a session's forms are released from it) and the same-day
-- invitation (none once the window has closed). Both added 14 days to
-- the end in the connection's time zone: the same in the portal's own
-- cluster (Europe/London), an hour off across a clock change on a server
-- kept in UTC. Now the close is worked out in London's clock whatever
-- the connection's time zone, and the invitation asks
-- evaluation_window_closes() instead of repeating the 14 days.

CREATE OR REPLACE FUNCTION evaluation_window_closes(p_session bigint)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT ((ends_at AT TIME ZONE 'Europe/London') + interval '14 days')
	       AT TIME ZONE 'Europe/London'
	  FROM sessions WHERE id = p_session
$$;
COMMENT ON FUNCTION evaluation_window_closes(bigint) IS
	'When the session''s same-day evaluation window closes: 14 days after '
	'its end, clock time in London (migration 0027).';

CREATE OR REPLACE FUNCTION evaluation_invite() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	kind	text;
	url	text := nullif(current_setting('portal.public_url', true), '');
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
			ELSE evaluation_window_closes(s.id) > now() END),
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
			      'FMDay FMDD FMMonth YYYY')
		   || E', please tell us how you rate your knowledge and '
		   || E'confidence now, and what you hope to learn. It takes '
		   || E'a minute and helps the trainer.\n\n'
		  ELSE
		   'Thank you for attending ' || b.title || ' on '
		   || to_char(b.starts_at AT TIME ZONE 'Europe/London',
			      'FMDay FMDD FMMonth YYYY')
		   || E'. Please fill in the evaluation within 14 days of the '
		   || E'course: your answers are anonymous and help the board '
		   || E'improve its training.\n\n'
		  END
	       || CASE WHEN url IS NULL THEN
		   E'Sign in to the Safeguarding Training Portal and open '
		   || E'"Your evaluations" on your account page.\n'
		  ELSE
		   E'Fill it in here (you will be asked to sign in first):\n'
		   || url || '/evaluation?booking=' || NEW.id || '&stage='
		   || kind || E'\n'
		  END
	  FROM b, n;
	RETURN NULL;
END;
$$;
COMMENT ON FUNCTION evaluation_invite() IS
	'Puts the baseline invitation (booking confirmed) or the same-day '
	'invitation (marked attended or partial) in the outbox, once a booking, '
	'with a link to the form itself when the connection knows the '
	'portal''s address (portal.public_url).';
