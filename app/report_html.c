/*
 * report_html: the annual report (report JSON from h_reports) as a page
 * a board can print or paste into its annual report: GOV.UK styles, a
 * section a table, each table with a chart drawn from its own figures by
 * /assets/report-charts.mjs (data-chart attributes; the table is the
 * accessible form), page breaks between sections when printed. Every
 * rate and mean with its 95 % interval; text escaped.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "text.h"

struct html {
	char	*data;
	size_t	 len, cap;
	int	 failed;
};

static void	html_add(struct html *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	html_text(struct html *, const char *);
static void	html_rate(struct html *, const cJSON *, int);
static void	html_count(struct html *, const cJSON *, const char *);
static void	html_attendance(struct html *, const cJSON *, const char *,
		    const char *);
static void	html_section(struct html *, const char *, const char *);
static const char *html_str(const cJSON *, const char *);
static void	html_date(const char *, char *, size_t);
static const cJSON *html_get(const cJSON *, const char *);
static void	html_head(struct html *, const cJSON *, const char *);
static void	html_kept(struct html *, const cJSON *);
static void	html_courses(struct html *, const cJSON *, const char *);
static void	html_course(struct html *, const cJSON *);
static void	html_agencies(struct html *, const cJSON *, const char *);
static void	html_evaluation(struct html *, const cJSON *, const char *);
static void	html_completion(struct html *, const cJSON *, const char *);
static void	html_ratings(struct html *, const cJSON *);
static void	html_difference(struct html *, const cJSON *);
static void	html_before_after(struct html *, const cJSON *);
static void	html_pair(struct html *, const cJSON *);
static void	html_coverage(struct html *, const cJSON *);

/*
 * The annual report `r` of partnership `partnership` (its name) as an
 * HTML document (caller frees), or NULL when out of memory: the name and
 * the period at its head and in the attributes of its <main>, which
 * /assets/report-charts.mjs puts at the head of every printed page. The
 * sections in the order the page shows them.
 */
char *
report_html_annual(const cJSON *r, const char *partnership)
{
	struct html	 h;

	memset(&h, 0, sizeof(h));
	/* The title, the partnership, the period; how to read the figures. */
	html_head(&h, r, partnership);
	/* Older figures, served while newer ones are gathered (reply_report.c). */
	html_kept(&h, r);
	/* Places taken up over the last years, by agency and by sector. */
	html_attendance(&h, html_get(r, "attendance_by_agency"),
	    "Places taken up by agency", "Agency");
	html_attendance(&h, html_get(r, "attendance_by_sector"),
	    "Places taken up by sector", "Sector");
	/* The year's courses, then its agencies' places and no-shows. */
	html_courses(&h, html_get(r, "courses"), html_str(r, "year"));
	html_agencies(&h, html_get(r, "agencies"), html_str(r, "year"));
	/* What delegates and their managers said of the training. */
	html_evaluation(&h, html_get(r, "evaluation"), html_str(r, "year"));
	/* Schools' and settings' staff trained at the year's end. */
	html_coverage(&h, html_get(r, "coverage"));
	html_add(&h, "</main></body></html>\n");
	if (h.failed) {
		free(h.data);
		return (NULL);
	}
	return (h.data);
}

/*
 * The document's head and the report's: the title, `partnership` and the
 * financial year of `r` (data attributes of <main> for the printed
 * pages' heads), and a paragraph on how to read the figures.
 */
