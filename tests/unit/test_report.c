/*
 * Unit tests of app/report.c: the evaluation report reads the same-day
 * forms as counts per value (GROUPING SETS in db_report.c) and must give
 * exactly the figures evaluation_summary() gives over the forms one by
 * one; counts that do not add up are refused.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluation.h"
#include "report.h"
#include "report_html.h"

#define NFORMS	9

/* Nine forms: ratings, before/after pairs, outcomes, improve, online. */
static int ratings[NFORMS][5] = {
	{ 5, 4, 3, 5, 5 }, { 4, 4, 0, 5, 4 }, { 3, 2, 2, 4, 3 },
	{ 5, 5, 5, 5, 5 }, { 4, 3, 4, 4, 4 }, { 2, 3, 3, 3, 0 },
	{ 5, 4, 4, 5, 5 }, { 0, 0, 0, 0, 0 }, { 4, 4, 3, 4, 4 },
};
static int scores[NFORMS][4] = {
	{ 3, 7, 4, 8 }, { 5, 8, 5, 7 }, { 2, 6, 0, 0 }, { 6, 9, 6, 9 },
	{ 4, 4, 3, 6 }, { 0, 7, 5, 8 }, { 3, 8, 2, 7 }, { 0, 0, 0, 0 },
	{ 5, 7, 5, 7 },
};
static int outcomes[NFORMS] = { 1, 1, 2, 1, 3, 2, 1, 0, 1 };
static int improve[NFORMS] = { 1, 1, 3, 1, 2, 1, 1, 0, 3 };
static int online[NFORMS] = { 1, 0, 1, 1, 0, 1, 1, 0, 1 };

/* Add [col, a, b, 1] for each form: the counts, one form at a time. */
static cJSON *
counts_of_forms(void)
{
	cJSON	*arr;
	int	 i, j, e[4];

	arr = cJSON_CreateArray();
	for (i = 0; i < NFORMS; i++) {
		for (j = 0; j < 12; j++) {
			e[0] = j;
			e[2] = 0;
			e[3] = 1;
			if (j < 5)
				e[1] = ratings[i][j];
			else if (j == 5 || j == 7) {
				e[1] = scores[i][j - 5];
				e[2] = scores[i][j - 4];
			} else if (j == 9)
				e[1] = outcomes[i];
			else if (j == 10)
				e[1] = improve[i];
			else if (j == 11)
				e[1] = online[i];
			else
				continue;
			cJSON_AddItemToArray(arr, cJSON_CreateIntArray(e, 4));
		}
	}
	return (arr);
}

static cJSON *
raw_with(cJSON *forms)
{
	cJSON	*raw, *places;
	size_t	 i, n;

	raw = cJSON_CreateObject();
	places = cJSON_AddObjectToObject(raw, "places");
	cJSON_AddNumberToObject(places, "attended", 10);
	cJSON_AddNumberToObject(places, "partial", 2);
	/* Every session within the filters: all places count. */
	cJSON_AddNumberToObject(places, "counted_attended", 10);
	cJSON_AddNumberToObject(places, "counted_partial", 2);
	for (n = 0, i = 0; i < NFORMS; i++)
		n += online[i] != 0;
	cJSON_AddNumberToObject(raw, "forms_online", (double)n);
	cJSON_AddNumberToObject(raw, "forms_paper", (double)(NFORMS - n));
	cJSON_AddItemToObject(raw, "forms", forms);
	return (raw);
}

Test(report, evaluation_from_counts_is_the_summary_of_the_forms)
{
	struct evaluation_forms	 f;
	cJSON			*want, *raw, *got, *same;
	const char		*keys[] = { "ratings", "knowledge", "confidence",
				    "improve_safeguarding", "outcomes_met",
				    "forms", "completion", "respondents" };
	size_t			 i;

	memset(&f, 0, sizeof(f));
	f.n = NFORMS;
	f.ratings = ratings;
	f.scores = scores;
	f.outcomes = outcomes;
	f.improve = improve;
	for (i = 0; i < NFORMS; i++) {
		if (online[i])
			f.online++;
		else
			f.paper++;
	}
	f.attended = 10;
	f.partial = 2;
	want = evaluation_summary(&f, 1, 0.95);

	/* The counts in another order than the forms': order is no matter. */
	raw = raw_with(counts_of_forms());
	cJSON_AddItemToArray(cJSON_GetObjectItem(raw, "forms"),
	    cJSON_DetachItemFromArray(cJSON_GetObjectItem(raw, "forms"), 0));
	got = report_evaluation(raw, 1, 0.95);
	cr_assert_not_null(got);
	same = cJSON_GetObjectItem(got, "same_day");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_assert(cJSON_Compare(cJSON_GetObjectItem(want, keys[i]),
		    cJSON_GetObjectItem(same, keys[i]), 1), "%s differs",
		    keys[i]);
	cJSON_Delete(want);
	cJSON_Delete(raw);
	cJSON_Delete(got);
}

