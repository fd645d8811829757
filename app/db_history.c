/*
 * db_history: import an attendance history in one transaction, set-based
 * (the rows are loaded with COPY into a temporary table; each step is
 * one statement over all of them, never a loop over rows):
 * courses by code, sessions by course and date, people by e-mail address
 * (without accounts), one booking a row, and the training records of the
 * places attended. What is already there is used, never doubled, so the
 * same file twice changes nothing the second time. An advisory lock
 * keeps two imports from racing each other.
 *
 * Imports run off the request path, in a thread of their own
 * (import_task.c) on a connection of their own: this file speaks libpq
 * directly, never Kore's pool, which belongs to the worker's event loop.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "db_audit.h"
#include "db_copy.h"
#include "db_history.h"
#include "sqlstate.h"

enum {
	Q_WAIT,
	Q_LOCK,
	Q_INPUT,
	Q_COPY,
	Q_ROWS,
	Q_ANALYZE,
	Q_UNKNOWN_AGENCY,
	Q_UNKNOWN_LEVEL,
	Q_COURSES,
	Q_COURSE_LEVELS,
	Q_DAYS,
	Q_DAYS_FOUND,
	Q_SESSIONS,
	Q_PEOPLE,
	Q_BOOKINGS,
	Q_AUDIT,
	Q_COMMIT,
	Q__MAX
};

static const char *const history_sql[Q__MAX] = {
	/* Sorts of 100,000 rows in memory, not on disk; each statement of
	 * an import that large may take longer than a request's 5 s (the
	 * import is a coordinator's, one at a time under the lock). */
	/* An import waits for the one before it (each in a thread of its
	 * own, nobody waiting on the request path) up to 10 minutes. */
	[Q_WAIT] =
	"SELECT set_config('lock_timeout', '600s', true)",

	[Q_LOCK] =
	"SELECT pg_advisory_xact_lock(hashtext('history.import')),"
	"       set_config('work_mem', '64MB', true),"
	"       set_config('statement_timeout', '120s', true)",

	/* The file's rows as history.c wrote them: the columns of enum
	 * history_col, in its order. */
	[Q_INPUT] =
	"CREATE TEMP TABLE history_in (session_date date, course_code text,"
	"  course_title text, format text, group_level text, agency text,"
	"  full_name text, email text, status text, line int) ON COMMIT DROP",

	[Q_COPY] =
	"COPY history_in FROM STDIN",

	/* The agency by name and the level by code or name,
	 * case-insensitively (NULL when unknown). */
	[Q_ROWS] =
	"CREATE TEMP TABLE history_rows ON COMMIT DROP AS"
	" SELECT r.*, a.id AS agency_id, l.id AS group_level_id"
	"   FROM history_in r"
	"   LEFT JOIN (SELECT lower(name) AS k, min(id) AS id FROM agencies"
	"               GROUP BY 1) a ON a.k = lower(r.agency)"
	"   LEFT JOIN (SELECT DISTINCT ON (k) k, id FROM (SELECT l.id, l.rank,"
	"                     unnest(ARRAY[lower(l.code), lower(l.name)]) AS k"
	"                FROM group_levels l JOIN group_schemes s"
	"                  ON s.id = l.scheme_id AND s.is_default) x"
	"               ORDER BY k, rank) l ON l.k = lower(r.group_level)",

	[Q_ANALYZE] =
	"ANALYZE history_rows",

	/* Each unknown name once, as first written. */
	[Q_UNKNOWN_AGENCY] =
	"SELECT (array_agg(agency ORDER BY line))[1] FROM history_rows"
	" WHERE agency_id IS NULL GROUP BY lower(agency) ORDER BY 1",

	[Q_UNKNOWN_LEVEL] =
	"SELECT (array_agg(group_level ORDER BY line))[1] FROM history_rows"
	" WHERE group_level_id IS NULL GROUP BY lower(group_level) ORDER BY 1",

	/* New courses: unpublished (they are history), the first title and
	 * format given for the code, a length that suits the format. */
	[Q_COURSES] =
	"WITH ins AS ("
	" INSERT INTO courses (code, title, summary, format, duration_minutes,"
	"                      multi_agency, published)"
	" SELECT DISTINCT ON (r.course_code) r.course_code, r.course_title,"
	"        'Imported from the attendance history.', r.format,"
	"        CASE r.format WHEN 'full_day' THEN 390 WHEN 'half_day' THEN 210"
	"             WHEN 'twilight' THEN 120 WHEN 'e_learning' THEN 60"
	"             WHEN 'seminar' THEN 180 ELSE 360 END, true, false"
	"   FROM history_rows r"
	"  WHERE NOT EXISTS (SELECT 1 FROM courses c WHERE c.code = r.course_code)"
	"  ORDER BY r.course_code, r.line"
	" RETURNING 1)"
	"SELECT count(*) FROM ins",

	/* Levels of courses that have none yet. */
	[Q_COURSE_LEVELS] =
	"INSERT INTO course_group_levels (course_id, group_level_id)"
	"SELECT DISTINCT c.id, r.group_level_id"
	"  FROM history_rows r JOIN courses c ON c.code = r.course_code"
	" WHERE NOT EXISTS (SELECT 1 FROM course_group_levels x"
	"                    WHERE x.course_id = c.id) "
	"ON CONFLICT DO NOTHING",

	/* The sessions the file names: course and date, with its rows. */
	[Q_DAYS] =
	"CREATE TEMP TABLE history_days ON COMMIT DROP AS"
	" SELECT c.id AS course_id, c.code AS course_code, c.format,"
	"        c.duration_minutes, r.session_date, count(*) AS places,"
	"        NULL::bigint AS session_id,"
	"        (SELECT x.group_level_id FROM course_group_levels x"
	"           JOIN group_levels l ON l.id = x.group_level_id"
	"          WHERE x.course_id = c.id ORDER BY l.rank DESC LIMIT 1)"
	"          AS record_level_id"
	"   FROM history_rows r JOIN courses c ON c.code = r.course_code"
	"  GROUP BY c.id, r.session_date",

	/* Those already there: the first of the course on that date. */
	[Q_DAYS_FOUND] =
	"UPDATE history_days d SET session_id = e.id"
	"  FROM (SELECT s.course_id,"
	"               (s.starts_at AT TIME ZONE 'Europe/London')::date AS day,"
	"               min(s.id) AS id"
	"          FROM sessions s"
	"         WHERE s.course_id IN (SELECT course_id FROM history_days)"
	"         GROUP BY 1, 2) e"
	" WHERE e.course_id = d.course_id AND e.day = d.session_date",

	/* The others made, at 09:30 (a twilight at 16:00), with as many
	 * places as the file has rows for them. */
	[Q_SESSIONS] =
	"WITH ins AS ("
	" INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,"
	"                       booking_opens_at, booking_closes_at)"
	" SELECT course_id, t0, t0 + make_interval(mins => duration_minutes),"
	"        '', least(places, 10000), t0 - interval '90 days',"
	"        t0 - interval '1 day'"
	"   FROM history_days d,"
	"        LATERAL (SELECT (d.session_date + CASE WHEN d.format ="
	"            'twilight' THEN time '16:00' ELSE time '09:30' END)"
	"            AT TIME ZONE 'Europe/London' AS t0) t"
	"  WHERE d.session_id IS NULL"
	"  ORDER BY t0, course_id"
	" RETURNING id, course_id, starts_at),"
	" upd AS ("
	" UPDATE history_days d SET session_id = ins.id FROM ins"
	"  WHERE ins.course_id = d.course_id"
	"    AND (ins.starts_at AT TIME ZONE 'Europe/London')::date ="
	"        d.session_date"
	" RETURNING 1)"
	"SELECT count(*) FROM upd",

	/* People not known by their e-mail address, without accounts. */
	[Q_PEOPLE] =
	"WITH ins AS ("
	" INSERT INTO people (agency_id, full_name, email)"
	" SELECT DISTINCT ON (r.email) r.agency_id, r.full_name, r.email"
	"   FROM history_rows r"
	"  WHERE NOT EXISTS (SELECT 1 FROM people p"
	"                     WHERE lower(p.email) = lower(r.email))"
	"  ORDER BY r.email, r.line"
	" ON CONFLICT DO NOTHING RETURNING 1)"
	"SELECT count(*) FROM ins",

	/* One booking a row, unless the person already has one on that
	 * session (the first row of a person and session counts); the
	 * training records of the places taken up, at the course's highest
	 * level, as the register makes them. */
	[Q_BOOKINGS] =
	"WITH rows AS ("
	" SELECT DISTINCT ON (d.session_id, p.id) d.session_id, p.id AS"
	"        person_id, r.status, s.starts_at, s.ends_at, d.record_level_id"
	"   FROM history_rows r"
	"   JOIN history_days d ON d.course_code = r.course_code"
	"    AND d.session_date = r.session_date"
	"   JOIN sessions s ON s.id = d.session_id"
	"   JOIN people p ON lower(p.email) = lower(r.email)"
	"  WHERE NOT EXISTS (SELECT 1 FROM bookings b"
	"                     WHERE b.person_id = p.id"
	"                       AND b.session_id = d.session_id)"
	"  ORDER BY d.session_id, p.id, r.line),"
	" ins AS ("
	" INSERT INTO bookings (session_id, person_id, status, booked_at,"
	"                       confirmed_at, cancelled_at, attendance_at)"
	" SELECT session_id, person_id, status, starts_at - interval '14 days',"
	"        starts_at - interval '14 days',"
	"        CASE status WHEN 'cancelled' THEN starts_at - interval '7 days'"
	"             WHEN 'late_cancelled' THEN starts_at - interval '1 day'"
	"        END,"
	"        CASE WHEN status IN ('attended', 'partial', 'no_show')"
	"             THEN ends_at END"
	"   FROM rows ORDER BY session_id, person_id"
	" RETURNING id, session_id, person_id, status),"
	" rec AS ("
	" INSERT INTO training_records (person_id, group_level_id,"
	"     completed_on, title, provider, source, booking_id)"
	" SELECT i.person_id, r.record_level_id,"
	"        (r.starts_at AT TIME ZONE 'Europe/London')::date, c.title,"
	"        'Safeguarding Children Partnership', 'booking', i.id"
	"   FROM ins i JOIN rows r USING (session_id, person_id)"
	"   JOIN sessions s ON s.id = i.session_id"
	"   JOIN courses c ON c.id = s.course_id"
	"  WHERE i.status IN ('attended', 'partial')"
	" RETURNING 1)"
	"SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM rec)",

	/* db_audit_params() */
	[Q_AUDIT] = DB_AUDIT_SQL,

	[Q_COMMIT] =
	"COMMIT",
};

