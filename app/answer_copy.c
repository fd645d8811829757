/*
 * answer_copy: a worker's own copies of kept report answers.
 *
 * A kept answer is read by its key with its version (the row version it
 * was kept as: app/db_report_answer.c); when the version is the one of
 * the worker's copy, the database leaves the body out and the copy is
 * served. At the demo data's 100x the annual report's answer is a
 * megabyte, which PostgreSQL otherwise decompresses and sends at every
 * read. The copies live in the worker's memory, within ANSWER_COPIES and
 * ANSWER_COPY_BYTES; the least lately used goes first, and an answer
 * larger than the bound is not copied. One worker, one event loop: no
 * lock (the gathering threads never call this).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "answer_copy.h"

struct answer_copy {
	char		*key;		/* NULL: a free slot */
	char		*version;
	char		*text;
	size_t		 len;
	uint64_t	 used;		/* when last found or put: a count */
};

static struct answer_copy	answer_copies[ANSWER_COPIES];
static size_t			answer_copy_bytes;
static uint64_t			answer_copy_clock;

static struct answer_copy	*answer_copy_slot(const char *);
static void			 answer_copy_drop(struct answer_copy *);

/*
 * The copy of `key`'s answer, with `*version` the version it is of, or
 * NULL (and `*version` NULL) when the worker has none.
 */
const char *
answer_copy_find(const char *key, const char **version)
{
	struct answer_copy	*c;

	*version = NULL;
	if ((c = answer_copy_slot(key)) == NULL)
		return (NULL);
	c->used = ++answer_copy_clock;
	*version = c->version;
	return (c->text);
}

/*
 * Copy `text`, the answer of `key` as of `version`, in place of any
 * older copy of it, forgetting the least lately used beyond the bounds.
 * Out of memory, or an answer larger than ANSWER_COPY_BYTES: no copy.
 */
void
answer_copy_put(const char *key, const char *version, const char *text)
{
	struct answer_copy	*c, *oldest;
	size_t			 len;
	int			 i;

	if ((c = answer_copy_slot(key)) != NULL)
		answer_copy_drop(c);
	if ((len = strlen(text)) > ANSWER_COPY_BYTES)
		return;
	for (;;) {
		oldest = NULL;
		c = NULL;
		for (i = 0; i < ANSWER_COPIES; i++) {
			if (answer_copies[i].key == NULL) {
				c = &answer_copies[i];
				continue;
			}
			if (oldest == NULL ||
			    answer_copies[i].used < oldest->used)
				oldest = &answer_copies[i];
		}
		if (c != NULL && answer_copy_bytes + len <= ANSWER_COPY_BYTES)
			break;
		answer_copy_drop(oldest);
	}
	if ((c->key = strdup(key)) == NULL ||
	    (c->version = strdup(version)) == NULL ||
	    (c->text = strdup(text)) == NULL) {
		answer_copy_drop(c);
		return;
	}
	c->len = len;
	c->used = ++answer_copy_clock;
	answer_copy_bytes += len;
}

/* Forget every copy. */
void
answer_copy_clear(void)
{
	int	i;

	for (i = 0; i < ANSWER_COPIES; i++)
		answer_copy_drop(&answer_copies[i]);
}

/* The slot holding `key`, or NULL. */
static struct answer_copy *
answer_copy_slot(const char *key)
{
	int	i;

	for (i = 0; i < ANSWER_COPIES; i++)
		if (answer_copies[i].key != NULL &&
		    strcmp(answer_copies[i].key, key) == 0)
			return (&answer_copies[i]);
	return (NULL);
}

/* Free `c`'s copy; the slot is free again. */
static void
answer_copy_drop(struct answer_copy *c)
{
	if (c->text != NULL)
		answer_copy_bytes -= c->len;
	free(c->key);
	free(c->version);
	free(c->text);
	memset(c, 0, sizeof(*c));
}
