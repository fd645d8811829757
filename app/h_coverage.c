/*
 * h_coverage: workforce coverage. A setting's coverage by level and its
 * staffing returns; the partnership's coverage table and training
 * needs. Figures come from stats/ (through coverage.c); SQL counts.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agency_access.h"
#include "auth.h"
#include "coverage.h"
#include "csv.h"
#include "db_coverage.h"
#include "qs.h"
#include "reply.h"
#include "reply_report.h"
#include "report.h"
#include "text.h"

int	h_agency_coverage(struct http_request *);
int	h_staffing_return(struct http_request *);
int	h_report_coverage(struct http_request *);
int	h_report_training_needs(struct http_request *);

/*
 * What coverage_partnership() builds, in a gathering thread
 * (reply_report.c): its own copy of the date, and the query its filter
 * points into (coverage_job_free()).
 */
struct coverage_job {
	char			 as_of[16];
	struct qs		 q;
	struct coverage_filter	 filter;
};

/* A level's basis of sessions_needed, worked out once for all settings. */
struct coverage_level_basis {
	const char		*code;
	const cJSON		*gathered;	/* its "from", "to" */
	struct coverage_basis	 b;
	int			 have;
};

/* The parameters of the two partnership reports: any other is a 422. */
#define COVERAGE_UNKNOWN	"This report does not take this parameter."
static const char *const coverage_report_known[] = {
	"area", "as_of", "format", "limit", "offset", "phase", "sector", NULL
};
static const char *const coverage_needs_known[] = {
	"format", "from", "to", NULL
};

/* The settings of a page of the partnership's table: by default, most. */
#define COVERAGE_PAGE		100
#define COVERAGE_PAGE_MAX	1000

static int	coverage_query(struct http_request *, struct qs *, cJSON *,
		    char *, size_t);
static void	coverage_filter_read(const struct qs *, struct coverage_filter *,
		    cJSON *);
static enum db_status	coverage_partnership(void *, cJSON **);
static void	coverage_job_free(void *);
static const char *coverage_date(const struct qs *, const char *,
		    const char *, cJSON *);
static int	coverage_format(const struct qs *, cJSON *);
static int	coverage_invalid(struct http_request *, struct qs *, cJSON *);
static int	coverage_figures(cJSON *, const char *, const cJSON *);
static void	coverage_basis_json(cJSON *, const struct coverage_level_basis *);
static void	coverage_csv_levels(struct csv_out *, const cJSON *,
		    const char *);
static void	coverage_csv_number(struct csv_out *, const cJSON *,
		    const char *, int);
static void	coverage_send_csv(struct http_request *, struct csv_out *,
		    const char *);
static enum db_status	coverage_needs_figures(cJSON *, const cJSON *);
static void	coverage_csv_needs(struct csv_out *, const cJSON *);
static void	coverage_csv_people(struct csv_out *, const cJSON *);

/*
 * GET /api/v1/agencies/{id}/coverage?as_of=YYYY-MM-DD (default today)
 *     &format=csv&table=levels|people
 * The setting's lead, coordinators and reviewers. 200 {"agency","as_of",
 * "levels":[{"code","name","n","n_source","trained","required",
 * "coverage":{"rate","lower","upper"},"lapsing","expired","never",
 * "sessions_needed","sessions_basis"}],"people":[..]}: people only for
 * the setting lead and coordinators (403 for table=people otherwise).
 * 401, 403, 404, 422.
 */
