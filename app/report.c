/*
 * report: the impact reports. The handlers parse the filters here, the
 * database layer gathers counts and answers with SQL (report_places()
 * and the other functions of migration 0012), and the functions below
 * turn those rows into the reports' JSON, every rate, mean, trend and
 * test computed by stats/. Reports read by people: names, never codes
 * ("Group 3", "Children's social care").
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluation.h"
#include "figure.h"
#include "qs.h"
#include "report.h"
#include "stats.h"
#include "text.h"
#include "year.h"

static const char *const report_by_names[REPORT_BY__MAX] = {
	"agency", "sector", "course", "topic", "group_level"
};

static const char *const report_sectors[][2] = {
	{ "childrens_social_care", "Children's social care" },
	{ "education", "Education" },
	{ "early_years", "Early years" },
	{ "health", "Health" },
	{ "police", "Police" },
	{ "probation", "Probation" },
	{ "housing", "Housing" },
	{ "voluntary_community", "Voluntary and community" },
	{ "independent", "Independent" },
	{ "faith", "Faith" },
	{ "other", "Other" },
};

static const char *const report_formats[][2] = {
	{ "full_day", "Full day" },
	{ "half_day", "Half day" },
	{ "twilight", "Twilight" },
	{ "e_learning", "E-learning" },
	{ "seminar", "Seminar" },
	{ "conference", "Conference" },
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static void	 report_filter_years(const struct qs *, int,
		    struct report_filter *, cJSON *);
static void	 report_filter_dates(const struct qs *, struct report_filter *,
		    cJSON *);
static void	 report_filter_narrow(const struct qs *,
		    struct report_filter *, cJSON *);
static void	 report_filter_exclude(const struct qs *,
		    struct report_filter *, cJSON *);
static void	 report_filter_by(const struct qs *, int,
		    struct report_filter *, cJSON *);
static int	 report_id(const char *, char *, size_t);
static int	 report_code(const char *);
static double	 report_num(const cJSON *, const char *);
static const char *report_str(const cJSON *, const char *);
static const char *report_trend_name(const char *);
static int	 report_forms_read(const cJSON *, struct evaluation_forms *);
static int	 report_int(const cJSON *, int);
static cJSON	*report_mean(const cJSON *, double, int);
static cJSON	*report_pairs(const cJSON *, double, int);
static size_t	 report_pair_times(const cJSON *);
static size_t	 report_doubles(const cJSON *, double **, double **);
static cJSON	*report_attendance_row(const char *, const char *,
		    const double *, const double *, int);
static double	 report_attendance_counts(cJSON *, const double *, int);
static int	 report_attendance_trend(cJSON *, const double *,
		    const double *, int);
static void	 report_evaluation_places(cJSON *, const cJSON *);
static int	 report_evaluation_same_day(cJSON *, const cJSON *, int,
		    double);
static void	 report_evaluation_completion(cJSON *, const cJSON *, double);
static void	 report_evaluation_later(cJSON *, const cJSON *, int, double);
static void	 report_evaluation_rows(cJSON *, const cJSON *, int, double);

const char *
report_by_name(enum report_by by)
{
	return (report_by_names[by]);
}

/* The name of a sector code for people (the code itself if unknown). */
const char *
report_sector_name(const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < NITEMS(report_sectors); i++) {
		if (strcmp(code, report_sectors[i][0]) == 0)
			return (report_sectors[i][1]);
	}
	return (code);
}

/* A trend's direction ("up", "down", "flat") in words, as the page says it. */
static const char *
report_trend_name(const char *direction)
{
	if (direction != NULL && strcmp(direction, "up") == 0)
		return ("Rising");
	if (direction != NULL && strcmp(direction, "down") == 0)
		return ("Falling");
	return ("No clear trend");
}

/* The name of a course format for people. */
const char *
report_format_name(const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < NITEMS(report_formats); i++) {
		if (strcmp(code, report_formats[i][0]) == 0)
			return (report_formats[i][1]);
	}
	return (code);
}

/*
 * Read the filters of query `q` that report `takes` (REPORT_TAKES_*)
 * into `f` (release with report_filter_free()); every wrong value named
 * in `fields`. Returns 0, or -1 when something is wrong.
 */
