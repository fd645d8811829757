/*
 * report_task: reports gathered off the request path.
 *
 * A report whose kept answer is not current is gathered here, in a
 * thread with database connections of its own (db_thread_begin(): libpq,
 * never Kore's pool, which belongs to the worker's event loop), while the
 * worker goes on serving every other request. The handler answers at
 * once with what it has (the last kept answer marked as of its time, or
 * 202), and the thread keeps the new answer (db_report_answer_gather())
 * for the next request to find.
 *
 * Per worker: one gathering per key (a second request of it joins the
 * first), at most REPORT_TASK_THREADS threads, and up to
 * REPORT_TASK_QUEUED keys waiting for one (a thread takes the oldest
 * waiting key when it is done with one); beyond that the caller answers
 * 503. A gathering that failed is remembered for REPORT_TASK_FAILED_SECS
 * so that the next request of it is told (once), not sent round again.
 * A gathering is background work: its thread runs at REPORT_TASK_NICE,
 * and its backends give way as well (db_thread_begin()).
 * The threads call nothing of Kore's: pthreads, libpq (through db.c's
 * thread mode) and cJSON, whose allocator is malloc's (the module sets no
 * hooks). A module reload (SIGHUP) while a report is gathered would pull
 * the code from under its thread: reload when none is (as for imports).
 */
#define _GNU_SOURCE		/* gettid() */
#include <sys/resource.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_report_answer.h"
#include "report_task.h"

enum report_task_slot_state {
	SLOT_FREE,
	SLOT_QUEUED,
	SLOT_RUNNING,
	SLOT_FAILED
};

/* One key being gathered, waiting, or that failed lately. */
struct report_task_slot {
	enum report_task_slot_state	 state;
	char				*key;
	enum db_status			(*build)(void *, cJSON **);
	void				*arg;
	void				(*arg_free)(void *);
	enum db_status			 failed;	/* SLOT_FAILED */
	time_t				 since;		/* queued, or failed */
};

#define REPORT_TASK_SLOTS	(REPORT_TASK_THREADS + REPORT_TASK_QUEUED + 8)

static pthread_mutex_t		 report_task_lock = PTHREAD_MUTEX_INITIALIZER;
static struct report_task_slot	 report_task_slots[REPORT_TASK_SLOTS];
static int			 report_task_threads;
static char			*report_task_primary;
static char			*report_task_reports;

static void	*report_task_run(void *);
static struct report_task_slot *report_task_find(const char *);
static struct report_task_slot *report_task_free_slot(time_t);
static struct report_task_slot *report_task_next(void);
static void	 report_task_clear(struct report_task_slot *);

/*
 * The databases gathering threads connect to: the primary, and the
 * reports' replica (NULL or "": the primary). Called at start-up.
 * Returns 0, or -1 when out of memory.
 */
int
report_task_init(const char *primary, const char *reports)
{
	free(report_task_primary);
	free(report_task_reports);
	report_task_reports = NULL;
	if ((report_task_primary = strdup(primary)) == NULL)
		return (-1);
	if (reports != NULL && *reports != '\0' &&
	    (report_task_reports = strdup(reports)) == NULL)
		return (-1);
	return (0);
}

/*
 * Gather report `key` with build(arg, &tree) in a thread, unless one of
 * this worker gathers or waits to gather it already. `arg` is the
 * task's from here on, whatever is returned: arg_free(arg) frees it.
 * Returns REPORT_TASK_GATHERING (a thread gathers it, or it waits for
 * one; `*since` when it was asked for), REPORT_TASK_BUSY (too many
 * gatherings: try again later), or REPORT_TASK_FAILED (its last gathering
 * failed with `*failed`, told once: the next call gathers again).
 */
enum report_task_state
report_task_start(const char *key, enum db_status (*build)(void *, cJSON **),
    void *arg, void (*arg_free)(void *), time_t *since,
    enum db_status *failed)
{
	struct report_task_slot	*s;
	pthread_attr_t		 attr;
	pthread_t		 thread;
	enum report_task_state	 ret;
	time_t			 now;
	int			 queued, i;

