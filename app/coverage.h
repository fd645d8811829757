/*
 * coverage: workforce coverage figures of a setting or the partnership,
 * computed by stats/ from the counts SQL gathers (coverage_counts() of
 * migration 0008), and the staffing return as a setting sends it.
 * Kore-free.
 */
#ifndef PORTAL_COVERAGE_H
#define PORTAL_COVERAGE_H

#include <cjson/cJSON.h>

/* The most levels a scheme may have in one staffing return. */
#define COVERAGE_LEVELS_MAX	32

/*
 * What a session of a level delivers: the partnership's own sessions of
 * that level over the 12 months to `to` (the day before the as-of date,
 * or the last such session before it).
 */
struct coverage_basis {
	long	sessions;
	double	capacity;		/* mean places a session; NaN: none */
	double	attendance_rate;	/* attended and partial / booked */
	long	attended, booked;
};

struct coverage_return {
	const char	*as_of;
	const char	*codes[COVERAGE_LEVELS_MAX];
	long		 headcount[COVERAGE_LEVELS_MAX];
	size_t		 n;
};

int	coverage_basis(const cJSON *, struct coverage_basis *);
int	coverage_level(cJSON *, const struct coverage_basis *);
void	coverage_sort_worst(cJSON *);
int	coverage_return_read(const cJSON *, struct coverage_return *,
	    cJSON *);

#endif /* !PORTAL_COVERAGE_H */
