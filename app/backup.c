/*
 * backup: a consistent copy of the portal's database that restores.
 *
 * `portalctl backup DIR` opens a read-only REPEATABLE READ transaction,
 * exports its snapshot, counts every table's rows in it, and has pg_dump
 * write the database in its custom format from that same snapshot: the
 * counts are exactly what the dump holds. DIR (made, mode 0700; it must
 * be new or empty) then holds portal.dump and manifest.json: the format,
 * when, the portal's and PostgreSQL's versions, the schema version, the
 * rows of every table and the dump's size and SHA-256. The case notes
 * key is never read here: a backup holds only the notes' ciphertext.
 *
 * `portalctl restore DIR` checks the manifest (its format, a schema
 * version this build knows, the dump's SHA-256), refuses a database that
 * holds any table, has pg_restore load the dump in one transaction, and
 * checks that the schema version and every table's rows are the
 * manifest's.
 *
 * pg_dump and pg_restore get the connection through libpq's environment
 * variables (PGHOST, PGPASSWORD, ...), never on their command line, where
 * any local user could read a password.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "backup.h"
#include "migrate.h"

static int	 backup_dir_ready(const char *);
static int	 backup_run(PGconn *, char *const []);
static int	 backup_sha256(const char *, char *, long long *);
static cJSON	*backup_counts(PGconn *);
static int	 backup_tables(PGconn *);
static int	 backup_write_file(const char *, const char *);
static char	*backup_read_file(const char *);
static PGresult	*backup_query(PGconn *, const char *, ExecStatusType);
static int	 backup_manifest_check(const cJSON *, const char *,
		    const char *, int);
static int	 backup_restored_check(PGconn *, const cJSON *);

/*
 * Write a backup of the database of `conn` into the folder `dir`.
 * Returns 0, or -1 with the reason on standard error (a partial dump is
 * removed).
 */
int
backup_write(PGconn *conn, const char *dir)
{
	PGresult	*res;
	cJSON		*manifest, *tables, *dump;
	char		 dumpfile[PATH_MAX], file[PATH_MAX], snapshot[64];
	char		 hash[crypto_hash_sha256_BYTES * 2 + 1], *text;
	char		*args[8];
	long long	 bytes;
	int		 version, ret, in_tx;

	ret = -1;
	in_tx = 0;
	manifest = NULL;
	text = NULL;
	if (backup_dir_ready(dir) == -1)
		return (-1);
	snprintf(dumpfile, sizeof(dumpfile), "%s/%s", dir, BACKUP_DUMP);
	snprintf(file, sizeof(file), "%s/%s", dir, BACKUP_MANIFEST);

	/* A snapshot held open, and what the manifest says of it: when,
	 * which versions, how many rows in each table. */
	if ((res = backup_query(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, "
	    "READ ONLY", PGRES_COMMAND_OK)) == NULL)
		goto out;
	PQclear(res);
	in_tx = 1;
	if ((res = backup_query(conn, "SELECT pg_export_snapshot(), "
	    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    " current_setting('server_version')", PGRES_TUPLES_OK)) == NULL)
		goto out;
	snprintf(snapshot, sizeof(snapshot), "%s", PQgetvalue(res, 0, 0));
	manifest = cJSON_CreateObject();
	cJSON_AddStringToObject(manifest, "format", BACKUP_FORMAT);
	cJSON_AddStringToObject(manifest, "created_at", PQgetvalue(res, 0, 1));
	cJSON_AddStringToObject(manifest, "portal_version", PORTAL_VERSION);
	cJSON_AddStringToObject(manifest, "postgresql_version",
	    PQgetvalue(res, 0, 2));
	PQclear(res);
	if ((version = migrate_version(conn)) == -1)
		goto out;
	cJSON_AddNumberToObject(manifest, "schema_version", version);
	if ((tables = backup_counts(conn)) == NULL)
		goto out;
	cJSON_AddItemToObject(manifest, "tables", tables);

	/* pg_dump reads from the snapshot this transaction holds open. */
	args[0] = "pg_dump";
	args[1] = "--format=custom";
	args[2] = "--no-password";
	args[3] = "--snapshot";
	args[4] = snapshot;
	args[5] = "--file";
	args[6] = dumpfile;
	args[7] = NULL;
	if (backup_run(conn, args) == -1) {
		(void)unlink(dumpfile);
		goto out;
	}
	PQclear(PQexec(conn, "COMMIT"));
	in_tx = 0;

	/* The dump's size and checksum, and the manifest beside it. */
	if (chmod(dumpfile, 0600) == -1 ||
	    backup_sha256(dumpfile, hash, &bytes) == -1) {
		fprintf(stderr, "portalctl: cannot read %s back\n", dumpfile);
		goto out;
	}
	dump = cJSON_AddObjectToObject(manifest, "dump");
	cJSON_AddStringToObject(dump, "file", BACKUP_DUMP);
	cJSON_AddStringToObject(dump, "format", "pg_dump custom");
	cJSON_AddNumberToObject(dump, "bytes", (double)bytes);
	cJSON_AddStringToObject(dump, "sha256", hash);
	cJSON_AddStringToObject(manifest, "notes_key", "not in this backup: "
	    "the case notes it holds open only with the key of "
	    "PORTAL_NOTES_KEY_FILE, kept apart");
	if ((text = cJSON_Print(manifest)) == NULL ||
	    backup_write_file(file, text) == -1)
		goto out;
	printf("portalctl: backup of schema version %d in %s (%lld bytes, "
	    "sha256 %s)\n", version, dir, bytes, hash);
	ret = 0;
out:
	if (in_tx)
		PQclear(PQexec(conn, "ROLLBACK"));
	free(text);
	cJSON_Delete(manifest);
	return (ret);
}

