/*
 * report_task: reports gathered in threads of their own, off the request
 * path, with a bound on how many each worker gathers at once.
 */
#ifndef PORTAL_REPORT_TASK_H
#define PORTAL_REPORT_TASK_H

#include <time.h>

#include <cjson/cJSON.h>

#include "db_status.h"

/* Threads gathering at once in one worker, and keys that may wait. */
#define REPORT_TASK_THREADS	2
#define REPORT_TASK_QUEUED	16
/*
 * The CPU priority (nice) of a gathering thread: the least, so that on
 * busy cores it takes what the worker's event loop leaves (the answer it
 * replaces is served meanwhile). Its backends give way too (db.c).
 */
#define REPORT_TASK_NICE	19
/* How long a failed gathering is told to the next request of it. */
#define REPORT_TASK_FAILED_SECS	60

enum report_task_state {
	REPORT_TASK_GATHERING,	/* being gathered, or waiting for a thread */
	REPORT_TASK_BUSY,	/* too many: try again later */
	REPORT_TASK_FAILED	/* the last gathering failed */
};

int	report_task_init(const char *, const char *);
enum report_task_state	report_task_start(const char *,
	    enum db_status (*)(void *, cJSON **), void *, void (*)(void *),
	    time_t *, enum db_status *);

#endif /* !PORTAL_REPORT_TASK_H */
