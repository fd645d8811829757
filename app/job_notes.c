/*
 * job_notes: case notes sealed before they were bound to their meeting
 * (supervision_sessions.case_notes_seal = 1) are opened with the old
 * associated data and sealed again naming their meeting and group
 * (case_notes_seal = 2), in one transaction, the rows locked. Run again,
 * it finds nothing to do. A note that does not open (another key, or
 * altered) is left as it is and counted: the portal will not show it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_notes.h"
#include "notes.h"

static const char job_notes_pending_sql[] =
    "SELECT count(*) FROM supervision_sessions WHERE case_notes_seal = 1";

static const char job_notes_old_sql[] =
    "SELECT id, group_id, encode(case_notes_sealed, 'base64')"
    "  FROM supervision_sessions WHERE case_notes_seal = 1"
    " ORDER BY id FOR UPDATE";

/* $1 meeting, $2 the note sealed again (base64) */
static const char job_notes_update_sql[] =
    "UPDATE supervision_sessions SET case_notes_sealed = decode($2, 'base64'),"
    "       case_notes_seal = 2"
    " WHERE id = $1::bigint AND case_notes_seal = 1";

static int	job_notes_exec(PGconn *, const char *);

/* How many notes wait to be sealed again, into `*n`. 0, or -1. */
int
job_notes_pending(PGconn *conn, long *n)
{
	PGresult	*res;

	res = PQexec(conn, job_notes_pending_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	*n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return (0);
}

/*
 * Seal again under `key` every note sealed the old way: how many were
 * into `*done`, how many did not open into `*failed` (each named by its
 * meeting on standard error). 0, or -1 with nothing changed.
 */
int
job_notes_reseal(PGconn *conn, const unsigned char *key, long *done,
    long *failed)
{
	PGresult	*res, *up;
	const char	*params[2];
	char		*again;
	long long	 meeting, group;
	int		 i, ret;

	*done = *failed = 0;
	ret = -1;
	res = NULL;
	if (job_notes_exec(conn, "BEGIN") == -1)
		return (-1);
	res = PQexec(conn, job_notes_old_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++) {
		meeting = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		group = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		if ((again = notes_reseal(key, meeting, group,
		    PQgetvalue(res, i, 2))) == NULL) {
			fprintf(stderr, "portalctl: the case notes of "
			    "supervision meeting %lld do not open with this "
			    "key: left as they are\n", meeting);
			(*failed)++;
			continue;
		}
		params[0] = PQgetvalue(res, i, 0);
		params[1] = again;
		up = PQexecParams(conn, job_notes_update_sql, 2, NULL, params,
		    NULL, NULL, 0);
		free(again);
		if (PQresultStatus(up) != PGRES_COMMAND_OK) {
			fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
			PQclear(up);
			goto out;
		}
		PQclear(up);
		(*done)++;
	}
	if (job_notes_exec(conn, "COMMIT") == -1)
		goto out;
	ret = 0;
out:
	PQclear(res);
	if (ret == -1) {
		job_notes_exec(conn, "ROLLBACK");
		*done = 0;
	}
	return (ret);
}

static int
job_notes_exec(PGconn *conn, const char *sql)
{
	PGresult	*res;
	int		 ret;

	res = PQexec(conn, sql);
	ret = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	if (ret == -1)
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
	PQclear(res);
	return (ret);
}