/*
 * Restore the backup in `dir` into the empty database of `conn`, whose
 * build knows schema versions up to `build_version`. Returns 0, or -1
 * with the reason on standard error (nothing restored when the dump does
 * not load whole).
 */
int
backup_restore(PGconn *conn, const char *dir, int build_version)
{
	cJSON		*manifest;
	const cJSON	*created;
	PGresult	*res;
	char		 dumpfile[PATH_MAX], file[PATH_MAX], *text;
	char		*args[10];
	int		 ret, n, at;

	ret = -1;
	snprintf(file, sizeof(file), "%s/%s", dir, BACKUP_MANIFEST);
	snprintf(dumpfile, sizeof(dumpfile), "%s/%s", dir, BACKUP_DUMP);

	/* The manifest, and the dump it describes, whole. */
	if ((text = backup_read_file(file)) == NULL)
		return (-1);
	manifest = cJSON_Parse(text);
	free(text);
	if (backup_manifest_check(manifest, file, dumpfile, build_version) ==
	    -1)
		goto out;

	/* Only into an empty database. */
	if ((n = backup_tables(conn)) != 0) {
		if (n > 0)
			fprintf(stderr, "portalctl: the database holds %d "
			    "tables: restore only into an empty database\n", n);
		goto out;
	}

	/* The dump, loaded whole or not at all. */
	args[0] = "pg_restore";
	args[1] = "--exit-on-error";
	args[2] = "--single-transaction";
	args[3] = "--no-owner";
	args[4] = "--no-privileges";
	args[5] = "--no-password";
	args[6] = "--dbname";
	args[7] = PQdb(conn);
	args[8] = dumpfile;
	args[9] = NULL;
	if (backup_run(conn, args) == -1)
		goto out;

	/* What came back is what the manifest says went in. */
	if ((at = backup_restored_check(conn, manifest)) == -1)
		goto out;

	/*
	 * Kept report answers name transactions of the cluster the backup
	 * was taken on, which mean nothing here: forget them, and the
	 * reports are gathered afresh on this cluster's transactions.
	 */
	if ((res = backup_query(conn, "DO $$ BEGIN"
	    " IF to_regclass('report_answers') IS NOT NULL THEN"
	    "  TRUNCATE report_answers, report_changes;"
	    " END IF; END $$", PGRES_COMMAND_OK)) == NULL)
		goto out;
	PQclear(res);

	/* What the operator is to do next. */
	printf("portalctl: restored schema version %d, %d tables with the "
	    "rows of the manifest\n", at, cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(manifest, "tables")));
	created = cJSON_GetObjectItemCaseSensitive(manifest, "created_at");
	printf("portalctl: the backup was taken at %s: make again the "
	    "erasures of people made since then, before opening the "
	    "portal\n", cJSON_IsString(created) ? created->valuestring :
	    "(unknown)");
	if (at < build_version)
		printf("portalctl: this build needs schema version %d: run "
		    "`portalctl migrate` before starting the portal\n",
		    build_version);
	ret = 0;
out:
	cJSON_Delete(manifest);
	return (ret);
}

/*
 * Whether `manifest` (read from `file`; NULL when it was not JSON) is a
 * portal backup's, of a schema version up to `build_version`, and the
 * dump in `dumpfile` has the checksum it gives. Returns 0, or -1 with
 * the reason on standard error.
 */
