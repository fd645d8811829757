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
static void	staff_member_read(const char *[COL__MAX], size_t,
		    struct staff_member *, size_t, cJSON *);

/*
 * Read the members of staff of `t` into `*out` (caller frees the array;
 * its strings belong to `t`), `*n` of them. Problems go into the array
 * `errors`. Returns 0 when there are none, -1 otherwise.
 */
int
staff_read(const struct csv_table *t, struct staff_member **out, size_t *n,
    cJSON *errors)
{
	const struct csv_row	*row;
	const char		*v[COL__MAX];
	int			 at[COL__MAX];
	size_t			 i, k;

	*out = NULL;
	*n = 0;
	if (t->n == 0) {
		staff_problem(errors, 1, "file", "The file is empty: it needs "
		    "the header " STAFF_HEADER ".");
		return (-1);
	}
	staff_columns(&t->rows[0], staff_cols, staff_names, COL__MAX, 0, at,
	    errors);
	if (t->n > STAFF_MAX + 1)
		staff_problem(errors, 1, "file", "At most 5000 members of "
		    "staff can be sent at once.");
	if (cJSON_GetArraySize(errors) > 0)
		return (-1);

	if ((*out = calloc(t->n, sizeof(**out))) == NULL) {
		staff_problem(errors, 1, "file", "Out of memory.");
		return (-1);
	}
	/* Each line a member, every problem of each named. */
	for (i = 1; i < t->n; i++) {
		row = &t->rows[i];
		for (k = 0; k < COL__MAX; k++)
			v[k] = (size_t)at[k] < row->n ? row->fields[at[k]] : "";
		staff_member_read(v, i + 1, *out, *n, errors);
		(*n)++;
	}
	return (cJSON_GetArraySize(errors) > 0 ? -1 : 0);
}

/*
 * Where each of the `n` columns is in the header `row` of an upload into
 * `at` (-1: not there), by its code (`codes`) or its name (`names`), any
 * case: every column once, those with their bit in `optional` may be
 * left out; each problem in `errors` on line 1.
 */
void
staff_columns(const struct csv_row *row, const char *const *codes,
    const char *const *names, size_t n, unsigned int optional, int *at,
    cJSON *errors)
{
	size_t	j, k;

	for (k = 0; k < n; k++)
		at[k] = -1;
	for (j = 0; j < row->n; j++) {
		for (k = 0; k < n; k++) {
			if (strcasecmp(row->fields[j], codes[k]) &&
			    strcasecmp(row->fields[j], names[k]))
				continue;
			if (at[k] != -1)
				staff_problem(errors, 1, codes[k],
				    "This column appears twice.");
			at[k] = (int)j;
		}
	}
	for (k = 0; k < n; k++) {
		if (at[k] == -1 && !(optional & (1u << k)))
			staff_problem(errors, 1, codes[k],
			    "The header lacks this column.");
	}
}

/*
 * The member of line `line`, its values `v` by column, into m[n] (the
 * members m[0..n-1] read before it: no e-mail address twice); each
 * problem in `errors`.
 */
static void
staff_member_read(const char *v[COL__MAX], size_t line,
    struct staff_member *m, size_t n, cJSON *errors)
{
	struct staff_member	*one = &m[n];
	const char		*dsl;
	size_t			 j, chars;

	one->line = line;
	chars = text_utf8_length(v[COL_FULL_NAME]);
	if (chars == 0 || chars > 200 || !text_is_clean(v[COL_FULL_NAME]))
		staff_problem(errors, line, "full_name", "Enter the "
		    "person's name (200 characters at most).");
	one->full_name = v[COL_FULL_NAME];

	if (!staff_email(v[COL_EMAIL], one->email))
		staff_problem(errors, line, "email", "Enter an "
		    "e-mail address like name@example.org.");
	for (j = 0; j < n && one->email[0] != '\0'; j++) {
		if (strcmp(m[j].email, one->email) == 0) {
			staff_problem(errors, line, "email",
			    "This e-mail address is on an earlier line too.");
			break;
		}
	}

	if (text_utf8_length(v[COL_JOB_TITLE]) > 200 ||
	    !text_is_clean(v[COL_JOB_TITLE]))
		staff_problem(errors, line, "job_title",
		    "At most 200 characters of text.");
	one->job_title = v[COL_JOB_TITLE][0] ? v[COL_JOB_TITLE] : NULL;

	if (v[COL_GROUP_LEVEL][0] == '\0' ||
	    strlen(v[COL_GROUP_LEVEL]) > 16 ||
	    !text_is_clean(v[COL_GROUP_LEVEL]))
		staff_problem(errors, line, "group_level",
		    "Enter the person's training group level, like Group 2.");
	one->group_level = v[COL_GROUP_LEVEL];

	/* Whether they are a DSL: yes or no, in a few spellings. */
	dsl = v[COL_IS_DSL];
	if (dsl[0] == '\0' || !strcasecmp(dsl, "no") ||
	    !strcasecmp(dsl, "n") || !strcasecmp(dsl, "false") ||
	    !strcmp(dsl, "0"))
		one->is_dsl = 0;
	else if (!strcasecmp(dsl, "yes") || !strcasecmp(dsl, "y") ||
	    !strcasecmp(dsl, "true") || !strcmp(dsl, "1"))
		one->is_dsl = 1;
	else
		staff_problem(errors, line, "is_dsl", "Enter yes or no.");

	if (v[COL_MANAGER_EMAIL][0] != '\0' &&
	    !staff_email(v[COL_MANAGER_EMAIL], one->manager_email))
		staff_problem(errors, line, "manager_email",
		    "Enter an e-mail address like name@example.org, "
		    "or leave it empty.");
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
