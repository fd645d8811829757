/*
 * cache: answers kept for `ttl` milliseconds under a key (the request's
 * query), in a table of CACHE_SLOTS slots addressed by the key's hash;
 * a newer answer for another key in the same slot replaces the older.
 * Keys longer than CACHE_KEY_MAX - 1 are not cached.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"

static size_t	cache_slot(const char *);

/* An empty cache whose answers live `ttl` milliseconds. */
void
cache_init(struct cache *c, uint64_t ttl)
{
	memset(c, 0, sizeof(*c));
	c->ttl = ttl;
}

/*
 * The answer stored for `key` if it is younger than the ttl at `now`:
 * 1 with `*data` (owned by the cache, valid until the next put) and
 * `*len`; else 0.
 */
int
cache_get(const struct cache *c, const char *key, uint64_t now,
    const char **data, size_t *len)
{
	const struct cache_entry	*e;

	if (strlen(key) >= CACHE_KEY_MAX)
		return (0);
	e = &c->slots[cache_slot(key)];
	if (e->data == NULL || strcmp(e->key, key) != 0 ||
	    now - e->stored >= c->ttl || now < e->stored)
		return (0);
	*data = e->data;
	*len = e->len;
	return (1);
}

/* Keep a copy of `len` bytes of `data` for `key`, stored at `now`. */
void
cache_put(struct cache *c, const char *key, uint64_t now, const char *data,
    size_t len)
{
	struct cache_entry	*e;
	char			*copy;

	if (strlen(key) >= CACHE_KEY_MAX || (copy = malloc(len + 1)) == NULL)
		return;
	memcpy(copy, data, len);
	copy[len] = '\0';
	e = &c->slots[cache_slot(key)];
	free(e->data);
	strcpy(e->key, key);
	e->data = copy;
	e->len = len;
	e->stored = now;
}

/* Forget every answer. */
void
cache_clear(struct cache *c)
{
	size_t	i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		free(c->slots[i].data);
		c->slots[i].data = NULL;
	}
}

/* FNV-1a of the key, folded to a slot. */
static size_t
cache_slot(const char *key)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return ((size_t)(h % CACHE_SLOTS));
}
