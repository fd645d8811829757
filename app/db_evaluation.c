/*
 * db_evaluation: the evaluation stages of a person's bookings and their
 * answers; paper forms; what a session's summary, outstanding list and
 * export read. Answers are linked to bookings only to count completion
 * and pair stages: no statement here returns a name beside an answer.
 *
 * The windows of the stages are evaluation_windows()'s (evaluation.c):
 * the statements here fetch a booking's facts (EVAL_ROW) and the C
 * decides which stage is open, closed or done; the follow-up's days come
 * from the caller (PORTAL_FOLLOWUP_DAYS, read once at start-up).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_evaluation.h"
#include "evaluation.h"
#include "evaluation_sql.h"
#include "sqlparam.h"

#define ISO(x)	"to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"

#define USEC(x)	EVALUATION_SQL_USEC(x)

/*
 * A booking's stages, the same in every statement: SQL fetches the facts
 * (EVAL_ROW: the booking, its session and course's title, then the
 * EVALUATION_FACTS columns of evaluation_sql.h from column EVAL_FACT0)
 * and evaluation_windows() decides each stage's window and state.
 */
#define EVAL_ROW	"SELECT b.id, s.id, c.title, " EVALUATION_SQL_FACTS
#define EVAL_FACT0	3
#define EVAL_NFACTS	EVALUATION_FACTS
#define EVAL_FROM	EVALUATION_SQL_FROM

enum {
	Q_MINE,
	Q_STAGE,
	Q_LOCK_BOOKING,
	Q_LOCK_SESSION,
	Q_ANSWER_BEFORE,
	Q_ANSWER_SAME_DAY,
	Q_ANSWER_FOLLOWUP,
	Q_MY_BEFORE,
	Q_MY_SAME_DAY,
	Q_MY_FOLLOWUP,
	Q_ACCESS,
	Q_UPLOAD,
	Q_ROOM,
	Q_PAPER,
	Q_COUNTS,
	Q_FORMS,
	Q_TEXTS,
	Q_OUTSTANDING,
	Q_MANAGERS,
	Q_CHASING,
	Q_EXPORT_BEFORE,
	Q_EXPORT_SAME_DAY,
	Q_EXPORT_FOLLOWUP,
	Q_CERTIFICATE,
	Q_BATCHES,
	Q_VOID,
	Q__MAX
};

