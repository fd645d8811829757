/*
 * Unit tests of term: Easter Sunday against published dates (the table
 * comes from python3-dateutil, an independent implementation, through
 * tests/reference/easter_reference.py), and the school terms around it.
 */
#include <criterion/criterion.h>

#include <stdio.h>

#include "term.h"

static const struct term_date known_easter[] = {
	{ 1583, 4, 10 },
	{ 1584, 4, 1 },
	{ 1585, 4, 21 },
	{ 1586, 4, 6 },
	{ 1587, 3, 29 },
	{ 1588, 4, 17 },
	{ 1589, 4, 2 },
	{ 1590, 4, 22 },
	{ 1591, 4, 14 },
	{ 1592, 3, 29 },
	{ 1593, 4, 18 },
	{ 1594, 4, 10 },
	{ 1595, 3, 26 },
	{ 1596, 4, 14 },
	{ 1597, 4, 6 },
	{ 1598, 3, 22 },
	{ 1599, 4, 11 },
	{ 1900, 4, 15 },
	{ 1901, 4, 7 },
	{ 1902, 3, 30 },
	{ 1903, 4, 12 },
	{ 1904, 4, 3 },
	{ 1905, 4, 23 },
	{ 1906, 4, 15 },
	{ 1907, 3, 31 },
	{ 1908, 4, 19 },
	{ 1909, 4, 11 },
	{ 1910, 3, 27 },
	{ 1911, 4, 16 },
	{ 1912, 4, 7 },
	{ 1913, 3, 23 },
	{ 1914, 4, 12 },
	{ 1915, 4, 4 },
	{ 1916, 4, 23 },
	{ 1917, 4, 8 },
	{ 1918, 3, 31 },
	{ 1919, 4, 20 },
	{ 1920, 4, 4 },
	{ 1921, 3, 27 },
	{ 1922, 4, 16 },
	{ 1923, 4, 1 },
	{ 1924, 4, 20 },
	{ 1925, 4, 12 },
	{ 1926, 4, 4 },
	{ 1927, 4, 17 },
	{ 1928, 4, 8 },
	{ 1929, 3, 31 },
	{ 1930, 4, 20 },
	{ 1931, 4, 5 },
	{ 1932, 3, 27 },
	{ 1933, 4, 16 },
	{ 1934, 4, 1 },
	{ 1935, 4, 21 },
	{ 1936, 4, 12 },
	{ 1937, 3, 28 },
	{ 1938, 4, 17 },
	{ 1939, 4, 9 },
	{ 1940, 3, 24 },
	{ 1941, 4, 13 },
	{ 1942, 4, 5 },
	{ 1943, 4, 25 },
	{ 1944, 4, 9 },
	{ 1945, 4, 1 },
	{ 1946, 4, 21 },
	{ 1947, 4, 6 },
	{ 1948, 3, 28 },
	{ 1949, 4, 17 },
	{ 1950, 4, 9 },
	{ 1951, 3, 25 },
	{ 1952, 4, 13 },
	{ 1953, 4, 5 },
	{ 1954, 4, 18 },
	{ 1955, 4, 10 },
	{ 1956, 4, 1 },
	{ 1957, 4, 21 },
	{ 1958, 4, 6 },
	{ 1959, 3, 29 },
	{ 1960, 4, 17 },
	{ 1961, 4, 2 },
	{ 1962, 4, 22 },
	{ 1963, 4, 14 },
	{ 1964, 3, 29 },
	{ 1965, 4, 18 },
	{ 1966, 4, 10 },
	{ 1967, 3, 26 },
	{ 1968, 4, 14 },
	{ 1969, 4, 6 },
	{ 1970, 3, 29 },
	{ 1971, 4, 11 },
	{ 1972, 4, 2 },
	{ 1973, 4, 22 },
	{ 1974, 4, 14 },
	{ 1975, 3, 30 },
	{ 1976, 4, 18 },
	{ 1977, 4, 10 },
	{ 1978, 3, 26 },
	{ 1979, 4, 15 },
	{ 1980, 4, 6 },
	{ 1981, 4, 19 },
	{ 1982, 4, 11 },
	{ 1983, 4, 3 },
	{ 1984, 4, 22 },
	{ 1985, 4, 7 },
	{ 1986, 3, 30 },
	{ 1987, 4, 19 },
	{ 1988, 4, 3 },
	{ 1989, 3, 26 },
	{ 1990, 4, 15 },
	{ 1991, 3, 31 },
	{ 1992, 4, 19 },
	{ 1993, 4, 11 },
	{ 1994, 4, 3 },
	{ 1995, 4, 16 },
	{ 1996, 4, 7 },
	{ 1997, 3, 30 },
	{ 1998, 4, 12 },
	{ 1999, 4, 4 },
	{ 2000, 4, 23 },
	{ 2001, 4, 15 },
	{ 2002, 3, 31 },
	{ 2003, 4, 20 },
	{ 2004, 4, 11 },
	{ 2005, 3, 27 },
	{ 2006, 4, 16 },
	{ 2007, 4, 8 },
	{ 2008, 3, 23 },
	{ 2009, 4, 12 },
	{ 2010, 4, 4 },
	{ 2011, 4, 24 },
	{ 2012, 4, 8 },
	{ 2013, 3, 31 },
	{ 2014, 4, 20 },
	{ 2015, 4, 5 },
	{ 2016, 3, 27 },
	{ 2017, 4, 16 },
	{ 2018, 4, 1 },
	{ 2019, 4, 21 },
	{ 2020, 4, 12 },
	{ 2021, 4, 4 },
	{ 2022, 4, 17 },
	{ 2023, 4, 9 },
	{ 2024, 3, 31 },
	{ 2025, 4, 20 },
	{ 2026, 4, 5 },
	{ 2027, 3, 28 },
	{ 2028, 4, 16 },
	{ 2029, 4, 1 },
	{ 2030, 4, 21 },
	{ 2031, 4, 13 },
	{ 2032, 3, 28 },
	{ 2033, 4, 17 },
	{ 2034, 4, 9 },
	{ 2035, 3, 25 },
	{ 2036, 4, 13 },
	{ 2037, 4, 5 },
	{ 2038, 4, 25 },
	{ 2039, 4, 10 },
	{ 2040, 4, 1 },
	{ 2041, 4, 21 },
	{ 2042, 4, 6 },
	{ 2043, 3, 29 },
	{ 2044, 4, 17 },
	{ 2045, 4, 9 },
	{ 2046, 3, 25 },
	{ 2047, 4, 14 },
	{ 2048, 4, 5 },
	{ 2049, 4, 18 },
	{ 2050, 4, 10 },
	{ 2051, 4, 2 },
	{ 2052, 4, 21 },
	{ 2053, 4, 6 },
	{ 2054, 3, 29 },
	{ 2055, 4, 18 },
	{ 2056, 4, 2 },
	{ 2057, 4, 22 },
	{ 2058, 4, 14 },
	{ 2059, 3, 30 },
	{ 2060, 4, 18 },
	{ 2061, 4, 10 },
	{ 2062, 3, 26 },
	{ 2063, 4, 15 },
	{ 2064, 4, 6 },
	{ 2065, 3, 29 },
	{ 2066, 4, 11 },
	{ 2067, 4, 3 },
	{ 2068, 4, 22 },
	{ 2069, 4, 14 },
	{ 2070, 3, 30 },
	{ 2071, 4, 19 },
	{ 2072, 4, 10 },
	{ 2073, 3, 26 },
	{ 2074, 4, 15 },
	{ 2075, 4, 7 },
	{ 2076, 4, 19 },
	{ 2077, 4, 11 },
	{ 2078, 4, 3 },
	{ 2079, 4, 23 },
	{ 2080, 4, 7 },
	{ 2081, 3, 30 },
	{ 2082, 4, 19 },
	{ 2083, 4, 4 },
	{ 2084, 3, 26 },
	{ 2085, 4, 15 },
	{ 2086, 3, 31 },
	{ 2087, 4, 20 },
	{ 2088, 4, 11 },
	{ 2089, 4, 3 },
	{ 2090, 4, 16 },
	{ 2091, 4, 8 },
	{ 2092, 3, 30 },
	{ 2093, 4, 12 },
	{ 2094, 4, 4 },
	{ 2095, 4, 24 },
	{ 2096, 4, 15 },
	{ 2097, 3, 31 },
	{ 2098, 4, 20 },
	{ 2099, 4, 12 },
	{ 2100, 3, 28 },
	{ 2285, 3, 22 },
	{ 2400, 4, 16 },
	{ 2800, 4, 2 },
	{ 3000, 4, 13 },
	{ 4099, 4, 19 },
	{ 9998, 4, 5 },
};

