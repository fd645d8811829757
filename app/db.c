/*
 * db: a thin layer over Kore's synchronous pgsql pool.
 *
 * Two things Kore 4.1 leaves to the application (ARCHITECTURE.md, Kore): a pooled
 * connection that died with a PostgreSQL restart stays dead, so a failed
 * statement on a broken connection resets it and, outside a transaction,
 * runs once more; and a connection must never go back to the pool inside
 * an open transaction, so db_close() rolls back what was not committed.
 *
 * A thread that gathers a report (report_task.c) has no business with
 * Kore's pool, which belongs to the worker's event loop: between
 * db_thread_begin() and db_thread_end() every db_* call of that thread
 * runs on the thread's own libpq connections instead (one to the primary,
 * one to the reports' database when that is another), the same code on
 * either side.
 */
#include <kore/kore.h>
#include <kore/pgsql.h>

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_copy.h"
#include "sqlstate.h"

#define DB_NAME		"db"
#define DB_REPORTS	"reports"
/* A report statement's time limit (a request's is 5 s: app/init.c). */
#define DB_REPORT_TIMEOUT	"30s"

/* The pool reports read from: the replica's when there is one. */
static const char	*db_reports_pool = DB_NAME;

/* A gathering thread's own connections (NULL: Kore's pool, as usual). */
struct db_thread {
	PGconn		*primary;
	PGconn		*reports;	/* == primary without a replica */
};
static __thread struct db_thread	*db_thread;

static enum db_status	db_status_of(struct db *);
static enum db_status	db_open_pool(struct db *, const char *);
static enum db_status	db_json_on(struct db *, const char *, int,
			    const char *const *, cJSON **);
static int		db_broken(struct db *);
static PGconn		*db_conn(struct db *);
static enum db_status	db_open_own(struct db *, PGconn *);
static void		db_give_way(PGconn *);
static enum db_status	db_end(struct db *, const char *);

/*
 * Register the database with Kore's pool. Kore keeps the registration
 * across a module reload (SIGHUP), when registering again fails: that is
 * fine, the connection string comes from the same environment.
 */
void
db_init(const char *conninfo)
{
	(void)kore_pgsql_register(DB_NAME, conninfo);
}

/*
 * Connect once with libpq directly (at start-up, before serving) and read
 * the schema version the migrations reached into `*version`. Returns 0, or
 * -1 with a message in `err`.
 */
int
db_schema_version(const char *conninfo, int *version, char *err,
    size_t errlen)
{
	PGconn		*conn;
	PGresult	*res;
	int		 ret;

	ret = -1;
	res = NULL;
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot reach the database: %s",
		    PQerrorMessage(conn));
		goto out;
	}
	res = PQexec(conn, "SELECT coalesce(max(version), 0) "
	    "FROM schema_migrations");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "the database has no schema "
		    "(run portalctl migrate): %s", PQerrorMessage(conn));
		goto out;
	}
	*version = atoi(PQgetvalue(res, 0, 0));
	ret = 0;
out:
	PQclear(res);
	PQfinish(conn);
	return (ret);
}

/*
 * Register the read replica the reports read from (PORTAL_REPORTS_
 * DATABASE_URL); without it, they read the primary.
 */
void
db_init_reports(const char *conninfo)
{
	(void)kore_pgsql_register(DB_REPORTS, conninfo);
	db_reports_pool = DB_REPORTS;
}

/* Take a connection from the pool: DB_OK or DB_UNAVAILABLE. */
enum db_status
db_open(struct db *db)
{
	if (db_thread != NULL)
		return (db_open_own(db, db_thread->primary));
	return (db_open_pool(db, DB_NAME));
}

/* Take a connection from the reports' pool (see db_init_reports()). */
enum db_status
db_open_reports(struct db *db)
{
	if (db_thread != NULL)
		return (db_open_own(db, db_thread->reports));
	return (db_open_pool(db, db_reports_pool));
}

/* A thread's own connection `conn`, as db_open() would give one. */
static enum db_status
db_open_own(struct db *db, PGconn *conn)
{
	memset(db, 0, sizeof(*db));
	if (conn == NULL || (PQstatus(conn) != CONNECTION_OK &&
	    (PQreset(conn), PQstatus(conn) != CONNECTION_OK)))
		return (DB_UNAVAILABLE);
	db->own = conn;
	db->open = 1;
	return (DB_OK);
}

