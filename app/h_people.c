/*
 * h_people: a person's own data, erasure of a person, the audit log.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "auth.h"
#include "db_people.h"
#include "qs.h"
#include "reply.h"
#include "route.h"
#include "text.h"

int	h_me_data(struct http_request *);
int	h_person(struct http_request *);
int	h_audit(struct http_request *);

/*
 * GET /api/v1/me/data
 * 200 everything the portal holds about the signed-in person; 401.
 */
int
h_me_data(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_SIGNED_IN };
	struct session_who	 who;
	cJSON			*out;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = db_people_data(who.person_id, &out)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"my-data.json\"");
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * DELETE /api/v1/people/{id} (coordinators)
 * 204 the person is erased (statistics keep their anonymous answers);
 * 401; 403; 404 no such person, or erased already.
 */
int
h_person(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/people/",
		.delete = ROLE_COORDINATOR
	};
	struct session_who	who;
	long long		person;
	char			ip[64];
	int			st;

	if (!auth_preamble(req, &pre, &who, &person, NULL))
		return (KORE_RESULT_OK);
	if (person == who.person_id) {
		reply_error(req, 403, "forbidden", "You cannot erase yourself: "
		    "ask another coordinator.", NULL);
		return (KORE_RESULT_OK);
	}
	st = db_people_erase(person, who.person_id,
	    reply_client_ip(req, ip, sizeof(ip)));
	if (st == DB_NOTFOUND)
		reply_error(req, 404, "not_found", "There is no such person.",
		    NULL);
	else if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_bytes(req, 204, "application/json", NULL, 0);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/audit?action=&person_id=&from=&to=&limit=&offset=
 * (coordinators) 200 a page of the audit log, newest first, each entry
 * with the names of the person who acted and of the person it concerns
 * (null once erased); 401; 403; 422 every wrong filter named.
 */
int
h_audit(struct http_request *req)
{
	static const struct preamble	pre = { .get = ROLE_COORDINATOR };
	struct session_who	 who;
	struct audit_filter	 f;
	struct qs		 q;
	cJSON			*fields, *out;
	long			 person;
	int			 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);
	memset(&f, 0, sizeof(f));
	fields = cJSON_CreateObject();
	f.action = qs_get(&q, "action");
	if (f.action != NULL && (strlen(f.action) > 64 ||
	    strpbrk(f.action, "%_\\") != NULL || !text_is_clean(f.action)))
		cJSON_AddStringToObject(fields, "action",
		    "Must be an action name or its start, like session.");
	if (qs_get_count(&q, "person_id", 0, 1, 9007199254740991L,
	    &person) == -1)
		cJSON_AddStringToObject(fields, "person_id",
		    "Must be the id of a person.");
	f.person_id = person;
	f.from = qs_get(&q, "from");
	if (f.from != NULL && !text_is_date(f.from))
		cJSON_AddStringToObject(fields, "from",
		    "Must be a date like 2016-04-01.");
	f.to = qs_get(&q, "to");
	if (f.to != NULL && !text_is_date(f.to))
		cJSON_AddStringToObject(fields, "to",
		    "Must be a date like 2017-03-31.");
	qs_page(&q, 100, 1000, fields, &f.limit, &f.offset);
	if (cJSON_GetArraySize(fields) > 0) {
		qs_free(&q);
		reply_invalid(req, fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	out = NULL;
	st = db_people_audit(&f, &out);
	qs_free(&q);
	if (st != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}
