/*
 * account: validate a registration, naming every wrong field at once.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "text.h"

#define ACCOUNT_TEXT_MAX	200

static const char	*account_text(const cJSON *, const char *, int,
			    cJSON *);
static void		 account_email(const cJSON *, const char *, int,
			    char *, cJSON *);

/*
 * Check `body` (a parsed JSON value) against the rules for a new account
 * and fill `out`. Each wrong field is named in `fields` with what is
 * wrong. Returns 0 when all is well, -1 otherwise. Whether the agency,
 * group level and e-mail address exist is for the database to tell.
 */
int
account_validate(const cJSON *body, const struct password_policy *policy,
    struct account_new *out, cJSON *fields)
{
	const cJSON	*v;
	const char	*why;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(body)) {
		cJSON_AddStringToObject(fields, "body",
		    "Send the account as a JSON object.");
		return (-1);
	}

	out->full_name = account_text(body, "full_name", 1, fields);
	account_email(body, "email", 1, out->email, fields);
	out->job_title = account_text(body, "job_title", 1, fields);
	out->group_level = account_text(body, "group_level", 1, fields);
	account_email(body, "manager_email", 0, out->manager_email, fields);
	if (out->manager_email[0] != '\0' &&
	    strcmp(out->manager_email, out->email) == 0)
		cJSON_AddStringToObject(fields, "manager_email",
		    "Enter your line manager's e-mail address, not your own.");

	v = cJSON_GetObjectItemCaseSensitive(body, "agency_id");
	if (v == NULL || cJSON_IsNull(v))
		cJSON_AddStringToObject(fields, "agency_id",
		    "Select your agency or setting.");
	else if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
	    v->valuedouble > 9007199254740991.0 ||
	    floor(v->valuedouble) != v->valuedouble)
		cJSON_AddStringToObject(fields, "agency_id",
		    "Must be the id of an agency.");
	else
		out->agency_id = (long long)v->valuedouble;

	v = cJSON_GetObjectItemCaseSensitive(body, "password");
	if (v == NULL || cJSON_IsNull(v) || (cJSON_IsString(v) &&
	    v->valuestring[0] == '\0'))
		cJSON_AddStringToObject(fields, "password",
		    "Enter a password.");
	else if (!cJSON_IsString(v))
		cJSON_AddStringToObject(fields, "password",
		    "Must be text.");
	else if ((why = password_policy_check(policy, v->valuestring)) != NULL)
		cJSON_AddStringToObject(fields, "password", why);
	else
		out->password = v->valuestring;

	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/* A text field of at most ACCOUNT_TEXT_MAX characters, trimmed. */
static const char *
account_text(const cJSON *body, const char *name, int required,
    cJSON *fields)
{
	const cJSON	*v;
	size_t		 n;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v) || (cJSON_IsString(v) &&
	    v->valuestring[0] == '\0')) {
		if (required)
			cJSON_AddStringToObject(fields, name,
			    "This cannot be empty.");
		return (NULL);
	}
	if (!cJSON_IsString(v)) {
		cJSON_AddStringToObject(fields, name, "Must be text.");
		return (NULL);
	}
	if (!text_is_clean(v->valuestring)) {
		cJSON_AddStringToObject(fields, name,
		    "Must not contain control characters.");
		return (NULL);
	}
	n = text_utf8_length(v->valuestring);
	if (isspace((unsigned char)v->valuestring[0]) ||
	    isspace((unsigned char)v->valuestring[strlen(v->valuestring) - 1])) {
		cJSON_AddStringToObject(fields, name,
		    "Must not start or end with a space.");
		return (NULL);
	}
	if (n > ACCOUNT_TEXT_MAX) {
		cJSON_AddStringToObject(fields, name,
		    "Must be 200 characters or fewer.");
		return (NULL);
	}
	return (v->valuestring);
}

/*
 * An e-mail field, as given, into `out` (255 bytes). Addresses are
 * compared and stored lower-cased by PostgreSQL's lower() alone, the one
 * rule for any script (C's tolower() knows only ASCII).
 */
static void
account_email(const cJSON *body, const char *name, int required, char *out,
    cJSON *fields)
{
	const cJSON	*v;

	out[0] = '\0';
	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v) || (cJSON_IsString(v) &&
	    v->valuestring[0] == '\0')) {
		if (required)
			cJSON_AddStringToObject(fields, name,
			    "Enter an e-mail address.");
		return;
	}
	if (!cJSON_IsString(v) || !text_is_email(v->valuestring)) {
		cJSON_AddStringToObject(fields, name, "Enter an e-mail address "
		    "in the right format, like name@example.org.");
		return;
	}
	snprintf(out, 255, "%s", v->valuestring);
}
