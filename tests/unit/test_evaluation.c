/*
 * Unit tests of app/evaluation.c: each stage's window at its edges, the
 * stages' questions, the checks on answers from JSON and from paper
 * forms' CSV, and the summary's
 * suppression and shape (its figures are checked against SciPy by
 * tests/integration/evaluations.test.mjs).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "csv.h"
#include "evaluation.h"

Test(evaluation, stages_by_name)
{
	cr_assert_eq(evaluation_stage_of("before"), STAGE_BEFORE);
	cr_assert_eq(evaluation_stage_of("same_day"), STAGE_SAME_DAY);
	cr_assert_eq(evaluation_stage_of("followup"), STAGE_FOLLOWUP);
	cr_assert_eq(evaluation_stage_of("manager"), -1);
	cr_assert_eq(evaluation_stage_of(NULL), -1);
}

Test(evaluation, every_wrong_field_is_named)
{
	struct evaluation_answers	 a;
	cJSON				*body, *fields;

	body = cJSON_Parse("{\"rating_content\":6,\"rating_venue\":2.5,"
	    "\"rating_trainer\":\"5\",\"outcomes_met\":\"maybe\","
	    "\"knowledge_after\":10,\"colour\":\"blue\",\"comments\":null}");
	fields = cJSON_CreateObject();
	cr_assert_eq(evaluation_parse_json(STAGE_SAME_DAY, body, &a, fields), 5);
	cr_assert(cJSON_HasObjectItem(fields, "rating_content"));
	cr_assert(cJSON_HasObjectItem(fields, "rating_venue"));
	cr_assert(cJSON_HasObjectItem(fields, "rating_trainer"));
	cr_assert(cJSON_HasObjectItem(fields, "outcomes_met"));
	cr_assert(cJSON_HasObjectItem(fields, "colour"));
	cr_assert_not(cJSON_HasObjectItem(fields, "knowledge_after"));
	evaluation_answers_free(&a);
	cJSON_Delete(body);
	cJSON_Delete(fields);
}

Test(evaluation, answers_become_sql_values_in_order)
{
	struct evaluation_answers	 a;
	cJSON				*body, *fields;

	body = cJSON_Parse("{\"applied\":\"yes\",\"confidence_now\":7,"
	    "\"changed\":[\"referrals\",\"information_sharing\"]}");
	fields = cJSON_CreateObject();
	cr_assert_eq(evaluation_parse_json(STAGE_FOLLOWUP, body, &a, fields), 0);
	cr_assert_eq(a.n, 6);
	cr_assert_str_eq(a.value[0], "yes");
	cr_assert_null(a.value[1], "blank example: not answered");
	cr_assert_str_eq(a.value[2], "7");
	cr_assert_str_eq(a.value[3], "true");
	cr_assert_str_eq(a.value[4], "false");
	cr_assert_str_eq(a.value[5], "true");
	evaluation_answers_free(&a);
	cJSON_Delete(body);

	/* An empty list is "none changed"; no list is not answered. */
	body = cJSON_Parse("{\"changed\":[]}");
	cr_assert_eq(evaluation_parse_json(STAGE_FOLLOWUP, body, &a, fields), 0);
	cr_assert_str_eq(a.value[3], "false");
	evaluation_answers_free(&a);
	cJSON_Delete(body);
	body = cJSON_Parse("{\"changed\":[\"referrals\",\"referrals\"]}");
	cr_assert_eq(evaluation_parse_json(STAGE_FOLLOWUP, body, &a, fields), 1);
	evaluation_answers_free(&a);
	cJSON_Delete(body);
	cJSON_Delete(fields);
}

Test(evaluation, paper_rows_blank_is_unanswered_and_choices_any_case)
{
	struct evaluation_answers	*forms;
	cJSON				*errors;
	size_t				 n;
	const char			*text =
	    "rating_content,rating_delivery,rating_venue,rating_trainer,"
	    "rating_overall,knowledge_before,knowledge_after,confidence_before,"
	    "confidence_after,outcomes_met,improve_safeguarding,action,comments\n"
	    " 5 ,4,,5,5,3,7,4,8,YES,Unsure,,Fine\n"
	    "0,4,4,5,5,3,11,4,8,yes,no,,\n";

	errors = cJSON_CreateArray();
	cr_assert_eq(evaluation_read_paper(text, strlen(text), &forms, &n,
	    errors), 2);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(forms[0].value[0], "5");
	cr_assert_null(forms[0].value[2]);
	cr_assert_str_eq(forms[0].value[9], "yes");
	cr_assert_str_eq(forms[0].value[10], "unsure");
	cr_assert_eq(cJSON_GetArraySize(errors), 2);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 0),
	    "row")->valueint, 3);
	evaluation_forms_answers_free(forms, n);
	cJSON_Delete(errors);
}

