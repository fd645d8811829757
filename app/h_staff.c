/*
 * h_staff: a setting's staff list, kept by its setting lead (or a
 * coordinator): upload as CSV, list, export as CSV.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "agency_access.h"
#include "auth.h"
#include "csv.h"
#include "db_staff.h"
#include "qs.h"
#include "reply.h"
#include "staff.h"

/* Largest staff list upload. */
#define STAFF_BODY_MAX	(2 * 1024 * 1024)

int	h_staff(struct http_request *);

static int	staff_upload(struct http_request *, long long,
		    const struct session_who *);
static int	staff_get(struct http_request *, long long,
		    const struct session_who *);

/*
 * GET /api/v1/agencies/{id}/staff?limit=&offset=   200 a page of staff
 * GET /api/v1/agencies/{id}/staff?format=csv       200 text/csv export
 * POST /api/v1/agencies/{id}/staff (text/csv)      200 {"created",
 *     "updated","unchanged"}; 422 {"fields":{"rows":[{"line","field",
 *     "message"}]}} with nothing applied; 413 over 2 MiB; 415 not CSV.
 * Only that agency's setting lead or a coordinator: others 403 (also
 * for agencies that do not exist, so that ids reveal nothing); 401
 * without a session; 404 no such agency (coordinators).
 */
int
h_staff(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/agencies/",
		.get = ROLE_SETTING_LEAD | ROLE_COORDINATOR,
		.post = ROLE_SETTING_LEAD | ROLE_COORDINATOR
	};
	struct session_who	who;
	long long		agency;

	if (!auth_preamble(req, &pre, &who, &agency, NULL) ||
	    !agency_access_require(req, 0, agency, &who))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (staff_upload(req, agency, &who));
	return (staff_get(req, agency, &who));
}

static int
staff_upload(struct http_request *req, long long agency,
    const struct session_who *who)
{
	struct staff_counts	 counts;
	struct copytext		 rows;
	struct kore_buf		*buf;
	cJSON			*errors, *fields, *out;
	char			 ip[64];
	size_t			 n;
	int			 st;

	if ((buf = reply_read_upload(req, STAFF_BODY_MAX, "text/csv")) == NULL)
		return (KORE_RESULT_OK);

	copytext_init(&rows);
	errors = cJSON_CreateArray();
	/* A row at a time: the upload is never held as a table. */
	if (staff_read(buf->data, buf->offset, &rows, &n, errors) == 0) {
		st = db_staff_import(agency, &rows, who->person_id,
		    reply_client_ip(req, ip, sizeof(ip)), &counts, errors);
		if (st != DB_OK && st != DB_INVALID) {
			cJSON_Delete(errors);
			reply_db_failure(req, st);
			goto out;
		}
	}
	if (cJSON_GetArraySize(errors) > 0) {
		fields = cJSON_CreateObject();
		cJSON_AddItemToObject(fields, "rows", errors);
		reply_error(req, 422, "invalid", "The staff list has problems: "
		    "nothing was changed.", fields);
		goto out;
	}
	cJSON_Delete(errors);
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "created", (double)counts.created);
	cJSON_AddNumberToObject(out, "updated", (double)counts.updated);
	cJSON_AddNumberToObject(out, "unchanged", (double)counts.unchanged);
	reply_json(req, 200, out);
out:
	copytext_free(&rows);
	kore_buf_free(buf);
	return (KORE_RESULT_OK);
}

static int
staff_get(struct http_request *req, long long agency,
    const struct session_who *who)
{
	struct qs	 q;
	struct csv_out	 csv;
	const char	*format;
	cJSON		*fields, *out;
	char		 ip[64];
	long		 limit, offset;
	int		 st;

	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	format = qs_get(&q, "format");
	if (format != NULL && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0)
		cJSON_AddStringToObject(fields, "format", "Must be csv or json.");
	qs_page(&q, 100, 1000, fields, &limit, &offset);
	if (cJSON_GetArraySize(fields) > 0) {
		qs_free(&q);
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);

	if (format != NULL && strcmp(format, "csv") == 0) {
		qs_free(&q);
		st = db_staff_export(agency, who->person_id,
		    reply_client_ip(req, ip, sizeof(ip)), &csv);
		if (st != DB_OK) {
			reply_db_failure(req, st);
			return (KORE_RESULT_OK);
		}
		http_response_header(req, "content-disposition",
		    "attachment; filename=\"staff.csv\"");
		reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data,
		    csv.len);
		csv_out_free(&csv);
		return (KORE_RESULT_OK);
	}
	qs_free(&q);
	out = NULL;
	if ((st = db_staff_list(agency, limit, offset, &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}
