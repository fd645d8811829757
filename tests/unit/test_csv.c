/*
 * Unit tests of app/csv.c (CSV in through libcsv, RFC 4180 out) and
 * app/staff.c (the staff list's rules).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "csv.h"
#include "staff.h"

static void
read_ok(const char *text, struct csv_table *t)
{
	char	err[200];

	cr_assert_eq(csv_table_read(text, strlen(text), t, err, sizeof(err)),
	    0, "%s", err);
}

Test(csv, reads_quoted_fields_crlf_and_a_bom)
{
	struct csv_table	t;

	read_ok("\xef\xbb\xbf" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
	    "\r\n,,\r\n1,2,3", &t);
	cr_assert_eq(t.n, 3, "the empty rows are skipped");
	cr_assert_str_eq(t.rows[0].fields[0], "a");
	cr_assert_str_eq(t.rows[1].fields[0], "x, y");
	cr_assert_str_eq(t.rows[1].fields[1], "say \"hi\"");
	cr_assert_str_eq(t.rows[1].fields[2], "two\nlines");
	cr_assert_str_eq(t.rows[2].fields[2], "3");
	csv_table_free(&t);
}

Test(csv, malformed_quotes_and_bad_utf8_are_errors)
{
	struct csv_table	t;
	char			err[200];

	cr_assert_eq(csv_table_read("a,\"b\nc", 6, &t, err, sizeof(err)), -1);
	cr_assert(strlen(err) > 0);
	csv_table_free(&t);
	cr_assert_eq(csv_table_read("a,\"b\"x\n", 7, &t, err, sizeof(err)), -1);
	csv_table_free(&t);
	cr_assert_eq(csv_table_read("a,\xff\n", 5, &t, err, sizeof(err)), -1);
	cr_assert(strstr(err, "UTF-8") != NULL);
	csv_table_free(&t);
}

/* Each row csv_read() hands over, as "line/rows:a|b" lines. */
struct seen {
	char	text[256];
	int	stop_at;
};

static int
seen_row(const struct csv_row *row, size_t line, size_t rows, void *arg)
{
	struct seen	*s = arg;
	size_t		 j, len;

	len = strlen(s->text);
	snprintf(s->text + len, sizeof(s->text) - len, "%zu/%zu:", line, rows);
	for (j = 0; j < row->n; j++) {
		len = strlen(s->text);
		snprintf(s->text + len, sizeof(s->text) - len, "%s%s",
		    j ? "|" : "", row->fields[j]);
	}
	len = strlen(s->text);
	snprintf(s->text + len, sizeof(s->text) - len, ";");
	return ((int)line == s->stop_at ? -1 : 0);
}

Test(csv, streams_rows_one_at_a_time)
{
	static const char text[] = "a,b\r\n\r\n,\r\n\"x,y\",\r\nlast";
	struct seen	s;
	char		err[200];

	memset(&s, 0, sizeof(s));
	cr_assert_eq(csv_read(text, strlen(text), seen_row, &s, err,
	    sizeof(err)), 0);
	cr_assert_str_eq(s.text, "1/3:a|b;2/3:x,y|;3/3:last;");
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	cr_assert_eq(csv_read(text, strlen(text), seen_row, &s, err,
	    sizeof(err)), -1);
	cr_assert_str_eq(err, "");
	cr_assert_str_eq(s.text, "1/3:a|b;2/3:x,y|;");
	/* A file found unreadable further on hands over no row at all. */
	memset(&s, 0, sizeof(s));
	cr_assert_eq(csv_read("a\nb\n\xff\n", 6, seen_row, &s, err,
	    sizeof(err)), -1);
	cr_assert_str_eq(err, "Line 3 is not UTF-8 text: save the file as "
	    "CSV UTF-8.");
	cr_assert_str_eq(s.text, "");
}