/* The one problem of a paper forms' file `text`: "row field message". */
static void
paper_refused(const char *text, const char *want)
{
	struct evaluation_answers	*forms;
	cJSON				*errors, *e;
	char				 got[300];
	size_t				 n;

	errors = cJSON_CreateArray();
	cr_assert_eq(evaluation_read_paper(text, strlen(text), &forms, &n,
	    errors), 1);
	cr_assert_eq(cJSON_GetArraySize(errors), 1);
	e = cJSON_GetArrayItem(errors, 0);
	snprintf(got, sizeof(got), "%d %s %s",
	    cJSON_GetObjectItem(e, "row")->valueint,
	    cJSON_GetObjectItem(e, "field")->valuestring,
	    cJSON_GetObjectItem(e, "message")->valuestring);
	cr_assert_str_eq(got, want);
	cr_assert_eq(n, 0);
	evaluation_forms_answers_free(forms, n);
	cJSON_Delete(errors);
}

Test(evaluation, paper_files_without_the_header_or_forms_are_refused)
{
	static const char header[] =
	    "rating_content,rating_delivery,rating_venue,rating_trainer,"
	    "rating_overall,knowledge_before,knowledge_after,confidence_before,"
	    "confidence_after,outcomes_met,improve_safeguarding,action,comments\n";

	paper_refused("", "1 header The first row must be the template's "
	    "header: rating_content, ..., comments.");
	paper_refused("rating_content\n5\n", "1 header The first row must be "
	    "the template's header: rating_content, ..., comments.");
	paper_refused(header, "2 row The file has no forms.");
	paper_refused("a,\"b\n", "1 file The file is not valid CSV (error "
	    "parsing data while strict checking enabled near line 1).");
}

Test(evaluation, summary_suppressed_under_five_except_for_coordinators)
{
	struct evaluation_forms	 f;
	int			 ratings[4][5] = { { 5, 4, 3, 5, 4 },
				    { 4, 4, 4, 4, 4 }, { 3, 0, 5, 4, 5 },
				    { 5, 5, 5, 5, 5 } };
	int			 scores[4][4] = { { 3, 7, 4, 8 },
				    { 5, 5, 5, 6 }, { 2, 6, 0, 0 },
				    { 4, 8, 6, 6 } };
	int			 outcomes[4] = { 1, 2, 1, 0 };
	int			 improve[4] = { 1, 1, 3, 0 };
	const char		*comments[1] = { "Useful" };
	cJSON			*s, *r;

	memset(&f, 0, sizeof(f));
	f.n = 4;
	f.paper = 4;
	f.attended = 6;
	f.ratings = ratings;
	f.scores = scores;
	f.outcomes = outcomes;
	f.improve = improve;
	f.comments = comments;
	f.ncomments = 1;

	s = evaluation_summary(&f, 0, 0.95);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(s, "suppressed")));
	cr_assert_null(cJSON_GetObjectItem(s, "ratings"));
	cr_assert_null(cJSON_GetObjectItem(s, "comments"));
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "forms"),
	    "total")->valueint, 4);
	cJSON_Delete(s);

	s = evaluation_summary(&f, 1, 0.95);
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(s, "suppressed")));
	r = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "ratings"), "delivery");
	cr_assert_eq(cJSON_GetObjectItem(r, "n")->valueint, 3, "blank left out");
	cr_assert_float_eq(cJSON_GetObjectItem(r, "mean")->valuedouble,
	    13.0 / 3, 1e-12);
	cr_assert_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(r,
	    "distribution"), 3)->valueint, 2);
	r = cJSON_GetObjectItem(s, "confidence");
	cr_assert_eq(cJSON_GetObjectItem(r, "n")->valueint, 3, "pairs only");
	r = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "improve_safeguarding"),
	    "yes");
	cr_assert_eq(cJSON_GetObjectItem(r, "k")->valueint, 2);
	cr_assert_eq(cJSON_GetObjectItem(r, "n")->valueint, 3);
	cJSON_Delete(s);
}