static const char *const eval_sql[Q__MAX] = {
	/* $1 person: every booking's stages (db_evaluation_mine() keeps those
	 * asked) */
	[Q_MINE] =
	EVAL_ROW EVAL_FROM " WHERE b.person_id = $1::bigint",

	/* $1 booking, $2 person: its stages */
	[Q_STAGE] =
	EVAL_ROW EVAL_FROM
	" WHERE b.id = $1::bigint AND b.person_id = $2::bigint",

	/* $1 booking, $2 person: theirs; its session */
	[Q_LOCK_BOOKING] =
	"SELECT session_id FROM bookings"
	" WHERE id = $1::bigint AND person_id = $2::bigint",

	/* $1 session: held while forms are counted against places */
	[Q_LOCK_SESSION] =
	"SELECT 1 FROM sessions WHERE id = $1::bigint FOR UPDATE",

	/* $1 booking, $2 session, $3 knowledge, $4 confidence, $5 hopes */
	[Q_ANSWER_BEFORE] =
	"INSERT INTO baselines (booking_id, session_id, knowledge, confidence,"
	"                       hopes)"
	"VALUES ($1::bigint, $2::bigint, $3::smallint, $4::smallint, $5)",

	/* $1 booking, $2 session, $3 .. $15 the form's 13 answers */
	[Q_ANSWER_SAME_DAY] =
	"INSERT INTO evaluations (booking_id, session_id, source,"
	"    rating_content, rating_delivery, rating_venue, rating_trainer,"
	"    rating_overall, knowledge_before, knowledge_after,"
	"    confidence_before, confidence_after, outcomes_met,"
	"    improve_safeguarding, action, comments)"
	"VALUES ($1::bigint, $2::bigint, 'online', $3::smallint, $4::smallint,"
	"    $5::smallint, $6::smallint, $7::smallint, $8::smallint,"
	"    $9::smallint, $10::smallint, $11::smallint, $12, $13, $14, $15)",

	/* $1 booking, $2 due, $3 applied, $4 example, $5 confidence,
	 * $6 .. $8 changed: answered once */
	[Q_ANSWER_FOLLOWUP] =
	"INSERT INTO followups AS f (booking_id, due_on, applied, example,"
	"    confidence_now, changed_information_sharing,"
	"    changed_joint_working, changed_referrals, completed_at)"
	"VALUES ($1::bigint, $2::date, $3, $4, $5::smallint, $6::boolean,"
	"    $7::boolean, $8::boolean, now()) "
	"ON CONFLICT (booking_id) DO UPDATE SET applied = EXCLUDED.applied,"
	"    example = EXCLUDED.example,"
	"    confidence_now = EXCLUDED.confidence_now,"
	"    changed_information_sharing = EXCLUDED.changed_information_sharing,"
	"    changed_joint_working = EXCLUDED.changed_joint_working,"
	"    changed_referrals = EXCLUDED.changed_referrals,"
	"    completed_at = now()"
	" WHERE f.completed_at IS NULL "
	"RETURNING id",

	/* $1 booking: the person's own answers */
	[Q_MY_BEFORE] =
	"SELECT json_build_object('knowledge', knowledge, 'confidence',"
	"    confidence, 'hopes', hopes, 'submitted_at', " ISO("submitted_at") ")"
	"  FROM baselines WHERE booking_id = $1::bigint",
	[Q_MY_SAME_DAY] =
	"SELECT json_build_object('rating_content', rating_content,"
	"    'rating_delivery', rating_delivery, 'rating_venue', rating_venue,"
	"    'rating_trainer', rating_trainer, 'rating_overall', rating_overall,"
	"    'knowledge_before', knowledge_before, 'knowledge_after',"
	"    knowledge_after, 'confidence_before', confidence_before,"
	"    'confidence_after', confidence_after, 'outcomes_met', outcomes_met,"
	"    'improve_safeguarding', improve_safeguarding, 'action', action,"
	"    'comments', comments, 'submitted_at', " ISO("submitted_at") ")"
	"  FROM evaluations WHERE booking_id = $1::bigint",
	[Q_MY_FOLLOWUP] =
	"SELECT json_build_object('applied', applied, 'example', example,"
	"    'confidence_now', confidence_now, 'changed', CASE WHEN"
	"    changed_information_sharing IS NULL THEN NULL ELSE"
	"    to_json(array_remove(ARRAY[CASE WHEN changed_information_sharing"
	"    THEN 'information_sharing' END, CASE WHEN changed_joint_working"
	"    THEN 'joint_working' END, CASE WHEN changed_referrals"
	"    THEN 'referrals' END], NULL)) END,"
	"    'submitted_at', " ISO("completed_at") ")"
	"  FROM followups WHERE booking_id = $1::bigint"
	"   AND completed_at IS NOT NULL",

	/* $1 session, $2 person: trains it */
	[Q_ACCESS] =
	"SELECT EXISTS (SELECT 1 FROM session_trainers"
	"                WHERE session_id = s.id AND person_id = $2::bigint)"
	"  FROM sessions s WHERE s.id = $1::bigint",

	/* $1 session, $2 SHA-256 (hex; NULL typed in), $3 forms, $4 actor:
	 * the batch, a file once */
	[Q_UPLOAD] =
	"INSERT INTO evaluation_uploads (session_id, sha256, forms, uploaded_by,"
	"    typed)"
	"VALUES ($1::bigint, decode($2, 'hex'), $3::int, $4::bigint,"
	"    $2::text IS NULL) "
	"ON CONFLICT (session_id, sha256) DO NOTHING RETURNING id",

	/* $1 session: attended and partial places, forms so far (not
	 * voided) */
	[Q_ROOM] =
	"SELECT (SELECT count(*) FROM bookings WHERE session_id = $1::bigint"
	"          AND status IN ('attended', 'partial')),"
	"       (SELECT count(*) FROM evaluations e"
	"          LEFT JOIN evaluation_uploads u ON u.id = e.upload_id"
	"         WHERE e.session_id = $1::bigint AND u.voided_at IS NULL)",

	/* $1 session, $2 upload or NULL, $3 actor, $4 .. $16 answers */
	[Q_PAPER] =
	"INSERT INTO evaluations (session_id, source, upload_id, entered_by,"
	"    rating_content, rating_delivery, rating_venue, rating_trainer,"
	"    rating_overall, knowledge_before, knowledge_after,"
	"    confidence_before, confidence_after, outcomes_met,"
	"    improve_safeguarding, action, comments)"
	"VALUES ($1::bigint, 'paper', $2::bigint, $3::bigint, $4::smallint,"
	"    $5::smallint, $6::smallint, $7::smallint, $8::smallint,"
	"    $9::smallint, $10::smallint, $11::smallint, $12::smallint, $13,"
	"    $14, $15, $16)",

	/* $1 session: places and forms by kind (not voided) */
	[Q_COUNTS] =
	"SELECT count(*) FILTER (WHERE status = 'attended'),"
	"       count(*) FILTER (WHERE status = 'partial'),"
	"       count(*) FILTER (WHERE walk_in AND status IN"
	"                        ('attended', 'partial')),"
	"       (SELECT count(*) FILTER (WHERE e.source = 'online') FROM"
	"          evaluations e LEFT JOIN evaluation_uploads u"
	"          ON u.id = e.upload_id WHERE e.session_id = $1::bigint"
	"          AND u.voided_at IS NULL),"
	"       (SELECT count(*) FILTER (WHERE e.source = 'paper') FROM"
	"          evaluations e LEFT JOIN evaluation_uploads u"
	"          ON u.id = e.upload_id WHERE e.session_id = $1::bigint"
	"          AND u.voided_at IS NULL)"
	"  FROM bookings WHERE session_id = $1::bigint",

	/* $1 session, $2 viewer: the answers the viewer may see
	 * (evaluation_visible(), migration 0015), one row a form, no link */
	[Q_FORMS] =
	"SELECT coalesce(rating_content, 0), coalesce(rating_delivery, 0),"
	"       coalesce(rating_venue, 0), coalesce(rating_trainer, 0),"
	"       coalesce(rating_overall, 0), coalesce(knowledge_before, 0),"
	"       coalesce(knowledge_after, 0), coalesce(confidence_before, 0),"
	"       coalesce(confidence_after, 0),"
	"       CASE outcomes_met WHEN 'yes' THEN 1 WHEN 'partly' THEN 2"
	"            WHEN 'no' THEN 3 ELSE 0 END,"
	"       CASE improve_safeguarding WHEN 'yes' THEN 1 WHEN 'no' THEN 2"
	"            WHEN 'unsure' THEN 3 ELSE 0 END"
	"  FROM evaluation_visible($1::bigint, $2::bigint)",

	/* $1 session, $2 viewer: comments (kind c) and actions (a) the
	 * viewer may see, in the order of their text (which says nothing
	 * of who wrote them or when) */
	[Q_TEXTS] =
	"SELECT kind, t FROM ("
	"  SELECT 'c' AS kind, comments AS t"
	"    FROM evaluation_visible($1::bigint, $2::bigint)"
	"   WHERE comments <> ''"
	"  UNION ALL"
	"  SELECT 'a', action FROM evaluation_visible($1::bigint, $2::bigint)"
	"   WHERE action <> '') x"
	" ORDER BY kind, t",

	/* $1 session: its bookings' stages and who holds each, by name
	 * (the outstanding list's order) */
	[Q_OUTSTANDING] =
	EVAL_ROW ", p.full_name, p.email, a.name" EVAL_FROM
	"  JOIN people p ON p.id = b.person_id"
	"  LEFT JOIN agencies a ON a.id = p.agency_id"
	" WHERE b.session_id = $1::bigint ORDER BY p.full_name, b.id",

	/* $1 session: the line managers who have not answered, by the
	 * name of the person they were asked about */
	[Q_MANAGERS] =
	"SELECT json_build_object('stage', 'manager', 'booking_id', b.id,"
	"    'full_name', p.full_name, 'email', m.manager_email,"
	"    'agency', a.name, 'status', CASE WHEN m.expires_at > now()"
	"    THEN 'open' ELSE 'closed' END,"
	"    'closes_at', " ISO("m.expires_at") ")"
	"  FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id"
	"  JOIN people p ON p.id = b.person_id"
	"  LEFT JOIN agencies a ON a.id = p.agency_id"
	" WHERE b.session_id = $1::bigint AND m.answered_at IS NULL"
	" ORDER BY p.full_name, b.id",

	/*
	 * $1 follow-up days: the stages of the attendees of each session of
	 * the last 200 days whose same-day or follow-up form may be open
	 * (db_evaluation_chasing()). Only attended and partial places are
	 * asked them; a same-day form is open at most 14 days after the end, a
	 * follow-up 30 days from its due date (its row's, or the days after
	 * the end). The filter is a day or two wider than the windows, and
	 * keeps the rows to those that may count; evaluation_windows()
	 * decides.
	 */
	[Q_CHASING] =
	EVAL_ROW EVAL_FROM
	" WHERE s.status <> 'cancelled'"
	"   AND s.starts_at > now() - interval '200 days'"
	"   AND s.starts_at < now()"
	"   AND b.status IN ('attended', 'partial')"
	"   AND ((s.ends_at > now() - interval '15 days'"
	"         AND NOT EXISTS (SELECT 1 FROM evaluations x"
	"                          WHERE x.booking_id = b.id))"
	"     OR (f.completed_at IS NULL"
	"         AND (f.due_on BETWEEN current_date - 31 AND current_date + 1"
	"           OR (f.due_on IS NULL"
	"               AND s.ends_at > now()"
	"                   - make_interval(days => $1::int + 32)"
	"               AND s.ends_at < now()"
	"                   - make_interval(days => $1::int - 2)))))"
	" ORDER BY s.id",

	/* $1 session (same day: $2 viewer): the answers that may be shown
	 * (migration 0015), without who gave them, when, or their free text,
	 * in the order of the answers themselves (which says nothing of who
	 * gave them) */
	[Q_EXPORT_BEFORE] =
	"SELECT coalesce(json_agg(json_build_array(knowledge, confidence)"
	"    ORDER BY knowledge, confidence), '[]')"
	"  FROM baseline_visible($1::bigint)",
	[Q_EXPORT_SAME_DAY] =
	"SELECT coalesce(json_agg(json_build_array(source, rating_content,"
	"    rating_delivery, rating_venue, rating_trainer, rating_overall,"
	"    knowledge_before, knowledge_after, confidence_before,"
	"    confidence_after, outcomes_met, improve_safeguarding)"
	"    ORDER BY source, rating_content, rating_delivery, rating_venue,"
	"    rating_trainer, rating_overall, knowledge_before, knowledge_after,"
	"    confidence_before, confidence_after, outcomes_met,"
	"    improve_safeguarding), '[]')"
	"  FROM evaluation_visible($1::bigint, $2::bigint)",
	[Q_EXPORT_FOLLOWUP] =
	"SELECT coalesce(json_agg(json_build_array(f.applied, f.confidence_now,"
	"    f.changed_information_sharing, f.changed_joint_working,"
	"    f.changed_referrals) ORDER BY f.applied, f.confidence_now,"
	"    f.changed_information_sharing, f.changed_joint_working,"
	"    f.changed_referrals), '[]')"
	"  FROM followups f JOIN bookings b ON b.id = f.booking_id"
	" WHERE b.session_id = $1::bigint AND f.completed_at IS NOT NULL"
	"   AND report_followups_closed($1::bigint)",

	/* $1 booking, $2 person (or NULL: a coordinator): its stages
	 * (EVAL_ROW), the certificate without its date, and the first
	 * same-day form's time (evaluation_certificate()) */
	[Q_CERTIFICATE] =
	EVAL_ROW ","
	"    json_build_object('booking_id', b.id, 'full_name',"
	"    p.full_name, 'course_title', c.title, 'course_code', c.code,"
	"    'starts_at', " ISO("s.starts_at") ", 'ends_at', " ISO("s.ends_at") ","
	"    'duration_minutes', c.duration_minutes, 'venue', s.venue,"
	"    'reference', upper(c.code) || '-' || b.id,"
	"    'attendance', b.status, 'group_level', (SELECT l.name FROM"
	"    course_group_levels x JOIN group_levels l ON l.id = x.group_level_id"
	"    WHERE x.course_id = c.id ORDER BY l.rank DESC LIMIT 1)),"
	"    " USEC("(SELECT min(e.submitted_at) FROM evaluations e"
	"             WHERE e.booking_id = b.id)")
	EVAL_FROM
	"  JOIN people p ON p.id = b.person_id"
	" WHERE b.id = $1::bigint AND ($2::bigint IS NULL"
	"    OR b.person_id = $2::bigint)",

	/* $1 session: its batches of paper forms, who entered each and
	 * how many forms, newest first */
	[Q_BATCHES] =
	"SELECT json_build_object('session_id', $1::bigint, 'batches',"
	"    coalesce(json_agg(json_build_object('id', u.id, 'kind',"
	"    CASE WHEN u.typed THEN 'typed' ELSE 'file' END, 'forms', u.forms,"
	"    'entered_by', coalesce(p.full_name, 'Unknown'),"
	"    'entered_on', to_char(u.uploaded_at AT TIME ZONE 'Europe/London',"
	"    'YYYY-MM-DD'), 'voided', u.voided_at IS NOT NULL,"
	"    'void_reason', u.void_reason) ORDER BY u.id DESC), '[]'))"
	"  FROM evaluation_uploads u LEFT JOIN people p ON p.id = u.uploaded_by"
	" WHERE u.session_id = $1::bigint",

	/* $1 batch, $2 coordinator, $3 reason: void it once, audited; its
	 * session's id, or no row when there is no such batch or it is
	 * void already (the second column: whether the batch exists) */
	[Q_VOID] =
	"WITH v AS (UPDATE evaluation_uploads SET voided_at = now(),"
	"    voided_by = $2::bigint, void_reason = $3"
	"  WHERE id = $1::bigint AND voided_at IS NULL"
	"  RETURNING id, session_id, forms),"
	" a AS (" DB_AUDIT_ROW
	"  $2::bigint, 'evaluation_batch.voided', 'evaluation_batch', id, NULL,"
	"    json_build_object('session_id', session_id, 'forms', forms)"
	"  FROM v)"
	"SELECT session_id, (SELECT count(*) FROM evaluation_uploads"
	"   WHERE id = $1::bigint) FROM v"
	" UNION ALL SELECT NULL, count(*) FROM evaluation_uploads"
	"   WHERE id = $1::bigint AND NOT EXISTS (SELECT 1 FROM v)",
};

