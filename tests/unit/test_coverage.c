/*
 * Unit tests of the Kore-free coverage modules: the figures a level gets
 * (coverage.c over stats/), sorting worst first, the staffing return,
 * imported training records (training.c) and agencies (agency.c).
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include "agency.h"
#include "coverage.h"
#include "csv.h"
#include "training.h"

static cJSON *
level(const char *json)
{
	cJSON	*l;

	l = cJSON_Parse(json);
	cr_assert_not_null(l);
	return (l);
}

Test(coverage, basis_is_mean_capacity_and_attendance)
{
	struct coverage_basis	 b;
	cJSON			*o;

	o = level("{\"capacities\":[20,30,25],\"attended\":45,\"booked\":50}");
	cr_assert_eq(coverage_basis(o, &b), 0);
	cr_assert_eq(b.sessions, 3);
	cr_assert_float_eq(b.capacity, 25.0, 1e-12);
	cr_assert_float_eq(b.attendance_rate, 0.9, 1e-12);
	cJSON_Delete(o);
	o = level("{\"capacities\":[],\"attended\":0,\"booked\":0}");
	cr_assert_eq(coverage_basis(o, &b), 0);
	cr_assert(isnan(b.capacity) && isnan(b.attendance_rate));
	cJSON_Delete(o);
}

Test(coverage, level_figures_with_wilson_interval)
{
	struct coverage_basis	 b = { 3, 25.0, 0.9, 45, 50 };
	cJSON			*l, *c;

	l = level("{\"code\":\"G2\",\"n\":10,\"trained\":2,\"lapsing\":1}");
	cr_assert_eq(coverage_level(l, &b), 0);
	cr_assert_eq(cJSON_GetObjectItem(l, "required")->valuedouble, 8);
	c = cJSON_GetObjectItem(l, "coverage");
	/* Wilson 95%, 2 of 10 (tests/reference). */
	cr_assert_float_eq(cJSON_GetObjectItem(c, "rate")->valuedouble, 0.2, 1e-12);
	cr_assert_float_eq(cJSON_GetObjectItem(c, "lower")->valuedouble,
	    0.05668215145437519, 1e-9);
	cr_assert_float_eq(cJSON_GetObjectItem(c, "upper")->valuedouble,
	    0.5098375284633583, 1e-9);
	/* ceil(8 / (25 x 0.9)) = 1 */
	cr_assert_eq(cJSON_GetObjectItem(l, "sessions_needed")->valuedouble, 1);
	cJSON_Delete(l);
	/* N = 0: no rate; no sessions known: null, not 0. */
	l = level("{\"n\":0,\"trained\":0,\"lapsing\":0}");
	cr_assert_eq(coverage_level(l, NULL), 0);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(l, "coverage")));
	cr_assert_eq(cJSON_GetObjectItem(l, "sessions_needed")->valuedouble, 0);
	cJSON_Delete(l);
	l = level("{\"n\":4,\"trained\":1,\"lapsing\":0}");
	cr_assert_eq(coverage_level(l, NULL), 0);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(l, "sessions_needed")));
	cJSON_Delete(l);
	/* More trained than a declared N: all N. */
	l = level("{\"n\":3,\"trained\":5,\"lapsing\":1}");
	cr_assert_eq(coverage_level(l, &b), 0);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(l, "coverage"),
	    "rate")->valuedouble, 1.0);
	cr_assert_eq(cJSON_GetObjectItem(l, "required")->valuedouble, 0);
	cJSON_Delete(l);
	l = level("{\"n\":3,\"trained\":1,\"lapsing\":2}");
	cr_assert_eq(coverage_level(l, &b), -1);
	cJSON_Delete(l);
}

Test(coverage, worst_first)
{
	cJSON	*a;
	char	*s;

	a = level("[{\"id\":1,\"coverage\":{\"rate\":0.5}},{\"id\":2,"
	    "\"coverage\":null},{\"id\":3,\"coverage\":{\"rate\":0.1}},"
	    "{\"id\":4,\"coverage\":{\"rate\":0.5}}]");
	coverage_sort_worst(a);
	s = cJSON_PrintUnformatted(a);
	cr_assert_str_eq(s, "[{\"id\":3,\"coverage\":{\"rate\":0.1}},{\"id\":1,"
	    "\"coverage\":{\"rate\":0.5}},{\"id\":4,\"coverage\":{\"rate\":0.5}},"
	    "{\"id\":2,\"coverage\":null}]");
	cJSON_free(s);
	cJSON_Delete(a);
}

