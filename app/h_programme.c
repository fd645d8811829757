/*
 * h_programme: the sessions of the programme.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "catalogue.h"
#include "db_booking.h"
#include "db_programme.h"
#include "qs.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_sessions(struct http_request *);
int	h_session_one(struct http_request *);
int	h_session_cancel(struct http_request *);

static int	programme_list(struct http_request *);
static void	programme_filters(const struct qs *, struct session_query *,
		    int *, cJSON *);
static int	programme_create(struct http_request *,
		    const struct session_who *);
static const char *programme_time(const cJSON *, const char *, int,
		    cJSON *);
static long	programme_count(const cJSON *, const char *, long, long, long,
		    cJSON *);
static const char *programme_trainers(const cJSON *, char *, size_t, cJSON *,
		    int *);
static const char *programme_venue(const cJSON *, int, cJSON *);
static const char *programme_joining(const cJSON *, cJSON *);
static int	programme_update(struct http_request *,
		    const struct session_who *, long long);

/*
 * GET /api/v1/sessions?course_id=&group_level=&topic=&q=&from=&to=
 *     &available=true&trainer=me&include_unpublished=true&limit=&offset=
 *   q: words (any case) that must each appear in the course's title,
 *   code or topics' names;
 *   200 {"sessions":[{"id",...,"capacity","confirmed","waitlisted",
 *   "places_left","trainers","course"}],"total","limit","offset"};
 *   trainer=me: the sessions the signed-in person trains (401 signed
 *   out); include_unpublished: coordinators only (401, 403);
 *   422 every wrong parameter named.
 * POST /api/v1/sessions (coordinators) {"course_id","starts_at","ends_at",
 *   "venue","capacity","trainer_ids":[...],"booking_opens_at",
 *   "booking_closes_at","cancel_cutoff_hours","joining_details"}
 *   (joining details: how to join an online session, for confirmed
 *   delegates only: never in this list or a session's public GET)
 *   201 the session; 401; 403; 422 every wrong field named.
 */
int
h_sessions(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ACCESS_ANYONE, .post = ROLE_COORDINATOR
	};
	struct session_who		who;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (programme_create(req, &who));
	return (programme_list(req));
}

/*
 * GET /api/v1/sessions/{id}: 200 the session; 404 none, or its course
 *   unpublished and the caller not a coordinator.
 * PATCH /api/v1/sessions/{id} (coordinators): any of the fields of POST;
 *   raising the capacity promotes from the waitlist at once; a new time
 *   or venue mails everyone booked (the updated invitation, SEQUENCE
 *   raised) and resets their reminders. 200 the session; 401; 403; 404;
 *   409 capacity below the confirmed places, or someone booked holds a
 *   confirmed place elsewhere at the new time (named in fields);
 *   422 every wrong field named.
 */
int
h_session_one(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.get = ACCESS_ANYONE, .patch = ROLE_COORDINATOR
	};
	struct session_who	 who;
	cJSON			*out;
	long long		 id;
	int			 signed_in, st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_PATCH)
		return (programme_update(req, &who, id));
	if ((signed_in = auth_session(req, &who)) == -1)
		return (KORE_RESULT_OK);
	out = NULL;
	st = db_programme_session(id, signed_in &&
	    (who.roles & ROLE_COORDINATOR), &out);
	if (st == DB_OK)
		reply_json(req, 200, out);
	else if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
	else
		reply_db_failure(req, st);
	return (KORE_RESULT_OK);
}

