/*
 * db_audit: one row of the audit log, written inside the caller's
 * transaction: who did what to which thing, from where, with a JSON
 * detail that never holds what a person wrote. A row of its own goes
 * through db_audit(); a row beside the change it records, in the same
 * statement, through DB_AUDIT_ROW.
 */
#ifndef PORTAL_DB_AUDIT_H
#define PORTAL_DB_AUDIT_H

#include "db_status.h"
#include "sqlparam.h"

struct db;

/* The audit log's one INSERT, its columns in this order. */
#define DB_AUDIT_INSERT							\
	"INSERT INTO audit_log (actor_person_id, action, target_type,"	\
	" target_id, ip, detail)"

/* The statement, for a caller on a connection of its own (libpq). */
#define DB_AUDIT_SQL							\
	DB_AUDIT_INSERT							\
	" VALUES ($1::bigint, $2, $3, $4::bigint, nullif($5, '')::inet,"	\
	"        $6::jsonb)"
#define DB_AUDIT_NPARAMS	6

/*
 * The audit row of a statement that makes the change it records, in the
 * same statement (in its WITH, or as its last INSERT):
 *
 *	" a AS (" DB_AUDIT_ROW "$2::bigint, 'session.create', 'session',"
 *	"  id, NULL, NULL FROM s)"
 *
 * followed by every column in DB_AUDIT_INSERT's order (actor, action,
 * target type, target id, address, detail; NULL where there is none),
 * then FROM where they come from.
 */
#define DB_AUDIT_ROW	DB_AUDIT_INSERT " SELECT "

/* DB_AUDIT_SQL's parameters, filled by db_audit_params(). */
struct db_audit_params {
	char		 actor[SQLPARAM_ID_LEN], target[SQLPARAM_ID_LEN];
	const char	*p[DB_AUDIT_NPARAMS];
};

void		db_audit_params(struct db_audit_params *, long long,
		    const char *, const char *, long long, const char *,
		    const char *);
enum db_status	db_audit(struct db *, long long, const char *, const char *,
		    long long, const char *, const char *);

#endif /* !PORTAL_DB_AUDIT_H */
