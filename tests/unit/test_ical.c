/*
 * Unit tests of app/ical.c: RFC 5545 structure, folding, escaping and
 * Europe/London times. The integration tests parse the same output with
 * Python's icalendar (tests/reference/ical_check.py).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ical.h"

/* 2016-07-14 08:30 UTC = 09:30 BST */
#define JULY_0830Z	1468485000LL
/* 2016-01-14 09:30 UTC = 09:30 GMT */
#define JAN_0930Z	1452763800LL

static struct ical_event
event(void)
{
	struct ical_event	e;

	memset(&e, 0, sizeof(e));
	e.uid = "booking-42@portal.example";
	e.sequence = 0;
	e.starts_at = JULY_0830Z;
	e.ends_at = JULY_0830Z + 6 * 3600;
	e.stamp = JAN_0930Z;
	e.summary = "Recognising and responding to neglect";
	e.location = "Hackney Service Centre, 1 Hillman Street";
	e.description = "Bring: a case; notes\\ideas\nSecond line";
	e.organizer_email = "training@partnership.example";
	e.attendee_email = "amara@school.example";
	e.attendee_name = "Amara \"A\" Okafor";
	return (e);
}

static void
every_line(const char *text, size_t *lines)
{
	const char	*p, *eol;

	*lines = 0;
	for (p = text; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		cr_assert_not_null(eol, "every line ends in CRLF");
		cr_assert_leq((size_t)(eol - p), 75, "line of %zu octets",
		    (size_t)(eol - p));
		cr_assert_null(memchr(p, '\n', (size_t)(eol - p)),
		    "no bare LF");
		(*lines)++;
	}
}

/* The text with its folding undone (caller frees). */
static char *
unfold(const char *s)
{
	char	*out, *o;

	out = calloc(1, strlen(s) + 1);
	for (o = out; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		*o++ = *s;
	}
	return (out);
}

Test(ical, structure_and_london_summer_time)
{
	struct ical_event	 e = event();
	struct ical_out		 o;
	size_t			 lines;
	char			*flat;

	cr_assert_eq(ical_write(&e, &o), 0);
	every_line(o.data, &lines);
	cr_assert(strncmp(o.data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	cr_assert_not_null(strstr(o.data, "\r\nMETHOD:REQUEST\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nUID:booking-42@portal.example\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nSEQUENCE:0\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nDTSTAMP:20160114T093000Z\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nDTSTART;TZID=Europe/London:20160714T093000\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nDTEND;TZID=Europe/London:20160714T153000\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nSTATUS:CONFIRMED\r\n"));
	cr_assert(strcmp(o.data + o.len - 15, "END:VCALENDAR\r\n") == 0);
	flat = unfold(o.data);
	cr_assert_not_null(strstr(flat, "\r\nATTENDEE;CN=\"Amara A Okafor\";"
	    "ROLE=REQ-PARTICIPANT:mailto:amara@school.example\r\n"));
	free(flat);
	ical_out_free(&o);
}

Test(ical, text_is_escaped)
{
	struct ical_event	e = event();
	struct ical_out		o;

	cr_assert_eq(ical_write(&e, &o), 0);
	cr_assert_not_null(strstr(o.data,
	    "DESCRIPTION:Bring: a case\\; notes\\\\ideas\\nSecond line\r\n"));
	cr_assert_not_null(strstr(o.data,
	    "LOCATION:Hackney Service Centre\\, 1 Hillman Street\r\n"));
	ical_out_free(&o);
}

Test(ical, long_utf8_lines_fold_between_characters)
{
	struct ical_event	 e = event();
	struct ical_out		 o;
	char			 desc[201], *start, *end, *unfolded, *u;
	size_t			 i, lines;

	for (i = 0; i < 100; i++)
		memcpy(desc + 2 * i, "\xc3\xa9", 2);
	desc[200] = '\0';
	e.description = desc;
	cr_assert_eq(ical_write(&e, &o), 0);
	every_line(o.data, &lines);
	start = strstr(o.data, "DESCRIPTION:");
	end = strstr(start, "\r\nSTATUS:");
	cr_assert_not_null(end);
	/* Unfold (CRLF + space) and compare. */
	unfolded = calloc(1, (size_t)(end - start) + 1);
	for (u = unfolded; start < end; start++) {
		if (start[0] == '\r' && start[1] == '\n' && start[2] == ' ') {
			start += 2;
			continue;
		}
		*u++ = *start;
	}
	cr_assert_str_eq(unfolded + strlen("DESCRIPTION:"), desc);
	/* No folded line starts with a UTF-8 continuation byte. */
	for (start = o.data; (start = strstr(start, "\r\n ")) != NULL; start++)
		cr_assert_neq((unsigned char)start[3] & 0xc0, 0x80);
	free(unfolded);
	ical_out_free(&o);
}

Test(ical, cancellation_keeps_the_uid_with_a_higher_sequence)
{
	struct ical_event	e = event();
	struct ical_out		o;

	e.cancelled = 1;
	e.sequence = 2;
	cr_assert_eq(ical_write(&e, &o), 0);
	cr_assert_not_null(strstr(o.data, "\r\nMETHOD:CANCEL\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nSTATUS:CANCELLED\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nSEQUENCE:2\r\n"));
	cr_assert_not_null(strstr(o.data, "\r\nUID:booking-42@portal.example\r\n"));
	ical_out_free(&o);
}

Test(ical, organizer_and_attendee_are_optional)
{
	struct ical_event	e = event();
	struct ical_out		o;

	e.organizer_email = NULL;
	e.attendee_email = NULL;
	cr_assert_eq(ical_write(&e, &o), 0);
	cr_assert_null(strstr(o.data, "ORGANIZER"));
	cr_assert_null(strstr(o.data, "ATTENDEE"));
	ical_out_free(&o);
}

Test(ical, london_offsets_around_the_changes)
{
	/* 2016: BST from 2016-03-27 01:00 UTC to 2016-10-30 01:00 UTC. */
	cr_assert_eq(ical_london_offset(JAN_0930Z), 0);
	cr_assert_eq(ical_london_offset(JULY_0830Z), 3600);
	cr_assert_eq(ical_london_offset(1459040399LL), 0);	/* 00:59:59Z */
	cr_assert_eq(ical_london_offset(1459040400LL), 3600);	/* 01:00Z */
	cr_assert_eq(ical_london_offset(1477789199LL), 3600);	/* 30 Oct 00:59:59Z */
	cr_assert_eq(ical_london_offset(1477789200LL), 0);	/* 01:00Z */
}
