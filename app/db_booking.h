/*
 * db_booking: places on sessions. Capacity holds under any concurrency
 * because every booking, cancellation and promotion of a session runs in
 * one transaction holding that session's row lock, and the confirmed
 * count the lock guards is CHECKed against the capacity by the schema.
 */
#ifndef PORTAL_DB_BOOKING_H
#define PORTAL_DB_BOOKING_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "booking.h"
#include "db_status.h"

enum cancel_result {
	CANCEL_DONE,
	CANCEL_NOT_FOUND,	/* 404 (also: someone else's, for non-coordinators) */
	CANCEL_NOT_LIVE,	/* 409: cancelled or attended already */
	CANCEL_STARTED,		/* 409: the session has started */
	CANCEL_FAILED
};

/* A change to a session; NULL strings and negative numbers keep what is. */
struct session_change {
	const char	*starts_at;
	const char	*ends_at;
	const char	*venue;
	long		 capacity;
	const char	*booking_opens_at;
	const char	*booking_closes_at;
	long		 cancel_cutoff_hours;
	const char	*joining_details;	/* NULL: unchanged; "": none */
	const char	*trainer_ids;	/* bigint[] literal, or NULL */
	int		 trainers;	/* how many in trainer_ids */
};

enum db_status	db_booking_session_update(long long,
	    const struct session_change *, long long, cJSON *);
enum db_status	db_booking_session_cancel(long long, const char *, long long);
enum db_status	db_booking_create(long long, long long, long long, const char *,
	    cJSON **, enum booking_result *);
enum db_status	db_booking_cancel(long long, long long, int, cJSON **,
	    enum cancel_result *);
enum db_status	db_booking_mine(long long, cJSON **);
enum db_status	db_booking_calendar(long long, long long, int, cJSON **);

struct db;
enum db_status	db_booking_release_person(struct db *, const char *);

#endif /* !PORTAL_DB_BOOKING_H */
