/*
 * db_attendee: a walk-in on the register. From the session's start on
 * (also long after it), the trainer or a coordinator adds a person who
 * never booked: found by e-mail, or made without an account, with an
 * attended booking marked walk_in (counted as unscheduled) and its
 * training record, in one transaction. The booking's trigger puts the
 * same-day evaluation's invitation in the outbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_attendee.h"
#include "db_register.h"

enum {
	Q_SESSION,
	Q_CHECK,
	Q_PERSON,
	Q_BOOK,
	Q_RECORD,
	Q_AUDIT,
	Q__MAX
};

static const char *const attendee_sql[Q__MAX] = {
	/* $1 session: held; started, scheduled */
	[Q_SESSION] =
	"SELECT starts_at <= now() AND status = 'scheduled'"
	"  FROM sessions WHERE id = $1::bigint FOR UPDATE",

	/* $1 agency, $2 level code: both known */
	[Q_CHECK] =
	"SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1::bigint),"
	"       EXISTS (SELECT 1 FROM group_levels l JOIN group_schemes s"
	"                 ON s.id = l.scheme_id AND s.is_default"
	"                WHERE l.code = $2)",

	/* $1 e-mail, $2 name, $3 agency, $4 level: the person, found or
	 * made (no account) */
	[Q_PERSON] =
	"WITH found AS (SELECT id FROM people WHERE lower(email) = lower($1)),"
	" made AS ("
	"  INSERT INTO people (agency_id, full_name, email, group_level_id)"
	"  SELECT $3::bigint, $2, lower($1), (SELECT l.id FROM group_levels l"
	"         JOIN group_schemes s ON s.id = l.scheme_id AND s.is_default"
	"        WHERE l.code = $4)"
	"   WHERE NOT EXISTS (SELECT 1 FROM found)"
	"  RETURNING id)"
	"SELECT id FROM found UNION ALL SELECT id FROM made",

	/* $1 session, $2 person, $3 actor: none on the register yet */
	[Q_BOOK] =
	"INSERT INTO bookings (session_id, person_id, status, attendance_at,"
	"                      walk_in, booked_by)"
	"SELECT $1::bigint, $2::bigint, 'attended', now(), true, $3::bigint"
	" WHERE NOT EXISTS (SELECT 1 FROM bookings WHERE session_id = $1::bigint"
	"   AND person_id = $2::bigint AND status IN ('confirmed', 'attended',"
	"   'partial', 'no_show')) "
	"RETURNING id",

	/* $1 booking */
	[Q_RECORD] =
	DB_REGISTER_RECORD_SQL,

	/* $1 actor, $2 booking */
	[Q_AUDIT] =
	"INSERT INTO audit_log (actor_person_id, action, target_type, target_id)"
	"VALUES ($1::bigint, 'booking.walk_in', 'booking', $2::bigint)",
};

/*
 * Add walk-in `w` to `session`'s register as attended, by `actor`.
 * `*result` is an enum attendee_result; unknown agency or level are named
 * in `fields`; `*out` (caller owns) gets {"booking_id","person_id"}.
 */
int
db_attendee_add(long long session, const struct walk_in *w, long long actor,
    cJSON *fields, cJSON **out, int *result)
{
	struct db	 db;
	char		 sid[24], who[24], pid[24], bid[24];
	const char	*params[4];
	int		 st;

	*result = ATTENDEE_FAILED;
	*out = NULL;
	snprintf(sid, sizeof(sid), "%lld", session);
	snprintf(who, sizeof(who), "%lld", actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = sid;
	if ((st = db_exec(&db, attendee_sql[Q_SESSION], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = ATTENDEE_NO_SESSION;
		goto out;
	}
	if (db_value(&db, 0, 0)[0] != 't') {
		*result = ATTENDEE_NOT_STARTED;
		goto out;
	}
	params[0] = w->agency_id;
	params[1] = w->group_level;
	if ((st = db_exec(&db, attendee_sql[Q_CHECK], 2, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] != 't')
		cJSON_AddStringToObject(fields, "agency_id", "There is no "
		    "such agency.");
	if (db_value(&db, 0, 1)[0] != 't')
		cJSON_AddStringToObject(fields, "group_level", "There is no "
		    "such group level.");
	if (cJSON_GetArraySize(fields) > 0) {
		*result = ATTENDEE_INVALID;
		goto out;
	}
	params[0] = w->email;
	params[1] = w->full_name;
	params[2] = w->agency_id;
	params[3] = w->group_level;
	if ((st = db_exec(&db, attendee_sql[Q_PERSON], 4, params)) != DB_OK)
		goto out;
	snprintf(pid, sizeof(pid), "%s", db_value(&db, 0, 0));
	params[0] = sid;
	params[1] = pid;
	params[2] = who;
	if ((st = db_exec(&db, attendee_sql[Q_BOOK], 3, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = ATTENDEE_ON_REGISTER;
		goto out;
	}
	snprintf(bid, sizeof(bid), "%s", db_value(&db, 0, 0));
	params[0] = bid;
	if ((st = db_exec(&db, attendee_sql[Q_RECORD], 1, params)) != DB_OK)
		goto out;
	params[0] = who;
	params[1] = bid;
	if ((st = db_exec(&db, attendee_sql[Q_AUDIT], 2, params)) != DB_OK ||
	    (st = db_commit(&db)) != DB_OK)
		goto out;
	*out = cJSON_CreateObject();
	cJSON_AddNumberToObject(*out, "booking_id", (double)strtoll(bid, NULL, 10));
	cJSON_AddNumberToObject(*out, "person_id", (double)strtoll(pid, NULL, 10));
	*result = ATTENDEE_DONE;
out:
	db_close(&db);
	return (st);
}
