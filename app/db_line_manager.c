/*
 * db_line_manager: where a person's line manager address comes from
 * (people.manager_source) and a practitioner's change of it. A change
 * waits in manager_changes for its single-use link, mailed to the
 * practitioner's own address, which holds only the token's hash; each
 * operation is one transaction, audited.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_line_manager.h"
#include "outbox_sql.h"
#include "sqlparam.h"

/* Hours a confirmation link works. */
#define LINE_MANAGER_HOURS	"24"

enum {
	Q_GET,
	Q_PERSON,
	Q_VOID,
	Q_ASK,
	Q_FIND,
	Q_APPLY,
	Q__MAX
};

static const char *const line_manager_sql[Q__MAX] = {
	/* $1 person: the manager, where it came from, a change waiting */
	[Q_GET] =
	"SELECT json_build_object('manager_email', p.manager_email,"
	"  'source', CASE WHEN p.manager_email IS NOT NULL"
	"            THEN p.manager_source END,"
	"  'pending', (SELECT json_build_object('manager_email', c.manager_email,"
	"      'expires_at', to_char(c.expires_at AT TIME ZONE 'Europe/London',"
	"                            'YYYY-MM-DD\"T\"HH24:MI:SS'))"
	"    FROM manager_changes c WHERE c.person_id = p.id"
	"     AND c.confirmed_at IS NULL AND c.expires_at > now()"
	"   ORDER BY c.id DESC LIMIT 1))"
	"  FROM people p WHERE p.id = $1::bigint",

	/* $1 person, $2 new address: held; from a staff list; the
	 * person's own address; the same as now */
	[Q_PERSON] =
	"SELECT coalesce(manager_source = 'staff_list', false),"
	"       coalesce(lower(email) = lower($2), false),"
	"       coalesce(lower(manager_email) = lower($2), false)"
	"  FROM people WHERE id = $1::bigint AND erased_at IS NULL FOR UPDATE",

	/* $1 person: a newer request voids those waiting */
	[Q_VOID] =
	"UPDATE manager_changes SET expires_at = now()"
	" WHERE person_id = $1::bigint AND confirmed_at IS NULL"
	"   AND expires_at > now()",

	/* $1 person, $2 new address, $3 token hash, $4 link */
	[Q_ASK] =
	"WITH c AS (INSERT INTO manager_changes (person_id, manager_email,"
	"                                        token_hash, expires_at)"
	"  VALUES ($1::bigint, lower($2), decode($3, 'hex'),"
	"          now() + interval '" LINE_MANAGER_HOURS " hours')"
	"  RETURNING id),"
	" a AS (" DB_AUDIT_ROW
	"  $1::bigint, 'person.manager_change_asked', 'person',"
	"         $1::bigint, NULL, NULL FROM c)"
	OUTBOX_SQL_MAIL_ERASED
	"p.email, 'Confirm your new line manager',"
	"  'Dear ' || p.full_name || E',\\n\\n'"
	"  || E'You asked the Safeguarding Training Portal to record '"
	"  || lower($2) || E' as your line manager. Three months after each '"
	"  || E'course we ask your line manager whether it changed your '"
	"  || E'practice. To confirm the change, open this link within '"
	"  || '" LINE_MANAGER_HOURS " hours:\\n\\n' || $4 || E'\\n\\n'"
	"  || E'If it was not you, ignore this message: nothing changes, and '"
	"  || E'please tell the board.\\n'"
	"  FROM people p, c WHERE p.id = $1::bigint AND p.email IS NOT NULL",

	/* $1 token hash: the change, held; usable; the person's manager
	 * from a staff list meanwhile */
	[Q_FIND] =
	"SELECT c.id, c.person_id,"
	"       c.confirmed_at IS NULL AND c.expires_at > now(),"
	"       coalesce(p.manager_source = 'staff_list', false)"
	"  FROM manager_changes c JOIN people p ON p.id = c.person_id"
	" WHERE c.token_hash = decode($1, 'hex') AND p.erased_at IS NULL"
	"   FOR UPDATE OF c, p",

	/* $1 change: in effect, audited */
	[Q_APPLY] =
	"WITH c AS (UPDATE manager_changes SET confirmed_at = now()"
	"            WHERE id = $1::bigint RETURNING person_id, manager_email),"
	" p AS (UPDATE people SET manager_email = c.manager_email,"
	"        manager_source = 'self' FROM c WHERE people.id = c.person_id"
	"       RETURNING people.id, people.manager_email),"
	" a AS (" DB_AUDIT_ROW
	"  id, 'person.manager_changed', 'person', id, NULL, NULL FROM p)"
	"SELECT json_build_object('manager_email', manager_email,"
	"                         'source', 'self') FROM p",
};