	now = time(NULL);
	*since = now;
	*failed = DB_OK;
	ret = REPORT_TASK_BUSY;
	pthread_mutex_lock(&report_task_lock);
	if ((s = report_task_find(key)) != NULL) {
		if (s->state == SLOT_FAILED) {
			*failed = s->failed;
			report_task_clear(s);
			ret = REPORT_TASK_FAILED;
		} else {
			*since = s->since;
			ret = REPORT_TASK_GATHERING;
		}
		goto out;
	}
	for (queued = 0, i = 0; i < REPORT_TASK_SLOTS; i++)
		if (report_task_slots[i].state == SLOT_QUEUED)
			queued++;
	if (report_task_primary == NULL ||
	    (report_task_threads >= REPORT_TASK_THREADS &&
	    queued >= REPORT_TASK_QUEUED) ||
	    (s = report_task_free_slot(now)) == NULL ||
	    (s->key = strdup(key)) == NULL)
		goto out;
	s->build = build;
	s->arg = arg;
	s->arg_free = arg_free;
	s->since = now;
	s->state = SLOT_QUEUED;
	arg = NULL;
	ret = REPORT_TASK_GATHERING;
	if (report_task_threads >= REPORT_TASK_THREADS)
		goto out;	/* a running thread takes it when done */
	s->state = SLOT_RUNNING;
	if (pthread_attr_init(&attr) != 0)
		goto nothread;
	(void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, report_task_run, s) != 0) {
		(void)pthread_attr_destroy(&attr);
		goto nothread;
	}
	(void)pthread_attr_destroy(&attr);
	report_task_threads++;
	goto out;
nothread:
	arg = s->arg;
	s->arg = NULL;
	report_task_clear(s);
	ret = REPORT_TASK_BUSY;
out:
	pthread_mutex_unlock(&report_task_lock);
	if (arg != NULL)
		arg_free(arg);
	return (ret);
}

/*
 * The thread: gather its slot's key, then each waiting key in turn,
 * on connections of its own; ends when none waits.
 */
static void *
report_task_run(void *arg)
{
	struct report_task_slot	*s = arg;
	enum db_status		 st, conn;
	void			(*job_free)(void *);
	void			*job;

	(void)setpriority(PRIO_PROCESS, gettid(), REPORT_TASK_NICE);
	conn = db_thread_begin(report_task_primary, report_task_reports);
	while (s != NULL) {
		st = conn == DB_OK ? db_report_answer_gather(s->key, s->build,
		    s->arg) : conn;
		pthread_mutex_lock(&report_task_lock);
		job = s->arg;
		job_free = s->arg_free;
		s->arg = NULL;
		if (st == DB_OK)
			report_task_clear(s);
		else {
			s->state = SLOT_FAILED;
			s->failed = st;
			s->since = time(NULL);
		}
		if ((s = report_task_next()) != NULL)
			s->state = SLOT_RUNNING;
		else
			report_task_threads--;
		pthread_mutex_unlock(&report_task_lock);
		if (job != NULL)
			job_free(job);
	}
	if (conn == DB_OK)
		db_thread_end();
	return (NULL);
}

/* The slot of `key` (queued, running or failed), or NULL. Locked. */
static struct report_task_slot *
report_task_find(const char *key)
{
	int	i;

	for (i = 0; i < REPORT_TASK_SLOTS; i++)
		if (report_task_slots[i].state != SLOT_FREE &&
		    strcmp(report_task_slots[i].key, key) == 0)
			return (&report_task_slots[i]);
	return (NULL);
}

/*
 * A free slot, forgetting failures older than REPORT_TASK_FAILED_SECS
 * and, when none is free, the oldest failure. NULL when every slot
 * gathers or waits. Locked.
 */
static struct report_task_slot *
report_task_free_slot(time_t now)
{
	struct report_task_slot	*s, *oldest;
	int			 i;

	oldest = NULL;
	for (i = 0; i < REPORT_TASK_SLOTS; i++) {
		s = &report_task_slots[i];
		if (s->state == SLOT_FAILED &&
		    now - s->since > REPORT_TASK_FAILED_SECS)
			report_task_clear(s);
		if (s->state == SLOT_FAILED &&
		    (oldest == NULL || s->since < oldest->since))
			oldest = s;
	}
	for (i = 0; i < REPORT_TASK_SLOTS; i++)
		if (report_task_slots[i].state == SLOT_FREE)
			return (&report_task_slots[i]);
	if (oldest != NULL)
		report_task_clear(oldest);
	return (oldest);
}

/* The key that has waited longest, or NULL. Locked. */
static struct report_task_slot *
report_task_next(void)
{
	struct report_task_slot	*s, *next;
	int			 i;

	next = NULL;
	for (i = 0; i < REPORT_TASK_SLOTS; i++) {
		s = &report_task_slots[i];
		if (s->state == SLOT_QUEUED &&
		    (next == NULL || s->since < next->since))
			next = s;
	}
	return (next);
}

/* Free slot `s` (its arg is no longer its own). Locked. */
static void
report_task_clear(struct report_task_slot *s)
{
	free(s->key);
	memset(s, 0, sizeof(*s));
	s->state = SLOT_FREE;
}
