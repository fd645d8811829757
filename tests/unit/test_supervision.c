/*
 * Unit tests of supervision: meeting input (every wrong field named,
 * attendance entries each once), the dates of a school year, and the
 * report's flags and group figures (Wilson interval from stats/).
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "supervision.h"

static cJSON *
parse(const char *text)
{
	cJSON	*body = cJSON_Parse(text);

	cr_assert_not_null(body, "bad JSON in the test: %s", text);
	return (body);
}

static int
has(const cJSON *fields, const char *name)
{
	return (cJSON_GetObjectItemCaseSensitive(fields, name) != NULL);
}

Test(supervision, a_new_meeting_needs_date_length_and_attendance)
{
	struct supervision_meeting	 m;
	cJSON				*body, *fields;

	body = parse("{}");
	fields = cJSON_CreateObject();
	cr_expect_eq(supervision_meeting_parse(body, 1, &m, fields), -1);
	cr_expect(has(fields, "held_on") && has(fields, "duration_minutes") &&
	    has(fields, "attendance"));
	cr_expect_eq(cJSON_GetArraySize(fields), 3);
	supervision_meeting_free(&m);
	cJSON_Delete(fields);
	/* A correction needs none of them. */
	fields = cJSON_CreateObject();
	cr_expect_eq(supervision_meeting_parse(body, 0, &m, fields), 0);
	supervision_meeting_free(&m);
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(supervision, every_wrong_field_is_named)
{
	struct supervision_meeting	 m;
	cJSON				*body, *fields;

	body = parse("{\"held_on\":\"2017-02-30\",\"duration_minutes\":10,"
	    "\"topics\":[\"wellbeing\",\"gossip\"],\"cases_discussed\":-1,"
	    "\"next_date\":\"soon\",\"facilitator\":\"a\\nb\","
	    "\"attendance\":[{\"person_id\":3,\"status\":\"late\"},"
	    "{\"person_id\":4,\"status\":\"present\"},"
	    "{\"person_id\":4,\"status\":\"absent\"},{\"status\":\"absent\"}]}");
	fields = cJSON_CreateObject();
	cr_assert_eq(supervision_meeting_parse(body, 1, &m, fields), -1);
	cr_expect(has(fields, "held_on"));
	cr_expect(has(fields, "duration_minutes"));
	cr_expect(has(fields, "topics"));
	cr_expect(has(fields, "cases_discussed"));
	cr_expect(has(fields, "next_date"));
	cr_expect(has(fields, "facilitator"));
	cr_expect(has(fields, "attendance.3"));
	cr_expect(has(fields, "attendance.4"), "a member twice");
	cr_expect(has(fields, "attendance[3]"));
	supervision_meeting_free(&m);
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(supervision, a_valid_meeting_is_ready_for_the_database)
{
	struct supervision_meeting	 m;
	cJSON				*body, *fields;

	body = parse("{\"held_on\":\"2017-02-01\",\"duration_minutes\":120,"
	    "\"topics\":[\"wellbeing\",\"specific_topic\"],"
	    "\"specific_topic\":\"Prevent\",\"next_date\":\"2017-05-03\","
	    "\"case_notes\":\"Line one\\nLine two\",\"attendance\":"
	    "[{\"person_id\":3,\"status\":\"present\"},"
	    "{\"person_id\":4,\"status\":\"apologies\"}]}");
	fields = cJSON_CreateObject();
	cr_assert_eq(supervision_meeting_parse(body, 1, &m, fields), 0);
	cr_expect_str_eq(m.topics, "{specific_topic,wellbeing}");
	cr_expect_str_eq(m.attendance, "[{\"person_id\":3,\"status\":"
	    "\"present\"},{\"person_id\":4,\"status\":\"apologies\"}]");
	cr_expect_str_eq(m.case_notes, "Line one\nLine two");
	cr_expect_eq(m.cases_discussed, -1);
	supervision_meeting_free(&m);
	cJSON_Delete(fields);
	cJSON_Delete(body);

	/* A specific topic named, the next date after this one. */
	body = parse("{\"held_on\":\"2017-02-01\",\"duration_minutes\":120,"
	    "\"topics\":[\"specific_topic\"],\"next_date\":\"2017-02-01\","
	    "\"attendance\":[]}");
	fields = cJSON_CreateObject();
	cr_expect_eq(supervision_meeting_parse(body, 1, &m, fields), -1);
	cr_expect(has(fields, "specific_topic") && has(fields, "next_date"));
	supervision_meeting_free(&m);
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(supervision, the_dates_of_a_school_year)
{
	struct supervision_period	p;
	struct term			current;
	struct term_date		today = { 2026, 11, 23 };
	struct term_date		later = { 2030, 1, 1 };

	cr_assert_eq(supervision_period_of(2016, &today, &p, &current), 0);
	cr_expect_str_eq(p.start, "2016-09-01");
	cr_expect_str_eq(p.end, "2017-08-31");
	cr_expect_str_eq(p.spring_end, "2017-04-16");
	cr_expect_str_eq(p.as_of, "2017-08-31");
	cr_expect_eq(current.kind, TERM_SUMMER);
	cr_assert_eq(supervision_period_of(2026, &today, &p, &current), 0);
	cr_expect_str_eq(p.as_of, "2026-11-23");
	cr_expect_str_eq(p.term_start, "2026-09-01");
	cr_expect_eq(current.kind, TERM_AUTUMN);
	/* Not begun yet. */
	cr_expect_eq(supervision_period_of(2027, &today, &p, &current), -1);
	cr_expect_eq(supervision_period_of(2029, &later, &p, &current), 0);
}

Test(supervision, flags_of_a_dsl)
{
	cJSON	*row;

	row = parse("{\"attended_this_term\":0,\"training_status\":\"expired\"}");
	supervision_dsl_flags(row);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(row, "flags")), 2);
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(row, "training_in_date")));
	cJSON_Delete(row);
	row = parse("{\"attended_this_term\":1,\"training_status\":\"lapsing\"}");
	supervision_dsl_flags(row);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(row, "flags")), 0);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(row, "training_in_date")));
	cJSON_Delete(row);
	row = parse("{\"attended_this_term\":2,\"training_status\":null}");
	supervision_dsl_flags(row);
	cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(row, "flags"),
	    0)->valuestring, "training_lapsed");
	cJSON_Delete(row);
}

