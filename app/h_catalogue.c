/*
 * h_catalogue: the public reference data (group levels, topics); the
 * course catalogue itself is h_course.c's.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include "auth.h"
#include "db_catalogue.h"
#include "reply.h"

int	h_group_levels(struct http_request *);
int	h_topics(struct http_request *);

/* GET, by anyone. */
static const struct preamble	catalogue_pre = { .get = ACCESS_ANYONE };

/*
 * GET /api/v1/group-levels
 * 200 the default group level scheme; 503 database away.
 */
int
h_group_levels(struct http_request *req)
{
	cJSON	*out;
	int	 st;

	if (!auth_preamble(req, &catalogue_pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_catalogue_group_levels(&out);
	reply_read(req, st, out, NULL);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/topics
 * 200 the topics courses cover; 503 database away.
 */
int
h_topics(struct http_request *req)
{
	cJSON	*out;
	int	 st;

	if (!auth_preamble(req, &catalogue_pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_catalogue_topics(&out);
	reply_read(req, st, out, NULL);
	return (KORE_RESULT_OK);
}
