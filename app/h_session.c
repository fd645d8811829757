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

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "password.h"
#include "portal.h"
#include "reply.h"
#include "text.h"
#include "token.h"

int	h_session(struct http_request *);
int	h_me(struct http_request *);

/* A sign-in waiting for its password check. */
struct signin {
	struct kore_task	 task;		/* first: the task is the state */
	cJSON			*body;
	char			 email[255];
	const char		*password;
	long long		 person;	/* 0: no such account */
	char			 hash[PASSWORD_HASH_MAX];
	int			 match;
};

static int	session_login(struct http_request *);
static int	session_logout(struct http_request *);
static int	session_verify_task(struct kore_task *);
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
		if (!kore_task_finished(&s->task)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
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

static int
session_login(struct http_request *req)
{
	struct signin	*s;
	cJSON		*body, *fields;
	const cJSON	*email, *password;
	char		 ip[64], wait[16];
	size_t		 i;
	int		 st, secs;

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	s = http_state_create(req, sizeof(*s), session_free);
	s->body = body;

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
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	for (i = 0; email->valuestring[i] != '\0'; i++)
		s->email[i] = (char)tolower((unsigned char)
		    email->valuestring[i]);
	s->password = password->valuestring;

	reply_client_ip(req, ip, sizeof(ip));
	if ((st = db_session_throttled(s->email, ip, &secs)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (secs > 0) {
		snprintf(wait, sizeof(wait), "%d", secs);
		http_response_header(req, "retry-after", wait);
		reply_error(req, 429, "too_many_attempts", "Too many attempts "
		    "to sign in. Wait a while, then try again.", NULL);
		return (KORE_RESULT_OK);
	}

	st = db_session_credentials(s->email, &s->person, s->hash,
	    sizeof(s->hash));
	if (st == DB_NOTFOUND) {
		s->person = 0;
		snprintf(s->hash, sizeof(s->hash), "%s", portal_dummy_hash);
	} else if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}

	kore_task_create(&s->task, session_verify_task);
	kore_task_bind_request(&s->task, req);
	kore_task_run(&s->task);
	return (KORE_RESULT_RETRY);
}

/* In a task thread: check the password. Touches only the sign-in. */
static int
session_verify_task(struct kore_task *t)
{
	struct signin	*s = (struct signin *)t;

	s->match = password_verify(s->hash, s->password);
	return (KORE_RESULT_OK);
}

static void
session_finish(struct http_request *req, struct signin *s)
{
	cJSON	*account, *out;
	char	 token[TOKEN_LEN], hash[TOKEN_HASH_LEN], csrf[TOKEN_LEN];
	char	 ip[64];
	int	 st;

	reply_client_ip(req, ip, sizeof(ip));
	if (!s->match || s->person == 0) {
		if ((st = db_session_failed(s->email, ip, s->person)) != DB_OK) {
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
	st = db_session_create(s->person, hash, csrf, ip, &account);
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

	if ((s = http_state_get(req)) == NULL)
		return;
	sodium_memzero(s->hash, sizeof(s->hash));
	if (s->body != NULL) {
		if (s->password != NULL)
			sodium_memzero((void *)s->password,
			    strlen(s->password));
		cJSON_Delete(s->body);
		s->body = NULL;
	}
}
