/*
 * qs: parse and read an application/x-www-form-urlencoded query string.
 * Kore-free, so that it is unit tested on its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "qs.h"
#include "text.h"

static int	qs_hexval(int);
static char	*qs_decode(const char *, size_t);
static int	qs_by_name(const void *, const void *);
static int	qs_is_known(const char *, const char *const *);

/*
 * Parse `query` (may be NULL: no parameters) into `out`.
 * `out` owns what it holds afterwards: release it with qs_free().
 * Returns 0, or -1 when a name or value is not valid: a bad percent
 * escape, control characters (an encoded NUL too) or bytes that are not
 * UTF-8. Nothing is left allocated on -1, and out->wrong names the
 * parameter at fault ("query" when its name cannot be read).
 */
int
qs_parse(const char *query, struct qs *out)
{
	const char	*p, *amp, *eq;
	struct qs_param	*grown;
	char		*name, *value;
	size_t		 len;

	out->params = NULL;
	out->n = 0;
	out->wrong[0] = '\0';
	if (query == NULL)
		return (0);

	for (p = query; *p != '\0'; p = (*amp == '\0') ? amp : amp + 1) {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		len = (size_t)(amp - p);
		if (len == 0)
			continue;
		eq = memchr(p, '=', len);
		if (eq == NULL) {
			name = qs_decode(p, len);
			value = qs_decode("", 0);
		} else {
			name = qs_decode(p, (size_t)(eq - p));
			value = qs_decode(eq + 1, (size_t)(amp - eq - 1));
		}
		if (name == NULL || value == NULL) {
			snprintf(out->wrong, sizeof(out->wrong), "%s",
			    name != NULL && strlen(name) < sizeof(out->wrong) ?
			    name : "query");
			free(name);
			free(value);
			goto fail;
		}
		grown = realloc(out->params, (out->n + 1) * sizeof(*grown));
		if (grown == NULL) {
			snprintf(out->wrong, sizeof(out->wrong), "query");
			free(name);
			free(value);
			goto fail;
		}
		out->params = grown;
		out->params[out->n].name = name;
		out->params[out->n].value = value;
		out->n++;
	}
	return (0);

fail:
	qs_free(out);
	return (-1);
}

/* Release what qs_parse() allocated; `q` may be parsed again after. */
void
qs_free(struct qs *q)
{
	size_t	i;

	for (i = 0; i < q->n; i++) {
		free(q->params[i].name);
		free(q->params[i].value);
	}
	free(q->params);
	q->params = NULL;
	q->n = 0;
}

/*
 * The value of the first parameter called `name`, or NULL when absent.
 * An empty value ("?topic=") counts as absent: forms send empty selects.
 * The string belongs to `q`.
 */
const char *
qs_get(const struct qs *q, const char *name)
{
	size_t	i;

	for (i = 0; i < q->n; i++) {
		if (strcmp(q->params[i].name, name) == 0)
			return (q->params[i].value[0] == '\0' ?
			    NULL : q->params[i].value);
	}
	return (NULL);
}

/*
 * Read a whole number parameter into `*out`: `def` when absent, else a
 * decimal in [min, max]. Returns 0, or -1 when present but not such a
 * number (then `*out` is untouched).
 */
