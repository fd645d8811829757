/*
 * db_account: creating accounts. A person may already be on the books
 * without an account (an imported staff list): registering with their
 * e-mail address gives that person the account. An e-mail address that
 * has an account already is a conflict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_account.h"

enum {
	Q_PRECHECK,
	Q_CREATE,
	Q_LIST,
	Q_LOCK,
	Q_ROLES_DELETE,
	Q_ROLES_INSERT,
	Q_ROLES_AUDIT,
	Q_RESET_REQUEST,
	Q_RESET_USE,
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

	/* $1 agency or NULL, $2 role or NULL, $3 search text or NULL,
	 * $4 limit, $5 offset */
	[Q_LIST] =
	"WITH matched AS ("
	"  SELECT p.id, p.full_name, p.email, p.agency_id,"
	"         g.name AS agency_name, a.last_login_at"
	"    FROM accounts a JOIN people p ON p.id = a.person_id"
	"    LEFT JOIN agencies g ON g.id = p.agency_id"
	"   WHERE p.erased_at IS NULL"
	"     AND ($1::bigint IS NULL OR p.agency_id = $1::bigint"
	"          OR EXISTS (SELECT 1 FROM account_roles r"
	"                      WHERE r.person_id = p.id"
	"                        AND r.agency_id = $1::bigint))"
	"     AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM account_roles r"
	"          WHERE r.person_id = p.id AND r.role = $2))"
	"     AND ($3::text IS NULL OR p.full_name ILIKE '%' || $3 || '%'"
	"          OR p.email ILIKE '%' || $3 || '%'))"
	"SELECT (SELECT count(*) FROM matched),"
	"  coalesce((SELECT json_agg(json_build_object("
	"    'person_id', m.id, 'full_name', m.full_name, 'email', m.email,"
	"    'agency_id', m.agency_id, 'agency_name', m.agency_name,"
	"    'last_login_at', to_char(m.last_login_at,"
	"        'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'),"
	"    'roles', coalesce((SELECT json_agg(r.role ORDER BY r.role)"
	"        FROM account_roles r WHERE r.person_id = m.id), '[]'),"
	"    'setting_lead_agency_id', (SELECT max(r.agency_id)"
	"        FROM account_roles r WHERE r.person_id = m.id"
	"         AND r.role = 'setting_lead'))"
	"    ORDER BY m.full_name, m.id)"
	"    FROM (SELECT * FROM matched ORDER BY full_name, id"
	"           LIMIT $4::int OFFSET $5::int) m), '[]')",

	/* $1 person, $2 agency or NULL: does the account, the agency exist */
	[Q_LOCK] =
	"SELECT EXISTS (SELECT 1 FROM accounts WHERE person_id = $1::bigint"
	"                  FOR UPDATE),"
	"       $2::bigint IS NULL OR EXISTS (SELECT 1 FROM agencies"
	"                  WHERE id = $2::bigint),"
	"       coalesce((SELECT json_agg(role ORDER BY role)"
	"                   FROM account_roles WHERE person_id = $1::bigint),"
	"                '[]')",

	[Q_ROLES_DELETE] =
	"DELETE FROM account_roles WHERE person_id = $1::bigint",

	/* $1 person, $2 roles (text[]), $3 agency of setting_lead */
	[Q_ROLES_INSERT] =
	"INSERT INTO account_roles (person_id, role, agency_id)"
	"SELECT $1::bigint, r, CASE WHEN r = 'setting_lead' THEN $3::bigint END"
	"  FROM unnest($2::text[]) r",

	/* $1 person, $2 actor, $3 address, $4 roles before (JSON),
	 * $5 roles after (text[]), $6 agency or NULL */
	[Q_ROLES_AUDIT] =
	"INSERT INTO audit_log (actor_person_id, action, target_type,"
	"                       target_id, ip, detail)"
	"VALUES ($2::bigint, 'account.roles', 'person', $1::bigint, $3::inet,"
	"        jsonb_build_object('before', $4::jsonb,"
	"          'after', to_jsonb($5::text[]), 'agency_id', $6::bigint))",

	/* $1 e-mail, $2 token hash, $3 link, $4 address: a reset link
	 * for a live account, at most 3 an hour, mailed through the
	 * outbox; nothing (and no error) for anyone else */
	[Q_RESET_REQUEST] =
	"WITH who AS ("
	"  SELECT p.id, p.full_name, p.email FROM people p"
	"    JOIN accounts a ON a.person_id = p.id"
	"   WHERE lower(p.email) = $1 AND p.erased_at IS NULL"
	"     AND a.disabled_at IS NULL"
	"     AND (SELECT count(*) FROM password_resets r"
	"           WHERE r.person_id = p.id"
	"             AND r.created_at > now() - interval '1 hour') < 3),"
	" reset AS ("
	"  INSERT INTO password_resets (token_hash, person_id, expires_at)"
	"  SELECT decode($2, 'hex'), id, now() + interval '1 hour' FROM who"
	"  RETURNING person_id),"
	" mail AS ("
	"  INSERT INTO email_outbox (to_address, subject, body_text)"
	"  SELECT email, 'Reset your password',"
	"    'Dear ' || full_name || E',\n\n'"
	"    || E'Someone asked to reset the password of your account on the '"
	"    || E'Safeguarding Training Portal. To choose a new password, open '"
	"    || E'this link within one hour:\n\n' || $3 || E'\n\n'"
	"    || E'If it was not you, ignore this message: your password stays '"
	"    || E'as it is.\n' FROM who)"
	"INSERT INTO audit_log (actor_person_id, action, target_type,"
	"                       target_id, ip)"
	"SELECT person_id, 'password.reset_requested', 'person', person_id,"
	"       $4::inet FROM reset",

	/* $1 token hash, $2 new password hash, $3 address */
	[Q_RESET_USE] =
	"WITH used AS ("
	"  UPDATE password_resets SET used_at = now()"
	"   WHERE token_hash = decode($1, 'hex') AND used_at IS NULL"
	"     AND expires_at > now()"
	"  RETURNING person_id),"
	" pw AS ("
	"  UPDATE accounts SET password_hash = $2"
	"   WHERE person_id IN (SELECT person_id FROM used)"
	"  RETURNING person_id),"
	" gone AS ("
	"  DELETE FROM web_sessions"
	"   WHERE person_id IN (SELECT person_id FROM pw)),"
	" others AS ("
	"  UPDATE password_resets SET used_at = now()"
	"   WHERE person_id IN (SELECT person_id FROM pw) AND used_at IS NULL"
	"     AND token_hash <> decode($1, 'hex')),"
	" audit AS ("
	"  INSERT INTO audit_log (actor_person_id, action, target_type,"
	"                         target_id, ip)"
	"  SELECT person_id, 'password.reset', 'person', person_id, $3::inet"
	"    FROM pw)"
	"SELECT person_id FROM pw",
};

