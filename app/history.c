/*
 * history: check an uploaded attendance history. The first row is the
 * header HISTORY_HEADER (columns in any order, names case-insensitive,
 * or as people write them: "Session date");
 * each row after it is one place on one session. Every problem of the
 * rows is reported at once (up to HISTORY_MAX_PROBLEMS), as
 * {"line": n, "field": "...", "message": "..."}; whether the agencies
 * and group levels exist is for db_history to say. The rows that pass
 * become the lines of a COPY (text format) that db_history sends.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copytext.h"
#include "csv.h"
#include "history.h"
#include "staff.h"
#include "text.h"

static const char *const history_cols[HISTORY_LINE] = {
	"session_date", "course_code", "course_title", "format",
	"group_level", "agency", "full_name", "email", "status"
};

/* The same columns as people write them in a spreadsheet's header. */
static const char *const history_names[HISTORY_LINE] = {
	"Session date", "Course code", "Course title", "Format",
	"Group level", "Agency", "Full name", "Email", "Status"
};

static const char *const history_formats[] = {
	"full_day", "half_day", "twilight", "e_learning", "seminar",
	"conference", NULL
};

static const char *const history_statuses[] = {
	"attended", "partial", "no_show", "cancelled", "late_cancelled", NULL
};

/*
 * An upload being read, a row at a time (csv_read()'s callback): the rows
 * that pass become lines of COPY text as each is read.
 */
struct history_reader {
	int		 at[HISTORY_LINE];	/* each column's place */
	const char	*today;
	cJSON		*errors;		/* the caller's */
	struct copytext	 copy;
	int		 header_seen;
};

static void	history_problem(cJSON *, size_t, const char *, const char *);
static int	history_one_of(const char *, const char *const *);
static int	history_reader_row(const struct csv_row *, size_t, size_t,
		    void *);
static int	history_header(struct history_reader *,
		    const struct csv_row *, size_t);
static void	history_row_check(const char *[HISTORY_LINE], const char *,
		    size_t, cJSON *);
static int	history_text(const char *, size_t);
static int	history_code(const char *);

/*
 * Read the history of the `len` bytes of CSV `buf`, a row at a time,
 * into `out` (release with history_free(), on success and failure
 * alike); `today` (YYYY-MM-DD) is the last date a session may have.
 * Problems go into the array `errors`, the file's own (not CSV, not
 * UTF-8, too large, no header) on line 1; the reading stops at
 * HISTORY_MAX_PROBLEMS. Returns 0 when there are none, -1 otherwise.
 */
int
history_read(const void *buf, size_t len, const char *today,
    struct history *out, cJSON *errors)
{
	struct history_reader	r;
	char			err[256];

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.today = today;
	r.errors = errors;
	copytext_init(&r.copy);
	if (csv_read(buf, len, history_reader_row, &r, err, sizeof(err)) == -1 &&
	    err[0] != '\0')
		history_problem(errors, 1, "file", err);
	else if (!r.header_seen)
		history_problem(errors, 1, "file", "The file is empty: it needs "
		    "the header " HISTORY_HEADER ".");
	else if (r.copy.failed && cJSON_GetArraySize(errors) == 0)
		history_problem(errors, 1, "file", "Out of memory.");
	out->copy = r.copy.data;
	out->len = r.copy.len;
	out->rows = r.copy.rows;
	return (cJSON_GetArraySize(errors) > 0 ? -1 : 0);
}

/*
 * csv_read()'s callback: row `line` of `rows` (`arg` a struct
 * history_reader). The first is the header; each after it is checked,
 * every problem named, and while the file has none written as a line
 * of COPY's text format. Returns 0, or -1 to stop (a wrong header, or
 * HISTORY_MAX_PROBLEMS problems).
 */
