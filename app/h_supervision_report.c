/*
 * h_supervision_report: the supervision report of a school year for the
 * training sub-group and coordinators (JSON or CSV), and a DSL's own
 * supervision with, for a setting lead, their setting's DSLs' attendance
 * (never case notes).
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "csv.h"
#include "db_supervision_report.h"
#include "qs.h"
#include "reply.h"
#include "supervision.h"
#include "term.h"
#include "year.h"

int	h_supervision_report(struct http_request *);
int	h_my_supervision(struct http_request *);

/* The year, format and table a report was asked for. */
struct report_choice {
	long				 year;
	const char			*format;	/* "json", "csv" */
	const char			*table;		/* "dsls", "groups" */
	struct supervision_period	 p;
	struct term			 current;
};

/* What the summary counts over the groups' and the DSLs' rows. */
struct report_totals {
	long long	meetings[TERM__MAX];	/* by term */
	long long	present, expected;	/* attendance */
	long long	ndsl, unsupervised, lapsed;
};

static int	 report_choose(struct http_request *, const struct qs *,
		    struct report_choice *);
static void	 report_totals(cJSON *, cJSON *, const struct term *,
		    const struct term_date *, struct report_totals *);
static cJSON	*report_json(const struct report_choice *,
		    const struct term *, const struct term_date *,
		    const struct report_totals *, cJSON *, cJSON *);
static cJSON	*report_term_json(const struct term *);
static void	 report_csv_dsls(struct http_request *, const cJSON *, int);
static void	 report_csv_groups(struct http_request *, const cJSON *, int);
static const char *report_text(const cJSON *, const char *);
static double	report_figure(const cJSON *, const char *);
/* The report's parameters: any other is a 422. */
static const char *const report_known[] = { "format", "table", "year", NULL };

static int	 report_has_flag(const cJSON *, const char *);

/* The words for a DSL's training status, in CSV and on pages. */
static const char *
report_training_words(const char *status)
{
	if (strcmp(status, "in_date") == 0)
		return ("In date");
	if (strcmp(status, "lapsing") == 0)
		return ("In date, expiring within 90 days");
	if (strcmp(status, "expired") == 0)
		return ("Lapsed");
	if (strcmp(status, "never") == 0)
		return ("Never trained");
	return ("Not known");
}

/* The words for a group's kind of schools. */
static const char *
report_kind_words(const char *kind)
{
	if (strcmp(kind, "primary") == 0)
		return ("Primary");
	if (strcmp(kind, "secondary") == 0)
		return ("Secondary");
	return ("Mixed");
}

/*
 * GET /api/v1/reports/supervision?year=2016/17&format=json|csv
 * &table=dsls|groups (reviewers, coordinators): the school year named by
 * its label or the year it starts in (year_parse(); default: the
 * current one): its terms, per group the meetings in each
 * term, the terms begun without one and the attendance rate with its
 * Wilson interval; per DSL the meetings held while a member, attended,
 * apologies, last attended, whether their training is in date, and the
 * flags. 200; 401; 403; 422 a wrong year, format or table, or a query
 * string that cannot be read.
 */
int
h_supervision_report(struct http_request *req)
{
	static const struct preamble	pre = {
		.get = ROLE_REVIEWER | ROLE_COORDINATOR
	};
	struct session_who	 who;
	struct report_choice	 c;
	struct report_totals	 t;
	struct term		 terms[TERM__MAX];
	struct term_date	 as_of;
	struct qs		 q;
	cJSON			*groups, *dsls;
	int			 st, k, ok;

	/* The preamble: method, who is asking, the query. */
	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	if (!reply_parse_query(req, &q))
		return (KORE_RESULT_OK);

	/* The year, format and table asked for (503 or 422 answered). */
	ok = report_choose(req, &q, &c);
	qs_free(&q);
	if (!ok)
		return (KORE_RESULT_OK);

	/* The year's rows: groups and DSLs. */
	for (k = 0; k < TERM__MAX; k++)
		(void)term_of_year((int)c.year, (enum term_kind)k, &terms[k]);
	(void)term_date_parse(c.p.as_of, &as_of);
	groups = dsls = NULL;
	if ((st = db_supervision_report_groups(&c.p, &groups)) != DB_OK ||
	    (st = db_supervision_report_dsls(&c.p, 0, &dsls)) != DB_OK) {
		cJSON_Delete(groups);
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}

	/* Each row's figures and flags, and the totals over them. */
	report_totals(groups, dsls, terms, &as_of, &t);

	/* The answer: one table as CSV, or everything as JSON. */
	if (strcmp(c.format, "csv") == 0) {
		if (strcmp(c.table, "groups") == 0)
			report_csv_groups(req, groups, (int)c.year);
		else
			report_csv_dsls(req, dsls, (int)c.year);
		cJSON_Delete(groups);
		cJSON_Delete(dsls);
		return (KORE_RESULT_OK);
	}
	reply_json(req, 200, report_json(&c, terms, &as_of, &t, groups,
	    dsls));
	return (KORE_RESULT_OK);
}

