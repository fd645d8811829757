/*
 * sqlstate: what a PostgreSQL error code (SQLSTATE) means to the portal,
 * one mapping for the Kore module's pool (db.c) and portalctl's jobs
 * (job_exec.c). Kore-free, no libpq.
 */
#ifndef PORTAL_SQLSTATE_H
#define PORTAL_SQLSTATE_H

#include "db_status.h"

enum db_status	sqlstate_status(const char *);
int		sqlstate_is_timeout(const char *);

#endif /* !PORTAL_SQLSTATE_H */
