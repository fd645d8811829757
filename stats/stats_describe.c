/*
 * stats_describe: proportions (Wilson score interval) and means (sample
 * sd, Student t interval), and the helpers the other files share.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"
#include "stats_internal.h"

/* Whether all `n` values are finite. */
int
stats_all_finite(const double *x, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return (0);
	}
	return (1);
}

/*
 * Mean and sample sd (n - 1; NaN for n = 1) of `n` >= 1 values, two-pass
 * with the corrected first pass (accurate on NIST's NumAcc data: values
 * near 1e7 that differ in the eighth digit).
 */
void
stats_mean_sd(const double *x, size_t n, double *mean, double *sd)
{
	long double	sum, m, dev, ss, c;
	size_t		i;

	sum = 0;
	for (i = 0; i < n; i++)
		sum += x[i];
	m = sum / n;
	ss = 0;
	c = 0;
	for (i = 0; i < n; i++) {
		dev = x[i] - m;
		ss += dev * dev;
		c += dev;
	}
	/* The corrected two-pass algorithm (Chan, Golub and LeVeque). */
	m += c / n;
	ss -= c * c / n;
	*mean = (double)m;
	*sd = n > 1 ? (double)sqrtl(ss / (n - 1)) : NAN;
}

/*
 * Half the width of the two-sided Student t interval at `level` of a
 * mean with standard deviation `sd` of `n` values: NaN when it cannot be
 * computed (n < 2, sd NaN).
 */
double
stats_t_half_width(double level, double sd, size_t n, double df)
{
	double	q;

	if (n < 2 || !isfinite(sd))
		return (NAN);
	q = gsl_cdf_tdist_Qinv((1.0 - level) / 2.0, df);
	if (!isfinite(q))
		return (NAN);
	return (q * sd / sqrt((double)n));
}

/*
 * k of n as a rate with its Wilson score interval at `level`.
 * Returns -1 for n = 0, k > n or a level outside (0, 1).
 */
int
stats_proportion(size_t k, size_t n, double level, struct stats_proportion *out)
{
	double	p, z, z2, denom, centre, half;

	if (out == NULL || n == 0 || k > n || !(level > 0.0 && level < 1.0))
		return (-1);
	p = (double)k / n;
	z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - level) / 2.0);
	z2 = z * z;
	denom = 1.0 + z2 / n;
	centre = (p + z2 / (2.0 * n)) / denom;
	half = z / denom * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
	out->k = k;
	out->n = n;
	out->rate = p;
	/* At the bounds the interval touches them exactly. */
	out->lower = k == 0 ? 0.0 : centre - half;
	out->upper = k == n ? 1.0 : centre + half;
	return (0);
}

/*
 * Mean, sample sd and t interval at `level` of `n` values. sd and the
 * interval are NaN for one value; the interval is [mean, mean] when all
 * values are equal.
 */
int
stats_mean(const double *x, size_t n, double level, struct stats_mean *out)
{
	double	mean, sd, half;

	if (x == NULL || out == NULL || n == 0 ||
	    !(level > 0.0 && level < 1.0) || !stats_all_finite(x, n))
		return (-1);
	stats_mean_sd(x, n, &mean, &sd);
	half = stats_t_half_width(level, sd, n, (double)(n - 1));
	out->n = n;
	out->mean = mean;
	out->sd = sd;
	out->lower = mean - half;
	out->upper = mean + half;
	return (0);
}