Test(csv, writes_rfc4180_and_neutralises_formulas)
{
	struct csv_out	o;

	csv_out_init(&o);
	csv_out_field(&o, "plain", 1);
	csv_out_field(&o, "a,b", 1);
	csv_out_field(&o, "say \"hi\"", 1);
	csv_out_field(&o, "=HYPERLINK(\"http://x\")", 1);
	csv_out_field(&o, "+1", 1);
	csv_out_field(&o, "-5", 0);
	csv_out_field(&o, "@SUM(A1)", 1);
	csv_out_field(&o, NULL, 1);
	csv_out_end_row(&o);
	csv_out_field(&o, "line\nbreak", 1);
	csv_out_end_row(&o);
	cr_assert_str_eq(o.data, "plain,\"a,b\",\"say \"\"hi\"\"\","
	    "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",-5,\"'@SUM(A1)\",\r\n"
	    "\"line\nbreak\"\r\n");
	csv_out_free(&o);
}

Test(csv, report_convention_bom_header_counts_percentages_dates)
{
	struct csv_out		 o;
	struct csv_table	 t;
	static const char *const header[] = { "Agency", "No-shows",
	    "No-show rate (%)", "Mean (1 to 5)", "Last attended", NULL };

	cr_assert_eq(csv_out_report(&o, header), 0);
	csv_out_field(&o, "Police, North", 1);
	csv_out_count(&o, 12.0);
	csv_out_percent(&o, 0.12345);
	csv_out_decimal(&o, 4.125001, 2);
	csv_out_date(&o, "2016-09-05T09:30:00+01:00");
	csv_out_end_row(&o);
	/* No figure: blank fields, never 0, "nan" or "-0.0". */
	csv_out_field(&o, "=cmd", 1);
	csv_out_count(&o, NAN);
	csv_out_percent(&o, -0.0001);
	csv_out_decimal(&o, INFINITY, 2);
	csv_out_date(&o, NULL);
	csv_out_end_row(&o);
	csv_out_percent(&o, 1.0);
	csv_out_percent(&o, 0.0005);
	csv_out_percent(&o, 2.0 / 3.0);
	csv_out_end_row(&o);
	cr_assert_eq(memcmp(o.data, "\xef\xbb\xbf", 3), 0, "byte order mark");
	cr_assert_str_eq(o.data + 3,
	    "Agency,No-shows,No-show rate (%),Mean (1 to 5),Last attended\r\n"
	    "\"Police, North\",12,12.3,4.13,2016-09-05\r\n"
	    "\"'=cmd\",,0.0,,\r\n"
	    "100.0,0.1,66.7\r\n");
	/* Every line ends CRLF, and the reader takes it back whole. */
	read_ok(o.data, &t);
	cr_assert_eq(t.n, 4);
	cr_assert_str_eq(t.rows[0].fields[0], "Agency");
	cr_assert_str_eq(t.rows[1].fields[0], "Police, North");
	cr_assert_str_eq(t.rows[1].fields[2], "12.3");
	csv_table_free(&t);
	csv_out_free(&o);
}

Test(csv, round_trip_through_the_reader)
{
	struct csv_out		o;
	struct csv_table	t;
	const char		*vals[] = { "x", "a,b", "q\"q", "", "n\r\nl" };
	size_t			i;

	csv_out_init(&o);
	for (i = 0; i < 5; i++)
		csv_out_field(&o, vals[i], 0);
	csv_out_end_row(&o);
	read_ok(o.data, &t);
	cr_assert_eq(t.n, 1);
	cr_assert_eq(t.rows[0].n, 5);
	for (i = 0; i < 5; i++)
		cr_assert_str_eq(t.rows[0].fields[i], vals[i]);
	csv_table_free(&t);
	csv_out_free(&o);
}

