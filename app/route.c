/*
 * route: read "/prefix/{id}/rest" paths.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

/*
 * When `path` is `prefix` followed by a decimal id (1 to 2^53) and then
 * either the end or a "/", store the id in `*id`, point `*rest` (may be
 * NULL) at what follows the id ("" or "/..."), and return 0; else -1.
 */
int
route_id(const char *path, const char *prefix, long long *id,
    const char **rest)
{
	const char	*p;
	char		*end;
	long long	 v;
	size_t		 len;

	len = strlen(prefix);
	if (strncmp(path, prefix, len) != 0)
		return (-1);
	p = path + len;
	if (*p < '1' || *p > '9')
		return (-1);
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0 || v > 9007199254740991LL || (*end != '\0' &&
	    *end != '/'))
		return (-1);
	*id = v;
	if (rest != NULL)
		*rest = end;
	return (0);
}
