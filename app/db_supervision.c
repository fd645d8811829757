/*
 * db_supervision: groups, members and meetings of DSL group supervision.
 * Each change is one transaction with its audit row; recording a meeting
 * also writes the members' mail with the next date into the outbox.
 * Attendance must name every member of the group on the meeting's day,
 * and no one else: checked here, inside the transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_supervision.h"
#include "outbox_sql.h"
#include "sqlparam.h"

enum {
	Q_ROLE,
	Q_GROUP_INSERT,
	Q_GROUPS,
	Q_GROUP,
	Q_GROUP_LOCK,
	Q_PEOPLE_CHECK,
	Q_MEMBERS_LEAVE,
	Q_MEMBERS_JOIN,
	Q_CLOSE,
	Q_CLOSE_MEMBERS,
	Q_IN_FUTURE,
	Q_MEETING_ID,
	Q_MEETING_INSERT,
	Q_MEETING_LOCK,
	Q_MEETING_UPDATE,
	Q_ATTENDANCE_CHECK,
	Q_ATTENDANCE_DELETE,
	Q_ATTENDANCE_INSERT,
	Q_NEXT_DATE_MAIL,
	Q_MEETING,
	Q__MAX
};

/* Members of group $1 on day $2 (d between joining and leaving). */
#define MEMBERS_ON_DAY \
	"SELECT DISTINCT m.person_id FROM supervision_members m" \
	" WHERE m.group_id = $1::bigint AND m.joined_on <= $2::date" \
	"   AND (m.left_on IS NULL OR $2::date < m.left_on)"

