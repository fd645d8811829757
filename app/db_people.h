/*
 * db_people: what is held about a person, their erasure, and the audit
 * log that records who did what to whom.
 */
#ifndef PORTAL_DB_PEOPLE_H
#define PORTAL_DB_PEOPLE_H

#include <cjson/cJSON.h>

#include "db_status.h"

struct audit_filter {
	const char	*action;	/* prefix, e.g. "session." */
	long long	 person_id;	/* as actor or target; 0 any */
	const char	*from;		/* ISO date, inclusive */
	const char	*to;		/* ISO date, inclusive */
	long		 limit;
	long		 offset;
};

enum db_status	db_people_data(long long, cJSON **);
enum db_status	db_people_erase(long long, long long, const char *);
enum db_status	db_people_audit(const struct audit_filter *, cJSON **);

#endif /* !PORTAL_DB_PEOPLE_H */
