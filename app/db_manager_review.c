/*
 * db_manager_review: a line manager's link is known by the BLAKE2b-256
 * hash of its token only; it shows the delegate's name, the course and
 * its date, nothing else, and takes one answer within 30 days.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_manager_review.h"

enum {
	Q_LOOKUP,
	Q_ANSWER,
	Q__MAX
};

static const char *const review_sql[Q__MAX] = {
	/* $1 token hash (hex): usable; what the manager sees */
	[Q_LOOKUP] =
	"SELECT m.answered_at IS NULL AND m.expires_at > now(),"
	"       json_build_object('full_name', p.full_name, 'course_title',"
	"         c.title, 'starts_at', to_char(s.starts_at,"
	"         'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'))"
	"  FROM manager_reviews m JOIN bookings b ON b.id = m.booking_id"
	"  JOIN people p ON p.id = b.person_id"
	"  JOIN sessions s ON s.id = b.session_id"
	"  JOIN courses c ON c.id = s.course_id"
	" WHERE m.token_hash = decode($1, 'hex')",

	/* $1 token hash, $2 changed practice, $3 evidence: once, in time */
	[Q_ANSWER] =
	"UPDATE manager_reviews SET answered_at = now(),"
	"       changed_practice = $2, evidence = $3"
	" WHERE token_hash = decode($1, 'hex') AND answered_at IS NULL"
	"   AND expires_at > now() "
	"RETURNING id",
};

/*
 * What the link whose token hashes to `hash` shows, into `*out` (caller
 * owns) when `*result` is REVIEW_DONE; REVIEW_GONE used or expired,
 * REVIEW_UNKNOWN no such link.
 */
enum db_status
db_manager_review_lookup(const char *hash, cJSON **out, enum review_result *result)
{
	struct db	 db;
	const char	*params[1] = { hash };
	int		 st;

	*out = NULL;
	*result = REVIEW_FAILED;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, review_sql[Q_LOOKUP], 1, params)) == DB_OK) {
		if (db_rows(&db) == 0)
			*result = REVIEW_UNKNOWN;
		else if (db_value(&db, 0, 0)[0] != 't')
			*result = REVIEW_GONE;
		else if ((*out = cJSON_Parse(db_value(&db, 0, 1))) == NULL)
			st = DB_ERR;
		else
			*result = REVIEW_DONE;
	}
	db_close(&db);
	return (st);
}

/*
 * Record the manager's answer `changed` ("yes", "no", "not_sure") and
 * `evidence` (may be NULL) through the link hashing to `hash`, once.
 */
enum db_status
db_manager_review_answer(const char *hash, const char *changed,
    const char *evidence, enum review_result *result)
{
	struct db	 db;
	const char	*params[3] = { hash, changed, evidence };
	int		 st;

	*result = REVIEW_FAILED;
	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, review_sql[Q_ANSWER], 3, params)) == DB_OK) {
		if (db_rows(&db) > 0)
			*result = REVIEW_DONE;
		else if ((st = db_exec(&db, review_sql[Q_LOOKUP], 1, params)) ==
		    DB_OK)
			*result = db_rows(&db) == 0 ? REVIEW_UNKNOWN :
			    REVIEW_GONE;
	}
	db_close(&db);
	return (st);
}
