/*
 * figure: the JSON of a proportion and of a mean. Kore-free.
 */
#include <math.h>

#include "figure.h"
#include "stats.h"

/* Add `v` to `o` as `name`: a number, or null when it is not finite. */
void
figure_number(cJSON *o, const char *name, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

/*
 * `k` of `n` with its Wilson interval at `level` (a new object, caller
 * owns): {"k","n","rate","lower","upper"}, the last three null when
 * n is 0 or k is over n; {"suppressed":true} when n is under the
 * threshold and `shown` (stats_suppressed()) is 0.
 */
cJSON *
figure_proportion(size_t k, size_t n, double level, int shown)
{
	struct stats_proportion	 p;
	cJSON			*o;

	o = cJSON_CreateObject();
	if (stats_suppressed(n, shown)) {
		cJSON_AddBoolToObject(o, "suppressed", 1);
		return (o);
	}
	cJSON_AddNumberToObject(o, "k", (double)k);
	cJSON_AddNumberToObject(o, "n", (double)n);
	if (n == 0 || k > n || stats_proportion(k, n, level, &p) == -1) {
		cJSON_AddNullToObject(o, "rate");
		cJSON_AddNullToObject(o, "lower");
		cJSON_AddNullToObject(o, "upper");
		return (o);
	}
	figure_number(o, "rate", p.rate);
	figure_number(o, "lower", p.lower);
	figure_number(o, "upper", p.upper);
	return (o);
}

/*
 * The mean of the `n` values `x` with its sample sd and t interval at
 * `level` (a new object, caller owns): {"n","mean","sd","lower","upper"},
 * null where it cannot be computed; {"suppressed":true} as
 * figure_proportion().
 */
cJSON *
figure_mean(const double *x, size_t n, double level, int shown)
{
	struct stats_mean	 m;
	cJSON			*o;

	o = cJSON_CreateObject();
	if (stats_suppressed(n, shown)) {
		cJSON_AddBoolToObject(o, "suppressed", 1);
		return (o);
	}
	cJSON_AddNumberToObject(o, "n", (double)n);
	if (n > 0 && stats_mean(x, n, level, &m) == 0) {
		figure_number(o, "mean", m.mean);
		figure_number(o, "sd", m.sd);
		figure_number(o, "lower", m.lower);
		figure_number(o, "upper", m.upper);
	} else {
		cJSON_AddNullToObject(o, "mean");
		cJSON_AddNullToObject(o, "sd");
		cJSON_AddNullToObject(o, "lower");
		cJSON_AddNullToObject(o, "upper");
	}
	return (o);
}
