/*
 * h_health: the health check of load balancers and operators.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include "db.h"
#include "portal.h"
#include "reply.h"

int	h_healthz(struct http_request *);

/*
 * GET /healthz
 * 200 {"status":"ok","database":"ok","version":"..."}
 * 503 {"status":"unavailable","database":"unavailable",...} while the
 *     database cannot be reached; it recovers by itself when it is back.
 */
int
h_healthz(struct http_request *req)
{
	struct db	 db;
	cJSON		*out;
	int		 up;

	if (!reply_method_allowed(req, REPLY_GET))
		return (KORE_RESULT_OK);

	up = db_open(&db) == DB_OK &&
	    db_exec(&db, "SELECT 1", 0, NULL) == DB_OK;
	db_close(&db);

	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "status", up ? "ok" : "unavailable");
	cJSON_AddStringToObject(out, "database", up ? "ok" : "unavailable");
	cJSON_AddStringToObject(out, "version", PORTAL_VERSION);
	if (!up)
		http_response_header(req, "retry-after", "5");
	reply_json(req, up ? 200 : 503, out);
	return (KORE_RESULT_OK);
}
