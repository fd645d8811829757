/*
 * evaluation: when each stage of the four-stage model is open to a
 * booking, what each stage asks, the checks on answers, and a session's
 * summary of its same-day forms.
 *
 * Windows (evaluation_windows(), from the facts the database layer
 * fetches; every statement that shows, takes or counts a form asks it):
 * before, from the confirmation to the start (when the course asks it);
 * same day, from the register's mark (attended or partial) to 14 days
 * after the end; follow-up, from its due date (the follow-up's row, or
 * the end's date plus the follow-up days) for 30 days. Days are
 * Europe/London's, as the partnership's calendar counts them.
 *
 * Every question is optional (NULL: not answered); a value given must be
 * in its scale or among its choices, and each wrong or unknown field is
 * named. All figures of the summary come from stats/; aggregates over
 * fewer than STATS_SUPPRESS_BELOW respondents are left out (the handlers
 * pass no exemption: disclosure control holds for every role, README).
 * Kore-free.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "stats.h"

#include "csv.h"
#include "evaluation.h"
#include "figure.h"
#include "ical.h"
#include "text.h"

static const char *const eval_yes_no[] = { "yes", "no", NULL };
static const char *const eval_yes_partly_no[] = { "yes", "partly", "no", NULL };
static const char *const eval_yes_no_unsure[] = { "yes", "no", "unsure", NULL };
static const char *const eval_changed[] = { "information_sharing",
	"joint_working", "referrals", NULL };

static const struct evaluation_question eval_before[] = {
	{ "knowledge", EVAL_SCALE, 1, 10, NULL, "How would you rate your "
	    "knowledge of the course's subject now? (1 low, 10 high)" },
	{ "confidence", EVAL_SCALE, 1, 10, NULL, "How confident do you feel "
	    "in this area of practice now? (1 low, 10 high)" },
	{ "hopes", EVAL_TEXT, 0, 2000, NULL, "What do you hope to learn?" },
};

static const struct evaluation_question eval_same_day[] = {
	{ "rating_content", EVAL_SCALE, 1, 5, NULL,
	    "Content (1 poor, 5 excellent)" },
	{ "rating_delivery", EVAL_SCALE, 1, 5, NULL,
	    "Delivery (1 poor, 5 excellent)" },
	{ "rating_venue", EVAL_SCALE, 1, 5, NULL,
	    "Venue (1 poor, 5 excellent)" },
	{ "rating_trainer", EVAL_SCALE, 1, 5, NULL,
	    "Trainer (1 poor, 5 excellent)" },
	{ "rating_overall", EVAL_SCALE, 1, 5, NULL,
	    "Overall (1 poor, 5 excellent)" },
	{ "knowledge_before", EVAL_SCALE, 1, 10, NULL, "Looking back, your "
	    "knowledge of the subject before the course (1 low, 10 high)" },
	{ "knowledge_after", EVAL_SCALE, 1, 10, NULL,
	    "Your knowledge of the subject now (1 low, 10 high)" },
	{ "confidence_before", EVAL_SCALE, 1, 10, NULL, "Looking back, your "
	    "confidence before the course (1 low, 10 high)" },
	{ "confidence_after", EVAL_SCALE, 1, 10, NULL,
	    "Your confidence now (1 low, 10 high)" },
	{ "outcomes_met", EVAL_CHOICE, 0, 0, eval_yes_partly_no,
	    "Were the course's learning outcomes met?" },
	{ "improve_safeguarding", EVAL_CHOICE, 0, 0, eval_yes_no_unsure,
	    "Will this training improve your ability to safeguard children?" },
	{ "action", EVAL_TEXT, 0, 2000, NULL,
	    "One action you will take as a result of the course" },
	{ "comments", EVAL_TEXT, 0, 4000, NULL, "Any other comments" },
};

static const struct evaluation_question eval_followup[] = {
	{ "applied", EVAL_CHOICE, 0, 0, eval_yes_no,
	    "Have you applied what you learnt in your practice?" },
	{ "example", EVAL_TEXT, 0, 2000, NULL, "An example of how you applied it" },
	{ "confidence_now", EVAL_SCALE, 1, 10, NULL,
	    "How confident do you feel in this area of practice now? "
	    "(1 low, 10 high)" },
	{ "changed", EVAL_SET, 0, 0, eval_changed,
	    "What has changed in your practice? (none: leave all unticked)" },
};

static const struct {
	const char				*name;
	const struct evaluation_question	*q;
	size_t					 n;
} eval_stages[STAGE__MAX] = {
	[STAGE_BEFORE] = { "before", eval_before,
	    sizeof(eval_before) / sizeof(eval_before[0]) },
	[STAGE_SAME_DAY] = { "same_day", eval_same_day,
	    sizeof(eval_same_day) / sizeof(eval_same_day[0]) },
	[STAGE_FOLLOWUP] = { "followup", eval_followup,
	    sizeof(eval_followup) / sizeof(eval_followup[0]) },
};

const char *const evaluation_paper_header[] = {
	"rating_content", "rating_delivery", "rating_venue", "rating_trainer",
	"rating_overall", "knowledge_before", "knowledge_after",
	"confidence_before", "confidence_after", "outcomes_met",
	"improve_safeguarding", "action", "comments", NULL
};

static const char *const eval_rating_names[5] = { "content", "delivery",
	"venue", "trainer", "overall" };

/* The message for a paper forms' file without the template's header. */
#define EVAL_PAPER_HEADER	"The first row must be the template's " \
    "header: rating_content, ..., comments."

