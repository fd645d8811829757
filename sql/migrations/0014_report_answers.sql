-- Kept report answers: the impact and coverage reports read most of the
-- database (at the demo data's 100x, about a million bookings, forms and
-- training records), which no index brings under a second. A report's
-- answer is kept, one per report, filters and audience, with the snapshot
-- of the database taken before its data was gathered, and served again
-- only while it is current:
--
--   * computed today (reports depend on today's date), and
--   * every transaction that changed a table the reports read was already
--     visible in its snapshot.
--
-- Statement triggers with transition tables record each transaction that
-- changed a row of such a table (once a transaction) in report_changes.
-- A transaction still running while a report was gathered is not in that
-- report's snapshot, so once it commits its change row makes the answer
-- stale: a kept answer is never older than the data it stands for.
-- report_snapshot_current(snapshot, computed_on) holds the rule for the
-- portal and for the scheduled loop that forgets stale answers.

CREATE TABLE report_changes (
	xid		xid8 PRIMARY KEY,
	changed_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE report_changes IS
	'Transactions that changed a table the reports read, once each '
	'(report_change_record triggers); forgotten by the scheduled loop '
	'an hour on, once every kept answer''s snapshot sees them.';
COMMENT ON COLUMN report_changes.xid IS 'The changing transaction''s id.';
COMMENT ON COLUMN report_changes.changed_at IS
	'When the transaction first changed such a table.';

CREATE TABLE report_answers (
	key		text PRIMARY KEY CHECK (length(key) <= 4096),
	snapshot	pg_snapshot NOT NULL,
	computed_on	date NOT NULL,
	computed_at	timestamptz NOT NULL DEFAULT now(),
	body		text NOT NULL
);
COMMENT ON TABLE report_answers IS
	'Kept answers of the reports (JSON, after the statistics and '
	'suppression), served while report_snapshot_current() holds.';
COMMENT ON COLUMN report_answers.key IS
	'The report, its audience (coordinator or reader: suppression '
	'differs) and its query string.';
COMMENT ON COLUMN report_answers.snapshot IS
	'pg_current_snapshot() taken before the report''s data was gathered '
	'(on the replica the report read from, whose transaction ids are '
	'the primary''s).';
COMMENT ON COLUMN report_answers.computed_on IS
	'The day (Europe/London) it was computed: reports depend on today.';
COMMENT ON COLUMN report_answers.computed_at IS 'When it was kept.';
COMMENT ON COLUMN report_answers.body IS 'The answer, JSON text.';

CREATE FUNCTION report_snapshot_misses(snap pg_snapshot)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM report_changes c
	 WHERE c.xid >= pg_snapshot_xmin(snap)
	   AND NOT pg_visible_in_snapshot(c.xid, snap))
$$;
COMMENT ON FUNCTION report_snapshot_misses(pg_snapshot) IS
	'Whether a recorded change was not yet visible in the snapshot.';

CREATE FUNCTION report_snapshot_current(snap pg_snapshot, day date)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT day = (now() AT TIME ZONE 'Europe/London')::date
	   AND NOT report_snapshot_misses(snap)
$$;
COMMENT ON FUNCTION report_snapshot_current(pg_snapshot, date) IS
	'Whether an answer computed on `day` with snapshot `snap` is current.';

-- Record the transaction once: always (TRUNCATE), or when the statement
-- changed a row (the transition table report_rows is not empty).
CREATE FUNCTION report_change_always() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO report_changes (xid) VALUES (pg_current_xact_id())
	    ON CONFLICT (xid) DO NOTHING;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_change_always() IS
	'Statement trigger (TRUNCATE): records the transaction in report_changes.';

CREATE FUNCTION report_change_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM report_rows) THEN
		INSERT INTO report_changes (xid) VALUES (pg_current_xact_id())
		    ON CONFLICT (xid) DO NOTHING;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION report_change_record() IS
	'Statement trigger: records the transaction in report_changes when '
	'the statement changed at least one row.';

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['group_schemes', 'group_levels', 'topics',
	    'agencies', 'people', 'courses', 'course_group_levels',
	    'course_topics', 'sessions', 'bookings', 'training_records',
	    'staffing_returns', 'evaluations', 'baselines', 'followups',
	    'manager_reviews'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I '
		    'REFERENCING NEW TABLE AS report_rows FOR EACH STATEMENT '
		    'EXECUTE FUNCTION report_change_record()',
		    t || '_report_insert', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I '
		    'REFERENCING NEW TABLE AS report_rows FOR EACH STATEMENT '
		    'EXECUTE FUNCTION report_change_record()',
		    t || '_report_update', t);
		EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I '
		    'REFERENCING OLD TABLE AS report_rows FOR EACH STATEMENT '
		    'EXECUTE FUNCTION report_change_record()',
		    t || '_report_delete', t);
		EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
		    'FOR EACH STATEMENT EXECUTE FUNCTION report_change_always()',
		    t || '_report_truncate', t);
	END LOOP;
END
$$;
