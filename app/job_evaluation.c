/*
 * job_evaluation: the evaluations' scheduled work, one round of it, run
 * by the mail sender's loop (portalctl send-mail): reminders of the
 * same-day evaluation 3 and 7 days after the register's mark, follow-ups
 * falling due (PORTAL_FOLLOWUP_DAYS after the session) with reminders 7
 * and 14 days after, and the line manager's single-use link at the
 * follow-up's due date; the release of same-day forms whose window has
 * closed (the disclosure rule of README "Disclosure control"). libpq, no
 * Kore.
 *
 * Never twice, even when two loops run at once: every mail goes with a
 * row of evaluation_notices (primary key booking and kind) inserted ON
 * CONFLICT DO NOTHING in the same statement, and a manager's link with
 * its manager_reviews row (unique booking); the second process waits for
 * the first's row and then inserts nothing. Only what is due now and
 * still open is sent: nothing for a window that has passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "evaluation.h"
#include "job_evaluation.h"
#include "job_exec.h"
#include "outbox_sql.h"
#include "token.h"

/* Most manager links a round sends. */
#define JOB_MANAGER_BATCH	"200"

/* The end of a mail: the link to the form itself ($1, the portal's
 * address; `stage` the form's). */
#define JOB_LINK(stage)							\
	"|| E'Fill it in here (you will be asked to sign in first):\\n'"	\
	"|| $1::text || '/evaluation?booking=' || b.id || '&stage="	\
	stage "' || E'\\n'"

/* What a statement of job_sql takes as its one parameter, if any. */
enum job_arg {
	JOB_ARG_NONE,
	JOB_ARG_DAYS,	/* PORTAL_FOLLOWUP_DAYS */
	JOB_ARG_URL	/* the portal's public address */
};

static const struct {
	const char	*sql;
	enum job_arg	 arg;
} job_sql[] = {
	/* Reminders of the same-day form, 3 and 7 days after the mark, to
	 * those invited who have not answered, while it is open */
	{
	"WITH due AS ("
	"  SELECT b.id, k.kind FROM bookings b"
	"    JOIN sessions s ON s.id = b.session_id,"
	"         (VALUES ('same_day_3', 3, 7), ('same_day_7', 7, 14))"
	"           k (kind, after, until)"
	"   WHERE b.status IN ('attended', 'partial')"
	"     AND b.attendance_at <= now() - make_interval(days => k.after)"
	"     AND b.attendance_at > now() - make_interval(days => k.until)"
	"     AND now() < s.ends_at + interval '14 days'"
	"     AND NOT EXISTS (SELECT 1 FROM evaluations e"
	"                      WHERE e.booking_id = b.id)"
	"     AND EXISTS (SELECT 1 FROM evaluation_notices n"
	"                  WHERE n.booking_id = b.id AND n.kind = 'same_day')),"
	" n AS ("
	"  INSERT INTO evaluation_notices (booking_id, kind)"
	"  SELECT id, kind FROM due ON CONFLICT DO NOTHING"
	"  RETURNING booking_id)"
	OUTBOX_SQL_MAIL
	"p.email, 'Reminder: your evaluation of ' || c.title,"
	"  'Dear ' || p.full_name || E',\\n\\nA reminder: please fill in the '"
	"  || 'evaluation of ' || c.title || ' on '"
	"  || to_char(s.starts_at AT TIME ZONE 'Europe/London',"
	"             'FMDay FMDD FMMonth YYYY') || '. It closes on '"
	"  || to_char((s.ends_at + interval '14 days') AT TIME ZONE"
	"             'Europe/London', 'FMDay FMDD FMMonth YYYY') || E'.\\n\\n'"
	JOB_LINK("same_day")
	"  FROM n JOIN bookings b ON b.id = n.booking_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE p.email IS NOT NULL AND p.erased_at IS NULL", JOB_ARG_URL },

	/* $1 days: follow-ups falling due (still in their 30 days) */
	{ "INSERT INTO followups (booking_id, due_on)"
	"SELECT b.id, (s.ends_at AT TIME ZONE 'Europe/London')::date + $1::int"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	" WHERE b.status IN ('attended', 'partial')"
	"   AND (s.ends_at AT TIME ZONE 'Europe/London')::date + $1::int"
	"       BETWEEN current_date - 29 AND current_date "
	"ON CONFLICT (booking_id) DO NOTHING", JOB_ARG_DAYS },

	/* The follow-up's invitation at its due date, reminders 7
	 * and 14 days after; unanswered and open */
	{ "WITH due AS ("
	"  SELECT f.booking_id, k.kind FROM followups f,"
	"         (VALUES ('followup', 0, 7), ('followup_7', 7, 14),"
	"                 ('followup_14', 14, 30)) k (kind, after, until)"
	"   WHERE f.completed_at IS NULL"
	"     AND current_date >= f.due_on + k.after"
	"     AND current_date < f.due_on + k.until"
	"     AND (k.kind = 'followup' OR EXISTS (SELECT 1 FROM"
	"          evaluation_notices n WHERE n.booking_id = f.booking_id"
	"          AND n.kind = 'followup'))),"
	" n AS ("
	"  INSERT INTO evaluation_notices (booking_id, kind)"
	"  SELECT booking_id, kind FROM due ON CONFLICT DO NOTHING"
	"  RETURNING booking_id, kind),"
	" asked AS ("
	"  UPDATE followups SET asked_at = now()"
	"   WHERE booking_id IN (SELECT booking_id FROM n WHERE kind = 'followup'))"
	OUTBOX_SQL_MAIL
	"p.email, CASE n.kind WHEN 'followup' THEN '' ELSE 'Reminder: '"
	"  END || 'Three months on: ' || c.title,"
	"  'Dear ' || p.full_name || E',\\n\\nSome time ago you attended '"
	"  || c.title || ' (' || to_char(s.starts_at AT TIME ZONE"
	"  'Europe/London', 'FMDD FMMonth YYYY') || '). Please tell us '"
	"  || E'whether you have applied what you learnt: four short '"
	"  || E'questions, open until ' || to_char(f.due_on + 30,"
	"  'FMDay FMDD FMMonth YYYY') || E'.\\n\\n'"
	JOB_LINK("followup")
	"  FROM n JOIN followups f ON f.booking_id = n.booking_id"
	"  JOIN bookings b ON b.id = n.booking_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE p.email IS NOT NULL AND p.erased_at IS NULL", JOB_ARG_URL },
	/* Same-day forms whose window has closed: release what may be
	 * released (evaluation_release(), migration 0015) */
	{
	"SELECT count(evaluation_release(s.id)) FROM sessions s"
	" WHERE s.ends_at + interval '14 days' <= now()"
	"   AND EXISTS (SELECT 1 FROM evaluations e"
	"                WHERE e.session_id = s.id AND NOT e.released)",
	JOB_ARG_NONE },
};

