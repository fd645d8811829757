/*
 * db_attendee: walk-ins on the register. From the session's start the
 * trainer (while the register is open, app/walkin.c) or a coordinator
 * (at any time) adds a person who never booked: found by e-mail, or made
 * without an account, with an attended booking marked walk_in (counted
 * as unscheduled), its training record, its walk_ins row and a mail to
 * the person saying they were recorded as attending, in one transaction.
 * The booking's trigger puts the same-day evaluation's invitation in the
 * outbox. A coordinator confirms or removes the walk-ins trainers added;
 * removal deletes the booking with everything it made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_attendee.h"
#include "db_register.h"
#include "outbox_sql.h"
#include "site.h"
#include "sqlparam.h"
#include "walkin.h"

enum {
	Q_SESSION,
	Q_CHECK,
	Q_PERSON,
	Q_BOOK,
	Q_RECORD,
	Q_WALK_IN,
	Q_MAIL,
	Q_LIST,
	Q_CONFIRM,
	Q_REMOVE_FIND,
	Q_REMOVE,
	Q__MAX
};

static const char *const attendee_sql[Q__MAX] = {
	/* $1 session: held; its start, end and now (Unix seconds),
	 * still scheduled */
	[Q_SESSION] =
	"SELECT extract(epoch FROM starts_at)::bigint,"
	"       extract(epoch FROM ends_at)::bigint,"
	"       extract(epoch FROM now())::bigint, status = 'scheduled'"
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

	/* $1 booking, $2 actor, $3 by a trainer (t/f), $4 name typed,
	 * $5 agency given */
	[Q_WALK_IN] =
	"INSERT INTO walk_ins (booking_id, added_by, by_trainer, entered_name,"
	"                      entered_agency_id, confirmed_at, confirmed_by)"
	"VALUES ($1::bigint, $2::bigint, $3::boolean, $4, $5::bigint,"
	"        CASE WHEN NOT $3::boolean THEN now() END,"
	"        CASE WHEN NOT $3::boolean THEN $2::bigint END)",

	/* $1 booking, $2 the portal's address: the person is told they
	 * were recorded, so that a made-up attendance reaches them */
	[Q_MAIL] =
	OUTBOX_SQL_MAIL
	"p.email, 'You were recorded as attending ' || c.title,"
	"       'Dear ' || p.full_name || E',\\n\\n'"
	"       || 'You were recorded as attending ' || c.title || ' on '"
	"       || to_char(s.starts_at AT TIME ZONE 'Europe/London',"
	"                  'FMDay DD FMMonth YYYY') || ' at ' || s.venue"
	"       || E', added to the register on the day by the '"
	"       || E'session''s trainer or the board''s coordinators. It '"
	"       || E'counts as your safeguarding training.\\n\\n'"
	"       || E'Not you, or you were not there? Please tell the '"
	"       || E'Safeguarding Children Board: reply to this message or '"
	"       || E'write to us through ' || $2 || E'/contact, and we will '"
	"       || E'remove it.\\n'"
	"  FROM bookings b JOIN people p ON p.id = b.person_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	" WHERE b.id = $1::bigint AND p.email IS NOT NULL"
	"   AND p.erased_at IS NULL",

	/* $1 'pending' or 'all', $2 limit, $3 offset: walk-ins trainers
	 * added, oldest first; the person as recorded and as typed */
	[Q_LIST] =
	"WITH m AS ("
	"  SELECT w.*, b.session_id, b.person_id, s.starts_at, c.title,"
	"         p.full_name, p.email, a.name AS agency,"
	"         ea.name AS entered_agency, t.full_name AS added_by_name,"
	"         (SELECT count(*) FROM bookings o WHERE o.person_id ="
	"            b.person_id AND o.id <> b.id AND NOT o.walk_in) AS booked"
	"    FROM walk_ins w JOIN bookings b ON b.id = w.booking_id"
	"    JOIN sessions s ON s.id = b.session_id"
	"    JOIN courses c ON c.id = s.course_id"
	"    JOIN people p ON p.id = b.person_id"
	"    LEFT JOIN agencies a ON a.id = p.agency_id"
	"    LEFT JOIN agencies ea ON ea.id = w.entered_agency_id"
	"    LEFT JOIN people t ON t.id = w.added_by"
	"   WHERE w.by_trainer"
	"     AND ($1 = 'all' OR w.confirmed_at IS NULL))"
	"SELECT (SELECT count(*) FROM m),"
	" coalesce((SELECT json_agg(json_build_object("
	"   'booking_id', x.booking_id, 'session_id', x.session_id,"
	"   'course_title', x.title,"
	"   'session_starts_at', to_char(x.starts_at AT TIME ZONE"
	"      'Europe/London', 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
	"   'person_id', x.person_id, 'full_name', x.full_name,"
	"   'email', x.email, 'agency', x.agency,"
	"   'entered_name', x.entered_name, 'entered_agency', x.entered_agency,"
	"   'other_bookings', x.booked,"
	"   'added_by', x.added_by_name,"
	"   'added_at', to_char(x.added_at AT TIME ZONE 'Europe/London',"
	"      'YYYY-MM-DD\"T\"HH24:MI:SS'),"
	"   'status', CASE WHEN x.confirmed_at IS NULL THEN 'pending'"
	"             ELSE 'confirmed' END) ORDER BY x.added_at, x.booking_id)"
	"   FROM (SELECT * FROM m ORDER BY added_at, booking_id"
	"          LIMIT $2::int OFFSET $3::int) x), '[]')",

	/* $1 booking, $2 actor */
	[Q_CONFIRM] =
	"WITH c AS (UPDATE walk_ins SET confirmed_at = now(),"
	"        confirmed_by = $2::bigint"
	"  WHERE booking_id = $1::bigint AND confirmed_at IS NULL"
	"  RETURNING booking_id),"
	" a AS (" DB_AUDIT_ROW
	"  $2::bigint, 'booking.walk_in_confirm', 'booking', booking_id,"
	"  NULL, NULL FROM c)"
	"SELECT (SELECT count(*) FROM c),"
	"       EXISTS (SELECT 1 FROM walk_ins WHERE booking_id = $1::bigint)",

	/* $1 booking: the walk-in, held */
	[Q_REMOVE_FIND] =
	"SELECT b.id FROM walk_ins w JOIN bookings b ON b.id = w.booking_id"
	" WHERE w.booking_id = $1::bigint FOR UPDATE OF b, w",

	/* $1 booking, $2 actor: the booking and all it made; the
	 * evaluation invitation still waiting to be sent is the mail to the
	 * person written with the notice (one transaction, one now()) */
	[Q_REMOVE] =
	"WITH who AS (SELECT b.session_id, b.person_id, p.email"
	"              FROM bookings b JOIN people p ON p.id = b.person_id"
	"             WHERE b.id = $1::bigint),"
	" mo AS (DELETE FROM email_outbox o USING evaluation_notices n, who"
	"  WHERE n.booking_id = $1::bigint AND o.created_at = n.created_at"
	"    AND o.status = 'pending' AND lower(o.to_address) = lower(who.email)"
	"    AND o.subject LIKE 'Your evaluation: %'),"
	" en AS (DELETE FROM evaluation_notices WHERE booking_id = $1::bigint),"
	" tr AS (DELETE FROM training_records WHERE booking_id = $1::bigint),"
	" ev AS (DELETE FROM evaluations WHERE booking_id = $1::bigint),"
	" fu AS (DELETE FROM followups WHERE booking_id = $1::bigint),"
	" mr AS (DELETE FROM manager_reviews WHERE booking_id = $1::bigint),"
	" bl AS (DELETE FROM baselines WHERE booking_id = $1::bigint),"
	" wi AS (DELETE FROM walk_ins WHERE booking_id = $1::bigint)"
	DB_AUDIT_ROW
	"$2::bigint, 'booking.walk_in_remove', 'booking', $1::bigint, NULL,"
	"       jsonb_build_object('session_id', who.session_id,"
	"                          'person_id', who.person_id)"
	"  FROM who",
};

