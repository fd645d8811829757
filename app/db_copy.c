/*
 * db_copy: load rows into a table with COPY ... FROM STDIN, a megabyte
 * at a time, so that a large upload never becomes one statement's
 * parameter. It speaks libpq alone: the worker's pooled connections
 * (db.c) and an import thread's own (db_history.c) use it alike.
 */
#include <stdlib.h>

#include <libpq-fe.h>

#include "db_copy.h"
#include "sqlstate.h"

/* The most sent in one piece. */
#define DB_COPY_CHUNK	(1u << 20)

/*
 * Run `sql` (a COPY ... FROM STDIN) on `conn` and send it the `len`
 * bytes of `data`, rows in COPY's text format. Returns DB_OK; or
 * DB_UNAVAILABLE (the connection lost, a time limit ran out) or DB_ERR,
 * with the failed statement's result in `*failed` when `failed` is not
 * NULL (the caller clears it; it may be NULL when libpq had none).
 */
enum db_status
db_copy_in(PGconn *conn, const char *sql, const char *data, size_t len,
    PGresult **failed)
{
	PGresult	*res, *bad;
	const char	*state;
	enum db_status	 st;
	size_t		 off, n;
	int		 ok;

	bad = NULL;
	ok = 0;
	res = PQexec(conn, sql);
	/* Not in COPY mode: nothing to send, nothing to end. */
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		bad = res;
		goto out;
	}
	PQclear(res);
	ok = 1;
	for (off = 0; ok && off < len; off += n) {
		n = len - off < DB_COPY_CHUNK ? len - off : DB_COPY_CHUNK;
		ok = PQputCopyData(conn, data + off, (int)n) == 1;
	}
	if (PQputCopyEnd(conn, ok ? NULL : "the rows could not be sent") != 1)
		ok = 0;
	/* The COPY's own result, then none. */
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			ok = 0;
			if (bad == NULL) {
				bad = res;
				continue;
			}
		}
		PQclear(res);
	}
out:
	if (ok && bad == NULL)
		st = DB_OK;
	else {
		state = bad == NULL ? NULL :
		    PQresultErrorField(bad, PG_DIAG_SQLSTATE);
		st = PQstatus(conn) != CONNECTION_OK ||
		    sqlstate_is_timeout(state) ? DB_UNAVAILABLE : DB_ERR;
	}
	if (failed != NULL)
		*failed = bad;
	else
		PQclear(bad);
	return (st);
}