static void
html_head(struct html *h, const cJSON *r, const char *partnership)
{
	const char	*year;
	int		 start;

	year = html_str(r, "year");
	start = atoi(year);
	html_add(h, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\""
	    "width=device-width, initial-scale=1\"><title>Annual training "
	    "report %s</title><link rel=\"stylesheet\" href=\"/assets/"
	    "portal.css\"><script type=\"module\" src=\"/assets/"
	    "report-charts.mjs\"></script></head>\n<body class=\""
	    "govuk-template__body report-print\"><main class=\""
	    "govuk-width-container govuk-main-wrapper\" id=\"main-content\" "
	    "data-year=\"%s\" data-partnership=\"", year, year);
	html_text(h, partnership);
	html_add(h, "\" data-period=\"1 April %d to 31 March %d\">"
	    "<div class=\"report-head\"><span class=\"govuk-caption-l\">",
	    start, start + 1);
	html_text(h, partnership);
	html_add(h, "</span><h1 class=\"govuk-heading-xl\">Annual training "
	    "report %s</h1><p class=\"govuk-body-l\">Financial year 1 April "
	    "%d to 31 March %d</p></div>\n<p class=\"govuk-body\">"
	    "Figures from the training portal's records for the financial "
	    "year %s (1 April to 31 March). Rates and means are shown with "
	    "their 95%% confidence intervals in brackets. A trend is called "
	    "rising or falling only where it is statistically significant "
	    "(p &lt; 0.05). Answers of fewer than 5 people are not shown."
	    "</p>\n", year, start, start + 1, year);
}

/* When `r` is older figures kept ("kept_at"), a note saying so. */
static void
html_kept(struct html *h, const cJSON *r)
{
	if (!cJSON_IsString(cJSON_GetObjectItem(r, "kept_at")))
		return;
	html_add(h, "<div class=\"govuk-inset-text\" data-kept-at=\"");
	html_text(h, html_str(r, "kept_at"));
	html_add(h, "\">These figures are older ones, kept at ");
	html_text(h, html_str(r, "kept_at"));
	html_add(h, " (UTC). Newer figures are being gathered: reload "
	    "this page in a minute to see them.</div>\n");
}

/* The courses report `c` (report_courses()) of `year`: a row a course. */
static void
html_courses(struct html *h, const cJSON *c, const char *year)
{
	static const char *const cols[] = { "Course", "Format",
	    "Sessions", "Places offered", "Places taken up",
	    "Fill rate", "No-show rate", "Same-day forms",
	    "Overall rating (1 to 5)", "Knowledge impact score" };
	const cJSON	*row;
	size_t		 i;

	html_section(h, "courses", "Courses");
	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"bar\" data-chart-horizontal=\"true\" data-chart-series=\"4\" "
	    "data-chart-top=\"15\">"
	    "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
	    "Courses delivered in %s</caption><thead class=\"govuk-table__"
	    "head\"><tr class=\"govuk-table__row\">", year);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_add(h, "<th scope=\"col\" class=\"govuk-table__"
		    "header\">%s</th>", cols[i]);
	html_add(h, "</tr></thead><tbody class=\"govuk-table__body\">");
	cJSON_ArrayForEach(row, html_get(c, "rows"))
		html_course(h, row);
	html_add(h, "</tbody></table></div></section>\n");
}

/*
 * A course's row: its places, rates with their intervals, and the
 * knowledge impact score, or why there is none.
 */
static void
html_course(struct html *h, const cJSON *row)
{
	const cJSON	*o, *v;
	double		 taken;

	html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
	    "class=\"govuk-table__header\">");
	html_text(h, html_str(row, "title"));
	html_add(h, "</th><td class=\"govuk-table__cell\">");
	html_text(h, html_str(row, "format"));
	html_add(h, "</td>");
	html_count(h, row, "sessions");
	html_count(h, row, "places_offered");
	/* Places taken up: attended, whole or in part. */
	taken = cJSON_GetNumberValue(html_get(row, "attended")) +
	    cJSON_GetNumberValue(html_get(row, "partial"));
	html_add(h, "<td class=\"govuk-table__cell\" data-value=\"%.0f\">"
	    "%.0f</td>", taken, taken);
	html_rate(h, html_get(row, "fill_rate"), 1);
	html_rate(h, html_get(row, "no_show_rate"), 1);
	html_rate(h, html_get(row, "same_day_completion"), 1);
	html_rate(h, html_get(row, "overall_rating"), 0);
	o = html_get(row, "knowledge");
	v = html_get(o, "impact_score");
	if (cJSON_IsNumber(v))
		html_add(h, "<td class=\"govuk-table__cell\">%.0f</td>",
		    v->valuedouble);
	else
		html_add(h, "<td class=\"govuk-table__cell\">%s</td>",
		    cJSON_IsTrue(html_get(o, "suppressed")) ?
		    "Too few answers" : "No answers");
	html_add(h, "</tr>\n");
}

