/*
 * h_attendees: walk-ins on a session's register, and the coordinators'
 * review of the walk-ins trainers added.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_attendee.h"
#include "db_register.h"
#include "qs.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_session_attendees(struct http_request *);
int	h_walk_ins(struct http_request *);
int	h_walk_in_one(struct http_request *);
int	h_walk_in_confirm(struct http_request *);

static const char *attendee_text(const cJSON *, const char *, size_t,
		    cJSON *, const char *);
static void	attendee_read(const cJSON *, struct walk_in *, char [24],
		    cJSON *);
static void	attendee_reply(struct http_request *, enum attendee_result,
		    int, cJSON *, cJSON *);

/*
 * POST /api/v1/sessions/{id}/attendees {"email","full_name","agency_id",
 * "group_level"} (a trainer of the session while its register is open,
 * app/walkin.c; a coordinator at any time from its start): an
 * unscheduled attendee, attended, mailed that they were recorded. The
 * answer is the same whether the address was known or not, and never
 * names the person: 201 {"booking_id","status","review"} ("pending": a
 * coordinator is to confirm it). 401; 403; 404 no such session; 409 on
 * the register already; 422 before the start, a cancelled session, the
 * register closed (register_closed), or wrong fields (each named).
 */
int
h_session_attendees(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.post = ROLE_TRAINER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct walk_in		 w;
	cJSON			*body, *fields, *out;
	char			 aid[24];
	long long		 session;
	enum attendee_result	 result;
	int			 st, access, started;

	if (!auth_preamble(req, &pre, &who, &session, NULL))
		return (KORE_RESULT_OK);

	/* The session's trainers and coordinators keep its register. */
	st = db_register_access(session, who.person_id,
	    (who.roles & ROLE_COORDINATOR) != 0, &access, &started);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (access == REGISTER_NO_SESSION) {
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	if (access == REGISTER_DENIED) {
		reply_error(req, 403, "forbidden", "Only the session's trainers "
		    "and coordinators keep its register.", NULL);
		return (KORE_RESULT_OK);
	}

	/* The attendee from the body, every wrong field named; added if
	 * all is well. */
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	attendee_read(body, &w, aid, fields);
	result = ATTENDEE_INVALID;
	out = NULL;
	st = DB_OK;
	if (cJSON_GetArraySize(fields) == 0)
		st = db_attendee_add(session, &w, who.person_id,
		    (who.roles & ROLE_COORDINATOR) != 0, fields, &out,
		    &result);
	cJSON_Delete(body);

	/* The answer: what came of it. */
	attendee_reply(req, result, st, out, fields);
	return (KORE_RESULT_OK);
}

/*
 * Read the walk-in of `body` into `w` (its strings are the body's; the
 * agency's id as text into `aid`, 24 bytes), naming each wrong field in
 * `fields`.
 */
static void
attendee_read(const cJSON *body, struct walk_in *w, char aid[24],
    cJSON *fields)
{
	const cJSON	*agency;

	w->email = attendee_text(body, "email", 254, fields,
	    "Must be an e-mail address.");
	if (w->email != NULL && !text_is_email(w->email)) {
		cJSON_AddStringToObject(fields, "email",
		    "Must be an e-mail address.");
		w->email = NULL;
	}
	w->full_name = attendee_text(body, "full_name", 200, fields,
	    "Must be the person's name, 1 to 200 characters.");
	w->group_level = attendee_text(body, "group_level", 16, fields,
	    "Must be a group level, e.g. G3.");
	agency = cJSON_GetObjectItemCaseSensitive(body, "agency_id");
	w->agency_id = NULL;
	if (!cJSON_IsNumber(agency) || agency->valuedouble < 1 ||
	    agency->valuedouble > 9e15 ||
	    agency->valuedouble != (double)(long long)agency->valuedouble)
		cJSON_AddStringToObject(fields, "agency_id",
		    "Must be the id of an agency.");
	else {
		snprintf(aid, 24, "%lld", (long long)agency->valuedouble);
		w->agency_id = aid;
	}
}

/*
 * Answer the adding of a walk-in with what came of it: `result`, `st`
 * when the database failed, `out` the answer on ATTENDEE_DONE and
 * `fields` the wrong fields on ATTENDEE_INVALID (both taken over).
 */
static void
attendee_reply(struct http_request *req, enum attendee_result result,
    int st, cJSON *out, cJSON *fields)
{
	switch (result) {
	case ATTENDEE_DONE:
		cJSON_Delete(fields);
		reply_json(req, 201, out);
		return;
	case ATTENDEE_INVALID:
		reply_invalid(req, fields);
		return;
	case ATTENDEE_NO_SESSION:
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		break;
	case ATTENDEE_NOT_STARTED:
		reply_error(req, 422, "not_started", "Walk-ins are added from "
		    "the start of a session that is not cancelled.", NULL);
		break;
	case ATTENDEE_CLOSED:
		reply_error(req, 422, "register_closed", "Trainers add walk-ins "
		    "from the start of a session to 7 days after it ends; "
		    "after that, ask the board's coordinators.", NULL);
		break;
	case ATTENDEE_ON_REGISTER:
		reply_error(req, 409, "on_register", "This person is on the "
		    "register already: mark them there.", NULL);
		break;
	default:
		reply_db_failure(req, st);
		break;
	}
	cJSON_Delete(fields);
}

/* A required text field of at most `max` characters, or NULL (named). */
static const char *
attendee_text(const cJSON *body, const char *name, size_t max, cJSON *fields,
    const char *why)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(body, name);
	size_t		 len;

	if (cJSON_IsString(v) && text_is_clean(v->valuestring)) {
		len = text_utf8_length(v->valuestring);
		if (len >= 1 && len <= max)
			return (v->valuestring);
	}
	cJSON_AddStringToObject(fields, name, why);
	return (NULL);
}

