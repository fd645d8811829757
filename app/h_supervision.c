/*
 * h_supervision: DSL group supervision: groups and their members
 * (coordinators), meetings with attendance (coordinators and the group's
 * facilitator). Case notes go only to the group's facilitator and
 * coordinators, each read audited; everyone else allowed to see a
 * meeting gets it without them.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db_supervision.h"
#include "notes.h"
#include "portal.h"
#include "reply.h"
#include "route.h"
#include "supervision.h"

#define GROUPS_PATH	"/api/v1/supervision/groups/"
#define MEETINGS_PATH	"/api/v1/supervision/meetings/"

int	h_supervision_groups(struct http_request *);
int	h_supervision_group(struct http_request *);
int	h_supervision_members(struct http_request *);
int	h_supervision_close(struct http_request *);
int	h_supervision_meetings(struct http_request *);
int	h_supervision_meeting(struct http_request *);

static int	supervision_group_allowed(struct http_request *, long long,
		    const struct session_who *, int);
static int	supervision_invalid(struct http_request *, cJSON *);
static int	supervision_seal(struct http_request *,
		    const struct supervision_meeting *, long long, long long,
		    char **);
static void	supervision_meeting_reply(struct http_request *,
		    const struct session_who *, long long, int);

/* Who may do what to a group, for supervision_group_allowed(). */
#define MAY_READ	0	/* coordinators, its facilitator, reviewers */
#define MAY_RECORD	1	/* coordinators, its facilitator */
#define MAY_KEEP	2	/* coordinators */

/*
 * GET /api/v1/supervision/groups: the groups one may see (coordinators
 * all, a facilitator theirs; others an empty list). 200; 401.
 * POST (coordinators) {"name","kind","facilitator",
 * "facilitator_person_id"}: 201 the group; 401; 403; 409 the name is
 * taken; 422.
 */
int
h_supervision_groups(struct http_request *req)
{
	static const struct preamble	 pre = {
		.get = ACCESS_SIGNED_IN, .post = ROLE_COORDINATOR
	};
	struct session_who		 who;
	struct supervision_group	 g;
	cJSON				*body, *fields, *out;
	long long			 id;
	int				 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST) {
		out = NULL;
		if ((st = db_supervision_groups(who.person_id,
		    (who.roles & ROLE_COORDINATOR) != 0, &out)) != DB_OK) {
			reply_db_failure(req, st);
			return (KORE_RESULT_OK);
		}
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "groups", out);
		reply_json(req, 200, body);
		return (KORE_RESULT_OK);
	}
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	if (supervision_group_parse(body, &g, fields) == -1) {
		cJSON_Delete(body);
		return (supervision_invalid(req, fields));
	}
	st = db_supervision_group_create(&g, who.person_id, &id);
	cJSON_Delete(body);
	if (st == DB_CONFLICT) {
		cJSON_AddStringToObject(fields, "name", "There is already a "
		    "group with this name.");
		reply_error(req, 409, "conflict", "There is already a group "
		    "with this name.", fields);
		return (KORE_RESULT_OK);
	}
	if (st == DB_INVALID) {
		cJSON_AddStringToObject(fields, "facilitator_person_id",
		    "Choose someone who has an account on the portal.");
		return (supervision_invalid(req, fields));
	}
	cJSON_Delete(fields);
	out = NULL;
	if (st == DB_OK)
		st = db_supervision_group(id, &out);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 201, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/supervision/groups/{id} (coordinators, its facilitator,
 * reviewers): the group, its members (every spell, with joining and
 * leaving dates) and its meetings. 200; 401; 403; 404.
 */
