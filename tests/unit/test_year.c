/*
 * Unit tests of year: the label form and the starting year are the same
 * year; every other form is refused.
 */
#include <criterion/criterion.h>

#include <stddef.h>

#include "year.h"

Test(year, label_and_starting_year_name_the_same_year)
{
	cr_assert_eq(year_parse("2016/17"), 2016);
	cr_assert_eq(year_parse("2016"), 2016);
	cr_assert_eq(year_parse("1999/00"), 1999);
	cr_assert_eq(year_parse("2099/00"), 2099);
	cr_assert_eq(year_parse("1990/91"), YEAR_MIN);
	cr_assert_eq(year_parse("2998"), YEAR_MAX);
}

Test(year, wrong_forms_are_refused)
{
	static const char *const wrong[] = {
		"2016/18", "2016/7", "2016/2017", "2016/", "2016-17", "abc",
		"", "201", "20167", " 2016", "2016 ", "+2016", "2016/1a",
		"2o16/17", "1989", "1989/90", "2999", "0000/01", "2016/17x",
		"2016\n", "１２３４",
	};
	size_t	i;

	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		cr_assert_eq(year_parse(wrong[i]), -1, "\"%s\"", wrong[i]);
	cr_assert_eq(year_parse(NULL), -1);
}

Test(year, label_round_trips)
{
	char	buf[YEAR_LABEL_LEN];
	int	y;

	for (y = YEAR_MIN; y <= YEAR_MAX; y++) {
		year_label(y, buf, sizeof(buf));
		cr_assert_eq(year_parse(buf), y, "%s", buf);
	}
	year_label(2016, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2016/17");
	year_label(1999, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1999/00");
}
