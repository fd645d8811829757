/*
 * token: the random secrets the portal hands out (session cookies, CSRF
 * tokens, reset links) and the hashes it keeps of them instead. Kore-free.
 */
#ifndef PORTAL_TOKEN_H
#define PORTAL_TOKEN_H

#include <stddef.h>

/* 32 random bytes, base64url without padding: 43 characters + NUL. */
#define TOKEN_LEN	44
/* Hex of a 32-byte BLAKE2b hash: 64 characters + NUL. */
#define TOKEN_HASH_LEN	65

void	token_new(char [TOKEN_LEN]);
int	token_hash(const char *, char [TOKEN_HASH_LEN]);
int	token_equal(const char *, const char *);

#endif /* !PORTAL_TOKEN_H */
