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

static int	training_hours(const char *);

/*
 * Read the records of `t` into `*out` (caller frees the array; its
 * strings belong to `t`), `*n` of them. A record may not be completed
 * before 1990 (the database refuses dates in the future). Problems go
 * into the array `errors`. Returns 0 when there are none, -1 otherwise;
 * after problems with rows (not with the header) the rows are still
 * read, a wrong date as NULL, so that the database can name its own
 * problems with them too.
 */
int
training_read(const struct csv_table *t, struct training_record **out,
    size_t *n, cJSON *errors)
{
	struct training_record	*r;
	const struct csv_row	*row;
	const char		*v[COL__MAX];
	int			 at[COL__MAX];
	size_t			 i, j, k, len;

	*out = NULL;
	*n = 0;
	if (t->n == 0) {
		staff_problem(errors, 1, "file", "The file is empty: it needs "
		    "the header " TRAINING_HEADER ".");
		return (-1);
	}
	for (k = 0; k < COL__MAX; k++)
		at[k] = -1;
	for (j = 0; j < t->rows[0].n; j++) {
		for (k = 0; k < COL__MAX; k++) {
			if (strcasecmp(t->rows[0].fields[j], training_cols[k]) &&
			    strcasecmp(t->rows[0].fields[j], training_names[k]))
				continue;
			if (at[k] != -1)
				staff_problem(errors, 1, training_cols[k],
				    "This column appears twice.");
			at[k] = (int)j;
		}
	}
	for (k = 0; k < COL__MAX; k++) {
		if (at[k] == -1 && k != COL_HOURS)
			staff_problem(errors, 1, training_cols[k],
			    "The header lacks this column.");
	}
	if (t->n > TRAINING_MAX + 1)
		staff_problem(errors, 1, "file", "At most 10000 records can be "
		    "sent at once.");
	if (t->n < 2)
		staff_problem(errors, 1, "file", "The file has no records "
		    "under its header.");
	if (cJSON_GetArraySize(errors) > 0)
		return (-1);

	if ((*out = calloc(t->n, sizeof(**out))) == NULL) {
		staff_problem(errors, 1, "file", "Out of memory.");
		return (-1);
	}
	for (i = 1; i < t->n; i++) {
		row = &t->rows[i];
		r = &(*out)[*n];
		r->line = i + 1;
		for (k = 0; k < COL__MAX; k++)
			v[k] = at[k] != -1 && (size_t)at[k] < row->n ?
			    row->fields[at[k]] : "";

		if (!text_is_email(v[COL_EMAIL]))
			staff_problem(errors, r->line, "email", "Enter the "
			    "e-mail address the person has on the staff list.");
		else {
			for (j = 0; v[COL_EMAIL][j] != '\0'; j++)
				r->email[j] = (char)tolower(
				    (unsigned char)v[COL_EMAIL][j]);
			r->email[j] = '\0';
		}

		len = text_utf8_length(v[COL_COURSE_TITLE]);
		if (len == 0 || len > 200 || !text_is_clean(v[COL_COURSE_TITLE]))
			staff_problem(errors, r->line, "course_title", "Enter "
			    "the course's title (200 characters at most).");
		r->course_title = v[COL_COURSE_TITLE];

		r->completed_on = NULL;
		if (!text_is_date(v[COL_COMPLETED_ON]))
			staff_problem(errors, r->line, "completed_on", "Enter "
			    "the date as YYYY-MM-DD, like 2016-09-05.");
		else if (strcmp(v[COL_COMPLETED_ON], "1990-01-01") < 0)
			staff_problem(errors, r->line, "completed_on",
			    "The date is before 1990.");
		else
			r->completed_on = v[COL_COMPLETED_ON];

		if (v[COL_GROUP_LEVEL][0] == '\0' ||
		    strlen(v[COL_GROUP_LEVEL]) > 16 ||
		    !text_is_clean(v[COL_GROUP_LEVEL]))
			staff_problem(errors, r->line, "group_level", "Enter "
			    "the training's group level, like G2.");
		r->group_level = v[COL_GROUP_LEVEL];

		len = text_utf8_length(v[COL_PROVIDER]);
		if (len == 0 || len > 200 || !text_is_clean(v[COL_PROVIDER]))
			staff_problem(errors, r->line, "provider", "Enter who "
			    "provided the training (200 characters at most).");
		r->provider = v[COL_PROVIDER];

		if (v[COL_HOURS][0] != '\0' && !training_hours(v[COL_HOURS]))
			staff_problem(errors, r->line, "hours", "Enter the hours "
			    "as a number above 0 and up to 1000, like 1.5, or "
			    "leave it empty.");
		else if (v[COL_HOURS][0] != '\0')
			r->hours = v[COL_HOURS];
		(*n)++;
	}
	return (cJSON_GetArraySize(errors) > 0 ? -1 : 0);
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
