/*
 * h_reports: the impact reports, for reviewers (the training sub-group)
 * and coordinators. Each takes the filters of report_filter_parse() and
 * answers JSON, or CSV with ?format=csv; the annual report also
 * printable HTML. Answers of evaluations are under disclosure control for
 * every role alike (README "Disclosure control": only released steps of
 * at least 5 forms count, and small figures are suppressed for
 * coordinators too). Each answer is kept while
 * the data it stands for is unchanged (db_report_answer.c), per report,
 * filters and audience; a CSV or the printable page is written from it.
 * An answer not kept is gathered in a thread, never in the request
 * (reply_report.c): meanwhile the request gets the last answer kept,
 * marked as of its time, or 202.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "csv.h"
#include "db_report.h"
#include "db_report_answer.h"
#include "qs.h"
#include "report.h"
#include "report_html.h"
#include "printer.h"
#include "reply.h"
#include "reply_report.h"
#include "site.h"
#include "sqlparam.h"
#include "year.h"

/* Intervals are 95 % throughout. */
#define REPORT_LEVEL	0.95

int	h_report_attendance(struct http_request *);
int	h_report_courses(struct http_request *);
int	h_report_agencies(struct http_request *);
int	h_report_evaluation(struct http_request *);
int	h_report_annual(struct http_request *);

enum report_kind {
	KIND_ATTENDANCE,
	KIND_COURSES,
	KIND_AGENCIES,
	KIND_EVALUATION,
	KIND_ANNUAL,
	KIND__MAX
};

static const char *const report_kinds[KIND__MAX] = {
	"attendance", "courses", "agencies", "evaluation", "annual"
};

/*
 * The parameters each report takes, in name order (its kept answer's key
 * lists them so): any other is named in a 422, so that a query the
 * report does not read cannot make it gather afresh and keep another
 * answer.
 */
static const char *const report_known[KIND__MAX][16] = {
	[KIND_ATTENDANCE] = { "agency_id", "area", "by", "course_id",
	    "exclude_formats", "format", "from", "from_year", "group_level",
	    "sector", "to", "to_year", "topic", "year", NULL },
	[KIND_COURSES] = { "agency_id", "area", "course_id",
	    "exclude_formats", "format", "from", "group_level", "sector", "to",
	    "topic", "year", NULL },
	[KIND_AGENCIES] = { "agency_id", "area", "course_id",
	    "exclude_formats", "format", "from", "group_level", "sector", "to",
	    "topic", "year", NULL },
	[KIND_EVALUATION] = { "agency_id", "area", "by", "course_id",
	    "exclude_formats", "format", "from", "group_level", "sector", "to",
	    "topic", "year", NULL },
	[KIND_ANNUAL] = { "agency_id", "area", "course_id",
	    "exclude_formats", "format", "from", "group_level", "sector", "to",
	    "topic", "year", NULL },
};

/*
 * What report_gather() builds, in a gathering thread: the report and the
 * query and filters it reads, its own (report_job_free()).
 */
struct report_job {
	enum report_kind	 kind;
	struct qs		 q;
	struct report_filter	 f;
};

static int	report_route(struct http_request *, enum report_kind);
static cJSON	*report_route_filters(struct report_job *, char [8]);
static int	report_reply_as(struct http_request *, enum report_kind,
		    const char *, const char *);
/*
 * The annual report being printed to PDF: the request's state while a
 * task thread waits for the printer (printer.c), so that the worker's
 * other requests do not wait behind Chromium. The task owns `html` until
 * it is done; Kore frees the state only once the task has finished.
 */
struct report_print {
	struct kore_task	 task;		/* first: the task is the state */
	char			*html;
	char			*pdf;
	size_t			 pdflen;
	char			 year[8];
	int			 ok;
};

static int	report_pdf_start(struct http_request *, char *, const char *);
static int	report_pdf_run(struct kore_task *);
static int	report_pdf_finish(struct http_request *,
		    struct report_print *);
static void	report_pdf_free(struct http_request *);
static enum db_status	report_gather(void *, cJSON **);
static void	report_job_free(void *);
static int	report_build(enum report_kind, struct report_filter *,
		    cJSON **);
static int	report_build_annual(const struct report_filter *, cJSON **);
static int	report_attendance_of(struct report_filter *, cJSON **);
static int	report_fy_now(void);
static char	*report_answer_key(enum report_kind, int, const struct qs *,
		    const struct report_filter *);

