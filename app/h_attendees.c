/*
 * h_attendees: walk-ins on a session's register.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_attendee.h"
#include "db_register.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_session_attendees(struct http_request *);

static const char *attendee_text(const cJSON *, const char *, size_t,
		    cJSON *, const char *);

/*
 * POST /api/v1/sessions/{id}/attendees {"email","full_name","agency_id",
 * "group_level"} (a trainer of the session, or a coordinator; from its
 * start on): an unscheduled attendee, attended.
 * 201 {"booking_id","person_id"}; 401; 403; 404 no such session; 409 on
 * the register already; 422 before the start, a cancelled session, or
 * wrong fields (each named).
 */
int
h_session_attendees(struct http_request *req)
{
	struct session_who	 who;
	struct walk_in		 w;
	const cJSON		*agency;
	cJSON			*body, *fields, *out;
	char			 aid[24];
	long long		 session;
	int			 st, access, started, result;

	if (!reply_method_allowed(req, REPLY_POST))
		return (KORE_RESULT_OK);
	if (!reply_route_id(req, "/api/v1/sessions/", &session, NULL))
		return (KORE_RESULT_OK);
	if (!auth_require(req, ROLE_TRAINER | ROLE_COORDINATOR, &who))
		return (KORE_RESULT_OK);
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
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	w.email = attendee_text(body, "email", 254, fields,
	    "Must be an e-mail address.");
	if (w.email != NULL && !text_is_email(w.email)) {
		cJSON_AddStringToObject(fields, "email",
		    "Must be an e-mail address.");
		w.email = NULL;
	}
	w.full_name = attendee_text(body, "full_name", 200, fields,
	    "Must be the person's name, 1 to 200 characters.");
	w.group_level = attendee_text(body, "group_level", 16, fields,
	    "Must be a group level, e.g. G3.");
	agency = cJSON_GetObjectItemCaseSensitive(body, "agency_id");
	w.agency_id = NULL;
	if (!cJSON_IsNumber(agency) || agency->valuedouble < 1 ||
	    agency->valuedouble > 9e15 ||
	    agency->valuedouble != (double)(long long)agency->valuedouble)
		cJSON_AddStringToObject(fields, "agency_id",
		    "Must be the id of an agency.");
	else {
		snprintf(aid, sizeof(aid), "%lld",
		    (long long)agency->valuedouble);
		w.agency_id = aid;
	}
	result = ATTENDEE_INVALID;
	out = NULL;
	st = DB_OK;
	if (cJSON_GetArraySize(fields) == 0)
		st = db_attendee_add(session, &w, who.person_id, fields, &out,
		    &result);
	cJSON_Delete(body);
	switch (result) {
	case ATTENDEE_DONE:
		cJSON_Delete(fields);
		reply_json(req, 201, out);
		return (KORE_RESULT_OK);
	case ATTENDEE_INVALID:
		reply_error(req, 422, "invalid", "Some values are not valid.",
		    fields);
		return (KORE_RESULT_OK);
	case ATTENDEE_NO_SESSION:
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		break;
	case ATTENDEE_NOT_STARTED:
		reply_error(req, 422, "not_started", "Walk-ins are added from "
		    "the start of a session that is not cancelled.", NULL);
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
	return (KORE_RESULT_OK);
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