int
h_supervision_group(struct http_request *req)
{
	static const struct preamble	 pre = {
		.id_after = GROUPS_PATH,
		.get = ACCESS_SIGNED_IN
	};
	struct session_who	 who;
	cJSON			*out;
	long long		 id;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (!supervision_group_allowed(req, id, &who, MAY_READ))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = db_supervision_group(id, &out)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * PUT /api/v1/supervision/groups/{id}/members (coordinators)
 * {"person_ids":[...],"effective_on"}: the members from that day (default
 * today); those left out leave, newcomers join; earlier spells are kept.
 * 200 the group; 401; 403; 404; 422 someone is not an active DSL (each
 * named), the group is closed, or the date is wrong.
 */
int
h_supervision_members(struct http_request *req)
{
	static const struct preamble	 pre = {
		.id_after = GROUPS_PATH,
		.put = ROLE_COORDINATOR
	};
	struct session_who	 who;
	const char		*effective_on;
	cJSON			*body, *fields, *out;
	long long		 id, *ids;
	size_t			 n;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (!supervision_group_allowed(req, id, &who, MAY_KEEP))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	ids = NULL;
	if (supervision_members_parse(body, &ids, &n, &effective_on,
	    fields) == -1) {
		free(ids);
		cJSON_Delete(body);
		return (supervision_invalid(req, fields));
	}
	st = db_supervision_members_set(id, ids, n, effective_on,
	    who.person_id, fields);
	free(ids);
	cJSON_Delete(body);
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0)
		return (supervision_invalid(req, fields));
	cJSON_Delete(fields);
	out = NULL;
	if (st == DB_OK)
		st = db_supervision_group(id, &out);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/supervision/groups/{id}/close (coordinators): the group
 * meets no more; its members' spells end today; kept with its records.
 * 200 the group; 401; 403; 404.
 */
int
h_supervision_close(struct http_request *req)
{
	static const struct preamble	 pre = {
		.id_after = GROUPS_PATH,
		.post = ROLE_COORDINATOR
	};
	struct session_who	 who;
	cJSON			*out;
	long long		 id;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (!supervision_group_allowed(req, id, &who, MAY_KEEP))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = db_supervision_group_close(id, who.person_id)) == DB_OK)
		st = db_supervision_group(id, &out);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * POST /api/v1/supervision/groups/{id}/meetings (coordinators, the
 * group's facilitator) {"held_on","duration_minutes","facilitator",
 * "topics":[...],"specific_topic","cases_discussed","actions",
 * "next_date","case_notes","attendance":[{"person_id","status"}]}:
 * every member on that day has an entry. 201 the meeting (with its case
 * notes); 401; 403; 404; 409 the group met that day already; 422 every
 * problem named ("attendance.<person_id>" for a member); 503 case notes
 * sent and no key to seal them.
 * GET: the group's meetings, as in the group. 200; 401; 403; 404.
 */
