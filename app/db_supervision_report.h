/*
 * db_supervision_report: what the supervision report and a DSL's own
 * page gather: counts of meetings and attendance per group and per DSL
 * over a school year, and each DSL's training status at their level (the
 * coverage rules' training_status()). SQL counts; stats/ computes.
 */
#ifndef PORTAL_DB_SUPERVISION_REPORT_H
#define PORTAL_DB_SUPERVISION_REPORT_H

#include <cjson/cJSON.h>

#include "db_status.h"
#include "supervision.h"
#include "term.h"

enum db_status	db_supervision_today(struct term_date *);
enum db_status	db_supervision_report_groups(const struct supervision_period *,
	    cJSON **);
enum db_status	db_supervision_report_dsls(const struct supervision_period *,
	    long long, cJSON **);
enum db_status	db_supervision_me(long long, cJSON **);

#endif /* !PORTAL_DB_SUPERVISION_REPORT_H */
