-- Locks that a bulk transaction cannot run out of.
--
-- The recounts of the report aggregates (migration 0021) lock each
-- bucket they recount (a course and month of forms; a session's stages)
-- with an advisory lock held to the end of the transaction, so that two
-- transactions recount one bucket one after the other. Migrations 0021
-- and 0025 lock the table instead when one call recounts more than 1000
-- buckets. But a transaction may also recount many buckets over many
-- calls: the demo data's 100x inserts its forms in one statement, whose
-- release (evaluation_release_inserted()) recounts each session's stages
-- in a call of its own, one lock each, until PostgreSQL's lock table is
-- full ("out of shared memory: increase max_locks_per_transaction").
--
-- report_lock_buckets() counts the advisory locks a transaction has
-- taken of a kind (in a setting local to the transaction) and, once they
-- would pass 1000, locks the table instead, once, for the rest of the
-- transaction: the other writers of that table wait for it, which only a
-- bulk load does. Both recounts take their locks through it; they are
-- otherwise unchanged (0025's for the forms, 0021's for the stages).

-- Lock for the rest of the transaction the buckets `p_keys` (advisory
-- locks of kind `p_kind`, in the order given), or the table `p_table`
-- once this transaction's advisory locks of the kind would pass 1000.
CREATE FUNCTION report_lock_buckets(p_kind integer, p_keys integer[],
    p_table regclass)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_setting	text := 'portal.report_locks_' || p_kind;
	v_taken		integer := coalesce(nullif(current_setting(v_setting,
			    true), ''), '0')::integer;
	v_key		integer;
BEGIN
	-- The table is this transaction's already.
	IF v_taken < 0 THEN
		RETURN;
	END IF;
	IF v_taken + cardinality(p_keys) > 1000 THEN
		EXECUTE format('LOCK TABLE %s IN EXCLUSIVE MODE', p_table);
		PERFORM set_config(v_setting, '-1', true);
		RETURN;
	END IF;
	FOREACH v_key IN ARRAY p_keys LOOP
		PERFORM pg_advisory_xact_lock(p_kind, v_key);
	END LOOP;
	PERFORM set_config(v_setting, (v_taken + cardinality(p_keys))::text,
	    true);
END
$$;
COMMENT ON FUNCTION report_lock_buckets(integer, integer[], regclass) IS
	'Locks buckets to the end of the transaction: each, or past 1000 '
	'the table (migration 0026).';

CREATE OR REPLACE FUNCTION report_forms_recount(p_course bigint[], p_month date[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_lock_buckets(21, ARRAY(SELECT hashtext(c || ':' || m)
	    FROM (SELECT DISTINCT c, m FROM unnest(p_course, p_month) u (c, m)
	           WHERE c IS NOT NULL) b ORDER BY c, m),
	    'report_course_forms');
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
	'Recounts the same-day answers of the buckets given (migrations 0021, '
	'0025, 0026).';

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
	'Recounts the follow-ups and managers'' reviews of the sessions given '
	'(migrations 0021, 0026).';
