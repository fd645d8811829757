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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csv.h"
#include "text.h"

#define CSV_MAX_FIELDS	64
#define CSV_MAX_ROWS	100001		/* a header and 100,000 rows */

struct csv_reader {
	struct csv_table	*table;
	struct csv_row		 row;
	int			 failed;
};

static void	csv_reader_field(void *, size_t, void *);
static void	csv_reader_row(int, void *);
static int	csv_out_grow(struct csv_out *, size_t);

/*
 * Read `len` bytes of CSV into `t` (caller frees with csv_table_free(),
 * on success and failure alike). Returns 0, or -1 with a message for a
 * person in `err`.
 */
int
csv_table_read(const void *buf, size_t len, struct csv_table *t, char *err,
    size_t errlen)
{
	struct csv_parser	 p;
	struct csv_reader	 r;
	const unsigned char	*s = buf;
	size_t			 i, j;
	int			 ret;

	memset(t, 0, sizeof(*t));
	memset(&r, 0, sizeof(r));
	r.table = t;
	ret = -1;

	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		s += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		snprintf(err, errlen, "Out of memory.");
		return (-1);
	}
	if (csv_parse(&p, s, len, csv_reader_field, csv_reader_row, &r) !=
	    len || csv_fini(&p, csv_reader_field, csv_reader_row, &r) != 0) {
		snprintf(err, errlen, "The file is not valid CSV (%s near "
		    "line %zu).", csv_strerror(csv_error(&p)), t->n + 1);
		goto out;
	}
	if (r.failed) {
		snprintf(err, errlen, "The file is too large: at most %d "
		    "columns and %d rows.", CSV_MAX_FIELDS, CSV_MAX_ROWS);
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->rows[i].n; j++) {
			if (text_utf8_length(t->rows[i].fields[j]) ==
			    (size_t)-1) {
				snprintf(err, errlen, "Line %zu is not UTF-8 "
				    "text: save the file as CSV UTF-8.", i + 1);
				goto out;
			}
		}
	}
	ret = 0;
out:
	for (j = 0; j < r.row.n; j++)
		free(r.row.fields[j]);
	free(r.row.fields);
	csv_free(&p);
	return (ret);
}

/* Release a table read by csv_table_read(). */
void
csv_table_free(struct csv_table *t)
{
	size_t	i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->rows[i].n; j++)
			free(t->rows[i].fields[j]);
		free(t->rows[i].fields);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static void
csv_reader_field(void *s, size_t len, void *data)
{
	struct csv_reader	*r = data;
	char			**grown, *copy;

	if (r->failed)
		return;
	if (r->row.n >= CSV_MAX_FIELDS ||
	    (grown = realloc(r->row.fields, (r->row.n + 1) *
	    sizeof(*grown))) == NULL) {
		r->failed = 1;
		return;
	}
	r->row.fields = grown;
	if ((copy = malloc(len + 1)) == NULL) {
		r->failed = 1;
		return;
	}
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	r->row.fields[r->row.n++] = copy;
}

static void
csv_reader_row(int c, void *data)
{
	struct csv_reader	*r = data;
	struct csv_row		*grown;
	size_t			 j;
	int			 empty;

	(void)c;
	empty = 1;
	for (j = 0; j < r->row.n; j++) {
		if (r->row.fields[j][0] != '\0')
			empty = 0;
	}
	if (r->failed || empty || r->table->n >= CSV_MAX_ROWS ||
	    (grown = realloc(r->table->rows, (r->table->n + 1) *
	    sizeof(*grown))) == NULL) {
		if (!empty)
			r->failed = 1;
		for (j = 0; j < r->row.n; j++)
			free(r->row.fields[j]);
		free(r->row.fields);
		memset(&r->row, 0, sizeof(r->row));
		return;
	}
	r->table->rows = grown;
	r->table->rows[r->table->n++] = r->row;
	memset(&r->row, 0, sizeof(r->row));
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
