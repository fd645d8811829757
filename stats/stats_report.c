/*
 * stats_report: what the impact reports need besides the tests: the
 * impact score, workforce coverage and gaps, the small-number rule, and
 * the chi-square test of "does this rate differ between agencies?".
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"
#include "stats_internal.h"

/*
 * Impact score of `n` pairs on the 1-10 scale: Hake's class-average
 * normalised gain x 100. Values outside 1-10 are refused (-1).
 */
int
stats_impact(const double *before, const double *after, size_t n,
    struct stats_impact *out)
{
	double	sd;
	size_t	i;

	if (before == NULL || after == NULL || out == NULL || n == 0 ||
	    !stats_all_finite(before, n) || !stats_all_finite(after, n))
		return (-1);
	for (i = 0; i < n; i++) {
		if (before[i] < 1.0 || before[i] > 10.0 || after[i] < 1.0 ||
		    after[i] > 10.0)
			return (-1);
	}
	out->n = n;
	stats_mean_sd(before, n, &out->mean_before, &sd);
	stats_mean_sd(after, n, &out->mean_after, &sd);
	out->score = out->mean_before < 10.0 ? 100.0 * (out->mean_after -
	    out->mean_before) / (10.0 - out->mean_before) : NAN;
	return (0);
}

/*
 * Coverage of `n` staff of whom `trained` are trained and `lapsing` of
 * those expire within 90 days; sessions needed to train the rest at
 * `capacity` places a session and `attendance_rate` [0, 1] of places
 * attended. More trained than N (a headcount declared below the staff
 * list) counts as all N trained: required 0, coverage 1. -1 when
 * lapsing > trained, or the capacity or rate is negative, NaN or the
 * rate above 1. coverage is NaN when N is 0; sessions_needed is 0 when
 * no one is required, NaN when places times rate is 0 and someone is.
 */
int
stats_coverage(size_t n, size_t trained, size_t lapsing, double capacity,
    double attendance_rate, struct stats_coverage *out)
{
	double	per_session;

	if (out == NULL || lapsing > trained ||
	    !(capacity >= 0.0) || !isfinite(capacity) ||
	    !(attendance_rate >= 0.0 && attendance_rate <= 1.0))
		return (-1);
	out->n = n;
	out->trained = trained;
	out->lapsing = lapsing;
	out->required = trained >= n ? 0 : n - trained;
	out->coverage = n > 0 ? (double)(trained < n ? trained : n) / n : NAN;
	per_session = capacity * attendance_rate;
	if (out->required == 0)
		out->sessions_needed = 0.0;
	else if (per_session > 0.0)
		out->sessions_needed = ceil((double)out->required / per_session);
	else
		out->sessions_needed = NAN;
	return (0);
}

/*
 * Whether an aggregate over `respondents` answers is suppressed: below
 * STATS_SUPPRESS_BELOW, for everyone but coordinators. 1 yes, 0 no.
 */
int
stats_suppressed(size_t respondents, int is_coordinator)
{
	return (!is_coordinator && respondents < STATS_SUPPRESS_BELOW);
}

/*
 * Suppression of a breakdown whose total is shown: rows i with fewer
 * than STATS_SUPPRESS_BELOW respondents[i] are suppressed (for all but
 * coordinators), and where that leaves exactly one row suppressed, the
 * smallest other row too (the first of equals), so that no suppressed
 * row can be had by subtracting the others from the total. suppressed[i]
 * is set to 1 or 0; returns how many are suppressed, or -1 for NULL
 * arrays.
 */
int
stats_suppress_breakdown(const size_t *respondents, size_t k,
    int is_coordinator, int *suppressed)
{
	size_t	i, count, next;

	if (respondents == NULL || suppressed == NULL)
		return (-1);
	count = 0;
	for (i = 0; i < k; i++) {
		suppressed[i] = stats_suppressed(respondents[i], is_coordinator);
		count += (size_t)suppressed[i];
	}
	if (count == 1 && k >= 2) {
		next = k;
		for (i = 0; i < k; i++) {
			if (!suppressed[i] && (next == k ||
			    respondents[i] < respondents[next]))
				next = i;
		}
		suppressed[next] = 1;
		count++;
	}
	return ((int)count);
}

/*
 * Pearson's chi-square test of independence of the 2 x k table with rows
 * `row1` and `row2` (e.g. completed and not, per agency), without
 * continuity correction. Columns with no observations are left out (k
 * counts those used); with fewer than two columns left, or an empty row,
 * statistic, df and p are NaN. -1 for NULL or k < 2.
 */
int
stats_chisq_2xk(const size_t *row1, const size_t *row2, size_t k,
    struct stats_chisq *out)
{
	double	r1, r2, n, col, e1, e2, x2;
	size_t	j, used;

	if (row1 == NULL || row2 == NULL || out == NULL || k < 2)
		return (-1);
	r1 = r2 = 0.0;
	used = 0;
	for (j = 0; j < k; j++) {
		r1 += (double)row1[j];
		r2 += (double)row2[j];
		if (row1[j] + row2[j] > 0)
			used++;
	}
	n = r1 + r2;
	out->k = used;
	out->n = (size_t)n;
	if (used < 2 || r1 == 0.0 || r2 == 0.0) {
		out->statistic = out->df = out->p = NAN;
		return (0);
	}
	x2 = 0.0;
	for (j = 0; j < k; j++) {
		col = (double)row1[j] + (double)row2[j];
		if (col == 0.0)
			continue;
		e1 = r1 * col / n;
		e2 = r2 * col / n;
		x2 += ((double)row1[j] - e1) * ((double)row1[j] - e1) / e1 +
		    ((double)row2[j] - e2) * ((double)row2[j] - e2) / e2;
	}
	out->statistic = x2;
	out->df = (double)used - 1.0;
	out->p = gsl_cdf_chisq_Q(x2, out->df);
	return (0);
}