int
report_filter_parse(const struct qs *q, int takes, struct report_filter *f,
    cJSON *fields)
{
	memset(f, 0, sizeof(*f));
	f->year = f->from_year = f->to_year = -1;
	f->by = REPORT_BY_AGENCY;
	f->excluded = cJSON_CreateArray();

	/* The financial year, or the run of years, and the dates in them. */
	report_filter_years(q, takes, f, fields);
	report_filter_dates(q, f, fields);

	/* What the rows are narrowed to: ids, codes, names, formats. */
	report_filter_narrow(q, f, fields);
	report_filter_exclude(q, f, fields);

	/* How the rows are broken down. */
	report_filter_by(q, takes, f, fields);
	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/*
 * "year" (a financial year: its dates into f->from and f->to) and, for
 * a report that takes them, "from_year" and "to_year" (at most 20).
 */
static void
report_filter_years(const struct qs *q, int takes, struct report_filter *f,
    cJSON *fields)
{
	const char	*s;

	if ((s = qs_get(q, "year")) != NULL) {
		if (!(takes & REPORT_TAKES_YEAR) && !(takes & REPORT_TAKES_YEARS))
			cJSON_AddStringToObject(fields, "year", "This report "
			    "covers years: use from_year and to_year.");
		else if ((f->year = year_parse(s)) == -1)
			cJSON_AddStringToObject(fields, "year", "Enter a "
			    "financial year like 2016/17 (or 2016).");
		else {
			snprintf(f->from, sizeof(f->from), "%04u-04-01",
			    (unsigned)f->year % 10000u);
			snprintf(f->to, sizeof(f->to), "%04u-03-31",
			    (unsigned)(f->year + 1) % 10000u);
		}
	}
	if (!(takes & REPORT_TAKES_YEARS))
		return;
	if ((s = qs_get(q, "from_year")) != NULL &&
	    (f->from_year = year_parse(s)) == -1)
		cJSON_AddStringToObject(fields, "from_year", "Enter a "
		    "financial year like 2013/14.");
	if ((s = qs_get(q, "to_year")) != NULL &&
	    (f->to_year = year_parse(s)) == -1)
		cJSON_AddStringToObject(fields, "to_year", "Enter a "
		    "financial year like 2016/17 (or 2016).");
	if (f->year != -1)
		f->from_year = f->to_year = f->year;
	if (f->from_year != -1 && f->to_year != -1 &&
	    (f->from_year > f->to_year || f->to_year - f->from_year > 19))
		cJSON_AddStringToObject(fields, "to_year", "Enter a year on or "
		    "after from_year, at most 20 years in all.");
}

/* "from" and "to", each narrowing the year's dates, never widening. */
static void
report_filter_dates(const struct qs *q, struct report_filter *f,
    cJSON *fields)
{
	const char	*s;

	if ((s = qs_get(q, "from")) != NULL) {
		if (!text_is_date(s))
			cJSON_AddStringToObject(fields, "from", "Enter a date "
			    "as YYYY-MM-DD.");
		else if (f->from[0] == '\0' || strcmp(s, f->from) > 0)
			snprintf(f->from, sizeof(f->from), "%s", s);
	}
	if ((s = qs_get(q, "to")) != NULL) {
		if (!text_is_date(s))
			cJSON_AddStringToObject(fields, "to", "Enter a date "
			    "as YYYY-MM-DD.");
		else if (f->to[0] == '\0' || strcmp(s, f->to) < 0)
			snprintf(f->to, sizeof(f->to), "%s", s);
	}
}

/* A course, an agency, a topic, a group level, a sector, an area. */
static void
report_filter_narrow(const struct qs *q, struct report_filter *f,
    cJSON *fields)
{
	const char	*s;

	if ((s = qs_get(q, "course_id")) != NULL &&
	    report_id(s, f->course, sizeof(f->course)) == -1)
		cJSON_AddStringToObject(fields, "course_id", "Enter a course's "
		    "number.");
	if ((s = qs_get(q, "agency_id")) != NULL &&
	    report_id(s, f->agency, sizeof(f->agency)) == -1)
		cJSON_AddStringToObject(fields, "agency_id", "Enter an "
		    "agency's number.");
	if ((f->topic = qs_get(q, "topic")) != NULL && !report_code(f->topic))
		cJSON_AddStringToObject(fields, "topic", "Enter a topic's code, "
		    "like neglect.");
	if ((f->level = qs_get(q, "group_level")) != NULL &&
	    !report_code(f->level))
		cJSON_AddStringToObject(fields, "group_level", "Enter a group "
		    "level's code, like G3.");
	if ((f->sector = qs_get(q, "sector")) != NULL &&
	    report_sector_name(f->sector) == f->sector)
		cJSON_AddStringToObject(fields, "sector", "Enter a sector, like "
		    "health or education.");
	if ((f->area = qs_get(q, "area")) != NULL &&
	    (text_utf8_length(f->area) > 200 || !text_is_clean(f->area)))
		cJSON_AddStringToObject(fields, "area", "Enter an area's name.");
}

/*
 * Formats to leave out, comma-separated, in one parameter or many: a
 * set, so each format once and in the table's order, whatever the order
 * and repeats given (the literal holds all six at most), into
 * f->exclude as an array literal and f->excluded as names.
 */
static void
report_filter_exclude(const struct qs *q, struct report_filter *f,
    cJSON *fields)
{
	const char	*s, *e;
	size_t		 i, len, k, n;
	unsigned int	 excluding;

	excluding = 0;
	for (n = 0; n < q->n; n++) {
		if (strcmp(q->params[n].name, "exclude_formats") != 0)
			continue;
		for (s = q->params[n].value; *s != '\0'; s = *e ? e + 1 : e) {
			e = s + strcspn(s, ",");
			len = (size_t)(e - s);
			for (i = 0; i < NITEMS(report_formats); i++) {
				if (strlen(report_formats[i][0]) == len &&
				    strncmp(s, report_formats[i][0], len) == 0)
					break;
			}
			if (i == NITEMS(report_formats)) {
				if (cJSON_GetObjectItem(fields,
				    "exclude_formats") == NULL)
					cJSON_AddStringToObject(fields,
					    "exclude_formats", "Enter formats "
					    "separated by commas, like "
					    "seminar,conference.");
				break;
			}
			excluding |= 1u << i;
		}
	}
	if (excluding == 0)
		return;
	snprintf(f->exclude, sizeof(f->exclude), "{");
	for (i = k = 0; i < NITEMS(report_formats); i++) {
		if (!(excluding & (1u << i)))
			continue;
		cJSON_AddItemToArray(f->excluded,
		    cJSON_CreateString(report_formats[i][0]));
		len = strlen(f->exclude);
		snprintf(f->exclude + len, sizeof(f->exclude) - len, "%s%s",
		    k++ ? "," : "", report_formats[i][0]);
	}
	len = strlen(f->exclude);
	snprintf(f->exclude + len, sizeof(f->exclude) - len, "}");
}

/* "by": the breakdown, for a report that takes one. */
static void
report_filter_by(const struct qs *q, int takes, struct report_filter *f,
    cJSON *fields)
{
	const char	*s;
	size_t		 i;

	if ((s = qs_get(q, "by")) == NULL)
		return;
	for (i = 0; i < REPORT_BY__MAX; i++) {
		if (strcmp(s, report_by_names[i]) == 0)
			f->by = (enum report_by)i;
	}
	if (!(takes & REPORT_TAKES_BY) ||
	    strcmp(s, report_by_names[f->by]) != 0)
		cJSON_AddStringToObject(fields, "by", "Enter agency, sector, "
		    "course, topic or group_level.");
}

void
report_filter_free(struct report_filter *f)
{
	cJSON_Delete(f->excluded);
	f->excluded = NULL;
}

/*
 * The key a report's answer is kept under (db_report_answer.c): the
 * report `name`, its audience (coordinators, readers; with `viewer`, the
 * person whose own typed-in forms do not count for them, or "") and the
 * query `q` as the handlers read it, without its
 * format (a CSV is the same answer written otherwise) and its page
 * (limit, offset: a report that pages says its page in `name`). Caller
 * frees; NULL when out of memory.
 */
char *
report_key(const char *name, int coordinator, const char *viewer,
    const struct qs *q)
{
	static const char *const apart[] = { "format", "limit", "offset",
		NULL };
	char	*query, *key;
	size_t	 len;

	if ((query = qs_canonical(q, apart)) == NULL)
		return (NULL);
	len = strlen(name) + strlen(viewer) + strlen(query) + 24;
	if ((key = malloc(len)) != NULL)
		snprintf(key, len, "%s|%s%s%s|%s", name, coordinator ?
		    "coordinator" : "reader", viewer[0] ? ":" : "", viewer,
		    query);
	free(query);
	return (key);
}

/*
 * The attendance report: places taken up (attended or partial) by row
 * and financial year, from_year..to_year, from `cells` ([{"key","label",
 * "fy","places"}]) and `totals` ([{"fy","places"}], each booking once).
 * Each row's trend is the OLS slope over the years, "up" or "down" only
 * where its p < 0.05. Caller owns the answer.
 */
cJSON *
report_attendance(const cJSON *cells, const cJSON *totals, int from_year,
    int to_year, enum report_by by)
{
	const cJSON	*c, *d;
	cJSON		*out, *years, *rows, *t;
	double		*x, *y;
	char		 label[8];
	const char	*key, *name;
	int		 n, i, fy;

	n = to_year - from_year + 1;
	x = calloc((size_t)n, sizeof(*x));
	y = calloc((size_t)n, sizeof(*y));
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "by", report_by_names[by]);
	/* The years, labelled and as the trends' x. */
	years = cJSON_AddArrayToObject(out, "years");
	for (i = 0; i < n; i++) {
		year_label(from_year + i, label, sizeof(label));
		cJSON_AddItemToArray(years, cJSON_CreateString(label));
		x[i] = from_year + i;
	}
	/* The rows: the cells come ordered by label and key, one row a key. */
	rows = cJSON_AddArrayToObject(out, "rows");
	for (c = cells != NULL ? cells->child : NULL; c != NULL; c = d) {
		key = report_str(c, "key");
		name = report_str(c, "label");
		memset(y, 0, (size_t)n * sizeof(*y));
		for (d = c; d != NULL && strcmp(report_str(d, "key"), key) == 0;
		    d = d->next) {
			fy = (int)report_num(d, "fy");
			if (fy >= from_year && fy <= to_year)
				y[fy - from_year] += report_num(d, "places");
		}
		cJSON_AddItemToArray(rows, report_attendance_row(key,
		    by == REPORT_BY_SECTOR ? report_sector_name(name) : name,
		    x, y, n));
	}
	/* The whole, each booking once: its places each year and trend. */
	memset(y, 0, (size_t)n * sizeof(*y));
	cJSON_ArrayForEach(d, totals) {
		fy = (int)report_num(d, "fy");
		if (fy >= from_year && fy <= to_year)
			y[fy - from_year] = report_num(d, "places");
	}
	cJSON_AddNumberToObject(out, "total", report_attendance_counts(
	    cJSON_AddArrayToObject(out, "totals"), y, n));
	t = cJSON_AddObjectToObject(out, "trend");
	(void)report_attendance_trend(t, x, y, n);
	free(x);
	free(y);
	return (out);
}