static const char *const supervision_sql[Q__MAX] = {
	/* $1 group, $2 person: active, facilitator, member now or once */
	[Q_ROLE] =
	"SELECT g.active, g.facilitator_person_id IS NOT DISTINCT FROM"
	"       $2::bigint,"
	"       EXISTS (SELECT 1 FROM supervision_members m"
	"                WHERE m.group_id = g.id AND m.person_id = $2::bigint)"
	"  FROM supervision_groups g WHERE g.id = $1::bigint",

	/* $1 name, $2 kind, $3 facilitator, $4 facilitator's account */
	[Q_GROUP_INSERT] =
	"INSERT INTO supervision_groups (name, kind, facilitator,"
	"                                facilitator_person_id)"
	"SELECT $1, $2, $3, $4::bigint"
	" WHERE $4::bigint IS NULL OR EXISTS (SELECT 1 FROM accounts"
	"        WHERE person_id = $4::bigint AND disabled_at IS NULL)"
	" RETURNING id",

	/* $1 person, $2 coordinator: the groups they may see */
	[Q_GROUPS] =
	"SELECT coalesce(json_agg(json_build_object('id', g.id,"
	"   'name', g.name, 'kind', g.kind, 'facilitator', g.facilitator,"
	"   'facilitator_person_id', g.facilitator_person_id,"
	"   'active', g.active, 'closed_on', g.closed_on,"
	"   'members', (SELECT count(*) FROM supervision_members m"
	"                WHERE m.group_id = g.id AND m.left_on IS NULL),"
	"   'meetings', (SELECT count(*) FROM supervision_sessions s"
	"                 WHERE s.group_id = g.id),"
	"   'last_met_on', (SELECT max(s.held_on) FROM supervision_sessions s"
	"                    WHERE s.group_id = g.id),"
	"   'next_date', (SELECT s.next_date FROM supervision_sessions s"
	"                  WHERE s.group_id = g.id"
	"                  ORDER BY s.held_on DESC LIMIT 1))"
	"   ORDER BY g.active DESC, g.name), '[]')"
	"  FROM supervision_groups g"
	" WHERE $2::boolean OR g.facilitator_person_id = $1::bigint",

	/* $1 group: with its members (every spell) and meetings */
	[Q_GROUP] =
	"SELECT json_build_object('id', g.id, 'name', g.name, 'kind', g.kind,"
	"   'facilitator', g.facilitator,"
	"   'facilitator_person_id', g.facilitator_person_id,"
	"   'facilitator_name', (SELECT full_name FROM people"
	"                         WHERE id = g.facilitator_person_id),"
	"   'active', g.active, 'closed_on', g.closed_on,"
	"   'members', coalesce((SELECT json_agg(json_build_object("
	"       'person_id', p.id, 'full_name', p.full_name,"
	"       'agency', a.name, 'is_dsl', p.is_dsl,"
	"       'joined_on', m.joined_on, 'left_on', m.left_on,"
	"       'current', m.left_on IS NULL)"
	"       ORDER BY m.left_on IS NOT NULL, p.full_name, m.joined_on)"
	"     FROM supervision_members m JOIN people p ON p.id = m.person_id"
	"     LEFT JOIN agencies a ON a.id = p.agency_id"
	"    WHERE m.group_id = g.id), '[]'),"
	"   'meetings', coalesce((SELECT json_agg(json_build_object("
	"       'id', s.id, 'held_on', s.held_on,"
	"       'duration_minutes', s.duration_minutes,"
	"       'facilitator', s.facilitator, 'topics', s.topics,"
	"       'cases_discussed', s.cases_discussed, 'next_date', s.next_date,"
	"       'has_case_notes', s.case_notes_sealed IS NOT NULL,"
	"       'present', (SELECT count(*) FROM supervision_attendance x"
	"                    WHERE x.session_id = s.id AND x.status = 'present'),"
	"       'apologies', (SELECT count(*) FROM supervision_attendance x"
	"                    WHERE x.session_id = s.id AND x.status = 'apologies'),"
	"       'absent', (SELECT count(*) FROM supervision_attendance x"
	"                    WHERE x.session_id = s.id AND x.status = 'absent'))"
	"       ORDER BY s.held_on DESC)"
	"     FROM supervision_sessions s WHERE s.group_id = g.id), '[]'))"
	"  FROM supervision_groups g WHERE g.id = $1::bigint",

	[Q_GROUP_LOCK] =
	"SELECT active FROM supervision_groups WHERE id = $1::bigint FOR UPDATE",

	/* $1 ids: whether each is a person, and an active DSL */
	[Q_PEOPLE_CHECK] =
	"SELECT x.id, p.id IS NOT NULL,"
	"       coalesce(p.is_dsl AND p.active AND p.erased_at IS NULL, false),"
	"       coalesce(p.full_name, '')"
	"  FROM unnest($1::bigint[]) x (id) LEFT JOIN people p ON p.id = x.id",

	/* $1 group, $2 ids kept, $3 date of leaving */
	[Q_MEMBERS_LEAVE] =
	"UPDATE supervision_members SET left_on = coalesce($3::date,"
	"       current_date)"
	" WHERE group_id = $1::bigint AND left_on IS NULL"
	"   AND person_id <> ALL ($2::bigint[]) RETURNING person_id",

	/* $1 group, $2 ids, $3 date of joining */
	[Q_MEMBERS_JOIN] =
	"INSERT INTO supervision_members (group_id, person_id, joined_on)"
	"SELECT $1::bigint, x, coalesce($3::date, current_date)"
	"  FROM unnest($2::bigint[]) x"
	" WHERE NOT EXISTS (SELECT 1 FROM supervision_members m"
	"        WHERE m.group_id = $1::bigint AND m.person_id = x"
	"          AND m.left_on IS NULL)"
	" RETURNING person_id",

	[Q_CLOSE] =
	"UPDATE supervision_groups SET active = false, closed_on = current_date"
	" WHERE id = $1::bigint AND active RETURNING id",

	[Q_CLOSE_MEMBERS] =
	"UPDATE supervision_members SET left_on = greatest(joined_on,"
	"       current_date)"
	" WHERE group_id = $1::bigint AND left_on IS NULL",

	[Q_IN_FUTURE] =
	"SELECT $1::date > current_date",

	/* A new meeting's id, to seal its case notes with before it is
	 * recorded. */
	[Q_MEETING_ID] =
	"SELECT nextval(pg_get_serial_sequence('supervision_sessions', 'id'))",

	/* $1 group .. $11 recorder; $10 sealed notes (base64, for meeting
	 * $12 of group $1) */
	[Q_MEETING_INSERT] =
	"INSERT INTO supervision_sessions (id, group_id, held_on,"
	"    duration_minutes, facilitator, topics, specific_topic,"
	"    cases_discussed, actions, next_date, case_notes_sealed,"
	"    case_notes_seal, recorded_by)"
	"SELECT $12::bigint, g.id, $2::date, $3::int, coalesce($4, g.facilitator),"
	"       coalesce($5::text[], '{}'), $6, coalesce($7::int, 0), $8,"
	"       $9::date, decode($10, 'base64'),"
	"       CASE WHEN $10::text IS NULL THEN NULL ELSE 2 END, $11::bigint"
	"  FROM supervision_groups g WHERE g.id = $1::bigint RETURNING id",

	[Q_MEETING_LOCK] =
	"SELECT s.group_id, s.next_date, s.held_on"
	"  FROM supervision_sessions s WHERE s.id = $1::bigint FOR UPDATE",

	/* $1 meeting; a NULL value keeps the field unless its flag is set */
	[Q_MEETING_UPDATE] =
	"UPDATE supervision_sessions SET"
	"       held_on = coalesce($2::date, held_on),"
	"       duration_minutes = coalesce($3::int, duration_minutes),"
	"       facilitator = coalesce($4, facilitator),"
	"       topics = coalesce($5::text[], topics),"
	"       specific_topic = CASE WHEN $6::boolean THEN $7"
	"                        ELSE specific_topic END,"
	"       cases_discussed = coalesce($8::int, cases_discussed),"
	"       actions = CASE WHEN $9::boolean THEN $10 ELSE actions END,"
	"       next_date = CASE WHEN $11::boolean THEN $12::date"
	"                   ELSE next_date END,"
	"       reminded_at = CASE WHEN $11::boolean AND $12::date IS DISTINCT"
	"                     FROM next_date THEN NULL ELSE reminded_at END,"
	"       case_notes_sealed = CASE WHEN $13::boolean"
	"                           THEN decode($14, 'base64')"
	"                           ELSE case_notes_sealed END,"
	"       case_notes_seal = CASE WHEN NOT $13::boolean"
	"                         THEN case_notes_seal"
	"                         WHEN $14::text IS NULL THEN NULL ELSE 2 END,"
	"       updated_at = now(), updated_by = $15::bigint"
	" WHERE id = $1::bigint RETURNING held_on",

	/*
	 * $1 group, $2 day, $3 attendance (JSON; NULL: meeting $4's as
	 * recorded): members without an entry, entries of non-members, or
	 * a group without members that day.
	 */
	[Q_ATTENDANCE_CHECK] =
	"WITH j AS (SELECT x.person_id FROM jsonb_to_recordset(coalesce("
	"      $3::jsonb, (SELECT jsonb_agg(jsonb_build_object('person_id',"
	"        a.person_id)) FROM supervision_attendance a"
	"        WHERE a.session_id = $4::bigint), '[]'))"
	"      AS x (person_id bigint)),"
	"  mem AS (" MEMBERS_ON_DAY ")"
	"SELECT 'missing', mem.person_id, p.full_name"
	"  FROM mem JOIN people p ON p.id = mem.person_id"
	" WHERE NOT EXISTS (SELECT 1 FROM j WHERE j.person_id = mem.person_id)"
	" UNION ALL "
	"SELECT 'extra', j.person_id, ''"
	"  FROM j WHERE NOT EXISTS (SELECT 1 FROM mem"
	"                           WHERE mem.person_id = j.person_id)"
	" UNION ALL "
	"SELECT 'empty', 0, '' WHERE NOT EXISTS (SELECT 1 FROM mem)",

	[Q_ATTENDANCE_DELETE] =
	"DELETE FROM supervision_attendance WHERE session_id = $1::bigint",

	/* $1 meeting, $2 attendance (JSON) */
	[Q_ATTENDANCE_INSERT] =
	"INSERT INTO supervision_attendance (session_id, person_id, status)"
	"SELECT $1::bigint, x.person_id, x.status"
	"  FROM jsonb_to_recordset($2::jsonb) AS x (person_id bigint,"
	"       status text)",

	/* $1 meeting: tell the group's members the next date */
	[Q_NEXT_DATE_MAIL] =
	OUTBOX_SQL_MAIL
	"p.email, 'Next supervision meeting: ' || g.name,"
	"  'Dear ' || p.full_name || E',\\n\\nThe next meeting of your DSL "
	"supervision group, ' || g.name || ', is on '"
	"  || to_char(s.next_date, 'FMDay FMDD FMMonth YYYY') || E'.\\n\\n'"
	"  || 'Facilitated by ' || s.facilitator || E'.\\n'"
	"  || E'You will have a reminder five days before.\\n'"
	"  FROM supervision_sessions s"
	"  JOIN supervision_groups g ON g.id = s.group_id"
	"  JOIN supervision_members m ON m.group_id = g.id AND m.left_on IS NULL"
	"  JOIN people p ON p.id = m.person_id"
	" WHERE s.id = $1::bigint AND s.next_date IS NOT NULL"
	"   AND p.email IS NOT NULL AND p.erased_at IS NULL",

	/* $1 meeting, $2 person: the record, sealed notes, and roles */
	[Q_MEETING] =
	"SELECT json_build_object('id', s.id,"
	"   'group', json_build_object('id', g.id, 'name', g.name,"
	"       'kind', g.kind, 'active', g.active),"
	"   'held_on', s.held_on, 'duration_minutes', s.duration_minutes,"
	"   'facilitator', s.facilitator, 'topics', s.topics,"
	"   'specific_topic', s.specific_topic,"
	"   'cases_discussed', s.cases_discussed, 'actions', s.actions,"
	"   'next_date', s.next_date,"
	"   'has_case_notes', s.case_notes_sealed IS NOT NULL,"
	"   'recorded_at', s.created_at, 'updated_at', s.updated_at,"
	"   'attendance', coalesce((SELECT json_agg(json_build_object("
	"       'person_id', p.id, 'full_name', p.full_name,"
	"       'agency', ag.name, 'status', a.status) ORDER BY p.full_name)"
	"     FROM supervision_attendance a JOIN people p ON p.id = a.person_id"
	"     LEFT JOIN agencies ag ON ag.id = p.agency_id"
	"    WHERE a.session_id = s.id), '[]')),"
	"  encode(s.case_notes_sealed, 'base64'), g.active,"
	"  g.facilitator_person_id IS NOT DISTINCT FROM $2::bigint,"
	"  EXISTS (SELECT 1 FROM supervision_members m"
	"           WHERE m.group_id = g.id AND m.person_id = $2::bigint),"
	"  s.group_id, coalesce(s.case_notes_seal, 0)"
	"  FROM supervision_sessions s"
	"  JOIN supervision_groups g ON g.id = s.group_id"
	" WHERE s.id = $1::bigint",

};

