/*
 * db_report: what the impact reports gather, read from the reports'
 * connection (a replica when PORTAL_REPORTS_DATABASE_URL is set).
 */
#ifndef PORTAL_DB_REPORT_H
#define PORTAL_DB_REPORT_H

#include <cjson/cJSON.h>

#include "db_report_param.h"
#include "db_status.h"
#include "report.h"

enum db_status	db_report_latest_year(const struct report_filter *, int *);
enum db_status	db_report_attendance(const struct report_filter *, int, int,
	    cJSON **);
enum db_status	db_report_courses(const struct report_filter *, cJSON **);
enum db_status	db_report_agencies(const struct report_filter *, cJSON **);
enum db_status	db_report_evaluation(const struct report_filter *, const char *,
	    cJSON **);
enum db_status	db_report_coverage(const char *, cJSON **);

#endif /* !PORTAL_DB_REPORT_H */