Test(report, evaluation_refuses_counts_that_do_not_add_up)
{
	cJSON	*raw, *forms;
	int	 e[4] = { 3, 5, 0, 1 };

	forms = counts_of_forms();
	/* A tenth trainer rating for nine forms. */
	cJSON_AddItemToArray(forms, cJSON_CreateIntArray(e, 4));
	raw = raw_with(forms);
	cr_assert_null(report_evaluation(raw, 1, 0.95));
	cJSON_Delete(raw);
}

/*
 * Sustained confidence comes as counted pairs [before, now, n]: the same
 * figures as the pairs listed one by one, and a count that is not a whole
 * number from 1 stands for no pair.
 */
Test(report, sustained_counted_pairs_are_the_pairs_listed)
{
	cJSON		*listed, *counted, *bad, *a, *b, *c;
	const int	 pairs[][3] = { { 3, 6, 4 }, { 5, 5, 2 }, { 2, 7, 3 },
			    { 6, 8, 1 } };
	int		 one[2], i, k;

	listed = raw_with(counts_of_forms());
	counted = raw_with(counts_of_forms());
	bad = raw_with(counts_of_forms());
	a = cJSON_AddArrayToObject(listed, "sustained");
	b = cJSON_AddArrayToObject(counted, "sustained");
	c = cJSON_AddArrayToObject(bad, "sustained");
	for (i = 0; i < 4; i++) {
		one[0] = pairs[i][0];
		one[1] = pairs[i][1];
		for (k = 0; k < pairs[i][2]; k++)
			cJSON_AddItemToArray(a, cJSON_CreateIntArray(one, 2));
		cJSON_AddItemToArray(b, cJSON_CreateIntArray(pairs[i], 3));
		cJSON_AddItemToArray(c, cJSON_CreateIntArray(pairs[i], 3));
	}
	/* Counts of 0, -2 and 1.5 pairs add nothing. */
	cJSON_AddItemToArray(c, cJSON_Parse("[1, 9, 0]"));
	cJSON_AddItemToArray(c, cJSON_Parse("[1, 9, -2]"));
	cJSON_AddItemToArray(c, cJSON_Parse("[1, 9, 1.5]"));
	a = report_evaluation(listed, 1, 0.95);
	b = report_evaluation(counted, 1, 0.95);
	c = report_evaluation(bad, 1, 0.95);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_not_null(c);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "sustained"),
	    "n")->valuedouble, 10);
	cr_assert(cJSON_Compare(cJSON_GetObjectItem(a, "sustained"),
	    cJSON_GetObjectItem(b, "sustained"), 1));
	cr_assert(cJSON_Compare(cJSON_GetObjectItem(a, "sustained"),
	    cJSON_GetObjectItem(c, "sustained"), 1));
	cJSON_Delete(listed);
	cJSON_Delete(counted);
	cJSON_Delete(bad);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}

/*
 * The annual report's page (report_html.c): the partnership's name and
 * the period at its head, dates as people write them, years before the
 * records begin (no place in any row) left out of the attendance table
 * and its chart; and the report CSV of the agencies (report_csv()): the
 * header in words, rates as percentages to one place, a blank for none.
 */