int
h_agency_coverage(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/agencies/",
		.get = ROLE_SETTING_LEAD | ROLE_COORDINATOR | ROLE_REVIEWER
	};
	struct session_who	 who;
	struct qs		 q;
	struct csv_out		 csv;
	cJSON			*fields, *out, *basis;
	const char		*table, *as_of;
	char			 today[16];
	long long		 agency;
	int			 st, people, as_csv;

	if (!auth_preamble(req, &pre, &who, &agency, NULL) ||
	    !agency_access_require(req, ROLE_REVIEWER, agency, &who))
		return (KORE_RESULT_OK);
	/* The query: the day, the format and the table, every problem
	 * named. */
	fields = cJSON_CreateObject();
	if (!coverage_query(req, &q, fields, today, sizeof(today)))
		return (KORE_RESULT_OK);
	as_of = coverage_date(&q, "as_of", today, fields);
	as_csv = coverage_format(&q, fields);
	table = qs_get(&q, "table");
	if (table != NULL && strcmp(table, "levels") && strcmp(table, "people"))
		cJSON_AddStringToObject(fields, "table", "Must be levels or "
		    "people.");
	if (cJSON_GetArraySize(fields) > 0)
		return (coverage_invalid(req, &q, fields));
	cJSON_Delete(fields);

	/* Only the setting's lead and coordinators see its staff. */
	people = (who.roles & ROLE_COORDINATOR) ||
	    who.lead_agency_id == agency;
	if (table != NULL && strcmp(table, "people") == 0 && !people) {
		qs_free(&q);
		reply_error(req, 403, "forbidden", "Only the setting's lead "
		    "and coordinators see its staff.", NULL);
		return (KORE_RESULT_OK);
	}
	/* The counts by level, and the figures computed from them. */
	out = basis = NULL;
	if ((st = db_coverage_agency(agency, as_of, people, &out)) != DB_OK ||
	    (st = db_coverage_basis(as_of, &basis)) != DB_OK ||
	    (st = coverage_figures(cJSON_GetObjectItem(out, "levels"), NULL,
	    basis)) != DB_OK) {
		reply_db_failure(req, st);
		goto out;
	}
	cJSON_AddStringToObject(out, "as_of", as_of);
	if (!people)
		cJSON_DeleteItemFromObject(out, "people");

	/* The answer: JSON, or CSV of the levels or of the staff. */
	if (!as_csv) {
		reply_json(req, 200, out);
		out = NULL;
		goto out;
	}
	if (table != NULL && strcmp(table, "people") == 0) {
		coverage_csv_people(&csv, cJSON_GetObjectItem(out, "people"));
		coverage_send_csv(req, &csv, "staff-coverage.csv");
	} else {
		coverage_csv_levels(&csv, NULL, NULL);
		coverage_csv_levels(&csv, cJSON_GetObjectItem(out, "levels"),
		    NULL);
		coverage_send_csv(req, &csv, "coverage.csv");
	}
out:
	qs_free(&q);
	cJSON_Delete(out);
	cJSON_Delete(basis);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/agencies/{id}/staffing-return: 200 {"latest","history"}.
 * PUT /api/v1/agencies/{id}/staffing-return {"as_of","headcount":
 *     {"<level code>":N}}: 200 the returns as GET; a return of the same
 *     date is replaced. 422 every wrong field ("headcount.G9").
 * The setting's lead and coordinators: 401, 403, 404.
 */
