/*
 * outbox_sql: the one INSERT that puts mail in email_outbox, for every
 * statement that sends mail: the database layer's, in the same statement
 * as the change the mail tells of, and portalctl's jobs'. `portalctl
 * mail` sends what is there. A statement names what goes in, in this
 * order, and where it comes from:
 *
 *	OUTBOX_SQL_MAIL "p.email, 'Subject', 'Dear ' || ... FROM people p"
 *
 * (inside a WITH: " mail AS (" OUTBOX_SQL_MAIL "... FROM ...)"). A
 * message that carries a link which must not outlive its sending (a
 * password reset, an address to confirm) goes in through
 * OUTBOX_SQL_MAIL_ERASED, which erases its body once it is sent. (The
 * trigger function evaluation_invite() of migrations 0009 and 0022 mails
 * from SQL, with an INSERT of its own.)
 */
#ifndef PORTAL_OUTBOX_SQL_H
#define PORTAL_OUTBOX_SQL_H

/* Followed by: to address, subject, body text, then FROM ... */
#define OUTBOX_SQL_MAIL							\
	"INSERT INTO email_outbox (to_address, subject, body_text) SELECT "

/* As OUTBOX_SQL_MAIL, for a body erased once the message is sent. */
#define OUTBOX_SQL_MAIL_ERASED						\
	"INSERT INTO email_outbox (erase_body_once_sent, to_address,"	\
	" subject, body_text) SELECT true, "

#endif /* !PORTAL_OUTBOX_SQL_H */
