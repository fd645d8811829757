/*
 * Unit tests of app/history.c: the attendance history's rules, and the
 * lines of the COPY it hands to PostgreSQL.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "history.h"

static int
history_of(const char *text, struct history *h, cJSON **errors)
{
	*errors = cJSON_CreateArray();
	return (history_read(text, strlen(text), "2017-03-31", h, *errors));
}

Test(history, rows_become_lines_of_a_copy)
{
	struct history	 h;
	cJSON		*e;

	cr_assert_eq(history_of("status,email,full_name,agency,group_level,"
	    "format,course_title,course_code,session_date\r\n"
	    "attended,Ann@X.Example,\"Ann \"\"Nan\"\" O\\Neil\",Hackney CVS,G3,"
	    "full_day,\"Neglect, a course\",sg3-neg,2016-05-12\r\n"
	    "no_show,bob@x.example,Bob,Hackney CVS,Group 2,seminar,T,AB,"
	    "2017-03-31\r\n", &h, &e), 0);
	cr_assert_eq(h.rows, 2);
	/* The columns in enum history_col's order, tab-separated; a
	 * backslash escaped (control characters are refused before);
	 * codes upper-cased, addresses lower-cased; the line in the file
	 * last. */
	cr_assert_str_eq(h.copy,
	    "2016-05-12\tSG3-NEG\tNeglect, a course\t"
	    "full_day\tG3\tHackney CVS\tAnn \"Nan\" O\\\\Neil\t"
	    "ann@x.example\tattended\t2\n"
	    "2017-03-31\tAB\tT\tseminar\tGroup 2\tHackney CVS\tBob\t"
	    "bob@x.example\tno_show\t3\n");
	cr_assert_eq(h.len, strlen(h.copy));
	cJSON_Delete(e);
	history_free(&h);
}

Test(history, every_problem_is_named_by_line_and_field)
{
	struct history	 h;
	cJSON		*e;
	char		*s;

	cr_assert_eq(history_of(HISTORY_HEADER "\r\n"
	    "2016-02-30,X,T,full_day,G3,A,N,n@x.example,attended\r\n"
	    "2017-04-01,AB,,picnic,G3,A,N,bad,asleep\r\n", &h, &e), -1);
	s = cJSON_PrintUnformatted(e);
	cr_assert_str_eq(s, "[{\"line\":2,\"field\":\"session_date\","
	    "\"message\":\"Enter the date of the session as YYYY-MM-DD.\"},"
	    "{\"line\":2,\"field\":\"course_code\",\"message\":\"Enter the "
	    "course's code: 2 to 20 letters, digits or hyphens.\"},"
	    "{\"line\":3,\"field\":\"session_date\",\"message\":\"The history "
	    "can hold past sessions only.\"},{\"line\":3,\"field\":"
	    "\"course_title\",\"message\":\"Enter the course's title (200 "
	    "characters at most).\"},{\"line\":3,\"field\":\"format\","
	    "\"message\":\"Enter one of full_day, half_day, twilight, "
	    "e_learning, seminar, conference.\"},{\"line\":3,\"field\":"
	    "\"email\",\"message\":\"Enter an e-mail address like "
	    "name@example.org.\"},{\"line\":3,\"field\":\"status\","
	    "\"message\":\"Enter one of attended, partial, no_show, "
	    "cancelled, late_cancelled.\"}]");
	free(s);
	cJSON_Delete(e);
	history_free(&h);
}

Test(history, header_must_have_every_column_and_rows)
{
	struct history	 h;
	cJSON		*e;

	cr_assert_eq(history_of("session_date,course_code,status\r\n"
	    "2016-01-01,AB,attended\r\n", &h, &e), -1);
	cr_assert_eq(cJSON_GetArraySize(e), 6, "six columns lacking");
	cJSON_Delete(e);
	history_free(&h);
	cr_assert_eq(history_of(HISTORY_HEADER "\r\n", &h, &e), -1);
	cr_assert_eq(cJSON_GetArraySize(e), 1);
	cJSON_Delete(e);
	history_free(&h);
}

Test(history, problems_stop_at_the_limit)
{
	struct history	 h;
	cJSON		*e;
	char		*text;
	size_t		 i, len;

	len = strlen(HISTORY_HEADER) + 2 + 500 * 64 + 1;
	text = malloc(len);
	strcpy(text, HISTORY_HEADER "\r\n");
	for (i = 0; i < 500; i++)
		strcat(text, "bad,AB,T,full_day,G3,A,N,n@x.example,attended\r\n");
	cr_assert_eq(history_of(text, &h, &e), -1);
	cr_assert_eq(cJSON_GetArraySize(e), HISTORY_MAX_PROBLEMS);
	cJSON_Delete(e);
	history_free(&h);
	free(text);
}

Test(history, a_header_as_people_write_it)
{
	struct history	 h;
	cJSON		*e;

	cr_assert_eq(history_of("Session date,Course code,Course title,Format,"
	    "Group level,Agency,Full name,EMAIL,status\r\n"
	    "2016-05-12,SG3-NEG,Neglect,full_day,G3,Hackney CVS,Ann,"
	    "ann@x.example,attended\r\n", &h, &e), 0);
	cr_assert_eq(h.rows, 1);
	cr_assert_eq(strncmp(h.copy, "2016-05-12\tSG3-NEG\t", 19), 0);
	cJSON_Delete(e);
	history_free(&h);
}

Test(history, an_empty_or_unreadable_file_is_a_problem_of_line_1)
{
	struct history	 h;
	cJSON		*e, *p;

	cr_assert_eq(history_of("", &h, &e), -1);
	cr_assert_eq(cJSON_GetArraySize(e), 1);
	p = cJSON_GetArrayItem(e, 0);
	cr_assert_eq(cJSON_GetObjectItem(p, "line")->valueint, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(p, "field")->valuestring, "file");
	cr_assert_str_eq(cJSON_GetObjectItem(p, "message")->valuestring,
	    "The file is empty: it needs the header " HISTORY_HEADER ".");
	cJSON_Delete(e);
	history_free(&h);

	cr_assert_eq(history_of(HISTORY_HEADER "\r\n"
	    "2016-05-12,SG3,Neglect,full_day,G3,A,Ann,\xff@x.example,"
	    "attended\r\n", &h, &e), -1);
	cr_assert_eq(cJSON_GetArraySize(e), 1);
	p = cJSON_GetArrayItem(e, 0);
	cr_assert_eq(cJSON_GetObjectItem(p, "line")->valueint, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(p, "message")->valuestring,
	    "Line 2 is not UTF-8 text: save the file as CSV UTF-8.");
	cr_assert_eq(h.rows, 0);
	cJSON_Delete(e);
	history_free(&h);
}