int
h_supervision_meetings(struct http_request *req)
{
	static const struct preamble	 pre = {
		.id_after = GROUPS_PATH,
		.get = ACCESS_SIGNED_IN, .post = ACCESS_SIGNED_IN
	};
	struct session_who		 who;
	struct supervision_meeting	 m;
	cJSON				*body, *fields, *out, *list;
	char				*sealed;
	long long			 id, meeting;
	int				 st;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST) {
		if (!supervision_group_allowed(req, id, &who, MAY_READ))
			return (KORE_RESULT_OK);
		out = NULL;
		if ((st = db_supervision_group(id, &out)) != DB_OK) {
			reply_db_failure(req, st);
			return (KORE_RESULT_OK);
		}
		body = cJSON_CreateObject();
		list = cJSON_DetachItemFromObject(out, "meetings");
		cJSON_AddItemToObject(body, "meetings", list);
		cJSON_Delete(out);
		reply_json(req, 200, body);
		return (KORE_RESULT_OK);
	}
	if (!supervision_group_allowed(req, id, &who, MAY_RECORD))
		return (KORE_RESULT_OK);
	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	if (supervision_meeting_parse(body, 1, &m, fields) == -1) {
		supervision_meeting_free(&m);
		cJSON_Delete(body);
		return (supervision_invalid(req, fields));
	}
	sealed = NULL;
	if ((st = db_supervision_meeting_id(&meeting)) != DB_OK) {
		supervision_meeting_free(&m);
		cJSON_Delete(body);
		cJSON_Delete(fields);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (!supervision_seal(req, &m, meeting, id, &sealed)) {
		supervision_meeting_free(&m);
		cJSON_Delete(body);
		cJSON_Delete(fields);
		return (KORE_RESULT_OK);
	}
	st = db_supervision_meeting_create(id, &m, sealed, who.person_id,
	    fields, meeting);
	free(sealed);
	supervision_meeting_free(&m);
	cJSON_Delete(body);
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0)
		return (supervision_invalid(req, fields));
	if (st == DB_CONFLICT) {
		cJSON_AddStringToObject(fields, "held_on", "The group already "
		    "has a meeting on this day: correct that one instead.");
		reply_error(req, 409, "conflict", "The group already has a "
		    "meeting on this day.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	supervision_meeting_reply(req, &who, meeting, 201);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/supervision/meetings/{id} (coordinators and the group's
 * facilitator with "case_notes", each read audited; reviewers and the
 * group's members without): 200; 401; 403; 404.
 * PATCH (coordinators, the group's facilitator): any fields of the POST
 * to correct them; audited. 200; 401; 403; 404; 409; 422; 503.
 */
int
h_supervision_meeting(struct http_request *req)
{
	static const struct preamble	 pre = {
		.id_after = MEETINGS_PATH,
		.get = ACCESS_SIGNED_IN, .patch = ACCESS_SIGNED_IN
	};
	struct session_who		 who;
	struct supervision_meeting	 m;
	struct supervision_role		 role;
	struct supervision_sealed	 notes;
	cJSON				*body, *fields, *out;
	char				*sealed;
	long long			 id;
	int				 st, privileged;

	if (!auth_preamble(req, &pre, &who, &id, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	sealed = NULL;
	if ((st = db_supervision_meeting(id, who.person_id, &out, &notes,
	    &role)) != DB_OK) {
		if (st == DB_NOTFOUND)
			reply_error(req, 404, "not_found", "There is no such "
			    "meeting.", NULL);
		else
			reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(out);
	free(notes.sealed);
	privileged = (who.roles & ROLE_COORDINATOR) || role.facilitator;
	if (!privileged && (req->method == HTTP_METHOD_PATCH ||
	    (!(who.roles & ROLE_REVIEWER) && !role.member))) {
		reply_error(req, 403, "forbidden", "Only the group's "
		    "facilitator and coordinators keep its records.", NULL);
		return (KORE_RESULT_OK);
	}
	if (req->method != HTTP_METHOD_PATCH) {
		supervision_meeting_reply(req, &who, id, 200);
		return (KORE_RESULT_OK);
	}

	if (!reply_read_json(req, &body))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	if (supervision_meeting_parse(body, 0, &m, fields) == -1) {
		supervision_meeting_free(&m);
		cJSON_Delete(body);
		return (supervision_invalid(req, fields));
	}
	if (!supervision_seal(req, &m, id, notes.group, &sealed)) {
		supervision_meeting_free(&m);
		cJSON_Delete(body);
		cJSON_Delete(fields);
		return (KORE_RESULT_OK);
	}
	st = db_supervision_meeting_update(id, &m, sealed, who.person_id,
	    fields);
	free(sealed);
	supervision_meeting_free(&m);
	cJSON_Delete(body);
	if (st == DB_INVALID && cJSON_GetArraySize(fields) > 0)
		return (supervision_invalid(req, fields));
	if (st == DB_CONFLICT) {
		cJSON_AddStringToObject(fields, "held_on", "The group already "
		    "has a meeting on this day.");
		reply_error(req, 409, "conflict", "The group already has a "
		    "meeting on this day.", fields);
		return (KORE_RESULT_OK);
	}
	cJSON_Delete(fields);
	if (st != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	supervision_meeting_reply(req, &who, id, 200);
	return (KORE_RESULT_OK);
}

/*
 * Access of `who` (past the handler's preamble) to group `id` for `what`
 * (MAY_*); 1 to go on, 0 when answered (404, 403).
 */
static int
supervision_group_allowed(struct http_request *req, long long id,
    const struct session_who *who, int what)
{
	struct supervision_role	role;
	int			st, ok;

	if ((st = db_supervision_role(id, who->person_id, &role)) != DB_OK) {
		reply_db_failure(req, st);
		return (0);
	}
	if (!role.exists) {
		reply_error(req, 404, "not_found", "There is no such group.",
		    NULL);
		return (0);
	}
	ok = (who->roles & ROLE_COORDINATOR) != 0;
	if (what != MAY_KEEP)
		ok = ok || role.facilitator;
	if (what == MAY_READ)
		ok = ok || (who->roles & ROLE_REVIEWER) != 0;
	if (!ok) {
		reply_error(req, 403, "forbidden", "Only the group's "
		    "facilitator and coordinators keep its records.", NULL);
		return (0);
	}
	return (1);
}

/* 422 with every problem in `fields` (owned from here on). */
static int
supervision_invalid(struct http_request *req, cJSON *fields)
{
	reply_error(req, 422, "invalid", "Some values are not valid: nothing "
	    "was saved.", fields);
	return (KORE_RESULT_OK);
}

/*
 * Seal the case notes `m` carries for meeting `meeting` of group `group`
 * into `*sealed` (NULL when there are none, or they are to be cleared).
 * 1 to go on; 0 when answered (503: no key to seal them with; 500).
 */
static int
supervision_seal(struct http_request *req, const struct supervision_meeting *m,
    long long meeting, long long group, char **sealed)
{
	*sealed = NULL;
	if (m->case_notes == NULL || *m->case_notes == '\0')
		return (1);
	if (!portal_notes_key_set) {
		reply_error(req, 503, "case_notes_unavailable", "Case notes "
		    "cannot be kept: the portal has no key to protect them. "
		    "Tell the portal's administrator.", NULL);
		return (0);
	}
	if ((*sealed = notes_seal(portal_notes_key, meeting, group,
	    m->case_notes)) == NULL) {
		reply_error(req, 500, "internal", "Something went wrong on our "
		    "side.", NULL);
		return (0);
	}
	return (1);
}

/*
 * Answer meeting `id` with `status`: with its case notes (opened, and
 * the read audited) for the group's facilitator and coordinators. Notes
 * that cannot be opened (no key; sealed the old way and not yet sealed
 * again; not sealed for this meeting and group, so moved or altered)
 * leave "case_notes" null with "case_notes_unavailable" and a sentence
 * saying why.
 */
static void
supervision_meeting_reply(struct http_request *req,
    const struct session_who *who, long long id, int status)
{
	struct supervision_role		 role;
	struct supervision_sealed	 sealed;
	cJSON				*out;
	const char			*why;
	char				*notes, ip[64];
	int				 st;

	out = NULL;
	if ((st = db_supervision_meeting(id, who->person_id, &out, &sealed,
	    &role)) != DB_OK) {
		reply_db_failure(req, st);
		return;
	}
	if (!(who->roles & ROLE_COORDINATOR) && !role.facilitator) {
		free(sealed.sealed);
		reply_json(req, status, out);
		return;
	}
	if (sealed.sealed == NULL) {
		cJSON_AddNullToObject(out, "case_notes");
		reply_json(req, status, out);
		return;
	}
	notes = NULL;
	why = NULL;
	if (!portal_notes_key_set)
		why = "The case notes cannot be read: the portal has no key "
		    "to open them. Tell the portal's administrator.";
	else if (sealed.seal != NOTES_SEAL_MEETING) {
		kore_log(LOG_ERR, "case notes of supervision meeting %lld are "
		    "sealed the old way: run portalctl reseal-notes", id);
		why = "The case notes cannot be read until the portal's "
		    "administrator seals them again for this meeting.";
	} else if ((notes = notes_open(portal_notes_key, id, sealed.group,
	    sealed.sealed)) == NULL) {
		kore_log(LOG_ERR, "case notes of supervision meeting %lld do "
		    "not open: not sealed for this meeting and group, or not "
		    "with the key of PORTAL_NOTES_KEY_FILE", id);
		why = "The case notes cannot be read: they were not written "
		    "for this meeting, or have been changed outside the "
		    "portal. Tell the portal's administrator.";
	}
	free(sealed.sealed);
	if (notes == NULL) {
		cJSON_AddNullToObject(out, "case_notes");
		cJSON_AddTrueToObject(out, "case_notes_unavailable");
		cJSON_AddStringToObject(out, "case_notes_problem", why);
		reply_json(req, status, out);
		return;
	}
	/* No read without its audit row. */
	if ((st = db_supervision_notes_read(id, who->person_id,
	    reply_client_ip(req, ip, sizeof(ip)))) != DB_OK) {
		sodium_memzero(notes, strlen(notes));
		free(notes);
		cJSON_Delete(out);
		reply_db_failure(req, st);
		return;
	}
	cJSON_AddStringToObject(out, "case_notes", notes);
	sodium_memzero(notes, strlen(notes));
	free(notes);
	reply_json(req, status, out);
}
