/*
 * db_manager_review: the line manager's answer through a single-use link.
 */
#ifndef PORTAL_DB_MANAGER_REVIEW_H
#define PORTAL_DB_MANAGER_REVIEW_H

#include <cjson/cJSON.h>

#include "db_status.h"

enum review_result {
	REVIEW_DONE,
	REVIEW_UNKNOWN,		/* no such link */
	REVIEW_GONE,		/* used or expired */
	REVIEW_FAILED
};

enum db_status	db_manager_review_lookup(const char *, cJSON **,
	    enum review_result *);
enum db_status	db_manager_review_answer(const char *, const char *,
	    const char *, enum review_result *);

#endif /* !PORTAL_DB_MANAGER_REVIEW_H */