/*
 * GET /api/v1/reports/attendance?from_year=&to_year=&by=&exclude_formats=
 *     (and the filters): places taken up by financial year, with trends
 * GET /api/v1/reports/courses?year=   per course
 * GET /api/v1/reports/agencies?year=  per agency, with the chi-square test
 * GET /api/v1/reports/evaluation?by=course|agency|sector (optional)
 * GET /api/v1/reports/annual?year=&format=json|html|pdf
 * Each: 200; ?format=csv (not annual) text/csv; 422 a filter named, or
 * a query string that cannot be read; 401; 403 (reviewers and
 * coordinators only); the PDF 503 when it could not be printed.
 */
int
h_report_attendance(struct http_request *req)
{
	return (report_route(req, KIND_ATTENDANCE));
}

int
h_report_courses(struct http_request *req)
{
	return (report_route(req, KIND_COURSES));
}

int
h_report_agencies(struct http_request *req)
{
	return (report_route(req, KIND_AGENCIES));
}

int
h_report_evaluation(struct http_request *req)
{
	return (report_route(req, KIND_EVALUATION));
}

int
h_report_annual(struct http_request *req)
{
	struct report_print	*p;

	/* Woken when the PDF's task is done. */
	if ((p = http_state_get(req)) != NULL)
		return (report_pdf_finish(req, p));
	return (report_route(req, KIND_ANNUAL));
}

static int
report_route(struct http_request *req, enum report_kind kind)
{
	static const struct preamble	pre = {
		.get = ROLE_REVIEWER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct report_job	*job;
	cJSON			*fields;
	char			 format[8], *key, *text;
	int			 coordinator, rc;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	coordinator = (who.roles & ROLE_COORDINATOR) != 0;
	rc = KORE_RESULT_OK;
	text = NULL;
	key = NULL;
	if ((job = calloc(1, sizeof(*job))) == NULL) {
		reply_db_failure(req, DB_ERR);
		return (KORE_RESULT_OK);
	}
	job->kind = kind;

	/* The query: the filters and the format, every problem named. */
	if (!reply_parse_query(req, &job->q)) {
		report_job_free(job);
		return (KORE_RESULT_OK);
	}
	fields = report_route_filters(job, format);
	if (cJSON_GetArraySize(fields) > 0) {
		reply_error(req, 422, "invalid", "Some filters are not valid.",
		    fields);
		report_job_free(job);
		goto done;
	}
	cJSON_Delete(fields);

	/* Trainers and coordinators may type in or upload forms: their
	 * figures are their own (kept apart under their id). */
	if (who.roles & (ROLE_TRAINER | ROLE_COORDINATOR))
		sqlparam_id(job->f.viewer, who.person_id);

	/* The answer, kept while its data is unchanged, else gathered;
	 * the job is the gathering's from here on. */
	if ((key = report_answer_key(kind, coordinator, &job->q,
	    &job->f)) == NULL) {
		report_job_free(job);
		reply_db_failure(req, DB_ERR);
		goto done;
	}
	if (!reply_report_answer(req, key, report_gather, job,
	    report_job_free, strcmp(format, "html") == 0 ||
	    strcmp(format, "pdf") == 0 ? REPLY_REPORT_HTML : REPLY_REPORT_JSON,
	    &text))
		goto done;

	/* The answer in the format asked. */
	if (strcmp(format, "json") == 0)
		reply_bytes(req, 200, "application/json", text, strlen(text));
	else
		rc = report_reply_as(req, kind, format, text);
done:
	free(text);
	free(key);
	return (rc);
}

/*
 * Read the filters and the format of report job->kind from job->q into
 * job->f and `format` ("json" when not given). Returns the problems by
 * parameter (caller frees; an empty object when there are none).
 */
static cJSON *
report_route_filters(struct report_job *job, char format[8])
{
	enum report_kind	 kind = job->kind;
	const char		*given;
	cJSON			*fields;
	int			 takes;

	/* The filters this report takes, and no others. */
	takes = kind == KIND_ATTENDANCE ? REPORT_TAKES_YEARS | REPORT_TAKES_BY :
	    kind == KIND_EVALUATION ? REPORT_TAKES_YEAR | REPORT_TAKES_BY :
	    REPORT_TAKES_YEAR;
	fields = cJSON_CreateObject();
	(void)report_filter_parse(&job->q, takes, &job->f, fields);
	(void)qs_unknown(&job->q, report_known[kind], "This report does not "
	    "take this parameter.", fields);

	/* The format: JSON, or CSV (the annual report: HTML or PDF). */
	given = qs_get(&job->q, "format");
	if (given != NULL && strcmp(given, "json") != 0 &&
	    strcmp(given, kind == KIND_ANNUAL ? "html" : "csv") != 0 &&
	    (kind != KIND_ANNUAL || strcmp(given, "pdf") != 0))
		cJSON_AddStringToObject(fields, "format", kind == KIND_ANNUAL ?
		    "Must be json, html or pdf." : "Must be json or csv.");
	snprintf(format, 8, "%s", given != NULL ? given : "json");

	/* The evaluation report groups by course, agency or sector, or
	 * not at all. */
	if (kind == KIND_EVALUATION && qs_get(&job->q, "by") != NULL &&
	    job->f.by != REPORT_BY_COURSE && job->f.by != REPORT_BY_AGENCY &&
	    job->f.by != REPORT_BY_SECTOR &&
	    cJSON_GetObjectItem(fields, "by") == NULL)
		cJSON_AddStringToObject(fields, "by", "Enter course, agency "
		    "or sector.");
	if (kind == KIND_EVALUATION && qs_get(&job->q, "by") == NULL)
		job->f.by = REPORT_BY__MAX;
	return (fields);
}

/*
 * Answer with report `kind`'s answer `text` (its JSON) written as
 * `format`: "csv", a download; "html", the printable page; "pdf", that
 * page printed. Returns the Kore result (a PDF's task keeps the
 * request).
 */
static int
report_reply_as(struct http_request *req, enum report_kind kind,
    const char *format, const char *text)
{
	struct csv_out		 csv;
	cJSON			*out;
	char			 disposition[96], *html;
	int			 rc;

	rc = KORE_RESULT_OK;
	if ((out = cJSON_Parse(text)) == NULL) {
		reply_db_failure(req, DB_ERR);
		return (rc);
	}
	if (strcmp(format, "csv") == 0) {
		if (report_csv(out, report_kinds[kind], &csv) == -1) {
			reply_db_failure(req, DB_ERR);
			goto done;
		}
		snprintf(disposition, sizeof(disposition), "attachment; "
		    "filename=\"%s-report.csv\"", report_kinds[kind]);
		http_response_header(req, "content-disposition", disposition);
		reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data,
		    csv.len);
		csv_out_free(&csv);
		goto done;
	}
	if ((html = report_html_annual(out, site_partnership())) == NULL) {
		reply_db_failure(req, DB_ERR);
		goto done;
	}
	if (strcmp(format, "pdf") == 0) {
		/* The task owns the document now. */
		rc = report_pdf_start(req, html, cJSON_GetStringValue(
		    cJSON_GetObjectItem(out, "year")));
		goto done;
	}
	reply_bytes(req, 200, "text/html; charset=utf-8", html, strlen(html));
	free(html);
done:
	cJSON_Delete(out);
	return (rc);
}

