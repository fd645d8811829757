/*
 * db_account: accounts and the people they belong to.
 */
#ifndef PORTAL_DB_ACCOUNT_H
#define PORTAL_DB_ACCOUNT_H

#include <cjson/cJSON.h>

#include "account.h"

/* What a coordinator's list of accounts asks for; 0 / NULL is "any". */
struct account_filter {
	long long	 agency_id;
	const char	*role;
	const char	*q;
	long		 limit;
	long		 offset;
};

int	db_account_list(const struct account_filter *, cJSON **);
int	db_account_set_roles(long long, const char *, long long, long long,
	    const char *, cJSON *);
int	db_account_reset_request(const char *, const char *, const char *,
	    const char *);
int	db_account_reset_use(const char *, const char *, const char *);
int	db_account_precheck(const struct account_new *, cJSON *);
int	db_account_create(const struct account_new *, const char *,
	    const char *, cJSON **);

#endif /* !PORTAL_DB_ACCOUNT_H */
