/*
 * h_bookings: booking places, cancelling them, one's own bookings.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "auth.h"
#include "db_booking.h"
#include "ical.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_session_bookings(struct http_request *);
int	h_booking(struct http_request *);
int	h_my_bookings(struct http_request *);
int	h_booking_calendar(struct http_request *);

/*
 * POST /api/v1/sessions/{id}/bookings (signed in; body optional: a
 * coordinator may send {"person_id"} to book for someone), with an
 * optional Idempotency-Key header.
 * 201 {"id","status":"confirmed"|"waitlisted","waitlist_position",...};
 * the same key again: the same answer (200 when repeated); 401; 403
 * person_id from a non-coordinator; 404 no such session; 409 a live
 * booking on this session already, or a confirmed place at the same
 * time; 422 cancelled or past session, outside the booking window, or a
 * key used for another session.
 */
int
h_session_bookings(struct http_request *req)
{
	struct session_who	 who;
	const cJSON		*pid;
	cJSON			*body, *out, *fields;
	const char		*key;
	long long		 session, person;
	int			 st, result;

	if (!reply_method_allowed(req, REPLY_POST))
		return (KORE_RESULT_OK);
	if (route_id(req->path, "/api/v1/sessions/", &session, NULL) == -1)
		return (h_not_found(req));
	if (!auth_require(req, 0, &who))
		return (KORE_RESULT_OK);

	person = who.person_id;
	if (req->content_length > 0) {
		if (!reply_read_json(req, &body))
			return (KORE_RESULT_OK);
		pid = cJSON_GetObjectItemCaseSensitive(body, "person_id");
		if (pid != NULL && !cJSON_IsNull(pid)) {
			if (!(who.roles & ROLE_COORDINATOR)) {
				cJSON_Delete(body);
				reply_error(req, 403, "forbidden", "Only a "
				    "coordinator books for someone else.", NULL);
				return (KORE_RESULT_OK);
			}
			if (!cJSON_IsNumber(pid) || pid->valuedouble < 1) {
				cJSON_Delete(body);
				fields = cJSON_CreateObject();
				cJSON_AddStringToObject(fields, "person_id",
				    "Must be the id of a person.");
				reply_error(req, 422, "invalid", "Some values are "
				    "not valid.", fields);
				return (KORE_RESULT_OK);
			}
			person = (long long)pid->valuedouble;
		}
		cJSON_Delete(body);
	}
	if (!http_request_header(req, "idempotency-key", &key))
		key = NULL;
	else if (strlen(key) == 0 || strlen(key) > 200 || !text_is_clean(key)) {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "Idempotency-Key",
		    "Must be 1 to 200 printable characters.");
		reply_error(req, 422, "invalid", "Some values are not valid.",
		    fields);
		return (KORE_RESULT_OK);
	}

	out = NULL;
	st = db_booking_create(session, person, who.person_id, key, &out,
	    &result);
	switch (result) {
	case BOOKING_DONE:
		reply_json(req, 201, out);
		break;
	case BOOKING_REPEATED:
		reply_json(req, 201, out);
		break;
	case BOOKING_NO_SESSION:
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		break;
	case BOOKING_CLOSED:
		reply_error(req, 422, "booking_closed", "This session is not "
		    "taking bookings: it is cancelled, past, or outside its "
		    "booking window.", NULL);
		break;
	case BOOKING_HELD:
		reply_error(req, 409, "already_booked", "You already have a "
		    "place or a waitlist place on this session.", NULL);
		break;
	case BOOKING_OVERLAP:
		reply_error(req, 409, "overlap", "You have a confirmed place on "
		    "another session at the same time.", NULL);
		break;
	case BOOKING_KEY_REUSED:
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "Idempotency-Key",
		    "This key was used to book another session.");
		reply_error(req, 422, "invalid", "Some values are not valid.",
		    fields);
		break;
	default:
		if (st == DB_CONFLICT)
			reply_error(req, 409, "already_booked", "You already "
			    "have a place or a waitlist place on this "
			    "session.", NULL);
		else
			reply_db_failure(req, st);
		break;
	}
	return (KORE_RESULT_OK);
}

/*
 * DELETE /api/v1/bookings/{id} (its person, or a coordinator)
 * 200 {"status":"cancelled"|"late_cancelled","late":bool,...}; the first
 * on the waitlist is promoted in the same transaction; 401; 404 no such
 * booking (or someone else's); 409 not live (cancelled, attended).
 */
int
h_booking(struct http_request *req)
{
	struct session_who	 who;
	cJSON			*out;
	long long		 booking;
	const char		*rest;
	int			 st, result;

	if (route_id(req->path, "/api/v1/bookings/", &booking, &rest) == -1 ||
	    *rest != '\0')
		return (h_not_found(req));
	if (!reply_method_allowed(req, REPLY_DELETE))
		return (KORE_RESULT_OK);
	if (!auth_require(req, 0, &who))
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
	else
		reply_db_failure(req, st);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/me/bookings
 * 200 {"bookings":[...]} upcoming and past, newest first; 401.
 */
int
h_my_bookings(struct http_request *req)
{
	struct session_who	 who;
	cJSON			*list, *out;
	int			 st;

	if (!reply_method_allowed(req, REPLY_GET))
		return (KORE_RESULT_OK);
	if (!auth_require(req, 0, &who))
		return (KORE_RESULT_OK);
	list = NULL;
	if ((st = db_booking_mine(who.person_id, &list)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "bookings", list);
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/bookings/{id}/calendar.ics (its person, or a coordinator)
 * 200 text/calendar: METHOD:REQUEST, or after a cancellation the same UID
 * with a higher SEQUENCE, METHOD:CANCEL and STATUS:CANCELLED; 401; 404.
 */
int
h_booking_calendar(struct http_request *req)
{
	struct session_who	 who;
	struct ical_event	 e;
	struct ical_out		 ics;
	cJSON			*row;
	long long		 booking;
	char			 uid[96];
	int			 st;

	if (route_id(req->path, "/api/v1/bookings/", &booking, NULL) == -1)
		return (h_not_found(req));
	if (!reply_method_allowed(req, REPLY_GET))
		return (KORE_RESULT_OK);
	if (!auth_require(req, 0, &who))
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
