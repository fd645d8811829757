/*
 * db_evaluation: the evaluation stages of a person's bookings and their
 * answers; paper forms; what a session's summary, outstanding list and
 * export read. Answers are linked to bookings only to count completion
 * and pair stages: no statement here returns a name beside an answer.
 *
 * Windows, the same in every statement (EVAL_STAGES): before, from the
 * confirmation to the start (when the course asks it); same day, from
 * the register's mark (attended or partial) to 14 days after the end;
 * follow-up, from its due date (the follow-up's row, or the end's date
 * plus evaluation_followup_days(), PORTAL_FOLLOWUP_DAYS) for 30 days.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_evaluation.h"
#include "sqlparam.h"

#define ISO(x)	"to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"

/* Every stage of every booking matching `where` (days: a parameter). */
#define EVAL_STAGES(days, where)					\
	"SELECT b.id AS booking_id, b.person_id, s.id AS session_id,"	\
	"       c.title AS course_title, s.starts_at, st.stage,"	\
	"       st.opens_at, st.closes_at, d.due_on,"			\
	"       CASE WHEN st.done THEN 'done'"				\
	"            WHEN st.opens_at IS NULL OR st.opens_at > now()"	\
	"            THEN 'not_open'"					\
	"            WHEN now() < st.closes_at THEN 'open'"		\
	"            ELSE 'closed' END AS status"			\
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"	\
	"  JOIN courses c ON c.id = s.course_id"			\
	"  LEFT JOIN followups f ON f.booking_id = b.id"		\
	" CROSS JOIN LATERAL (SELECT coalesce(f.due_on,"		\
	"       (s.ends_at AT TIME ZONE 'Europe/London')::date + "	\
	        days ") AS due_on) d"					\
	" CROSS JOIN LATERAL (VALUES"					\
	"   ('before', CASE WHEN c.evaluation_baseline"			\
	"       AND b.confirmed_at IS NOT NULL AND b.status IN"		\
	"       ('confirmed', 'attended', 'partial', 'no_show')"	\
	"       THEN b.confirmed_at END, s.starts_at,"			\
	"     EXISTS (SELECT 1 FROM baselines x"			\
	"              WHERE x.booking_id = b.id)),"			\
	"   ('same_day', CASE WHEN b.status IN ('attended', 'partial')"	\
	"       THEN coalesce(b.attendance_at, s.ends_at) END,"		\
	"     s.ends_at + interval '14 days',"				\
	"     EXISTS (SELECT 1 FROM evaluations x"			\
	"              WHERE x.booking_id = b.id)),"			\
	"   ('followup', CASE WHEN b.status IN ('attended', 'partial')"	\
	"       THEN d.due_on::timestamp AT TIME ZONE 'Europe/London' END,"\
	"     (d.due_on + 30)::timestamp AT TIME ZONE 'Europe/London',"	\
	"     f.completed_at IS NOT NULL)"				\
	" ) st (stage, opens_at, closes_at, done)"			\
	" WHERE " where