Test(term, easter_matches_the_published_dates)
{
	struct term_date	d;
	size_t			i;

	cr_assert_geq(sizeof(known_easter) / sizeof(known_easter[0]), 200);
	for (i = 0; i < sizeof(known_easter) / sizeof(known_easter[0]); i++) {
		cr_assert_eq(term_easter(known_easter[i].year, &d), 0);
		cr_expect(d.year == known_easter[i].year &&
		    d.month == known_easter[i].month &&
		    d.day == known_easter[i].day,
		    "Easter %d: got %d-%02d-%02d, published %d-%02d-%02d",
		    known_easter[i].year, d.year, d.month, d.day,
		    known_easter[i].year, known_easter[i].month,
		    known_easter[i].day);
	}
}

Test(term, easter_stays_between_22_march_and_25_april)
{
	struct term_date	d;
	int			y;

	for (y = TERM_YEAR_MIN; y <= TERM_YEAR_MAX; y++) {
		cr_assert_eq(term_easter(y, &d), 0);
		cr_assert((d.month == 3 && d.day >= 22 && d.day <= 31) ||
		    (d.month == 4 && d.day >= 1 && d.day <= 25),
		    "Easter %d on %d-%d", y, d.month, d.day);
	}
}

Test(term, years_outside_the_gregorian_range_are_refused)
{
	struct term_date	d;
	struct term		t;

	cr_assert_eq(term_easter(1582, &d), -1);
	cr_assert_eq(term_easter(9999, &d), -1);
	cr_assert_eq(term_of_year(TERM_YEAR_MAX, TERM_AUTUMN, &t), -1);
	cr_assert_eq(term_of_year(2016, TERM__MAX, &t), -1);
}

