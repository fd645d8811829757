/*
 * bench_stats: how long the statistics engine takes at the portal's
 * largest scale: 1,000,000 rating pairs through stats_paired (ties and
 * zeros everywhere, as in real evaluations), and the other functions on
 * as many values. `make bench-stats` builds and runs it. A benchmark,
 * not a test: it prints times and checks nothing but that calls succeed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "stats.h"

#define N	1000000

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
report(const char *what, double t0, int runs)
{
	printf("%-48s %9.3f ms\n", what, (now() - t0) * 1000.0 / runs);
}

int
main(void)
{
	struct stats_paired	p;
	struct stats_mean	m;
	struct stats_trend	tr;
	struct stats_impact	im;
	struct stats_proportion	pr;
	struct stats_chisq	ch;
	double			*b, *a, *x, t0;
	size_t			*r1, *r2, i;
	unsigned int		seed;
	int			k;

	gsl_set_error_handler_off();
	b = malloc(N * sizeof(*b));
	a = malloc(N * sizeof(*a));
	x = malloc(N * sizeof(*x));
	r1 = malloc(1000 * sizeof(*r1));
	r2 = malloc(1000 * sizeof(*r2));
	if (b == NULL || a == NULL || x == NULL || r1 == NULL || r2 == NULL)
		return (1);
	seed = 2016;
	for (i = 0; i < N; i++) {
		b[i] = 1 + rand_r(&seed) % 10;
		a[i] = b[i] + rand_r(&seed) % 4 - 1;
		if (a[i] > 10)
			a[i] = 10;
		if (a[i] < 1)
			a[i] = 1;
		x[i] = (double)i;
	}
	for (i = 0; i < 1000; i++) {
		r1[i] = rand_r(&seed) % 100;
		r2[i] = rand_r(&seed) % 100;
	}

	printf("stats engine, %d values (mean time of a call)\n", N);
	t0 = now();
	for (k = 0; k < 5; k++)
		if (stats_paired(b, a, N, 0.95, &p) != 0)
			return (1);
	report("stats_paired, 1,000,000 pairs", t0, 5);
	printf("  (W+ %.0f, z %.3f, t %.3f)\n", p.w_plus, p.z, p.t);
	t0 = now();
	for (k = 0; k < 5; k++)
		if (stats_mean(a, N, 0.95, &m) != 0)
			return (1);
	report("stats_mean, 1,000,000 values", t0, 5);
	t0 = now();
	for (k = 0; k < 5; k++)
		if (stats_trend(x, a, N, &tr) != 0)
			return (1);
	report("stats_trend, 1,000,000 points", t0, 5);
	t0 = now();
	for (k = 0; k < 5; k++)
		if (stats_impact(b, a, N, &im) != 0)
			return (1);
	report("stats_impact, 1,000,000 pairs", t0, 5);
	t0 = now();
	for (k = 0; k < 100000; k++)
		if (stats_proportion((size_t)k % 1000, 1000, 0.95, &pr) != 0)
			return (1);
	report("stats_proportion", t0, 100000);
	t0 = now();
	for (k = 0; k < 1000; k++)
		if (stats_chisq_2xk(r1, r2, 1000, &ch) != 0)
			return (1);
	report("stats_chisq_2xk, 2 x 1000", t0, 1000);
	free(b);
	free(a);
	free(x);
	free(r1);
	free(r2);
	return (0);
}
