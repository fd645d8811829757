/*
 * mail: the outbox's sender: formats each message (plain text, and the
 * calendar invitation attached where there is one) and hands it to the
 * SMTP relay with libcurl. libpq, no Kore: used by portalctl send-mail.
 */
#ifndef PORTAL_MAIL_H
#define PORTAL_MAIL_H

#include <stddef.h>

#include <libpq-fe.h>

struct mail_message {
	long long	 id;
	const char	*to;
	const char	*subject;
	const char	*body;
	const char	*ics;		/* NULL: no attachment */
};

struct mail_config {
	const char	*smtp_url;	/* smtp://host:port */
	const char	*from;
	int		 max_attempts;
};

int	mail_format(const struct mail_message *, const char *, long long,
	    char **, size_t *);
int	mail_send_due(PGconn *, const struct mail_config *, int *, int *);

#endif /* !PORTAL_MAIL_H */
