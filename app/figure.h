/*
 * figure: one JSON shape for each statistical figure the portal shows,
 * computed by stats/ and suppressed under the small-numbers rule
 * (stats_suppressed()). Every report and summary writes its proportions
 * and means through here. Kore-free.
 */
#ifndef PORTAL_FIGURE_H
#define PORTAL_FIGURE_H

#include <stddef.h>

#include <cjson/cJSON.h>

void	 figure_number(cJSON *, const char *, double);
cJSON	*figure_proportion(size_t, size_t, double, int);
cJSON	*figure_mean(const double *, size_t, double, int);

#endif /* !PORTAL_FIGURE_H */
