/*
 * catalogue: the per-worker cache of the catalogue's answers (cache.c),
 * and forgetting it when the programme changes. Kore-free.
 */
#include "cache.h"
#include "catalogue.h"

static struct cache	catalogue_cache = { .ttl = CATALOGUE_CACHE_MS };

/*
 * The answer kept for query `key` if younger than CATALOGUE_CACHE_MS at
 * `now` (ms): 1 with `*text` (owned by the cache, valid until the next
 * catalogue_keep() or catalogue_changed()) and `*len`; else 0.
 */
int
catalogue_cached(const char *key, uint64_t now, const char **text,
    size_t *len)
{
	return (cache_get(&catalogue_cache, key, now, text, len));
}

/* Keep answer `text` (`len` bytes, copied) for query `key` from `now`. */
void
catalogue_keep(const char *key, uint64_t now, const char *text, size_t len)
{
	cache_put(&catalogue_cache, key, now, text, len);
}

/* A course or session changed through this worker: forget every answer. */
void
catalogue_changed(void)
{
	cache_clear(&catalogue_cache);
}
