/*
 * Unit tests of app/cache.c: answers kept for a while under their key.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cache.h"

Test(cache, keeps_an_answer_for_its_ttl)
{
	static struct cache	c;
	const char		*data;
	size_t			 len;

	cache_init(&c, 2000);
	cr_assert_eq(cache_get(&c, "limit=20", 1000, &data, &len), 0);
	cache_put(&c, "limit=20", 1000, "{\"a\":1}", 7);
	cr_assert_eq(cache_get(&c, "limit=20", 2999, &data, &len), 1);
	cr_assert_eq(len, 7);
	cr_assert_eq(memcmp(data, "{\"a\":1}", 7), 0);
	cr_assert_eq(cache_get(&c, "limit=20", 3000, &data, &len), 0, "expired");
	cr_assert_eq(cache_get(&c, "limit=21", 1500, &data, &len), 0, "other key");
	cr_assert_eq(cache_get(&c, "limit=20", 999, &data, &len), 0, "clock back");
	cache_put(&c, "limit=20", 5000, "{}", 2);
	cr_assert_eq(cache_get(&c, "limit=20", 5001, &data, &len), 1);
	cr_assert_eq(len, 2);
	cache_clear(&c);
	cr_assert_eq(cache_get(&c, "limit=20", 5001, &data, &len), 0);
}

Test(cache, many_keys_and_long_keys)
{
	static struct cache	c;
	char			 key[32], longkey[400];
	const char		*data;
	size_t			 len, i, hits;

	cache_init(&c, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "offset=%zu", i);
		cache_put(&c, key, 10, key, strlen(key));
	}
	hits = 0;
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "offset=%zu", i);
		if (cache_get(&c, key, 11, &data, &len)) {
			cr_assert_str_eq(data, key, "never another key's answer");
			hits++;
		}
	}
	cr_assert(hits > 0 && hits <= CACHE_SLOTS);
	memset(longkey, 'x', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	cache_put(&c, longkey, 10, "a", 1);
	cr_assert_eq(cache_get(&c, longkey, 11, &data, &len), 0);
	cache_clear(&c);
}
