/*
 * Unit tests of app/qs.c: decoding query strings and reading paging.
 */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "qs.h"

Test(qs, decodes_names_and_values)
{
	struct qs	q;

	cr_assert_eq(qs_parse("group_level=G3&topic=domestic+abuse&q=%C3%A9t%c3%a9",
	    &q), 0);
	cr_assert_eq(q.n, 3);
	cr_assert_str_eq(qs_get(&q, "group_level"), "G3");
	cr_assert_str_eq(qs_get(&q, "topic"), "domestic abuse");
	cr_assert_str_eq(qs_get(&q, "q"), "\xc3\xa9t\xc3\xa9");
	cr_assert_null(qs_get(&q, "missing"));
	qs_free(&q);
}

Test(qs, null_and_empty_queries_have_no_parameters)
{
	struct qs	q;

	cr_assert_eq(qs_parse(NULL, &q), 0);
	cr_assert_eq(q.n, 0);
	cr_assert_eq(qs_parse("", &q), 0);
	cr_assert_eq(q.n, 0);
	cr_assert_eq(qs_parse("&&", &q), 0);
	cr_assert_eq(q.n, 0);
}

Test(qs, empty_value_counts_as_absent)
{
	struct qs	q;

	cr_assert_eq(qs_parse("topic=&flag", &q), 0);
	cr_assert_eq(q.n, 2);
	cr_assert_null(qs_get(&q, "topic"));
	cr_assert_null(qs_get(&q, "flag"));
	qs_free(&q);
}

Test(qs, first_of_repeated_names_wins)
{
	struct qs	q;

	cr_assert_eq(qs_parse("a=1&a=2", &q), 0);
	cr_assert_str_eq(qs_get(&q, "a"), "1");
	qs_free(&q);
}

Test(qs, rejects_bad_escapes_and_control_characters)
{
	struct qs	q;

	cr_assert_eq(qs_parse("a=%", &q), -1);
	cr_assert_eq(qs_parse("a=%4", &q), -1);
	cr_assert_eq(qs_parse("a=%zz", &q), -1);
	cr_assert_eq(qs_parse("a=%00", &q), -1);
	cr_assert_eq(qs_parse("a=%0A", &q), -1);
	cr_assert_eq(qs_parse("ok=1&b%=1", &q), -1);
	cr_assert_eq(q.n, 0);
	cr_assert_null(q.params);
}

Test(qs, counts_in_range_else_error)
{
	struct qs	q;
	long		v;

	cr_assert_eq(qs_parse("limit=50&offset=-1&big=99999999999999999999"
	    "&x=12a&plus=+5", &q), 0);
	cr_assert_eq(qs_get_count(&q, "limit", 20, 1, 100, &v), 0);
	cr_assert_eq(v, 50);
	cr_assert_eq(qs_get_count(&q, "absent", 20, 1, 100, &v), 0);
	cr_assert_eq(v, 20);
	v = 7;
	cr_assert_eq(qs_get_count(&q, "offset", 0, 0, 1000, &v), -1);
	cr_assert_eq(v, 7, "untouched on error");
	cr_assert_eq(qs_get_count(&q, "big", 0, 0, 1000, &v), -1);
	cr_assert_eq(qs_get_count(&q, "x", 0, 0, 1000, &v), -1);
	cr_assert_eq(qs_get_count(&q, "plus", 0, 0, 1000, &v), -1);
	cr_assert_eq(qs_get_count(&q, "limit", 20, 1, 49, &v), -1);
	qs_free(&q);
}

Test(qs, page_defaults_when_absent)
{
	struct qs	 q;
	cJSON		*fields;
	long		 limit, offset;

	cr_assert_eq(qs_parse("q=x", &q), 0);
	fields = cJSON_CreateObject();
	limit = offset = -5;
	cr_assert_eq(qs_page(&q, 20, 100, fields, &limit, &offset), 0);
	cr_assert_eq(limit, 20);
	cr_assert_eq(offset, 0);
	cr_assert_eq(cJSON_GetArraySize(fields), 0);
	cJSON_Delete(fields);
	qs_free(&q);
}

