/*
 * Unit tests of sqlstate: each SQLSTATE the portal tells apart, and the
 * rest as an error.
 */
#include <criterion/criterion.h>

#include "sqlstate.h"

Test(sqlstate, unique_and_exclusion_are_conflicts)
{
	cr_assert_eq(sqlstate_status("23505"), DB_CONFLICT);
	cr_assert_eq(sqlstate_status("23P01"), DB_CONFLICT);
}

Test(sqlstate, check_foreign_key_not_null_and_bad_data_are_invalid)
{
	cr_assert_eq(sqlstate_status("23514"), DB_INVALID);
	cr_assert_eq(sqlstate_status("23503"), DB_INVALID);
	cr_assert_eq(sqlstate_status("23502"), DB_INVALID);
	cr_assert_eq(sqlstate_status("22P02"), DB_INVALID);
	cr_assert_eq(sqlstate_status("22001"), DB_INVALID);
}

Test(sqlstate, connection_shutdown_and_time_limits_are_unavailable)
{
	cr_assert_eq(sqlstate_status("08006"), DB_UNAVAILABLE);
	cr_assert_eq(sqlstate_status("57P01"), DB_UNAVAILABLE);
	cr_assert_eq(sqlstate_status("55P03"), DB_UNAVAILABLE);
	cr_assert_eq(sqlstate_status("57014"), DB_UNAVAILABLE);
	cr_assert(sqlstate_is_timeout("55P03"));
	cr_assert(sqlstate_is_timeout("57014"));
	cr_assert_not(sqlstate_is_timeout("57P01"));
	cr_assert_not(sqlstate_is_timeout(NULL));
}

Test(sqlstate, anything_else_is_an_error)
{
	cr_assert_eq(sqlstate_status(NULL), DB_ERR);
	cr_assert_eq(sqlstate_status("42P01"), DB_ERR);
	cr_assert_eq(sqlstate_status("23000"), DB_ERR);
	cr_assert_eq(sqlstate_status("40001"), DB_ERR);
}
