/*
 * throttle: the rules that slow down guessing at sign-in, and the gate
 * that lets at most THROTTLE_ADDRESS_CHECKS password checks of one
 * client address run at once in a worker. Kore-free.
 *
 * Per account: THROTTLE_PER_ACCOUNT failures within the window refuse
 * the account (429), the right password included. Per address: from
 * THROTTLE_PER_ADDRESS failures within the window the address is slowed,
 * never shut: every sign-in from it waits throttle_delay_ms() before its
 * check (a delay that doubles as its failures grow), an account that has
 * failed THROTTLE_SLOWED_PER_ACCOUNT times is refused, and the right
 * password of any other account still gets in. A council's or a trust's
 * staff behind one proxy survive one person's (or one attacker's) wrong
 * passwords.
 */
#ifndef PORTAL_THROTTLE_H
#define PORTAL_THROTTLE_H

#include <sys/queue.h>

#include <stddef.h>

/* The window failures are counted in. */
#define THROTTLE_WINDOW_MINUTES		15
/* Failures (and checks under way) that refuse an account. */
#define THROTTLE_PER_ACCOUNT		10
/* Failures from one address from which it is slowed. */
#define THROTTLE_PER_ADDRESS		50
/* Failures that refuse an account while its address is slowed. */
#define THROTTLE_SLOWED_PER_ACCOUNT	3
/* The delay of a slowed address: doubling every THROTTLE_DELAY_STEP
 * failures beyond THROTTLE_PER_ADDRESS, up to THROTTLE_DELAY_MAX_MS. */
#define THROTTLE_DELAY_MS		500
#define THROTTLE_DELAY_STEP		50
#define THROTTLE_DELAY_MAX_MS		8000
/* Password checks of one address at once, per worker. */
#define THROTTLE_ADDRESS_CHECKS		2
/* The longest a sign-in waits for its turn before a 503: with the
 * longest delay and a check, under nginx's proxy_read_timeout (60 s). */
#define THROTTLE_QUEUE_SECONDS		45

/* A sign-in at the gate, inside its request's state. */
struct throttle_waiter {
	TAILQ_ENTRY(throttle_waiter)	 list;
	struct throttle_address		*address;	/* NULL: not at it */
	int				 holds;		/* a check's place */
	void				(*wake)(void *);
	void				*arg;
};

/* One client address with sign-ins at the gate. */
struct throttle_address {
	LIST_ENTRY(throttle_address)	 list;
	TAILQ_HEAD(, throttle_waiter)	 waiting;
	int				 checks;	/* places held */
	char				 ip[64];
};

/* A worker's gate: its addresses with sign-ins under way. */
struct throttle_gate {
	LIST_HEAD(, throttle_address)	 addresses;
	int				 per_address;
	size_t				 naddresses;
};

long	throttle_delay_ms(long);
void	throttle_gate_init(struct throttle_gate *, int);
int	throttle_gate_enter(struct throttle_gate *, const char *,
	    struct throttle_waiter *, void (*)(void *), void *);
void	throttle_gate_leave(struct throttle_gate *, struct throttle_waiter *);
size_t	throttle_gate_waiting(const struct throttle_gate *, const char *);

#endif /* !PORTAL_THROTTLE_H */
