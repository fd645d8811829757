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
#include "db_audit.h"
#include "db_booking.h"
#include "ical.h"
#include "outbox_sql.h"
#include "site.h"
#include "sqlparam.h"
#include "when_sql.h"

enum {
	Q_LOCK,
	Q_BY_KEY,
	Q_LIVE,
	Q_OVERLAP,
	Q_CONFIRM,
	Q_WAITLIST,
	Q_COUNT_CONFIRMED,
	Q_COUNT_WAITLISTED,
	Q_ROOM,
	Q_QUEUE,
	Q_PROMOTE_ONE,
	Q_PROMOTED,
	Q_ANSWER,
	Q_MAIL,
	Q_CANCEL_SESSION,
	Q_CANCEL,
	Q_MINE,
	Q_CALENDAR,
	Q_SESSION_LOCK,
	Q_SESSION_CLASH,
	Q_SESSION_UPDATE,
	Q_RESCHEDULED,
	Q_SESSION_TRAINERS_DELETE,
	Q_SESSION_TRAINERS,
	Q_SESSION_CANCEL,
	Q_BOARD_CANCEL,
	Q_ATTACH,
	Q_PERSON_LIVE,
	Q__MAX
};

#define ISO(x)	"to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"

static const char *const booking_sql[Q__MAX] = {
	/* $1 session, $2 person, $3 booked by: lock the session. May the
	 * booker see it (its course published, or a coordinator); is the
	 * booker a coordinator; is it open for booking now; is there room;
	 * is the person at one of the course's group levels; the course's
	 * levels and the person's, by name */
	[Q_LOCK] =
	"SELECT c.published OR k.coordinator, k.coordinator,"
	"       s.status = 'scheduled' AND s.starts_at > now()"
	"       AND now() >= s.booking_opens_at AND now() <= s.booking_closes_at,"
	"       s.confirmed_count < s.capacity,"
	"       EXISTS (SELECT 1 FROM course_group_levels x JOIN people p"
	"                 ON p.group_level_id = x.group_level_id"
	"                WHERE x.course_id = c.id AND p.id = $2::bigint),"
	"       (SELECT string_agg(l.name, ', ' ORDER BY l.rank)"
	"          FROM course_group_levels x JOIN group_levels l"
	"            ON l.id = x.group_level_id WHERE x.course_id = c.id),"
	"       (SELECT l.name FROM people p JOIN group_levels l"
	"            ON l.id = p.group_level_id WHERE p.id = $2::bigint)"
	"  FROM sessions s JOIN courses c ON c.id = s.course_id,"
	"       LATERAL (SELECT EXISTS (SELECT 1 FROM account_roles r"
	"                 WHERE r.person_id = $3::bigint"
	"                   AND r.role = 'coordinator') AS coordinator) k"
	" WHERE s.id = $1::bigint FOR UPDATE OF s",

	/* $1 person, $2 key */
	[Q_BY_KEY] =
	"SELECT id, session_id FROM bookings"
	" WHERE person_id = $1::bigint AND idempotency_key = $2",

	/* $1 session, $2 person */
	[Q_LIVE] =
	"SELECT 1 FROM bookings WHERE session_id = $1::bigint"
	"   AND person_id = $2::bigint AND status IN ('confirmed', 'waitlisted')",

	/* $1 session, $2 person: a confirmed place elsewhere at that time
	 * (the exclusion constraint bookings_no_overlap is the guarantee;
	 * this names the case before trying) */
	[Q_OVERLAP] =
	"SELECT o.id, c.title,"
	"       " WHEN_SQL("o.starts_at") " || ' to '"
	"       || " WHEN_SQL_CLOCK("o.ends_at")
	"  FROM sessions s JOIN bookings b ON b.person_id = $2::bigint"
	"  JOIN sessions o ON o.id = b.session_id"
	"  JOIN courses c ON c.id = o.course_id"
	" WHERE s.id = $1::bigint AND b.status = 'confirmed'"
	"   AND b.session_id <> s.id"
	"   AND b.during && tstzrange(s.starts_at, s.ends_at)"
	" ORDER BY o.starts_at LIMIT 1",

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

	/* $1 session (locked): free places, if it still takes promotions */
	[Q_ROOM] =
	"SELECT greatest(capacity - confirmed_count, 0) FROM sessions"
	" WHERE id = $1::bigint AND status = 'scheduled' AND starts_at > now()",

	/* $1 session: its waitlist in order; is each person busy then (a
	 * confirmed place at an overlapping time)? */
	[Q_QUEUE] =
	"SELECT w.id, EXISTS (SELECT 1 FROM bookings o"
	"         WHERE o.person_id = w.person_id AND o.status = 'confirmed'"
	"           AND o.during && w.during)"
	"  FROM bookings w WHERE w.session_id = $1::bigint"
	"   AND w.status = 'waitlisted' ORDER BY w.waitlist_position",

	/* $1 booking: from the waitlist to a confirmed place */
	[Q_PROMOTE_ONE] =
	"UPDATE bookings SET status = 'confirmed', confirmed_at = now(),"
	"       waitlist_position = NULL, ics_sequence = ics_sequence + 1,"
	"       reminded_at = NULL"
	" WHERE id = $1::bigint AND status = 'waitlisted'",

	/* $1 session, $2 how many were promoted */
	[Q_PROMOTED] =
	"UPDATE sessions SET confirmed_count = confirmed_count + $2::int,"
	"       waitlist_count = waitlist_count - $2::int"
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

	/* $1 booking, $2 subject, $3 opening sentence, $4 the portal's
	 * address (links in mail are absolute) */
	[Q_MAIL] =
	OUTBOX_SQL_MAIL
	"p.email, $2 || ': ' || c.title,"
	"  'Dear ' || p.full_name || E',\\n\\n' || $3 || E'\\n\\n'"
	"  || c.title || E'\\n'"
	"  || " WHEN_SQL("s.starts_at") " || ' to '"
	"  || " WHEN_SQL_CLOCK("s.ends_at")
	"  || E'\\n' || s.venue || E'\\n\\n'"
	"  || CASE WHEN b.status = 'confirmed' AND s.joining_details IS NOT NULL"
	"     THEN E'How to join: ' || s.joining_details || E'\\n\\n' ELSE '' END"
	"  || E'Your bookings: ' || $4 || E'/bookings\\n'"
	"  FROM bookings b JOIN people p ON p.id = b.person_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	" WHERE b.id = $1::bigint AND p.email IS NOT NULL "
	"RETURNING id",

	/* $1 booking: lock its session; has it not started yet, is it late,
	 * whose */
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
	"  'had_place', b.confirmed_at IS NOT NULL,"
	"  'joining_details', CASE WHEN b.status = 'confirmed'"
	"    THEN s.joining_details END,"
	"  'upcoming', s.ends_at > now(),"
	"  'calendar', CASE WHEN b.status <> 'waitlisted' THEN"
	"    '/api/v1/bookings/' || b.id || '/calendar.ics' END)"
	"  ORDER BY s.starts_at DESC, b.id), '[]')"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	" WHERE b.person_id = $1::bigint",

	/* $1 booking */
	[Q_CALENDAR] =
	"SELECT json_build_object('person_id', b.person_id,"
	"  'sequence', b.ics_sequence,"
	"  'waitlisted', b.status = 'waitlisted',"
	"  'cancelled', b.status IN ('cancelled', 'late_cancelled',"
	"     'board_cancelled') OR s.status = 'cancelled',"
	"  'starts_at', extract(epoch FROM s.starts_at)::bigint,"
	"  'ends_at', extract(epoch FROM s.ends_at)::bigint,"
	"  'stamp', extract(epoch FROM now())::bigint,"
	"  'summary', c.title, 'location', s.venue,"
	"  'description', c.summary || E'\n\nTrainers: ' || coalesce((SELECT"
	"     string_agg(p.full_name, ', ' ORDER BY p.full_name)"
	"     FROM session_trainers t JOIN people p ON p.id = t.person_id"
	"    WHERE t.session_id = s.id), 'to be confirmed')"
	"    || CASE WHEN b.status = 'confirmed' AND s.joining_details IS NOT"
	"       NULL THEN E'\\n\\nHow to join: ' || s.joining_details ELSE '' END,"
	"  'attendee_email', p.email, 'attendee_name', p.full_name)"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE b.id = $1::bigint",

	/* $1 session */
	[Q_SESSION_LOCK] =
	"SELECT confirmed_count, status FROM sessions WHERE id = $1::bigint"
	"   FOR UPDATE",

	/* $1 session, $2 new start, $3 new end (NULL keeps): the confirmed
	 * places on it whose people hold another at the new time */
	[Q_SESSION_CLASH] =
	"SELECT count(*), string_agg(b.id::text, ', ' ORDER BY b.id)"
	"  FROM sessions s JOIN bookings b ON b.session_id = s.id"
	" WHERE s.id = $1::bigint AND b.status = 'confirmed'"
	"   AND coalesce($2::timestamptz, s.starts_at) <"
	"       coalesce($3::timestamptz, s.ends_at)"
	"   AND EXISTS (SELECT 1 FROM bookings o WHERE o.person_id = b.person_id"
	"        AND o.status = 'confirmed' AND o.session_id <> s.id"
	"        AND o.during && tstzrange(coalesce($2::timestamptz, s.starts_at),"
	"                                  coalesce($3::timestamptz, s.ends_at)))",

	/* $1 session, $2 start, $3 end, $4 venue, $5 capacity, $6 opens,
	 * $7 closes, $8 cut-off: NULL keeps what is there. Did the time or
	 * the place change? */
	[Q_SESSION_UPDATE] =
	"UPDATE sessions s SET starts_at = coalesce($2::timestamptz, s.starts_at),"
	"       ends_at = coalesce($3::timestamptz, s.ends_at),"
	"       venue = coalesce($4, s.venue),"
	"       capacity = coalesce($5::int, s.capacity),"
	"       booking_opens_at = coalesce($6::timestamptz, s.booking_opens_at),"
	"       booking_closes_at = coalesce($7::timestamptz,"
	"                                    s.booking_closes_at),"
	"       cancel_cutoff_hours = coalesce($8::int, s.cancel_cutoff_hours),"
	"       joining_details = CASE WHEN $9::text IS NULL"
	"         THEN s.joining_details ELSE nullif($9::text, '') END"
	"  FROM sessions old WHERE old.id = s.id AND s.id = $1::bigint "
	"RETURNING (s.starts_at, s.ends_at, s.venue, s.joining_details)"
	"          IS DISTINCT FROM"
	"          (old.starts_at, old.ends_at, old.venue, old.joining_details)",

	/* $1 session, $2 status: its live bookings of that status get a new
	 * invitation (SEQUENCE up) and a new reminder */
	[Q_RESCHEDULED] =
	"UPDATE bookings SET ics_sequence = ics_sequence + 1, reminded_at = NULL"
	" WHERE session_id = $1::bigint AND status = $2 "
	"RETURNING id",

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

	/* $1 outbox id, $2 calendar */
	[Q_ATTACH] =
	"UPDATE email_outbox SET ics = $2 WHERE id = $1::bigint",

	/* $1 person: their live bookings of sessions still to come, and
	 * those sessions locked (in id order, as everyone locks them) */
	[Q_PERSON_LIVE] =
	"SELECT b.id, s.id FROM bookings b JOIN sessions s ON s.id = b.session_id"
	" WHERE b.person_id = $1::bigint"
	"   AND b.status IN ('confirmed', 'waitlisted') AND s.starts_at > now()"
	" ORDER BY s.id FOR UPDATE OF s",
};

