/*
 * csv: CSV in and out.
 *
 * In: libcsv in strict mode, UTF-8 with or without a byte order mark,
 * CRLF or LF line ends; rows that are wholly empty are skipped; a field
 * that is not valid UTF-8 makes the file unreadable.
 *
 * Out: RFC 4180 (CRLF, fields quoted when they hold a comma, quote, CR
 * or LF). A text field that a spreadsheet would take for a formula
 * (starting =, +, -, @, tab or CR) gets a leading apostrophe (OWASP's
 * advice for CSV injection).
 *
 * A report's CSV (every report the portal offers as CSV is written
 * through these, so they read alike): UTF-8 with a byte order mark (so
 * that Excel reads it as UTF-8), a header row of plain-English column
 * names, counts as whole numbers, rates as percentages to one decimal
 * place (the column's name says "(%)"), other figures to the places the
 * caller gives, dates as ISO 8601 (2016-09-05), and a blank field for a
 * figure that does not exist. The JSON API is the machine-readable
 * form; these files are for reading.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csv.h"
#include "text.h"

#define CSV_MAX_FIELDS	64
#define CSV_MAX_ROWS	100001		/* a header and 100,000 rows */

/*
 * The first pass over an upload: what it holds, in constant memory (a
 * row's counts, never its fields).
 */
struct csv_survey {
	size_t	rows;		/* rows that are not wholly empty */
	size_t	row_fields;
	size_t	bad_line;	/* first row not UTF-8 (from 1), 0: none */
	int	row_empty, row_bad;
	int	failed;		/* too many fields or rows */
};

/* The second pass: one row at a time, handed to the caller. */
struct csv_stream {
	int		(*on_row)(const struct csv_row *, size_t, size_t,
			    void *);
	void		 *arg;
	size_t		  rows;		/* from the survey */
	size_t		  line;
	char		 *text;		/* the row's fields, NUL after each */
	size_t		  len, cap;
	size_t		  at[CSV_MAX_FIELDS];	/* where each starts in text */
	char		 *fields[CSV_MAX_FIELDS];
	size_t		  n;
	int		  stopped;	/* 1 by on_row, 2 out of memory */
};

static void	csv_survey_field(void *, size_t, void *);
static void	csv_survey_row(int, void *);
static void	csv_stream_field(void *, size_t, void *);
static void	csv_stream_row(int, void *);
static int	csv_out_grow(struct csv_out *, size_t);

/*
 * Read `len` bytes of CSV, one row at a time: on_row(row, line, rows,
 * arg) for each row that is not wholly empty, `line` counting those rows
 * from 1 and `rows` how many there are in all (known before the first
 * call). The row and its fields belong to the reader and last until
 * on_row returns; on_row returns 0 to go on, -1 to stop. The upload is
 * read twice, first to check it (so that on_row never sees a file that
 * turns out not to be readable), each time holding one row at most: the
 * memory taken does not grow with the file. Returns 0; -1 with a message
 * for a person in `err` when the file is not valid CSV, too large or not
 * UTF-8; -1 with `err` empty when on_row stopped the reading.
 */
