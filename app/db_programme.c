/*
 * db_programme: listing sessions (with places left), one session, and
 * scheduling a new one.
 */
#include <stdio.h>

#include "db.h"
#include "db_audit.h"
#include "db_programme.h"
#include "sqlparam.h"

enum {
	Q_LIST,
	Q_ONE,
	Q_CHECK,
	Q_CREATE,
	Q__MAX
};

#define ISO(x)	"to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"

/* A time as people read it in London: "Saturday 19 December 2026, 9:30am". */
#define LONDON(x)	"(" x " AT TIME ZONE 'Europe/London')"
#define WHEN(x) \
	"(to_char(" LONDON(x) ", 'FMDay FMDD FMMonth YYYY, ') ||" \
	" CASE to_char(" LONDON(x) ", 'HH24:MI') WHEN '12:00' THEN 'midday'" \
	"  WHEN '00:00' THEN 'midnight' ELSE to_char(" LONDON(x) "," \
	"  CASE WHEN to_char(" LONDON(x) ", 'MI') = '00' THEN 'FMHH12am'" \
	"  ELSE 'FMHH12:MIam' END) END)"

/* One session as the API shows it, from sessions s: with, besides the
 * live counts, how many were booked and came once the register is taken. */
#define SESSION_JSON \
	"json_build_object('id', s.id, 'starts_at', " ISO("s.starts_at") "," \
	" 'ends_at', " ISO("s.ends_at") ", 'venue', s.venue," \
	" 'when', " WHEN("s.starts_at") "," \
	" 'status', s.status, 'capacity', s.capacity," \
	" 'confirmed', s.confirmed_count, 'waitlisted', s.waitlist_count," \
	" 'booked', s.confirmed_count + (SELECT count(*) FROM bookings b" \
	"    WHERE b.session_id = s.id" \
	"      AND b.status IN ('attended', 'partial', 'no_show'))," \
	" 'attended', (SELECT count(*) FROM bookings b WHERE b.session_id = s.id" \
	"    AND b.status IN ('attended', 'partial'))," \
	" 'register_taken', EXISTS (SELECT 1 FROM bookings b" \
	"    WHERE b.session_id = s.id" \
	"      AND b.status IN ('attended', 'partial', 'no_show'))," \
	" 'places_left', greatest(s.capacity - s.confirmed_count, 0)," \
	" 'booking_opens_at', " ISO("s.booking_opens_at") "," \
	" 'booking_closes_at', " ISO("s.booking_closes_at") "," \
	" 'cancel_cutoff_hours', s.cancel_cutoff_hours," \
	" 'taking_bookings', s.status = 'scheduled' AND s.starts_at > now()" \
	"    AND now() BETWEEN s.booking_opens_at AND s.booking_closes_at," \
	" 'course', (SELECT json_build_object('id', c.id, 'code', c.code," \
	"    'title', c.title, 'format', c.format, 'group_levels'," \
	"    coalesce((SELECT json_agg(l.code ORDER BY l.rank)" \
	"      FROM course_group_levels x JOIN group_levels l" \
	"        ON l.id = x.group_level_id WHERE x.course_id = c.id), '[]'))" \
	"    FROM courses c WHERE c.id = s.course_id)," \
	" 'trainers', coalesce((SELECT json_agg(json_build_object('id', p.id," \
	"    'full_name', p.full_name) ORDER BY p.full_name)" \
	"    FROM session_trainers t JOIN people p ON p.id = t.person_id" \
	"   WHERE t.session_id = s.id), '[]'))"

