/*
 * report_html: the annual report as a printable page. Kore-free.
 */
#ifndef PORTAL_REPORT_HTML_H
#define PORTAL_REPORT_HTML_H

#include <cjson/cJSON.h>

char	*report_html_annual(const cJSON *, const char *);

#endif /* !PORTAL_REPORT_HTML_H */