Test(qs, page_reads_limit_and_offset_in_range)
{
	struct qs	 q;
	cJSON		*fields;
	long		 limit, offset;

	cr_assert_eq(qs_parse("limit=500&offset=1000000000", &q), 0);
	fields = cJSON_CreateObject();
	cr_assert_eq(qs_page(&q, 20, 500, fields, &limit, &offset), 0);
	cr_assert_eq(limit, 500);
	cr_assert_eq(offset, QS_OFFSET_MAX);
	cr_assert_eq(cJSON_GetArraySize(fields), 0);
	cJSON_Delete(fields);
	qs_free(&q);
}

Test(qs, page_names_each_wrong_field_with_its_range)
{
	struct qs	 q;
	cJSON		*fields, *f;
	long		 limit, offset;

	cr_assert_eq(qs_parse("limit=101&offset=-1", &q), 0);
	fields = cJSON_CreateObject();
	cr_assert_eq(qs_page(&q, 20, 100, fields, &limit, &offset), -1);
	cr_assert_eq(limit, 20, "a wrong limit reads as the default");
	cr_assert_eq(offset, 0, "a wrong offset reads as 0");
	cr_assert_eq(cJSON_GetArraySize(fields), 2);
	f = cJSON_GetObjectItemCaseSensitive(fields, "limit");
	cr_assert_str_eq(cJSON_GetStringValue(f),
	    "Must be a whole number from 1 to 100.");
	f = cJSON_GetObjectItemCaseSensitive(fields, "offset");
	cr_assert_str_eq(cJSON_GetStringValue(f),
	    "Must be a whole number, 0 or more.");
	cJSON_Delete(fields);
	qs_free(&q);

	cr_assert_eq(qs_parse("limit=0&offset=1000000001", &q), 0);
	fields = cJSON_CreateObject();
	cr_assert_eq(qs_page(&q, 100, 1000, fields, &limit, &offset), -1);
	f = cJSON_GetObjectItemCaseSensitive(fields, "limit");
	cr_assert_str_eq(cJSON_GetStringValue(f),
	    "Must be a whole number from 1 to 1000.");
	cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(fields, "offset"));
	cJSON_Delete(fields);
	qs_free(&q);

	cr_assert_eq(qs_parse("limit=5&offset=abc", &q), 0);
	fields = cJSON_CreateObject();
	cr_assert_eq(qs_page(&q, 100, 1000, fields, &limit, &offset), -1);
	cr_assert_eq(limit, 5);
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(fields, "limit"));
	cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(fields, "offset"));
	cJSON_Delete(fields);
	qs_free(&q);
}

Test(qs, flags_are_true_or_false_only)
{
	struct qs	q;
	int		f;

	cr_assert_eq(qs_parse("a=true&b=false&c=TRUE&d=1&e=yes", &q), 0);
	cr_assert_eq(qs_get_flag(&q, "a", &f), 0);
	cr_assert_eq(f, 1);
	cr_assert_eq(qs_get_flag(&q, "b", &f), 0);
	cr_assert_eq(f, 0);
	f = 1;
	cr_assert_eq(qs_get_flag(&q, "absent", &f), 0);
	cr_assert_eq(f, 0, "absent is false");
	cr_assert_eq(qs_get_flag(&q, "c", &f), -1);
	cr_assert_eq(f, 0);
	cr_assert_eq(qs_get_flag(&q, "d", &f), -1);
	cr_assert_eq(qs_get_flag(&q, "e", &f), -1);
	qs_free(&q);
}

#include "route.h"

