/*
 * term: school terms and the date of Easter.
 */
#include <stdio.h>
#include <string.h>

#include "term.h"
#include "text.h"

static const char *const term_codes[TERM__MAX] = {
	"autumn", "spring", "summer"
};
static const char *const term_names[TERM__MAX] = {
	"Autumn", "Spring", "Summer"
};

/*
 * Easter Sunday of `year` in the Gregorian calendar into `*out`, by the
 * anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8;
 * Jones 1876, Butcher 1876). Returns 0, or -1 for a year outside
 * TERM_YEAR_MIN..TERM_YEAR_MAX.
 */
int
term_easter(int year, struct term_date *out)
{
	int	a, b, c, d, e, f, g, h, i, k, l, m, n;

	if (year < TERM_YEAR_MIN || year > TERM_YEAR_MAX || out == NULL)
		return (-1);
	a = year % 19;			/* place in the Metonic cycle */
	b = year / 100;
	c = year % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;	/* epact */
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;	/* to the Sunday */
	m = (a + 11 * h + 22 * l) / 451;
	n = h + l - 7 * m + 114;
	out->year = year;
	out->month = n / 31;
	out->day = n % 31 + 1;
	return (0);
}

/*
 * The term `kind` of school year `school_year` (Y of Y/Y+1) into `*out`.
 * Returns 0, or -1 for a year or kind out of range.
 */
int
term_of_year(int school_year, enum term_kind kind, struct term *out)
{
	struct term_date	easter;

	if (school_year < TERM_YEAR_MIN || school_year + 1 > TERM_YEAR_MAX ||
	    (int)kind < 0 || kind >= TERM__MAX || out == NULL)
		return (-1);
	out->kind = kind;
	out->school_year = school_year;
	switch (kind) {
	case TERM_AUTUMN:
		out->start = (struct term_date){ school_year, 9, 1 };
		out->end = (struct term_date){ school_year, 12, 31 };
		break;
	case TERM_SPRING:
		(void)term_easter(school_year + 1, &easter);
		out->start = (struct term_date){ school_year + 1, 1, 1 };
		out->end = easter;
		break;
	default:
		(void)term_easter(school_year + 1, &easter);
		/* Easter Monday: Easter Sunday falls 22 March - 25 April. */
		if (easter.month == 3 && easter.day == 31)
			out->start = (struct term_date){ easter.year, 4, 1 };
		else
			out->start = (struct term_date){ easter.year,
			    easter.month, easter.day + 1 };
		out->end = (struct term_date){ school_year + 1, 8, 31 };
		break;
	}
	return (0);
}

/* The term that `day` falls in, into `*out`: 0, or -1 out of range. */
int
term_containing(const struct term_date *day, struct term *out)
{
	struct term	spring;

	if (day == NULL || out == NULL)
		return (-1);
	if (day->month >= 9)
		return (term_of_year(day->year, TERM_AUTUMN, out));
	if (term_of_year(day->year - 1, TERM_SPRING, &spring) == -1)
		return (-1);
	if (term_date_cmp(day, &spring.end) <= 0) {
		*out = spring;
		return (0);
	}
	return (term_of_year(day->year - 1, TERM_SUMMER, out));
}

/* Read a YYYY-MM-DD date: 0, or -1 when it is not a calendar date. */
int
term_date_parse(const char *s, struct term_date *out)
{
	if (s == NULL || !text_is_date(s))
		return (-1);
	if (sscanf(s, "%4d-%2d-%2d", &out->year, &out->month,
	    &out->day) != 3)
		return (-1);
	return (0);
}

/* Write `d` as YYYY-MM-DD into `buf` (11 bytes or more). */
void
term_date_format(const struct term_date *d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d->year, d->month, d->day);
}

/* Order of two dates: negative, 0 or positive. */
int
term_date_cmp(const struct term_date *a, const struct term_date *b)
{
	if (a->year != b->year)
		return (a->year < b->year ? -1 : 1);
	if (a->month != b->month)
		return (a->month < b->month ? -1 : 1);
	if (a->day != b->day)
		return (a->day < b->day ? -1 : 1);
	return (0);
}

/* The term's code in the API and CSV: autumn, spring, summer. */
const char *
term_code(enum term_kind kind)
{
	if ((int)kind < 0 || kind >= TERM__MAX)
		return ("");
	return (term_codes[kind]);
}

/* The term as people say it, e.g. "Spring 2017", into `buf`. */
void
term_name(const struct term *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s %d", term_names[t->kind], t->start.year);
}
