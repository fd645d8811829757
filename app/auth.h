/*
 * auth: who a request comes from (its session cookie), whether they may
 * do what they ask (roles), and the CSRF check of state-changing requests.
 */
#ifndef PORTAL_AUTH_H
#define PORTAL_AUTH_H

#include "db_session.h"

struct http_request;

int	auth_require(struct http_request *, int, struct session_who *);
int	auth_session(struct http_request *, struct session_who *);
void	auth_set_cookie(struct http_request *, const char *);
void	auth_clear_cookie(struct http_request *);
int	auth_is_https(struct http_request *);

#endif /* !PORTAL_AUTH_H */
