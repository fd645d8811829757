/*
 * agency_access: who may use the routes under /api/v1/agencies/{id}/
 * (a setting's staff, training and coverage): a coordinator, the setting
 * lead of that agency, or a role the route names as seeing every agency.
 * Kore-facing: it answers the refusal itself.
 */
#ifndef PORTAL_AGENCY_ACCESS_H
#define PORTAL_AGENCY_ACCESS_H

#include "db_session.h"

struct http_request;

int	agency_access_require(struct http_request *, int, long long,
	    const struct session_who *);

#endif /* !PORTAL_AGENCY_ACCESS_H */
