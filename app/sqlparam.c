/*
 * sqlparam: values written as SQL text parameters. Kore-free.
 */
#include <stdio.h>

#include "sqlparam.h"

/* Write id `id` into `buf` as a text parameter (for $n::bigint); returns
 * `buf`. */
const char *
sqlparam_id(char buf[SQLPARAM_ID_LEN], long long id)
{
	snprintf(buf, SQLPARAM_ID_LEN, "%lld", id);
	return (buf);
}
