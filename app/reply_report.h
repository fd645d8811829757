/*
 * reply_report: a report's answer for a request, never waiting for its
 * gathering (report_task.c): the kept answer, current or marked as of
 * its time, or 202 while it is gathered.
 */
#ifndef PORTAL_REPLY_REPORT_H
#define PORTAL_REPLY_REPORT_H

#include <cjson/cJSON.h>

#include "db_status.h"

struct http_request;

/* How the request wants a report answered while none is kept. */
#define REPLY_REPORT_JSON	0
#define REPLY_REPORT_HTML	1

int	reply_report_answer(struct http_request *, const char *,
	    enum db_status (*)(void *, cJSON **), void *, void (*)(void *),
	    int, char **);

#endif /* !PORTAL_REPLY_REPORT_H */