/*
 * A row of the attendance report: `key`, `label`, its places `y` in the
 * `n` years `x`, their total and trend ("flat", slope and p null, when
 * there is none).
 */
static cJSON *
report_attendance_row(const char *key, const char *label, const double *x,
    const double *y, int n)
{
	cJSON	*row, *counts, *t;
	double	 sum;

	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "key", key);
	cJSON_AddStringToObject(row, "label", label);
	counts = cJSON_AddArrayToObject(row, "counts");
	sum = report_attendance_counts(counts, y, n);
	cJSON_AddNumberToObject(row, "total", sum);
	t = cJSON_AddObjectToObject(row, "trend");
	if (report_attendance_trend(t, x, y, n) == -1) {
		cJSON_AddNullToObject(t, "slope");
		cJSON_AddNullToObject(t, "p");
		cJSON_AddStringToObject(t, "direction", "flat");
	}
	return (row);
}

/* The `n` counts `y` appended to the array `arr`; returns their sum. */
static double
report_attendance_counts(cJSON *arr, const double *y, int n)
{
	double	sum;
	int	i;

	for (sum = 0, i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(y[i]));
		sum += y[i];
	}
	return (sum);
}

/*
 * The OLS trend of `y` over the years `x` (`n` of them) into `t`: slope,
 * p and direction ("up" or "down" only where p < 0.05). Returns 0, or -1
 * (nothing added) when there is none: fewer than two years, or no slope.
 */
static int
report_attendance_trend(cJSON *t, const double *x, const double *y, int n)
{
	struct stats_trend	tr;

	if (n < 2 || stats_trend(x, y, (size_t)n, &tr) != 0)
		return (-1);
	figure_number(t, "slope", tr.slope);
	figure_number(t, "p", tr.p);
	cJSON_AddStringToObject(t, "direction", !(tr.p < 0.05) ? "flat" :
	    tr.slope > 0 ? "up" : "down");
	return (0);
}

/*
 * The courses report from `rows` (one a course: counts, and the
 * "overall" ratings and "knowledge"/"confidence" [before, after] pairs of
 * its released forms). Rates with Wilson intervals; the mean rating and
 * the impact score are answers, suppressed under 5 unless `exempt` (the
 * handlers exempt no one).
 */
cJSON *
report_courses(const cJSON *rows, int exempt, double level)
{
	const cJSON	*r;
	cJSON		*out, *arr, *o;
	size_t		 offered, booked, taken, attended, partial, noshow, late;
	size_t		 counted;

	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "level", level);
	arr = cJSON_AddArrayToObject(out, "rows");
	cJSON_ArrayForEach(r, rows) {
		offered = (size_t)report_num(r, "places_offered");
		booked = (size_t)report_num(r, "booked");
		attended = (size_t)report_num(r, "attended");
		partial = (size_t)report_num(r, "partial");
		noshow = (size_t)report_num(r, "no_show");
		late = (size_t)report_num(r, "late_cancelled");
		taken = attended + partial;
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "course_id", report_num(r,
		    "course_id"));
		cJSON_AddStringToObject(o, "code", report_str(r, "code"));
		cJSON_AddStringToObject(o, "title", report_str(r, "title"));
		cJSON_AddStringToObject(o, "format",
		    report_format_name(report_str(r, "format")));
		cJSON_AddNumberToObject(o, "sessions", report_num(r,
		    "sessions"));
		cJSON_AddNumberToObject(o, "places_offered", (double)offered);
		cJSON_AddNumberToObject(o, "booked", (double)booked);
		cJSON_AddNumberToObject(o, "attended", (double)attended);
		cJSON_AddNumberToObject(o, "partial", (double)partial);
		cJSON_AddNumberToObject(o, "no_show", (double)noshow);
		cJSON_AddNumberToObject(o, "late_cancelled", (double)late);
		cJSON_AddNumberToObject(o, "peak_waitlist", report_num(r,
		    "peak_waitlist"));
		cJSON_AddNumberToObject(o, "forms", report_num(r, "forms"));
		cJSON_AddItemToObject(o, "fill_rate", figure_proportion(
		    booked < offered ? booked : offered, offered, level, 1));
		cJSON_AddItemToObject(o, "attendance_rate", figure_proportion(
		    taken, taken + noshow, level, 1));
		cJSON_AddItemToObject(o, "no_show_rate", figure_proportion(
		    noshow, taken + noshow, level, 1));
		cJSON_AddItemToObject(o, "late_cancellation_rate",
		    figure_proportion(late, booked, level, 1));
		counted = (size_t)report_num(r, "places_counted");
		cJSON_AddItemToObject(o, "same_day_completion",
		    figure_proportion((size_t)report_num(r, "forms") < counted ?
		    (size_t)report_num(r, "forms") : counted, counted, level,
		    1));
		cJSON_AddItemToObject(o, "overall_rating", report_mean(
		    cJSON_GetObjectItemCaseSensitive(r, "overall"), level,
		    exempt));
		cJSON_AddItemToObject(o, "knowledge", report_pairs(
		    cJSON_GetObjectItemCaseSensitive(r, "knowledge"), level,
		    exempt));
		cJSON_AddItemToObject(o, "confidence", report_pairs(
		    cJSON_GetObjectItemCaseSensitive(r, "confidence"), level,
		    exempt));
		cJSON_AddItemToArray(arr, o);
	}
	return (out);
}