/*
 * The supervision report's query `q` into `c`: the school year (default:
 * the current one), the format and the table. Returns 1, or 0 when the
 * request has been answered (503; 422 naming every wrong parameter).
 * `c` does not point into `q`.
 */
static int
report_choose(struct http_request *req, const struct qs *q,
    struct report_choice *c)
{
	struct term_date	 today;
	cJSON			*fields;
	const char		*s;
	int			 st;

	if ((st = db_supervision_today(&today)) != DB_OK) {
		reply_db_failure(req, st);
		return (0);
	}
	fields = cJSON_CreateObject();
	if (term_containing(&today, &c->current) == -1)
		c->current.school_year = today.year;
	c->year = c->current.school_year;
	if ((s = qs_get(q, "year")) != NULL)
		c->year = year_parse(s);
	if (c->year == -1 || supervision_period_of((int)c->year, &today,
	    &c->p, &c->current) == -1)
		cJSON_AddStringToObject(fields, "year", "Choose a school year "
		    "that has begun, like 2016/17 (or 2016, the year it "
		    "starts in).");
	if ((c->format = qs_get(q, "format")) == NULL)
		c->format = "json";
	if (strcmp(c->format, "json") && strcmp(c->format, "csv"))
		cJSON_AddStringToObject(fields, "format", "Must be json or csv.");
	if ((c->table = qs_get(q, "table")) == NULL)
		c->table = "dsls";
	if (strcmp(c->table, "dsls") && strcmp(c->table, "groups"))
		cJSON_AddStringToObject(fields, "table", "Must be dsls or "
		    "groups.");
	(void)qs_unknown(q, report_known, "This report does not take this "
	    "parameter.", fields);
	if (cJSON_GetArraySize(fields) > 0) {
		reply_invalid(req, fields);
		return (0);
	}
	cJSON_Delete(fields);
	c->format = strcmp(c->format, "csv") == 0 ? "csv" : "json";
	c->table = strcmp(c->table, "groups") == 0 ? "groups" : "dsls";
	return (1);
}

/*
 * Each group's figures (supervision_group_figures()) and each DSL's
 * flags (supervision_dsl_flags()) into their rows, and the totals of
 * both into `t`.
 */
static void
report_totals(cJSON *groups, cJSON *dsls, const struct term *terms,
    const struct term_date *as_of, struct report_totals *t)
{
	cJSON	*row;
	int	 k;

	memset(t, 0, sizeof(*t));
	cJSON_ArrayForEach(row, groups) {
		t->present += (long long)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(row, "present"));
		t->expected += (long long)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(row, "expected"));
		for (k = 0; k < TERM__MAX; k++)
			t->meetings[k] += (long long)cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(row,
			    term_code((enum term_kind)k)));
		supervision_group_figures(row, terms, as_of);
	}
	cJSON_ArrayForEach(row, dsls) {
		supervision_dsl_flags(row);
		t->ndsl++;
		t->unsupervised += report_has_flag(row,
		    "no_supervision_this_term");
		t->lapsed += report_has_flag(row, "training_lapsed");
	}
}

/*
 * The report as JSON: the year, its terms with their meetings, the
 * current term, the summary of `t`, and the rows (`groups` and `dsls`
 * move into the answer, which the caller owns).
 */
