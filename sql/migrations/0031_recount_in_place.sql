-- Recounts that rewrite only what changed.
--
-- The kept counts of migrations 0021 and 0026 were recounted by deleting
-- a bucket's rows and inserting them again: every recount left a dead
-- copy of every row of its bucket, even of the counts it did not change.
-- A bulk load recounts a bucket once for each of its sessions (the demo
-- data at 100x: 145,000 rows of same-day answers on 22,000 pages, some
-- twenty times their size), and every report read then went through the
-- dead rows' pages: autovacuum makes the space reusable but never gives
-- it back. Each recount now writes the difference: a count that changed
-- is updated in place, a count that is gone is deleted, a new one is
-- inserted, and a count that did not change is not written at all. An
-- update leaves the key as it was, so PostgreSQL keeps the new version on
-- the same page when there is room (the tables leave a quarter of each
-- page free for it) and prunes the old one there, without waiting for a
-- vacuum, once no transaction can still see it. Within one transaction
-- the old versions stay until it ends: a bulk load in one transaction
-- still leaves about half the pages it left before.
--
-- The counts are the same as before (the statements that compute them are
-- those of migration 0026); only how they are written changes. VACUUM
-- FULL on the four tables gives back the pages of a bulk load, before this
-- migration or after it (README, "Report aggregates").

ALTER TABLE report_course_forms SET (fillfactor = 75);
ALTER TABLE report_session_due SET (fillfactor = 75);
ALTER TABLE report_session_stages SET (fillfactor = 75);
ALTER TABLE report_session_sustained SET (fillfactor = 75);

