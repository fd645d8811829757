/*
 * agency_access: the coverage rule of the routes under
 * /api/v1/agencies/{id}/: a setting lead sees their own setting only,
 * and the agency must exist. Sign-in and roles are auth.c's; this file
 * adds the agency on top of them.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include "agency_access.h"
#include "db_staff.h"
#include "reply.h"

/*
 * For routes under /api/v1/agencies/{id}/, after the handler's preamble
 * (auth_preamble: a setting lead, a coordinator or a role of `wide`, and
 * the agency's id): whether `who` may use `agency`: a coordinator, a
 * role of `wide` (e.g. ROLE_REVIEWER: any agency), or the setting lead of
 * that agency. Returns 1, or 0 when the refusal has been answered (403
 * another setting, 404 no such agency, 503).
 */
int
agency_access_require(struct http_request *req, int wide, long long agency,
    const struct session_who *who)
{
	int	st;

	if (!(who->roles & (ROLE_COORDINATOR | wide)) &&
	    who->lead_agency_id != agency) {
		reply_error(req, 403, "forbidden", "You can see your own "
		    "setting only.", NULL);
		return (0);
	}
	if ((st = db_staff_agency_exists(agency)) != DB_OK) {
		if (st == DB_NOTFOUND)
			reply_error(req, 404, "not_found", "There is no such "
			    "agency.", NULL);
		else
			reply_db_failure(req, st);
		return (0);
	}
	return (1);
}
