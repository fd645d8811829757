/*
 * answer_copy: a worker's own copies of kept report answers, so that a
 * kept answer the worker has served before is not read from the database
 * again while it is unchanged (README "Reports off the request path").
 * Kore-free.
 */
#ifndef PORTAL_ANSWER_COPY_H
#define PORTAL_ANSWER_COPY_H

#include <stddef.h>

/* At most this many copies, and this many bytes of them. */
#define ANSWER_COPIES		32
#define ANSWER_COPY_BYTES	(32 * 1024 * 1024)

const char	*answer_copy_find(const char *, const char **);
void		 answer_copy_put(const char *, const char *, const char *);
void		 answer_copy_clear(void);

#endif /* !PORTAL_ANSWER_COPY_H */
