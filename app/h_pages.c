/*
 * h_pages: the web pages, their static files, and the answer for any
 * path no other route takes.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "auth.h"
#include "portal.h"
#include "reply.h"

int	h_page(struct http_request *);
int	h_asset(struct http_request *);
int	h_not_found(struct http_request *);

static void	pages_send(struct http_request *, const struct asset *, int);

/* Pages and their files: GET, by anyone (a page's data is its API's). */
static const struct preamble	pages_pre = { .get = ACCESS_ANYONE };

/*
 * Pages whose form posts nothing itself: the script sends JSON to the
 * API. Their <form method="post"> only keeps a password out of the
 * address when the script has not run; such a post is answered 303 back
 * to the page, whose <noscript> says why, and its body is never read.
 */
static const char *const page_forms[] = {
	"/register", "/sign-in", "/forgotten-password", "/reset-password",
	NULL
};

/* The pages, by route. */
static const struct {
	const char	*route;
	const char	*file;
} pages[] = {
	{ "/",		"index.html" },
	{ "/courses",	"courses.html" },
	{ "/register",	"register.html" },
	{ "/sign-in",	"sign-in.html" },
	{ "/forgotten-password", "forgotten-password.html" },
	{ "/reset-password", "reset-password.html" },
	{ "/verify-email", "verify-email.html" },
	{ "/confirm-manager", "confirm-manager.html" },
	{ "/account",	"account.html" },
	{ "/staff",	"staff.html" },
	{ "/sessions",	"sessions.html" },
	{ "/session",	"session.html" },
	{ "/bookings",	"bookings.html" },
	{ "/cancel",	"cancel.html" },
	{ "/teaching",	"teaching.html" },
	{ "/teaching/register", "teaching-register.html" },
	{ "/programme",	"programme.html" },
	{ "/programme/course", "programme-course.html" },
	{ "/programme/session", "programme-session.html" },
	{ "/programme/forms", "programme-forms.html" },
	{ "/programme/cancel", "programme-cancel.html" },
	{ "/programme/evaluations", "programme-evaluations.html" },
	{ "/privacy",	"privacy.html" },
	{ "/accessibility", "accessibility.html" },
	{ "/contact",	"contact.html" },
	{ "/coverage",	"coverage.html" },
	{ "/coverage/partnership", "coverage-partnership.html" },
	{ "/coverage/needs", "coverage-needs.html" },
	/* Agencies and settings (coordinators) */
	{ "/agencies",	"agencies.html" },
	{ "/agencies/agency", "agency.html" },
	{ "/evaluation",	"evaluation.html" },
	{ "/certificate",	"certificate.html" },
	{ "/manager-review",	"manager-review.html" },
	{ "/teaching/feedback", "teaching-feedback.html" },
	{ "/teaching/forms",	"teaching-forms.html" },
	{ "/teaching/paper-form", "paper-form.html" },
	/* DSL group supervision */
	{ "/supervision", "supervision.html" },
	{ "/supervision/group", "supervision-group.html" },
	{ "/supervision/meeting", "supervision-meeting.html" },
	{ "/my-supervision", "my-supervision.html" },
	{ "/reports/supervision", "supervision-report.html" },
	/* Impact reports */
	{ "/reports",	"reports.html" },
	{ "/reports/annual", "annual-report.html" },
	{ "/imports",	"imports.html" },
	/* Accounts and roles, and the audit log (coordinators) */
	{ "/accounts",	"accounts.html" },
	{ "/audit",	"audit.html" },
	{ NULL,		NULL }
};

/*
 * GET / and the other page routes above.
 * 200 the page; 303 to itself for a POST to a page with a form; 404
 * when the build lacks it; 405 other methods.
 */
int
h_page(struct http_request *req)
{
	const struct asset	*a;
	size_t			 i;

	for (i = 0; req->method == HTTP_METHOD_POST && page_forms[i] != NULL;
	    i++) {
		if (strcmp(req->path, page_forms[i]) == 0) {
			http_response_header(req, "location", page_forms[i]);
			reply_bytes(req, 303, "text/plain; charset=utf-8",
			    NULL, 0);
			return (KORE_RESULT_OK);
		}
	}
	if (!auth_preamble(req, &pages_pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	a = NULL;
	for (i = 0; pages[i].route != NULL; i++) {
		if (strcmp(req->path, pages[i].route) == 0) {
			a = assets_find(&portal_pages, pages[i].file);
			break;
		}
	}
	if (a == NULL)
		return (h_not_found(req));
	pages_send(req, a, 200);
	return (KORE_RESULT_OK);
}

/*
 * GET /assets/<path>: a built static file (CSS, JS, images), cacheable.
 * 200, 304 when the ETag matches, 404; 400 for a path with a ".."
 * segment (Kore does not normalise paths, and such a path asks to climb
 * out of the folder: malformed, not missing).
 */
int
h_asset(struct http_request *req)
{
	const struct asset	*a;
	const char		*inm;

	if (!auth_preamble(req, &pages_pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);
	if (strstr(req->path, "/..") != NULL) {
		reply_bytes(req, 400, "text/plain; charset=utf-8",
		    "Bad path\n", 9);
		return (KORE_RESULT_OK);
	}
	if ((a = assets_find(&portal_static, req->path + 8)) == NULL)
		return (h_not_found(req));
	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, a->etag) == 0) {
		http_response_header(req, "etag", a->etag);
		reply_bytes(req, 304, a->type, NULL, 0);
		return (KORE_RESULT_OK);
	}
	http_response_header(req, "etag", a->etag);
	http_response_header(req, "cache-control", "public, max-age=3600");
	pages_send(req, a, 200);
	return (KORE_RESULT_OK);
}

/*
 * Any path no route takes: 404, JSON under /api/, a page elsewhere.
 */
int
h_not_found(struct http_request *req)
{
	const struct asset	*a;

	if (reply_is_api(req)) {
		reply_error(req, 404, "not_found",
		    "There is nothing at this address.", NULL);
		return (KORE_RESULT_OK);
	}
	if ((a = assets_find(&portal_pages, "not-found.html")) != NULL) {
		pages_send(req, a, 404);
		return (KORE_RESULT_OK);
	}
	reply_bytes(req, 404, "text/plain; charset=utf-8", "Page not found\n",
	    15);
	return (KORE_RESULT_OK);
}

static void
pages_send(struct http_request *req, const struct asset *a, int status)
{
	reply_bytes(req, status, a->type, a->data, a->len);
}