/*
 * Check what only the database knows about a registration: that the
 * agency and group level exist (wrong ones named in `fields` unless named
 * already; DB_INVALID) and that the e-mail address has no account
 * (DB_CONFLICT, only when `fields` is empty). Fields the rules refused
 * (NULL or 0 in `a`) are not looked up.
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
	if (a->agency_id > 0 && db_value(&db, 0, 0)[0] != 't' &&
	    !cJSON_HasObjectItem(fields, "agency_id"))
		cJSON_AddStringToObject(fields, "agency_id",
		    "There is no such agency.");
	if (a->group_level != NULL && db_value(&db, 0, 1)[0] != 't' &&
	    !cJSON_HasObjectItem(fields, "group_level"))
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

/*
 * A page of accounts for coordinators, filtered by `f` (NULL members:
 * any): {"accounts":[...],"total","limit","offset"} in `*out`.
 */
int
db_account_list(const struct account_filter *f, cJSON **out)
{
	struct db	 db;
	char		 agency[24], lim[24], off[24];
	const char	*params[5];
	int		 st;

	snprintf(agency, sizeof(agency), "%lld", f->agency_id);
	snprintf(lim, sizeof(lim), "%ld", f->limit);
	snprintf(off, sizeof(off), "%ld", f->offset);
	params[0] = f->agency_id > 0 ? agency : NULL;
	params[1] = f->role;
	params[2] = f->q;
	params[3] = lim;
	params[4] = off;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_LIST], 5, params)) == DB_OK) {
		*out = cJSON_CreateObject();
		cJSON_AddItemToObject(*out, "accounts",
		    cJSON_Parse(db_value(&db, 0, 1)));
		cJSON_AddNumberToObject(*out, "total", (double)db_int(&db, 0, 0));
		cJSON_AddNumberToObject(*out, "limit", (double)f->limit);
		cJSON_AddNumberToObject(*out, "offset", (double)f->offset);
	}
	db_close(&db);
	return (st);
}