Test(evaluation, the_online_same_day_form_needs_its_five_ratings)
{
	struct evaluation_answers	 a;
	cJSON				*body, *fields;

	body = cJSON_Parse("{\"rating_content\":5,\"rating_venue\":7,"
	    "\"comments\":\"Good\"}");
	fields = cJSON_CreateObject();
	cr_assert_eq(evaluation_parse_json(STAGE_SAME_DAY, body, &a, fields), 1);
	cr_assert_eq(evaluation_require_ratings(&a, fields), 3,
	    "delivery, trainer, overall missing; venue named once");
	cr_assert_str_eq(cJSON_GetObjectItem(fields, "rating_venue")->valuestring,
	    "Must be a whole number from 1 to 5.");
	cr_assert(cJSON_HasObjectItem(fields, "rating_overall"));
	cr_assert_not(cJSON_HasObjectItem(fields, "rating_content"));
	evaluation_answers_free(&a);
	cJSON_Delete(body);
	cJSON_Delete(fields);
}

Test(evaluation, followup_days_from_the_setting)
{
	cr_assert_eq(evaluation_followup_days(NULL), 90);
	cr_assert_eq(evaluation_followup_days("30"), 30);
	cr_assert_eq(evaluation_followup_days("1"), 1);
	cr_assert_eq(evaluation_followup_days("730"), 730);
	cr_assert_eq(evaluation_followup_days("0"), 90);
	cr_assert_eq(evaluation_followup_days("731"), 90);
	cr_assert_eq(evaluation_followup_days("-5"), 90);
	cr_assert_eq(evaluation_followup_days("soon"), 90);
	cr_assert_eq(evaluation_followup_days(""), 90);
}

/*
 * The windows (evaluation_windows()). A session on Thursday 11 June 2026,
 * 09:30 to 16:00 in London (BST, UTC+1); times in microseconds.
 */
#define SEC		1000000LL
#define DAY		(86400 * SEC)
#define UTC(y, mo, d, h, mi)	(utc((y), (mo), (d), (h), (mi)))

static long long
utc(int y, int mo, int d, int h, int mi)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return ((long long)timegm(&tm) * SEC);
}

/* Attended, marked at the end, nothing sent; the course asks the before
 * form and the place was confirmed on 1 May. */
static struct evaluation_facts
attended(void)
{
	struct evaluation_facts	f;

	memset(&f, 0, sizeof(f));
	f.starts_at = UTC(2026, 6, 11, 8, 30);
	f.ends_at = UTC(2026, 6, 11, 15, 0);
	f.now = f.ends_at;
	f.status = "attended";
	f.confirmed_at = UTC(2026, 5, 1, 12, 0);
	f.attendance_at = f.ends_at;
	f.baseline = 1;
	f.due_on = EVALUATION_NO_DATE;
	f.followup_days = 90;
	return (f);
}

static enum evaluation_state
state_at(struct evaluation_facts f, enum evaluation_stage stage, long long now)
{
	struct evaluation_windows	w;

	f.now = now;
	evaluation_windows(&f, &w);
	return (w.stage[stage].state);
}

static void
assert_iso(long long t, const char *want)
{
	char	buf[32];

	if (t == EVALUATION_NO_TIME)
		cr_assert_fail("no time, %s wanted", want);
	evaluation_time_iso(t, buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
}

Test(evaluation_window, before_from_confirmation_to_start)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	long long			c = f.confirmed_at, s = f.starts_at;

	evaluation_windows(&f, &w);
	assert_iso(w.stage[STAGE_BEFORE].opens_at, "2026-05-01T13:00:00+01:00");
	assert_iso(w.stage[STAGE_BEFORE].closes_at, "2026-06-11T09:30:00+01:00");
	cr_assert_eq(state_at(f, STAGE_BEFORE, c - SEC), WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_BEFORE, c - 1), WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_BEFORE, c), WINDOW_OPEN);
	cr_assert_eq(state_at(f, STAGE_BEFORE, s - 1), WINDOW_OPEN);
	cr_assert_eq(state_at(f, STAGE_BEFORE, s), WINDOW_CLOSED);
	/* Sent: done, whenever asked. */
	f.sent[STAGE_BEFORE] = 1;
	cr_assert_eq(state_at(f, STAGE_BEFORE, c), WINDOW_DONE);
	cr_assert_eq(state_at(f, STAGE_BEFORE, s + DAY), WINDOW_DONE);
}

