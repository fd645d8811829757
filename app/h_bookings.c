/*
 * h_bookings: booking places, cancelling them, one's own bookings.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "auth.h"
#include "booking.h"
#include "db_booking.h"
#include "db_training.h"
#include "field.h"
#include "ical.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_session_bookings(struct http_request *);
int	h_booking(struct http_request *);
int	h_my_bookings(struct http_request *);
int	h_booking_calendar(struct http_request *);

struct booking_reply;
static void	booking_not_eligible(struct http_request *,
		    const struct booking_reply *, const cJSON *);
static int	booking_person_read(struct http_request *,
		    const struct session_who *, long long *);
static void	booking_overlap(struct http_request *,
		    const struct booking_reply *, const cJSON *);

/*
 * What each booking result says: its status, and for a refusal the
 * error's code and message, and the field it names (with what it says of
 * it) or NULL. Not eligible and overlap say the details of the case
 * (booking_not_eligible() writes its message, booking_overlap() names
 * the clash).
 */
static const struct booking_reply {
	int		 status;
	const char	*code;
	const char	*message;
	const char	*field;
	const char	*field_message;
} booking_replies[BOOKING__MAX] = {
	[BOOKING_CONFIRMED] = { 201, NULL, NULL, NULL, NULL },
	[BOOKING_WAITLISTED] = { 201, NULL, NULL, NULL, NULL },
	[BOOKING_REPEATED] = { 200, NULL, NULL, NULL, NULL },
	[BOOKING_NO_SESSION] = { 404, "not_found",
	    "There is no such session.", NULL, NULL },
	[BOOKING_KEY_REUSED] = { 422, "invalid",
	    "Some values are not valid.", "Idempotency-Key",
	    "This key was used to book another session." },
	[BOOKING_CLOSED] = { 422, "booking_closed",
	    "This session is not taking bookings: it is cancelled, past, or "
	    "outside its booking window.", NULL, NULL },
	[BOOKING_NOT_ELIGIBLE] = { 422, "not_eligible", NULL, "group_level",
	    NULL },
	[BOOKING_HELD] = { 409, "already_booked",
	    "You already have a place or a waitlist place on this session.",
	    NULL, NULL },
	[BOOKING_OVERLAP] = { 409, "overlap",
	    "You have a confirmed place on another session at the same "
	    "time.", NULL, NULL },
	[BOOKING_FAILED] = { 500, NULL, NULL, NULL, NULL },
};

/*
 * POST /api/v1/sessions/{id}/bookings (signed in; body optional: a
 * coordinator may send {"person_id"} to book for someone), with an
 * optional Idempotency-Key header.
 * 201 {"id","status":"confirmed"|"waitlisted","waitlist_position",...};
 * the same key again: 200 with the booking that key made, even after
 * the booking window closed; 401; 403 person_id from a non-coordinator;
 * 404 no such session (or its course unpublished, for all but
 * coordinators); 409 a live booking on this session already, or a
 * confirmed place at the same time; 422 cancelled or past session,
 * outside the booking window, a key used for another session, or a
 * person at none of the course's group levels (unless a coordinator
 * books); 403 email_unverified: booking for oneself before the
 * account's e-mail address is proved.
 */
int
h_session_bookings(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/", .post = ACCESS_SIGNED_IN
	};
	struct session_who	 who;
	cJSON			*out, *fields;
	const struct booking_reply *r;
	const char		*key;
	long long		 session, person;
	enum booking_result	 result;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &session, NULL))
		return (KORE_RESULT_OK);

	/* Who is booked: the caller, or whom a coordinator names. */
	if (!booking_person_read(req, &who, &person))
		return (KORE_RESULT_OK);
	if (person == who.person_id && !who.verified) {
		reply_error(req, 403, "email_unverified", "Confirm your e-mail "
		    "address first: open the link we sent to it when you "
		    "created your account.", NULL);
		return (KORE_RESULT_OK);
	}

	/* The Idempotency-Key, when sent. */
	if (!http_request_header(req, "idempotency-key", &key))
		key = NULL;
	else if (strlen(key) == 0 || strlen(key) > 200 || !text_is_clean(key)) {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "Idempotency-Key",
		    "Must be 1 to 200 printable characters.");
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}

	/* The booking, and the answer its result maps to. */
	out = NULL;
	st = db_booking_create(session, person, who.person_id, key, &out,
	    &result);
	r = &booking_replies[result];
	if (result == BOOKING_FAILED)
		reply_db_failure(req, st);
	else if (result == BOOKING_NOT_ELIGIBLE)
		booking_not_eligible(req, r, out);
	else if (result == BOOKING_OVERLAP)
		booking_overlap(req, r, out);
	else if (r->code == NULL) {
		reply_json(req, r->status, out);
		out = NULL;
	} else {
		fields = NULL;
		if (r->field != NULL) {
			fields = cJSON_CreateObject();
			cJSON_AddStringToObject(fields, r->field,
			    r->field_message);
		}
		reply_error(req, r->status, r->code, r->message, fields);
	}
	cJSON_Delete(out);
	return (KORE_RESULT_OK);
}

