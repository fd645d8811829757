/*
 * Unit tests of app/evaluation.c: the stages' questions, the checks on
 * answers from JSON and from paper forms' CSV, and the summary's
 * suppression and shape (its figures are checked against SciPy by
 * tests/integration/evaluations.test.mjs).
 */
#include <math.h>
#include <string.h>

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
	struct csv_table		 t;
	struct evaluation_answers	*forms;
	cJSON				*errors;
	char				 err[200];
	size_t				 n;
	const char			*text =
	    "rating_content,rating_delivery,rating_venue,rating_trainer,"
	    "rating_overall,knowledge_before,knowledge_after,confidence_before,"
	    "confidence_after,outcomes_met,improve_safeguarding,action,comments\n"
	    " 5 ,4,,5,5,3,7,4,8,YES,Unsure,,Fine\n"
	    "0,4,4,5,5,3,11,4,8,yes,no,,\n";

	cr_assert_eq(csv_table_read(text, strlen(text), &t, err, sizeof(err)), 0);
	errors = cJSON_CreateArray();
	cr_assert_eq(evaluation_read_paper(&t, &forms, &n, errors), 2);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(forms[0].value[0], "5");
	cr_assert_null(forms[0].value[2]);
	cr_assert_str_eq(forms[0].value[9], "yes");
	cr_assert_str_eq(forms[0].value[10], "unsure");
	cr_assert_eq(cJSON_GetArraySize(errors), 2);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 0),
	    "row")->valueint, 3);
	evaluation_forms_answers_free(forms, n);
	csv_table_free(&t);
	cJSON_Delete(errors);
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