static int
programme_list(struct http_request *req)
{
	struct session_query	 sq;
	struct session_who	 who;
	struct qs		 q;
	cJSON			*fields, *out;
	int			 mine, st;

	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);

	/* The filters, every wrong one named. */
	fields = cJSON_CreateObject();
	programme_filters(&q, &sq, &mine, fields);

	/* Unpublished sessions are coordinators'; "mine" needs a trainer
	 * signed in. */
	if ((sq.unpublished || mine) && !auth_require(req,
	    sq.unpublished ? ROLE_COORDINATOR : 0, &who)) {
		cJSON_Delete(fields);
		qs_free(&q);
		return (KORE_RESULT_OK);
	}
	if (mine)
		sq.trainer_id = who.person_id;

	/* The page asked for. */
	qs_page(&q, 20, 100, fields, &sq.limit, &sq.offset);

	/* The sessions, or every wrong filter named. */
	out = NULL;
	if (sq.from != NULL && !text_is_date(sq.from))
		sq.from = NULL;
	if (sq.to != NULL && !text_is_date(sq.to))
		sq.to = NULL;
	st = db_programme_sessions(&sq, fields, &out);
	qs_free(&q);
	if (cJSON_GetArraySize(fields) > 0 && (st == DB_OK ||
	    st == DB_INVALID)) {
		cJSON_Delete(out);
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * Read the programme's filters from `q` into `sq` (zeroed here; its
 * strings are the query's) and whether trainer=me into `*mine`, naming
 * each wrong one in `fields`. A date that is wrong is still in `sq`.
 */
static void
programme_filters(const struct qs *q, struct session_query *sq, int *mine,
    cJSON *fields)
{
	const char	*trainer;
	long		 course;

	memset(sq, 0, sizeof(*sq));
	if (qs_get_count(q, "course_id", 0, 1, 9007199254740991L,
	    &course) == -1)
		cJSON_AddStringToObject(fields, "course_id",
		    "Must be the id of a course.");
	sq->course_id = course;
	sq->group_level = qs_get(q, "group_level");
	sq->topic = qs_get(q, "topic");
	/* Free text: words to find in course titles and topics. */
	if ((sq->text = qs_get(q, "q")) != NULL && (!text_is_clean(sq->text) ||
	    text_utf8_length(sq->text) > 100)) {
		cJSON_AddStringToObject(fields, "q",
		    "Must be words to search for, 100 characters or fewer.");
		sq->text = NULL;
	}
	if ((sq->from = qs_get(q, "from")) != NULL && !text_is_date(sq->from))
		cJSON_AddStringToObject(fields, "from",
		    "Must be a date like 2016-04-01.");
	if ((sq->to = qs_get(q, "to")) != NULL && !text_is_date(sq->to))
		cJSON_AddStringToObject(fields, "to",
		    "Must be a date like 2017-03-31.");
	if (qs_get_flag(q, "available", &sq->available) == -1)
		cJSON_AddStringToObject(fields, "available",
		    "Must be true or false.");
	*mine = (trainer = qs_get(q, "trainer")) != NULL &&
	    strcmp(trainer, "me") == 0;
	if (trainer != NULL && !*mine)
		cJSON_AddStringToObject(fields, "trainer", "Must be me.");
	if (qs_get_flag(q, "include_unpublished", &sq->unpublished) == -1)
		cJSON_AddStringToObject(fields, "include_unpublished",
		    "Must be true or false.");
}

static int
programme_create(struct http_request *req, const struct session_who *who)
{
	struct session_new	 s;
	cJSON			*body, *fields, *out;
	char			 trainers[1024];
	int			 st;

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	memset(&s, 0, sizeof(s));
	fields = cJSON_CreateObject();
	s.course_id = programme_count(body, "course_id", 0, 1,
	    2147483647L, fields);
	s.starts_at = programme_time(body, "starts_at", 1, fields);
	s.ends_at = programme_time(body, "ends_at", 1, fields);
	s.booking_opens_at = programme_time(body, "booking_opens_at", 0,
	    fields);
	s.booking_closes_at = programme_time(body, "booking_closes_at", 0,
	    fields);
	s.capacity = programme_count(body, "capacity", 0, 1, 1000, fields);
	s.cancel_cutoff_hours = programme_count(body, "cancel_cutoff_hours",
	    48, 0, 2160, fields);
	s.venue = programme_venue(body, 1, fields);
	s.joining_details = programme_joining(body, fields);

	s.trainer_ids = programme_trainers(body, trainers, sizeof(trainers),
	    fields, NULL);
	if (s.trainer_ids == NULL)
		s.trainer_ids = "{}";

	out = NULL;
	st = DB_INVALID;
	if (cJSON_GetArraySize(fields) == 0)
		st = db_programme_session_create(&s, who->person_id, fields,
		    &out);
	cJSON_Delete(body);
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0) {
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else {
		catalogue_changed();
		reply_json(req, 201, out);
	}
	return (KORE_RESULT_OK);
}

/* An ISO 8601 time field of `body`, or NULL (named in `fields` if wrong). */
static const char *
programme_time(const cJSON *body, const char *name, int required,
    cJSON *fields)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			cJSON_AddStringToObject(fields, name, "Enter a date and "
			    "time like 2017-05-04T09:30.");
		return (NULL);
	}
	if (!cJSON_IsString(v) || !text_is_datetime(v->valuestring)) {
		cJSON_AddStringToObject(fields, name, "Must be a date and time "
		    "like 2017-05-04T09:30 (Europe/London) or with an offset.");
		return (NULL);
	}
	return (v->valuestring);
}