static enum db_status	supervision_attendance_check(struct db *, long long,
		    const char *, const char *, long long, cJSON *);
static char	*supervision_id_array(const long long *, size_t);
static char	*supervision_meeting_changed(
		    const struct supervision_meeting *);
static enum db_status	supervision_meeting_write(struct db *, const char *,
		    const struct supervision_meeting *, const char *,
		    const char *, cJSON *, char [16]);
static enum db_status	supervision_meeting_attendance(struct db *, long long,
		    const char *, long long, const char *, const char *,
		    cJSON *);

/* What `person` is to `group` into `*role` (exists 0: no such group). */
enum db_status
db_supervision_role(long long group, long long person,
    struct supervision_role *role)
{
	struct db	 db;
	char		 gid[24], pid[24];
	const char	*params[2] = { gid, pid };
	int		 st;

	memset(role, 0, sizeof(*role));
	sqlparam_id(gid, group);
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, supervision_sql[Q_ROLE], 2, params)) ==
	    DB_OK && db_rows(&db) > 0) {
		role->exists = 1;
		role->active = db_value(&db, 0, 0)[0] == 't';
		role->facilitator = db_value(&db, 0, 1)[0] == 't';
		role->member = db_value(&db, 0, 2)[0] == 't';
	}
	db_close(&db);
	return (st);
}