int
h_staffing_return(struct http_request *req)
{
	static const struct preamble	pre = {
		.id_after = "/api/v1/agencies/",
		.get = ROLE_SETTING_LEAD | ROLE_COORDINATOR,
		.put = ROLE_SETTING_LEAD | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct coverage_return	 r;
	cJSON			*body, *fields, *out;
	char			 ip[64];
	long long		 agency;
	int			 st;

	if (!auth_preamble(req, &pre, &who, &agency, NULL) ||
	    !agency_access_require(req, 0, agency, &who))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_PUT) {
		if (!reply_read_json(req, &body))
			return (KORE_RESULT_OK);
		fields = cJSON_CreateObject();
		/* The database names unknown levels beside the other
		 * problems, and applies nothing if there are any. */
		(void)coverage_return_read(body, &r, fields);
		st = db_coverage_return_put(agency, &r, who.person_id,
		    reply_client_ip(req, ip, sizeof(ip)), fields);
		cJSON_Delete(body);
		if (st == DB_INVALID) {
			reply_invalid(req, fields);
			return (KORE_RESULT_OK);
		}
		cJSON_Delete(fields);
		if (st != DB_OK) {
			reply_db_failure(req, st);
			return (KORE_RESULT_OK);
		}
	}
	out = NULL;
	if ((st = db_coverage_return_get(agency, &out)) != DB_OK)
		reply_db_failure(req, st);
	else
		reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/reports/coverage?as_of=&sector=&phase=&area=&limit=&offset=
 * &format=csv
 * Reviewers and coordinators. 200 {"as_of","filters","levels":[the
 * partnership per level, each with its "sessions_basis"],
 * "settings_total","limit","offset","settings":[{"agency","levels":[worst
 * first]}]}: a page of the settings (100 by default, up to 1000), worst
 * first; the CSV has every setting. With sector=education the annual
 * report's schools table. 401, 403, 422.
 */
int
h_report_coverage(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ROLE_REVIEWER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct coverage_filter	 f;
	struct coverage_job	*job;
	struct qs		 q;
	struct csv_out		 csv;
	const cJSON		*s;
	cJSON			*fields, *out, *settings;
	const char		*as_of;
	char			 today[16], name[64], *key, *text;
	int			 st, as_csv;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	fields = cJSON_CreateObject();
	if (!coverage_query(req, &q, fields, today, sizeof(today)))
		return (KORE_RESULT_OK);
	as_of = coverage_date(&q, "as_of", today, fields);
	as_csv = coverage_format(&q, fields);
	coverage_filter_read(&q, &f, fields);
	(void)qs_unknown(&q, coverage_report_known, COVERAGE_UNKNOWN, fields);
	if (cJSON_GetArraySize(fields) > 0)
		return (coverage_invalid(req, &q, fields));
	cJSON_Delete(fields);
	/* A page is an answer of its own; the CSV has every setting. */
	if (as_csv)
		f.limit = f.offset = 0;
	snprintf(name, sizeof(name), "coverage:%ld:%ld", f.limit, f.offset);
	out = NULL;
	text = NULL;
	if ((key = report_key(name, (who.roles & ROLE_COORDINATOR) != 0, "",
	    &q)) == NULL || (job = calloc(1, sizeof(*job))) == NULL) {
		free(key);
		reply_db_failure(req, DB_ERR);
		goto out;
	}
	/* The query (which the filter points into) is the job's now. */
	snprintf(job->as_of, sizeof(job->as_of), "%s", as_of);
	job->filter = f;
	job->q = q;
	memset(&q, 0, sizeof(q));
	st = reply_report_answer(req, key, coverage_partnership, job,
	    coverage_job_free, REPLY_REPORT_JSON, &text);
	free(key);
	if (!st)
		goto out;
	if (!as_csv) {
		reply_bytes(req, 200, "application/json", text, strlen(text));
		goto out;
	}
	if ((out = cJSON_Parse(text)) == NULL) {
		reply_db_failure(req, DB_ERR);
		goto out;
	}
	settings = cJSON_GetObjectItem(out, "settings");
	coverage_csv_levels(&csv, NULL, "Setting");
	coverage_csv_levels(&csv, cJSON_GetObjectItem(out, "levels"),
	    "All settings");
	cJSON_ArrayForEach(s, settings)
		coverage_csv_levels(&csv, cJSON_GetObjectItem(s, "levels"),
		    cJSON_GetStringValue(cJSON_GetObjectItem(
		    cJSON_GetObjectItem(s, "agency"), "name")));
	coverage_send_csv(req, &csv, "partnership-coverage.csv");
out:
	qs_free(&q);
	cJSON_Delete(out);
	free(text);
	return (KORE_RESULT_OK);
}

/*
 * The settings `q` asks for into `f` (its strings point into `q`): the
 * sector, phase and area, and the page (limit, offset); each wrong one
 * named in `fields`.
 */
static void
coverage_filter_read(const struct qs *q, struct coverage_filter *f,
    cJSON *fields)
{
	f->sector = qs_get(q, "sector");
	f->phase = qs_get(q, "phase");
	f->area = qs_get(q, "area");
	qs_page(q, COVERAGE_PAGE, COVERAGE_PAGE_MAX, fields, &f->limit,
	    &f->offset);
}

/*
 * The partnership's table of `arg` (a struct coverage_job) into `*out`
 * (caller owns): counts from SQL, figures from stats/, worst first.
 */
static enum db_status
coverage_partnership(void *arg, cJSON **out)
{
	const struct coverage_job	*job = arg;
	const struct coverage_filter	*f = &job->filter;
	cJSON				*basis, *settings, *filters, *s;
	enum db_status			 st;

	basis = NULL;
	if ((st = db_coverage_partnership(job->as_of, f, out)) != DB_OK ||
	    (st = db_coverage_basis(job->as_of, &basis)) != DB_OK ||
	    (st = coverage_figures(cJSON_GetObjectItem(*out, "levels"), NULL,
	    basis)) != DB_OK ||
	    (st = coverage_figures(cJSON_GetObjectItem(*out, "settings"),
	    "levels", basis)) != DB_OK)
		goto done;
	/* The settings come worst first; each one's levels are put so. */
	settings = cJSON_GetObjectItem(*out, "settings");
	cJSON_ArrayForEach(s, settings)
		coverage_sort_worst(cJSON_GetObjectItem(s, "levels"));
	cJSON_AddNumberToObject(*out, "limit", (double)f->limit);
	cJSON_AddNumberToObject(*out, "offset", (double)f->offset);
	cJSON_AddStringToObject(*out, "as_of", job->as_of);
	filters = cJSON_AddObjectToObject(*out, "filters");
	cJSON_AddItemToObject(filters, "sector", f->sector ?
	    cJSON_CreateString(f->sector) : cJSON_CreateNull());
	cJSON_AddItemToObject(filters, "phase", f->phase ?
	    cJSON_CreateString(f->phase) : cJSON_CreateNull());
	cJSON_AddItemToObject(filters, "area", f->area ?
	    cJSON_CreateString(f->area) : cJSON_CreateNull());
done:
	cJSON_Delete(basis);
	return (st);
}

/* Free a struct coverage_job and the query it holds. */
static void
coverage_job_free(void *arg)
{
	struct coverage_job	*job = arg;

	qs_free(&job->q);
	free(job);
}

/*
 * GET /api/v1/reports/training-needs?from=&to=&format=csv (default: from
 * today, for a year). Reviewers and
 * coordinators. 200 {"from","to","levels":[{"code","name","never",
 * "expired","expiring","people","sessions_scheduled","places_scheduled",
 * "places_short","sessions_needed","sessions_basis"}]}. 401, 403, 422.
 */
int
h_report_training_needs(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ROLE_REVIEWER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct qs		 q;
	struct csv_out		 csv;
	cJSON			*fields, *out, *levels, *basis;
	const char		*from, *to;
	char			 today[16], year[40];
	int			 st, as_csv, y, m, d;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	/* The query: the dates and the format, every problem named. */
	fields = cJSON_CreateObject();
	if (!coverage_query(req, &q, fields, today, sizeof(today)))
		return (KORE_RESULT_OK);
	from = coverage_date(&q, "from", today, fields);
	/* By default a year from `from` (28 February for 29 February). */
	year[0] = '\0';
	if (from != NULL && sscanf(from, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(year, sizeof(year), "%04d-%02d-%02d", y + 1, m,
		    m == 2 && d == 29 ? 28 : d);
	to = coverage_date(&q, "to", year, fields);
	as_csv = coverage_format(&q, fields);
	if (from != NULL && to != NULL && strcmp(to, from) < 0)
		cJSON_AddStringToObject(fields, "to", "Must be on or after "
		    "from.");
	(void)qs_unknown(&q, coverage_needs_known, COVERAGE_UNKNOWN, fields);
	if (cJSON_GetArraySize(fields) > 0)
		return (coverage_invalid(req, &q, fields));
	cJSON_Delete(fields);

	/* The people to train and the places scheduled by level, and the
	 * places and sessions short. */
	levels = basis = NULL;
	if ((st = db_coverage_needs(from, to, &levels)) != DB_OK ||
	    (st = db_coverage_basis(from, &basis)) != DB_OK) {
		reply_db_failure(req, st);
		goto out;
	}
	if ((st = coverage_needs_figures(levels, basis)) != DB_OK) {
		reply_db_failure(req, st);
		goto out;
	}

	/* The answer: CSV, or JSON. */
	if (as_csv) {
		coverage_csv_needs(&csv, levels);
		coverage_send_csv(req, &csv, "training-needs.csv");
		goto out;
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "from", from);
	cJSON_AddStringToObject(out, "to", to);
	cJSON_AddItemToObject(out, "levels", levels);
	levels = NULL;
	reply_json(req, 200, out);
out:
	qs_free(&q);
	cJSON_Delete(levels);
	cJSON_Delete(basis);
	return (KORE_RESULT_OK);
}

/*
 * The training needs' figures for each level of `levels`, with the
 * sessions' basis `basis`: the people to train (never trained, expired,
 * expiring) are the n, the places scheduled train as many of them as
 * they can, and what is still required is "places_short". Returns the
 * db_status of coverage_figures().
 */
static enum db_status
coverage_needs_figures(cJSON *levels, const cJSON *basis)
{
	cJSON		*l;
	long		 people, places;
	enum db_status	 st;

	cJSON_ArrayForEach(l, levels) {
		people = (long)(cJSON_GetNumberValue(cJSON_GetObjectItem(l,
		    "never")) + cJSON_GetNumberValue(cJSON_GetObjectItem(l,
		    "expired")) + cJSON_GetNumberValue(cJSON_GetObjectItem(l,
		    "expiring")));
		places = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(l,
		    "places_scheduled"));
		cJSON_AddNumberToObject(l, "people", (double)people);
		cJSON_AddNumberToObject(l, "n", (double)people);
		cJSON_AddNumberToObject(l, "trained", (double)(places <
		    people ? places : people));
		cJSON_AddNumberToObject(l, "lapsing", 0);
	}
	if ((st = coverage_figures(levels, NULL, basis)) != DB_OK)
		return (st);
	cJSON_ArrayForEach(l, levels) {
		cJSON_DeleteItemFromObject(l, "n");
		cJSON_DeleteItemFromObject(l, "trained");
		cJSON_DeleteItemFromObject(l, "lapsing");
		cJSON_DeleteItemFromObject(l, "coverage");
		cJSON_AddItemToObject(l, "places_short",
		    cJSON_DetachItemFromObject(l, "required"));
	}
	return (DB_OK);
}

/* The training needs of `levels` as CSV into `csv` (caller frees). */
static void
coverage_csv_needs(struct csv_out *csv, const cJSON *levels)
{
	static const char *const header[] = { "Group level",
	    "Never trained", "Expired", "Expiring", "People to train",
	    "Places scheduled", "Places short", "Sessions needed", NULL };
	const cJSON	*l;

	csv_out_report(csv, header);
	cJSON_ArrayForEach(l, levels) {
		csv_out_field(csv, cJSON_GetStringValue(
		    cJSON_GetObjectItem(l, "name")), 1);
		coverage_csv_number(csv, l, "never", 0);
		coverage_csv_number(csv, l, "expired", 0);
		coverage_csv_number(csv, l, "expiring", 0);
		coverage_csv_number(csv, l, "people", 0);
		coverage_csv_number(csv, l, "places_scheduled", 0);
		coverage_csv_number(csv, l, "places_short", 0);
		coverage_csv_number(csv, l, "sessions_needed", 0);
		csv_out_end_row(csv);
	}
}

/*
 * A setting's staff `people` as CSV into `csv` (caller frees), each
 * person's status in words ("not_trained": "Not trained").
 */
static void
coverage_csv_people(struct csv_out *csv, const cJSON *people)
{
	static const char *const header[] = { "Full name", "Job title",
	    "Group level", "Last trained on", "Expires on", "Status", NULL };
	const cJSON	*p;
	char		 line[64];
	size_t		 i;

	csv_out_report(csv, header);
	cJSON_ArrayForEach(p, people) {
		csv_out_field(csv, cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "full_name")), 1);
		csv_out_field(csv, cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "job_title")), 1);
		csv_out_field(csv, cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "group_level_name")), 1);
		csv_out_date(csv, cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "last_trained_on")));
		csv_out_date(csv, cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "expires_on")));
		snprintf(line, sizeof(line), "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "status")));
		for (i = 0; line[i] != '\0'; i++)
			if (line[i] == '_')
				line[i] = ' ';
		if (line[0] >= 'a' && line[0] <= 'z')
			line[0] -= 'a' - 'A';
		csv_out_field(csv, line, 0);
		csv_out_end_row(csv);
	}
}

