/*
 * h_accounts: registration of practitioners' accounts, the proof of their
 * e-mail address, and coordinators' lists of accounts.
 *
 * Hashing a password with Argon2id takes a moment and 64 MiB: it runs in
 * a Kore task thread (pwtask), so the worker goes on serving others.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <string.h>

#include "account.h"
#include "auth.h"
#include "db_account.h"
#include "password.h"
#include "portal.h"
#include "pwtask.h"
#include "qs.h"
#include "reply.h"
#include "route.h"
#include "text.h"
#include "token.h"
#include "site.h"

int	h_accounts(struct http_request *);
int	h_account_roles(struct http_request *);
int	h_account_disabled(struct http_request *);
int	h_email_verification(struct http_request *);

/* A registration waiting for its password hash. */
struct registration {
	struct pwtask		 pw;		/* the hash, on its own copy */
	cJSON			*body;		/* the worker's, never the task's */
	struct account_new	 account;
};

/* PUT /api/v1/accounts/{person_id}/... (coordinators). */
static const struct preamble	account_pre = {
	.id_after = "/api/v1/accounts/", .put = ROLE_COORDINATOR
};

static int	accounts_register(struct http_request *);
static int	accounts_list(struct http_request *);
static void	accounts_free(struct http_request *);
static void	accounts_finish(struct http_request *, struct registration *);
static void	accounts_roles_read(const cJSON *, int *, long long *, cJSON *);
static void	accounts_roles_literal(int, char *, size_t);

/* The roles an account can hold, in the order the API lists them. */
static const struct {
	const char	*name;
	int		 bit;
} account_roles[] = {
	{ "coordinator",	ROLE_COORDINATOR },
	{ "practitioner",	ROLE_PRACTITIONER },
	{ "reviewer",		ROLE_REVIEWER },
	{ "setting_lead",	ROLE_SETTING_LEAD },
	{ "trainer",		ROLE_TRAINER },
	{ NULL,			0 }
};

/*
 * GET /api/v1/accounts?agency_id=&role=&q=&limit=&offset= (coordinators)
 *   200 a page of accounts; 401; 403; 422 bad filters.
 * POST /api/v1/accounts: registration, below.
 */
int
h_accounts(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ROLE_COORDINATOR, .post = ACCESS_ANYONE
	};

	/* A registration comes back here while its password is hashed. */
	if (http_state_get(req) != NULL)
		return (accounts_register(req));
	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (accounts_register(req));
	return (accounts_list(req));
}

