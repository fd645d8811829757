/*
 * agency: check the fields of an agency or setting. Every wrong field is
 * named in `fields` ({"name": "what is wrong"}), all at once.
 */
#include <stddef.h>
#include <string.h>

#include "agency.h"
#include "text.h"

static const char *const agency_sectors[] = {
	"childrens_social_care", "education", "early_years", "health",
	"police", "probation", "housing", "voluntary_community",
	"independent", "faith", "other", NULL
};

static const char *const agency_phases[] = {
	"nursery", "primary", "secondary", "special", "pru",
	"alternative_provision", "college", NULL
};

static const char	*agency_text(const cJSON *, const char *, size_t, int,
			    cJSON *);
static int		 agency_in(const char *, const char *const *);

/*
 * Read `body` into `in` (strings belong to `body`). `create`: name,
 * sector and area are required, "active" is not taken. Returns 0, or -1
 * with the problems in `fields`. A phase is only for the education and
 * early years sectors: checked here when the sector is given, by the
 * database otherwise.
 */
int
agency_read(const cJSON *body, int create, struct agency_input *in,
    cJSON *fields)
{
	const cJSON	*v, *m;

	memset(in, 0, sizeof(*in));
	in->active = -1;
	if (!cJSON_IsObject(body)) {
		cJSON_AddStringToObject(fields, "body", "Send a JSON object.");
		return (-1);
	}
	cJSON_ArrayForEach(m, body) {
		if (strcmp(m->string, "name") && strcmp(m->string, "sector") &&
		    strcmp(m->string, "area") && strcmp(m->string, "phase") &&
		    (create || strcmp(m->string, "active")))
			cJSON_AddStringToObject(fields, m->string,
			    "There is no such field.");
	}
	in->name = agency_text(body, "name", 200, create, fields);
	in->area = agency_text(body, "area", 100, create, fields);
	v = cJSON_GetObjectItemCaseSensitive(body, "sector");
	if (v != NULL || create) {
		if (!cJSON_IsString(v) || !agency_in(v->valuestring,
		    agency_sectors))
			cJSON_AddStringToObject(fields, "sector", "Choose one "
			    "of the sectors.");
		else
			in->sector = v->valuestring;
	}
	v = cJSON_GetObjectItemCaseSensitive(body, "phase");
	if (v != NULL) {
		in->phase_given = 1;
		if (cJSON_IsNull(v) || (cJSON_IsString(v) &&
		    v->valuestring[0] == '\0'))
			in->phase = NULL;
		else if (!cJSON_IsString(v) || !agency_in(v->valuestring,
		    agency_phases))
			cJSON_AddStringToObject(fields, "phase", "Choose one "
			    "of the phases, or none.");
		else if (in->sector != NULL &&
		    !agency_sector_has_phase(in->sector))
			cJSON_AddStringToObject(fields, "phase", "Only schools "
			    "and early years settings have a phase.");
		else
			in->phase = v->valuestring;
	}
	v = cJSON_GetObjectItemCaseSensitive(body, "active");
	if (v != NULL && !create) {
		if (!cJSON_IsBool(v))
			cJSON_AddStringToObject(fields, "active",
			    "Must be true or false.");
		else
			in->active = cJSON_IsTrue(v);
	}
	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/* Whether agencies of `sector` have a phase: 1 or 0. */
int
agency_sector_has_phase(const char *sector)
{
	return (strcmp(sector, "education") == 0 ||
	    strcmp(sector, "early_years") == 0);
}

static const char *
agency_text(const cJSON *body, const char *name, size_t max, int required,
    cJSON *fields)
{
	const cJSON	*v;
	char		*text;
	size_t		 len;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL && !required)
		return (NULL);
	/* Spaces around a name are not part of it; a name of spaces is none. */
	text = cJSON_IsString(v) ? text_trim(v->valuestring) : "";
	len = text_utf8_length(text);
	if (len == 0) {
		cJSON_AddStringToObject(fields, name, max == 200 ?
		    "Enter the name of the agency." :
		    "Enter the area, like Hackney.");
		return (NULL);
	}
	if (len > max || !text_is_clean(text)) {
		cJSON_AddStringToObject(fields, name, max == 200 ?
		    "Enter a name of 200 characters at most." :
		    "Enter an area of 100 characters at most.");
		return (NULL);
	}
	return (text);
}

static int
agency_in(const char *s, const char *const *list)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(s, list[i]) == 0)
			return (1);
	}
	return (0);
}
