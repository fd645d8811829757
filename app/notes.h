/*
 * notes: case notes of DSL group supervision, sealed at rest with
 * libsodium (XChaCha20-Poly1305, a random nonce per note) under a key
 * read from a file, so that a dump of the database alone does not reveal
 * them. A note is bound to its meeting and group: moved to another
 * meeting, it does not open. Kore-free.
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
/* Longest associated data of a note. */
#define NOTES_AD_MAX	128

/*
 * How a note was sealed (supervision_sessions.case_notes_seal): with a
 * fixed associated data (opened only by notes_reseal()), or with one
 * naming its meeting and group.
 */
#define NOTES_SEAL_FIXED	1
#define NOTES_SEAL_MEETING	2

int	 notes_key_load(const char *, unsigned char *, char *, size_t);
char	*notes_seal(const unsigned char *, long long, long long, const char *);
char	*notes_open(const unsigned char *, long long, long long, const char *);
char	*notes_reseal(const unsigned char *, long long, long long,
	    const char *);

#endif /* !PORTAL_NOTES_H */
