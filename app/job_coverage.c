/*
 * job_coverage: put into the outbox, never twice, (1) a person's
 * reminder 60 days before their training at their level expires, (2) one
 * when it has expired (within the last 30 days: nobody is told of
 * training that lapsed years ago), and (3) each setting lead's monthly
 * digest of their staff who are lapsing, expired or never trained.
 * "Never twice" is the primary keys of coverage_reminders and
 * coverage_digests: each mail is written in the statement that claims
 * its key (INSERT ... ON CONFLICT DO NOTHING RETURNING), so two senders
 * running at once cannot both write it. The rule is training_status()
 * of migration 0008. Each mail links to what to do: the sessions
 * list (which opens at the person's level), or the lead's coverage page.
 */
#include <stdio.h>
#include <stdlib.h>

#include "job_coverage.h"
#include "outbox_sql.h"
#include "site.h"

enum {
	Q_EXPIRING,
	Q_EXPIRED,
	Q_DIGEST,
	Q__MAX
};

#define JOB_TODAY	"(now() AT TIME ZONE 'Europe/London')::date"

static const char *const job_sql[Q__MAX] = {
	[Q_EXPIRING] =
	"WITH t AS (SELECT t.person_id, t.expires_on, l.name AS level_name"
	"             FROM training_status(" JOB_TODAY ") t"
	"             JOIN group_levels l ON l.id = t.group_level_id"
	"            WHERE t.status IN ('in_date', 'lapsing')"
	"              AND t.expires_on <= " JOB_TODAY " + 60),"
	" k AS (INSERT INTO coverage_reminders (person_id, kind, expires_on)"
	"       SELECT person_id, 'expiring', expires_on FROM t"
	"       ON CONFLICT DO NOTHING RETURNING person_id, expires_on)"
	OUTBOX_SQL_MAIL
	"p.email, 'Your safeguarding training expires on '"
	"       || to_char(k.expires_on, 'FMDD FMMonth YYYY'),"
	"       'Dear ' || p.full_name || E',\\n\\nYour safeguarding training '"
	"       || 'at ' || t.level_name || ' expires on '"
	"       || to_char(k.expires_on, 'FMDD FMMonth YYYY') || E'.\\n\\n'"
	"       || E'Book a course at your level before then:\\n'"
	"       || $1::text || E'/sessions\\n\\n'"
	"       || E'Or ask your setting lead how to refresh it.\\n'"
	"  FROM k JOIN t USING (person_id, expires_on)"
	"  JOIN people p ON p.id = k.person_id"
	" WHERE p.email IS NOT NULL",

	[Q_EXPIRED] =
	"WITH t AS (SELECT t.person_id, t.expires_on, l.name AS level_name"
	"             FROM training_status(" JOB_TODAY ") t"
	"             JOIN group_levels l ON l.id = t.group_level_id"
	"            WHERE t.status = 'expired'"
	"              AND t.expires_on > " JOB_TODAY " - 30),"
	" k AS (INSERT INTO coverage_reminders (person_id, kind, expires_on)"
	"       SELECT person_id, 'expired', expires_on FROM t"
	"       ON CONFLICT DO NOTHING RETURNING person_id, expires_on)"
	OUTBOX_SQL_MAIL
	"p.email, 'Your safeguarding training has expired',"
	"       'Dear ' || p.full_name || E',\\n\\nYour safeguarding training '"
	"       || 'at ' || t.level_name || ' expired on '"
	"       || to_char(k.expires_on, 'FMDD FMMonth YYYY') || E'.\\n\\n'"
	"       || E'Book a course at your level to be in date again:\\n'"
	"       || $1::text || E'/sessions\\n'"
	"  FROM k JOIN t USING (person_id, expires_on)"
	"  JOIN people p ON p.id = k.person_id"
	" WHERE p.email IS NOT NULL",

	[Q_DIGEST] =
	"WITH leads AS (SELECT r.agency_id, r.person_id"
	"                 FROM account_roles r"
	"                 JOIN accounts ac ON ac.person_id = r.person_id"
	"                  AND ac.disabled_at IS NULL"
	"                 JOIN agencies a ON a.id = r.agency_id AND a.active"
	"                WHERE r.role = 'setting_lead'),"
	" k AS (INSERT INTO coverage_digests (agency_id, person_id, month)"
	"       SELECT agency_id, person_id,"
	"              date_trunc('month', " JOB_TODAY ")::date FROM leads"
	"       ON CONFLICT DO NOTHING RETURNING agency_id, person_id),"
	" s AS (SELECT t.agency_id,"
	"              count(*) FILTER (WHERE t.status = 'lapsing') AS lapsing,"
	"              count(*) FILTER (WHERE t.status = 'expired') AS expired,"
	"              count(*) FILTER (WHERE t.status = 'never') AS never,"
	"              string_agg(p.full_name || ' (' || l.name || ', '"
	"                || CASE t.status WHEN 'lapsing' THEN 'expires '"
	"                     || to_char(t.expires_on, 'FMDD FMMonth YYYY')"
	"                   WHEN 'expired' THEN 'expired '"
	"                     || to_char(t.expires_on, 'FMDD FMMonth YYYY')"
	"                   ELSE 'never trained' END || ')', E'\\n'"
	"                ORDER BY array_position(ARRAY['never', 'expired',"
	"                  'lapsing'], t.status), p.full_name) AS names"
	"         FROM training_status(" JOB_TODAY ") t"
	"         JOIN people p ON p.id = t.person_id"
	"         JOIN group_levels l ON l.id = t.group_level_id"
	"        WHERE t.status <> 'in_date'"
	"          AND t.agency_id IN (SELECT agency_id FROM k)"
	"        GROUP BY t.agency_id)"
	OUTBOX_SQL_MAIL
	"p.email, 'Training coverage of ' || a.name || ': '"
	"       || to_char(" JOB_TODAY ", 'FMMonth YYYY'),"
	"       'Dear ' || p.full_name || E',\\n\\nThis month at ' || a.name"
	"       || ': ' || coalesce(s.lapsing, 0) || ' lapsing in the next 90 '"
	"       || 'days, ' || coalesce(s.expired, 0) || ' expired, '"
	"       || coalesce(s.never, 0) || E' never trained at their level.\\n\\n'"
	"       || coalesce(s.names || E'\\n\\n', '')"
	"       || E'See them all, and upload training records, on your '"
	"       || E'training coverage page:\\n' || $1::text || E'/coverage\\n'"
	"  FROM k JOIN people p ON p.id = k.person_id"
	"  JOIN agencies a ON a.id = k.agency_id"
	"  LEFT JOIN s ON s.agency_id = k.agency_id"
	" WHERE p.email IS NOT NULL",
};

/*
 * Queue the reminders and digests due today. Returns the number of
 * mails queued, or -1 (the reason on standard error) when a statement
 * failed; each statement is its own transaction.
 */
int
job_coverage_reminders(PGconn *conn)
{
	PGresult	*res;
	const char	*params[1];
	int		 i, queued;

	/* $1 of each: the portal's address, for the mail's link. */
	params[0] = site_public_url();
	queued = 0;
	for (i = 0; i < Q__MAX; i++) {
		res = PQexecParams(conn, job_sql[i], 1, NULL, params, NULL,
		    NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "portalctl: coverage reminders: %s",
			    PQerrorMessage(conn));
			PQclear(res);
			return (-1);
		}
		queued += atoi(PQcmdTuples(res));
		PQclear(res);
	}
	return (queued);
}
