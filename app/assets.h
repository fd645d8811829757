/*
 * assets: the web pages and their static files, read into memory once.
 * Kore-free: the handlers in h_pages.c serve what this module holds.
 */
#ifndef PORTAL_ASSETS_H
#define PORTAL_ASSETS_H

#include <stddef.h>

struct asset {
	char		*path;		/* relative to the loaded folder */
	unsigned char	*data;
	size_t		 len;
	const char	*type;		/* media type, static string */
	char		 etag[35];	/* "quoted" hash of the content */
};

struct assets {
	struct asset	*files;
	size_t		 n;
};

int			 assets_load(struct assets *, const char *);
void			 assets_free(struct assets *);
const struct asset	*assets_find(const struct assets *, const char *);
const char		*assets_type(const char *);

#endif /* !PORTAL_ASSETS_H */
