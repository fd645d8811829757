/*
 * db_account: creating accounts. A person may already be on the books
 * without an account (an imported staff list): registering with their
 * e-mail address gives that person the account. An e-mail address that
 * has an account already is a conflict.
 */
#include <stdio.h>

#include "db.h"
#include "db_account.h"

enum {
	Q_PRECHECK,
	Q_CREATE,
	Q__MAX
};

static const char *const account_sql[Q__MAX] = {
	/* $1 agency id, $2 group level code, $3 e-mail */
	[Q_PRECHECK] =
	"SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1::bigint),"
	"       EXISTS (SELECT 1 FROM group_levels l JOIN group_schemes s"
	"                   ON s.id = l.scheme_id AND s.is_default"
	"                WHERE l.code = $2),"
	"       EXISTS (SELECT 1 FROM people p JOIN accounts a"
	"                   ON a.person_id = p.id"
	"                WHERE lower(p.email) = $3)",

	/* $1 agency, $2 name, $3 e-mail, $4 job title, $5 level code,
	 * $6 manager e-mail or NULL, $7 password hash, $8 address */
	[Q_CREATE] =
	"WITH level AS ("
	"  SELECT l.id FROM group_levels l JOIN group_schemes s"
	"      ON s.id = l.scheme_id AND s.is_default WHERE l.code = $5),"
	" person AS ("
	"  INSERT INTO people (agency_id, full_name, email, job_title,"
	"                      group_level_id, manager_email)"
	"  SELECT $1::bigint, $2, $3, $4, level.id, $6 FROM level"
	"  ON CONFLICT ((lower(email))) WHERE email IS NOT NULL DO UPDATE"
	"     SET agency_id = EXCLUDED.agency_id,"
	"         full_name = EXCLUDED.full_name,"
	"         job_title = EXCLUDED.job_title,"
	"         group_level_id = EXCLUDED.group_level_id,"
	"         manager_email = EXCLUDED.manager_email"
	"   WHERE NOT EXISTS (SELECT 1 FROM accounts a"
	"                      WHERE a.person_id = people.id)"
	"  RETURNING *),"
	" account AS ("
	"  INSERT INTO accounts (person_id, password_hash)"
	"  SELECT id, $7 FROM person RETURNING person_id),"
	" role AS ("
	"  INSERT INTO account_roles (person_id, role)"
	"  SELECT person_id, 'practitioner' FROM account),"
	" audit AS ("
	"  INSERT INTO audit_log (actor_person_id, action, target_type,"
	"                         target_id, ip)"
	"  SELECT person_id, 'account.create', 'person', person_id, $8"
	"    FROM account)"
	"SELECT p.id, p.full_name, p.email, p.agency_id, p.job_title,"
	"       (SELECT code FROM group_levels WHERE id = p.group_level_id),"
	"       p.manager_email, p.is_dsl, '[\"practitioner\"]'"
	"  FROM person p",
};

/*
 * Check what only the database knows about a valid registration: that
 * the agency and group level exist (wrong ones named in `fields`,
 * DB_INVALID) and that the e-mail address has no account (DB_CONFLICT).
 */
int
db_account_precheck(const struct account_new *a, cJSON *fields)
{
	struct db	 db;
	char		 agency[24];
	const char	*params[3];
	int		 st;

	snprintf(agency, sizeof(agency), "%lld", a->agency_id);
	params[0] = agency;
	params[1] = a->group_level;
	params[2] = a->email;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_PRECHECK], 3, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] != 't')
		cJSON_AddStringToObject(fields, "agency_id",
		    "There is no such agency.");
	if (db_value(&db, 0, 1)[0] != 't')
		cJSON_AddStringToObject(fields, "group_level",
		    "There is no such group level.");
	if (cJSON_GetArraySize(fields) > 0)
		st = DB_INVALID;
	else if (db_value(&db, 0, 2)[0] == 't')
		st = DB_CONFLICT;
out:
	db_close(&db);
	return (st);
}

/*
 * Create the account of `a` with password hash `hash`, asked from
 * address `ip`, in one statement (one transaction). On DB_OK `*person`
 * is the new person as JSON (caller owns). DB_CONFLICT when the e-mail
 * address has an account.
 */
int
db_account_create(const struct account_new *a, const char *hash,
    const char *ip, cJSON **person)
{
	static const struct db_column cols[] = {
		{ "id", DB_INT }, { "full_name", DB_TEXT },
		{ "email", DB_TEXT }, { "agency_id", DB_INT },
		{ "job_title", DB_TEXT }, { "group_level", DB_TEXT },
		{ "manager_email", DB_TEXT }, { "is_dsl", DB_BOOL },
		{ "roles", DB_JSON },
	};
	struct db	 db;
	char		 agency[24];
	const char	*params[8];
	cJSON		*rows;
	int		 st;

	snprintf(agency, sizeof(agency), "%lld", a->agency_id);
	params[0] = agency;
	params[1] = a->full_name;
	params[2] = a->email;
	params[3] = a->job_title;
	params[4] = a->group_level;
	params[5] = a->manager_email[0] ? a->manager_email : NULL;
	params[6] = hash;
	params[7] = ip;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_CREATE], 8, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_CONFLICT;
		goto out;
	}
	rows = db_rows_json(&db, 0, cols, 9);
	*person = cJSON_DetachItemFromArray(rows, 0);
	cJSON_Delete(rows);
out:
	db_close(&db);
	return (st);
}
