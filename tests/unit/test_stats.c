/*
 * Unit tests of the statistics engine (stats/), against values computed
 * independently: SciPy 1.10 (tests/reference/stats_reference.py), R 4.2
 * (tests/reference/stats_reference.R), NIST StRD certified values, and
 * textbook arithmetic. Relative tolerance 1e-9 unless said otherwise.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "stats.h"

#define REL	1e-9

static void
close_to(double got, double want, double rel, const char *what)
{
	double	tol;

	tol = rel * fmax(fabs(want), 1e-300);
	cr_assert(fabs(got - want) <= tol, "%s: got %.17g, want %.17g", what,
	    got, want);
}

static void
setup(void)
{
	gsl_set_error_handler_off();
}

TestSuite(proportion, .init = setup);
TestSuite(mean, .init = setup);
TestSuite(paired, .init = setup);
TestSuite(trend, .init = setup);
TestSuite(report, .init = setup);

/* Ratings-like pairs, full of ties and zero differences (the reference
 * scripts use the same). */
static const double before20[] = { 3, 5, 4, 6, 5, 5, 7, 4, 3, 6, 5, 4, 5, 6,
    2, 5, 4, 6, 7, 5 };
static const double after20[] = { 6, 7, 6, 6, 7, 8, 8, 6, 5, 7, 5, 7, 6, 8,
    4, 7, 6, 6, 9, 7 };

Test(proportion, wilson_against_scipy)
{
	struct stats_proportion	p;

	/* scipy.stats.binomtest(k, n).proportion_ci(method="wilson") */
	cr_assert_eq(stats_proportion(37, 50, 0.95, &p), 0);
	close_to(p.rate, 0.74, REL, "rate");
	close_to(p.lower, 0.60446842735151152, REL, "lower");
	close_to(p.upper, 0.84128472506447616, REL, "upper");
	cr_assert_eq(stats_proportion(37, 50, 0.99, &p), 0);
	close_to(p.lower, 0.55913992158641812, REL, "lower 99");
	close_to(p.upper, 0.86462707438912045, REL, "upper 99");
	cr_assert_eq(stats_proportion(1, 3, 0.95, &p), 0);
	close_to(p.lower, 0.061491944720396263, REL, "1/3 lower");
	close_to(p.upper, 0.79234039919795229, REL, "1/3 upper");
}

Test(proportion, none_and_all)
{
	struct stats_proportion	p;

	cr_assert_eq(stats_proportion(0, 12, 0.95, &p), 0);
	cr_assert_eq(p.rate, 0.0);
	cr_assert_eq(p.lower, 0.0);
	close_to(p.upper, 0.24249400665524085, REL, "0/12 upper");
	cr_assert_eq(stats_proportion(12, 12, 0.95, &p), 0);
	close_to(p.lower, 0.75750599334475921, REL, "12/12 lower");
	cr_assert_eq(p.upper, 1.0);
	cr_assert_eq(stats_proportion(1, 1, 0.95, &p), 0);
	cr_assert(p.lower > 0.0 && p.lower < 1.0);
}

Test(proportion, refuses_what_it_cannot_take)
{
	struct stats_proportion	p;

	memset(&p, 0x5a, sizeof(p));
	cr_assert_eq(stats_proportion(0, 0, 0.95, &p), -1);
	cr_assert_eq(stats_proportion(5, 4, 0.95, &p), -1);
	cr_assert_eq(stats_proportion(1, 4, 0.0, &p), -1);
	cr_assert_eq(stats_proportion(1, 4, 1.0, &p), -1);
	cr_assert_eq(stats_proportion(1, 4, NAN, &p), -1);
	cr_assert_eq(stats_proportion(1, 4, 0.95, NULL), -1);
	cr_assert_eq(p.k, (size_t)0x5a5a5a5a5a5a5a5aULL, "untouched on -1");
}

Test(mean, t_interval_against_scipy)
{
	static const double	x[] = { 4, 5, 5, 3, 4, 5, 4, 4, 2, 5, 5, 4 };
	struct stats_mean	m;

	cr_assert_eq(stats_mean(x, 12, 0.95, &m), 0);
	cr_assert_eq(m.n, 12);
	close_to(m.mean, 4.166666666666667, REL, "mean");
	close_to(m.sd, 0.93743686656109215, REL, "sd");
	close_to(m.lower, 3.5710476978698829, REL, "lower");
	close_to(m.upper, 4.7622856354634511, REL, "upper");
	cr_assert_eq(stats_mean(x, 12, 0.90, &m), 0);
	close_to(m.lower, 3.6806738107431101, REL, "lower 90");
	close_to(m.upper, 4.6526595225902234, REL, "upper 90");
}