struct booking_case;
static enum db_status	booking_session_clash(struct db *, const char *,
		    const struct session_change *, cJSON *);
static enum db_status	booking_session_trainers(struct db *, const char *,
		    const struct session_change *, cJSON *);
static enum db_status	booking_case_fetch(struct db *, const char *,
		    const char *, const char *, const char *,
		    struct booking_case *);
static enum db_status	booking_place(struct db *, const char *, const char *,
		    const char *, const char *, int, char [24],
		    enum booking_result *);
static enum db_status	booking_answer(struct db *, const char *, cJSON **);
static enum db_status	booking_promote(struct db *, const char *);
static enum db_status	booking_rescheduled(struct db *, const char *);
static enum db_status	booking_mail_each(struct db *, const char *, const char *,
		    int);
static enum db_status	booking_mail(struct db *, const char *, const char *,
		    const char *, int);
static enum db_status	booking_ics(struct db *, const char *, struct ical_out *);

/*
 * What db_booking_create() learns under the session's lock before it
 * decides: the facts booking_decide() rules on, the booking an earlier
 * request with the same Idempotency-Key made, and the details a refusal
 * names (the course's levels and the person's, the clashing session).
 */
struct booking_case {
	struct booking_facts	 f;
	char			 key_booking[24]; /* when f.key_session */
	cJSON			*levels;	/* when not eligible:
						 * {"course_levels",
						 * "group_level"} */
	cJSON			*clash;		/* when it overlaps:
						 * {"session_id","title",
						 * "when"} */
};

