/*
 * notes: sealing and opening case notes. A sealed note is
 * nonce || ciphertext-with-tag, carried as base64 (the database keeps the
 * bytes: decode($1, 'base64')). The associated data names the purpose and
 * the meeting and group the note belongs to, so that a value sealed with
 * the same key for something else, or a note moved to another meeting,
 * does not open. Notes sealed before that (with the purpose alone,
 * NOTES_SEAL_FIXED) are opened only to be sealed again for their meeting.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notes.h"

static int	 notes_ad(char *, size_t, int, long long, long long);
static char	*notes_seal_ad(const unsigned char *, const char *,
		    const char *, size_t);
static char	*notes_open_ad(const unsigned char *, const char *,
		    const char *, size_t);

#define NOTES_NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define NOTES_TAG_LEN	crypto_aead_xchacha20poly1305_ietf_ABYTES
/* The associated data of NOTES_SEAL_FIXED notes, and the start of the
 * NOTES_SEAL_MEETING notes' one. */
#define NOTES_AD_FIXED	"portal supervision case notes v1"
#define NOTES_AD_FMT	"portal supervision case notes v2 meeting %lld group %lld"
#define NOTES_B64	sodium_base64_VARIANT_ORIGINAL

/*
 * Read the key in the file `path` into `key` (NOTES_KEY_LEN bytes).
 * Returns 0, or -1 with the reason in `err`: the file cannot be read, is
 * readable or writable by others than its owner, or does not hold 64
 * hexadecimal digits.
 */
int
notes_key_load(const char *path, unsigned char *key, char *err, size_t errlen)
{
	struct stat	 st;
	char		 text[160];
	const char	*end;
	size_t		 len, bin;
	ssize_t		 n;
	int		 fd, ret;

	ret = -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a file", path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s may be read by others than its "
		    "owner: make it mode 0600", path);
		goto out;
	}
	if ((n = read(fd, text, sizeof(text) - 1)) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	text[n] = '\0';
	len = strlen(text);
	while (len > 0 && strchr(" \t\r\n", text[len - 1]) != NULL)
		text[--len] = '\0';
	if (len != NOTES_KEY_LEN * 2 || sodium_hex2bin(key, NOTES_KEY_LEN,
	    text, len, NULL, &bin, &end) != 0 || bin != NOTES_KEY_LEN ||
	    *end != '\0') {
		snprintf(err, errlen, "%s does not hold a key (64 "
		    "hexadecimal digits)", path);
		sodium_memzero(key, NOTES_KEY_LEN);
		goto out;
	}
	ret = 0;
out:
	sodium_memzero(text, sizeof(text));
	close(fd);
	return (ret);
}

/*
 * The associated data of a note of `meeting` in `group` sealed the way
 * `version` says, into `buf`: its length, or 0 (unknown version, or an
 * id not above 0).
 */
static int
notes_ad(char *buf, size_t len, int version, long long meeting,
    long long group)
{
	int	n;

	if (version == NOTES_SEAL_FIXED)
		n = snprintf(buf, len, "%s", NOTES_AD_FIXED);
	else if (version == NOTES_SEAL_MEETING && meeting > 0 && group > 0)
		n = snprintf(buf, len, NOTES_AD_FMT, meeting, group);
	else
		return (0);
	return (n > 0 && (size_t)n < len ? n : 0);
}

/*
 * Seal `text` under `key` for meeting `meeting` of group `group`: a new
 * string of base64 that the caller frees with free(), or NULL (out of
 * memory, longer than NOTES_MAX, or an id not above 0).
 */
char *
notes_seal(const unsigned char *key, long long meeting, long long group,
    const char *text)
{
	char	ad[NOTES_AD_MAX];
	int	adlen;

	if ((adlen = notes_ad(ad, sizeof(ad), NOTES_SEAL_MEETING, meeting,
	    group)) == 0)
		return (NULL);
	return (notes_seal_ad(key, text, ad, (size_t)adlen));
}

/*
 * Open a note sealed for meeting `meeting` of group `group` (base64; line
 * breaks ignored, as PostgreSQL's encode() writes them): a new string the
 * caller frees with free(), or NULL when it does not open under `key`
 * (wrong key, altered, sealed for another meeting or group, or sealed
 * the old way: see notes_reseal()).
 */
char *
notes_open(const unsigned char *key, long long meeting, long long group,
    const char *sealed)
{
	char	ad[NOTES_AD_MAX];
	int	adlen;

	if ((adlen = notes_ad(ad, sizeof(ad), NOTES_SEAL_MEETING, meeting,
	    group)) == 0)
		return (NULL);
	return (notes_open_ad(key, sealed, ad, (size_t)adlen));
}

/*
 * Seal again for meeting `meeting` of group `group` a note sealed the
 * old way (NOTES_SEAL_FIXED): the new sealed note (caller frees with
 * free()), or NULL when `sealed` does not open as such a note. The text
 * is wiped from memory before returning.
 */
char *
notes_reseal(const unsigned char *key, long long meeting, long long group,
    const char *sealed)
{
	char	*text, *out;

	if (meeting <= 0 || group <= 0)
		return (NULL);
	if ((text = notes_open_ad(key, sealed, NOTES_AD_FIXED,
	    sizeof(NOTES_AD_FIXED) - 1)) == NULL)
		return (NULL);
	out = notes_seal(key, meeting, group, text);
	sodium_memzero(text, strlen(text));
	free(text);
	return (out);
}

static char *
notes_seal_ad(const unsigned char *key, const char *text, const char *ad,
    size_t adlen)
{
	unsigned char		*box;
	unsigned long long	 boxlen;
	size_t			 len, b64len;
	char			*out;

	len = strlen(text);
	if (len > NOTES_MAX)
		return (NULL);
	if ((box = malloc(NOTES_NONCE_LEN + len + NOTES_TAG_LEN)) == NULL)
		return (NULL);
	randombytes_buf(box, NOTES_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + NOTES_NONCE_LEN,
	    &boxlen, (const unsigned char *)text, len,
	    (const unsigned char *)ad, adlen, NULL, box, key);
	b64len = sodium_base64_ENCODED_LEN(NOTES_NONCE_LEN + boxlen,
	    NOTES_B64);
	if ((out = malloc(b64len)) != NULL)
		sodium_bin2base64(out, b64len, box, NOTES_NONCE_LEN + boxlen,
		    NOTES_B64);
	free(box);
	return (out);
}

static char *
notes_open_ad(const unsigned char *key, const char *sealed, const char *ad,
    size_t adlen)
{
	unsigned char		*box;
	unsigned long long	 len;
	size_t			 max, boxlen;
	char			*text;

	max = strlen(sealed);
	if ((box = malloc(max + 1)) == NULL)
		return (NULL);
	text = NULL;
	if (sodium_base642bin(box, max + 1, sealed, max, "\r\n", &boxlen,
	    NULL, NOTES_B64) != 0 ||
	    boxlen < NOTES_NONCE_LEN + NOTES_TAG_LEN)
		goto out;
	if ((text = malloc(boxlen - NOTES_NONCE_LEN - NOTES_TAG_LEN + 1)) ==
	    NULL)
		goto out;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)text,
	    &len, NULL, box + NOTES_NONCE_LEN, boxlen - NOTES_NONCE_LEN,
	    (const unsigned char *)ad, adlen, box, key) != 0) {
		free(text);
		text = NULL;
		goto out;
	}
	text[len] = '\0';
out:
	free(box);
	return (text);
}
