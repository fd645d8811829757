/*
 * db_staff: import a setting's staff list (people matched by e-mail
 * address, case-insensitively: created, updated or left unchanged) in
 * one transaction, list it, and export it as CSV. Imports and exports
 * are audited. Someone on another agency's list cannot be taken over by
 * an import: that row is refused.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "db_audit.h"
#include "db_staff.h"
#include "sqlparam.h"

enum {
	Q_AGENCY,
	Q_LEVELS,
	Q_FIND,
	Q_INSERT,
	Q_UPDATE,
	Q_LIST,
	Q_EXPORT,
	Q__MAX
};

static const char *const staff_sql[Q__MAX] = {
	[Q_AGENCY] =
	"SELECT 1 FROM agencies WHERE id = $1::bigint",

	[Q_LEVELS] =
	"SELECT l.code, l.id, l.name FROM group_levels l JOIN group_schemes s"
	"    ON s.id = l.scheme_id AND s.is_default",

	/* $1 e-mail */
	[Q_FIND] =
	"SELECT id, agency_id, full_name, coalesce(job_title, ''),"
	"       group_level_id, is_dsl,"
	"       CASE WHEN manager_source = 'self' THEN ''"
	"            ELSE coalesce(manager_email, '') END, active"
	"  FROM people WHERE lower(email) = lower($1) AND erased_at IS NULL"
	"   FOR UPDATE",

	/* $1 agency, $2 name, $3 e-mail, $4 job title, $5 level id,
	 * $6 DSL, $7 manager e-mail */
	[Q_INSERT] =
	"INSERT INTO people (agency_id, full_name, email, job_title,"
	"                    group_level_id, is_dsl, manager_email,"
	"                    manager_source, active)"
	"VALUES ($1::bigint, $2, $3, $4, $5::int, $6::boolean, $7::text,"
	"        CASE WHEN $7::text IS NOT NULL THEN 'staff_list' END, true)",

	/* $1 person, $2 name, $3 job title, $4 level id, $5 DSL,
	 * $6 manager e-mail: the list's manager wins over one the person
	 * named (and voids their change waiting to be confirmed); a row
	 * without one leaves theirs */
	[Q_UPDATE] =
	"WITH v AS (UPDATE manager_changes SET expires_at = now()"
	"            WHERE person_id = $1::bigint AND $6::text IS NOT NULL"
	"              AND confirmed_at IS NULL AND expires_at > now())"
	"UPDATE people SET full_name = $2, job_title = $3,"
	"       group_level_id = $4::int, is_dsl = $5::boolean,"
	"       manager_email = CASE WHEN $6::text IS NOT NULL THEN $6::text"
	"           WHEN manager_source = 'self' THEN manager_email END,"
	"       manager_source = CASE WHEN $6::text IS NOT NULL THEN 'staff_list'"
	"           WHEN manager_source = 'self' THEN 'self' END,"
	"       active = true"
	" WHERE id = $1::bigint",

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
 * Apply the `n` members of staff `m` to agency `agency`'s list, as
 * `actor` from `ip`, in one transaction, counting into `counts`. A row
 * the database refuses (unknown group level, someone on another
 * agency's list) is added to `errors` and DB_INVALID returned with
 * nothing applied.
 */
enum db_status
db_staff_import(long long agency, const struct staff_member *m, size_t n,
    long long actor, const char *ip, struct staff_counts *counts,
    cJSON *errors)
{
	struct db	 db;
	char		 aid[24], pid[24], detail[128];
	char		 codes[64][17], ids[64][24], names[64][64];
	const char	*params[7], *level;
	cJSON		*e;
	size_t		 i, nlevels, k;
	int		 st, same;

	memset(counts, 0, sizeof(*counts));
	sqlparam_id(aid, agency);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	if ((st = db_exec(&db, staff_sql[Q_LEVELS], 0, NULL)) != DB_OK)
		goto out;
	nlevels = 0;
	for (k = 0; k < (size_t)db_rows(&db) && k < 64; k++) {
		snprintf(codes[k], sizeof(codes[k]), "%s", db_value(&db, k, 0));
		snprintf(ids[k], sizeof(ids[k]), "%s", db_value(&db, k, 1));
		snprintf(names[k], sizeof(names[k]), "%s", db_value(&db, k, 2));
		nlevels++;
	}

	for (i = 0; i < n; i++) {
		level = NULL;
		for (k = 0; k < nlevels; k++) {
			/* A level by its code (G2) or its name (Group 2). */
			if (strcasecmp(codes[k], m[i].group_level) == 0 ||
			    strcasecmp(names[k], m[i].group_level) == 0)
				level = ids[k];
		}
		if (level == NULL) {
			e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "line", (double)m[i].line);
			cJSON_AddStringToObject(e, "field", "group_level");
			cJSON_AddStringToObject(e, "message", "There is no such "
			    "group level.");
			cJSON_AddItemToArray(errors, e);
			continue;
		}
		params[0] = m[i].email;
		if ((st = db_exec(&db, staff_sql[Q_FIND], 1, params)) != DB_OK)
			goto out;
		if (db_rows(&db) > 0 && db_int(&db, 0, 1) != agency) {
			e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "line", (double)m[i].line);
			cJSON_AddStringToObject(e, "field", "email");
			cJSON_AddStringToObject(e, "message", "This person is on "
			    "another agency's staff list. Ask a coordinator "
			    "to move them.");
			cJSON_AddItemToArray(errors, e);
			continue;
		}
		if (cJSON_GetArraySize(errors) > 0)
			continue;
		if (db_rows(&db) > 0) {
			same = strcmp(db_value(&db, 0, 2), m[i].full_name) == 0 &&
			    strcmp(db_value(&db, 0, 3), m[i].job_title ?
			    m[i].job_title : "") == 0 &&
			    strcmp(db_value(&db, 0, 4), level) == 0 &&
			    (db_value(&db, 0, 5)[0] == 't') == m[i].is_dsl &&
			    strcmp(db_value(&db, 0, 6), m[i].manager_email) ==
			    0 && db_value(&db, 0, 7)[0] == 't';
			if (same) {
				counts->unchanged++;
				continue;
			}
			snprintf(pid, sizeof(pid), "%s", db_value(&db, 0, 0));
			params[0] = pid;
			params[1] = m[i].full_name;
			params[2] = m[i].job_title;
			params[3] = level;
			params[4] = m[i].is_dsl ? "true" : "false";
			params[5] = m[i].manager_email[0] ?
			    m[i].manager_email : NULL;
			if ((st = db_exec(&db, staff_sql[Q_UPDATE], 6,
			    params)) != DB_OK)
				goto out;
			counts->updated++;
		} else {
			params[0] = aid;
			params[1] = m[i].full_name;
			params[2] = m[i].email;
			params[3] = m[i].job_title;
			params[4] = level;
			params[5] = m[i].is_dsl ? "true" : "false";
			params[6] = m[i].manager_email[0] ?
			    m[i].manager_email : NULL;
			if ((st = db_exec(&db, staff_sql[Q_INSERT], 7,
			    params)) != DB_OK)
				goto out;
			counts->created++;
		}
	}
	if (cJSON_GetArraySize(errors) > 0) {
		st = DB_INVALID;
		goto out;
	}
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
