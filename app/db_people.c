/*
 * db_people: a person's own data (subject access), erasure, and the
 * audit log.
 *
 * Erasure removes what identifies the person from every column the
 * schema marks [personal] (migration 0016): name, e-mail addresses, job
 * title, the account, sessions, reset and verification links,
 * registrations and sign-in attempts, the network addresses of what they
 * did, their places on trainer lists, the mail sent to them or still to
 * go, mail to their line manager about them, the words of their own
 * evaluation answers and their manager's (address and evidence), and
 * their name wherever others wrote it (mail, supervision records,
 * comments on sessions they trained, reasons for voiding batches of
 * paper forms). It keeps their bookings,
 * attendance and the ratings and choices of their evaluations, now
 * anonymous, so that the partnership's statistics do not change. Their
 * places on sessions still to come are cancelled and go to the
 * waitlists.
 */
#include <stdio.h>

#include "db.h"
#include "db_audit.h"
#include "db_booking.h"
#include "db_people.h"
#include "sqlparam.h"

enum {
	Q_DATA,
	Q_ERASE_FIND,
	Q_ERASE_WORDS,
	Q_ERASE,
	Q_AUDIT,
	Q__MAX
};

#define ISO(x)	"to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"

static const char *const people_sql[Q__MAX] = {
	/* $1 person */
	[Q_DATA] =
	"SELECT json_build_object("
	" 'person', (SELECT json_build_object('id', p.id,"
	"     'full_name', p.full_name, 'email', p.email,"
	"     'job_title', p.job_title, 'manager_email', p.manager_email,"
	"     'is_dsl', p.is_dsl, 'active', p.active,"
	"     'group_level', (SELECT code FROM group_levels"
	"                      WHERE id = p.group_level_id),"
	"     'agency', (SELECT json_build_object('id', a.id, 'name', a.name)"
	"                  FROM agencies a WHERE a.id = p.agency_id),"
	"     'created_at', " ISO("p.created_at") ")"
	"   FROM people p WHERE p.id = $1::bigint),"
	" 'account', (SELECT json_build_object("
	"     'created_at', " ISO("a.created_at") ","
	"     'last_login_at', " ISO("a.last_login_at") ","
	"     'roles', (SELECT json_agg(json_build_object('role', r.role,"
	"         'agency_id', r.agency_id) ORDER BY r.role)"
	"         FROM account_roles r WHERE r.person_id = a.person_id))"
	"   FROM accounts a WHERE a.person_id = $1::bigint),"
	" 'sessions', coalesce((SELECT json_agg(json_build_object("
	"     'created_at', " ISO("s.created_at") ","
	"     'last_seen_at', " ISO("s.last_seen_at") ","
	"     'ip', host(s.ip)) ORDER BY s.created_at)"
	"   FROM web_sessions s WHERE s.person_id = $1::bigint), '[]'),"
	" 'bookings', coalesce((SELECT json_agg(json_build_object("
	"     'id', b.id, 'session_id', b.session_id, 'course',"
	"     c.title, 'starts_at', " ISO("s.starts_at") ","
	"     'status', b.status, 'booked_at', " ISO("b.booked_at") ")"
	"     ORDER BY s.starts_at)"
	"   FROM bookings b JOIN sessions s ON s.id = b.session_id"
	"   JOIN courses c ON c.id = s.course_id"
	"  WHERE b.person_id = $1::bigint), '[]'),"
	" 'training_records', coalesce((SELECT json_agg(to_jsonb(t)"
	"     - 'person_id' ORDER BY t.completed_on)"
	"   FROM training_records t WHERE t.person_id = $1::bigint), '[]'),"
	" 'evaluations', coalesce((SELECT json_agg(to_jsonb(e)"
	"     ORDER BY e.id) FROM evaluations e JOIN bookings b"
	"     ON b.id = e.booking_id WHERE b.person_id = $1::bigint), '[]'),"
	" 'followups', coalesce((SELECT json_agg(to_jsonb(f) - 'token_hash'"
	"     ORDER BY f.id) FROM followups f JOIN bookings b"
	"     ON b.id = f.booking_id WHERE b.person_id = $1::bigint), '[]'),"
	" 'manager_reviews', coalesce((SELECT json_agg(to_jsonb(m)"
	"     - 'token_hash' ORDER BY m.id) FROM manager_reviews m"
	"     JOIN bookings b ON b.id = m.booking_id"
	"    WHERE b.person_id = $1::bigint), '[]'),"
	" 'walk_ins', coalesce((SELECT json_agg(json_build_object("
	"     'booking_id', w.booking_id, 'entered_name', w.entered_name,"
	"     'added_by_trainer', w.by_trainer,"
	"     'added_at', " ISO("w.added_at") ","
	"     'confirmed_at', " ISO("w.confirmed_at") ") ORDER BY w.added_at)"
	"   FROM walk_ins w JOIN bookings b ON b.id = w.booking_id"
	"  WHERE b.person_id = $1::bigint), '[]'),"
	" 'manager_changes', coalesce((SELECT json_agg(json_build_object("
	"     'manager_email', m.manager_email,"
	"     'asked_at', " ISO("m.created_at") ","
	"     'expires_at', " ISO("m.expires_at") ","
	"     'confirmed_at', " ISO("m.confirmed_at") ") ORDER BY m.id)"
	"   FROM manager_changes m WHERE m.person_id = $1::bigint), '[]'),"
	" 'supervision', coalesce((SELECT json_agg(json_build_object("
	"     'session_id', x.session_id, 'status', x.status)"
	"     ORDER BY x.session_id) FROM supervision_attendance x"
	"    WHERE x.person_id = $1::bigint), '[]'),"
	" 'audit', coalesce((SELECT json_agg(json_build_object("
	"     'at', " ISO("l.at") ", 'action', l.action,"
	"     'ip', host(l.ip)) ORDER BY l.at)"
	"   FROM audit_log l WHERE l.actor_person_id = $1::bigint"
	"     OR (l.target_type = 'person' AND l.target_id = $1::bigint)),"
	"   '[]'))",

	/* $1 person */
	[Q_ERASE_FIND] =
	"SELECT email, full_name, manager_email FROM people"
	" WHERE id = $1::bigint AND erased_at IS NULL FOR UPDATE",

	/*
	 * $1 person, $2 their e-mail, $3 their name, $4 their manager's
	 * e-mail: the words they wrote and the words about them, before
	 * Q_ERASE takes them off trainer lists (it reads session_trainers).
	 * Their own answers lose their free text (ratings and choices stay
	 * for the statistics); their name in what others wrote becomes
	 * "Erased person".
	 */
	[Q_ERASE_WORDS] =
	"WITH name AS (SELECT (SELECT '(?<![[:alnum:]])' || regexp_replace($3,"
	"          '([^[:alnum:][:space:]])', '\\\\\\1', 'g')"
	"          || '(?![[:alnum:]])' WHERE length($3) > 2) AS re),"
	" own AS (SELECT id FROM bookings WHERE person_id = $1::bigint),"
	" taught AS (SELECT session_id FROM session_trainers"
	"             WHERE person_id = $1::bigint),"
	" ev AS (UPDATE evaluations e SET"
	"          action = CASE WHEN e.booking_id IN (SELECT id FROM own)"
	"            THEN NULL WHEN e.action ~ name.re THEN regexp_replace("
	"            e.action, name.re, 'Erased person', 'g') ELSE e.action END,"
	"          comments = CASE WHEN e.booking_id IN (SELECT id FROM own)"
	"            THEN NULL WHEN e.comments ~ name.re THEN regexp_replace("
	"            e.comments, name.re, 'Erased person', 'g')"
	"            ELSE e.comments END"
	"          FROM name"
	"         WHERE e.booking_id IN (SELECT id FROM own)"
	"            OR (e.session_id IN (SELECT session_id FROM taught)"
	"                AND (e.action ~ name.re OR e.comments ~ name.re))),"
	" bl AS (UPDATE baselines SET hopes = NULL"
	"         WHERE booking_id IN (SELECT id FROM own)),"
	" fu AS (UPDATE followups SET example = NULL"
	"         WHERE booking_id IN (SELECT id FROM own)),"
	" mr AS (UPDATE manager_reviews SET manager_email = NULL,"
	"               evidence = NULL, token_hash = NULL"
	"         WHERE booking_id IN (SELECT id FROM own)),"
	" sg AS (UPDATE supervision_groups g SET facilitator = regexp_replace("
	"          g.facilitator, name.re, 'Erased person', 'g')"
	"          FROM name WHERE g.facilitator ~ name.re),"
	" ss AS (UPDATE supervision_sessions s SET"
	"          facilitator = regexp_replace(s.facilitator, name.re,"
	"                                       'Erased person', 'g'),"
	"          specific_topic = regexp_replace(s.specific_topic, name.re,"
	"                                          'Erased person', 'g'),"
	"          actions = regexp_replace(s.actions, name.re,"
	"                                   'Erased person', 'g')"
	"          FROM name WHERE s.facilitator ~ name.re"
	"           OR s.specific_topic ~ name.re OR s.actions ~ name.re),"
	" vb AS (UPDATE evaluation_uploads u SET void_reason = regexp_replace("
	"          u.void_reason, name.re, 'Erased person', 'g')"
	"          FROM name WHERE u.void_reason ~ name.re),"
	" ar AS (DELETE FROM account_requests WHERE lower(email) = lower($2)),"
	" vr AS (DELETE FROM email_verifications"
	"         WHERE person_id = $1::bigint OR lower(email) = lower($2)),"
	" au AS (UPDATE audit_log SET ip = NULL"
	"         WHERE ip IS NOT NULL AND (actor_person_id = $1::bigint"
	"            OR (actor_person_id IS NULL AND target_type = 'person'"
	"                AND target_id = $1::bigint)))"
	"DELETE FROM email_outbox o USING name"
	" WHERE lower(o.to_address) = lower($4)"
	"   AND (o.subject ~ name.re OR o.body_text ~ name.re)",

	/* $1 person, $2 their e-mail, $3 actor, $4 address, $5 their name:
	 * found in mail to others as a whole name (a regular expression of
	 * it, every other character escaped), in calendars unfolded. */
	[Q_ERASE] =
	"WITH s AS (DELETE FROM web_sessions WHERE person_id = $1::bigint),"
	" r AS (DELETE FROM password_resets WHERE person_id = $1::bigint),"
	" ro AS (DELETE FROM account_roles WHERE person_id = $1::bigint),"
	" ac AS (DELETE FROM accounts WHERE person_id = $1::bigint),"
	" la AS (DELETE FROM login_attempts WHERE lower(email) = lower($2)),"
	" mo AS (DELETE FROM email_outbox WHERE lower(to_address) = lower($2)),"
	" name AS (SELECT '(?<![[:alnum:]])' || regexp_replace($5,"
	"          '([^[:alnum:][:space:]])', '\\\\\\1', 'g')"
	"          || '(?![[:alnum:]])' AS re WHERE length($5) > 2),"
	" mx AS (UPDATE email_outbox SET"
	"          subject = regexp_replace(subject, name.re, 'Erased person',"
	"                                   'g'),"
	"          body_text = regexp_replace(body_text, name.re,"
	"                                     'Erased person', 'g'),"
	"          ics = CASE WHEN replace(ics, E'\\r\\n ', '') ~ name.re"
	"                THEN regexp_replace(replace(ics, E'\\r\\n ', ''),"
	"                       name.re, 'Erased person', 'g') ELSE ics END"
	"          FROM name WHERE lower(to_address) <> lower($2)"
	"           AND (subject ~ name.re OR body_text ~ name.re"
	"            OR replace(ics, E'\\r\\n ', '') ~ name.re)),"
	" tr AS (DELETE FROM session_trainers WHERE person_id = $1::bigint),"
	" mc AS (DELETE FROM manager_changes WHERE person_id = $1::bigint),"
	" wi AS (UPDATE walk_ins SET entered_name = 'Erased person'"
	"        WHERE booking_id IN (SELECT id FROM bookings"
	"                              WHERE person_id = $1::bigint)),"
	" p AS (UPDATE people SET full_name = 'Erased person', email = NULL,"
	"        job_title = NULL, manager_email = NULL, manager_source = NULL,"
	"        active = false,"
	"        erased_at = now() WHERE id = $1::bigint)"
	DB_AUDIT_ROW
	"$3::bigint, 'person.erase', 'person', $1::bigint, $4::inet, NULL",

	/* $1 action prefix, $2 person, $3 from, $4 to, $5 limit, $6 offset */
	[Q_AUDIT] =
	"WITH matched AS ("
	"  SELECT * FROM audit_log l"
	"   WHERE ($1::text IS NULL OR l.action LIKE $1 || '%')"
	"     AND ($2::bigint IS NULL OR l.actor_person_id = $2::bigint"
	"          OR (l.target_type = 'person' AND l.target_id = $2::bigint))"
	"     AND ($3::date IS NULL OR l.at >= $3::date)"
	"     AND ($4::date IS NULL OR l.at < $4::date + 1))"
	"SELECT (SELECT count(*) FROM matched),"
	"  coalesce((SELECT json_agg(json_build_object('id', m.id,"
	"    'at', " ISO("m.at") ", 'actor_person_id', m.actor_person_id,"
	"    'action', m.action, 'target_type', m.target_type,"
	"    'target_id', m.target_id, 'ip', host(m.ip), 'detail', m.detail,"
	"    'actor_name', (SELECT full_name FROM people"
	"        WHERE id = m.actor_person_id AND erased_at IS NULL),"
	"    'target_name', (SELECT full_name FROM people WHERE m.target_type ="
	"        'person' AND id = m.target_id AND erased_at IS NULL))"
	"    ORDER BY m.at DESC, m.id DESC)"
	"    FROM (SELECT * FROM matched ORDER BY at DESC, id DESC"
	"           LIMIT $5::int OFFSET $6::int) m), '[]')",
};

