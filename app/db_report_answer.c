/*
 * db_report_answer: kept answers of the reports (migration 14).
 *
 * A report's answer is kept under its key (the report, its audience and
 * its filters) with the snapshot of the database taken before its data
 * was gathered, and served again while report_snapshot_current() holds:
 * computed today, and no transaction that changed what reports read has
 * committed outside that snapshot. So a kept answer is never stale, and
 * the second reader of a report pays a lookup instead of the gathering.
 *
 * The handlers read an answer with db_report_answer_read(), current or
 * not; a gathering thread (report_task.c) makes one afresh with
 * db_report_answer_gather(), on its own connections (db_thread_begin()).
 * One gathering of a key at a time, across workers and nodes: a gathering
 * holds an advisory lock of its key on the primary, and one that finds it
 * held waits for it and then uses what the other kept. And one gathering
 * at a time on the database, whatever its key: each then waits its turn
 * (another advisory lock, granted in the order asked), so that four cold
 * reports asked at once take one core in turn, not every core at once,
 * from the bookings and sign-ins the database serves meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <time.h>

#include "answer_copy.h"
#include "db.h"
#include "db_report_answer.h"

/*
 * The bound of what is kept: at most this many answers, and at most this
 * many bytes of them (at the demo data's 100x a coverage answer is a few
 * megabytes). Keeping an answer forgets the oldest kept beyond either
 * bound, in the same transaction, so distinct filters (each a key of its
 * own) cannot grow the table past them; the answer just kept stays even
 * when it alone is larger.
 */
#define ANSWERS_MAX		256
#define ANSWERS_BYTES_MAX	(128 * 1024 * 1024)

/* How long a gathering waits for another of the same key, in seconds. */
#define ANSWER_WAIT_MAX		120
/* How long a gathering waits for its turn on the database. */
#define ANSWER_TURN_WAIT	"120s"

enum {
	Q_GET,
	Q_READ,
	Q_LOCK,
	Q_UNLOCK,
	Q_TURN_WAIT,
	Q_TURN,
	Q_TURN_END,
	Q_SNAPSHOT,
	Q_KEEP_TURN,
	Q_KEEP,
	Q_BOUND,
	Q__MAX
};

static const char *const answer_sql[Q__MAX] = {
	/* $1 key: the kept answer, when current. */
	[Q_GET] =
	"SELECT body FROM report_answers"
	" WHERE key = $1 AND report_snapshot_current(snapshot, computed_on)",

	/* $1 key, $2 the version the caller has: the kept answer (NULL when
	 * it is of that version), whether it is current, when it was kept
	 * (UTC, ISO 8601), and its version (the row's, changed by any
	 * keeping or other change of it). */
	[Q_READ] =
	"SELECT CASE WHEN version = $2 THEN NULL ELSE body END,"
	"       report_snapshot_current(snapshot, computed_on),"
	"       to_char(computed_at AT TIME ZONE 'UTC',"
	"               'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), version"
	"  FROM (SELECT a.*, a.xmin::text || ':' || a.ctid::text AS version"
	"          FROM report_answers a WHERE key = $1) a",

	/* $1 key: this session now gathers it (true), or another does. */
	[Q_LOCK] =
	"SELECT pg_try_advisory_lock(hashtextextended('report_answers:'"
	"       || $1, 0))",

	/* $1 key: done gathering it. */
	[Q_UNLOCK] =
	"SELECT pg_advisory_unlock(hashtextextended('report_answers:'"
	"       || $1, 0))",

	/* In a transaction, before Q_TURN: wait as long as a turn takes. */
	[Q_TURN_WAIT] =
	"SELECT set_config('lock_timeout', '" ANSWER_TURN_WAIT "', true),"
	"       set_config('statement_timeout', '" ANSWER_TURN_WAIT "', true)",

	/* The database's one gathering turn: wait for it. */
	[Q_TURN] =
	"SELECT pg_advisory_lock(hashtext('report_answers:turn'))",

	/* Done gathering: the next in line takes the turn. */
	[Q_TURN_END] =
	"SELECT pg_advisory_unlock(hashtext('report_answers:turn'))",

	/* On the reports' connection, before gathering: [snapshot, day]. */
	[Q_SNAPSHOT] =
	"SELECT json_build_array(pg_current_snapshot()::text,"
	" (now() AT TIME ZONE 'Europe/London')::date)",

	/* One keeping at a time (gathering threads keep at once): each
	 * then counts what the others kept when it bounds the table. */
	[Q_KEEP_TURN] =
	"SELECT pg_advisory_xact_lock(hashtext('report_answers:keep'))",

	/* $1 key, $2 snapshot, $3 day, $4 the answer (JSON text). */
	[Q_KEEP] =
	"INSERT INTO report_answers AS a (key, snapshot, computed_on, body)"
	" VALUES ($1, $2::pg_snapshot, $3::date, $4)"
	" ON CONFLICT (key) DO UPDATE SET snapshot = EXCLUDED.snapshot,"
	"     computed_on = EXCLUDED.computed_on, computed_at = now(),"
	"     body = EXCLUDED.body",

	/* $1 most answers, $2 most bytes: forget the oldest beyond them. */
	[Q_BOUND] =
	"DELETE FROM report_answers WHERE key IN ("
	" SELECT key FROM ("
	"  SELECT key, row_number() OVER w AS n,"
	"         sum(octet_length(body)) OVER w AS bytes"
	"    FROM report_answers"
	"  WINDOW w AS (ORDER BY computed_at DESC, key"
	"               ROWS UNBOUNDED PRECEDING)) r"
	" WHERE n > 1 AND (n > $1::int OR bytes > $2::bigint))",
};

