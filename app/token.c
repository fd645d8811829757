/*
 * token: 256-bit random tokens from libsodium's CSPRNG; what is stored is
 * their BLAKE2b hash, so a copy of the database opens no session.
 */
#include <string.h>

#include <sodium.h>

#include "token.h"

/* A fresh token into `out`. sodium_init() must have run. */
void
token_new(char out[TOKEN_LEN])
{
	unsigned char	raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/*
 * The hash of token `t` as hex into `out`. Returns 0, or -1 when `t` is
 * not shaped like a token (then nothing could match it).
 */
int
token_hash(const char *t, char out[TOKEN_HASH_LEN])
{
	unsigned char	h[32];
	size_t		i, len;

	len = strlen(t);
	if (len != TOKEN_LEN - 1)
		return (-1);
	for (i = 0; i < len; i++) {
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' &&
		    t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') ||
		    t[i] == '-' || t[i] == '_'))
			return (-1);
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)t, len,
	    NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_LEN, h, sizeof(h));
	return (0);
}

/* Whether two strings are equal, in time independent of where they differ. */
int
token_equal(const char *a, const char *b)
{
	size_t	la, lb;

	la = strlen(a);
	lb = strlen(b);
	if (la != lb || la == 0)
		return (0);
	return (sodium_memcmp(a, b, la) == 0);
}
