-- Place counts that no two writers wait on: migration 0021 kept one row
-- per (course, month, status, walk-in) and per (month, agency, status),
-- changed in place by the bookings' triggers. Every booking, cancellation
-- and register entry of a course in a month, and of an agency's people in
-- a month, then queued on one row until its transaction ended; and a
-- cancellation whose promotion waited on a booking of the promoted person
-- elsewhere, while that booking waited on the cancellation's count row,
-- was a deadlock.
--
-- Now each statement's difference is appended as rows of its own, and the
-- reports sum the rows of a bucket (they always summed over months and
-- statuses). Inserting takes no lock another writer holds. The scheduled
-- loop (portalctl send-mail, job_purge.c) folds each bucket's rows into
-- one with report_places_fold(), which changes no sum: a bucket's rows
-- stay few however busy it is.

ALTER TABLE report_course_places DROP CONSTRAINT report_course_places_pkey;
CREATE INDEX report_course_places_bucket
	ON report_course_places (course_id, month, status, walk_in);
ALTER TABLE report_agency_places DROP CONSTRAINT report_agency_places_pkey;
CREATE INDEX report_agency_places_bucket
	ON report_agency_places (month, agency_id, status);
COMMENT ON TABLE report_course_places IS
	'Places of a course''s sessions starting in a month, by status, as '
	'differences to sum (appended by triggers; migrations 0021, 0023).';
COMMENT ON TABLE report_agency_places IS
	'Places of sessions starting in a month by the person''s agency and '
	'status, as differences to sum (appended by triggers; migrations '
	'0021, 0023).';
COMMENT ON COLUMN report_course_places.n IS
	'How many places (a difference: the bucket''s rows sum to the count).';
COMMENT ON COLUMN report_course_places.baselines IS
	'How many of those places answered the baseline (a difference).';
COMMENT ON COLUMN report_agency_places.n IS
	'How many places (a difference: the bucket''s rows sum to the count).';

CREATE OR REPLACE FUNCTION report_places_apply(p_course bigint[],
    p_month date[], p_agency bigint[], p_status text[],
    p_walk_in boolean[], p_baseline integer[], p_k integer[])
RETURNS void LANGUAGE sql AS $$
	WITH d AS (
		SELECT * FROM unnest(p_course, p_month, p_agency, p_status,
		    p_walk_in, p_baseline, p_k)
		    AS d (course_id, month, agency_id, status, walk_in,
		          baseline, k)),
	c AS (
		INSERT INTO report_course_places (course_id, month, status,
		    walk_in, n, baselines)
		SELECT course_id, month, status, walk_in, sum(k),
		       sum(baseline)
		  FROM d GROUP BY 1, 2, 3, 4
		HAVING sum(k) <> 0 OR sum(baseline) <> 0)
	INSERT INTO report_agency_places (month, agency_id, status, n)
	SELECT month, agency_id, status, sum(k) FROM d GROUP BY 1, 2, 3
	HAVING sum(k) <> 0
$$;
COMMENT ON FUNCTION report_places_apply(bigint[], date[], bigint[], text[],
    boolean[], integer[], integer[]) IS
	'Appends places (k each, negative to take away) to the place counts.';

-- Fold every bucket of more than one row into one row (none when its sum
-- is nought), in one statement: a report's snapshot sees the rows before
-- or after, with the same sums. Rows a writer has not committed are not
-- seen and stay as they are. Two folds at once: the second skips the rows
-- the first deleted. Returns how many rows went.
CREATE FUNCTION report_places_fold() RETURNS bigint
LANGUAGE sql AS $$
	WITH ck AS (
		SELECT course_id, month, status, walk_in
		  FROM report_course_places GROUP BY 1, 2, 3, 4
		HAVING count(*) > 1),
	cd AS (
		DELETE FROM report_course_places r USING ck
		 WHERE (r.course_id, r.month, r.status, r.walk_in) =
		       (ck.course_id, ck.month, ck.status, ck.walk_in)
		RETURNING r.*),
	ci AS (
		INSERT INTO report_course_places (course_id, month, status,
		    walk_in, n, baselines)
		SELECT course_id, month, status, walk_in, sum(n),
		       sum(baselines)
		  FROM cd GROUP BY 1, 2, 3, 4
		HAVING sum(n) <> 0 OR sum(baselines) <> 0),
	ak AS (
		SELECT month, agency_id, status
		  FROM report_agency_places GROUP BY 1, 2, 3
		HAVING count(*) > 1),
	ad AS (
		DELETE FROM report_agency_places r USING ak
		 WHERE (r.month, r.agency_id, r.status) =
		       (ak.month, ak.agency_id, ak.status)
		RETURNING r.*),
	ai AS (
		INSERT INTO report_agency_places (month, agency_id, status, n)
		SELECT month, agency_id, status, sum(n)
		  FROM ad GROUP BY 1, 2, 3 HAVING sum(n) <> 0)
	SELECT (SELECT count(*) FROM cd) + (SELECT count(*) FROM ad)
$$;
COMMENT ON FUNCTION report_places_fold() IS
	'Folds each place-count bucket''s rows into one; the sums stay.';
