/*
 * migrate: apply the numbered migrations of sql/migrations in order, each
 * in its own transaction and recorded in schema_migrations, under an
 * advisory lock so that two nodes starting together do not race; and run
 * the demo data generator once.
 */
#include <sys/types.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"

/* pg_advisory_lock key: "portal" in ASCII. */
#define MIGRATE_LOCK	"112111114116097108"

struct migration {
	int	 version;
	char	*name;
};

static int	 migrate_exec(PGconn *, const char *);
static char	*migrate_read(const char *);
static int	 migrate_list(const char *, struct migration **, size_t *);
static int	 migrate_cmp(const void *, const void *);

static const char migrate_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now());"
    "COMMENT ON TABLE schema_migrations IS"
    " 'Migrations applied to this database, by portalctl migrate.';"
    "COMMENT ON COLUMN schema_migrations.version IS"
    " 'The number a migration file name starts with.';"
    "COMMENT ON COLUMN schema_migrations.name IS"
    " 'The migration file''s name. [not personal]';"
    "COMMENT ON COLUMN schema_migrations.applied_at IS"
    " 'When it was applied.';";

/*
 * The highest migration applied, 0 for a database without any, -1 when
 * it cannot be read.
 */
int
migrate_version(PGconn *conn)
{
	PGresult	*res;
	int		 v;

	res = PQexec(conn, "SELECT CASE WHEN to_regclass('schema_migrations')"
	    " IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0)"
	    " FROM schema_migrations) END");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return (v);
}

/*
 * Apply every migration in `dir` newer than the database's version.
 * `*applied` counts those applied. Returns 0, or -1 with the reason on
 * standard error (the failed migration is rolled back whole).
 */
int
migrate_apply(PGconn *conn, const char *dir, int *applied)
{
	struct migration	*list;
	size_t			 n, i;
	char			 path[4096], version[16];
	char			*sql;
	const char		*params[2];
	PGresult		*res;
	int			 ret, current;

	*applied = 0;
	list = NULL;
	n = 0;
	ret = -1;
	if (migrate_exec(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")"))
		return (-1);
	if (migrate_exec(conn, migrate_table) == -1)
		goto out;
	if ((current = migrate_version(conn)) == -1)
		goto out;
	if (migrate_list(dir, &list, &n) == -1)
		goto out;
	for (i = 1; i < n; i++) {
		if (list[i].version == list[i - 1].version) {
			fprintf(stderr, "portalctl: two migrations numbered "
			    "%d\n", list[i].version);
			goto out;
		}
	}

	for (i = 0; i < n; i++) {
		if (list[i].version <= current)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, list[i].name);
		if ((sql = migrate_read(path)) == NULL)
			goto out;
		if (migrate_exec(conn, "BEGIN") == -1) {
			free(sql);
			goto out;
		}
		if (migrate_exec(conn, sql) == -1) {
			fprintf(stderr, "portalctl: migration %s failed\n",
			    list[i].name);
			free(sql);
			PQclear(PQexec(conn, "ROLLBACK"));
			goto out;
		}
		free(sql);
		snprintf(version, sizeof(version), "%d", list[i].version);
		params[0] = version;
		params[1] = list[i].name;
		res = PQexecParams(conn, "INSERT INTO schema_migrations "
		    "(version, name) VALUES ($1, $2)", 2, NULL, params, NULL,
		    NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
			PQclear(res);
			PQclear(PQexec(conn, "ROLLBACK"));
			goto out;
		}
		PQclear(res);
		if (migrate_exec(conn, "COMMIT") == -1)
			goto out;
		(*applied)++;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	PQclear(PQexec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")"));
	return (ret);
}

/*
 * Run the demo data generators of `dir` (NN_name.sql, in number order: the
 * programme first, then each feature's data built on it) at `scale`, with
 * accounts whose password hash is `hash`, all in one transaction. Returns
 * 1 when loaded, 0 when the database already holds agencies (nothing
 * done), -1 on error.
 */
int
migrate_load_demo(PGconn *conn, const char *dir, int scale,
    const char *hash)
{
	PGresult		*res;
	struct migration	*list;
	char			*sql, s[16], path[4096];
	const char		*params[2];
	size_t			 i, n;
	int			 ret;

	res = PQexec(conn, "SELECT EXISTS (SELECT 1 FROM agencies)");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	ret = PQgetvalue(res, 0, 0)[0] == 't' ? 0 : 1;
	PQclear(res);
	if (ret == 0)
		return (0);

	list = NULL;
	n = 0;
	ret = -1;
	if (migrate_list(dir, &list, &n) == -1)
		goto out;
	if (n == 0) {
		fprintf(stderr, "portalctl: no demo generator in %s\n", dir);
		goto out;
	}
	if (migrate_exec(conn, "BEGIN") == -1)
		goto out;
	snprintf(s, sizeof(s), "%d", scale);
	params[0] = s;
	params[1] = hash;
	res = PQexecParams(conn, "SELECT set_config('portal.demo_scale', $1, "
	    "true), set_config('portal.demo_password_hash', $2, true)", 2,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i].name);
		if ((sql = migrate_read(path)) == NULL)
			goto rollback;
		if (migrate_exec(conn, sql) == -1) {
			fprintf(stderr, "portalctl: in %s\n", path);
			free(sql);
			goto rollback;
		}
		free(sql);
	}
	if (migrate_exec(conn, "COMMIT") == -1)
		goto rollback;
	ret = 1;
	goto out;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
out:
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	return (ret);
}

/* Run `sql` (one or more statements). 0, or -1 with the error printed. */
static int
migrate_exec(PGconn *conn, const char *sql)
{
	PGresult	*res;
	int		 st;

	res = PQexec(conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	return (0);
}

/* The whole of a file as a string (caller frees), or NULL. */
static char *
migrate_read(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 len;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "portalctl: cannot open %s\n", path);
		return (NULL);
	}
	buf = NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc(len + 1)) != NULL) {
		if (fread(buf, 1, len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else
			buf[len] = '\0';
	}
	if (buf == NULL)
		fprintf(stderr, "portalctl: cannot read %s\n", path);
	fclose(fp);
	return (buf);
}

/* The migrations in `dir` (NNNN_name.sql), sorted by number. */
static int
migrate_list(const char *dir, struct migration **out, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	struct migration *grown;
	size_t		 len;
	int		 v;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "portalctl: cannot open %s\n", dir);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 4, ".sql") != 0 ||
		    sscanf(de->d_name, "%d_", &v) != 1 || v <= 0)
			continue;
		grown = realloc(*out, (*n + 1) * sizeof(**out));
		if (grown == NULL)
			break;
		*out = grown;
		(*out)[*n].version = v;
		(*out)[*n].name = strdup(de->d_name);
		(*n)++;
	}
	closedir(d);
	qsort(*out, *n, sizeof(**out), migrate_cmp);
	return (0);
}

static int
migrate_cmp(const void *a, const void *b)
{
	return (((const struct migration *)a)->version -
	    ((const struct migration *)b)->version);
}
