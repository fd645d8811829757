/*
 * job_supervision: members are reminded five days before their group's
 * next meeting, and coordinators get a monthly digest of the DSLs who
 * have attended no supervision this term. Both go through the outbox and
 * never twice, even when two senders run at once: a reminder marks its
 * meeting (an UPDATE that waits for the other sender's row lock and then
 * finds the meeting marked), a digest takes a key (coordinator, month)
 * that a second INSERT finds taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_exec.h"
#include "job_supervision.h"
#include "outbox_sql.h"
#include "term.h"
#include "site.h"

/* The latest meeting of an active group, whose next date is 1-5 days off. */
static const char job_reminders_sql[] =
    "WITH due AS ("
    "  UPDATE supervision_sessions s SET reminded_at = now()"
    "    FROM supervision_groups g"
    "   WHERE g.id = s.group_id AND g.active AND s.reminded_at IS NULL"
    "     AND s.next_date > current_date"
    "     AND s.next_date <= current_date + 5"
    "     AND s.held_on = (SELECT max(x.held_on) FROM supervision_sessions x"
    "                       WHERE x.group_id = s.group_id)"
    "  RETURNING s.group_id, s.next_date, s.facilitator)"
    OUTBOX_SQL_MAIL
    "p.email, 'Reminder: DSL supervision on '"
    "         || to_char(d.next_date, 'FMDay FMDD FMMonth'),"
    "  'Dear ' || p.full_name || E',\\n\\nA reminder that your DSL "
    "supervision group, ' || g.name || ', meets on '"
    "  || to_char(d.next_date, 'FMDay FMDD FMMonth YYYY') || E'.\\n\\n'"
    "  || 'Facilitated by ' || d.facilitator || E'.\\n'"
    "  || E'If you cannot come, send your apologies to the facilitator.\\n'"
    "  FROM due d JOIN supervision_groups g ON g.id = d.group_id"
    "  JOIN supervision_members m ON m.group_id = d.group_id"
    "   AND m.left_on IS NULL"
    "  JOIN people p ON p.id = m.person_id"
    " WHERE p.email IS NOT NULL AND p.erased_at IS NULL";

/*
 * $1 term start, $2 term end, $3 the term's name, $4 the portal's
 * address: active DSLs who attended no meeting in the term, listed to
 * every coordinator once a month (when there is anyone to list).
 */
static const char job_digest_sql[] =
    "WITH missing AS ("
    "  SELECT p.full_name, a.name AS agency FROM people p"
    "    LEFT JOIN agencies a ON a.id = p.agency_id"
    "   WHERE p.is_dsl AND p.active AND p.erased_at IS NULL"
    "     AND NOT EXISTS (SELECT 1 FROM supervision_attendance x"
    "          JOIN supervision_sessions s ON s.id = x.session_id"
    "         WHERE x.person_id = p.id AND x.status = 'present'"
    "           AND s.held_on BETWEEN $1::date AND $2::date)),"
    " list AS ("
    "  SELECT count(*) AS n, string_agg('- ' || full_name"
    "           || coalesce(', ' || agency, ''), E'\\n'"
    "           ORDER BY agency, full_name) AS text FROM missing),"
    " sent AS ("
    "  INSERT INTO supervision_digests (person_id, month)"
    "  SELECT DISTINCT r.person_id, date_trunc('month', current_date)::date"
    "    FROM account_roles r"
    "    JOIN accounts ac ON ac.person_id = r.person_id"
    "     AND ac.disabled_at IS NULL, list"
    "   WHERE r.role = 'coordinator' AND list.n > 0"
    "  ON CONFLICT DO NOTHING RETURNING person_id)"
    OUTBOX_SQL_MAIL
    "p.email, 'DSLs without supervision this term: ' || list.n,"
    "  'Dear ' || p.full_name || E',\\n\\n' || list.n"
    "  || ' Designated Safeguarding Leads have attended no group "
    "supervision in the ' || $3 || E' term so far:\\n\\n' || list.text"
    "  || E'\\n\\nThe supervision report: ' || $4"
    "  || E'/reports/supervision\\n'"
    "  FROM sent JOIN people p ON p.id = sent.person_id, list"
    " WHERE p.email IS NOT NULL AND p.erased_at IS NULL";


/*
 * One round: queue the reminders due and this month's digest. Returns 0,
 * or -1 when the database refused (said on standard error).
 */
int
job_supervision(PGconn *conn)
{
	PGresult		*res;
	struct term_date	 today;
	struct term		 term;
	const char		*params[4], *url;
	char			 start[11], end[11], name[32];
	int			 ret;

	ret = job_exec(conn, "supervision mail", job_reminders_sql, 0,
	    NULL) == DB_OK ? 0 : -1;

	res = PQexec(conn, "SELECT to_char(current_date, 'YYYY-MM-DD')");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
	    term_date_parse(PQgetvalue(res, 0, 0), &today) == -1 ||
	    term_containing(&today, &term) == -1) {
		fprintf(stderr, "portalctl: supervision digest: cannot tell "
		    "today's term: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	term_date_format(&term.start, start, sizeof(start));
	term_date_format(&term.end, end, sizeof(end));
	term_name(&term, name, sizeof(name));
	url = site_public_url();
	params[0] = start;
	params[1] = end;
	params[2] = name;
	params[3] = url;
	if (job_exec(conn, "supervision mail", job_digest_sql, 4, params) !=
	    DB_OK)
		ret = -1;
	return (ret);
}
