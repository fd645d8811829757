/*
 * h_register: the trainer's register of a session: the sign-in sheet
 * (JSON, CSV, or a printable page) and attendance.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "csv.h"
#include "db_programme.h"
#include "db_register.h"
#include "field.h"
#include "qs.h"
#include "reply.h"
#include "route.h"
#include "text.h"

/* Most bookings one register may mark. */
#define REGISTER_MAX	1000

int	h_register(struct http_request *);
int	h_attendance(struct http_request *);

static int	register_allowed(struct http_request *,
		    const struct preamble *, long long *, struct session_who *,
		    int *);
static void	register_csv(struct http_request *, const cJSON *);
static void	register_html(struct http_request *, long long,
		    const cJSON *);
static const char *register_text(const cJSON *, const char *);

/*
 * GET /api/v1/sessions/{id}/register?format=json|csv|html (a trainer of
 * the session, or a coordinator)
 * 200 {"register":[{"booking_id","person_id","full_name","agency",
 * "job_title","walk_in","status"}]} (a walk-in as typed: no person_id or
 * job title), the sign-in sheet as CSV, or as a page to print; 401;
 * 403; 404 no such session; 422 unknown format.
 */
int
h_register(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.get = ROLE_TRAINER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct qs		 q;
	const char		*format;
	cJSON			*rows, *out, *fields;
	long long		 session;
	int			 st, started;

	if (!register_allowed(req, &pre, &session, &who, &started))
		return (KORE_RESULT_OK);
	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	if ((format = qs_get(&q, "format")) == NULL)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "html")) {
		qs_free(&q);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "format",
		    "Must be json, csv or html.");
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	rows = NULL;
	if ((st = db_register_rows(session, &rows)) != DB_OK) {
		qs_free(&q);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (strcmp(format, "csv") == 0)
		register_csv(req, rows);
	else if (strcmp(format, "html") == 0)
		register_html(req, session, rows);
	else {
		out = cJSON_CreateObject();
		cJSON_AddItemToObject(out, "register", rows);
		rows = NULL;
		reply_json(req, 200, out);
	}
	cJSON_Delete(rows);
	qs_free(&q);
	return (KORE_RESULT_OK);
}

/*
 * PUT /api/v1/sessions/{id}/attendance [{"booking_id","status":
 * "attended"|"partial"|"no_show"}] (a trainer of the session, or a
 * coordinator; from the session's start on)
 * 200 the register; 401; 403; 404 no such session; 422 before the start,
 * or any wrong entry (all named, nothing applied).
 */
int
h_attendance(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.put = ROLE_TRAINER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct attendance_mark	*marks;
	cJSON			*body, *item, *errors, *fields, *rows, *out;
	const cJSON		*b, *s;
	long long		 session;
	size_t			 n, valid;
	int			 st, started;

	if (!register_allowed(req, &pre, &session, &who, &started))
		return (KORE_RESULT_OK);
	if (!started) {
		reply_error(req, 422, "not_started", "The register can be "
		    "taken from the start of the session.", NULL);
		return (KORE_RESULT_OK);
	}
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);

	errors = cJSON_CreateArray();
	marks = NULL;
	n = valid = 0;
	if (!cJSON_IsArray(body) || cJSON_GetArraySize(body) > REGISTER_MAX) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "message", "Send a list of "
		    "{\"booking_id\", \"status\"}, at most 1000.");
		cJSON_AddItemToArray(errors, item);
	} else if ((marks = calloc((size_t)cJSON_GetArraySize(body) + 1,
	    sizeof(*marks))) != NULL) {
		cJSON_ArrayForEach(item, body) {
			b = cJSON_GetObjectItemCaseSensitive(item, "booking_id");
			s = cJSON_GetObjectItemCaseSensitive(item, "status");
			if (field_id(b, &marks[valid].booking_id) == -1 ||
			    !cJSON_IsString(s) || (strcmp(s->valuestring,
			    "attended") && strcmp(s->valuestring, "partial") &&
			    strcmp(s->valuestring, "no_show"))) {
				fields = cJSON_CreateObject();
				cJSON_AddNumberToObject(fields, "index", (double)n);
				cJSON_AddStringToObject(fields, "message", "Each "
				    "needs a booking_id and a status of attended, "
				    "partial or no_show.");
				cJSON_AddItemToArray(errors, fields);
			} else {
				marks[valid++].status = s->valuestring;
			}
			n++;
		}
	}
	/* The valid entries go to the database even when others are wrong,
	 * so that every problem is named; any problem rolls it all back. */
	st = DB_INVALID;
	if (marks != NULL)
		st = db_register_mark(session, marks, valid, who.person_id,
		    errors);
	free(marks);
	cJSON_Delete(body);
	if (cJSON_GetArraySize(errors) > 0) {
		fields = cJSON_CreateObject();
		cJSON_AddItemToObject(fields, "entries", errors);
		reply_error(req, 422, "invalid", "The register has problems: "
		    "nothing was changed.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(errors);
	rows = NULL;
	if (st == DB_OK)
		st = db_register_rows(session, &rows);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "register", rows);
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * The preamble `pre` of both routes, then the session's register: its
 * trainers' and coordinators' (403), of a session that exists (404).
 * Returns 1 to go on, `*started` whether the session has started.
 */
static int
register_allowed(struct http_request *req, const struct preamble *pre,
    long long *session, struct session_who *who, int *started)
{
	int	st, access;

	if (!auth_preamble(req, pre, who, session, NULL))
		return (0);
	st = db_register_access(*session, who->person_id,
	    (who->roles & ROLE_COORDINATOR) != 0, &access, started);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (0);
	}
	if (access == REGISTER_NO_SESSION) {
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		return (0);
	}
	if (access == REGISTER_DENIED) {
		reply_error(req, 403, "forbidden", "Only the session's trainers "
		    "and coordinators keep its register.", NULL);
		return (0);
	}
	return (1);
}