static enum db_status	answer_kept(const char *, char **);
static enum db_status	answer_turn(struct db *);
static void		answer_keep(const char *, const cJSON *, const char *);

/*
 * The kept answer of the report `key`, current or not, as JSON text in
 * `*text` (caller frees; text, because a kept answer is sent as it is: at
 * the demo data's 100x the coverage report is megabytes), with
 * `*current` saying whether it is still current and `kept_at` (at least
 * 32 bytes) when it was kept, UTC, to the millisecond. Returns DB_OK,
 * DB_NOTFOUND when none is kept, or what went wrong. On the worker's
 * pool: a lookup by key, which leaves the answer out when the worker's
 * copy of it (answer_copy.c) is of the version kept.
 */
enum db_status
db_report_answer_read(const char *key, char **text, int *current,
    char *kept_at)
{
	struct db	 db;
	enum db_status	 st;
	const char	*p[2], *copy;

	*text = NULL;
	*current = 0;
	kept_at[0] = '\0';
	p[0] = key;
	copy = answer_copy_find(key, &p[1]);
	if (copy == NULL)
		p[1] = "";
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, answer_sql[Q_READ], 2, p)) == DB_OK) {
		if (db_rows(&db) == 0)
			st = DB_NOTFOUND;
		else if (!db_isnull(&db, 0, 0)) {
			answer_copy_put(key, db_value(&db, 0, 3),
			    db_value(&db, 0, 0));
			copy = db_value(&db, 0, 0);
		}
		if (st == DB_OK && (*text = strdup(copy)) == NULL)
			st = DB_ERR;
		if (st == DB_OK) {
			*current = db_value(&db, 0, 1)[0] == 't';
			snprintf(kept_at, 32, "%s", db_value(&db, 0, 2));
		}
	}
	db_close(&db);
	return (st);
}

/*
 * Gather the report `key` afresh and keep its answer: build(arg, &tree)
 * on data gathered after a snapshot was taken, printed and kept with it.
 * For a thread that runs on connections of its own (db_thread_begin()).
 * When another worker or node is gathering the same key, wait for it
 * (up to ANSWER_WAIT_MAX seconds) and gather only when what it kept is
 * not current. Returns DB_OK once a current answer is kept, or what
 * stopped `build`.
 */
enum db_status
db_report_answer_gather(const char *key,
    enum db_status (*build)(void *, cJSON **), void *arg)
{
	struct db	 db;
	struct timespec	 pause;
	cJSON		*snap, *tree;
	char		*text;
	enum db_status	 st;
	int		 waited, locked, turn;