/*
 * Parse the query string into `q` and read today's date in London (the
 * default of the dates asked for) into `today`. 0 when refused or the
 * database cannot say (answered; `q` and `fields` released).
 */
static int
coverage_query(struct http_request *req, struct qs *q, cJSON *fields,
    char *today, size_t len)
{
	int	st;

	if (!reply_parse_query(req, q)) {
		cJSON_Delete(fields);
		return (0);
	}
	if ((st = db_coverage_today(today, len)) != DB_OK) {
		qs_free(q);
		cJSON_Delete(fields);
		reply_db_failure(req, st);
		return (0);
	}
	return (1);
}

/* A date parameter, `dflt` when absent; NULL (and a field) when wrong. */
static const char *
coverage_date(const struct qs *q, const char *name, const char *dflt,
    cJSON *fields)
{
	const char	*v;

	if ((v = qs_get(q, name)) == NULL)
		return (dflt);
	if (!text_is_date(v) || strcmp(v, "1990-01-01") < 0 ||
	    strcmp(v, "2200-01-01") > 0) {
		cJSON_AddStringToObject(fields, name, "Enter a date as "
		    "YYYY-MM-DD, like 2017-03-31.");
		return (NULL);
	}
	return (v);
}

/* format=json|csv: 1 for CSV. */
static int
coverage_format(const struct qs *q, cJSON *fields)
{
	const char	*f;

	if ((f = qs_get(q, "format")) == NULL || strcmp(f, "json") == 0)
		return (0);
	if (strcmp(f, "csv") == 0)
		return (1);
	cJSON_AddStringToObject(fields, "format", "Must be csv or json.");
	return (0);
}

