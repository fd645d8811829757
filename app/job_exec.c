/*
 * job_exec: the statements of portalctl's jobs that change data, each in
 * its own transaction (autocommit), failures told on stderr.
 */
#include <stdio.h>

#include <libpq-fe.h>

#include "job_exec.h"
#include "sqlstate.h"

/*
 * Run `sql` with `n` text parameters `params` on `conn`, for job `what`
 * (named in the message on failure). DB_OK when the statement completed
 * (returning rows or not); otherwise the status of its SQLSTATE
 * (sqlstate_status(), DB_UNAVAILABLE when the connection is gone),
 * with the server's primary message on stderr.
 */
enum db_status
job_exec(PGconn *conn, const char *what, const char *sql, int n,
    const char *const *params)
{
	PGresult	*res;
	const char	*msg;
	enum db_status	 st;

	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		st = DB_OK;
		break;
	default:
		st = PQstatus(conn) != CONNECTION_OK ? DB_UNAVAILABLE :
		    sqlstate_status(PQresultErrorField(res, PG_DIAG_SQLSTATE));
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		if (msg != NULL)
			fprintf(stderr, "portalctl: %s: %s\n", what, msg);
		else
			fprintf(stderr, "portalctl: %s: %s", what,
			    PQerrorMessage(conn));
		break;
	}
	PQclear(res);
	return (st);
}
