/*
 * training: check an upload of training records. The first row is the
 * header TRAINING_HEADER (columns in any order, names case-insensitive).
 * Every problem is reported at once as {"line","field","message"} (the
 * shape of the staff list's), so that the whole file can be mended in
 * one go.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "staff.h"
#include "text.h"
#include "training.h"

enum training_col {
	COL_EMAIL,
	COL_COURSE_TITLE,
	COL_COMPLETED_ON,
	COL_GROUP_LEVEL,
	COL_PROVIDER,
	COL_HOURS,
	COL__MAX
};

static const char *const training_cols[COL__MAX] = {
	"email", "course_title", "completed_on", "group_level", "provider",
	"hours"
};

/* The same columns as people write them in a spreadsheet's header. */
static const char *const training_names[COL__MAX] = {
	"Email", "Course title", "Completed on", "Group level", "Provider",
	"Hours"
};

_Static_assert(COL__MAX <= 8, "struct training_reader's at[] is too short");

static int	training_hours(const char *);
static int	training_header(struct training_reader *,
		    const struct csv_row *, size_t);

/*
 * Start reading an upload into `r`, its problems going into the array
 * `errors` (the caller's). Release with training_reader_free().
 */
void
training_reader_init(struct training_reader *r, cJSON *errors)
{
	memset(r, 0, sizeof(*r));
	r->errors = errors;
	copytext_init(&r->copy);
}

/* Release what the reader holds (not its errors). */
void
training_reader_free(struct training_reader *r)
{
	copytext_free(&r->copy);
}

/*
 * csv_read()'s callback: row `line` of `rows` (`arg` a struct
 * training_reader). The first row is the header: when it or the number
 * of rows is wrong, the problems are noted and the reading stops (-1).
 * Each record is checked, every problem noted at once, and kept as a
 * row of COPY text for the database (r->copy), a wrong date or hours as
 * NULL, so that the database can name its own problems with the rows
 * too. A record may not be completed before 1990
 * (the database refuses dates in the future). Returns 0, or -1 to stop.
 */
int
training_reader_row(const struct csv_row *row, size_t line, size_t rows,
    void *arg)
{
	struct training_reader	*tr = arg;
	struct training_record	 rec;
	const char		*v[COL__MAX];
	size_t			 j, k, len;

	if (line == 1)
		return (training_header(tr, row, rows));
	memset(&rec, 0, sizeof(rec));
	rec.line = line;
	for (k = 0; k < COL__MAX; k++)
		v[k] = tr->at[k] != -1 && (size_t)tr->at[k] < row->n ?
		    row->fields[tr->at[k]] : "";

	if (!text_is_email(v[COL_EMAIL]))
		staff_problem(tr->errors, rec.line, "email", "Enter the "
		    "e-mail address the person has on the staff list.");
	else {
		for (j = 0; v[COL_EMAIL][j] != '\0'; j++)
			rec.email[j] = (char)tolower(
			    (unsigned char)v[COL_EMAIL][j]);
		rec.email[j] = '\0';
	}

	len = text_utf8_length(v[COL_COURSE_TITLE]);
	if (len == 0 || len > 200 || !text_is_clean(v[COL_COURSE_TITLE]))
		staff_problem(tr->errors, rec.line, "course_title", "Enter "
		    "the course's title (200 characters at most).");
	rec.course_title = v[COL_COURSE_TITLE];

	rec.completed_on = NULL;
	if (!text_is_date(v[COL_COMPLETED_ON]))
		staff_problem(tr->errors, rec.line, "completed_on", "Enter "
		    "the date as YYYY-MM-DD, like 2016-09-05.");
	else if (strcmp(v[COL_COMPLETED_ON], "1990-01-01") < 0)
		staff_problem(tr->errors, rec.line, "completed_on",
		    "The date is before 1990.");
	else
		rec.completed_on = v[COL_COMPLETED_ON];

	if (v[COL_GROUP_LEVEL][0] == '\0' ||
	    strlen(v[COL_GROUP_LEVEL]) > 16 ||
	    !text_is_clean(v[COL_GROUP_LEVEL]))
		staff_problem(tr->errors, rec.line, "group_level", "Enter "
		    "the training's group level, like G2.");
	rec.group_level = v[COL_GROUP_LEVEL];

	len = text_utf8_length(v[COL_PROVIDER]);
	if (len == 0 || len > 200 || !text_is_clean(v[COL_PROVIDER]))
		staff_problem(tr->errors, rec.line, "provider", "Enter who "
		    "provided the training (200 characters at most).");
	rec.provider = v[COL_PROVIDER];

	if (v[COL_HOURS][0] != '\0' && !training_hours(v[COL_HOURS]))
		staff_problem(tr->errors, rec.line, "hours", "Enter the hours "
		    "as a number above 0 and up to 1000, like 1.5, or "
		    "leave it empty.");
	else if (v[COL_HOURS][0] != '\0')
		rec.hours = v[COL_HOURS];

	/* The record as the database reads it (TRAINING_COPY_COLUMNS). */
	copytext_number(&tr->copy, (long long)rec.line);
	copytext_field(&tr->copy, rec.email);
	copytext_field(&tr->copy, rec.course_title);
	copytext_field(&tr->copy, rec.completed_on);
	copytext_field(&tr->copy, rec.group_level);
	copytext_field(&tr->copy, rec.provider);
	copytext_field(&tr->copy, rec.hours);
	copytext_end_row(&tr->copy);
	if (tr->copy.failed)
		return (-1);
	tr->n++;
	return (0);
}

/*
 * After the last row: r->copy holds the r->n records, or the file was
 * empty (noted). Returns 0, or -1 when the file was empty or memory ran
 * out.
 */
int
training_reader_end(struct training_reader *r)
{
	if (!r->header_seen) {
		staff_problem(r->errors, 1, "file", "The file is empty: it "
		    "needs the header " TRAINING_HEADER ".");
		return (-1);
	}
	return (r->copy.failed ? -1 : 0);
}

/* The header `row` of an upload of `rows` rows: where each column is. */
static int
training_header(struct training_reader *tr, const struct csv_row *row,
    size_t rows)
{
	int	before;

	tr->header_seen = 1;
	before = cJSON_GetArraySize(tr->errors);
	staff_columns(row, training_cols, training_names, COL__MAX,
	    1u << COL_HOURS, tr->at, tr->errors);
	if (rows > TRAINING_MAX + 1)
		staff_problem(tr->errors, 1, "file", "At most 10000 records can "
		    "be sent at once.");
	if (rows < 2)
		staff_problem(tr->errors, 1, "file", "The file has no records "
		    "under its header.");
	if (cJSON_GetArraySize(tr->errors) > before) {
		tr->header_failed = 1;
		return (-1);
	}
	return (0);
}

/* Hours: digits with at most two decimals, above 0 and up to 1000. */
static int
training_hours(const char *s)
{
	double	 h;
	size_t	 i, digits, decimals;
	int	 point;

	digits = decimals = 0;
	point = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '.' && !point)
			point = 1;
		else if (!isdigit((unsigned char)s[i]))
			return (0);
		else if (point)
			decimals++;
		else
			digits++;
	}
	if (digits == 0 || digits > 4 || decimals > 2 || (point &&
	    decimals == 0))
		return (0);
	h = strtod(s, NULL);
	return (h > 0.0 && h <= 1000.0);
}