Test(evaluation_window, before_only_for_a_place_the_course_asks_it_of)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	long long			c = f.confirmed_at;
	static const char *const placed[] = { "confirmed", "attended",
	    "partial", "no_show" };
	static const char *const not_placed[] = { "cancelled", "waitlisted",
	    "offered", "" };
	size_t				i;

	for (i = 0; i < 4; i++) {
		f.status = placed[i];
		cr_assert_eq(state_at(f, STAGE_BEFORE, c), WINDOW_OPEN, "%s",
		    placed[i]);
	}
	for (i = 0; i < 4; i++) {
		f.status = not_placed[i];
		cr_assert_eq(state_at(f, STAGE_BEFORE, c), WINDOW_NOT_OPEN,
		    "%s", not_placed[i]);
		cr_assert_eq(state_at(f, STAGE_BEFORE, f.starts_at + DAY),
		    WINDOW_NOT_OPEN, "%s", not_placed[i]);
	}
	f.status = "confirmed";
	f.confirmed_at = EVALUATION_NO_TIME;
	evaluation_windows(&f, &w);
	cr_assert_eq(w.stage[STAGE_BEFORE].opens_at, EVALUATION_NO_TIME);
	cr_assert_eq(w.stage[STAGE_BEFORE].state, WINDOW_NOT_OPEN);
	f = attended();
	f.baseline = 0;
	cr_assert_eq(state_at(f, STAGE_BEFORE, c), WINDOW_NOT_OPEN);
	/* A form that came in all the same is done. */
	f.sent[STAGE_BEFORE] = 1;
	cr_assert_eq(state_at(f, STAGE_BEFORE, c), WINDOW_DONE);
}

Test(evaluation_window, same_day_from_the_mark_to_14_days_after_the_end)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	long long			m, close;

	f.attendance_at = m = UTC(2026, 6, 11, 14, 0);
	evaluation_windows(&f, &w);
	close = w.stage[STAGE_SAME_DAY].closes_at;
	assert_iso(w.stage[STAGE_SAME_DAY].opens_at,
	    "2026-06-11T15:00:00+01:00");
	assert_iso(close, "2026-06-25T16:00:00+01:00");
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, m - SEC), WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, m - 1), WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, m), WINDOW_OPEN);
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, close - SEC), WINDOW_OPEN);
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, close), WINDOW_CLOSED);
	f.status = "partial";
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, m), WINDOW_OPEN);
	/* No mark's time: open from the end. */
	f.attendance_at = EVALUATION_NO_TIME;
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, f.ends_at - 1),
	    WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, f.ends_at), WINDOW_OPEN);
	/* Sent: done, even after the close. */
	f.sent[STAGE_SAME_DAY] = 1;
	cr_assert_eq(state_at(f, STAGE_SAME_DAY, close), WINDOW_DONE);
}

Test(evaluation_window, same_day_not_for_those_not_attended)
{
	static const char *const absent[] = { "confirmed", "no_show",
	    "cancelled", "waitlisted" };
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	size_t				i;

	for (i = 0; i < 4; i++) {
		f.status = absent[i];
		evaluation_windows(&f, &w);
		cr_assert_eq(w.stage[STAGE_SAME_DAY].opens_at,
		    EVALUATION_NO_TIME, "%s", absent[i]);
		cr_assert_eq(state_at(f, STAGE_SAME_DAY, f.ends_at + DAY),
		    WINDOW_NOT_OPEN, "%s", absent[i]);
		cr_assert_eq(state_at(f, STAGE_SAME_DAY, f.ends_at + 20 * DAY),
		    WINDOW_NOT_OPEN, "%s", absent[i]);
		cr_assert_eq(state_at(f, STAGE_FOLLOWUP, f.ends_at + 100 * DAY),
		    WINDOW_NOT_OPEN, "%s", absent[i]);
	}
}

