/*
 * db_audit: the audit log's row of its own, in the caller's transaction.
 * (Statements that audit the change they make, in the same statement,
 * write DB_AUDIT_ROW of db_audit.h there.)
 */
#include <stddef.h>

#include "db.h"
#include "db_audit.h"

/*
 * DB_AUDIT_SQL's parameters into `a`: `actor` did `action` to `type`
 * `target` (an id; 0: none, NULL) from address `ip` (NULL or "": none),
 * with `detail` (JSON text; NULL: none).
 */
void
db_audit_params(struct db_audit_params *a, long long actor,
    const char *action, const char *type, long long target, const char *ip,
    const char *detail)
{
	a->p[0] = sqlparam_id(a->actor, actor);
	a->p[1] = action;
	a->p[2] = type;
	a->p[3] = target > 0 ? sqlparam_id(a->target, target) : NULL;
	a->p[4] = ip;
	a->p[5] = detail;
}

/* Write the audit row db_audit_params() describes, in `db`'s transaction. */
enum db_status
db_audit(struct db *db, long long actor, const char *action, const char *type,
    long long target, const char *ip, const char *detail)
{
	struct db_audit_params	a;

	db_audit_params(&a, actor, action, type, target, ip, detail);
	return (db_exec(db, DB_AUDIT_SQL, DB_AUDIT_NPARAMS, a.p));
}
