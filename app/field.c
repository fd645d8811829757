/*
 * field: whole numbers, ids and text of JSON bodies, checked once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "field.h"
#include "text.h"

static int	field_text_ok(const cJSON *);

/*
 * When `v` is a JSON number that is whole and in [min, max], store it in
 * `*out` and return 0; else -1 (`*out` untouched): not a number, a
 * fraction, out of range, infinite.
 */
int
field_whole(const cJSON *v, long long min, long long max, long long *out)
{
	double	d;

	if (!cJSON_IsNumber(v))
		return (-1);
	d = v->valuedouble;
	if (!isfinite(d) || floor(d) != d || d < (double)min ||
	    d > (double)max)
		return (-1);
	*out = (long long)d;
	return (0);
}

/* An id (1 to FIELD_ID_MAX) into `*out`: 0, or -1 when `v` is not one. */
int
field_id(const cJSON *v, long long *out)
{
	return (field_whole(v, 1, FIELD_ID_MAX, out));
}

/*
 * Whether every string and member name under `root` is UTF-8 (cJSON
 * passes any bytes through, PostgreSQL refuses them later). Returns 0
 * when they are; else -1 with the top-level member holding the first
 * wrong one in `name` ("body" when that is the root itself or its name
 * is the wrong text).
 */
int
field_text_wrong(const cJSON *root, char *name, size_t len)
{
	const cJSON	*m;

	if (cJSON_IsObject(root)) {
		cJSON_ArrayForEach(m, root) {
			if (field_text_ok(m))
				continue;
			snprintf(name, len, "%s", m->string != NULL &&
			    text_utf8_length(m->string) != (size_t)-1 &&
			    strlen(m->string) < len ? m->string : "body");
			return (-1);
		}
		return (0);
	}
	if (field_text_ok(root))
		return (0);
	snprintf(name, len, "body");
	return (-1);
}

/* Whether `v`, its name and everything under it are UTF-8. */
static int
field_text_ok(const cJSON *v)
{
	const cJSON	*c;

	if (v->string != NULL && text_utf8_length(v->string) == (size_t)-1)
		return (0);
	if (cJSON_IsString(v) && text_utf8_length(v->valuestring) ==
	    (size_t)-1)
		return (0);
	for (c = v->child; c != NULL; c = c->next)
		if (!field_text_ok(c))
			return (0);
	return (1);
}
