/*
 * Unit tests of sqlparam: ids as text parameters, at the ends of the
 * range.
 */
#include <limits.h>

#include <criterion/criterion.h>

#include "sqlparam.h"

Test(sqlparam, id_as_text)
{
	char	buf[SQLPARAM_ID_LEN];

	cr_assert_str_eq(sqlparam_id(buf, 42), "42");
	cr_assert_str_eq(buf, "42");
	cr_assert_str_eq(sqlparam_id(buf, 0), "0");
	cr_assert_str_eq(sqlparam_id(buf, LLONG_MAX), "9223372036854775807");
	cr_assert_str_eq(sqlparam_id(buf, LLONG_MIN), "-9223372036854775808");
}
