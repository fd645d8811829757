/*
 * h_session: signing in and out, and who is signed in.
 *
 * Checking a password costs what hashing it costs (Argon2id, 64 MiB): it
 * runs in a Kore task thread. An unknown e-mail address is checked
 * against a dummy hash, so that the answer takes as long and says the
 * same as for a wrong password.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "password.h"
#include "portal.h"
#include "pwtask.h"
#include "reply.h"
#include "text.h"
#include "token.h"

int	h_session(struct http_request *);
int	h_me(struct http_request *);

/* A sign-in waiting for its password check. */
struct signin {
	struct pwtask		 pw;		/* the check, on its own copies */
	char			 email[255];	/* as typed */
	long long		 person;	/* 0: no such account */
	long long		 attempt;	/* the reserved login_attempts row */
};

static int	session_login(struct http_request *);
static int	session_logout(struct http_request *);
static void	session_finish(struct http_request *, struct signin *);
static void	session_free(struct http_request *);

static const char session_wrong[] =
    "Enter a correct e-mail address and password.";

/*
 * POST /api/v1/session {"email","password"}
 *   200 {"csrf_token","account":{...}} and the session cookie; 401 wrong
 *   e-mail or password (one message for both); 422 missing fields;
 *   429 throttled, with Retry-After.
 * DELETE /api/v1/session (session + CSRF)
 *   204 and the session is dead; 401 no session; 403 CSRF.
 */
int
h_session(struct http_request *req)
{
	struct signin	*s;

	if ((s = http_state_get(req)) != NULL) {
		if (!pwtask_wait(req, &s->pw))
			return (KORE_RESULT_RETRY);
		session_finish(req, s);
		return (KORE_RESULT_OK);
	}
	if (!reply_method_allowed(req, REPLY_POST | REPLY_DELETE))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_DELETE)
		return (session_logout(req));
	return (session_login(req));
}

/*
 * GET /api/v1/me
 * 200 {"person_id","full_name","email","agency_id","roles",...} and the
 * session's "csrf_token"; 401 not signed in.
 */
int
h_me(struct http_request *req)
{
	struct session_who	 who;
	cJSON			*account;
	int			 st;

	if (!reply_method_allowed(req, REPLY_GET))
		return (KORE_RESULT_OK);
	if (!auth_require(req, 0, &who))
		return (KORE_RESULT_OK);
	account = NULL;
	if ((st = db_session_account(who.person_id, &account)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	cJSON_AddStringToObject(account, "csrf_token", who.csrf);
	reply_json(req, 200, account);
	return (KORE_RESULT_OK);
}

/*
 * The attempt is counted (a failure until it succeeds) in the database,
 * atomically, before any hashing: a burst of guesses for one account
 * gets no further than the throttle allows.
 */
static int
session_login(struct http_request *req)
{
	struct signin	*s;
	cJSON		*body, *fields;
	const cJSON	*email, *password;
	char		 ip[64], hash[PASSWORD_HASH_MAX];
	int		 st, secs, started;

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	s = http_state_create(req, sizeof(*s), session_free);

	fields = cJSON_CreateObject();
	email = cJSON_GetObjectItemCaseSensitive(body, "email");
	password = cJSON_GetObjectItemCaseSensitive(body, "password");
	if (!cJSON_IsString(email) || email->valuestring[0] == '\0')
		cJSON_AddStringToObject(fields, "email",
		    "Enter your e-mail address.");
	else if (strlen(email->valuestring) >= sizeof(s->email) ||
	    !text_is_clean(email->valuestring))
		cJSON_AddStringToObject(fields, "email", session_wrong);
	if (!cJSON_IsString(password) || password->valuestring[0] == '\0')
		cJSON_AddStringToObject(fields, "password",
		    "Enter your password.");
	if (cJSON_GetArraySize(fields) > 0) {
		cJSON_Delete(body);
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	snprintf(s->email, sizeof(s->email), "%s", email->valuestring);

	reply_client_ip(req, ip, sizeof(ip));
	st = db_session_reserve(s->email, ip, &secs, &s->attempt);
	if (st == DB_OK && secs > 0) {
		cJSON_Delete(body);
		reply_throttled(req, secs, "too_many_attempts", "Too many "
		    "attempts to sign in. Wait a while, then try again.");
		return (KORE_RESULT_OK);
	}
	if (st == DB_OK)
		st = db_session_credentials(s->email, &s->person, hash,
		    sizeof(hash));
	if (st == DB_NOTFOUND) {
		s->person = 0;
		snprintf(hash, sizeof(hash), "%s", portal_dummy_hash);
	} else if (st != DB_OK) {
		cJSON_Delete(body);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}

	started = pwtask_start(req, &s->pw, password->valuestring, hash);
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(password->valuestring, strlen(password->valuestring));
	cJSON_Delete(body);
	return (started ? KORE_RESULT_RETRY : KORE_RESULT_OK);
}

static void
session_finish(struct http_request *req, struct signin *s)
{
	cJSON	*account, *out;
	char	 token[TOKEN_LEN], hash[TOKEN_HASH_LEN], csrf[TOKEN_LEN];
	char	 ip[64];
	int	 st;

	reply_client_ip(req, ip, sizeof(ip));
	if (!s->pw.ok || s->person == 0) {
		if ((st = db_session_failed(ip, s->person)) != DB_OK) {
			reply_db_failure(req, st);
			return;
		}
		reply_error(req, 401, "wrong_credentials", session_wrong, NULL);
		return;
	}

	token_new(token);
	token_new(csrf);
	token_hash(token, hash);
	account = NULL;
	st = db_session_create(s->person, s->attempt, hash, csrf, ip,
	    &account);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return;
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "csrf_token", csrf);
	cJSON_AddItemToObject(out, "account", account);
	auth_set_cookie(req, token);
	sodium_memzero(token, sizeof(token));
	reply_json(req, 200, out);
}

static int
session_logout(struct http_request *req)
{
	struct session_who	who;
	char			ip[64];
	int			st;

	if (!auth_require(req, 0, &who))
		return (KORE_RESULT_OK);
	st = db_session_delete(&who, reply_client_ip(req, ip, sizeof(ip)));
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	auth_clear_cookie(req);
	reply_bytes(req, 204, "application/json", NULL, 0);
	return (KORE_RESULT_OK);
}

static void
session_free(struct http_request *req)
{
	struct signin	*s;

	if ((s = http_state_get(req)) != NULL)
		pwtask_release(&s->pw);
}
