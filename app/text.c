/*
 * text: UTF-8 and e-mail address checks for what people type.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * `s` without the spaces (ASCII space, tab, CR, LF) around it: trailing
 * ones are cut off in place, and the result starts at the first other
 * character (inside `s`, which keeps owning it).
 */
char *
text_trim(char *s)
{
	size_t	len;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		s[--len] = '\0';
	return (s);
}

/*
 * The number of characters (code points) of a UTF-8 string, or
 * (size_t)-1 when it is not valid UTF-8 (bad sequences, overlongs,
 * surrogates, past U+10FFFF).
 */
size_t
text_utf8_length(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, need, i;
	unsigned int		 cp, min;

	for (n = 0; *p != '\0'; n++) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			need = 1;
			cp = *p & 0x1f;
			min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			need = 2;
			cp = *p & 0x0f;
			min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			need = 3;
			cp = *p & 0x07;
			min = 0x10000;
		} else
			return ((size_t)-1);
		for (i = 1; i <= need; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return ((size_t)-1);
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return ((size_t)-1);
		p += need + 1;
	}
	return (n);
}

/* Whether `s` is valid UTF-8 free of control characters. */
int
text_is_clean(const char *s)
{
	const unsigned char	*p;

	if (text_utf8_length(s) == (size_t)-1)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return (0);
	}
	return (1);
}

/*
 * Whether `s` looks like an e-mail address a person can receive mail at:
 * one @, a local part of 1 to 64 characters, a domain with a dot, no
 * spaces, at most 254 characters in all.
 */
int
text_is_email(const char *s)
{
	const char	*at, *dot;
	size_t		 len;

	len = strlen(s);
	if (len < 3 || len > 254 || !text_is_clean(s) || strchr(s, ' '))
		return (0);
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return (0);
	if (at == s || at - s > 64)
		return (0);
	if ((dot = strrchr(at + 1, '.')) == NULL || dot == at + 1 ||
	    dot[1] == '\0' || strstr(at, "..") != NULL)
		return (0);
	return (1);
}

/* Whether `s` is a calendar date written YYYY-MM-DD (years 1900-2999). */
int
text_is_date(const char *s)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	}
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return (0);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return (d <= days[m - 1] + (m == 2 && leap));
}

/*
 * Whether `s` is an ISO 8601 date and time the portal takes:
 * YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM / -HH:MM offset
 * (without one, the time is Europe/London's).
 */
int
text_is_datetime(const char *s)
{
	char		date[11];
	const char	*t;
	size_t		i, len;

	if (strlen(s) < 16 || s[10] != 'T')
		return (0);
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!text_is_date(date))
		return (0);
	t = s + 11;
	if (!isdigit((unsigned char)t[0]) || !isdigit((unsigned char)t[1]) ||
	    t[2] != ':' || !isdigit((unsigned char)t[3]) ||
	    !isdigit((unsigned char)t[4]) || atoi(t) > 23 || atoi(t + 3) > 59)
		return (0);
	t += 5;
	if (t[0] == ':') {
		if (!isdigit((unsigned char)t[1]) ||
		    !isdigit((unsigned char)t[2]) || atoi(t + 1) > 59)
			return (0);
		t += 3;
	}
	if (*t == '\0' || strcmp(t, "Z") == 0)
		return (1);
	len = strlen(t);
	if (len != 6 || (t[0] != '+' && t[0] != '-') || t[3] != ':')
		return (0);
	for (i = 1; i < len; i++) {
		if (i != 3 && !isdigit((unsigned char)t[i]))
			return (0);
	}
	return (atoi(t + 1) <= 14 && atoi(t + 4) <= 59);
}

/*
 * `s` with &, <, >, " and ' as HTML entities: a new string (caller
 * frees), or NULL out of memory.
 */
char *
text_html_escape(const char *s)
{
	char	*out, *o;

	if ((out = malloc(6 * strlen(s) + 1)) == NULL)
		return (NULL);
	for (o = out; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			memcpy(o, "&amp;", 5);
			o += 5;
			break;
		case '<':
			memcpy(o, "&lt;", 4);
			o += 4;
			break;
		case '>':
			memcpy(o, "&gt;", 4);
			o += 4;
			break;
		case '"':
			memcpy(o, "&quot;", 6);
			o += 6;
			break;
		case '\'':
			memcpy(o, "&#39;", 5);
			o += 5;
			break;
		default:
			*o++ = *s;
		}
	}
	*o = '\0';
	return (out);
}