/*
 * NIST StRD univariate summary statistics, the "lower", "average" and
 * "higher" difficulty sets NumAcc1 to NumAcc4 (certified mean and sd),
 * generated here as NIST defines them.
 */
Test(mean, nist_numacc)
{
	static double		y[1001];
	struct stats_mean	m;
	double			base[] = { 1.2, 1000000.2, 10000000.2 };
	double			step[] = { 0.1, 0.1, 0.1 };
	static const double	acc1[] = { 10000001, 10000003, 10000002 };
	size_t			i, s;

	cr_assert_eq(stats_mean(acc1, 3, 0.95, &m), 0);
	close_to(m.mean, 10000002, 1e-15, "NumAcc1 mean");
	close_to(m.sd, 1, 1e-15, "NumAcc1 sd");
	for (s = 0; s < 3; s++) {
		/* NumAcc2-4: base, then base -/+ step alternately, 1001 values */
		y[0] = base[s];
		for (i = 1; i < 1001; i++)
			y[i] = (i % 2) ? base[s] - step[s] : base[s] + step[s];
		cr_assert_eq(stats_mean(y, 1001, 0.95, &m), 0);
		close_to(m.mean, base[s], 1e-14, "NumAcc mean");
		/* The data themselves are decimals a double only
		 * approximates: at 1e6 the spacing of doubles is 1.2e-10,
		 * at 1e7 1.9e-9, which bounds the agreement with the
		 * certified sd of the exact decimals (relative 1e-9, 1e-8). */
		close_to(m.sd, 0.1, (double[]){ 1e-12, 1e-9, 1e-8 }[s],
		    "NumAcc sd");
	}
}

Test(mean, one_two_and_equal_values)
{
	static const double	one[] = { 4 }, two[] = { 3, 5 };
	static const double	same[] = { 5, 5, 5, 5 };
	struct stats_mean	m;

	cr_assert_eq(stats_mean(one, 1, 0.95, &m), 0);
	cr_assert_eq(m.mean, 4.0);
	cr_assert(isnan(m.sd) && isnan(m.lower) && isnan(m.upper));
	cr_assert_eq(stats_mean(two, 2, 0.95, &m), 0);
	close_to(m.sd, M_SQRT2, REL, "sd of two");
	/* t(0.975, 1) = 12.706204736174698 (R: qt(0.975, 1)) */
	close_to(m.upper, 4 + 12.706204736174698, REL, "upper of two");
	cr_assert_eq(stats_mean(same, 4, 0.95, &m), 0);
	cr_assert_eq(m.sd, 0.0);
	cr_assert_eq(m.lower, 5.0);
	cr_assert_eq(m.upper, 5.0);
}

Test(mean, refuses_empty_and_non_finite)
{
	static const double	nan_in[] = { 1, NAN, 3 }, inf_in[] = { 1, INFINITY };
	struct stats_mean	m;

	cr_assert_eq(stats_mean(nan_in, 0, 0.95, &m), -1);
	cr_assert_eq(stats_mean(NULL, 3, 0.95, &m), -1);
	cr_assert_eq(stats_mean(nan_in, 3, 0.95, &m), -1);
	cr_assert_eq(stats_mean(inf_in, 2, 0.95, &m), -1);
	cr_assert_eq(stats_mean(inf_in, 1, 1.5, &m), -1);
}