/*
 * Lock session `sid` and fetch the facts of booking it for person `pid`
 * by `who` with Idempotency-Key `key` (or NULL) into `c` (zeroed here;
 * its cJSON objects are the caller's to free). Returns the db_status.
 */
static enum db_status
booking_case_fetch(struct db *db, const char *sid, const char *pid,
    const char *who, const char *key, struct booking_case *c)
{
	const char		*params[3];
	enum db_status		 st;

	memset(c, 0, sizeof(*c));

	/* The session, locked: may the booker see it, is it open, is
	 * there room, is the person at one of its levels. */
	params[0] = sid;
	params[1] = pid;
	params[2] = who;
	if ((st = db_exec(db, booking_sql[Q_LOCK], 3, params)) != DB_OK)
		return (st);
	if (db_rows(db) == 0 || db_value(db, 0, 0)[0] != 't')
		return (DB_OK);
	c->f.visible = 1;
	c->f.coordinator = db_value(db, 0, 1)[0] == 't';
	c->f.open = db_value(db, 0, 2)[0] == 't';
	c->f.room = db_value(db, 0, 3)[0] == 't';
	c->f.eligible = db_value(db, 0, 4)[0] == 't';
	if (!c->f.eligible && !c->f.coordinator) {
		c->levels = cJSON_CreateObject();
		cJSON_AddStringToObject(c->levels, "course_levels",
		    db_value(db, 0, 5));
		if (db_isnull(db, 0, 6))
			cJSON_AddNullToObject(c->levels, "group_level");
		else
			cJSON_AddStringToObject(c->levels, "group_level",
			    db_value(db, 0, 6));
	}

	/* What the Idempotency-Key booked before, if anything. */
	if (key != NULL) {
		params[0] = pid;
		params[1] = key;
		if ((st = db_exec(db, booking_sql[Q_BY_KEY], 2, params)) !=
		    DB_OK)
			return (st);
		if (db_rows(db) > 0) {
			c->f.key_session = db_int(db, 0, 1);
			snprintf(c->key_booking, sizeof(c->key_booking), "%s",
			    db_value(db, 0, 0));
		}
	}

	/* A live booking of this session, and a clash with another. */
	params[0] = sid;
	params[1] = pid;
	if ((st = db_exec(db, booking_sql[Q_LIVE], 2, params)) != DB_OK)
		return (st);
	c->f.held = db_rows(db) > 0;
	if ((st = db_exec(db, booking_sql[Q_OVERLAP], 2, params)) != DB_OK)
		return (st);
	if (db_rows(db) > 0) {
		c->f.overlap = 1;
		c->clash = cJSON_CreateObject();
		cJSON_AddNumberToObject(c->clash, "session_id",
		    (double)db_int(db, 0, 0));
		cJSON_AddStringToObject(c->clash, "title", db_value(db, 0, 1));
		cJSON_AddStringToObject(c->clash, "when", db_value(db, 0, 2));
	}
	return (DB_OK);
}