Test(coverage, staffing_return_names_every_wrong_field)
{
	struct coverage_return	 r;
	cJSON			*b, *f;

	b = level("{\"as_of\":\"2017-03-31\",\"headcount\":{\"G1\":12,\"G5\":1}}");
	f = cJSON_CreateObject();
	cr_assert_eq(coverage_return_read(b, &r, f), 0);
	cr_assert_eq(r.n, 2);
	cr_assert_str_eq(r.as_of, "2017-03-31");
	cr_assert_eq(r.headcount[0], 12);
	cJSON_Delete(b);
	b = level("{\"as_of\":\"2017-02-30\",\"headcount\":{\"G1\":-1,"
	    "\"G2\":2.5,\"G3\":\"4\"},\"x\":1}");
	cr_assert_eq(coverage_return_read(b, &r, f), -1);
	cr_assert_not_null(cJSON_GetObjectItem(f, "as_of"));
	cr_assert_not_null(cJSON_GetObjectItem(f, "x"));
	cr_assert_not_null(cJSON_GetObjectItem(f, "headcount.G1"));
	cr_assert_not_null(cJSON_GetObjectItem(f, "headcount.G2"));
	cr_assert_not_null(cJSON_GetObjectItem(f, "headcount.G3"));
	cJSON_Delete(b);
	cJSON_Delete(f);
}

Test(training, rows_checked_every_problem_at_once)
{
	static const char csv[] =
	    "\xef\xbb\xbf" "Email,course_title,completed_on,group_level,provider\r\n"
	    "A@Example.org,In-house,2016-09-05,G2,School\r\n"
	    "bad,,2016-02-30,,,\r\n"
	    "b@example.org,X,1989-12-31,G1,P\r\n";
	struct training_reader	 tr;
	cJSON			*e;
	char			 err[128];

	e = cJSON_CreateArray();
	training_reader_init(&tr, e);
	cr_assert_eq(csv_read(csv, strlen(csv), training_reader_row, &tr, err,
	    sizeof(err)), 0);
	cr_assert_eq(training_reader_end(&tr), 0);
	cr_assert_eq(tr.n, 3);
	/* Every record a row of COPY text (line, email, title, completed_on,
	 * level, provider, hours), the address lower-cased, a wrong date
	 * and missing hours NULL, so that the database can check them all. */
	cr_assert_eq(tr.copy.rows, 3);
	cr_assert_str_eq(tr.copy.data,
	    "2\ta@example.org\tIn-house\t2016-09-05\tG2\tSchool\t\\N\n"
	    "3\t\t\t\\N\t\t\t\\N\n"
	    "4\tb@example.org\tX\t\\N\tG1\tP\t\\N\n");
	/* line 3: email, course_title, completed_on, group_level, provider;
	 * line 4: completed_on (before 1990). */
	cr_assert_eq(cJSON_GetArraySize(e), 6);
	training_reader_free(&tr);
	cJSON_Delete(e);
}

Test(training, header_and_empty_file)
{
	static const char head[] = "email,course_title\r\n\r\n";
	struct training_reader	 tr;
	cJSON			*e;
	char			 err[128];

	e = cJSON_CreateArray();
	training_reader_init(&tr, e);
	cr_assert_eq(csv_read(head, strlen(head), training_reader_row, &tr,
	    err, sizeof(err)), -1);
	cr_assert_str_eq(err, "");
	cr_assert(tr.header_failed);
	/* completed_on, group_level, provider lacking; no records. */
	cr_assert_eq(cJSON_GetArraySize(e), 4);
	training_reader_free(&tr);
	cJSON_Delete(e);

	e = cJSON_CreateArray();
	training_reader_init(&tr, e);
	cr_assert_eq(csv_read("\r\n", 2, training_reader_row, &tr, err,
	    sizeof(err)), 0);
	cr_assert_eq(training_reader_end(&tr), -1);
	cr_assert_eq(cJSON_GetArraySize(e), 1);
	training_reader_free(&tr);
	cJSON_Delete(e);
}

Test(agency, fields)
{
	struct agency_input	 in;
	cJSON			*b, *f;

	b = level("{\"name\":\"Orchard Primary\",\"sector\":\"education\","
	    "\"area\":\"Hackney\",\"phase\":\"primary\"}");
	f = cJSON_CreateObject();
	cr_assert_eq(agency_read(b, 1, &in, f), 0);
	cr_assert_str_eq(in.phase, "primary");
	cJSON_Delete(b);
	b = level("{\"name\":\"\",\"sector\":\"police\",\"phase\":\"primary\","
	    "\"active\":false}");
	cr_assert_eq(agency_read(b, 1, &in, f), -1);
	cr_assert_eq(cJSON_GetArraySize(f), 4);	/* name, area, phase, active */
	cJSON_Delete(f);
	cJSON_Delete(b);
	f = cJSON_CreateObject();
	b = level("{\"active\":false}");
	cr_assert_eq(agency_read(b, 0, &in, f), 0);
	cr_assert_eq(in.active, 0);
	cJSON_Delete(b);
	cJSON_Delete(f);
}