Test(paired, t_test_and_wilcoxon_against_scipy_and_r)
{
	struct stats_paired	p;

	cr_assert_eq(stats_paired(before20, after20, 20, 0.95, &p), 0);
	cr_assert_eq(p.n, 20);
	close_to(p.mean_before, 4.85, REL, "mean before");
	close_to(p.mean_after, 6.55, REL, "mean after");
	/* scipy.stats.ttest_rel; R t.test(paired = TRUE) */
	close_to(p.mean_diff, 1.7, REL, "mean diff");
	close_to(p.sd_diff, 0.92338051687663869, REL, "sd diff");
	close_to(p.t, 8.2334757822434952, REL, "t");
	close_to(p.df, 19, REL, "df");
	close_to(p.p_t, 1.0903423259823809e-07, 1e-8, "p_t");
	close_to(p.ci_lower, 1.2678446154942709, REL, "ci lower");
	close_to(p.ci_upper, 2.1321553845057291, REL, "ci upper");
	close_to(p.dz, 1.841061154019471, REL, "dz");
	/* scipy.stats.wilcoxon(correction=True, mode="approx");
	 * R wilcox.test(paired = TRUE, exact = FALSE, correct = TRUE) */
	cr_assert_eq(p.n_nonzero, 17);
	close_to(p.w_plus, 153, REL, "W+");
	cr_assert_eq(p.w_minus, 0.0);
	close_to(p.z, 3.7183936352691731, REL, "z");
	close_to(p.p_w, 0.00020049367948434332, 1e-8, "p_w");
	close_to(p.rank_biserial, 1.0, REL, "r");
}

Test(paired, declines_give_a_smaller_positive_z)
{
	static const double	b[] = { 5, 6, 4, 7, 5, 6, 5, 8, 4, 6, 5, 5 };
	static const double	a[] = { 6, 5, 6, 7, 4, 8, 7, 8, 5, 5, 7, 6 };
	struct stats_paired	p;

	cr_assert_eq(stats_paired(b, a, 12, 0.95, &p), 0);
	cr_assert_eq(p.n_nonzero, 10);
	/* R: V = 44.5; W- = 55 - 44.5 */
	close_to(p.w_plus, 44.5, REL, "W+");
	close_to(p.w_minus, 10.5, REL, "W-");
	/* SciPy zstatistic -1.7332449137483377 is for min(W+, W-) */
	close_to(p.z, 1.7332449137483377, REL, "z");
	close_to(p.p_w, 0.083052147164138668, REL, "p_w");
	close_to(p.t, 1.8761663039293721, REL, "t");
	close_to(p.p_t, 0.087400394423462438, REL, "p_t");
	close_to(p.rank_biserial, (44.5 - 10.5) / 55.0, REL, "r");
	/* Swapping before and after flips the signs, not the p-values. */
	cr_assert_eq(stats_paired(a, b, 12, 0.95, &p), 0);
	close_to(p.z, -1.7332449137483377, REL, "z swapped");
	close_to(p.p_w, 0.083052147164138668, REL, "p_w swapped");
	close_to(p.w_plus, 10.5, REL, "W+ swapped");
}

Test(paired, no_change_at_all)
{
	static const double	b[] = { 5, 6, 7, 5 };
	struct stats_paired	p;

	cr_assert_eq(stats_paired(b, b, 4, 0.95, &p), 0);
	cr_assert_eq(p.mean_diff, 0.0);
	cr_assert_eq(p.sd_diff, 0.0);
	cr_assert(isnan(p.t) && isnan(p.p_t) && isnan(p.dz));
	cr_assert(isnan(p.ci_lower) && isnan(p.ci_upper));
	cr_assert_eq(p.n_nonzero, 0);
	cr_assert_eq(p.w_plus, 0.0);
	cr_assert_eq(p.w_minus, 0.0);
	cr_assert(isnan(p.z) && isnan(p.p_w) && isnan(p.rank_biserial));
}

Test(paired, all_differences_equal_and_tied)
{
	static const double	b[] = { 3, 4, 5, 6, 2 };
	static const double	a[] = { 5, 6, 7, 8, 4 };
	struct stats_paired	p;

	cr_assert_eq(stats_paired(b, a, 5, 0.95, &p), 0);
	cr_assert_eq(p.mean_diff, 2.0);
	cr_assert(isnan(p.t) && isnan(p.p_t) && isnan(p.dz), "sd of d is 0");
	/* One tie group of 5: ranks all 3; W+ = 15; var = 5*6*11/24 -
	 * (125 - 5)/48 = 13.75 - 2.5 = 11.25; z = (15 - 7.5 - 0.5) /
	 * sqrt(11.25) = 2.0869967789998...; R agrees (wilcox.test). */
	close_to(p.w_plus, 15, REL, "W+");
	close_to(p.z, 7.0 / sqrt(11.25), REL, "z");
	close_to(p.p_w, 2.0 * (1.0 - 0.5 * erfc(-(7.0 / sqrt(11.25)) / M_SQRT2)),
	    1e-12, "p_w");
}

