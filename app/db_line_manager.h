/*
 * db_line_manager: a practitioner's own line manager. A staff list's
 * manager wins; otherwise the practitioner names one, and a change takes
 * effect only once they confirm it through a link mailed to their own
 * address.
 */
#ifndef PORTAL_DB_LINE_MANAGER_H
#define PORTAL_DB_LINE_MANAGER_H

#include <cjson/cJSON.h>

#include "db_status.h"

enum line_manager_result {
	LINE_MANAGER_PENDING,		/* asked: the link is mailed */
	LINE_MANAGER_UNCHANGED,		/* the same address as now */
	LINE_MANAGER_DONE,		/* confirmed: in effect */
	LINE_MANAGER_STAFF_LIST,	/* a staff list names the manager */
	LINE_MANAGER_OWN_ADDRESS,	/* the person's own address */
	LINE_MANAGER_NOT_FOUND,		/* no such link */
	LINE_MANAGER_GONE,		/* the link was used or expired */
	LINE_MANAGER_FAILED
};

enum db_status	db_line_manager_get(long long, cJSON **);
enum db_status	db_line_manager_request(long long, const char *, const char *,
	    const char *, enum line_manager_result *);
enum db_status	db_line_manager_confirm(const char *, cJSON **,
	    enum line_manager_result *);

#endif /* !PORTAL_DB_LINE_MANAGER_H */
