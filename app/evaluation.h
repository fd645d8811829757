/*
 * evaluation: the four-stage evaluation model's windows (when each stage
 * of a booking is open), its questions, the checks on answers (JSON from
 * a delegate, CSV rows from paper forms), and a session's summary built
 * from stats/. Kore-free.
 */
#ifndef PORTAL_EVALUATION_H
#define PORTAL_EVALUATION_H

#include <limits.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum evaluation_stage {
	STAGE_BEFORE,
	STAGE_SAME_DAY,
	STAGE_FOLLOWUP,
	STAGE__MAX
};

enum evaluation_kind {
	EVAL_SCALE,		/* whole number min..max */
	EVAL_CHOICE,		/* one of choices */
	EVAL_TEXT,		/* free text up to max characters */
	EVAL_SET		/* a list of choices (none: empty list) */
};

struct evaluation_question {
	const char		*field;
	enum evaluation_kind	 kind;
	int			 min, max;	/* scale; text: max characters */
	const char *const	*choices;	/* choice, set: NULL-ended */
	const char		*label;		/* the question as asked */
};

/* Most SQL values one stage's answers take (followup's set is three). */
#define EVALUATION_VALUES_MAX	16

/*
 * One stage's answers as SQL text parameters, in the order of
 * evaluation_columns(): NULL is "not answered". Owned by the struct.
 */
struct evaluation_answers {
	char	*value[EVALUATION_VALUES_MAX];
	size_t	 n;
};

/* The setting of the days from a session's end to its follow-up, and
 * their number when it is unset. */
#define EVALUATION_FOLLOWUP_SETTING	"PORTAL_FOLLOWUP_DAYS"
#define EVALUATION_FOLLOWUP_DAYS	90

/* Days the same-day form stays open after the session's end, and the
 * follow-up after its due date. */
#define EVALUATION_SAME_DAY_DAYS	14
#define EVALUATION_FOLLOWUP_OPEN_DAYS	30

/*
 * Times are microseconds since 1970-01-01 00:00 UTC (as PostgreSQL keeps
 * a timestamptz), dates days since 1970-01-01; these mark one unset.
 */
#define EVALUATION_NO_TIME	LLONG_MIN
#define EVALUATION_NO_DATE	INT_MIN
#define EVALUATION_USEC_DAY	(86400LL * 1000000LL)

/* The facts of one booking that decide its stages' windows. */
struct evaluation_facts {
	long long	 now;		/* the database's clock */
	long long	 starts_at;	/* the session's start and end */
	long long	 ends_at;
	const char	*status;	/* the booking's: confirmed, attended,
					 * partial, no_show, cancelled, ... */
	long long	 confirmed_at;	/* when its place was confirmed */
	long long	 attendance_at;	/* the register's mark */
	int		 baseline;	/* the course asks the before form */
	int		 due_on;	/* the follow-up's row's due date, once
					 * the row is there */
	int		 sent[STAGE__MAX];	/* the stage's form is in */
	int		 followup_days;	/* evaluation_followup_days() */
};

/* The columns of EVALUATION_SQL_FACTS (evaluation_sql.h). */
#define EVALUATION_FACTS	11

/* What a stage of a booking is now. */
enum evaluation_state {
	WINDOW_NOT_OPEN,	/* not asked, or not yet */
	WINDOW_OPEN,
	WINDOW_CLOSED,		/* passed unanswered */
	WINDOW_DONE,		/* answered (whatever the window) */
	WINDOW__MAX
};

struct evaluation_window {
	enum evaluation_state	 state;
	long long		 opens_at;	/* EVALUATION_NO_TIME: not
						 * asked */
	long long		 closes_at;
};

struct evaluation_windows {
	struct evaluation_window stage[STAGE__MAX];
	int			 due_on;	/* the follow-up's due date */
};

/* The same-day form's CSV header, the paper form's order. */
extern const char *const evaluation_paper_header[];
#define EVALUATION_PAPER_COLUMNS	13

/*
 * The most forms one paper upload may hold (as many as a session may
 * have places), and the most problems named of one (the reading stops
 * there): a file of wrong rows costs the worker memory for each problem
 * and its answer, so their number is bounded, not the file's size.
 */
#define EVALUATION_PAPER_MAX		10000
#define EVALUATION_PAPER_MAX_PROBLEMS	100

int	 evaluation_stage_of(const char *);
const char *evaluation_stage_name(enum evaluation_stage);
const struct evaluation_question *evaluation_questions(enum evaluation_stage,
	    size_t *);
int	 evaluation_followup_days(const char *);
void	 evaluation_facts_read(const char *const *, int,
	    struct evaluation_facts *);
void	 evaluation_windows(const struct evaluation_facts *,
	    struct evaluation_windows *);
long long evaluation_same_day_closes(long long);
const char *evaluation_mail_due(const struct evaluation_facts *,
	    enum evaluation_stage, int);
const char *evaluation_state_name(enum evaluation_state);
int	 evaluation_certificate(const struct evaluation_facts *, long long,
	    int *);
void	 evaluation_time_iso(long long, char *, size_t);
void	 evaluation_date_iso(int, char *, size_t);
int	 evaluation_london_date(long long);

int	 evaluation_parse_json(enum evaluation_stage, const cJSON *,
	    struct evaluation_answers *, cJSON *);
int	 evaluation_require_ratings(const struct evaluation_answers *,
	    cJSON *);
int	 evaluation_parse_row(const char *const *, size_t,
	    struct evaluation_answers *, cJSON *);
void	 evaluation_answers_free(struct evaluation_answers *);
int	 evaluation_read_paper(const void *, size_t,
	    struct evaluation_answers **, size_t *, cJSON *);
void	 evaluation_forms_answers_free(struct evaluation_answers *, size_t);
cJSON	*evaluation_questions_json(enum evaluation_stage);

/*
 * A session's same-day forms, gathered by SQL for the summary: one entry
 * per form, 0 for a question left blank. Caller-owned arrays.
 */
struct evaluation_forms {
	size_t		  n;			/* released forms: the answers */
	size_t		  online, paper;	/* every form: completion */
	size_t		  attended, partial, walk_ins;
	int		(*ratings)[5];		/* content, delivery, venue, trainer, overall */
	int		(*scores)[4];		/* knowledge before, after; confidence before, after */
	int		 *outcomes;		/* 1 yes, 2 partly, 3 no, 0 blank */
	int		 *improve;		/* 1 yes, 2 no, 3 unsure, 0 blank */
	const char	**comments;		/* text only, in random order */
	size_t		  ncomments;
	const char	**actions;		/* text only, in random order */
	size_t		  nactions;
};

cJSON	*evaluation_summary(const struct evaluation_forms *, int, double);

#endif /* !PORTAL_EVALUATION_H */
