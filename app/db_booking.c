/*
 * db_booking: booking, cancelling and promoting from the waitlist.
 *
 * Every change to a session's places locks the session's row first (so
 * bookings of one session are served one at a time, first come first
 * served), keeps its confirmed_count, waitlist_count and waitlist_next in
 * the same transaction, and writes the e-mail that tells of it into the
 * outbox in that transaction too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_booking.h"
#include "ical.h"

enum {
	Q_LOCK,
	Q_BY_KEY,
	Q_LIVE,
	Q_OVERLAP,
	Q_CONFIRM,
	Q_WAITLIST,
	Q_COUNT_CONFIRMED,
	Q_COUNT_WAITLISTED,
	Q_ANSWER,
	Q_MAIL,
	Q_CANCEL_SESSION,
	Q_CANCEL,
	Q_PROMOTE,
	Q_MINE,
	Q_CALENDAR,
	Q_SESSION_LOCK,
	Q_SESSION_UPDATE,
	Q_SESSION_TRAINERS_DELETE,
	Q_SESSION_TRAINERS,
	Q_SESSION_CANCEL,
	Q_BOARD_CANCEL,
	Q_AUDIT,
	Q_ATTACH,
	Q__MAX
};

#define ISO(x)	"to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"

static const char *const booking_sql[Q__MAX] = {
	/* $1 session: lock it; is it open for booking now? */
	[Q_LOCK] =
	"SELECT status = 'scheduled' AND starts_at > now()"
	"       AND now() >= booking_opens_at AND now() <= booking_closes_at,"
	"       confirmed_count < capacity"
	"  FROM sessions WHERE id = $1::bigint FOR UPDATE",

	/* $1 person, $2 key */
	[Q_BY_KEY] =
	"SELECT id, session_id FROM bookings"
	" WHERE person_id = $1::bigint AND idempotency_key = $2",

	/* $1 session, $2 person */
	[Q_LIVE] =
	"SELECT 1 FROM bookings WHERE session_id = $1::bigint"
	"   AND person_id = $2::bigint AND status IN ('confirmed', 'waitlisted')",

	/* $1 session, $2 person: a confirmed place elsewhere at that time */
	[Q_OVERLAP] =
	"SELECT 1 FROM sessions s JOIN bookings b ON b.person_id = $2::bigint"
	"  JOIN sessions o ON o.id = b.session_id"
	" WHERE s.id = $1::bigint AND b.status = 'confirmed' AND o.id <> s.id"
	"   AND o.status = 'scheduled'"
	"   AND o.starts_at < s.ends_at AND o.ends_at > s.starts_at",

	/* $1 session, $2 person, $3 key, $4 booked by */
	[Q_CONFIRM] =
	"INSERT INTO bookings (session_id, person_id, status, confirmed_at,"
	"                      idempotency_key, booked_by)"
	"VALUES ($1::bigint, $2::bigint, 'confirmed', now(), $3, $4::bigint)"
	"RETURNING id",

	[Q_WAITLIST] =
	"INSERT INTO bookings (session_id, person_id, status,"
	"                      waitlist_position, idempotency_key, booked_by)"
	"SELECT $1::bigint, $2::bigint, 'waitlisted', waitlist_next, $3,"
	"       $4::bigint FROM sessions WHERE id = $1::bigint "
	"RETURNING id",

	/* $1 session, $2 +1 / -1 */
	[Q_COUNT_CONFIRMED] =
	"UPDATE sessions SET confirmed_count = confirmed_count + $2::int"
	" WHERE id = $1::bigint",

	/* $1 session, $2 +1 / -1, $3 1 to hand out a position */
	[Q_COUNT_WAITLISTED] =
	"UPDATE sessions SET waitlist_count = waitlist_count + $2::int,"
	"       waitlist_next = waitlist_next + $3::int"
	" WHERE id = $1::bigint",

	/* $1 booking: as the API shows it; the waitlist position is the
	 * place in the queue now (those ahead, plus one) */
	[Q_ANSWER] =
	"SELECT json_build_object('id', b.id, 'session_id', b.session_id,"
	"  'person_id', b.person_id, 'status', b.status,"
	"  'waitlist_position', CASE WHEN b.status = 'waitlisted' THEN"
	"    (SELECT count(*) FROM bookings w WHERE w.session_id = b.session_id"
	"        AND w.status = 'waitlisted'"
	"        AND w.waitlist_position <= b.waitlist_position) END,"
	"  'late', b.status = 'late_cancelled',"
	"  'booked_at', " ISO("b.booked_at") ")"
	"  FROM bookings b WHERE b.id = $1::bigint",

	/* $1 booking, $2 subject, $3 opening sentence */
	[Q_MAIL] =
	"INSERT INTO email_outbox (to_address, subject, body_text)"
	"SELECT p.email, $2 || ': ' || c.title,"
	"  'Dear ' || p.full_name || E',\\n\\n' || $3 || E'\\n\\n'"
	"  || c.title || E'\\n'"
	"  || to_char(s.starts_at AT TIME ZONE 'Europe/London',"
	"             'FMDay DD FMMonth YYYY, HH24:MI') || ' to '"
	"  || to_char(s.ends_at AT TIME ZONE 'Europe/London', 'HH24:MI')"
	"  || E'\\n' || s.venue || E'\\n\\n'"
	"  || E'Your bookings: /account\\n'"
	"  FROM bookings b JOIN people p ON p.id = b.person_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	" WHERE b.id = $1::bigint AND p.email IS NOT NULL "
	"RETURNING id",

	/* $1 booking: lock its session; is it to come, is it late, whose */
	[Q_CANCEL_SESSION] =
	"SELECT s.id, s.starts_at > now(),"
	"       now() > s.starts_at - make_interval(hours =>"
	"                                           s.cancel_cutoff_hours),"
	"       b.person_id"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	" WHERE b.id = $1::bigint FOR UPDATE OF s",

	/* $1 booking, $2 new status */
	[Q_CANCEL] =
	"UPDATE bookings b SET status = $2, cancelled_at = now(),"
	"       waitlist_position = NULL, ics_sequence = b.ics_sequence + 1"
	"  FROM bookings old WHERE old.id = b.id AND b.id = $1::bigint"
	"   AND b.status IN ('confirmed', 'waitlisted')"
	"RETURNING old.status",

	/* $1 session (locked): the first on the waitlist take the free
	 * places, in the order they joined; the counters follow */
	[Q_PROMOTE] =
	"WITH room AS (SELECT greatest(capacity - confirmed_count, 0) AS n"
	"                FROM sessions WHERE id = $1::bigint"
	"                 AND status = 'scheduled' AND starts_at > now()),"
	" first AS (SELECT id FROM bookings WHERE session_id = $1::bigint"
	"             AND status = 'waitlisted' ORDER BY waitlist_position"
	"           LIMIT (SELECT coalesce(max(n), 0) FROM room)),"
	" up AS (UPDATE bookings SET status = 'confirmed', confirmed_at = now(),"
	"          waitlist_position = NULL, ics_sequence = ics_sequence + 1"
	"         WHERE id IN (SELECT id FROM first) RETURNING id),"
	" counts AS (UPDATE sessions SET"
	"          confirmed_count = confirmed_count + (SELECT count(*) FROM up),"
	"          waitlist_count = waitlist_count - (SELECT count(*) FROM up)"
	"         WHERE id = $1::bigint)"
	"SELECT id FROM up ORDER BY id",

	/* $1 person */
	[Q_MINE] =
	"SELECT coalesce(json_agg(json_build_object('id', b.id,"
	"  'session_id', s.id, 'course', json_build_object('id', c.id,"
	"     'code', c.code, 'title', c.title),"
	"  'starts_at', " ISO("s.starts_at") ", 'ends_at', " ISO("s.ends_at") ","
	"  'venue', s.venue, 'status', b.status,"
	"  'session_status', s.status,"
	"  'waitlist_position', CASE WHEN b.status = 'waitlisted' THEN"
	"    (SELECT count(*) FROM bookings w WHERE w.session_id = b.session_id"
	"        AND w.status = 'waitlisted'"
	"        AND w.waitlist_position <= b.waitlist_position) END,"
	"  'upcoming', s.ends_at > now(),"
	"  'calendar', '/api/v1/bookings/' || b.id || '/calendar.ics')"
	"  ORDER BY s.starts_at DESC, b.id), '[]')"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	" WHERE b.person_id = $1::bigint",

	/* $1 booking */
	[Q_CALENDAR] =
	"SELECT json_build_object('person_id', b.person_id,"
	"  'sequence', b.ics_sequence,"
	"  'cancelled', b.status IN ('cancelled', 'late_cancelled',"
	"     'board_cancelled') OR s.status = 'cancelled',"
	"  'starts_at', extract(epoch FROM s.starts_at)::bigint,"
	"  'ends_at', extract(epoch FROM s.ends_at)::bigint,"
	"  'stamp', extract(epoch FROM now())::bigint,"
	"  'summary', c.title, 'location', s.venue,"
	"  'description', c.summary || E'\n\nTrainers: ' || coalesce((SELECT"
	"     string_agg(p.full_name, ', ' ORDER BY p.full_name)"
	"     FROM session_trainers t JOIN people p ON p.id = t.person_id"
	"    WHERE t.session_id = s.id), 'to be confirmed'),"
	"  'attendee_email', p.email, 'attendee_name', p.full_name)"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE b.id = $1::bigint",

	/* $1 session */
	[Q_SESSION_LOCK] =
	"SELECT confirmed_count, status FROM sessions WHERE id = $1::bigint"
	"   FOR UPDATE",

	/* $1 session, $2 start, $3 end, $4 venue, $5 capacity, $6 opens,
	 * $7 closes, $8 cut-off: NULL keeps what is there */
	[Q_SESSION_UPDATE] =
	"UPDATE sessions SET starts_at = coalesce($2::timestamptz, starts_at),"
	"       ends_at = coalesce($3::timestamptz, ends_at),"
	"       venue = coalesce($4, venue),"
	"       capacity = coalesce($5::int, capacity),"
	"       booking_opens_at = coalesce($6::timestamptz, booking_opens_at),"
	"       booking_closes_at = coalesce($7::timestamptz, booking_closes_at),"
	"       cancel_cutoff_hours = coalesce($8::int, cancel_cutoff_hours)"
	" WHERE id = $1::bigint",

	[Q_SESSION_TRAINERS_DELETE] =
	"DELETE FROM session_trainers WHERE session_id = $1::bigint",

	/* $1 session, $2 trainers: only people with the trainer role */
	[Q_SESSION_TRAINERS] =
	"INSERT INTO session_trainers (session_id, person_id)"
	"SELECT $1::bigint, person_id FROM account_roles"
	" WHERE role = 'trainer' AND person_id = ANY ($2::bigint[]) "
	"RETURNING person_id",

	/* $1 session, $2 reason */
	[Q_SESSION_CANCEL] =
	"UPDATE sessions SET status = 'cancelled', cancel_reason = $2,"
	"       confirmed_count = 0, waitlist_count = 0"
	" WHERE id = $1::bigint AND status = 'scheduled' "
	"RETURNING id",

	/* $1 session */
	[Q_BOARD_CANCEL] =
	"UPDATE bookings SET status = 'board_cancelled', cancelled_at = now(),"
	"       waitlist_position = NULL, ics_sequence = ics_sequence + 1"
	" WHERE session_id = $1::bigint"
	"   AND status IN ('confirmed', 'waitlisted') "
	"RETURNING id",

	/* $1 actor, $2 action, $3 session, $4 detail */
	[Q_AUDIT] =
	"INSERT INTO audit_log (actor_person_id, action, target_type,"
	"                       target_id, detail)"
	"VALUES ($1::bigint, $2, 'session', $3::bigint, $4::jsonb)",

	/* $1 outbox id, $2 calendar */
	[Q_ATTACH] =
	"UPDATE email_outbox SET ics = $2 WHERE id = $1::bigint",
};

