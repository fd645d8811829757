/*
 * db_attendee: walk-ins, the unscheduled attendees a trainer adds to a
 * session's register.
 */
#ifndef PORTAL_DB_ATTENDEE_H
#define PORTAL_DB_ATTENDEE_H

#include <cjson/cJSON.h>

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
	ATTENDEE_ON_REGISTER,		/* already on the register */
	ATTENDEE_INVALID,		/* unknown agency or level: named */
	ATTENDEE_FAILED
};

int	db_attendee_add(long long, const struct walk_in *, long long,
	    cJSON *, cJSON **, int *);

#endif /* !PORTAL_DB_ATTENDEE_H */