static int
accounts_list(struct http_request *req)
{
	struct account_filter	 f;
	struct qs		 q;
	cJSON			*fields, *out;
	const char		*role;
	long			 agency;
	size_t			 i;
	int			 st;

	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	memset(&f, 0, sizeof(f));
	if (qs_get_count(&q, "agency_id", 0, 1, 9007199254740991L,
	    &agency) == -1)
		cJSON_AddStringToObject(fields, "agency_id",
		    "Must be the id of an agency.");
	f.agency_id = agency;
	if ((role = qs_get(&q, "role")) != NULL) {
		for (i = 0; account_roles[i].name != NULL; i++) {
			if (strcmp(role, account_roles[i].name) == 0)
				break;
		}
		if (account_roles[i].name == NULL)
			cJSON_AddStringToObject(fields, "role", "Must be one "
			    "of practitioner, trainer, setting_lead, reviewer, "
			    "coordinator.");
		f.role = role;
	}
	f.q = qs_get(&q, "q");
	if (f.q != NULL && (!text_is_clean(f.q) || strlen(f.q) > 200))
		cJSON_AddStringToObject(fields, "q", "At most 200 characters.");
	qs_page(&q, 50, 200, fields, &f.limit, &f.offset);
	if (cJSON_GetArraySize(fields) > 0) {
		qs_free(&q);
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	out = NULL;
	st = db_account_list(&f, &out);
	qs_free(&q);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * PUT /api/v1/accounts/{person_id}/roles {"roles":[...],"agency_id":n}
 * (coordinators). "practitioner" is every account's and is kept;
 * "setting_lead" needs "agency_id", which nothing else takes.
 * 200 the account; 401; 403 (also: removing one's own coordinator
 * role); 404 no such account; 422 every wrong field named.
 */
int
h_account_roles(struct http_request *req)
{
	struct session_who	 who;
	cJSON			*body, *fields, *account;
	long long		 person, agency_id;
	char			 literal[128], ip[64];
	int			 bits, st;

	if (!auth_preamble(req, &account_pre, &who, &person, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);

	/* The body: the roles and the agency, every problem named. */
	fields = cJSON_CreateObject();
	accounts_roles_read(body, &bits, &agency_id, fields);
	cJSON_Delete(body);
	if (cJSON_GetArraySize(fields) > 0) {
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}

	/* A coordinator keeps their own coordinator role. */
	if (person == who.person_id && !(bits & ROLE_COORDINATOR)) {
		cJSON_Delete(fields);
		reply_error(req, 403, "forbidden", "You cannot remove your own "
		    "coordinator role: ask another coordinator.", NULL);
		return (KORE_RESULT_OK);
	}

	/* The roles set, then the account as it now is. */
	accounts_roles_literal(bits, literal, sizeof(literal));
	st = db_account_set_roles(person, literal, agency_id, who.person_id,
	    reply_client_ip(req, ip, sizeof(ip)), fields);
	if (st == DB_INVALID) {
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st == DB_NOTFOUND) {
		reply_error(req, 404, "not_found", "There is no such account.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	account = NULL;
	if (st == DB_OK)
		st = db_session_account(person, &account);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, account);
	return (KORE_RESULT_OK);
}

/*
 * Read a roles body {"roles":[...],"agency_id":n}: the roles' bits into
 * `*bits` (practitioner always among them) and the agency into
 * `*agency_id` (0: none). Each wrong field is named in `fields`: an
 * unknown role, an agency that is not an id, a setting lead without an
 * agency, or an agency for anyone else.
 */
static void
accounts_roles_read(const cJSON *body, int *bits, long long *agency_id,
    cJSON *fields)
{
	const cJSON	*roles, *r, *agency;
	int		 i;

	/* The roles, each one we know. */
	*bits = ROLE_PRACTITIONER;
	roles = cJSON_GetObjectItemCaseSensitive(body, "roles");
	if (!cJSON_IsArray(roles)) {
		cJSON_AddStringToObject(fields, "roles",
		    "Must be a list of roles.");
	} else {
		cJSON_ArrayForEach(r, roles) {
			for (i = 0; account_roles[i].name != NULL; i++) {
				if (cJSON_IsString(r) && strcmp(r->valuestring,
				    account_roles[i].name) == 0)
					break;
			}
			if (account_roles[i].name == NULL) {
				cJSON_AddStringToObject(fields, "roles", "Each "
				    "must be one of practitioner, trainer, "
				    "setting_lead, reviewer, coordinator.");
				break;
			}
			*bits |= account_roles[i].bit;
		}
	}

	/* The agency, a whole number if given. */
	*agency_id = 0;
	agency = cJSON_GetObjectItemCaseSensitive(body, "agency_id");
	if (agency != NULL && !cJSON_IsNull(agency)) {
		if (!cJSON_IsNumber(agency) || agency->valuedouble < 1 ||
		    agency->valuedouble > 9007199254740991.0 ||
		    (double)(long long)agency->valuedouble !=
		    agency->valuedouble)
			cJSON_AddStringToObject(fields, "agency_id",
			    "Must be the id of an agency.");
		else
			*agency_id = (long long)agency->valuedouble;
	}

	/* A setting lead has an agency, and nobody else does. */
	if ((*bits & ROLE_SETTING_LEAD) && *agency_id == 0 &&
	    cJSON_GetObjectItem(fields, "agency_id") == NULL)
		cJSON_AddStringToObject(fields, "agency_id", "A setting lead "
		    "needs the agency or setting they lead.");
	if (!(*bits & ROLE_SETTING_LEAD) && *agency_id != 0)
		cJSON_AddStringToObject(fields, "agency_id", "Only a setting "
		    "lead has an agency here.");
}

/*
 * The roles of `bits` as a PostgreSQL text[] literal into `literal`
 * (`size` bytes): known names only, nothing from the body.
 */
static void
accounts_roles_literal(int bits, char *literal, size_t size)
{
	int		 i;

	snprintf(literal, size, "{");
	for (i = 0; account_roles[i].name != NULL; i++) {
		if (!(bits & account_roles[i].bit))
			continue;
		if (literal[1] != '\0')
			strncat(literal, ",", size - strlen(literal) - 1);
		strncat(literal, account_roles[i].name, size -
		    strlen(literal) - 1);
	}
	strncat(literal, "}", size - strlen(literal) - 1);
}

/*
 * PUT /api/v1/accounts/{person_id}/disabled {"disabled": true|false}
 * (coordinators): disable an account (it is signed out at once and can
 * no longer sign in or reset its password) or enable it again.
 * 200 {"person_id","disabled"}; 401; 403 (also: disabling oneself); 404
 * no such account; 422 "disabled" not true or false.
 */
int
h_account_disabled(struct http_request *req)
{
	struct session_who	 who;
	cJSON			*body, *fields, *out;
	const cJSON		*d;
	long long		 person;
	char			 ip[64];
	int			 disabled, st;

	if (!auth_preamble(req, &account_pre, &who, &person, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	d = cJSON_GetObjectItemCaseSensitive(body, "disabled");
	if (!cJSON_IsBool(d)) {
		cJSON_Delete(body);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "disabled",
		    "Must be true or false.");
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	disabled = cJSON_IsTrue(d);
	cJSON_Delete(body);
	if (disabled && person == who.person_id) {
		reply_error(req, 403, "forbidden", "You cannot disable your own "
		    "account: ask another coordinator.", NULL);
		return (KORE_RESULT_OK);
	}
	st = db_account_disable(person, disabled, who.person_id,
	    reply_client_ip(req, ip, sizeof(ip)));
	if (st == DB_NOTFOUND) {
		reply_error(req, 404, "not_found", "There is no such account.",
		    NULL);
		return (KORE_RESULT_OK);
	}
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "person_id", (double)person);
	cJSON_AddBoolToObject(out, "disabled", disabled);
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/accounts (anyone)
 * {"full_name","email","password","agency_id","job_title","group_level",
 *  "manager_email"}
 * 202 {"message"} "check your e-mail", whether the address is new, is a
 * person's already on the books, or has an account (each gets its own
 * mail; see db_account.c); 400 malformed JSON; 413 body too large; 422
 * every wrong field named; 429 too many registrations for the address
 * or from the client, with Retry-After; 503 busy or database away.
 */
static int
accounts_register(struct http_request *req)
{
	struct registration	*r;
	cJSON			*body, *fields;
	char			 ip[64];
	int			 st, secs;

	if ((r = http_state_get(req)) != NULL) {
		if (!pwtask_wait(req, &r->pw))
			return (KORE_RESULT_RETRY);
		accounts_finish(req, r);
		return (KORE_RESULT_OK);
	}

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);

	r = http_state_create(req, sizeof(*r), accounts_free);
	r->body = body;
	/* The rules, then what only the database knows, named together. */
	fields = cJSON_CreateObject();
	(void)account_validate(body, &portal_password_policy, &r->account,
	    fields);
	st = db_account_precheck(&r->account, fields);
	if (st == DB_OK && cJSON_GetArraySize(fields) > 0)
		st = DB_INVALID;
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0) {
		reply_error(req, 422, "invalid", "Some answers need "
		    "correcting.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st == DB_OK)
		st = db_account_request("register", r->account.email,
		    reply_client_ip(req, ip, sizeof(ip)),
		    portal_requests_per_client, &secs);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (secs > 0) {
		reply_throttled(req, secs, "too_many_requests", "Too many "
		    "accounts were asked for from here or for this address. "
		    "Wait a while, then try again.");
		return (KORE_RESULT_OK);
	}

	/* Hashed whatever the address, so that the answers take as long. */
	if (!pwtask_start(req, &r->pw, r->account.password, NULL))
		return (KORE_RESULT_OK);
	sodium_memzero((void *)r->account.password,
	    strlen(r->account.password));
	return (KORE_RESULT_RETRY);
}

/* Back on the worker, the password hashed: register, mail, answer. */
static void
accounts_finish(struct http_request *req, struct registration *r)
{
	cJSON	*out;
	char	 token[TOKEN_LEN], hash[TOKEN_HASH_LEN], link[512], ip[64];
	int	 st;

	if (!r->pw.ok) {
		http_response_header(req, "retry-after", "5");
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "shortly.", NULL);
		return;
	}
	token_new(token);
	token_hash(token, hash);
	snprintf(link, sizeof(link), "%s/verify-email#token=%s",
	    site_public_url(), token);
	sodium_memzero(token, sizeof(token));
	st = db_account_register(&r->account, r->pw.hash, hash, link,
	    site_public_url(), reply_client_ip(req, ip, sizeof(ip)));
	sodium_memzero(link, sizeof(link));
	if (st == DB_CONFLICT) {
		/* A staff list took the address meanwhile: nothing was done. */
		http_response_header(req, "retry-after", "1");
		reply_error(req, 503, "busy", "The service is busy. Try again "
		    "shortly.", NULL);
		return;
	}
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return;
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "message", "Check your e-mail: we have "
	    "sent a message to the address you gave, with what to do next.");
	reply_json(req, 202, out);
}

static void
accounts_free(struct http_request *req)
{
	struct registration	*r;

	if ((r = http_state_get(req)) == NULL)
		return;
	pwtask_release(&r->pw);
	if (r->body != NULL) {
		cJSON_Delete(r->body);
		r->body = NULL;
	}
}

/*
 * POST /api/v1/email-verification {"token"} (anyone: the token is the
 * proof), the token from the mailed link's fragment.
 * 200 the account (as registration answered before: "id", "full_name",
 * ..., "email_verified": true); 400 malformed JSON; 404 the link is
 * unknown, spent or expired; 409 the person has an account already.
 */
int
h_email_verification(struct http_request *req)
{
	static const struct preamble	pre = { .post = ACCESS_ANYONE };
	cJSON		*body, *person;
	const cJSON	*token;
	char		 hash[TOKEN_HASH_LEN], ip[64];
	int		 st, ok;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	token = cJSON_GetObjectItemCaseSensitive(body, "token");
	ok = cJSON_IsString(token) && token_hash(token->valuestring, hash) == 0;
	cJSON_Delete(body);
	person = NULL;
	st = ok ? db_account_verify(hash, reply_client_ip(req, ip,
	    sizeof(ip)), &person) : DB_NOTFOUND;
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "This link has expired or "
		    "was used already. Sign in, or create your account again.",
		    NULL);
	else if (st == DB_CONFLICT)
		reply_error(req, 409, "email_taken", "This e-mail address has "
		    "an account already. Sign in, or reset your password.",
		    NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, person);
	return (KORE_RESULT_OK);
}
