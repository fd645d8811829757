/*
 * h_agencies: the agencies and settings of the partnership. Anyone may
 * list them (registration needs them); coordinators add and change them,
 * and mark one that has closed inactive (never deleted).
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "agency.h"
#include "auth.h"
#include "db_agency.h"
#include "db_catalogue.h"
#include "qs.h"
#include "reply.h"

int	h_agencies(struct http_request *);
int	h_agency_one(struct http_request *);

static int	agencies_list(struct http_request *);
static int	agencies_save(struct http_request *,
	    const struct session_who *, long long);

/*
 * GET /api/v1/agencies?sector=&area=&status=open|closed|all
 *     &include_inactive=true&limit=&offset=
 *     200 a page of agencies (open ones unless status says otherwise;
 *     include_inactive=true is status=all) and every area; 422.
 * POST /api/v1/agencies {"name","sector","area","phase"} (coordinators)
 *     201 the agency; 401; 403; 409 the name is taken; 422 every wrong
 *     field named.
 */
int
h_agencies(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ACCESS_ANYONE, .post = ROLE_COORDINATOR
	};
	struct session_who		who;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (agencies_save(req, &who, 0));
	return (agencies_list(req));
}

/*
 * GET /api/v1/agencies/{id}: 200 the agency; 404.
 * PATCH /api/v1/agencies/{id} (coordinators) any of name, sector, area,
 *     phase, active: 200 the agency; 401; 403; 404; 409; 422.
 */
int
h_agency_one(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/agencies/",
		.get = ACCESS_ANYONE, .patch = ROLE_COORDINATOR
	};
	struct session_who		who;
	cJSON		*out;
	long long	 id;
	int		 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_PATCH)
		return (agencies_save(req, &who, id));
	out = NULL;
	if ((st = db_agency_get(id, &out)) == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such agency.",
		    NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

static int
agencies_list(struct http_request *req)
{
	struct qs	 q;
	cJSON		*fields, *out;
	const char	*s, *status;
	long		 limit, offset;
	int		 st, inactive;

	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	qs_page(&q, 20, 500, fields, &limit, &offset);
	if (qs_get_flag(&q, "include_inactive", &inactive) == -1)
		cJSON_AddStringToObject(fields, "include_inactive",
		    "Must be true or false.");
	status = inactive ? "all" : "open";
	if ((s = qs_get(&q, "status")) != NULL) {
		if (strcmp(s, "open") && strcmp(s, "closed") && strcmp(s, "all"))
			cJSON_AddStringToObject(fields, "status",
			    "Must be open, closed or all.");
		else
			status = s;
	}
	if (cJSON_GetArraySize(fields) > 0) {
		qs_free(&q);
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	out = NULL;
	st = db_catalogue_agencies(qs_get(&q, "sector"), qs_get(&q, "area"),
	    status, limit, offset, &out);
	qs_free(&q);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

static int
agencies_save(struct http_request *req, const struct session_who *who,
    long long id)
{
	struct agency_input	 in;
	cJSON			*body, *fields, *out;
	char			 ip[64];
	int			 st;

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	if (agency_read(body, id == 0, &in, fields) == -1) {
		reply_invalid(req, fields);
		cJSON_Delete(body);
		return (KORE_RESULT_OK);
	}
	out = NULL;
	reply_client_ip(req, ip, sizeof(ip));
	if (id == 0)
		st = db_agency_create(&in, who->person_id, ip, &out);
	else
		st = db_agency_update(id, &in, who->person_id, ip, &out);
	switch (st) {
	case DB_OK:
		cJSON_Delete(fields);
		reply_json(req, id == 0 ? 201 : 200, out);
		break;
	case DB_NOTFOUND:
		cJSON_Delete(fields);
		reply_error(req, 404, "not_found", "There is no such agency.",
		    NULL);
		break;
	case DB_CONFLICT:
		cJSON_AddStringToObject(fields, "name", "There is already an "
		    "agency of this name.");
		reply_error(req, 409, "conflict", "There is already an agency "
		    "of this name.", fields);
		break;
	case DB_INVALID:
		cJSON_AddStringToObject(fields, "phase", "Only schools and "
		    "early years settings have a phase.");
		reply_invalid(req, fields);
		break;
	default:
		cJSON_Delete(fields);
		reply_db_failure(req, st);
		break;
	}
	cJSON_Delete(body);
	return (KORE_RESULT_OK);
}