static const char *const programme_sql[Q__MAX] = {
	/* $1 course, $2 level, $3 topic, $4 from, $5 to, $6 available,
	 * $7 limit, $8 offset, $9 trainer, $10 unpublished courses too,
	 * $11 words that each appear (any case) in the course's title, code
	 * or the names of its topics */
	[Q_LIST] =
	"WITH level AS (SELECT l.id FROM group_levels l JOIN group_schemes g"
	"                 ON g.id = l.scheme_id AND g.is_default"
	"                WHERE l.code = $2),"
	" topic AS (SELECT id FROM topics WHERE code = $3),"
	" matched AS ("
	"  SELECT s.* FROM sessions s JOIN courses c ON c.id = s.course_id"
	"   WHERE (c.published OR $10::boolean)"
	"     AND ($1::bigint IS NULL OR s.course_id = $1::bigint)"
	"     AND ($9::bigint IS NULL OR EXISTS (SELECT 1 FROM session_trainers"
	"          t WHERE t.session_id = s.id AND t.person_id = $9::bigint))"
	"     AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM course_group_levels x"
	"          JOIN level ON level.id = x.group_level_id"
	"          WHERE x.course_id = c.id))"
	"     AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM course_topics x"
	"          JOIN topic ON topic.id = x.topic_id WHERE x.course_id = c.id))"
	"     AND ($4::date IS NULL OR s.starts_at >= ($4::date::timestamp"
	"          AT TIME ZONE 'Europe/London'))"
	"     AND ($5::date IS NULL OR s.starts_at < (($5::date + 1)::timestamp"
	"          AT TIME ZONE 'Europe/London'))"
	"     AND (NOT $6::boolean OR (s.status = 'scheduled'"
	"          AND s.starts_at > now() AND s.confirmed_count < s.capacity"
	"          AND now() BETWEEN s.booking_opens_at AND s.booking_closes_at))"
	"     AND ($11::text IS NULL OR NOT EXISTS (SELECT 1"
	"          FROM regexp_split_to_table(lower($11::text), '\\s+') w"
	"          WHERE w <> '' AND strpos(lower(c.title || ' ' || c.code || ' '"
	"            || coalesce((SELECT string_agg(t.name, ' ')"
	"                 FROM course_topics x JOIN topics t ON t.id = x.topic_id"
	"                WHERE x.course_id = c.id), '')), w) = 0)))"
	"SELECT $2::text IS NULL OR EXISTS (SELECT 1 FROM level),"
	"       $3::text IS NULL OR EXISTS (SELECT 1 FROM topic),"
	"       (SELECT count(*) FROM matched),"
	"       coalesce((SELECT json_agg(" SESSION_JSON " ORDER BY s.starts_at,"
	"         s.id) FROM (SELECT * FROM matched ORDER BY starts_at, id"
	"         LIMIT $7::int OFFSET $8::int) s), '[]')",

	/* $1 session, $2 whether a session of an unpublished course may be
	 * shown (a coordinator: who also sees its joining details) */
	[Q_ONE] =
	"SELECT (" SESSION_JSON ")::jsonb || CASE WHEN $2::boolean THEN"
	"       jsonb_build_object('joining_details', s.joining_details)"
	"       ELSE '{}' END FROM sessions s WHERE s.id = $1::bigint"
	"   AND ($2::boolean OR EXISTS (SELECT 1 FROM courses c"
	"        WHERE c.id = s.course_id AND c.published))",

	/* $1 course, $2 trainers: does the course exist, are they trainers */
	[Q_CHECK] =
	"SELECT EXISTS (SELECT 1 FROM courses WHERE id = $1::bigint),"
	"       (SELECT count(*) = cardinality($2::bigint[]) FROM account_roles"
	"         WHERE role = 'trainer' AND person_id = ANY ($2::bigint[]))",

	/* $1 course, $2 start, $3 end, $4 venue, $5 capacity, $6 opens,
	 * $7 closes, $8 cut-off, $9 trainers, $10 actor, $11 joining
	 * details */
	[Q_CREATE] =
	"WITH s AS ("
	"  INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,"
	"                        booking_opens_at, booking_closes_at,"
	"                        cancel_cutoff_hours, joining_details)"
	"  VALUES ($1::bigint, $2::timestamptz, $3::timestamptz, $4, $5::int,"
	"          coalesce($6::timestamptz,"
	"                   least(now(), $2::timestamptz - interval '1 day')),"
	"          coalesce($7::timestamptz, $2::timestamptz), $8::int,"
	"          nullif($11, ''))"
	"  RETURNING id),"
	" t AS (INSERT INTO session_trainers (session_id, person_id)"
	"       SELECT s.id, unnest($9::bigint[]) FROM s),"
	" a AS (" DB_AUDIT_ROW
	"       $10::bigint, 'session.create', 'session', id, NULL, NULL"
	"       FROM s)"
	"SELECT id FROM s",
};

/*
 * A page of sessions for `q`: {"sessions":[...],"total","limit","offset"}.
 * Unknown group level or topic: named in `fields`, DB_INVALID.
 */