/*
 * The agencies report `a` (report_agencies()) of `year`: places and
 * no-show rate a row, then whether the rates differ (chi-square), when
 * the test could be made.
 */
static void
html_agencies(struct html *h, const cJSON *a, const char *year)
{
	const cJSON	*row, *chi;
	double		 p;

	html_section(h, "agencies", "Attendance by agency");
	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"bar\" data-chart-horizontal=\"true\" data-chart-series=\"2\" "
	    "data-chart-top=\"15\" data-chart-rank=\"1\">"
	    "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
	    "Places and no-shows by agency, %s</caption><thead class=\""
	    "govuk-table__head\"><tr class=\"govuk-table__row\">"
	    "<th scope=\"col\" class=\"govuk-table__header\">Agency</th>"
	    "<th scope=\"col\" class=\"govuk-table__header\">Places taken up"
	    "</th><th scope=\"col\" class=\"govuk-table__header\">No-show rate"
	    "</th></tr></thead><tbody class=\"govuk-table__body\">", year);
	cJSON_ArrayForEach(row, html_get(a, "rows")) {
		html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
		    "class=\"govuk-table__header\">");
		html_text(h, html_str(row, "name"));
		html_add(h, "</th>");
		html_count(h, row, "places");
		html_rate(h, html_get(row, "no_show_rate"), 1);
		html_add(h, "</tr>\n");
	}
	html_add(h, "</tbody></table></div>");
	chi = html_get(a, "chi_square");
	if (cJSON_IsNumber(html_get(chi, "p"))) {
		p = html_get(chi, "p")->valuedouble;
		html_add(h, "<p class=\"govuk-body\">Do no-show rates differ "
		    "between agencies? Chi-square test: &chi;&sup2; = %.1f, "
		    "%.0f degrees of freedom, p %s %.3f: %s.</p>",
		    cJSON_GetNumberValue(html_get(chi, "statistic")),
		    cJSON_GetNumberValue(html_get(chi, "df")),
		    p < 0.001 ? "&lt;" : "=", p < 0.001 ? 0.001 : p,
		    p < 0.05 ? "they differ" : "no difference shown");
	}
	html_add(h, "</section>\n");
}

/*
 * The evaluation report `e` (report_evaluation()) of `year`: four
 * tables in its section.
 */
static void
html_evaluation(struct html *h, const cJSON *e, const char *year)
{
	html_section(h, "evaluation", "Evaluation");
	/* How many forms came back at each stage. */
	html_completion(h, e, year);
	/* The same-day ratings, one mean each. */
	html_ratings(h, e);
	/* Whether the training changed practice, as delegates and their
	 * managers say. */
	html_difference(h, e);
	/* Knowledge and confidence before and after. */
	html_before_after(h, e);
	html_add(h, "</section>\n");
}

/* Forms completed at each stage of the evaluation `e`, as percentages. */
static void
html_completion(struct html *h, const cJSON *e, const char *year)
{
	static const char *const stages[][2] = {
		{ "before", "Before the course" }, { "same_day", "Same day" },
		{ "followup", "Three-month follow-up" },
		{ "manager", "Line manager" } };
	size_t	i;

	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"bar\" data-chart-series=\"1\" data-chart-max=\"100\">"
	    "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
	    "Evaluation forms completed, %s</caption><thead class=\""
	    "govuk-table__head\"><tr class=\"govuk-table__row\">"
	    "<th scope=\"col\" class=\"govuk-table__header\">Stage</th>"
	    "<th scope=\"col\" class=\"govuk-table__header\">Completed (%%)"
	    "</th></tr></thead><tbody class=\"govuk-table__body\">", year);
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
		    "class=\"govuk-table__header\">%s</th>", stages[i][1]);
		html_rate(h, html_get(html_get(e, "completion"),
		    stages[i][0]), 1);
		html_add(h, "</tr>\n");
	}
	html_add(h, "</tbody></table></div>\n");
}

