/*
 * db_session: sign-in sessions (stored as the hash of their token, with
 * idle and absolute expiry) and the throttling of failed sign-ins.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_session.h"
#include "sqlparam.h"

enum {
	Q_LOCK,
	Q_RESERVE,
	Q_CREDENTIALS,
	Q_FAILED,
	Q_CREATE,
	Q_LOOKUP,
	Q_DELETE,
	Q_ACCOUNT,
	Q__MAX
};

#define S_(x)	#x
#define S(x)	S_(x)

static const char *const session_sql[Q__MAX] = {
	/*
	 * $1 e-mail, $2 address: serialise the attempts of one account and
	 * of one address (always in this order: no deadlock), until commit.
	 */
	[Q_LOCK] =
	"SELECT pg_advisory_xact_lock(1, hashtext(lower($1))),"
	"       pg_advisory_xact_lock(2, hashtext(host($2::inet)))",

	/*
	 * $1 e-mail, $2 address: seconds the account waits (0: go ahead),
	 * the attempt reserved when it need not wait (a failure for the
	 * account until it succeeds), and the address's failures in the
	 * window (attempts found wrong: checks under way do not slow it).
	 * The account is refused at THROTTLE_PER_ACCOUNT failures, or at
	 * THROTTLE_SLOWED_PER_ACCOUNT while its address is slowed.
	 */
	[Q_RESERVE] =
	"WITH f AS (SELECT at, failed_at, lower(email) = lower($1) AS mine,"
	"                  ip = $2::inet AS here FROM login_attempts"
	"            WHERE NOT succeeded AND at > now() - interval '"
	S(THROTTLE_WINDOW_MINUTES) " minutes'"
	"              AND (lower(email) = lower($1) OR ip = $2::inet)),"
	" addr AS (SELECT count(*) AS n FROM f"
	"           WHERE here AND failed_at IS NOT NULL),"
	" acct AS (SELECT at, row_number() OVER (ORDER BY at DESC) AS k"
	"            FROM f WHERE mine),"
	" wait AS (SELECT coalesce(ceil(extract(epoch FROM (SELECT acct.at"
	"   FROM acct, addr WHERE acct.k = CASE WHEN addr.n >= "
	S(THROTTLE_PER_ADDRESS) " THEN " S(THROTTLE_SLOWED_PER_ACCOUNT)
	" ELSE " S(THROTTLE_PER_ACCOUNT) " END) + interval '"
	S(THROTTLE_WINDOW_MINUTES) " minutes' - now()))::int, 0) AS secs),"
	" attempt AS (INSERT INTO login_attempts (email, ip, succeeded)"
	"   SELECT lower($1), $2::inet, false FROM wait WHERE secs <= 0"
	"   RETURNING id)"
	"SELECT greatest(secs, 0), (SELECT id FROM attempt),"
	"       (SELECT n FROM addr) FROM wait",

	/* $1 e-mail */
	[Q_CREDENTIALS] =
	"SELECT p.id, a.password_hash FROM people p"
	"  JOIN accounts a ON a.person_id = p.id"
	" WHERE lower(p.email) = lower($1) AND a.disabled_at IS NULL"
	"   AND p.erased_at IS NULL",

	/*
	 * $1 address, $2 person or NULL, $3 the attempt: found wrong (it
	 * counts for the account already; now for the address too).
	 */
	[Q_FAILED] =
	"WITH wrong AS (UPDATE login_attempts SET failed_at = now()"
	"                WHERE id = $3::bigint)"
	DB_AUDIT_ROW
	"$2::bigint, 'session.login_failed', 'person', $2::bigint,"
	"        $1::inet, NULL",

	/* $1 person, $2 token hash, $3 csrf token, $4 address,
	 * $5 the attempt reserved */
	[Q_CREATE] =
	"WITH s AS ("
	"  INSERT INTO web_sessions (token_hash, person_id, csrf_token,"
	"                            expires_at, ip)"
	"  VALUES (decode($2, 'hex'), $1::bigint, $3, now() + interval '"
	S(SESSION_ABSOLUTE_HOURS) " hours', $4::inet)"
	"  RETURNING person_id),"
	" ok AS ("
	"  UPDATE login_attempts SET succeeded = true WHERE id = $5::bigint),"
	" seen AS ("
	"  UPDATE accounts SET last_login_at = now()"
	"   WHERE person_id = $1::bigint),"
	" audit AS (" DB_AUDIT_ROW
	"  person_id, 'session.login', 'person', person_id, $4::inet, NULL"
	"    FROM s)"
	"SELECT person_id FROM s",

	/*
	 * $1 token hash: whose live session it is. Its last use is
	 * recorded to the minute (SESSION_TOUCH_SECONDS), so that a busy
	 * session does not write on every request.
	 */
	[Q_LOOKUP] =
	"WITH live AS ("
	"  SELECT s.token_hash, s.person_id, p.agency_id, s.csrf_token,"
	"         s.last_seen_at, a.verified_at IS NOT NULL AS verified"
	"    FROM web_sessions s JOIN people p ON p.id = s.person_id"
	"    JOIN accounts a ON a.person_id = s.person_id"
	"   WHERE s.token_hash = decode($1, 'hex') AND s.expires_at > now()"
	"     AND a.disabled_at IS NULL"
	"     AND s.last_seen_at > now() - interval '"
	S(SESSION_IDLE_MINUTES) " minutes'"
	"     AND p.erased_at IS NULL),"
	" touch AS ("
	"  UPDATE web_sessions w SET last_seen_at = now() FROM live"
	"   WHERE w.token_hash = live.token_hash"
	"     AND live.last_seen_at < now() - interval '"
	S(SESSION_TOUCH_SECONDS) " seconds')"
	"SELECT live.person_id, live.agency_id, live.csrf_token,"
	"  (SELECT coalesce(bit_or(CASE r.role"
	"     WHEN 'practitioner' THEN 1 WHEN 'trainer' THEN 2"
	"     WHEN 'setting_lead' THEN 4 WHEN 'reviewer' THEN 8"
	"     WHEN 'coordinator' THEN 16 END), 0)"
	"     FROM account_roles r WHERE r.person_id = live.person_id),"
	"  (SELECT max(r.agency_id) FROM account_roles r"
	"    WHERE r.person_id = live.person_id AND r.role = 'setting_lead'),"
	"  live.verified"
	"  FROM live",

	/* $1 token hash, $2 address */
	[Q_DELETE] =
	"WITH s AS (DELETE FROM web_sessions"
	"            WHERE token_hash = decode($1, 'hex')"
	"           RETURNING person_id)"
	DB_AUDIT_ROW
	"person_id, 'session.logout', 'person', person_id, $2::inet, NULL"
	"  FROM s",

	/* $1 person */
	[Q_ACCOUNT] =
	"SELECT p.id, p.full_name, p.email, p.agency_id,"
	"       coalesce((SELECT json_agg(r.role ORDER BY r.role)"
	"                  FROM account_roles r WHERE r.person_id = p.id),"
	"                '[]'),"
	"       (SELECT max(r.agency_id) FROM account_roles r"
	"         WHERE r.person_id = p.id AND r.role = 'setting_lead'),"
	"       (SELECT code FROM group_levels WHERE id = p.group_level_id),"
	"       p.job_title,"
	"       EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id"
	"                  AND a.verified_at IS NOT NULL)"
	"  FROM people p WHERE p.id = $1::bigint",
};

