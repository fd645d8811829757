/*
 * h_catalogue: the public reference data and course catalogue.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "auth.h"
#include "catalogue.h"
#include "db_catalogue.h"
#include "qs.h"
#include "reply.h"

#define CATALOGUE_LIMIT_DEFAULT	20
#define CATALOGUE_LIMIT_MAX	100

int	h_group_levels(struct http_request *);
int	h_topics(struct http_request *);
int	h_courses(struct http_request *);
int	h_course_create(struct http_request *);

static int	catalogue_paging(struct http_request *, struct qs *,
		    cJSON *, long *, long *);
static void	catalogue_answer(struct http_request *, int, cJSON *, cJSON *);

/*
 * GET /api/v1/group-levels
 * 200 the default group level scheme; 503 database away.
 */
int
h_group_levels(struct http_request *req)
{
	cJSON	*out;
	int	 st;

	if (!reply_method_allowed(req, REPLY_GET))
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_catalogue_group_levels(&out);
	catalogue_answer(req, st, out, NULL);
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

	if (!reply_method_allowed(req, REPLY_GET))
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_catalogue_topics(&out);
	catalogue_answer(req, st, out, NULL);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/courses: h_course_create() in h_course.c.
 * GET /api/v1/courses?group_level=&topic=&limit=&offset=
 *     &include_unpublished=true|false
 * 200 a page of the published catalogue (up to CATALOGUE_CACHE_MS old),
 * or for coordinators with include_unpublished every course (fresh);
 * 401 and 403 include_unpublished for others; 422 an unknown group
 * level or topic, or bad paging (every wrong field named); 503 database away.
 */
int
h_courses(struct http_request *req)
{
	struct catalogue_query	 cq;
	struct session_who	 who;
	struct qs		 q;
	cJSON			*fields, *out;
	const char		*key, *text;
	char			*printed;
	size_t			 len;
	int			 st;

	if (!reply_method_allowed(req, REPLY_GET | REPLY_POST))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (h_course_create(req));
	fields = cJSON_CreateObject();
	if (!catalogue_paging(req, &q, fields, &cq.limit, &cq.offset))
		return (KORE_RESULT_OK);
	cq.group_level = qs_get(&q, "group_level");
	cq.topic = qs_get(&q, "topic");
	if (qs_get_flag(&q, "include_unpublished", &cq.unpublished) == -1)
		cJSON_AddStringToObject(fields, "include_unpublished",
		    "Must be true or false.");
	if (cq.unpublished && !auth_require(req, ROLE_COORDINATOR, &who)) {
		cJSON_Delete(fields);
		qs_free(&q);
		return (KORE_RESULT_OK);
	}
	key = req->query_string ? req->query_string : "";
	if (cJSON_GetArraySize(fields) == 0 && !cq.unpublished &&
	    catalogue_cached(key, kore_time_ms(), &text, &len)) {
		cJSON_Delete(fields);
		qs_free(&q);
		reply_bytes(req, 200, "application/json", text, len);
		return (KORE_RESULT_OK);
	}
	out = NULL;
	st = db_catalogue_courses(&cq, fields, &out);
	if (st == DB_OK && cJSON_GetArraySize(fields) == 0 && !cq.unpublished &&
	    (printed = cJSON_PrintUnformatted(out)) != NULL) {
		catalogue_keep(key, kore_time_ms(), printed, strlen(printed));
		cJSON_Delete(fields);
		cJSON_Delete(out);
		reply_bytes(req, 200, "application/json", printed,
		    strlen(printed));
		cJSON_free(printed);
	} else
		catalogue_answer(req, st, out, fields);
	qs_free(&q);
	return (KORE_RESULT_OK);
}

/*
 * Parse the query string into `q` and read limit and offset; a wrong
 * one is named in `fields` and left at its default, so that the caller
 * can name every wrong field at once. Answers 422 for a query string that
 * cannot be decoded, frees `fields` and returns 0; else returns 1 and the
 * caller frees `q`.
 */
static int
catalogue_paging(struct http_request *req, struct qs *q, cJSON *fields,
    long *limit, long *offset)
{
	if (!reply_parse_query(req, q)) {
		cJSON_Delete(fields);
		return (0);
	}
	if (qs_get_count(q, "limit", CATALOGUE_LIMIT_DEFAULT, 1,
	    CATALOGUE_LIMIT_MAX, limit) == -1) {
		*limit = CATALOGUE_LIMIT_DEFAULT;
		cJSON_AddStringToObject(fields, "limit",
		    "Must be a whole number from 1 to 100.");
	}
	if (qs_get_count(q, "offset", 0, 0, 1000000000L, offset) == -1) {
		*offset = 0;
		cJSON_AddStringToObject(fields, "offset",
		    "Must be a whole number, 0 or more.");
	}
	return (1);
}

/*
 * Answer a catalogue read: 422 when `fields` names anything wrong, else
 * 200 `out`, or the failure. Owns `out` and `fields`.
 */
static void
catalogue_answer(struct http_request *req, int st, cJSON *out, cJSON *fields)
{
	if (cJSON_GetArraySize(fields) > 0 && (st == DB_OK ||
	    st == DB_INVALID)) {
		cJSON_Delete(out);
		reply_error(req, 422, "invalid", "Some values are not valid.",
		    fields);
	} else if (st == DB_OK) {
		cJSON_Delete(fields);
		reply_json(req, 200, out);
	} else {
		cJSON_Delete(fields);
		reply_db_failure(req, st);
	}
}
