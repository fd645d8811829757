/*
 * db_catalogue: the group level scheme, the agencies and the published
 * course catalogue, read for anyone (no personal data here).
 *
 * Each function returns an enum db_status and, on DB_OK, a JSON tree in
 * `*out` that the caller owns.
 */
#include <stdio.h>

#include "db.h"
#include "db_catalogue.h"

enum {
	Q_GROUP_LEVELS,
	Q_AGENCIES,
	Q_COURSES,
	Q_TOPICS,
	Q__MAX
};

static const char *const catalogue_sql[Q__MAX] = {
	[Q_GROUP_LEVELS] =
	"SELECT s.code, s.name, l.code, l.name, l.description, "
	"       l.refresh_months "
	"  FROM group_levels l JOIN group_schemes s ON s.id = l.scheme_id "
	" WHERE s.is_default "
	" ORDER BY l.rank",

	/* $1 sector or NULL, $2 limit, $3 offset, $4 'open', 'closed' or
	 * 'all', $5 area or NULL */
	[Q_AGENCIES] =
	"WITH matched AS ("
	"  SELECT id, name, sector, area, phase, active FROM agencies"
	"   WHERE ($1::text IS NULL OR sector = $1)"
	"     AND ($5::text IS NULL OR area = $5)"
	"     AND ($4::text = 'all' OR active = ($4::text = 'open')))"
	"SELECT (SELECT count(*) FROM matched),"
	"       coalesce((SELECT json_agg(a ORDER BY a.name, a.id) FROM ("
	"         SELECT * FROM matched ORDER BY name, id"
	"          LIMIT $2::int OFFSET $3::int) a), '[]'),"
	"       coalesce((SELECT json_agg(DISTINCT area ORDER BY area)"
	"          FROM agencies), '[]')",

	/* $1 group level code or NULL, $2 topic code or NULL,
	 * $3 limit, $4 offset, $5 unpublished courses too */
	[Q_COURSES] =
	"WITH level AS ("
	"  SELECT l.id FROM group_levels l"
	"    JOIN group_schemes s ON s.id = l.scheme_id AND s.is_default"
	"   WHERE l.code = $1),"
	" topic AS (SELECT id FROM topics WHERE code = $2),"
	" matched AS ("
	"  SELECT c.* FROM courses c"
	"   WHERE (c.published OR $5::boolean)"
	"     AND ($1::text IS NULL OR EXISTS (SELECT 1"
	"          FROM course_group_levels x JOIN level ON level.id ="
	"               x.group_level_id WHERE x.course_id = c.id))"
	"     AND ($2::text IS NULL OR EXISTS (SELECT 1"
	"          FROM course_topics x JOIN topic ON topic.id = x.topic_id"
	"         WHERE x.course_id = c.id))),"
	" page AS ("
	"  SELECT * FROM matched ORDER BY title, id"
	"   LIMIT $3::int OFFSET $4::int)"
	"SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM level),"
	"       $2::text IS NULL OR EXISTS (SELECT 1 FROM topic),"
	"       (SELECT count(*) FROM matched),"
	"       coalesce((SELECT json_agg(json_build_object("
	"         'id', p.id, 'code', p.code, 'title', p.title,"
	"         'summary', p.summary, 'format', p.format,"
	"         'duration_minutes', p.duration_minutes,"
	"         'multi_agency', p.multi_agency, 'published', p.published,"
	"         'group_levels', coalesce((SELECT json_agg(l.code"
	"             ORDER BY l.rank) FROM course_group_levels x"
	"             JOIN group_levels l ON l.id = x.group_level_id"
	"            WHERE x.course_id = p.id), '[]'),"
	"         'topics', coalesce((SELECT json_agg(t.code ORDER BY t.code)"
	"             FROM course_topics x JOIN topics t ON t.id = x.topic_id"
	"            WHERE x.course_id = p.id), '[]'),"
	"         'next_session', (SELECT to_char(min(s.starts_at),"
	"             'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') FROM sessions s"
	"            WHERE s.course_id = p.id AND s.status = 'scheduled'"
	"              AND s.starts_at > now()))"
	"         ORDER BY p.title, p.id) FROM page p), '[]')",

	[Q_TOPICS] =
	"SELECT code, name FROM topics ORDER BY name",
};

static void	catalogue_page(cJSON *, const char *, cJSON *, long, long,
		    long long);

/*
 * The default group level scheme:
 * {"scheme":{"code","name"},"group_levels":[{"code","name",
 *  "description","refresh_months"}]}.
 */