/*
 * Count a sign-in attempt for `email` from `ip` before its password is
 * checked, atomically with the throttle's check: DB_OK with `*wait` the
 * seconds the account must wait (0: go ahead, and `*attempt` is the
 * attempt reserved, a failure until db_session_create() marks it
 * succeeded) and `*failures` the address's failures in the window.
 */
enum db_status
db_session_reserve(const char *email, const char *ip, int *wait,
    long long *attempt, long *failures)
{
	struct db	 db;
	const char	*params[2] = { email, ip };
	int		 st;

	*attempt = 0;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, session_sql[Q_LOCK], 2, params)) != DB_OK ||
	    (st = db_exec(&db, session_sql[Q_RESERVE], 2, params)) != DB_OK)
		goto out;
	*wait = (int)db_int(&db, 0, 0);
	*attempt = db_int(&db, 0, 1);
	*failures = (long)db_int(&db, 0, 2);
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/*
 * The person and password hash of the live account of `email`: DB_OK,
 * or DB_NOTFOUND (then `hash` is untouched).
 */
enum db_status
db_session_credentials(const char *email, long long *person, char *hash,
    size_t len)
{
	struct db	 db;
	const char	*params[1] = { email };
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, session_sql[Q_CREDENTIALS], 1, params)) ==
	    DB_OK) {
		if (db_rows(&db) == 0)
			st = DB_NOTFOUND;
		else {
			*person = db_int(&db, 0, 0);
			snprintf(hash, len, "%s", db_value(&db, 0, 1));
		}
	}
	db_close(&db);
	return (st);
}

