/*
 * Unit tests of figure: the one JSON shape of a proportion and of a
 * mean, suppression under 5 respondents, and null (never 0) for what
 * cannot be computed.
 */
#include <math.h>

#include <criterion/criterion.h>

#include "figure.h"

static double
num(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	cr_assert(cJSON_IsNumber(v), "%s is not a number", name);
	return (v->valuedouble);
}

static int
is_null(const cJSON *o, const char *name)
{
	return (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name)));
}

Test(figure, proportion_with_its_wilson_interval)
{
	cJSON	*o = figure_proportion(3, 10, 0.95, 0);

	cr_assert_eq(num(o, "k"), 3);
	cr_assert_eq(num(o, "n"), 10);
	cr_assert_float_eq(num(o, "rate"), 0.3, 1e-12);
	/* Wilson score interval, z = 1.959964 (statsmodels proportion_confint) */
	cr_assert_float_eq(num(o, "lower"), 0.10779126740630104, 1e-9);
	cr_assert_float_eq(num(o, "upper"), 0.6032218525388546, 1e-9);
	cJSON_Delete(o);
}

Test(figure, proportion_suppressed_under_five_unless_shown)
{
	cJSON	*o = figure_proportion(2, 4, 0.95, 0);

	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(o, "suppressed")));
	cr_assert_null(cJSON_GetObjectItem(o, "rate"));
	cJSON_Delete(o);
	o = figure_proportion(2, 4, 0.95, 1);
	cr_assert_float_eq(num(o, "rate"), 0.5, 1e-12);
	cJSON_Delete(o);
}

Test(figure, proportion_of_none_or_more_than_all_is_null)
{
	cJSON	*o = figure_proportion(0, 0, 0.95, 1);

	cr_assert(is_null(o, "rate") && is_null(o, "lower") &&
	    is_null(o, "upper"));
	cJSON_Delete(o);
	o = figure_proportion(7, 6, 0.95, 1);
	cr_assert_eq(num(o, "k"), 7);
	cr_assert(is_null(o, "rate") && is_null(o, "lower") &&
	    is_null(o, "upper"));
	cJSON_Delete(o);
}

Test(figure, mean_with_sd_and_t_interval)
{
	const double	 x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	cJSON		*o = figure_mean(x, 8, 0.95, 0);

	cr_assert_eq(num(o, "n"), 8);
	cr_assert_float_eq(num(o, "mean"), 5, 1e-12);
	/* sample sd: sqrt(32 / 7) */
	cr_assert_float_eq(num(o, "sd"), sqrt(32.0 / 7.0), 1e-12);
	cr_assert(num(o, "lower") < 5 && num(o, "upper") > 5);
	cJSON_Delete(o);
}

Test(figure, mean_says_sd_even_when_it_cannot_compute)
{
	const double	 x[] = { 3 };
	cJSON		*o = figure_mean(x, 0, 0.95, 1);

	cr_assert_eq(num(o, "n"), 0);
	cr_assert(is_null(o, "mean") && is_null(o, "sd") &&
	    is_null(o, "lower") && is_null(o, "upper"));
	cJSON_Delete(o);
	o = figure_mean(x, 1, 0.95, 1);
	cr_assert_float_eq(num(o, "mean"), 3, 1e-12);
	cr_assert(is_null(o, "sd"));
	cJSON_Delete(o);
	o = figure_mean(x, 1, 0.95, 0);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(o, "suppressed")));
	cJSON_Delete(o);
}
