/*
 * job_exec: one statement of portalctl's scheduled jobs on their libpq
 * connection, its failure told once and mapped as the Kore module maps
 * it (sqlstate.c).
 */
#ifndef PORTAL_JOB_EXEC_H
#define PORTAL_JOB_EXEC_H

#include <libpq-fe.h>

#include "db_status.h"

enum db_status	job_exec(PGconn *, const char *, const char *, int,
		    const char *const *);

#endif /* !PORTAL_JOB_EXEC_H */