Test(paired, one_and_two_pairs)
{
	static const double	b1[] = { 4 }, a1[] = { 6 };
	static const double	b2[] = { 4, 5 }, a2[] = { 6, 8 };
	struct stats_paired	p;

	cr_assert_eq(stats_paired(b1, a1, 1, 0.95, &p), 0);
	cr_assert_eq(p.mean_diff, 2.0);
	cr_assert(isnan(p.sd_diff) && isnan(p.t) && isnan(p.p_t) &&
	    isnan(p.df));
	cr_assert_eq(p.n_nonzero, 1);
	cr_assert_eq(p.w_plus, 1.0);
	/* m = 1: var 0.25, z = (1 - 0.5 - 0.5) / 0.5 = 0 */
	cr_assert_eq(p.z, 0.0);
	close_to(p.p_w, 1.0, REL, "p_w");
	cr_assert_eq(stats_paired(b2, a2, 2, 0.95, &p), 0);
	close_to(p.t, 5.0, REL, "t of two");	/* mean 2.5, sd 0.7071 */
	close_to(p.df, 1, REL, "df");
}

Test(paired, refuses_bad_input)
{
	static const double	b[] = { 1, NAN }, a[] = { 2, 3 };
	struct stats_paired	p;

	cr_assert_eq(stats_paired(b, a, 0, 0.95, &p), -1);
	cr_assert_eq(stats_paired(b, a, 2, 0.95, &p), -1);
	cr_assert_eq(stats_paired(a, b, 2, 0.95, &p), -1);
	cr_assert_eq(stats_paired(NULL, a, 2, 0.95, &p), -1);
	cr_assert_eq(stats_paired(a, a, 2, -0.1, &p), -1);
}

Test(paired, ranks_sum_up_on_large_tied_data)
{
	static double		b[20000], a[20000];
	struct stats_paired	p;
	size_t			i;

	for (i = 0; i < 20000; i++) {
		b[i] = 1 + (i * 7) % 10;
		a[i] = 1 + (i * 7 + i / 3) % 10;
	}
	cr_assert_eq(stats_paired(b, a, 20000, 0.95, &p), 0);
	close_to(p.w_plus + p.w_minus,
	    (double)p.n_nonzero * (p.n_nonzero + 1) / 2.0, 1e-12, "W+ + W-");
	cr_assert(p.p_w >= 0.0 && p.p_w <= 1.0);
}

Test(trend, ols_against_scipy_and_r)
{
	static const double	x[] = { 2013, 2014, 2015, 2016 };
	static const double	y[] = { 61.2, 64.8, 70.1, 71.9 };
	struct stats_trend	t;

	cr_assert_eq(stats_trend(x, y, 4, &t), 0);
	/* scipy.stats.linregress; R summary(lm(y ~ x)) */
	close_to(t.slope, 3.74, REL, "slope");
	close_to(t.intercept, -7467.23, REL, "intercept");
	close_to(t.r2, 0.97001386962552039, REL, "r2");
	close_to(t.p, 0.015107178610017313, 1e-8, "p");
}

Test(trend, two_points_constant_y_constant_x)
{
	static const double	x[] = { 1, 2 }, y[] = { 3, 7 };
	static const double	x3[] = { 1, 2, 3 }, flat[] = { 5, 5, 5 };
	static const double	same[] = { 2, 2, 2 };
	struct stats_trend	t;

	cr_assert_eq(stats_trend(x, y, 2, &t), 0);
	close_to(t.slope, 4, REL, "slope");
	close_to(t.intercept, -1, REL, "intercept");
	close_to(t.r2, 1, REL, "r2");
	cr_assert(isnan(t.p), "no p from two points");
	cr_assert_eq(stats_trend(x3, flat, 3, &t), 0);
	cr_assert_eq(t.slope, 0.0);
	cr_assert(isnan(t.r2) && isnan(t.p));
	cr_assert_eq(stats_trend(same, flat, 3, &t), 0);
	cr_assert(isnan(t.slope) && isnan(t.intercept));
	cr_assert_eq(stats_trend(x, y, 1, &t), -1);
	cr_assert_eq(stats_trend(x, NULL, 2, &t), -1);
}