static void	eval_facts(struct db *, int, int,
		    struct evaluation_facts *);
static cJSON	*eval_item(struct db *, int, enum evaluation_stage,
		    const struct evaluation_facts *,
		    const struct evaluation_window *);
static void	eval_add_time(cJSON *, const char *, long long);
static void	eval_add_text(cJSON *, const char *, struct db *, int, int);
static int	eval_mine_cmp(const void *, const void *);
static int	eval_chasing_cmp(const void *, const void *);
static void	eval_append(cJSON *, cJSON *);
static long long eval_time(struct db *, int, int);
static enum db_status	eval_json_row(struct db *, int, int, const char *const *,
		    cJSON **);

/* One stage of one booking, for sorting: the item and its keys. */
struct eval_entry {
	cJSON		*item;
	long long	 time;		/* mine: opens; chasing: closes */
	long long	 starts_at;
	long long	 id;		/* booking (mine), session (chasing) */
	const char	*stage;
	long long	 n;		/* chasing: forms outstanding */
};

/*
 * {"evaluations":[...]}: every stage `person` is asked (opened, closed
 * or done), the latest to open first (caller owns); `days` to the
 * follow-up.
 */
enum db_status
db_evaluation_mine(long long person, int days, cJSON **out)
{
	struct db			 db;
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	struct eval_entry		*e;
	char				 pid[24];
	const char			*params[1] = { pid };
	cJSON				*list;
	size_t				 n, i;
	int				 st, r, rows, k;

	*out = NULL;
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_MINE], 1, params)) != DB_OK) {
		db_close(&db);
		return (st);
	}
	rows = db_rows(&db);
	if ((e = calloc((size_t)rows * STAGE__MAX + 1, sizeof(*e))) == NULL) {
		db_close(&db);
		return (DB_ERR);
	}
	n = 0;
	for (r = 0; r < rows; r++) {
		eval_facts(&db, r, days, &f);
		evaluation_windows(&f, &w);
		for (k = 0; k < STAGE__MAX; k++) {
			if (w.stage[k].state == WINDOW_NOT_OPEN)
				continue;
			e[n].item = eval_item(&db, r, k, &f, &w.stage[k]);
			e[n].time = w.stage[k].opens_at;
			e[n].id = db_int(&db, r, 0);
			e[n].stage = evaluation_stage_name(k);
			n++;
		}
	}
	db_close(&db);
	qsort(e, n, sizeof(*e), eval_mine_cmp);
	*out = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(*out, "evaluations");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(list, e[i].item);
	free(e);
	return (DB_OK);
}

