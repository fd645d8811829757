/*
 * stats_paired: before/after pairs (knowledge, confidence): the paired
 * t-test and the Wilcoxon signed-rank test, both two-sided.
 *
 * Ratings are small integers, so ties and zero differences are the
 * normal case: ranks are averaged over ties after one sort, and the
 * variance of W+ is corrected for them.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>

#include "stats.h"
#include "stats_internal.h"

static void	paired_wilcoxon(const double *, size_t, double *,
		    struct stats_paired *);

int
stats_paired(const double *before, const double *after, size_t n,
    double level, struct stats_paired *out)
{
	struct stats_paired	 r;
	double			*d, *scratch, sdb, half;
	size_t			 i;

	if (before == NULL || after == NULL || out == NULL || n == 0 ||
	    !(level > 0.0 && level < 1.0) || !stats_all_finite(before, n) ||
	    !stats_all_finite(after, n))
		return (-1);
	if ((d = malloc(2 * n * sizeof(*d))) == NULL)
		return (-1);
	scratch = d + n;
	for (i = 0; i < n; i++)
		d[i] = after[i] - before[i];

	r.n = n;
	stats_mean_sd(before, n, &r.mean_before, &sdb);
	stats_mean_sd(after, n, &r.mean_after, &sdb);
	stats_mean_sd(d, n, &r.mean_diff, &r.sd_diff);
	r.df = (double)n - 1;

	/* All differences equal (sd 0) or one pair: no t-test. */
	if (n > 1 && r.sd_diff > 0.0) {
		r.t = r.mean_diff / (r.sd_diff / sqrt((double)n));
		r.p_t = 2.0 * gsl_cdf_tdist_Q(fabs(r.t), r.df);
		r.dz = r.mean_diff / r.sd_diff;
		half = stats_t_half_width(level, r.sd_diff, n, r.df);
		r.ci_lower = r.mean_diff - half;
		r.ci_upper = r.mean_diff + half;
	} else {
		r.t = r.p_t = r.dz = r.ci_lower = r.ci_upper = NAN;
	}
	if (n < 2)
		r.df = NAN;

	paired_wilcoxon(d, n, scratch, &r);
	free(d);
	*out = r;
	return (0);
}

/*
 * The signed-rank part, from the differences `d` (reordered here), with
 * `n` doubles of scratch space.
 */
static void
paired_wilcoxon(const double *d, size_t n, double *scratch,
    struct stats_paired *r)
{
	double	*absd, *pos, rank, mean, var, ties, diff, corr;
	size_t	 m, npos, i, j, p, t;

	/* |d| of the non-zero differences, and of the positive ones. */
	absd = scratch;
	m = 0;
	for (i = 0; i < n; i++) {
		if (d[i] != 0.0)
			absd[m++] = fabs(d[i]);
	}
	pos = (double *)d;	/* the caller's copy: free to reorder */
	npos = 0;
	for (i = 0; i < n; i++) {
		if (d[i] > 0.0)
			pos[npos++] = d[i];
	}
	gsl_sort(absd, 1, m);
	gsl_sort(pos, 1, npos);

	r->n_nonzero = m;
	r->w_plus = 0.0;
	ties = 0.0;
	p = 0;
	for (i = 0; i < m; i = j) {
		for (j = i + 1; j < m && absd[j] == absd[i]; j++)
			;
		t = j - i;
		rank = (double)(i + 1 + j) / 2.0;	/* average of i+1 .. j */
		ties += (double)t * t * t - (double)t;
		while (p < npos && pos[p] < absd[i])
			p++;
		while (p < npos && pos[p] == absd[i]) {
			r->w_plus += rank;
			p++;
		}
	}
	r->w_minus = (double)m * (m + 1) / 2.0 - r->w_plus;

	if (m == 0) {
		r->w_plus = r->w_minus = 0.0;
		r->z = r->p_w = r->rank_biserial = NAN;
		return;
	}
	mean = (double)m * (m + 1) / 4.0;
	var = (double)m * (m + 1) * (2.0 * m + 1) / 24.0 - ties / 48.0;
	diff = r->w_plus - mean;
	corr = diff > 0.0 ? 0.5 : (diff < 0.0 ? -0.5 : 0.0);
	if (var > 0.0) {
		r->z = (diff - corr) / sqrt(var);
		r->p_w = 2.0 * gsl_cdf_ugaussian_Q(fabs(r->z));
		if (r->p_w > 1.0)
			r->p_w = 1.0;
	} else {
		r->z = r->p_w = NAN;
	}
	r->rank_biserial = (r->w_plus - r->w_minus) / (r->w_plus + r->w_minus);
}
