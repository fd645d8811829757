/*
 * job_evaluation: the evaluations' scheduled work, one round of it, run
 * by the mail sender's loop (portalctl send-mail): reminders of the
 * same-day evaluation 3 and 7 days after the register's mark, follow-ups
 * falling due (the follow-up days after the session) with reminders 7
 * and 14 days after, and the line manager's single-use link at the
 * follow-up's due date; the release of same-day forms whose window has
 * closed (the disclosure rule of README "Disclosure control"). libpq, no
 * Kore.
 *
 * Each step is the same three moves: a statement fetches the bookings
 * that may have something due (a coarse filter on dates, a day or two
 * wide, that keeps the rows few), evaluation_windows() and
 * evaluation_mail_due() (evaluation.c) decide what is due now, and one
 * statement writes it for the bookings decided, given as arrays.
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
#include "evaluation_sql.h"
#include "job_evaluation.h"
#include "job_exec.h"
#include "outbox_sql.h"
#include "token.h"

/* Most manager links a round sends. */
#define JOB_MANAGER_BATCH	200

/* The end of a mail: the link to the form itself ($1, the portal's
 * address; `stage` the form's). */
#define JOB_LINK(stage)							\
	"|| E'Fill it in here (you will be asked to sign in first):\\n'"	\
	"|| $1::text || '/evaluation?booking=' || b.id || '&stage="	\
	stage "' || E'\\n'"

/* A booking and its facts (EVALUATION_SQL_FACTS from column 1). */
#define JOB_FACTS	"SELECT b.id, " EVALUATION_SQL_FACTS

/*
 * Same-day reminders: the attendees marked between 15 and 2 days ago who
 * were invited, have not answered, and lack a reminder whose day may
 * have come (the 3 days' from 2 days on, the 7 days' from 6): a filter a
 * day wider than the schedule, which keeps the rows to those with
 * something due; evaluation_mail_due() decides.
 */
static const char job_same_day_due[] =
	JOB_FACTS EVALUATION_SQL_FROM
	" WHERE b.status IN ('attended', 'partial')"
	"   AND b.attendance_at > now() - interval '15 days'"
	"   AND b.attendance_at < now() - interval '2 days'"
	"   AND NOT EXISTS (SELECT 1 FROM evaluations e"
	"                    WHERE e.booking_id = b.id)"
	"   AND EXISTS (SELECT 1 FROM evaluation_notices n"
	"                WHERE n.booking_id = b.id AND n.kind = 'same_day')"
	"   AND NOT EXISTS (SELECT 1 FROM evaluation_notices n"
	"                    WHERE n.booking_id = b.id"
	"                      AND n.kind = 'same_day_7')"
	"   AND (b.attendance_at < now() - interval '6 days'"
	"        OR NOT EXISTS (SELECT 1 FROM evaluation_notices n"
	"                        WHERE n.booking_id = b.id"
	"                          AND n.kind = 'same_day_3'))";

/* $1 address, $2 bookings, $3 kinds, $4 closes: the reminders, once */
static const char job_same_day_send[] =
	"WITH due AS ("
	"  SELECT * FROM unnest($2::bigint[], $3::text[], $4::timestamptz[])"
	"    AS d (id, kind, closes)),"
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
	"  || to_char(d.closes AT TIME ZONE 'Europe/London',"
	"             'FMDay FMDD FMMonth YYYY') || E'.\\n\\n'"
	JOB_LINK("same_day")
	"  FROM n JOIN due d ON d.id = n.booking_id"
	"  JOIN bookings b ON b.id = n.booking_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE p.email IS NOT NULL AND p.erased_at IS NULL";

/*
 * $1 follow-up days: attendees without a follow-up's row whose session
 * ended between a day or two more than the days and 32 days more ago
 * (the follow-up is open 30 days from its due date).
 */
static const char job_followup_new[] =
	JOB_FACTS EVALUATION_SQL_FROM
	" WHERE b.status IN ('attended', 'partial') AND f.booking_id IS NULL"
	"   AND s.ends_at > now() - make_interval(days => $1::int + 32)"
	"   AND s.ends_at < now() - make_interval(days => $1::int - 2)";

/* $1 bookings, $2 due dates: their follow-ups' rows */
static const char job_followup_add[] =
	"INSERT INTO followups (booking_id, due_on)"
	"SELECT * FROM unnest($1::bigint[], $2::date[]) "
	"ON CONFLICT (booking_id) DO NOTHING";

