/*
 * stats_internal: helpers shared by the stats/ files; not part of the
 * engine's interface (stats.h).
 */
#ifndef PORTAL_STATS_INTERNAL_H
#define PORTAL_STATS_INTERNAL_H

#include <stddef.h>

int	stats_all_finite(const double *, size_t);
void	stats_mean_sd(const double *, size_t, double *, double *);
double	stats_t_half_width(double, double, size_t, double);

#endif /* !PORTAL_STATS_INTERNAL_H */
