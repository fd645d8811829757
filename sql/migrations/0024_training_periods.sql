-- Workforce coverage from kept per-person rows: each person's training
-- status on any date, without reading every training record (README,
-- "Report aggregates").
--
--   training_periods  per active person with a group level, the periods
--       between their qualifying completions (migration 0008's rule: a
--       record of their level or a higher one of the same scheme): one
--       period from -infinity to the first completion (never trained),
--       then one from each distinct completion date to the next
--       (infinity for the latest), with the expiry of that completion at
--       the person's level. On a date d a person is in exactly the period
--       with from_on <= d < to_on, whose trained_on is the latest
--       qualifying completion on or before d: training_status(d) reads
--       that period instead of every record.
--
-- Kept by statement triggers in the transaction of the write: training
-- records (the register, walk-ins, imports), people (agency, level,
-- active, erased), people deleted, and group levels (scheme, rank,
-- refresh). Each recomputes only the people the statement touched, from
-- their records, after locking their people rows in order: two writes
-- for one person take turns (the second recomputes with the first's
-- records), writes for different people never wait on each other.

CREATE TABLE training_periods (
	person_id	bigint NOT NULL,
	from_on		date NOT NULL,
	to_on		date NOT NULL,
	agency_id	bigint,
	group_level_id	integer NOT NULL,
	trained_on	date,
	expires_on	date,
	PRIMARY KEY (person_id, from_on),
	CHECK (from_on < to_on),
	CHECK ((trained_on IS NULL) = (from_on = '-infinity')),
	CHECK ((trained_on IS NULL) = (expires_on IS NULL))
);
CREATE INDEX training_periods_on ON training_periods (to_on, from_on);
COMMENT ON TABLE training_periods IS
	'Each active person''s training periods at their level: between '
	'qualifying completions (kept by triggers; migration 0024).';
COMMENT ON COLUMN training_periods.person_id IS 'The person.';
COMMENT ON COLUMN training_periods.from_on IS
	'First day of the period: a qualifying completion, or -infinity '
	'before the first.';
COMMENT ON COLUMN training_periods.to_on IS
	'Day after the period: the next qualifying completion, or infinity.';
COMMENT ON COLUMN training_periods.agency_id IS 'The person''s agency.';
COMMENT ON COLUMN training_periods.group_level_id IS 'The person''s level.';
COMMENT ON COLUMN training_periods.trained_on IS
	'The latest qualifying completion in the period (from_on); NULL: never.';
COMMENT ON COLUMN training_periods.expires_on IS
	'When that completion expires at the person''s level.';

-- The periods of the people given, from their records and the rule.
CREATE FUNCTION training_periods_of(p_people bigint[])
RETURNS SETOF training_periods LANGUAGE sql STABLE AS $$
	WITH q AS (
		SELECT p.id AS person_id, p.agency_id, p.group_level_id,
		       l.refresh_months, d.completed_on
		  FROM people p
		  JOIN group_levels l ON l.id = p.group_level_id
		  LEFT JOIN LATERAL (
			SELECT DISTINCT r.completed_on
			  FROM training_records r
			  JOIN group_levels rl ON rl.id = r.group_level_id
			 WHERE r.person_id = p.id AND rl.scheme_id = l.scheme_id
			   AND rl.rank >= l.rank) d ON true
		 WHERE p.id = ANY (p_people) AND p.active
		   AND p.erased_at IS NULL)
	SELECT person_id, '-infinity'::date,
	       coalesce(min(completed_on), 'infinity'::date), agency_id,
	       group_level_id, NULL::date, NULL::date
	  FROM q GROUP BY person_id, agency_id, group_level_id
	UNION ALL
	SELECT person_id, completed_on,
	       coalesce(lead(completed_on) OVER (PARTITION BY person_id
	           ORDER BY completed_on), 'infinity'::date),
	       agency_id, group_level_id, completed_on,
	       (completed_on + make_interval(months => refresh_months))::date
	  FROM q WHERE completed_on IS NOT NULL
$$;
COMMENT ON FUNCTION training_periods_of(bigint[]) IS
	'The training periods of the people given, recomputed from their '
	'records (what training_periods holds for them).';