/* Line managers to ask: follow-up due, open, not asked yet. */
static const char job_managers[] =
	"SELECT f.booking_id FROM followups f"
	"  JOIN bookings b ON b.id = f.booking_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE f.due_on <= current_date AND f.due_on > current_date - 30"
	"   AND p.manager_email IS NOT NULL AND p.erased_at IS NULL"
	"   AND NOT EXISTS (SELECT 1 FROM manager_reviews m"
	"                    WHERE m.booking_id = f.booking_id)"
	" ORDER BY f.booking_id LIMIT " JOB_MANAGER_BATCH;

/* $1 booking, $2 token hash, $3 link: the review and its mail, once;
 * the review keeps where the address came from (a staff list's manager
 * counts as confirmed in the reports, one the person named apart) */
static const char job_manager_ask[] =
	"WITH m AS ("
	"  INSERT INTO manager_reviews (booking_id, manager_email, token_hash,"
	"                               expires_at, manager_source)"
	"  SELECT b.id, p.manager_email, decode($2, 'hex'),"
	"         now() + interval '30 days', coalesce(p.manager_source, 'self')"
	"    FROM bookings b JOIN people p ON p.id = b.person_id"
	"   WHERE b.id = $1::bigint AND p.manager_email IS NOT NULL"
	"  ON CONFLICT (booking_id) DO NOTHING"
	"  RETURNING booking_id, manager_email),"
	" n AS ("
	"  INSERT INTO evaluation_notices (booking_id, kind)"
	"  SELECT booking_id, 'manager' FROM m ON CONFLICT DO NOTHING)"
	OUTBOX_SQL_MAIL_ERASED
	"m.manager_email, 'Has training changed ' || p.full_name"
	"  || '''s practice?',"
	"  E'Dear colleague,\\n\\n' || p.full_name || ' attended ' || c.title"
	"  || ' on ' || to_char(s.starts_at AT TIME ZONE 'Europe/London',"
	"  'FMDay FMDD FMMonth YYYY') || E'. As their line manager, please tell '"
	"  || E'the Safeguarding Children Partnership whether the training has '"
	"  || E'changed their practice, with an example if you can. It takes a '"
	"  || E'minute and needs no account. This link works once, for 30 '"
	"  || E'days:\\n\\n' || $3 || E'\\n\\nThank you.\\n'"
	"  FROM m JOIN bookings b ON b.id = m.booking_id"
	"  JOIN people p ON p.id = b.person_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id";


/*
 * Run one round of the evaluations' scheduled work on `conn`; links
 * start with `public_url`. Returns 0, or -1 when a statement failed
 * (reported on standard error; the next round tries again).
 */
int
job_evaluation_run(PGconn *conn, const char *public_url)
{
	PGresult	*res;
	char		 days[16], token[TOKEN_LEN], hash[TOKEN_HASH_LEN];
	char		 link[512];
	const char	*params[3];
	size_t		 i;
	int		 ret, r, n;

	ret = 0;
	snprintf(days, sizeof(days), "%d",
	    evaluation_followup_days(getenv(EVALUATION_FOLLOWUP_SETTING)));
	for (i = 0; i < sizeof(job_sql) / sizeof(job_sql[0]); i++) {
		params[0] = job_sql[i].arg == JOB_ARG_DAYS ? days : public_url;
		if (job_exec(conn, "evaluations", job_sql[i].sql,
		    job_sql[i].arg == JOB_ARG_NONE ? 0 : 1, params) != DB_OK)
			ret = -1;
	}

	res = PQexec(conn, job_managers);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	for (r = 0; r < n; r++) {
		token_new(token);
		if (token_hash(token, hash) == -1)
			continue;
		snprintf(link, sizeof(link), "%s/manager-review#%s",
		    public_url, token);
		params[0] = PQgetvalue(res, r, 0);
		params[1] = hash;
		params[2] = link;
		if (job_exec(conn, "evaluations", job_manager_ask, 3,
		    params) != DB_OK)
			ret = -1;
		sodium_memzero(token, sizeof(token));
		sodium_memzero(link, sizeof(link));
	}
	PQclear(res);
	return (ret);
}
