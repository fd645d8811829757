-- A recount of many buckets at once (the demo data's 100x loaded in one
-- statement, an import of years of history) took one advisory lock per
-- bucket in one transaction, and ran out of the lock table ("out of
-- shared memory: increase max_locks_per_transaction"). As
-- report_stages_recount() does for sessions, more than 1000 buckets lock
-- the whole table instead: writes of other buckets wait for that one
-- statement, which is rare and bulk. Migration 0021 was given the same
-- rule afterwards, for its own backfill of a database upgraded to it; a
-- database already past 0021 gets it here.
CREATE OR REPLACE FUNCTION report_forms_recount(p_course bigint[], p_month date[])
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
	'Recounts the same-day answers of the buckets given (migrations 0021, '
	'0025).';
