/*
 * db_copy: send rows in COPY's text format (copytext.c) to PostgreSQL
 * with COPY ... FROM STDIN, on any libpq connection.
 */
#ifndef PORTAL_DB_COPY_H
#define PORTAL_DB_COPY_H

#include <stddef.h>

#include <libpq-fe.h>

#include "db_status.h"

enum db_status	db_copy_in(PGconn *, const char *, const char *, size_t,
		    PGresult **);

#endif /* !PORTAL_DB_COPY_H */