/* The booking itself goes last: the statement above deletes what
 * refers to it. */
static const char attendee_delete_booking[] =
	"DELETE FROM bookings WHERE id = $1::bigint";

static enum db_status	attendee_record(struct db *, const char *,
		    const struct walk_in *, long long, int);

/*
 * Record walk-in `w`'s attended booking `bid`, added by `actor` (a
 * coordinator when `coordinator` is set, else a trainer): its training
 * record, its walk_ins row, the mail telling the person, the audit row.
 * Returns the db_status.
 */
static enum db_status
attendee_record(struct db *db, const char *bid, const struct walk_in *w,
    long long actor, int coordinator)
{
	char		 who[24];
	const char	*params[5];
	enum db_status	 st;

	sqlparam_id(who, actor);
	params[0] = bid;
	if ((st = db_exec(db, attendee_sql[Q_RECORD], 1, params)) != DB_OK)
		return (st);
	params[1] = who;
	params[2] = coordinator ? "f" : "t";
	params[3] = w->full_name;
	params[4] = w->agency_id;
	if ((st = db_exec(db, attendee_sql[Q_WALK_IN], 5, params)) != DB_OK)
		return (st);
	params[1] = site_public_url();
	if ((st = db_exec(db, attendee_sql[Q_MAIL], 2, params)) != DB_OK)
		return (st);
	return (db_audit(db, actor, "booking.walk_in", "booking",
	    strtoll(bid, NULL, 10), NULL, coordinator ?
	    "{\"by_trainer\":false}" : "{\"by_trainer\":true}"));
}

/*
 * Add walk-in `w` to `session`'s register as attended, by `actor` (a
 * coordinator when `coordinator` is set, otherwise a trainer of the
 * session). `*result` is an enum attendee_result; unknown agency or
 * level are named in `fields`; `*out` (caller owns) gets the same shape
 * whether the address was known or not: {"booking_id","status","review"}.
 */
