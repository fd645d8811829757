/*
 * mail: deliver the outbox. A batch of due messages is claimed in one
 * statement (FOR UPDATE SKIP LOCKED, and its next attempt pushed ahead
 * as a lease), so that two senders never take the same message; each is
 * marked sent as soon as the relay accepts it, and a refusal backs off
 * exponentially (1, 2, 4 ... minutes) until it is given up as failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "mail.h"
#include "sqlparam.h"

/* Messages claimed at a time. */
#define MAIL_BATCH	"50"
/* RFC 5322: a line holds at most 998 octets before its CRLF. */
#define MAIL_LINE_MAX	998
/* RFC 2047: an encoded word is at most 75 characters; its UTF-8 text at
 * most 45 octets (60 of base64 between "=?UTF-8?B?" and "?="). */
#define MAIL_WORD_OCTETS 45

struct mail_reader {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

static size_t	mail_read(char *, size_t, size_t, void *);
static void	mail_subject(FILE *, const char *);
static void	mail_part(FILE *, const char *);
static int	mail_long_lines(const char *);
static int	mail_deliver(const struct mail_config *,
		    const struct mail_message *, char *, size_t);

/*
 * The whole message (headers and body) of `m` from `from`, dated `when`
 * (Unix time), into `*out` (caller frees) of `*len` bytes: text/plain,
 * or multipart/mixed with a text/calendar part when `m` has one. The
 * Message-ID is the outbox id's, so that a receiver sees a repeat as one.
 * A subject that is not plain ASCII is RFC 2047-encoded; a part with a
 * line longer than 998 octets is sent quoted-printable, so that every
 * line of the message stays within RFC 5322's limit.
 */
int
mail_format(const struct mail_message *m, const char *from, long long when,
    char **out, size_t *len)
{
	struct tm	 tm;
	time_t		 t = (time_t)when;
	char		 date[64];
	FILE		*fp;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if ((fp = open_memstream(out, len)) == NULL)
		return (-1);
	fprintf(fp, "From: Safeguarding Training Portal <%s>\r\n"
	    "To: <%s>\r\n", from, m->to);
	mail_subject(fp, m->subject);
	fprintf(fp, "Date: %s\r\n"
	    "Message-ID: <outbox-%lld@safeguarding-training-portal>\r\n"
	    "MIME-Version: 1.0\r\n", date, m->id);
	if (m->ics != NULL)
		fprintf(fp, "Content-Type: multipart/mixed; "
		    "boundary=\"portal-%lld\"\r\n\r\n--portal-%lld\r\n",
		    m->id, m->id);
	fprintf(fp, "Content-Type: text/plain; charset=utf-8\r\n");
	mail_part(fp, m->body);
	if (m->ics != NULL) {
		fprintf(fp, "--portal-%lld\r\nContent-Type: text/calendar; "
		    "charset=utf-8; method=%s\r\nContent-Disposition: "
		    "attachment; filename=\"booking.ics\"\r\n", m->id,
		    strstr(m->ics, "METHOD:CANCEL") ? "CANCEL" : "REQUEST");
		mail_part(fp, m->ics);
		fprintf(fp, "--portal-%lld--\r\n", m->id);
	}
	if (fclose(fp) != 0)
		return (-1);
	return (0);
}

/*
 * The Subject header: as it is when it is printable ASCII, else as RFC
 * 2047 encoded words (base64 of UTF-8, never splitting a character), one
 * per folded line. Line breaks in the subject become spaces.
 */
static void
mail_subject(FILE *fp, const char *subject)
{
	const unsigned char	*p;
	char			 b64[sodium_base64_ENCODED_LEN(MAIL_WORD_OCTETS,
				    sodium_base64_VARIANT_ORIGINAL)];
	unsigned char		 word[MAIL_WORD_OCTETS];
	size_t			 n, len;
	int			 plain;

	len = strlen(subject);
	plain = len <= 900;
	for (p = (const unsigned char *)subject; *p != '\0' && plain; p++)
		plain = *p >= 0x20 && *p < 0x7f;
	if (plain) {
		fprintf(fp, "Subject: %s\r\n", subject);
		return;
	}
	fprintf(fp, "Subject:");
	p = (const unsigned char *)subject;
	while (*p != '\0') {
		n = 0;
		while (p[n] != '\0' && n < MAIL_WORD_OCTETS)
			n++;
		/* Back off to the start of a character. */
		while (p[n] != '\0' && n > 0 && (p[n] & 0xc0) == 0x80)
			n--;
		if (n == 0)
			n = 1;
		memcpy(word, p, n);
		for (len = 0; len < n; len++)
			if (word[len] == '\r' || word[len] == '\n')
				word[len] = ' ';
		sodium_bin2base64(b64, sizeof(b64), word, n,
		    sodium_base64_VARIANT_ORIGINAL);
		fprintf(fp, " =?UTF-8?B?%s?=\r\n", b64);
		p += n;
	}
}

/*
 * A body part's transfer encoding header, the blank line and `text`
 * with CRLF line ends: 8bit, or quoted-printable (RFC 2045) when a line
 * would be longer than RFC 5322 allows.
 */
static void
mail_part(FILE *fp, const char *text)
{
	const unsigned char	*p;
	char			 tok[4];
	size_t			 col, n;

	if (!mail_long_lines(text)) {
		fprintf(fp, "Content-Transfer-Encoding: 8bit\r\n\r\n");
		for (p = (const unsigned char *)text; *p != '\0'; p++) {
			if (*p == '\n' && (p == (const unsigned char *)text ||
			    p[-1] != '\r'))
				fputc('\r', fp);
			fputc(*p, fp);
		}
		fprintf(fp, "\r\n");
		return;
	}
	fprintf(fp, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	col = 0;
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			fprintf(fp, "\r\n");
			col = 0;
			continue;
		}
		/* Literal: printable ASCII but '=', and blanks not before
		 * a line end. */
		if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' ||
		    *p == '\t') && p[1] != '\n' && p[1] != '\r' &&
		    p[1] != '\0')) {
			tok[0] = (char)*p;
			tok[1] = '\0';
		} else
			snprintf(tok, sizeof(tok), "=%02X", *p);
		n = strlen(tok);
		if (col + n > 75) {
			fprintf(fp, "=\r\n");
			col = 0;
		}
		fputs(tok, fp);
		col += n;
	}
	fprintf(fp, "\r\n");
}