/*
 * Print the annual report's document `html` (taken over: freed here or
 * by the task) of year `year` to PDF in a task; the request sleeps until
 * report_pdf_finish(). Returns KORE_RESULT_RETRY, or KORE_RESULT_OK when
 * the request has been answered (out of memory).
 */
static int
report_pdf_start(struct http_request *req, char *html, const char *year)
{
	struct report_print	*p;

	p = http_state_create(req, sizeof(*p), report_pdf_free);
	memset(p, 0, sizeof(*p));
	p->html = html;
	snprintf(p->year, sizeof(p->year), "%s", year ? year : "");
	kore_task_create(&p->task, report_pdf_run);
	kore_task_bind_request(&p->task, req);
	kore_task_run(&p->task);
	return (KORE_RESULT_RETRY);
}

/* In a task thread: only `p` is touched. */
static int
report_pdf_run(struct kore_task *t)
{
	struct report_print	*p = (struct report_print *)t;

	p->ok = printer_print(p->html, strlen(p->html), &p->pdf,
	    &p->pdflen) == 0;
	free(p->html);
	p->html = NULL;
	return (KORE_RESULT_OK);
}

/*
 * The PDF of `p` as a download once its task is done; 503 when it could
 * not be printed (the page can still be printed from the browser).
 */