#define EVAL_ITEM							\
	"json_build_object('stage', stage, 'booking_id', booking_id,"	\
	" 'session_id', session_id, 'course_title', course_title,"	\
	" 'starts_at', " ISO("starts_at") ","				\
	" 'opens_at', " ISO("opens_at") ","				\
	" 'closes_at', " ISO("closes_at") ", 'status', status)"

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
	/* $1 person, $2 follow-up days: every stage opened, newest first */
	[Q_MINE] =
	"SELECT json_build_object('evaluations', coalesce(json_agg(" EVAL_ITEM
	"  ORDER BY opens_at DESC, booking_id DESC, stage DESC), '[]'))"
	"  FROM (" EVAL_STAGES("$2::int", "b.person_id = $1::bigint") ") x"
	" WHERE status <> 'not_open'",

	/* $1 booking, $2 person, $3 days, $4 stage: its window and status */
	[Q_STAGE] =
	"SELECT " EVAL_ITEM ", status, due_on, session_id"
	"  FROM (" EVAL_STAGES("$3::int", "b.id = $1::bigint"
	"   AND b.person_id = $2::bigint") ") x WHERE stage = $4",

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

	/* $1 session, $2 days: who has not answered a stage that opened,
	 * and the line managers who have not answered */
	[Q_OUTSTANDING] =
	"SELECT json_build_object('outstanding', coalesce(json_agg(o"
	"   ORDER BY o->>'stage', o->>'full_name'), '[]'))"
	"  FROM (SELECT json_build_object('stage', x.stage, 'booking_id',"
	"          x.booking_id, 'full_name', p.full_name, 'email', p.email,"
	"          'agency', a.name, 'status', x.status,"
	"          'closes_at', " ISO("x.closes_at") ")::jsonb AS o"
	"          FROM (" EVAL_STAGES("$2::int", "b.session_id = $1::bigint")
	"               ) x"
	"          JOIN people p ON p.id = x.person_id"
	"          LEFT JOIN agencies a ON a.id = p.agency_id"
	"         WHERE x.status IN ('open', 'closed')"
	"        UNION ALL"
	"        SELECT json_build_object('stage', 'manager', 'booking_id',"
	"          b.id, 'full_name', p.full_name, 'email', m.manager_email,"
	"          'agency', a.name, 'status', CASE WHEN m.expires_at > now()"
	"          THEN 'open' ELSE 'closed' END,"
	"          'closes_at', " ISO("m.expires_at") ")::jsonb"
	"          FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id"
	"          JOIN people p ON p.id = b.person_id"
	"          LEFT JOIN agencies a ON a.id = p.agency_id"
	"         WHERE b.session_id = $1::bigint AND m.answered_at IS NULL) y",

	/*
	 * $1 days to the three-month form: for each session of the last
	 * 200 days and each stage (same day, three months), how many
	 * attendees have a form open and not sent, and the first deadline
	 */
	[Q_CHASING] =
	"SELECT json_build_object('sessions', coalesce(json_agg(json_build_object("
	"    'session_id', g.session_id, 'course_title', g.course_title,"
	"    'starts_at', " ISO("g.starts_at") ", 'stage', g.stage,"
	"    'closes_at', " ISO("g.closes_at") ", 'outstanding', g.n)"
	"    ORDER BY g.closes_at, g.starts_at, g.session_id, g.stage), '[]'))"
	"  FROM (SELECT x.session_id, x.course_title, x.starts_at, x.stage,"
	"               min(x.closes_at) AS closes_at, count(*) AS n"
	"          FROM (" EVAL_STAGES("$1::int", "s.status <> 'cancelled'"
	"                AND s.starts_at > now() - interval '200 days'"
	"                AND s.starts_at < now()") ") x"
	"         WHERE x.stage IN ('same_day', 'followup')"
	"           AND x.status = 'open'"
	"         GROUP BY x.session_id, x.course_title, x.starts_at,"
	"                  x.stage) g",

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

	/* $1 booking, $2 person (or NULL: a coordinator) */
	[Q_CERTIFICATE] =
	"SELECT json_build_object('booking_id', b.id, 'full_name',"
	"    p.full_name, 'course_title', c.title, 'course_code', c.code,"
	"    'starts_at', " ISO("s.starts_at") ", 'ends_at', " ISO("s.ends_at") ","
	"    'duration_minutes', c.duration_minutes, 'venue', s.venue,"
	"    'reference', upper(c.code) || '-' || b.id,"
	"    'issued_on', to_char(least(coalesce((SELECT min(e.submitted_at)"
	"      FROM evaluations e WHERE e.booking_id = b.id),"
	"      s.ends_at + interval '14 days'), s.ends_at + interval '14 days')"
	"      AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'),"
	"    'attendance', b.status, 'group_level', (SELECT l.name FROM"
	"    course_group_levels x JOIN group_levels l ON l.id = x.group_level_id"
	"    WHERE x.course_id = c.id ORDER BY l.rank DESC LIMIT 1)),"
	"    b.status IN ('attended', 'partial') AND (EXISTS (SELECT 1 FROM"
	"    evaluations e WHERE e.booking_id = b.id) OR now() >="
	"    s.ends_at + interval '14 days')"
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
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

static const char *eval_days(char *, size_t);
static enum db_status	eval_json_row(struct db *, int, int, const char *const *,
		    cJSON **);