Test(supervision, figures_of_a_group)
{
	struct term		terms[TERM__MAX];
	struct term_date	as_of = { 2017, 2, 1 };
	cJSON			*row, *a, *missing;
	int			k;

	for (k = 0; k < TERM__MAX; k++)
		cr_assert_eq(term_of_year(2016, (enum term_kind)k, &terms[k]), 0);
	row = parse("{\"autumn\":0,\"spring\":2,\"summer\":0,\"present\":8,"
	    "\"expected\":10}");
	supervision_group_figures(row, terms, &as_of);
	missing = cJSON_GetObjectItem(row, "terms_without_meeting");
	/* Autumn had none; summer has not begun. */
	cr_expect_eq(cJSON_GetArraySize(missing), 1);
	cr_expect_str_eq(cJSON_GetArrayItem(missing, 0)->valuestring, "autumn");
	cr_expect_eq(cJSON_GetObjectItem(row, "meetings_total")->valuedouble, 2);
	a = cJSON_GetObjectItem(row, "attendance");
	/* Wilson 95 % of 8/10 by the closed formula (z = 1.959963984540054). */
	cr_expect_float_eq(cJSON_GetObjectItem(a, "rate")->valuedouble, 0.8, 1e-12);
	cr_expect_float_eq(cJSON_GetObjectItem(a, "lower")->valuedouble,
	    0.49016247153664, 1e-9);
	cr_expect_float_eq(cJSON_GetObjectItem(a, "upper")->valuedouble,
	    0.94331784854562, 1e-9);
	cJSON_Delete(row);
	row = parse("{\"present\":0,\"expected\":0}");
	supervision_group_figures(row, terms, &as_of);
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(row,
	    "attendance"), "rate")));
	cJSON_Delete(row);
}

Test(supervision, proportion_of_attendance_is_never_suppressed)
{
	cJSON	*o = supervision_proportion(2, 3);

	cr_assert_eq(cJSON_GetObjectItem(o, "k")->valuedouble, 2);
	cr_assert_eq(cJSON_GetObjectItem(o, "n")->valuedouble, 3);
	cr_assert_float_eq(cJSON_GetObjectItem(o, "rate")->valuedouble,
	    2.0 / 3.0, 1e-12);
	cr_assert_null(cJSON_GetObjectItem(o, "suppressed"));
	cJSON_Delete(o);
	o = supervision_proportion(0, 0);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "rate")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "lower")));
	cJSON_Delete(o);
}

/* What the database finds wrong is named by field, in words. */
Test(supervision, problems_found_by_the_database_in_words)
{
	cJSON		*fields = cJSON_CreateObject();
	const char	*s;
	int		 p;

	supervision_problem(fields, "attendance.7",
	    SUPERVISION_ATTENDANCE_MISSING, "Ann Lee");
	s = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "attendance.7"));
	cr_assert_str_eq(s, "Say whether Ann Lee was present, sent apologies "
	    "or was absent.");
	supervision_problem(fields, "held_on", SUPERVISION_HELD_IN_FUTURE,
	    NULL);
	s = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "held_on"));
	cr_assert_not_null(strstr(s, "the date is in the future"));
	cJSON_Delete(fields);

	/* Every problem has words of its own, never a code. */
	for (p = SUPERVISION_CLOSED_MEMBERS; p <= SUPERVISION_NO_MEMBERS;
	    p++) {
		fields = cJSON_CreateObject();
		supervision_problem(fields, "f", (enum supervision_problem)p,
		    NULL);
		s = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "f"));
		cr_assert_not_null(s, "problem %d has no words", p);
		cr_assert(strlen(s) > 10 && s[strlen(s) - 1] == '.',
		    "problem %d: \"%s\"", p, s);
		cJSON_Delete(fields);
	}
}
