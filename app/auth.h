/*
 * auth: who a request comes from (its session cookie), whether they may
 * do what they ask (roles), and the CSRF check of state-changing requests.
 */
#ifndef PORTAL_AUTH_H
#define PORTAL_AUTH_H

#include "db_session.h"

struct http_request;

/*
 * Who may use a method of a route, in struct preamble: anyone (no
 * session is read), any signed-in person, or ROLE_* bits (a signed-in
 * person holding one of them). 0: the route does not take the method.
 */
#define ACCESS_ANYONE		0x100
#define ACCESS_SIGNED_IN	0x200

/*
 * A handler's preamble (ARCHITECTURE.md, A request): the methods its
 * route takes and who may use each, and the path before the route's id
 * (NULL: the route has none).
 */
struct preamble {
	const char	*id_after;
	int		 get;		/* GET and HEAD */
	int		 post;
	int		 put;
	int		 patch;
	int		 delete;
};

int	auth_preamble(struct http_request *, const struct preamble *,
	    struct session_who *, long long *, const char **);
int	auth_require(struct http_request *, int, struct session_who *);
int	auth_session(struct http_request *, struct session_who *);
void	auth_set_cookie(struct http_request *, const char *);
void	auth_clear_cookie(struct http_request *);
int	auth_is_https(struct http_request *);

#endif /* !PORTAL_AUTH_H */
