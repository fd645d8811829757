/*
 * stats_trend: a straight line through yearly figures (ordinary least
 * squares) with the two-sided p of its slope.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"
#include "stats_internal.h"

int
stats_trend(const double *x, const double *y, size_t n, struct stats_trend *out)
{
	struct stats_trend	r;
	long double		mx, my, sxx, sxy, syy, dx, dy, rss;
	double			sdx, sdy, se;
	size_t			i;

	if (x == NULL || y == NULL || out == NULL || n < 2 ||
	    !stats_all_finite(x, n) || !stats_all_finite(y, n))
		return (-1);
	stats_mean_sd(x, n, &sdx, &se);
	mx = sdx;
	stats_mean_sd(y, n, &sdy, &se);
	my = sdy;
	sxx = sxy = syy = 0;
	for (i = 0; i < n; i++) {
		dx = x[i] - mx;
		dy = y[i] - my;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}

	r.n = n;
	if (sxx == 0) {
		r.slope = r.intercept = r.r2 = r.p = NAN;
		*out = r;
		return (0);
	}
	r.slope = (double)(sxy / sxx);
	r.intercept = (double)(my - r.slope * mx);
	r.r2 = syy == 0 ? NAN : (double)(sxy * sxy / (sxx * syy));
	r.p = NAN;
	if (n > 2 && syy > 0) {
		rss = syy - sxy * sxy / sxx;
		if (rss < 0)
			rss = 0;
		se = (double)sqrtl(rss / (n - 2) / sxx);
		if (se > 0.0)
			r.p = 2.0 * gsl_cdf_tdist_Q(fabs(r.slope / se),
			    (double)n - 2);
	}
	*out = r;
	return (0);
}