/*
 * Follow-ups unanswered, due in the last 31 days or tomorrow, that lack
 * the mail of the stretch of the schedule they are in, each stretch
 * taken from a day early (the invitation to day 6 after the due date,
 * the 7 days' reminder to day 13, the 14 days' after), and whether their
 * invitation went: a filter that keeps the rows to those with something
 * due; evaluation_mail_due() decides.
 */
static const char job_followup_due[] =
	JOB_FACTS ", EXISTS (SELECT 1 FROM evaluation_notices n"
	"   WHERE n.booking_id = b.id AND n.kind = 'followup')"
	EVALUATION_SQL_FROM
	" WHERE f.completed_at IS NULL"
	"   AND f.due_on BETWEEN current_date - 31 AND current_date + 1"
	"   AND NOT EXISTS (SELECT 1 FROM evaluation_notices n"
	"                    WHERE n.booking_id = b.id"
	"                      AND n.kind = CASE"
	"                        WHEN f.due_on > current_date - 6 THEN 'followup'"
	"                        WHEN f.due_on > current_date - 13"
	"                        THEN 'followup_7' ELSE 'followup_14' END)";

/* $1 address, $2 bookings, $3 kinds, $4 closes: the invitations and
 * reminders, once */
static const char job_followup_send[] =
	"WITH due AS ("
	"  SELECT * FROM unnest($2::bigint[], $3::text[], $4::timestamptz[])"
	"    AS d (id, kind, closes)),"
	" n AS ("
	"  INSERT INTO evaluation_notices (booking_id, kind)"
	"  SELECT id, kind FROM due ON CONFLICT DO NOTHING"
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
	"  || E'questions, open until ' || to_char(d.closes AT TIME ZONE"
	"  'Europe/London', 'FMDay FMDD FMMonth YYYY') || E'.\\n\\n'"
	JOB_LINK("followup")
	"  FROM n JOIN due d ON d.id = n.booking_id"
	"  JOIN bookings b ON b.id = n.booking_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	"  JOIN people p ON p.id = b.person_id"
	" WHERE p.email IS NOT NULL AND p.erased_at IS NULL";

/* Sessions with same-day forms not released that ended 13 days ago or
 * more (the window closes 14 days after the end). */
static const char job_release_due[] =
	"SELECT s.id, " EVALUATION_SQL_USEC("now()") ","
	"       " EVALUATION_SQL_USEC("s.ends_at") " FROM sessions s"
	" WHERE s.ends_at < now() - interval '13 days'"
	"   AND EXISTS (SELECT 1 FROM evaluations e"
	"                WHERE e.session_id = s.id AND e.step IS NULL)";

/* $1 sessions: release what may be released (evaluation_release(),
 * migration 0015) */
static const char job_release[] =
	"SELECT count(evaluation_release(id)) FROM unnest($1::bigint[]) id";

/* Line managers to ask: a follow-up due in the last 31 days (or
 * tomorrow), a manager's address, not asked yet. */
static const char job_managers[] =
	JOB_FACTS EVALUATION_SQL_FROM
	"  JOIN people p ON p.id = b.person_id"
	" WHERE f.due_on BETWEEN current_date - 31 AND current_date + 1"
	"   AND p.manager_email IS NOT NULL AND p.erased_at IS NULL"
	"   AND NOT EXISTS (SELECT 1 FROM manager_reviews m"
	"                    WHERE m.booking_id = f.booking_id)"
	" ORDER BY b.id";

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


/* A PostgreSQL array's text being built, "{1,2,3}". */
struct job_array {
	char	*s;
	size_t	 len, cap;
	int	 n;
};

static PGresult	*job_query(PGconn *, const char *, int, const char *const *);
static void	 job_facts(PGresult *, int, int, struct evaluation_facts *);
static int	 job_add(struct job_array *, const char *);
static const char *job_text(struct job_array *);
static void	 job_array_free(struct job_array *);
static int	 job_mail(PGconn *, const char *, const char *,
		    enum evaluation_stage, const char *, int);
static int	 job_followups(PGconn *, int);
static int	 job_release_forms(PGconn *);
static int	 job_ask_managers(PGconn *, const char *, int);