static cJSON *
report_json(const struct report_choice *c, const struct term *terms,
    const struct term_date *as_of, const struct report_totals *t,
    cJSON *groups, cJSON *dsls)
{
	cJSON	*out, *list, *summary, *v;
	char	 label[16];
	int	 k;

	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "year", (double)c->year);
	year_label((int)c->year, label, sizeof(label));
	cJSON_AddStringToObject(out, "label", label);
	cJSON_AddStringToObject(out, "as_of", c->p.as_of);
	list = cJSON_AddArrayToObject(out, "terms");
	for (k = 0; k < TERM__MAX; k++) {
		v = report_term_json(&terms[k]);
		cJSON_AddNumberToObject(v, "meetings", (double)t->meetings[k]);
		cJSON_AddBoolToObject(v, "begun",
		    term_date_cmp(&terms[k].start, as_of) <= 0);
		cJSON_AddItemToArray(list, v);
	}
	cJSON_AddItemToObject(out, "current_term",
	    report_term_json(&c->current));
	summary = cJSON_AddObjectToObject(out, "summary");
	cJSON_AddNumberToObject(summary, "groups",
	    (double)cJSON_GetArraySize(groups));
	cJSON_AddNumberToObject(summary, "meetings",
	    (double)(t->meetings[0] + t->meetings[1] + t->meetings[2]));
	cJSON_AddNumberToObject(summary, "dsls", (double)t->ndsl);
	cJSON_AddItemToObject(summary, "supervised_this_term",
	    supervision_proportion(t->ndsl - t->unsupervised, t->ndsl));
	cJSON_AddNumberToObject(summary, "no_supervision_this_term",
	    (double)t->unsupervised);
	cJSON_AddNumberToObject(summary, "training_lapsed",
	    (double)t->lapsed);
	cJSON_AddItemToObject(summary, "attendance",
	    supervision_proportion(t->present, t->expected));
	cJSON_AddItemToObject(out, "groups", groups);
	cJSON_AddItemToObject(out, "dsls", dsls);
	return (out);
}

/*
 * GET /api/v1/me/supervision (signed in): one's groups (with joining and
 * leaving dates), the meetings one was expected at with one's
 * attendance, the counts, and the next date; for a setting lead also
 * "setting": their setting's DSLs' attendance this school year, with the
 * flags of the report. Never case notes. 200; 401.
 */
int
h_my_supervision(struct http_request *req)
{
	static const struct preamble	pre = { .get = ACCESS_SIGNED_IN };
	struct session_who		 who;
	struct supervision_period	 p;
	struct term			 current;
	struct term_date		 today;
	cJSON				*out, *dsls, *setting, *row;
	int				 st;

	if (!auth_preamble(req, &pre, &who, NULL, NULL))
		return (KORE_RESULT_OK);
	out = NULL;
	if ((st = db_supervision_me(who.person_id, &out)) != DB_OK) {
		reply_db_failure(req, st);
		return (KORE_RESULT_OK);
	}
	if (who.lead_agency_id > 0) {
		dsls = NULL;
		if ((st = db_supervision_today(&today)) != DB_OK ||
		    term_containing(&today, &current) == -1 ||
		    supervision_period_of(current.school_year, &today, &p,
		    &current) == -1 ||
		    (st = db_supervision_report_dsls(&p, who.lead_agency_id,
		    &dsls)) != DB_OK) {
			cJSON_Delete(out);
			reply_db_failure(req, st == DB_OK ? DB_ERR : st);
			return (KORE_RESULT_OK);
		}
		cJSON_ArrayForEach(row, dsls)
			supervision_dsl_flags(row);
		setting = cJSON_AddObjectToObject(out, "setting");
		cJSON_AddNumberToObject(setting, "agency_id",
		    (double)who.lead_agency_id);
		cJSON_AddItemToObject(setting, "term",
		    report_term_json(&current));
		cJSON_AddItemToObject(setting, "dsls", dsls);
	}
	reply_json(req, 200, out);
	return (KORE_RESULT_OK);
}

static cJSON *
report_term_json(const struct term *t)
{
	cJSON	*o;
	char	 buf[32];

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "term", term_code(t->kind));
	term_name(t, buf, sizeof(buf));
	cJSON_AddStringToObject(o, "name", buf);
	term_date_format(&t->start, buf, sizeof(buf));
	cJSON_AddStringToObject(o, "starts_on", buf);
	term_date_format(&t->end, buf, sizeof(buf));
	cJSON_AddStringToObject(o, "ends_on", buf);
	return (o);
}