/*
 * A paper forms' upload being read, a row at a time (csv_read()'s
 * callback): room for a form a row, sized by the header's call.
 */
struct eval_paper_reader {
	struct evaluation_answers	*forms;
	size_t				 n, room;
	cJSON				*errors;	/* the caller's */
	int				 bad;		/* problems */
	size_t				 problems;	/* of rows, named */
	int				 header_seen;
	int				 failed;	/* memory ran out */
};

static int	eval_check(const struct evaluation_question *, const char *,
		    char **, const char **);
static int	eval_add_value(struct evaluation_answers *, char *);
static int	eval_set(const struct evaluation_question *, const cJSON *,
		    struct evaluation_answers *, const char **);
static int	eval_paper_row(const struct csv_row *, size_t, size_t,
		    void *);
static void	eval_paper_problem(cJSON *, size_t, const char *,
		    const char *);
static cJSON	*eval_mean(const int (*)[5], size_t, int, double, int);
static cJSON	*eval_paired(const int (*)[4], size_t, int, double, int);

/* The stage named `s`, or -1. */
int
evaluation_stage_of(const char *s)
{
	int	i;

	for (i = 0; i < STAGE__MAX; i++)
		if (s != NULL && strcmp(s, eval_stages[i].name) == 0)
			return (i);
	return (-1);
}

const char *
evaluation_stage_name(enum evaluation_stage stage)
{
	return (eval_stages[stage].name);
}

/* The questions of `stage` (static), their number in `*n`. */
const struct evaluation_question *
evaluation_questions(enum evaluation_stage stage, size_t *n)
{
	*n = eval_stages[stage].n;
	return (eval_stages[stage].q);
}

/*
 * Days from a session's end to its follow-up, from the setting `setting`
 * (PORTAL_FOLLOWUP_DAYS, read by the caller; may be NULL): 1 to 730, 90
 * when it is unset or out of range.
 */
int
evaluation_followup_days(const char *setting)
{
	int	 d;

	if (setting == NULL)
		return (EVALUATION_FOLLOWUP_DAYS);
	d = atoi(setting);
	return (d >= 1 && d <= 730 ? d : EVALUATION_FOLLOWUP_DAYS);
}

#define EVAL_USEC	1000000LL

static const char *const eval_state_names[WINDOW__MAX] = {
	[WINDOW_NOT_OPEN] = "not_open",
	[WINDOW_OPEN] = "open",
	[WINDOW_CLOSED] = "closed",
	[WINDOW_DONE] = "done",
};

