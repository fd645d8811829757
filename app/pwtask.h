/*
 * pwtask: Argon2id work (hashing a new password, checking one) in a Kore
 * task thread, on data the task owns.
 *
 * Kore's http_request_free() runs the request's free callback before it
 * looks for running tasks: a client that hangs up mid-hash has its
 * request body freed while the task thread still works. So the task
 * never reads the body: it works on copies kept in struct pwtask, which
 * lives in the request's state (freed by Kore only once the task is done),
 * and pwtask_release() leaves them alone until the task has finished.
 *
 * At most PWTASK_MAX tasks are queued or running per worker (Kore runs
 * KORE_TASK_THREADS of them at once, 64 MiB each): beyond that the
 * request is answered 503 with Retry-After.
 */
#ifndef PORTAL_PWTASK_H
#define PORTAL_PWTASK_H

#include <kore/kore.h>
#include <kore/tasks.h>

#include "password.h"

/* Password tasks queued or running per worker. */
#define PWTASK_MAX		8
/* The longest password taken, in bytes (128 characters of UTF-8). */
#define PWTASK_PASSWORD_MAX	513

struct http_request;

struct pwtask {
	struct kore_task	 task;		/* first: the task is the state */
	char			 password[PWTASK_PASSWORD_MAX];
	char			 hash[PASSWORD_HASH_MAX];
	int			 verify;	/* check against hash, else hash */
	int			 ok;		/* matched, or hashed */
	int			 started;
	int			 counted;	/* holds a place under PWTASK_MAX */
};

int	pwtask_start(struct http_request *, struct pwtask *, const char *,
	    const char *);
int	pwtask_wait(struct http_request *, struct pwtask *);
void	pwtask_release(struct pwtask *);

#endif /* !PORTAL_PWTASK_H */
