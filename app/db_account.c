/*
 * db_account: creating accounts. Every registration is answered alike and
 * mailed: a new address gets an unverified account (it signs in, it does
 * not book) and a link that verifies it; the address of a person already
 * on the books (an imported staff list, a coordinator's booking) gets a
 * link that claims that person, and nothing of the person is touched or
 * shown until it is used; an address with an account gets a mail saying
 * so. Links live 24 hours, are single-use, and are stored hashed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_account.h"
#include "db_audit.h"
#include "outbox_sql.h"
#include "sqlparam.h"

enum {
	Q_PRECHECK,
	Q_REQUEST,
	Q_ADDRESS_LOCK,
	Q_ADDRESS_WHO,
	Q_REG_TAKEN,
	Q_REG_CLAIM,
	Q_REG_NEW,
	Q_VERIFY_TAKE,
	Q_VERIFY_ACCOUNT,
	Q_VERIFY_CLAIM,
	Q_PERSON,
	Q_LIST,
	Q_LOCK,
	Q_ROLES_DELETE,
	Q_ROLES_INSERT,
	Q_ROLES_AUDIT,
	Q_DISABLE,
	Q_RESET_REQUEST,
	Q_RESET_CHECK,
	Q_RESET_USE,
	Q__MAX
};

static const char *const account_sql[Q__MAX] = {
	/* $1 agency id, $2 group level code, $3 e-mail, $4 manager's */
	[Q_PRECHECK] =
	"SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1::bigint AND active),"
	"       EXISTS (SELECT 1 FROM group_levels l JOIN group_schemes s"
	"                   ON s.id = l.scheme_id AND s.is_default"
	"                WHERE l.code = $2),"
	"       coalesce(lower($3) = lower($4), false)",

	/*
	 * $1 kind, $2 e-mail, $3 client address, $4 limit per e-mail,
	 * $5 limit per client, in ACCOUNT_REQUEST_WINDOW: seconds to wait,
	 * or 0 and the request is recorded.
	 */
	[Q_REQUEST] =
	"WITH f AS (SELECT at, lower(email) = lower($2) AS mine,"
	"                  ip = $3::inet AS here FROM account_requests"
	"            WHERE kind = $1 AND at > now() - interval '"
	ACCOUNT_REQUEST_WINDOW "'"
	"              AND (lower(email) = lower($2) OR ip = $3::inet)),"
	" m AS (SELECT at FROM f WHERE mine ORDER BY at DESC"
	"        OFFSET $4::int - 1 LIMIT 1),"
	" h AS (SELECT at FROM f WHERE here ORDER BY at DESC"
	"        OFFSET $5::int - 1 LIMIT 1),"
	" wait AS (SELECT greatest(coalesce(ceil(extract(epoch FROM greatest("
	"   (SELECT at FROM m), (SELECT at FROM h)) + interval '"
	ACCOUNT_REQUEST_WINDOW "' - now()))::int, 0), 0) AS secs),"
	" ins AS (INSERT INTO account_requests (kind, email, ip)"
	"   SELECT $1, lower($2), $3::inet FROM wait WHERE secs = 0)"
	"SELECT secs FROM wait",

	/* $1 e-mail: one registration or verification per address at once */
	[Q_ADDRESS_LOCK] =
	"SELECT pg_advisory_xact_lock(3, hashtext(lower($1)))",

	/* $1 e-mail: the person of the address, whether they have an account */
	[Q_ADDRESS_WHO] =
	"SELECT p.id, EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)"
	"  FROM people p WHERE lower(p.email) = lower($1)",

	/* $1 e-mail, $2 portal address: the address has an account */
	[Q_REG_TAKEN] =
	OUTBOX_SQL_MAIL
	"p.email, 'Your account on the Safeguarding Training Portal',"
	"  'Dear ' || p.full_name || E',\n\n'"
	"  || E'Someone, perhaps you, asked to create an account on the '"
	"  || E'Safeguarding Training Portal with this e-mail address. It '"
	"  || E'already has an account, so nothing was changed.\n\n'"
	"  || E'To sign in: ' || $2 || E'/sign-in\n'"
	"  || E'If you have forgotten your password: ' || $2"
	"  || E'/forgotten-password\n\n'"
	"  || E'If it was not you, you can ignore this message.\n'"
	"  FROM people p WHERE lower(p.email) = lower($1)",

	/*
	 * $1 token hash, $2 e-mail, $3 name, $4 agency, $5 job title,
	 * $6 level code, $7 manager e-mail or NULL, $8 password hash,
	 * $9 link, $10 address: a registration waiting to claim the person
	 * of the address, who is not touched.
	 */
	[Q_REG_CLAIM] =
	"WITH v AS ("
	"  INSERT INTO email_verifications (token_hash, email, full_name,"
	"    agency_id, job_title, group_level_id, manager_email,"
	"    password_hash, expires_at)"
	"  SELECT decode($1, 'hex'), lower($2), $3, $4::bigint, $5, l.id, $7,"
	"         $8, now() + interval '" VERIFY_HOURS " hours'"
	"    FROM group_levels l JOIN group_schemes s"
	"      ON s.id = l.scheme_id AND s.is_default WHERE l.code = $6"
	"  RETURNING email),"
	" audit AS (" DB_AUDIT_ROW
	"  NULL, 'account.claim_requested', 'person', p.id, $10::inet, NULL"
	"    FROM people p WHERE lower(p.email) = lower($2))"
	OUTBOX_SQL_MAIL_ERASED
	"email, 'Confirm your e-mail address',"
	"  'Dear ' || $3 || E',\n\n'"
	"  || E'Thank you for creating an account on the Safeguarding '"
	"  || E'Training Portal. Your address is already known to us (for '"
	"  || E'example from your setting''s staff list). To confirm that it '"
	"  || E'is yours and link your account to your training record, open '"
	"  || E'this link within 24 hours:\n\n' || $9 || E'\n\n'"
	"  || E'If it was not you, ignore this message: nothing changes.\n'"
	"  FROM v",

	/*
	 * $1 agency, $2 name, $3 e-mail, $4 job title, $5 level code,
	 * $6 manager e-mail or NULL, $7 password hash, $8 address,
	 * $9 token hash, $10 link: a new person and their unverified
	 * account, its verification link mailed.
	 */
	[Q_REG_NEW] =
	"WITH person AS ("
	"  INSERT INTO people (agency_id, full_name, email, job_title,"
	"                      group_level_id, manager_email, manager_source)"
	"  SELECT $1::bigint, $2, lower($3), $4, l.id, $6::text,"
	"         CASE WHEN $6::text IS NOT NULL THEN 'self' END"
	"    FROM group_levels l JOIN group_schemes s"
	"      ON s.id = l.scheme_id AND s.is_default WHERE l.code = $5"
	"  RETURNING id, email),"
	" account AS ("
	"  INSERT INTO accounts (person_id, password_hash, verified_at)"
	"  SELECT id, $7, NULL FROM person RETURNING person_id),"
	" role AS ("
	"  INSERT INTO account_roles (person_id, role)"
	"  SELECT person_id, 'practitioner' FROM account),"
	" audit AS (" DB_AUDIT_ROW
	"  person_id, 'account.create', 'person', person_id, $8::inet, NULL"
	"    FROM account),"
	" link AS ("
	"  INSERT INTO email_verifications (token_hash, email, person_id,"
	"                                   expires_at)"
	"  SELECT decode($9, 'hex'), p.email, a.person_id,"
	"         now() + interval '" VERIFY_HOURS " hours'"
	"    FROM person p JOIN account a ON a.person_id = p.id)"
	OUTBOX_SQL_MAIL_ERASED
	"email, 'Confirm your e-mail address',"
	"  'Dear ' || $2 || E',\n\n'"
	"  || E'Thank you for creating an account on the Safeguarding '"
	"  || E'Training Portal. You can sign in now; to book training, '"
	"  || E'confirm that this e-mail address is yours by opening this '"
	"  || E'link within 24 hours:\n\n' || $10 || E'\n\n'"
	"  || E'If it was not you, ignore this message.\n'"
	"  FROM person",

	/* $1 token hash: spend a live verification link, say what it was */
	[Q_VERIFY_TAKE] =
	"UPDATE email_verifications SET used_at = now()"
	" WHERE token_hash = decode($1, 'hex') AND used_at IS NULL"
	"   AND expires_at > now()"
	"RETURNING person_id, email",

	/* $1 person, $2 address: the new account's address is proved */
	[Q_VERIFY_ACCOUNT] =
	"WITH v AS ("
	"  UPDATE accounts SET verified_at = coalesce(verified_at, now())"
	"   WHERE person_id = $1::bigint AND disabled_at IS NULL"
	"  RETURNING person_id)"
	DB_AUDIT_ROW
	"person_id, 'account.verified', 'person', person_id, $2::inet, NULL"
	"  FROM v RETURNING target_id",

	/*
	 * $1 token hash, $2 address: the claim of the link is proved: the
	 * person of the address gets the account (their record keeps what
	 * it says; only what it lacks is filled in from the registration),
	 * and every other claim of the address is void.
	 */
	[Q_VERIFY_CLAIM] =
	"WITH v AS (SELECT * FROM email_verifications"
	"            WHERE token_hash = decode($1, 'hex')),"
	" target AS (SELECT p.id FROM people p, v"
	"             WHERE lower(p.email) = lower(v.email)"
	"               AND p.erased_at IS NULL"
	"               AND NOT EXISTS (SELECT 1 FROM accounts a"
	"                                WHERE a.person_id = p.id)"
	"            FOR UPDATE OF p),"
	" filled AS ("
	"  UPDATE people p SET"
	"         agency_id = coalesce(p.agency_id, v.agency_id),"
	"         job_title = coalesce(p.job_title, v.job_title),"
	"         group_level_id = coalesce(p.group_level_id, v.group_level_id),"
	"         manager_email = coalesce(p.manager_email, v.manager_email),"
	"         manager_source = CASE WHEN p.manager_email IS NOT NULL"
	"             THEN p.manager_source"
	"             WHEN v.manager_email IS NOT NULL THEN 'self' END"
	"    FROM v WHERE p.id IN (SELECT id FROM target)"
	"  RETURNING p.id),"
	" account AS ("
	"  INSERT INTO accounts (person_id, password_hash, verified_at)"
	"  SELECT f.id, v.password_hash, now() FROM filled f, v"
	"  RETURNING person_id),"
	" role AS ("
	"  INSERT INTO account_roles (person_id, role)"
	"  SELECT person_id, 'practitioner' FROM account),"
	" void AS ("
	"  UPDATE email_verifications e SET used_at = now()"
	"    FROM v WHERE lower(e.email) = lower(v.email)"
	"     AND e.used_at IS NULL AND e.person_id IS NULL),"
	" audit AS (" DB_AUDIT_ROW
	"  person_id, 'account.create', 'person', person_id, $2::inet,"
	"  '{\"claimed\": true}' FROM account)"
	"SELECT person_id FROM account",

	/* $1 person: as the API shows a new account */
	[Q_PERSON] =
	"SELECT p.id, p.full_name, p.email, p.agency_id, p.job_title,"
	"       (SELECT code FROM group_levels WHERE id = p.group_level_id),"
	"       p.manager_email, p.is_dsl,"
	"       coalesce((SELECT json_agg(r.role ORDER BY r.role)"
	"                  FROM account_roles r WHERE r.person_id = p.id),"
	"                '[]'),"
	"       a.verified_at IS NOT NULL"
	"  FROM people p JOIN accounts a ON a.person_id = p.id"
	" WHERE p.id = $1::bigint",

	/* $1 agency or NULL, $2 role or NULL, $3 search text or NULL,
	 * $4 limit, $5 offset */
	[Q_LIST] =
	"WITH matched AS ("
	"  SELECT p.id, p.full_name, p.email, p.agency_id,"
	"         g.name AS agency_name, a.last_login_at, a.disabled_at"
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
	"    'disabled', m.disabled_at IS NOT NULL,"
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
	DB_AUDIT_ROW
	"$2::bigint, 'account.roles', 'person', $1::bigint, $3::inet,"
	"  jsonb_build_object('before', $4::jsonb,"
	"    'after', to_jsonb($5::text[]), 'agency_id', $6::bigint)",

	/*
	 * $1 person, $2 disabled (boolean), $3 actor, $4 address: the
	 * account disabled (its sessions ended: it is signed out at once)
	 * or enabled again, audited when it changed; one row, the account
	 * as it now is, or none when there is no such account.
	 */
	[Q_DISABLE] =
	"WITH old AS (SELECT person_id, disabled_at FROM accounts"
	"              WHERE person_id = $1::bigint FOR UPDATE),"
	" upd AS (UPDATE accounts a SET disabled_at = CASE WHEN $2::boolean"
	"          THEN coalesce(a.disabled_at, now()) END"
	"          FROM old WHERE a.person_id = old.person_id"
	"          RETURNING a.person_id, a.disabled_at,"
	"                    (old.disabled_at IS NULL) = $2::boolean AS changed),"
	" gone AS (DELETE FROM web_sessions WHERE $2::boolean"
	"          AND person_id IN (SELECT person_id FROM upd)),"
	" audit AS (" DB_AUDIT_ROW
	"          $3::bigint, CASE WHEN $2::boolean"
	"                 THEN 'account.disabled' ELSE 'account.enabled' END,"
	"                 'person', person_id, $4::inet, NULL"
	"            FROM upd WHERE changed)"
	"SELECT disabled_at IS NOT NULL FROM upd",

	/* $1 e-mail, $2 token hash, $3 link, $4 address: a reset link
	 * for a live account, mailed through the outbox; nothing (and no
	 * error) for anyone else */
	[Q_RESET_REQUEST] =
	"WITH who AS ("
	"  SELECT p.id, p.full_name, p.email FROM people p"
	"    JOIN accounts a ON a.person_id = p.id"
	"   WHERE lower(p.email) = lower($1) AND p.erased_at IS NULL"
	"     AND a.disabled_at IS NULL),"
	" reset AS ("
	"  INSERT INTO password_resets (token_hash, person_id, expires_at)"
	"  SELECT decode($2, 'hex'), id, now() + interval '1 hour' FROM who"
	"  RETURNING person_id),"
	" mail AS (" OUTBOX_SQL_MAIL_ERASED
	"    email, 'Reset your password',"
	"    'Dear ' || full_name || E',\n\n'"
	"    || E'Someone asked to reset the password of your account on the '"
	"    || E'Safeguarding Training Portal. To choose a new password, open '"
	"    || E'this link within one hour:\n\n' || $3 || E'\n\n'"
	"    || E'If it was not you, ignore this message: your password stays '"
	"    || E'as it is.\n' FROM who)"
	DB_AUDIT_ROW
	"person_id, 'password.reset_requested', 'person', person_id,"
	"       $4::inet, NULL FROM reset",

	/* $1 token hash: whether it is a live link of a live account */
	[Q_RESET_CHECK] =
	"SELECT 1 FROM password_resets r"
	"  JOIN accounts a ON a.person_id = r.person_id"
	" WHERE r.token_hash = decode($1, 'hex') AND r.used_at IS NULL"
	"   AND r.expires_at > now() AND a.disabled_at IS NULL",

	/* $1 token hash, $2 new password hash, $3 address */
	[Q_RESET_USE] =
	"WITH used AS ("
	"  UPDATE password_resets SET used_at = now()"
	"   WHERE token_hash = decode($1, 'hex') AND used_at IS NULL"
	"     AND expires_at > now()"
	"  RETURNING person_id),"
	" pw AS ("
	"  UPDATE accounts SET password_hash = $2,"
	"         verified_at = coalesce(verified_at, now())"
	"   WHERE person_id IN (SELECT person_id FROM used)"
	"     AND disabled_at IS NULL"
	"  RETURNING person_id),"
	" gone AS ("
	"  DELETE FROM web_sessions"
	"   WHERE person_id IN (SELECT person_id FROM pw)),"
	" others AS ("
	"  UPDATE password_resets SET used_at = now()"
	"   WHERE person_id IN (SELECT person_id FROM pw) AND used_at IS NULL"
	"     AND token_hash <> decode($1, 'hex')),"
	" audit AS (" DB_AUDIT_ROW
	"  person_id, 'password.reset', 'person', person_id, $3::inet, NULL"
	"    FROM pw)"
	"SELECT person_id FROM pw",
};