static int
coverage_invalid(struct http_request *req, struct qs *q, cJSON *fields)
{
	qs_free(q);
	reply_invalid(req, fields);
	return (KORE_RESULT_OK);
}

/*
 * Complete each level of `items` (or of each item's `member` array)
 * with its figures, using the sessions of `basis` (by level code). Each
 * level's basis is worked out once: the partnership's table has a row a
 * setting and level, and a basis averages a year of sessions.
 */
static int
coverage_figures(cJSON *items, const char *member, const cJSON *basis)
{
	struct coverage_level_basis	*lb, *at;
	const cJSON			*g, *it;
	cJSON				*l;
	const char			*code;
	int				 n, i, st;

	if (items == NULL)
		return (DB_ERR);
	n = cJSON_GetArraySize(basis);
	if ((lb = calloc((size_t)n + 1, sizeof(*lb))) == NULL)
		return (DB_ERR);
	i = 0;
	cJSON_ArrayForEach(g, basis) {
		lb[i].code = g->string;
		lb[i].gathered = g;
		lb[i].have = coverage_basis(g, &lb[i].b) == 0;
		i++;
	}
	st = DB_OK;
	cJSON_ArrayForEach(it, items) {
		l = member == NULL ? (cJSON *)it :
		    cJSON_GetObjectItem(it, member)->child;
		for (; l != NULL; l = member == NULL ? NULL : l->next) {
			/* Its level's basis; the empty last one when none. */
			code = cJSON_GetStringValue(cJSON_GetObjectItem(l,
			    "code"));
			for (at = lb; at < lb + n; at++)
				if (code != NULL && strcmp(at->code, code) == 0)
					break;
			if (coverage_level(l, at->have ? &at->b : NULL) == -1) {
				st = DB_ERR;
				goto done;
			}
			/* A setting's levels share the partnership's basis. */
			if (member == NULL)
				coverage_basis_json(l, at);
		}
	}
done:
	free(lb);
	return (st);
}