/* The mean of each same-day rating of the evaluation `e` (1 to 5). */
static void
html_ratings(struct html *h, const cJSON *e)
{
	static const char *const ratings[][2] = {
		{ "content", "Content" }, { "delivery", "Delivery" },
		{ "venue", "Venue" }, { "trainer", "Trainer" },
		{ "overall", "Overall" } };
	size_t	i;

	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"bar\" data-chart-series=\"1\" data-chart-max=\"5\">"
	    "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
	    "Ratings on the day (1 poor to 5 excellent)</caption><thead "
	    "class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
	    "<th scope=\"col\" class=\"govuk-table__header\">Rating</th>"
	    "<th scope=\"col\" class=\"govuk-table__header\">Mean</th>"
	    "</tr></thead><tbody class=\"govuk-table__body\">");
	for (i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
		html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
		    "class=\"govuk-table__header\">%s</th>", ratings[i][1]);
		html_rate(h, html_get(html_get(html_get(e, "same_day"),
		    "ratings"), ratings[i][0]), 0);
		html_add(h, "</tr>\n");
	}
	html_add(h, "</tbody></table></div>\n");
}

/*
 * The difference the training made, from the evaluation `e`: delegates
 * who expect to improve their practice, who applied the learning, and
 * managers who saw a change (those named by staff lists apart from those
 * the delegates named).
 */
static void
html_difference(struct html *h, const cJSON *e)
{
	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"bar\" data-chart-series=\"1\" data-chart-max=\"100\">"
	    "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
	    "Difference made</caption><thead class=\"govuk-table__head\">"
	    "<tr class=\"govuk-table__row\"><th scope=\"col\" class=\""
	    "govuk-table__header\">Measure</th><th scope=\"col\" class=\""
	    "govuk-table__header\">Per cent</th></tr></thead>"
	    "<tbody class=\"govuk-table__body\">");
	html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\""
	    "govuk-table__header\">Say the training will improve their "
	    "practice</th>");
	html_rate(h, html_get(html_get(html_get(e, "same_day"),
	    "improve_safeguarding"), "yes"), 1);
	html_add(h, "</tr><tr class=\"govuk-table__row\"><th scope=\"row\" "
	    "class=\"govuk-table__header\">Applied the learning within three "
	    "months</th>");
	html_rate(h, html_get(e, "applied"), 1);
	html_add(h, "</tr><tr class=\"govuk-table__row\"><th scope=\"row\" "
	    "class=\"govuk-table__header\">Line manager saw a change in "
	    "practice (managers named by staff lists)</th>");
	html_rate(h, html_get(e, "manager_confirmed"), 1);
	html_add(h, "</tr><tr class=\"govuk-table__row\"><th scope=\"row\" "
	    "class=\"govuk-table__header\">Line manager saw a change in "
	    "practice (managers the delegates named themselves)</th>");
	html_rate(h, html_get(e, "manager_self_reported"), 1);
	html_add(h, "</tr></tbody></table></div>\n");
}

/*
 * Knowledge and confidence before and after (1 to 10) from the
 * evaluation `e`: on the day (its same-day pairs) and three months on
 * (its sustained pairs).
 */
