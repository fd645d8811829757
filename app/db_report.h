/*
 * db_report: what the impact reports gather, read from the reports'
 * connection (a replica when PORTAL_REPORTS_DATABASE_URL is set).
 */
#ifndef PORTAL_DB_REPORT_H
#define PORTAL_DB_REPORT_H

#include <cjson/cJSON.h>

#include "db_report_param.h"
#include "report.h"

int	db_report_latest_year(const struct report_filter *, int *);
int	db_report_attendance(const struct report_filter *, int, int,
	    cJSON **);
int	db_report_courses(const struct report_filter *, cJSON **);
int	db_report_agencies(const struct report_filter *, cJSON **);
int	db_report_evaluation(const struct report_filter *, const char *,
	    cJSON **);
int	db_report_coverage(const char *, cJSON **);

#endif /* !PORTAL_DB_REPORT_H */