Test(evaluation_window, same_day_close_keeps_the_clock_time_across_a_change)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;

	/* 16:00 BST, 14 days on: 16:00 GMT (one hour more). */
	f.starts_at = UTC(2026, 10, 20, 8, 30);
	f.ends_at = UTC(2026, 10, 20, 15, 0);
	evaluation_windows(&f, &w);
	assert_iso(w.stage[STAGE_SAME_DAY].closes_at,
	    "2026-11-03T16:00:00+00:00");
	/* A clock time skipped (29 March) or passed twice (25 October) is
	 * read as GMT's, as PostgreSQL reads it. */
	f.ends_at = UTC(2026, 3, 15, 1, 30);
	evaluation_windows(&f, &w);
	assert_iso(w.stage[STAGE_SAME_DAY].closes_at,
	    "2026-03-29T02:30:00+01:00");
	f.ends_at = UTC(2026, 10, 11, 0, 30);
	evaluation_windows(&f, &w);
	assert_iso(w.stage[STAGE_SAME_DAY].closes_at,
	    "2026-10-25T01:30:00+00:00");
}

Test(evaluation_window, followup_from_its_due_date_for_30_days)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	long long			open, close;
	char				due[16];

	evaluation_windows(&f, &w);
	evaluation_date_iso(w.due_on, due, sizeof(due));
	cr_assert_str_eq(due, "2026-09-09");
	open = w.stage[STAGE_FOLLOWUP].opens_at;
	close = w.stage[STAGE_FOLLOWUP].closes_at;
	assert_iso(open, "2026-09-09T00:00:00+01:00");
	assert_iso(close, "2026-10-09T00:00:00+01:00");
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, open - SEC), WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, open - 1), WINDOW_NOT_OPEN);
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, open), WINDOW_OPEN);
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, close - 1), WINDOW_OPEN);
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, close), WINDOW_CLOSED);
	f.sent[STAGE_FOLLOWUP] = 1;
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, open), WINDOW_DONE);
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, close), WINDOW_DONE);
	cr_assert_eq(state_at(f, STAGE_FOLLOWUP, f.ends_at), WINDOW_DONE);
}

Test(evaluation_window, followup_days_are_the_callers)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	char				due[16];

	/* 0 days: due the day the session ended, open at once. */
	f.followup_days = 0;
	evaluation_windows(&f, &w);
	evaluation_date_iso(w.due_on, due, sizeof(due));
	cr_assert_str_eq(due, "2026-06-11");
	assert_iso(w.stage[STAGE_FOLLOWUP].opens_at,
	    "2026-06-11T00:00:00+01:00");
	cr_assert_eq(w.stage[STAGE_FOLLOWUP].state, WINDOW_OPEN);
	/* The follow-up's row, once there, says the date, not the days. */
	f.followup_days = 90;
	f.due_on = w.due_on + 10;
	evaluation_windows(&f, &w);
	evaluation_date_iso(w.due_on, due, sizeof(due));
	cr_assert_str_eq(due, "2026-06-21");
	/* The day is London's: a session ending at 00:30 BST on 12 June
	 * (23:30 UTC on the 11th) is due 90 days from the 12th; 30 days
	 * on crosses October's change, and closes at midnight GMT. */
	f = attended();
	f.ends_at = UTC(2026, 6, 11, 23, 30);
	evaluation_windows(&f, &w);
	evaluation_date_iso(w.due_on, due, sizeof(due));
	cr_assert_str_eq(due, "2026-09-10");
	assert_iso(w.stage[STAGE_FOLLOWUP].closes_at,
	    "2026-10-10T00:00:00+01:00");
	f.followup_days = 112;
	evaluation_windows(&f, &w);
	assert_iso(w.stage[STAGE_FOLLOWUP].opens_at,
	    "2026-10-02T00:00:00+01:00");
	assert_iso(w.stage[STAGE_FOLLOWUP].closes_at,
	    "2026-11-01T00:00:00+00:00");
}

Test(evaluation_window, state_names)
{
	cr_assert_str_eq(evaluation_state_name(WINDOW_NOT_OPEN), "not_open");
	cr_assert_str_eq(evaluation_state_name(WINDOW_OPEN), "open");
	cr_assert_str_eq(evaluation_state_name(WINDOW_CLOSED), "closed");
	cr_assert_str_eq(evaluation_state_name(WINDOW_DONE), "done");
}

