/*
 * staff: a setting's staff list as uploaded (CSV), checked row by row
 * before anything is applied. Kore-free.
 */
#ifndef PORTAL_STAFF_H
#define PORTAL_STAFF_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "copytext.h"
#include "csv.h"

/* The columns of the staff list, in the order of its header. */
#define STAFF_HEADER \
    "full_name,email,job_title,group_level,is_dsl,manager_email"

/* The most rows one upload may hold. */
#define STAFF_MAX	5000

/* The columns' names as people write them: "Full name" .. "Manager email". */
#define STAFF_COLUMNS	6
extern const char *const staff_names[STAFF_COLUMNS];

struct staff_member {
	const char	*full_name;
	char		 email[255];		/* lowercased */
	const char	*job_title;
	const char	*group_level;
	int		 is_dsl;
	char		 manager_email[255];	/* lowercased, "" for none */
	size_t		 line;			/* in the file, from 1 */
};

/*
 * The columns of the COPY text rows staff_copy() writes, in their order:
 * the COPY into db_staff.c's staff_in names them so.
 */
#define STAFF_COPY_COLUMNS \
    "line, full_name, email, job_title, group_level, is_dsl, manager_email"

void	staff_problem(cJSON *, size_t, const char *, const char *);
void	staff_columns(const struct csv_row *, const char *const *,
	    const char *const *, size_t, unsigned int, int *, cJSON *);
int	staff_read(const void *, size_t, struct copytext *, size_t *,
	    cJSON *);
int	staff_copy(const struct staff_member *, size_t, struct copytext *);

#endif /* !PORTAL_STAFF_H */
