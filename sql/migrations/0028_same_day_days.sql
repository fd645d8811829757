-- The same-day window's length, one number in the database.
--
-- A session's same-day form closes evaluation_window_days() days after
-- the session's end, at the same clock time in London (the portal's side
-- of the rule is EVALUATION_SAME_DAY_DAYS in app/evaluation.h).
-- evaluation_window_closes() works the close out from it, and the
-- same-day invitation names it in its words ("within 14 days of the
-- course"), where each wrote 14 of its own.

CREATE OR REPLACE FUNCTION evaluation_window_days()
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT 14
$$;
COMMENT ON FUNCTION evaluation_window_days() IS
	'How many days after a session''s end its same-day evaluation window '
	'stays open: the days evaluation_window_closes() adds and the same-day '
	'invitation names.';

CREATE OR REPLACE FUNCTION evaluation_window_closes(p_session bigint)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT ((ends_at AT TIME ZONE 'Europe/London')
	        + make_interval(days => evaluation_window_days()))
	       AT TIME ZONE 'Europe/London'
	  FROM sessions WHERE id = p_session
$$;
COMMENT ON FUNCTION evaluation_window_closes(bigint) IS
	'When the session''s same-day evaluation window closes: '
	'evaluation_window_days() after its end, clock time in London.';

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
		   || E'. Please fill in the evaluation within '
		   || evaluation_window_days() || E' days of the '
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
