/*
 * db_coverage: the counts of workforce coverage (a setting's, the
 * partnership's), the sessions each level's figures go by, the staff
 * list with each person's status, staffing returns, training needs.
 */
#ifndef PORTAL_DB_COVERAGE_H
#define PORTAL_DB_COVERAGE_H

#include <cjson/cJSON.h>

#include "coverage.h"
#include "db_status.h"

/* Filters of the partnership's table; NULL: any. */
struct coverage_filter {
	const char	*sector;
	const char	*phase;
	const char	*area;
	long		 limit;		/* settings a page; 0: all */
	long		 offset;
};

enum db_status	db_coverage_today(char *, size_t);
enum db_status	db_coverage_basis(const char *, cJSON **);
enum db_status	db_coverage_agency(long long, const char *, int, cJSON **);
enum db_status	db_coverage_partnership(const char *,
	    const struct coverage_filter *, cJSON **);
enum db_status	db_coverage_needs(const char *, const char *, cJSON **);
enum db_status	db_coverage_return_put(long long,
	    const struct coverage_return *, long long, const char *, cJSON *);
enum db_status	db_coverage_return_get(long long, cJSON **);

#endif /* !PORTAL_DB_COVERAGE_H */