/*
 * The agencies report from `rows` ([{"agency_id","name","sector",
 * "booked","attended","partial","no_show"}]): each agency's no-show rate
 * (of places due: attended, partial and no-show) with its interval, and
 * the chi-square test of whether the rates differ between agencies.
 */
cJSON *
report_agencies(const cJSON *rows, double level)
{
	struct stats_chisq	 chi;
	const cJSON		*r;
	cJSON			*out, *arr, *o, *t;
	size_t			*shows, *noshows, k, taken, noshow;

	k = (size_t)cJSON_GetArraySize(rows);
	shows = calloc(k + 1, sizeof(*shows));
	noshows = calloc(k + 1, sizeof(*noshows));
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "level", level);
	arr = cJSON_AddArrayToObject(out, "rows");
	k = 0;
	cJSON_ArrayForEach(r, rows) {
		taken = (size_t)(report_num(r, "attended") +
		    report_num(r, "partial"));
		noshow = (size_t)report_num(r, "no_show");
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "agency_id", report_num(r,
		    "agency_id"));
		cJSON_AddStringToObject(o, "name", report_str(r, "name"));
		cJSON_AddStringToObject(o, "sector", report_sector_name(
		    report_str(r, "sector")));
		cJSON_AddNumberToObject(o, "booked", report_num(r, "booked"));
		cJSON_AddNumberToObject(o, "places", (double)taken);
		cJSON_AddNumberToObject(o, "no_show", (double)noshow);
		cJSON_AddItemToObject(o, "no_show_rate", figure_proportion(
		    noshow, taken + noshow, level, 1));
		cJSON_AddItemToArray(arr, o);
		if (shows != NULL && noshows != NULL) {
			shows[k] = taken;
			noshows[k] = noshow;
		}
		k++;
	}
	t = cJSON_AddObjectToObject(out, "chi_square");
	if (shows != NULL && noshows != NULL && k >= 2 &&
	    stats_chisq_2xk(noshows, shows, k, &chi) == 0) {
		figure_number(t, "statistic", chi.statistic);
		figure_number(t, "df", chi.df);
		figure_number(t, "p", chi.p);
		cJSON_AddNumberToObject(t, "agencies", (double)chi.k);
		cJSON_AddNumberToObject(t, "n", (double)chi.n);
	} else {
		cJSON_AddNullToObject(t, "statistic");
		cJSON_AddNullToObject(t, "df");
		cJSON_AddNullToObject(t, "p");
	}
	free(shows);
	free(noshows);
	return (out);
}

/* A number field of `o` (0 when absent or not a number). */
static double
report_num(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsNumber(v) ? v->valuedouble : 0.0);
}

/* A string field of `o` ("" when absent). */
static const char *
report_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsString(v) ? v->valuestring : "");
}

/* The mean of the numbers of array `a` (figure_mean()). */
static cJSON *
report_mean(const cJSON *a, double level, int coordinator)
{
	const cJSON	*v;
	cJSON		*o;
	double		*x;
	size_t		 n;

	if ((x = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*x))) ==
	    NULL) {
		o = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "suppressed", 1);
		return (o);
	}
	n = 0;
	cJSON_ArrayForEach(v, a) {
		if (cJSON_IsNumber(v))
			x[n++] = v->valuedouble;
	}
	o = figure_mean(x, n, level, coordinator);
	free(x);
	return (o);
}

/*
 * Before/after pairs `a` ([[before, after], ...]): the mean change with
 * its paired t interval and test, the signed-rank test, and the impact
 * score.
 */
static cJSON *
report_pairs(const cJSON *a, double level, int coordinator)
{
	struct stats_paired	 p;
	struct stats_impact	 im;
	cJSON			*o;
	double			*b, *f;
	size_t			 n;

	o = cJSON_CreateObject();
	n = report_doubles(a, &b, &f);
	if (stats_suppressed(n, coordinator)) {
		cJSON_AddBoolToObject(o, "suppressed", 1);
		goto out;
	}
	cJSON_AddNumberToObject(o, "n", (double)n);
	if (n == 0 || stats_paired(b, f, n, level, &p) == -1 ||
	    stats_impact(b, f, n, &im) == -1)
		goto out;
	figure_number(o, "mean_before", p.mean_before);
	figure_number(o, "mean_after", p.mean_after);
	figure_number(o, "mean_diff", p.mean_diff);
	figure_number(o, "ci_lower", p.ci_lower);
	figure_number(o, "ci_upper", p.ci_upper);
	figure_number(o, "t", p.t);
	figure_number(o, "p_t", p.p_t);
	figure_number(o, "dz", p.dz);
	figure_number(o, "z", p.z);
	figure_number(o, "p_w", p.p_w);
	figure_number(o, "rank_biserial", p.rank_biserial);
	figure_number(o, "impact_score", im.score);
out:
	free(b);
	free(f);
	return (o);
}

/*
 * The pairs of `a` into new arrays `*b` and `*f` (caller frees both).
 * A pair is [before, after], or [before, after, n] for n people who gave
 * it (a whole number from 1): such a pair is n pairs of the arrays.
 */