/*
 * `stage` of `person`'s `booking`: its window, status, questions and the
 * person's answers once given, into `*out` (caller owns); `days` to the
 * follow-up. DB_NOTFOUND for a booking that is not theirs.
 */
enum db_status
db_evaluation_stage(long long booking, long long person,
    enum evaluation_stage stage, int days, cJSON **out)
{
	struct db			 db;
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	char				 bid[24], pid[24];
	const char			*params[2] = { bid, pid };
	static const int mine[STAGE__MAX] = { Q_MY_BEFORE, Q_MY_SAME_DAY,
			    Q_MY_FOLLOWUP };
	cJSON				*answers;
	int				 st;

	*out = NULL;
	sqlparam_id(bid, booking);
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_STAGE], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	eval_facts(&db, 0, days, &f);
	evaluation_windows(&f, &w);
	*out = eval_item(&db, 0, stage, &f, &w.stage[stage]);
	answers = NULL;
	st = eval_json_row(&db, mine[stage], 1, params, &answers);
	if (st == DB_NOTFOUND) {
		answers = cJSON_CreateNull();
		st = DB_OK;
	}
	if (st == DB_OK) {
		cJSON_AddItemToObject(*out, "answers", answers);
		cJSON_AddItemToObject(*out, "questions",
		    evaluation_questions_json(stage));
	}
