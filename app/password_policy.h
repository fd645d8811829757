/*
 * password_policy: what a new password must be (NCSC and OWASP: long,
 * any characters, no composition rules, not a common one). Kore-free.
 */
#ifndef PORTAL_PASSWORD_POLICY_H
#define PORTAL_PASSWORD_POLICY_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS	12
#define PASSWORD_MAX_CHARS	128

struct password_policy {
	char	**common;	/* lowercased, sorted */
	size_t	  n;
};

int		 password_policy_load(struct password_policy *, const char *);
void		 password_policy_free(struct password_policy *);
const char	*password_policy_check(const struct password_policy *,
		    const char *);

#endif /* !PORTAL_PASSWORD_POLICY_H */
