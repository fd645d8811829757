/*
 * job_purge: delete what the portal keeps without a reason any more, in
 * the loop of `portalctl send-mail` (and `portalctl purge`). libpq, no
 * Kore.
 */
#ifndef PORTAL_JOB_PURGE_H
#define PORTAL_JOB_PURGE_H

#include <libpq-fe.h>

/* Days sent (or abandoned) mail is kept: PORTAL_MAIL_RETENTION_DAYS. */
#define JOB_PURGE_MAIL_DAYS	30

/* Days an account may stay unverified before the purge removes it. */
#define JOB_PURGE_UNVERIFIED_DAYS	"7"

struct job_purge_counts {
	long	login_attempts;
	long	web_sessions;
	long	password_resets;
	long	mail;
	long	email_links;
	long	unverified_accounts;
	long	report_answers;		/* no longer current */
	long	report_changes;		/* that no answer needs */
	long	account_requests;	/* registrations, reset requests */
};

int	job_purge(PGconn *, struct job_purge_counts *);

#endif /* !PORTAL_JOB_PURGE_H */
