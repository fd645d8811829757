-- Disclosure control of the evaluation answers: figures that no sequence
-- of requests can trace to one person (README, "Disclosure control").
--
-- A session's same-day forms reach any figure only in released steps:
--
--   * nothing is released while the session's same-day window is open
--     (until 14 days after its end), so no figure moves as its forms
--     arrive one by one;
--   * when the window has closed, the forms entered before it closed are
--     one step; forms entered later (paper forms typed up afterwards)
--     gather, in the order they were entered, into further steps;
--   * a step is released (numbered: evaluations.step) when it holds at
--     least 5 forms; otherwise it waits for more forms; a released form
--     stays in its step (voiding a batch takes its forms out of every
--     figure);
--   * a viewer's figures count a step only when at least 5 of its forms
--     (not voided) were neither typed in nor uploaded by that viewer, so
--     forms one makes up oneself never lift a step into one's view.
--
-- Any figure is then a sum over whole released steps, so the difference
-- of any two requests (or of the same request before and after a change)
-- is a sum over whole steps: never fewer than 5 forms that the person
-- asking did not enter. Under an agency, sector or area filter, a
-- session's forms and places count only when every person who attended
-- it falls within the filter (report_session_in), so that a filter never
-- splits a step.
--
-- Answers carry no time finer than their session: the time a form was
-- submitted is kept as the session's start.
--
-- Paper forms come in batches (evaluation_uploads: a CSV file, or forms
-- typed in): each batch records who entered it and how many forms; a
-- coordinator may void one, and its forms leave every figure.

ALTER TABLE evaluation_uploads
	ALTER COLUMN sha256 DROP NOT NULL,
	ADD COLUMN typed boolean NOT NULL DEFAULT false,
	ADD COLUMN voided_at timestamptz,
	ADD COLUMN voided_by bigint REFERENCES people (id),
	ADD COLUMN void_reason text CHECK (length(void_reason) <= 500),
	ADD CONSTRAINT evaluation_uploads_file CHECK (typed OR sha256 IS NOT NULL),
	ADD CONSTRAINT evaluation_uploads_void
	    CHECK ((voided_at IS NULL) = (void_reason IS NULL));
COMMENT ON TABLE evaluation_uploads IS
	'Batches of paper same-day forms: a CSV file a trainer or coordinator '
	'uploaded (the same file twice for one session is refused), or forms '
	'typed in. A voided batch''s forms leave every figure.';
COMMENT ON COLUMN evaluation_uploads.sha256 IS
	'SHA-256 of the file''s bytes; NULL for forms typed in.';
COMMENT ON COLUMN evaluation_uploads.typed IS 'Forms typed in, not a file.';
COMMENT ON COLUMN evaluation_uploads.voided_at IS
	'When a coordinator voided the batch; NULL while it counts.';
COMMENT ON COLUMN evaluation_uploads.voided_by IS 'The coordinator who voided it.';
COMMENT ON COLUMN evaluation_uploads.void_reason IS 'Why it was voided.';

-- Paper forms typed in before batches were recorded: one batch each
-- session and person who typed them.
WITH b AS (
	INSERT INTO evaluation_uploads (session_id, forms, uploaded_by, typed)
	SELECT session_id, count(*), entered_by, true
	  FROM evaluations
	 WHERE source = 'paper' AND upload_id IS NULL
	 GROUP BY session_id, entered_by
	RETURNING id, session_id, uploaded_by)
UPDATE evaluations e SET upload_id = b.id
  FROM b
 WHERE e.source = 'paper' AND e.upload_id IS NULL
   AND e.session_id = b.session_id
   AND e.entered_by IS NOT DISTINCT FROM b.uploaded_by;

ALTER TABLE evaluations
	ADD COLUMN late boolean NOT NULL DEFAULT false,
	ADD COLUMN step integer CHECK (step > 0);
COMMENT ON COLUMN evaluations.late IS
	'Entered after the session''s same-day window closed (paper forms '
	'typed up later): released in steps of their own.';
COMMENT ON COLUMN evaluations.step IS
	'The released step of its session the form belongs to (1, 2, ...); '
	'NULL while it waits (see the migration''s header).';
COMMENT ON COLUMN evaluations.submitted_at IS
	'The session''s start: no answer carries a finer time.';
CREATE INDEX evaluations_pending ON evaluations (session_id)
	WHERE step IS NULL;

UPDATE evaluations e
   SET late = e.submitted_at >= s.ends_at + interval '14 days',
       submitted_at = s.starts_at
  FROM sessions s
 WHERE s.id = e.session_id;

-- The session's same-day window closes 14 days after its end.
CREATE FUNCTION evaluation_window_closes(p_session bigint)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT ends_at + interval '14 days' FROM sessions WHERE id = p_session
$$;
COMMENT ON FUNCTION evaluation_window_closes(bigint) IS
	'When the session''s same-day evaluation window closes.';