out:
	if (st != DB_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	db_close(&db);
	return (st);
}

/*
 * Record `person`'s answers `a` to `stage` of `booking`, once, inside its
 * window (`days` to the follow-up); same-day forms never outnumber the
 * session's attended places. `*result` is an enum evaluation_result.
 */
enum db_status
db_evaluation_answer(long long booking, long long person,
    enum evaluation_stage stage, int days,
    const struct evaluation_answers *a, enum evaluation_result *result)
{
	struct db			 db;
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	char				 bid[24], pid[24], sid[24], due[16];
	const char			*params[16];
	int				 st, i;

	*result = EVAL_FAILED;
	sqlparam_id(bid, booking);
	sqlparam_id(pid, person);
	params[0] = bid;
	params[1] = pid;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, eval_sql[Q_LOCK_BOOKING], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = EVAL_NOT_FOUND;
		goto out;
	}
	snprintf(sid, sizeof(sid), "%s", db_value(&db, 0, 0));
	params[0] = sid;
	if ((st = db_exec(&db, eval_sql[Q_LOCK_SESSION], 1, params)) != DB_OK)
		goto out;
	params[0] = bid;
	if ((st = db_exec(&db, eval_sql[Q_STAGE], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = EVAL_NOT_FOUND;
		goto out;
	}
	eval_facts(&db, 0, days, &f);
	evaluation_windows(&f, &w);
	evaluation_date_iso(w.due_on, due, sizeof(due));
	switch (w.stage[stage].state) {
	case WINDOW_OPEN:
		break;
	case WINDOW_DONE:
		*result = EVAL_ANSWERED;
		goto out;
	case WINDOW_CLOSED:
		*result = EVAL_CLOSED;
		goto out;
	default:
		*result = EVAL_NOT_OPEN;
		goto out;
	}
	if (stage == STAGE_SAME_DAY) {
		params[0] = sid;
		if ((st = db_exec(&db, eval_sql[Q_ROOM], 1, params)) != DB_OK)
			goto out;
		if (db_int(&db, 0, 1) >= db_int(&db, 0, 0)) {
			*result = EVAL_FULL;
			goto out;
		}
	}
	params[0] = bid;
	params[1] = stage == STAGE_FOLLOWUP ? due : sid;
	for (i = 0; i < (int)a->n && i < 14; i++)
		params[2 + i] = a->value[i];
	st = db_exec(&db, eval_sql[stage == STAGE_BEFORE ? Q_ANSWER_BEFORE :
	    stage == STAGE_SAME_DAY ? Q_ANSWER_SAME_DAY : Q_ANSWER_FOLLOWUP],
	    2 + (int)a->n, params);
	if (st == DB_CONFLICT || (st == DB_OK && stage == STAGE_FOLLOWUP &&
	    db_rows(&db) == 0)) {
		*result = EVAL_ANSWERED;
		st = DB_OK;
		goto out;
	}
	if (st == DB_OK && (st = db_commit(&db)) == DB_OK)
		*result = EVAL_DONE;
out:
	db_close(&db);
	return (st);
}

/*
 * Whether `person` may read `session`'s evaluations or add paper forms
 * (a trainer of it; `staff` set for coordinators and reviewers):
 * `*access` is an enum evaluation_access.
 */
enum db_status
db_evaluation_access(long long session, long long person, int staff,
    enum evaluation_access *access)
{
	struct db	 db;
	char		 sid[24], pid[24];
	const char	*params[2] = { sid, pid };
	int		 st;

	sqlparam_id(sid, session);
	sqlparam_id(pid, person);
	*access = EVAL_ACCESS_NO_SESSION;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_ACCESS], 2, params)) == DB_OK &&
	    db_rows(&db) > 0)
		*access = staff || db_value(&db, 0, 0)[0] == 't' ?
		    EVAL_ACCESS_ALLOWED : EVAL_ACCESS_DENIED;
	db_close(&db);
	return (st);
}

/*
 * Add `n` anonymous paper forms `forms` to `session`, all or none: from a
 * file whose SHA-256 is `sha256` (hex; NULL when typed in: no file to
 * repeat) by `actor`. The session's forms may not outnumber its attended
 * and partial places. `*result` is an enum evaluation_result; for
 * EVAL_FULL `detail` gets "places" and "forms" (already there).
 */
enum db_status
db_evaluation_paper(long long session, const char *sha256,
    const struct evaluation_answers *forms, size_t n, long long actor,
    enum evaluation_result *result, cJSON *detail)
{
	struct db	 db;
	char		 sid[24], who[24], count[24], upload[24];
	const char	*params[16];
	long long	 places, have;
	size_t		 i, j;
	int		 st;

