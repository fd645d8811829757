/*
 * training: imported training records (training the portal did not run)
 * as a setting uploads them (CSV), checked row by row before anything is
 * applied. Kore-free.
 */
#ifndef PORTAL_TRAINING_H
#define PORTAL_TRAINING_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "copytext.h"
#include "csv.h"

/* The columns of an import, in the order of its header. */
#define TRAINING_HEADER \
    "email,course_title,completed_on,group_level,provider,hours"

/* The most rows one upload may hold. */
#define TRAINING_MAX	10000

/* One record, while it is checked. */
struct training_record {
	char		 email[255];		/* lowercased */
	const char	*course_title;
	const char	*completed_on;		/* YYYY-MM-DD, NULL when wrong */
	const char	*group_level;
	const char	*provider;
	const char	*hours;			/* NULL when not given */
	size_t		 line;			/* in the file, from 1 */
};

/*
 * The columns of the COPY text rows training_reader_row() writes, in
 * their order: the COPY into db_training.c's training_in names them so.
 */
#define TRAINING_COPY_COLUMNS \
    "line, email, title, completed_on, level, provider, hours"

/*
 * An upload being read, a row at a time (csv_read()'s callback). Its
 * records for the database are rows of COPY's text format in `copy`
 * (TRAINING_COPY_COLUMNS).
 */
struct training_reader {
	int		 at[8];		/* each column's place, -1 none */
	cJSON		*errors;	/* the caller's */
	struct copytext	 copy;		/* the records for the database */
	size_t		 n;		/* records read */
	int		 header_seen, header_failed;
};

void	training_reader_init(struct training_reader *, cJSON *);
int	training_reader_row(const struct csv_row *, size_t, size_t, void *);
int	training_reader_end(struct training_reader *);
void	training_reader_free(struct training_reader *);

#endif /* !PORTAL_TRAINING_H */
