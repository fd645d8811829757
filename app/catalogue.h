/*
 * catalogue: each worker's memory of the public catalogue's answers. The
 * catalogue is the busiest public read and changes rarely; a change made
 * through a worker forgets what that worker kept, so its author sees the
 * change at once (other workers within CATALOGUE_CACHE_MS). Shared by
 * the handlers that read the catalogue and those that change courses and
 * sessions. Kore-free.
 */
#ifndef PORTAL_CATALOGUE_H
#define PORTAL_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

/* How long a worker serves a catalogue answer from memory. */
#define CATALOGUE_CACHE_MS	2000

int	catalogue_cached(const char *, uint64_t, const char **, size_t *);
void	catalogue_keep(const char *, uint64_t, const char *, size_t);
void	catalogue_changed(void);

#endif /* !PORTAL_CATALOGUE_H */