static size_t
report_doubles(const cJSON *a, double **b, double **f)
{
	const cJSON	*v;
	size_t		 n, k, i, times;

	n = 0;
	cJSON_ArrayForEach(v, a)
		n += report_pair_times(v);
	*b = calloc(n + 1, sizeof(**b));
	*f = calloc(n + 1, sizeof(**f));
	if (*b == NULL || *f == NULL)
		return (0);
	k = 0;
	cJSON_ArrayForEach(v, a) {
		times = report_pair_times(v);
		for (i = 0; i < times; i++, k++) {
			(*b)[k] = cJSON_GetArrayItem(v, 0)->valuedouble;
			(*f)[k] = cJSON_GetArrayItem(v, 1)->valuedouble;
		}
	}
	return (k);
}

/* How many pairs `v` stands for: 1 or its count, 0 when it is none. */
static size_t
report_pair_times(const cJSON *v)
{
	const cJSON	*n;
	int		 len;

	len = cJSON_GetArraySize(v);
	if ((len != 2 && len != 3) ||
	    !cJSON_IsNumber(cJSON_GetArrayItem(v, 0)) ||
	    !cJSON_IsNumber(cJSON_GetArrayItem(v, 1)))
		return (0);
	if (len == 2)
		return (1);
	n = cJSON_GetArrayItem(v, 2);
	if (!cJSON_IsNumber(n) || n->valuedouble < 1 ||
	    n->valuedouble > 1e9 || n->valuedouble != (double)(long)n->valuedouble)
		return (0);
	return ((size_t)n->valuedouble);
}

/* A whole number id into `buf`: 0, or -1. */
static int
report_id(const char *s, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (-1);
	}
	if (i == 0 || i > 18)
		return (-1);
	snprintf(buf, len, "%s", s);
	return (0);
}

/* A code: letters, digits, underscores, 1 to 40 of them. */
static int
report_code(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return (0);
	}
	return (i > 0 && i <= 40);
}

/*
 * The same-day forms of `counts` ([column, value, paired value, forms]
 * entries: db_report.c) into `f`, one row a form: each column is filled
 * with its values in turn (a column's counts add up to the forms). That
 * is all evaluation_summary() reads of them: it takes each column alone
 * and pairs only before with after (knowledge, confidence), which
 * come as pairs. The columns are REPORT_FORM_* (report.h). Allocates f->ratings, f->scores, f->outcomes and
 * f->improve (the caller frees them). Returns 0, or -1 when out of
 * memory or the counts do not add up (then the arrays are freed).
 */
static int
report_forms_read(const cJSON *counts, struct evaluation_forms *f)
{
	const cJSON	*e;
	size_t		 n, k, i, pos[REPORT_FORM__MAX];
	int		 col, a, b;

	memset(f, 0, sizeof(*f));
	memset(pos, 0, sizeof(pos));
	n = 0;
	cJSON_ArrayForEach(e, counts) {
		if (report_int(e, 0) == REPORT_FORM_CONTENT)
			n += (size_t)report_int(e, 3);
	}
	f->ratings = calloc(n + 1, sizeof(*f->ratings));
	f->scores = calloc(n + 1, sizeof(*f->scores));
	f->outcomes = calloc(n + 1, sizeof(*f->outcomes));
	f->improve = calloc(n + 1, sizeof(*f->improve));
	if (f->ratings == NULL || f->scores == NULL || f->outcomes == NULL ||
	    f->improve == NULL)
		goto fail;
	cJSON_ArrayForEach(e, counts) {
		col = report_int(e, 0);
		a = report_int(e, 1);
		b = report_int(e, 2);
		k = (size_t)report_int(e, 3);
		if (col < 0 || col >= REPORT_FORM__MAX || pos[col] + k > n)
			goto fail;
		for (i = pos[col]; i < pos[col] + k; i++) {
			switch (col) {
			case REPORT_FORM_CONTENT:
			case REPORT_FORM_DELIVERY:
			case REPORT_FORM_VENUE:
			case REPORT_FORM_TRAINER:
			case REPORT_FORM_OVERALL:
				f->ratings[i][col - REPORT_FORM_CONTENT] = a;
				break;
			case REPORT_FORM_KNOWLEDGE:
				f->scores[i][0] = a;
				f->scores[i][1] = b;
				break;
			case REPORT_FORM_CONFIDENCE:
				f->scores[i][2] = a;
				f->scores[i][3] = b;
				break;
			case REPORT_FORM_OUTCOMES:
				f->outcomes[i] = a;
				break;
			case REPORT_FORM_IMPROVE:
				f->improve[i] = a;
				break;
			case REPORT_FORM_SOURCE:
				if (a == 1)
					f->online++;
				else
					f->paper++;
				break;
			}
		}
		pos[col] += k;
	}
	f->n = n;
	return (0);
fail:
	free(f->ratings);
	free(f->scores);
	free(f->outcomes);
	free(f->improve);
	memset(f, 0, sizeof(*f));
	return (-1);
}

/* Item `i` of the array `a` as an int (0 when not a number). */
static int
report_int(const cJSON *a, int i)
{
	const cJSON	*v = cJSON_GetArrayItem(a, i);

	return (cJSON_IsNumber(v) ? (int)v->valuedouble : 0);
}

/*
 * The evaluation report from `raw` (db_report_evaluation()'s gathering):
 * places; each stage's completion; the same-day figures as a session's
 * summary has them (evaluation_summary()); sustained impact (follow-up
 * confidence against the same delegates' before); applied learning and
 * manager-confirmed change (managers named by a staff list), with the
 * managers delegates named themselves apart; and, where `raw` has "rows", the breakdown
 * with complementary suppression. Every block of answers is suppressed
 * under 5 respondents unless `exempt` (the handlers exempt no one).
 * NULL when the forms' counts cannot be read (out of memory).
 */
cJSON *
report_evaluation(const cJSON *raw, int exempt, double level)
{
	cJSON	*out;

	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "level", level);
	/* The places: booked, attended, ... as counted. */
	report_evaluation_places(out, cJSON_GetObjectItemCaseSensitive(raw,
	    "places"));
	/* Same day: the session summary's figures over every form. */
	if (report_evaluation_same_day(out, raw, exempt, level) == -1) {
		cJSON_Delete(out);
		return (NULL);
	}
	/* How many forms came back at each stage. */
	report_evaluation_completion(out, raw, level);
	/* Three months on: sustained confidence, learning applied, and the
	 * change managers saw. */
	report_evaluation_later(out, raw, exempt, level);
	/* The breakdown, where one was asked for. */
	report_evaluation_rows(out, raw, exempt, level);
	return (out);
}

