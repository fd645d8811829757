/*
 * db_coverage: SQL gathers what coverage needs and stats/ (through
 * coverage.c) computes the figures. The counts come from the functions
 * of migration 0008: training_status(as_of) and coverage_counts(as_of),
 * which read the per-person training periods kept by migration 0024.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_coverage.h"
#include "sqlparam.h"

enum {
	Q_TODAY,
	Q_BASIS,
	Q_AGENCY,
	Q_PARTNERSHIP,
	Q_NEEDS,
	Q_RETURN_CHECK,
	Q_RETURN_DELETE,
	Q_RETURN_INSERT,
	Q_RETURN_GET,
	Q__MAX
};

/* The levels of the scheme in use. */
#define COVERAGE_LEVELS \
	"lv AS (SELECT l.id, l.code, l.name, l.rank FROM group_levels l" \
	"         JOIN group_schemes g ON g.id = l.scheme_id AND g.is_default)"

/* A level's counts as JSON, from a row c of coverage_counts(). */
#define COVERAGE_COUNTS(c) \
	"'n', coalesce(" c ".n, 0), 'staff', coalesce(" c ".staff, 0)," \
	"'trained', coalesce(" c ".trained, 0)," \
	"'lapsing', coalesce(" c ".lapsing, 0)," \
	"'expired', coalesce(" c ".expired, 0)," \
	"'never', coalesce(" c ".never, 0)"

#define COVERAGE_AGENCY(a) \
	"json_build_object('id', " a ".id, 'name', " a ".name, 'sector', " \
	a ".sector, 'area', " a ".area, 'phase', " a ".phase, 'active', " \
	a ".active)"