	*result = EVAL_FAILED;
	sqlparam_id(sid, session);
	sqlparam_id(who, actor);
	snprintf(count, sizeof(count), "%zu", n);
	params[0] = sid;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) != DB_OK ||
	    (st = db_exec(&db, eval_sql[Q_LOCK_SESSION], 1, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = EVAL_NOT_FOUND;
		goto out;
	}
	/* Every batch is recorded: a file once, forms typed in each time. */
	params[1] = sha256;
	params[2] = count;
	params[3] = who;
	if ((st = db_exec(&db, eval_sql[Q_UPLOAD], 4, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = EVAL_DUPLICATE;
		goto out;
	}
	snprintf(upload, sizeof(upload), "%s", db_value(&db, 0, 0));
	if ((st = db_exec(&db, eval_sql[Q_ROOM], 1, params)) != DB_OK)
		goto out;
	places = db_int(&db, 0, 0);
	have = db_int(&db, 0, 1);
	if (have + (long long)n > places) {
		cJSON_AddNumberToObject(detail, "places", (double)places);
		cJSON_AddNumberToObject(detail, "forms", (double)have);
		*result = EVAL_FULL;
		goto out;
	}
	params[1] = upload;
	params[2] = who;
	for (i = 0; i < n; i++) {
		for (j = 0; j < forms[i].n && j < 13; j++)
			params[3 + j] = forms[i].value[j];
		if ((st = db_exec(&db, eval_sql[Q_PAPER], 16, params)) != DB_OK)
			goto out;
	}
	if ((st = db_commit(&db)) == DB_OK)
		*result = EVAL_DONE;
out:
	db_close(&db);
	return (st);
}

/*
 * Gather `session`'s same-day forms into `f` (free with
 * db_evaluation_forms_free(), whatever the result).
 */
enum db_status
db_evaluation_forms(long long session, long long viewer,
    struct evaluation_forms *f)
{
	struct db	 db;
	char		 sid[24], vid[24];
	const char	*params[2] = { sid, vid };
	size_t		 i, nr;
	int		 st, j;

	memset(f, 0, sizeof(*f));
	sqlparam_id(sid, session);
	sqlparam_id(vid, viewer);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_COUNTS], 1, params)) != DB_OK)
		goto out;
	f->attended = (size_t)db_int(&db, 0, 0);
	f->partial = (size_t)db_int(&db, 0, 1);
	f->walk_ins = (size_t)db_int(&db, 0, 2);
	f->online = (size_t)db_int(&db, 0, 3);
	f->paper = (size_t)db_int(&db, 0, 4);
	if ((st = db_exec(&db, eval_sql[Q_FORMS], 2, params)) != DB_OK)
		goto out;
	nr = (size_t)db_rows(&db);
	f->ratings = calloc(nr + 1, sizeof(*f->ratings));
	f->scores = calloc(nr + 1, sizeof(*f->scores));
	f->outcomes = calloc(nr + 1, sizeof(*f->outcomes));
	f->improve = calloc(nr + 1, sizeof(*f->improve));
	if (!f->ratings || !f->scores || !f->outcomes || !f->improve) {
		st = DB_ERR;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		for (j = 0; j < 5; j++)
			f->ratings[i][j] = (int)db_int(&db, (int)i, j);
		for (j = 0; j < 4; j++)
			f->scores[i][j] = (int)db_int(&db, (int)i, 5 + j);
		f->outcomes[i] = (int)db_int(&db, (int)i, 9);
		f->improve[i] = (int)db_int(&db, (int)i, 10);
	}
	f->n = nr;
	if ((st = db_exec(&db, eval_sql[Q_TEXTS], 2, params)) != DB_OK)
		goto out;
	nr = (size_t)db_rows(&db);
	f->comments = calloc(nr + 1, sizeof(*f->comments));
	f->actions = calloc(nr + 1, sizeof(*f->actions));
	if (f->comments == NULL || f->actions == NULL) {
		st = DB_ERR;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		if (db_value(&db, (int)i, 0)[0] == 'c')
			f->comments[f->ncomments++] =
			    strdup(db_value(&db, (int)i, 1));
		else
			f->actions[f->nactions++] =
			    strdup(db_value(&db, (int)i, 1));
	}
out:
	db_close(&db);
	return (st);
}

void
db_evaluation_forms_free(struct evaluation_forms *f)
{
	size_t	i;

	for (i = 0; f->comments != NULL && i < f->ncomments; i++)
		free((char *)f->comments[i]);
	for (i = 0; f->actions != NULL && i < f->nactions; i++)
		free((char *)f->actions[i]);
	free(f->comments);
	free(f->actions);
	free(f->ratings);
	free(f->scores);
	free(f->outcomes);
	free(f->improve);
	memset(f, 0, sizeof(*f));
}

/*
 * {"outstanding":[...]} of `session` (caller owns), for chasing: who has
 * not answered a stage that opened (`days` to the follow-up), and the
 * line managers who have not answered; by stage, then name.
 */
enum db_status
db_evaluation_outstanding(long long session, int days, cJSON **out)
{
	struct db			 db;
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	const struct evaluation_window	*x;
	char				 sid[24];
	const char			*params[1] = { sid };
	cJSON				*list, *by[STAGE__MAX], *o;
	int				 st, r, k;

	*out = NULL;
	sqlparam_id(sid, session);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_OUTSTANDING], 1, params)) != DB_OK)
		goto out;
	for (k = 0; k < STAGE__MAX; k++)
		by[k] = cJSON_CreateArray();
	for (r = 0; r < db_rows(&db); r++) {
		eval_facts(&db, r, days, &f);
		evaluation_windows(&f, &w);
		for (k = 0; k < STAGE__MAX; k++) {
			x = &w.stage[k];
			if (x->state != WINDOW_OPEN &&
			    x->state != WINDOW_CLOSED)
				continue;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "stage",
			    evaluation_stage_name(k));
			cJSON_AddNumberToObject(o, "booking_id",
			    (double)db_int(&db, r, 0));
			eval_add_text(o, "full_name", &db, r,
			    EVAL_FACT0 + EVAL_NFACTS);
			eval_add_text(o, "email", &db, r,
			    EVAL_FACT0 + EVAL_NFACTS + 1);
			eval_add_text(o, "agency", &db, r,
			    EVAL_FACT0 + EVAL_NFACTS + 2);
			cJSON_AddStringToObject(o, "status",
			    evaluation_state_name(x->state));
			eval_add_time(o, "closes_at", x->closes_at);
			cJSON_AddItemToArray(by[k], o);
		}
	}
	/* By stage's name (before, followup, manager, same_day), each by
	 * the person's name as the statements ordered them. */
	*out = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(*out, "outstanding");
	eval_append(list, by[STAGE_BEFORE]);
	eval_append(list, by[STAGE_FOLLOWUP]);
	if ((st = db_exec(&db, eval_sql[Q_MANAGERS], 1, params)) == DB_OK)
		for (r = 0; r < db_rows(&db); r++)
			if ((o = cJSON_Parse(db_value(&db, r, 0))) != NULL)
				cJSON_AddItemToArray(list, o);
	eval_append(list, by[STAGE_SAME_DAY]);
	if (st != DB_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
out:
	db_close(&db);
	return (st);
}