/* The places of the evaluation's sessions, `places`, into `out`. */
static void
report_evaluation_places(cJSON *out, const cJSON *places)
{
	cJSON	*o;

	o = cJSON_AddObjectToObject(out, "places");
	cJSON_AddNumberToObject(o, "booked", report_num(places, "booked"));
	cJSON_AddNumberToObject(o, "attended", report_num(places, "attended"));
	cJSON_AddNumberToObject(o, "partial", report_num(places, "partial"));
	cJSON_AddNumberToObject(o, "no_show", report_num(places, "no_show"));
	cJSON_AddNumberToObject(o, "late_cancelled", report_num(places,
	    "late_cancelled"));
	cJSON_AddNumberToObject(o, "unscheduled", report_num(places,
	    "unscheduled"));
	cJSON_AddNumberToObject(o, "not_attributable", report_num(places,
	    "not_attributable"));
}

/*
 * The same-day figures of `raw` into `out` ("same_day"): its forms'
 * counts read as forms and summed up as a session's summary is, less
 * what belongs to one session only. Returns 0, or -1 when the counts
 * cannot be read.
 */
static int
report_evaluation_same_day(cJSON *out, const cJSON *raw, int exempt,
    double level)
{
	struct evaluation_forms	 f;
	const cJSON		*places;
	cJSON			*same;

	if (report_forms_read(cJSON_GetObjectItemCaseSensitive(raw, "forms"),
	    &f) == -1)
		return (-1);
	/* Completion: every form of the sessions counted, against their
	 * places; the answers: released forms only (f.n). */
	places = cJSON_GetObjectItemCaseSensitive(raw, "places");
	f.attended = (size_t)report_num(places, "counted_attended");
	f.partial = (size_t)report_num(places, "counted_partial");
	f.online = (size_t)report_num(raw, "forms_online");
	f.paper = (size_t)report_num(raw, "forms_paper");
	f.walk_ins = (size_t)report_num(places, "unscheduled");
	same = evaluation_summary(&f, exempt, level);
	cJSON_DeleteItemFromObject(same, "comments");
	cJSON_DeleteItemFromObject(same, "actions");
	cJSON_DeleteItemFromObject(same, "places");
	cJSON_DeleteItemFromObject(same, "level");
	cJSON_AddItemToObject(out, "same_day", same);
	free(f.ratings);
	free(f.scores);
	free(f.outcomes);
	free(f.improve);
	return (0);
}

/*
 * Each stage's completion from `raw` into `out` ("completion"): forms
 * before the course of those asked, same-day forms (every form of the
 * sessions counted, no more than their places), follow-ups done of those
 * due, managers who answered of those asked. Never suppressed.
 */
static void
report_evaluation_completion(cJSON *out, const cJSON *raw, double level)
{
	const cJSON	*places;
	cJSON		*o;
	size_t		 forms, taken;

	places = cJSON_GetObjectItemCaseSensitive(raw, "places");
	forms = (size_t)report_num(raw, "forms_online") +
	    (size_t)report_num(raw, "forms_paper");
	taken = (size_t)report_num(places, "counted_attended") +
	    (size_t)report_num(places, "counted_partial");
	o = cJSON_AddObjectToObject(out, "completion");
	cJSON_AddItemToObject(o, "before", figure_proportion(
	    (size_t)report_num(raw, "baselines"),
	    (size_t)report_num(raw, "baselines_asked"), level, 1));
	cJSON_AddItemToObject(o, "same_day", figure_proportion(
	    forms < taken ? forms : taken, taken, level, 1));
	cJSON_AddItemToObject(o, "followup", figure_proportion(
	    (size_t)report_num(raw, "followups_done"),
	    (size_t)report_num(raw, "followups_due"), level, 1));
	cJSON_AddItemToObject(o, "manager", figure_proportion(
	    (size_t)report_num(raw, "managers_answered"),
	    (size_t)report_num(raw, "managers_asked"), level, 1));
}

/*
 * What `raw` says three months on, into `out`: sustained confidence
 * (pairs), learning applied, and change seen by managers a staff list
 * names ("manager_confirmed") apart from those the delegate named
 * themselves, a mailbox they might hold ("manager_self_reported").
 */
static void
report_evaluation_later(cJSON *out, const cJSON *raw, int exempt,
    double level)
{
	cJSON_AddItemToObject(out, "sustained", report_pairs(
	    cJSON_GetObjectItemCaseSensitive(raw, "sustained"), level,
	    exempt));
	cJSON_AddItemToObject(out, "applied", figure_proportion(
	    (size_t)report_num(raw, "applied_yes"),
	    (size_t)report_num(raw, "applied_answered"), level, exempt));
	cJSON_AddItemToObject(out, "manager_confirmed", figure_proportion(
	    (size_t)report_num(raw, "managers_staff_yes"),
	    (size_t)report_num(raw, "managers_staff_shown"), level,
	    exempt));
	cJSON_AddItemToObject(out, "manager_self_reported", figure_proportion(
	    (size_t)report_num(raw, "managers_self_yes"),
	    (size_t)report_num(raw, "managers_self_shown"), level,
	    exempt));
}

/*
 * The breakdown of `raw` ("rows": course, agency or sector), when it has
 * one, into `out`: a row each, its forms and figures hidden where a row
 * is under 5 respondents or would let a hidden one be worked out
 * (stats_suppress_breakdown()); and the forms no row can be given.
 */
