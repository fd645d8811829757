/*
 * h_password_reset: forgotten passwords. The answer to a request never
 * says whether an account exists; the link is single-use, lives one
 * hour, and setting a password through it ends every session.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_account.h"
#include "password.h"
#include "password_policy.h"
#include "portal.h"
#include "reply.h"
#include "text.h"
#include "token.h"

int	h_password_reset(struct http_request *);
int	h_password_reset_token(struct http_request *);

/* A new password waiting for its hash. */
struct reset {
	struct kore_task	 task;		/* first: the task is the state */
	cJSON			*body;
	const char		*password;
	char			 token_hash[TOKEN_HASH_LEN];
	char			 hash[PASSWORD_HASH_MAX];
	int			 hashed;
};

static int	reset_hash_task(struct kore_task *);
static void	reset_finish(struct http_request *, struct reset *);
static void	reset_free(struct http_request *);

/*
 * POST /api/v1/password-reset {"email"}
 * 202 always (no account enumeration); 400 malformed JSON; 422 no
 * e-mail address given.
 */
int
h_password_reset(struct http_request *req)
{
	cJSON		*body, *fields;
	const cJSON	*email;
	const char	*base;
	char		 lower[255], token[TOKEN_LEN], hash[TOKEN_HASH_LEN];
	char		 link[512], ip[64];
	size_t		 i;
	int		 st;

	if (!reply_method_allowed(req, REPLY_POST))
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
	for (i = 0; email->valuestring[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)email->valuestring[i]);
	lower[i] = '\0';
	cJSON_Delete(body);

	if ((base = getenv("PORTAL_PUBLIC_URL")) == NULL || *base == '\0')
		base = "http://127.0.0.1:8888";
	token_new(token);
	token_hash(token, hash);
	snprintf(link, sizeof(link), "%s/reset-password?token=%s", base,
	    token);
	sodium_memzero(token, sizeof(token));
	st = db_account_reset_request(lower, hash, link,
	    reply_client_ip(req, ip, sizeof(ip)));
	sodium_memzero(link, sizeof(link));
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 202, cJSON_CreateObject());
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/password-reset/{token} {"password"}
 * 204 the password is set and every session of the person ended;
 * 404 the link is unknown, spent or expired; 422 the password breaks
 * the rules.
 */
int
h_password_reset_token(struct http_request *req)
{
	struct reset	*r;
	const cJSON	*pw;
	cJSON		*body, *fields;
	const char	*why;

	if ((r = http_state_get(req)) != NULL) {
		if (!kore_task_finished(&r->task)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		reset_finish(req, r);
		return (KORE_RESULT_OK);
	}
	if (!reply_method_allowed(req, REPLY_POST))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	r = http_state_create(req, sizeof(*r), reset_free);
	r->body = body;
	if (token_hash(req->path + strlen("/api/v1/password-reset/"),
	    r->token_hash) == -1) {
		reply_error(req, 404, "not_found", "This link has expired or "
		    "was used already. Ask for a new one.", NULL);
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
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	r->password = pw->valuestring;
	kore_task_create(&r->task, reset_hash_task);
	kore_task_bind_request(&r->task, req);
	kore_task_run(&r->task);
	return (KORE_RESULT_RETRY);
}

static int
reset_hash_task(struct kore_task *t)
{
	struct reset	*r = (struct reset *)t;

	r->hashed = password_hash(r->password, r->hash) == 0;
	return (KORE_RESULT_OK);
}

static void
reset_finish(struct http_request *req, struct reset *r)
{
	char	ip[64];
	int	st;

	if (!r->hashed) {
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "shortly.", NULL);
		return;
	}
	st = db_account_reset_use(r->token_hash, r->hash,
	    reply_client_ip(req, ip, sizeof(ip)));
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "This link has expired or "
		    "was used already. Ask for a new one.", NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_bytes(req, 204, "application/json", NULL, 0);
}

static void
reset_free(struct http_request *req)
{
	struct reset	*r;

	if ((r = http_state_get(req)) == NULL)
		return;
	sodium_memzero(r->hash, sizeof(r->hash));
	if (r->body != NULL) {
		if (r->password != NULL)
			sodium_memzero((void *)r->password,
			    strlen(r->password));
		cJSON_Delete(r->body);
		r->body = NULL;
	}
}