/* a / b rounded down (times before 1970 too). */
static long long
eval_floor_div(long long a, long long b)
{
	long long	q = a / b;

	return ((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q);
}

/* The Europe/London wall-clock reading of time `t`, as if it were UTC. */
static long long
eval_london_local(long long t)
{
	return (t + (long long)ical_london_offset(eval_floor_div(t,
	    EVAL_USEC)) * EVAL_USEC);
}

/*
 * The time at which Europe/London's clocks read `local`. A reading the
 * clocks pass twice (October) or skip (March) is taken as GMT's, as
 * PostgreSQL takes it.
 */
static long long
eval_london_time(long long local)
{
	long long	s = eval_floor_div(local, EVAL_USEC);

	if (ical_london_offset(s) == 0)
		return (local);
	if (ical_london_offset(s - 3600) == 3600)
		return (local - 3600 * EVAL_USEC);
	return (local);
}

/* Time `t` plus `days` days of London's calendar (its clock time kept),
 * as PostgreSQL adds an interval of days in Europe/London. */
static long long
eval_add_days(long long t, int days)
{
	return (eval_london_time(eval_london_local(t) +
	    (long long)days * EVALUATION_USEC_DAY));
}

/* Europe/London's date (days since 1970-01-01) at time `t`. */
int
evaluation_london_date(long long t)
{
	return ((int)eval_floor_div(eval_london_local(t), EVALUATION_USEC_DAY));
}

/*
 * The windows of each stage of the booking of `f` into `w`, and the
 * follow-up's due date: the follow-up's row's, or the session's last
 * day (Europe/London) plus f->followup_days. A stage whose form is in
 * is done, whatever its window; one not asked or not open yet is
 * not_open; open from its opening (inclusive) to its close (exclusive);
 * closed from then on.
 */
void
evaluation_windows(const struct evaluation_facts *f,
    struct evaluation_windows *w)
{
	struct evaluation_window	*x;
	int				 attended, placed, i;

	attended = f->status != NULL && (strcmp(f->status, "attended") == 0 ||
	    strcmp(f->status, "partial") == 0);
	placed = attended || (f->status != NULL &&
	    (strcmp(f->status, "confirmed") == 0 ||
	    strcmp(f->status, "no_show") == 0));
	w->due_on = f->due_on != EVALUATION_NO_DATE ? f->due_on :
	    evaluation_london_date(f->ends_at) + f->followup_days;

	/* Before: from the confirmation of a place to the start. */
	x = &w->stage[STAGE_BEFORE];
	x->opens_at = f->baseline && placed &&
	    f->confirmed_at != EVALUATION_NO_TIME ? f->confirmed_at :
	    EVALUATION_NO_TIME;
	x->closes_at = f->starts_at;

	/* Same day: from the register's mark (or the end) to 14 days after
	 * the end, clock time in London. */
	x = &w->stage[STAGE_SAME_DAY];
	x->opens_at = !attended ? EVALUATION_NO_TIME :
	    f->attendance_at != EVALUATION_NO_TIME ? f->attendance_at :
	    f->ends_at;
	x->closes_at = evaluation_same_day_closes(f->ends_at);

	/* Follow-up: midnight in London of its due date, for 30 days. */
	x = &w->stage[STAGE_FOLLOWUP];
	x->opens_at = !attended ? EVALUATION_NO_TIME :
	    eval_london_time(w->due_on * EVALUATION_USEC_DAY);
	x->closes_at = eval_london_time((long long)(w->due_on +
	    EVALUATION_FOLLOWUP_OPEN_DAYS) * EVALUATION_USEC_DAY);

	for (i = 0; i < STAGE__MAX; i++) {
		x = &w->stage[i];
		if (f->sent[i])
			x->state = WINDOW_DONE;
		else if (x->opens_at == EVALUATION_NO_TIME ||
		    x->opens_at > f->now)
			x->state = WINDOW_NOT_OPEN;
		else if (f->now < x->closes_at)
			x->state = WINDOW_OPEN;
		else
			x->state = WINDOW_CLOSED;
	}
}

/*
 * The facts of one booking from the EVALUATION_FACTS columns of
 * EVALUATION_SQL_FACTS as text (`v`, NULL for SQL's NULL), `days` to its
 * follow-up, into `f`; f->status points into `v`.
 */
void
evaluation_facts_read(const char *const *v, int days,
    struct evaluation_facts *f)
{
	long long	*times[] = { &f->now, &f->starts_at, &f->ends_at, NULL,
			    &f->confirmed_at, &f->attendance_at };
	size_t		 i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (times[i] != NULL)
			*times[i] = v[i] == NULL ? EVALUATION_NO_TIME :
			    strtoll(v[i], NULL, 10);
	f->status = v[3];
	f->baseline = v[6] != NULL && v[6][0] == 't';
	f->due_on = v[7] == NULL ? EVALUATION_NO_DATE : atoi(v[7]);
	f->sent[STAGE_BEFORE] = v[8] != NULL && v[8][0] == 't';
	f->sent[STAGE_SAME_DAY] = v[9] != NULL && v[9][0] == 't';
	f->sent[STAGE_FOLLOWUP] = v[10] != NULL && v[10][0] == 't';
	f->followup_days = days;
}

/* When the same-day form of a session ending at `ends_at` closes: 14 days
 * after the end, clock time in London. */
long long
evaluation_same_day_closes(long long ends_at)
{
	return (eval_add_days(ends_at, EVALUATION_SAME_DAY_DAYS));
}

/*
 * The mail about `stage` due now to the person of the booking of `f`,
 * as evaluation_notices names it, or NULL. Only while the stage is open
 * and its form not in. Same day (the invitation goes with the
 * register's mark; `invited`: it went): a reminder 3 days after the
 * mark, another 7 days after, none from 14 days after the mark.
 * Follow-up: the invitation on the due date (its first week), reminders
 * 7 and 14 days after it (`invited`: the invitation went). The before
 * form has none.
 */
const char *
evaluation_mail_due(const struct evaluation_facts *f,
    enum evaluation_stage stage, int invited)
{
	struct evaluation_windows	w;
	int				day;

	evaluation_windows(f, &w);
	if (w.stage[stage].state != WINDOW_OPEN)
		return (NULL);
	switch (stage) {
	case STAGE_SAME_DAY:
		if (!invited || f->attendance_at == EVALUATION_NO_TIME ||
		    f->now >= eval_add_days(f->attendance_at, 14))
			return (NULL);
		if (f->now >= eval_add_days(f->attendance_at, 7))
			return ("same_day_7");
		if (f->now >= eval_add_days(f->attendance_at, 3))
			return ("same_day_3");
		return (NULL);
	case STAGE_FOLLOWUP:
		day = evaluation_london_date(f->now) - w.due_on;
		if (day < 7)
			return ("followup");
		if (!invited)
			return (NULL);
		return (day < 14 ? "followup_7" : "followup_14");
	default:
		return (NULL);
	}
}

/* The name of a stage's state in answers: not_open, open, closed, done. */
const char *
evaluation_state_name(enum evaluation_state state)
{
	return (eval_state_names[state]);
}

/*
 * Whether the certificate of attendance of the booking of `f` can be
 * had: attended (or partly), and the same-day form in or its window
 * closed. Its date of issue into `*issued_on`: the day the same-day form
 * came in (`sent_at`, or EVALUATION_NO_TIME) or the window closed,
 * whichever came first.
 */
int
evaluation_certificate(const struct evaluation_facts *f, long long sent_at,
    int *issued_on)
{
	struct evaluation_windows	 w;
	const struct evaluation_window	*x;

	evaluation_windows(f, &w);
	x = &w.stage[STAGE_SAME_DAY];
	*issued_on = evaluation_london_date(sent_at != EVALUATION_NO_TIME &&
	    sent_at < x->closes_at ? sent_at : x->closes_at);
	return (x->opens_at != EVALUATION_NO_TIME &&
	    (f->sent[STAGE_SAME_DAY] || f->now >= x->closes_at));
}

/*
 * Time `t` as ISO 8601 in Europe/London to the second, with its offset
 * ("2026-03-29T09:30:00+01:00"); null's text for EVALUATION_NO_TIME is
 * the caller's to write.
 */
void
evaluation_time_iso(long long t, char *buf, size_t len)
{
	struct tm	tm;
	long long	s;
	time_t		tt;
	int		off;

	s = eval_floor_div(t, EVAL_USEC);
	off = ical_london_offset(s);
	tt = (time_t)(s + off);
	gmtime_r(&tt, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, off / 3600);
}

/* Date `d` (days since 1970-01-01) as ISO 8601, "2026-06-29". */
void
evaluation_date_iso(int d, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)d * 86400;

	gmtime_r(&tt, &tm);
	snprintf(buf, len, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
}

/*
 * Check the JSON object `body` of `stage`'s answers into `a` (free with
 * evaluation_answers_free(), whatever the result); every wrong or
 * unknown field is named in `fields`. Returns the number of problems.
 */
int
evaluation_parse_json(enum evaluation_stage stage, const cJSON *body,
    struct evaluation_answers *a, cJSON *fields)
{
	const struct evaluation_question	*q;
	const cJSON				*v;
	const char				*why, *text;
	char					 num[32], *out;
	size_t					 i, n;
	int					 bad;

	memset(a, 0, sizeof(*a));
	bad = 0;
	if (!cJSON_IsObject(body)) {
		cJSON_AddStringToObject(fields, "body", "Send the answers as a "
		    "JSON object.");
		return (1);
	}
	q = evaluation_questions(stage, &n);
	cJSON_ArrayForEach(v, body) {
		for (i = 0; i < n; i++)
			if (v->string != NULL && strcmp(v->string, q[i].field) == 0)
				break;
		if (i == n && v->string != NULL &&
		    !cJSON_HasObjectItem(fields, v->string)) {
			cJSON_AddStringToObject(fields, v->string,
			    "This is not a question of this form.");
			bad++;
		}
	}
	for (i = 0; i < n; i++) {
		v = cJSON_GetObjectItemCaseSensitive(body, q[i].field);
		why = NULL;
		out = NULL;
		if (q[i].kind == EVAL_SET) {
			if (eval_set(&q[i], v, a, &why) == -1) {
				cJSON_AddStringToObject(fields, q[i].field, why);
				bad++;
			}
			continue;
		}
		text = NULL;
		if (v == NULL || cJSON_IsNull(v))
			text = NULL;
		else if (q[i].kind == EVAL_SCALE && cJSON_IsNumber(v)) {
			if (v->valuedouble != floor(v->valuedouble) ||
			    fabs(v->valuedouble) > 1e6)
				why = "Must be a whole number.";
			else {
				snprintf(num, sizeof(num), "%d",
				    (int)v->valuedouble);
				text = num;
			}
		} else if (q[i].kind != EVAL_SCALE && cJSON_IsString(v))
			text = v->valuestring;
		else
			why = q[i].kind == EVAL_SCALE ? "Must be a whole number." :
			    "Must be text.";
		if (why == NULL)
			(void)eval_check(&q[i], text, &out, &why);
		if (why != NULL) {
			cJSON_AddStringToObject(fields, q[i].field, why);
			bad++;
		}
		if (eval_add_value(a, out) == -1)
			bad++;
	}
	return (bad);
}

/*
 * The online same-day form's one rule beyond the values: its five
 * ratings are required (paper forms may leave them blank). Names each
 * missing one in `fields`; returns their number.
 */
int
evaluation_require_ratings(const struct evaluation_answers *a, cJSON *fields)
{
	size_t	i;
	int	bad;

	bad = 0;
	for (i = 0; i < 5; i++)
		if ((i >= a->n || a->value[i] == NULL) &&
		    !cJSON_HasObjectItem(fields, eval_same_day[i].field)) {
			cJSON_AddStringToObject(fields, eval_same_day[i].field,
			    "Choose a rating from 1 (poor) to 5 (excellent).");
			bad++;
		}
	return (bad);
}

/*
 * Check one row of a paper form's CSV (`n` cells in the order of
 * evaluation_paper_header; blank is not answered) into `a` (free with
 * evaluation_answers_free()); problems named in `fields`. Returns their
 * number.
 */
int
evaluation_parse_row(const char *const *cells, size_t n,
    struct evaluation_answers *a, cJSON *fields)
{
	const struct evaluation_question	*q;
	const char				*why;
	char					*out;
	size_t					 i, nq;
	int					 bad;

	memset(a, 0, sizeof(*a));
	q = evaluation_questions(STAGE_SAME_DAY, &nq);
	if (n != nq) {
		cJSON_AddStringToObject(fields, "row", "Must have 13 cells, as "
		    "the template's header.");
		return (1);
	}
	bad = 0;
	for (i = 0; i < nq; i++) {
		out = NULL;
		if (eval_check(&q[i], cells[i], &out, &why) == -1) {
			cJSON_AddStringToObject(fields, q[i].field, why);
			bad++;
		}
		if (eval_add_value(a, out) == -1)
			bad++;
	}
	return (bad);
}

/*
 * Read the paper forms of the `len` bytes of CSV `buf`, a row at a time:
 * the template's header, then one anonymous same-day form a row. Fills
 * `*forms` (caller frees with evaluation_forms_answers_free(), whatever
 * the result) and `*n`; each problem goes into `errors` as
 * {"row","field","message"} (the header is row 1, as are the file's own
 * problems: not CSV, not UTF-8, too large), the first
 * EVALUATION_PAPER_MAX_PROBLEMS of the rows' (the reading stops there).
 * Returns the number of problems, 0 when there are none.
 */
int
evaluation_read_paper(const void *buf, size_t len,
    struct evaluation_answers **forms, size_t *n, cJSON *errors)
{
	struct eval_paper_reader	r;
	char				err[256];

	memset(&r, 0, sizeof(r));
	r.errors = errors;
	if (csv_read(buf, len, eval_paper_row, &r, err, sizeof(err)) == -1 &&
	    err[0] != '\0') {
		eval_paper_problem(errors, 1, "file", err);
		r.bad++;
	} else if (!r.header_seen) {
		eval_paper_problem(errors, 1, "header", EVAL_PAPER_HEADER);
		r.bad = 1;
	} else if (r.failed) {
		eval_paper_problem(errors, 1, "file", "Out of memory.");
		r.bad++;
	}
	*forms = r.forms;
	*n = r.n;
	return (r.bad);
}

/*
 * csv_read()'s callback: row `line` of `rows` (`arg` a struct
 * eval_paper_reader). The first must be the template's header and have
 * forms under it, at most EVALUATION_PAPER_MAX; each after it is a form,
 * checked, its problems named by its row. Returns 0, or -1 to stop (a
 * wrong header, memory, EVALUATION_PAPER_MAX_PROBLEMS problems named).
 */
static int
eval_paper_row(const struct csv_row *row, size_t line, size_t rows,
    void *arg)
{
	struct eval_paper_reader	*r = arg;
	cJSON				*fields, *v;
	size_t				 i;

	if (line == 1) {
		r->header_seen = 1;
		r->bad = row->n != EVALUATION_PAPER_COLUMNS;
		for (i = 0; !r->bad && i < EVALUATION_PAPER_COLUMNS; i++)
			if (strcmp(row->fields[i], evaluation_paper_header[i]))
				r->bad = 1;
		if (r->bad)
			eval_paper_problem(r->errors, 1, "header",
			    EVAL_PAPER_HEADER);
		else if (rows > EVALUATION_PAPER_MAX + 1) {
			eval_paper_problem(r->errors, 1, "file", "At most "
			    "10000 forms can be sent at once.");
			r->bad = 1;
		} else if (rows < 2) {
			eval_paper_problem(r->errors, 2, "row",
			    "The file has no forms.");
			r->bad = 1;
		} else if ((r->forms = calloc(rows - 1,
		    sizeof(*r->forms))) == NULL)
			r->failed = 1;
		else
			r->room = rows - 1;
		return (r->bad || r->failed ? -1 : 0);
	}
	if (r->n >= r->room) {
		r->failed = 1;
		return (-1);
	}
	fields = cJSON_CreateObject();
	r->bad += evaluation_parse_row((const char *const *)row->fields,
	    row->n, &r->forms[r->n], fields);
	r->n++;
	cJSON_ArrayForEach(v, fields) {
		if (r->problems >= EVALUATION_PAPER_MAX_PROBLEMS)
			break;
		eval_paper_problem(r->errors, line, v->string, v->valuestring);
		r->problems++;
	}
	cJSON_Delete(fields);
	return (r->problems >= EVALUATION_PAPER_MAX_PROBLEMS ? -1 : 0);
}

/* Add a problem with `field` of row `row` to the array `errors`. */
static void
eval_paper_problem(cJSON *errors, size_t row, const char *field,
    const char *message)
{
	cJSON	*e;

	e = cJSON_CreateObject();
	cJSON_AddNumberToObject(e, "row", (double)row);
	cJSON_AddStringToObject(e, "field", field);
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddItemToArray(errors, e);
}

/* Free the `n` answers of `forms` and the array. */
void
evaluation_forms_answers_free(struct evaluation_answers *forms, size_t n)
{
	size_t	i;

	for (i = 0; forms != NULL && i < n; i++)
		evaluation_answers_free(&forms[i]);
	free(forms);
}

void
evaluation_answers_free(struct evaluation_answers *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		free(a->value[i]);
	a->n = 0;
}

/* The questions of `stage` as JSON for a form (caller owns). */
cJSON *
evaluation_questions_json(enum evaluation_stage stage)
{
	const struct evaluation_question	*q;
	cJSON					*arr, *o, *c;
	size_t					 i, j, n;
	static const char *const		 kinds[] = { "scale",
		"choice", "text", "set" };

	arr = cJSON_CreateArray();
	q = evaluation_questions(stage, &n);
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "field", q[i].field);
		cJSON_AddStringToObject(o, "kind", kinds[q[i].kind]);
		cJSON_AddStringToObject(o, "label", q[i].label);
		if (q[i].kind == EVAL_SCALE) {
			cJSON_AddNumberToObject(o, "min", q[i].min);
			cJSON_AddNumberToObject(o, "max", q[i].max);
		} else if (q[i].kind == EVAL_TEXT)
			cJSON_AddNumberToObject(o, "max_length", q[i].max);
		else {
			c = cJSON_AddArrayToObject(o, "choices");
			for (j = 0; q[i].choices[j] != NULL; j++)
				cJSON_AddItemToArray(c,
				    cJSON_CreateString(q[i].choices[j]));
		}
		cJSON_AddItemToArray(arr, o);
	}
	return (arr);
}

