/*
 * history: a board's attendance history from its old booking database,
 * uploaded as CSV (HISTORY_HEADER), checked row by row and turned into
 * the column arrays that db_history imports in one statement. Kore-free.
 */
#ifndef PORTAL_HISTORY_H
#define PORTAL_HISTORY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "csv.h"

/* The columns of the history file, in the order of its header. */
#define HISTORY_HEADER "session_date,course_code,course_title,format," \
    "group_level,agency,full_name,email,status"

/* The most rows one upload may hold. */
#define HISTORY_MAX	100000

/* The most row problems reported (the file may hold 100,000). */
#define HISTORY_MAX_PROBLEMS	100

enum history_col {
	HISTORY_SESSION_DATE,
	HISTORY_COURSE_CODE,
	HISTORY_COURSE_TITLE,
	HISTORY_FORMAT,
	HISTORY_GROUP_LEVEL,
	HISTORY_AGENCY,
	HISTORY_FULL_NAME,
	HISTORY_EMAIL,
	HISTORY_STATUS,
	HISTORY_LINE,			/* the line in the file, from 1 */
	HISTORY__MAX
};

/*
 * The rows as PostgreSQL array literals, one a column ("{...}"), each
 * with one element a row, ready for unnest($n::text[]). Course codes are
 * upper-cased, e-mail addresses lower-cased. history_free() releases.
 */
struct history {
	char	*column[HISTORY__MAX];
	size_t	 rows;
};

int	history_read(const struct csv_table *, const char *,
	    struct history *, cJSON *);
void	history_free(struct history *);

#endif /* !PORTAL_HISTORY_H */
