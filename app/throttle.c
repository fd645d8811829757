/*
 * throttle: the delay of a slowed address, and the gate of password
 * checks per client address (see throttle.h for the rules).
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "throttle.h"

static struct throttle_address *throttle_find(const struct throttle_gate *,
		    const char *);

/*
 * The milliseconds a sign-in from an address with `failures` failures
 * in the window waits before its password is checked: 0 below
 * THROTTLE_PER_ADDRESS, then THROTTLE_DELAY_MS doubling every
 * THROTTLE_DELAY_STEP failures more, at most THROTTLE_DELAY_MAX_MS.
 */
long
throttle_delay_ms(long failures)
{
	long	ms, steps;

	if (failures < THROTTLE_PER_ADDRESS)
		return (0);
	steps = (failures - THROTTLE_PER_ADDRESS) / THROTTLE_DELAY_STEP;
	for (ms = THROTTLE_DELAY_MS; steps > 0 && ms < THROTTLE_DELAY_MAX_MS;
	    steps--)
		ms *= 2;
	return (ms < THROTTLE_DELAY_MAX_MS ? ms : THROTTLE_DELAY_MAX_MS);
}

/* An empty gate letting `per_address` checks of an address at once. */
void
throttle_gate_init(struct throttle_gate *g, int per_address)
{
	LIST_INIT(&g->addresses);
	g->per_address = per_address;
	g->naddresses = 0;
}

/*
 * Bring `w` to the gate for a check from `ip`. Returns 1 when it holds
 * a place at once; 0 when it waits its turn, in arrival order (`wake`
 * is called with `arg` when a place passes to it: it then holds it);
 * -1 when memory ran out. Every `w` that entered leaves through
 * throttle_gate_leave().
 */
int
throttle_gate_enter(struct throttle_gate *g, const char *ip,
    struct throttle_waiter *w, void (*wake)(void *), void *arg)
{
	struct throttle_address	*a;

	w->address = NULL;
	w->holds = 0;
	w->wake = wake;
	w->arg = arg;
	if ((a = throttle_find(g, ip)) == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			return (-1);
		snprintf(a->ip, sizeof(a->ip), "%s", ip);
		TAILQ_INIT(&a->waiting);
		LIST_INSERT_HEAD(&g->addresses, a, list);
		g->naddresses++;
	}
	w->address = a;
	if (a->checks < g->per_address) {
		a->checks++;
		w->holds = 1;
		return (1);
	}
	TAILQ_INSERT_TAIL(&a->waiting, w, list);
	return (0);
}

/*
 * Take `w` from the gate: a place it holds passes to the first of its
 * address waiting (whose wake is called); a waiter leaves the queue.
 * Does nothing for a `w` not at the gate, so it may be called again.
 */
void
throttle_gate_leave(struct throttle_gate *g, struct throttle_waiter *w)
{
	struct throttle_address	*a;
	struct throttle_waiter	*next;

	if ((a = w->address) == NULL)
		return;
	w->address = NULL;
	if (w->holds) {
		w->holds = 0;
		if ((next = TAILQ_FIRST(&a->waiting)) != NULL) {
			TAILQ_REMOVE(&a->waiting, next, list);
			next->holds = 1;
			next->wake(next->arg);
		} else
			a->checks--;
	} else
		TAILQ_REMOVE(&a->waiting, w, list);
	if (a->checks == 0 && TAILQ_EMPTY(&a->waiting)) {
		LIST_REMOVE(a, list);
		free(a);
		g->naddresses--;
	}
}

/* How many sign-ins from `ip` wait for a place. */
size_t
throttle_gate_waiting(const struct throttle_gate *g, const char *ip)
{
	const struct throttle_address	*a;
	const struct throttle_waiter	*w;
	size_t				 n;

	n = 0;
	if ((a = throttle_find(g, ip)) != NULL) {
		TAILQ_FOREACH(w, &a->waiting, list)
			n++;
	}
	return (n);
}

static struct throttle_address *
throttle_find(const struct throttle_gate *g, const char *ip)
{
	struct throttle_address	*a;

	LIST_FOREACH(a, &g->addresses, list) {
		if (strcmp(a->ip, ip) == 0)
			return (a);
	}
	return (NULL);
}