int
csv_read(const void *buf, size_t len, int (*on_row)(const struct csv_row *,
    size_t, size_t, void *), void *arg, char *err, size_t errlen)
{
	struct csv_survey	 survey, *sv = &survey;
	struct csv_parser	 p;
	struct csv_stream	*st;
	const unsigned char	*s = buf;
	int			 ret;

	memset(sv, 0, sizeof(*sv));
	sv->row_empty = 1;
	st = NULL;
	ret = -1;
	err[0] = '\0';

	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		s += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		snprintf(err, errlen, "Out of memory.");
		return (-1);
	}
	if (csv_parse(&p, s, len, csv_survey_field, csv_survey_row, sv) !=
	    len || csv_fini(&p, csv_survey_field, csv_survey_row, sv) != 0) {
		snprintf(err, errlen, "The file is not valid CSV (%s near "
		    "line %zu).", csv_strerror(csv_error(&p)), sv->rows + 1);
		goto out;
	}
	if (sv->failed) {
		snprintf(err, errlen, "The file is too large: at most %d "
		    "columns and %d rows.", CSV_MAX_FIELDS, CSV_MAX_ROWS);
		goto out;
	}
	if (sv->bad_line != 0) {
		snprintf(err, errlen, "Line %zu is not UTF-8 text: save the "
		    "file as CSV UTF-8.", sv->bad_line);
		goto out;
	}

	/* The file is readable: read it again, a row at a time. */
	csv_free(&p);
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(st);
		snprintf(err, errlen, "Out of memory.");
		return (-1);
	}
	st->on_row = on_row;
	st->arg = arg;
	st->rows = sv->rows;
	(void)csv_parse(&p, s, len, csv_stream_field, csv_stream_row, st);
	(void)csv_fini(&p, csv_stream_field, csv_stream_row, st);
	if (st->stopped == 2)
		snprintf(err, errlen, "Out of memory.");
	if (st->stopped == 0)
		ret = 0;
out:
	if (st != NULL)
		free(st->text);
	free(st);
	csv_free(&p);
	return (ret);
}

/* A field of the first pass: counted, and its text checked for UTF-8. */
static void
csv_survey_field(void *s, size_t len, void *data)
{
	struct csv_survey	*sv = data;

	if (++sv->row_fields > CSV_MAX_FIELDS)
		sv->failed = 1;
	if (s == NULL || len == 0 || ((char *)s)[0] == '\0')
		return;
	sv->row_empty = 0;
	/* With CSV_APPEND_NULL the field ends with a NUL. */
	if (text_utf8_length(s) == (size_t)-1)
		sv->row_bad = 1;
}

/* A row of the first pass: counted unless wholly empty. */
static void
csv_survey_row(int c, void *data)
{
	struct csv_survey	*sv = data;

	(void)c;
	if (!sv->row_empty && !sv->failed) {
		if (sv->rows >= CSV_MAX_ROWS)
			sv->failed = 1;
		else {
			sv->rows++;
			if (sv->row_bad && sv->bad_line == 0)
				sv->bad_line = sv->rows;
		}
	}
	sv->row_fields = 0;
	sv->row_empty = 1;
	sv->row_bad = 0;
}

/* A field of the second pass: appended to the row's text. */
static void
csv_stream_field(void *s, size_t len, void *data)
{
	struct csv_stream	*st = data;
	char			*grown;
	size_t			 cap;

	if (st->stopped || st->n >= CSV_MAX_FIELDS)
		return;
	if (st->len + len + 1 > st->cap) {
		cap = st->cap ? st->cap : 256;
		while (cap < st->len + len + 1)
			cap *= 2;
		if ((grown = realloc(st->text, cap)) == NULL) {
			st->stopped = 2;
			return;
		}
		st->text = grown;
		st->cap = cap;
	}
	if (s != NULL && len > 0)
		memcpy(st->text + st->len, s, len);
	st->text[st->len + len] = '\0';
	st->at[st->n++] = st->len;
	st->len += len + 1;
}

/* A row of the second pass: handed over unless wholly empty. */
static void
csv_stream_row(int c, void *data)
{
	struct csv_stream	*st = data;
	struct csv_row		 row;
	size_t			 j;
	int			 empty;

	(void)c;
	empty = 1;
	for (j = 0; j < st->n; j++) {
		st->fields[j] = st->text + st->at[j];
		if (st->fields[j][0] != '\0')
			empty = 0;
	}
	if (!st->stopped && !empty) {
		row.fields = st->fields;
		row.n = st->n;
		if (st->on_row(&row, ++st->line, st->rows, st->arg) == -1)
			st->stopped = 1;
	}
	st->len = 0;
	st->n = 0;
}

/* Start an empty CSV document. */
void
csv_out_init(struct csv_out *o)
{
	memset(o, 0, sizeof(*o));
}

