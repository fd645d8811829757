/*
 * h_password_reset: forgotten passwords. The answer to a request never
 * says whether an account exists; the link is single-use, lives one
 * hour, and setting a password through it ends every session. The token
 * travels in the link's fragment (never sent to a server, so in no log)
 * and then in a JSON body; the database keeps only its hash, and the
 * mail's copy is removed once the mail is sent (app/mail.c).
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db_account.h"
#include "password.h"
#include "password_policy.h"
#include "portal.h"
#include "pwtask.h"
#include "reply.h"
#include "text.h"
#include "token.h"
#include "site.h"

int	h_password_reset(struct http_request *);
int	h_password_reset_confirm(struct http_request *);

/* A new password waiting for its hash. */
struct reset {
	struct pwtask		 pw;		/* the hash, on its own copy */
	char			 token_hash[TOKEN_HASH_LEN];
};

static void	reset_finish(struct http_request *, struct reset *);
static void	reset_free(struct http_request *);

static const char reset_dead[] =
    "This link has expired or was used already. Ask for a new one.";

/*
 * POST /api/v1/password-reset {"email"}
 * 202 always (no account enumeration); 400 malformed JSON; 422 no
 * e-mail address given; 429 too many requests for the address or from
 * the client, with Retry-After.
 */
int
h_password_reset(struct http_request *req)
{
	static const struct preamble	pre = { .post = ACCESS_ANYONE };
	cJSON		*body, *fields;
	const cJSON	*email;
	char		 token[TOKEN_LEN], hash[TOKEN_HASH_LEN];
	char		 link[512], ip[64];
	int		 st, secs;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	email = cJSON_GetObjectItemCaseSensitive(body, "email");
	if (!cJSON_IsString(email) || !text_is_email(email->valuestring)) {
		cJSON_Delete(body);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "email", "Enter an e-mail "
		    "address in the right format, like name@example.org.");
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}

	reply_client_ip(req, ip, sizeof(ip));
	st = db_account_request("reset", email->valuestring, ip,
	    portal_requests_per_client, &secs);
	if (st == DB_OK && secs > 0) {
		cJSON_Delete(body);
		reply_throttled(req, secs, "too_many_requests", "Too many "
		    "password resets were asked for from here or for this "
		    "address. Wait a while, then try again.");
		return (KORE_RESULT_OK);
	}
	if (st == DB_OK) {
		token_new(token);
		token_hash(token, hash);
		snprintf(link, sizeof(link), "%s/reset-password#token=%s",
		    site_public_url(), token);
		sodium_memzero(token, sizeof(token));
		st = db_account_reset_request(email->valuestring, hash, link,
		    ip);
		sodium_memzero(link, sizeof(link));
	}
	cJSON_Delete(body);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 202, cJSON_CreateObject());
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/password-reset/confirm {"token","password"}
 * The link is looked up before any hashing.
 * 204 the password is set, the address counts as proved, and every
 * session of the person ended; 404 the link is unknown, spent or
 * expired, or the account disabled; 422 the password breaks the rules;
 * 503 busy, with Retry-After.
 */
int
h_password_reset_confirm(struct http_request *req)
{
	static const struct preamble	pre = { .post = ACCESS_ANYONE };
	struct reset	*r;
	const cJSON	*pw, *token;
	cJSON		*body, *fields;
	const char	*why;
	int		 st, started;

	if ((r = http_state_get(req)) != NULL) {
		if (!pwtask_wait(req, &r->pw))
			return (KORE_RESULT_RETRY);
		reset_finish(req, r);
		return (KORE_RESULT_OK);
	}
	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	r = http_state_create(req, sizeof(*r), reset_free);
	token = cJSON_GetObjectItemCaseSensitive(body, "token");
	st = DB_NOTFOUND;
	if (cJSON_IsString(token) &&
	    token_hash(token->valuestring, r->token_hash) == 0)
		st = db_account_reset_check(r->token_hash);
	if (st != DB_OK) {
		cJSON_Delete(body);
		if (st == DB_NOTFOUND)
			reply_error(req, 404, "not_found", reset_dead, NULL);
		else
			reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	pw = cJSON_GetObjectItemCaseSensitive(body, "password");
	fields = cJSON_CreateObject();
	if (!cJSON_IsString(pw))
		cJSON_AddStringToObject(fields, "password",
		    "Enter a new password.");
	else if ((why = password_policy_check(&portal_password_policy,
	    pw->valuestring)) != NULL)
		cJSON_AddStringToObject(fields, "password", why);
	if (cJSON_GetArraySize(fields) > 0) {
		cJSON_Delete(body);
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	started = pwtask_start(req, &r->pw, pw->valuestring, NULL);
	sodium_memzero(pw->valuestring, strlen(pw->valuestring));
	cJSON_Delete(body);
	return (started ? KORE_RESULT_RETRY : KORE_RESULT_OK);
}

static void
reset_finish(struct http_request *req, struct reset *r)
{
	char	ip[64];
	int	st;

	if (!r->pw.ok) {
		http_response_header(req, "retry-after", "5");
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "shortly.", NULL);
		return;
	}
	st = db_account_reset_use(r->token_hash, r->pw.hash,
	    reply_client_ip(req, ip, sizeof(ip)));
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", reset_dead, NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_bytes(req, 204, "application/json", NULL, 0);
}

static void
reset_free(struct http_request *req)
{
	struct reset	*r;

	if ((r = http_state_get(req)) != NULL)
		pwtask_release(&r->pw);
}