static const char *const coverage_sql[Q__MAX] = {
	[Q_TODAY] =
	"SELECT (now() AT TIME ZONE 'Europe/London')::date::text",

	/* $1 as of: per level, the scheduled sessions of the 12 months up
	 * to the last one before $1, their places and attendance. */
	[Q_BASIS] =
	"WITH " COVERAGE_LEVELS ","
	" ls AS (SELECT cl.group_level_id, s.id, s.capacity,"
	"               (s.starts_at AT TIME ZONE 'Europe/London')::date AS on_date"
	"          FROM sessions s"
	"          JOIN course_group_levels cl ON cl.course_id = s.course_id"
	"         WHERE s.status = 'scheduled'"
	"           AND (s.starts_at AT TIME ZONE 'Europe/London')::date < $1::date),"
	" w AS (SELECT group_level_id, max(on_date) AS last_on FROM ls"
	"        GROUP BY group_level_id)"
	"SELECT coalesce(json_object_agg(lv.code, json_build_object("
	"         'from', (w.last_on - interval '12 months')::date + 1,"
	"         'to', w.last_on,"
	"         'capacities', coalesce(b.capacities, '[]'::json),"
	"         'attended', coalesce(b.attended, 0),"
	"         'booked', coalesce(b.booked, 0))), '{}')"
	"  FROM lv LEFT JOIN w ON w.group_level_id = lv.id"
	"  LEFT JOIN LATERAL ("
	"    SELECT json_agg(ls.capacity) AS capacities,"
	"           sum(x.attended) AS attended, sum(x.booked) AS booked"
	"      FROM ls, LATERAL (SELECT count(*) FILTER (WHERE b.status IN"
	"                          ('attended', 'partial')) AS attended,"
	"                               count(*) FILTER (WHERE b.status IN"
	"                          ('attended', 'partial', 'no_show')) AS booked"
	"                          FROM bookings b WHERE b.session_id = ls.id) x"
	"     WHERE ls.group_level_id = lv.id"
	"       AND ls.on_date > (w.last_on - interval '12 months')::date) b"
	"    ON true",

	/* $1 agency, $2 as of, $3 with the staff list */
	[Q_AGENCY] =
	"WITH " COVERAGE_LEVELS ","
	" c AS (SELECT * FROM coverage_counts($2::date) WHERE agency_id = $1::bigint)"
	"SELECT json_build_object("
	" 'agency', (SELECT " COVERAGE_AGENCY("a") " FROM agencies a"
	"             WHERE a.id = $1::bigint),"
	" 'levels', (SELECT coalesce(json_agg(json_build_object('code', lv.code,"
	"     'name', lv.name, 'n_source', coalesce(c.n_source, 'staff_list'),"
	"     " COVERAGE_COUNTS("c") ") ORDER BY lv.rank), '[]')"
	"     FROM lv LEFT JOIN c ON c.group_level_id = lv.id),"
	" 'people', CASE WHEN $3::boolean THEN (SELECT coalesce(json_agg("
	"     json_build_object('person_id', t.person_id,"
	"       'full_name', p.full_name, 'job_title', p.job_title,"
	"       'group_level', t.level_code, 'group_level_name', l.name,"
	"       'last_trained_on', t.last_trained_on,"
	"       'expires_on', t.expires_on, 'status', t.status)"
	"     ORDER BY array_position(ARRAY['never', 'expired', 'lapsing',"
	"       'in_date'], t.status), t.expires_on NULLS FIRST, p.full_name,"
	"       p.id), '[]')"
	"     FROM training_status($2::date) t"
	"     JOIN people p ON p.id = t.person_id"
	"     JOIN group_levels l ON l.id = t.group_level_id"
	"    WHERE t.agency_id = $1::bigint) END)",

	/* $1 as of, $2 sector, $3 phase, $4 area (NULL: any); $5 how many
	 * settings (NULL: all), $6 from which, worst first: by the lowest
	 * coverage rate of a setting's levels with staff (trained counted up
	 * to N, over N), those without any last, then by name */
	[Q_PARTNERSHIP] =
	"WITH " COVERAGE_LEVELS ","
	" c AS (SELECT c.*, a.name AS agency_name, a.sector, a.phase, a.area,"
	"              least(c.trained, c.n) AS counted"
	"         FROM coverage_counts($1::date) c"
	"         JOIN agencies a ON a.id = c.agency_id"
	"        WHERE ($2::text IS NULL OR a.sector = $2)"
	"          AND ($3::text IS NULL OR a.phase = $3)"
	"          AND ($4::text IS NULL OR a.area = $4)),"
	" t AS (SELECT group_level_id, sum(n) AS n, sum(staff) AS staff,"
	"              sum(counted) AS trained,"
	"              sum(least(lapsing, counted)) AS lapsing,"
	"              sum(expired) AS expired, sum(never) AS never,"
	"              count(*) AS settings"
	"         FROM c GROUP BY group_level_id)"
	"SELECT json_build_object("
	" 'levels', (SELECT coalesce(json_agg(json_build_object('code', lv.code,"
	"     'name', lv.name, 'settings', coalesce(t.settings, 0),"
	"     " COVERAGE_COUNTS("t") ") ORDER BY lv.rank), '[]')"
	"     FROM lv LEFT JOIN t ON t.group_level_id = lv.id),"
	" 'settings_total', (SELECT count(DISTINCT agency_id) FROM c),"
	" 'settings', (SELECT coalesce(json_agg(json_build_object("
	"     'agency', json_build_object('id', s.agency_id, 'name', s.agency_name,"
	"       'sector', s.sector, 'phase', s.phase, 'area', s.area),"
	"     'levels', s.levels) ORDER BY s.at), '[]')"
	"     FROM (SELECT c.agency_id, c.agency_name, c.sector, c.phase, c.area,"
	"                  json_agg(json_build_object('code', lv.code,"
	"                    'name', lv.name, 'n_source', c.n_source,"
	"                    " COVERAGE_COUNTS("c") ") ORDER BY lv.rank) AS levels,"
	"                  row_number() OVER (ORDER BY min(coalesce(c.counted, 0)"
	"                    ::float8 / c.n) FILTER (WHERE c.n > 0) NULLS LAST,"
	"                    c.agency_name, c.agency_id) AS at"
	"             FROM c JOIN lv ON lv.id = c.group_level_id"
	"            GROUP BY c.agency_id, c.agency_name, c.sector, c.phase,"
	"                     c.area"
	"            ORDER BY at LIMIT $5::int OFFSET $6::int) s))",

	/* $1 from, $2 to: per level, who will need training in the period
	 * and the places scheduled in it */
	[Q_NEEDS] =
	"WITH " COVERAGE_LEVELS ","
	" t AS (SELECT t.group_level_id,"
	"              count(*) FILTER (WHERE t.status = 'never') AS never,"
	"              count(*) FILTER (WHERE t.status = 'expired') AS expired,"
	"              count(*) FILTER (WHERE t.status IN ('in_date', 'lapsing')"
	"                                 AND t.expires_on <= $2::date) AS expiring"
	"         FROM training_status($1::date) t"
	"         JOIN agencies a ON a.id = t.agency_id AND a.active"
	"        GROUP BY t.group_level_id),"
	" p AS (SELECT cl.group_level_id, count(*) AS sessions,"
	"              sum(s.capacity) AS places"
	"         FROM sessions s"
	"         JOIN course_group_levels cl ON cl.course_id = s.course_id"
	"        WHERE s.status = 'scheduled'"
	"          AND (s.starts_at AT TIME ZONE 'Europe/London')::date"
	"              BETWEEN $1::date AND $2::date"
	"        GROUP BY cl.group_level_id)"
	"SELECT coalesce(json_agg(json_build_object('code', lv.code,"
	"    'name', lv.name, 'never', coalesce(t.never, 0),"
	"    'expired', coalesce(t.expired, 0),"
	"    'expiring', coalesce(t.expiring, 0),"
	"    'sessions_scheduled', coalesce(p.sessions, 0),"
	"    'places_scheduled', coalesce(p.places, 0)) ORDER BY lv.rank), '[]')"
	"  FROM lv LEFT JOIN t ON t.group_level_id = lv.id"
	"  LEFT JOIN p ON p.group_level_id = lv.id",

	/* $1 headcount object: the codes that are no level of the scheme */
	[Q_RETURN_CHECK] =
	"WITH " COVERAGE_LEVELS
	"SELECT h.key FROM jsonb_each($1::jsonb) h"
	" WHERE NOT EXISTS (SELECT 1 FROM lv WHERE lv.code = h.key)"
	" ORDER BY h.key",

	/* $1 agency, $2 as of: the return it replaces, as JSON */
	[Q_RETURN_DELETE] =
	"WITH d AS (DELETE FROM staffing_returns r"
	"            WHERE agency_id = $1::bigint AND as_of = $2::date"
	"        RETURNING r.group_level_id, r.headcount)"
	"SELECT coalesce((SELECT json_object_agg(l.code, d.headcount)"
	"                   FROM d JOIN group_levels l ON l.id = d.group_level_id),"
	"                '{}')",

	/* $1 agency, $2 as of, $3 headcount object, $4 actor, $5 address,
	 * $6 the return replaced */
	[Q_RETURN_INSERT] =
	"WITH " COVERAGE_LEVELS ","
	" i AS (INSERT INTO staffing_returns (agency_id, group_level_id, as_of,"
	"                                     headcount, submitted_by)"
	"       SELECT $1::bigint, lv.id, $2::date, h.value::text::int, $4::bigint"
	"         FROM jsonb_each($3::jsonb) h JOIN lv ON lv.code = h.key"
	"       RETURNING 1)"
	DB_AUDIT_ROW
	"$4::bigint, 'staffing_return.put', 'agency', $1::bigint,"
	"       $5::inet, jsonb_build_object('as_of', $2::date,"
	"         'headcount', $3::jsonb, 'replaced', $6::jsonb,"
	"         'levels', (SELECT count(*) FROM i))",

	/* $1 agency */
	[Q_RETURN_GET] =
	"WITH r AS (SELECT r.as_of, max(r.submitted_at) AS submitted_at,"
	"                  json_object_agg(l.code, r.headcount ORDER BY l.rank)"
	"                    AS headcount,"
	"                  min(p.full_name) AS submitted_by"
	"             FROM staffing_returns r"
	"             JOIN group_levels l ON l.id = r.group_level_id"
	"             LEFT JOIN people p ON p.id = r.submitted_by"
	"            WHERE r.agency_id = $1::bigint GROUP BY r.as_of)"
	"SELECT json_build_object("
	" 'latest', (SELECT row_to_json(x) FROM (SELECT * FROM r"
	"             WHERE as_of <= (now() AT TIME ZONE 'Europe/London')::date"
	"             ORDER BY as_of DESC LIMIT 1) x),"
	" 'history', coalesce((SELECT json_agg(r ORDER BY r.as_of DESC) FROM r),"
	"                     '[]'))",
};