static void
report_evaluation_rows(cJSON *out, const cJSON *raw, int exempt,
    double level)
{
	const cJSON	*r, *v;
	cJSON		*arr, *row;
	size_t		 i, n, *counts;
	int		*hide;

	r = cJSON_GetObjectItemCaseSensitive(raw, "rows");
	if (!cJSON_IsArray(r))
		return;
	n = (size_t)cJSON_GetArraySize(r);
	counts = calloc(n + 1, sizeof(*counts));
	hide = calloc(n + 1, sizeof(*hide));
	arr = cJSON_AddArrayToObject(out, "rows");
	cJSON_AddNumberToObject(out, "rows_not_attributable",
	    report_num(raw, "rows_not_attributable"));
	if (counts == NULL || hide == NULL)
		goto done;
	i = 0;
	cJSON_ArrayForEach(v, r)
		counts[i++] = (size_t)report_num(v, "forms");
	stats_suppress_breakdown(counts, n, exempt, hide);
	i = 0;
	cJSON_ArrayForEach(v, r) {
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "key", report_str(v, "key"));
		cJSON_AddStringToObject(row, "label", report_str(v, "label"));
		cJSON_AddBoolToObject(row, "suppressed", hide[i]);
		if (!hide[i]) {
			cJSON_AddNumberToObject(row, "respondents",
			    (double)counts[i]);
			cJSON_AddItemToObject(row, "improve_safeguarding",
			    figure_proportion((size_t)report_num(v,
			    "improve_yes"), (size_t)report_num(v,
			    "improve_answered"), level, 1));
			cJSON_AddItemToObject(row, "overall_rating",
			    report_mean(cJSON_GetObjectItemCaseSensitive(v,
			    "overall"), level, 1));
		}
		cJSON_AddItemToArray(arr, row);
		i++;
	}
done:
	free(counts);
	free(hide);
}

/*
 * Schools' and settings' coverage by group level from `rows`
 * ([{"group_level","name","n","trained","lapsing"}], summed over the
 * settings): coverage with its Wilson interval, still required, lapsing.
 */
cJSON *
report_coverage(const cJSON *rows, double level)
{
	struct stats_coverage	 c;
	const cJSON		*r;
	cJSON			*out, *arr, *o;
	size_t			 n, trained, lapsing;

	out = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(out, "rows");
	cJSON_ArrayForEach(r, rows) {
		n = (size_t)report_num(r, "n");
		trained = (size_t)report_num(r, "trained");
		lapsing = (size_t)report_num(r, "lapsing");
		/* Staff on the list may outnumber the declared headcount. */
		if (trained > n)
			trained = n;
		if (lapsing > trained)
			lapsing = trained;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "group_level", report_str(r, "name"));
		cJSON_AddNumberToObject(o, "staff", (double)n);
		cJSON_AddNumberToObject(o, "trained", (double)trained);
		if (stats_coverage(n, trained, lapsing, 0.0, 0.0, &c) == 0) {
			cJSON_AddNumberToObject(o, "required",
			    (double)c.required);
			cJSON_AddNumberToObject(o, "lapsing", (double)c.lapsing);
		}
		cJSON_AddItemToObject(o, "coverage", figure_proportion(trained,
		    n, level, 1));
		cJSON_AddItemToArray(arr, o);
	}
	return (out);
}

static void	report_csv_count(struct csv_out *, const cJSON *, const char *);
static double	report_figure(const cJSON *, const char *);
static void	report_csv_interval(struct csv_out *, const cJSON *, int);
static void	report_csv_attendance(const cJSON *, struct csv_out *);
static void	report_csv_courses(const cJSON *, struct csv_out *);
static void	report_csv_agencies(const cJSON *, struct csv_out *);
static void	report_csv_evaluation(const cJSON *, struct csv_out *);

/* The reports that have a CSV, each with its writer. */
static const struct {
	const char	*kind;
	void		(*write)(const cJSON *, struct csv_out *);
} report_csv_kinds[] = {
	{ "attendance", report_csv_attendance },
	{ "courses", report_csv_courses },
	{ "agencies", report_csv_agencies },
	{ "evaluation", report_csv_evaluation },
};

/*
 * Report `r` of kind `kind` (attendance, courses, agencies, evaluation)
 * as CSV into `out` (csv_out_free() releases it), as every report's CSV
 * is written (csv_out_report() in csv.c): one table, plain-English
 * column names, counts whole, rates as percentages with their 95 %
 * interval. Returns 0, or -1 for a kind that has no CSV.
 */
int
report_csv(const cJSON *r, const char *kind, struct csv_out *out)
{
	size_t	i;

	for (i = 0; i < NITEMS(report_csv_kinds); i++) {
		if (strcmp(kind, report_csv_kinds[i].kind) == 0) {
			report_csv_kinds[i].write(r, out);
			return (0);
		}
	}
	csv_out_init(out);
	return (-1);
}

/*
 * The attendance report `r` (report_attendance()): a row a row of the
 * report with its places each year, total and trend, then the totals.
 */
static void
report_csv_attendance(const cJSON *r, struct csv_out *out)
{
	static const char *const firsts[][2] = {
	    { "agency", "Agency" }, { "sector", "Sector" },
	    { "course", "Course" }, { "topic", "Topic" },
	    { "group_level", "Group level" } };
	const cJSON	*row, *v;
	const char	*first = "Row";
	size_t		 i;

	/* The header: what the rows are, the years, the total, the trend. */
	for (i = 0; i < NITEMS(firsts); i++)
		if (strcmp(report_str(r, "by"), firsts[i][0]) == 0)
			first = firsts[i][1];
	csv_out_report(out, NULL);
	csv_out_field(out, first, 0);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(r, "years"))
		csv_out_field(out, v->valuestring, 0);
	csv_out_field(out, "Total", 0);
	csv_out_field(out, "Trend (places a year)", 0);
	csv_out_field(out, "Trend p-value", 0);
	csv_out_field(out, "Trend", 0);
	csv_out_end_row(out);
	/* A row a row of the report. */
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(r, "rows")) {
		csv_out_field(out, report_str(row, "label"), 1);
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(row,
		    "counts"))
			csv_out_count(out, v->valuedouble);
		csv_out_count(out, report_figure(row, "total"));
		v = cJSON_GetObjectItemCaseSensitive(row, "trend");
		csv_out_decimal(out, report_figure(v, "slope"), 1);
		csv_out_decimal(out, report_figure(v, "p"), 3);
		csv_out_field(out, report_trend_name(report_str(v,
		    "direction")), 0);
		csv_out_end_row(out);
	}
	/* The totals (each booking once). */
	csv_out_field(out, "Total", 0);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(r, "totals"))
		csv_out_count(out, v->valuedouble);
	csv_out_count(out, report_figure(r, "total"));
	/* No trend of the whole: every row as long as the header. */
	csv_out_field(out, "", 0);
	csv_out_field(out, "", 0);
	csv_out_field(out, "", 0);
	csv_out_end_row(out);
}

/*
 * The courses report `r` (report_courses()): a row a course, its counts,
 * its rates and mean rating with their intervals, its impact scores.
 */
