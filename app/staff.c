/*
 * staff: check an uploaded staff list. The first row is the header
 * STAFF_HEADER (columns in any order, names case-insensitive); each row
 * after it is a member of staff. Every problem is reported at once, as
 * {"line": n, "field": "...", "message": "..."} in an array, so that a
 * setting lead can mend the whole file in one go.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "staff.h"
#include "text.h"

enum staff_col {
	COL_FULL_NAME,
	COL_EMAIL,
	COL_JOB_TITLE,
	COL_GROUP_LEVEL,
	COL_IS_DSL,
	COL_MANAGER_EMAIL,
	COL__MAX
};

static const char *const staff_cols[COL__MAX] = {
	"full_name", "email", "job_title", "group_level", "is_dsl",
	"manager_email"
};

/* The same columns as people write them in a spreadsheet's header (and
 * as the export names them). */
const char *const staff_names[STAFF_COLUMNS] = {
	"Full name", "Email", "Job title", "Group level", "Is a DSL",
	"Manager email"
};

_Static_assert(COL__MAX == STAFF_COLUMNS, "staff_names has every column");

static int	staff_email(const char *, char *);

/*
 * Read the members of staff of `t` into `*out` (caller frees the array;
 * its strings belong to `t`), `*n` of them. Problems go into the array
 * `errors`. Returns 0 when there are none, -1 otherwise.
 */
int
staff_read(const struct csv_table *t, struct staff_member **out, size_t *n,
    cJSON *errors)
{
	struct staff_member	*m;
	const struct csv_row	*row;
	const char		*v[COL__MAX], *dsl;
	int			 at[COL__MAX];
	size_t			 i, j, k, chars;

	*out = NULL;
	*n = 0;
	if (t->n == 0) {
		staff_problem(errors, 1, "file", "The file is empty: it needs "
		    "the header " STAFF_HEADER ".");
		return (-1);
	}

	/* The header: every column, once. */
	for (k = 0; k < COL__MAX; k++)
		at[k] = -1;
	for (j = 0; j < t->rows[0].n; j++) {
		for (k = 0; k < COL__MAX; k++) {
			if (strcasecmp(t->rows[0].fields[j], staff_cols[k]) &&
			    strcasecmp(t->rows[0].fields[j], staff_names[k]))
				continue;
			if (at[k] != -1)
				staff_problem(errors, 1, staff_cols[k],
				    "This column appears twice.");
			at[k] = (int)j;
		}
	}
	for (k = 0; k < COL__MAX; k++) {
		if (at[k] == -1)
			staff_problem(errors, 1, staff_cols[k],
			    "The header lacks this column.");
	}
	if (t->n > STAFF_MAX + 1)
		staff_problem(errors, 1, "file", "At most 5000 members of "
		    "staff can be sent at once.");
	if (cJSON_GetArraySize(errors) > 0)
		return (-1);

	if ((*out = calloc(t->n, sizeof(**out))) == NULL) {
		staff_problem(errors, 1, "file", "Out of memory.");
		return (-1);
	}
	for (i = 1; i < t->n; i++) {
		row = &t->rows[i];
		m = &(*out)[*n];
		m->line = i + 1;
		for (k = 0; k < COL__MAX; k++)
			v[k] = (size_t)at[k] < row->n ? row->fields[at[k]] : "";

		chars = text_utf8_length(v[COL_FULL_NAME]);
		if (chars == 0 || chars > 200 || !text_is_clean(v[COL_FULL_NAME]))
			staff_problem(errors, m->line, "full_name", "Enter the "
			    "person's name (200 characters at most).");
		m->full_name = v[COL_FULL_NAME];

		if (!staff_email(v[COL_EMAIL], m->email))
			staff_problem(errors, m->line, "email", "Enter an "
			    "e-mail address like name@example.org.");
		for (j = 0; j < *n && m->email[0] != '\0'; j++) {
			if (strcmp((*out)[j].email, m->email) == 0) {
				staff_problem(errors, m->line, "email",
				    "This e-mail address is on an earlier "
				    "line too.");
				break;
			}
		}

		if (text_utf8_length(v[COL_JOB_TITLE]) > 200 ||
		    !text_is_clean(v[COL_JOB_TITLE]))
			staff_problem(errors, m->line, "job_title",
			    "At most 200 characters of text.");
		m->job_title = v[COL_JOB_TITLE][0] ? v[COL_JOB_TITLE] : NULL;

		if (v[COL_GROUP_LEVEL][0] == '\0' ||
		    strlen(v[COL_GROUP_LEVEL]) > 16 ||
		    !text_is_clean(v[COL_GROUP_LEVEL]))
			staff_problem(errors, m->line, "group_level",
			    "Enter the person's training group level, like "
			    "Group 2.");
		m->group_level = v[COL_GROUP_LEVEL];

		dsl = v[COL_IS_DSL];
		if (dsl[0] == '\0' || !strcasecmp(dsl, "no") ||
		    !strcasecmp(dsl, "n") || !strcasecmp(dsl, "false") ||
		    !strcmp(dsl, "0"))
			m->is_dsl = 0;
		else if (!strcasecmp(dsl, "yes") || !strcasecmp(dsl, "y") ||
		    !strcasecmp(dsl, "true") || !strcmp(dsl, "1"))
			m->is_dsl = 1;
		else
			staff_problem(errors, m->line, "is_dsl",
			    "Enter yes or no.");

		if (v[COL_MANAGER_EMAIL][0] != '\0' &&
		    !staff_email(v[COL_MANAGER_EMAIL], m->manager_email))
			staff_problem(errors, m->line, "manager_email",
			    "Enter an e-mail address like name@example.org, "
			    "or leave it empty.");
		(*n)++;
	}
	return (cJSON_GetArraySize(errors) > 0 ? -1 : 0);
}

/*
 * The `n` members of staff `m` as rows of COPY text in `out` (the
 * caller's, from copytext_init(); copytext_free() releases), with the
 * columns STAFF_COPY_COLUMNS in their order: no job title or manager
 * NULL. Returns 0, or -1 when memory ran out.
 */
int
staff_copy(const struct staff_member *m, size_t n, struct copytext *out)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		copytext_number(out, (long long)m[i].line);
		copytext_field(out, m[i].full_name);
		copytext_field(out, m[i].email);
		copytext_field(out, m[i].job_title);
		copytext_field(out, m[i].group_level);
		copytext_field(out, m[i].is_dsl ? "t" : "f");
		copytext_field(out, m[i].manager_email[0] != '\0' ?
		    m[i].manager_email : NULL);
		copytext_end_row(out);
	}
	return (out->failed ? -1 : 0);
}

/* Add a problem with `field` of line `line` to the array `errors`. */
void
staff_problem(cJSON *errors, size_t line, const char *field,
    const char *message)
{
	cJSON	*e;

	e = cJSON_CreateObject();
	cJSON_AddNumberToObject(e, "line", (double)line);
	cJSON_AddStringToObject(e, "field", field);
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddItemToArray(errors, e);
}

/* A valid e-mail address lowercased into `out` (255 bytes): 1, else 0. */
static int
staff_email(const char *s, char *out)
{
	size_t	i;

	out[0] = '\0';
	if (!text_is_email(s))
		return (0);
	for (i = 0; s[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
	return (1);
}