static enum db_status	history_exec(PGconn *, int, int, const char *const *,
			    PGresult **);
static enum db_status	history_names(PGconn *, int, cJSON *, const char *);
static enum db_status	history_count(PGconn *, int, long *, long *);

/*
 * Import the rows of `h` as `actor` from `ip` in one transaction on
 * `conn` (a connection of the caller's, idle, not in a transaction),
 * telling progress(arg, step) after each of the HISTORY_STEPS steps from
 * HISTORY_STEP_LOCKED on. On DB_OK `*out` (caller owns) counts what was
 * made: {"rows", "bookings_created", "bookings_existing",
 * "courses_created", "sessions_created", "people_created",
 * "training_records_created"}. Unknown agencies or group levels:
 * DB_INVALID with each unknown name once in `fields`
 * ("unknown_agencies", "unknown_group_levels") and nothing applied.
 * DB_UNAVAILABLE when the database could not be reached or a time limit
 * ran out; DB_ERR otherwise. Nothing is applied unless DB_OK.
 */
enum db_status
db_history_import(PGconn *conn, const struct history *h, long long actor,
    const char *ip, void (*progress)(void *, int), void *arg, cJSON **out,
    cJSON *fields)
{
	PGresult	*res;
	struct db_audit_params	 audit;
	char		 detail[256];
	long		 courses, sessions, people, bookings, records;
	enum db_status	 st, names;

	*out = NULL;
	res = PQexec(conn, "BEGIN");
	st = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : DB_UNAVAILABLE;
	PQclear(res);
	if (st != DB_OK)
		return (st);
	/* Another import may hold the lock for a while: wait for it. */
	if ((st = history_exec(conn, Q_WAIT, 0, NULL, NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_LOCK, 0, NULL, NULL)) != DB_OK)
		goto out;
	progress(arg, HISTORY_STEP_LOCKED);
	if ((st = history_exec(conn, Q_INPUT, 0, NULL, NULL)) != DB_OK ||
	    (st = db_copy_in(conn, history_sql[Q_COPY], h->copy, h->len,
	    NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_ROWS, 0, NULL, NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_ANALYZE, 0, NULL, NULL)) != DB_OK)
		goto out;
	progress(arg, HISTORY_STEP_ROWS);
	if ((st = history_names(conn, Q_UNKNOWN_AGENCY, fields,
	    "unknown_agencies")) != DB_OK && st != DB_INVALID)
		goto out;
	names = st;
	if ((st = history_names(conn, Q_UNKNOWN_LEVEL, fields,
	    "unknown_group_levels")) != DB_OK && st != DB_INVALID)
		goto out;
	if (names == DB_INVALID || st == DB_INVALID) {
		st = DB_INVALID;
		goto out;
	}
	progress(arg, HISTORY_STEP_NAMES);
	if ((st = history_count(conn, Q_COURSES, &courses, NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_COURSE_LEVELS, 0, NULL,
	    NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_DAYS, 0, NULL, NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_DAYS_FOUND, 0, NULL, NULL)) != DB_OK ||
	    (st = history_count(conn, Q_SESSIONS, &sessions, NULL)) != DB_OK)
		goto out;
	progress(arg, HISTORY_STEP_SESSIONS);
	if ((st = history_count(conn, Q_PEOPLE, &people, NULL)) != DB_OK)
		goto out;
	progress(arg, HISTORY_STEP_PEOPLE);
	if ((st = history_count(conn, Q_BOOKINGS, &bookings,
	    &records)) != DB_OK)
		goto out;
	progress(arg, HISTORY_STEP_BOOKINGS);

	snprintf(detail, sizeof(detail), "{\"rows\":%zu,\"bookings\":%ld,"
	    "\"courses\":%ld,\"sessions\":%ld,\"people\":%ld}", h->rows,
	    bookings, courses, sessions, people);
	db_audit_params(&audit, actor, "history.import", "bookings", 0, ip,
	    detail);
	if ((st = history_exec(conn, Q_AUDIT, DB_AUDIT_NPARAMS, audit.p,
	    NULL)) != DB_OK ||
	    (st = history_exec(conn, Q_COMMIT, 0, NULL, NULL)) != DB_OK)
		goto out;
	*out = cJSON_CreateObject();
	cJSON_AddNumberToObject(*out, "rows", (double)h->rows);
	cJSON_AddNumberToObject(*out, "bookings_created", (double)bookings);
	cJSON_AddNumberToObject(*out, "bookings_existing",
	    (double)h->rows - (double)bookings);
	cJSON_AddNumberToObject(*out, "courses_created", (double)courses);
	cJSON_AddNumberToObject(*out, "sessions_created", (double)sessions);
	cJSON_AddNumberToObject(*out, "people_created", (double)people);
	cJSON_AddNumberToObject(*out, "training_records_created",
	    (double)records);
out:
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
	return (st);
}

