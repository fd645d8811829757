-- Workforce coverage: agencies that close, imported training records,
-- the qualifying rule as SQL functions others can reuse, and the
-- reminders of training that lapses.
--
--   training_status(as_of date)  one row per active person with a group
--       level: person_id, agency_id, group_level_id, level_code,
--       last_trained_on, expires_on, status (in_date, lapsing, expired,
--       never). E.g. "is this DSL's training in date today":
--       SELECT status FROM training_status(current_date) WHERE person_id = $1
--   coverage_counts(as_of date)  per active agency and level: N (from the
--       latest staffing return on or before as_of, else the staff list),
--       its source, and the counts trained, lapsing, expired, never.
--
-- The qualifying rule: a training record qualifies a person for their
-- level when its level is that level or a higher one of the same scheme
-- (by rank) and it was completed on or before the as-of date and less
-- than the person's level's refresh_months before it. It expires on
-- completed_on + refresh_months (a calendar date: no time zone, no DST):
-- on that day it no longer counts. "lapsing": in date, expiring within
-- 90 days of the as-of date (expires_on <= as_of + 90).

ALTER TABLE agencies ADD COLUMN active boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN agencies.active IS
	'false once the agency has closed: kept (records point to it), never deleted.';
CREATE UNIQUE INDEX agencies_name_unique ON agencies ((lower(name)));

ALTER TABLE training_records
	ADD COLUMN hours numeric(6,2) CHECK (hours IS NULL OR hours > 0 AND hours <= 1000),
	ADD COLUMN agency_id bigint REFERENCES agencies (id),
	ADD COLUMN imported_by bigint REFERENCES people (id);
COMMENT ON COLUMN training_records.hours IS 'Length of the training in hours, if known.';
COMMENT ON COLUMN training_records.agency_id IS
	'For imports: the setting whose lead or coordinator imported the record.';
COMMENT ON COLUMN training_records.imported_by IS 'For imports: who imported it.';
-- The same imported record twice is one record.
CREATE UNIQUE INDEX training_records_import_once ON training_records
	(person_id, group_level_id, completed_on, lower(title), lower(provider))
	WHERE source = 'import';
CREATE INDEX training_records_agency ON training_records (agency_id, completed_on)
	WHERE agency_id IS NOT NULL;
CREATE INDEX staffing_returns_latest ON staffing_returns (agency_id, as_of);

CREATE FUNCTION training_status(as_of date)
RETURNS TABLE (person_id bigint, agency_id bigint, group_level_id integer,
    level_code text, last_trained_on date, expires_on date, status text)
LANGUAGE sql STABLE AS $$
	SELECT t.person_id, t.agency_id, t.group_level_id, t.level_code,
	       t.completed_on, e.expires_on,
	       CASE WHEN t.completed_on IS NULL THEN 'never'
	            WHEN e.expires_on <= $1 THEN 'expired'
	            WHEN e.expires_on <= $1 + 90 THEN 'lapsing'
	            ELSE 'in_date' END
	  FROM (SELECT p.id AS person_id, p.agency_id, l.id AS group_level_id,
	               l.code AS level_code, l.refresh_months,
	               max(r.completed_on) AS completed_on
		  FROM people p
		  JOIN group_levels l ON l.id = p.group_level_id
		  LEFT JOIN (training_records r
		       JOIN group_levels rl ON rl.id = r.group_level_id)
		    ON r.person_id = p.id AND rl.scheme_id = l.scheme_id
		   AND rl.rank >= l.rank AND r.completed_on <= $1
		 WHERE p.active AND p.erased_at IS NULL
		 GROUP BY p.id, p.agency_id, l.id) t
	  CROSS JOIN LATERAL (SELECT (t.completed_on +
		make_interval(months => t.refresh_months))::date AS expires_on) e
$$;
COMMENT ON FUNCTION training_status(date) IS
	'The qualifying rule: each active person''s training status at their '
	'level on a date (in_date, lapsing, expired, never).';

CREATE FUNCTION coverage_counts(as_of date)
RETURNS TABLE (agency_id bigint, group_level_id integer, n integer,
    n_source text, staff integer, trained integer, lapsing integer,
    expired integer, never integer)
LANGUAGE sql STABLE AS $$
	WITH s AS (
		SELECT t.agency_id, t.group_level_id, count(*) AS staff,
		       count(*) FILTER (WHERE t.status IN ('in_date', 'lapsing')) AS trained,
		       count(*) FILTER (WHERE t.status = 'lapsing') AS lapsing,
		       count(*) FILTER (WHERE t.status = 'expired') AS expired,
		       count(*) FILTER (WHERE t.status = 'never') AS never
		  FROM training_status($1) t
		 WHERE t.agency_id IS NOT NULL
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
	'from the latest staffing return on or before it, else the staff list.';

CREATE TABLE coverage_reminders (
	person_id	bigint NOT NULL REFERENCES people (id),
	kind		text NOT NULL CHECK (kind IN ('expiring', 'expired')),
	expires_on	date NOT NULL,
	queued_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (person_id, kind, expires_on)
);
COMMENT ON TABLE coverage_reminders IS
	'Reminders of training that expires, queued once each (the key makes '
	'a second send impossible, even from two senders at once).';
COMMENT ON COLUMN coverage_reminders.person_id IS 'Who was reminded.';
COMMENT ON COLUMN coverage_reminders.kind IS
	'expiring (60 days before) or expired (on or after the day).';
COMMENT ON COLUMN coverage_reminders.expires_on IS
	'The expiry date the reminder was about.';
COMMENT ON COLUMN coverage_reminders.queued_at IS 'When it went into the outbox.';

CREATE TABLE coverage_digests (
	agency_id	bigint NOT NULL REFERENCES agencies (id),
	person_id	bigint NOT NULL REFERENCES people (id),
	month		date NOT NULL CHECK (extract(day FROM month) = 1),
	queued_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (agency_id, person_id, month)
);
COMMENT ON TABLE coverage_digests IS
	'Monthly digests of a setting''s lapsing, expired and untrained staff '
	'sent to its setting leads, once a month each.';
COMMENT ON COLUMN coverage_digests.agency_id IS 'The setting.';
COMMENT ON COLUMN coverage_digests.person_id IS 'The setting lead mailed.';
COMMENT ON COLUMN coverage_digests.month IS 'First day of the month of the digest.';
COMMENT ON COLUMN coverage_digests.queued_at IS 'When it went into the outbox.';
