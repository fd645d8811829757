/*
 * coverage: the figures of workforce coverage (README.md, Workforce coverage).
 * SQL gathers the counts of each level (n, trained, lapsing, expired,
 * never) and the sessions of the level; the rates, intervals and the
 * sessions needed come from stats/ here; handlers only render.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "stats.h"
#include "text.h"

/* Level of the coverage intervals. */
#define COVERAGE_LEVEL	0.95

/* An item being sorted by coverage_sort_worst(). */
struct coverage_item {
	cJSON	*o;
	double	 key;
	int	 at;
};

static long	coverage_count(const cJSON *, const char *);
static double	coverage_rate_of(const cJSON *);
static int	coverage_cmp(const void *, const void *);

/*
 * The basis of sessions_needed from a level's gathered sessions
 * {"capacities":[places...],"attended","booked"} into `b`: the mean
 * capacity (NaN without sessions) and the attendance rate (attended and
 * partial places over places booked that reached the session; NaN
 * without any). Returns 0, -1 for a malformed object.
 */
int
coverage_basis(const cJSON *o, struct coverage_basis *b)
{
	const cJSON		*caps, *c;
	struct stats_mean	 m;
	struct stats_proportion	 p;
	double			*x;
	size_t			 n;

	memset(b, 0, sizeof(*b));
	b->capacity = b->attendance_rate = NAN;
	caps = cJSON_GetObjectItemCaseSensitive(o, "capacities");
	if (!cJSON_IsArray(caps))
		return (-1);
	n = (size_t)cJSON_GetArraySize(caps);
	b->sessions = (long)n;
	b->attended = coverage_count(o, "attended");
	b->booked = coverage_count(o, "booked");
	if (n > 0) {
		if ((x = calloc(n, sizeof(*x))) == NULL)
			return (-1);
		n = 0;
		cJSON_ArrayForEach(c, caps)
			x[n++] = cJSON_GetNumberValue(c);
		/* The mean alone: one session has no interval, and needs none. */
		if (stats_mean(x, n, COVERAGE_LEVEL, &m) == 0)
			b->capacity = m.mean;
		free(x);
	}
	if (b->booked > 0 && b->attended >= 0 && b->attended <= b->booked &&
	    stats_proportion((size_t)b->attended, (size_t)b->booked,
	    COVERAGE_LEVEL, &p) == 0)
		b->attendance_rate = p.rate;
	return (0);
}

/*
 * Complete a level's counts {"n","trained","lapsing",...} in place with
 * "required", "coverage":{"rate","lower","upper"} (Wilson, 95%; null
 * when N is 0) and "sessions_needed" (null when it cannot be known: no
 * sessions of the level to go by, or none attended), from `b` (NULL: no
 * sessions_needed). Returns 0, -1 for counts stats/ refuses.
 */
int
coverage_level(cJSON *level, const struct coverage_basis *b)
{
	struct stats_coverage	 c;
	struct stats_proportion	 p;
	cJSON			*cov;
	long			 n, trained, lapsing;
	double			 cap, rate;
	int			 known;

	n = coverage_count(level, "n");
	trained = coverage_count(level, "trained");
	lapsing = coverage_count(level, "lapsing");
	if (n < 0 || trained < 0 || lapsing < 0)
		return (-1);
	known = b != NULL && isfinite(b->capacity) && isfinite(b->attendance_rate);
	cap = known ? b->capacity : 0.0;
	rate = known ? b->attendance_rate : 0.0;
	if (stats_coverage((size_t)n, (size_t)trained, (size_t)lapsing, cap,
	    rate, &c) == -1)
		return (-1);
	cJSON_DeleteItemFromObjectCaseSensitive(level, "required");
	cJSON_DeleteItemFromObjectCaseSensitive(level, "coverage");
	cJSON_DeleteItemFromObjectCaseSensitive(level, "sessions_needed");
	cJSON_AddNumberToObject(level, "required", (double)c.required);
	if (n > 0 && stats_proportion(trained < n ? (size_t)trained :
	    (size_t)n, (size_t)n, COVERAGE_LEVEL, &p) == 0) {
		cov = cJSON_AddObjectToObject(level, "coverage");
		cJSON_AddNumberToObject(cov, "rate", c.coverage);
		cJSON_AddNumberToObject(cov, "lower", p.lower);
		cJSON_AddNumberToObject(cov, "upper", p.upper);
	} else
		cJSON_AddNullToObject(level, "coverage");
	if (isnan(c.sessions_needed) || (c.required > 0 && !known))
		cJSON_AddNullToObject(level, "sessions_needed");
	else
		cJSON_AddNumberToObject(level, "sessions_needed",
		    c.sessions_needed);
	return (0);
}