enum db_status
db_catalogue_group_levels(cJSON **out)
{
	static const struct db_column cols[] = {
		{ "code", DB_TEXT }, { "name", DB_TEXT },
		{ "description", DB_TEXT }, { "refresh_months", DB_INT },
	};
	struct db	 db;
	cJSON		*scheme;
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, catalogue_sql[Q_GROUP_LEVELS], 0, NULL)) !=
	    DB_OK)
		goto out;

	*out = cJSON_CreateObject();
	scheme = cJSON_AddObjectToObject(*out, "scheme");
	if (db_rows(&db) > 0) {
		cJSON_AddStringToObject(scheme, "code", db_value(&db, 0, 0));
		cJSON_AddStringToObject(scheme, "name", db_value(&db, 0, 1));
	}
	/* Columns 2.. are the levels: skip the scheme's two. */
	cJSON_AddItemToObject(*out, "group_levels",
	    db_rows_json(&db, 2, cols, 4));
out:
	db_close(&db);
	return (st);
}

/* The topics courses cover: {"topics":[{"code","name"}]}. */
enum db_status
db_catalogue_topics(cJSON **out)
{
	static const struct db_column cols[] = {
		{ "code", DB_TEXT }, { "name", DB_TEXT },
	};
	struct db	 db;
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, catalogue_sql[Q_TOPICS], 0, NULL)) == DB_OK) {
		*out = cJSON_CreateObject();
		cJSON_AddItemToObject(*out, "topics",
		    db_rows_json(&db, 0, cols, 2));
	}
	db_close(&db);
	return (st);
}

/*
 * One page of agencies, optionally of one sector and one area, by
 * `status`: "open", "closed" or "all":
 * {"agencies":[{"id","name","sector","area","phase","active"}],"total","limit",
 *  "offset","areas":[every agency's area, once each]}.
 */
enum db_status
db_catalogue_agencies(const char *sector, const char *area,
    const char *status, long limit, long offset, cJSON **out)
{
	struct db	 db;
	char		 lim[24], off[24];
	const char	*params[5];
	int		 st;

	snprintf(lim, sizeof(lim), "%ld", limit);
	snprintf(off, sizeof(off), "%ld", offset);
	params[0] = sector;
	params[1] = lim;
	params[2] = off;
	params[3] = status;
	params[4] = area;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, catalogue_sql[Q_AGENCIES], 5, params)) ==
	    DB_OK) {
		*out = cJSON_CreateObject();
		catalogue_page(*out, "agencies", cJSON_Parse(db_value(&db,
		    0, 1)), limit, offset, db_int(&db, 0, 0));
		cJSON_AddItemToObject(*out, "areas", cJSON_Parse(db_value(&db,
		    0, 2)));
	}
	db_close(&db);
	return (st);
}

/*
 * One page of the published catalogue, filtered by `q`:
 * {"courses":[{"id","code","title","summary","format","duration_minutes",
 *  "multi_agency","group_levels":[..],"topics":[..],"next_session"}],
 *  "total","limit","offset"}.
 * An unknown group level or topic is added to `fields` (owned by the
 * caller) and DB_INVALID returned.
 */
enum db_status
db_catalogue_courses(const struct catalogue_query *q, cJSON *fields,
    cJSON **out)
{
	struct db	 db;
	char		 lim[24], off[24];
	const char	*params[5];
	int		 st;

	snprintf(lim, sizeof(lim), "%ld", q->limit);
	snprintf(off, sizeof(off), "%ld", q->offset);
	params[0] = q->group_level;
	params[1] = q->topic;
	params[2] = lim;
	params[3] = off;
	params[4] = q->unpublished ? "true" : "false";

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, catalogue_sql[Q_COURSES], 5, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] != 't')
		cJSON_AddStringToObject(fields, "group_level",
		    "There is no such group level.");
	if (db_value(&db, 0, 1)[0] != 't')
		cJSON_AddStringToObject(fields, "topic",
		    "There is no such topic.");
	if (cJSON_GetArraySize(fields) > 0) {
		st = DB_INVALID;
		goto out;
	}
	*out = cJSON_CreateObject();
	catalogue_page(*out, "courses", cJSON_Parse(db_value(&db, 0, 3)),
	    q->limit, q->offset, db_int(&db, 0, 2));
out:
	db_close(&db);
	return (st);
}

/* Fill a page object: `name`: items (owned from here), total, limit... */
static void
catalogue_page(cJSON *page, const char *name, cJSON *items, long limit,
    long offset, long long total)
{
	if (items == NULL)
		items = cJSON_CreateArray();
	cJSON_AddItemToObject(page, name, items);
	cJSON_AddNumberToObject(page, "total", (double)total);
	cJSON_AddNumberToObject(page, "limit", (double)limit);
	cJSON_AddNumberToObject(page, "offset", (double)offset);
}
