/*
 * h_evaluations: the four-stage evaluations of bookings (a delegate's
 * own), a session's paper forms, summary, outstanding list and export,
 * and the certificate of attendance.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "auth.h"
#include "csv.h"
#include "db_evaluation.h"
#include "evaluation.h"
#include "portal.h"
#include "qs.h"
#include "reply.h"
#include "route.h"

/* Largest paper forms file, and most forms typed in at once. */
#define EVAL_UPLOAD_MAX		(1024 * 1024)
#define EVAL_TYPED_MAX		200

int	h_my_evaluations(struct http_request *);
int	h_booking_evaluation(struct http_request *);
int	h_booking_certificate(struct http_request *);
int	h_session_evaluations(struct http_request *);
int	h_evaluation_template(struct http_request *);
int	h_evaluation_summary(struct http_request *);
int	h_evaluation_outstanding(struct http_request *);
int	h_evaluations_chasing(struct http_request *);
int	h_evaluation_export(struct http_request *);
int	h_evaluation_questions(struct http_request *);
int	h_evaluation_batches(struct http_request *);
int	h_evaluation_batch_void(struct http_request *);

static int	eval_coordinator_json(struct http_request *,
		    enum db_status (*)(long long, cJSON **));
static int	eval_session(struct http_request *, const struct preamble *,
		    int, long long *, struct session_who *);

/* GET of a session's evaluations, coordinators only. */
static const struct preamble	eval_coordinator_pre = {
	.id_after = "/api/v1/sessions/", .get = ROLE_COORDINATOR
};
static int	eval_upload_csv(struct http_request *, long long,
		    const struct session_who *);
static int	eval_upload_json(struct http_request *, long long,
		    const struct session_who *);
static void	eval_paper_reply(struct http_request *, int, int,
		    size_t, cJSON *);
static void	eval_invalid(struct http_request *, const char *, cJSON *);
static int	eval_answers_read(struct http_request *, int,
		    struct evaluation_answers *, int *);
static void	eval_answer_reply(struct http_request *, int,
		    enum evaluation_result, int);
static int	eval_int(const cJSON *, const char *);
static enum db_status eval_outstanding(long long, cJSON **);

