/*
 * field: read the members of a JSON body the same way everywhere. A
 * number that is an id is whole and within what a double holds exactly
 * (1 to 2^53 - 1): 1.9, 1e300 and "7" are not ids. Kore-free.
 */
#ifndef PORTAL_FIELD_H
#define PORTAL_FIELD_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* The largest id a JSON number carries exactly. */
#define FIELD_ID_MAX	9007199254740991LL

int	field_whole(const cJSON *, long long, long long, long long *);
int	field_id(const cJSON *, long long *);
int	field_text_wrong(const cJSON *, char *, size_t);

#endif /* !PORTAL_FIELD_H */
