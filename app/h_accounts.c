/*
 * h_accounts: registration of practitioners' accounts.
 *
 * Hashing a password with Argon2id takes a moment and 64 MiB: it runs in
 * a Kore task thread, so the worker goes on serving other requests.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <string.h>

#include "account.h"
#include "db_account.h"
#include "password.h"
#include "portal.h"
#include "reply.h"

int	h_accounts(struct http_request *);

/* A registration waiting for its password hash. */
struct registration {
	struct kore_task	 task;		/* first: the task is the state */
	cJSON			*body;
	struct account_new	 account;
	char			 hash[PASSWORD_HASH_MAX];
	int			 hashed;
};

static int	accounts_hash_task(struct kore_task *);
static void	accounts_free(struct http_request *);
static void	accounts_finish(struct http_request *, struct registration *);

/*
 * POST /api/v1/accounts (anyone)
 * {"full_name","email","password","agency_id","job_title","group_level",
 *  "manager_email"}
 * 201 the new person (never the password or its hash); 400 malformed
 * JSON; 409 the e-mail address has an account; 413 body too large;
 * 422 every wrong field named; 503 database away.
 */
int
h_accounts(struct http_request *req)
{
	struct registration	*r;
	cJSON			*body, *fields;
	int			 st;

	if ((r = http_state_get(req)) != NULL) {
		if (!kore_task_finished(&r->task)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		accounts_finish(req, r);
		return (KORE_RESULT_OK);
	}

	if (!reply_method_allowed(req, REPLY_POST))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);

	r = http_state_create(req, sizeof(*r), accounts_free);
	r->body = body;
	fields = cJSON_CreateObject();
	if (account_validate(body, &portal_password_policy, &r->account,
	    fields) == 0)
		st = db_account_precheck(&r->account, fields);
	else
		st = DB_INVALID;
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0) {
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st == DB_CONFLICT) {
		reply_error(req, 409, "email_taken", "An account with this "
		    "e-mail address already exists. Sign in, or reset your "
		    "password.", NULL);
		return (KORE_RESULT_OK);
	}
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}

	kore_task_create(&r->task, accounts_hash_task);
	kore_task_bind_request(&r->task, req);
	kore_task_run(&r->task);
	return (KORE_RESULT_RETRY);
}

/* In a task thread: hash the password. Touches only the registration. */
static int
accounts_hash_task(struct kore_task *t)
{
	struct registration	*r = (struct registration *)t;

	r->hashed = password_hash(r->account.password, r->hash) == 0;
	return (KORE_RESULT_OK);
}

/* Back on the worker, the password hashed: store the account. */
static void
accounts_finish(struct http_request *req, struct registration *r)
{
	cJSON	*person;
	char	 ip[64];
	int	 st;

	if (!r->hashed) {
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "shortly.", NULL);
		return;
	}
	person = NULL;
	st = db_account_create(&r->account, r->hash,
	    reply_client_ip(req, ip, sizeof(ip)), &person);
	sodium_memzero(r->hash, sizeof(r->hash));
	if (st == DB_OK) {
		reply_json(req, 201, person);
	} else if (st == DB_CONFLICT) {
		reply_error(req, 409, "email_taken", "An account with this "
		    "e-mail address already exists. Sign in, or reset your "
		    "password.", NULL);
	} else
		reply_db_failure(req, st);
}

static void
accounts_free(struct http_request *req)
{
	struct registration	*r;

	if ((r = http_state_get(req)) == NULL)
		return;
	if (r->body != NULL) {
		/* The password lived in the body: wipe it. */
		if (r->account.password != NULL)
			sodium_memzero((void *)r->account.password,
			    strlen(r->account.password));
		cJSON_Delete(r->body);
		r->body = NULL;
	}
}