/*
 * Create a group; its id into `*id`. DB_CONFLICT: the name is taken;
 * DB_INVALID: the facilitator's account does not exist.
 */
enum db_status
db_supervision_group_create(const struct supervision_group *g,
    long long actor, long long *id)
{
	struct db	 db;
	char		 fac[24];
	const char	*params[4];
	int		 st;

	sqlparam_id(fac, g->facilitator_person_id);
	params[0] = g->name;
	params[1] = g->kind;
	params[2] = g->facilitator;
	params[3] = g->facilitator_person_id > 0 ? fac : NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	if ((st = db_exec(&db, supervision_sql[Q_GROUP_INSERT], 4, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_INVALID;
		goto out;
	}
	*id = db_int(&db, 0, 0);
	if ((st = db_audit(&db, actor, "supervision.group.create",
	    "supervision_group", *id, NULL, NULL)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/* The groups `person` may see (all for a coordinator), as JSON. */
enum db_status
db_supervision_groups(long long person, int coordinator, cJSON **out)
{
	char		 pid[24];
	const char	*params[2] = { pid, coordinator ? "true" : "false" };

	sqlparam_id(pid, person);
	return (db_json(supervision_sql[Q_GROUPS], 2, params, out));
}

/* One group with its members and meetings (caller owns the JSON). */
enum db_status
db_supervision_group(long long group, cJSON **out)
{
	char		 gid[24];
	const char	*params[1] = { gid };

	sqlparam_id(gid, group);
	return (db_json(supervision_sql[Q_GROUP], 1, params, out));
}

/*
 * Make `ids` the group's members from `effective_on` (NULL: today):
 * others leave, newcomers join; every spell is kept. Each id that is not
 * an active DSL is named in `fields` ("person_ids.<id>") and DB_INVALID
 * returned with nothing changed; so is a closed group ("group") or a
 * date before a leaver joined ("effective_on").
 */
enum db_status
db_supervision_members_set(long long group, const long long *ids, size_t n,
    const char *effective_on, long long actor, cJSON *fields)
{
	struct db	 db;
	char		 gid[24], key[48], detail[96], *list;
	const char	*params[3];
	int		 st, r, left, joined;

	if ((list = supervision_id_array(ids, n)) == NULL)
		return (DB_ERR);
	sqlparam_id(gid, group);
	if ((st = db_open(&db)) != DB_OK) {
		free(list);
		return (st);
	}
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = gid;
	if ((st = db_exec(&db, supervision_sql[Q_GROUP_LOCK], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if (db_value(&db, 0, 0)[0] != 't')
		supervision_problem(fields, "group",
		    SUPERVISION_CLOSED_MEMBERS, NULL);
	params[0] = list;
	if ((st = db_exec(&db, supervision_sql[Q_PEOPLE_CHECK], 1, params)) !=
	    DB_OK)
		goto out;
	for (r = 0; r < db_rows(&db); r++) {
		if (db_value(&db, r, 2)[0] == 't')
			continue;
		snprintf(key, sizeof(key), "person_ids.%s", db_value(&db, r, 0));
		if (db_value(&db, r, 1)[0] != 't')
			supervision_problem(fields, key,
			    SUPERVISION_NO_PERSON, NULL);
		else
			supervision_problem(fields, key, SUPERVISION_NOT_DSL,
			    NULL);
	}
	if (cJSON_GetArraySize(fields) > 0) {
		st = DB_INVALID;
		goto out;
	}
	params[0] = gid;
	params[1] = list;
	params[2] = effective_on;
	if ((st = db_exec(&db, supervision_sql[Q_MEMBERS_LEAVE], 3,
	    params)) != DB_OK) {
		if (st == DB_INVALID)
			supervision_problem(fields, "effective_on",
			    SUPERVISION_LEAVE_BEFORE_JOIN, NULL);
		goto out;
	}
	left = db_rows(&db);
	if ((st = db_exec(&db, supervision_sql[Q_MEMBERS_JOIN], 3,
	    params)) != DB_OK)
		goto out;
	joined = db_rows(&db);
	snprintf(detail, sizeof(detail), "{\"joined\":%d,\"left\":%d}",
	    joined, left);
	if ((st = db_audit(&db, actor, "supervision.members",
	    "supervision_group", group, NULL, detail)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	free(list);
	return (st);
}

/*
 * Close a group: it records no more meetings, and its members' spells
 * end today. Closing a closed group changes nothing. DB_NOTFOUND.
 */
enum db_status
db_supervision_group_close(long long group, long long actor)
{
	struct db	 db;
	char		 gid[24];
	const char	*params[1] = { gid };
	int		 st;

	sqlparam_id(gid, group);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	if ((st = db_exec(&db, supervision_sql[Q_GROUP_LOCK], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if ((st = db_exec(&db, supervision_sql[Q_CLOSE], 1, params)) !=
	    DB_OK || db_rows(&db) == 0)
		goto out;
	if ((st = db_exec(&db, supervision_sql[Q_CLOSE_MEMBERS], 1,
	    params)) != DB_OK)
		goto out;
	if ((st = db_audit(&db, actor, "supervision.group.close",
	    "supervision_group", group, NULL, NULL)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * Record meeting `id` (from db_supervision_meeting_id()) of `group` with
 * `sealed` case notes (base64, sealed for that meeting and group, or
 * NULL) and its attendance, and mail the members the next date. Problems that need the database (a closed group, a date in
 * the future, a member without attendance, a non-member) are named in
 * `fields` and DB_INVALID returned with nothing written. DB_CONFLICT: the
 * group already has a meeting that day.
 */
enum db_status
db_supervision_meeting_create(long long group,
    const struct supervision_meeting *m, const char *sealed, long long actor,
    cJSON *fields, long long id)
{
	struct db	 db;
	char		 gid[24], who[24], mins[24], cases[24], mid[24];
	const char	*params[12];
	int		 st;

	sqlparam_id(gid, group);
	sqlparam_id(who, actor);
	snprintf(mins, sizeof(mins), "%ld", m->duration_minutes);
	snprintf(cases, sizeof(cases), "%ld", m->cases_discussed);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = gid;
	if ((st = db_exec(&db, supervision_sql[Q_GROUP_LOCK], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if (db_value(&db, 0, 0)[0] != 't')
		supervision_problem(fields, "group",
		    SUPERVISION_CLOSED_MEETINGS, NULL);
	params[0] = m->held_on;
	if ((st = db_exec(&db, supervision_sql[Q_IN_FUTURE], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] == 't')
		supervision_problem(fields, "held_on",
		    SUPERVISION_HELD_IN_FUTURE, NULL);
	if ((st = supervision_attendance_check(&db, group, m->held_on,
	    m->attendance, 0, fields)) != DB_OK)
		goto out;
	if (cJSON_GetArraySize(fields) > 0) {
		st = DB_INVALID;
		goto out;
	}
	params[0] = gid;
	params[1] = m->held_on;
	params[2] = mins;
	params[3] = m->facilitator;
	params[4] = m->topics;
	params[5] = m->specific_topic;
	params[6] = m->cases_discussed >= 0 ? cases : NULL;
	params[7] = m->actions;
	params[8] = m->next_date;
	params[9] = sealed;
	params[10] = who;
	sqlparam_id(mid, id);
	params[11] = mid;
	if ((st = db_exec(&db, supervision_sql[Q_MEETING_INSERT], 12,
	    params)) != DB_OK)
		goto out;
	params[0] = mid;
	params[1] = m->attendance;
	if ((st = db_exec(&db, supervision_sql[Q_ATTENDANCE_INSERT], 2,
	    params)) != DB_OK)
		goto out;
	if ((st = db_exec(&db, supervision_sql[Q_NEXT_DATE_MAIL], 1,
	    params)) != DB_OK)
		goto out;
	if ((st = db_audit(&db, actor, "supervision.meeting.create",
	    "supervision_meeting", id, NULL, NULL)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * The fields meeting correction `m` sets, by name, never their content:
 * {"changed":[...]} as text for the audit row. Returns it (caller frees
 * with cJSON_free), or NULL when out of memory.
 */
static char *
supervision_meeting_changed(const struct supervision_meeting *m)
{
	cJSON		*detail, *changed;
	char		*text;

	detail = cJSON_CreateObject();
	changed = cJSON_AddArrayToObject(detail, "changed");
#define CHANGED(cond, name) \
	if (cond) cJSON_AddItemToArray(changed, cJSON_CreateString(name))
	CHANGED(m->held_on != NULL, "held_on");
	CHANGED(m->duration_minutes >= 0, "duration_minutes");
	CHANGED(m->facilitator != NULL, "facilitator");
	CHANGED(m->topics != NULL, "topics");
	CHANGED(m->set_specific_topic, "specific_topic");
	CHANGED(m->cases_discussed >= 0, "cases_discussed");
	CHANGED(m->set_actions, "actions");
	CHANGED(m->set_next_date, "next_date");
	CHANGED(m->set_case_notes, "case_notes");
	CHANGED(m->attendance != NULL, "attendance");
#undef CHANGED
	text = cJSON_PrintUnformatted(detail);
	cJSON_Delete(detail);
	return (text);
}

/*
 * Write correction `m` to meeting `mid` (`sealed`: the new case notes
 * when m->set_case_notes), by `who`; a field `m` leaves unset keeps its
 * value. The day it was held, as it is now, goes to `held` (16 bytes).
 * A next date not after that day is a problem in `fields` (DB_INVALID).
 * Returns the db_status.
 */
static enum db_status
supervision_meeting_write(struct db *db, const char *mid,
    const struct supervision_meeting *m, const char *sealed, const char *who,
    cJSON *fields, char held[16])
{
	char		 mins[24], cases[24];
	const char	*params[15];
	enum db_status	 st;

	snprintf(mins, sizeof(mins), "%ld", m->duration_minutes);
	snprintf(cases, sizeof(cases), "%ld", m->cases_discussed);
	params[0] = mid;
	params[1] = m->held_on;
	params[2] = m->duration_minutes >= 0 ? mins : NULL;
	params[3] = m->facilitator;
	params[4] = m->topics;
	params[5] = m->set_specific_topic ? "true" : "false";
	params[6] = m->specific_topic;
	params[7] = m->cases_discussed >= 0 ? cases : NULL;
	params[8] = m->set_actions ? "true" : "false";
	params[9] = m->actions;
	params[10] = m->set_next_date ? "true" : "false";
	params[11] = m->next_date;
	params[12] = m->set_case_notes ? "true" : "false";
	params[13] = sealed;
	params[14] = who;
	if ((st = db_exec(db, supervision_sql[Q_MEETING_UPDATE], 15,
	    params)) != DB_OK) {
		if (st == DB_INVALID)
			supervision_problem(fields, "next_date",
			    SUPERVISION_NEXT_NOT_AFTER, NULL);
		return (st);
	}
	snprintf(held, 16, "%s", db_value(db, 0, 0));
	return (DB_OK);
}

/*
 * Replace meeting `meeting`'s attendance (`mid`, its id as text) with
 * `attendance` (JSON; NULL: keep it), then check the attendance against
 * the members of `group` on `day`. Returns DB_INVALID when `fields`
 * names any problem (these or earlier ones), else the db_status.
 */
static enum db_status
supervision_meeting_attendance(struct db *db, long long meeting,
    const char *mid, long long group, const char *day,
    const char *attendance, cJSON *fields)
{
	const char	*params[2];
	enum db_status	 st;

	params[0] = mid;
	params[1] = attendance;
	if (attendance != NULL && (st = db_exec(db,
	    supervision_sql[Q_ATTENDANCE_DELETE], 1, params)) != DB_OK)
		return (st);
	if ((st = supervision_attendance_check(db, group, day, attendance,
	    meeting, fields)) != DB_OK)
		return (st);
	if (cJSON_GetArraySize(fields) > 0)
		return (DB_INVALID);
	if (attendance != NULL && (st = db_exec(db,
	    supervision_sql[Q_ATTENDANCE_INSERT], 2, params)) != DB_OK)
		return (st);
	return (DB_OK);
}

/*
 * Correct meeting `meeting` with the fields `m` carries (`sealed`: the
 * new case notes when m->set_case_notes). Audited with the names of the
 * fields changed, never their content; a new next date is mailed to the
 * members. Problems as for db_supervision_meeting_create().
 */
enum db_status
db_supervision_meeting_update(long long meeting,
    const struct supervision_meeting *m, const char *sealed, long long actor,
    cJSON *fields)
{
	struct db	 db;
	char		 mid[24], who[24], gid[24];
	char		 held[16], old_next[16], *text;
	const char	*params[2];
	int		 st;

	sqlparam_id(mid, meeting);
	sqlparam_id(who, actor);
	text = NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;

	/* The meeting, locked: its group and the next date it had. */
	params[0] = mid;
	if ((st = db_exec(&db, supervision_sql[Q_MEETING_LOCK], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	snprintf(gid, sizeof(gid), "%s", db_value(&db, 0, 0));
	snprintf(old_next, sizeof(old_next), "%s", db_value(&db, 0, 1));

	/* A meeting cannot have been held in the future. */
	if (m->held_on != NULL) {
		params[0] = m->held_on;
		if ((st = db_exec(&db, supervision_sql[Q_IN_FUTURE], 1,
		    params)) != DB_OK)
			goto out;
		if (db_value(&db, 0, 0)[0] == 't')
			supervision_problem(fields, "held_on",
			    SUPERVISION_HELD_IN_FUTURE, NULL);
	}

	/* The corrected fields. */
	if ((st = supervision_meeting_write(&db, mid, m, sealed, who, fields,
	    held)) != DB_OK)
		goto out;

	/* The attendance, new or as recorded, checked against the group's
	 * members on the day it was held; any problem so far refuses it
	 * all. */
	if ((st = supervision_meeting_attendance(&db, meeting, mid,
	    strtoll(gid, NULL, 10), held, m->attendance, fields)) != DB_OK)
		goto out;

	/* A new next date is mailed to the members. */
	if (m->set_next_date && m->next_date != NULL &&
	    strcmp(m->next_date, old_next) != 0) {
		params[0] = mid;
		if ((st = db_exec(&db, supervision_sql[Q_NEXT_DATE_MAIL], 1,
		    params)) != DB_OK)
			goto out;
	}

	/* The audit row names what changed, never what it says. */
	text = supervision_meeting_changed(m);
	if ((st = db_audit(&db, actor, "supervision.meeting.update",
	    "supervision_meeting", meeting, NULL, text)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	cJSON_free(text);
	db_close(&db);
	return (st);
}

/* A new meeting's id into `*id`, for db_supervision_meeting_create(). */
enum db_status
db_supervision_meeting_id(long long *id)
{
	struct db	db;
	int		st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, supervision_sql[Q_MEETING_ID], 0, NULL)) ==
	    DB_OK)
		*id = db_int(&db, 0, 0);
	db_close(&db);
	return (st);
}

/*
 * Meeting `meeting` as JSON into `*out` (without case notes), its sealed
 * notes into `*notes` (notes->sealed: base64, caller frees; NULL when
 * none), and what `person` is to its group into `*role`. DB_NOTFOUND.
 */
enum db_status
db_supervision_meeting(long long meeting, long long person, cJSON **out,
    struct supervision_sealed *notes, struct supervision_role *role)
{
	struct db	 db;
	char		 mid[24], pid[24];
	const char	*params[2] = { mid, pid };
	int		 st;

	*out = NULL;
	memset(notes, 0, sizeof(*notes));
	memset(role, 0, sizeof(*role));
	sqlparam_id(mid, meeting);
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, supervision_sql[Q_MEETING], 2, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if ((*out = cJSON_Parse(db_value(&db, 0, 0))) == NULL) {
		st = DB_ERR;
		goto out;
	}
	notes->meeting = meeting;
	notes->group = db_int(&db, 0, 5);
	notes->seal = (int)db_int(&db, 0, 6);
	if (!db_isnull(&db, 0, 1) &&
	    (notes->sealed = strdup(db_value(&db, 0, 1))) == NULL) {
		cJSON_Delete(*out);
		*out = NULL;
		st = DB_ERR;
		goto out;
	}
	role->exists = 1;
	role->active = db_value(&db, 0, 2)[0] == 't';
	role->facilitator = db_value(&db, 0, 3)[0] == 't';
	role->member = db_value(&db, 0, 4)[0] == 't';
out:
	db_close(&db);
	return (st);
}

/* Write the audit row of `actor` reading the case notes of `meeting`. */
enum db_status
db_supervision_notes_read(long long meeting, long long actor, const char *ip)
{
	struct db	db;
	int		st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_audit(&db, actor, "supervision.case_notes.read",
	    "supervision_meeting", meeting, ip, NULL);
	db_close(&db);
	return (st);
}

/*
 * Name in `fields` each member of `group` on `day` without an entry in
 * `attendance` (JSON; NULL: meeting `meeting`'s as recorded), and each
 * entry for someone who was not a member then.
 */
static enum db_status
supervision_attendance_check(struct db *db, long long group, const char *day,
    const char *attendance, long long meeting, cJSON *fields)
{
	char		 gid[24], mid[24], key[48];
	const char	*params[4] = { gid, day, attendance, mid };
	int		 st, r;

	sqlparam_id(gid, group);
	sqlparam_id(mid, meeting);
	if ((st = db_exec(db, supervision_sql[Q_ATTENDANCE_CHECK], 4,
	    params)) != DB_OK)
		return (st);
	for (r = 0; r < db_rows(db); r++) {
		snprintf(key, sizeof(key), "attendance.%s", db_value(db, r, 1));
		if (strcmp(db_value(db, r, 0), "missing") == 0)
			supervision_problem(fields, key,
			    SUPERVISION_ATTENDANCE_MISSING, db_value(db, r, 2));
		else if (strcmp(db_value(db, r, 0), "extra") == 0)
			supervision_problem(fields, key,
			    SUPERVISION_ATTENDANCE_EXTRA, NULL);
		else
			supervision_problem(fields, "attendance",
			    SUPERVISION_NO_MEMBERS, NULL);
	}
	return (DB_OK);
}

/* `n` ids as a bigint[] literal, "{1,2}" (caller frees); NULL: no memory. */
static char *
supervision_id_array(const long long *ids, size_t n)
{
	char	*s;
	size_t	 i, len, cap;

	cap = n * 21 + 3;
	if ((s = malloc(cap)) == NULL)
		return (NULL);
	len = 0;
	s[len++] = '{';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%lld",
		    i ? "," : "", ids[i]);
	s[len++] = '}';
	s[len] = '\0';
	return (s);
}