/*
 * Sort the levels `items` worst coverage first: by coverage rate, those
 * without one (N = 0) last; ties keep their order. (The partnership's
 * settings are put in this order by the database: Q_PARTNERSHIP.)
 */
void
coverage_sort_worst(cJSON *items)
{
	struct coverage_item	*v;
	cJSON			*o;
	int			 n, i;

	if ((n = cJSON_GetArraySize(items)) < 2)
		return;
	if ((v = calloc((size_t)n, sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		o = cJSON_DetachItemFromArray(items, 0);
		v[i].o = o;
		v[i].at = i;
		v[i].key = coverage_rate_of(o);
	}
	qsort(v, (size_t)n, sizeof(*v), coverage_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(items, v[i].o);
	free(v);
}

/*
 * A staffing return {"as_of":"YYYY-MM-DD","headcount":{"<level code>":N}}
 * into `r` (strings belong to `body`): 0, or -1 with every wrong field in
 * `fields` (e.g. "headcount.G3"). Whether the codes are levels of the
 * scheme is for the database to say.
 */
int
coverage_return_read(const cJSON *body, struct coverage_return *r,
    cJSON *fields)
{
	const cJSON	*v, *h;
	char		 name[64];

	memset(r, 0, sizeof(*r));
	if (!cJSON_IsObject(body)) {
		cJSON_AddStringToObject(fields, "body", "Send a JSON object.");
		return (-1);
	}
	cJSON_ArrayForEach(v, body) {
		if (strcmp(v->string, "as_of") && strcmp(v->string, "headcount"))
			cJSON_AddStringToObject(fields, v->string,
			    "There is no such field.");
	}
	v = cJSON_GetObjectItemCaseSensitive(body, "as_of");
	if (!cJSON_IsString(v) || !text_is_date(v->valuestring) ||
	    strcmp(v->valuestring, "1990-01-01") < 0)
		cJSON_AddStringToObject(fields, "as_of", "Enter the date the "
		    "count is true at, as YYYY-MM-DD.");
	else
		r->as_of = v->valuestring;
	h = cJSON_GetObjectItemCaseSensitive(body, "headcount");
	if (!cJSON_IsObject(h) || cJSON_GetArraySize(h) == 0 ||
	    cJSON_GetArraySize(h) > COVERAGE_LEVELS_MAX) {
		cJSON_AddStringToObject(fields, "headcount", "Give the number "
		    "of staff at each group level, like {\"G1\": 12}.");
		return (-1);
	}
	cJSON_ArrayForEach(v, h) {
		snprintf(name, sizeof(name), "headcount.%.40s", v->string);
		if (strlen(v->string) == 0 || strlen(v->string) > 16 ||
		    !text_is_clean(v->string))
			cJSON_AddStringToObject(fields, name, "There is no "
			    "such group level.");
		else if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		    v->valuedouble > 100000 ||
		    v->valuedouble != floor(v->valuedouble))
			cJSON_AddStringToObject(fields, name, "Must be a whole "
			    "number from 0 to 100000.");
		else {
			r->codes[r->n] = v->string;
			r->headcount[r->n] = (long)v->valuedouble;
			r->n++;
		}
	}
	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/* A whole number member, -1 when missing or not one. */
static long
coverage_count(const cJSON *o, const char *name)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble != floor(v->valuedouble))
		return (-1);
	return ((long)v->valuedouble);
}

/* The coverage rate of a level, INFINITY without one. */
static double
coverage_rate_of(const cJSON *level)
{
	const cJSON	*r;

	r = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    level, "coverage"), "rate");
	return (cJSON_IsNumber(r) ? r->valuedouble : INFINITY);
}

static int
coverage_cmp(const void *a, const void *b)
{
	const struct coverage_item	*x = a, *y = b;

	if (x->key != y->key)
		return (x->key < y->key ? -1 : 1);
	return (x->at - y->at);
}