Test(report, impact_score_is_hakes_gain)
{
	struct stats_impact	im;
	static const double	top[] = { 10, 10 }, any[] = { 9, 10 };

	cr_assert_eq(stats_impact(before20, after20, 20, &im), 0);
	/* 100 (6.55 - 4.85) / (10 - 4.85) */
	close_to(im.score, 100.0 * 1.7 / 5.15, REL, "score");
	cr_assert_eq(stats_impact(top, any, 2, &im), 0);
	cr_assert(isnan(im.score), "no room to gain");
	cr_assert_eq(stats_impact(any, top, 2, &im), 0);
	close_to(im.score, 100.0, REL, "9.5 -> 10");
	cr_assert_eq(stats_impact(before20, after20, 0, &im), -1);
	{
		static const double	bad[] = { 0, 11 };
		cr_assert_eq(stats_impact(bad, any, 2, &im), -1);
	}
}

Test(report, coverage_and_sessions_needed)
{
	struct stats_coverage	c;

	cr_assert_eq(stats_coverage(40, 25, 4, 20, 0.85, &c), 0);
	cr_assert_eq(c.required, 15);
	close_to(c.coverage, 0.625, REL, "coverage");
	cr_assert_eq(c.sessions_needed, 1.0);	/* ceil(15 / 17) */
	cr_assert_eq(stats_coverage(100, 10, 0, 20, 0.8, &c), 0);
	cr_assert_eq(c.sessions_needed, 6.0);	/* ceil(90 / 16) = 6 */
	cr_assert_eq(stats_coverage(10, 10, 3, 20, 0.8, &c), 0);
	cr_assert_eq(c.required, 0);
	cr_assert_eq(c.sessions_needed, 0.0);
	cr_assert_eq(stats_coverage(0, 0, 0, 20, 0.8, &c), 0);
	cr_assert(isnan(c.coverage));
	cr_assert_eq(stats_coverage(5, 1, 0, 0, 0.8, &c), 0);
	cr_assert(isnan(c.sessions_needed));
	cr_assert_eq(stats_coverage(5, 2, 3, 20, 0.8, &c), -1);
	cr_assert_eq(stats_coverage(5, 2, 0, 20, 1.2, &c), -1);
	cr_assert_eq(stats_coverage(5, 2, 0, NAN, 0.8, &c), -1);
}

Test(report, coverage_at_the_boundaries)
{
	struct stats_coverage	c;

	/* N = 0: nothing required, coverage undefined, no session needed. */
	cr_assert_eq(stats_coverage(0, 0, 0, 20, 0.8, &c), 0);
	cr_assert_eq(c.required, 0);
	cr_assert(isnan(c.coverage));
	cr_assert_eq(c.sessions_needed, 0.0);
	/* Trained staff beyond a declared N of 0 or 5: all N trained. */
	cr_assert_eq(stats_coverage(0, 3, 1, 20, 0.8, &c), 0);
	cr_assert_eq(c.required, 0);
	cr_assert(isnan(c.coverage));
	cr_assert_eq(stats_coverage(5, 7, 2, 20, 0.8, &c), 0);
	cr_assert_eq(c.required, 0);
	cr_assert_eq(c.trained, 7);
	cr_assert_eq(c.coverage, 1.0);
	cr_assert_eq(c.sessions_needed, 0.0);
	/* Capacity 0 or attendance rate 0: no session can close the gap. */
	cr_assert_eq(stats_coverage(5, 2, 0, 0, 0.8, &c), 0);
	cr_assert(isnan(c.sessions_needed));
	cr_assert_eq(c.required, 3);
	cr_assert_eq(stats_coverage(5, 2, 0, 20, 0.0, &c), 0);
	cr_assert(isnan(c.sessions_needed));
	/* ... unless no one is required. */
	cr_assert_eq(stats_coverage(5, 5, 0, 0, 0.0, &c), 0);
	cr_assert_eq(c.sessions_needed, 0.0);
	/* One place short of a whole session rounds up; exactly full does not. */
	cr_assert_eq(stats_coverage(41, 1, 0, 20, 1.0, &c), 0);
	cr_assert_eq(c.sessions_needed, 2.0);
	cr_assert_eq(stats_coverage(42, 1, 0, 20, 1.0, &c), 0);
	cr_assert_eq(c.sessions_needed, 3.0);
	/* Lapsing beyond trained, a negative or infinite capacity, a rate
	 * outside [0, 1]: refused, the output untouched. */
	c.n = 99;
	cr_assert_eq(stats_coverage(5, 2, 3, 20, 0.8, &c), -1);
	cr_assert_eq(stats_coverage(5, 2, 0, -1, 0.8, &c), -1);
	cr_assert_eq(stats_coverage(5, 2, 0, INFINITY, 0.8, &c), -1);
	cr_assert_eq(stats_coverage(5, 2, 0, 20, -0.1, &c), -1);
	cr_assert_eq(stats_coverage(5, 2, 0, 20, NAN, &c), -1);
	cr_assert_eq(c.n, 99);
	cr_assert_eq(stats_coverage(5, 2, 0, 20, 0.8, NULL), -1);
}

