/*
 * h_session: signing in and out, and who is signed in.
 *
 * Checking a password costs what hashing it costs (Argon2id, 64 MiB): it
 * runs in a Kore task thread. An unknown e-mail address is checked
 * against a dummy hash, so that the answer takes as long and says the
 * same as for a wrong password.
 *
 * A sign-in goes through three steps, asleep between them: the delay of
 * a slowed address (throttle_delay_ms(), a Kore timer), its turn at the
 * gate (at most THROTTLE_ADDRESS_CHECKS checks of one address at once
 * in this worker, the others waiting in arrival order, for at most
 * THROTTLE_QUEUE_SECONDS), and the check in its task. The delay comes
 * before the check and is the same for right and wrong passwords, so
 * that a client that hangs up early learns nothing from it.
 *
 * The delays and waits are kept by one timer a worker, ticking every
 * SESSION_TICK_MS while a sign-in waits: Kore's event loop sleeps until
 * its next timer when there is one, so a timer a minute away would hold
 * up every request ready meanwhile.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <sys/queue.h>

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "password.h"
#include "portal.h"
#include "pwtask.h"
#include "reply.h"
#include "text.h"
#include "throttle.h"
#include "token.h"

int	h_session(struct http_request *);
int	h_me(struct http_request *);

/* How often waiting sign-ins are looked at (Kore polls as often). */
#define SESSION_TICK_MS		100

/* Where a sign-in is. */
enum signin_step {
	SIGNIN_DELAY,		/* waiting out its address's delay */
	SIGNIN_GATE,		/* waiting for its turn */
	SIGNIN_CHECK		/* its password being checked */
};

/* A sign-in on its way to its password check. */
struct signin {
	struct pwtask		 pw;		/* the check, on its own copies */
	struct throttle_waiter	 gate;		/* its place at the gate */
	TAILQ_ENTRY(signin)	 timed;		/* in session_timed */
	struct http_request	*req;
	u_int64_t		 deadline;	/* of its delay or wait */
	int			 timing;	/* in session_timed */
	enum signin_step	 step;
	int			 timed_out;	/* its deadline passed */
	char			 email[255];	/* as typed */
	char			 ip[64];	/* the client address */
	char			 password[PWTASK_PASSWORD_MAX];
	long long		 person;	/* 0: no such account */
	long long		 attempt;	/* the reserved login_attempts row */
};

static int	session_login(struct http_request *);
static int	session_resume(struct http_request *, struct signin *);
static int	session_queue(struct http_request *, struct signin *);
static int	session_check(struct http_request *, struct signin *);
static int	session_sleep(struct http_request *, struct signin *,
		    u_int64_t);
static void	session_untime(struct signin *);
static void	session_tick(void *, u_int64_t);
static void	session_wake(void *);
static int	session_logout(struct http_request *,
		    const struct session_who *);
static void	session_finish(struct http_request *, struct signin *);
static void	session_free(struct http_request *);

/* This worker's sign-ins with a deadline, and its ticking timer. */
static TAILQ_HEAD(, signin)	 session_timed =
				    TAILQ_HEAD_INITIALIZER(session_timed);
static struct kore_timer	*session_ticker;

/* This worker's gate (the event loop is one thread). */
static struct throttle_gate	session_gate = {
	LIST_HEAD_INITIALIZER(session_gate.addresses),
	THROTTLE_ADDRESS_CHECKS, 0
};

static const char session_wrong[] =
    "Enter a correct e-mail address and password.";

/*
 * POST /api/v1/session {"email","password"}
 *   200 {"csrf_token","account":{...}} and the session cookie; 401 wrong
 *   e-mail or password (one message for both); 422 missing fields;
 *   429 throttled, with Retry-After; 503 busy, with Retry-After (no turn
 *   at the gate within THROTTLE_QUEUE_SECONDS, or every password task of
 *   the worker taken).
 * DELETE /api/v1/session (session + CSRF)
 *   204 and the session is dead; 401 no session; 403 CSRF.
 */
int
h_session(struct http_request *req)
{
	static const struct preamble	pre = {
		.post = ACCESS_ANYONE, .delete = ACCESS_SIGNED_IN
	};
	struct session_who		who;
	struct signin	*s;

	/* A sign-in comes back here while its password is checked. */
	if ((s = http_state_get(req)) != NULL)
		return (session_resume(req, s));
	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_DELETE)
		return (session_logout(req, &who));
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
	static const struct preamble	pre = { .get = ACCESS_SIGNED_IN };
	struct session_who	 who;
	cJSON			*account;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
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
	long		 failures, delay;
	int		 st, secs;

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
	else if (strlen(password->valuestring) >= sizeof(s->password))
		cJSON_AddStringToObject(fields, "password",
		    "Must be 128 characters or fewer.");
	if (cJSON_GetArraySize(fields) > 0) {
		cJSON_Delete(body);
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	snprintf(s->email, sizeof(s->email), "%s", email->valuestring);
	memcpy(s->password, password->valuestring,
	    strlen(password->valuestring) + 1);
	sodium_memzero(password->valuestring, strlen(password->valuestring));
	cJSON_Delete(body);

	reply_client_ip(req, s->ip, sizeof(s->ip));
	failures = 0;
	st = db_session_reserve(s->email, s->ip, &secs, &s->attempt,
	    &failures);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (secs > 0) {
		reply_throttled(req, secs, "too_many_attempts", "Too many "
		    "attempts to sign in. Wait a while, then try again.");
		return (KORE_RESULT_OK);
	}
	s->step = SIGNIN_DELAY;
	if ((delay = throttle_delay_ms(failures)) > 0)
		return (session_sleep(req, s, (u_int64_t)delay));
	return (session_queue(req, s));
}

