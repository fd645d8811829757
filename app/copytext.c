/*
 * copytext: write rows in PostgreSQL's COPY text format. A field is
 * separated from the one before by a tab; backslash, tab, line feed and
 * carriage return in its text are escaped (\\ \t \n \r), so that no text
 * can end a field or a row early or be read as \N; a NULL field is \N.
 * Each row ends with a line feed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copytext.h"

static int	copytext_room(struct copytext *, size_t);

/* Start an empty set of rows in `c`; release with copytext_free(). */
void
copytext_init(struct copytext *c)
{
	memset(c, 0, sizeof(*c));
}

/* Release what `c` holds; it is empty again. */
void
copytext_free(struct copytext *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

/* Append the text `s` as the row's next field, NULL as \N. */
void
copytext_field(struct copytext *c, const char *s)
{
	copytext_field_as(c, s, COPYTEXT_AS_IS);
}

/* Append `s` as the next field, its ASCII letters in case `how`. */
void
copytext_field_as(struct copytext *c, const char *s, enum copytext_case how)
{
	size_t	len, i;
	char	ch;

	len = s == NULL ? 2 : strlen(s);
	/* Each byte escaped at worst, a tab before, a NUL after. */
	if (!copytext_room(c, 2 * len + 2))
		return;
	if (c->fields++ > 0)
		c->data[c->len++] = '\t';
	if (s == NULL) {
		memcpy(c->data + c->len, "\\N", 2);
		c->len += 2;
		c->data[c->len] = '\0';
		return;
	}
	for (i = 0; i < len; i++) {
		ch = s[i];
		if (how == COPYTEXT_UPPER)
			ch = (char)toupper((unsigned char)ch);
		else if (how == COPYTEXT_LOWER)
			ch = (char)tolower((unsigned char)ch);
		if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
			c->data[c->len++] = '\\';
			ch = ch == '\t' ? 't' : ch == '\n' ? 'n' :
			    ch == '\r' ? 'r' : ch;
		}
		c->data[c->len++] = ch;
	}
	c->data[c->len] = '\0';
}

/* Append the whole number `n` as the next field. */
void
copytext_number(struct copytext *c, long long n)
{
	char	buf[24];

	snprintf(buf, sizeof(buf), "%lld", n);
	copytext_field(c, buf);
}

/* End the row being written. */
void
copytext_end_row(struct copytext *c)
{
	if (!copytext_room(c, 2))
		return;
	c->data[c->len++] = '\n';
	c->data[c->len] = '\0';
	c->fields = 0;
	c->rows++;
}

/* Make room for `more` bytes: 1, or 0 once memory has run out. */
static int
copytext_room(struct copytext *c, size_t more)
{
	char	*grown;
	size_t	 cap;

	if (c->failed)
		return (0);
	if (c->len + more <= c->cap)
		return (1);
	cap = c->cap ? c->cap : 4096;
	while (cap < c->len + more)
		cap *= 2;
	if ((grown = realloc(c->data, cap)) == NULL) {
		c->failed = 1;
		return (0);
	}
	c->data = grown;
	c->cap = cap;
	return (1);
}
