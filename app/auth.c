/*
 * auth: sessions are a random token in a cookie (HttpOnly, SameSite=Lax,
 * Path=/; behind the TLS proxy also Secure, under the __Host- prefix),
 * known to the database only by its hash. Every state-changing request of
 * a session carries the session's CSRF token in X-CSRF-Token.
 *
 * Kore 4.1's cookie helper adds a Domain and cannot set SameSite: the
 * Set-Cookie header is written here.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "reply.h"
#include "token.h"

#define AUTH_COOKIE		"portal_session"
#define AUTH_COOKIE_SECURE	"__Host-portal_session"

static const char	*auth_cookie_name(struct http_request *);

/*
 * The session of `req` into `who`: 1 when there is a live one, 0 when
 * none, -1 when the database could not tell (answered 503 already).
 */
int
auth_session(struct http_request *req, struct session_who *who)
{
	char	*value, hash[TOKEN_HASH_LEN];
	int	 st;

	http_populate_cookies(req);
	if (!http_request_cookie(req, auth_cookie_name(req), &value))
		return (0);
	if (token_hash(value, hash) == -1)
		return (0);
	st = db_session_lookup(hash, who);
	if (st == DB_NOTFOUND)
		return (0);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (-1);
	}
	return (1);
}

/*
 * Require a session with one of the roles in `roles` (ROLE_* bits; 0:
 * any signed-in person), and, for a state-changing method, the session's
 * CSRF token. Returns 1 to go on with `who` filled; 0 when the request
 * has been answered: 401 no session, 403 wrong role or CSRF token.
 */
int
auth_require(struct http_request *req, int roles, struct session_who *who)
{
	const char	*csrf;
	int		 have;

	if ((have = auth_session(req, who)) == -1)
		return (0);
	if (have == 0) {
		reply_error(req, 401, "unauthenticated", "Sign in to do this.",
		    NULL);
		return (0);
	}
	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD) {
		if (!http_request_header(req, "x-csrf-token", &csrf) ||
		    !token_equal(csrf, who->csrf)) {
			reply_error(req, 403, "csrf", "This request did not "
			    "carry the page's security token. Reload the "
			    "page and try again.", NULL);
			return (0);
		}
	}
	if (roles != 0 && (who->roles & roles) == 0) {
		reply_error(req, 403, "forbidden", "Your account does not "
		    "allow this.", NULL);
		return (0);
	}
	return (1);
}

/*
 * Every handler's preamble, in one order: the method (405 with Allow),
 * who is asking (401 no session; 403 CSRF token or role), then the
 * route's id (422 not a whole number) into `*id` and what follows it
 * into `*rest` (may be NULL). An anonymous caller learns nothing of which
 * ids exist, nor does anyone of a route they may not use. `who` is
 * filled for a method that needs a session, zeroed for ACCESS_ANYONE;
 * it may be NULL where the handler needs no one's session.
 * Returns 1 to go on, 0 when the request has been answered.
 */
int
auth_preamble(struct http_request *req, const struct preamble *p,
    struct session_who *who, long long *id, const char **rest)
{
	struct session_who	unused;
	int			access;

	if (!reply_method_allowed(req, (p->get ? REPLY_GET : 0) |
	    (p->post ? REPLY_POST : 0) | (p->put ? REPLY_PUT : 0) |
	    (p->patch ? REPLY_PATCH : 0) | (p->delete ? REPLY_DELETE : 0)))
		return (0);
	switch (req->method) {
	case HTTP_METHOD_POST:
		access = p->post;
		break;
	case HTTP_METHOD_PUT:
		access = p->put;
		break;
	case HTTP_METHOD_PATCH:
		access = p->patch;
		break;
	case HTTP_METHOD_DELETE:
		access = p->delete;
		break;
	default:
		access = p->get;
		break;
	}
	if (who == NULL)
		who = &unused;
	memset(who, 0, sizeof(*who));
	if (access != ACCESS_ANYONE && !auth_require(req,
	    access == ACCESS_SIGNED_IN ? 0 : access, who))
		return (0);
	if (p->id_after != NULL &&
	    !reply_route_id(req, p->id_after, id, rest))
		return (0);
	return (1);
}

/* Send the session cookie carrying `token`. */
void
auth_set_cookie(struct http_request *req, const char *token)
{
	char	cookie[256];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; Max-Age=%d; "
	    "HttpOnly; SameSite=Lax%s", auth_cookie_name(req), token,
	    SESSION_ABSOLUTE_HOURS * 3600,
	    auth_is_https(req) ? "; Secure" : "");
	http_response_header(req, "set-cookie", cookie);
}

/* Tell the browser to forget the session cookie. */
void
auth_clear_cookie(struct http_request *req)
{
	char	cookie[160];

	snprintf(cookie, sizeof(cookie), "%s=; Path=/; Max-Age=0; HttpOnly; "
	    "SameSite=Lax%s", auth_cookie_name(req),
	    auth_is_https(req) ? "; Secure" : "");
	http_response_header(req, "set-cookie", cookie);
}

/*
 * Whether the browser came over HTTPS: only the TLS proxy says so
 * (X-Forwarded-Proto), and only a proxy trusted by PORTAL_TRUST_PROXY=1.
 */
int
auth_is_https(struct http_request *req)
{
	const char	*proto, *trust;

	trust = getenv("PORTAL_TRUST_PROXY");
	return (trust != NULL && strcmp(trust, "1") == 0 &&
	    http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcmp(proto, "https") == 0);
}

static const char *
auth_cookie_name(struct http_request *req)
{
	return (auth_is_https(req) ? AUTH_COOKIE_SECURE : AUTH_COOKIE);
}
