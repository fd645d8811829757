/*
 * db_register: a session's register (sign-in sheet) and attendance.
 */
#ifndef PORTAL_DB_REGISTER_H
#define PORTAL_DB_REGISTER_H

#include <cjson/cJSON.h>

/* Whether `person` may keep the register of `session`. */
enum register_access {
	REGISTER_NO_SESSION,
	REGISTER_DENIED,
	REGISTER_ALLOWED
};

struct attendance_mark {
	long long	 booking_id;
	const char	*status;	/* attended, partial, no_show */
};

int	db_register_access(long long, long long, int, int *, int *);
int	db_register_rows(long long, cJSON **);
int	db_register_mark(long long, const struct attendance_mark *, size_t,
	    long long, cJSON *);

#endif /* !PORTAL_DB_REGISTER_H */
