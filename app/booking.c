/*
 * booking: the booking rule and the calendar invitation of a booking.
 * The database layer fetches the facts (db_booking.c, under the
 * session's row lock) and writes what the rule decides; the handler
 * (h_bookings.c) says it to the person. Kore-free.
 */
#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "ical.h"
#include "site.h"

/*
 * Decide a booking of session `session` from `f`, checking in this order:
 * the session exists (and the booker may see it); a repeated
 * Idempotency-Key gets the first answer whatever happened since (even
 * after the window closed), and a key that booked another session is
 * refused; the session is open for booking; the person is at one of the
 * course's group levels (a coordinator may book anyone); the person
 * holds no live booking on it; no confirmed place of theirs overlaps it;
 * then a confirmed place when there is room, else the waitlist.
 */
enum booking_result
booking_decide(const struct booking_facts *f, long long session)
{
	if (!f->visible)
		return (BOOKING_NO_SESSION);
	if (f->key_session != 0)
		return (f->key_session == session ? BOOKING_REPEATED :
		    BOOKING_KEY_REUSED);
	if (!f->open)
		return (BOOKING_CLOSED);
	if (!f->eligible && !f->coordinator)
		return (BOOKING_NOT_ELIGIBLE);
	if (f->held)
		return (BOOKING_HELD);
	if (f->overlap)
		return (BOOKING_OVERLAP);
	return (f->room ? BOOKING_CONFIRMED : BOOKING_WAITLISTED);
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
	e->organizer_email = site_mail_from();
}
