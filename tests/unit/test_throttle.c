/*
 * Unit tests of throttle: the delay of a slowed address, and the gate
 * that lets two password checks of one address run at once, the others
 * waiting in arrival order, other addresses unaffected.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "throttle.h"

Test(throttle, delay_starts_at_the_address_limit_and_doubles_to_a_cap)
{
	cr_assert_eq(throttle_delay_ms(0), 0);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS - 1), 0);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS), 500);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS + 49), 500);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS + 50), 1000);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS + 100), 2000);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS + 150), 4000);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS + 200), 8000);
	cr_assert_eq(throttle_delay_ms(THROTTLE_PER_ADDRESS + 250), 8000);
	cr_assert_eq(throttle_delay_ms(2147483647L), THROTTLE_DELAY_MAX_MS);
	cr_assert_eq(throttle_delay_ms(-1), 0);
}

static int	woken[8];

static void
wake(void *arg)
{
	woken[*(int *)arg]++;
}

Test(throttle, gate_two_at_once_per_address_the_rest_in_arrival_order)
{
	struct throttle_gate	g;
	struct throttle_waiter	w[6];
	int			id[6] = { 0, 1, 2, 3, 4, 5 };

	memset(woken, 0, sizeof(woken));
	throttle_gate_init(&g, 2);
	cr_assert_eq(throttle_gate_enter(&g, "192.0.2.1", &w[0], wake, &id[0]), 1);
	cr_assert_eq(throttle_gate_enter(&g, "192.0.2.1", &w[1], wake, &id[1]), 1);
	cr_assert_eq(throttle_gate_enter(&g, "192.0.2.1", &w[2], wake, &id[2]), 0);
	cr_assert_eq(throttle_gate_enter(&g, "192.0.2.1", &w[3], wake, &id[3]), 0);
	cr_assert_eq(throttle_gate_enter(&g, "192.0.2.1", &w[4], wake, &id[4]), 0);
	/* Another address is not held up. */
	cr_assert_eq(throttle_gate_enter(&g, "198.51.100.7", &w[5], wake, &id[5]), 1);
	cr_assert_eq(g.naddresses, 2);
	cr_assert_eq(throttle_gate_waiting(&g, "192.0.2.1"), 3);

	/* A waiter that gives up leaves the queue; nobody is woken. */
	throttle_gate_leave(&g, &w[3]);
	cr_assert_eq(throttle_gate_waiting(&g, "192.0.2.1"), 2);
	cr_assert_eq(woken[3], 0);

	/* A place passes to the first waiting, then the next. */
	throttle_gate_leave(&g, &w[1]);
	cr_assert_eq(woken[2], 1);
	cr_assert(w[2].holds);
	cr_assert_eq(woken[4], 0);
	throttle_gate_leave(&g, &w[0]);
	cr_assert_eq(woken[4], 1);
	cr_assert(w[4].holds);
	cr_assert_eq(throttle_gate_waiting(&g, "192.0.2.1"), 0);

	/* Leaving twice does nothing more. */
	throttle_gate_leave(&g, &w[0]);
	cr_assert_eq(woken[2] + woken[4], 2);

	/* Once the last leaves, nothing of the address is kept. */
	throttle_gate_leave(&g, &w[2]);
	cr_assert_eq(g.naddresses, 2);
	throttle_gate_leave(&g, &w[4]);
	throttle_gate_leave(&g, &w[5]);
	cr_assert_eq(g.naddresses, 0);
	cr_assert(LIST_EMPTY(&g.addresses));

	/* And the gate opens afresh. */
	cr_assert_eq(throttle_gate_enter(&g, "192.0.2.1", &w[0], wake, &id[0]), 1);
	throttle_gate_leave(&g, &w[0]);
	cr_assert_eq(g.naddresses, 0);
}

Test(throttle, gate_many_addresses_each_its_own_places)
{
	struct throttle_gate	g;
	struct throttle_waiter	w[300];
	int			id = 7;
	char			ip[32];
	int			i;

	throttle_gate_init(&g, 2);
	for (i = 0; i < 300; i++) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 3, i % 3);
		cr_assert_eq(throttle_gate_enter(&g, ip, &w[i], wake, &id), 1);
	}
	cr_assert_eq(g.naddresses, 300);
	for (i = 0; i < 300; i++)
		throttle_gate_leave(&g, &w[i]);
	cr_assert_eq(g.naddresses, 0);
}