/*
 * Run statement `q` with `n` parameters `p`; its result in `*res` (the
 * caller clears it) or cleared here when `res` is NULL. DB_OK, or
 * DB_UNAVAILABLE (connection lost, a time limit ran out) or DB_ERR.
 */
static enum db_status
history_exec(PGconn *conn, int q, int n, const char *const *p,
    PGresult **res)
{
	PGresult	*r;
	const char	*state;
	enum db_status	 st;

	r = PQexecParams(conn, history_sql[q], n, NULL, p, NULL, NULL, 0);
	switch (PQresultStatus(r)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		st = DB_OK;
		break;
	default:
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		st = PQstatus(conn) != CONNECTION_OK ||
		    sqlstate_is_timeout(state) ? DB_UNAVAILABLE : DB_ERR;
		break;
	}
	if (res != NULL && st == DB_OK)
		*res = r;
	else
		PQclear(r);
	return (st);
}

/*
 * Run statement `q` (names not found, one a row) and, when it finds any,
 * add them to `fields` as array `key`: DB_INVALID, else DB_OK.
 */
static enum db_status
history_names(PGconn *conn, int q, cJSON *fields, const char *key)
{
	PGresult	*res;
	cJSON		*names;
	enum db_status	 st;
	int		 r, rows;

	if ((st = history_exec(conn, q, 0, NULL, &res)) != DB_OK)
		return (st);
	if ((rows = PQntuples(res)) > 0) {
		names = cJSON_AddArrayToObject(fields, key);
		for (r = 0; r < rows; r++)
			cJSON_AddItemToArray(names, cJSON_CreateString(
			    PQgetvalue(res, r, 0)));
		st = DB_INVALID;
	}
	PQclear(res);
	return (st);
}

/* Run statement `q`, whose first (and second) columns count what it made. */
static enum db_status
history_count(PGconn *conn, int q, long *n, long *m)
{
	PGresult	*res;
	enum db_status	 st;

	if ((st = history_exec(conn, q, 0, NULL, &res)) != DB_OK)
		return (st);
	*n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	if (m != NULL)
		*m = strtol(PQgetvalue(res, 0, 1), NULL, 10);
	PQclear(res);
	return (DB_OK);
}