/*
 * From now on this thread's db_* calls run on connections of its own to
 * `primary` and, when it is another (a replica), `reports` (NULL: the
 * primary), opened here. Kore-free: for a thread that is not the worker's,
 * whose work is background work: its backends give way to the requests'
 * on busy cores (backend_give_way(), migration 29).
 * Returns DB_OK, or DB_UNAVAILABLE (nothing to end then).
 */
enum db_status
db_thread_begin(const char *primary, const char *reports)
{
	struct db_thread	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (DB_ERR);
	t->primary = PQconnectdb(primary);
	if (PQstatus(t->primary) != CONNECTION_OK)
		goto fail;
	if (reports == NULL || *reports == '\0' || strcmp(reports, primary) == 0)
		t->reports = t->primary;
	else {
		t->reports = PQconnectdb(reports);
		if (PQstatus(t->reports) != CONNECTION_OK)
			goto fail;
	}
	db_give_way(t->primary);
	if (t->reports != t->primary)
		db_give_way(t->reports);
	db_thread = t;
	return (DB_OK);
fail:
	if (t->reports != NULL && t->reports != t->primary)
		PQfinish(t->reports);
	PQfinish(t->primary);
	free(t);
	return (DB_UNAVAILABLE);
}

/*
 * Ask `conn`'s backend to give way to the others on busy cores: the least
 * CPU priority, and no parallel workers (which would run at their own).
 * Where the database cannot (backend_give_way() says false, or is not
 * there), the work competes as an equal: nothing fails for it.
 */
static void
db_give_way(PGconn *conn)
{
	PQclear(PQexec(conn, "SELECT backend_give_way()"));
}

/* Close this thread's own connections (db_thread_begin()). */
void
db_thread_end(void)
{
	struct db_thread	*t;

	if ((t = db_thread) == NULL)
		return;
	db_thread = NULL;
	if (t->reports != t->primary)
		PQfinish(t->reports);
	PQfinish(t->primary);
	free(t);
}

static enum db_status
db_open_pool(struct db *db, const char *pool)
{
	db->open = 0;
	db->in_tx = 0;
	db->own = NULL;
	kore_pgsql_init(&db->sql);
	if (!kore_pgsql_setup(&db->sql, pool, KORE_PGSQL_SYNC)) {
		kore_log(LOG_WARNING, "database unavailable");
		kore_pgsql_cleanup(&db->sql);
		return (DB_UNAVAILABLE);
	}
	db->open = 1;
	return (DB_OK);
}

/*
 * Run `query` with `n` text parameters (NULL entries are SQL NULL). The
 * result stays in db->sql until the next statement or db_close(). Returns
 * DB_OK or what went wrong; errors are logged without their parameters.
 */
enum db_status
db_exec(struct db *db, const char *query, int n, const char *const *values)
{
	int	attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (db->sql.result != NULL) {
			PQclear(db->sql.result);
			db->sql.result = NULL;
		}
		if (db->own != NULL) {
			db->sql.result = PQexecParams(db->own, query, n, NULL,
			    values, NULL, NULL, 0);
			if (PQresultStatus(db->sql.result) ==
			    PGRES_TUPLES_OK || PQresultStatus(db->sql.result) ==
			    PGRES_COMMAND_OK)
				return (DB_OK);
		} else if (kore_pgsql_query_param_fields(&db->sql, query, 0, n,
		    (const char **)values, NULL, NULL))
			return (DB_OK);
		if (!db_broken(db) || db->in_tx)
			break;
		/* A connection that died with the server: reset, retry. */
		PQreset(db_conn(db));
		if (PQstatus(db_conn(db)) != CONNECTION_OK)
			return (DB_UNAVAILABLE);
	}
	return (db_status_of(db));
}

/*
 * Replace the members `parent` holds in a link table (a session's
 * trainers, a course's levels), in `db`'s transaction: `clear` ($1 the
 * parent) deletes every member it has, then `add` ($1 the parent, $2
 * `members`, an array literal) inserts the new ones, returning a row for
 * each member it took. Returns the db_status; on DB_OK db_rows() counts
 * the members taken, for the caller to compare with those it asked for.
 */
