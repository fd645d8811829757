/*
 * db_history: import a board's attendance history.
 */
#ifndef PORTAL_DB_HISTORY_H
#define PORTAL_DB_HISTORY_H

#include <cjson/cJSON.h>

#include "history.h"

int	db_history_import(const struct history *, long long, const char *,
	    cJSON **, cJSON *);

#endif /* !PORTAL_DB_HISTORY_H */