Test(route, reads_ids_from_paths)
{
	long long	 id;
	const char	*rest;

	cr_assert_eq(route_id("/api/v1/accounts/42/roles", "/api/v1/accounts/",
	    &id, &rest), 0);
	cr_assert_eq(id, 42);
	cr_assert_str_eq(rest, "/roles");
	cr_assert_eq(route_id("/api/v1/people/7", "/api/v1/people/", &id,
	    &rest), 0);
	cr_assert_str_eq(rest, "");
	cr_assert_eq(route_id("/api/v1/people/07", "/api/v1/people/", &id,
	    NULL), -1);
	cr_assert_eq(route_id("/api/v1/people/7x", "/api/v1/people/", &id,
	    NULL), -1);
	cr_assert_eq(route_id("/api/v1/people/", "/api/v1/people/", &id,
	    NULL), -1);
	cr_assert_eq(route_id("/api/v1/people/99999999999999999999",
	    "/api/v1/people/", &id, NULL), -1);
	cr_assert_eq(route_id("/api/v1/other/7", "/api/v1/people/", &id,
	    NULL), -1);
}

Test(qs, rejects_what_is_not_utf8_and_names_the_parameter)
{
	struct qs	q;

	cr_assert_eq(qs_parse("limit=5&topic=%ff", &q), -1);
	cr_assert_str_eq(q.wrong, "topic");
	cr_assert_eq(qs_parse("q=%c0%af", &q), -1);	/* overlong */
	cr_assert_str_eq(q.wrong, "q");
	cr_assert_eq(qs_parse("from=%ed%a0%80", &q), -1);	/* surrogate */
	cr_assert_eq(qs_parse("to=%e2%82", &q), -1);	/* truncated */
	cr_assert_eq(qs_parse("%ff=1", &q), -1);
	cr_assert_str_eq(q.wrong, "query");
	cr_assert_eq(qs_parse("a=%00", &q), -1);
	cr_assert_str_eq(q.wrong, "a");
	cr_assert_eq(qs_parse("q=%e2%82%ac", &q), 0);	/* the euro sign */
	cr_assert_str_eq(qs_get(&q, "q"), "\xe2\x82\xac");
	cr_assert_str_eq(q.wrong, "");
	qs_free(&q);
}

Test(qs, canonical_text_is_what_the_handlers_read)
{
	static const char *const except[] = { "format", "limit", NULL };
	struct qs	a, b, c;
	char		*x, *y, *z;

	cr_assert_eq(qs_parse("year=2016%2F17&by=agency&format=csv&limit=5"
	    "&by=course&topic=", &a), 0);
	cr_assert_eq(qs_parse("by=agency&year=2016/17", &b), 0);
	cr_assert_eq(qs_parse("by=course&year=2016/17", &c), 0);
	x = qs_canonical(&a, except);
	y = qs_canonical(&b, except);
	z = qs_canonical(&c, NULL);
	cr_assert_str_eq(x, "{\"by\":\"agency\",\"year\":\"2016/17\"}");
	cr_assert_str_eq(x, y);
	cr_assert_str_neq(x, z);
	free(x);
	x = qs_canonical(&a, NULL);
	cr_assert_str_eq(x, "{\"by\":\"agency\",\"format\":\"csv\","
	    "\"limit\":\"5\",\"year\":\"2016/17\"}");
	free(x);
	free(y);
	free(z);
	qs_free(&a);
	qs_free(&b);
	qs_free(&c);
}

Test(qs, unknown_parameters_are_named_once_each)
{
	static const char *const known[] = { "by", "year", NULL };
	struct qs	 q;
	cJSON		*fields;
	char		*text;

	cr_assert_eq(qs_parse("year=2016%2F17&zz=1&by=agency&zz=2&Year=x"
	    "&empty=&taken=1", &q), 0);
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, "taken", "Already named.");
	cr_assert_eq(qs_unknown(&q, known, "Not taken.", fields), 3);
	text = cJSON_PrintUnformatted(fields);
	cr_assert_str_eq(text, "{\"taken\":\"Already named.\",\"zz\":"
	    "\"Not taken.\",\"Year\":\"Not taken.\",\"empty\":\"Not taken.\"}");
	free(text);
	cJSON_Delete(fields);
	qs_free(&q);

	cr_assert_eq(qs_parse("by=agency&year=2016/17", &q), 0);
	fields = cJSON_CreateObject();
	cr_assert_eq(qs_unknown(&q, known, "Not taken.", fields), 0);
	cr_assert_eq(cJSON_GetArraySize(fields), 0);
	cJSON_Delete(fields);
	qs_free(&q);
}