/*
 * Write the place booking_decide() gave person `pid` on session `sid`
 * (a confirmed place when `confirmed`, else the waitlist), by `who` with
 * Idempotency-Key `key` (or NULL): the booking, the session's counts and
 * the mail. The new booking's id goes to `bid` (24 bytes). When a
 * concurrent request won the place, `*result` says what it won:
 * BOOKING_KEY_REUSED or BOOKING_OVERLAP (else it is left alone).
 * Returns the db_status.
 */
static enum db_status
booking_place(struct db *db, const char *sid, const char *pid,
    const char *who, const char *key, int confirmed, char bid[24],
    enum booking_result *result)
{
	const char		*params[4], *broke;
	enum db_status		 st;

	/* The booking. */
	params[0] = sid;
	params[1] = pid;
	params[2] = key;
	params[3] = who;
	if ((st = db_exec(db, booking_sql[confirmed ? Q_CONFIRM :
	    Q_WAITLIST], 4, params)) != DB_OK) {
		/* What a concurrent request won: the same key on another
		 * session, a confirmed place at the same time, or a live
		 * booking on this session. */
		broke = db_constraint(db);
		if (st == DB_CONFLICT && strcmp(broke,
		    "bookings_idempotency") == 0)
			*result = BOOKING_KEY_REUSED;
		else if (st == DB_CONFLICT && strcmp(broke,
		    "bookings_no_overlap") == 0)
			*result = BOOKING_OVERLAP;
		return (st);
	}
	snprintf(bid, 24, "%s", db_value(db, 0, 0));

