/*
 * db_import: the jobs of imports run off the request path (migration
 * 21, import_task.c): made when a file is sent, read as it is polled.
 */
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "db_import.h"
#include "sqlparam.h"

enum {
	Q_CREATE,
	Q_GET,
	Q_FAIL,
	Q__MAX
};

static const char *const import_sql[Q__MAX] = {
	/* $1 kind, $2 actor, $3 steps: the job, as Q_GET shows it */
	[Q_CREATE] =
	"WITH j AS (INSERT INTO import_jobs (kind, requested_by, steps)"
	"           VALUES ($1, $2::bigint, $3::int) RETURNING *)"
	"SELECT json_build_object('id', id, 'status', status, 'step', step,"
	"       'steps', steps, 'rows', rows, 'created_at', created_at)"
	"  FROM j",

	/* $1 job, $2 kind. A job running with no sign of life for 10
	 * minutes lost its thread (its worker stopped): failed. */
	[Q_GET] =
	"SELECT json_build_object('id', id, 'status', CASE WHEN stale"
	"       THEN 'failed' ELSE status END, 'step', step, 'steps', steps,"
	"       'rows', rows, 'result', CASE WHEN stale THEN"
	"       json_build_object('message', 'The import stopped before it"
	" ended: nothing was imported. Send the file again.')::jsonb"
	"       ELSE result END, 'created_at', created_at, 'finished_at',"
	"       finished_at)"
	"  FROM (SELECT *, status = 'running' AND"
	"               updated_at < now() - interval '10 minutes' AS stale"
	"          FROM import_jobs WHERE id = $1::bigint AND kind = $2) j",

	/* $1 job: it could not be started */
	[Q_FAIL] =
	"UPDATE import_jobs SET status = 'failed', finished_at = now(),"
	"       result = '{\"message\":\"The portal is busy with other "
	"imports: send the file again in a few minutes.\"}'"
	" WHERE id = $1::bigint AND status = 'running'",
};

/*
 * Make a job importing `kind` for `actor` in `steps` steps; `*out`
 * (caller owns) shows it as db_import_get() does, and `*id` is its id.
 */
enum db_status
db_import_create(const char *kind, long long actor, int steps, cJSON **out,
    long long *id)
{
	const char	*p[3];
	char		 who[24], n[16];
	enum db_status	 st;

	sqlparam_id(who, actor);
	snprintf(n, sizeof(n), "%d", steps);
	p[0] = kind;
	p[1] = who;
	p[2] = n;
	*out = NULL;
	if ((st = db_json(import_sql[Q_CREATE], 3, p, out)) == DB_OK)
		*id = (long long)cJSON_GetNumberValue(
		    cJSON_GetObjectItem(*out, "id"));
	return (st);
}

/*
 * Job `id` of `kind` in `*out` (caller owns): {"id","status" (running,
 * done, refused, failed),"step","steps","rows","result","created_at",
 * "finished_at"}. DB_NOTFOUND when there is no such job.
 */
enum db_status
db_import_get(const char *kind, long long id, cJSON **out)
{
	const char	*p[2];
	char		 job[24];

	sqlparam_id(job, id);
	p[0] = job;
	p[1] = kind;
	return (db_json(import_sql[Q_GET], 2, p, out));
}

/* Job `id` could not be started: failed, saying so. */
enum db_status
db_import_fail(long long id)
{
	struct db	 db;
	const char	*p[1];
	char		 job[24];
	enum db_status	 st;

	sqlparam_id(job, id);
	p[0] = job;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_exec(&db, import_sql[Q_FAIL], 1, p);
	db_close(&db);
	return (st);
}
