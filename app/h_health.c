/*
 * h_health: the health check of load balancers, operators and their
 * monitoring: the database, the schema version and the mail sender, each
 * reported apart so that each can raise its own alert. One cheap query;
 * no personal data.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>

#include "auth.h"
#include "db.h"
#include "portal.h"
#include "reply.h"

/* The mail sender (`portalctl send-mail`) names its connection so. */
#define HEALTH_MAIL_APP		"portal-mail"

int	h_healthz(struct http_request *);

/*
 * The schema's version, and the seconds since the mail sender's
 * connection last finished or started a statement (NULL when no sender
 * is connected). The sender runs statements every round and waits
 * PORTAL_MAIL_INTERVAL seconds between rounds, so this is the age of its
 * last round. pg_stat_activity shows it to the sender's own database
 * role (or to members of pg_read_all_stats).
 */
static const char health_sql[] =
    "SELECT (SELECT max(version) FROM schema_migrations),"
    "       (SELECT floor(extract(epoch FROM now() -"
    "               max(greatest(query_start, state_change))))::bigint"
    "          FROM pg_stat_activity"
    "         WHERE application_name = '" HEALTH_MAIL_APP "'"
    "           AND datname = current_database())";

/*
 * GET /healthz
 * 200 {"status":"ok","database":"ok","version":"...",
 *      "schema":{"status":"ok","version":N,"expected":N},
 *      "mail":{"status":"ok"|"late"|"not_running","last_round_seconds":S}}
 *     "late": no round for 10 intervals (PORTAL_MAIL_INTERVAL, 5 s) and
 *     at least 60 s; the portal serves without a sender, so it is not a
 *     reason for a 503.
 * 503 "status":"unavailable" while the database cannot be reached
 *     ("database":"unavailable", schema and mail "unknown"; it recovers
 *     by itself when the database is back), or while the schema is not
 *     the one this build needs ("schema":{"status":"mismatch"}: run
 *     `portalctl migrate`).
 */
int
h_healthz(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_ANYONE };
	struct db	 db;
	cJSON		*out, *schema, *mail;
	const char	*s;
	long long	 version, age, late;
	int		 db_ok, up, have_age;

	if (!auth_preamble(req, &pre, NULL, NULL, NULL))
		return (KORE_RESULT_OK);

	version = -1;
	age = -1;
	have_age = 0;
	db_ok = db_open(&db) == DB_OK &&
	    db_exec(&db, health_sql, 0, NULL) == DB_OK && db_rows(&db) == 1;
	if (db_ok) {
		if (!db_isnull(&db, 0, 0))
			version = db_int(&db, 0, 0);
		if (!db_isnull(&db, 0, 1)) {
			age = db_int(&db, 0, 1);
			have_age = 1;
		}
	}
	db_close(&db);

	late = 10LL * 5;
	if ((s = getenv("PORTAL_MAIL_INTERVAL")) != NULL && atoi(s) > 0)
		late = 10LL * atoi(s);
	if (late < 60)
		late = 60;
	up = db_ok && version == PORTAL_SCHEMA_VERSION;

	out = cJSON_CreateObject();
	schema = cJSON_CreateObject();
	mail = cJSON_CreateObject();
	if (!db_ok) {
		cJSON_AddStringToObject(schema, "status", "unknown");
		cJSON_AddStringToObject(mail, "status", "unknown");
	} else {
		cJSON_AddStringToObject(schema, "status",
		    version == PORTAL_SCHEMA_VERSION ? "ok" : "mismatch");
		if (version >= 0)
			cJSON_AddNumberToObject(schema, "version",
			    (double)version);
		else
			cJSON_AddNullToObject(schema, "version");
		cJSON_AddStringToObject(mail, "status", !have_age ?
		    "not_running" : age > late ? "late" : "ok");
		if (have_age)
			cJSON_AddNumberToObject(mail, "last_round_seconds",
			    (double)age);
		else
			cJSON_AddNullToObject(mail, "last_round_seconds");
	}
	cJSON_AddNumberToObject(schema, "expected", PORTAL_SCHEMA_VERSION);
	cJSON_AddStringToObject(out, "status", up ? "ok" : "unavailable");
	cJSON_AddStringToObject(out, "database", db_ok ? "ok" : "unavailable");
	cJSON_AddStringToObject(out, "version", PORTAL_VERSION);
	cJSON_AddItemToObject(out, "schema", schema);
	cJSON_AddItemToObject(out, "mail", mail);
	if (!up)
		http_response_header(req, "retry-after", "5");
	reply_json(req, up ? 200 : 503, out);
	return (KORE_RESULT_OK);
}