/*
 * Check what only the database knows about a registration: that the
 * agency and group level exist (wrong ones named in `fields` unless named
 * already; DB_INVALID), and that the line manager's address is not the
 * person's own in any case (lower(), the one rule for case). Fields the
 * rules refused (NULL or 0 in `a`) are not looked up. Whether the
 * address is known is never said.
 */
enum db_status
db_account_precheck(const struct account_new *a, cJSON *fields)
{
	struct db	 db;
	char		 agency[24];
	const char	*params[4];
	int		 st;

	sqlparam_id(agency, a->agency_id);
	params[0] = agency;
	params[1] = a->group_level;
	params[2] = a->email[0] ? a->email : NULL;
	params[3] = a->manager_email[0] ? a->manager_email : NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_PRECHECK], 4, params)) != DB_OK)
		goto out;
	if (db_value(&db, 0, 2)[0] == 't' &&
	    !cJSON_HasObjectItem(fields, "manager_email"))
		cJSON_AddStringToObject(fields, "manager_email",
		    "Enter your line manager's e-mail address, not your own.");
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
out:
	db_close(&db);
	return (st);
}

/*
 * Record a registration or reset request (`kind` "register" or "reset")
 * for `email` from client `ip`, unless the address or the client has
 * made ACCOUNT_REQUESTS_PER_EMAIL or `per_client` of that kind within
 * ACCOUNT_REQUEST_WINDOW: then `*wait` is the seconds until it may.
 */
