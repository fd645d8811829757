/*
 * db_programme: the sessions of the programme, as the catalogue and the
 * coordinators see them.
 */
#ifndef PORTAL_DB_PROGRAMME_H
#define PORTAL_DB_PROGRAMME_H

#include <cjson/cJSON.h>

#include "db_status.h"

struct session_query {
	long long	 course_id;	/* 0: any */
	const char	*group_level;
	const char	*topic;
	const char	*text;		/* words each in the title or topics */
	const char	*from;		/* YYYY-MM-DD, inclusive */
	const char	*to;		/* YYYY-MM-DD, inclusive */
	int		 available;	/* only sessions taking bookings, with places */
	long long	 trainer_id;	/* 0: any; else the sessions they train */
	int		 unpublished;	/* sessions of unpublished courses too */
	long		 limit;
	long		 offset;
};

/* A new session, its strings from the request's JSON body. */
struct session_new {
	long long	 course_id;
	const char	*starts_at;
	const char	*ends_at;
	const char	*venue;
	long		 capacity;
	const char	*trainer_ids;		/* PostgreSQL bigint[] literal */
	const char	*booking_opens_at;	/* NULL: now */
	const char	*booking_closes_at;	/* NULL: the start */
	long		 cancel_cutoff_hours;
	const char	*joining_details;	/* NULL: none */
};

enum db_status	db_programme_sessions(const struct session_query *, cJSON *,
	    cJSON **);
enum db_status	db_programme_session(long long, int, cJSON **);
enum db_status	db_programme_session_create(const struct session_new *,
	    long long, cJSON *, cJSON **);

#endif /* !PORTAL_DB_PROGRAMME_H */
