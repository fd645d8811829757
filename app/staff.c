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

/*
 * An upload being read, a row at a time (csv_read()'s callback): the
 * members go into the caller's COPY text as each is read, and the only
 * thing kept of a row is its e-mail address, so that none is taken twice.
 */
struct staff_reader {
	int		 at[COL__MAX];	/* each column's place in a row */
	cJSON		*errors;	/* the caller's */
	struct copytext	*copy;		/* the caller's */
	size_t		 n;		/* members read */
	char		*emails;	/* each address, NUL after each */
	size_t		 emails_len, emails_cap;
	size_t		*seen;		/* 1 + where an address starts in
					 * `emails`, by its hash; 0 free */
	size_t		 seen_cap;	/* a power of two, over twice the
					 * rows: never full */
	int		 header_seen;
	int		 failed;	/* memory ran out */
};

static int	staff_email(const char *, char *);
static int	staff_reader_row(const struct csv_row *, size_t, size_t,
		    void *);
static int	staff_header(struct staff_reader *, const struct csv_row *,
		    size_t);
static int	staff_seen(struct staff_reader *, const char *);
static void	staff_member_read(const char *[COL__MAX], size_t,
		    struct staff_member *, struct staff_reader *);

/*
 * Read the staff list of the `len` bytes of CSV `buf`, a row at a time,
 * into `out` (the caller's, from copytext_init(); copytext_free()
 * releases) as rows of COPY text (STAFF_COPY_COLUMNS), `*n` members.
 * Problems go into the array `errors`, the file's own (not CSV, not
 * UTF-8, too large, no header) on line 1. Returns 0 when there are none,
 * -1 otherwise (`out` is then not to be used).
 */
int
staff_read(const void *buf, size_t len, struct copytext *out, size_t *n,
    cJSON *errors)
{
	struct staff_reader	r;
	char			err[256];

	memset(&r, 0, sizeof(r));
	r.errors = errors;
	r.copy = out;
	if (csv_read(buf, len, staff_reader_row, &r, err, sizeof(err)) == -1 &&
	    err[0] != '\0')
		staff_problem(errors, 1, "file", err);
	else if (!r.header_seen)
		staff_problem(errors, 1, "file", "The file is empty: it needs "
		    "the header " STAFF_HEADER ".");
	else if ((r.failed || out->failed) && cJSON_GetArraySize(errors) == 0)
		staff_problem(errors, 1, "file", "Out of memory.");
	*n = r.n;
	free(r.emails);
	free(r.seen);
	return (cJSON_GetArraySize(errors) > 0 ? -1 : 0);
}

/*
 * csv_read()'s callback: row `line` of `rows` (`arg` a struct
 * staff_reader). The first is the header; each after it a member, every
 * problem of each named, written to the COPY text while the file has
 * none. Returns 0, or -1 to stop (a wrong header, memory).
 */
static int
staff_reader_row(const struct csv_row *row, size_t line, size_t rows,
    void *arg)
{
	struct staff_reader	*r = arg;
	struct staff_member	 one;
	const char		*v[COL__MAX];
	size_t			 k;

	if (line == 1)
		return (staff_header(r, row, rows));
	for (k = 0; k < COL__MAX; k++)
		v[k] = (size_t)r->at[k] < row->n ? row->fields[r->at[k]] : "";
	staff_member_read(v, line, &one, r);
	r->n++;
	/* No problem so far (in constant time: a list may hold thousands). */
	if (r->errors->child == NULL)
		(void)staff_copy(&one, 1, r->copy);
	return (r->failed || r->copy->failed ? -1 : 0);
}

/*
 * The header `row` of a file of `rows` rows: where each column is, and
 * room to remember the addresses. Returns 0, or -1 (its problems noted,
 * or memory) to stop.
 */
static int
staff_header(struct staff_reader *r, const struct csv_row *row, size_t rows)
{
	r->header_seen = 1;
	staff_columns(row, staff_cols, staff_names, COL__MAX, 0, r->at,
	    r->errors);
	if (rows > STAFF_MAX + 1)
		staff_problem(r->errors, 1, "file", "At most 5000 members of "
		    "staff can be sent at once.");
	if (cJSON_GetArraySize(r->errors) > 0)
		return (-1);
	for (r->seen_cap = 16; r->seen_cap < 2 * rows; r->seen_cap *= 2)
		;
	if ((r->seen = calloc(r->seen_cap, sizeof(*r->seen))) == NULL) {
		r->failed = 1;
		return (-1);
	}
	return (0);
}

/*
 * Whether the address `email` was on an earlier line (1); if not (0), it
 * is remembered. -1 when memory ran out.
 */
static int
staff_seen(struct staff_reader *r, const char *email)
{
	const unsigned char	*c;
	unsigned long long	 h;
	size_t			 i, len, cap;
	char			*grown;

	h = 14695981039346656037ULL;		/* FNV-1a */
	for (c = (const unsigned char *)email; *c != '\0'; c++)
		h = (h ^ *c) * 1099511628211ULL;
	for (i = h & (r->seen_cap - 1); r->seen[i] != 0;
	    i = (i + 1) & (r->seen_cap - 1)) {
		if (strcmp(r->emails + r->seen[i] - 1, email) == 0)
			return (1);
	}
	len = strlen(email) + 1;
	if (r->emails_len + len > r->emails_cap) {
		cap = r->emails_cap ? r->emails_cap : 4096;
		while (cap < r->emails_len + len)
			cap *= 2;
		if ((grown = realloc(r->emails, cap)) == NULL)
			return (-1);
		r->emails = grown;
		r->emails_cap = cap;
	}
	memcpy(r->emails + r->emails_len, email, len);
	r->seen[i] = r->emails_len + 1;
	r->emails_len += len;
	return (0);
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
 * The member of line `line`, its values `v` by column, into `*one` (its
 * strings are the row's); each problem in r->errors, an address on an
 * earlier line too among them.
 */
static void
staff_member_read(const char *v[COL__MAX], size_t line,
    struct staff_member *one, struct staff_reader *r)
{
	cJSON		*errors = r->errors;
	const char	*dsl;
	size_t		 chars;

	memset(one, 0, sizeof(*one));
	one->line = line;
	chars = text_utf8_length(v[COL_FULL_NAME]);
	if (chars == 0 || chars > 200 || !text_is_clean(v[COL_FULL_NAME]))
		staff_problem(errors, line, "full_name", "Enter the "
		    "person's name (200 characters at most).");
	one->full_name = v[COL_FULL_NAME];

	if (!staff_email(v[COL_EMAIL], one->email))
		staff_problem(errors, line, "email", "Enter an "
		    "e-mail address like name@example.org.");
	else {
		switch (staff_seen(r, one->email)) {
		case 1:
			staff_problem(errors, line, "email",
			    "This e-mail address is on an earlier line too.");
			break;
		case -1:
			r->failed = 1;
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