-- Recompute the kept periods of the people given. Their people rows are
-- locked first, in order: a second transaction for one of them waits
-- here, then recomputes with the first one's rows committed.
CREATE FUNCTION training_periods_refresh(p_people bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_ids	bigint[];
BEGIN
	SELECT array_agg(DISTINCT u) INTO v_ids FROM unnest(p_people) u
	 WHERE u IS NOT NULL;
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	PERFORM 1 FROM people WHERE id = ANY (v_ids) ORDER BY id
	    FOR NO KEY UPDATE;
	DELETE FROM training_periods WHERE person_id = ANY (v_ids);
	INSERT INTO training_periods SELECT * FROM training_periods_of(v_ids);
END
$$;
COMMENT ON FUNCTION training_periods_refresh(bigint[]) IS
	'Recomputes the kept training periods of the people given.';

CREATE FUNCTION training_periods_records_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM training_periods_refresh(ARRAY(
		    SELECT person_id FROM periods_new));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM training_periods_refresh(ARRAY(
		    SELECT person_id FROM periods_old));
	ELSE
		PERFORM training_periods_refresh(ARRAY(
		    SELECT x.person_id
		      FROM periods_old o JOIN periods_new n ON n.id = o.id,
		           LATERAL (VALUES (o.person_id), (n.person_id)) x (person_id)
		     WHERE (o.person_id, o.group_level_id, o.completed_on)
		           IS DISTINCT FROM
		           (n.person_id, n.group_level_id, n.completed_on)));
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION training_periods_records_changed() IS
	'Statement trigger: recomputes the periods of the people whose '
	'training records changed.';
CREATE TRIGGER training_records_periods_insert AFTER INSERT
	ON training_records REFERENCING NEW TABLE AS periods_new
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_records_changed();
CREATE TRIGGER training_records_periods_update AFTER UPDATE
	ON training_records REFERENCING OLD TABLE AS periods_old
	NEW TABLE AS periods_new
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_records_changed();
CREATE TRIGGER training_records_periods_delete AFTER DELETE
	ON training_records REFERENCING OLD TABLE AS periods_old
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_records_changed();

CREATE FUNCTION training_periods_people_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM training_periods_refresh(ARRAY(
		    SELECT id FROM periods_new WHERE group_level_id IS NOT NULL));
	ELSIF TG_OP = 'DELETE' THEN
		DELETE FROM training_periods t USING periods_old o
		 WHERE t.person_id = o.id;
	ELSE
		PERFORM training_periods_refresh(ARRAY(
		    SELECT n.id FROM periods_old o JOIN periods_new n ON n.id = o.id
		     WHERE (o.agency_id, o.group_level_id, o.active, o.erased_at)
		           IS DISTINCT FROM
		           (n.agency_id, n.group_level_id, n.active, n.erased_at)));
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION training_periods_people_changed() IS
	'Statement trigger: recomputes the periods of the people whose '
	'agency, level, activity or erasure changed (taken away when deleted).';
CREATE TRIGGER people_periods_insert AFTER INSERT ON people
	REFERENCING NEW TABLE AS periods_new
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_people_changed();
CREATE TRIGGER people_periods_update AFTER UPDATE ON people
	REFERENCING OLD TABLE AS periods_old NEW TABLE AS periods_new
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_people_changed();
CREATE TRIGGER people_periods_delete AFTER DELETE ON people
	REFERENCING OLD TABLE AS periods_old
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_people_changed();

-- A level's scheme, rank or refresh changed (reference data, changed by
-- hand): everyone at a level of the schemes concerned is recomputed.
CREATE FUNCTION training_periods_levels_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM training_periods_refresh(ARRAY(
	    SELECT p.id FROM people p JOIN group_levels l
	        ON l.id = p.group_level_id
	     WHERE l.scheme_id IN (
		SELECT o.scheme_id FROM periods_old o JOIN periods_new n
		    ON n.id = o.id
		 WHERE (o.scheme_id, o.rank, o.refresh_months) IS DISTINCT FROM
		       (n.scheme_id, n.rank, n.refresh_months)
		UNION
		SELECT n.scheme_id FROM periods_old o JOIN periods_new n
		    ON n.id = o.id
		 WHERE (o.scheme_id, o.rank, o.refresh_months) IS DISTINCT FROM
		       (n.scheme_id, n.rank, n.refresh_months))));
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION training_periods_levels_changed() IS
	'Statement trigger: recomputes the periods of everyone at a level of '
	'a scheme whose levels changed rank, scheme or refresh.';
