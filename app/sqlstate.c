/*
 * sqlstate: the db_status of a failed statement from its SQLSTATE.
 * Kore-free.
 */
#include <string.h>

#include "sqlstate.h"

/*
 * The status of a statement that failed with SQLSTATE `state` (NULL when
 * the server gave none): DB_CONFLICT for a unique or exclusion
 * violation; DB_INVALID for a check, foreign key or not-null violation
 * or bad data (class 22); DB_UNAVAILABLE when the connection failed, the
 * server shut down, or a time limit ran out (sqlstate_is_timeout());
 * DB_ERR for anything else.
 */
enum db_status
sqlstate_status(const char *state)
{
	if (state == NULL)
		return (DB_ERR);
	if (strcmp(state, "23505") == 0 || strcmp(state, "23P01") == 0)
		return (DB_CONFLICT);
	if (strcmp(state, "23514") == 0 || strcmp(state, "23503") == 0 ||
	    strcmp(state, "23502") == 0 || strncmp(state, "22", 2) == 0)
		return (DB_INVALID);
	if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    sqlstate_is_timeout(state))
		return (DB_UNAVAILABLE);
	return (DB_ERR);
}

/* Whether `state` is lock_timeout or statement_timeout: busy, not broken. */
int
sqlstate_is_timeout(const char *state)
{
	return (state != NULL && (strcmp(state, "55P03") == 0 ||
	    strcmp(state, "57014") == 0));
}
