-- Report aggregates: counts kept up to date in the transaction that writes
-- a booking, a baseline, a same-day form or a batch, so that a report's
-- first read sums a few thousand rows instead of reading every place and
-- form (README, "Report aggregates").
--
-- Buckets are a course and a month (the first day of the month, in
-- Europe/London, of the session's start): every report filter on
-- sessions (dates whole months, course, topic, level, formats) selects
-- whole buckets. A report whose filters do not (a date inside a month,
-- a person filter, a breakdown by agency or sector, a viewer who entered
-- forms) reads the rows themselves as before (db_report.c).
--
--   report_course_places  places by status and walk-in, and how many of
--                         them answered the baseline: changed by triggers
--                         on bookings and baselines by the difference of
--                         the changed rows (safe under concurrent writes).
--   report_agency_places  places by month, the person's agency (0: none)
--                         and status: the attendance and agencies reports.
--   report_course_forms   the same-day forms' answers as the evaluation
--                         report gathers them ([column, value, paired
--                         value, forms], migration 0015's columns 0-11),
--                         of the forms in released steps of 5 or more
--                         forms not voided (what a viewer who entered no
--                         form may see), and column 12: every form not
--                         voided by source (1 online, 0 paper), released
--                         or not. A change to a session's forms or batches
--                         recounts the session's bucket from its forms,
--                         under an advisory lock of the bucket, so the
--                         release rule is applied as report_forms() does.
--
-- Moving a session to another course or month moves its counts.

CREATE FUNCTION report_month(p_at timestamptz)
RETURNS date LANGUAGE sql STABLE AS $$
	SELECT date_trunc('month', p_at AT TIME ZONE 'Europe/London')::date
$$;
COMMENT ON FUNCTION report_month(timestamptz) IS
	'The report bucket''s month of a session''s start (Europe/London).';

CREATE TABLE report_course_places (
	course_id	bigint NOT NULL,
	month		date NOT NULL,
	status		text NOT NULL,
	walk_in		boolean NOT NULL,
	n		integer NOT NULL,
	baselines	integer NOT NULL,
	PRIMARY KEY (course_id, month, status, walk_in)
);
COMMENT ON TABLE report_course_places IS
	'Places of a course''s sessions starting in a month, by status '
	'(kept by triggers; migration 0021).';
COMMENT ON COLUMN report_course_places.course_id IS 'The sessions'' course.';
COMMENT ON COLUMN report_course_places.month IS
	'First day of the month the sessions start in (report_month()).';
COMMENT ON COLUMN report_course_places.status IS
	'The bookings'' status. [not personal]';
COMMENT ON COLUMN report_course_places.walk_in IS 'Walk-ins or booked.';
COMMENT ON COLUMN report_course_places.n IS 'How many places.';
COMMENT ON COLUMN report_course_places.baselines IS
	'How many of those places answered the baseline.';

CREATE TABLE report_agency_places (
	month		date NOT NULL,
	agency_id	bigint NOT NULL,
	status		text NOT NULL,
	n		integer NOT NULL,
	PRIMARY KEY (month, agency_id, status)
);
COMMENT ON TABLE report_agency_places IS
	'Places of sessions starting in a month by the person''s agency and '
	'status (kept by triggers; migration 0021).';
COMMENT ON COLUMN report_agency_places.month IS
	'First day of the month the sessions start in (report_month()).';
COMMENT ON COLUMN report_agency_places.agency_id IS
	'The person''s agency; 0 for none.';
COMMENT ON COLUMN report_agency_places.status IS
	'The bookings'' status. [not personal]';
COMMENT ON COLUMN report_agency_places.n IS 'How many places.';

CREATE TABLE report_course_forms (
	course_id	bigint NOT NULL,
	month		date NOT NULL,
	col		smallint NOT NULL,
	a		smallint NOT NULL,
	b		smallint NOT NULL,
	n		integer NOT NULL,
	PRIMARY KEY (course_id, month, col, a, b)
);
COMMENT ON TABLE report_course_forms IS
	'Same-day answers of a course''s sessions starting in a month, as '
	'counts (see migration 0021''s header; kept by triggers).';
COMMENT ON COLUMN report_course_forms.course_id IS 'The sessions'' course.';
COMMENT ON COLUMN report_course_forms.month IS
	'First day of the month the sessions start in (report_month()).';
COMMENT ON COLUMN report_course_forms.col IS
	'The column: 0-11 as the evaluation report''s, 12 every form.';
COMMENT ON COLUMN report_course_forms.a IS 'The value (0 blank).';
COMMENT ON COLUMN report_course_forms.b IS
	'The paired value (after, for columns 5 and 7); 0 otherwise.';
COMMENT ON COLUMN report_course_forms.n IS 'How many forms.';

-- Add to the counts: `k` places of each (course, month, agency, status,
-- walk-in) and `baseline` baselines answered on them (negative to take
-- away).
CREATE FUNCTION report_places_apply(p_course bigint[], p_month date[],
    p_agency bigint[], p_status text[], p_walk_in boolean[],
    p_baseline integer[], p_k integer[])
RETURNS void LANGUAGE sql AS $$
	WITH d AS (
		SELECT * FROM unnest(p_course, p_month, p_agency, p_status,
		    p_walk_in, p_baseline, p_k)
		    AS d (course_id, month, agency_id, status, walk_in,
		          baseline, k)),
	c AS (
		INSERT INTO report_course_places AS r (course_id, month, status,
		    walk_in, n, baselines)
		SELECT course_id, month, status, walk_in, sum(k),
		       sum(baseline)
		  FROM d GROUP BY 1, 2, 3, 4
		HAVING sum(k) <> 0 OR sum(baseline) <> 0
		 ORDER BY 1, 2, 3, 4
		ON CONFLICT (course_id, month, status, walk_in) DO UPDATE
		   SET n = r.n + excluded.n,
		       baselines = r.baselines + excluded.baselines)
	INSERT INTO report_agency_places AS r (month, agency_id, status, n)
	SELECT month, agency_id, status, sum(k) FROM d GROUP BY 1, 2, 3
	HAVING sum(k) <> 0
	 ORDER BY 1, 2, 3
	ON CONFLICT (month, agency_id, status) DO UPDATE
	   SET n = r.n + excluded.n
$$;
COMMENT ON FUNCTION report_places_apply(bigint[], date[], bigint[], text[],
    boolean[], integer[], integer[]) IS
	'Adds places (k each, negative to take away) to the place counts.';

-- The difference a statement made to bookings (transition tables
-- report_old and report_new): the changed rows out, as they were, and
-- in, as they are, each with its session's bucket and person's agency
-- now (sessions and people are not changed by the same statement).
CREATE FUNCTION report_bookings_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM report_places_apply(array_agg(s.course_id),
		    array_agg(report_month(s.starts_at)),
		    array_agg(coalesce(p.agency_id, 0)), array_agg(d.status),
		    array_agg(d.walk_in), array_agg(1 * (EXISTS (SELECT 1
		        FROM baselines bl WHERE bl.booking_id = d.id))::int),
		    array_agg(1))
		   FROM report_new d JOIN sessions s ON s.id = d.session_id
		   JOIN people p ON p.id = d.person_id;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM report_places_apply(array_agg(s.course_id),
		    array_agg(report_month(s.starts_at)),
		    array_agg(coalesce(p.agency_id, 0)), array_agg(d.status),
		    array_agg(d.walk_in), array_agg(-1 * (EXISTS (SELECT 1
		        FROM baselines bl WHERE bl.booking_id = d.id))::int),
		    array_agg(-1))
		   FROM report_old d JOIN sessions s ON s.id = d.session_id
		   JOIN people p ON p.id = d.person_id;
	ELSE
		PERFORM report_places_apply(array_agg(s.course_id),
		    array_agg(report_month(s.starts_at)),
		    array_agg(coalesce(p.agency_id, 0)), array_agg(d.status),
		    array_agg(d.walk_in), array_agg(d.k * (EXISTS (SELECT 1
		        FROM baselines bl WHERE bl.booking_id = d.id))::int),
		    array_agg(d.k))
		   FROM (SELECT o.id, o.session_id, o.person_id, o.status,
		                o.walk_in, -1 AS k
		           FROM report_old o JOIN report_new n ON n.id = o.id
		          WHERE (o.session_id, o.person_id, o.status, o.walk_in)
		                IS DISTINCT FROM
		                (n.session_id, n.person_id, n.status, n.walk_in)
		         UNION ALL
		         SELECT n.id, n.session_id, n.person_id, n.status,
		                n.walk_in, 1
		           FROM report_old o JOIN report_new n ON n.id = o.id
		          WHERE (o.session_id, o.person_id, o.status, o.walk_in)
		                IS DISTINCT FROM
		                (n.session_id, n.person_id, n.status, n.walk_in)) d
		   JOIN sessions s ON s.id = d.session_id
		   JOIN people p ON p.id = d.person_id;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_bookings_changed() IS
	'Statement trigger: keeps the place counts as bookings change.';
CREATE TRIGGER bookings_counts_insert AFTER INSERT ON bookings
	REFERENCING NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_bookings_changed();
CREATE TRIGGER bookings_counts_update AFTER UPDATE ON bookings
	REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_bookings_changed();
CREATE TRIGGER bookings_counts_delete AFTER DELETE ON bookings
	REFERENCING OLD TABLE AS report_old
	FOR EACH STATEMENT EXECUTE FUNCTION report_bookings_changed();

-- A baseline answered (or removed) counts on its booking's place.
CREATE FUNCTION report_baselines_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM report_places_apply(array_agg(s.course_id),
		    array_agg(report_month(s.starts_at)),
		    array_agg(coalesce(p.agency_id, 0)), array_agg(b.status),
		    array_agg(b.walk_in), array_agg(1), array_agg(0))
		   FROM report_new d JOIN bookings b ON b.id = d.booking_id
		   JOIN sessions s ON s.id = b.session_id
		   JOIN people p ON p.id = b.person_id;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM report_places_apply(array_agg(s.course_id),
		    array_agg(report_month(s.starts_at)),
		    array_agg(coalesce(p.agency_id, 0)), array_agg(b.status),
		    array_agg(b.walk_in), array_agg(-1), array_agg(0))
		   FROM report_old d JOIN bookings b ON b.id = d.booking_id
		   JOIN sessions s ON s.id = b.session_id
		   JOIN people p ON p.id = b.person_id;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_baselines_changed() IS
	'Statement trigger: keeps the baselines'' counts on their places.';
CREATE TRIGGER baselines_counts_insert AFTER INSERT ON baselines
	REFERENCING NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_baselines_changed();
CREATE TRIGGER baselines_counts_delete AFTER DELETE ON baselines
	REFERENCING OLD TABLE AS report_old
	FOR EACH STATEMENT EXECUTE FUNCTION report_baselines_changed();

-- A person moved to another agency takes their places with them.
CREATE FUNCTION report_people_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_places_apply(array_agg(s.course_id),
	    array_agg(report_month(s.starts_at)), array_agg(x.agency_id),
	    array_agg(b.status), array_agg(b.walk_in), array_agg(0),
	    array_agg(x.k))
	   FROM (SELECT o.id, coalesce(o.agency_id, 0) AS agency_id, -1 AS k
	           FROM report_old o JOIN report_new n ON n.id = o.id
	          WHERE o.agency_id IS DISTINCT FROM n.agency_id
	         UNION ALL
	         SELECT n.id, coalesce(n.agency_id, 0), 1
	           FROM report_old o JOIN report_new n ON n.id = o.id
	          WHERE o.agency_id IS DISTINCT FROM n.agency_id) x
	   JOIN bookings b ON b.person_id = x.id
	   JOIN sessions s ON s.id = b.session_id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_people_changed() IS
	'Statement trigger: moves the places of people who changed agency.';
CREATE TRIGGER people_counts_update AFTER UPDATE ON people
	REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_people_changed();

-- Recount the forms of the buckets (course, month) given, each once,
-- from the forms themselves: the release rule of report_forms() with no
-- viewer and no person filter. The buckets are locked (in order) first,
-- so that two transactions recount one after the other, the second
-- seeing the first's forms; more than 1000 at once (this migration's
-- backfill of a large database) lock the table instead, as
-- report_stages_recount() does, or they would run out of the lock table.
CREATE FUNCTION report_forms_recount(p_course bigint[], p_month date[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	k	record;
BEGIN
	IF (SELECT count(*) FROM (SELECT DISTINCT c, m
	      FROM unnest(p_course, p_month) u (c, m)
	     WHERE c IS NOT NULL) b) > 1000 THEN
		LOCK TABLE report_course_forms IN EXCLUSIVE MODE;
	ELSE
		FOR k IN SELECT DISTINCT c, m
		           FROM unnest(p_course, p_month) u (c, m)
		          WHERE c IS NOT NULL ORDER BY c, m LOOP
			PERFORM pg_advisory_xact_lock(21,
			    hashtext(k.c || ':' || k.m));
		END LOOP;
	END IF;
	DELETE FROM report_course_forms r
	 USING unnest(p_course, p_month) u (c, m)
	 WHERE r.course_id = u.c AND r.month = u.m;
	INSERT INTO report_course_forms (course_id, month, col, a, b, n)
	WITH x AS (
		SELECT u.c AS course_id, u.m AS month, e.source, e.step,
		       e.rating_content, e.rating_delivery, e.rating_venue,
		       e.rating_trainer, e.rating_overall, e.knowledge_before,
		       e.knowledge_after, e.confidence_before,
		       e.confidence_after, e.outcomes_met,
		       e.improve_safeguarding,
		       e.step IS NOT NULL AND count(*) OVER (PARTITION BY
		           e.session_id, e.step) >= 5 AS released
		  FROM (SELECT DISTINCT c, m FROM unnest(p_course, p_month)
		          u (c, m) WHERE c IS NOT NULL) u
		  JOIN sessions s ON s.course_id = u.c
		   AND s.starts_at >= u.m::timestamp AT TIME ZONE 'Europe/London'
		   AND s.starts_at < (u.m + interval '1 month')::timestamp
		       AT TIME ZONE 'Europe/London'
		  JOIN evaluations e ON e.session_id = s.id
		  LEFT JOIN evaluation_uploads up ON up.id = e.upload_id
		 WHERE up.voided_at IS NULL)
	SELECT course_id, month,
	       CASE WHEN GROUPING(rc) = 0 THEN 0
	            WHEN GROUPING(rd) = 0 THEN 1 WHEN GROUPING(rv) = 0 THEN 2
	            WHEN GROUPING(rt) = 0 THEN 3 WHEN GROUPING(ro) = 0 THEN 4
	            WHEN GROUPING(kb) = 0 THEN 5 WHEN GROUPING(cb) = 0 THEN 7
	            WHEN GROUPING(om) = 0 THEN 9 WHEN GROUPING(im) = 0 THEN 10
	            ELSE 11 END,
	       coalesce(rc, rd, rv, rt, ro, kb, cb, om, im, src),
	       coalesce(ka, ca, 0), count(*)
	  FROM (SELECT course_id, month,
	               coalesce(rating_content, 0) AS rc,
	               coalesce(rating_delivery, 0) AS rd,
	               coalesce(rating_venue, 0) AS rv,
	               coalesce(rating_trainer, 0) AS rt,
	               coalesce(rating_overall, 0) AS ro,
	               coalesce(knowledge_before, 0) AS kb,
	               coalesce(knowledge_after, 0) AS ka,
	               coalesce(confidence_before, 0) AS cb,
	               coalesce(confidence_after, 0) AS ca,
	               CASE outcomes_met WHEN 'yes' THEN 1 WHEN 'partly' THEN 2
	                    WHEN 'no' THEN 3 ELSE 0 END AS om,
	               CASE improve_safeguarding WHEN 'yes' THEN 1
	                    WHEN 'no' THEN 2 WHEN 'unsure' THEN 3
	                    ELSE 0 END AS im,
	               CASE source WHEN 'online' THEN 1 ELSE 0 END AS src
	          FROM x WHERE released) r
	 GROUP BY course_id, month, GROUPING SETS ((rc), (rd), (rv), (rt),
	       (ro), (kb, ka), (cb, ca), (om), (im), (src))
	UNION ALL
	SELECT course_id, month, 12, CASE source WHEN 'online' THEN 1 ELSE 0 END,
	       0, count(*)
	  FROM x GROUP BY 1, 2, 4;
END
$$;
COMMENT ON FUNCTION report_forms_recount(bigint[], date[]) IS
	'Recounts the same-day answers of the buckets given (migration 0021).';

-- Recount the buckets of the sessions given.
CREATE FUNCTION report_forms_recount_sessions(p_sessions bigint[])
RETURNS void LANGUAGE sql AS $$
	SELECT report_forms_recount(array_agg(course_id),
	    array_agg(report_month(starts_at)))
	  FROM sessions WHERE id = ANY (p_sessions)
$$;
COMMENT ON FUNCTION report_forms_recount_sessions(bigint[]) IS
	'Recounts the same-day answers of the buckets of the sessions given.';

CREATE FUNCTION report_evaluations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM report_forms_recount_sessions(array_agg(DISTINCT
		    session_id)) FROM report_new;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM report_forms_recount_sessions(array_agg(DISTINCT
		    session_id)) FROM report_old;
	ELSE
		PERFORM report_forms_recount_sessions(array_agg(DISTINCT
		    x.session_id))
		   FROM report_old o JOIN report_new n ON n.id = o.id,
		        LATERAL (VALUES (o.session_id), (n.session_id)) x (session_id)
		  WHERE (o.session_id, o.step, o.upload_id, o.source,
		         o.rating_content, o.rating_delivery, o.rating_venue,
		         o.rating_trainer, o.rating_overall, o.knowledge_before,
		         o.knowledge_after, o.confidence_before,
		         o.confidence_after, o.outcomes_met,
		         o.improve_safeguarding)
		        IS DISTINCT FROM
		        (n.session_id, n.step, n.upload_id, n.source,
		         n.rating_content, n.rating_delivery, n.rating_venue,
		         n.rating_trainer, n.rating_overall, n.knowledge_before,
		         n.knowledge_after, n.confidence_before,
		         n.confidence_after, n.outcomes_met,
		         n.improve_safeguarding);
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_evaluations_changed() IS
	'Statement trigger: recounts the buckets of the forms changed.';
CREATE TRIGGER evaluations_counts_insert AFTER INSERT ON evaluations
	REFERENCING NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_evaluations_changed();
CREATE TRIGGER evaluations_counts_update AFTER UPDATE ON evaluations
	REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_evaluations_changed();
CREATE TRIGGER evaluations_counts_delete AFTER DELETE ON evaluations
	REFERENCING OLD TABLE AS report_old
	FOR EACH STATEMENT EXECUTE FUNCTION report_evaluations_changed();

-- A batch voided (or restored) changes which forms count.
CREATE FUNCTION report_uploads_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_forms_recount_sessions(array_agg(DISTINCT n.session_id))
	   FROM report_old o JOIN report_new n ON n.id = o.id
	  WHERE (o.voided_at IS NULL) <> (n.voided_at IS NULL)
	     OR o.session_id <> n.session_id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_uploads_changed() IS
	'Statement trigger: recounts the buckets of batches voided.';
CREATE TRIGGER evaluation_uploads_report_counts AFTER UPDATE
	ON evaluation_uploads
	REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_uploads_changed();

-- A session moved to another course or month takes its places and forms
-- with it.
CREATE FUNCTION report_sessions_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_old_course	bigint[];
	v_old_month	date[];
	v_new_course	bigint[];
	v_new_month	date[];
BEGIN
	SELECT array_agg(o.course_id), array_agg(report_month(o.starts_at)),
	       array_agg(n.course_id), array_agg(report_month(n.starts_at))
	  INTO v_old_course, v_old_month, v_new_course, v_new_month
	  FROM report_old o JOIN report_new n ON n.id = o.id
	 WHERE o.course_id <> n.course_id
	    OR report_month(o.starts_at) <> report_month(n.starts_at);
	IF v_old_course IS NULL THEN
		RETURN NULL;
	END IF;
	PERFORM report_places_apply(array_agg(x.course_id),
	    array_agg(x.month), array_agg(coalesce(p.agency_id, 0)),
	    array_agg(b.status), array_agg(b.walk_in),
	    array_agg(x.k * (EXISTS (SELECT 1 FROM baselines bl
	        WHERE bl.booking_id = b.id))::int), array_agg(x.k))
	   FROM (SELECT o.id, o.course_id, report_month(o.starts_at) AS month,
	                -1 AS k
	           FROM report_old o JOIN report_new n ON n.id = o.id
	          WHERE o.course_id <> n.course_id
	             OR report_month(o.starts_at) <> report_month(n.starts_at)
	         UNION ALL
	         SELECT n.id, n.course_id, report_month(n.starts_at), 1
	           FROM report_old o JOIN report_new n ON n.id = o.id
	          WHERE o.course_id <> n.course_id
	             OR report_month(o.starts_at) <> report_month(n.starts_at)) x
	   JOIN bookings b ON b.session_id = x.id
	   JOIN people p ON p.id = b.person_id;
	PERFORM report_forms_recount(v_old_course || v_new_course,
	    v_old_month || v_new_month);
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_sessions_changed() IS
	'Statement trigger: moves the counts of sessions moved.';
CREATE TRIGGER sessions_counts_update AFTER UPDATE ON sessions
	REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_sessions_changed();

-- The later stages of a session, counted per session (the rules that
-- decide whether they may be shown depend on today, so they are applied
-- when the report is read):
--
--   report_session_due       follow-ups of the session's places taken up
--                            (attended, partial), by due date: how many,
--                            how many completed.
--   report_session_stages    per session: of every follow-up, the latest
--                            due date and how many were completed (whether
--                            they may be shown: report_followups_closed());
--                            of the places taken up, the applied answers;
--                            of every manager's review, how many were
--                            asked, answered and said yes, the latest
--                            expiry of those still open
--                            (report_managers_closed()), and answered and
--                            yes of the managers from a staff list and of
--                            those named by delegates.
--   report_session_sustained the follow-ups' confidence now against the
--                            confidence before (the same-day form's, else
--                            the baseline's), of places taken up.
--
-- Any change to a follow-up, manager's review, booking, baseline or form
-- recounts the session (report_stages_recount), under an advisory lock
-- of the session.
CREATE TABLE report_session_due (
	session_id	bigint NOT NULL,
	due_on		date NOT NULL,
	n		integer NOT NULL,
	done		integer NOT NULL,
	PRIMARY KEY (session_id, due_on)
);
COMMENT ON TABLE report_session_due IS
	'Follow-ups of places taken up, by session and due date (migration 0021).';
COMMENT ON COLUMN report_session_due.session_id IS 'The session.';
COMMENT ON COLUMN report_session_due.due_on IS 'When they are due.';
COMMENT ON COLUMN report_session_due.n IS 'How many.';
COMMENT ON COLUMN report_session_due.done IS 'How many were completed.';

CREATE TABLE report_session_stages (
	session_id	bigint PRIMARY KEY,
	followups_last	date,
	followups_done	integer NOT NULL,
	applied_yes	integer NOT NULL,
	applied		integer NOT NULL,
	managers	integer NOT NULL,
	managers_answered integer NOT NULL,
	managers_yes	integer NOT NULL,
	managers_open_until timestamptz,
	staff_answered	integer NOT NULL,
	staff_yes	integer NOT NULL,
	self_answered	integer NOT NULL,
	self_yes	integer NOT NULL
);
COMMENT ON TABLE report_session_stages IS
	'Follow-ups and managers'' reviews of a session, counted (migration 0021).';
COMMENT ON COLUMN report_session_stages.session_id IS 'The session.';
COMMENT ON COLUMN report_session_stages.followups_last IS
	'The latest due date of its follow-ups (every place).';
COMMENT ON COLUMN report_session_stages.followups_done IS
	'Follow-ups completed (every place).';
COMMENT ON COLUMN report_session_stages.applied_yes IS
	'Follow-ups of places taken up that applied the learning.';
COMMENT ON COLUMN report_session_stages.applied IS
	'Follow-ups of places taken up that answered whether they applied it.';
COMMENT ON COLUMN report_session_stages.managers IS 'Managers asked.';
COMMENT ON COLUMN report_session_stages.managers_answered IS 'Managers who answered.';
COMMENT ON COLUMN report_session_stages.managers_yes IS
	'Managers who saw changed practice.';
COMMENT ON COLUMN report_session_stages.managers_open_until IS
	'The latest expiry of the reviews not answered.';
COMMENT ON COLUMN report_session_stages.staff_answered IS
	'Managers from a staff list who answered.';
COMMENT ON COLUMN report_session_stages.staff_yes IS
	'Managers from a staff list who saw changed practice.';
COMMENT ON COLUMN report_session_stages.self_answered IS
	'Managers named by delegates who answered.';
COMMENT ON COLUMN report_session_stages.self_yes IS
	'Managers named by delegates who saw changed practice.';

CREATE TABLE report_session_sustained (
	session_id	bigint NOT NULL,
	before		smallint NOT NULL,
	now		smallint NOT NULL,
	n		integer NOT NULL,
	PRIMARY KEY (session_id, before, now)
);
COMMENT ON TABLE report_session_sustained IS
	'Confidence before against confidence at the follow-up, of a '
	'session''s places taken up, counted (migration 0021).';
COMMENT ON COLUMN report_session_sustained.session_id IS 'The session.';
COMMENT ON COLUMN report_session_sustained.before IS
	'Confidence before (the same-day form''s, else the baseline''s).';
COMMENT ON COLUMN report_session_sustained.now IS 'Confidence at the follow-up.';
COMMENT ON COLUMN report_session_sustained.n IS 'How many.';

CREATE FUNCTION report_stages_recount(p_sessions bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
	v_ids	bigint[];
BEGIN
	SELECT array_agg(DISTINCT x ORDER BY x) INTO v_ids
	  FROM unnest(p_sessions) x WHERE x IS NOT NULL;
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	IF cardinality(v_ids) <= 1000 THEN
		FOREACH v_id IN ARRAY v_ids LOOP
			PERFORM pg_advisory_xact_lock(22, hashtext(v_id::text));
		END LOOP;
	ELSE
		LOCK TABLE report_session_stages IN EXCLUSIVE MODE;
	END IF;
	DELETE FROM report_session_due WHERE session_id = ANY (v_ids);
	DELETE FROM report_session_stages WHERE session_id = ANY (v_ids);
	DELETE FROM report_session_sustained WHERE session_id = ANY (v_ids);
	INSERT INTO report_session_due (session_id, due_on, n, done)
	SELECT b.session_id, f.due_on, count(*), count(f.completed_at)
	  FROM bookings b JOIN followups f ON f.booking_id = b.id
	 WHERE b.session_id = ANY (v_ids)
	   AND b.status IN ('attended', 'partial')
	 GROUP BY 1, 2;
	INSERT INTO report_session_stages
	SELECT s.id, f.last, coalesce(f.done, 0), coalesce(f.yes, 0),
	       coalesce(f.applied, 0), coalesce(m.n, 0),
	       coalesce(m.answered, 0), coalesce(m.yes, 0), m.open_until,
	       coalesce(m.staff_answered, 0), coalesce(m.staff_yes, 0),
	       coalesce(m.self_answered, 0), coalesce(m.self_yes, 0)
	  FROM unnest(v_ids) s (id)
	  LEFT JOIN (SELECT b.session_id, max(f.due_on) AS last,
	                    count(f.completed_at) AS done,
	                    count(*) FILTER (WHERE f.applied = 'yes'
	                        AND b.status IN ('attended', 'partial')) AS yes,
	                    count(f.applied) FILTER (WHERE
	                        b.status IN ('attended', 'partial')) AS applied
	               FROM bookings b JOIN followups f ON f.booking_id = b.id
	              WHERE b.session_id = ANY (v_ids) GROUP BY 1) f
	    ON f.session_id = s.id
	  LEFT JOIN (SELECT b.session_id, count(*) AS n,
	                    count(m.answered_at) AS answered,
	                    count(*) FILTER (WHERE m.changed_practice = 'yes')
	                        AS yes,
	                    max(m.expires_at) FILTER (WHERE m.answered_at IS NULL)
	                        AS open_until,
	                    count(m.answered_at) FILTER (WHERE
	                        m.manager_source = 'staff_list') AS staff_answered,
	                    count(*) FILTER (WHERE m.changed_practice = 'yes'
	                        AND m.manager_source = 'staff_list') AS staff_yes,
	                    count(m.answered_at) FILTER (WHERE
	                        m.manager_source = 'self') AS self_answered,
	                    count(*) FILTER (WHERE m.changed_practice = 'yes'
	                        AND m.manager_source = 'self') AS self_yes
	               FROM bookings b JOIN manager_reviews m ON m.booking_id = b.id
	              WHERE b.session_id = ANY (v_ids) GROUP BY 1) m
	    ON m.session_id = s.id
	 WHERE f.session_id IS NOT NULL OR m.session_id IS NOT NULL;
	INSERT INTO report_session_sustained (session_id, before, now, n)
	SELECT b.session_id, coalesce(e.confidence_before, bl.confidence),
	       f.confidence_now, count(*)
	  FROM bookings b JOIN followups f ON f.booking_id = b.id
	  LEFT JOIN evaluations e ON e.booking_id = b.id
	  LEFT JOIN baselines bl ON bl.booking_id = b.id
	 WHERE b.session_id = ANY (v_ids)
	   AND b.status IN ('attended', 'partial')
	   AND f.confidence_now IS NOT NULL
	   AND coalesce(e.confidence_before, bl.confidence) IS NOT NULL
	 GROUP BY 1, 2, 3;
END
$$;
COMMENT ON FUNCTION report_stages_recount(bigint[]) IS
	'Recounts the follow-ups and managers'' reviews of the sessions given.';

-- The sessions of the bookings a statement's rows point to.
CREATE FUNCTION report_stages_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'bookings' THEN
		IF TG_OP = 'UPDATE' THEN
			PERFORM report_stages_recount(array_agg(x.session_id))
			   FROM report_old o JOIN report_new n ON n.id = o.id,
			        LATERAL (VALUES (o.session_id), (n.session_id))
			            x (session_id)
			  WHERE (o.session_id, o.status) IS DISTINCT FROM
			        (n.session_id, n.status);
		ELSIF TG_OP = 'DELETE' THEN
			PERFORM report_stages_recount(array_agg(session_id))
			   FROM report_old;
		END IF;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM report_stages_recount(array_agg(b.session_id))
		   FROM report_old o JOIN bookings b ON b.id = o.booking_id;
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM report_stages_recount(array_agg(b.session_id))
		   FROM report_new o JOIN bookings b ON b.id = o.booking_id;
	ELSE
		PERFORM report_stages_recount(array_agg(b.session_id))
		   FROM (SELECT booking_id FROM report_new
		         UNION SELECT booking_id FROM report_old) o
		   JOIN bookings b ON b.id = o.booking_id;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_stages_changed() IS
	'Statement trigger: recounts the later stages of the sessions touched.';
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['followups', 'manager_reviews', 'baselines',
	    'evaluations'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I '
		    'REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT '
		    'EXECUTE FUNCTION report_stages_changed()',
		    t || '_stages_insert', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I '
		    'REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new '
		    'FOR EACH STATEMENT EXECUTE FUNCTION report_stages_changed()',
		    t || '_stages_update', t);
		EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I '
		    'REFERENCING OLD TABLE AS report_old FOR EACH STATEMENT '
		    'EXECUTE FUNCTION report_stages_changed()',
		    t || '_stages_delete', t);
	END LOOP;
END
$$;
CREATE TRIGGER bookings_stages_update AFTER UPDATE ON bookings
	REFERENCING OLD TABLE AS report_old NEW TABLE AS report_new
	FOR EACH STATEMENT EXECUTE FUNCTION report_stages_changed();
CREATE TRIGGER bookings_stages_delete AFTER DELETE ON bookings
	REFERENCING OLD TABLE AS report_old
	FOR EACH STATEMENT EXECUTE FUNCTION report_stages_changed();

-- The counts of the rows already there.
SELECT report_places_apply(array_agg(s.course_id),
    array_agg(report_month(s.starts_at)), array_agg(coalesce(p.agency_id, 0)),
    array_agg(b.status), array_agg(b.walk_in),
    array_agg((bl.id IS NOT NULL)::int), array_agg(1))
  FROM bookings b JOIN sessions s ON s.id = b.session_id
  JOIN people p ON p.id = b.person_id
  LEFT JOIN baselines bl ON bl.booking_id = b.id;
SELECT report_forms_recount(array_agg(course_id), array_agg(month))
  FROM (SELECT DISTINCT s.course_id, report_month(s.starts_at) AS month
          FROM sessions s
         WHERE EXISTS (SELECT 1 FROM evaluations e
                        WHERE e.session_id = s.id)) x;
SELECT report_stages_recount(array_agg(id)) FROM sessions;
