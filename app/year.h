/*
 * year: the years reports are asked for, financial (1 April to 31 March)
 * or school (1 September to 31 August), named by their label "2016/17"
 * or by the year they start in, "2016". One parser for every route that
 * takes a year. Kore-free.
 */
#ifndef PORTAL_YEAR_H
#define PORTAL_YEAR_H

#include <stddef.h>

/* The years a report may be asked for, by the year they start in. */
#define YEAR_MIN	1990
#define YEAR_MAX	2998

/* Room for a label, "2016/17" and its NUL. */
#define YEAR_LABEL_LEN	8

int	year_parse(const char *);
void	year_label(int, char *, size_t);

#endif /* !PORTAL_YEAR_H */
