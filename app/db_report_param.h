/*
 * db_report_param: a report's filters as the positional parameters of
 * report_places() and the other SQL functions of the reports, in their
 * order. The database layer's side of struct report_filter (report.h).
 */
#ifndef PORTAL_DB_REPORT_PARAM_H
#define PORTAL_DB_REPORT_PARAM_H

#include "report.h"

/* The parameters of report_places() and the others, $1..$9 in order. */
enum report_param {
	RP_FROM, RP_TO, RP_COURSE, RP_TOPIC, RP_AGENCY, RP_SECTOR, RP_AREA,
	RP_LEVEL, RP_EXCLUDE, RP__MAX
};

void	db_report_params(const struct report_filter *, const char **);

#endif /* !PORTAL_DB_REPORT_PARAM_H */
