/*
 * csv: reading CSV uploads (through libcsv) a row at a time, and
 * writing RFC 4180 CSV exports that a spreadsheet will not run as
 * formulas. Kore-free.
 */
#ifndef PORTAL_CSV_H
#define PORTAL_CSV_H

#include <stddef.h>

struct csv_row {
	char	**fields;
	size_t	  n;
};

struct csv_out {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 row_started;
};

int	csv_read(const void *, size_t, int (*)(const struct csv_row *,
	    size_t, size_t, void *), void *, char *, size_t);

void	csv_out_init(struct csv_out *);
int	csv_out_field(struct csv_out *, const char *, int);
int	csv_out_end_row(struct csv_out *);
void	csv_out_free(struct csv_out *);

/* A report's CSV, for people with a spreadsheet (see csv.c). */
int	csv_out_report(struct csv_out *, const char *const *);
int	csv_out_count(struct csv_out *, double);
int	csv_out_percent(struct csv_out *, double);
int	csv_out_decimal(struct csv_out *, double, int);
int	csv_out_date(struct csv_out *, const char *);

#endif /* !PORTAL_CSV_H */