int
qs_get_count(const struct qs *q, const char *name, long def, long min,
    long max, long *out)
{
	const char	*s;
	char		*end;
	long		 v;

	if ((s = qs_get(q, name)) == NULL) {
		*out = def;
		return (0);
	}
	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/*
 * Read the page a list asks for: `limit` (absent: `def`; else from 1 to
 * `max`) into `*limit` and `offset` (absent: 0; else from 0 to
 * QS_OFFSET_MAX) into `*offset`. A wrong one is named in `fields` with
 * the range it must be in, and read as its default, so that the caller
 * may go on to check the rest of the query. Returns 0, or -1 when either
 * was wrong (or `fields` could not take its name).
 */
int
qs_page(const struct qs *q, long def, long max, cJSON *fields, long *limit,
    long *offset)
{
	char	msg[64];
	int	rc;

	rc = 0;
	if (qs_get_count(q, "limit", def, 1, max, limit) == -1) {
		*limit = def;
		snprintf(msg, sizeof(msg),
		    "Must be a whole number from 1 to %ld.", max);
		cJSON_AddStringToObject(fields, "limit", msg);
		rc = -1;
	}
	if (qs_get_count(q, "offset", 0, 0, QS_OFFSET_MAX, offset) == -1) {
		*offset = 0;
		cJSON_AddStringToObject(fields, "offset",
		    "Must be a whole number, 0 or more.");
		rc = -1;
	}
	return (rc);
}

/*
 * Read a true|false parameter into `*out` (0 when absent). Returns 0, or
 * -1 for any other value (then `*out` is 0).
 */
int
qs_get_flag(const struct qs *q, const char *name, int *out)
{
	const char	*s;

	*out = 0;
	if ((s = qs_get(q, name)) == NULL || strcmp(s, "false") == 0)
		return (0);
	if (strcmp(s, "true") != 0)
		return (-1);
	*out = 1;
	return (0);
}

/*
 * The parameters as the handlers read them, in one canonical text: a
 * JSON object of each name's first non-empty value, names sorted,
 * the names of `except` (NULL-terminated; may be NULL) left out. Two queries that mean the same thing
 * to qs_get() give the same text, whatever their order or repeats. The
 * caller frees it; NULL when out of memory.
 */
char *
qs_canonical(const struct qs *q, const char *const *except)
{
	const struct qs_param	**sorted;
	cJSON			 *obj;
	char			 *text;
	size_t			  i, n;

	text = NULL;
	obj = cJSON_CreateObject();
	if ((sorted = calloc(q->n + 1, sizeof(*sorted))) == NULL ||
	    obj == NULL)
		goto out;
	for (i = n = 0; i < q->n; i++) {
		if ((except == NULL || !qs_is_known(q->params[i].name,
		    except)) &&
		    qs_get(q, q->params[i].name) == q->params[i].value)
			sorted[n++] = &q->params[i];
	}
	qsort(sorted, n, sizeof(*sorted), qs_by_name);
	for (i = 0; i < n; i++) {
		if (cJSON_AddStringToObject(obj, sorted[i]->name,
		    sorted[i]->value) == NULL)
			goto out;
	}
	text = cJSON_PrintUnformatted(obj);
out:
	free(sorted);
	cJSON_Delete(obj);
	return (text);
}

/*
 * Name in `fields` each parameter of `q` whose name is not among `known`
 * (a NULL-terminated list), with `message`; a name `fields` holds already
 * is left as it is. Returns how many parameters were named.
 */
size_t
qs_unknown(const struct qs *q, const char *const *known, const char *message,
    cJSON *fields)
{
	size_t	i, n;

	for (i = n = 0; i < q->n; i++) {
		if (qs_is_known(q->params[i].name, known) ||
		    cJSON_GetObjectItemCaseSensitive(fields,
		    q->params[i].name) != NULL)
			continue;
		if (cJSON_AddStringToObject(fields, q->params[i].name,
		    message) != NULL)
			n++;
	}
	return (n);
}

static int
qs_is_known(const char *name, const char *const *known)
{
	for (; *known != NULL; known++) {
		if (strcmp(name, *known) == 0)
			return (1);
	}
	return (0);
}

static int
qs_by_name(const void *a, const void *b)
{
	const struct qs_param	*const *x = a, *const *y = b;

	return (strcmp((*x)->name, (*y)->name));
}

static int
qs_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode `len` bytes of `s`: a new string, or NULL when not valid (a bad
 * escape, a control character, not UTF-8).
 */
static char *
qs_decode(const char *s, size_t len)
{
	char	*out;
	size_t	 i, o;
	int	 hi, lo, c;

	if ((out = malloc(len + 1)) == NULL)
		return (NULL);
	for (i = 0, o = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= len)
				goto bad;
			hi = qs_hexval((unsigned char)s[i + 1]);
			lo = qs_hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				goto bad;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			goto bad;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (text_utf8_length(out) == (size_t)-1)
		goto bad;
	return (out);
bad:
	free(out);
	return (NULL);
}