/* Today in Europe/London as YYYY-MM-DD into `buf` (11 bytes or more). */
enum db_status
db_coverage_today(char *buf, size_t len)
{
	struct db	db;
	int		st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, coverage_sql[Q_TODAY], 0, NULL)) == DB_OK)
		snprintf(buf, len, "%s", db_value(&db, 0, 0));
	db_close(&db);
	return (st);
}

/*
 * The sessions each level's sessions_needed goes by, as of `as_of`:
 * {"<code>":{"from","to","capacities":[..],"attended","booked"}}.
 */
enum db_status
db_coverage_basis(const char *as_of, cJSON **out)
{
	const char	*params[1] = { as_of };

	return (db_json(coverage_sql[Q_BASIS], 1, params, out));
}

/*
 * Agency `agency`'s counts per level as of `as_of`, and its staff with
 * each one's status (worst first) when `people` is set:
 * {"agency","levels":[{"code","name","n_source","n","staff","trained",
 * "lapsing","expired","never"}],"people":[..] or null}.
 */
enum db_status
db_coverage_agency(long long agency, const char *as_of, int people,
    cJSON **out)
{
	char		 aid[24];
	const char	*params[3] = { aid, as_of, people ? "true" : "false" };

	sqlparam_id(aid, agency);
	return (db_json(coverage_sql[Q_AGENCY], 3, params, out));
}