enum db_status
db_programme_sessions(const struct session_query *q, cJSON *fields,
    cJSON **out)
{
	struct db	 db;
	char		 cid[24], lim[24], off[24], tid[24];
	const char	*params[11];
	int		 st;

	sqlparam_id(cid, q->course_id);
	snprintf(lim, sizeof(lim), "%ld", q->limit);
	snprintf(off, sizeof(off), "%ld", q->offset);
	params[0] = q->course_id > 0 ? cid : NULL;
	params[1] = q->group_level;
	params[2] = q->topic;
	params[3] = q->from;
	params[4] = q->to;
	params[5] = q->available ? "true" : "false";
	params[6] = lim;
	params[7] = off;
	sqlparam_id(tid, q->trainer_id);
	params[8] = q->trainer_id > 0 ? tid : NULL;
	params[9] = q->unpublished ? "true" : "false";
	params[10] = q->text;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, programme_sql[Q_LIST], 11, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] != 't')
		cJSON_AddStringToObject(fields, "group_level",
		    "There is no such group level.");
	if (db_value(&db, 0, 1)[0] != 't')
		cJSON_AddStringToObject(fields, "topic", "There is no such topic.");
	if (cJSON_GetArraySize(fields) > 0) {
		st = DB_INVALID;
		goto out;
	}
	*out = cJSON_CreateObject();
	cJSON_AddItemToObject(*out, "sessions", cJSON_Parse(db_value(&db, 0, 3)));
	cJSON_AddNumberToObject(*out, "total", (double)db_int(&db, 0, 2));
	cJSON_AddNumberToObject(*out, "limit", (double)q->limit);
	cJSON_AddNumberToObject(*out, "offset", (double)q->offset);
out:
	db_close(&db);
	return (st);
}

/*
 * One session: DB_OK with `*out`, or DB_NOTFOUND (also when its course
 * is unpublished and `unpublished` is not set).
 */
enum db_status
db_programme_session(long long id, int unpublished, cJSON **out)
{
	char		 sid[24];
	const char	*params[2] = { sid, NULL };

	sqlparam_id(sid, id);
	params[1] = unpublished ? "true" : "false";
	return (db_json(programme_sql[Q_ONE], 2, params, out));
}

/*
 * Schedule session `s` as `actor`. An unknown course or trainers that are
 * not trainers are named in `fields` (DB_INVALID); times the schema
 * refuses (the end before the start, bookings closing after the end) too.
 */
enum db_status
db_programme_session_create(const struct session_new *s, long long actor,
    cJSON *fields, cJSON **out)
{
	struct db	 db;
	char		 cid[24], cap[24], cut[24], who[24];
	const char	*params[11];
	long long	 id;
	int		 st;

	sqlparam_id(cid, s->course_id);
	snprintf(cap, sizeof(cap), "%ld", s->capacity);
	snprintf(cut, sizeof(cut), "%ld", s->cancel_cutoff_hours);
	sqlparam_id(who, actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	params[0] = cid;
	params[1] = s->trainer_ids;
	if ((st = db_exec(&db, programme_sql[Q_CHECK], 2, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] != 't')
		cJSON_AddStringToObject(fields, "course_id",
		    "There is no such course.");
	if (db_value(&db, 0, 1)[0] != 't')
		cJSON_AddStringToObject(fields, "trainer_ids",
		    "Each must be a person with the trainer role.");
	if (cJSON_GetArraySize(fields) > 0) {
		st = DB_INVALID;
		goto out;
	}
	params[1] = s->starts_at;
	params[2] = s->ends_at;
	params[3] = s->venue;
	params[4] = cap;
	params[5] = s->booking_opens_at;
	params[6] = s->booking_closes_at;
	params[7] = cut;
	params[8] = s->trainer_ids;
	params[9] = who;
	params[10] = s->joining_details;
	if ((st = db_exec(&db, programme_sql[Q_CREATE], 11, params)) != DB_OK) {
		if (st == DB_INVALID)
			cJSON_AddStringToObject(fields, "ends_at", "The session "
			    "must end after it starts, and bookings must close "
			    "by its end, after they open.");
		goto out;
	}
	id = db_int(&db, 0, 0);
	db_close(&db);
	return (db_programme_session(id, 1, out));
out:
	db_close(&db);
	return (st);
}