static void
expect_term(int year, enum term_kind kind, const char *start, const char *end)
{
	struct term	t;
	char		s[11], e[11];

	cr_assert_eq(term_of_year(year, kind, &t), 0);
	term_date_format(&t.start, s, sizeof(s));
	term_date_format(&t.end, e, sizeof(e));
	cr_expect_str_eq(s, start, "%d %s starts %s", year, term_code(kind), s);
	cr_expect_str_eq(e, end, "%d %s ends %s", year, term_code(kind), e);
}

Test(term, terms_of_a_school_year)
{
	/* Easter 2017: 16 April. */
	expect_term(2016, TERM_AUTUMN, "2016-09-01", "2016-12-31");
	expect_term(2016, TERM_SPRING, "2017-01-01", "2017-04-16");
	expect_term(2016, TERM_SUMMER, "2017-04-17", "2017-08-31");
	/* Easter 2024 on 31 March: summer starts on 1 April. */
	expect_term(2023, TERM_SPRING, "2024-01-01", "2024-03-31");
	expect_term(2023, TERM_SUMMER, "2024-04-01", "2024-08-31");
	/* The earliest (2285: 22 March) and latest (2038: 25 April). */
	expect_term(2284, TERM_SUMMER, "2285-03-23", "2285-08-31");
	expect_term(2037, TERM_SPRING, "2038-01-01", "2038-04-25");
	expect_term(2037, TERM_SUMMER, "2038-04-26", "2038-08-31");
}

static enum term_kind
kind_of(const char *day, int *school_year)
{
	struct term_date	d;
	struct term		t;

	cr_assert_eq(term_date_parse(day, &d), 0);
	cr_assert_eq(term_containing(&d, &t), 0);
	*school_year = t.school_year;
	return (t.kind);
}

Test(term, the_term_a_day_falls_in)
{
	int	y;

	cr_expect_eq(kind_of("2016-09-01", &y), TERM_AUTUMN);
	cr_expect_eq(y, 2016);
	cr_expect_eq(kind_of("2016-12-31", &y), TERM_AUTUMN);
	cr_expect_eq(kind_of("2017-01-01", &y), TERM_SPRING);
	cr_expect_eq(y, 2016);
	cr_expect_eq(kind_of("2017-04-16", &y), TERM_SPRING);
	cr_expect_eq(kind_of("2017-04-17", &y), TERM_SUMMER);
	cr_expect_eq(kind_of("2017-08-31", &y), TERM_SUMMER);
	cr_expect_eq(y, 2016);
	cr_expect_eq(kind_of("2024-03-31", &y), TERM_SPRING);
	cr_expect_eq(kind_of("2024-04-01", &y), TERM_SUMMER);
	cr_expect_eq(y, 2023);
}

Test(term, every_day_of_many_years_is_in_exactly_its_term)
{
	struct term_date	d;
	struct term		t, all[TERM__MAX];
	int			y, m, day, k, inside;
	static const int	len[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	for (y = 1990; y <= 2060; y++) {
		for (k = 0; k < TERM__MAX; k++)
			cr_assert_eq(term_of_year(y, (enum term_kind)k,
			    &all[k]), 0);
		for (m = 1; m <= 12; m++) {
			for (day = 1; day <= len[m - 1]; day++) {
				if (m == 2 && day == 29 && !(y % 4 == 0 &&
				    (y % 100 != 0 || y % 400 == 0)))
					continue;
				d = (struct term_date){ y, m, day };
				cr_assert_eq(term_containing(&d, &t), 0);
				cr_assert(term_date_cmp(&t.start, &d) <= 0 &&
				    term_date_cmp(&d, &t.end) <= 0);
				/* In no other term of its school year. */
				if (t.school_year != y)
					continue;
				inside = 0;
				for (k = 0; k < TERM__MAX; k++)
					inside += term_date_cmp(&all[k].start,
					    &d) <= 0 && term_date_cmp(&d,
					    &all[k].end) <= 0;
				cr_assert_eq(inside, 1);
			}
		}
	}
}

Test(term, names_and_dates)
{
	struct term		t;
	struct term_date	d;
	char			buf[32];

	cr_assert_eq(term_of_year(2016, TERM_SPRING, &t), 0);
	term_name(&t, buf, sizeof(buf));
	cr_expect_str_eq(buf, "Spring 2017");
	cr_expect_str_eq(term_code(TERM_SUMMER), "summer");
	cr_expect_eq(term_date_parse("2017-02-30", &d), -1);
	cr_expect_eq(term_date_parse("17-02-01", &d), -1);
	cr_expect_eq(term_date_parse(NULL, &d), -1);
}