/* Whether a line of `text` is longer than a mail line may be. */
static int
mail_long_lines(const char *text)
{
	size_t	 col;

	for (col = 0; *text != '\0'; text++) {
		if (*text == '\n')
			col = 0;
		else if (*text != '\r' && ++col > MAIL_LINE_MAX)
			return (1);
	}
	return (0);
}

/*
 * Send the messages that are due. `*sent` and `*failed` count this
 * round's deliveries and refusals. Returns 0, or -1 when the database
 * failed (then nothing is lost: the messages stay pending).
 */
int
mail_send_due(PGconn *conn, const struct mail_config *cfg, int *sent,
    int *failed)
{
	PGresult		*res, *upd;
	struct mail_message	 m;
	char			 err[CURL_ERROR_SIZE], id[24], max[16];
	const char		*params[3];
	int			 i, n;

	*sent = *failed = 0;
	snprintf(max, sizeof(max), "%d", cfg->max_attempts);
	res = PQexec(conn,
	    "UPDATE email_outbox SET attempts = attempts + 1,"
	    "       next_attempt_at = now() + interval '10 minutes'"
	    " WHERE id IN (SELECT id FROM email_outbox"
	    "               WHERE status = 'pending'"
	    "                 AND next_attempt_at <= now()"
	    "               ORDER BY id LIMIT " MAIL_BATCH
	    "               FOR UPDATE SKIP LOCKED)"
	    " RETURNING id, to_address, subject, body_text, ics, attempts");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		m.id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		m.to = PQgetvalue(res, i, 1);
		m.subject = PQgetvalue(res, i, 2);
		m.body = PQgetvalue(res, i, 3);
		m.ics = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		sqlparam_id(id, m.id);
		params[0] = id;
		if (mail_deliver(cfg, &m, err, sizeof(err)) == 0) {
			upd = PQexecParams(conn, "UPDATE email_outbox SET "
			    "status = 'sent', sent_at = now(), last_error = NULL, "
			    "body_text = CASE WHEN erase_body_once_sent THEN "
			    "'(Removed once sent: it held a single-use link.)' "
			    "ELSE body_text END "
			    "WHERE id = $1::bigint", 1, NULL, params, NULL,
			    NULL, 0);
			(*sent)++;
		} else {
			params[1] = err;
			params[2] = max;
			upd = PQexecParams(conn, "UPDATE email_outbox SET "
			    "last_error = $2, status = CASE WHEN attempts >= "
			    "$3::int THEN 'failed' ELSE 'pending' END, "
			    "next_attempt_at = now() + make_interval(mins => "
			    "power(2, attempts - 1)::int), "
			    "body_text = CASE WHEN erase_body_once_sent AND "
			    "attempts >= $3::int THEN '(Removed when given up: "
			    "it held a single-use link.)' ELSE body_text END "
			    "WHERE id = $1::bigint", 3, NULL, params, NULL,
			    NULL, 0);
			(*failed)++;
		}
		if (PQresultStatus(upd) != PGRES_COMMAND_OK)
			fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(upd);
	}
	PQclear(res);
	return (0);
}

/* Hand message `m` to the relay: 0, or -1 with the reason in `err`. */
static int
mail_deliver(const struct mail_config *cfg, const struct mail_message *m,
    char *err, size_t errlen)
{
	struct mail_reader	 r;
	struct curl_slist	*rcpt;
	CURL			*curl;
	CURLcode		 rc;
	char			*text, addr[300];
	size_t			 len;

	err[0] = '\0';
	if (mail_format(m, cfg->from, (long long)time(NULL), &text, &len)) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	r.data = text;
	r.len = len;
	r.off = 0;
	snprintf(addr, sizeof(addr), "<%s>", m->to);
	rcpt = curl_slist_append(NULL, addr);
	if ((curl = curl_easy_init()) == NULL) {
		free(text);
		curl_slist_free_all(rcpt);
		snprintf(err, errlen, "curl cannot start");
		return (-1);
	}
	snprintf(addr, sizeof(addr), "<%s>", cfg->from);
	curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &r);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	rc = curl_easy_perform(curl);
	if (rc != CURLE_OK && err[0] == '\0')
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
	curl_easy_cleanup(curl);
	curl_slist_free_all(rcpt);
	free(text);
	return (rc == CURLE_OK ? 0 : -1);
}

static size_t
mail_read(char *buf, size_t size, size_t n, void *arg)
{
	struct mail_reader	*r = arg;
	size_t			 want;

	want = size * n;
	if (want > r->len - r->off)
		want = r->len - r->off;
	memcpy(buf, r->data + r->off, want);
	r->off += want;
	return (want);
}