/*
 * Read whom request `req` books, by `who`, into `*person`: `who`, or
 * the body's {"person_id"} when a coordinator names someone. Returns 1,
 * or 0 when it has answered instead: a body that cannot be read, 403
 * for someone else named by a non-coordinator, 422 for a person_id that
 * is not an id.
 */
static int
booking_person_read(struct http_request *req, const struct session_who *who,
    long long *person)
{
	const cJSON	*pid;
	cJSON		*body, *fields;

	*person = who->person_id;
	if (req->content_length == 0)
		return (1);
	if (!reply_read_json(req, &body))
		return (0);
	pid = cJSON_GetObjectItemCaseSensitive(body, "person_id");
	if (pid != NULL && !cJSON_IsNull(pid)) {
		if (!(who->roles & ROLE_COORDINATOR)) {
			cJSON_Delete(body);
			reply_error(req, 403, "forbidden", "Only a coordinator "
			    "books for someone else.", NULL);
			return (0);
		}
		if (field_id(pid, person) == -1) {
			cJSON_Delete(body);
			fields = cJSON_CreateObject();
			cJSON_AddStringToObject(fields, "person_id",
			    "Must be the id of a person.");
			reply_invalid(req, fields);
			return (0);
		}
	}
	cJSON_Delete(body);
	return (1);
}

/*
 * The overlap reply `r`, naming the person's session that clashes when
 * it is known ({"session_id","title","when"} from db_booking_create),
 * also in the error's "clash".
 */
static void
booking_overlap(struct http_request *req, const struct booking_reply *r,
    const cJSON *clash)
{
	const cJSON	*title, *when, *sid;
	cJSON		*body, *error;
	char		 msg[512];

	title = cJSON_GetObjectItem(clash, "title");
	when = cJSON_GetObjectItem(clash, "when");
	sid = cJSON_GetObjectItem(clash, "session_id");
	if (!cJSON_IsString(title) || !cJSON_IsString(when) ||
	    !cJSON_IsNumber(sid)) {
		reply_error(req, r->status, r->code, r->message, NULL);
		return;
	}
	snprintf(msg, sizeof(msg), "You have a confirmed place at the same "
	    "time: %s, %s.", title->valuestring, when->valuestring);
	body = cJSON_CreateObject();
	error = cJSON_AddObjectToObject(body, "error");
	cJSON_AddStringToObject(error, "code", r->code);
	cJSON_AddStringToObject(error, "message", msg);
	cJSON_AddItemToObject(error, "fields", cJSON_CreateObject());
	cJSON_AddItemToObject(error, "clash", cJSON_Duplicate(clash, 1));
	reply_json(req, r->status, body);
}

/*
 * The not-eligible reply `r`, saying why from `why`
 * {"course_levels","group_level"} (level names; only the person books
 * themselves into this).
 */
static void
booking_not_eligible(struct http_request *req, const struct booking_reply *r,
    const cJSON *why)
{
	const cJSON	*levels, *mine;
	cJSON		*fields;
	char		 msg[512], yours[128];

	levels = cJSON_GetObjectItem(why, "course_levels");
	mine = cJSON_GetObjectItem(why, "group_level");
	if (cJSON_IsString(mine))
		snprintf(yours, sizeof(yours), "is %s", mine->valuestring);
	else
		snprintf(yours, sizeof(yours), "is not recorded");
	snprintf(msg, sizeof(msg), "This course is for %s; your group level "
	    "%s. A coordinator can book you a place if the course is right "
	    "for you after all.", cJSON_IsString(levels) &&
	    levels->valuestring[0] != '\0' ? levels->valuestring :
	    "no group level yet", yours);
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, r->field, msg);
	reply_error(req, r->status, r->code, msg, fields);
}