static int
backup_manifest_check(const cJSON *manifest, const char *file,
    const char *dumpfile, int build_version)
{
	const cJSON	*format, *version, *tables, *dump, *sha;
	char		 hash[crypto_hash_sha256_BYTES * 2 + 1];
	long long	 bytes;

	format = cJSON_GetObjectItemCaseSensitive(manifest, "format");
	version = cJSON_GetObjectItemCaseSensitive(manifest, "schema_version");
	tables = cJSON_GetObjectItemCaseSensitive(manifest, "tables");
	dump = cJSON_GetObjectItemCaseSensitive(manifest, "dump");
	sha = cJSON_GetObjectItemCaseSensitive(dump, "sha256");
	if (!cJSON_IsString(format) ||
	    strcmp(format->valuestring, BACKUP_FORMAT) != 0 ||
	    !cJSON_IsNumber(version) || !cJSON_IsObject(tables) ||
	    !cJSON_IsString(sha)) {
		fprintf(stderr, "portalctl: %s is not a portal backup's "
		    "manifest (%s)\n", file, BACKUP_FORMAT);
		return (-1);
	}
	if (version->valueint > build_version) {
		fprintf(stderr, "portalctl: the backup is of schema version %d, "
		    "newer than this build's %d: restore it with the portal "
		    "that made it\n", version->valueint, build_version);
		return (-1);
	}
	if (backup_sha256(dumpfile, hash, &bytes) == -1)
		return (-1);
	if (strcmp(hash, sha->valuestring) != 0) {
		fprintf(stderr, "portalctl: %s does not match its manifest "
		    "(sha256 %s, expected %s): the backup is damaged\n",
		    dumpfile, hash, sha->valuestring);
		return (-1);
	}
	return (0);
}

/*
 * Whether the database of `conn`, just restored, holds the schema
 * version and each table's count of rows that `manifest` gives.
 * Returns the schema version, or -1 with the reason on standard error.
 */
static int
backup_restored_check(PGconn *conn, const cJSON *manifest)
{
	const cJSON	*version, *t, *v;
	cJSON		*now;
	int		 at;

	version = cJSON_GetObjectItemCaseSensitive(manifest, "schema_version");
	if ((at = migrate_version(conn)) != version->valueint) {
		fprintf(stderr, "portalctl: restored schema version %d, the "
		    "manifest says %d\n", at, version->valueint);
		return (-1);
	}
	if ((now = backup_counts(conn)) == NULL)
		return (-1);
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(manifest,
	    "tables")) {
		v = cJSON_GetObjectItemCaseSensitive(now, t->string);
		if (!cJSON_IsNumber(v) || v->valuedouble != t->valuedouble) {
			fprintf(stderr, "portalctl: table %s restored with %.0f "
			    "rows, the manifest says %.0f\n", t->string,
			    cJSON_IsNumber(v) ? v->valuedouble : -1.0,
			    t->valuedouble);
			cJSON_Delete(now);
			return (-1);
		}
	}
	cJSON_Delete(now);
	return (at);
}

/* `dir` made (mode 0700) or found empty. 0, or -1 said why. */
static int
backup_dir_ready(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 empty;

	if (mkdir(dir, 0700) == 0)
		return (0);
	if (errno != EEXIST || (d = opendir(dir)) == NULL) {
		fprintf(stderr, "portalctl: cannot make %s: %s\n", dir,
		    strerror(errno));
		return (-1);
	}
	empty = 1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	if (!empty) {
		fprintf(stderr, "portalctl: %s is not empty: a backup goes into "
		    "a new folder\n", dir);
		return (-1);
	}
	return (0);
}

/*
 * Run the PostgreSQL tool `args` against the database of `conn`, which it
 * reaches through libpq's environment variables. 0 when it exits 0,
 * else -1.
 */
static int
backup_run(PGconn *conn, char *const args[])
{
	PQconninfoOption	*opts, *o;
	pid_t			 pid;
	int			 status;

	if ((opts = PQconninfo(conn)) == NULL) {
		fprintf(stderr, "portalctl: out of memory\n");
		return (-1);
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		perror("portalctl: fork");
		PQconninfoFree(opts);
		return (-1);
	}
	if (pid == 0) {
		for (o = opts; o->keyword != NULL; o++)
			if (o->envvar != NULL && o->val != NULL && *o->val != '\0')
				setenv(o->envvar, o->val, 1);
		execvp(args[0], args);
		fprintf(stderr, "portalctl: cannot run %s: %s\n", args[0],
		    strerror(errno));
		_exit(127);
	}
	PQconninfoFree(opts);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			perror("portalctl: waitpid");
			return (-1);
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "portalctl: %s failed\n", args[0]);
		return (-1);
	}
	return (0);
}

