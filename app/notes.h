/*
 * notes: case notes of DSL group supervision, sealed at rest with
 * libsodium (XChaCha20-Poly1305, a random nonce per note) under a key
 * read from a file, so that a dump of the database alone does not reveal
 * them. Kore-free.
 *
 * The key file holds the 32-byte key as 64 hexadecimal digits (white
 * space around them allowed) and must be readable by its owner only
 * (mode 0600 or 0400).
 */
#ifndef PORTAL_NOTES_H
#define PORTAL_NOTES_H

#include <stddef.h>

#include <sodium.h>

#define NOTES_KEY_LEN	crypto_aead_xchacha20poly1305_ietf_KEYBYTES
/* Longest case notes, in bytes. */
#define NOTES_MAX	20000

int	 notes_key_load(const char *, unsigned char *, char *, size_t);
char	*notes_seal(const unsigned char *, const char *);
char	*notes_open(const unsigned char *, const char *);

#endif /* !PORTAL_NOTES_H */