/* A sign-in woken: by its timer, its turn at the gate or its task. */
static int
session_resume(struct http_request *req, struct signin *s)
{
	switch (s->step) {
	case SIGNIN_DELAY:
		if (!s->timed_out) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		return (session_queue(req, s));
	case SIGNIN_GATE:
		if (s->gate.holds) {
			session_untime(s);
			return (session_check(req, s));
		}
		if (!s->timed_out) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		throttle_gate_leave(&session_gate, &s->gate);
		http_response_header(req, "retry-after", "5");
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "in a few seconds.", NULL);
		return (KORE_RESULT_OK);
	case SIGNIN_CHECK:
		if (!pwtask_wait(req, &s->pw))
			return (KORE_RESULT_RETRY);
		throttle_gate_leave(&session_gate, &s->gate);
		session_finish(req, s);
		return (KORE_RESULT_OK);
	}
	return (KORE_RESULT_ERROR);
}

/* Take a place at the gate, or wait for one. */
static int
session_queue(struct http_request *req, struct signin *s)
{
	s->step = SIGNIN_GATE;
	s->timed_out = 0;
	switch (throttle_gate_enter(&session_gate, s->ip, &s->gate,
	    session_wake, req)) {
	case 1:
		return (session_check(req, s));
	case 0:
		return (session_sleep(req, s,
		    (u_int64_t)THROTTLE_QUEUE_SECONDS * 1000));
	default:
		http_response_header(req, "retry-after", "5");
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "in a few seconds.", NULL);
		return (KORE_RESULT_OK);
	}
}

/*
 * With a place at the gate: the account's hash (or the dummy one) and
 * the check in a task. Gives the place back when no task was started.
 */
static int
session_check(struct http_request *req, struct signin *s)
{
	char	hash[PASSWORD_HASH_MAX];
	int	st, started;

	s->step = SIGNIN_CHECK;
	st = db_session_credentials(s->email, &s->person, hash, sizeof(hash));
	if (st == DB_NOTFOUND) {
		s->person = 0;
		snprintf(hash, sizeof(hash), "%s", portal_dummy_hash);
	} else if (st != DB_OK) {
		throttle_gate_leave(&session_gate, &s->gate);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	started = pwtask_start(req, &s->pw, s->password, hash);
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(s->password, sizeof(s->password));
	if (!started) {
		throttle_gate_leave(&session_gate, &s->gate);
		return (KORE_RESULT_OK);
	}
	return (KORE_RESULT_RETRY);
}

/* Sleep until woken, or for `ms` at most (then timed_out is set). */
static int
session_sleep(struct http_request *req, struct signin *s, u_int64_t ms)
{
	session_untime(s);
	s->req = req;
	s->timed_out = 0;
	s->deadline = kore_time_ms() + ms;
	s->timing = 1;
	TAILQ_INSERT_TAIL(&session_timed, s, timed);
	if (session_ticker == NULL)
		session_ticker = kore_timer_add(session_tick, SESSION_TICK_MS,
		    NULL, KORE_TIMER_ONESHOT);
	http_request_sleep(req);
	return (KORE_RESULT_RETRY);
}

/* Take `s` off the list of sign-ins with a deadline. */
static void
session_untime(struct signin *s)
{
	if (s->timing) {
		TAILQ_REMOVE(&session_timed, s, timed);
		s->timing = 0;
	}
}

/*
 * The tick (a one-shot timer, freed by Kore after this): wake the
 * sign-ins whose deadline passed, and tick again while any wait.
 */
static void
session_tick(void *arg, u_int64_t now)
{
	struct signin	*s, *next;

	(void)arg;
	session_ticker = NULL;
	for (s = TAILQ_FIRST(&session_timed); s != NULL; s = next) {
		next = TAILQ_NEXT(s, timed);
		if (s->deadline > now)
			continue;
		session_untime(s);
		s->timed_out = 1;
		http_request_wakeup(s->req);
	}
	if (!TAILQ_EMPTY(&session_timed))
		session_ticker = kore_timer_add(session_tick, SESSION_TICK_MS,
		    NULL, KORE_TIMER_ONESHOT);
}

/* The gate passed a place to a waiting sign-in. */
static void
session_wake(void *arg)
{
	http_request_wakeup(arg);
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
		if ((st = db_session_failed(ip, s->person, s->attempt)) !=
		    DB_OK) {
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
session_logout(struct http_request *req, const struct session_who *who)
{
	char			ip[64];
	int			st;

	st = db_session_delete(who, reply_client_ip(req, ip, sizeof(ip)));
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	auth_clear_cookie(req);
	reply_bytes(req, 204, "application/json", NULL, 0);
	return (KORE_RESULT_OK);
}

/*
 * Kore may call this more than once, the first time while the check's
 * task still runs: its place at the gate is given back only once the
 * task has finished, so that clients hanging up mid-check cannot run
 * more checks at once than the gate allows.
 */
static void
session_free(struct http_request *req)
{
	struct signin	*s;

	if ((s = http_state_get(req)) == NULL)
		return;
	session_untime(s);
	if (!s->pw.started || kore_task_finished(&s->pw.task))
		throttle_gate_leave(&session_gate, &s->gate);
	pwtask_release(&s->pw);
	sodium_memzero(s->password, sizeof(s->password));
}
