/*
 * walkin: when a walk-in may be added to a session's register. A
 * trainer adds walk-ins only while the register is open: from the
 * session's start until WALKIN_REGISTER_DAYS days after its end. A
 * coordinator adds past attendance at any time after the start. Neither
 * adds anyone to a session that was cancelled. Kore-free.
 */
#ifndef PORTAL_WALKIN_H
#define PORTAL_WALKIN_H

/* Days after a session's end that its trainers may still add walk-ins. */
#define WALKIN_REGISTER_DAYS	7

enum walkin_rule {
	WALKIN_OPEN,
	WALKIN_NOT_STARTED,		/* before the start, or cancelled */
	WALKIN_CLOSED			/* a trainer, past the register's days */
};

enum walkin_rule	walkin_register_rule(long long, long long, long long,
			    int, int);

#endif /* !PORTAL_WALKIN_H */