static void
html_before_after(struct html *h, const cJSON *e)
{
	static const char *const scores[][3] = {
	    { "same_day", "knowledge", "Knowledge, on the day" },
	    { "same_day", "confidence", "Confidence, on the day" },
	    { "", "sustained", "Confidence three months on" } };
	const cJSON	*p;
	size_t		 i;

	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" "
	    "data-chart=\"bar\" data-chart-series=\"1,2\" "
	    "data-chart-max=\"10\"><caption class=\"govuk-table__"
	    "caption govuk-table__caption--m\">Before and after (1 to "
	    "10)</caption><thead class=\"govuk-table__head\"><tr "
	    "class=\"govuk-table__row\"><th scope=\"col\" class=\""
	    "govuk-table__header\">Measure</th><th scope=\"col\" "
	    "class=\"govuk-table__header\">Before</th><th scope=\""
	    "col\" class=\"govuk-table__header\">After</th><th scope="
	    "\"col\" class=\"govuk-table__header\">Change</th><th "
	    "scope=\"col\" class=\"govuk-table__header\">Impact score"
	    "</th></tr></thead><tbody class=\"govuk-table__body\">");
	for (i = 0; i < sizeof(scores) / sizeof(scores[0]); i++) {
		p = scores[i][0][0] ? html_get(html_get(e, scores[i][0]),
		    scores[i][1]) : html_get(e, scores[i][1]);
		html_add(h, "<tr class=\"govuk-table__row\"><th scope="
		    "\"row\" class=\"govuk-table__header\">%s</th>",
		    scores[i][2]);
		html_pair(h, p);
	}
	html_add(h, "</tbody></table></div>\n");
}

/*
 * The cells of a before/after comparison `p` (report_pairs() or
 * evaluation_summary()'s): the means, the change with its interval and
 * the impact score, or why there are none; the row's end.
 */
static void
html_pair(struct html *h, const cJSON *p)
{
	double	before, after, impact;

	if (!cJSON_IsNumber(html_get(p, "mean_diff"))) {
		html_add(h, "<td class=\"govuk-table__cell\" colspan=\"4\">"
		    "%s</td></tr>\n", cJSON_IsTrue(html_get(p, "suppressed")) ?
		    "Too few answers to show" : "No answers");
		return;
	}
	before = cJSON_GetNumberValue(html_get(p, "mean_before"));
	after = cJSON_GetNumberValue(html_get(p, "mean_after"));
	/* The score sits in the pair, or in its "impact" object. */
	impact = cJSON_IsNumber(html_get(p, "impact_score")) ?
	    html_get(p, "impact_score")->valuedouble :
	    cJSON_GetNumberValue(html_get(html_get(p, "impact"), "score"));
	html_add(h, "<td class=\"govuk-table__cell\" data-value=\"%.4f\">"
	    "%.1f</td><td class=\"govuk-table__cell\" data-value=\"%.4f\">"
	    "%.1f</td><td class=\"govuk-table__cell\">%+.2f (%.2f to %.2f)"
	    "</td><td class=\"govuk-table__cell\">%.0f</td></tr>\n", before,
	    before, after, after,
	    cJSON_GetNumberValue(html_get(p, "mean_diff")),
	    cJSON_GetNumberValue(html_get(p, "ci_lower")),
	    cJSON_GetNumberValue(html_get(p, "ci_upper")), impact);
}

/*
 * The coverage `c` (report_coverage(), with its "as_of" date) of
 * schools' and settings' staff: a row a group level.
 */
static void
html_coverage(struct html *h, const cJSON *c)
{
	const cJSON	*row;
	char		 as_of[32];

	html_date(html_str(c, "as_of"), as_of, sizeof(as_of));
	html_section(h, "coverage", "Schools' and settings' coverage");
	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"bar\" data-chart-series=\"3\" data-chart-max=\"100\">"
	    "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
	    "Staff of schools and early years settings trained for their "
	    "group on %s</caption><thead class=\"govuk-table__head\"><tr "
	    "class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-"
	    "table__header\">Group</th><th scope=\"col\" class=\"govuk-"
	    "table__header\">Staff</th><th scope=\"col\" class=\"govuk-"
	    "table__header\">Trained</th><th scope=\"col\" class=\"govuk-"
	    "table__header\">Coverage</th><th scope=\"col\" class=\"govuk-"
	    "table__header\">Still to train</th><th scope=\"col\" class=\""
	    "govuk-table__header\">Lapsing in 90 days</th></tr></thead>"
	    "<tbody class=\"govuk-table__body\">", as_of);
	cJSON_ArrayForEach(row, html_get(c, "rows")) {
		html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
		    "class=\"govuk-table__header\">");
		html_text(h, html_str(row, "group_level"));
		html_add(h, "</th>");
		html_count(h, row, "staff");
		html_count(h, row, "trained");
		html_rate(h, html_get(row, "coverage"), 1);
		html_count(h, row, "required");
		html_count(h, row, "lapsing");
		html_add(h, "</tr>\n");
	}
	html_add(h, "</tbody></table></div></section>\n");
}