/* The SHA-256 of `path` in hex into `hex`, its size into `*bytes`. */
static int
backup_sha256(const char *path, char *hex, long long *bytes)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 buf[65536];
	unsigned char			 out[crypto_hash_sha256_BYTES];
	FILE				*fp;
	size_t				 n;
	int				 ret;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "portalctl: cannot open %s: %s\n", path,
		    strerror(errno));
		return (-1);
	}
	*bytes = 0;
	crypto_hash_sha256_init(&st);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		crypto_hash_sha256_update(&st, buf, n);
		*bytes += (long long)n;
	}
	ret = ferror(fp) ? -1 : 0;
	fclose(fp);
	if (ret == -1) {
		fprintf(stderr, "portalctl: cannot read %s\n", path);
		return (-1);
	}
	crypto_hash_sha256_final(&st, out);
	sodium_bin2hex(hex, crypto_hash_sha256_BYTES * 2 + 1, out, sizeof(out));
	return (0);
}

/*
 * {"table": rows, ...} for every table of the schema public, in the
 * transaction `conn` is in (caller frees with cJSON_Delete), or NULL.
 */
static cJSON *
backup_counts(PGconn *conn)
{
	PGresult	*res;
	cJSON		*out;
	char		*count_sql;
	int		 i;

	/* The query is built by the database from its own catalogue. */
	res = backup_query(conn, "SELECT coalesce(string_agg(format("
	    "'SELECT %L, count(*) FROM public.%I', c.relname, c.relname), "
	    "' UNION ALL ' ORDER BY c.relname), 'SELECT NULL, 0 WHERE false')"
	    "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
	    PGRES_TUPLES_OK);
	if (res == NULL)
		return (NULL);
	count_sql = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (count_sql == NULL)
		return (NULL);
	res = backup_query(conn, count_sql, PGRES_TUPLES_OK);
	free(count_sql);
	if (res == NULL)
		return (NULL);
	out = cJSON_CreateObject();
	for (i = 0; i < PQntuples(res); i++)
		cJSON_AddNumberToObject(out, PQgetvalue(res, i, 0),
		    strtod(PQgetvalue(res, i, 1), NULL));
	PQclear(res);
	return (out);
}

/* Tables, views and sequences of the database outside PostgreSQL's own
 * schemas: 0 for an empty database, -1 when it cannot be read. */
static int
backup_tables(PGconn *conn)
{
	PGresult	*res;
	int		 n;

	if ((res = backup_query(conn, "SELECT count(*) FROM pg_class c"
	    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
	    "   AND n.nspname NOT LIKE 'pg\\_toast%'"
	    "   AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
	    PGRES_TUPLES_OK)) == NULL)
		return (-1);
	n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return (n);
}

/* Run `sql`; the result when its status is `want` (caller clears). */
static PGresult *
backup_query(PGconn *conn, const char *sql, ExecStatusType want)
{
	PGresult	*res;

	res = PQexec(conn, sql);
	if (PQresultStatus(res) != want) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (NULL);
	}
	return (res);
}

/* Write `text` to `path` (mode 0600) through a temporary file. */
static int
backup_write_file(const char *path, const char *text)
{
	char	tmp[PATH_MAX + 8];
	FILE	*fp;
	int	fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "portalctl: cannot write %s: %s\n", tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	ok = fputs(text, fp) != EOF && fputc('\n', fp) != EOF &&
	    fflush(fp) == 0 && fsync(fd) == 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) == -1) {
		fprintf(stderr, "portalctl: cannot write %s\n", path);
		(void)unlink(tmp);
		return (-1);
	}
	return (0);
}

/* The whole of `path` as a string (caller frees), or NULL said why. */
static char *
backup_read_file(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 len;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "portalctl: cannot open %s: %s\n", path,
		    strerror(errno));
		return (NULL);
	}
	buf = NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    len < 16 * 1024 * 1024 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc(len + 1)) != NULL) {
		if (fread(buf, 1, len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else
			buf[len] = '\0';
	}
	fclose(fp);
	if (buf == NULL)
		fprintf(stderr, "portalctl: cannot read %s\n", path);
	return (buf);
}
