/*
 * db: the portal's connection to PostgreSQL through Kore's pool, for the
 * db_<entity>.c files. Statements are parameterised, always.
 */
#ifndef PORTAL_DB_H
#define PORTAL_DB_H

#include <kore/kore.h>
#include <kore/pgsql.h>

#include <cjson/cJSON.h>

#include "db_status.h"

/* How a result column becomes JSON, for db_rows_json(). */
enum db_type {
	DB_TEXT,		/* string */
	DB_INT,			/* number */
	DB_BOOL,		/* true / false */
	DB_JSON			/* JSON text from the query, embedded as is */
};

struct db_column {
	const char	*name;
	enum db_type	 type;
};

struct db {
	struct kore_pgsql	sql;
	PGconn			*own;	/* a thread's own (db_thread_begin) */
	int			open;
	int			in_tx;
};

void		 db_init(const char *);
int		 db_schema_version(const char *, int *, char *, size_t);
enum db_status	 db_open(struct db *);
void		 db_init_reports(const char *);
enum db_status	 db_open_reports(struct db *);
enum db_status	 db_exec(struct db *, const char *, int, const char *const *);
enum db_status	 db_replace_members(struct db *, const char *, const char *,
		    const char *, const char *);
enum db_status	 db_copy(struct db *, const char *, const char *, size_t);
enum db_status	 db_begin(struct db *);
enum db_status	 db_commit(struct db *);
enum db_status	 db_rollback(struct db *);
void		 db_close(struct db *);
int		 db_rows(struct db *);
const char	*db_value(struct db *, int, int);
int		 db_isnull(struct db *, int, int);
const char	*db_constraint(struct db *);
long long	 db_int(struct db *, int, int);
cJSON		*db_rows_json(struct db *, int, const struct db_column *,
		    int);
enum db_status	 db_json(const char *, int, const char *const *, cJSON **);
enum db_status	 db_thread_begin(const char *, const char *);
void		 db_thread_end(void);
enum db_status	 db_report_json(const char *, int, const char *const *,
		    cJSON **);

#endif /* !PORTAL_DB_H */
