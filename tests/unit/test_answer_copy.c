/*
 * Unit tests of app/answer_copy.c: a worker's copies of kept report
 * answers, by key and version, within their bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "answer_copy.h"

Test(answer_copy, finds_a_key_with_the_version_it_is_of)
{
	const char	*version, *text;

	answer_copy_clear();
	cr_assert_null(answer_copy_find("annual|reader|{}", &version));
	cr_assert_null(version);
	answer_copy_put("annual|reader|{}", "901:(0,1)", "{\"a\":1}");
	text = answer_copy_find("annual|reader|{}", &version);
	cr_assert_str_eq(text, "{\"a\":1}");
	cr_assert_str_eq(version, "901:(0,1)");
	cr_assert_null(answer_copy_find("annual|coordinator|{}", &version),
	    "another key");
	/* A newer version replaces the copy. */
	answer_copy_put("annual|reader|{}", "950:(0,2)", "{\"a\":2}");
	text = answer_copy_find("annual|reader|{}", &version);
	cr_assert_str_eq(text, "{\"a\":2}");
	cr_assert_str_eq(version, "950:(0,2)");
	answer_copy_clear();
	cr_assert_null(answer_copy_find("annual|reader|{}", &version));
}

Test(answer_copy, keeps_at_most_its_number_forgetting_the_least_lately_used)
{
	const char	*version;
	char		 key[32];
	int		 i, kept;

	answer_copy_clear();
	for (i = 0; i < ANSWER_COPIES; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		answer_copy_put(key, "1", "{}");
	}
	/* k0 used again: k1 is now the least lately used. */
	cr_assert_not_null(answer_copy_find("k0", &version));
	answer_copy_put("one more", "1", "{}");
	cr_assert_not_null(answer_copy_find("k0", &version));
	cr_assert_null(answer_copy_find("k1", &version));
	cr_assert_not_null(answer_copy_find("one more", &version));
	for (kept = 0, i = 0; i < ANSWER_COPIES; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		kept += answer_copy_find(key, &version) != NULL;
	}
	cr_assert_eq(kept, ANSWER_COPIES - 1);
	answer_copy_clear();
}

Test(answer_copy, keeps_at_most_its_bytes)
{
	const char	*version;
	char		*big;
	size_t		 third;

	answer_copy_clear();
	third = ANSWER_COPY_BYTES / 3;
	cr_assert_not_null(big = malloc(ANSWER_COPY_BYTES + 2));
	memset(big, 'x', third);
	big[third] = '\0';
	answer_copy_put("a", "1", big);
	answer_copy_put("b", "1", big);
	answer_copy_put("c", "1", big);
	cr_assert_not_null(answer_copy_find("a", &version));
	/* A fourth third passes the bound: the least lately used (b) goes. */
	answer_copy_put("d", "1", big);
	cr_assert_null(answer_copy_find("b", &version));
	cr_assert_not_null(answer_copy_find("a", &version));
	cr_assert_not_null(answer_copy_find("c", &version));
	cr_assert_not_null(answer_copy_find("d", &version));
	/* An answer larger than the bound is not copied, and forgets none. */
	memset(big, 'x', ANSWER_COPY_BYTES + 1);
	big[ANSWER_COPY_BYTES + 1] = '\0';
	answer_copy_put("huge", "1", big);
	cr_assert_null(answer_copy_find("huge", &version));
	cr_assert_not_null(answer_copy_find("a", &version));
	/* Its older copy is forgotten all the same: it is not current. */
	answer_copy_put("a", "2", big);
	cr_assert_null(answer_copy_find("a", &version));
	free(big);
	answer_copy_clear();
}
