/*
 * account: the rules for a new account, before the database sees it.
 * Kore-free.
 */
#ifndef PORTAL_ACCOUNT_H
#define PORTAL_ACCOUNT_H

#include <cjson/cJSON.h>

#include "password_policy.h"

/* A registration, its strings owned by the JSON body it was read from. */
struct account_new {
	const char	*full_name;
	char		 email[255];		/* as given */
	const char	*password;
	long long	 agency_id;
	const char	*job_title;
	const char	*group_level;
	char		 manager_email[255];	/* as given; "" for none */
};

int	account_validate(const cJSON *, const struct password_policy *,
	    struct account_new *, cJSON *);

#endif /* !PORTAL_ACCOUNT_H */