	/* The session's counts. */
	params[1] = "1";
	params[2] = "1";
	if ((st = db_exec(db, booking_sql[confirmed ? Q_COUNT_CONFIRMED :
	    Q_COUNT_WAITLISTED], confirmed ? 2 : 3, params)) != DB_OK)
		return (st);

	/* The mail that tells the person. */
	return (booking_mail(db, bid, confirmed ? "Booking confirmed" :
	    "You are on the waitlist", confirmed ? "Your place is booked on "
	    "this course." : "The course is full, so you are on its "
	    "waitlist. We will tell you when a place comes up.", confirmed));
}

/*
 * Book session `session` for `person`, by `by` (the person, or a
 * coordinator for them), with Idempotency-Key `key` (or NULL), in one
 * transaction holding the session's row lock: fetch the facts, let
 * booking_decide() rule, and write what it decides (the booking, the
 * session's counts, the mail). `*result` says what came of it; `*out`
 * (caller owns) is the booking on BOOKING_CONFIRMED, BOOKING_WAITLISTED
 * and BOOKING_REPEATED, {"course_levels","group_level"} on
 * BOOKING_NOT_ELIGIBLE, the clash {"session_id","title","when"} on
 * BOOKING_OVERLAP when it is known. Returns the db_status.
 */
enum db_status
db_booking_create(long long session, long long person, long long by,
    const char *key, cJSON **out, enum booking_result *result)
{
	struct booking_case	 c;
	struct db		 db;
	char			 sid[24], pid[24], bid[24], who[24];
	enum booking_result	 decided;
	enum db_status		 st;

	memset(&c, 0, sizeof(c));
	sqlparam_id(sid, session);
	sqlparam_id(pid, person);
	sqlparam_id(who, by);
	*result = BOOKING_FAILED;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;

	/* The facts, under the session's lock, and the rule's decision. */
	if ((st = booking_case_fetch(&db, sid, pid, who, key, &c)) != DB_OK)
		goto out;
	decided = booking_decide(&c.f, session);

	/* A decision that books nothing answers with what it found. */
	switch (decided) {
	case BOOKING_REPEATED:
		if ((st = booking_answer(&db, c.key_booking, out)) == DB_OK)
			*result = decided;
		goto out;
	case BOOKING_NOT_ELIGIBLE:
		*out = c.levels;
		c.levels = NULL;
		*result = decided;
		goto out;
	case BOOKING_OVERLAP:
		*out = c.clash;
		c.clash = NULL;
		*result = decided;
		goto out;
	case BOOKING_CONFIRMED:
	case BOOKING_WAITLISTED:
		break;
	default:
		*result = decided;
		goto out;
	}

	/* The place, the session's counts, the mail, the answer. */
	if ((st = booking_place(&db, sid, pid, who, key,
	    decided == BOOKING_CONFIRMED, bid, result)) != DB_OK)
		goto out;
	if ((st = booking_answer(&db, bid, out)) != DB_OK)
		goto out;
	if ((st = db_commit(&db)) == DB_OK)
		*result = decided;
out:
	if (*result == BOOKING_FAILED && st == DB_CONFLICT)
		*result = BOOKING_HELD;
	cJSON_Delete(c.levels);
	cJSON_Delete(c.clash);
	db_close(&db);
	return (st);
}

/*
 * Cancel booking `booking` for `actor` (a coordinator when `any` is set,
 * else only their own). A confirmed place goes to the first on the
 * waitlist in the same transaction; both people are told. On
 * CANCEL_DONE `*out` is the booking (caller owns).
 */
enum db_status
db_booking_cancel(long long booking, long long actor, int any, cJSON **out,
    enum cancel_result *result)
{
	struct db	 db;
	char		 bid[24], sid[24];
	const char	*params[3];
	int		 st, late, future, was_confirmed;