CREATE OR REPLACE FUNCTION report_forms_recount(p_course bigint[], p_month date[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_lock_buckets(21, ARRAY(SELECT hashtext(c || ':' || m)
	    FROM (SELECT DISTINCT c, m FROM unnest(p_course, p_month) u (c, m)
	           WHERE c IS NOT NULL) b ORDER BY c, m),
	    'report_course_forms');
	WITH nw (course_id, month, col, a, b, n) AS (
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
		  FROM x GROUP BY 1, 2, 4
	),
	gone AS (
		DELETE FROM report_course_forms r
		 USING (SELECT k.course_id, k.month, k.col, k.a, k.b
		          FROM report_course_forms k
		          JOIN unnest(p_course, p_month) u (c, m)
		            ON k.course_id = u.c AND k.month = u.m
		        EXCEPT
		        SELECT course_id, month, col, a, b FROM nw) g
		 WHERE (r.course_id, r.month, r.col, r.a, r.b)
		     = (g.course_id, g.month, g.col, g.a, g.b))
	INSERT INTO report_course_forms AS r (course_id, month, col, a, b, n)
	SELECT * FROM nw
	ON CONFLICT (course_id, month, col, a, b) DO UPDATE SET n = EXCLUDED.n
	 WHERE r.n <> EXCLUDED.n;
END
$$;
COMMENT ON FUNCTION report_forms_recount(bigint[], date[]) IS
	'Recounts the same-day answers of the buckets given, writing only the '
	'counts that changed (migrations 0021, 0025, 0026, 0031).';

CREATE OR REPLACE FUNCTION report_stages_recount(p_sessions bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_ids	bigint[];
BEGIN
	SELECT array_agg(DISTINCT x ORDER BY x) INTO v_ids
	  FROM unnest(p_sessions) x WHERE x IS NOT NULL;
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	PERFORM report_lock_buckets(22, ARRAY(SELECT hashtext(x::text)
	    FROM unnest(v_ids) WITH ORDINALITY u (x, i) ORDER BY i),
	    'report_session_stages');

	WITH nw AS (
		SELECT b.session_id, f.due_on, count(*) AS n,
		       count(f.completed_at) AS done
		  FROM bookings b JOIN followups f ON f.booking_id = b.id
		 WHERE b.session_id = ANY (v_ids)
		   AND b.status IN ('attended', 'partial')
		 GROUP BY 1, 2),
	gone AS (
		DELETE FROM report_session_due r
		 USING (SELECT session_id, due_on FROM report_session_due
		         WHERE session_id = ANY (v_ids)
		        EXCEPT SELECT session_id, due_on FROM nw) g
		 WHERE r.session_id = g.session_id AND r.due_on = g.due_on)
	INSERT INTO report_session_due AS r (session_id, due_on, n, done)
	SELECT * FROM nw
	ON CONFLICT (session_id, due_on) DO UPDATE
	   SET n = EXCLUDED.n, done = EXCLUDED.done
	 WHERE (r.n, r.done) IS DISTINCT FROM (EXCLUDED.n, EXCLUDED.done);

	WITH nw AS (
		SELECT s.id AS session_id, f.last AS followups_last,
		       coalesce(f.done, 0) AS followups_done,
		       coalesce(f.yes, 0) AS applied_yes,
		       coalesce(f.applied, 0) AS applied, coalesce(m.n, 0) AS managers,
		       coalesce(m.answered, 0) AS managers_answered,
		       coalesce(m.yes, 0) AS managers_yes,
		       m.open_until AS managers_open_until,
		       coalesce(m.staff_answered, 0) AS staff_answered,
		       coalesce(m.staff_yes, 0) AS staff_yes,
		       coalesce(m.self_answered, 0) AS self_answered,
		       coalesce(m.self_yes, 0) AS self_yes
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
		 WHERE f.session_id IS NOT NULL OR m.session_id IS NOT NULL),
	gone AS (
		DELETE FROM report_session_stages r
		 USING (SELECT session_id FROM report_session_stages
		         WHERE session_id = ANY (v_ids)
		        EXCEPT SELECT session_id FROM nw) g
		 WHERE r.session_id = g.session_id)
	INSERT INTO report_session_stages AS r
	SELECT * FROM nw
	ON CONFLICT (session_id) DO UPDATE SET
	       followups_last = EXCLUDED.followups_last,
	       followups_done = EXCLUDED.followups_done,
	       applied_yes = EXCLUDED.applied_yes, applied = EXCLUDED.applied,
	       managers = EXCLUDED.managers,
	       managers_answered = EXCLUDED.managers_answered,
	       managers_yes = EXCLUDED.managers_yes,
	       managers_open_until = EXCLUDED.managers_open_until,
	       staff_answered = EXCLUDED.staff_answered,
	       staff_yes = EXCLUDED.staff_yes,
	       self_answered = EXCLUDED.self_answered,
	       self_yes = EXCLUDED.self_yes
	 WHERE r IS DISTINCT FROM EXCLUDED;

	WITH nw AS (
		SELECT b.session_id, coalesce(e.confidence_before, bl.confidence)
		         AS before,
		       f.confidence_now AS now, count(*) AS n
		  FROM bookings b JOIN followups f ON f.booking_id = b.id
		  LEFT JOIN evaluations e ON e.booking_id = b.id
		  LEFT JOIN baselines bl ON bl.booking_id = b.id
		 WHERE b.session_id = ANY (v_ids)
		   AND b.status IN ('attended', 'partial')
		   AND f.confidence_now IS NOT NULL
		   AND coalesce(e.confidence_before, bl.confidence) IS NOT NULL
		 GROUP BY 1, 2, 3),
	gone AS (
		DELETE FROM report_session_sustained r
		 USING (SELECT session_id, before, now FROM report_session_sustained
		         WHERE session_id = ANY (v_ids)
		        EXCEPT SELECT session_id, before, now FROM nw) g
		 WHERE (r.session_id, r.before, r.now)
		     = (g.session_id, g.before, g.now))
	INSERT INTO report_session_sustained AS r (session_id, before, now, n)
	SELECT * FROM nw
	ON CONFLICT (session_id, before, now) DO UPDATE SET n = EXCLUDED.n
	 WHERE r.n <> EXCLUDED.n;
END
$$;
COMMENT ON FUNCTION report_stages_recount(bigint[]) IS
	'Recounts the follow-ups and managers'' reviews of the sessions given, '
	'writing only the counts that changed (migrations 0021, 0026, 0031).';
