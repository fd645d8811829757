/*
 * h_imports: a board's attendance history from its old booking
 * database, imported by a coordinator as CSV.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "csv.h"
#include "db_history.h"
#include "history.h"
#include "reply.h"
#include "staff.h"

/* Largest history upload: 100,000 rows of about 150 bytes. */
#define HISTORY_BODY_MAX	(16 * 1024 * 1024)

int	h_import_attendance(struct http_request *);

/*
 * POST /api/v1/imports/attendance (text/csv, HISTORY_HEADER)
 *   200 {"rows","bookings_created","bookings_existing","courses_created",
 *        "sessions_created","people_created","training_records_created"}
 *   422 nothing applied: {"fields":{"rows":[{"line","field","message"}]}}
 *       or {"fields":{"unknown_agencies":[...],"unknown_group_levels":
 *       [...]}} (each unknown name once)
 *   413 over 16 MiB; 415 not CSV; 401; 403 (coordinators only, CSRF).
 */
int
h_import_attendance(struct http_request *req)
{
	struct session_who	 who;
	struct csv_table	 t;
	struct history		 h;
	struct kore_buf		*buf;
	struct tm		 tm;
	time_t			 now;
	const char		*type;
	cJSON			*rows, *fields, *out;
	char			 chunk[65536], err[256], ip[64], today[16];
	ssize_t			 r;
	int			 st;

	if (!reply_method_allowed(req, REPLY_POST))
		return (KORE_RESULT_OK);
	if (!auth_require(req, ROLE_COORDINATOR, &who))
		return (KORE_RESULT_OK);
	if (req->content_length > HISTORY_BODY_MAX) {
		reply_error(req, 413, "body_too_large", "The file is larger "
		    "than 16 MB.", NULL);
		return (KORE_RESULT_OK);
	}
	if (!http_request_header(req, "content-type", &type) ||
	    strncasecmp(type, "text/csv", 8) != 0) {
		reply_error(req, 415, "unsupported_media_type", "Send the "
		    "history as text/csv.", NULL);
		return (KORE_RESULT_OK);
	}
	buf = kore_buf_alloc(65536);
	while ((r = http_body_read(req, chunk, sizeof(chunk))) > 0)
		kore_buf_append(buf, chunk, (size_t)r);
	if (r == -1) {
		kore_buf_free(buf);
		reply_error(req, 400, "bad_request", "The file could not be "
		    "read.", NULL);
		return (KORE_RESULT_OK);
	}

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	memset(&h, 0, sizeof(h));
	rows = cJSON_CreateArray();
	fields = cJSON_CreateObject();
	out = NULL;
	if (csv_table_read(buf->data, buf->offset, &t, err, sizeof(err)) == -1)
		staff_problem(rows, 1, "file", err);
	else if (history_read(&t, today, &h, rows) == 0) {
		csv_table_free(&t);
		st = db_history_import(&h, who.person_id,
		    reply_client_ip(req, ip, sizeof(ip)), &out, fields);
		if (st != DB_OK && st != DB_INVALID) {
			cJSON_Delete(rows);
			cJSON_Delete(fields);
			reply_db_failure(req, st);
			goto done;
		}
	}
	if (cJSON_GetArraySize(rows) > 0 || out == NULL) {
		if (cJSON_GetArraySize(rows) > 0)
			cJSON_AddItemToObject(fields, "rows", rows);
		else
			cJSON_Delete(rows);
		reply_error(req, 422, "invalid", "The history has problems: "
		    "nothing was imported.", fields);
		goto done;
	}
	cJSON_Delete(rows);
	cJSON_Delete(fields);
	reply_json(req, 200, out);
done:
	history_free(&h);
	csv_table_free(&t);
	kore_buf_free(buf);
	return (KORE_RESULT_OK);
}
