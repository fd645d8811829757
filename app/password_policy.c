/*
 * password_policy: length in characters (not bytes), and refusal of the
 * most common passwords, including the usual disguises of a common word:
 * digits or symbols stuck on the end ("password1234!"), and a word said
 * twice ("monkeymonkey"). Lists are plain text, one password a line;
 * lines starting "#!" are comments (the format of john-data's list).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "password_policy.h"
#include "text.h"

static int	policy_cmp(const void *, const void *);
static int	policy_has(const struct password_policy *, const char *);

/*
 * Add the passwords listed in the file at `path` to `p` (zeroed before
 * the first load). Returns 0, or -1 when the file cannot be read. `p`
 * owns its copies: release with password_policy_free().
 */
int
password_policy_load(struct password_policy *p, const char *path)
{
	FILE	*fp;
	char	 line[256], **grown;
	size_t	 len, i;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "#!", 2) == 0)
			continue;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0)
			continue;
		for (i = 0; i < len; i++)
			line[i] = (char)tolower((unsigned char)line[i]);
		if ((grown = realloc(p->common, (p->n + 1) *
		    sizeof(*grown))) == NULL)
			break;
		p->common = grown;
		if ((p->common[p->n] = strdup(line)) == NULL)
			break;
		p->n++;
	}
	fclose(fp);
	qsort(p->common, p->n, sizeof(*p->common), policy_cmp);
	return (0);
}

/* Release the lists. */
void
password_policy_free(struct password_policy *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->common[i]);
	free(p->common);
	p->common = NULL;
	p->n = 0;
}

/*
 * NULL when `pw` is an acceptable new password, else what is wrong with
 * it, in words for the person choosing it (a static string).
 */
const char *
password_policy_check(const struct password_policy *p, const char *pw)
{
	char	 low[4 * PASSWORD_MAX_CHARS + 1];
	size_t	 chars, len, half;

	chars = text_utf8_length(pw);
	if (chars == (size_t)-1)
		return ("Your password contains characters we cannot read.");
	if (chars < PASSWORD_MIN_CHARS)
		return ("Your password must be 12 characters or more.");
	if (chars > PASSWORD_MAX_CHARS)
		return ("Your password must be 128 characters or fewer.");

	len = strlen(pw);
	for (half = 0; half < len; half++)
		low[half] = (char)tolower((unsigned char)pw[half]);
	low[len] = '\0';
	if (policy_has(p, low))
		return ("This is a commonly used password. Choose another.");

	/* A common word with digits or symbols stuck on the end. */
	while (len > 0 && !isalpha((unsigned char)low[len - 1]) &&
	    !((unsigned char)low[len - 1] & 0x80))
		low[--len] = '\0';
	if (len == 0 || policy_has(p, low))
		return ("This is a commonly used password. Choose another.");

	/* A common word, or any, said twice. */
	half = len / 2;
	if (len % 2 == 0 && memcmp(low, low + half, half) == 0) {
		low[half] = '\0';
		if (policy_has(p, low) || half < PASSWORD_MIN_CHARS / 2)
			return ("This is a commonly used password. "
			    "Choose another.");
	}
	return (NULL);
}

static int
policy_has(const struct password_policy *p, const char *s)
{
	return (p->n > 0 && bsearch(&s, p->common, p->n, sizeof(*p->common),
	    policy_cmp) != NULL);
}

static int
policy_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}
