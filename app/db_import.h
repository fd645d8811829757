/*
 * db_import: jobs of imports run off the request path (migration 20).
 */
#ifndef PORTAL_DB_IMPORT_H
#define PORTAL_DB_IMPORT_H

#include <cjson/cJSON.h>

#include "db_status.h"

enum db_status	db_import_create(const char *, long long, int, cJSON **,
		    long long *);
enum db_status	db_import_get(const char *, long long, cJSON **);
enum db_status	db_import_fail(long long);

#endif /* !PORTAL_DB_IMPORT_H */
