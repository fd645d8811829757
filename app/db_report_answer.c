/*
 * db_report_answer: kept answers of the reports (migration 14).
 *
 * A report's answer is kept under its key (the report, its audience and
 * its filters) with the snapshot of the database taken before its data
 * was gathered, and served again while report_snapshot_current() holds:
 * computed today, and no transaction that changed what reports read has
 * committed outside that snapshot. So a kept answer is never stale, and
 * the second reader of a report pays a lookup instead of the gathering.
 */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

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

enum {
	Q_GET,
	Q_SNAPSHOT,
	Q_KEEP,
	Q_BOUND,
	Q__MAX
};

static const char *const answer_sql[Q__MAX] = {
	/* $1 key: the kept answer, when current. */
	[Q_GET] =
	"SELECT body FROM report_answers"
	" WHERE key = $1 AND report_snapshot_current(snapshot, computed_on)",

	/* On the reports' connection, before gathering: [snapshot, day]. */
	[Q_SNAPSHOT] =
	"SELECT json_build_array(pg_current_snapshot()::text,"
	" (now() AT TIME ZONE 'Europe/London')::date)",

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
static void		answer_keep(const char *, const cJSON *, const char *);

/*
 * The answer of the report `key` as JSON text in `*text` (caller frees):
 * the kept one when current, else build(arg, &tree) on data gathered
 * after a snapshot was taken, printed and kept with it. Text, because a
 * kept answer is sent as it is (at the demo data's 100x the coverage
 * report is megabytes: parsing and printing it again would cost most of
 * a second). Returns DB_OK or what stopped `build`; an answer that
 * cannot be kept is still answered (and the failure logged).
 */
enum db_status
db_report_answer(const char *key, enum db_status (*build)(void *, cJSON **),
    void *arg, char **text)
{
	cJSON		*snap, *tree;
	enum db_status	 st;

	*text = NULL;
	if ((st = answer_kept(key, text)) != DB_NOTFOUND)
		return (st);
	snap = tree = NULL;
	if ((st = db_report_json(answer_sql[Q_SNAPSHOT], 0, NULL, &snap)) ==
	    DB_OK && (st = build(arg, &tree)) == DB_OK) {
		if ((*text = cJSON_PrintUnformatted(tree)) == NULL)
			st = DB_ERR;
		else
			answer_keep(key, snap, *text);
	}
	cJSON_Delete(tree);
	cJSON_Delete(snap);
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