/* A whole number field in [min, max], `def` when absent (0: required). */
static long
programme_count(const cJSON *body, const char *name, long def, long min,
    long max, cJSON *fields)
{
	const cJSON	*v;
	char		 msg[96];

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if ((v == NULL || cJSON_IsNull(v)) && def != 0)
		return (def);
	if (cJSON_IsNumber(v) && v->valuedouble >= min &&
	    v->valuedouble <= max && floor(v->valuedouble) == v->valuedouble)
		return ((long)v->valuedouble);
	snprintf(msg, sizeof(msg), "Must be a whole number from %ld to %ld.",
	    min, max);
	cJSON_AddStringToObject(fields, name, msg);
	return (0);
}

static int
programme_update(struct http_request *req, const struct session_who *who,
    long long id)
{
	struct session_change	 c;
	cJSON			*body, *fields, *out;
	char			 trainers[1024];
	int			 st;

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	memset(&c, 0, sizeof(c));
	fields = cJSON_CreateObject();
	if (!cJSON_IsObject(body))
		cJSON_AddStringToObject(fields, "body",
		    "Send the changes as a JSON object.");
	c.starts_at = programme_time(body, "starts_at", 0, fields);
	c.ends_at = programme_time(body, "ends_at", 0, fields);
	c.booking_opens_at = programme_time(body, "booking_opens_at", 0,
	    fields);
	c.booking_closes_at = programme_time(body, "booking_closes_at", 0,
	    fields);
	c.capacity = programme_count(body, "capacity", -1, 1, 1000, fields);
	c.cancel_cutoff_hours = programme_count(body, "cancel_cutoff_hours",
	    -1, 0, 2160, fields);
	c.venue = programme_venue(body, 0, fields);
	c.joining_details = programme_joining(body, fields);
	c.trainer_ids = programme_trainers(body, trainers, sizeof(trainers),
	    fields, &c.trainers);

	st = DB_INVALID;
	if (cJSON_GetArraySize(fields) == 0)
		st = db_booking_session_update(id, &c, who->person_id, fields);
	cJSON_Delete(body);
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0) {
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	if (st == DB_CONFLICT && cJSON_GetArraySize(fields) > 0) {
		reply_error(req, 409, "overlap", "Someone booked on this session "
		    "holds a confirmed place on another session at the new "
		    "time.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st == DB_NOTFOUND) {
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	if (st == DB_CONFLICT) {
		reply_error(req, 409, "capacity_below_confirmed", "More places "
		    "are confirmed than the new capacity: cancel bookings "
		    "first.", NULL);
		return (KORE_RESULT_OK);
	}
	out = NULL;
	if (st == DB_OK)
		st = db_programme_session(id, 1, &out);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else {
		catalogue_changed();
		reply_json(req, 200, out);
	}
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/sessions/{id}/cancel {"reason"} (coordinators)
 * 200 the session, cancelled with every booking on it, each person told;
 * 401; 403; 404; 409 cancelled already; 422 no reason given.
 */
int
h_session_cancel(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/sessions/",
		.post = ROLE_COORDINATOR
	};
	struct session_who	 who;
	const cJSON		*reason;
	cJSON			*body, *fields, *out;
	long long		 id;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	reason = cJSON_GetObjectItemCaseSensitive(body, "reason");
	if (!cJSON_IsString(reason) || reason->valuestring[0] == '\0' ||
	    text_utf8_length(reason->valuestring) > 1000) {
		cJSON_Delete(body);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "reason", "Say why the session "
		    "is cancelled (1000 characters at most): the people booked "
		    "on it are told.");
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	st = db_booking_session_cancel(id, reason->valuestring, who.person_id);
	cJSON_Delete(body);
	out = NULL;
	if (st == DB_OK)
		st = db_programme_session(id, 1, &out);
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such session.",
		    NULL);
	else if (st == DB_CONFLICT)
		reply_error(req, 409, "cancelled_already", "This session is "
		    "cancelled already.", NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else {
		catalogue_changed();
		reply_json(req, 200, out);
	}
	return (KORE_RESULT_OK);
}

/*
 * trainer_ids of `body` as a PostgreSQL bigint[] literal in `buf` (made
 * of numbers only), NULL when absent; `*count` (may be NULL) how many.
 */
static const char *
programme_trainers(const cJSON *body, char *buf, size_t size, cJSON *fields,
    int *count)
{
	const cJSON	*v, *t;
	size_t		 len;
	int		 n;

	v = cJSON_GetObjectItemCaseSensitive(body, "trainer_ids");
	if (v == NULL || cJSON_IsNull(v))
		return (NULL);
	snprintf(buf, size, "{");
	n = 0;
	if (!cJSON_IsArray(v)) {
		cJSON_AddStringToObject(fields, "trainer_ids",
		    "Must be a list of people's ids.");
		return (NULL);
	}
	cJSON_ArrayForEach(t, v) {
		len = strlen(buf);
		if (!cJSON_IsNumber(t) || t->valuedouble < 1 ||
		    t->valuedouble > 9007199254740991.0 ||
		    floor(t->valuedouble) != t->valuedouble ||
		    len > size - 24) {
			cJSON_AddStringToObject(fields, "trainer_ids",
			    "Must be a list of people's ids.");
			return (NULL);
		}
		snprintf(buf + len, size - len, "%s%lld", n > 0 ? "," : "",
		    (long long)t->valuedouble);
		n++;
	}
	len = strlen(buf);
	snprintf(buf + len, size - len, "}");
	if (count != NULL)
		*count = n;
	return (buf);
}

/*
 * The joining details of `body` (a link and any code for an online
 * session; "" or null clears them), or NULL when absent or wrong (named
 * in `fields`). Line breaks are kept; other control characters are not.
 */
static const char *
programme_joining(const cJSON *body, cJSON *fields)
{
	const cJSON		*v;
	const unsigned char	*p;

	v = cJSON_GetObjectItemCaseSensitive(body, "joining_details");
	if (v == NULL)
		return (NULL);
	if (cJSON_IsNull(v))
		return ("");
	if (!cJSON_IsString(v) || text_utf8_length(v->valuestring) > 1000)
		goto bad;
	for (p = (const unsigned char *)v->valuestring; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r') || *p == 0x7f)
			goto bad;
	return (v->valuestring);
bad:
	cJSON_AddStringToObject(fields, "joining_details",
	    "Enter how to join (a link and any code), 1000 characters at "
	    "most.");
	return (NULL);
}

/* The venue of `body`, or NULL (named in `fields` if wrong). */
static const char *
programme_venue(const cJSON *body, int required, cJSON *fields)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(body, "venue");
	if ((v == NULL || cJSON_IsNull(v)) && !required)
		return (NULL);
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0' ||
	    text_utf8_length(v->valuestring) > 200 ||
	    !text_is_clean(v->valuestring)) {
		cJSON_AddStringToObject(fields, "venue",
		    "Enter the venue (200 characters at most), or Online.");
		return (NULL);
	}
	return (v->valuestring);
}
