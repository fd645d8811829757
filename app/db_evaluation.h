/*
 * db_evaluation: the evaluation stages of bookings (windows, answers),
 * paper forms, and what a session's summary, outstanding list and
 * export gather.
 */
#ifndef PORTAL_DB_EVALUATION_H
#define PORTAL_DB_EVALUATION_H

#include <cjson/cJSON.h>

#include "db_status.h"
#include "evaluation.h"

/* What answering a stage, or adding paper forms, came to. */
enum evaluation_result {
	EVAL_DONE,
	EVAL_NOT_FOUND,		/* no such booking of this person, or session */
	EVAL_NOT_OPEN,		/* the stage is not open yet */
	EVAL_CLOSED,		/* its window has passed */
	EVAL_ANSWERED,		/* answered already */
	EVAL_FULL,		/* more forms than attended places */
	EVAL_DUPLICATE,		/* the same file again */
	EVAL_FAILED		/* the database failed: see the status */
};

/* Who may read a session's evaluations. */
enum evaluation_access {
	EVAL_ACCESS_NO_SESSION,
	EVAL_ACCESS_DENIED,
	EVAL_ACCESS_ALLOWED
};

enum db_status	db_evaluation_mine(long long, int, cJSON **);
enum db_status	db_evaluation_stage(long long, long long, enum evaluation_stage,
	    int, cJSON **);
enum db_status	db_evaluation_answer(long long, long long,
	    enum evaluation_stage, int, const struct evaluation_answers *,
	    enum evaluation_result *);
enum db_status	db_evaluation_access(long long, long long, int,
	    enum evaluation_access *);
enum db_status	db_evaluation_paper(long long, const char *,
	    const struct evaluation_answers *, size_t, long long,
	    enum evaluation_result *, cJSON *);
enum db_status	db_evaluation_forms(long long, long long,
	    struct evaluation_forms *);
void	db_evaluation_forms_free(struct evaluation_forms *);
enum db_status	db_evaluation_outstanding(long long, int, cJSON **);
enum db_status	db_evaluation_chasing(int, cJSON **);
enum db_status	db_evaluation_batches(long long, cJSON **);
enum db_status	db_evaluation_batch_void(long long, long long, const char *,
	    int *);
enum db_status	db_evaluation_export(long long, long long,
	    enum evaluation_stage, cJSON **);
enum db_status	db_evaluation_certificate(long long, long long, cJSON **,
	    int *);

#endif /* !PORTAL_DB_EVALUATION_H */
