/*
 * db_course: create or change a course, its group levels and topics, in
 * one transaction, audited.
 */
#include <stdio.h>

#include "db.h"
#include "db_audit.h"
#include "db_course.h"
#include "sqlparam.h"

enum {
	Q_INSERT,
	Q_UPDATE,
	Q_LEVELS_DELETE,
	Q_LEVELS,
	Q_TOPICS_DELETE,
	Q_TOPICS,
	Q_ONE,
	Q_GET,
	Q__MAX
};

/* One course as the API shows it, from courses c. */
#define COURSE_JSON \
	"json_build_object('id', c.id, 'code', c.code," \
	"  'title', c.title, 'summary', c.summary, 'format', c.format," \
	"  'duration_minutes', c.duration_minutes," \
	"  'multi_agency', c.multi_agency, 'published', c.published," \
	"  'group_levels', coalesce((SELECT json_agg(l.code ORDER BY l.rank)" \
	"     FROM course_group_levels x JOIN group_levels l" \
	"       ON l.id = x.group_level_id WHERE x.course_id = c.id), '[]')," \
	"  'topics', coalesce((SELECT json_agg(t.code ORDER BY t.code)" \
	"     FROM course_topics x JOIN topics t ON t.id = x.topic_id" \
	"    WHERE x.course_id = c.id), '[]'))"

static const char *const course_sql[Q__MAX] = {
	/* $1 code, $2 title, $3 summary, $4 format, $5 minutes, $6 multi */
	[Q_INSERT] =
	"INSERT INTO courses (code, title, summary, format, duration_minutes,"
	"                     multi_agency, published)"
	"VALUES ($1, $2, coalesce($3, ''), $4, $5::int, coalesce($6::boolean,"
	"        true), coalesce($7::boolean, true)) RETURNING id",

	/* $8 course */
	[Q_UPDATE] =
	"UPDATE courses SET code = coalesce($1, code),"
	"       title = coalesce($2, title), summary = coalesce($3, summary),"
	"       format = coalesce($4, format),"
	"       duration_minutes = coalesce($5::int, duration_minutes),"
	"       multi_agency = coalesce($6::boolean, multi_agency),"
	"       published = coalesce($7::boolean, published)"
	" WHERE id = $8::bigint RETURNING id",

	[Q_LEVELS_DELETE] =
	"DELETE FROM course_group_levels WHERE course_id = $1::bigint",

	/* $1 course, $2 codes */
	[Q_LEVELS] =
	"INSERT INTO course_group_levels (course_id, group_level_id)"
	"SELECT $1::bigint, l.id FROM group_levels l JOIN group_schemes s"
	"    ON s.id = l.scheme_id AND s.is_default"
	" WHERE l.code = ANY ($2::text[]) RETURNING group_level_id",

	[Q_TOPICS_DELETE] =
	"DELETE FROM course_topics WHERE course_id = $1::bigint",

	[Q_TOPICS] =
	"INSERT INTO course_topics (course_id, topic_id)"
	"SELECT $1::bigint, id FROM topics WHERE code = ANY ($2::text[]) "
	"RETURNING topic_id",

	[Q_ONE] = "SELECT " COURSE_JSON " FROM courses c WHERE c.id = $1::bigint",

	/* $1 course, $2 whether an unpublished course may be shown */
	[Q_GET] =
	"SELECT " COURSE_JSON " FROM courses c"
	" WHERE c.id = $1::bigint AND (c.published OR $2::boolean)",
};

static enum db_status	course_codes_set(struct db *, const char *,
			    const struct course_fields *, cJSON *);

/*
 * Replace course `cid`'s group levels and topics with those of `f`
 * (NULL: kept). Returns DB_INVALID when `fields` names a problem (an
 * unknown level or topic, no level, or one named before), else the
 * db_status.
 */