Test(report, small_numbers_are_suppressed_except_for_coordinators)
{
	cr_assert(stats_suppressed(0, 0));
	cr_assert(stats_suppressed(4, 0));
	cr_assert_not(stats_suppressed(5, 0));
	cr_assert_not(stats_suppressed(4, 1));
}

Test(report, chi_square_2xk_against_scipy_and_r)
{
	static const size_t	r1[] = { 45, 30, 12, 60 }, r2[] = { 15, 20, 10, 25 };
	static const size_t	a1[] = { 10, 3 }, a2[] = { 5, 9 };
	static const size_t	z1[] = { 10, 0, 3 }, z2[] = { 5, 0, 9 };
	static const size_t	e1[] = { 4, 5 }, e2[] = { 0, 0 };
	struct stats_chisq	c;

	/* scipy.stats.chi2_contingency(correction=False);
	 * R chisq.test(correct = FALSE) */
	cr_assert_eq(stats_chisq_2xk(r1, r2, 4, &c), 0);
	close_to(c.statistic, 4.8862299465240628, REL, "X2");
	close_to(c.df, 3, REL, "df");
	close_to(c.p, 0.18032003799314539, 1e-8, "p");
	cr_assert_eq(c.n, 217);
	cr_assert_eq(stats_chisq_2xk(a1, a2, 2, &c), 0);
	close_to(c.statistic, 4.6359890109890101, REL, "2x2 X2");
	close_to(c.p, 0.031308094303608536, 1e-8, "2x2 p");
	/* An empty column is left out: the same as the 2 x 2 above. */
	cr_assert_eq(stats_chisq_2xk(z1, z2, 3, &c), 0);
	cr_assert_eq(c.k, 2);
	close_to(c.statistic, 4.6359890109890101, REL, "empty column");
	cr_assert_eq(stats_chisq_2xk(e1, e2, 2, &c), 0);
	cr_assert(isnan(c.statistic) && isnan(c.p), "an empty row");
	cr_assert_eq(stats_chisq_2xk(r1, r2, 1, &c), -1);
	cr_assert_eq(stats_chisq_2xk(NULL, r2, 4, &c), -1);
}

Test(report, a_breakdown_cannot_be_undone_by_subtraction)
{
	size_t	one[] = { 12, 3, 9, 7 }, two[] = { 2, 30, 1, 8 };
	size_t	none[] = { 5, 6 }, lone[] = { 4 };
	int	s[4];

	/* One small row: the next smallest goes too. */
	cr_assert_eq(stats_suppress_breakdown(one, 4, 0, s), 2);
	cr_assert(s[1] && s[3] && !s[0] && !s[2]);
	/* Two small rows already hide each other. */
	cr_assert_eq(stats_suppress_breakdown(two, 4, 0, s), 2);
	cr_assert(s[0] && s[2] && !s[1] && !s[3]);
	cr_assert_eq(stats_suppress_breakdown(none, 2, 0, s), 0);
	cr_assert_eq(stats_suppress_breakdown(lone, 1, 0, s), 1);
	/* Coordinators see everything. */
	cr_assert_eq(stats_suppress_breakdown(one, 4, 1, s), 0);
	cr_assert(!s[0] && !s[1] && !s[2] && !s[3]);
	cr_assert_eq(stats_suppress_breakdown(NULL, 4, 0, s), -1);
}