static int	booking_answer(struct db *, const char *, cJSON **);
static int	booking_promote(struct db *, const char *);
static int	booking_mail_each(struct db *, const char *, const char *,
		    int);
static int	booking_mail(struct db *, const char *, const char *,
		    const char *, int);
static int	booking_ics(struct db *, const char *, struct ical_out *);

/*
 * Book `person` a place on `session` (by `by`, the person or a
 * coordinator), with the client's idempotency `key` (may be NULL). On
 * BOOKING_DONE or BOOKING_REPEATED, `*out` is the booking (caller owns).
 * Returns the db_status; `*result` says what came of it.
 */
int
db_booking_create(long long session, long long person, long long by,
    const char *key, cJSON **out, int *result)
{
	struct db	 db;
	char		 sid[24], pid[24], bid[24], who[24];
	const char	*params[4];
	int		 st, room;

	snprintf(sid, sizeof(sid), "%lld", session);
	snprintf(pid, sizeof(pid), "%lld", person);
	snprintf(who, sizeof(who), "%lld", by);
	*result = BOOKING_FAILED;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;

	params[0] = sid;
	if ((st = db_exec(&db, booking_sql[Q_LOCK], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = BOOKING_NO_SESSION;
		goto out;
	}
	room = db_value(&db, 0, 1)[0] == 't';
	if (db_value(&db, 0, 0)[0] != 't') {
		*result = BOOKING_CLOSED;
		goto out;
	}

	/* Under the lock, a repeated key sees the first request's row. */
	if (key != NULL) {
		params[0] = pid;
		params[1] = key;
		if ((st = db_exec(&db, booking_sql[Q_BY_KEY], 2, params)) !=
		    DB_OK)
			goto out;
		if (db_rows(&db) > 0) {
			if (db_int(&db, 0, 1) != session) {
				*result = BOOKING_KEY_REUSED;
				goto out;
			}
			snprintf(bid, sizeof(bid), "%s", db_value(&db, 0, 0));
			if ((st = booking_answer(&db, bid, out)) == DB_OK)
				*result = BOOKING_REPEATED;
			goto out;
		}
	}

	params[0] = sid;
	params[1] = pid;
	if ((st = db_exec(&db, booking_sql[Q_LIVE], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) > 0) {
		*result = BOOKING_HELD;
		goto out;
	}
	if ((st = db_exec(&db, booking_sql[Q_OVERLAP], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) > 0) {
		*result = BOOKING_OVERLAP;
		goto out;
	}

	params[2] = key;
	params[3] = who;
	if ((st = db_exec(&db, booking_sql[room ? Q_CONFIRM : Q_WAITLIST], 4,
	    params)) != DB_OK)
		goto out;
	snprintf(bid, sizeof(bid), "%s", db_value(&db, 0, 0));
	params[1] = "1";
	params[2] = "1";
	if ((st = db_exec(&db, booking_sql[room ? Q_COUNT_CONFIRMED :
	    Q_COUNT_WAITLISTED], room ? 2 : 3, params)) != DB_OK)
		goto out;
	if ((st = booking_mail(&db, bid, room ? "Booking confirmed" :
	    "You are on the waitlist", room ? "Your place is booked on this "
	    "course." : "The course is full, so you are on its waitlist. We "
	    "will tell you when a place comes up.", room)) != DB_OK)
		goto out;
	if ((st = booking_answer(&db, bid, out)) != DB_OK)
		goto out;
	if ((st = db_commit(&db)) == DB_OK)
		*result = BOOKING_DONE;
out:
	db_close(&db);
	return (st);
}

/*
 * Cancel booking `booking` for `actor` (a coordinator when `any` is set,
 * else only their own). A confirmed place goes to the first on the
 * waitlist in the same transaction; both people are told. On
 * CANCEL_DONE `*out` is the booking (caller owns).
 */
int
db_booking_cancel(long long booking, long long actor, int any, cJSON **out,
    int *result)
{
	struct db	 db;
	char		 bid[24], sid[24];
	const char	*params[3];
	int		 st, late, future, was_confirmed;

	snprintf(bid, sizeof(bid), "%lld", booking);
	*result = CANCEL_FAILED;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = bid;
	if ((st = db_exec(&db, booking_sql[Q_CANCEL_SESSION], 1, params)) !=
	    DB_OK)
		goto out;
	/* Someone else's booking does not exist for the actor. */
	if (db_rows(&db) == 0 || (!any && db_int(&db, 0, 3) != actor)) {
		*result = CANCEL_NOT_FOUND;
		goto out;
	}
	snprintf(sid, sizeof(sid), "%s", db_value(&db, 0, 0));
	future = db_value(&db, 0, 1)[0] == 't';
	late = db_value(&db, 0, 2)[0] == 't';

	params[1] = late ? "late_cancelled" : "cancelled";
	if ((st = db_exec(&db, booking_sql[Q_CANCEL], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = CANCEL_NOT_LIVE;
		goto out;
	}
	was_confirmed = strcmp(db_value(&db, 0, 0), "confirmed") == 0;
	if (!was_confirmed && late) {
		/* Leaving a waitlist is never late. */
		params[1] = "cancelled";
		if ((st = db_exec(&db, "UPDATE bookings SET status = $2"
		    " WHERE id = $1::bigint", 2, params)) != DB_OK)
			goto out;
	}

	params[0] = sid;
	params[1] = "-1";
	params[2] = "0";
	if ((st = db_exec(&db, booking_sql[was_confirmed ? Q_COUNT_CONFIRMED :
	    Q_COUNT_WAITLISTED], was_confirmed ? 2 : 3, params)) != DB_OK)
		goto out;
	if ((st = booking_mail(&db, bid, "Booking cancelled", "Your booking "
	    "of this course has been cancelled.", was_confirmed)) != DB_OK)
		goto out;

	if (was_confirmed && future && (st = booking_promote(&db, sid)) !=
	    DB_OK)
		goto out;
	if ((st = booking_answer(&db, bid, out)) != DB_OK)
		goto out;
	if ((st = db_commit(&db)) == DB_OK)
		*result = CANCEL_DONE;
out:
	db_close(&db);
	return (st);
}

/* The bookings of `person`, newest session first, as a JSON array. */
int
db_booking_mine(long long person, cJSON **out)
{
	char		 pid[24];
	const char	*params[1] = { pid };

	snprintf(pid, sizeof(pid), "%lld", person);
	return (db_json(booking_sql[Q_MINE], 1, params, out));
}

static int
booking_answer(struct db *db, const char *bid, cJSON **out)
{
	const char	*params[1] = { bid };
	int		 st;

	if ((st = db_exec(db, booking_sql[Q_ANSWER], 1, params)) != DB_OK)
		return (st);
	if ((*out = cJSON_Parse(db_value(db, 0, 0))) == NULL)
		return (DB_ERR);
	return (DB_OK);
}

/*
 * Write the mail about booking `bid` into the outbox, with its calendar
 * invitation attached when `attach` is set.
 */
static int
booking_mail(struct db *db, const char *bid, const char *subject,
    const char *opening, int attach)
{
	struct ical_out	 ics;
	const char	*params[3] = { bid, subject, opening };
	char		 mid[24];
	int		 st;

	if ((st = db_exec(db, booking_sql[Q_MAIL], 3, params)) != DB_OK ||
	    !attach || db_rows(db) == 0)
		return (st);
	snprintf(mid, sizeof(mid), "%s", db_value(db, 0, 0));
	if ((st = booking_ics(db, bid, &ics)) != DB_OK)
		return (st);
	params[0] = mid;
	params[1] = ics.data;
	st = db_exec(db, booking_sql[Q_ATTACH], 2, params);
	ical_out_free(&ics);
	return (st);
}

/* The calendar invitation of booking `bid` as it stands, into `ics`. */
static int
booking_ics(struct db *db, const char *bid, struct ical_out *ics)
{
	struct ical_event	 e;
	const char		*params[1] = { bid };
	cJSON			*row;
	char			 uid[96];
	int			 st;

	memset(ics, 0, sizeof(*ics));
	if ((st = db_exec(db, booking_sql[Q_CALENDAR], 1, params)) != DB_OK)
		return (st);
	if (db_rows(db) == 0 || (row = cJSON_Parse(db_value(db, 0, 0))) ==
	    NULL)
		return (DB_ERR);
	booking_event(row, strtoll(bid, NULL, 10), uid, sizeof(uid), &e);
	st = ical_write(&e, ics) == 0 ? DB_OK : DB_ERR;
	cJSON_Delete(row);
	return (st);
}

/*
 * Fill `e` from the calendar row `row` of booking `id` (strings belong
 * to `row`; the UID is written into `uid`).
 */
void
booking_event(const cJSON *row, long long id, char *uid, size_t len,
    struct ical_event *e)
{
	const cJSON	*v;

	memset(e, 0, sizeof(*e));
	snprintf(uid, len, "booking-%lld@safeguarding-training-portal", id);
	e->uid = uid;
	e->sequence = cJSON_GetObjectItem(row, "sequence")->valueint;
	e->cancelled = cJSON_IsTrue(cJSON_GetObjectItem(row, "cancelled"));
	e->starts_at = (long long)cJSON_GetObjectItem(row,
	    "starts_at")->valuedouble;
	e->ends_at = (long long)cJSON_GetObjectItem(row, "ends_at")->valuedouble;
	e->stamp = (long long)cJSON_GetObjectItem(row, "stamp")->valuedouble;
	v = cJSON_GetObjectItem(row, "summary");
	e->summary = cJSON_IsString(v) ? v->valuestring : NULL;
	v = cJSON_GetObjectItem(row, "location");
	e->location = cJSON_IsString(v) ? v->valuestring : NULL;
	v = cJSON_GetObjectItem(row, "description");
	e->description = cJSON_IsString(v) ? v->valuestring : NULL;
	v = cJSON_GetObjectItem(row, "attendee_email");
	e->attendee_email = cJSON_IsString(v) ? v->valuestring : NULL;
	v = cJSON_GetObjectItem(row, "attendee_name");
	e->attendee_name = cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * What the calendar invitation of `booking` says, as JSON in `*out`
 * (caller owns): DB_OK, or DB_NOTFOUND when there is no such booking or
 * it is someone else's and `any` (a coordinator) is not set.
 */
int
db_booking_calendar(long long booking, long long actor, int any, cJSON **out)
{
	struct db	 db;
	char		 bid[24];
	const char	*params[1] = { bid };
	const cJSON	*who;
	int		 st;

	snprintf(bid, sizeof(bid), "%lld", booking);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, booking_sql[Q_CALENDAR], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0 || (*out = cJSON_Parse(db_value(&db, 0, 0))) ==
	    NULL) {
		st = db_rows(&db) == 0 ? DB_NOTFOUND : DB_ERR;
		goto out;
	}
	who = cJSON_GetObjectItem(*out, "person_id");
	if (!any && (long long)who->valuedouble != actor) {
		cJSON_Delete(*out);
		*out = NULL;
		st = DB_NOTFOUND;
	}
out:
	db_close(&db);
	return (st);
}

/*
 * Change session `session` (NULL members of `c` are kept) as `actor`.
 * Raising the capacity promotes from the waitlist at once; lowering it
 * below the confirmed places is DB_CONFLICT; times the schema refuses
 * are DB_INVALID; trainers that are not trainers are named in `fields`.
 */
int
db_booking_session_update(long long session, const struct session_change *c,
    long long actor, cJSON *fields)
{
	struct db	 db;
	char		 sid[24], who[24], cap[24], cut[24];
	const char	*params[8];
	int		 st;

	snprintf(sid, sizeof(sid), "%lld", session);
	snprintf(who, sizeof(who), "%lld", actor);
	snprintf(cap, sizeof(cap), "%ld", c->capacity);
	snprintf(cut, sizeof(cut), "%ld", c->cancel_cutoff_hours);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = sid;
	if ((st = db_exec(&db, booking_sql[Q_SESSION_LOCK], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if (c->capacity >= 0 && c->capacity < db_int(&db, 0, 0)) {
		st = DB_CONFLICT;
		goto out;
	}
	params[1] = c->starts_at;
	params[2] = c->ends_at;
	params[3] = c->venue;
	params[4] = c->capacity >= 0 ? cap : NULL;
	params[5] = c->booking_opens_at;
	params[6] = c->booking_closes_at;
	params[7] = c->cancel_cutoff_hours >= 0 ? cut : NULL;
	if ((st = db_exec(&db, booking_sql[Q_SESSION_UPDATE], 8, params)) !=
	    DB_OK) {
		if (st == DB_INVALID)
			cJSON_AddStringToObject(fields, "ends_at", "The session "
			    "must end after it starts, and bookings must close "
			    "by its end, after they open.");
		goto out;
	}
	if (c->trainer_ids != NULL) {
		if ((st = db_exec(&db, booking_sql[Q_SESSION_TRAINERS_DELETE],
		    1, params)) != DB_OK)
			goto out;
		params[1] = c->trainer_ids;
		if ((st = db_exec(&db, booking_sql[Q_SESSION_TRAINERS], 2,
		    params)) != DB_OK)
			goto out;
		if (db_rows(&db) != c->trainers) {
			cJSON_AddStringToObject(fields, "trainer_ids",
			    "Each must be a person with the trainer role.");
			st = DB_INVALID;
			goto out;
		}
	}
	if ((st = booking_promote(&db, sid)) != DB_OK)
		goto out;
	params[0] = who;
	params[1] = "session.update";
	params[2] = sid;
	params[3] = "{}";
	if ((st = db_exec(&db, booking_sql[Q_AUDIT], 4, params)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * Cancel session `session` for `reason` as `actor`: every live booking
 * is cancelled by the board and its person told, in one transaction.
 * DB_NOTFOUND no such session; DB_CONFLICT cancelled already.
 */
int
db_booking_session_cancel(long long session, const char *reason,
    long long actor)
{
	struct db	 db;
	char		 sid[24], who[24];
	const char	*params[4];
	cJSON		*detail;
	char		*text;
	int		 st;

	snprintf(sid, sizeof(sid), "%lld", session);
	snprintf(who, sizeof(who), "%lld", actor);
	text = NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = sid;
	if ((st = db_exec(&db, booking_sql[Q_SESSION_LOCK], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	params[1] = reason;
	if ((st = db_exec(&db, booking_sql[Q_SESSION_CANCEL], 2, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_CONFLICT;
		goto out;
	}
	if ((st = db_exec(&db, booking_sql[Q_BOARD_CANCEL], 1, params)) !=
	    DB_OK)
		goto out;
	detail = cJSON_CreateObject();
	cJSON_AddStringToObject(detail, "reason", reason);
	cJSON_AddNumberToObject(detail, "bookings", db_rows(&db));
	text = cJSON_PrintUnformatted(detail);
	cJSON_Delete(detail);
	if ((st = booking_mail_each(&db, "Session cancelled", reason, 1)) !=
	    DB_OK)
		goto out;
	params[0] = who;
	params[1] = "session.cancel";
	params[2] = sid;
	params[3] = text;
	if ((st = db_exec(&db, booking_sql[Q_AUDIT], 4, params)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	cJSON_free(text);
	db_close(&db);
	return (st);
}

/*
 * Promote from the waitlist of session `sid` (locked by the caller) into
 * every free place, and tell each person promoted.
 */
static int
booking_promote(struct db *db, const char *sid)
{
	const char	*params[1] = { sid };
	int		 st;

	if ((st = db_exec(db, booking_sql[Q_PROMOTE], 1, params)) != DB_OK)
		return (st);
	return (booking_mail_each(db, "A place has come up", "A place has "
	    "come up on this course and it is yours: your booking is "
	    "confirmed.", 1));
}

/*
 * Mail the person of each booking whose id is in the first column of the
 * last result of `db`.
 */
static int
booking_mail_each(struct db *db, const char *subject, const char *opening,
    int attach)
{
	long long	*ids;
	char		 bid[24];
	int		 i, n, st;

	if ((n = db_rows(db)) == 0)
		return (DB_OK);
	if ((ids = calloc((size_t)n, sizeof(*ids))) == NULL)
		return (DB_ERR);
	for (i = 0; i < n; i++)
		ids[i] = db_int(db, i, 0);
	st = DB_OK;
	for (i = 0; i < n && st == DB_OK; i++) {
		snprintf(bid, sizeof(bid), "%lld", ids[i]);
		st = booking_mail(db, bid, subject, opening, attach);
	}
	free(ids);
	return (st);
}