/*
 * Check the text `s` (NULL or blank: not answered) against question `q`:
 * 0 with the canonical value in `*out` (caller frees; NULL when not
 * answered), or -1 with the reason in `*why`.
 */
static int
eval_check(const struct evaluation_question *q, const char *s, char **out,
    const char **why)
{
	char	*end;
	long	 v;
	size_t	 i, len;

	*out = NULL;
	*why = NULL;
	if (s == NULL)
		return (0);
	if (q->kind != EVAL_TEXT) {
		while (isspace((unsigned char)*s))
			s++;
		len = strlen(s);
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			len--;
	} else
		len = strlen(s);
	if (len == 0)
		return (0);
	switch (q->kind) {
	case EVAL_SCALE:
		v = strtol(s, &end, 10);
		if (end != s + len || !isdigit((unsigned char)*s) ||
		    v < q->min || v > q->max) {
			*why = q->max == 5 ? "Must be a whole number from 1 to 5." :
			    "Must be a whole number from 1 to 10.";
			return (-1);
		}
		if ((*out = malloc(24)) == NULL)
			return (-1);
		snprintf(*out, 24, "%ld", v);
		return (0);
	case EVAL_CHOICE:
		for (i = 0; q->choices[i] != NULL; i++)
			if (strlen(q->choices[i]) == len &&
			    strncasecmp(s, q->choices[i], len) == 0)
				return ((*out = strdup(q->choices[i])) == NULL ?
				    -1 : 0);
		*why = q->choices == eval_yes_no ? "Must be yes or no." :
		    q->choices == eval_yes_partly_no ? "Must be yes, partly or no." :
		    "Must be yes, no or unsure.";
		return (-1);
	case EVAL_TEXT:
		if (text_utf8_length(s) == (size_t)-1) {
			*why = "Must be text (UTF-8).";
			return (-1);
		}
		if (text_utf8_length(s) > (size_t)q->max) {
			*why = q->max == 2000 ? "Must be at most 2000 characters." :
			    "Must be at most 4000 characters.";
			return (-1);
		}
		return ((*out = strdup(s)) == NULL ? -1 : 0);
	default:
		*why = "Not a question to answer this way.";
		return (-1);
	}
}