/*
 * The partnership's counts per level and per setting, as of `as_of`,
 * of the settings `f` lets through: {"levels":[..],"settings_total",
 * "settings":[{"agency","levels":[..]}]}, the settings worst first, the
 * page of f->limit (all when 0) from f->offset. A setting's trained staff
 * beyond its declared N count as N in the totals.
 */
enum db_status
db_coverage_partnership(const char *as_of, const struct coverage_filter *f,
    cJSON **out)
{
	const char	*params[6] = { as_of, f->sector, f->phase, f->area,
			    NULL, NULL };
	char		 limit[24], offset[24];

	snprintf(limit, sizeof(limit), "%ld", f->limit);
	snprintf(offset, sizeof(offset), "%ld", f->offset);
	params[4] = f->limit > 0 ? limit : NULL;
	params[5] = offset;
	return (db_report_json(coverage_sql[Q_PARTNERSHIP], 6, params, out));
}

/*
 * Per level, the people who will need training between `from` and `to`
 * (never trained, expired by `from`, or expiring by `to`) and the
 * sessions and places scheduled in the period.
 */
enum db_status
db_coverage_needs(const char *from, const char *to, cJSON **out)
{
	const char	*params[2] = { from, to };

	return (db_report_json(coverage_sql[Q_NEEDS], 2, params, out));
}

/*
 * Record agency `agency`'s staffing return `r` as `actor` from `ip`,
 * replacing a return of the same date (the one it replaces goes into the
 * audit log). Codes that are no level of the scheme are added to
 * `fields` ("headcount.<code>"); when `fields` then holds any problem
 * (the caller's too), DB_INVALID is returned with nothing applied.
 */
enum db_status
db_coverage_return_put(long long agency, const struct coverage_return *r,
    long long actor, const char *ip, cJSON *fields)
{
	struct db	 db;
	cJSON		*h;
	char		*json, *replaced, aid[24], who[24], name[64];
	const char	*params[6];
	size_t		 i;
	int		 st, k;

	sqlparam_id(aid, agency);
	sqlparam_id(who, actor);
	h = cJSON_CreateObject();
	for (i = 0; i < r->n; i++)
		cJSON_AddNumberToObject(h, r->codes[i], (double)r->headcount[i]);
	json = cJSON_PrintUnformatted(h);
	cJSON_Delete(h);
	if (json == NULL)
		return (DB_ERR);
	replaced = NULL;
	if ((st = db_open(&db)) != DB_OK) {
		cJSON_free(json);
		return (st);
	}
	params[0] = json;
	if ((st = db_exec(&db, coverage_sql[Q_RETURN_CHECK], 1, params)) !=
	    DB_OK)
		goto out;
	for (k = 0; k < db_rows(&db); k++) {
		snprintf(name, sizeof(name), "headcount.%.40s",
		    db_value(&db, k, 0));
		cJSON_AddStringToObject(fields, name, "There is no such group "
		    "level.");
	}
	if (cJSON_GetArraySize(fields) > 0) {
		st = DB_INVALID;
		goto out;
	}
	params[0] = aid;
	params[1] = r->as_of;
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, coverage_sql[Q_RETURN_DELETE], 2, params)) !=
	    DB_OK)
		goto out;
	replaced = strdup(db_value(&db, 0, 0));
	params[2] = json;
	params[3] = who;
	params[4] = ip;
	params[5] = replaced;
	if (replaced == NULL)
		st = DB_ERR;
	else if ((st = db_exec(&db, coverage_sql[Q_RETURN_INSERT], 6,
	    params)) == DB_OK)
		st = db_commit(&db);
out:
	db_close(&db);
	free(replaced);
	cJSON_free(json);
	return (st);
}

/*
 * Agency `agency`'s staffing returns: {"latest": the newest not dated
 * in the future or null, "history":[{"as_of","submitted_at",
 * "headcount":{..},"submitted_by"}] newest first}.
 */
enum db_status
db_coverage_return_get(long long agency, cJSON **out)
{
	char		 aid[24];
	const char	*params[1] = { aid };

	sqlparam_id(aid, agency);
	return (db_json(coverage_sql[Q_RETURN_GET], 1, params, out));
}