/* GET /api/v1/me/evaluations (signed in) 200 {"evaluations":[...]}; 401. */
int
h_my_evaluations(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_SIGNED_IN };
	struct session_who	 who;
	cJSON			*out;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = db_evaluation_mine(who.person_id, portal_followup_days,
	    &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET|PUT /api/v1/bookings/{id}/evaluations/{stage} (the booking's own
 * person; stage before, same_day, followup)
 * GET 200 {"stage","status":"open"|"done"|"closed"|"not_open","opens_at",
 * "closes_at",...,"questions":[...],"answers":{...}|null}.
 * PUT the stage's answers (every question optional but the same-day
 * form's five ratings): 201 {"status":"done"}; with ?check=true the
 * answers are only checked, nothing saved: 200 {"status":"checked"}
 * (the page's "check your answers" step); 401; 403 CSRF; 404 not
 * one's own booking, or no such stage; 409 answered already; 422 not
 * open, closed, the session's forms as many as its places, or wrong
 * values (each named).
 */
int
h_booking_evaluation(struct http_request *req)
{
	static const struct preamble	 pre = {
		.id_after = "/api/v1/bookings/",
		.get = ACCESS_SIGNED_IN, .put = ACCESS_SIGNED_IN
	};
	struct session_who		 who;
	struct evaluation_answers	 a;
	const char			*rest;
	cJSON				*out;
	long long			 booking;
	enum evaluation_result		 result;
	int				 stage, st, check;

	if (!auth_preamble(req, &pre, &who, &booking, &rest))
		return (KORE_RESULT_OK);
	if (strncmp(rest, "/evaluations/", 13) != 0 ||
	    (stage = evaluation_stage_of(rest + 13)) == -1)
		return (h_not_found(req));

	/* GET: the stage as the person sees it. */
	if (req->method != HTTP_METHOD_PUT) {
		out = NULL;
		st = db_evaluation_stage(booking, who.person_id, stage,
		    portal_followup_days, &out);
		if (st == DB_NOTFOUND)
			reply_error(req, 404, "not_found", "There is no such "
			    "booking of yours.", NULL);
		else if (st != DB_OK)
			reply_db_failure(req, st);
		else
			reply_json(req, 200, out);
		return (KORE_RESULT_OK);
	}

	/* PUT: the answers, checked. */
	if (!eval_answers_read(req, stage, &a, &check))
		return (KORE_RESULT_OK);
	if (check) {
		evaluation_answers_free(&a);
		out = cJSON_CreateObject();
		cJSON_AddStringToObject(out, "stage",
		    evaluation_stage_name(stage));
		cJSON_AddStringToObject(out, "status", "checked");
		reply_json(req, 200, out);
		return (KORE_RESULT_OK);
	}

	/* Saved, if the stage takes them now. */
	st = db_evaluation_answer(booking, who.person_id, stage,
	    portal_followup_days, &a, &result);
	evaluation_answers_free(&a);
	eval_answer_reply(req, stage, result, st);
	return (KORE_RESULT_OK);
}

/*
 * Read the answers to evaluation stage `stage` that `req` puts into `a`
 * (caller frees with evaluation_answers_free()) and its ?check= flag
 * into `*check`. Returns 1, or 0 when it has answered the request
 * instead: a query or body that cannot be read, or wrong values (422,
 * each named; the same-day form's five ratings are required).
 */
static int
eval_answers_read(struct http_request *req, int stage,
    struct evaluation_answers *a, int *check)
{
	struct qs	 q;
	cJSON		*body, *fields;

	if (!reply_parse_query(req, &q))
		return (0);
	if (qs_get_flag(&q, "check", check) == -1) {
		qs_free(&q);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "check", "Must be true or false.");
		reply_invalid(req, fields);
		return (0);
	}
	qs_free(&q);
	if (!reply_read_json(req, &body))
		return (0);
	fields = cJSON_CreateObject();
	if (evaluation_parse_json(stage, body, a, fields) +
	    (stage == STAGE_SAME_DAY ? evaluation_require_ratings(a, fields) :
	    0) > 0) {
		cJSON_Delete(body);
		evaluation_answers_free(a);
		eval_invalid(req, "Some answers are not valid: nothing was "
		    "saved.", fields);
		return (0);
	}
	cJSON_Delete(body);
	cJSON_Delete(fields);
	return (1);
}

/*
 * Answer a PUT of stage `stage`'s answers with what came of it:
 * `result`, and `st` when the database failed.
 */
static void
eval_answer_reply(struct http_request *req, int stage,
    enum evaluation_result result, int st)
{
	cJSON		*out;

	switch (result) {
	case EVAL_DONE:
		out = cJSON_CreateObject();
		cJSON_AddStringToObject(out, "stage",
		    evaluation_stage_name(stage));
		cJSON_AddStringToObject(out, "status", "done");
		reply_json(req, 201, out);
		break;
	case EVAL_NOT_FOUND:
		reply_error(req, 404, "not_found", "There is no such booking "
		    "of yours.", NULL);
		break;
	case EVAL_ANSWERED:
		reply_error(req, 409, "answered", "You have answered this "
		    "evaluation already: answers are final.", NULL);
		break;
	case EVAL_NOT_OPEN:
		reply_error(req, 422, "not_open", "This evaluation is not "
		    "open yet.", NULL);
		break;
	case EVAL_CLOSED:
		reply_error(req, 422, "closed", "This evaluation has closed.",
		    NULL);
		break;
	case EVAL_FULL:
		reply_error(req, 422, "forms_full", "This session already has "
		    "as many evaluation forms as people who attended.", NULL);
		break;
	default:
		reply_db_failure(req, st);
		break;
	}
}

/*
 * GET /api/v1/bookings/{id}/certificate (the booking's person, or a
 * coordinator) 200 {"full_name","course_title","starts_at","ends_at",
 * "duration_minutes","group_level","reference" (the course code and the
 * booking), "issued_on" (the day it became available),...}; 401; 404 not
 * theirs; 409 not
 * available yet (attended, and the same-day evaluation done or closed).
 */
int
h_booking_certificate(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/bookings/", .get = ACCESS_SIGNED_IN
	};
	struct session_who	 who;
	cJSON			*out;
	long long		 booking;
	int			 st, ready;

	if (!auth_preamble(req, &pre, &who, &booking, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_evaluation_certificate(booking, (who.roles & ROLE_COORDINATOR) ?
	    0 : who.person_id, &out, &ready);
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such booking "
		    "of yours.", NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else if (!ready) {
		cJSON_Delete(out);
		reply_error(req, 409, "not_available", "The certificate is "
		    "available once you attended and have filled in the "
		    "same-day evaluation (or its 14 days have passed).", NULL);
	} else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/sessions/{id}/evaluations (the session's trainers,
 * coordinators): paper same-day forms, anonymous.
 * text/csv with the template's header: 200 {"added":N}; the same file
 * again 409; application/json {"forms":[{...}]} (typed in, at most 200):
 * 200 {"added":N}. Any wrong row or field: 422 {"rows":[{"row","field",
 * "message"}]} (the first 100), nothing added; a file of more than 10000
 * forms, or more forms than attended places: 422; 401; 403; 404 no such
 * session; 413; 415.
 */
int
h_session_evaluations(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.post = ROLE_TRAINER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	const char		*type;
	long long		 session;

	if (!eval_session(req, &pre, ROLE_COORDINATOR, &session, &who))
		return (KORE_RESULT_OK);
	if (http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "text/csv", 8) == 0)
		return (eval_upload_csv(req, session, &who));
	return (eval_upload_json(req, session, &who));
}

/*
 * GET /api/v1/sessions/{id}/evaluations/template.csv (anyone): the paper
 * form's header, the order of the printable form's questions.
 */
int
h_evaluation_template(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_ANYONE };
	struct csv_out	 csv;
	size_t		 i;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	csv_out_init(&csv);
	for (i = 0; evaluation_paper_header[i] != NULL; i++)
		csv_out_field(&csv, evaluation_paper_header[i], 0);
	csv_out_end_row(&csv);
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"evaluation-forms.csv\"");
	reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
	csv_out_free(&csv);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/sessions/{id}/evaluations/summary (the session's trainers,
 * coordinators, reviewers) 200 the same-day forms' figures, from stats/,
 * of the forms the viewer may see (README "Disclosure control": released
 * steps of at least 5 forms the viewer did not enter), completion of
 * every form; comments and actions only for the session's trainers and
 * coordinators; 401; 403; 404.
 */
int
h_evaluation_summary(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.get = ROLE_TRAINER | ROLE_COORDINATOR | ROLE_REVIEWER
	};
	struct session_who	 who;
	struct evaluation_forms	 f;
	cJSON			*out;
	long long		 session;
	enum evaluation_access	 access;
	int			 st;

	if (!eval_session(req, &pre, ROLE_COORDINATOR | ROLE_REVIEWER,
	    &session, &who))
		return (KORE_RESULT_OK);
	if ((st = db_evaluation_forms(session, who.person_id, &f)) != DB_OK) {
		db_evaluation_forms_free(&f);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	/* No role is exempt from disclosure control. */
	out = evaluation_summary(&f, 0, 0.95);
	cJSON_AddNumberToObject(out, "session_id", (double)session);
	db_evaluation_forms_free(&f);
	/* Free text: the session's trainers and coordinators only. */
	if (!(who.roles & ROLE_COORDINATOR) && (db_evaluation_access(session,
	    who.person_id, 0, &access) != DB_OK ||
	    access != EVAL_ACCESS_ALLOWED)) {
		cJSON_DeleteItemFromObject(out, "comments");
		cJSON_DeleteItemFromObject(out, "actions");
	}
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/sessions/{id}/evaluations/outstanding (coordinators)
 * 200 {"outstanding":[{"stage","booking_id","full_name","email","agency",
 * "status","closes_at"}]}: who has not answered a stage that opened (and
 * line managers), never what anyone answered; 401; 403; 404.
 */
int
h_evaluation_outstanding(struct http_request *req)
{
	return (eval_coordinator_json(req, eval_outstanding));
}

/*
 * GET /api/v1/evaluations/outstanding (coordinators)
 * 200 {"sessions":[{"session_id","course_title","starts_at","stage",
 * "closes_at","outstanding"}]}: per session of the last 200 days and
 * stage (same_day, followup), how many attendees have not sent a form
 * that is open, with the first deadline, soonest first; 401; 403.
 */
int
h_evaluations_chasing(struct http_request *req)
{
	static const struct preamble	pre = { .get = ROLE_COORDINATOR };
	cJSON			*out;
	int			 st;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = db_evaluation_chasing(portal_followup_days, &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/sessions/{id}/evaluations/answers.csv?stage=before|
 * same_day|followup (coordinators; same_day by default): the answers that
 * may be shown (as the summary), in the order of the answers themselves,
 * with no name, e-mail, agency, booking, time or free text; 401; 403; 404;
 * 422 unknown stage.
 */
int
h_evaluation_export(struct http_request *req)
{
	/* The answers without their free text, which would link a
	 * person's words to their ratings (free text: the summary). */
	static const char *const	 before[] = { "knowledge", "confidence",
		NULL };
	static const char *const	 same_day[] = { "source", "rating_content",
		"rating_delivery", "rating_venue", "rating_trainer",
		"rating_overall", "knowledge_before", "knowledge_after",
		"confidence_before", "confidence_after", "outcomes_met",
		"improve_safeguarding", NULL };
	static const char *const	 followup[] = { "applied",
		"confidence_now", "changed_information_sharing",
		"changed_joint_working", "changed_referrals", NULL };
	struct session_who		 who;
	struct csv_out			 csv;
	struct qs			 q;
	const char *const		*head;
	const cJSON			*row, *v;
	cJSON				*rows, *fields;
	char				 num[32];
	long long			 session;
	int				 stage, st, i;

	if (!eval_session(req, &eval_coordinator_pre, ROLE_COORDINATOR,
	    &session, &who))
		return (KORE_RESULT_OK);
	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	stage = evaluation_stage_of(qs_get(&q, "stage") ? qs_get(&q, "stage") :
	    "same_day");
	qs_free(&q);
	if (stage == -1) {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "stage", "Must be before, "
		    "same_day or followup.");
		eval_invalid(req, "Some values are not valid.", fields);
		return (KORE_RESULT_OK);
	}
	rows = NULL;
	if ((st = db_evaluation_export(session, who.person_id, stage, &rows)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	csv_out_init(&csv);
	head = stage == STAGE_BEFORE ? before : stage == STAGE_FOLLOWUP ?
	    followup : same_day;
	for (i = 0; head[i] != NULL; i++)
		csv_out_field(&csv, head[i], 0);
	csv_out_end_row(&csv);
	cJSON_ArrayForEach(row, rows) {
		cJSON_ArrayForEach(v, row) {
			if (cJSON_IsNumber(v)) {
				snprintf(num, sizeof(num), "%d", v->valueint);
				csv_out_field(&csv, num, 0);
			} else if (cJSON_IsBool(v))
				csv_out_field(&csv, cJSON_IsTrue(v) ? "yes" :
				    "no", 0);
			else
				csv_out_field(&csv, cJSON_IsString(v) ?
				    v->valuestring : "", 1);
		}
		csv_out_end_row(&csv);
	}
	cJSON_Delete(rows);
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"evaluation-answers.csv\"");
	reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
	csv_out_free(&csv);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/evaluations/questions/{stage} (anyone) 200 {"stage",
 * "questions":[...]}: what a stage asks, for the forms and the printable
 * paper form; 404 no such stage.
 */
int
h_evaluation_questions(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_ANYONE };
	const char	*prefix = "/api/v1/evaluations/questions/";
	cJSON		*out;
	int		 stage;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (strncmp(req->path, prefix, strlen(prefix)) != 0 ||
	    (stage = evaluation_stage_of(req->path + strlen(prefix))) == -1)
		return (h_not_found(req));
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "stage", evaluation_stage_name(stage));
	cJSON_AddItemToObject(out, "questions",
	    evaluation_questions_json(stage));
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/sessions/{id}/evaluations/batches (coordinators) 200
 * {"session_id","batches":[{"id","kind","forms","entered_by",
 * "entered_on","voided","void_reason"}]}: every batch of paper forms
 * typed in or uploaded, who entered it and how many forms; 401; 403; 404.
 */
int
h_evaluation_batches(struct http_request *req)
{
	return (eval_coordinator_json(req, db_evaluation_batches));
}

/*
 * POST /api/v1/evaluation-batches/{id}/void (coordinators) {"reason"}:
 * the batch's forms leave every figure, audited. 200 {"id","voided":
 * true}; 401; 403; 404 no such batch; 409 void already; 422 no reason
 * (or one over 500 characters).
 */
int
h_evaluation_batch_void(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/evaluation-batches/",
		.post = ROLE_COORDINATOR
	};
	struct session_who	 who;
	const cJSON		*reason;
	cJSON			*body, *fields, *out;
	const char		*rest;
	long long		 batch;
	int			 st, result;

	if (!auth_preamble(req, &pre, &who, &batch, &rest))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	reason = cJSON_GetObjectItemCaseSensitive(body, "reason");
	if (!cJSON_IsString(reason) || strlen(reason->valuestring) > 500 ||
	    reason->valuestring[strspn(reason->valuestring, " \t\r\n")] ==
	    '\0') {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "reason", "Say why the batch is "
		    "voided, in at most 500 characters.");
		eval_invalid(req, "Some values are not valid.", fields);
		cJSON_Delete(body);
		return (KORE_RESULT_OK);
	}
	st = db_evaluation_batch_void(batch, who.person_id, reason->valuestring,
	    &result);
	cJSON_Delete(body);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (result == EVAL_NOT_FOUND) {
		reply_error(req, 404, "not_found", "There is no such batch of "
		    "forms.", NULL);
		return (KORE_RESULT_OK);
	}
	if (result == EVAL_DUPLICATE) {
		reply_error(req, 409, "conflict", "The batch is void already.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "id", (double)batch);
	cJSON_AddBoolToObject(out, "voided", 1);
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/* The outstanding list of `session`, the follow-up's days as set. */
static enum db_status
eval_outstanding(long long session, cJSON **out)
{
	return (db_evaluation_outstanding(session, portal_followup_days, out));
}

/*
 * GET of a session's JSON for coordinators only: `gather` answers it
 * (caller's tree, sent as 200); 401; 403; 404; 503 or 500 from the
 * database.
 */
static int
eval_coordinator_json(struct http_request *req,
    enum db_status (*gather)(long long, cJSON **))
{
	struct session_who	 who;
	cJSON			*out;
	long long		 session;
	int			 st;

	if (!eval_session(req, &eval_coordinator_pre, ROLE_COORDINATOR,
	    &session, &who))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = gather(session, &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * The preamble `pre` of a /api/v1/sessions/{id}/evaluations... route,
 * then the session: for a person who trains it or holds one of `staff`.
 * Returns 1 to go on; 0 when answered (405, 401, 403, 422, 404).
 */
static int
eval_session(struct http_request *req, const struct preamble *pre,
    int staff, long long *session, struct session_who *who)
{
	enum evaluation_access	access;
	int	st;

	if (!auth_preamble(req, pre, who, session, NULL))
		return (0);
	st = db_evaluation_access(*session, who->person_id,
	    (who->roles & staff) != 0, &access);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (0);
	}
	if (access == EVAL_ACCESS_NO_SESSION) {
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		return (0);
	}
	if (access == EVAL_ACCESS_DENIED) {
		reply_error(req, 403, "forbidden", "Only the session's trainers "
		    "and the board's staff see its evaluations.", NULL);
		return (0);
	}
	return (1);
}

static int
eval_upload_csv(struct http_request *req, long long session,
    const struct session_who *who)
{
	struct evaluation_answers	*forms;
	struct kore_buf			*buf;
	unsigned char			 sha[crypto_hash_sha256_BYTES];
	char				 hex[2 * sizeof(sha) + 1];
	cJSON				*errors, *detail;
	ssize_t				 r;
	size_t				 n;
	enum evaluation_result		 result;
	int				 st;

	if (req->content_length > EVAL_UPLOAD_MAX) {
		reply_error(req, 413, "body_too_large", "The file is larger "
		    "than 1 MB.", NULL);
		return (KORE_RESULT_OK);
	}
	buf = kore_buf_alloc(8192);
	for (;;) {
		char	chunk[8192];

		if ((r = http_body_read(req, chunk, sizeof(chunk))) <= 0)
			break;
		if (buf->offset + (size_t)r > EVAL_UPLOAD_MAX) {
			r = -2;
			break;
		}
		kore_buf_append(buf, chunk, (size_t)r);
	}
	if (r < 0) {
		kore_buf_free(buf);
		if (r == -2)
			reply_error(req, 413, "body_too_large", "The file is "
			    "larger than 1 MB.", NULL);
		else
			reply_error(req, 400, "bad_request", "The file could "
			    "not be read.", NULL);
		return (KORE_RESULT_OK);
	}
	crypto_hash_sha256(sha, buf->data, buf->offset);
	sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));

	forms = NULL;
	n = 0;
	errors = cJSON_CreateArray();
	/* A row at a time: the upload is never held as a table. */
	(void)evaluation_read_paper(buf->data, buf->offset, &forms, &n, errors);
	kore_buf_free(buf);
	detail = cJSON_CreateObject();
	result = EVAL_FAILED;
	st = DB_OK;
	if (cJSON_GetArraySize(errors) == 0)
		st = db_evaluation_paper(session, hex, forms, n, who->person_id,
		    &result, detail);
	evaluation_forms_answers_free(forms, n);
	if (cJSON_GetArraySize(errors) > 0) {
		cJSON_Delete(detail);
		detail = cJSON_CreateObject();
		cJSON_AddItemToObject(detail, "rows", errors);
		eval_invalid(req, "The file has problems: no form was added.",
		    detail);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(errors);
	eval_paper_reply(req, st, result, n, detail);
	return (KORE_RESULT_OK);
}

static int
eval_upload_json(struct http_request *req, long long session,
    const struct session_who *who)
{
	struct evaluation_answers	*forms;
	const cJSON			*list, *item, *v;
	cJSON				*body, *errors, *fields, *e, *detail;
	size_t				 n;
	enum evaluation_result		 result;
	int				 st;

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	list = cJSON_GetObjectItemCaseSensitive(body, "forms");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 ||
	    cJSON_GetArraySize(list) > EVAL_TYPED_MAX) {
		cJSON_Delete(body);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "forms", "Send a list of 1 to "
		    "200 forms, or the CSV file as text/csv.");
		eval_invalid(req, "Some values are not valid.", fields);
		return (KORE_RESULT_OK);
	}
	forms = calloc((size_t)cJSON_GetArraySize(list), sizeof(*forms));
	errors = cJSON_CreateArray();
	n = 0;
	cJSON_ArrayForEach(item, list) {
		if (forms == NULL)
			break;
		fields = cJSON_CreateObject();
		(void)evaluation_parse_json(STAGE_SAME_DAY, item, &forms[n],
		    fields);
		n++;
		cJSON_ArrayForEach(v, fields) {
			e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "row", (double)n);
			cJSON_AddStringToObject(e, "field", v->string);
			cJSON_AddStringToObject(e, "message", v->valuestring);
			cJSON_AddItemToArray(errors, e);
		}
		cJSON_Delete(fields);
	}
	cJSON_Delete(body);
	detail = cJSON_CreateObject();
	result = EVAL_FAILED;
	st = forms == NULL ? DB_ERR : DB_OK;
	if (forms != NULL && cJSON_GetArraySize(errors) == 0)
		st = db_evaluation_paper(session, NULL, forms, n,
		    who->person_id, &result, detail);
	evaluation_forms_answers_free(forms, n);
	if (cJSON_GetArraySize(errors) > 0) {
		cJSON_Delete(detail);
		detail = cJSON_CreateObject();
		cJSON_AddItemToObject(detail, "rows", errors);
		eval_invalid(req, "Some answers are not valid: no form was "
		    "added.", detail);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(errors);
	eval_paper_reply(req, st, result, n, detail);
	return (KORE_RESULT_OK);
}

/* Answer an upload of `n` forms by what db_evaluation_paper() said. */
static void
eval_paper_reply(struct http_request *req, int st, int result, size_t n,
    cJSON *detail)
{
	cJSON	*out;
	char	 msg[200];

	switch (result) {
	case EVAL_DONE:
		cJSON_Delete(detail);
		out = cJSON_CreateObject();
		cJSON_AddNumberToObject(out, "added", (double)n);
		reply_json(req, 200, out);
		break;
	case EVAL_DUPLICATE:
		cJSON_Delete(detail);
		reply_error(req, 409, "duplicate", "This file was uploaded for "
		    "this session already: nothing was added.", NULL);
		break;
	case EVAL_FULL:
		out = cJSON_CreateObject();
		snprintf(msg, sizeof(msg), "The session has %d attended or "
		    "partial places and %d forms already: %zu more would be "
		    "too many.", eval_int(detail, "places"),
		    eval_int(detail, "forms"), n);
		cJSON_AddStringToObject(out, "forms", msg);
		cJSON_Delete(detail);
		reply_error(req, 422, "forms_full", "More forms than people "
		    "who attended: no form was added.", out);
		break;
	case EVAL_NOT_FOUND:
		cJSON_Delete(detail);
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		break;
	default:
		cJSON_Delete(detail);
		reply_db_failure(req, st);
		break;
	}
}

static void
eval_invalid(struct http_request *req, const char *message, cJSON *fields)
{
	reply_error(req, 422, "invalid", message, fields);
}

static int
eval_int(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsNumber(v) ? v->valueint : 0);
}
