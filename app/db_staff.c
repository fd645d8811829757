/*
 * db_staff: import a setting's staff list (people matched by e-mail
 * address, case-insensitively: created, updated or left unchanged) in
 * one transaction, its rows loaded with COPY into a temporary table
 * (staff_in, dropped at the end of the transaction) and applied by a few
 * statements over all of them; list it, and export it as CSV. Imports and exports
 * are audited. Someone on another agency's list cannot be taken over by
 * an import: that row is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_staff.h"
#include "sqlparam.h"
#include "staff.h"

enum {
	Q_AGENCY,
	Q_INPUT,
	Q_COPY,
	Q_LOCK,
	Q_ROWS,
	Q_PROBLEMS,
	Q_UPDATE,
	Q_INSERT,
	Q_LIST,
	Q_EXPORT,
	Q__MAX
};

static const char *const staff_sql[Q__MAX] = {
	[Q_AGENCY] =
	"SELECT 1 FROM agencies WHERE id = $1::bigint",

	/* The list's rows as staff_copy() wrote them (addresses lower-cased;
	 * no job title or manager NULL). */
	[Q_INPUT] =
	"CREATE TEMP TABLE staff_in (line int, full_name text, email text,"
	"    job_title text, group_level text, is_dsl boolean,"
	"    manager_email text) ON COMMIT DROP",

	[Q_COPY] =
	"COPY staff_in (" STAFF_COPY_COLUMNS ") FROM STDIN",

	/* The people the list names, held until the end of the import. */
	[Q_LOCK] =
	"SELECT 1 FROM people"
	" WHERE lower(email) IN (SELECT email FROM staff_in)"
	"   AND erased_at IS NULL ORDER BY id FOR UPDATE",

	/* Each row with its level (by code, G2, or name, Group 2, in the
	 * default scheme), the person of that address, and whether the
	 * person is already as the row says. A manager the person named
	 * themselves counts as none. */
	[Q_ROWS] =
	"CREATE TEMP TABLE staff_rows ON COMMIT DROP AS"
	" SELECT r.*, l.id AS level_id, p.id AS person_id,"
	"        p.agency_id AS person_agency,"
	"        p.id IS NOT NULL AND p.full_name = r.full_name"
	"        AND coalesce(p.job_title, '') = coalesce(r.job_title, '')"
	"        AND p.group_level_id IS NOT DISTINCT FROM l.id"
	"        AND p.is_dsl IS NOT DISTINCT FROM r.is_dsl"
	"        AND CASE WHEN p.manager_source = 'self' THEN ''"
	"                 ELSE coalesce(p.manager_email, '') END ="
	"            coalesce(r.manager_email, '')"
	"        AND p.active AS same"
	"   FROM staff_in r"
	"   LEFT JOIN LATERAL (SELECT l.id FROM group_levels l"
	"          JOIN group_schemes s ON s.id = l.scheme_id AND s.is_default"
	"         WHERE lower(r.group_level) IN (lower(l.code), lower(l.name))"
	"         ORDER BY l.rank LIMIT 1) l ON true"
	"   LEFT JOIN people p ON lower(p.email) = r.email"
	"    AND p.erased_at IS NULL",

	/* $1 agency: the rows refused, a line at most once: an unknown
	 * level (true), else someone on another agency's list (false) */
	[Q_PROBLEMS] =
	"SELECT line, level_id IS NULL FROM staff_rows"
	" WHERE level_id IS NULL OR (person_id IS NOT NULL"
	"   AND person_agency IS DISTINCT FROM $1::bigint)"
	" ORDER BY line",

	/* The people who differ from their rows, updated: the list's
	 * manager wins over one the person named (and voids their change
	 * waiting to be confirmed); a row without one leaves theirs. How
	 * many were updated, and how many were already so. */
	[Q_UPDATE] =
	"WITH v AS (UPDATE manager_changes c SET expires_at = now()"
	"             FROM staff_rows r"
	"            WHERE c.person_id = r.person_id AND NOT r.same"
	"              AND r.manager_email IS NOT NULL"
	"              AND c.confirmed_at IS NULL AND c.expires_at > now()),"
	" u AS (UPDATE people p SET full_name = r.full_name,"
	"       job_title = r.job_title, group_level_id = r.level_id,"
	"       is_dsl = r.is_dsl,"
	"       manager_email = CASE WHEN r.manager_email IS NOT NULL"
	"           THEN r.manager_email"
	"           WHEN p.manager_source = 'self' THEN p.manager_email END,"
	"       manager_source = CASE WHEN r.manager_email IS NOT NULL"
	"           THEN 'staff_list'"
	"           WHEN p.manager_source = 'self' THEN 'self' END,"
	"       active = true"
	"         FROM staff_rows r"
	"        WHERE p.id = r.person_id AND NOT r.same"
	"       RETURNING 1)"
	"SELECT (SELECT count(*) FROM u),"
	"       (SELECT count(*) FROM staff_rows WHERE same)",

	/* $1 agency: the people new to the portal, in the order of their
	 * addresses, so that two lists naming the same new people wait for
	 * each other rather than deadlock */
	[Q_INSERT] =
	"INSERT INTO people (agency_id, full_name, email, job_title,"
	"                    group_level_id, is_dsl, manager_email,"
	"                    manager_source, active)"
	"SELECT $1::bigint, full_name, email, job_title, level_id, is_dsl,"
	"       manager_email,"
	"       CASE WHEN manager_email IS NOT NULL THEN 'staff_list' END, true"
	"  FROM staff_rows WHERE person_id IS NULL ORDER BY email",

	/* $1 agency, $2 limit, $3 offset */
	[Q_LIST] =
	"WITH matched AS (SELECT * FROM people"
	"                  WHERE agency_id = $1::bigint AND erased_at IS NULL)"
	"SELECT (SELECT count(*) FROM matched),"
	"  coalesce((SELECT json_agg(json_build_object("
	"    'person_id', p.id, 'full_name', p.full_name, 'email', p.email,"
	"    'job_title', p.job_title, 'group_level', (SELECT code"
	"       FROM group_levels WHERE id = p.group_level_id),"
	"    'is_dsl', p.is_dsl, 'manager_email', p.manager_email,"
	"    'active', p.active, 'has_account', EXISTS (SELECT 1"
	"       FROM accounts a WHERE a.person_id = p.id))"
	"    ORDER BY p.full_name, p.id)"
	"    FROM (SELECT * FROM matched ORDER BY full_name, id"
	"           LIMIT $2::int OFFSET $3::int) p), '[]')",

	/* $1 agency */
	[Q_EXPORT] =
	"SELECT p.full_name, p.email, p.job_title, l.name,"
	"       CASE WHEN p.is_dsl THEN 'yes' ELSE 'no' END, p.manager_email"
	"  FROM people p LEFT JOIN group_levels l ON l.id = p.group_level_id"
	" WHERE p.agency_id = $1::bigint AND p.erased_at IS NULL"
	" ORDER BY p.full_name, p.id",
};


