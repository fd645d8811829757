/*
 * db_register: who is expected at a session, and the register the
 * trainer takes. Attended and partial bookings become training records;
 * marking someone a no-show after all takes the record away again. The
 * whole register is one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_register.h"
#include "sqlparam.h"

enum {
	Q_ACCESS,
	Q_ROWS,
	Q_LOCK,
	Q_MARK,
	Q_RECORD,
	Q_UNRECORD,
	Q__MAX
};

static const char *const register_sql[Q__MAX] = {
	/* $1 session, $2 person: is it theirs to keep; has it started */
	[Q_ACCESS] =
	"SELECT EXISTS (SELECT 1 FROM session_trainers"
	"                WHERE session_id = s.id AND person_id = $2::bigint),"
	"       s.starts_at <= now()"
	"  FROM sessions s WHERE s.id = $1::bigint",

	/* $1 session: the expected and those marked, by name; a walk-in
	 * as it was typed (name, agency), never the record its address
	 * found, so that the register tells nobody whether it was known */
	[Q_ROWS] =
	"SELECT coalesce(json_agg(json_build_object('booking_id', b.id,"
	"   'person_id', CASE WHEN w.booking_id IS NULL THEN p.id END,"
	"   'full_name', coalesce(w.entered_name, p.full_name),"
	"   'agency', CASE WHEN w.booking_id IS NULL THEN a.name"
	"             ELSE wa.name END,"
	"   'job_title', CASE WHEN w.booking_id IS NULL THEN p.job_title END,"
	"   'walk_in', b.walk_in, 'status', b.status)"
	"   ORDER BY coalesce(w.entered_name, p.full_name), b.id), '[]')"
	"  FROM bookings b JOIN people p ON p.id = b.person_id"
	"  LEFT JOIN agencies a ON a.id = p.agency_id"
	"  LEFT JOIN walk_ins w ON w.booking_id = b.id"
	"  LEFT JOIN agencies wa ON wa.id = w.entered_agency_id"
	" WHERE b.session_id = $1::bigint"
	"   AND b.status IN ('confirmed', 'attended', 'partial', 'no_show')",

	[Q_LOCK] =
	"SELECT 1 FROM sessions WHERE id = $1::bigint FOR UPDATE",

	/* $1 session, $2 booking, $3 status */
	[Q_MARK] =
	"UPDATE bookings SET status = $3, attendance_at = now()"
	" WHERE id = $2::bigint AND session_id = $1::bigint"
	"   AND status IN ('confirmed', 'attended', 'partial', 'no_show') "
	"RETURNING id",

	/* $1 booking */
	[Q_RECORD] =
	DB_REGISTER_RECORD_SQL,

	[Q_UNRECORD] =
	"DELETE FROM training_records WHERE booking_id = $1::bigint",

};

/*
 * Whether `person` (a coordinator when `coordinator` is set) may keep the
 * register of `session`: `*access` is an enum register_access, `*started`
 * whether the session has begun.
 */
enum db_status
db_register_access(long long session, long long person, int coordinator,
    int *access, int *started)
{
	struct db	 db;
	char		 sid[24], pid[24];
	const char	*params[2] = { sid, pid };
	int		 st;

	sqlparam_id(sid, session);
	sqlparam_id(pid, person);
	*access = REGISTER_NO_SESSION;
	*started = 0;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, register_sql[Q_ACCESS], 2, params)) == DB_OK &&
	    db_rows(&db) > 0) {
		*access = coordinator || db_value(&db, 0, 0)[0] == 't' ?
		    REGISTER_ALLOWED : REGISTER_DENIED;
		*started = db_value(&db, 0, 1)[0] == 't';
	}
	db_close(&db);
	return (st);
}

/* The register of `session` as a JSON array (caller owns). */
enum db_status
db_register_rows(long long session, cJSON **out)
{
	char		 sid[24];
	const char	*params[1] = { sid };

	sqlparam_id(sid, session);
	return (db_json(register_sql[Q_ROWS], 1, params, out));
}

/*
 * Mark the `n` bookings of `session` in `marks`, all or nothing. A
 * booking that is not a live or marked booking of this session is named
 * in `errors` (an array of {"booking_id","message"}) and DB_INVALID
 * returned with nothing changed.
 */
enum db_status
db_register_mark(long long session, const struct attendance_mark *marks,
    size_t n, long long actor, cJSON *errors)
{
	struct db	 db;
	char		 sid[24], bid[24], detail[40];
	const char	*params[3];
	cJSON		*e;
	size_t		 i;
	int		 st;

	sqlparam_id(sid, session);
	snprintf(detail, sizeof(detail), "{\"marked\":%zu}", n);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = sid;
	if ((st = db_exec(&db, register_sql[Q_LOCK], 1, params)) != DB_OK)
		goto out;
	for (i = 0; i < n; i++) {
		sqlparam_id(bid, marks[i].booking_id);
		params[0] = sid;
		params[1] = bid;
		params[2] = marks[i].status;
		if ((st = db_exec(&db, register_sql[Q_MARK], 3, params)) !=
		    DB_OK)
			goto out;
		if (db_rows(&db) == 0) {
			e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "booking_id",
			    (double)marks[i].booking_id);
			cJSON_AddStringToObject(e, "message", "Not a booking "
			    "with a place on this session.");
			cJSON_AddItemToArray(errors, e);
			continue;
		}
		params[0] = bid;
		if ((st = db_exec(&db, register_sql[strcmp(marks[i].status,
		    "no_show") == 0 ? Q_UNRECORD : Q_RECORD], 1, params)) !=
		    DB_OK)
			goto out;
	}
	/* Problems found here or before: nothing is applied. */
	if (cJSON_GetArraySize(errors) > 0) {
		st = DB_INVALID;
		goto out;
	}
	if ((st = db_audit(&db, actor, "session.attendance", "session",
	    session, NULL, detail)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}