CREATE TRIGGER group_levels_periods_update AFTER UPDATE ON group_levels
	REFERENCING OLD TABLE AS periods_old NEW TABLE AS periods_new
	FOR EACH STATEMENT EXECUTE FUNCTION training_periods_levels_changed();

INSERT INTO training_periods
SELECT * FROM training_periods_of(ARRAY(SELECT id FROM people));

-- The rule of migration 0008, read from the kept periods: the one each
-- person is in on the date (on no date, NULL, everyone is in their first:
-- never trained, as 0008 has it).
CREATE OR REPLACE FUNCTION training_status(as_of date)
RETURNS TABLE (person_id bigint, agency_id bigint, group_level_id integer,
    level_code text, last_trained_on date, expires_on date, status text)
LANGUAGE sql STABLE AS $$
	SELECT t.person_id, t.agency_id, t.group_level_id, l.code,
	       t.trained_on, t.expires_on,
	       CASE WHEN t.trained_on IS NULL THEN 'never'
	            WHEN t.expires_on <= $1 THEN 'expired'
	            WHEN t.expires_on <= $1 + 90 THEN 'lapsing'
	            ELSE 'in_date' END
	  FROM training_periods t
	  JOIN group_levels l ON l.id = t.group_level_id
	 WHERE t.from_on <= coalesce($1, '-infinity')
	   AND t.to_on > coalesce($1, '-infinity')
$$;
COMMENT ON FUNCTION training_status(date) IS
	'The qualifying rule: each active person''s training status at their '
	'level on a date (in_date, lapsing, expired, never), from the kept '
	'training periods.';

-- The counts of migration 0008 from the same periods, by dates rather
-- than by status names: never (no completion), expired (expires_on on or
-- before the date), lapsing (in date, expiring within 90 days), trained
-- (in date or lapsing).
CREATE OR REPLACE FUNCTION coverage_counts(as_of date)
RETURNS TABLE (agency_id bigint, group_level_id integer, n integer,
    n_source text, staff integer, trained integer, lapsing integer,
    expired integer, never integer)
LANGUAGE sql STABLE AS $$
	WITH s AS (
		SELECT t.agency_id, t.group_level_id, count(*) AS staff,
		       count(*) FILTER (WHERE t.expires_on > $1) AS trained,
		       count(*) FILTER (WHERE t.expires_on > $1
		                          AND t.expires_on <= $1 + 90) AS lapsing,
		       count(*) FILTER (WHERE t.expires_on <= $1) AS expired,
		       count(*) FILTER (WHERE t.trained_on IS NULL) AS never
		  FROM training_periods t
		 WHERE t.from_on <= coalesce($1, '-infinity')
		   AND t.to_on > coalesce($1, '-infinity')
		   AND t.agency_id IS NOT NULL
		 GROUP BY t.agency_id, t.group_level_id),
	latest AS (
		SELECT r.agency_id, max(r.as_of) AS as_of
		  FROM staffing_returns r WHERE r.as_of <= $1
		 GROUP BY r.agency_id),
	r AS (
		SELECT r.agency_id, r.group_level_id, r.headcount
		  FROM staffing_returns r
		  JOIN latest USING (agency_id, as_of))
	SELECT a.id, coalesce(s.group_level_id, r.group_level_id),
	       coalesce(r.headcount, s.staff)::integer,
	       CASE WHEN r.headcount IS NULL THEN 'staff_list' ELSE 'return' END,
	       coalesce(s.staff, 0)::integer, coalesce(s.trained, 0)::integer,
	       coalesce(s.lapsing, 0)::integer, coalesce(s.expired, 0)::integer,
	       coalesce(s.never, 0)::integer
	  FROM s FULL JOIN r ON r.agency_id = s.agency_id
	   AND r.group_level_id = s.group_level_id
	  JOIN agencies a ON a.id = coalesce(s.agency_id, r.agency_id)
	 WHERE a.active
$$;
COMMENT ON FUNCTION coverage_counts(date) IS
	'Workforce coverage counts per active agency and level on a date: N '
	'from the latest staffing return on or before it, else the staff list; '
	'the staff''s counts from the kept training periods.';
