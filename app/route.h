/*
 * route: the ids in a request path. Kore's regex routes match without
 * captures, so handlers read their ids here. Kore-free.
 */
#ifndef PORTAL_ROUTE_H
#define PORTAL_ROUTE_H

int	route_id(const char *, const char *, long long *, const char **);

#endif /* !PORTAL_ROUTE_H */
