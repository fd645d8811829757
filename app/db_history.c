/*
 * db_history: import an attendance history in one transaction, set-based
 * (the rows arrive as arrays and are unnested into a temporary table;
 * each step is one statement over all of them, never a loop over rows):
 * courses by code, sessions by course and date, people by e-mail address
 * (without accounts), one booking a row, and the training records of the
 * places attended. What is already there is used, never doubled, so the
 * same file twice changes nothing the second time. An advisory lock
 * keeps two imports from racing each other.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_history.h"

enum {
	Q_LOCK,
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
	Q__MAX
};

static const char *const history_sql[Q__MAX] = {
	/* Sorts of 100,000 rows in memory, not on disk; each statement of
	 * an import that large may take longer than a request's 5 s (the
	 * import is a coordinator's, one at a time under the lock). */
	[Q_LOCK] =
	"SELECT pg_advisory_xact_lock(hashtext('history.import')),"
	"       set_config('work_mem', '64MB', true),"
	"       set_config('statement_timeout', '120s', true)",

	/* $1..$9 the columns of history.h as arrays, $10 the lines. The
	 * agency by name and the level by code or name, case-insensitively
	 * (NULL when unknown). */
	[Q_ROWS] =
	"CREATE TEMP TABLE history_rows ON COMMIT DROP AS"
	" SELECT r.*, a.id AS agency_id, l.id AS group_level_id"
	"   FROM unnest($1::date[], $2::text[], $3::text[], $4::text[],"
	"     $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
	"     $10::int[]) AS r (session_date, course_code, course_title,"
	"     format, group_level, agency, full_name, email, status, line)"
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

	/* $1 actor, $2 address, $3 detail */
	[Q_AUDIT] =
	"INSERT INTO audit_log (actor_person_id, action, target_type, ip,"
	"                       detail)"
	"VALUES ($1::bigint, 'history.import', 'bookings', $2::inet,"
	"        $3::jsonb)",
};

static int	history_names(struct db *, int, cJSON *, const char *);
static int	history_count(struct db *, int, long *);

/*
 * Import the rows of `h` as `actor` from `ip` in one transaction. On
 * DB_OK `*out` (caller owns) counts what was made: {"rows",
 * "bookings_created", "bookings_existing", "courses_created",
 * "sessions_created", "people_created", "training_records_created"}.
 * Unknown agencies or group levels: DB_INVALID with each unknown name
 * once in `fields` ("unknown_agencies", "unknown_group_levels") and
 * nothing applied.
 */
int
db_history_import(const struct history *h, long long actor, const char *ip,
    cJSON **out, cJSON *fields)
{
	struct db	 db;
	const char	*params[HISTORY__MAX];
	char		 who[24], detail[256];
	long		 courses, sessions, people, bookings, records;
	int		 st, k, bad;

	*out = NULL;
	for (k = 0; k < HISTORY__MAX; k++)
		params[k] = h->column[k];
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, history_sql[Q_LOCK], 0, NULL)) != DB_OK ||
	    (st = db_exec(&db, history_sql[Q_ROWS], HISTORY__MAX,
	    params)) != DB_OK ||
	    (st = db_exec(&db, history_sql[Q_ANALYZE], 0, NULL)) != DB_OK)
		goto out;
	bad = 0;
	if ((st = history_names(&db, Q_UNKNOWN_AGENCY, fields,
	    "unknown_agencies")) != DB_OK && st != DB_INVALID)
		goto out;
	bad |= st == DB_INVALID;
	if ((st = history_names(&db, Q_UNKNOWN_LEVEL, fields,
	    "unknown_group_levels")) != DB_OK && st != DB_INVALID)
		goto out;
	bad |= st == DB_INVALID;
	if (bad) {
		st = DB_INVALID;
		goto out;
	}
	if ((st = history_count(&db, Q_COURSES, &courses)) != DB_OK ||
	    (st = db_exec(&db, history_sql[Q_COURSE_LEVELS], 0,
	    NULL)) != DB_OK ||
	    (st = db_exec(&db, history_sql[Q_DAYS], 0, NULL)) != DB_OK ||
	    (st = db_exec(&db, history_sql[Q_DAYS_FOUND], 0, NULL)) != DB_OK ||
	    (st = history_count(&db, Q_SESSIONS, &sessions)) != DB_OK ||
	    (st = history_count(&db, Q_PEOPLE, &people)) != DB_OK ||
	    (st = history_count(&db, Q_BOOKINGS, &bookings)) != DB_OK)
		goto out;
	records = db_int(&db, 0, 1);

	snprintf(who, sizeof(who), "%lld", actor);
	snprintf(detail, sizeof(detail), "{\"rows\":%zu,\"bookings\":%ld,"
	    "\"courses\":%ld,\"sessions\":%ld,\"people\":%ld}", h->rows,
	    bookings, courses, sessions, people);
	params[0] = who;
	params[1] = ip;
	params[2] = detail;
	if ((st = db_exec(&db, history_sql[Q_AUDIT], 3, params)) != DB_OK ||
	    (st = db_commit(&db)) != DB_OK)
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
	db_close(&db);
	return (st);
}

/*
 * Run statement `q` (names not found, one a row) and, when it finds any,
 * add them to `fields` as array `key`: DB_INVALID, else DB_OK.
 */
static int
history_names(struct db *db, int q, cJSON *fields, const char *key)
{
	cJSON	*names;
	int	 st, r, rows;

	if ((st = db_exec(db, history_sql[q], 0, NULL)) != DB_OK)
		return (st);
	if ((rows = db_rows(db)) == 0)
		return (DB_OK);
	names = cJSON_AddArrayToObject(fields, key);
	for (r = 0; r < rows; r++)
		cJSON_AddItemToArray(names, cJSON_CreateString(db_value(db,
		    r, 0)));
	return (DB_INVALID);
}

/* Run statement `q`, whose first column counts what it made. */
static int
history_count(struct db *db, int q, long *n)
{
	int	st;

	if ((st = db_exec(db, history_sql[q], 0, NULL)) == DB_OK)
		*n = (long)db_int(db, 0, 0);
	return (st);
}
