/*
 * Unit tests of the registration rules: app/account.c, app/text.c and
 * app/password_policy.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "account.h"
#include "password_policy.h"
#include "text.h"

static struct password_policy	policy;

static void
setup(void)
{
	memset(&policy, 0, sizeof(policy));
	cr_assert_eq(password_policy_load(&policy,
	    "conf/common-passwords.txt"), 0);
	cr_assert_eq(password_policy_load(&policy,
	    "/usr/share/john/password.lst"), 0);
	cr_assert_gt(policy.n, 3000);
}

static void
teardown(void)
{
	password_policy_free(&policy);
}

TestSuite(account, .init = setup, .fini = teardown);
TestSuite(password, .init = setup, .fini = teardown);

static cJSON *
valid_body(void)
{
	return (cJSON_Parse("{\"full_name\":\"Amara Okafor\","
	    "\"email\":\"Amara.Okafor@School.example\","
	    "\"password\":\"lantern orchard tuesday\",\"agency_id\":7,"
	    "\"job_title\":\"Teaching assistant\",\"group_level\":\"G2\","
	    "\"manager_email\":\"head@school.example\"}"));
}

Test(account, a_valid_registration_passes_with_emails_as_given)
{
	struct account_new	 a;
	cJSON			*body, *fields;

	body = valid_body();
	fields = cJSON_CreateObject();
	cr_assert_eq(account_validate(body, &policy, &a, fields), 0);
	cr_assert_eq(cJSON_GetArraySize(fields), 0);
	/* PostgreSQL's lower() is the one rule for case (app/account.c). */
	cr_assert_str_eq(a.email, "Amara.Okafor@School.example");
	cr_assert_str_eq(a.manager_email, "head@school.example");
	cr_assert_eq(a.agency_id, 7);
	cr_assert_str_eq(a.group_level, "G2");
	cr_assert_str_eq(a.password, "lantern orchard tuesday");
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(account, every_wrong_field_is_named_at_once)
{
	struct account_new	 a;
	cJSON			*body, *fields;

	body = cJSON_Parse("{\"full_name\":\"\",\"email\":\"not-an-email\","
	    "\"password\":\"short\",\"agency_id\":1.5,\"job_title\":7,"
	    "\"manager_email\":\"x@\"}");
	fields = cJSON_CreateObject();
	cr_assert_eq(account_validate(body, &policy, &a, fields), -1);
	cr_assert_not_null(cJSON_GetObjectItem(fields, "full_name"));
	cr_assert_not_null(cJSON_GetObjectItem(fields, "email"));
	cr_assert_not_null(cJSON_GetObjectItem(fields, "password"));
	cr_assert_not_null(cJSON_GetObjectItem(fields, "agency_id"));
	cr_assert_not_null(cJSON_GetObjectItem(fields, "job_title"));
	cr_assert_not_null(cJSON_GetObjectItem(fields, "group_level"));
	cr_assert_not_null(cJSON_GetObjectItem(fields, "manager_email"));
	cr_assert_eq(cJSON_GetArraySize(fields), 7);
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(account, not_an_object_is_refused)
{
	struct account_new	 a;
	cJSON			*body, *fields;

	body = cJSON_Parse("[1,2]");
	fields = cJSON_CreateObject();
	cr_assert_eq(account_validate(body, &policy, &a, fields), -1);
	cr_assert_not_null(cJSON_GetObjectItem(fields, "body"));
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(account, manager_email_is_optional_but_not_ones_own)
{
	struct account_new	 a;
	cJSON			*body, *fields;

	body = valid_body();
	cJSON_DeleteItemFromObject(body, "manager_email");
	fields = cJSON_CreateObject();
	cr_assert_eq(account_validate(body, &policy, &a, fields), 0);
	cr_assert_str_eq(a.manager_email, "");
	/* The same in another case is for the database (lower()) to see. */
	cJSON_AddStringToObject(body, "manager_email",
	    "Amara.Okafor@School.example");
	cr_assert_eq(account_validate(body, &policy, &a, fields), -1);
	cr_assert_not_null(cJSON_GetObjectItem(fields, "manager_email"));
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(account, names_with_spaces_at_the_ends_or_controls_are_refused)
{
	struct account_new	 a;
	cJSON			*body, *fields;

	body = valid_body();
	cJSON_ReplaceItemInObject(body, "full_name",
	    cJSON_CreateString(" Amara"));
	cJSON_ReplaceItemInObject(body, "job_title",
	    cJSON_CreateString("TA\x01"));
	fields = cJSON_CreateObject();
	cr_assert_eq(account_validate(body, &policy, &a, fields), -1);
	cr_assert_eq(cJSON_GetArraySize(fields), 2);
	cJSON_Delete(fields);
	cJSON_Delete(body);
}

Test(password, length_is_counted_in_characters_not_bytes)
{
	/* 12 characters, 24 bytes: accepted. 11 characters: refused. */
	cr_assert_null(password_policy_check(&policy,
	    "\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa2"
	    "\xc3\xb4\xc3\xbb\xc3\xae\xc3\xaf\xc3\xa7\xc3\xb9"));
	cr_assert_not_null(password_policy_check(&policy,
	    "\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa2"
	    "\xc3\xb4\xc3\xbb\xc3\xae\xc3\xaf\xc3\xa7"));
	cr_assert_not_null(password_policy_check(&policy, "elevenchars"));
	cr_assert_null(password_policy_check(&policy, "twelve chars"));
}

Test(password, bounds_are_12_and_128_characters)
{
	char	pw[200];

	memset(pw, 'q', sizeof(pw));
	memcpy(pw, "xk2", 3);
	pw[128] = '\0';
	cr_assert_null(password_policy_check(&policy, pw));
	pw[128] = 'z';
	pw[129] = '\0';
	cr_assert_not_null(password_policy_check(&policy, pw));
}

Test(password, any_characters_no_composition_rules)
{
	cr_assert_null(password_policy_check(&policy,
	    "all lower case words here"));
	cr_assert_null(password_policy_check(&policy, "\xf0\x9f\x90\x88 cat "
	    "emoji \xf0\x9f\x90\x88"));
}

Test(password, common_passwords_and_their_disguises_are_refused)
{
	cr_assert_not_null(password_policy_check(&policy, "password1234"));
	cr_assert_not_null(password_policy_check(&policy, "Password1234!"));
	cr_assert_not_null(password_policy_check(&policy, "monkeymonkey"));
	cr_assert_not_null(password_policy_check(&policy, "Safeguarding2016"));
	cr_assert_not_null(password_policy_check(&policy, "123456789012"));
	cr_assert_not_null(password_policy_check(&policy, "qwertyuiop123"));
	cr_assert_not_null(password_policy_check(&policy, "abcabc123456"));
	cr_assert_null(password_policy_check(&policy, "monkey orchard 12"));
}

Test(password, invalid_utf8_is_refused)
{
	cr_assert_not_null(password_policy_check(&policy,
	    "abcdefghijkl\xff"));
	cr_assert_not_null(password_policy_check(&policy,
	    "abcdefghijkl\xc0\xaf"));
}

Test(text, utf8_lengths)
{
	cr_assert_eq(text_utf8_length(""), 0);
	cr_assert_eq(text_utf8_length("abc"), 3);
	cr_assert_eq(text_utf8_length("\xe2\x82\xac"), 1);
	cr_assert_eq(text_utf8_length("\xf0\x9f\x90\x88"), 1);
	cr_assert_eq(text_utf8_length("\xed\xa0\x80"), (size_t)-1);
	cr_assert_eq(text_utf8_length("\xe2\x82"), (size_t)-1);
	cr_assert_eq(text_utf8_length("\xf4\x90\x80\x80"), (size_t)-1);
}

Test(text, emails)
{
	cr_assert(text_is_email("a@b.co"));
	cr_assert(text_is_email("first.last+tag@sub.example.org"));
	cr_assert_not(text_is_email("a@b"));
	cr_assert_not(text_is_email("@b.co"));
	cr_assert_not(text_is_email("a@@b.co"));
	cr_assert_not(text_is_email("a b@c.co"));
	cr_assert_not(text_is_email("a@.co"));
	cr_assert_not(text_is_email("a@b."));
	cr_assert_not(text_is_email("a@b..co"));
}

Test(text, dates)
{
	cr_assert(text_is_date("2016-04-01"));
	cr_assert(text_is_date("2016-02-29"));
	cr_assert(text_is_date("2000-02-29"));
	cr_assert_not(text_is_date("2017-02-29"));
	cr_assert_not(text_is_date("1900-02-29"));
	cr_assert_not(text_is_date("2016-13-01"));
	cr_assert_not(text_is_date("2016-04-31"));
	cr_assert_not(text_is_date("2016-4-01"));
	cr_assert_not(text_is_date("2016/04/01"));
	cr_assert_not(text_is_date("2016-04-01T00"));
}

Test(text, datetimes)
{
	cr_assert(text_is_datetime("2016-04-01T09:30"));
	cr_assert(text_is_datetime("2016-04-01T09:30:15"));
	cr_assert(text_is_datetime("2016-04-01T09:30:00Z"));
	cr_assert(text_is_datetime("2016-04-01T09:30:00+01:00"));
	cr_assert(text_is_datetime("2016-04-01T09:30-05:00"));
	cr_assert_not(text_is_datetime("2016-04-01"));
	cr_assert_not(text_is_datetime("2016-04-01 09:30"));
	cr_assert_not(text_is_datetime("2016-04-31T09:30"));
	cr_assert_not(text_is_datetime("2016-04-01T24:00"));
	cr_assert_not(text_is_datetime("2016-04-01T09:60"));
	cr_assert_not(text_is_datetime("2016-04-01T09:30+1"));
	cr_assert_not(text_is_datetime("2016-04-01T09:30:00+01:00x"));
}

Test(text, html_escape)
{
	char	*e;

	e = text_html_escape("<b>Tom & \"Jerry\"</b> 'x'");
	cr_assert_str_eq(e, "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; &#39;x&#39;");
	free(e);
}