enum db_status
db_replace_members(struct db *db, const char *clear, const char *add,
    const char *parent, const char *members)
{
	const char	*params[2];
	enum db_status	 st;

	params[0] = parent;
	params[1] = members;
	if ((st = db_exec(db, clear, 1, params)) != DB_OK)
		return (st);
	return (db_exec(db, add, 2, params));
}

/*
 * Run `query`, a COPY ... FROM STDIN, sending it the `len` bytes of
 * `data` (rows in COPY's text format: copytext.c) a megabyte at a time.
 * Returns DB_OK or what went wrong, logged as db_exec() logs it.
 */
enum db_status
db_copy(struct db *db, const char *query, const char *data, size_t len)
{
	PGresult	*failed;

	if (db->sql.result != NULL) {
		PQclear(db->sql.result);
		db->sql.result = NULL;
	}
	if (db_copy_in(db_conn(db), query, data, len, &failed) == DB_OK)
		return (DB_OK);
	db->sql.result = failed;
	return (db_status_of(db));
}

/* Open a transaction on `db`. */
enum db_status
db_begin(struct db *db)
{
	enum db_status	st;

	if ((st = db_exec(db, "BEGIN", 0, NULL)) == DB_OK)
		db->in_tx = 1;
	return (st);
}

/* Commit the transaction opened by db_begin(). */
enum db_status
db_commit(struct db *db)
{
	return (db_end(db, "COMMIT"));
}

/* Roll back the transaction opened by db_begin(), keeping the connection. */
enum db_status
db_rollback(struct db *db)
{
	return (db_end(db, "ROLLBACK"));
}

/* End the transaction opened by db_begin() with `how`, COMMIT or ROLLBACK. */
static enum db_status
db_end(struct db *db, const char *how)
{
	enum db_status	st;

	st = db_exec(db, how, 0, NULL);
	db->in_tx = 0;
	return (st);
}

/*
 * Give the connection back: a transaction still open is rolled back, and
 * a connection found broken is reset so that the next request gets a
 * working one once the database is back.
 */
void
db_close(struct db *db)
{
	if (!db->open)
		return;
	if (db->sql.result != NULL) {
		PQclear(db->sql.result);
		db->sql.result = NULL;
	}
	if (db_conn(db) != NULL) {
		if (db_broken(db))
			PQreset(db_conn(db));
		else if (PQtransactionStatus(db_conn(db)) != PQTRANS_IDLE)
			PQclear(PQexec(db_conn(db), "ROLLBACK"));
	}
	/* A thread's own connection stays open for its next statement. */
	if (db->own == NULL)
		kore_pgsql_cleanup(&db->sql);
	db->own = NULL;
	db->open = 0;
	db->in_tx = 0;
}

/* Rows in the last result. */
int
db_rows(struct db *db)
{
	return (kore_pgsql_ntuples(&db->sql));
}

/* The text of a value of the last result ("" for NULL); owned by `db`. */
const char *
db_value(struct db *db, int row, int col)
{
	return (kore_pgsql_getvalue(&db->sql, row, col));
}

/* Whether a value of the last result is NULL. */
int
db_isnull(struct db *db, int row, int col)
{
	return (PQgetisnull(db->sql.result, row, col));
}

/*
 * The name of the constraint the last statement broke ("" if none), for
 * a caller that must tell two conflicts apart; owned by `db`.
 */
const char *
db_constraint(struct db *db)
{
	const char	*name;

	if (db->sql.result == NULL || (name = PQresultErrorField(
	    db->sql.result, PG_DIAG_CONSTRAINT_NAME)) == NULL)
		return ("");
	return (name);
}

/* A value of the last result as an integer (0 for NULL). */
long long
db_int(struct db *db, int row, int col)
{
	return (strtoll(db_value(db, row, col), NULL, 10));
}

/*
 * The last result as a JSON array of objects: column first + i of each
 * row named and typed by cols[i]; SQL NULL becomes null. The caller owns
 * the array.
 */