	sqlparam_id(bid, booking);
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
	/* From the start, only the register changes a booking. */
	if (!future) {
		*result = CANCEL_STARTED;
		goto out;
	}

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

	if (was_confirmed && (st = booking_promote(&db, sid)) != DB_OK)
		goto out;
	if ((st = booking_answer(&db, bid, out)) != DB_OK)
		goto out;
	if ((st = db_commit(&db)) == DB_OK)
		*result = CANCEL_DONE;
out:
	db_close(&db);
	return (st);
}

/*
 * In the caller's transaction on `db`: cancel every live booking of
 * person `pid` on a session still to come (erasure), each freed place
 * going to that session's waitlist at once. The person is not mailed.
 */
enum db_status
db_booking_release_person(struct db *db, const char *pid)
{
	const char	*params[3];
	long long	*ids;
	char		 bid[24], sid[24];
	int		 i, n, st, was_confirmed;

	params[0] = pid;
	if ((st = db_exec(db, booking_sql[Q_PERSON_LIVE], 1, params)) !=
	    DB_OK || (n = db_rows(db)) == 0)
		return (st);
	if ((ids = calloc((size_t)n * 2, sizeof(*ids))) == NULL)
		return (DB_ERR);
	for (i = 0; i < n; i++) {
		ids[2 * i] = db_int(db, i, 0);
		ids[2 * i + 1] = db_int(db, i, 1);
	}
	for (i = 0; i < n && st == DB_OK; i++) {
		sqlparam_id(bid, ids[2 * i]);
		sqlparam_id(sid, ids[2 * i + 1]);
		params[0] = bid;
		params[1] = "cancelled";
		if ((st = db_exec(db, booking_sql[Q_CANCEL], 2, params)) !=
		    DB_OK || db_rows(db) == 0)
			continue;
		was_confirmed = strcmp(db_value(db, 0, 0), "confirmed") == 0;
		params[0] = sid;
		params[1] = "-1";
		params[2] = "0";
		if ((st = db_exec(db, booking_sql[was_confirmed ?
		    Q_COUNT_CONFIRMED : Q_COUNT_WAITLISTED], was_confirmed ? 2 :
		    3, params)) == DB_OK && was_confirmed)
			st = booking_promote(db, sid);
	}
	free(ids);
	return (st);
}

/* The bookings of `person`, newest session first, as a JSON array. */
enum db_status
db_booking_mine(long long person, cJSON **out)
{
	char		 pid[24];
	const char	*params[1] = { pid };

	sqlparam_id(pid, person);
	return (db_json(booking_sql[Q_MINE], 1, params, out));
}