/*
 * Run one round of the evaluations' scheduled work on `conn`; links
 * start with `public_url`; follow-ups fall due `days` after a session's
 * end (evaluation_followup_days(), read once by the caller). Returns 0,
 * or -1 when a statement failed (reported on standard error; the next
 * round tries again).
 */
int
job_evaluation_run(PGconn *conn, const char *public_url, int days)
{
	int	ret = 0;

	if (job_mail(conn, public_url, job_same_day_due, STAGE_SAME_DAY,
	    job_same_day_send, days) == -1)
		ret = -1;
	if (job_followups(conn, days) == -1)
		ret = -1;
	if (job_mail(conn, public_url, job_followup_due, STAGE_FOLLOWUP,
	    job_followup_send, days) == -1)
		ret = -1;
	if (job_release_forms(conn) == -1)
		ret = -1;
	if (job_ask_managers(conn, public_url, days) == -1)
		ret = -1;
	return (ret);
}

/*
 * The mail about `stage` due now: the bookings `due` returns (a booking
 * and its facts, then whether it was invited, if a column is there),
 * decided by evaluation_mail_due(), sent by `send` ($1 address, $2
 * bookings, $3 kinds, $4 the windows' closes).
 */
static int
job_mail(PGconn *conn, const char *public_url, const char *due,
    enum evaluation_stage stage, const char *send, int days)
{
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	struct job_array		 ids, kinds, closes;
	PGresult			*res;
	const char			*kind, *params[4];
	char				 when[32];
	int				 r, invited, ret;

	if ((res = job_query(conn, due, 0, NULL)) == NULL)
		return (-1);
	memset(&ids, 0, sizeof(ids));
	memset(&kinds, 0, sizeof(kinds));
	memset(&closes, 0, sizeof(closes));
	ret = 0;
	for (r = 0; r < PQntuples(res) && ret == 0; r++) {
		job_facts(res, r, days, &f);
		invited = PQnfields(res) <= 1 + EVALUATION_FACTS ||
		    PQgetvalue(res, r, 1 + EVALUATION_FACTS)[0] == 't';
		if ((kind = evaluation_mail_due(&f, stage, invited)) == NULL)
			continue;
		evaluation_windows(&f, &w);
		evaluation_time_iso(w.stage[stage].closes_at, when,
		    sizeof(when));
		if (job_add(&ids, PQgetvalue(res, r, 0)) == -1 ||
		    job_add(&kinds, kind) == -1 ||
		    job_add(&closes, when) == -1)
			ret = -1;
	}
	PQclear(res);
	if (ret == 0 && ids.n > 0) {
		params[0] = public_url;
		params[1] = job_text(&ids);
		params[2] = job_text(&kinds);
		params[3] = job_text(&closes);
		if (params[1] == NULL || params[2] == NULL ||
		    params[3] == NULL ||
		    job_exec(conn, "evaluations", send, 4, params) != DB_OK)
			ret = -1;
	}
	job_array_free(&ids);
	job_array_free(&kinds);
	job_array_free(&closes);
	return (ret);
}

/* The follow-ups' rows of the attendees whose follow-up is open now
 * (evaluation_windows(): due `days` after the end, open 30 days). */
static int
job_followups(PGconn *conn, int days)
{
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	struct job_array		 ids, dues;
	PGresult			*res;
	const char			*params[2];
	char				 d[16];
	int				 r, ret;

	snprintf(d, sizeof(d), "%d", days);
	params[0] = d;
	if ((res = job_query(conn, job_followup_new, 1, params)) == NULL)
		return (-1);
	memset(&ids, 0, sizeof(ids));
	memset(&dues, 0, sizeof(dues));
	ret = 0;
	for (r = 0; r < PQntuples(res) && ret == 0; r++) {
		job_facts(res, r, days, &f);
		evaluation_windows(&f, &w);
		if (w.stage[STAGE_FOLLOWUP].state != WINDOW_OPEN)
			continue;
		evaluation_date_iso(w.due_on, d, sizeof(d));
		if (job_add(&ids, PQgetvalue(res, r, 0)) == -1 ||
		    job_add(&dues, d) == -1)
			ret = -1;
	}
	PQclear(res);
	if (ret == 0 && ids.n > 0) {
		params[0] = job_text(&ids);
		params[1] = job_text(&dues);
		if (params[0] == NULL || params[1] == NULL ||
		    job_exec(conn, "evaluations", job_followup_add, 2,
		    params) != DB_OK)
			ret = -1;
	}
	job_array_free(&ids);
	job_array_free(&dues);
	return (ret);
}

