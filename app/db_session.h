/*
 * db_session: sign-in sessions, sign-in throttling (the rules in
 * throttle.h).
 */
#ifndef PORTAL_DB_SESSION_H
#define PORTAL_DB_SESSION_H

#include <cjson/cJSON.h>

#include "db_status.h"
#include "throttle.h"
#include "token.h"

/* Idle and absolute lifetimes of a session. */
#define SESSION_IDLE_MINUTES		30
#define SESSION_ABSOLUTE_HOURS		12
/* A session's last use is recorded at most this often. */
#define SESSION_TOUCH_SECONDS		60

/* Roles, as bits. */
#define ROLE_PRACTITIONER	0x01
#define ROLE_TRAINER		0x02
#define ROLE_SETTING_LEAD	0x04
#define ROLE_REVIEWER		0x08
#define ROLE_COORDINATOR	0x10

/* Who a request's session belongs to. */
struct session_who {
	long long	person_id;
	long long	agency_id;		/* of the person */
	long long	lead_agency_id;		/* setting lead of, or 0 */
	int		roles;			/* ROLE_* */
	int		verified;		/* e-mail address proved */
	char		csrf[TOKEN_LEN];
	char		token_hash[TOKEN_HASH_LEN];
};

enum db_status	db_session_reserve(const char *, const char *, int *,
	    long long *, long *);
enum db_status	db_session_credentials(const char *, long long *, char *,
	    size_t);
enum db_status	db_session_failed(const char *, long long, long long);
enum db_status	db_session_create(long long, long long, const char *,
	    const char *, const char *, cJSON **);
enum db_status	db_session_lookup(const char *, struct session_who *);
enum db_status	db_session_delete(const struct session_who *, const char *);
enum db_status	db_session_account(long long, cJSON **);

#endif /* !PORTAL_DB_SESSION_H */