static int
report_pdf_finish(struct http_request *req, struct report_print *p)
{
	char	disposition[96];

	if (!kore_task_finished(&p->task)) {
		http_request_sleep(req);
		return (KORE_RESULT_RETRY);
	}
	if (!p->ok) {
		reply_error(req, 503, "unavailable", "The PDF could not be "
		    "made just now. Print the page instead, or try again "
		    "later.", NULL);
		return (KORE_RESULT_OK);
	}
	snprintf(disposition, sizeof(disposition), "attachment; filename=\""
	    "annual-training-report-%.4s-%.2s.pdf\"", p->year,
	    strlen(p->year) == 7 ? p->year + 5 : "");
	http_response_header(req, "content-disposition", disposition);
	reply_bytes(req, 200, "application/pdf", p->pdf, p->pdflen);
	return (KORE_RESULT_OK);
}

/*
 * The request's free callback (Kore may call it while the task still
 * runs, and again when it is done): the PDF once the task has finished.
 */
static void
report_pdf_free(struct http_request *req)
{
	struct report_print	*p;

	if ((p = http_state_get(req)) == NULL ||
	    !kore_task_finished(&p->task))
		return;
	free(p->pdf);
	p->pdf = NULL;
	free(p->html);
	p->html = NULL;
}

/* Free a struct report_job and what it holds. */
static void
report_job_free(void *arg)
{
	struct report_job	*job = arg;

	report_filter_free(&job->f);
	qs_free(&job->q);
	free(job);
}

/* Gather and build the report of `arg` (a struct report_job). */
static enum db_status
report_gather(void *arg, cJSON **out)
{
	struct report_job	*job = arg;

	return (report_build(job->kind, &job->f, out));
}

/* Gather and build report `kind` under `f` into `*out` (caller owns). */
static int
report_build(enum report_kind kind, struct report_filter *f, cJSON **out)
{
	cJSON			*raw;
	int			 st;

	raw = NULL;
	switch (kind) {
	case KIND_ATTENDANCE:
		return (report_attendance_of(f, out));
	case KIND_COURSES:
		if ((st = db_report_courses(f, &raw)) == DB_OK)
			*out = report_courses(raw, 0, REPORT_LEVEL);
		break;
	case KIND_AGENCIES:
		if ((st = db_report_agencies(f, &raw)) == DB_OK)
			*out = report_agencies(raw, REPORT_LEVEL);
		break;
	case KIND_EVALUATION:
		if ((st = db_report_evaluation(f, f->by == REPORT_BY__MAX ?
		    NULL : report_by_name(f->by), &raw)) == DB_OK)
			*out = report_evaluation(raw, 0,
			    REPORT_LEVEL);
		break;
	default:
		return (report_build_annual(f, out));
	}
	cJSON_Delete(raw);
	return (st);
}

/*
 * Gather and build the annual report under `f` into `*out` (caller
 * owns; NULL on failure): for the financial year asked, or the latest
 * with data, attendance by agency and by sector over four years, the
 * courses, the agencies, the evaluation by course, and coverage at the
 * year's end. Returns the db_status.
 */