Test(evaluation_window, certificate_once_the_same_day_form_is_in_or_closed)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	long long			close;
	char				day[16];
	int				issued;

	evaluation_windows(&f, &w);
	close = w.stage[STAGE_SAME_DAY].closes_at;
	f.now = close - 1;
	cr_assert_not(evaluation_certificate(&f, EVALUATION_NO_TIME, &issued));
	f.now = close;
	cr_assert(evaluation_certificate(&f, EVALUATION_NO_TIME, &issued));
	evaluation_date_iso(issued, day, sizeof(day));
	cr_assert_str_eq(day, "2026-06-25");
	/* Sent on the day: ready at once, issued that day. */
	f.now = f.ends_at + SEC;
	f.sent[STAGE_SAME_DAY] = 1;
	cr_assert(evaluation_certificate(&f, f.ends_at, &issued));
	evaluation_date_iso(issued, day, sizeof(day));
	cr_assert_str_eq(day, "2026-06-11");
	/* Not attended: never, form or not. */
	f.status = "no_show";
	f.now = close + DAY;
	cr_assert_not(evaluation_certificate(&f, f.ends_at, &issued));
	f.status = "cancelled";
	cr_assert_not(evaluation_certificate(&f, f.ends_at, &issued));
}

Test(evaluation_window, times_in_london_with_their_offset)
{
	char	buf[32];

	evaluation_time_iso(UTC(2026, 1, 15, 9, 30) + 999999, buf,
	    sizeof(buf));
	cr_assert_str_eq(buf, "2026-01-15T09:30:00+00:00");
	evaluation_time_iso(UTC(2026, 7, 15, 23, 30), buf, sizeof(buf));
	cr_assert_str_eq(buf, "2026-07-16T00:30:00+01:00");
	cr_assert_eq(evaluation_london_date(UTC(2026, 7, 15, 23, 30)),
	    evaluation_london_date(UTC(2026, 7, 16, 12, 0)));
	evaluation_date_iso(0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1970-01-01");
}

Test(evaluation_window, same_day_reminders_3_and_7_days_after_the_mark)
{
	struct evaluation_facts	f = attended();
	long long		m = f.attendance_at, close;

	close = evaluation_same_day_closes(f.ends_at);
	f.now = m + 3 * DAY - 1;
	cr_assert_null(evaluation_mail_due(&f, STAGE_SAME_DAY, 1));
	f.now = m + 3 * DAY;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_SAME_DAY, 1),
	    "same_day_3");
	f.now = m + 7 * DAY - 1;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_SAME_DAY, 1),
	    "same_day_3");
	f.now = m + 7 * DAY;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_SAME_DAY, 1),
	    "same_day_7");
	/* Not invited, answered, or closed: none. */
	cr_assert_null(evaluation_mail_due(&f, STAGE_SAME_DAY, 0));
	f.sent[STAGE_SAME_DAY] = 1;
	cr_assert_null(evaluation_mail_due(&f, STAGE_SAME_DAY, 1));
	f.sent[STAGE_SAME_DAY] = 0;
	f.now = close;
	cr_assert_null(evaluation_mail_due(&f, STAGE_SAME_DAY, 1));
	/* Marked before the end: none from 14 days after the mark, though
	 * the window is open to the end's 14 days. */
	f.attendance_at = f.ends_at - 3600 * SEC;
	f.now = f.attendance_at + 14 * DAY;
	cr_assert_lt(f.now, close);
	cr_assert_null(evaluation_mail_due(&f, STAGE_SAME_DAY, 1));
	f.attendance_at = EVALUATION_NO_TIME;
	f.now = f.ends_at + 4 * DAY;
	cr_assert_null(evaluation_mail_due(&f, STAGE_SAME_DAY, 1));
	cr_assert_null(evaluation_mail_due(&f, STAGE_BEFORE, 1));
}

Test(evaluation_window, followup_invitation_then_reminders_7_and_14_days_on)
{
	struct evaluation_facts		f = attended();
	struct evaluation_windows	w;
	long long			open;

	evaluation_windows(&f, &w);
	open = w.stage[STAGE_FOLLOWUP].opens_at;
	f.now = open - 1;
	cr_assert_null(evaluation_mail_due(&f, STAGE_FOLLOWUP, 0));
	f.now = open;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_FOLLOWUP, 0), "followup");
	f.now = open + 7 * DAY - 1;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_FOLLOWUP, 1), "followup");
	f.now = open + 7 * DAY;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_FOLLOWUP, 1),
	    "followup_7");
	/* No reminder without the invitation. */
	cr_assert_null(evaluation_mail_due(&f, STAGE_FOLLOWUP, 0));
	f.now = open + 14 * DAY;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_FOLLOWUP, 1),
	    "followup_14");
	f.now = w.stage[STAGE_FOLLOWUP].closes_at - 1;
	cr_assert_str_eq(evaluation_mail_due(&f, STAGE_FOLLOWUP, 1),
	    "followup_14");
	f.now = w.stage[STAGE_FOLLOWUP].closes_at;
	cr_assert_null(evaluation_mail_due(&f, STAGE_FOLLOWUP, 1));
	f.now = open;
	f.sent[STAGE_FOLLOWUP] = 1;
	cr_assert_null(evaluation_mail_due(&f, STAGE_FOLLOWUP, 0));
	f.sent[STAGE_FOLLOWUP] = 0;
	f.status = "no_show";
	cr_assert_null(evaluation_mail_due(&f, STAGE_FOLLOWUP, 0));
}

