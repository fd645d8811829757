/*
 * db_attendee: walk-ins, the unscheduled attendees a trainer or a
 * coordinator adds to a session's register, and the coordinators' review
 * of those trainers added.
 */
#ifndef PORTAL_DB_ATTENDEE_H
#define PORTAL_DB_ATTENDEE_H

#include <cjson/cJSON.h>

#include "db_status.h"

struct walk_in {
	const char	*email;
	const char	*full_name;
	const char	*agency_id;	/* decimal */
	const char	*group_level;	/* code, e.g. G3 */
};

enum attendee_result {
	ATTENDEE_DONE,
	ATTENDEE_NO_SESSION,
	ATTENDEE_NOT_STARTED,		/* before the start, or cancelled */
	ATTENDEE_CLOSED,		/* a trainer, the register closed */
	ATTENDEE_ON_REGISTER,		/* already on the register */
	ATTENDEE_INVALID,		/* unknown agency or level: named */
	ATTENDEE_FAILED
};

enum db_status	db_attendee_add(long long, const struct walk_in *, long long,
	    int, cJSON *, cJSON **, enum attendee_result *);
enum db_status	db_attendee_list(int, long long, long long, cJSON **);
enum db_status	db_attendee_confirm(long long, long long);
enum db_status	db_attendee_remove(long long, long long);

#endif /* !PORTAL_DB_ATTENDEE_H */