/*
 * GET /api/v1/walk-ins?status=pending|all&limit=&offset= (coordinators):
 * the walk-ins trainers added, waiting for review (or all), oldest
 * first, each with the person as recorded and as typed. 200; 401; 403;
 * 422 every wrong parameter named.
 */
int
h_walk_ins(struct http_request *req)
{
	static const struct preamble	pre = { .get = ROLE_COORDINATOR };
	struct qs		 q;
	const char		*status;
	cJSON			*fields, *out;
	long			 limit, offset;
	int			 st;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	status = qs_get(&q, "status");
	if (status != NULL && strcmp(status, "pending") != 0 &&
	    strcmp(status, "all") != 0)
		cJSON_AddStringToObject(fields, "status",
		    "Must be pending or all.");
	qs_page(&q, 100, 1000, fields, &limit, &offset);
	if (cJSON_GetArraySize(fields) > 0) {
		qs_free(&q);
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	out = NULL;
	st = db_attendee_list(status != NULL && strcmp(status, "all") == 0,
	    limit, offset, &out);
	qs_free(&q);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * DELETE /api/v1/walk-ins/{booking_id} (coordinators): remove a walk-in,
 * undoing its attendance, training record and evaluation invitation in
 * one transaction (audited). 204; 401; 403; 404 no such walk-in.
 */
int
h_walk_in_one(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/walk-ins/", .delete = ROLE_COORDINATOR
	};
	struct session_who	 who;
	long long		 booking;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &booking, NULL))
		return (KORE_RESULT_OK);
	st = db_attendee_remove(booking, who.person_id);
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such walk-in.",
		    NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_bytes(req, 204, "application/json", NULL, 0);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/walk-ins/{booking_id}/confirm (coordinators): confirm a
 * walk-in a trainer added (audited). 204; 401; 403; 404 no such walk-in;
 * 409 confirmed already.
 */
int
h_walk_in_confirm(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/walk-ins/", .post = ROLE_COORDINATOR
	};
	struct session_who	 who;
	long long		 booking;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &booking, NULL))
		return (KORE_RESULT_OK);
	st = db_attendee_confirm(booking, who.person_id);
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such walk-in.",
		    NULL);
	else if (st == DB_CONFLICT)
		reply_error(req, 409, "confirmed", "This walk-in was confirmed "
		    "already.", NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_bytes(req, 204, "application/json", NULL, 0);
	return (KORE_RESULT_OK);
}
