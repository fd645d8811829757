/*
 * copytext: rows in PostgreSQL's COPY text format (tab-separated, one
 * line a row, NULL as \N), built in memory for COPY ... FROM STDIN.
 * Kore-free.
 */
#ifndef PORTAL_COPYTEXT_H
#define PORTAL_COPYTEXT_H

#include <stddef.h>

/* How copytext_field_as() writes a field's letters. */
enum copytext_case {
	COPYTEXT_AS_IS,
	COPYTEXT_UPPER,			/* ASCII letters upper-cased */
	COPYTEXT_LOWER			/* ASCII letters lower-cased */
};

/*
 * The rows so far: `data` holds `len` bytes (NUL-terminated, NULL
 * before the first field), `rows` whole lines. `failed` once memory ran
 * out (everything after is dropped). copytext_free() releases.
 */
struct copytext {
	char	*data;
	size_t	 len, cap;
	size_t	 rows;
	int	 failed;
	int	 fields;		/* in the row being written */
};

void	copytext_init(struct copytext *);
void	copytext_field(struct copytext *, const char *);
void	copytext_field_as(struct copytext *, const char *,
	    enum copytext_case);
void	copytext_number(struct copytext *, long long);
void	copytext_end_row(struct copytext *);
void	copytext_free(struct copytext *);

#endif /* !PORTAL_COPYTEXT_H */
