/*
 * db_training: imported training records of a setting's staff. The rows
 * of an upload are loaded with COPY into a temporary table (training_in,
 * dropped at the end of the transaction); the database checks each
 * (the person on the setting's staff list, the level in the scheme, the
 * date not in the future) and, when all pass, inserts them in the same
 * transaction. The same record twice is one record (a unique index:
 * person, level, date, title and provider). Imports and exports are
 * audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_training.h"
#include "sqlparam.h"
#include "staff.h"

enum {
	Q_INPUT,
	Q_COPY,
	Q_ANALYZE,
	Q_CHECK,
	Q_INSERT,
	Q_LIST,
	Q_EXPORT,
	Q_MINE,
	Q__MAX
};

/* The upload's rows with the person and level they name ($1 agency). */
#define TRAINING_ROWS \
	"WITH m AS (SELECT r.*, p.id AS person_id, l.id AS level_id" \
	"         FROM training_in r" \
	"         LEFT JOIN people p ON lower(p.email) = r.email" \
	"          AND p.agency_id = $1::bigint AND p.active" \
	"          AND p.erased_at IS NULL" \
	"         LEFT JOIN (group_levels l JOIN group_schemes s" \
	"               ON s.id = l.scheme_id AND s.is_default)" \
	"           ON lower(r.level) IN (lower(l.code), lower(l.name))) "

static const char *const training_sql[Q__MAX] = {
	/* The upload's rows as training.c wrote them; a wrong date or hours
	 * NULL. */
	[Q_INPUT] =
	"CREATE TEMP TABLE training_in (line int, email text, title text,"
	"    completed_on date, level text, provider text, hours numeric)"
	"  ON COMMIT DROP",

	[Q_COPY] =
	"COPY training_in (" TRAINING_COPY_COLUMNS ") FROM STDIN",

	[Q_ANALYZE] =
	"ANALYZE training_in",

	/* $1 agency: the rows' problems */
	[Q_CHECK] =
	TRAINING_ROWS
	"SELECT line, person_id IS NULL, level_id IS NULL,"
	"       completed_on > (now() AT TIME ZONE 'Europe/London')::date"
	"  FROM m WHERE person_id IS NULL OR level_id IS NULL"
	"    OR completed_on > (now() AT TIME ZONE 'Europe/London')::date"
	" ORDER BY line",

	/* $1 agency, $2 actor: how many were new */
	[Q_INSERT] =
	TRAINING_ROWS
	"INSERT INTO training_records (person_id, group_level_id,"
	"    completed_on, title, provider, source, hours, agency_id,"
	"    imported_by)"
	"SELECT person_id, level_id, completed_on, title, provider, 'import',"
	"       hours, $1::bigint, $2::bigint FROM m ORDER BY line "
	"ON CONFLICT (person_id, group_level_id, completed_on, lower(title),"
	"    lower(provider)) WHERE source = 'import' DO NOTHING",

	/* $1 agency, $2 limit, $3 offset */
	[Q_LIST] =
	"WITH matched AS ("
	"  SELECT r.*, p.full_name, p.email, l.code, l.name AS level_name"
	"    FROM training_records r JOIN people p ON p.id = r.person_id"
	"    JOIN group_levels l ON l.id = r.group_level_id"
	"   WHERE p.agency_id = $1::bigint AND r.source = 'import'"
	"     AND p.erased_at IS NULL)"
	"SELECT json_build_object('total', (SELECT count(*) FROM matched),"
	"  'limit', $2::int, 'offset', $3::int,"
	"  'records', coalesce((SELECT json_agg(json_build_object("
	"    'id', t.id, 'person_id', t.person_id, 'full_name', t.full_name,"
	"    'email', t.email, 'course_title', t.title,"
	"    'completed_on', t.completed_on, 'group_level', t.code,"
	"    'group_level_name', t.level_name, 'provider', t.provider,"
	"    'hours', t.hours) ORDER BY t.completed_on DESC, t.id DESC)"
	"    FROM (SELECT * FROM matched ORDER BY completed_on DESC, id DESC"
	"           LIMIT $2::int OFFSET $3::int) t), '[]'))",

	/* $1 agency */
	[Q_EXPORT] =
	"SELECT p.email, r.title, r.completed_on::text, l.code, r.provider,"
	"       coalesce(r.hours::text, '')"
	"  FROM training_records r JOIN people p ON p.id = r.person_id"
	"  JOIN group_levels l ON l.id = r.group_level_id"
	" WHERE p.agency_id = $1::bigint AND r.source = 'import'"
	"   AND p.erased_at IS NULL"
	" ORDER BY r.completed_on DESC, r.id DESC",

	/* $1 person: their training at their own group level today (when
	 * it expires) and every record of theirs, newest first; no row when
	 * they have no level */
	[Q_MINE] =
	"SELECT json_build_object('group_level', t.level_code,"
	"  'last_trained_on', t.last_trained_on, 'expires_on', t.expires_on,"
	"  'status', t.status,"
	"  'records', coalesce((SELECT json_agg(json_build_object("
	"     'title', r.title, 'completed_on', r.completed_on,"
	"     'provider', r.provider, 'source', r.source,"
	"     'booking_id', r.booking_id, 'group_level', l.code)"
	"     ORDER BY r.completed_on DESC, r.id DESC)"
	"     FROM training_records r JOIN group_levels l"
	"       ON l.id = r.group_level_id WHERE r.person_id = $1::bigint),"
	"   '[]'))"
	"  FROM training_status((now() AT TIME ZONE 'Europe/London')::date) t"
	" WHERE t.person_id = $1::bigint",
};

