/*
 * db_agency: agencies and settings, added and changed by coordinators,
 * audited; closed ones are marked inactive, never deleted.
 */
#ifndef PORTAL_DB_AGENCY_H
#define PORTAL_DB_AGENCY_H

#include <cjson/cJSON.h>

#include "agency.h"
#include "db_status.h"

enum db_status	db_agency_create(const struct agency_input *, long long,
	    const char *, cJSON **);
enum db_status	db_agency_update(long long, const struct agency_input *,
	    long long, const char *, cJSON **);
enum db_status	db_agency_get(long long, cJSON **);

#endif /* !PORTAL_DB_AGENCY_H */