static void
report_csv_dsls(struct http_request *req, const cJSON *dsls, int year)
{
	struct csv_out	 csv;
	const cJSON	*r;
	char		 name[64];
	static const char *const header[] = { "Name", "Setting", "Groups",
	    "Meetings held while a member", "Attended", "Apologies", "Absent",
	    "Last attended", "Attended this term", "Training",
	    "Training expires", "No supervision this term", "Training lapsed",
	    NULL };

	csv_out_report(&csv, header);
	cJSON_ArrayForEach(r, dsls) {
		csv_out_field(&csv, report_text(r, "full_name"), 1);
		csv_out_field(&csv, report_text(r, "agency"), 1);
		csv_out_field(&csv, report_text(r, "groups"), 1);
		csv_out_count(&csv, report_figure(r, "meetings_held"));
		csv_out_count(&csv, report_figure(r, "attended"));
		csv_out_count(&csv, report_figure(r, "apologies"));
		csv_out_count(&csv, report_figure(r, "absent"));
		csv_out_date(&csv, report_text(r, "last_attended"));
		csv_out_count(&csv, report_figure(r, "attended_this_term"));
		csv_out_field(&csv, report_training_words(report_text(r,
		    "training_status")), 0);
		csv_out_date(&csv, report_text(r, "training_expires_on"));
		csv_out_field(&csv, report_has_flag(r,
		    "no_supervision_this_term") ? "Yes" : "No", 0);
		csv_out_field(&csv, report_has_flag(r, "training_lapsed") ?
		    "Yes" : "No", 0);
		csv_out_end_row(&csv);
	}
	snprintf(name, sizeof(name), "attachment; filename=\""
	    "supervision-dsls-%d-%02d.csv\"", year, (year + 1) % 100);
	http_response_header(req, "content-disposition", name);
	reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
	csv_out_free(&csv);
}

static void
report_csv_groups(struct http_request *req, const cJSON *groups, int year)
{
	struct csv_out	 csv;
	const cJSON	*r, *m, *a, *t;
	char		 name[64], missing[64];
	static const char *const header[] = { "Group", "Schools",
	    "Facilitator", "Autumn meetings", "Spring meetings",
	    "Summer meetings", "Terms without a meeting", "Present",
	    "Expected", "Attendance rate (%)",
	    "Attendance rate: lower 95% limit (%)",
	    "Attendance rate: upper 95% limit (%)", NULL };

	csv_out_report(&csv, header);
	cJSON_ArrayForEach(r, groups) {
		m = cJSON_GetObjectItemCaseSensitive(r, "meetings");
		a = cJSON_GetObjectItemCaseSensitive(r, "attendance");
		csv_out_field(&csv, report_text(r, "name"), 1);
		csv_out_field(&csv, report_kind_words(report_text(r, "kind")),
		    0);
		csv_out_field(&csv, report_text(r, "facilitator"), 1);
		csv_out_count(&csv, report_figure(m, "autumn"));
		csv_out_count(&csv, report_figure(m, "spring"));
		csv_out_count(&csv, report_figure(m, "summer"));
		missing[0] = '\0';
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(r,
		    "terms_without_meeting")) {
			if (missing[0] != '\0')
				strncat(missing, ", ", sizeof(missing) -
				    strlen(missing) - 1);
			strncat(missing, t->valuestring, sizeof(missing) -
			    strlen(missing) - 1);
		}
		csv_out_field(&csv, missing, 0);
		csv_out_count(&csv, report_figure(a, "k"));
		csv_out_count(&csv, report_figure(a, "n"));
		csv_out_percent(&csv, report_figure(a, "rate"));
		csv_out_percent(&csv, report_figure(a, "lower"));
		csv_out_percent(&csv, report_figure(a, "upper"));
		csv_out_end_row(&csv);
	}
	snprintf(name, sizeof(name), "attachment; filename=\""
	    "supervision-groups-%d-%02d.csv\"", year, (year + 1) % 100);
	http_response_header(req, "content-disposition", name);
	reply_bytes(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
	csv_out_free(&csv);
}

static const char *
report_text(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsString(v) ? v->valuestring : "");
}

/* A number member of `o` for a CSV: NaN (a blank) when null or absent. */
static double
report_figure(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsNumber(v) ? v->valuedouble : NAN);
}

static int
report_has_flag(const cJSON *row, const char *flag)
{
	const cJSON	*f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(row, "flags")) {
		if (cJSON_IsString(f) && strcmp(f->valuestring, flag) == 0)
			return (1);
	}
	return (0);
}
