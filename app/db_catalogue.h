/*
 * db_catalogue: the public reference data and course catalogue.
 */
#ifndef PORTAL_DB_CATALOGUE_H
#define PORTAL_DB_CATALOGUE_H

#include <cjson/cJSON.h>

#include "db_status.h"

/* What a catalogue page asks for; NULL strings are "any". */
struct catalogue_query {
	const char	*group_level;	/* a level code of the default scheme */
	const char	*topic;		/* a topic code */
	int		 unpublished;	/* unpublished courses too */
	long		 limit;
	long		 offset;
};

enum db_status	db_catalogue_group_levels(cJSON **);
enum db_status	db_catalogue_topics(cJSON **);
enum db_status	db_catalogue_agencies(const char *, const char *, const char *,
	    long, long, cJSON **);
enum db_status	db_catalogue_courses(const struct catalogue_query *, cJSON *,
	    cJSON **);

#endif /* !PORTAL_DB_CATALOGUE_H */
