/*
 * Unit tests of notes: case notes sealed and opened with libsodium, and
 * the key file's checks.
 */
#include <criterion/criterion.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notes.h"

static unsigned char	key[NOTES_KEY_LEN];

static void
setup(void)
{
	cr_assert_neq(sodium_init(), -1);
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

TestSuite(notes, .init = setup);

Test(notes, sealed_notes_open_and_hide_the_text)
{
	const char	*text = "Discussed a referral; agreed to escalate.\n"
			    "Second line, accents: é ü.";
	char		*a, *b, *open;

	a = notes_seal(key, text);
	b = notes_seal(key, text);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_null(strstr(a, "referral"));
	/* A fresh nonce each time: the same note seals differently. */
	cr_expect_str_neq(a, b);
	open = notes_open(key, a);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, text);
	free(open);
	free(a);
	free(b);
}

Test(notes, the_wrong_key_or_an_altered_note_does_not_open)
{
	unsigned char	 other[NOTES_KEY_LEN];
	char		*sealed;
	size_t		 mid;

	crypto_aead_xchacha20poly1305_ietf_keygen(other);
	sealed = notes_seal(key, "a note");
	cr_assert_not_null(sealed);
	cr_expect_null(notes_open(other, sealed));
	mid = strlen(sealed) / 2;
	sealed[mid] = sealed[mid] == 'A' ? 'B' : 'A';
	cr_expect_null(notes_open(key, sealed));
	cr_expect_null(notes_open(key, "bm90IGEgbm90ZQ=="));
	cr_expect_null(notes_open(key, "***"));
	free(sealed);
}

Test(notes, empty_and_too_long_notes)
{
	char	*sealed, *open, *big;

	sealed = notes_seal(key, "");
	cr_assert_not_null(sealed);
	open = notes_open(key, sealed);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, "");
	free(open);
	free(sealed);
	big = malloc(NOTES_MAX + 2);
	memset(big, 'x', NOTES_MAX + 1);
	big[NOTES_MAX + 1] = '\0';
	cr_expect_null(notes_seal(key, big));
	free(big);
}

Test(notes, line_breaks_in_base64_are_ignored)
{
	char	*sealed, *broken, *open;
	size_t	 i, j, len;

	sealed = notes_seal(key, "a note long enough to wrap across lines");
	cr_assert_not_null(sealed);
	len = strlen(sealed);
	broken = malloc(len * 2 + 1);
	for (i = j = 0; i < len; i++) {
		broken[j++] = sealed[i];
		if (i % 20 == 19)
			broken[j++] = '\n';
	}
	broken[j] = '\0';
	open = notes_open(key, broken);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, "a note long enough to wrap across lines");
	free(open);
	free(broken);
	free(sealed);
}

static char *
key_file(const char *content, mode_t mode)
{
	char	*path;
	FILE	*f;

	path = strdup("/tmp/portal-notes-key.XXXXXX");
	cr_assert_neq(mkstemp(path), -1);
	f = fopen(path, "w");
	fputs(content, f);
	fclose(f);
	chmod(path, mode);
	return (path);
}

Test(notes, the_key_file_must_be_private_and_hold_a_key)
{
	unsigned char	 k[NOTES_KEY_LEN];
	char		 hex[NOTES_KEY_LEN * 2 + 2], err[256], *path;

	sodium_bin2hex(hex, sizeof(hex), key, NOTES_KEY_LEN);
	strcat(hex, "\n");

	path = key_file(hex, 0600);
	cr_expect_eq(notes_key_load(path, k, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(memcmp(k, key, NOTES_KEY_LEN), 0);
	chmod(path, 0644);
	cr_expect_eq(notes_key_load(path, k, err, sizeof(err)), -1);
	cr_expect_not_null(strstr(err, "0600"));
	unlink(path);
	free(path);

	path = key_file("0123456789abcdef\n", 0600);
	cr_expect_eq(notes_key_load(path, k, err, sizeof(err)), -1);
	cr_expect_not_null(strstr(err, "64 hexadecimal"));
	unlink(path);
	free(path);

	cr_expect_eq(notes_key_load("/nonexistent/key", k, err,
	    sizeof(err)), -1);
}
