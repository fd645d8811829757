/*
 * h_imports: a board's attendance history from its old booking
 * database, imported by a coordinator as CSV: sent, answered at once
 * with a job, imported off the request path, and polled.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "db_history.h"
#include "db_import.h"
#include "import_task.h"
#include "reply.h"

/* Largest history upload: 100,000 rows of about 150 bytes. */
#define HISTORY_BODY_MAX	(16 * 1024 * 1024)

/* Where a job is polled. */
#define IMPORT_JOB_PATH		"/api/v1/imports/attendance/"

int	h_import_attendance(struct http_request *);
int	h_import_job(struct http_request *);

/*
 * POST /api/v1/imports/attendance (text/csv, HISTORY_HEADER)
 *   202 {"id","status":"running","step","steps","rows","created_at"} and
 *       Location: the job to poll (GET below). The file is read, checked
 *       and imported off the request path (import_task.c): nothing here
 *       waits on it, nor does any other request.
 *   413 over 16 MiB; 415 not CSV; 401; 403 (coordinators only, CSRF);
 *   503 when this worker runs IMPORT_TASK_MAX imports already.
 */
int
h_import_attendance(struct http_request *req)
{
	static const struct preamble	pre = { .post = ROLE_COORDINATOR };
	struct session_who	 who;
	struct tm		 tm;
	time_t			 now;
	const char		*type, *conninfo;
	cJSON			*job;
	char			*body, location[96], ip[64], today[16];
	size_t			 len;
	ssize_t			 r;
	long long		 id;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
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
	/* The thread will own the body: plain malloc, not Kore's pools. */
	if ((body = malloc(req->content_length + 1)) == NULL) {
		reply_db_failure(req, DB_ERR);
		return (KORE_RESULT_OK);
	}
	len = 0;
	while (len < req->content_length && (r = http_body_read(req,
	    body + len, req->content_length - len)) > 0)
		len += (size_t)r;
	if (len != req->content_length) {
		free(body);
		reply_error(req, 400, "bad_request", "The file could not be "
		    "read.", NULL);
		return (KORE_RESULT_OK);
	}

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	job = NULL;
	if ((st = db_import_create("attendance", who.person_id,
	    HISTORY_STEPS, &job, &id)) != DB_OK) {
		free(body);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	conninfo = getenv("PORTAL_DATABASE_URL");
	if (import_task_start(conninfo != NULL ? conninfo : "", id,
	    who.person_id, reply_client_ip(req, ip, sizeof(ip)), today, body,
	    len) == -1) {
		cJSON_Delete(job);
		(void)db_import_fail(id);
		http_response_header(req, "retry-after", "60");
		reply_error(req, 503, "busy", "The portal is busy with other "
		    "imports. Send the file again in a few minutes.", NULL);
		return (KORE_RESULT_OK);
	}
	snprintf(location, sizeof(location), IMPORT_JOB_PATH "%lld", id);
	cJSON_AddStringToObject(job, "location", location);
	http_response_header(req, "location", location);
	reply_json(req, 202, job);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/imports/attendance/{id}: the job, coordinators only.
 *   200 {"id","status","step","steps","rows","result","created_at",
 *        "finished_at","location"}: status running (step of steps done),
 *       done (result: {"rows","bookings_created","bookings_existing",
 *       "courses_created","sessions_created","people_created",
 *       "training_records_created"}), refused with nothing imported
 *       (result: {"rows":[{"line","field","message"}]} or
 *       {"unknown_agencies":[...],"unknown_group_levels":[...]}, each
 *       unknown name once), failed (result: {"message"}).
 *   401; 403; 404 no such job; 422 a wrong id.
 */
int
h_import_job(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = IMPORT_JOB_PATH,
		.get = ROLE_COORDINATOR
	};
	struct session_who	 who;
	cJSON			*job;
	char			 location[96];
	long long		 id;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	job = NULL;
	if ((st = db_import_get("attendance", id, &job)) == DB_NOTFOUND) {
		reply_error(req, 404, "not_found", "There is no such import.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	snprintf(location, sizeof(location), IMPORT_JOB_PATH "%lld", id);
	cJSON_AddStringToObject(job, "location", location);
	reply_json(req, 200, job);
	return (KORE_RESULT_OK);
}
