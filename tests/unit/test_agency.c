/*
 * Unit tests of app/agency.c: an agency as a coordinator sends it, every
 * wrong field named at once, with a message that says what to do.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"

/* The message agency_read() gives for `field` of `json`, or NULL. */
static char *
problem(const char *json, int create, const char *field, int *status)
{
	struct agency_input	 in;
	cJSON			*body, *fields, *v;
	char			*msg;

	body = cJSON_Parse(json);
	cr_assert_not_null(body, "%s parses", json);
	fields = cJSON_CreateObject();
	*status = agency_read(body, create, &in, fields);
	v = cJSON_GetObjectItemCaseSensitive(fields, field);
	msg = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
	cJSON_Delete(fields);
	cJSON_Delete(body);
	return (msg);
}

static void
expect(const char *json, int create, const char *field, const char *want)
{
	char	*got;
	int	 st;

	got = problem(json, create, field, &st);
	cr_assert_eq(st, -1, "%s is refused", json);
	cr_assert_not_null(got, "%s: %s is named", json, field);
	cr_assert_str_eq(got, want);
	free(got);
}

Test(agency, an_empty_form_names_each_field_with_what_to_do)
{
	const char	*json = "{\"name\":\"\",\"area\":\"  \"}";

	expect(json, 1, "name", "Enter the name of the agency.");
	expect(json, 1, "sector", "Choose one of the sectors.");
	expect("{\"name\":\"\"}", 1, "area", "Enter the area, like Hackney.");
}

Test(agency, too_long_names_and_areas_say_the_limit)
{
	char	json[400];

	snprintf(json, sizeof(json), "{\"name\":\"%0201d\",\"area\":\"%0101d\","
	    "\"sector\":\"health\"}", 0, 0);
	expect(json, 1, "name", "Enter a name of 200 characters at most.");
	expect(json, 1, "area", "Enter an area of 100 characters at most.");
}

Test(agency, a_phase_only_for_schools_and_early_years)
{
	struct agency_input	 in;
	cJSON			*body, *fields;

	expect("{\"name\":\"A\",\"area\":\"B\",\"sector\":\"health\","
	    "\"phase\":\"primary\"}", 1, "phase",
	    "Only schools and early years settings have a phase.");
	body = cJSON_Parse("{\"name\":\"A\",\"area\":\"B\","
	    "\"sector\":\"early_years\",\"phase\":\"nursery\"}");
	fields = cJSON_CreateObject();
	cr_assert_eq(agency_read(body, 1, &in, fields), 0);
	cr_assert_str_eq(in.phase, "nursery");
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(agency, closing_is_a_change_never_a_new_agency)
{
	struct agency_input	 in;
	cJSON			*body, *fields;

	expect("{\"name\":\"A\",\"area\":\"B\",\"sector\":\"health\","
	    "\"active\":false}", 1, "active", "There is no such field.");
	expect("{\"active\":\"no\"}", 0, "active", "Must be true or false.");
	body = cJSON_Parse("{\"active\":false}");
	fields = cJSON_CreateObject();
	cr_assert_eq(agency_read(body, 0, &in, fields), 0);
	cr_assert_eq(in.active, 0);
	cr_assert_null(in.name);
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(agency, names_and_areas_of_spaces_are_none_and_spaces_around_go)
{
	struct agency_input	 in;
	cJSON			*body, *fields;

	expect("{\"name\":\" \\t \",\"area\":\"Hackney\",\"sector\":\"health\"}",
	    1, "name", "Enter the name of the agency.");
	expect("{\"name\":\"Clinic\",\"area\":\"   \",\"sector\":\"health\"}",
	    1, "area", "Enter the area, like Hackney.");
	body = cJSON_Parse("{\"name\":\"  Homerton Clinic \",\"area\":"
	    "\" Hackney\",\"sector\":\"health\"}");
	fields = cJSON_CreateObject();
	cr_assert_eq(agency_read(body, 1, &in, fields), 0);
	cr_assert_str_eq(in.name, "Homerton Clinic");
	cr_assert_str_eq(in.area, "Hackney");
	cJSON_Delete(fields);
	cJSON_Delete(body);
}