/* Check a set (a JSON list of choices) into one boolean a choice. */
static int
eval_set(const struct evaluation_question *q, const cJSON *v,
    struct evaluation_answers *a, const char **why)
{
	const cJSON	*e;
	int		 seen[8];
	size_t		 i, n;

	for (n = 0; q->choices[n] != NULL; n++)
		seen[n] = 0;
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsArray(v)) {
			*why = "Must be a list of information_sharing, "
			    "joint_working, referrals (empty for none).";
			goto bad;
		}
		cJSON_ArrayForEach(e, v) {
			for (i = 0; i < n; i++)
				if (cJSON_IsString(e) &&
				    strcmp(e->valuestring, q->choices[i]) == 0)
					break;
			if (i == n || seen[i]) {
				*why = "Must be a list of information_sharing, "
				    "joint_working, referrals (each once, "
				    "empty for none).";
				goto bad;
			}
			seen[i] = 1;
		}
	}
	for (i = 0; i < n; i++)
		if (eval_add_value(a, v == NULL || cJSON_IsNull(v) ? NULL :
		    strdup(seen[i] ? "true" : "false")) == -1)
			return (-1);
	return (0);
bad:
	for (i = 0; i < n; i++)
		(void)eval_add_value(a, NULL);
	return (-1);
}