/*
 * Replace the roles of `person` by `roles` (a PostgreSQL text array
 * literal of known role names), setting lead of `agency` (0: none), as
 * `actor` from `ip`, audited with the roles before and after, in one
 * transaction. DB_NOTFOUND no such account; DB_INVALID no such agency
 * (named in `fields`).
 */
int
db_account_set_roles(long long person, const char *roles, long long agency,
    long long actor, const char *ip, cJSON *fields)
{
	struct db	 db;
	char		 pid[24], aid[24], who[24], *before;
	const char	*params[6];
	int		 st;

	snprintf(pid, sizeof(pid), "%lld", person);
	snprintf(aid, sizeof(aid), "%lld", agency);
	snprintf(who, sizeof(who), "%lld", actor);
	before = NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = pid;
	params[1] = agency > 0 ? aid : NULL;
	if ((st = db_exec(&db, account_sql[Q_LOCK], 2, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 0)[0] != 't') {
		st = DB_NOTFOUND;
		goto out;
	}
	if (db_value(&db, 0, 1)[0] != 't') {
		cJSON_AddStringToObject(fields, "agency_id",
		    "There is no such agency.");
		st = DB_INVALID;
		goto out;
	}
	if ((before = strdup(db_value(&db, 0, 2))) == NULL) {
		st = DB_ERR;
		goto out;
	}

	params[1] = roles;
	params[2] = agency > 0 ? aid : NULL;
	if ((st = db_exec(&db, account_sql[Q_ROLES_DELETE], 1, params)) !=
	    DB_OK ||
	    (st = db_exec(&db, account_sql[Q_ROLES_INSERT], 3, params)) !=
	    DB_OK)
		goto out;
	params[1] = who;
	params[2] = ip;
	params[3] = before;
	params[4] = roles;
	params[5] = agency > 0 ? aid : NULL;
	if ((st = db_exec(&db, account_sql[Q_ROLES_AUDIT], 6, params)) !=
	    DB_OK)
		goto out;
	st = db_commit(&db);
out:
	free(before);
	db_close(&db);
	return (st);
}

/*
 * Ask for a password reset of the account of `email` with link `link`
 * (whose token hashes to `hash`). Says nothing of whether there is such
 * an account: DB_OK either way.
 */
int
db_account_reset_request(const char *email, const char *hash,
    const char *link, const char *ip)
{
	struct db	 db;
	const char	*params[4] = { email, hash, link, ip };
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_exec(&db, account_sql[Q_RESET_REQUEST], 4, params);
	db_close(&db);
	return (st);
}

/*
 * Set a new password hash through the reset link whose token hashes to
 * `hash`: the link is spent, every other link and every session of the
 * person end, in one statement. DB_NOTFOUND: no such live link.
 */
int
db_account_reset_use(const char *hash, const char *password_hash,
    const char *ip)
{
	struct db	 db;
	const char	*params[3] = { hash, password_hash, ip };
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_RESET_USE], 3, params)) ==
	    DB_OK && db_rows(&db) == 0)
		st = DB_NOTFOUND;
	db_close(&db);
	return (st);
}
