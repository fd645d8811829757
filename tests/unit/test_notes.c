/*
 * Unit tests of notes: case notes sealed and opened with libsodium, bound
 * to their meeting and group, notes sealed the old way sealed again, and
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

	a = notes_seal(key, 7, 3, text);
	b = notes_seal(key, 7, 3, text);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_null(strstr(a, "referral"));
	/* A fresh nonce each time: the same note seals differently. */
	cr_expect_str_neq(a, b);
	open = notes_open(key, 7, 3, a);
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
	sealed = notes_seal(key, 7, 3, "a note");
	cr_assert_not_null(sealed);
	cr_expect_null(notes_open(other, 7, 3, sealed));
	mid = strlen(sealed) / 2;
	sealed[mid] = sealed[mid] == 'A' ? 'B' : 'A';
	cr_expect_null(notes_open(key, 7, 3, sealed));
	cr_expect_null(notes_open(key, 7, 3, "bm90IGEgbm90ZQ=="));
	cr_expect_null(notes_open(key, 7, 3, "***"));
	free(sealed);
}

Test(notes, empty_and_too_long_notes)
{
	char	*sealed, *open, *big;

	sealed = notes_seal(key, 7, 3, "");
	cr_assert_not_null(sealed);
	open = notes_open(key, 7, 3, sealed);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, "");
	free(open);
	free(sealed);
	big = malloc(NOTES_MAX + 2);
	memset(big, 'x', NOTES_MAX + 1);
	big[NOTES_MAX + 1] = '\0';
	cr_expect_null(notes_seal(key, 7, 3, big));
	free(big);
}

Test(notes, line_breaks_in_base64_are_ignored)
{
	char	*sealed, *broken, *open;
	size_t	 i, j, len;

	sealed = notes_seal(key, 7, 3, "a note long enough to wrap across lines");
	cr_assert_not_null(sealed);
	len = strlen(sealed);
	broken = malloc(len * 2 + 1);
	for (i = j = 0; i < len; i++) {
		broken[j++] = sealed[i];
		if (i % 20 == 19)
			broken[j++] = '\n';
	}
	broken[j] = '\0';
	open = notes_open(key, 7, 3, broken);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, "a note long enough to wrap across lines");
	free(open);
	free(broken);
	free(sealed);
}

/* A note sealed the old way: a fixed associated data, no meeting. */
static char *
seal_fixed(const char *text)
{
	static const char	 ad[] = "portal supervision case notes v1";
	unsigned char		*box;
	unsigned long long	 boxlen;
	size_t			 len, b64len;
	char			*out;

	len = strlen(text);
	box = malloc(24 + len + 16);
	randombytes_buf(box, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + 24, &boxlen,
	    (const unsigned char *)text, len, (const unsigned char *)ad,
	    sizeof(ad) - 1, NULL, box, key);
	b64len = sodium_base64_ENCODED_LEN(24 + boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	out = malloc(b64len);
	sodium_bin2base64(out, b64len, box, 24 + boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	free(box);
	return (out);
}

Test(notes, a_note_opens_only_at_its_meeting_and_group)
{
	char	*sealed, *open;

	sealed = notes_seal(key, 41, 5, "notes of meeting 41");
	cr_assert_not_null(sealed);
	open = notes_open(key, 41, 5, sealed);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, "notes of meeting 41");
	free(open);
	/* Moved to another meeting, another group, or both: it stays shut. */
	cr_expect_null(notes_open(key, 42, 5, sealed));
	cr_expect_null(notes_open(key, 41, 6, sealed));
	cr_expect_null(notes_open(key, 42, 6, sealed));
	/* Ids that run together ("4 15" and "41 5") do not meet. */
	cr_expect_null(notes_open(key, 4, 15, sealed));
	cr_expect_null(notes_open(key, 0, 5, sealed));
	cr_expect_null(notes_seal(key, 0, 5, "no meeting"));
	cr_expect_null(notes_seal(key, 41, -1, "no group"));
	free(sealed);
}

Test(notes, a_note_sealed_the_old_way_is_sealed_again_for_its_meeting)
{
	unsigned char	 other[NOTES_KEY_LEN];
	char		*old, *again, *open;

	old = seal_fixed("an old note");
	/* Not opened as it is: its meeting is not in it. */
	cr_expect_null(notes_open(key, 41, 5, old));
	again = notes_reseal(key, 41, 5, old);
	cr_assert_not_null(again);
	open = notes_open(key, 41, 5, again);
	cr_assert_not_null(open);
	cr_expect_str_eq(open, "an old note");
	free(open);
	cr_expect_null(notes_open(key, 42, 5, again));
	/* Only old notes are sealed again: a bound note, a wrong key or an
	 * altered note give nothing. */
	cr_expect_null(notes_reseal(key, 42, 5, again));
	crypto_aead_xchacha20poly1305_ietf_keygen(other);
	cr_expect_null(notes_reseal(other, 41, 5, old));
	old[10] = old[10] == 'A' ? 'B' : 'A';
	cr_expect_null(notes_reseal(key, 41, 5, old));
	free(again);
	free(old);
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
