/*
 * booking: whether a place can be booked, decided from the facts the
 * database layer fetches under the session's lock (db_booking.c), and
 * the calendar invitation of a booking. Kore-free, no SQL.
 */
#ifndef PORTAL_BOOKING_H
#define PORTAL_BOOKING_H

#include <stddef.h>

#include <cjson/cJSON.h>

/*
 * The facts of one booking attempt: of session `session` for a person,
 * by a booker (the person, or a coordinator for them).
 */
struct booking_facts {
	int		 visible;	/* the session exists and the booker may
					 * see it (its course published, or a
					 * coordinator) */
	int		 coordinator;	/* the booker is a coordinator */
	long long	 key_session;	/* the session the Idempotency-Key
					 * booked before; 0: none */
	int		 open;		/* scheduled, not started, and inside
					 * its booking window now */
	int		 eligible;	/* the person is at one of the course's
					 * group levels */
	int		 held;		/* the person holds a live booking on
					 * this session */
	int		 overlap;	/* the person holds a confirmed place
					 * elsewhere at the same time */
	int		 room;		/* a confirmed place is free */
};

/* What a booking attempt comes to. */
enum booking_result {
	BOOKING_CONFIRMED,	/* a confirmed place */
	BOOKING_WAITLISTED,	/* full: a place on the waitlist */
	BOOKING_REPEATED,	/* the same Idempotency-Key: the first answer */
	BOOKING_NO_SESSION,	/* no such session, or not the booker's to see */
	BOOKING_KEY_REUSED,	/* the key booked another session */
	BOOKING_CLOSED,		/* cancelled, past, or outside the window */
	BOOKING_NOT_ELIGIBLE,	/* not at one of the course's levels */
	BOOKING_HELD,		/* a live booking on this session already */
	BOOKING_OVERLAP,	/* a confirmed place at the same time */
	BOOKING_FAILED,		/* the database failed */
	BOOKING__MAX
};

enum booking_result	booking_decide(const struct booking_facts *, long long);

struct ical_event;
void	booking_event(const cJSON *, long long, char *, size_t,
	    struct ical_event *);

#endif /* !PORTAL_BOOKING_H */
