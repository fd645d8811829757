/*
 * term: the school terms that DSL group supervision is expected in, at
 * least one meeting each. A school year Y runs from 1 September Y to 31
 * August Y+1: autumn 1 September - 31 December, spring 1 January - Easter
 * Sunday, summer Easter Monday - 31 August. Easter is computed (Gregorian
 * calendar), never tabled. Kore-free.
 */
#ifndef PORTAL_TERM_H
#define PORTAL_TERM_H

#include <stddef.h>

enum term_kind {
	TERM_AUTUMN,
	TERM_SPRING,
	TERM_SUMMER,
	TERM__MAX
};

struct term_date {
	int	year, month, day;
};

struct term {
	enum term_kind		kind;
	int			school_year;	/* Y of Y/Y+1 */
	struct term_date	start, end;	/* both days included */
};

/* Years term_easter() and the rest take. */
#define TERM_YEAR_MIN	1583
#define TERM_YEAR_MAX	9998

int		 term_easter(int, struct term_date *);
int		 term_of_year(int, enum term_kind, struct term *);
int		 term_containing(const struct term_date *, struct term *);
int		 term_date_parse(const char *, struct term_date *);
void		 term_date_format(const struct term_date *, char *, size_t);
int		 term_date_cmp(const struct term_date *,
		    const struct term_date *);
const char	*term_code(enum term_kind);
void		 term_name(const struct term *, char *, size_t);

#endif /* !PORTAL_TERM_H */
