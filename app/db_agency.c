/*
 * db_agency: add, change and read one agency. Each change and its audit
 * entry are one statement, so one transaction. Names are unique
 * case-insensitively (DB_CONFLICT); a phase outside the education and
 * early years sectors is refused by the schema (DB_INVALID).
 */
#include <stdio.h>

#include "db.h"
#include "db_agency.h"
#include "db_audit.h"
#include "sqlparam.h"

enum {
	Q_CREATE,
	Q_UPDATE,
	Q_GET,
	Q__MAX
};

#define AGENCY_JSON \
	"json_build_object('id', a.id, 'name', a.name, 'sector', a.sector," \
	" 'area', a.area, 'phase', a.phase, 'active', a.active)"

static const char *const agency_sql[Q__MAX] = {
	/* $1 name, $2 sector, $3 area, $4 phase, $5 actor, $6 address */
	[Q_CREATE] =
	"WITH a AS (INSERT INTO agencies (name, sector, area, phase)"
	"           VALUES ($1, $2, $3, $4) RETURNING *),"
	" log AS (" DB_AUDIT_ROW
	"         $5::bigint, 'agency.create', 'agency', a.id,"
	"                $6::inet, to_jsonb(a) FROM a)"
	"SELECT " AGENCY_JSON " FROM a",

	/* $1 id, $2 name, $3 sector, $4 area, $5 phase given, $6 phase,
	 * $7 active, $8 actor, $9 address */
	[Q_UPDATE] =
	"WITH old AS (SELECT * FROM agencies WHERE id = $1::bigint FOR UPDATE),"
	" a AS (UPDATE agencies g SET name = coalesce($2, g.name),"
	"        sector = coalesce($3, g.sector), area = coalesce($4, g.area),"
	"        phase = CASE WHEN $5::boolean THEN $6 ELSE g.phase END,"
	"        active = coalesce($7::boolean, g.active)"
	"       FROM old WHERE g.id = old.id RETURNING g.*),"
	" log AS (" DB_AUDIT_ROW
	"         $8::bigint, 'agency.update', 'agency', a.id, $9::inet,"
	"                jsonb_build_object('before', to_jsonb(old),"
	"                                   'after', to_jsonb(a))"
	"           FROM a, old)"
	"SELECT " AGENCY_JSON " FROM a",

	/* $1 id */
	[Q_GET] =
	"SELECT " AGENCY_JSON " FROM agencies a WHERE a.id = $1::bigint",
};

/*
 * Add agency `in` as `actor` from `ip`: the agency in `*out` (caller
 * owns). DB_CONFLICT: the name is taken; DB_INVALID: refused by the schema.
 */
enum db_status
db_agency_create(const struct agency_input *in, long long actor,
    const char *ip, cJSON **out)
{
	char		 who[24];
	const char	*params[6] = { in->name, in->sector, in->area,
			    in->phase, who, ip };

	sqlparam_id(who, actor);
	return (db_json(agency_sql[Q_CREATE], 6, params, out));
}

/*
 * Change the given fields of agency `id`: as db_agency_create, and
 * DB_NOTFOUND when there is no such agency.
 */
enum db_status
db_agency_update(long long id, const struct agency_input *in,
    long long actor, const char *ip, cJSON **out)
{
	char		 aid[24], who[24];
	const char	*params[9];

	sqlparam_id(aid, id);
	sqlparam_id(who, actor);
	params[0] = aid;
	params[1] = in->name;
	params[2] = in->sector;
	params[3] = in->area;
	params[4] = in->phase_given ? "true" : "false";
	params[5] = in->phase;
	params[6] = in->active == -1 ? NULL : in->active ? "true" : "false";
	params[7] = who;
	params[8] = ip;
	return (db_json(agency_sql[Q_UPDATE], 9, params, out));
}

/* Agency `id` in `*out` (caller owns): DB_OK or DB_NOTFOUND. */
enum db_status
db_agency_get(long long id, cJSON **out)
{
	char		 aid[24];
	const char	*params[1] = { aid };

	sqlparam_id(aid, id);
	return (db_json(agency_sql[Q_GET], 1, params, out));
}