Test(report, annual_page_and_csv_read_as_people_write)
{
	struct csv_out	 out;
	cJSON		*r, *ag;
	char		*html, *text;

	r = cJSON_Parse("{\"year\":\"2016/17\",\"attendance_by_agency\":{"
	    "\"years\":[\"2013/14\",\"2014/15\",\"2015/16\",\"2016/17\"],"
	    "\"rows\":[{\"label\":\"Police & Co\",\"counts\":[0,0,3,4],"
	    "\"total\":7,\"trend\":{\"direction\":\"flat\"}}],"
	    "\"totals\":[0,0,3,4],\"total\":7},"
	    "\"coverage\":{\"as_of\":\"2017-03-31\",\"rows\":[]}}");
	cr_assert_not_null(r);
	html = report_html_annual(r, "North \"Shire\" Partnership");
	cr_assert_not_null(html);
	cr_assert_not_null(strstr(html, "data-partnership=\"North &quot;Shire"
	    "&quot; Partnership\" data-period=\"1 April 2016 to 31 March "
	    "2017\""), "%s", html);
	cr_assert_not_null(strstr(html, "Annual training report 2016/17</h1>"));
	cr_assert_not_null(strstr(html, "trained for their group on 31 March "
	    "2017</caption>"));
	cr_assert_null(strstr(html, "2017-03-31"));
	cr_assert_not_null(strstr(html, "Police &amp; Co"));
	/* 2013/14 and 2014/15 had no places at all: no columns of zeros. */
	cr_assert_null(strstr(html, ">2013/14<"));
	cr_assert_null(strstr(html, ">2014/15<"));
	cr_assert_not_null(strstr(html, ">2015/16<"));
	cr_assert_not_null(strstr(html, "data-chart-series=\"1-2\""));
	free(html);
	cJSON_Delete(r);

	ag = cJSON_Parse("{\"rows\":[{\"name\":\"=Police\",\"sector\":"
	    "\"Police\",\"booked\":20,\"places\":17,\"no_show\":3,"
	    "\"no_show_rate\":{\"rate\":0.15,\"lower\":0.0523669,"
	    "\"upper\":0.3604}},{\"name\":\"Health, North\",\"sector\":"
	    "\"Health\",\"booked\":0,\"places\":0,\"no_show\":0,"
	    "\"no_show_rate\":{\"rate\":null,\"lower\":null,\"upper\":null}}]}");
	cr_assert_eq(report_csv(ag, "agencies", &out), 0);
	text = out.data;
	cr_assert_eq(memcmp(text, "\xef\xbb\xbf", 3), 0);
	cr_assert_str_eq(text + 3, "Agency,Sector,Booked,Places taken up,"
	    "No-shows,No-show rate (%),No-show rate: lower 95% limit (%),"
	    "No-show rate: upper 95% limit (%)\r\n"
	    "\"'=Police\",Police,20,17,3,15.0,5.2,36.0\r\n"
	    "\"Health, North\",Health,0,0,0,,,\r\n");
	csv_out_free(&out);
	cJSON_Delete(ag);
}

/* The contents of file `path` (caller frees), or NULL when unreadable. */
static char *
file_read(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 len;

	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = calloc((size_t)len + 1, 1);
	if (buf != NULL && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return (buf);
}

/*
 * Golden file `path` (caller frees), or NULL when unreadable; with
 * REPORT_GOLDEN_WRITE=1 in the environment, `text` is first written
 * there (how the golden files were made).
 */
static char *
golden(const char *path, const char *text)
{
	const char	*w = getenv("REPORT_GOLDEN_WRITE");
	FILE		*fp;

	if (w != NULL && strcmp(w, "1") == 0) {
		cr_assert_not_null(fp = fopen(path, "w"), "%s", path);
		fputs(text, fp);
		fclose(fp);
	}
	return (file_read(path));
}

/*
 * The annual report's page and every report's CSV, rendered from one
 * fixed report (tests/unit/golden/report_annual.json: report_attendance(),
 * report_courses(), report_agencies(), report_evaluation() and
 * report_coverage() over made-up rows: escapes, suppressed and missing
 * figures, rising and falling trends, years before the records, kept
 * figures), are byte for byte the golden files beside it. The golden
 * files were written by this test with REPORT_GOLDEN_WRITE=1 from the
 * code as it stood before report_html_annual() and report_csv() were
 * split into one function a section and a kind; rewrite them that way
 * only for a change of the page or the CSV that is meant.
 */
Test(report, annual_page_and_csvs_are_the_golden_ones)
{
	static const char *const csvs[][2] = {
	    { "attendance_by_agency", "attendance" },
	    { "attendance_by_sector", "attendance" },
	    { "courses", "courses" },
	    { "agencies", "agencies" },
	    { "evaluation", "evaluation" } };
	struct csv_out	 out;
	cJSON		*r;
	char		*in, *html, *want, path[128];
	size_t		 i;

	in = file_read("tests/unit/golden/report_annual.json");
	cr_assert_not_null(in);
	cr_assert_not_null(r = cJSON_Parse(in));
	free(in);
	html = report_html_annual(r, "North \"Shire\" <Partnership> & Co");
	cr_assert_not_null(html);
	want = golden("tests/unit/golden/report_annual.html", html);
	cr_assert_not_null(want);
	cr_assert_str_eq(html, want);
	free(want);
	free(html);
	for (i = 0; i < sizeof(csvs) / sizeof(csvs[0]); i++) {
		cr_assert_eq(report_csv(cJSON_GetObjectItem(r, csvs[i][0]),
		    csvs[i][1], &out), 0);
		snprintf(path, sizeof(path), "tests/unit/golden/report_%s.csv",
		    csvs[i][0]);
		want = golden(path, out.data);
		cr_assert_not_null(want, "%s", path);
		cr_assert_str_eq(out.data, want, "%s", path);
		free(want);
		csv_out_free(&out);
	}
	cr_assert_eq(report_csv(r, "annual", &out), -1);
	csv_out_free(&out);
	cJSON_Delete(r);
}