/* Everything held about `person`, as JSON in `*out` (caller owns). */
enum db_status
db_people_data(long long person, cJSON **out)
{
	char		 pid[24];
	const char	*params[1] = { pid };

	sqlparam_id(pid, person);
	return (db_json(people_sql[Q_DATA], 1, params, out));
}

/*
 * Erase `person` as `actor` from `ip`, in one transaction. DB_NOTFOUND
 * when there is no such person (or they were erased already).
 */
enum db_status
db_people_erase(long long person, long long actor, const char *ip)
{
	struct db	 db;
	char		 pid[24], who[24], email[256], name[512], manager[256];
	const char	*params[5];
	int		 st;

	sqlparam_id(pid, person);
	sqlparam_id(who, actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK)
		goto out;
	params[0] = pid;
	if ((st = db_exec(&db, people_sql[Q_ERASE_FIND], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	snprintf(email, sizeof(email), "%s", db_value(&db, 0, 0));
	snprintf(name, sizeof(name), "%s", db_value(&db, 0, 1));
	snprintf(manager, sizeof(manager), "%s", db_value(&db, 0, 2));
	if ((st = db_booking_release_person(&db, pid)) != DB_OK)
		goto out;
	params[0] = pid;
	params[1] = email;
	params[2] = name;
	params[3] = manager;
	if ((st = db_exec(&db, people_sql[Q_ERASE_WORDS], 4, params)) != DB_OK)
		goto out;
	params[0] = pid;
	params[1] = email;
	params[2] = who;
	params[3] = ip;
	params[4] = name;
	if ((st = db_exec(&db, people_sql[Q_ERASE], 5, params)) != DB_OK)
		goto out;
	st = db_commit(&db);
out:
	db_close(&db);
	return (st);
}

/* A page of the audit log, newest first, filtered by `f`. */
enum db_status
db_people_audit(const struct audit_filter *f, cJSON **out)
{
	struct db	 db;
	char		 pid[24], lim[24], off[24];
	const char	*params[6];
	int		 st;

	sqlparam_id(pid, f->person_id);
	snprintf(lim, sizeof(lim), "%ld", f->limit);
	snprintf(off, sizeof(off), "%ld", f->offset);
	params[0] = f->action;
	params[1] = f->person_id > 0 ? pid : NULL;
	params[2] = f->from;
	params[3] = f->to;
	params[4] = lim;
	params[5] = off;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, people_sql[Q_AUDIT], 6, params)) == DB_OK) {
		*out = cJSON_CreateObject();
		cJSON_AddItemToObject(*out, "entries",
		    cJSON_Parse(db_value(&db, 0, 1)));
		cJSON_AddNumberToObject(*out, "total", (double)db_int(&db, 0, 0));
		cJSON_AddNumberToObject(*out, "limit", (double)f->limit);
		cJSON_AddNumberToObject(*out, "offset", (double)f->offset);
	}
	db_close(&db);
	return (st);
}