enum db_status
db_attendee_add(long long session, const struct walk_in *w, long long actor,
    int coordinator, cJSON *fields, cJSON **out, enum attendee_result *result)
{
	struct db	 db;
	char		 sid[24], who[24], pid[24], bid[24];
	const char	*params[4];
	int		 st;

	*result = ATTENDEE_FAILED;
	*out = NULL;
	sqlparam_id(sid, session);
	sqlparam_id(who, actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;

	/* The session, held, and whether its register takes walk-ins now. */
	params[0] = sid;
	if ((st = db_exec(&db, attendee_sql[Q_SESSION], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = ATTENDEE_NO_SESSION;
		goto out;
	}
	switch (walkin_register_rule(db_int(&db, 0, 0), db_int(&db, 0, 1),
	    db_int(&db, 0, 2), db_value(&db, 0, 3)[0] == 't', coordinator)) {
	case WALKIN_OPEN:
		break;
	case WALKIN_CLOSED:
		*result = ATTENDEE_CLOSED;
		goto out;
	default:
		*result = ATTENDEE_NOT_STARTED;
		goto out;
	}

	/* The agency and the group level are ones we know. */
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

	/* The person, found by e-mail or made without an account. */
	params[0] = w->email;
	params[1] = w->full_name;
	params[2] = w->agency_id;
	params[3] = w->group_level;
	if ((st = db_exec(&db, attendee_sql[Q_PERSON], 4, params)) != DB_OK)
		goto out;
	snprintf(pid, sizeof(pid), "%s", db_value(&db, 0, 0));

	/* Their attended booking, unless they are on the register. */
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

	/* Its training record, its walk-in row, the mail, the audit. */
	if ((st = attendee_record(&db, bid, w, actor, coordinator)) !=
	    DB_OK || (st = db_commit(&db)) != DB_OK)
		goto out;

	/* The same answer whether the address was known or not. */
	*out = cJSON_CreateObject();
	cJSON_AddNumberToObject(*out, "booking_id",
	    (double)strtoll(bid, NULL, 10));
	cJSON_AddStringToObject(*out, "status", "attended");
	cJSON_AddStringToObject(*out, "review",
	    coordinator ? "confirmed" : "pending");
	*result = ATTENDEE_DONE;
out:
	db_close(&db);
	return (st);
}

/*
 * The walk-ins trainers added (`all` set: also those confirmed; else
 * only those waiting), oldest first, a page of `limit` from `offset`:
 * `*out` (caller owns) gets {"total","walk_ins":[...]}.
 */
enum db_status
db_attendee_list(int all, long long limit, long long offset, cJSON **out)
{
	struct db	 db;
	char		 lim[24], off[24];
	const char	*params[3] = { all ? "all" : "pending", lim, off };
	cJSON		*items;
	int		 st;

	*out = NULL;
	sqlparam_id(lim, limit);
	sqlparam_id(off, offset);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, attendee_sql[Q_LIST], 3, params)) != DB_OK)
		goto out;
	if ((items = cJSON_Parse(db_value(&db, 0, 1))) == NULL) {
		st = DB_ERR;
		goto out;
	}
	*out = cJSON_CreateObject();
	cJSON_AddNumberToObject(*out, "total", (double)db_int(&db, 0, 0));
	cJSON_AddItemToObject(*out, "walk_ins", items);
out:
	db_close(&db);
	return (st);
}

/*
 * Confirm the walk-in of `booking` as `actor`. DB_NOTFOUND when there is
 * no such walk-in; DB_CONFLICT when it was confirmed already.
 */
enum db_status
db_attendee_confirm(long long booking, long long actor)
{
	struct db	 db;
	char		 bid[24], who[24];
	const char	*params[2] = { bid, who };
	int		 st;

	sqlparam_id(bid, booking);
	sqlparam_id(who, actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, attendee_sql[Q_CONFIRM], 2, params)) != DB_OK)
		goto out;
	if (db_int(&db, 0, 0) == 0)
		st = db_value(&db, 0, 1)[0] == 't' ? DB_CONFLICT : DB_NOTFOUND;
out:
	db_close(&db);
	return (st);
}

/*
 * Remove the walk-in of `booking` as `actor`, confirmed or not, in one
 * transaction: its attendance (the booking), training record,
 * evaluation invitation (unsent mail and its notice), any answers and
 * its review row go; the audit log keeps who removed which. DB_NOTFOUND
 * when there is no such walk-in.
 */
enum db_status
db_attendee_remove(long long booking, long long actor)
{
	struct db	 db;
	char		 bid[24], who[24];
	const char	*params[2] = { bid, who };
	int		 st;

	sqlparam_id(bid, booking);
	sqlparam_id(who, actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	if ((st = db_exec(&db, attendee_sql[Q_REMOVE_FIND], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if ((st = db_exec(&db, attendee_sql[Q_REMOVE], 2, params)) != DB_OK ||
	    (st = db_exec(&db, attendee_delete_booking, 1, params)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}
