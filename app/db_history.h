/*
 * db_history: import a board's attendance history.
 */
#ifndef PORTAL_DB_HISTORY_H
#define PORTAL_DB_HISTORY_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db_status.h"
#include "history.h"

/* The steps of an import, as its job counts them (import_task.c). */
enum history_step {
	HISTORY_STEP_QUEUED,		/* nothing done yet */
	HISTORY_STEP_READ,		/* the file read and checked */
	HISTORY_STEP_LOCKED,		/* no other import running */
	HISTORY_STEP_ROWS,		/* the rows in the database */
	HISTORY_STEP_NAMES,		/* agencies and levels all known */
	HISTORY_STEP_SESSIONS,		/* courses and sessions made */
	HISTORY_STEP_PEOPLE,		/* people made */
	HISTORY_STEP_BOOKINGS,		/* bookings and training records */
	HISTORY_STEP_DONE,		/* committed */
	HISTORY_STEPS = HISTORY_STEP_DONE
};

enum db_status	db_history_import(PGconn *, const struct history *, long long,
		    const char *, void (*)(void *, int), void *, cJSON **,
		    cJSON *);

#endif /* !PORTAL_DB_HISTORY_H */