/*
 * The attendance table of `a` (report_attendance()) in its section. Years
 * before the records begin (no place in any row: an import's history
 * that starts later) are left out, so no column or line is all zeros.
 */
static void
html_attendance(struct html *h, const cJSON *a, const char *title,
    const char *first)
{
	const cJSON	*row, *v, *t;
	size_t		 n, skip, i;

	html_section(h, "attendance", title);
	/* Leave out the years before the records begin, never the last. */
	n = (size_t)cJSON_GetArraySize(html_get(a, "years"));
	skip = 0;
	cJSON_ArrayForEach(v, html_get(a, "totals")) {
		if (skip + 1 >= n || cJSON_GetNumberValue(v) != 0)
			break;
		skip++;
	}
	/* The header: a column a year shown, the total, the trend. */
	html_add(h, "<div class=\"portal-table-scroll report-scroll\">"
	    "<table class=\"govuk-table report-table\" data-chart="
	    "\"line\" data-chart-series=\"1-%zu\" data-chart-transpose="
	    "\"true\" data-chart-top=\"6\"><caption class=\"govuk-table__"
	    "caption govuk-table__caption--m\">%s, by financial year</caption>"
	    "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row"
	    "\"><th scope=\"col\" class=\"govuk-table__header\">%s</th>",
	    n - skip, title, first);
	i = 0;
	cJSON_ArrayForEach(v, html_get(a, "years"))
		if (i++ >= skip)
			html_add(h, "<th scope=\"col\" class=\"govuk-table__"
			    "header govuk-table__header--numeric\">%s</th>",
			    v->valuestring);
	html_add(h, "<th scope=\"col\" class=\"govuk-table__header "
	    "govuk-table__header--numeric\">Total</th><th scope=\"col\" "
	    "class=\"govuk-table__header\">Trend</th></tr></thead>"
	    "<tbody class=\"govuk-table__body\">");
	/* A row a row of the report: its places each year shown. */
	cJSON_ArrayForEach(row, html_get(a, "rows")) {
		html_add(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
		    "class=\"govuk-table__header\">");
		html_text(h, html_str(row, "label"));
		html_add(h, "</th>");
		i = 0;
		cJSON_ArrayForEach(v, html_get(row, "counts"))
			if (i++ >= skip)
				html_add(h, "<td class=\"govuk-table__cell "
				    "govuk-table__cell--numeric\" data-value="
				    "\"%.0f\">%.0f</td>", v->valuedouble,
				    v->valuedouble);
		html_count(h, row, "total");
		t = html_get(row, "trend");
		html_add(h, "<td class=\"govuk-table__cell\">%s</td></tr>\n",
		    strcmp(html_str(t, "direction"), "up") == 0 ? "Rising" :
		    strcmp(html_str(t, "direction"), "down") == 0 ? "Falling" :
		    "No clear trend");
	}
	/* The foot: all places (each booking once) each year shown. */
	html_add(h, "</tbody><tfoot><tr class=\"govuk-table__row\"><th scope="
	    "\"row\" class=\"govuk-table__header\">All places</th>");
	i = 0;
	cJSON_ArrayForEach(v, html_get(a, "totals"))
		if (i++ >= skip)
			html_add(h, "<td class=\"govuk-table__cell govuk-table__"
			    "cell--numeric\">%.0f</td>", v->valuedouble);
	html_add(h, "<td class=\"govuk-table__cell govuk-table__cell--numeric"
	    "\">%.0f</td><td class=\"govuk-table__cell\"></td></tr></tfoot>"
	    "</table></div></section>\n",
	    cJSON_GetNumberValue(html_get(a, "total")));
}