static int
report_build_annual(const struct report_filter *f, cJSON **out)
{
	struct report_filter	 y, a;
	enum report_kind	 kind;
	cJSON			*raw, *part;
	char			 label[8], as_of[11];
	int			 st, year;

	/* The year asked, or the latest, and its dates. */
	if ((year = f->year) == -1) {
		if ((st = db_report_latest_year(f, &year)) != DB_OK)
			return (st);
		if (year == -1)
			year = report_fy_now();
	}
	y = *f;
	y.year = year;
	snprintf(y.from, sizeof(y.from), "%04u-04-01",
	    (unsigned)year % 10000u);
	snprintf(y.to, sizeof(y.to), "%04u-03-31",
	    (unsigned)(year + 1) % 10000u);
	*out = cJSON_CreateObject();
	year_label(year, label, sizeof(label));
	cJSON_AddStringToObject(*out, "year", label);
	cJSON_AddNumberToObject(*out, "level", REPORT_LEVEL);

	/* Attendance by agency and by sector, the four years to it. */
	a = y;
	a.from[0] = a.to[0] = '\0';
	a.from_year = year - 3;
	a.to_year = year;
	a.by = REPORT_BY_AGENCY;
	if ((st = report_attendance_of(&a, &part)) != DB_OK)
		goto out;
	cJSON_AddItemToObject(*out, "attendance_by_agency", part);
	a.by = REPORT_BY_SECTOR;
	if ((st = report_attendance_of(&a, &part)) != DB_OK)
		goto out;
	cJSON_AddItemToObject(*out, "attendance_by_sector", part);

	/* The other reports of the year, evaluation by course. */
	for (kind = KIND_ATTENDANCE + 1; kind < KIND_ANNUAL; kind++) {
		if (kind == KIND_EVALUATION)
			y.by = REPORT_BY_COURSE;
		part = NULL;
		if ((st = report_build(kind, &y, &part)) != DB_OK)
			goto out;
		cJSON_AddItemToObject(*out, report_kinds[kind], part);
	}

	/* Coverage on the year's last day. */
	snprintf(as_of, sizeof(as_of), "%04u-03-31",
	    (unsigned)(year + 1) % 10000u);
	raw = NULL;
	if ((st = db_report_coverage(as_of, &raw)) == DB_OK) {
		part = report_coverage(raw, REPORT_LEVEL);
		cJSON_AddStringToObject(part, "as_of", as_of);
		cJSON_AddItemToObject(*out, "coverage", part);
	}
	cJSON_Delete(raw);
out:
	if (st != DB_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return (st);
}

/* The attendance report under `f`: four years to the latest by default. */
static int
report_attendance_of(struct report_filter *f, cJSON **out)
{
	cJSON	*raw;
	int	 st, first, last;

	last = f->to_year;
	first = f->from_year;
	if (last == -1) {
		if (first != -1)
			last = first + 3;
		else {
			if ((st = db_report_latest_year(f, &last)) != DB_OK)
				return (st);
			if (last == -1)
				last = report_fy_now();
		}
	}
	if (first == -1)
		first = last - 3;
	raw = NULL;
	if ((st = db_report_attendance(f, first, last, &raw)) != DB_OK)
		return (st);
	*out = report_attendance(cJSON_GetObjectItem(raw, "cells"),
	    cJSON_GetObjectItem(raw, "totals"), first, last, f->by);
	cJSON_AddItemToObject(*out, "excluded_formats",
	    cJSON_Duplicate(f->excluded, 1));
	cJSON_Delete(raw);
	return (DB_OK);
}

/*
 * The key of report `kind`'s kept answer (db_report_answer.c): the
 * report, its audience (coordinator or reader; with f->viewer, the
 * person whose own typed-in forms do not count for them) and the
 * filters it takes, each in one canonical form: a JSON object of
 * the filters given, by name, the formats to leave out as a set in the
 * table's order, numbers without leading zeros; the format left out (a
 * CSV is the same answer written otherwise). So two queries that ask the
 * same thing share an answer, and every key stands for a distinct
 * question. Caller frees; NULL when out of memory.
 */
static char *
report_answer_key(enum report_kind kind, int coordinator,
    const struct qs *q, const struct report_filter *f)
{
	const char *const	*name;
	const cJSON		*e;
	const char		*v;
	cJSON			*obj;
	char			*filters, *key, formats[128];
	size_t			 len;

	key = filters = NULL;
	if ((obj = cJSON_CreateObject()) == NULL)
		return (NULL);
	for (name = report_known[kind]; *name != NULL; name++) {
		v = qs_get(q, *name);
		if (strcmp(*name, "format") == 0)
			continue;
		if (strcmp(*name, "exclude_formats") == 0) {
			formats[0] = '\0';
			cJSON_ArrayForEach(e, f->excluded) {
				len = strlen(formats);
				snprintf(formats + len, sizeof(formats) - len,
				    "%s%s", len ? "," : "",
				    cJSON_GetStringValue(e));
			}
			v = formats[0] != '\0' ? formats : NULL;
		} else if (strcmp(*name, "course_id") == 0 ||
		    strcmp(*name, "agency_id") == 0) {
			v = strcmp(*name, "course_id") == 0 ? f->course :
			    f->agency;
			while (v[0] == '0' && v[1] != '\0')
				v++;
			if (v[0] == '\0')
				v = NULL;
		}
		if (v != NULL && cJSON_AddStringToObject(obj, *name, v) ==
		    NULL)
			goto out;
	}
	if ((filters = cJSON_PrintUnformatted(obj)) == NULL)
		goto out;
	len = strlen(filters) + strlen(f->viewer) + 32;
	if ((key = malloc(len)) != NULL)
		snprintf(key, len, "%s|%s%s%s|%s", report_kinds[kind],
		    coordinator ? "coordinator" : "reader",
		    f->viewer[0] ? ":" : "", f->viewer, filters);
out:
	free(filters);
	cJSON_Delete(obj);
	return (key);
}

/* The financial year today is in. */
static int
report_fy_now(void)
{
	struct tm	tm;
	time_t		now;

	now = time(NULL);
	localtime_r(&now, &tm);
	return (tm.tm_year + 1900 - (tm.tm_mon < 3));
}
