/*
 * Unit tests of app/field.c: ids and whole numbers of JSON bodies, and
 * text that is not UTF-8.
 */
#include <criterion/criterion.h>

#include "field.h"

static long long
id_of(const char *json, int *ok)
{
	cJSON		*v;
	long long	 id;

	id = -7;
	v = cJSON_Parse(json);
	cr_assert_not_null(v, "%s parses", json);
	*ok = field_id(v, &id) == 0;
	cJSON_Delete(v);
	return (id);
}

Test(field, ids_are_whole_numbers_from_1_to_2_pow_53)
{
	int	ok;

	cr_assert_eq(id_of("1", &ok), 1);
	cr_assert(ok);
	cr_assert_eq(id_of("9007199254740991", &ok), 9007199254740991LL);
	cr_assert(ok);
	cr_assert_eq(id_of("2.0", &ok), 2);
	cr_assert(ok);
}

Test(field, not_ids_leave_the_output_alone)
{
	const char	*bad[] = { "1.9", "0", "-1", "1e300", "-1e300", "1e999",
	    "9007199254740993", "\"7\"", "true", "null", "[1]", "{}", "0.5" };
	size_t		 i;
	int		 ok;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(id_of(bad[i], &ok), -7, "%s", bad[i]);
		cr_assert_not(ok, "%s is not an id", bad[i]);
	}
}

Test(field, whole_numbers_in_a_range)
{
	cJSON		*v;
	long long	 n;

	v = cJSON_CreateNumber(15);
	cr_assert_eq(field_whole(v, 15, 1440, &n), 0);
	cr_assert_eq(n, 15);
	cr_assert_eq(field_whole(v, 16, 1440, &n), -1);
	cJSON_SetNumberValue(v, 1e300);
	cr_assert_eq(field_whole(v, 15, 1440, &n), -1);
	cr_assert_eq(n, 15);
	cJSON_Delete(v);
	cr_assert_eq(field_whole(NULL, 0, 1, &n), -1);
}

Test(field, names_the_member_whose_text_is_not_utf8)
{
	cJSON	*v;
	char	 name[64];

	v = cJSON_Parse("{\"a\":\"ok \xc3\xa9\",\"b\":[1,{\"c\":\"x\xff\"}]}");
	cr_assert_not_null(v);
	cr_assert_eq(field_text_wrong(v, name, sizeof(name)), -1);
	cr_assert_str_eq(name, "b");
	cJSON_Delete(v);

	v = cJSON_Parse("{\"\xff\":1}");
	cr_assert_eq(field_text_wrong(v, name, sizeof(name)), -1);
	cr_assert_str_eq(name, "body");
	cJSON_Delete(v);

	v = cJSON_Parse("[\"\xed\xa0\x80\"]");
	cr_assert_eq(field_text_wrong(v, name, sizeof(name)), -1);
	cr_assert_str_eq(name, "body");
	cJSON_Delete(v);

	v = cJSON_Parse("{\"a\":\"\xe2\x82\xac\",\"n\":1e300,\"t\":true}");
	cr_assert_eq(field_text_wrong(v, name, sizeof(name)), 0);
	cJSON_Delete(v);
}