static void
report_csv_courses(const cJSON *r, struct csv_out *out)
{
	static const char *const header[] = { "Course code", "Course",
	    "Format", "Sessions", "Places offered", "Booked",
	    "Attended", "Partly attended", "No-shows",
	    "Late cancellations", "Most on the waitlist",
	    "Same-day forms",
	    "Fill rate (%)", "Fill rate: lower 95% limit (%)",
	    "Fill rate: upper 95% limit (%)",
	    "Attendance rate (%)", "Attendance rate: lower 95% limit (%)",
	    "Attendance rate: upper 95% limit (%)",
	    "No-show rate (%)", "No-show rate: lower 95% limit (%)",
	    "No-show rate: upper 95% limit (%)",
	    "Late cancellation rate (%)",
	    "Late cancellation rate: lower 95% limit (%)",
	    "Late cancellation rate: upper 95% limit (%)",
	    "Same-day forms of places attended (%)",
	    "Same-day forms of places attended: lower 95% limit (%)",
	    "Same-day forms of places attended: upper 95% limit (%)",
	    "Overall rating (1 to 5)",
	    "Overall rating: lower 95% limit",
	    "Overall rating: upper 95% limit",
	    "Knowledge impact score", "Confidence impact score", NULL };
	static const char *const counts[] = { "sessions",
	    "places_offered", "booked", "attended", "partial",
	    "no_show", "late_cancelled", "peak_waitlist", "forms" };
	static const char *const rates[] = { "fill_rate",
	    "attendance_rate", "no_show_rate",
	    "late_cancellation_rate", "same_day_completion" };
	const cJSON	*row;
	size_t		 i;

	csv_out_report(out, header);
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(r, "rows")) {
		csv_out_field(out, report_str(row, "code"), 1);
		csv_out_field(out, report_str(row, "title"), 1);
		csv_out_field(out, report_str(row, "format"), 1);
		for (i = 0; i < NITEMS(counts); i++)
			report_csv_count(out, row, counts[i]);
		for (i = 0; i < NITEMS(rates); i++)
			report_csv_interval(out,
			    cJSON_GetObjectItemCaseSensitive(row, rates[i]), 1);
		report_csv_interval(out, cJSON_GetObjectItemCaseSensitive(row,
		    "overall_rating"), 0);
		csv_out_decimal(out, report_figure(
		    cJSON_GetObjectItemCaseSensitive(row, "knowledge"),
		    "impact_score"), 0);
		csv_out_decimal(out, report_figure(
		    cJSON_GetObjectItemCaseSensitive(row, "confidence"),
		    "impact_score"), 0);
		csv_out_end_row(out);
	}
}

/*
 * The agencies report `r` (report_agencies()): a row an agency, its
 * places and its no-show rate with its interval.
 */
static void
report_csv_agencies(const cJSON *r, struct csv_out *out)
{
	static const char *const header[] = { "Agency", "Sector",
	    "Booked", "Places taken up", "No-shows",
	    "No-show rate (%)", "No-show rate: lower 95% limit (%)",
	    "No-show rate: upper 95% limit (%)", NULL };
	const cJSON	*row;

	csv_out_report(out, header);
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(r, "rows")) {
		csv_out_field(out, report_str(row, "name"), 1);
		csv_out_field(out, report_str(row, "sector"), 1);
		report_csv_count(out, row, "booked");
		report_csv_count(out, row, "places");
		report_csv_count(out, row, "no_show");
		report_csv_interval(out, cJSON_GetObjectItemCaseSensitive(row,
		    "no_show_rate"), 1);
		csv_out_end_row(out);
	}
}

/*
 * The evaluation report `r` (report_evaluation()): a row a proportion
 * (each stage's completion, then what the training changed), out of
 * how many, as a percentage with its interval; blanks and a note where
 * it is suppressed.
 */
static void
report_csv_evaluation(const cJSON *r, struct csv_out *out)
{
	static const char *const header[] = { "Measure",
	    "Out of", "Per cent (%)", "Lower 95% limit (%)",
	    "Upper 95% limit (%)", "Note", NULL };
	/* Where each proportion sits in `r`: object (none for `r` itself;
	 * "improve" for the same day's improve_safeguarding), field, name. */
	static const char *const blocks[][3] = {
	    { "completion", "before", "Before the course: completed" },
	    { "completion", "same_day", "Same day: completed" },
	    { "completion", "followup", "Follow-up: completed" },
	    { "completion", "manager", "Line manager: answered" },
	    { "same_day", "completion", "Same-day forms of places attended" },
	    { "improve", "yes", "Will improve their practice" },
	    { "", "applied", "Applied the learning" },
	    { "", "manager_confirmed", "Manager confirmed a change" },
	    { "", "manager_self_reported", "Self-named manager saw a change" },
	};
	const cJSON	*b, *in;
	size_t		 i;

	csv_out_report(out, header);
	for (i = 0; i < NITEMS(blocks); i++) {
		if (strcmp(blocks[i][0], "improve") == 0)
			in = cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(r, "same_day"),
			    "improve_safeguarding");
		else if (blocks[i][0][0] != '\0')
			in = cJSON_GetObjectItemCaseSensitive(r, blocks[i][0]);
		else
			in = r;
		b = cJSON_GetObjectItemCaseSensitive(in, blocks[i][1]);
		csv_out_field(out, blocks[i][2], 0);
		if (b == NULL || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b,
		    "suppressed"))) {
			report_csv_count(out, NULL, "n");
			report_csv_interval(out, NULL, 1);
			csv_out_field(out, "Too few answers to show", 0);
		} else {
			report_csv_count(out, b, "n");
			report_csv_interval(out, b, 1);
			csv_out_field(out, "", 0);
		}
		csv_out_end_row(out);
	}
}

/* Count `name` of `o` (blank when null or absent). */
static void
report_csv_count(struct csv_out *out, const cJSON *o, const char *name)
{
	csv_out_count(out, report_figure(o, name));
}

/*
 * A rate ({"rate","lower","upper"}) as three percentages, or with
 * `percent` 0 a mean ({"mean","lower","upper"}) to two places; blanks
 * for what is null, absent or suppressed.
 */
static void
report_csv_interval(struct csv_out *out, const cJSON *o, int percent)
{
	static const char *const names[] = { "rate", "lower", "upper" };
	double	v;
	size_t	i;

	for (i = 0; i < NITEMS(names); i++) {
		v = report_figure(o, i == 0 && !percent ? "mean" : names[i]);
		if (percent)
			csv_out_percent(out, v);
		else
			csv_out_decimal(out, v, 2);
	}
}

/* A number field of `o` for a CSV: NaN (a blank) when null or absent. */
static double
report_figure(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsNumber(v) ? v->valuedouble : NAN);
}