static void
html_section(struct html *h, const char *id, const char *title)
{
	html_add(h, "<section class=\"report-section\" aria-labelledby=\""
	    "%s-%zu\"><h2 class=\"govuk-heading-l\" id=\"%s-%zu\">%s</h2>\n",
	    id, h->len, id, h->len, title);
}

/* A count cell of field `name` of `o`. */
static void
html_count(struct html *h, const cJSON *o, const char *name)
{
	double	v = cJSON_GetNumberValue(html_get(o, name));

	if (isnan(v))
		html_add(h, "<td class=\"govuk-table__cell\"></td>");
	else
		html_add(h, "<td class=\"govuk-table__cell govuk-table__cell--"
		    "numeric\" data-value=\"%.0f\">%.0f</td>", v, v);
}

/*
 * A rate ({"rate","lower","upper"}) as a percentage (`percent`) or a
 * mean ({"mean","lower","upper"}) with its interval, in a cell.
 */
static void
html_rate(struct html *h, const cJSON *o, int percent)
{
	const cJSON	*v;
	double		 k;

	if (cJSON_IsTrue(html_get(o, "suppressed"))) {
		html_add(h, "<td class=\"govuk-table__cell\">Too few answers "
		    "to show</td>");
		return;
	}
	v = html_get(o, percent ? "rate" : "mean");
	if (!cJSON_IsNumber(v)) {
		html_add(h, "<td class=\"govuk-table__cell\">None</td>");
		return;
	}
	k = percent ? 100.0 : 1.0;
	html_add(h, "<td class=\"govuk-table__cell\" data-value=\"%.4f\">"
	    "%.*f%s (%.*f to %.*f)</td>", k * v->valuedouble, percent ? 0 : 2,
	    k * v->valuedouble, percent ? "%" : "", percent ? 0 : 2,
	    k * cJSON_GetNumberValue(html_get(o, "lower")), percent ? 0 : 2,
	    k * cJSON_GetNumberValue(html_get(o, "upper")));
}

static void
html_text(struct html *h, const char *s)
{
	char	*e;

	if ((e = text_html_escape(s)) == NULL) {
		h->failed = 1;
		return;
	}
	html_add(h, "%s", e);
	free(e);
}

static void
html_add(struct html *h, const char *fmt, ...)
{
	va_list	 ap;
	char	*grown;
	size_t	 cap;
	int	 n;

	if (h->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		h->failed = 1;
		return;
	}
	if (h->len + (size_t)n + 1 > h->cap) {
		cap = h->cap ? h->cap : 16384;
		while (cap < h->len + (size_t)n + 1)
			cap *= 2;
		if ((grown = realloc(h->data, cap)) == NULL) {
			h->failed = 1;
			return;
		}
		h->data = grown;
		h->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(h->data + h->len, h->cap - h->len, fmt, ap);
	va_end(ap);
	h->len += (size_t)n;
}

static const cJSON *
html_get(const cJSON *o, const char *name)
{
	return (cJSON_GetObjectItemCaseSensitive(o, name));
}

static const char *
html_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsString(v) ? v->valuestring : "");
}

/*
 * ISO date `iso` (YYYY-MM-DD) as people write it, "31 March 2016", into
 * `buf`; anything else as it is.
 */
static void
html_date(const char *iso, char *buf, size_t len)
{
	static const char *const months[] = { "January", "February",
	    "March", "April", "May", "June", "July", "August", "September",
	    "October", "November", "December" };
	int	y, m, d;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 &&
	    m <= 12 && d >= 1 && d <= 31)
		snprintf(buf, len, "%d %s %d", d, months[m - 1], y);
	else
		snprintf(buf, len, "%s", iso);
}