-- Before a form is stored: whether it came after the window, and its
-- time coarsened to the session.
CREATE FUNCTION evaluation_coarsen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_starts timestamptz;
BEGIN
	SELECT starts_at INTO v_starts FROM sessions WHERE id = NEW.session_id;
	NEW.late := coalesce(NEW.submitted_at, now()) >=
	    evaluation_window_closes(NEW.session_id);
	NEW.submitted_at := v_starts;
	NEW.step := NULL;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION evaluation_coarsen() IS
	'Row trigger: marks a late form and keeps only its session''s time.';
CREATE TRIGGER evaluations_coarsen BEFORE INSERT ON evaluations
	FOR EACH ROW EXECUTE FUNCTION evaluation_coarsen();

-- Release what may be released of a session's forms (see the header);
-- returns how many forms it released. Idempotent: the same forms in the
-- same order always make the same steps.
CREATE FUNCTION evaluation_release(p_session bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	r		record;
	v_ids		bigint[] := '{}';
	v_step		integer;
	v_released	integer := 0;
BEGIN
	IF coalesce(evaluation_window_closes(p_session) > now(), true) THEN
		RETURN 0;
	END IF;
	SELECT coalesce(max(step), 0) INTO v_step FROM evaluations
	 WHERE session_id = p_session;
	FOR r IN
		SELECT e.id, e.late,
		       lead(e.late, 1, true) OVER (ORDER BY e.late, e.id)
		           AS next_late
		  FROM evaluations e
		  LEFT JOIN evaluation_uploads u ON u.id = e.upload_id
		 WHERE e.session_id = p_session AND e.step IS NULL
		   AND u.voided_at IS NULL
		 ORDER BY e.late, e.id
	LOOP
		v_ids := v_ids || r.id;
		-- The forms entered in the window make one step.
		CONTINUE WHEN NOT r.late AND NOT r.next_late;
		IF cardinality(v_ids) >= 5 THEN
			v_step := v_step + 1;
			UPDATE evaluations SET step = v_step
			 WHERE id = ANY (v_ids);
			v_released := v_released + cardinality(v_ids);
			v_ids := '{}';
		END IF;
	END LOOP;
	RETURN v_released;
END
$$;
COMMENT ON FUNCTION evaluation_release(bigint) IS
	'Releases the steps of a session''s forms that may be released.';

-- Forms entered after a window closed are released as soon as a step
-- is complete (the scheduled loop releases at the window's close).
CREATE FUNCTION evaluation_release_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM evaluation_release(s.session_id)
	   FROM (SELECT DISTINCT session_id FROM evaluation_rows) s;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION evaluation_release_inserted() IS
	'Statement trigger: releases what the inserted forms complete.';
CREATE TRIGGER evaluations_release AFTER INSERT ON evaluations
	REFERENCING NEW TABLE AS evaluation_rows FOR EACH STATEMENT
	EXECUTE FUNCTION evaluation_release_inserted();

SELECT evaluation_release(id) FROM sessions
 WHERE EXISTS (SELECT 1 FROM evaluations e WHERE e.session_id = sessions.id);

-- Whether every person who attended the session (attended or partial)
-- falls within the person filters; true when none is set. A session
-- nobody attended falls within no filter.
CREATE FUNCTION report_session_in(p_session bigint, p_agency bigint,
    p_sector text, p_area text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT (p_agency IS NULL AND p_sector IS NULL AND p_area IS NULL)
	    OR (EXISTS (SELECT 1 FROM bookings b
	                 WHERE b.session_id = p_session
	                   AND b.status IN ('attended', 'partial'))
	        AND NOT EXISTS (SELECT 1 FROM bookings b
	                 JOIN people p ON p.id = b.person_id
	                 LEFT JOIN agencies a ON a.id = p.agency_id
	                WHERE b.session_id = p_session
	                  AND b.status IN ('attended', 'partial')
	                  AND NOT coalesce(
	                      (p_agency IS NULL OR p.agency_id = p_agency)
	                      AND (p_sector IS NULL OR a.sector = p_sector)
	                      AND (p_area IS NULL OR a.area = p_area), false)))
$$;
COMMENT ON FUNCTION report_session_in(bigint, bigint, text, text) IS
	'Whether all of a session''s attendees fall within the person filters.';

-- The same-day forms of the selected sessions that count: not voided,
-- of sessions within the person filters (report_session_in). `released`
-- says whether the form's answers may be shown to the viewer p_viewer
-- (a person; NULL for one who entered no form): its step is released and
-- holds at least 5 forms (not voided) the viewer did not type in or
-- upload. Completion counts every form.
DROP FUNCTION report_forms(date, date, bigint, text, bigint, text, text,
    text, text[]);
CREATE FUNCTION report_forms(p_from date, p_to date, p_course bigint,
    p_topic text, p_agency bigint, p_sector text, p_area text,
    p_level text, p_exclude text[], p_viewer bigint)
RETURNS TABLE (evaluation_id bigint, session_id bigint, course_id bigint,
    booking_id bigint, fy integer, source text, rating_content smallint,
    rating_delivery smallint, rating_venue smallint, rating_trainer smallint,
    rating_overall smallint, knowledge_before smallint,
    knowledge_after smallint, confidence_before smallint,
    confidence_after smallint, outcomes_met text, improve_safeguarding text,
    released boolean)
LANGUAGE sql STABLE AS $$
	SELECT e.id, e.session_id, s.course_id, e.booking_id, s.fy, e.source,
	       e.rating_content, e.rating_delivery, e.rating_venue,
	       e.rating_trainer, e.rating_overall, e.knowledge_before,
	       e.knowledge_after, e.confidence_before, e.confidence_after,
	       e.outcomes_met, e.improve_safeguarding,
	       e.step IS NOT NULL AND count(*) FILTER (WHERE p_viewer IS NULL
	           OR e.entered_by IS DISTINCT FROM p_viewer)
	           OVER (PARTITION BY e.session_id, e.step) >= 5
	  FROM report_sessions(p_from, p_to, p_course, p_topic, p_level,
	           p_exclude) s
	  JOIN evaluations e ON e.session_id = s.session_id
	  LEFT JOIN evaluation_uploads u ON u.id = e.upload_id
	 WHERE u.voided_at IS NULL
	   AND report_session_in(s.session_id, p_agency, p_sector, p_area)
$$;
COMMENT ON FUNCTION report_forms(date, date, bigint, text, bigint, text,
    text, text, text[], bigint) IS
	'The same-day forms a report counts (see the migration''s header).';
CREATE INDEX evaluations_entered_by ON evaluations (entered_by)
	WHERE entered_by IS NOT NULL;

-- A session's three-month answers and line managers' answers count once
-- every window of the session has closed and at least 5 have answered.
CREATE FUNCTION report_followups_closed(p_session bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT NOT EXISTS (SELECT 1 FROM followups f
	                    JOIN bookings b ON b.id = f.booking_id
	                   WHERE b.session_id = p_session
	                     AND f.due_on + 30 > CURRENT_DATE)
	   AND (SELECT count(*) FROM followups f
	          JOIN bookings b ON b.id = f.booking_id
	         WHERE b.session_id = p_session
	           AND f.completed_at IS NOT NULL) >= 5
$$;
COMMENT ON FUNCTION report_followups_closed(bigint) IS
	'Whether a session''s three-month answers may be shown.';

CREATE FUNCTION report_managers_closed(p_session bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT NOT EXISTS (SELECT 1 FROM manager_reviews m
	                    JOIN bookings b ON b.id = m.booking_id
	                   WHERE b.session_id = p_session
	                     AND m.answered_at IS NULL AND m.expires_at > now())
	   AND (SELECT count(*) FROM manager_reviews m
	          JOIN bookings b ON b.id = m.booking_id
	         WHERE b.session_id = p_session
	           AND m.answered_at IS NOT NULL) >= 5
$$;
COMMENT ON FUNCTION report_managers_closed(bigint) IS
	'Whether a session''s line managers'' answers may be shown.';

-- Voiding a batch changes what the reports read.
CREATE TRIGGER evaluation_uploads_report_update AFTER UPDATE
	ON evaluation_uploads REFERENCING NEW TABLE AS report_rows
	FOR EACH STATEMENT EXECUTE FUNCTION report_change_record();

-- The forms of one session whose answers p_viewer may see (NULL: one who
-- entered none): the rule of report_forms() for a session's own pages.
CREATE FUNCTION evaluation_visible(p_session bigint, p_viewer bigint)
RETURNS SETOF evaluations LANGUAGE sql STABLE AS $$
	SELECT e.* FROM evaluations e
	  LEFT JOIN evaluation_uploads u ON u.id = e.upload_id
	 WHERE e.session_id = p_session AND u.voided_at IS NULL
	   AND e.step IN (SELECT x.step FROM evaluations x
	         LEFT JOIN evaluation_uploads xu ON xu.id = x.upload_id
	        WHERE x.session_id = p_session AND xu.voided_at IS NULL
	          AND x.step IS NOT NULL
	          AND (p_viewer IS NULL OR x.entered_by IS DISTINCT FROM p_viewer)
	        GROUP BY x.step HAVING count(*) >= 5)
$$;
COMMENT ON FUNCTION evaluation_visible(bigint, bigint) IS
	'A session''s forms whose answers the viewer may see.';

-- The answers before the course: shown once the session has started and
-- at least 5 have answered.
CREATE FUNCTION baseline_visible(p_session bigint)
RETURNS SETOF baselines LANGUAGE sql STABLE AS $$
	SELECT bl.* FROM baselines bl JOIN sessions s ON s.id = bl.session_id
	 WHERE bl.session_id = p_session AND s.starts_at <= now()
	   AND (SELECT count(*) FROM baselines x
	         WHERE x.session_id = p_session) >= 5
$$;
COMMENT ON FUNCTION baseline_visible(bigint) IS
	'A session''s answers before the course that may be shown.';