/* Release the same-day forms of the sessions whose window has closed
 * (evaluation_same_day_closes()). */
static int
job_release_forms(PGconn *conn)
{
	struct job_array	 ids;
	PGresult		*res;
	const char		*params[1];
	int			 r, ret;

	if ((res = job_query(conn, job_release_due, 0, NULL)) == NULL)
		return (-1);
	memset(&ids, 0, sizeof(ids));
	ret = 0;
	for (r = 0; r < PQntuples(res) && ret == 0; r++)
		if (strtoll(PQgetvalue(res, r, 1), NULL, 10) >=
		    evaluation_same_day_closes(strtoll(PQgetvalue(res, r, 2),
		    NULL, 10)) && job_add(&ids, PQgetvalue(res, r, 0)) == -1)
			ret = -1;
	PQclear(res);
	if (ret == 0 && ids.n > 0) {
		params[0] = job_text(&ids);
		if (params[0] == NULL || job_exec(conn, "evaluations",
		    job_release, 1, params) != DB_OK)
			ret = -1;
	}
	job_array_free(&ids);
	return (ret);
}

/*
 * Ask the line managers of the attendees whose follow-up is open now
 * (its window, answered or not), up to JOB_MANAGER_BATCH a round: each
 * a single-use link, its hash stored, in one statement.
 */
static int
job_ask_managers(PGconn *conn, const char *public_url, int days)
{
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	const struct evaluation_window	*x;
	PGresult			*res;
	char				 token[TOKEN_LEN], hash[TOKEN_HASH_LEN];
	char				 link[512];
	const char			*params[3];
	int				 r, n, ret;

	if ((res = job_query(conn, job_managers, 0, NULL)) == NULL)
		return (-1);
	ret = 0;
	for (r = n = 0; r < PQntuples(res) && n < JOB_MANAGER_BATCH; r++) {
		job_facts(res, r, days, &f);
		evaluation_windows(&f, &w);
		x = &w.stage[STAGE_FOLLOWUP];
		if (x->opens_at == EVALUATION_NO_TIME || f.now < x->opens_at ||
		    f.now >= x->closes_at)
			continue;
		n++;
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

/* The rows of query `sql`, or NULL when it failed (said on stderr). */
static PGresult *
job_query(PGconn *conn, const char *sql, int n, const char *const *params)
{
	PGresult	*res;

	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: evaluations: %s",
		    PQerrorMessage(conn));
		PQclear(res);
		return (NULL);
	}
	return (res);
}

/* The facts of row `r` (EVALUATION_SQL_FACTS from column 1) into `f`. */
static void
job_facts(PGresult *res, int r, int days, struct evaluation_facts *f)
{
	const char	*v[EVALUATION_FACTS];
	int		 i;

	for (i = 0; i < EVALUATION_FACTS; i++)
		v[i] = PQgetisnull(res, r, 1 + i) ? NULL :
		    PQgetvalue(res, r, 1 + i);
	evaluation_facts_read(v, days, f);
}

/* Add `v` (digits, a date, a time or a word: nothing to quote). */
static int
job_add(struct job_array *a, const char *v)
{
	size_t	 need = strlen(v) + 3;
	char	*p;

	if (a->len + need > a->cap) {
		if ((p = realloc(a->s, a->cap + need + 256)) == NULL)
			return (-1);
		a->s = p;
		a->cap += need + 256;
	}
	a->len += (size_t)snprintf(a->s + a->len, a->cap - a->len, "%s%s",
	    a->n > 0 ? "," : "{", v);
	a->n++;
	return (0);
}

/* The array's text, "{...}", once; NULL when empty or out of memory. */
static const char *
job_text(struct job_array *a)
{
	char	*p;

	if (a->n == 0)
		return (NULL);
	if (a->len + 2 > a->cap) {
		if ((p = realloc(a->s, a->len + 2)) == NULL)
			return (NULL);
		a->s = p;
		a->cap = a->len + 2;
	}
	a->s[a->len++] = '}';
	a->s[a->len] = '\0';
	return (a->s);
}

static void
job_array_free(struct job_array *a)
{
	free(a->s);
	memset(a, 0, sizeof(*a));
}
