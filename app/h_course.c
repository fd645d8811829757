/*
 * h_course: the course catalogue: everyone reads it (kept a moment by
 * catalogue.c), coordinators keep it.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "catalogue.h"
#include "db_catalogue.h"
#include "db_course.h"
#include "qs.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_courses(struct http_request *);
int	h_course_one(struct http_request *);

static int	course_paging(struct http_request *, struct qs *, cJSON *,
		    long *, long *);

static int	course_save(struct http_request *, const struct session_who *,
	    long long);
static const char *course_codes(const cJSON *, const char *, char *, size_t,
		    int *, cJSON *);
static const char *course_text(const cJSON *, const char *, size_t, int,
		    cJSON *);
static int	course_bool(const cJSON *, const char *, cJSON *);
static void	course_read(const cJSON *, int, struct course_fields *,
		    char [1024], char [256], cJSON *);

#define COURSE_LIMIT_DEFAULT	20
#define COURSE_LIMIT_MAX	100

static const char *const course_formats[] = {
	"full_day", "half_day", "twilight", "e_learning", "seminar",
	"conference", NULL
};

/*
 * POST /api/v1/courses (coordinators) {"code","title","summary",
 * "topics":[..],"group_levels":[..],"format","duration_minutes",
 * "multi_agency"} 201 the course; 401; 403; 409 the code is taken; 422
 * every wrong field named.
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
	static const struct preamble	pre = {
		.get = ACCESS_ANYONE, .post = ROLE_COORDINATOR
	};
	struct catalogue_query	 cq;
	struct session_who	 who;
	struct qs		 q;
	cJSON			*fields, *out;
	const char		*key, *text;
	char			*printed;
	size_t			 len;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (course_save(req, &who, 0));
	fields = cJSON_CreateObject();
	if (!course_paging(req, &q, fields, &cq.limit, &cq.offset))
		return (KORE_RESULT_OK);
	cq.group_level = qs_get(&q, "group_level");
	cq.topic = qs_get(&q, "topic");
	if (qs_get_flag(&q, "include_unpublished", &cq.unpublished) == -1)
		cJSON_AddStringToObject(fields, "include_unpublished",
		    "Must be true or false.");
	/* Who may ask depends on the query: its own check, after it. */
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
		reply_read(req, st, out, fields);
	qs_free(&q);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/courses/{id}: 200 the course; 404 none, or unpublished and
 * the caller not a coordinator.
 * PATCH /api/v1/courses/{id} (coordinators): any of the fields of POST,
 * and "published". 200 the course; 401; 403; 404; 409; 422.
 */
int
h_course_one(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/courses/",
		.get = ACCESS_ANYONE, .patch = ROLE_COORDINATOR
	};
	struct session_who	 who;
	cJSON			*out;
	long long		 id;
	int			 signed_in, st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_PATCH)
		return (course_save(req, &who, id));
	if ((signed_in = auth_session(req, &who)) == -1)
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_course_get(id, signed_in && (who.roles & ROLE_COORDINATOR),
	    &out);
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such course.",
		    NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

static int
course_save(struct http_request *req, const struct session_who *who,
    long long id)
{
	struct course_fields	 f;
	cJSON			*body, *fields, *out;
	char			 topics[1024], levels[256];
	int			 st, create;

	create = id == 0;

	/* The course from the body, every wrong field named; saved if all
	 * is well. */
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	course_read(body, create, &f, topics, levels, fields);
	out = NULL;
	st = DB_INVALID;
	if (cJSON_GetArraySize(fields) == 0)
		st = db_course_save(id, &f, who->person_id, fields, &out);
	cJSON_Delete(body);

	/* The answer: what came of it. */
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0) {
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st == DB_CONFLICT)
		reply_error(req, 409, "code_taken", "Another course has this "
		    "code.", NULL);
	else if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such course.",
		    NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else {
		catalogue_changed();
		reply_json(req, create ? 201 : 200, out);
	}
	return (KORE_RESULT_OK);
}

/*
 * Read a course's fields from `body` into `f` (its strings are the
 * body's; the topics' and the levels' text[] literals are written into
 * `topics` and `levels`), naming each wrong field in `fields`. When
 * `create` is set the code, title, format, duration and levels are
 * required; otherwise what is absent is left as it is.
 */