	snap = tree = NULL;
	text = NULL;
	locked = turn = 0;
	pause.tv_sec = 1;
	pause.tv_nsec = 0;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	for (waited = 0; waited < ANSWER_WAIT_MAX; waited++) {
		if ((st = db_exec(&db, answer_sql[Q_LOCK], 1, &key)) != DB_OK)
			goto out;
		if ((locked = db_value(&db, 0, 0)[0] == 't'))
			break;
		(void)nanosleep(&pause, NULL);
	}
	if (!locked) {
		st = DB_UNAVAILABLE;
		goto out;
	}
	/* Another gathering may have kept it while this one waited. */
	if (waited > 0 && (st = answer_kept(key, &text)) != DB_NOTFOUND)
		goto out;
	if ((st = answer_turn(&db)) != DB_OK)
		goto out;
	turn = 1;
	if ((st = db_report_json(answer_sql[Q_SNAPSHOT], 0, NULL, &snap)) ==
	    DB_OK && (st = build(arg, &tree)) == DB_OK) {
		if ((text = cJSON_PrintUnformatted(tree)) == NULL)
			st = DB_ERR;
		else
			answer_keep(key, snap, text);
	}
out:
	if (turn)
		(void)db_exec(&db, answer_sql[Q_TURN_END], 0, NULL);
	if (locked)
		(void)db_exec(&db, answer_sql[Q_UNLOCK], 1, &key);
	db_close(&db);
	free(text);
	cJSON_Delete(tree);
	cJSON_Delete(snap);
	return (st);
}

/*
 * Wait for the database's gathering turn (up to ANSWER_TURN_WAIT) on
 * `db`, whose session then holds it until Q_TURN_END. On failure `db`
 * is left outside a transaction, its key lock still to be given back.
 */
static enum db_status
answer_turn(struct db *db)
{
	enum db_status	st;

	if ((st = db_begin(db)) != DB_OK)
		return (st);
	if ((st = db_exec(db, answer_sql[Q_TURN_WAIT], 0, NULL)) == DB_OK &&
	    (st = db_exec(db, answer_sql[Q_TURN], 0, NULL)) == DB_OK)
		return (db_commit(db));
	(void)db_rollback(db);
	return (st);
}

/* The current kept answer of `key` into `*text`: DB_OK or DB_NOTFOUND. */
static enum db_status
answer_kept(const char *key, char **text)
{
	struct db	db;
	enum db_status	st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, answer_sql[Q_GET], 1, &key)) == DB_OK) {
		if (db_rows(&db) == 0)
			st = DB_NOTFOUND;
		else if ((*text = strdup(db_value(&db, 0, 0))) == NULL)
			st = DB_ERR;
	}
	db_close(&db);
	return (st);
}

/*
 * Keep `body` under `key` with `snap` ([snapshot, day]), and forget the
 * oldest answers beyond the bound, in one transaction.
 */
static void
answer_keep(const char *key, const cJSON *snap, const char *body)
{
	const char	*p[4];
	char		 most[16], bytes[24];
	struct db	 db;

	p[0] = key;
	p[1] = cJSON_GetStringValue(cJSON_GetArrayItem(snap, 0));
	p[2] = cJSON_GetStringValue(cJSON_GetArrayItem(snap, 1));
	p[3] = body;
	if (p[1] == NULL || p[2] == NULL || db_open(&db) != DB_OK)
		return;
	if (db_begin(&db) == DB_OK &&
	    db_exec(&db, answer_sql[Q_KEEP_TURN], 0, NULL) == DB_OK &&
	    db_exec(&db, answer_sql[Q_KEEP], 4, p) == DB_OK) {
		snprintf(most, sizeof(most), "%d", ANSWERS_MAX);
		snprintf(bytes, sizeof(bytes), "%lld",
		    (long long)ANSWERS_BYTES_MAX);
		p[0] = most;
		p[1] = bytes;
		if (db_exec(&db, answer_sql[Q_BOUND], 2, p) == DB_OK)
			(void)db_commit(&db);
	}
	db_close(&db);
}