enum db_status
db_account_request(const char *kind, const char *email, const char *ip,
    int per_client, int *wait)
{
	struct db	 db;
	char		 per_email[16], client[16];
	const char	*params[5];
	int		 st;

	snprintf(per_email, sizeof(per_email), "%d",
	    ACCOUNT_REQUESTS_PER_EMAIL);
	snprintf(client, sizeof(client), "%d", per_client);
	params[0] = kind;
	params[1] = email;
	params[2] = ip;
	params[3] = per_email;
	params[4] = client;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_REQUEST], 5, params)) == DB_OK)
		*wait = (int)db_int(&db, 0, 0);
	db_close(&db);
	return (st);
}

/*
 * Register `a` (password hash `hash`) from `ip`, in one transaction, as
 * the address calls for (see the top of this file). `token_hash` is the
 * hash of the token in `link`; `base` the portal's address for the mail
 * to an address that has an account. DB_OK whatever the address.
 */
enum db_status
db_account_register(const struct account_new *a, const char *hash,
    const char *token_hash, const char *link, const char *base,
    const char *ip)
{
	struct db	 db;
	char		 agency[24];
	const char	*params[10];
	int		 st;

	sqlparam_id(agency, a->agency_id);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	params[0] = a->email;
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, account_sql[Q_ADDRESS_LOCK], 1, params)) !=
	    DB_OK ||
	    (st = db_exec(&db, account_sql[Q_ADDRESS_WHO], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) > 0 && db_value(&db, 0, 1)[0] == 't') {
		params[1] = base;
		st = db_exec(&db, account_sql[Q_REG_TAKEN], 2, params);
	} else if (db_rows(&db) > 0) {
		params[0] = token_hash;
		params[1] = a->email;
		params[2] = a->full_name;
		params[3] = agency;
		params[4] = a->job_title;
		params[5] = a->group_level;
		params[6] = a->manager_email[0] ? a->manager_email : NULL;
		params[7] = hash;
		params[8] = link;
		params[9] = ip;
		st = db_exec(&db, account_sql[Q_REG_CLAIM], 10, params);
	} else {
		params[0] = agency;
		params[1] = a->full_name;
		params[2] = a->email;
		params[3] = a->job_title;
		params[4] = a->group_level;
		params[5] = a->manager_email[0] ? a->manager_email : NULL;
		params[6] = hash;
		params[7] = ip;
		params[8] = token_hash;
		params[9] = link;
		st = db_exec(&db, account_sql[Q_REG_NEW], 10, params);
	}
	if (st == DB_OK)
		st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * Use the verification link whose token hashes to `token_hash`, from
 * `ip`, in one transaction: the new account is verified, or the claimed
 * person gets the account. On DB_OK `*person` (caller owns) is the
 * account as JSON. DB_NOTFOUND: no such live link (or the account is
 * disabled); DB_CONFLICT: the person has an account already.
 */
