/*
 * db_staff: a setting's staff list.
 */
#ifndef PORTAL_DB_STAFF_H
#define PORTAL_DB_STAFF_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "copytext.h"
#include "csv.h"
#include "db_status.h"
#include "staff.h"

struct staff_counts {
	long	created;
	long	updated;
	long	unchanged;
};

enum db_status	db_staff_agency_exists(long long);
enum db_status	db_staff_import(long long, const struct copytext *, long long,
	    const char *, struct staff_counts *, cJSON *);
enum db_status	db_staff_list(long long, long, long, cJSON **);
enum db_status	db_staff_export(long long, long long, const char *,
	    struct csv_out *);

#endif /* !PORTAL_DB_STAFF_H */