/* {"evaluations":[...]}: every stage `person` is asked (caller owns). */
enum db_status
db_evaluation_mine(long long person, cJSON **out)
{
	char		 pid[24], days[16];
	const char	*params[2] = { pid, days };

	sqlparam_id(pid, person);
	eval_days(days, sizeof(days));
	return (db_json(eval_sql[Q_MINE], 2, params, out));
}

/*
 * `stage` of `person`'s `booking`: its window, status, questions and the
 * person's answers once given, into `*out` (caller owns). DB_NOTFOUND
 * for a booking that is not theirs.
 */
enum db_status
db_evaluation_stage(long long booking, long long person,
    enum evaluation_stage stage, cJSON **out)
{
	struct db	 db;
	char		 bid[24], pid[24], days[16];
	const char	*params[4] = { bid, pid, days,
			    evaluation_stage_name(stage) };
	static const int mine[STAGE__MAX] = { Q_MY_BEFORE, Q_MY_SAME_DAY,
			    Q_MY_FOLLOWUP };
	cJSON		*answers;
	int		 st;

	*out = NULL;
	sqlparam_id(bid, booking);
	sqlparam_id(pid, person);
	eval_days(days, sizeof(days));
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = eval_json_row(&db, Q_STAGE, 4, params, out)) != DB_OK)
		goto out;
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
 * window; same-day forms never outnumber the session's attended places.
 * `*result` is an enum evaluation_result.
 */
enum db_status
db_evaluation_answer(long long booking, long long person,
    enum evaluation_stage stage, const struct evaluation_answers *a,
    enum evaluation_result *result)
{
	struct db	 db;
	char		 bid[24], pid[24], days[16], sid[24], due[16];
	const char	*params[16], *status;
	int		 st, i;

	*result = EVAL_FAILED;
	sqlparam_id(bid, booking);
	sqlparam_id(pid, person);
	eval_days(days, sizeof(days));
	params[0] = bid;
	params[1] = pid;
	params[2] = days;
	params[3] = evaluation_stage_name(stage);
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
	if ((st = db_exec(&db, eval_sql[Q_STAGE], 4, params)) != DB_OK)
		goto out;
	if (db_rows(&db) == 0) {
		*result = EVAL_NOT_FOUND;
		goto out;
	}
	status = db_value(&db, 0, 1);
	snprintf(due, sizeof(due), "%s", db_value(&db, 0, 2));
	if (strcmp(status, "done") == 0) {
		*result = EVAL_ANSWERED;
		goto out;
	}
	if (strcmp(status, "open") != 0) {
		*result = strcmp(status, "closed") == 0 ? EVAL_CLOSED :
		    EVAL_NOT_OPEN;
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

/* {"outstanding":[...]} of `session` (caller owns), for chasing. */
enum db_status
db_evaluation_outstanding(long long session, cJSON **out)
{
	char		 sid[24], days[16];
	const char	*params[2] = { sid, days };

	sqlparam_id(sid, session);
	eval_days(days, sizeof(days));
	return (db_json(eval_sql[Q_OUTSTANDING], 2, params, out));
}

/* {"sessions":[...]}: the forms open and not sent, per session and
 * stage, soonest deadline first (caller owns), for chasing. */
enum db_status
db_evaluation_chasing(cJSON **out)
{
	char		 days[16];
	const char	*params[1] = { days };

	eval_days(days, sizeof(days));
	return (db_json(eval_sql[Q_CHASING], 1, params, out));
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
 * available (attended, and the same-day evaluation done or closed).
 */
enum db_status
db_evaluation_certificate(long long booking, long long person, cJSON **out,
    int *ready)
{
	struct db	 db;
	char		 bid[24], pid[24];
	const char	*params[2] = { bid, person > 0 ? pid : NULL };
	int		 st;

	*out = NULL;
	*ready = 0;
	sqlparam_id(bid, booking);
	sqlparam_id(pid, person);
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = eval_json_row(&db, Q_CERTIFICATE, 2, params, out)) == DB_OK)
		*ready = db_value(&db, 0, 1)[0] == 't';
	db_close(&db);
	return (st);
}

/* The follow-up's days (evaluation_followup_days()) as a parameter. */
static const char *
eval_days(char *buf, size_t len)
{
	snprintf(buf, len, "%d", evaluation_followup_days(
	    getenv(EVALUATION_FOLLOWUP_SETTING)));
	return (buf);
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
