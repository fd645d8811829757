/*
 * training: imported training records (training the portal did not run)
 * as a setting uploads them (CSV), checked row by row before anything is
 * applied. Kore-free.
 */
#ifndef PORTAL_TRAINING_H
#define PORTAL_TRAINING_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "csv.h"

/* The columns of an import, in the order of its header. */
#define TRAINING_HEADER \
    "email,course_title,completed_on,group_level,provider,hours"

/* The most rows one upload may hold. */
#define TRAINING_MAX	10000

struct training_record {
	char		 email[255];		/* lowercased */
	const char	*course_title;
	const char	*completed_on;		/* YYYY-MM-DD, NULL when wrong */
	const char	*group_level;
	const char	*provider;
	const char	*hours;			/* NULL when not given */
	size_t		 line;			/* in the file, from 1 */
};

int	training_read(const struct csv_table *, struct training_record **,
	    size_t *, cJSON *);

#endif /* !PORTAL_TRAINING_H */
