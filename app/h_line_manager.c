/*
 * h_line_manager: a practitioner's own line manager, and the link that
 * confirms its change.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_line_manager.h"
#include "reply.h"
#include "site.h"
#include "text.h"
#include "token.h"

int	h_my_line_manager(struct http_request *);
int	h_line_manager_confirmation(struct http_request *);

static void	line_manager_put(struct http_request *,
		    const struct session_who *);

/*
 * GET /api/v1/me/line-manager (signed in): 200 {"manager_email",
 * "source" (staff_list, self or null), "pending" (a change waiting to be
 * confirmed: {"manager_email","expires_at"}, or null)}.
 * PUT /api/v1/me/line-manager {"manager_email"}: the change waits for the
 * link mailed to one's own address: 202 {"status":"pending"}; 200
 * {"status":"unchanged"} for the address one has; 409 staff_list when a
 * staff list names one's manager; 422 not an address, or one's own.
 * 401; 403 without the CSRF token.
 */
int
h_my_line_manager(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ACCESS_SIGNED_IN,
		.put = ACCESS_SIGNED_IN
	};
	struct session_who	 who;
	cJSON			*out;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_PUT) {
		line_manager_put(req, &who);
		return (KORE_RESULT_OK);
	}
	out = NULL;
	if ((st = db_line_manager_get(who.person_id, &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/* PUT: ask for the change; the link goes to one's own address. */
static void
line_manager_put(struct http_request *req, const struct session_who *who)
{
	const cJSON	*v;
	cJSON		*body, *fields, *out;
	char		 token[TOKEN_LEN], hash[TOKEN_HASH_LEN], link[512];
	char		 email[256];
	enum line_manager_result	 result;
	int		 st;

	if (!reply_read_json(req, &body))
		return;
	v = cJSON_GetObjectItemCaseSensitive(body, "manager_email");
	if (!cJSON_IsString(v) || strlen(v->valuestring) > 254 ||
	    !text_is_email(v->valuestring)) {
		cJSON_Delete(body);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "manager_email",
		    "Enter your line manager's e-mail address.");
		reply_invalid(req, fields);
		return;
	}
	snprintf(email, sizeof(email), "%s", v->valuestring);
	cJSON_Delete(body);
	token_new(token);
	token_hash(token, hash);
	snprintf(link, sizeof(link), "%s/confirm-manager#token=%s",
	    site_public_url(), token);
	sodium_memzero(token, sizeof(token));
	st = db_line_manager_request(who->person_id, email, hash, link,
	    &result);
	sodium_memzero(link, sizeof(link));
	switch (result) {
	case LINE_MANAGER_PENDING:
	case LINE_MANAGER_UNCHANGED:
		out = cJSON_CreateObject();
		cJSON_AddStringToObject(out, "status",
		    result == LINE_MANAGER_PENDING ? "pending" : "unchanged");
		reply_json(req, result == LINE_MANAGER_PENDING ? 202 : 200,
		    out);
		return;
	case LINE_MANAGER_STAFF_LIST:
		reply_error(req, 409, "staff_list", "Your setting's staff list "
		    "names your line manager. Ask your setting lead to change "
		    "it there.", NULL);
		return;
	case LINE_MANAGER_OWN_ADDRESS:
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "manager_email",
		    "Enter your line manager's e-mail address, not your own.");
		reply_invalid(req, fields);
		return;
	default:
		reply_db_failure(req, st == DB_OK ? DB_ERR : st);
		return;
	}
}

/*
 * POST /api/v1/line-manager-confirmations {"token"} (anyone with the
 * link mailed to the practitioner): the change takes effect. 200
 * {"manager_email","source"}; 404 unknown link; 409 staff_list (a staff
 * list names the manager now); 410 used or expired.
 */
int
h_line_manager_confirmation(struct http_request *req)
{
	static const struct preamble	pre = { .post = ACCESS_ANYONE };
	const cJSON	*token;
	cJSON		*body, *out;
	char		 hash[TOKEN_HASH_LEN];
	enum line_manager_result	 result;
	int		 st, ok;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	token = cJSON_GetObjectItemCaseSensitive(body, "token");
	ok = cJSON_IsString(token) && token_hash(token->valuestring, hash) == 0;
	cJSON_Delete(body);
	out = NULL;
	result = LINE_MANAGER_NOT_FOUND;
	st = ok ? db_line_manager_confirm(hash, &out, &result) : DB_OK;
	switch (result) {
	case LINE_MANAGER_DONE:
		reply_json(req, 200, out);
		break;
	case LINE_MANAGER_NOT_FOUND:
		reply_error(req, 404, "not_found", "This link does not work. "
		    "Sign in and name your line manager again.", NULL);
		break;
	case LINE_MANAGER_GONE:
		reply_error(req, 410, "gone", "This link was used already or "
		    "has expired. Sign in and name your line manager again.",
		    NULL);
		break;
	case LINE_MANAGER_STAFF_LIST:
		reply_error(req, 409, "staff_list", "Your setting's staff list "
		    "names your line manager now, so it stays as the list "
		    "says.", NULL);
		break;
	default:
		reply_db_failure(req, st == DB_OK ? DB_ERR : st);
		break;
	}
	return (KORE_RESULT_OK);
}
