/*
 * db_course: the courses of the programme, kept by coordinators.
 */
#ifndef PORTAL_DB_COURSE_H
#define PORTAL_DB_COURSE_H

#include <cjson/cJSON.h>

#include "db_status.h"

/* A course or a change to one: NULL strings and negative numbers keep. */
struct course_fields {
	const char	*code;
	const char	*title;
	const char	*summary;
	const char	*format;
	long		 duration_minutes;
	int		 multi_agency;		/* -1 keep, 0, 1 */
	int		 published;		/* -1 keep, 0, 1 */
	const char	*topics;		/* text[] literal of codes */
	int		 ntopics;
	const char	*group_levels;		/* text[] literal of codes */
	int		 nlevels;
};

enum db_status	db_course_save(long long, const struct course_fields *,
	    long long, cJSON *, cJSON **);
enum db_status	db_course_get(long long, int, cJSON **);

#endif /* !PORTAL_DB_COURSE_H */