static void
register_csv(struct http_request *req, const cJSON *rows)
{
	struct csv_out	 csv;
	const cJSON	*r;

	csv_out_init(&csv);
	csv_out_field(&csv, "name", 0);
	csv_out_field(&csv, "agency", 0);
	csv_out_field(&csv, "job_title", 0);
	csv_out_field(&csv, "status", 0);
	csv_out_field(&csv, "signature", 0);
	csv_out_end_row(&csv);
	cJSON_ArrayForEach(r, rows) {
		csv_out_field(&csv, register_text(r, "full_name"), 1);
		csv_out_field(&csv, register_text(r, "agency"), 1);
		csv_out_field(&csv, register_text(r, "job_title"), 1);
		csv_out_field(&csv, register_text(r, "status"), 0);
		csv_out_field(&csv, "", 0);
		csv_out_end_row(&csv);
	}
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"register.csv\"");
	reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
	csv_out_free(&csv);
}

/* A page to print and sign, with the portal's stylesheet. */
static void
register_html(struct http_request *req, long long session, const cJSON *rows)
{
	struct kore_buf	*buf;
	const cJSON	*r;
	cJSON		*s;
	char		*name, *agency, *job, *when, *venue;

	s = NULL;
	(void)db_programme_session(session, 1, &s);
	name = text_html_escape(s == NULL ? "" : register_text(
	    cJSON_GetObjectItem(s, "course"), "title"));
	when = text_html_escape(s == NULL ? "" : register_text(s, "when"));
	venue = text_html_escape(s == NULL ? "" : register_text(s, "venue"));
	buf = kore_buf_alloc(4096);
	kore_buf_appendf(buf, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>"
	    "<meta charset=\"utf-8\"><title>Register: %s</title>"
	    "<link rel=\"stylesheet\" href=\"/assets/portal.css\"></head>\n"
	    "<body class=\"govuk-template__body\"><main class=\""
	    "govuk-width-container govuk-main-wrapper\">"
	    "<h1 class=\"govuk-heading-l\">Register: %s</h1>"
	    "<p class=\"govuk-body\">%s, %s</p>"
	    "<table class=\"govuk-table\"><thead class=\"govuk-table__head\">"
	    "<tr class=\"govuk-table__row\">"
	    "<th scope=\"col\" class=\"govuk-table__header\">Name</th>"
	    "<th scope=\"col\" class=\"govuk-table__header\">Agency</th>"
	    "<th scope=\"col\" class=\"govuk-table__header\">Job title</th>"
	    "<th scope=\"col\" class=\"govuk-table__header\">Signature</th>"
	    "</tr></thead><tbody class=\"govuk-table__body\">\n",
	    name ? name : "", name ? name : "", when ? when : "",
	    venue ? venue : "");
	free(name);
	free(when);
	free(venue);
	cJSON_ArrayForEach(r, rows) {
		name = text_html_escape(register_text(r, "full_name"));
		agency = text_html_escape(register_text(r, "agency"));
		job = text_html_escape(register_text(r, "job_title"));
		kore_buf_appendf(buf, "<tr class=\"govuk-table__row\">"
		    "<td class=\"govuk-table__cell\">%s</td>"
		    "<td class=\"govuk-table__cell\">%s</td>"
		    "<td class=\"govuk-table__cell\">%s</td>"
		    "<td class=\"govuk-table__cell\"></td></tr>\n",
		    name ? name : "", agency ? agency : "", job ? job : "");
		free(name);
		free(agency);
		free(job);
	}
	kore_buf_appendf(buf, "</tbody></table></main></body></html>\n");
	reply_bytes(req, 200, "text/html; charset=utf-8", buf->data,
	    buf->offset);
	kore_buf_free(buf);
	cJSON_Delete(s);
}

static const char *
register_text(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsString(v) ? v->valuestring : "");
}
