/*
 * import_task: imports run in a thread of their own, off the request
 * path, each with its own database connections; their jobs
 * (import_jobs) say how far they are.
 */
#ifndef PORTAL_IMPORT_TASK_H
#define PORTAL_IMPORT_TASK_H

#include <stddef.h>

/* Imports one worker runs at once (they queue on the database's lock). */
#define IMPORT_TASK_MAX	2

int	import_task_start(const char *, long long, long long, const char *,
	    const char *, char *, size_t);

#endif /* !PORTAL_IMPORT_TASK_H */
