/*
 * import_task: an attendance history import, off the request path.
 *
 * The handler keeps the upload, makes a job (import_jobs, migration 20)
 * and answers 202 at once; the file is read, checked and imported here,
 * in a thread of its own with two connections of its own (libpq, never
 * Kore's pool: that belongs to the worker's event loop, which goes on
 * serving every other request meanwhile). One connection holds the
 * import's transaction; the other writes the job's progress as each step
 * ends and, at the end, what was made, the rows refused, or why it
 * failed. Kore-free: threads and libpq only.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_history.h"
#include "history.h"
#include "import_task.h"
#include "sqlparam.h"

/* What a thread owns: everything it reads, freed when it ends. */
struct import_task {
	char		*conninfo;
	char		*body;
	size_t		 len;
	long long	 job;
	long long	 actor;
	char		 ip[64];
	char		 today[16];
	PGconn		*jobs;		/* progress and the end */
};

enum {
	Q_PROGRESS,
	Q_FINISH,
	Q__MAX
};

static const char *const import_sql[Q__MAX] = {
	/* $1 job, $2 step, $3 rows (NULL: as it was) */
	[Q_PROGRESS] =
	"UPDATE import_jobs SET step = greatest(step, $2::int),"
	"       rows = coalesce($3::int, rows), updated_at = now()"
	" WHERE id = $1::bigint AND status = 'running'",

	/* $1 job, $2 status, $3 result */
	[Q_FINISH] =
	"UPDATE import_jobs SET status = $2,"
	"       step = CASE WHEN $2 = 'done' THEN steps ELSE step END,"
	"       result = $3::jsonb, finished_at = now(), updated_at = now()"
	" WHERE id = $1::bigint AND status = 'running'",
};

static void	*import_task_run(void *);
static void	 import_task_progress(void *, int);
static void	 import_task_rows(struct import_task *, int, size_t);
static void	 import_task_finish(struct import_task *, const char *,
		    const cJSON *);
static void	 import_task_free(struct import_task *);

/* Imports running in this worker's threads. */
static int	import_running;

/*
 * Import the history `body` (`len` bytes, malloc'd: the thread owns and
 * frees it from here on, whatever is returned) for job `job`, sent by
 * `actor` from `ip` on day `today`, on the database `conninfo`.
 * Returns 0 when the thread started; -1 when it could not, or when this
 * worker runs IMPORT_TASK_MAX imports already (the job is then the
 * caller's to mark failed).
 */
int
import_task_start(const char *conninfo, long long job, long long actor,
    const char *ip, const char *today, char *body, size_t len)
{
	struct import_task	*t;
	pthread_attr_t		 attr;
	pthread_t		 thread;

	if (__atomic_add_fetch(&import_running, 1, __ATOMIC_SEQ_CST) >
	    IMPORT_TASK_MAX) {
		__atomic_sub_fetch(&import_running, 1, __ATOMIC_SEQ_CST);
		free(body);
		return (-1);
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->conninfo = strdup(conninfo)) == NULL) {
		free(t);
		free(body);
		__atomic_sub_fetch(&import_running, 1, __ATOMIC_SEQ_CST);
		return (-1);
	}
	t->body = body;
	t->len = len;
	t->job = job;
	t->actor = actor;
	snprintf(t->ip, sizeof(t->ip), "%s", ip);
	snprintf(t->today, sizeof(t->today), "%s", today);
	if (pthread_attr_init(&attr) != 0) {
		import_task_free(t);
		return (-1);
	}
	(void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, import_task_run, t) != 0) {
		(void)pthread_attr_destroy(&attr);
		import_task_free(t);
		return (-1);
	}
	(void)pthread_attr_destroy(&attr);
	return (0);
}

/* The thread: read and check the file, import it, say how it ended. */
static void *
import_task_run(void *arg)
{
	struct import_task	*t = arg;
	struct history		 h;
	PGconn			*conn;
	cJSON			*rows, *fields, *out, *failure;
	enum db_status		 st;

	memset(&h, 0, sizeof(h));
	conn = NULL;
	out = NULL;
	rows = cJSON_CreateArray();
	fields = cJSON_CreateObject();
	failure = cJSON_CreateObject();
	t->jobs = PQconnectdb(t->conninfo);
	if (PQstatus(t->jobs) != CONNECTION_OK)
		goto done;	/* the job is reported failed when stale */

	/* A row at a time: the file is never held as a table. */
	(void)history_read(t->body, t->len, t->today, &h, rows);
	free(t->body);
	t->body = NULL;
	if (cJSON_GetArraySize(rows) > 0) {
		cJSON_AddItemToObject(fields, "rows", rows);
		rows = NULL;
		import_task_finish(t, "refused", fields);
		goto done;
	}
	import_task_rows(t, HISTORY_STEP_READ, h.rows);

	conn = PQconnectdb(t->conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		st = DB_UNAVAILABLE;
	else
		st = db_history_import(conn, &h, t->actor, t->ip,
		    import_task_progress, t, &out, fields);
	switch (st) {
	case DB_OK:
		import_task_finish(t, "done", out);
		break;
	case DB_INVALID:
		import_task_finish(t, "refused", fields);
		break;
	default:
		cJSON_AddStringToObject(failure, "message", st ==
		    DB_UNAVAILABLE ? "The database did not answer in time, "
		    "or another import held it too long: nothing was "
		    "imported. Send the file again." : "The import failed: "
		    "nothing was imported.");
		import_task_finish(t, "failed", failure);
		break;
	}
done:
	if (conn != NULL)
		PQfinish(conn);
	history_free(&h);
	cJSON_Delete(rows);
	cJSON_Delete(fields);
	cJSON_Delete(out);
	cJSON_Delete(failure);
	import_task_free(t);
	return (NULL);
}

/* db_history_import()'s progress: step `step` of the job is done. */
static void
import_task_progress(void *arg, int step)
{
	import_task_rows(arg, step, 0);
}

/* The job reached `step`; with `rows` (0: unchanged) rows in its file. */
static void
import_task_rows(struct import_task *t, int step, size_t rows)
{
	const char	*p[3];
	char		 job[24], s[16], n[24];

	sqlparam_id(job, t->job);
	snprintf(s, sizeof(s), "%d", step);
	snprintf(n, sizeof(n), "%zu", rows);
	p[0] = job;
	p[1] = s;
	p[2] = rows > 0 ? n : NULL;
	PQclear(PQexecParams(t->jobs, import_sql[Q_PROGRESS], 3, NULL, p,
	    NULL, NULL, 0));
}

/* The job ended with `status` and `result`. */
static void
import_task_finish(struct import_task *t, const char *status,
    const cJSON *result)
{
	const char	*p[3];
	char		 job[24], *text;

	sqlparam_id(job, t->job);
	if ((text = cJSON_PrintUnformatted(result)) == NULL)
		return;
	p[0] = job;
	p[1] = status;
	p[2] = text;
	PQclear(PQexecParams(t->jobs, import_sql[Q_FINISH], 3, NULL, p, NULL,
	    NULL, 0));
	cJSON_free(text);
}

static void
import_task_free(struct import_task *t)
{
	if (t->jobs != NULL)
		PQfinish(t->jobs);
	free(t->body);
	free(t->conninfo);
	free(t);
	__atomic_sub_fetch(&import_running, 1, __ATOMIC_SEQ_CST);
}