static int
eval_add_value(struct evaluation_answers *a, char *v)
{
	if (a->n == EVALUATION_VALUES_MAX) {
		free(v);
		return (-1);
	}
	a->value[a->n++] = v;
	return (0);
}

/*
 * The summary of a session's same-day forms `f` as JSON (caller owns),
 * intervals at `level`: completion of every form, the answers of the
 * f->n released ones; aggregates under 5 suppressed unless `exempt`.
 */
cJSON *
evaluation_summary(const struct evaluation_forms *f, int exempt,
    double level)
{
	static const char *const	 outcome[] = { "yes", "partly", "no" };
	static const char *const	 improve[] = { "yes", "no", "unsure" };
	cJSON				*out, *o, *arr;
	size_t				 i, k, n, places;
	int				 hide;

	out = cJSON_CreateObject();
	places = f->attended + f->partial;
	hide = stats_suppressed(f->n, exempt);
	/* Completion counts every form; the answers only the n released. */
	cJSON_AddItemToObject(out, "completion", figure_proportion(
	    f->online + f->paper < places ? f->online + f->paper : places,
	    places, level, 1));
	cJSON_AddNumberToObject(out, "level", level);
	cJSON_AddNumberToObject(out, "respondents", (double)f->n);
	cJSON_AddBoolToObject(out, "suppressed", hide);
	o = cJSON_AddObjectToObject(out, "places");
	cJSON_AddNumberToObject(o, "attended", (double)f->attended);
	cJSON_AddNumberToObject(o, "partial", (double)f->partial);
	cJSON_AddNumberToObject(o, "unscheduled", (double)f->walk_ins);
	cJSON_AddNumberToObject(o, "total", (double)places);
	o = cJSON_AddObjectToObject(out, "forms");
	cJSON_AddNumberToObject(o, "online", (double)f->online);
	cJSON_AddNumberToObject(o, "paper", (double)f->paper);
	cJSON_AddNumberToObject(o, "total", (double)(f->online + f->paper));
	cJSON_AddNumberToObject(o, "held_back",
	    (double)(f->online + f->paper > f->n ? f->online + f->paper - f->n :
	    0));
	if (hide)
		return (out);

	o = cJSON_AddObjectToObject(out, "ratings");
	for (i = 0; i < 5; i++)
		cJSON_AddItemToObject(o, eval_rating_names[i],
		    eval_mean(f->ratings, f->n, (int)i, level, exempt));

	o = cJSON_AddObjectToObject(out, "improve_safeguarding");
	for (n = 0, i = 0; i < f->n; i++)
		n += f->improve[i] != 0;
	for (k = 0; k < 3; k++) {
		size_t	c = 0;

		for (i = 0; i < f->n; i++)
			c += f->improve[i] == (int)k + 1;
		cJSON_AddItemToObject(o, improve[k],
		    figure_proportion(c, n, level, exempt));
	}
	o = cJSON_AddObjectToObject(out, "outcomes_met");
	for (n = 0, i = 0; i < f->n; i++)
		n += f->outcomes[i] != 0;
	for (k = 0; k < 3; k++) {
		size_t	c = 0;

		for (i = 0; i < f->n; i++)
			c += f->outcomes[i] == (int)k + 1;
		cJSON_AddItemToObject(o, outcome[k],
		    figure_proportion(c, n, level, exempt));
	}

	cJSON_AddItemToObject(out, "knowledge",
	    eval_paired(f->scores, f->n, 0, level, exempt));
	cJSON_AddItemToObject(out, "confidence",
	    eval_paired(f->scores, f->n, 2, level, exempt));

	arr = cJSON_AddArrayToObject(out, "comments");
	for (i = 0; i < f->ncomments; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(f->comments[i]));
	arr = cJSON_AddArrayToObject(out, "actions");
	for (i = 0; i < f->nactions; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(f->actions[i]));
	return (out);
}

