/*
 * password: hashing and checking account passwords (Argon2id, libsodium).
 * Kore-free.
 */
#ifndef PORTAL_PASSWORD_H
#define PORTAL_PASSWORD_H

#include <sodium.h>

#define PASSWORD_HASH_MAX	crypto_pwhash_STRBYTES

int	password_hash(const char *, char [PASSWORD_HASH_MAX]);
int	password_verify(const char *, const char *);

#endif /* !PORTAL_PASSWORD_H */
