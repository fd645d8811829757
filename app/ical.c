/*
 * ical: write one event as an RFC 5545 calendar: CRLF line ends, content
 * lines folded at 75 octets without splitting a UTF-8 character, TEXT
 * escaped, times in Europe/London with its VTIMEZONE. Europe/London is
 * computed here (BST from 01:00 UTC on the last Sunday of March to 01:00
 * UTC on the last Sunday of October) rather than through TZ, so that the
 * process's environment is never touched.
 */
#define _GNU_SOURCE	/* vasprintf, timegm */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ical.h"

#define ICAL_FOLD	75

static int	ical_line(struct ical_out *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	ical_raw(struct ical_out *, const char *, size_t);
static char	*ical_escape(const char *);
static char	*ical_param(const char *);
static long long ical_last_sunday(int, int);
static void	ical_local(long long, char *, size_t);
static void	ical_utc(long long, char *, size_t);

static const char ical_vtimezone[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:BST\r\n"
    "DTSTART:19700329T010000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0000\r\n"
    "TZNAME:GMT\r\n"
    "DTSTART:19701025T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

/*
 * Write event `e` as a calendar into `out` (initialised here; release it
 * with ical_out_free(), also after -1). Returns 0, or -1 out of memory.
 */
int
ical_write(const struct ical_event *e, struct ical_out *out)
{
	char	 stamp[20], start[20], end[20];
	char	*summary, *location, *description, *cn;
	int	 ret;

	memset(out, 0, sizeof(*out));
	ical_utc(e->stamp, stamp, sizeof(stamp));
	ical_local(e->starts_at, start, sizeof(start));
	ical_local(e->ends_at, end, sizeof(end));
	summary = ical_escape(e->summary ? e->summary : "");
	location = ical_escape(e->location ? e->location : "");
	description = ical_escape(e->description ? e->description : "");
	cn = ical_param(e->attendee_name ? e->attendee_name : "");
	ret = -1;
	if (summary == NULL || location == NULL || description == NULL ||
	    cn == NULL)
		goto out;

	if (ical_line(out, "BEGIN:VCALENDAR") ||
	    ical_line(out, "VERSION:2.0") ||
	    ical_line(out, "PRODID:-//Safeguarding Children Partnership//"
	    "Training Portal//EN") ||
	    ical_line(out, "CALSCALE:GREGORIAN") ||
	    ical_line(out, "METHOD:%s", e->cancelled ? "CANCEL" : "REQUEST") ||
	    ical_raw(out, ical_vtimezone, sizeof(ical_vtimezone) - 1) ||
	    ical_line(out, "BEGIN:VEVENT") ||
	    ical_line(out, "UID:%s", e->uid) ||
	    ical_line(out, "SEQUENCE:%d", e->sequence) ||
	    ical_line(out, "DTSTAMP:%s", stamp) ||
	    ical_line(out, "DTSTART;TZID=Europe/London:%s", start) ||
	    ical_line(out, "DTEND;TZID=Europe/London:%s", end) ||
	    ical_line(out, "SUMMARY:%s", summary) ||
	    ical_line(out, "LOCATION:%s", location) ||
	    ical_line(out, "DESCRIPTION:%s", description) ||
	    ical_line(out, "STATUS:%s", e->cancelled ? "CANCELLED" :
	    "CONFIRMED"))
		goto out;
	if (e->organizer_email != NULL && ical_line(out, "ORGANIZER;CN=\""
	    "Safeguarding Children Partnership\":mailto:%s",
	    e->organizer_email))
		goto out;
	if (e->attendee_email != NULL && ical_line(out, "ATTENDEE;CN=\"%s\";"
	    "ROLE=REQ-PARTICIPANT:mailto:%s", cn, e->attendee_email))
		goto out;
	if (ical_line(out, "END:VEVENT") || ical_line(out, "END:VCALENDAR"))
		goto out;
	ret = 0;
out:
	free(summary);
	free(location);
	free(description);
	free(cn);
	return (ret);
}

/* Release what ical_write() wrote. */
void
ical_out_free(struct ical_out *out)
{
	free(out->data);
	memset(out, 0, sizeof(*out));
}

/* Europe/London's offset from UTC at Unix time `t`, in seconds. */
int
ical_london_offset(long long t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	long long	start, end;

	gmtime_r(&tt, &tm);
	start = ical_last_sunday(tm.tm_year + 1900, 3) + 3600;
	end = ical_last_sunday(tm.tm_year + 1900, 10) + 3600;
	return (t >= start && t < end ? 3600 : 0);
}

/* Append one content line, folded at 75 octets, and CRLF. */
static int
ical_line(struct ical_out *out, const char *fmt, ...)
{
	va_list		 ap;
	char		*line;
	size_t		 len, at, take;
	int		 n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return (-1);
	len = (size_t)n;
	for (at = 0; at < len; at += take) {
		/* The first line holds 75 octets, the next ones 74 after
		 * their leading space. Never cut before a UTF-8 continuation
		 * byte. */
		take = len - at;
		if (take > (at == 0 ? ICAL_FOLD : ICAL_FOLD - 1)) {
			take = at == 0 ? ICAL_FOLD : ICAL_FOLD - 1;
			while (take > 0 && ((unsigned char)line[at + take] &
			    0xc0) == 0x80)
				take--;
		}
		if ((at > 0 && ical_raw(out, "\r\n ", 3)) ||
		    ical_raw(out, line + at, take)) {
			free(line);
			return (-1);
		}
	}
	free(line);
	return (ical_raw(out, "\r\n", 2));
}

static int
ical_raw(struct ical_out *out, const char *s, size_t len)
{
	char	*grown;
	size_t	 cap;

	if (out->len + len + 1 > out->cap) {
		cap = out->cap ? out->cap : 2048;
		while (cap < out->len + len + 1)
			cap *= 2;
		if ((grown = realloc(out->data, cap)) == NULL)
			return (-1);
		out->data = grown;
		out->cap = cap;
	}
	memcpy(out->data + out->len, s, len);
	out->len += len;
	out->data[out->len] = '\0';
	return (0);
}

/* A TEXT value: backslash, semicolon, comma and newline escaped. */
static char *
ical_escape(const char *s)
{
	char	*out, *o;

	if ((out = malloc(2 * strlen(s) + 1)) == NULL)
		return (NULL);
	for (o = out; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			*o++ = '\\';
			*o++ = 'n';
			continue;
		}
		if (*s == '\\' || *s == ';' || *s == ',')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return (out);
}

/* A quoted parameter value: no double quotes or control characters. */
static char *
ical_param(const char *s)
{
	char	*out, *o;

	if ((out = malloc(strlen(s) + 1)) == NULL)
		return (NULL);
	for (o = out; *s != '\0'; s++) {
		if (*s != '"' && (unsigned char)*s >= 0x20 && *s != 0x7f)
			*o++ = *s;
	}
	*o = '\0';
	return (out);
}

/* Unix time of 00:00 UTC on the last Sunday of `month` (1-12) of `year`. */
static long long
ical_last_sunday(int year, int month)
{
	struct tm	tm;
	time_t		t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month;		/* the first of the next month */
	tm.tm_mday = 1;
	t = timegm(&tm) - 86400;	/* the last day of `month` */
	gmtime_r(&t, &tm);
	return ((long long)t - (long long)tm.tm_wday * 86400);
}

static void
ical_local(long long t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)(t + ical_london_offset(t));

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%S", &tm);
}

static void
ical_utc(long long t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}