/*
 * DELETE /api/v1/bookings/{id} (its person, or a coordinator)
 * 200 {"status":"cancelled"|"late_cancelled","late":bool,...}; the first
 * on the waitlist is promoted in the same transaction; 401; 404 no such
 * booking (or someone else's); 409 not live (cancelled, attended), or
 * the session has started (from then only the register changes it).
 */
int
h_booking(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/bookings/", .delete = ACCESS_SIGNED_IN
	};
	struct session_who	 who;
	cJSON			*out;
	long long		 booking;
	enum cancel_result	 result;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &booking, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_booking_cancel(booking, who.person_id,
	    (who.roles & ROLE_COORDINATOR) != 0, &out, &result);
	if (result == CANCEL_DONE)
		reply_json(req, 200, out);
	else if (result == CANCEL_NOT_FOUND)
		reply_error(req, 404, "not_found", "There is no such booking.",
		    NULL);
	else if (result == CANCEL_NOT_LIVE)
		reply_error(req, 409, "not_live", "This booking is cancelled or "
		    "the session has taken place.", NULL);
	else if (result == CANCEL_STARTED)
		reply_error(req, 409, "session_started", "The session has "
		    "started: from now only the register changes this "
		    "booking.", NULL);
	else
		reply_db_failure(req, st);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/me/bookings
 * 200 {"bookings":[...],"training":{...}|null}: bookings upcoming and
 * past, newest first; training at the person's own group level (when it
 * expires, their training records); 401.
 */
int
h_my_bookings(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_SIGNED_IN };
	struct session_who	 who;
	cJSON			*list, *out, *training;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	list = NULL;
	if ((st = db_booking_mine(who.person_id, &list)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	training = NULL;
	if ((st = db_training_mine(who.person_id, &training)) != DB_OK &&
	    st != DB_NOTFOUND) {
		cJSON_Delete(list);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "bookings", list);
	cJSON_AddItemToObject(out, "training", training != NULL ? training :
	    cJSON_CreateNull());
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/bookings/{id}/calendar.ics (its person, or a coordinator)
 * 200 text/calendar: METHOD:REQUEST, or after a cancellation the same UID
 * with a higher SEQUENCE, METHOD:CANCEL and STATUS:CANCELLED; 401; 404;
 * 409 a waitlist place (no calendar entry until it is confirmed).
 */
int
h_booking_calendar(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/bookings/", .get = ACCESS_SIGNED_IN
	};
	struct session_who	 who;
	struct ical_event	 e;
	struct ical_out		 ics;
	cJSON			*row;
	long long		 booking;
	char			 uid[96];
	int			 st;

	if (!auth_preamble(req, &pre, &who, &booking, NULL))
		return (KORE_RESULT_OK);
	row = NULL;
	st = db_booking_calendar(booking, who.person_id,
	    (who.roles & ROLE_COORDINATOR) != 0, &row);
	if (st == DB_NOTFOUND) {
		reply_error(req, 404, "not_found", "There is no such booking.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (cJSON_IsTrue(cJSON_GetObjectItem(row, "waitlisted"))) {
		cJSON_Delete(row);
		reply_error(req, 409, "waitlisted", "You are on the waitlist: "
		    "the calendar entry comes when your place is confirmed.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	booking_event(row, booking, uid, sizeof(uid), &e);
	if (ical_write(&e, &ics) == -1) {
		ical_out_free(&ics);
		cJSON_Delete(row);
		reply_error(req, 500, "internal", "Something went wrong on our "
		    "side.", NULL);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(row);
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"booking.ics\"");
	reply_bytes(req, 200, e.cancelled ? "text/calendar; charset=utf-8; "
	    "method=CANCEL" : "text/calendar; charset=utf-8; method=REQUEST",
	    ics.data, ics.len);
	ical_out_free(&ics);
	return (KORE_RESULT_OK);
}
