/*
 * h_training: a setting's imported training records (training the
 * portal did not run: in-house, e-learning, another board's courses).
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "agency_access.h"
#include "auth.h"
#include "csv.h"
#include "db_training.h"
#include "qs.h"
#include "reply.h"
#include "staff.h"
#include "training.h"

/* Largest upload of training records. */
#define TRAINING_BODY_MAX	(4 * 1024 * 1024)

int	h_training_records(struct http_request *);

static int	training_upload(struct http_request *, long long,
		    const struct session_who *);
static int	training_get(struct http_request *, long long,
		    const struct session_who *);

/*
 * POST /api/v1/agencies/{id}/training-records (text/csv, header
 *     email,course_title,completed_on,group_level,provider,hours):
 *     200 {"rows","created","unchanged"}; 422 {"fields":{"rows":[{"line",
 *     "field","message"}]}} with nothing applied; 413 over 4 MB; 415.
 * GET  /api/v1/agencies/{id}/training-records?limit=&offset=  200 a page
 * GET  ...?format=csv  200 text/csv in the upload's shape.
 * That agency's setting lead or a coordinator: 401, 403, 404.
 */
int
h_training_records(struct http_request *req)
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
		return (training_upload(req, agency, &who));
	return (training_get(req, agency, &who));
}

static int
training_upload(struct http_request *req, long long agency,
    const struct session_who *who)
{
	struct training_reader	 tr;
	struct kore_buf		*buf;
	cJSON			*errors, *fields, *out;
	char			 err[256], ip[64];
	long			 created;
	int			 st;

	if ((buf = reply_read_upload(req, TRAINING_BODY_MAX,
	    "text/csv")) == NULL)
		return (KORE_RESULT_OK);
	created = 0;
	errors = cJSON_CreateArray();
	training_reader_init(&tr, errors);
	/* A row at a time: the upload is never held as a table. */
	if (csv_read(buf->data, buf->offset, training_reader_row, &tr, err,
	    sizeof(err)) == -1 && !tr.header_failed) {
		if (err[0] == '\0') {
			cJSON_Delete(errors);
			reply_db_failure(req, DB_ERR);
			goto out;
		}
		staff_problem(errors, 1, "file", err);
	} else if (!tr.header_failed && training_reader_end(&tr) == 0) {
		st = db_training_import(agency, &tr.copy, who->person_id,
		    reply_client_ip(req, ip, sizeof(ip)), &created, errors);
		if (st != DB_OK && st != DB_INVALID) {
			cJSON_Delete(errors);
			reply_db_failure(req, st);
			goto out;
		}
	}
	if (cJSON_GetArraySize(errors) > 0) {
		fields = cJSON_CreateObject();
		cJSON_AddItemToObject(fields, "rows", errors);
		reply_error(req, 422, "invalid", "The training records have "
		    "problems: nothing was changed.", fields);
		goto out;
	}
	cJSON_Delete(errors);
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "rows", (double)tr.n);
	cJSON_AddNumberToObject(out, "created", (double)created);
	cJSON_AddNumberToObject(out, "unchanged", (double)tr.n - created);
	reply_json(req, 200, out);
out:
	training_reader_free(&tr);
	kore_buf_free(buf);
	return (KORE_RESULT_OK);
}

static int
training_get(struct http_request *req, long long agency,
    const struct session_who *who)
{
	struct qs	 q;
	struct csv_out	 csv;
	const char	*format;
	cJSON		*fields, *out;
	char		 ip[64];
	long		 limit, offset;
	int		 st, as_csv;

	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	format = qs_get(&q, "format");
	as_csv = format != NULL && strcmp(format, "csv") == 0;
	if (format != NULL && !as_csv && strcmp(format, "json") != 0)
		cJSON_AddStringToObject(fields, "format", "Must be csv or json.");
	qs_page(&q, 100, 1000, fields, &limit, &offset);
	qs_free(&q);
	if (cJSON_GetArraySize(fields) > 0) {
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (as_csv) {
		st = db_training_export(agency, who->person_id,
		    reply_client_ip(req, ip, sizeof(ip)), &csv);
		if (st != DB_OK) {
			csv_out_free(&csv);
			reply_db_failure(req, st);
			return (KORE_RESULT_OK);
		}
		http_response_header(req, "content-disposition",
		    "attachment; filename=\"training-records.csv\"");
		reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data,
		    csv.len);
		csv_out_free(&csv);
		return (KORE_RESULT_OK);
	}
	out = NULL;
	if ((st = db_training_list(agency, limit, offset, &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}
