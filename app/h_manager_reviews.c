/*
 * h_manager_reviews: the line manager's page posts the token it read
 * from the URL's fragment (never sent to the server as part of a URL, so
 * no log keeps it); no account.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "auth.h"
#include "db_manager_review.h"
#include "reply.h"
#include "text.h"
#include "token.h"

int	h_manager_review_lookup(struct http_request *);
int	h_manager_reviews(struct http_request *);

static int	review_token(struct http_request *, const cJSON *,
		    char [TOKEN_HASH_LEN]);
static void	review_reply(struct http_request *, int, int);

/*
 * POST /api/v1/manager-reviews/lookup {"token"} (anyone with the link)
 * 200 {"full_name","course_title","starts_at"}; 404 unknown; 410 used or
 * expired; 422 no token.
 */
int
h_manager_review_lookup(struct http_request *req)
{
	static const struct preamble	pre = { .post = ACCESS_ANYONE };
	cJSON	*body, *out;
	char	 hash[TOKEN_HASH_LEN];
	enum review_result	 result;
	int	 st;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	if (!review_token(req, body, hash)) {
		cJSON_Delete(body);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(body);
	st = db_manager_review_lookup(hash, &out, &result);
	if (result == REVIEW_DONE)
		reply_json(req, 200, out);
	else
		review_reply(req, st, result);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/manager-reviews {"token","changed_practice":"yes"|"no"|
 * "not_sure","evidence"} (anyone with the link) 201 {"status":"done"};
 * 404 unknown link; 410 used or expired; 422 wrong fields (each named).
 */
int
h_manager_reviews(struct http_request *req)
{
	static const struct preamble	pre = { .post = ACCESS_ANYONE };
	const cJSON	*changed, *evidence;
	cJSON		*body, *fields, *out;
	char		 hash[TOKEN_HASH_LEN];
	const char	*c, *e;
	enum review_result	 result;
	int		 st;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	if (!review_token(req, body, hash)) {
		cJSON_Delete(body);
		return (KORE_RESULT_OK);
	}
	fields = cJSON_CreateObject();
	changed = cJSON_GetObjectItemCaseSensitive(body, "changed_practice");
	evidence = cJSON_GetObjectItemCaseSensitive(body, "evidence");
	c = cJSON_IsString(changed) ? changed->valuestring : NULL;
	if (c == NULL || (strcmp(c, "yes") && strcmp(c, "no") &&
	    strcmp(c, "not_sure")))
		cJSON_AddStringToObject(fields, "changed_practice",
		    "Choose yes, no or not sure.");
	e = NULL;
	if (cJSON_IsString(evidence) && evidence->valuestring[0] != '\0') {
		e = evidence->valuestring;
		if (text_utf8_length(e) == (size_t)-1 ||
		    text_utf8_length(e) > 4000)
			cJSON_AddStringToObject(fields, "evidence",
			    "Must be text of at most 4000 characters.");
	} else if (evidence != NULL && !cJSON_IsNull(evidence) &&
	    !cJSON_IsString(evidence))
		cJSON_AddStringToObject(fields, "evidence", "Must be text.");
	if (cJSON_GetArraySize(fields) > 0) {
		cJSON_Delete(body);
		reply_error(req, 422, "invalid", "Some answers are not valid.",
		    fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	st = db_manager_review_answer(hash, c, e, &result);
	cJSON_Delete(body);
	if (result == REVIEW_DONE) {
		out = cJSON_CreateObject();
		cJSON_AddStringToObject(out, "status", "done");
		reply_json(req, 201, out);
	} else
		review_reply(req, st, result);
	return (KORE_RESULT_OK);
}

/* The hash of the body's token; 0 when answered (404 or 422). */
static int
review_token(struct http_request *req, const cJSON *body,
    char hash[TOKEN_HASH_LEN])
{
	const cJSON	*t = cJSON_GetObjectItemCaseSensitive(body, "token");
	cJSON		*fields;

	if (!cJSON_IsString(t) || t->valuestring[0] == '\0') {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "token", "The link's token is "
		    "missing: open the link from the e-mail again.");
		reply_invalid(req, fields);
		return (0);
	}
	if (token_hash(t->valuestring, hash) == -1) {
		review_reply(req, DB_OK, REVIEW_UNKNOWN);
		return (0);
	}
	return (1);
}

static void
review_reply(struct http_request *req, int st, int result)
{
	if (result == REVIEW_UNKNOWN)
		reply_error(req, 404, "not_found", "This link is not known: "
		    "check that the whole link from the e-mail was opened.",
		    NULL);
	else if (result == REVIEW_GONE)
		reply_error(req, 410, "gone", "This link has been used, or "
		    "its 30 days have passed.", NULL);
	else
		reply_db_failure(req, st);
}
