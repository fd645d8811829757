/*
 * db_report_answer: reports' answers kept while the data they stand for
 * is unchanged (migration 14).
 */
#ifndef PORTAL_DB_REPORT_ANSWER_H
#define PORTAL_DB_REPORT_ANSWER_H

#include <cjson/cJSON.h>

#include "db_status.h"

enum db_status	db_report_answer_read(const char *, char **, int *, char *);
enum db_status	db_report_answer_gather(const char *,
		    enum db_status (*)(void *, cJSON **), void *);

#endif /* !PORTAL_DB_REPORT_ANSWER_H */
