/*
 * stats: the portal's statistics engine. Pure functions over arrays and
 * counts: libc and GSL only, no database, no HTTP, no other project file.
 * The .c files of stats/ link into any program with `cc -Istats prog.c`,
 * those files, and `-lgsl -lgslcblas -lm`, and nothing else.
 *
 * Conventions, for every function here:
 * - Results go into a caller-owned struct; nothing is allocated for the
 *   caller to free.
 * - The return is 0, or -1 for input the function cannot take: a NULL
 *   pointer, n = 0, k > n, a level outside (0, 1), fewer than 2 points for
 *   a trend, or a value that is not finite (NaN or infinite values are
 *   rejected, not propagated: ratings that are missing are left out by the
 *   caller). On -1 the output struct is not touched.
 * - A field that cannot be computed for valid input is NaN, never 0.
 * - GSL's error handler should be off (gsl_set_error_handler_off()); the
 *   functions do not rely on it either way.
 * - Time is O(n log n) at worst (ties are handled after one sort).
 */
#ifndef PORTAL_STATS_H
#define PORTAL_STATS_H

#include <stddef.h>

/* Proportion k of n with the Wilson score interval at `level`. */
struct stats_proportion {
	size_t	k, n;
	double	rate, lower, upper;		/* Wilson score interval */
};

/* Mean with sample sd (n - 1) and Student t interval. */
struct stats_mean {
	size_t	n;
	double	mean, sd, lower, upper;		/* sample sd (n-1), Student t interval */
};

/*
 * Paired before/after: d = after - before. Paired t-test on d, and the
 * Wilcoxon signed-rank test: zero differences dropped, average ranks for
 * ties, normal approximation with tie-corrected variance
 * m(m+1)(2m+1)/24 - sum(t^3 - t)/48 and continuity correction 0.5 toward
 * the mean; z is positive when W+ is above its mean m(m+1)/4.
 * NaN: t, p_t, dz and the t interval when all differences are equal (or
 * n = 1); z, p_w and rank_biserial when no difference is non-zero (then
 * w_plus = w_minus = 0).
 */
struct stats_paired {
	size_t	n;
	double	mean_before, mean_after, mean_diff, sd_diff;
	double	ci_lower, ci_upper;		/* t interval of mean_diff */
	double	t, df, p_t;			/* paired t-test, two-sided */
	double	dz;				/* Cohen's d_z = mean_diff / sd_diff */
	size_t	n_nonzero;			/* Wilcoxon: pairs with a non-zero difference */
	double	w_plus, w_minus, z, p_w;	/* signed-rank, normal approximation */
	double	rank_biserial;			/* (w_plus - w_minus) / (w_plus + w_minus) */
};

/*
 * Ordinary least squares y = intercept + slope x. NaN: slope and
 * intercept when x is constant; r2 when y is constant (or x is); p (of
 * the slope, two-sided, t with n - 2 df) for two points or a perfect or
 * undefined fit's zero standard error.
 */
struct stats_trend {
	size_t	n;
	double	slope, intercept, r2, p;	/* OLS; p: two-sided, of the slope */
};

/*
 * Impact score (Hake's class-average normalised gain on the 1-10 scale,
 * x100): 100 (mean_after - mean_before) / (10 - mean_before). NaN when
 * mean_before is 10 (no room to gain). For the sustained impact score,
 * `after` is the three-month confidence of the same delegates.
 */
struct stats_impact {
	size_t	n;
	double	mean_before, mean_after, score;
};

/*
 * Workforce coverage of one setting at one group level. N is the declared
 * headcount or, where none, the active staff on the list.
 */
struct stats_coverage {
	size_t	n;				/* N */
	size_t	trained;			/* within the refresh interval */
	size_t	required;			/* max(N - trained, 0) */
	size_t	lapsing;			/* trained, expiring in 90 days */
	double	coverage;			/* min(trained, N) / N; NaN when N = 0 */
	double	sessions_needed;		/* ceil(required / (capacity x rate)) */
};

/* Pearson chi-square test of independence of a 2 x k table. */
struct stats_chisq {
	size_t	k;				/* columns used (total > 0) */
	size_t	n;				/* grand total */
	double	statistic, df, p;
};

/* Aggregates over fewer respondents than this are suppressed. */
#define STATS_SUPPRESS_BELOW	5

int	stats_proportion(size_t k, size_t n, double level, struct stats_proportion *);
int	stats_mean(const double *x, size_t n, double level, struct stats_mean *);
int	stats_paired(const double *before, const double *after, size_t n, double level, struct stats_paired *);
int	stats_trend(const double *x, const double *y, size_t n, struct stats_trend *);

int	stats_impact(const double *before, const double *after, size_t n,
	    struct stats_impact *);
int	stats_coverage(size_t n, size_t trained, size_t lapsing,
	    double capacity, double attendance_rate, struct stats_coverage *);
int	stats_suppressed(size_t respondents, int is_coordinator);
int	stats_suppress_breakdown(const size_t *respondents, size_t k,
	    int is_coordinator, int *suppressed);
int	stats_chisq_2xk(const size_t *row1, const size_t *row2, size_t k,
	    struct stats_chisq *);

#endif /* !PORTAL_STATS_H */