static void	 training_problem(cJSON *, long long, const char *,
		    const char *);

/*
 * Import the records `rows` (COPY text: training_reader_row()) for
 * agency `agency`'s staff as `actor` from `ip`, in one transaction;
 * `*created` how many were new (the others were there already). The
 * problems the database finds are added to `errors` (once a line and
 * field); when `errors` then holds any, DB_INVALID is returned with
 * nothing applied.
 */
enum db_status
db_training_import(long long agency, const struct copytext *rows,
    long long actor, const char *ip, long *created, cJSON *errors)
{
	struct db	 db;
	char		 aid[24], who[24], detail[96];
	const char	*params[2];
	int		 st, i;

	*created = 0;
	sqlparam_id(aid, agency);
	sqlparam_id(who, actor);
	params[0] = aid;
	params[1] = who;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, training_sql[Q_INPUT], 0, NULL)) != DB_OK)
		goto out;
	/* A row COPY refuses is a fault of training.c's, never the file's. */
	if ((st = db_copy(&db, training_sql[Q_COPY], rows->data,
	    rows->len)) != DB_OK) {
		if (st != DB_UNAVAILABLE)
			st = DB_ERR;
		goto out;
	}
	if ((st = db_exec(&db, training_sql[Q_ANALYZE], 0, NULL)) != DB_OK ||
	    (st = db_exec(&db, training_sql[Q_CHECK], 1, params)) != DB_OK)
		goto out;
	for (i = 0; i < db_rows(&db); i++) {
		if (db_value(&db, i, 1)[0] == 't')
			training_problem(errors, db_int(&db, i, 0), "email",
			    "This person is not on your setting's staff list: "
			    "add them to it first.");
		if (db_value(&db, i, 2)[0] == 't')
			training_problem(errors, db_int(&db, i, 0),
			    "group_level", "There is no such group level.");
		if (db_value(&db, i, 3)[0] == 't')
			training_problem(errors, db_int(&db, i, 0),
			    "completed_on", "The date is in the future.");
	}
	if (cJSON_GetArraySize(errors) > 0) {
		st = DB_INVALID;
		goto out;
	}
	if ((st = db_exec(&db, training_sql[Q_INSERT], 2, params)) != DB_OK)
		goto out;
	*created = strtol(PQcmdTuples(db.sql.result), NULL, 10);
	snprintf(detail, sizeof(detail), "{\"rows\":%zu,\"created\":%ld}",
	    rows->rows, *created);
	if ((st = db_audit(&db, actor, "training.import", "agency",
	    agency, ip, detail)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * A page of the records imported for agency `agency`'s staff, newest
 * first: {"records":[...],"total","limit","offset"} in `*out`.
 */
enum db_status
db_training_list(long long agency, long limit, long offset, cJSON **out)
{
	char		 aid[24], lim[24], off[24];
	const char	*params[3] = { aid, lim, off };

	sqlparam_id(aid, agency);
	snprintf(lim, sizeof(lim), "%ld", limit);
	snprintf(off, sizeof(off), "%ld", offset);
	return (db_json(training_sql[Q_LIST], 3, params, out));
}

/*
 * The imported records of `agency` as CSV with the upload's header (an
 * export can be sent back unchanged: nothing is doubled); audited.
 */
enum db_status
db_training_export(long long agency, long long actor, const char *ip,
    struct csv_out *out)
{
	struct db	 db;
	char		 aid[24], detail[64];
	const char	*params[1] = { aid };
	const char	*head[] = { "email", "course_title", "completed_on",
			    "group_level", "provider", "hours" };
	int		 st, r, c, rows;

	sqlparam_id(aid, agency);
	csv_out_init(out);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, training_sql[Q_EXPORT], 1, params)) != DB_OK)
		goto out;
	for (c = 0; c < 6; c++)
		csv_out_field(out, head[c], 0);
	csv_out_end_row(out);
	rows = db_rows(&db);
	for (r = 0; r < rows; r++) {
		for (c = 0; c < 6; c++)
			csv_out_field(out, db_value(&db, r, c), 1);
		csv_out_end_row(out);
	}
	snprintf(detail, sizeof(detail), "{\"rows\":%d}", rows);
	if ((st = db_audit(&db, actor, "training.export", "agency",
	    agency, ip, detail)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/* Add a problem unless the line's field has one already. */
static void
training_problem(cJSON *errors, long long line, const char *field,
    const char *message)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, errors) {
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(e, "line")) ==
		    (double)line && strcmp(cJSON_GetStringValue(
		    cJSON_GetObjectItem(e, "field")), field) == 0)
			return;
	}
	staff_problem(errors, (size_t)line, field, message);
}

/*
 * `person`'s training at their own group level: {"group_level",
 * "last_trained_on","expires_on","status","records":[...]} in `*out`
 * (caller owns); DB_NOTFOUND when they have no group level.
 */
enum db_status
db_training_mine(long long person, cJSON **out)
{
	char		 pid[24];
	const char	*params[1] = { pid };

	sqlparam_id(pid, person);
	return (db_json(training_sql[Q_MINE], 1, params, out));
}
