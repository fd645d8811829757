/*
 * reply_report: how a report request is answered without waiting for
 * the report to be gathered (README "Reports off the request path").
 *
 * A current kept answer is the answer. Otherwise the report is gathered
 * in a thread (report_task.c) and the request is answered at once: with
 * the last kept answer, marked as of its time (a header, and two fields
 * in the JSON: "kept_at" and "being_updated"), or, when none is kept,
 * 202 with a Location to ask again (the same address) and Retry-After.
 * Too many gatherings at once: 503 with Retry-After.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_report_answer.h"
#include "reply.h"
#include "reply_report.h"
#include "report_task.h"

/* Seconds a client is asked to wait before asking again. */
#define REPLY_REPORT_RETRY	"2"

static void	reply_report_gathering(struct http_request *, time_t, int);
static char	*reply_report_marked(const char *, const char *, int);

/*
 * The answer of report `key` for `req`, as JSON text in `*text` (caller
 * frees), or an answer already sent. `arg` (freed with arg_free) is what
 * build(arg, &tree) gathers the report from, in a thread, when no current
 * answer is kept; it is this function's whatever it returns. `as` says
 * what a 202 is written in (REPLY_REPORT_JSON or _HTML).
 * Returns 1 with `*text` to send as 200 (a stale answer carries the
 * header x-report-kept-at and, when JSON, "kept_at" and "being_updated"),
 * or 0 when it answered: 202 gathering, 503 busy, or the failure of the
 * last gathering (503, 500).
 */
int
reply_report_answer(struct http_request *req, const char *key,
    enum db_status (*build)(void *, cJSON **), void *arg,
    void (*arg_free)(void *), int as, char **text)
{
	enum report_task_state	 state;
	enum db_status		 st, failed;
	time_t			 since;
	char			 kept_at[32], *marked;
	int			 current;

	*text = NULL;
	st = db_report_answer_read(key, text, &current, kept_at);
	if (st == DB_OK && current) {
		arg_free(arg);
		return (1);
	}
	if (st != DB_OK && st != DB_NOTFOUND) {
		arg_free(arg);
		reply_db_failure(req, st);
		return (0);
	}
	state = report_task_start(key, build, arg, arg_free, &since, &failed);
	if (state == REPORT_TASK_FAILED) {
		free(*text);
		*text = NULL;
		reply_db_failure(req, failed);
		return (0);
	}
	if (*text != NULL) {
		/* The last answer kept, said to be as of its time. */
		http_response_header(req, "x-report-kept-at", kept_at);
		if (state == REPORT_TASK_GATHERING)
			http_response_header(req, "x-report-being-updated",
			    "true");
		if ((marked = reply_report_marked(*text, kept_at,
		    state == REPORT_TASK_GATHERING)) != NULL) {
			free(*text);
			*text = marked;
		}
		return (1);
	}
	if (state == REPORT_TASK_BUSY) {
		http_response_header(req, "retry-after", "5");
		reply_error(req, 503, "busy", "Many reports are being gathered "
		    "just now. Try again in a moment.", NULL);
		return (0);
	}
	reply_report_gathering(req, since, as);
	return (0);
}

/*
 * 202: the report is being gathered since `since`; ask again at the same
 * address. JSON {"gathering": {"since", "location"}}, or, for a page
 * opened in the browser (the printable annual report), a page that says
 * so with a progress indicator and asks again by itself.
 */
static void
reply_report_gathering(struct http_request *req, time_t since, int as)
{
	struct tm	 tm;
	cJSON		*out, *g;
	char		 when[32], *location, *page;
	size_t		 len;

	gmtime_r(&since, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	len = strlen(req->path) + (req->query_string != NULL ?
	    strlen(req->query_string) : 0) + 2;
	if ((location = malloc(len)) == NULL) {
		reply_db_failure(req, DB_ERR);
		return;
	}
	snprintf(location, len, "%s%s%s", req->path,
	    req->query_string != NULL && *req->query_string ? "?" : "",
	    req->query_string != NULL ? req->query_string : "");
	http_response_header(req, "location", location);
	http_response_header(req, "retry-after", REPLY_REPORT_RETRY);
	if (as == REPLY_REPORT_HTML) {
		/* A fixed page: nothing of the request is written into it. */
		page = "<!DOCTYPE html>\n<html lang=\"en\"><head>"
		    "<meta charset=\"utf-8\">"
		    "<meta http-equiv=\"refresh\" content=\""
		    REPLY_REPORT_RETRY "\">"
		    "<title>Gathering the figures</title><link rel=\"stylesheet\" "
		    "href=\"/assets/portal.css\"></head><body class=\""
		    "govuk-template__body\"><main class=\"govuk-width-container "
		    "govuk-main-wrapper\" id=\"main-content\"><h1 class=\""
		    "govuk-heading-l\">Gathering the figures</h1><p class=\""
		    "govuk-body\" role=\"status\">The report is being put "
		    "together from the latest figures. This page shows it as "
		    "soon as it is ready.</p><progress class=\"portal-progress\" "
		    "aria-label=\"Gathering the figures\"></progress></main>"
		    "</body></html>\n";
		reply_bytes(req, 202, "text/html; charset=utf-8", page,
		    strlen(page));
		free(location);
		return;
	}
	out = cJSON_CreateObject();
	g = cJSON_AddObjectToObject(out, "gathering");
	cJSON_AddStringToObject(g, "since", when);
	cJSON_AddStringToObject(g, "location", location);
	reply_json(req, 202, out);
	free(location);
}

/*
 * `text` (a JSON object) with "kept_at" and "being_updated" (`updating`)
 * first, so that a page can say the figures are as of then. Caller
 * frees; NULL when `text` is not an object or out of memory.
 */
static char *
reply_report_marked(const char *text, const char *kept_at, int updating)
{
	char	*out;
	size_t	 len;

	if (text[0] != '{')
		return (NULL);
	len = strlen(text) + strlen(kept_at) + 64;
	if ((out = malloc(len)) == NULL)
		return (NULL);
	snprintf(out, len, "{\"kept_at\":\"%s\",\"being_updated\":%s%s%s",
	    kept_at, updating ? "true" : "false", text[1] == '}' ? "" : ",",
	    text + 1);
	return (out);
}