enum db_status
db_account_verify(const char *token_hash, const char *ip, cJSON **person)
{
	static const struct db_column cols[] = {
		{ "id", DB_INT }, { "full_name", DB_TEXT },
		{ "email", DB_TEXT }, { "agency_id", DB_INT },
		{ "job_title", DB_TEXT }, { "group_level", DB_TEXT },
		{ "manager_email", DB_TEXT }, { "is_dsl", DB_BOOL },
		{ "roles", DB_JSON }, { "email_verified", DB_BOOL },
	};
	struct db	 db;
	char		 id[24], *email;
	const char	*params[2];
	cJSON		*rows;
	int		 st, claim;

	email = NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	params[0] = token_hash;
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, account_sql[Q_VERIFY_TAKE], 1, params)) !=
	    DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	claim = db_isnull(&db, 0, 0);
	snprintf(id, sizeof(id), "%s", db_value(&db, 0, 0));
	if ((email = strdup(db_value(&db, 0, 1))) == NULL) {
		st = DB_ERR;
		goto out;
	}
	params[1] = ip;
	if (claim) {
		params[0] = email;
		if ((st = db_exec(&db, account_sql[Q_ADDRESS_LOCK], 1,
		    params)) != DB_OK)
			goto out;
		params[0] = token_hash;
		st = db_exec(&db, account_sql[Q_VERIFY_CLAIM], 2, params);
	} else {
		params[0] = id;
		st = db_exec(&db, account_sql[Q_VERIFY_ACCOUNT], 2, params);
	}
	if (st != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = claim ? DB_CONFLICT : DB_NOTFOUND;
		goto out;
	}
	snprintf(id, sizeof(id), "%s", db_value(&db, 0, 0));
	params[0] = id;
	if ((st = db_exec(&db, account_sql[Q_PERSON], 1, params)) != DB_OK)
		goto out;
	rows = db_rows_json(&db, 0, cols, 10);
	if ((st = db_commit(&db)) == DB_OK)
		*person = cJSON_DetachItemFromArray(rows, 0);
	cJSON_Delete(rows);