/* The basis `at` of a level's sessions_needed, as its "sessions_basis". */
static void
coverage_basis_json(cJSON *level, const struct coverage_level_basis *at)
{
	cJSON	*sb;

	sb = cJSON_AddObjectToObject(level, "sessions_basis");
	cJSON_AddNumberToObject(sb, "sessions", at->have ?
	    (double)at->b.sessions : 0);
	cJSON_AddItemToObject(sb, "from", cJSON_Duplicate(
	    cJSON_GetObjectItem(at->gathered, "from"), 1));
	cJSON_AddItemToObject(sb, "to", cJSON_Duplicate(
	    cJSON_GetObjectItem(at->gathered, "to"), 1));
	if (at->have && isfinite(at->b.capacity))
		cJSON_AddNumberToObject(sb, "capacity", at->b.capacity);
	else
		cJSON_AddNullToObject(sb, "capacity");
	if (at->have && isfinite(at->b.attendance_rate))
		cJSON_AddNumberToObject(sb, "attendance_rate",
		    at->b.attendance_rate);
	else
		cJSON_AddNullToObject(sb, "attendance_rate");
}

/*
 * The rows of a levels table, or its header when `levels` is NULL;
 * `setting` first when not NULL.
 */
static void
coverage_csv_levels(struct csv_out *csv, const cJSON *levels,
    const char *setting)
{
	static const char *const header[] = { "Group level",
	    "Staff counted from", "Staff", "Trained", "Still to train",
	    "Coverage (%)", "Coverage: lower 95% limit (%)",
	    "Coverage: upper 95% limit (%)", "Lapsing in 90 days", "Expired",
	    "Never trained", "Sessions needed", NULL };
	static const char *const cols[] = { "n", "trained", "required",
	    "coverage", "lower", "upper", "lapsing", "expired", "never",
	    "sessions_needed" };
	const cJSON	*l, *cov;
	const char	*source;
	size_t		 i;

	if (levels == NULL) {
		/* The header, after the first column's name if any. */
		csv_out_report(csv, NULL);
		if (setting != NULL)
			csv_out_field(csv, setting, 0);
		for (i = 0; header[i] != NULL; i++)
			csv_out_field(csv, header[i], 0);
		csv_out_end_row(csv);
		return;
	}
	cJSON_ArrayForEach(l, levels) {
		if (setting != NULL)
			csv_out_field(csv, setting, 1);
		csv_out_field(csv, cJSON_GetStringValue(cJSON_GetObjectItem(l,
		    "name")), 1);
		source = cJSON_GetStringValue(cJSON_GetObjectItem(l,
		    "n_source"));
		csv_out_field(csv, source == NULL ? "" :
		    strcmp(source, "return") == 0 ? "Staffing return" :
		    strcmp(source, "staff_list") == 0 ? "Staff list" : source,
		    0);
		cov = cJSON_GetObjectItem(l, "coverage");
		for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
			if (strcmp(cols[i], "coverage") == 0)
				coverage_csv_number(csv, cov, "rate", 1);
			else if (strcmp(cols[i], "lower") == 0 ||
			    strcmp(cols[i], "upper") == 0)
				coverage_csv_number(csv, cov, cols[i], 1);
			else
				coverage_csv_number(csv, l, cols[i], 0);
		}
		csv_out_end_row(csv);
	}
}

/*
 * A number member as a CSV field: a count, or with `percent` a rate as
 * a percentage (blank when null or absent).
 */
static void
coverage_csv_number(struct csv_out *csv, const cJSON *o, const char *name,
    int percent)
{
	const cJSON	*v;
	double		 d;

	v = cJSON_GetObjectItem(o, name);
	d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
	if (percent)
		csv_out_percent(csv, d);
	else
		csv_out_count(csv, d);
}

static void
coverage_send_csv(struct http_request *req, struct csv_out *csv,
    const char *name)
{
	char	disposition[96];

	snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"%s\"", name);
	http_response_header(req, "content-disposition", disposition);
	reply_bytes(req, 200, "text/csv; charset=utf-8", csv->data, csv->len);
	csv_out_free(csv);
}