static void
course_read(const cJSON *body, int create, struct course_fields *f,
    char topics[1024], char levels[256], cJSON *fields)
{
	const cJSON	*v;
	size_t		 i;

	memset(f, 0, sizeof(*f));

	/* The code: capital letters, digits and hyphens. */
	f->code = course_text(body, "code", 20, create, fields);
	if (f->code != NULL) {
		for (i = 0; f->code[i] != '\0'; i++) {
			if (!isupper((unsigned char)f->code[i]) &&
			    !isdigit((unsigned char)f->code[i]) &&
			    f->code[i] != '-')
				break;
		}
		if (f->code[i] != '\0' || i < 2) {
			cJSON_AddStringToObject(fields, "code", "2 to 20 capital "
			    "letters, digits or hyphens, like SG3-NEG.");
			f->code = NULL;
		}
	}

	/* The title, the summary and the format, one we know. */
	f->title = course_text(body, "title", 200, create, fields);
	f->summary = course_text(body, "summary", 2000, 0, fields);
	f->format = course_text(body, "format", 20, create, fields);
	if (f->format != NULL) {
		for (i = 0; course_formats[i] != NULL; i++) {
			if (strcmp(f->format, course_formats[i]) == 0)
				break;
		}
		if (course_formats[i] == NULL)
			cJSON_AddStringToObject(fields, "format", "Must be "
			    "full_day, half_day, twilight, e_learning, seminar "
			    "or conference.");
	}

	/* How long a session lasts, in whole minutes. */
	f->duration_minutes = -1;
	v = cJSON_GetObjectItemCaseSensitive(body, "duration_minutes");
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 15 ||
		    v->valuedouble > 1440 ||
		    floor(v->valuedouble) != v->valuedouble)
			cJSON_AddStringToObject(fields, "duration_minutes",
			    "Must be a whole number of minutes, 15 to 1440.");
		else
			f->duration_minutes = (long)v->valuedouble;
	} else if (create)
		cJSON_AddStringToObject(fields, "duration_minutes",
		    "Enter how long a session lasts, in minutes.");

	/* The flags, the topics and the group levels. */
	f->multi_agency = course_bool(body, "multi_agency", fields);
	f->published = course_bool(body, "published", fields);
	f->topics = course_codes(body, "topics", topics, 1024,
	    &f->ntopics, fields);
	f->group_levels = course_codes(body, "group_levels", levels,
	    256, &f->nlevels, fields);
	/* A course is for at least one level, also after a change. */
	if ((create || f->group_levels != NULL) &&
	    (f->group_levels == NULL || f->nlevels == 0) &&
	    !cJSON_HasObjectItem(fields, "group_levels"))
		cJSON_AddStringToObject(fields, "group_levels",
		    "Choose the group levels the course qualifies for.");
}

/*
 * A text member of at most `max` characters, empty only for the summary,
 * or NULL (named in `fields` when wrong, or missing and `required`).
 */
static const char *
course_text(const cJSON *body, const char *name, size_t max, int required,
    cJSON *fields)
{
	const cJSON	*v;
	char		 msg[96];

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			cJSON_AddStringToObject(fields, name,
			    "This cannot be empty.");
		return (NULL);
	}
	if (cJSON_IsString(v) && v->valuestring[0] == '\0' &&
	    strcmp(name, "summary") != 0) {
		cJSON_AddStringToObject(fields, name, "This cannot be empty.");
		return (NULL);
	}
	if (!cJSON_IsString(v) || text_utf8_length(v->valuestring) > max ||
	    (strcmp(name, "summary") != 0 && !text_is_clean(v->valuestring))) {
		snprintf(msg, sizeof(msg), "Must be text of %zu characters at "
		    "most.", max);
		cJSON_AddStringToObject(fields, name, msg);
		return (NULL);
	}
	return (v->valuestring);
}

/* A true/false member: -1 absent, 0 or 1. */
static int
course_bool(const cJSON *body, const char *name, cJSON *fields)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v))
		return (-1);
	if (!cJSON_IsBool(v)) {
		cJSON_AddStringToObject(fields, name, "Must be true or false.");
		return (-1);
	}
	return (cJSON_IsTrue(v));
}

/*
 * A list of codes (letters, digits, _) as a text[] literal in `buf`, NULL
 * when absent; `*n` how many.
 */
static const char *
course_codes(const cJSON *body, const char *name, char *buf, size_t size,
    int *n, cJSON *fields)
{
	const cJSON	*v, *c;
	size_t		 len, i;

	*n = 0;
	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v))
		return (NULL);
	snprintf(buf, size, "{");
	if (!cJSON_IsArray(v))
		goto bad;
	cJSON_ArrayForEach(c, v) {
		if (!cJSON_IsString(c))
			goto bad;
		len = strlen(c->valuestring);
		if (len == 0 || len > 40 || strlen(buf) + len + 3 > size)
			goto bad;
		for (i = 0; i < len; i++) {
			if (!isalnum((unsigned char)c->valuestring[i]) &&
			    c->valuestring[i] != '_')
				goto bad;
		}
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", *n ? "," : "",
		    c->valuestring);
		(*n)++;
	}
	len = strlen(buf);
	snprintf(buf + len, size - len, "}");
	return (buf);
bad:
	cJSON_AddStringToObject(fields, name, "Must be a list of codes.");
	*n = 0;
	return (NULL);
}

/*
 * Parse the query string into `q` and read limit and offset; a wrong
 * one is named in `fields` and left at its default, so that the caller
 * can name every wrong field at once. Answers 422 for a query string that
 * cannot be decoded, frees `fields` and returns 0; else returns 1 and the
 * caller frees `q`.
 */
static int
course_paging(struct http_request *req, struct qs *q, cJSON *fields,
    long *limit, long *offset)
{
	if (!reply_parse_query(req, q)) {
		cJSON_Delete(fields);
		return (0);
	}
	qs_page(q, COURSE_LIMIT_DEFAULT, COURSE_LIMIT_MAX, fields, limit,
	    offset);
	return (1);
}