Test(staff, a_good_list_in_any_column_order)
{
	struct csv_table	 t;
	struct staff_member	*m;
	cJSON			*errors;
	size_t			 n;

	read_ok("email,full_name,group_level,is_dsl,job_title,manager_email\n"
	    "Ann@School.example,Ann Lee,G5,yes,Head,\n"
	    "bo@school.example,Bo Diaz,G2,,TA,ann@school.example\n", &t);
	errors = cJSON_CreateArray();
	cr_assert_eq(staff_read(&t, &m, &n, errors), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(m[0].email, "ann@school.example");
	cr_assert_eq(m[0].is_dsl, 1);
	cr_assert_str_eq(m[0].manager_email, "");
	cr_assert_eq(m[1].is_dsl, 0);
	cr_assert_str_eq(m[1].group_level, "G2");
	cr_assert_eq(m[1].line, 3);
	free(m);
	cJSON_Delete(errors);
	csv_table_free(&t);
}

Test(staff, a_spreadsheet_header_as_people_write_it)
{
	struct csv_table	 t;
	struct staff_member	*m;
	cJSON			*errors;
	size_t			 n;

	read_ok("Full name,Email,Job title,Group level,Is a DSL,Manager email\n"
	    "Ann Lee,ann@school.example,Head,Group 5,yes,\n", &t);
	errors = cJSON_CreateArray();
	cr_assert_eq(staff_read(&t, &m, &n, errors), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(m[0].full_name, "Ann Lee");
	cr_assert_str_eq(m[0].group_level, "Group 5");
	cr_assert_eq(m[0].is_dsl, 1);
	free(m);
	cJSON_Delete(errors);
	csv_table_free(&t);
}

Test(staff, every_bad_row_and_field_is_listed)
{
	struct csv_table	 t;
	struct staff_member	*m;
	cJSON			*errors, *e;
	size_t			 n;

	read_ok(STAFF_HEADER "\n"
	    ",ann@x.example,TA,G2,no,\n"
	    "Bo,not-an-email,TA,,maybe,\n"
	    "Cy,ANN@x.example,TA,G1,1,bad@\n", &t);
	errors = cJSON_CreateArray();
	cr_assert_eq(staff_read(&t, &m, &n, errors), -1);
	cr_assert_eq(cJSON_GetArraySize(errors), 6);
	e = cJSON_GetArrayItem(errors, 0);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 2);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring,
	    "full_name");
	e = cJSON_GetArrayItem(errors, 4);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 4);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring,
	    "email", "duplicate e-mail, case-insensitively");
	free(m);
	cJSON_Delete(errors);
	csv_table_free(&t);
}

Test(staff, a_header_missing_columns_is_refused)
{
	struct csv_table	 t;
	struct staff_member	*m;
	cJSON			*errors;
	size_t			 n;

	read_ok("full_name,email,email\nA,a@b.example,a@b.example\n", &t);
	errors = cJSON_CreateArray();
	cr_assert_eq(staff_read(&t, &m, &n, errors), -1);
	/* email twice; job_title, group_level, is_dsl, manager_email absent */
	cr_assert_eq(cJSON_GetArraySize(errors), 5);
	cr_assert_null(m);
	cJSON_Delete(errors);
	csv_table_free(&t);
}

Test(staff, members_become_rows_of_a_copy)
{
	struct staff_member	m[2];
	struct copytext		c;

	memset(m, 0, sizeof(m));
	m[0].full_name = "Ann \"Nan\" O\\Neil";
	snprintf(m[0].email, sizeof(m[0].email), "ann@school.example");
	m[0].job_title = NULL;
	m[0].group_level = "Group 5";
	m[0].is_dsl = 1;
	m[0].line = 2;
	m[1].full_name = "Bo\tDiaz";
	snprintf(m[1].email, sizeof(m[1].email), "bo@school.example");
	m[1].job_title = "TA\\N";
	m[1].group_level = "G2";
	snprintf(m[1].manager_email, sizeof(m[1].manager_email),
	    "ann@school.example");
	m[1].line = 3;
	copytext_init(&c);
	cr_assert_eq(staff_copy(m, 2, &c), 0);
	/* line, full_name, email, job_title, group_level, is_dsl,
	 * manager_email; no job title or manager \N, text escaped. */
	cr_assert_str_eq(c.data,
	    "2\tAnn \"Nan\" O\\\\Neil\tann@school.example\t\\N\tGroup 5\tt\t\\N\n"
	    "3\tBo\\tDiaz\tbo@school.example\tTA\\\\N\tG2\tf\t"
	    "ann@school.example\n");
	cr_assert_eq(c.rows, 2);
	copytext_free(&c);
}