static enum db_status
course_codes_set(struct db *db, const char *cid,
    const struct course_fields *f, cJSON *fields)
{
	enum db_status	 st;

	if (f->group_levels != NULL) {
		if ((st = db_replace_members(db, course_sql[Q_LEVELS_DELETE],
		    course_sql[Q_LEVELS], cid, f->group_levels)) != DB_OK)
			return (st);
		/* The register records training at the course's level. */
		if (db_rows(db) == 0)
			cJSON_AddStringToObject(fields, "group_levels",
			    "Choose the group levels the course qualifies for.");
		else if (db_rows(db) != f->nlevels)
			cJSON_AddStringToObject(fields, "group_levels",
			    "Each must be a group level code, like G3.");
	}
	if (f->topics != NULL) {
		if ((st = db_replace_members(db, course_sql[Q_TOPICS_DELETE],
		    course_sql[Q_TOPICS], cid, f->topics)) != DB_OK)
			return (st);
		if (db_rows(db) != f->ntopics)
			cJSON_AddStringToObject(fields, "topics",
			    "Each must be a topic code, like neglect.");
	}
	return (cJSON_GetArraySize(fields) > 0 ? DB_INVALID : DB_OK);
}

/*
 * Create a course (`id` 0) or change course `id` with `f`, as `actor`.
 * Unknown levels or topics, or what the schema refuses (a twilight over
 * two hours), are named in `fields` (DB_INVALID); a code taken is
 * DB_CONFLICT; no such course DB_NOTFOUND. On DB_OK `*out` is the course.
 */
enum db_status
db_course_save(long long id, const struct course_fields *f, long long actor,
    cJSON *fields, cJSON **out)
{
	struct db	 db;
	char		 cid[24], mins[24];
	const char	*params[8];
	int		 st;

	snprintf(mins, sizeof(mins), "%ld", f->duration_minutes);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;

	/* The course's own fields; a field `f` leaves out is kept. */
	params[0] = f->code;
	params[1] = f->title;
	params[2] = f->summary;
	params[3] = f->format;
	params[4] = f->duration_minutes >= 0 ? mins : NULL;
	params[5] = f->multi_agency < 0 ? NULL :
	    (f->multi_agency ? "true" : "false");
	params[6] = f->published < 0 ? NULL : (f->published ? "true" : "false");
	sqlparam_id(cid, id);
	params[7] = cid;
	st = db_exec(&db, course_sql[id ? Q_UPDATE : Q_INSERT], id ? 8 : 7,
	    params);
	if (st == DB_INVALID)
		cJSON_AddStringToObject(fields, "duration_minutes", "A twilight "
		    "session lasts two hours at most.");
	if (st != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	snprintf(cid, sizeof(cid), "%s", db_value(&db, 0, 0));

	/* Its group levels and topics, when given, each one we know. */
	if ((st = course_codes_set(&db, cid, f, fields)) != DB_OK)
		goto out;

	/* The audit row, and the course as it now is. */
	params[0] = cid;
	if ((st = db_audit(&db, actor, id ? "course.update" : "course.create",
	    "course", strtoll(cid, NULL, 10), NULL, NULL)) != DB_OK ||
	    (st = db_exec(&db, course_sql[Q_ONE], 1, params)) != DB_OK)
		goto out;
	if ((*out = cJSON_Parse(db_value(&db, 0, 0))) == NULL) {
		st = DB_ERR;
		goto out;
	}
	if ((st = db_commit(&db)) != DB_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
out:
	db_close(&db);
	return (st);
}

/*
 * Course `id` into `*out`; an unpublished one only when `unpublished`
 * (else DB_NOTFOUND).
 */
enum db_status
db_course_get(long long id, int unpublished, cJSON **out)
{
	char		 cid[24];
	const char	*params[2];

	sqlparam_id(cid, id);
	params[0] = cid;
	params[1] = unpublished ? "true" : "false";
	return (db_json(course_sql[Q_GET], 2, params, out));
}