/*
 * {"sessions":[...]}: the forms open and not sent (`days` to the
 * follow-up), per session of the last 200 days and stage (same day,
 * follow-up), soonest deadline first (caller owns), for chasing.
 */
enum db_status
db_evaluation_chasing(int days, cJSON **out)
{
	struct db			 db;
	struct evaluation_facts		 f;
	struct evaluation_windows	 w;
	const struct evaluation_window	*x;
	struct eval_entry		*e, *g;
	static const enum evaluation_stage chased[] = { STAGE_SAME_DAY,
			    STAGE_FOLLOWUP };
	char				 d[16];
	const char			*params[1] = { d };
	cJSON				*list, *o;
	size_t				 n, i, j;
	long long			 sid;
	int				 st, r, rows;

	*out = NULL;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	snprintf(d, sizeof(d), "%d", days);
	if ((st = db_exec(&db, eval_sql[Q_CHASING], 1, params)) != DB_OK) {
		db_close(&db);
		return (st);
	}
	rows = db_rows(&db);
	if ((e = calloc((size_t)rows * 2 + 1, sizeof(*e))) == NULL) {
		db_close(&db);
		return (DB_ERR);
	}
	/* The rows come by session: one group per session and stage. */
	n = 0;
	for (r = 0; r < rows; r++) {
		sid = db_int(&db, r, 1);
		eval_facts(&db, r, days, &f);
		evaluation_windows(&f, &w);
		for (j = 0; j < 2; j++) {
			x = &w.stage[chased[j]];
			if (x->state != WINDOW_OPEN)
				continue;
			for (g = NULL, i = n; i > 0 && e[i - 1].id == sid; i--)
				if (strcmp(e[i - 1].stage,
				    evaluation_stage_name(chased[j])) == 0)
					g = &e[i - 1];
			if (g == NULL) {
				g = &e[n++];
				g->id = sid;
				g->stage = evaluation_stage_name(chased[j]);
				g->starts_at = f.starts_at;
				g->time = x->closes_at;
				g->item = cJSON_CreateObject();
				cJSON_AddNumberToObject(g->item, "session_id",
				    (double)sid);
				eval_add_text(g->item, "course_title", &db, r,
				    2);
				eval_add_time(g->item, "starts_at",
				    f.starts_at);
				cJSON_AddStringToObject(g->item, "stage",
				    g->stage);
			}
			if (x->closes_at < g->time)
				g->time = x->closes_at;
			g->n++;
		}
	}
	db_close(&db);
	qsort(e, n, sizeof(*e), eval_chasing_cmp);
	*out = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(*out, "sessions");
	for (i = 0; i < n; i++) {
		o = e[i].item;
		eval_add_time(o, "closes_at", e[i].time);
		cJSON_AddNumberToObject(o, "outstanding", (double)e[i].n);
		cJSON_AddItemToArray(list, o);
	}
	free(e);
	return (DB_OK);
}

/* `stage`'s answers at `session` as arrays of values, no person's. */
enum db_status
db_evaluation_export(long long session, long long viewer,
    enum evaluation_stage stage, cJSON **out)
{
	char		 sid[24], vid[24];
	const char	*params[2] = { sid, vid };

	sqlparam_id(sid, session);
	sqlparam_id(vid, viewer);
	return (db_json(eval_sql[stage == STAGE_BEFORE ? Q_EXPORT_BEFORE :
	    stage == STAGE_SAME_DAY ? Q_EXPORT_SAME_DAY : Q_EXPORT_FOLLOWUP],
	    stage == STAGE_SAME_DAY ? 2 : 1, params, out));
}

/*
 * The certificate of attendance of `booking` (`person`'s; any when
 * `person` is 0) into `*out` (caller owns); `*ready` whether it is
 * available (evaluation_certificate(): attended, and the same-day
 * evaluation done or closed).
 */
enum db_status
db_evaluation_certificate(long long booking, long long person, cJSON **out,
    int *ready)
{
	struct db		 db;
	struct evaluation_facts	 f;
	char			 bid[24], pid[24], issued[16];
	const char		*params[2] = { bid, person > 0 ? pid : NULL };
	long long		 sent_at;
	int			 st, col, day;

	*out = NULL;
	*ready = 0;
	sqlparam_id(bid, booking);
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_CERTIFICATE], 2, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		st = DB_NOTFOUND;
		goto out;
	}
	col = EVAL_FACT0 + EVAL_NFACTS;
	if ((*out = cJSON_Parse(db_value(&db, 0, col))) == NULL) {
		st = DB_ERR;
		goto out;
	}
	/* The follow-up's days change neither readiness nor the date. */
	eval_facts(&db, 0, EVALUATION_FOLLOWUP_DAYS, &f);
	sent_at = eval_time(&db, 0, col + 1);
	*ready = evaluation_certificate(&f, sent_at, &day);
	evaluation_date_iso(day, issued, sizeof(issued));
	cJSON_AddStringToObject(*out, "issued_on", issued);
