/*
 * Unit tests of booking: every result of booking_decide(), and the order
 * of the checks (exists, key, open, eligible, held, overlap, room), each
 * shown by a case where two checks fail and the earlier one answers; and
 * the calendar invitation of a booking.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "booking.h"
#include "ical.h"

#define SESSION	42

/* A session open for booking, with room, for an eligible person. */
static struct booking_facts
facts(void)
{
	struct booking_facts	 f;

	memset(&f, 0, sizeof(f));
	f.visible = 1;
	f.open = 1;
	f.eligible = 1;
	f.room = 1;
	return (f);
}

Test(booking, confirmed_when_there_is_room)
{
	struct booking_facts	 f = facts();

	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_CONFIRMED);
}

Test(booking, waitlisted_when_full)
{
	struct booking_facts	 f = facts();

	f.room = 0;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_WAITLISTED);
}

Test(booking, no_session_before_anything_else)
{
	struct booking_facts	 f;

	memset(&f, 0, sizeof(f));
	f.key_session = SESSION;
	f.held = 1;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_NO_SESSION);
}

Test(booking, repeated_key_answers_even_when_closed_or_held)
{
	struct booking_facts	 f = facts();

	f.key_session = SESSION;
	f.open = 0;
	f.eligible = 0;
	f.held = 1;
	f.overlap = 1;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_REPEATED);
}

Test(booking, key_of_another_session_refused_before_closed)
{
	struct booking_facts	 f = facts();

	f.key_session = SESSION + 1;
	f.open = 0;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_KEY_REUSED);
}

Test(booking, closed_before_not_eligible)
{
	struct booking_facts	 f = facts();

	f.open = 0;
	f.eligible = 0;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_CLOSED);
}

Test(booking, not_eligible_before_held)
{
	struct booking_facts	 f = facts();

	f.eligible = 0;
	f.held = 1;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_NOT_ELIGIBLE);
}

Test(booking, a_coordinator_books_anyone)
{
	struct booking_facts	 f = facts();

	f.eligible = 0;
	f.coordinator = 1;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_CONFIRMED);
}

Test(booking, held_before_overlap)
{
	struct booking_facts	 f = facts();

	f.held = 1;
	f.overlap = 1;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_HELD);
}

Test(booking, overlap_before_room)
{
	struct booking_facts	 f = facts();

	f.overlap = 1;
	f.room = 0;
	cr_assert_eq(booking_decide(&f, SESSION), BOOKING_OVERLAP);
}

Test(booking, event_from_the_calendar_row)
{
	struct ical_event	 e;
	cJSON			*row;
	char			 uid[96];

	row = cJSON_Parse("{\"sequence\":3,\"cancelled\":true,"
	    "\"starts_at\":1764583200,\"ends_at\":1764604800,"
	    "\"stamp\":1764500000,\"summary\":\"Neglect\","
	    "\"location\":\"Room 1\",\"description\":\"Trainers: A\","
	    "\"attendee_email\":null,\"attendee_name\":\"Ann\"}");
	cr_assert_not_null(row);
	booking_event(row, 7, uid, sizeof(uid), &e);
	cr_assert_str_eq(e.uid, "booking-7@safeguarding-training-portal");
	cr_assert_eq(e.sequence, 3);
	cr_assert(e.cancelled);
	cr_assert_eq(e.starts_at, 1764583200LL);
	cr_assert_eq(e.ends_at, 1764604800LL);
	cr_assert_eq(e.stamp, 1764500000LL);
	cr_assert_str_eq(e.summary, "Neglect");
	cr_assert_str_eq(e.location, "Room 1");
	cr_assert_str_eq(e.description, "Trainers: A");
	cr_assert_null(e.attendee_email);
	cr_assert_str_eq(e.attendee_name, "Ann");
	cJSON_Delete(row);
}
