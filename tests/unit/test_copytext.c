/*
 * Unit tests of app/copytext.c: rows in PostgreSQL's COPY text format.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "copytext.h"

Test(copytext, fields_escaped_and_null_as_backslash_n)
{
	struct copytext	c;

	copytext_init(&c);
	copytext_field(&c, "a\tb");
	copytext_field(&c, "two\nlines\r");
	copytext_field(&c, "C:\\new\\N");
	copytext_field(&c, NULL);
	copytext_field(&c, "");
	copytext_field(&c, "\\N");
	copytext_end_row(&c);
	copytext_number(&c, 42);
	copytext_field_as(&c, "Ab-c\\", COPYTEXT_UPPER);
	copytext_field_as(&c, "Ann@X.Example", COPYTEXT_LOWER);
	copytext_field(&c, "\"quoted\", 'twice'");
	copytext_end_row(&c);
	/* A tab, line feed, carriage return and backslash escaped; a NULL
	 * field \N, an empty one empty, the text \N not taken for NULL. */
	cr_assert_str_eq(c.data,
	    "a\\tb\ttwo\\nlines\\r\tC:\\\\new\\\\N\t\\N\t\t\\\\N\n"
	    "42\tAB-C\\\\\tann@x.example\t\"quoted\", 'twice'\n");
	cr_assert_eq(c.len, strlen(c.data));
	cr_assert_eq(c.rows, 2);
	cr_assert_eq(c.failed, 0);
	copytext_free(&c);
	cr_assert_null(c.data);
	cr_assert_eq(c.len, 0);
}

Test(copytext, grows_past_its_first_block)
{
	struct copytext	c;
	char		field[1000];
	size_t		i;

	memset(field, '\\', sizeof(field) - 1);
	field[sizeof(field) - 1] = '\0';
	copytext_init(&c);
	for (i = 0; i < 100; i++) {
		copytext_field(&c, field);
		copytext_end_row(&c);
	}
	cr_assert_eq(c.rows, 100);
	cr_assert_eq(c.len, 100 * (2 * 999 + 1));
	cr_assert_eq(c.data[c.len - 1], '\n');
	cr_assert_eq(c.data[c.len], '\0');
	copytext_free(&c);
}

Test(copytext, empty)
{
	struct copytext	c;

	copytext_init(&c);
	cr_assert_eq(c.len, 0);
	cr_assert_eq(c.rows, 0);
	copytext_free(&c);
}