/* Rating `col`'s mean with its t interval, and its counts of 1..5. */
static cJSON *
eval_mean(const int (*r)[5], size_t n, int col, double level,
    int coordinator)
{
	cJSON			*o, *d;
	double			*x;
	size_t			 i, k, counts[5];

	if ((x = calloc(n + 1, sizeof(*x))) == NULL) {
		o = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "suppressed", 1);
		return (o);
	}
	memset(counts, 0, sizeof(counts));
	for (k = 0, i = 0; i < n; i++)
		if (r[i][col] >= 1 && r[i][col] <= 5) {
			x[k++] = r[i][col];
			counts[r[i][col] - 1]++;
		}
	o = figure_mean(x, k, level, coordinator);
	if (!stats_suppressed(k, coordinator)) {
		d = cJSON_AddArrayToObject(o, "distribution");
		for (i = 0; i < 5; i++)
			cJSON_AddItemToArray(d,
			    cJSON_CreateNumber((double)counts[i]));
	}
	free(x);
	return (o);
}

/*
 * Before/after of scores `col` and `col + 1` where both were answered:
 * the paired tests and the impact score.
 */
static cJSON *
eval_paired(const int (*s)[4], size_t n, int col, double level,
    int coordinator)
{
	struct stats_paired	 p;
	struct stats_impact	 im;
	cJSON			*o, *t;
	double			*b, *a;
	size_t			 i, k;

	o = cJSON_CreateObject();
	b = calloc(n + 1, sizeof(*b));
	a = calloc(n + 1, sizeof(*a));
	for (k = 0, i = 0; a != NULL && b != NULL && i < n; i++)
		if (s[i][col] > 0 && s[i][col + 1] > 0) {
			b[k] = s[i][col];
			a[k++] = s[i][col + 1];
		}
	if (a == NULL || b == NULL || stats_suppressed(k, coordinator) ||
	    k == 0 || stats_paired(b, a, k, level, &p) == -1 ||
	    stats_impact(b, a, k, &im) == -1) {
		if (a != NULL && b != NULL && k == 0 &&
		    !stats_suppressed(k, coordinator))
			cJSON_AddNumberToObject(o, "n", 0);
		else
			cJSON_AddBoolToObject(o, "suppressed", 1);
		free(a);
		free(b);
		return (o);
	}
	cJSON_AddNumberToObject(o, "n", (double)p.n);
	figure_number(o, "mean_before", p.mean_before);
	figure_number(o, "mean_after", p.mean_after);
	figure_number(o, "mean_diff", p.mean_diff);
	figure_number(o, "sd_diff", p.sd_diff);
	figure_number(o, "ci_lower", p.ci_lower);
	figure_number(o, "ci_upper", p.ci_upper);
	figure_number(o, "t", p.t);
	figure_number(o, "df", p.df);
	figure_number(o, "p_t", p.p_t);
	figure_number(o, "dz", p.dz);
	cJSON_AddNumberToObject(o, "n_nonzero", (double)p.n_nonzero);
	figure_number(o, "w_plus", p.w_plus);
	figure_number(o, "w_minus", p.w_minus);
	figure_number(o, "z", p.z);
	figure_number(o, "p_w", p.p_w);
	figure_number(o, "rank_biserial", p.rank_biserial);
	t = cJSON_AddObjectToObject(o, "impact");
	figure_number(t, "score", im.score);
	figure_number(t, "mean_before", im.mean_before);
	figure_number(t, "mean_after", im.mean_after);
	free(a);
	free(b);
	return (o);
}
