/*
 * history: a board's attendance history from its old booking database,
 * uploaded as CSV (HISTORY_HEADER), checked row by row and turned into
 * the lines of the COPY that db_history imports them with. Kore-free.
 */
#ifndef PORTAL_HISTORY_H
#define PORTAL_HISTORY_H

#include <stddef.h>

#include <cjson/cJSON.h>


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
 * The rows in PostgreSQL's COPY text format, one line a row, its fields
 * in the order of enum history_col, ready for COPY ... FROM STDIN.
 * Course codes are upper-cased, e-mail addresses lower-cased.
 * history_free() releases.
 */
struct history {
	char	*copy;
	size_t	 len;
	size_t	 rows;
};

int	history_read(const void *, size_t, const char *, struct history *,
	    cJSON *);
void	history_free(struct history *);

#endif /* !PORTAL_HISTORY_H */
