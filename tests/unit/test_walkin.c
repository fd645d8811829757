/*
 * Unit tests of walkin: a trainer's register is open from the session's
 * start to WALKIN_REGISTER_DAYS days after its end; a coordinator's at
 * any time after the start; nobody's before it or on a cancelled session.
 */
#include <criterion/criterion.h>

#include "walkin.h"

#define DAY	86400LL
#define START	1764583200LL		/* 2025-12-01 10:00 UTC */
#define END	(START + 6 * 3600)

Test(walkin, nobody_before_the_start)
{
	cr_assert_eq(walkin_register_rule(START, END, START - 1, 1, 0),
	    WALKIN_NOT_STARTED);
	cr_assert_eq(walkin_register_rule(START, END, START - 1, 1, 1),
	    WALKIN_NOT_STARTED);
}

Test(walkin, nobody_on_a_cancelled_session)
{
	cr_assert_eq(walkin_register_rule(START, END, START + 60, 0, 0),
	    WALKIN_NOT_STARTED);
	cr_assert_eq(walkin_register_rule(START, END, START + 60, 0, 1),
	    WALKIN_NOT_STARTED);
}

Test(walkin, trainer_from_the_start_to_seven_days_after_the_end)
{
	cr_assert_eq(WALKIN_REGISTER_DAYS, 7);
	cr_assert_eq(walkin_register_rule(START, END, START, 1, 0),
	    WALKIN_OPEN);
	cr_assert_eq(walkin_register_rule(START, END, END + 7 * DAY - 1, 1, 0),
	    WALKIN_OPEN);
	cr_assert_eq(walkin_register_rule(START, END, END + 7 * DAY, 1, 0),
	    WALKIN_CLOSED);
	cr_assert_eq(walkin_register_rule(START, END, END + 400 * DAY, 1, 0),
	    WALKIN_CLOSED);
}

Test(walkin, coordinator_any_time_after_the_start)
{
	cr_assert_eq(walkin_register_rule(START, END, END + 7 * DAY, 1, 1),
	    WALKIN_OPEN);
	cr_assert_eq(walkin_register_rule(START, END, END + 4000 * DAY, 1, 1),
	    WALKIN_OPEN);
}

Test(walkin, an_end_before_the_start_counts_from_the_start)
{
	cr_assert_eq(walkin_register_rule(START, START - DAY,
	    START + 7 * DAY - 1, 1, 0), WALKIN_OPEN);
	cr_assert_eq(walkin_register_rule(START, START - DAY,
	    START + 7 * DAY, 1, 0), WALKIN_CLOSED);
}
