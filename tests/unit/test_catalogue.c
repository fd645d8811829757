/*
 * Unit tests of catalogue: an answer is served from memory for
 * CATALOGUE_CACHE_MS, and a change to the programme forgets it at once.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "catalogue.h"

#define NOW	1000000ULL

Test(catalogue, kept_answers_are_served_until_they_are_old)
{
	const char	*text;
	size_t		 len;

	catalogue_changed();
	cr_assert_not(catalogue_cached("topic=cse", NOW, &text, &len));
	catalogue_keep("topic=cse", NOW, "[1]", 3);
	cr_assert(catalogue_cached("topic=cse", NOW + CATALOGUE_CACHE_MS - 1,
	    &text, &len));
	cr_assert_eq(len, 3);
	cr_assert(memcmp(text, "[1]", 3) == 0);
	cr_assert_not(catalogue_cached("topic=fgm", NOW, &text, &len));
	cr_assert_not(catalogue_cached("topic=cse",
	    NOW + CATALOGUE_CACHE_MS + 1, &text, &len));
	catalogue_changed();
}

Test(catalogue, a_change_forgets_every_answer)
{
	const char	*text;
	size_t		 len;

	catalogue_keep("", NOW, "[]", 2);
	catalogue_keep("limit=5", NOW, "[2]", 3);
	catalogue_changed();
	cr_assert_not(catalogue_cached("", NOW, &text, &len));
	cr_assert_not(catalogue_cached("limit=5", NOW, &text, &len));
}