static int
history_reader_row(const struct csv_row *row, size_t line, size_t rows,
    void *arg)
{
	struct history_reader	*r = arg;
	const char		*v[HISTORY_LINE];
	size_t			 k;

	if (line == 1)
		return (history_header(r, row, rows));
	for (k = 0; k < HISTORY_LINE; k++)
		v[k] = (size_t)r->at[k] < row->n ? row->fields[r->at[k]] : "";

	history_row_check(v, r->today, line, r->errors);
	if (cJSON_GetArraySize(r->errors) >= HISTORY_MAX_PROBLEMS)
		return (-1);
	if (cJSON_GetArraySize(r->errors) > 0)
		return (0);

	/* The row as a line of COPY's text format. */
	for (k = 0; k < HISTORY_LINE; k++)
		copytext_field_as(&r->copy, v[k],
		    k == HISTORY_COURSE_CODE ? COPYTEXT_UPPER :
		    k == HISTORY_EMAIL ? COPYTEXT_LOWER : COPYTEXT_AS_IS);
	copytext_number(&r->copy, (long long)line);
	copytext_end_row(&r->copy);
	return (0);
}

/*
 * The header `row` of a file of `rows` rows: where each column is.
 * Returns 0, or -1 (its problems noted) to stop.
 */
static int
history_header(struct history_reader *r, const struct csv_row *row,
    size_t rows)
{
	r->header_seen = 1;
	staff_columns(row, history_cols, history_names, HISTORY_LINE, 0,
	    r->at, r->errors);
	if (rows > HISTORY_MAX + 1)
		history_problem(r->errors, 1, "file", "At most 100,000 rows can "
		    "be sent at once.");
	if (rows == 1)
		history_problem(r->errors, 1, "file", "The file has a header "
		    "but no rows.");
	return (cJSON_GetArraySize(r->errors) > 0 ? -1 : 0);
}

/*
 * Each problem of the row of line `line`, its values `v` by column, into
 * `errors`; `today` is the last date a session may have.
 */
static void
history_row_check(const char *v[HISTORY_LINE], const char *today,
    size_t line, cJSON *errors)
{
	if (!text_is_date(v[HISTORY_SESSION_DATE]))
		history_problem(errors, line, "session_date",
		    "Enter the date of the session as YYYY-MM-DD.");
	else if (strcmp(v[HISTORY_SESSION_DATE], today) > 0)
		history_problem(errors, line, "session_date",
		    "The history can hold past sessions only.");
	if (!history_code(v[HISTORY_COURSE_CODE]))
		history_problem(errors, line, "course_code", "Enter the "
		    "course's code: 2 to 20 letters, digits or hyphens.");
	if (!history_text(v[HISTORY_COURSE_TITLE], 200))
		history_problem(errors, line, "course_title", "Enter "
		    "the course's title (200 characters at most).");
	if (!history_one_of(v[HISTORY_FORMAT], history_formats))
		history_problem(errors, line, "format", "Enter one of "
		    "full_day, half_day, twilight, e_learning, seminar, "
		    "conference.");
	if (!history_text(v[HISTORY_GROUP_LEVEL], 16))
		history_problem(errors, line, "group_level", "Enter the "
		    "course's training group level, like G3.");
	if (!history_text(v[HISTORY_AGENCY], 200))
		history_problem(errors, line, "agency", "Enter the "
		    "name of the person's agency.");
	if (!history_text(v[HISTORY_FULL_NAME], 200))
		history_problem(errors, line, "full_name", "Enter the "
		    "person's name (200 characters at most).");
	if (!text_is_email(v[HISTORY_EMAIL]))
		history_problem(errors, line, "email", "Enter an "
		    "e-mail address like name@example.org.");
	if (!history_one_of(v[HISTORY_STATUS], history_statuses))
		history_problem(errors, line, "status", "Enter one of "
		    "attended, partial, no_show, cancelled, "
		    "late_cancelled.");
}

/* Release what history_read() made. */
void
history_free(struct history *h)
{
	free(h->copy);
	memset(h, 0, sizeof(*h));
}

static void
history_problem(cJSON *errors, size_t line, const char *field,
    const char *message)
{
	if (cJSON_GetArraySize(errors) < HISTORY_MAX_PROBLEMS)
		staff_problem(errors, line, field, message);
}

static int
history_one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0)
			return (1);
	}
	return (0);
}

/* Text of 1 to `max` characters, without control characters. */
static int
history_text(const char *s, size_t max)
{
	size_t	chars;

	chars = text_utf8_length(s);
	return (chars > 0 && chars <= max && text_is_clean(s));
}

/* A course code as the schema takes it, in any case. */
static int
history_code(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return (0);
	}
	return (i >= 2 && i <= 20);
}
