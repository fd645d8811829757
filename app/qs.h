/*
 * qs: the query string of a request, decoded.
 *
 * Kore drops query arguments that have no `validate` line in the config,
 * and says nothing about the ones it drops; the portal parses the query
 * string itself so that a wrong value can be named in a 422.
 */
#ifndef PORTAL_QS_H
#define PORTAL_QS_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct qs_param {
	char	*name;
	char	*value;
};

/* The largest offset a list page takes. */
#define QS_OFFSET_MAX	1000000000L

struct qs {
	struct qs_param	*params;
	size_t		 n;
	char		 wrong[64];	/* after a failed qs_parse() */
};

int		 qs_parse(const char *, struct qs *);
void		 qs_free(struct qs *);
const char	*qs_get(const struct qs *, const char *);
int		 qs_get_count(const struct qs *, const char *, long, long,
		    long, long *);
int		 qs_page(const struct qs *, long, long, cJSON *, long *,
		    long *);
int		 qs_get_flag(const struct qs *, const char *, int *);
char		*qs_canonical(const struct qs *, const char *const *);
size_t		 qs_unknown(const struct qs *, const char *const *,
		    const char *, cJSON *);

#endif /* !PORTAL_QS_H */