/* DB_OK when agency `id` exists, DB_NOTFOUND when not. */
enum db_status
db_staff_agency_exists(long long id)
{
	struct db	 db;
	char		 aid[24];
	const char	*params[1] = { aid };
	int		 st;

	sqlparam_id(aid, id);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, staff_sql[Q_AGENCY], 1, params)) == DB_OK &&
	    db_rows(&db) == 0)
		st = DB_NOTFOUND;
	db_close(&db);
	return (st);
}

/*
 * Apply the members of staff `rows` (COPY text: staff_copy()) to agency
 * `agency`'s list, as `actor` from `ip`, in one transaction, counting
 * into `counts`: each statement runs over all the rows at once. A row
 * the database refuses (unknown group level, someone on another
 * agency's list) is added to `errors` and DB_INVALID returned with
 * nothing applied.
 */
enum db_status
db_staff_import(long long agency, const struct copytext *rows,
    long long actor, const char *ip, struct staff_counts *counts,
    cJSON *errors)
{
	struct db	 db;
	char		 aid[24], detail[128];
	const char	*params[1] = { aid };
	int		 st, i;

	memset(counts, 0, sizeof(*counts));
	sqlparam_id(aid, agency);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, staff_sql[Q_INPUT], 0, NULL)) != DB_OK)
		goto out;
	/* A row COPY refuses is a fault of staff.c's, never the file's. */
	if ((st = db_copy(&db, staff_sql[Q_COPY], rows->data,
	    rows->len)) != DB_OK) {
		if (st != DB_UNAVAILABLE)
			st = DB_ERR;
		goto out;
	}
	if ((st = db_exec(&db, staff_sql[Q_LOCK], 0, NULL)) != DB_OK ||
	    (st = db_exec(&db, staff_sql[Q_ROWS], 0, NULL)) != DB_OK ||
	    (st = db_exec(&db, staff_sql[Q_PROBLEMS], 1, params)) != DB_OK)
		goto out;
	for (i = 0; i < db_rows(&db); i++) {
		if (db_value(&db, i, 1)[0] == 't')
			staff_problem(errors, (size_t)db_int(&db, i, 0),
			    "group_level", "There is no such group level.");
		else
			staff_problem(errors, (size_t)db_int(&db, i, 0),
			    "email", "This person is on another agency's "
			    "staff list. Ask a coordinator to move them.");
	}
	if (cJSON_GetArraySize(errors) > 0) {
		st = DB_INVALID;
		goto out;
	}
	if ((st = db_exec(&db, staff_sql[Q_UPDATE], 0, NULL)) != DB_OK)
		goto out;
	counts->updated = (long)db_int(&db, 0, 0);
	counts->unchanged = (long)db_int(&db, 0, 1);
	if ((st = db_exec(&db, staff_sql[Q_INSERT], 1, params)) != DB_OK)
		goto out;
	counts->created = strtol(PQcmdTuples(db.sql.result), NULL, 10);
	snprintf(detail, sizeof(detail), "{\"created\":%ld,\"updated\":%ld,"
	    "\"unchanged\":%ld}", counts->created, counts->updated,
	    counts->unchanged);
	if ((st = db_audit(&db, actor, "staff.import", "agency", agency,
	    ip, detail)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * A page of agency `agency`'s staff list:
 * {"staff":[...],"total","limit","offset"} in `*out` (caller owns).
 */
enum db_status
db_staff_list(long long agency, long limit, long offset, cJSON **out)
{
	struct db	 db;
	char		 aid[24], lim[24], off[24];
	const char	*params[3] = { aid, lim, off };
	int		 st;

	sqlparam_id(aid, agency);
	snprintf(lim, sizeof(lim), "%ld", limit);
	snprintf(off, sizeof(off), "%ld", offset);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, staff_sql[Q_LIST], 3, params)) == DB_OK) {
		*out = cJSON_CreateObject();
		cJSON_AddItemToObject(*out, "staff",
		    cJSON_Parse(db_value(&db, 0, 1)));
		cJSON_AddNumberToObject(*out, "total", (double)db_int(&db, 0, 0));
		cJSON_AddNumberToObject(*out, "limit", (double)limit);
		cJSON_AddNumberToObject(*out, "offset", (double)offset);
	}
	db_close(&db);
	return (st);
}

/*
 * The whole staff list of `agency` as CSV with the upload's header, so
 * that an export can be edited and sent back; audited as `actor`.
 */
enum db_status
db_staff_export(long long agency, long long actor, const char *ip,
    struct csv_out *out)
{
	struct db	 db;
	char		 aid[24], detail[64];
	const char	*params[1] = { aid };
	int		 st, r, c, rows;

	sqlparam_id(aid, agency);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, staff_sql[Q_EXPORT], 1, params)) != DB_OK)
		goto out;
	csv_out_init(out);
	for (c = 0; c < STAFF_COLUMNS; c++)
		csv_out_field(out, staff_names[c], 0);
	csv_out_end_row(out);
	rows = db_rows(&db);
	for (r = 0; r < rows; r++) {
		for (c = 0; c < STAFF_COLUMNS; c++)
			csv_out_field(out, db_value(&db, r, c), 1);
		csv_out_end_row(out);
	}
	snprintf(detail, sizeof(detail), "{\"rows\":%d}", rows);
	if ((st = db_audit(&db, actor, "staff.export", "agency", agency,
	    ip, detail)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}