/*
 * Append field `s` (NULL: empty) to the current row. `text` says it is
 * free text (neutralised against formula injection); numbers and dates
 * the portal wrote itself are passed with 0. Returns 0 or -1 (memory).
 */
int
csv_out_field(struct csv_out *o, const char *s, int text)
{
	size_t	len, i;
	int	quote, guard;

	if (s == NULL)
		s = "";
	len = strlen(s);
	guard = text && len > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (csv_out_grow(o, 2 * len + 4) == -1)
		return (-1);
	if (o->row_started)
		o->data[o->len++] = ',';
	o->row_started = 1;
	if (quote)
		o->data[o->len++] = '"';
	if (guard)
		o->data[o->len++] = '\'';
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			o->data[o->len++] = '"';
		o->data[o->len++] = s[i];
	}
	if (quote)
		o->data[o->len++] = '"';
	o->data[o->len] = '\0';
	return (0);
}

/*
 * Start a report's CSV in `o` (csv_out_free() releases it): the byte
 * order mark, then the header row of `header` (NULL-terminated column
 * names). Returns 0 or -1 (memory).
 */
int
csv_out_report(struct csv_out *o, const char *const *header)
{
	csv_out_init(o);
	if (csv_out_grow(o, 3) == -1)
		return (-1);
	memcpy(o->data, "\xef\xbb\xbf", 3);
	o->len = 3;
	o->data[o->len] = '\0';
	if (header == NULL || *header == NULL)
		return (0);
	for (; *header != NULL; header++)
		if (csv_out_field(o, *header, 0) == -1)
			return (-1);
	return (csv_out_end_row(o));
}

/* A count as a whole number; NaN (no figure) as a blank field. */
int
csv_out_count(struct csv_out *o, double v)
{
	return (csv_out_decimal(o, v, 0));
}

/*
 * A rate (0 to 1) as a percentage to one decimal place (0.1234 is
 * 12.3); NaN as a blank field.
 */
int
csv_out_percent(struct csv_out *o, double rate)
{
	return (csv_out_decimal(o, isnan(rate) ? rate : 100.0 * rate, 1));
}

/* A figure to `places` decimal places; NaN or infinite as blank. */
int
csv_out_decimal(struct csv_out *o, double v, int places)
{
	char	num[64];

	if (!isfinite(v))
		return (csv_out_field(o, "", 0));
	snprintf(num, sizeof(num), "%.*f", places, v);
	/* No "-0.0" for a figure that rounds to nothing. */
	if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
		memmove(num, num + 1, strlen(num));
	return (csv_out_field(o, num, 0));
}

/*
 * A date (or timestamp) as its ISO 8601 date, YYYY-MM-DD; NULL or
 * anything shorter as a blank field.
 */
int
csv_out_date(struct csv_out *o, const char *s)
{
	char	day[11];

	if (s == NULL || strlen(s) < 10)
		return (csv_out_field(o, "", 0));
	memcpy(day, s, 10);
	day[10] = '\0';
	return (csv_out_field(o, day, 0));
}

/* End the current row (CRLF). */
int
csv_out_end_row(struct csv_out *o)
{
	if (csv_out_grow(o, 2) == -1)
		return (-1);
	o->data[o->len++] = '\r';
	o->data[o->len++] = '\n';
	o->data[o->len] = '\0';
	o->row_started = 0;
	return (0);
}

/* Release the document. */
void
csv_out_free(struct csv_out *o)
{
	free(o->data);
	memset(o, 0, sizeof(*o));
}

static int
csv_out_grow(struct csv_out *o, size_t more)
{
	char	*grown;
	size_t	 cap;

	if (o->len + more + 1 <= o->cap)
		return (0);
	cap = o->cap ? o->cap : 1024;
	while (cap < o->len + more + 1)
		cap *= 2;
	if ((grown = realloc(o->data, cap)) == NULL)
		return (-1);
	o->data = grown;
	o->cap = cap;
	o->data[o->len] = '\0';
	return (0);
}