out:
	free(email);
	db_close(&db);
	return (st);
}

/*
 * A page of accounts for coordinators, filtered by `f` (NULL members:
 * any): {"accounts":[...],"total","limit","offset"} in `*out`.
 */
enum db_status
db_account_list(const struct account_filter *f, cJSON **out)
{
	struct db	 db;
	char		 agency[24], lim[24], off[24];
	const char	*params[5];
	int		 st;

	sqlparam_id(agency, f->agency_id);
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
enum db_status
db_account_set_roles(long long person, const char *roles, long long agency,
    long long actor, const char *ip, cJSON *fields)
{
	struct db	 db;
	char		 pid[24], aid[24], who[24], *before;
	const char	*params[6];
	int		 st;

	sqlparam_id(pid, person);
	sqlparam_id(aid, agency);
	sqlparam_id(who, actor);
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
 * Disable the account of `person` (ending its sessions) or, when
 * `disabled` is 0, enable it again, as `actor` from `ip`: one statement,
 * audited when it changes anything. DB_NOTFOUND no such account.
 */
enum db_status
db_account_disable(long long person, int disabled, long long actor,
    const char *ip)
{
	struct db	 db;
	char		 pid[24], who[24];
	const char	*params[4];
	int		 st;

	sqlparam_id(pid, person);
	sqlparam_id(who, actor);
	params[0] = pid;
	params[1] = disabled ? "true" : "false";
	params[2] = who;
	params[3] = ip;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_DISABLE], 4, params)) == DB_OK &&
	    db_rows(&db) == 0)
		st = DB_NOTFOUND;
	db_close(&db);
	return (st);
}

/*
 * Ask for a password reset of the account of `email` with link `link`
 * (whose token hashes to `hash`). Says nothing of whether there is such
 * an account: DB_OK either way.
 */
enum db_status
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

/* Whether `hash` is the token hash of a live reset link: DB_OK or
 * DB_NOTFOUND. */
enum db_status
db_account_reset_check(const char *hash)
{
	struct db	 db;
	const char	*params[1] = { hash };
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, account_sql[Q_RESET_CHECK], 1, params)) ==
	    DB_OK && db_rows(&db) == 0)
		st = DB_NOTFOUND;
	db_close(&db);
	return (st);
}

/*
 * Set a new password hash through the reset link whose token hashes to
 * `hash`: the link is spent, every other link and every session of the
 * person end, in one statement. DB_NOTFOUND: no such live link.
 */
enum db_status
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