/* `person`'s line manager as JSON in `*out` (caller owns). */
enum db_status
db_line_manager_get(long long person, cJSON **out)
{
	char		 pid[24];
	const char	*params[1] = { pid };

	sqlparam_id(pid, person);
	return (db_json(line_manager_sql[Q_GET], 1, params, out));
}

/*
 * Ask to make `email` `person`'s line manager: unless a staff list names
 * their manager, or it is their own address or the one they have, the
 * older requests are void and a link `link` (whose token hashes to
 * `hash`) is mailed to the person's own address. `*result` is an enum
 * line_manager_result.
 */
enum db_status
db_line_manager_request(long long person, const char *email,
    const char *hash, const char *link, enum line_manager_result *result)
{
	struct db	 db;
	char		 pid[24];
	const char	*params[4];
	int		 st, r;

	*result = LINE_MANAGER_FAILED;
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = pid;
	params[1] = email;
	if ((st = db_exec(&db, line_manager_sql[Q_PERSON], 2, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	if (db_value(&db, 0, 0)[0] == 't') {
		*result = LINE_MANAGER_STAFF_LIST;
		goto out;
	}
	if (db_value(&db, 0, 1)[0] == 't') {
		*result = LINE_MANAGER_OWN_ADDRESS;
		goto out;
	}
	r = db_value(&db, 0, 2)[0] == 't' ? LINE_MANAGER_UNCHANGED :
	    LINE_MANAGER_PENDING;
	if ((st = db_exec(&db, line_manager_sql[Q_VOID], 1, params)) != DB_OK)
		goto out;
	if (r == LINE_MANAGER_PENDING) {
		params[2] = hash;
		params[3] = link;
		if ((st = db_exec(&db, line_manager_sql[Q_ASK], 4, params)) !=
		    DB_OK)
			goto out;
	}
	if ((st = db_commit(&db)) == DB_OK)
		*result = r;
out:
	db_close(&db);
	return (st);
}

/*
 * Confirm the change whose link's token hashes to `hash`: it takes
 * effect unless a staff list names the manager meanwhile. `*out`
 * (caller owns) gets {"manager_email","source"}; `*result` is an enum
 * line_manager_result.
 */
enum db_status
db_line_manager_confirm(const char *hash, cJSON **out, enum line_manager_result *result)
{
	struct db	 db;
	char		 cid[24];
	const char	*params[1];
	int		 st;

	*out = NULL;
	*result = LINE_MANAGER_FAILED;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = hash;
	if ((st = db_exec(&db, line_manager_sql[Q_FIND], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = LINE_MANAGER_NOT_FOUND;
		goto out;
	}
	if (db_value(&db, 0, 2)[0] != 't') {
		*result = LINE_MANAGER_GONE;
		goto out;
	}
	if (db_value(&db, 0, 3)[0] == 't') {
		*result = LINE_MANAGER_STAFF_LIST;
		goto out;
	}
	snprintf(cid, sizeof(cid), "%s", db_value(&db, 0, 0));
	params[0] = cid;
	if ((st = db_exec(&db, line_manager_sql[Q_APPLY], 1, params)) !=
	    DB_OK)
		goto out;
	if ((*out = cJSON_Parse(db_value(&db, 0, 0))) == NULL) {
		st = DB_ERR;
		goto out;
	}
	if ((st = db_commit(&db)) != DB_OK) {
		cJSON_Delete(*out);
		*out = NULL;
		goto out;
	}
	*result = LINE_MANAGER_DONE;
out:
	db_close(&db);
	return (st);
}