out:
	db_close(&db);
	return (st);
}

/* The facts of row `row`'s booking (EVAL_ROW's columns), `days` to its
 * follow-up, into `f`; its status stays the result's. */
static void
eval_facts(struct db *db, int row, int days, struct evaluation_facts *f)
{
	const char	*v[EVAL_NFACTS];
	int		 i;

	for (i = 0; i < EVAL_NFACTS; i++)
		v[i] = db_isnull(db, row, EVAL_FACT0 + i) ? NULL :
		    db_value(db, row, EVAL_FACT0 + i);
	evaluation_facts_read(v, days, f);
}

/* Column `col` of row `row`, a time (USEC()), or EVALUATION_NO_TIME. */
static long long
eval_time(struct db *db, int row, int col)
{
	return (db_isnull(db, row, col) ? EVALUATION_NO_TIME :
	    db_int(db, row, col));
}

/* One stage of row `row`'s booking (EVAL_ROW) as an answer's item. */
static cJSON *
eval_item(struct db *db, int row, enum evaluation_stage stage,
    const struct evaluation_facts *f, const struct evaluation_window *x)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "stage", evaluation_stage_name(stage));
	cJSON_AddNumberToObject(o, "booking_id", (double)db_int(db, row, 0));
	cJSON_AddNumberToObject(o, "session_id", (double)db_int(db, row, 1));
	eval_add_text(o, "course_title", db, row, 2);
	eval_add_time(o, "starts_at", f->starts_at);
	eval_add_time(o, "opens_at", x->opens_at);
	eval_add_time(o, "closes_at", x->closes_at);
	cJSON_AddStringToObject(o, "status", evaluation_state_name(x->state));
	return (o);
}

/* `name`: time `t` in ISO 8601, or null. */
static void
eval_add_time(cJSON *o, const char *name, long long t)
{
	char	buf[32];

	if (t == EVALUATION_NO_TIME) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	evaluation_time_iso(t, buf, sizeof(buf));
	cJSON_AddStringToObject(o, name, buf);
}

/* `name`: column `col` of row `row` as text, or null. */
static void
eval_add_text(cJSON *o, const char *name, struct db *db, int row, int col)
{
	if (db_isnull(db, row, col))
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddStringToObject(o, name, db_value(db, row, col));
}

/* Move the items of array `from` to the end of `to`; free `from`. */
static void
eval_append(cJSON *to, cJSON *from)
{
	cJSON	*o;

	while ((o = cJSON_DetachItemFromArray(from, 0)) != NULL)
		cJSON_AddItemToArray(to, o);
	cJSON_Delete(from);
}

/* Mine: the latest to open first (not asked: first, as PostgreSQL puts
 * NULL first going down), then booking and stage's name, down. */
static int
eval_mine_cmp(const void *pa, const void *pb)
{
	const struct eval_entry	*a = pa, *b = pb;

	if (a->time != b->time) {
		if (a->time == EVALUATION_NO_TIME)
			return (-1);
		if (b->time == EVALUATION_NO_TIME)
			return (1);
		return (a->time > b->time ? -1 : 1);
	}
	if (a->id != b->id)
		return (a->id > b->id ? -1 : 1);
	return (strcmp(b->stage, a->stage));
}

/* Chasing: the soonest close first, then start, session, stage. */
static int
eval_chasing_cmp(const void *pa, const void *pb)
{
	const struct eval_entry	*a = pa, *b = pb;

	if (a->time != b->time)
		return (a->time < b->time ? -1 : 1);
	if (a->starts_at != b->starts_at)
		return (a->starts_at < b->starts_at ? -1 : 1);
	if (a->id != b->id)
		return (a->id < b->id ? -1 : 1);
	return (strcmp(a->stage, b->stage));
}

/* Run statement `q` and parse its first row's first column as JSON. */
static enum db_status
eval_json_row(struct db *db, int q, int n, const char *const *params,
    cJSON **out)
{
	int	st;

	if ((st = db_exec(db, eval_sql[q], n, params)) != DB_OK)
		return (st);
	if (db_rows(db) == 0)
		return (DB_NOTFOUND);
	if ((*out = cJSON_Parse(db_value(db, 0, 0))) == NULL)
		return (DB_ERR);
	return (DB_OK);
}

/* {"session_id","batches":[...]}: `session`'s batches of paper forms. */
enum db_status
db_evaluation_batches(long long session, cJSON **out)
{
	char		 sid[24];
	const char	*params[1] = { sid };

	sqlparam_id(sid, session);
	return (db_json(eval_sql[Q_BATCHES], 1, params, out));
}

/*
 * Void batch `batch` for coordinator `actor` because of `reason`: its
 * forms leave every figure (one statement, audited). `*result` is
 * EVAL_DONE, EVAL_NOT_FOUND or EVAL_DUPLICATE (void already).
 */
enum db_status
db_evaluation_batch_void(long long batch, long long actor, const char *reason,
    int *result)
{
	struct db	 db;
	char		 bid[24], who[24];
	const char	*params[3] = { bid, who, reason };
	int		 st;

	*result = EVAL_FAILED;
	sqlparam_id(bid, batch);
	sqlparam_id(who, actor);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, eval_sql[Q_VOID], 3, params)) == DB_OK) {
		if (db_rows(&db) == 0 || db_value(&db, 0, 1)[0] == '0')
			*result = EVAL_NOT_FOUND;
		else if (db_isnull(&db, 0, 0))
			*result = EVAL_DUPLICATE;
		else
			*result = EVAL_DONE;
	}
	db_close(&db);
	return (st);
}