cJSON *
db_rows_json(struct db *db, int first, const struct db_column *cols,
    int ncols)
{
	cJSON		*arr, *obj, *v;
	const char	*s;
	int		 r, c, rows;

	arr = cJSON_CreateArray();
	rows = db_rows(db);
	for (r = 0; r < rows; r++) {
		obj = cJSON_CreateObject();
		for (c = 0; c < ncols; c++) {
			s = db_value(db, r, first + c);
			if (db_isnull(db, r, first + c))
				v = cJSON_CreateNull();
			else if (cols[c].type == DB_INT)
				v = cJSON_CreateNumber((double)strtoll(s,
				    NULL, 10));
			else if (cols[c].type == DB_BOOL)
				v = cJSON_CreateBool(s[0] == 't');
			else if (cols[c].type == DB_JSON &&
			    (v = cJSON_Parse(s)) != NULL)
				;
			else
				v = cJSON_CreateString(s);
			cJSON_AddItemToObject(obj, cols[c].name, v);
		}
		cJSON_AddItemToArray(arr, obj);
	}
	return (arr);
}

static int
db_broken(struct db *db)
{
	return (db_conn(db) != NULL && PQstatus(db_conn(db)) != CONNECTION_OK);
}

/* The libpq connection of `db`: its own, or the pool's (NULL: none). */
static PGconn *
db_conn(struct db *db)
{
	if (db->own != NULL)
		return (db->own);
	return (db->sql.conn != NULL ? db->sql.conn->db : NULL);
}

/* Map the failed statement's SQLSTATE to a status; log it once. */
static enum db_status
db_status_of(struct db *db)
{
	const char	*state;
	enum db_status	 st;

	if (db_broken(db))
		return (DB_UNAVAILABLE);
	state = db->sql.result == NULL ? NULL :
	    PQresultErrorField(db->sql.result, PG_DIAG_SQLSTATE);
	/* lock_timeout, statement_timeout (init.c): busy, not broken. */
	if (sqlstate_is_timeout(state))
		kore_log(LOG_WARNING, "database timeout %s", state);
	if ((st = sqlstate_status(state)) != DB_ERR) {
		/* A constraint's name, never its DETAIL (personal data). */
		if (st == DB_CONFLICT || st == DB_INVALID)
			kore_log(LOG_INFO, "database refused %s: constraint %s",
			    state, db_constraint(db));
		return (st);
	}
	/* The primary message only: DETAIL may quote personal data. */
	kore_log(LOG_ERR, "database error %s: %s", state ? state : "-",
	    db->sql.result == NULL ? "no result" : PQresultErrorField(
	    db->sql.result, PG_DIAG_MESSAGE_PRIMARY));
	return (DB_ERR);
}

/*
 * Run `sql` (one statement, `n` parameters) on a connection of its own
 * and parse the first column of its one row as JSON into `*out` (caller
 * owns): DB_OK, DB_NOTFOUND without a row, DB_ERR when it is not JSON.
 */
enum db_status
db_json(const char *sql, int n, const char *const *params, cJSON **out)
{
	struct db	db;
	enum db_status	st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	st = db_json_on(&db, sql, n, params, out);
	db_close(&db);
	return (st);
}

/*
 * As db_json(), on the reports' connection (the replica, if any), with
 * DB_REPORT_TIMEOUT for the statement instead of a request's 5 s: a
 * report gathered afresh at the demo data's 100x reads a million rows.
 * Its answer is then kept (db_report_answer.c).
 */
enum db_status
db_report_json(const char *sql, int n, const char *const *params,
    cJSON **out)
{
	struct db	db;
	enum db_status	st;

	if ((st = db_open_reports(&db)) != DB_OK)
		return (st);
	if ((st = db_begin(&db)) == DB_OK &&
	    (st = db_exec(&db, "SET LOCAL statement_timeout = '"
	    DB_REPORT_TIMEOUT "'", 0, NULL)) == DB_OK &&
	    (st = db_json_on(&db, sql, n, params, out)) == DB_OK)
		st = db_commit(&db);
	db_close(&db);
	return (st);
}

static enum db_status
db_json_on(struct db *db, const char *sql, int n, const char *const *params,
    cJSON **out)
{
	enum db_status	st;

	if ((st = db_exec(db, sql, n, params)) == DB_OK) {
		if (db_rows(db) == 0)
			st = DB_NOTFOUND;
		else if ((*out = cJSON_Parse(db_value(db, 0, 0))) == NULL)
			st = DB_ERR;
	}
	return (st);
}
