/*
 * password: Argon2id through libsodium's crypto_pwhash_str, at its
 * "interactive" limits (2 passes, 64 MiB), above OWASP's minimum for
 * Argon2id (2 passes, 19 MiB, 1 lane). The string it stores carries its
 * own parameters and salt.
 */
#include <string.h>

#include "password.h"

/*
 * Hash `password` into `out`. Returns 0, or -1 when out of memory (the
 * hash needs 64 MiB for a moment). sodium_init() must have run.
 */
int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (-1);
	return (0);
}

/* Whether `password` matches the stored `hash`: 1 yes, 0 no. */
int
password_verify(const char *hash, const char *password)
{
	return (crypto_pwhash_str_verify(hash, password,
	    strlen(password)) == 0);
}