/*
 * Record that `attempt` from `ip` was wrong (it then counts for the
 * address) and audit it; `person` 0 when unknown.
 */
enum db_status
db_session_failed(const char *ip, long long person, long long attempt)
{
	struct db	 db;
	char		 id[24], aid[24];
	const char	*params[3];
	int		 st;

	sqlparam_id(id, person);
	sqlparam_id(aid, attempt);
	params[0] = ip;
	params[1] = person > 0 ? id : NULL;
	params[2] = aid;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_exec(&db, session_sql[Q_FAILED], 3, params);
	db_close(&db);
	return (st);
}

/*
 * Open a session for `person` with token hash `hash` and CSRF token
 * `csrf`, and say who signed in: `*account` (caller owns) as for GET
 * /api/v1/me.
 */
enum db_status
db_session_create(long long person, long long attempt, const char *hash,
    const char *csrf, const char *ip, cJSON **account)
{
	struct db	 db;
	char		 id[24], aid[24];
	const char	*params[5];
	int		 st;

	sqlparam_id(id, person);
	sqlparam_id(aid, attempt);
	params[0] = id;
	params[1] = hash;
	params[2] = csrf;
	params[3] = ip;
	params[4] = aid;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_exec(&db, session_sql[Q_CREATE], 5, params);
	db_close(&db);
	if (st != DB_OK)
		return (st);
	return (db_session_account(person, account));
}

/*
 * The live session whose token hashes to `hash`, touched (idle expiry
 * restarts): DB_OK with `who` filled, or DB_NOTFOUND.
 */
enum db_status
db_session_lookup(const char *hash, struct session_who *who)
{
	struct db	 db;
	const char	*params[1] = { hash };
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, session_sql[Q_LOOKUP], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	memset(who, 0, sizeof(*who));
	who->person_id = db_int(&db, 0, 0);
	who->agency_id = db_int(&db, 0, 1);
	snprintf(who->csrf, sizeof(who->csrf), "%s", db_value(&db, 0, 2));
	who->roles = (int)db_int(&db, 0, 3);
	who->lead_agency_id = db_int(&db, 0, 4);
	who->verified = db_value(&db, 0, 5)[0] == 't';
	snprintf(who->token_hash, sizeof(who->token_hash), "%s", hash);
out:
	db_close(&db);
	return (st);
}

/* End the session of `who` for good (and audit it). */
enum db_status
db_session_delete(const struct session_who *who, const char *ip)
{
	struct db	 db;
	const char	*params[2] = { who->token_hash, ip };
	int		 st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_exec(&db, session_sql[Q_DELETE], 2, params);
	db_close(&db);
	return (st);
}

/*
 * The signed-in person as the API shows them:
 * {"person_id","full_name","email","agency_id","roles":[..],
 *  "setting_lead_agency_id","group_level","job_title","email_verified"}.
 */
enum db_status
db_session_account(long long person, cJSON **account)
{
	static const struct db_column cols[] = {
		{ "person_id", DB_INT }, { "full_name", DB_TEXT },
		{ "email", DB_TEXT }, { "agency_id", DB_INT },
		{ "roles", DB_JSON }, { "setting_lead_agency_id", DB_INT },
		{ "group_level", DB_TEXT }, { "job_title", DB_TEXT },
		{ "email_verified", DB_BOOL },
	};
	struct db	 db;
	char		 id[24];
	const char	*params[1] = { id };
	cJSON		*rows;
	int		 st;

	sqlparam_id(id, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, session_sql[Q_ACCOUNT], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	rows = db_rows_json(&db, 0, cols, 9);
	*account = cJSON_DetachItemFromArray(rows, 0);
	cJSON_Delete(rows);
out:
	db_close(&db);
	return (st);
}
