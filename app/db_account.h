/*
 * db_account: accounts and the people they belong to.
 */
#ifndef PORTAL_DB_ACCOUNT_H
#define PORTAL_DB_ACCOUNT_H

#include <cjson/cJSON.h>

#include "account.h"
#include "db_status.h"

/* Registrations and reset requests allowed per e-mail address and (by
 * default; PORTAL_REQUESTS_PER_CLIENT) per client address, in the window. */
#define ACCOUNT_REQUEST_WINDOW		"1 hour"
#define ACCOUNT_REQUESTS_PER_EMAIL	3
#define ACCOUNT_REQUESTS_PER_CLIENT	20
/* How long a verification link lives. */
#define VERIFY_HOURS			"24"

/* What a coordinator's list of accounts asks for; 0 / NULL is "any". */
struct account_filter {
	long long	 agency_id;
	const char	*role;
	const char	*q;
	long		 limit;
	long		 offset;
};

enum db_status	db_account_list(const struct account_filter *, cJSON **);
enum db_status	db_account_set_roles(long long, const char *, long long,
	    long long, const char *, cJSON *);
enum db_status	db_account_disable(long long, int, long long, const char *);
enum db_status	db_account_reset_request(const char *, const char *,
	    const char *, const char *);
enum db_status	db_account_reset_check(const char *);
enum db_status	db_account_reset_use(const char *, const char *, const char *);
enum db_status	db_account_precheck(const struct account_new *, cJSON *);
enum db_status	db_account_request(const char *, const char *, const char *,
	    int, int *);
enum db_status	db_account_register(const struct account_new *, const char *,
	    const char *, const char *, const char *, const char *);
enum db_status	db_account_verify(const char *, const char *, cJSON **);

#endif /* !PORTAL_DB_ACCOUNT_H */
