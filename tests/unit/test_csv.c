/*
 * Unit tests of app/csv.c (CSV in through libcsv, RFC 4180 out) and
 * app/staff.c (the staff list's rules).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "csv.h"
#include "staff.h"

/* The rows csv_read() hands over, copied as they come. */
struct rows {
	size_t	n;
	size_t	fields[8];
	char	field[8][8][64];
};

static int
keep_row(const struct csv_row *row, size_t line, size_t rows, void *arg)
{
	struct rows	*t = arg;
	size_t		 j;

	cr_assert_eq(line, t->n + 1);
	cr_assert_lt(line, 9);
	cr_assert_leq(line, rows);
	t->fields[t->n] = row->n;
	for (j = 0; j < row->n && j < 8; j++)
		snprintf(t->field[t->n][j], sizeof(t->field[t->n][j]), "%s",
		    row->fields[j]);
	t->n++;
	return (0);
}

static void
read_ok(const char *text, struct rows *t)
{
	char	err[200];

	memset(t, 0, sizeof(*t));
	cr_assert_eq(csv_read(text, strlen(text), keep_row, t, err,
	    sizeof(err)), 0, "%s", err);
}

/* The text of csv_read()'s refusal of `len` bytes of `text`. */
static const char *
read_refused(const char *text, size_t len)
{
	static char	err[200];
	struct rows	t;

	memset(&t, 0, sizeof(t));
	cr_assert_eq(csv_read(text, len, keep_row, &t, err, sizeof(err)), -1);
	cr_assert_eq(t.n, 0, "no row of a refused file is handed over");
	return (err);
}

Test(csv, reads_quoted_fields_crlf_and_a_bom)
{
	struct rows	t;

	read_ok("\xef\xbb\xbf" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
	    "\r\n,,\r\n1,2,3", &t);
	cr_assert_eq(t.n, 3, "the empty rows are skipped");
	cr_assert_str_eq(t.field[0][0], "a");
	cr_assert_str_eq(t.field[1][0], "x, y");
	cr_assert_str_eq(t.field[1][1], "say \"hi\"");
	cr_assert_str_eq(t.field[1][2], "two\nlines");
	cr_assert_str_eq(t.field[2][2], "3");
}

Test(csv, malformed_quotes_and_bad_utf8_are_errors)
{
	cr_assert(strlen(read_refused("a,\"b\nc", 6)) > 0);
	cr_assert(strstr(read_refused("a,\"b\"x\n", 7), "not valid CSV") !=
	    NULL);
	cr_assert(strstr(read_refused("a,\xff\n", 5), "UTF-8") != NULL);
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
	struct rows		 t;
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
	cr_assert_str_eq(t.field[0][0], "Agency");
	cr_assert_str_eq(t.field[1][0], "Police, North");
	cr_assert_str_eq(t.field[1][2], "12.3");
	csv_out_free(&o);
}

Test(csv, round_trip_through_the_reader)
{
	struct csv_out		o;
	struct rows		t;
	const char		*vals[] = { "x", "a,b", "q\"q", "", "n\r\nl" };
	size_t			i;

	csv_out_init(&o);
	for (i = 0; i < 5; i++)
		csv_out_field(&o, vals[i], 0);
	csv_out_end_row(&o);
	read_ok(o.data, &t);
	cr_assert_eq(t.n, 1);
	cr_assert_eq(t.fields[0], 5);
	for (i = 0; i < 5; i++)
		cr_assert_str_eq(t.field[0][i], vals[i]);
	csv_out_free(&o);
}

/* staff_read() of `text`: its return, the COPY text in `c`, `*n`. */
static int
staff_of(const char *text, struct copytext *c, size_t *n, cJSON **errors)
{
	copytext_init(c);
	*errors = cJSON_CreateArray();
	return (staff_read(text, strlen(text), c, n, *errors));
}

Test(staff, a_good_list_in_any_column_order)
{
	struct copytext	 c;
	cJSON		*errors;
	size_t		 n;

	cr_assert_eq(staff_of(
	    "email,full_name,group_level,is_dsl,job_title,manager_email\n"
	    "Ann@School.example,Ann Lee,G5,yes,Head,\n"
	    "bo@school.example,Bo Diaz,G2,,TA,ann@school.example\n", &c, &n,
	    &errors), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(c.rows, 2);
	/* line, full_name, email (lower-cased), job_title, group_level,
	 * is_dsl, manager_email (none \N). */
	cr_assert_str_eq(c.data,
	    "2\tAnn Lee\tann@school.example\tHead\tG5\tt\t\\N\n"
	    "3\tBo Diaz\tbo@school.example\tTA\tG2\tf\tann@school.example\n");
	copytext_free(&c);
	cJSON_Delete(errors);
}

Test(staff, a_spreadsheet_header_as_people_write_it)
{
	struct copytext	 c;
	cJSON		*errors;
	size_t		 n;

	cr_assert_eq(staff_of(
	    "Full name,Email,Job title,Group level,Is a DSL,Manager email\n"
	    "Ann Lee,ann@school.example,Head,Group 5,yes,\n", &c, &n,
	    &errors), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(c.data,
	    "2\tAnn Lee\tann@school.example\tHead\tGroup 5\tt\t\\N\n");
	copytext_free(&c);
	cJSON_Delete(errors);
}

Test(staff, every_bad_row_and_field_is_listed)
{
	struct copytext	 c;
	cJSON		*errors, *e;
	size_t		 n;

	cr_assert_eq(staff_of(STAFF_HEADER "\n"
	    ",ann@x.example,TA,G2,no,\n"
	    "Bo,not-an-email,TA,,maybe,\n"
	    "Cy,ANN@x.example,TA,G1,1,bad@\n", &c, &n, &errors), -1);
	cr_assert_eq(n, 3);
	cr_assert_eq(cJSON_GetArraySize(errors), 6);
	e = cJSON_GetArrayItem(errors, 0);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 2);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring,
	    "full_name");
	e = cJSON_GetArrayItem(errors, 4);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 4);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring,
	    "email", "duplicate e-mail, case-insensitively");
	copytext_free(&c);
	cJSON_Delete(errors);
}

