/*
 * pwtask: password hashing and checking in Kore task threads, each task
 * owning what it reads, and a bound on how many a worker takes on.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <string.h>

#include "pwtask.h"
#include "reply.h"

static int	pwtask_run(struct kore_task *);

/* This worker's tasks queued or running (the event loop is one thread). */
static int	pwtask_count;

/*
 * Start the password work of `req` in `pt` (inside the request's state):
 * check `password` against `verify_hash`, or, when that is NULL, hash
 * `password` into pt->hash. Both are copied. Returns 1 when started (the
 * handler returns KORE_RESULT_RETRY and calls pwtask_wait() when woken);
 * 0 when the request has been answered: 503 with Retry-After when the
 * worker has PWTASK_MAX tasks already, 422 for a password too long.
 */
int
pwtask_start(struct http_request *req, struct pwtask *pt,
    const char *password, const char *verify_hash)
{
	cJSON	*fields;

	if (strlen(password) >= sizeof(pt->password)) {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "password",
		    "Must be 128 characters or fewer.");
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (0);
	}
	if (pwtask_count >= PWTASK_MAX) {
		http_response_header(req, "retry-after", "2");
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "in a few seconds.", NULL);
		return (0);
	}
	pwtask_count++;
	pt->counted = 1;
	memcpy(pt->password, password, strlen(password) + 1);
	pt->verify = verify_hash != NULL;
	if (pt->verify &&
	    strlen(verify_hash) >= sizeof(pt->hash))
		verify_hash = "";
	if (pt->verify)
		memcpy(pt->hash, verify_hash, strlen(verify_hash) + 1);
	kore_task_create(&pt->task, pwtask_run);
	kore_task_bind_request(&pt->task, req);
	pt->started = 1;
	kore_task_run(&pt->task);
	return (1);
}

/* Whether the work is done; if not, `req` sleeps until it is. */
int
pwtask_wait(struct http_request *req, struct pwtask *pt)
{
	if (pt->started && !kore_task_finished(&pt->task)) {
		http_request_sleep(req);
		return (0);
	}
	return (1);
}

/*
 * For the request's free callback (which Kore may call while the task
 * still runs, and again when it is done): once the task has finished,
 * wipe the copies and give back its place. Before that, touch nothing.
 */
void
pwtask_release(struct pwtask *pt)
{
	if (pt->started && !kore_task_finished(&pt->task))
		return;
	sodium_memzero(pt->password, sizeof(pt->password));
	sodium_memzero(pt->hash, sizeof(pt->hash));
	if (pt->counted) {
		pt->counted = 0;
		pwtask_count--;
	}
}

/* In a task thread: only `pt` is touched. */
static int
pwtask_run(struct kore_task *t)
{
	struct pwtask	*pt = (struct pwtask *)t;

	if (pt->verify)
		pt->ok = pt->hash[0] != '\0' &&
		    password_verify(pt->hash, pt->password);
	else
		pt->ok = password_hash(pt->password, pt->hash) == 0;
	return (KORE_RESULT_OK);
}
