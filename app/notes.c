/*
 * notes: sealing and opening case notes. A sealed note is
 * nonce || ciphertext-with-tag, carried as base64 (the database keeps the
 * bytes: decode($1, 'base64')). The associated data names the purpose, so
 * a value sealed with the same key for something else does not open here.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notes.h"

#define NOTES_NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define NOTES_TAG_LEN	crypto_aead_xchacha20poly1305_ietf_ABYTES
#define NOTES_AD	"portal supervision case notes v1"
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
 * Seal `text` under `key`: a new string of base64 that the caller frees
 * with free(), or NULL (out of memory, or longer than NOTES_MAX).
 */
char *
notes_seal(const unsigned char *key, const char *text)
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
	    (const unsigned char *)NOTES_AD, sizeof(NOTES_AD) - 1, NULL, box,
	    key);
	b64len = sodium_base64_ENCODED_LEN(NOTES_NONCE_LEN + boxlen,
	    NOTES_B64);
	if ((out = malloc(b64len)) != NULL)
		sodium_bin2base64(out, b64len, box, NOTES_NONCE_LEN + boxlen,
		    NOTES_B64);
	free(box);
	return (out);
}

/*
 * Open a sealed note (base64; line breaks ignored, as PostgreSQL's
 * encode() writes them): a new string the caller frees with free(), or
 * NULL when it does not open under `key` (wrong key, altered, not a note).
 */
char *
notes_open(const unsigned char *key, const char *sealed)
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
	    (const unsigned char *)NOTES_AD, sizeof(NOTES_AD) - 1, box,
	    key) != 0) {
		free(text);
		text = NULL;
		goto out;
	}
	text[len] = '\0';
out:
	free(box);
	return (text);
}
