/*
 * job_purge: the retention rules of README.md, applied.
 *
 *   sign-in attempts   a day after they were made (the throttle looks back
 *                      15 minutes: THROTTLE_WINDOW_MINUTES, throttle.h)
 *   browser sessions   once expired: 12 hours after sign-in or 30 minutes
 *                      idle (SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES)
 *   reset links        once expired (an hour after they were asked for)
 *   e-mail links       once used or expired (24 hours after they were
 *                      asked for)
 *   registrations and  a day after they were made (the throttles look back
 *   reset requests     an hour)
 *   unverified         accounts never verified, a week after they were
 *   accounts           made (their link lasted a day): the account goes,
 *                      and the person it made is erased unless they have
 *                      bookings or training records by then
 *   sent mail          PORTAL_MAIL_RETENTION_DAYS (default 30) after it was
 *                      sent, or given up on; mail still to send stays
 *   report answers     once no longer current (migration 14): computed on
 *                      an earlier day, or older than a change
 *   report changes     an hour on (longer than any report takes to
 *                      gather), once every current answer's snapshot
 *                      sees them: they can make no answer stale
 *   place counts'      each bucket's rows of differences folded into one
 *   rows               (report_places_fold(), migration 0023): the sums
 *                      stay, the rows stay few
 *
 * One transaction, then the fold in one of its own; when another loop is
 * purging (the advisory lock is taken), the purge does nothing. Deleting
 * and folding are idempotent either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_purge.h"

/* The advisory lock of the purge: 'purg' as a number. */
#define JOB_PURGE_LOCK	"1886745191"

static const char job_purge_sql[] =
    "WITH go AS (SELECT pg_try_advisory_xact_lock(" JOB_PURGE_LOCK ") AS ok),"
    " la AS (DELETE FROM login_attempts WHERE (SELECT ok FROM go)"
    "   AND at < now() - interval '1 day' RETURNING 1),"
    " ws AS (DELETE FROM web_sessions WHERE (SELECT ok FROM go)"
    "   AND (expires_at < now()"
    "     OR last_seen_at < now() - interval '30 minutes') RETURNING 1),"
    " pr AS (DELETE FROM password_resets WHERE (SELECT ok FROM go)"
    "   AND expires_at < now() RETURNING 1),"
    " ml AS (DELETE FROM email_outbox WHERE (SELECT ok FROM go)"
    "   AND status IN ('sent', 'failed')"
    "   AND coalesce(sent_at, next_attempt_at, created_at)"
    "     < now() - make_interval(days => $1::int) RETURNING 1),"
    " ev AS (DELETE FROM email_verifications WHERE (SELECT ok FROM go)"
    "   AND (used_at IS NOT NULL OR expires_at < now()) RETURNING 1),"
    " mc AS (DELETE FROM manager_changes WHERE (SELECT ok FROM go)"
    "   AND (confirmed_at IS NOT NULL OR expires_at < now()) RETURNING 1),"
    " rq AS (DELETE FROM account_requests WHERE (SELECT ok FROM go)"
    "   AND at < now() - interval '1 day' RETURNING 1),"
    " ua AS (DELETE FROM accounts WHERE (SELECT ok FROM go)"
    "   AND verified_at IS NULL AND created_at < now() - interval '"
    JOB_PURGE_UNVERIFIED_DAYS " days' RETURNING person_id),"
    " ep AS (UPDATE people p SET full_name = 'Erased person', email = NULL,"
    "   job_title = NULL, manager_email = NULL, manager_source = NULL,"
    "   active = false,"
    "   erased_at = now() FROM ua WHERE p.id = ua.person_id"
    "   AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = p.id)"
    "   AND NOT EXISTS (SELECT 1 FROM training_records r"
    "                    WHERE r.person_id = p.id) RETURNING 1),"
    " ra AS (DELETE FROM report_answers WHERE (SELECT ok FROM go)"
    "   AND NOT report_snapshot_current(snapshot, computed_on) RETURNING 1),"
    " rc AS (DELETE FROM report_changes c WHERE (SELECT ok FROM go)"
    "   AND c.changed_at < now() - interval '1 hour'"
    "   AND NOT EXISTS (SELECT 1 FROM report_answers a"
    "     WHERE report_snapshot_current(a.snapshot, a.computed_on)"
    "       AND NOT pg_visible_in_snapshot(c.xid, a.snapshot)) RETURNING 1),"
    " ij AS (DELETE FROM import_jobs WHERE (SELECT ok FROM go)"
    "   AND created_at < now() - interval '30 days' RETURNING 1)"
    "SELECT (SELECT count(*) FROM la), (SELECT count(*) FROM ws),"
    "       (SELECT count(*) FROM pr), (SELECT count(*) FROM ml),"
    "       (SELECT count(*) FROM ev) + (SELECT count(*) FROM mc),"
    "       (SELECT count(*) FROM ua),"
    "       (SELECT count(*) FROM ra), (SELECT count(*) FROM rc),"
    "       (SELECT count(*) FROM rq)";

/*
 * Purge once, in one transaction on `conn`; what went is counted in
 * `*n`. Returns 0, or -1 with the reason on standard error.
 */
int
job_purge(PGconn *conn, struct job_purge_counts *n)
{
	PGresult	*res;
	const char	*s, *params[1];
	char		 days[16];
	int		 d;

	memset(n, 0, sizeof(*n));
	d = JOB_PURGE_MAIL_DAYS;
	if ((s = getenv("PORTAL_MAIL_RETENTION_DAYS")) != NULL &&
	    atoi(s) > 0)
		d = atoi(s);
	snprintf(days, sizeof(days), "%d", d);
	params[0] = days;
	res = PQexecParams(conn, job_purge_sql, 1, NULL, params, NULL, NULL,
	    0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: purge: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	n->login_attempts = atol(PQgetvalue(res, 0, 0));
	n->web_sessions = atol(PQgetvalue(res, 0, 1));
	n->password_resets = atol(PQgetvalue(res, 0, 2));
	n->mail = atol(PQgetvalue(res, 0, 3));
	n->email_links = atol(PQgetvalue(res, 0, 4));
	n->unverified_accounts = atol(PQgetvalue(res, 0, 5));
	n->report_answers = atol(PQgetvalue(res, 0, 6));
	n->report_changes = atol(PQgetvalue(res, 0, 7));
	n->account_requests = atol(PQgetvalue(res, 0, 8));
	PQclear(res);
	res = PQexec(conn, "SELECT report_places_fold()");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: fold: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	return (0);
}
