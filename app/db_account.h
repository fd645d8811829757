/*
 * db_account: accounts and the people they belong to.
 */
#ifndef PORTAL_DB_ACCOUNT_H
#define PORTAL_DB_ACCOUNT_H

#include <cjson/cJSON.h>

#include "account.h"

int	db_account_precheck(const struct account_new *, cJSON *);
int	db_account_create(const struct account_new *, const char *,
	    const char *, cJSON **);

#endif /* !PORTAL_DB_ACCOUNT_H */