Test(staff, a_header_missing_columns_is_refused)
{
	struct copytext	 c;
	cJSON		*errors;
	size_t		 n;

	cr_assert_eq(staff_of("full_name,email,email\nA,a@b.example,a@b.example\n",
	    &c, &n, &errors), -1);
	/* email twice; job_title, group_level, is_dsl, manager_email absent */
	cr_assert_eq(cJSON_GetArraySize(errors), 5);
	cr_assert_eq(n, 0, "no row under a wrong header is read");
	cr_assert_eq(c.len, 0);
	copytext_free(&c);
	cJSON_Delete(errors);
}

Test(staff, an_empty_or_unreadable_file_is_a_problem_of_line_1)
{
	struct copytext	 c;
	cJSON		*errors, *e;
	size_t		 n;

	cr_assert_eq(staff_of("\r\n,,\r\n", &c, &n, &errors), -1);
	cr_assert_eq(cJSON_GetArraySize(errors), 1);
	e = cJSON_GetArrayItem(errors, 0);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring, "file");
	cr_assert_str_eq(cJSON_GetObjectItem(e, "message")->valuestring,
	    "The file is empty: it needs the header " STAFF_HEADER ".");
	copytext_free(&c);
	cJSON_Delete(errors);

	cr_assert_eq(staff_of(STAFF_HEADER "\nA,\"a@b.example\n", &c, &n,
	    &errors), -1);
	cr_assert_eq(cJSON_GetArraySize(errors), 1);
	e = cJSON_GetArrayItem(errors, 0);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring, "file");
	cr_assert(strstr(cJSON_GetObjectItem(e, "message")->valuestring,
	    "not valid CSV") != NULL);
	cr_assert_eq(n, 0);
	copytext_free(&c);
	cJSON_Delete(errors);
}

/* A list of `members` members, each a new address, then `extra`. */
static char *
staff_list(size_t members, const char *extra)
{
	char	*text;
	size_t	 i, len, cap;

	cap = 64 * (members + 2) + strlen(extra);
	text = malloc(cap);
	cr_assert_not_null(text);
	len = (size_t)snprintf(text, cap, STAFF_HEADER "\n");
	for (i = 0; i < members; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "P %zu,p%zu@school.example,,G1,no,\n", i, i);
	snprintf(text + len, cap - len, "%s", extra);
	return (text);
}

Test(staff, an_address_again_far_down_a_full_list_is_named)
{
	struct copytext	 c;
	cJSON		*errors, *e;
	char		*text;
	size_t		 n;

	/* 4999 addresses, then the 1234th again, in capitals. */
	text = staff_list(4999, "Again,P1233@School.Example,,G1,no,\n");
	cr_assert_eq(staff_of(text, &c, &n, &errors), -1);
	cr_assert_eq(n, 5000);
	cr_assert_eq(cJSON_GetArraySize(errors), 1);
	e = cJSON_GetArrayItem(errors, 0);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 5001);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "message")->valuestring,
	    "This e-mail address is on an earlier line too.");
	copytext_free(&c);
	cJSON_Delete(errors);
	free(text);

	/* The same list without it: every member a row of the COPY. */
	text = staff_list(5000, "");
	cr_assert_eq(staff_of(text, &c, &n, &errors), 0);
	cr_assert_eq(n, 5000);
	cr_assert_eq(c.rows, 5000);
	copytext_free(&c);
	cJSON_Delete(errors);
	free(text);
}

Test(staff, at_most_5000_members_at_once)
{
	struct copytext	 c;
	cJSON		*errors, *e;
	char		*text;
	size_t		 n;

	text = staff_list(5001, "");
	cr_assert_eq(staff_of(text, &c, &n, &errors), -1);
	cr_assert_eq(cJSON_GetArraySize(errors), 1);
	e = cJSON_GetArrayItem(errors, 0);
	cr_assert_eq(cJSON_GetObjectItem(e, "line")->valueint, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(e, "message")->valuestring,
	    "At most 5000 members of staff can be sent at once.");
	cr_assert_eq(n, 0);
	copytext_free(&c);
	cJSON_Delete(errors);
	free(text);
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
