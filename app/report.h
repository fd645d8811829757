/*
 * report: the impact reports' filters (from the query string to SQL
 * parameters), and the reports themselves built from the rows SQL
 * gathered, every figure computed by stats/. Kore-free.
 */
#ifndef PORTAL_REPORT_H
#define PORTAL_REPORT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "csv.h"

struct qs;

/* What a report's rows are: the `by` of the attendance report. */
enum report_by {
	REPORT_BY_AGENCY,
	REPORT_BY_SECTOR,
	REPORT_BY_COURSE,
	REPORT_BY_TOPIC,
	REPORT_BY_GROUP_LEVEL,
	REPORT_BY__MAX
};

/*
 * The columns of the evaluation report's form counts: the protocol
 * between the SQL of db_report.c (one GROUPING SET a column, answering
 * [column, value, paired value, forms]) and report_forms_read(). Numbers
 * the preprocessor writes into that SQL, so both ends name them alike.
 * Knowledge and confidence come as before with after (the paired value);
 * 0 is a blank answer throughout. The kept counts of the database
 * (report_course_forms.col, migration 0021) hold the same numbers: a
 * change here is a migration there.
 */
#define REPORT_FORM_CONTENT	0	/* ratings 1-5: content .. overall */
#define REPORT_FORM_DELIVERY	1
#define REPORT_FORM_VENUE	2
#define REPORT_FORM_TRAINER	3
#define REPORT_FORM_OVERALL	4
#define REPORT_FORM_KNOWLEDGE	5	/* 1-10 before, with after */
#define REPORT_FORM_CONFIDENCE	7	/* 1-10 before, with after */
#define REPORT_FORM_OUTCOMES	9	/* 1 yes, 2 partly, 3 no */
#define REPORT_FORM_IMPROVE	10	/* 1 yes, 2 no, 3 unsure */
#define REPORT_FORM_SOURCE	11	/* 1 online, 0 paper */
#define REPORT_FORM__MAX	12

/* Which filters a report takes (report_filter_parse's `takes`). */
#define REPORT_TAKES_YEAR	0x01	/* year=2016/17 (or 2016) */
#define REPORT_TAKES_YEARS	0x02	/* from_year, to_year */
#define REPORT_TAKES_BY		0x04	/* by= */

struct report_filter {
	char		 from[11], to[11];	/* YYYY-MM-DD, "" for none */
	char		 course[24], agency[24];
	const char	*topic, *sector, *area, *level;	/* owned by the qs */
	char		 exclude[256];		/* {a,b} array literal */
	cJSON		*excluded;		/* the formats, named back */
	int		 year;			/* 2016 for 2016/17; -1 none */
	int		 from_year, to_year;	/* -1 when not given */
	enum report_by	 by;
	/* The person whose typed-in or uploaded forms do not count towards
	 * what they may see (README "Disclosure control"); "" for none. */
	char		 viewer[24];
};

int	 report_filter_parse(const struct qs *, int, struct report_filter *,
	    cJSON *);
void	 report_filter_free(struct report_filter *);
char	*report_key(const char *, int, const char *, const struct qs *);
const char *report_by_name(enum report_by);
const char *report_sector_name(const char *);
const char *report_format_name(const char *);

cJSON	*report_attendance(const cJSON *, const cJSON *, int, int,
	    enum report_by);
cJSON	*report_courses(const cJSON *, int, double);
cJSON	*report_agencies(const cJSON *, double);
cJSON	*report_evaluation(const cJSON *, int, double);
cJSON	*report_coverage(const cJSON *, double);

int	 report_csv(const cJSON *, const char *, struct csv_out *);

#endif /* !PORTAL_REPORT_H */
