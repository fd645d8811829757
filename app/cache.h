/*
 * cache: a small per-worker cache of answers for a short time, for the
 * public catalogue that everyone reads and coordinators rarely change.
 * Kore-free.
 */
#ifndef PORTAL_CACHE_H
#define PORTAL_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define CACHE_SLOTS	128
#define CACHE_KEY_MAX	256

struct cache_entry {
	char		 key[CACHE_KEY_MAX];
	char		*data;
	size_t		 len;
	uint64_t	 stored;		/* ms */
};

struct cache {
	struct cache_entry	slots[CACHE_SLOTS];
	uint64_t		ttl;		/* ms */
};

void	cache_init(struct cache *, uint64_t);
int	cache_get(const struct cache *, const char *, uint64_t, const char **,
	    size_t *);
void	cache_put(struct cache *, const char *, uint64_t, const char *,
	    size_t);
void	cache_clear(struct cache *);

#endif /* !PORTAL_CACHE_H */