static enum db_status
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
static enum db_status
booking_mail(struct db *db, const char *bid, const char *subject,
    const char *opening, int attach)
{
	struct ical_out	 ics;
	const char	*params[4] = { bid, subject, opening, NULL };
	char		 mid[24];
	int		 st;

	params[3] = site_public_url();
	if ((st = db_exec(db, booking_sql[Q_MAIL], 4, params)) != DB_OK ||
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
static enum db_status
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
 * What the calendar invitation of `booking` says, as JSON in `*out`
 * (caller owns): DB_OK, or DB_NOTFOUND when there is no such booking or
 * it is someone else's and `any` (a coordinator) is not set.
 */
enum db_status
db_booking_calendar(long long booking, long long actor, int any, cJSON **out)
{
	struct db	 db;
	char		 bid[24];
	const char	*params[1] = { bid };
	const cJSON	*who;
	int		 st;

	sqlparam_id(bid, booking);
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
 * below the confirmed places is DB_CONFLICT; new times at which someone
 * booked holds another confirmed place are DB_CONFLICT too, named in
 * `fields`; times the schema refuses are DB_INVALID; trainers that are
 * not trainers are named in `fields`. A new time or place is a
 * rescheduling: everyone booked is mailed (those with a place, the
 * updated invitation) and reminded again, in the same transaction.
 */
enum db_status
db_booking_session_update(long long session, const struct session_change *c,
    long long actor, cJSON *fields)
{
	struct db	 db;
	char		 sid[24], cap[24], cut[24];
	const char	*params[9];
	int		 st, moved;

	sqlparam_id(sid, session);
	snprintf(cap, sizeof(cap), "%ld", c->capacity);
	snprintf(cut, sizeof(cut), "%ld", c->cancel_cutoff_hours);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;

	/* The session, locked; its capacity stays at least its confirmed
	 * places. */
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

	/* New times clash with no one's other confirmed place. */
	if ((c->starts_at != NULL || c->ends_at != NULL) &&
	    (st = booking_session_clash(&db, sid, c, fields)) != DB_OK)
		goto out;

	/* The session's new values; whether it moved in time or place. */
	params[1] = c->starts_at;
	params[2] = c->ends_at;
	params[3] = c->venue;
	params[4] = c->capacity >= 0 ? cap : NULL;
	params[5] = c->booking_opens_at;
	params[6] = c->booking_closes_at;
	params[7] = c->cancel_cutoff_hours >= 0 ? cut : NULL;
	params[8] = c->joining_details;
	if ((st = db_exec(&db, booking_sql[Q_SESSION_UPDATE], 9, params)) !=
	    DB_OK) {
		if (st == DB_INVALID)
			cJSON_AddStringToObject(fields, "ends_at", "The session "
			    "must end after it starts, and bookings must close "
			    "by its end, after they open.");
		if (st == DB_CONFLICT)
			cJSON_AddStringToObject(fields, "starts_at", "At the "
			    "new time, someone booked holds a confirmed place "
			    "on another session.");
		goto out;
	}
	moved = db_value(&db, 0, 0)[0] == 't';

	/* Its trainers, when given, all of them people with the role. */
	if (c->trainer_ids != NULL &&
	    (st = booking_session_trainers(&db, sid, c, fields)) != DB_OK)
		goto out;

	/* Everyone booked told of a move; room made by a larger capacity
	 * goes to the waitlist; the audit row. */
	if (moved && (st = booking_rescheduled(&db, sid)) != DB_OK)
		goto out;
	if ((st = booking_promote(&db, sid)) != DB_OK)
		goto out;
	if ((st = db_audit(&db, actor, "session.update", "session", session,
	    NULL, moved ? "{\"rescheduled\": true}" : "{}")) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * Whether session `sid`'s new times in `c` (either may be NULL: kept)
 * clash with a confirmed place someone booked on it holds on another
 * session. Returns DB_CONFLICT, with the count and the bookings named
 * in `fields`, when they do; else the db_status.
 */
static enum db_status
booking_session_clash(struct db *db, const char *sid,
    const struct session_change *c, cJSON *fields)
{
	char		 msg[640];
	const char	*params[3];
	enum db_status	 st;

	params[0] = sid;
	params[1] = c->starts_at;
	params[2] = c->ends_at;
	if ((st = db_exec(db, booking_sql[Q_SESSION_CLASH], 3, params)) !=
	    DB_OK)
		return (st);
	if (db_int(db, 0, 0) == 0)
		return (DB_OK);
	snprintf(msg, sizeof(msg), "At the new time, %lld of the people "
	    "booked hold a confirmed place on another session (bookings "
	    "%.400s): cancel one of their places first.",
	    db_int(db, 0, 0), db_value(db, 0, 1));
	cJSON_AddStringToObject(fields, "starts_at", msg);
	return (DB_CONFLICT);
}

/*
 * Replace session `sid`'s trainers with c->trainer_ids. Returns
 * DB_INVALID, naming trainer_ids in `fields`, when one of them does not
 * have the trainer role; else the db_status.
 */
static enum db_status
booking_session_trainers(struct db *db, const char *sid,
    const struct session_change *c, cJSON *fields)
{
	enum db_status	 st;

	if ((st = db_replace_members(db,
	    booking_sql[Q_SESSION_TRAINERS_DELETE],
	    booking_sql[Q_SESSION_TRAINERS], sid, c->trainer_ids)) != DB_OK)
		return (st);
	if (db_rows(db) != c->trainers) {
		cJSON_AddStringToObject(fields, "trainer_ids",
		    "Each must be a person with the trainer role.");
		return (DB_INVALID);
	}
	return (DB_OK);
}

/*
 * Cancel session `session` for `reason` as `actor`: every live booking
 * is cancelled by the board and its person told, in one transaction.
 * DB_NOTFOUND no such session; DB_CONFLICT cancelled already.
 */
enum db_status
db_booking_session_cancel(long long session, const char *reason,
    long long actor)
{
	struct db	 db;
	char		 sid[24];
	const char	*params[4];
	cJSON		*detail;
	char		*text;
	int		 st;

	sqlparam_id(sid, session);
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
	if ((st = db_audit(&db, actor, "session.cancel", "session", session,
	    NULL, text)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	cJSON_free(text);
	db_close(&db);
	return (st);
}

/*
 * Promote from the waitlist of session `sid` (locked by the caller) into
 * every free place, first come first served, and tell each person
 * promoted. Someone with a confirmed place at an overlapping time is
 * passed over (told so, keeping their place in the queue); a place they
 * took at that time in a transaction still running (the constraint
 * bookings_no_overlap says so) passes them over too.
 */
static enum db_status
booking_promote(struct db *db, const char *sid)
{
	const char	*params[2] = { sid, NULL };
	struct queued {
		long long	 id;
		int		 busy;
	}		*queue;
	char		 bid[24], count[24];
	int		 i, n, room, promoted, st;

	if ((st = db_exec(db, booking_sql[Q_ROOM], 1, params)) != DB_OK ||
	    db_rows(db) == 0 || (room = (int)db_int(db, 0, 0)) == 0)
		return (st);
	if ((st = db_exec(db, booking_sql[Q_QUEUE], 1, params)) != DB_OK ||
	    (n = db_rows(db)) == 0)
		return (st);
	if ((queue = calloc((size_t)n, sizeof(*queue))) == NULL)
		return (DB_ERR);
	for (i = 0; i < n; i++) {
		queue[i].id = db_int(db, i, 0);
		queue[i].busy = db_value(db, i, 1)[0] == 't';
	}
	promoted = 0;
	for (i = 0; i < n && promoted < room && st == DB_OK; i++) {
		sqlparam_id(bid, queue[i].id);
		params[0] = bid;
		if (!queue[i].busy) {
			if ((st = db_exec(db, "SAVEPOINT promote", 0, NULL)) !=
			    DB_OK)
				break;
			st = db_exec(db, booking_sql[Q_PROMOTE_ONE], 1, params);
			if (st == DB_CONFLICT && strcmp(db_constraint(db),
			    "bookings_no_overlap") == 0) {
				queue[i].busy = 1;
				st = db_exec(db, "ROLLBACK TO SAVEPOINT promote",
				    0, NULL);
			} else if (st == DB_OK)
				st = db_exec(db, "RELEASE SAVEPOINT promote", 0,
				    NULL);
			if (st != DB_OK)
				break;
		}
		if (queue[i].busy)
			st = booking_mail(db, bid, "A place came up", "A place "
			    "came up on this course, but you have a confirmed "
			    "place on another session at the same time, so it "
			    "went to the next person on the waitlist. You keep "
			    "your place in the queue.", 0);
		else {
			promoted++;
			st = booking_mail(db, bid, "A place has come up", "A "
			    "place has come up on this course and it is yours: "
			    "your booking is confirmed.", 1);
		}
	}
	free(queue);
	if (st != DB_OK || promoted == 0)
		return (st);
	snprintf(count, sizeof(count), "%d", promoted);
	params[0] = sid;
	params[1] = count;
	return (db_exec(db, booking_sql[Q_PROMOTED], 2, params));
}

/*
 * Session `sid` (locked) has a new time or place: every live booking's
 * invitation gets a higher SEQUENCE and its reminder is due again; those
 * with a place get the updated invitation, those waiting the news.
 */
static enum db_status
booking_rescheduled(struct db *db, const char *sid)
{
	const char	*params[2] = { sid, "confirmed" };
	int		 st;

	if ((st = db_exec(db, booking_sql[Q_RESCHEDULED], 2, params)) !=
	    DB_OK || (st = booking_mail_each(db, "Session changed", "The time "
	    "or place of this course has changed. Here are the new details; "
	    "the invitation attached updates your calendar.", 1)) != DB_OK)
		return (st);
	params[1] = "waitlisted";
	if ((st = db_exec(db, booking_sql[Q_RESCHEDULED], 2, params)) !=
	    DB_OK)
		return (st);
	return (booking_mail_each(db, "Session changed", "The time or place "
	    "of this course has changed: here are the new details. You are "
	    "still on its waitlist.", 0));
}

/*
 * Mail the person of each booking whose id is in the first column of the
 * last result of `db`.
 */
static enum db_status
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
		sqlparam_id(bid, ids[i]);
		st = booking_mail(db, bid, subject, opening, attach);
	}
	free(ids);
	return (st);
}