Test(evaluation_window, facts_from_the_columns_as_text)
{
	const char *const v[EVALUATION_FACTS] = { "1781200800000000",
	    "1781166600000000", "1781190000000000", "partial", NULL,
	    "1781188200000000", "f", "20615", "t", "f", "t" };
	struct evaluation_facts	f;

	evaluation_facts_read(v, 45, &f);
	cr_assert_eq(f.now, 1781200800000000LL);
	cr_assert_eq(f.starts_at, 1781166600000000LL);
	cr_assert_eq(f.ends_at, 1781190000000000LL);
	cr_assert_str_eq(f.status, "partial");
	cr_assert_eq(f.confirmed_at, EVALUATION_NO_TIME);
	cr_assert_eq(f.attendance_at, 1781188200000000LL);
	cr_assert_eq(f.baseline, 0);
	cr_assert_eq(f.due_on, 20615);
	cr_assert_eq(f.sent[STAGE_BEFORE], 1);
	cr_assert_eq(f.sent[STAGE_SAME_DAY], 0);
	cr_assert_eq(f.sent[STAGE_FOLLOWUP], 1);
	cr_assert_eq(f.followup_days, 45);
}

/* A paper forms' file: the header, then `n` times `row`. */
static char *
paper_file(size_t n, const char *row)
{
	static const char header[] =
	    "rating_content,rating_delivery,rating_venue,rating_trainer,"
	    "rating_overall,knowledge_before,knowledge_after,confidence_before,"
	    "confidence_after,outcomes_met,improve_safeguarding,action,comments\n";
	char	*text;
	size_t	 i, len;

	text = malloc(sizeof(header) + n * strlen(row));
	cr_assert_not_null(text);
	memcpy(text, header, sizeof(header));
	len = sizeof(header) - 1;
	for (i = 0; i < n; i++) {
		memcpy(text + len, row, strlen(row) + 1);
		len += strlen(row);
	}
	return (text);
}

Test(evaluation, paper_problems_stop_at_the_limit_and_forms_at_10000)
{
	struct evaluation_answers	*forms;
	cJSON				*errors, *e;
	char				*text;
	size_t				 n;

	/* Each row wrong in 10 fields: the first 100 problems, rows 2 to 11. */
	text = paper_file(5000, "0,0,0,0,0,0,0,0,0,0,0,,\n");
	errors = cJSON_CreateArray();
	cr_assert_gt(evaluation_read_paper(text, strlen(text), &forms, &n,
	    errors), 0);
	cr_assert_eq(cJSON_GetArraySize(errors), EVALUATION_PAPER_MAX_PROBLEMS);
	e = cJSON_GetArrayItem(errors, EVALUATION_PAPER_MAX_PROBLEMS - 1);
	cr_assert_eq(cJSON_GetObjectItem(e, "row")->valueint, 11);
	cr_assert_lt(n, 11, "the reading stopped at the limit");
	evaluation_forms_answers_free(forms, n);
	cJSON_Delete(errors);
	free(text);

	/* 10000 good forms are read; one more and the file is refused. */
	text = paper_file(EVALUATION_PAPER_MAX, "5,5,5,5,5,3,4,3,4,yes,yes,,\n");
	errors = cJSON_CreateArray();
	cr_assert_eq(evaluation_read_paper(text, strlen(text), &forms, &n,
	    errors), 0);
	cr_assert_eq(n, EVALUATION_PAPER_MAX);
	evaluation_forms_answers_free(forms, n);
	cJSON_Delete(errors);
	free(text);
	text = paper_file(EVALUATION_PAPER_MAX + 1,
	    "5,5,5,5,5,3,4,3,4,yes,yes,,\n");
	paper_refused(text, "1 file At most 10000 forms can be sent at once.");
	free(text);
}
