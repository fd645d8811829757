/*
 * assets: read a folder of web files (pages, CSS, JS, images) into memory
 * at start-up so that workers serve them without touching the disk, each
 * with its media type and an ETag. Kore serves files with `filemap`, but
 * its answers cannot carry the portal's security headers.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "assets.h"

#define ASSETS_MAX_DEPTH	8
#define ASSETS_MAX_FILE		(8 * 1024 * 1024)

static int	assets_walk(struct assets *, const char *, const char *, int);
static int	assets_add(struct assets *, const char *, const char *);
static int	assets_cmp(const void *, const void *);

static const struct {
	const char	*ext;
	const char	*type;
} assets_types[] = {
	{ ".html",	"text/html; charset=utf-8" },
	{ ".css",	"text/css; charset=utf-8" },
	{ ".js",	"text/javascript; charset=utf-8" },
	{ ".mjs",	"text/javascript; charset=utf-8" },
	{ ".json",	"application/json" },
	{ ".map",	"application/json" },
	{ ".svg",	"image/svg+xml" },
	{ ".png",	"image/png" },
	{ ".ico",	"image/x-icon" },
	{ ".woff2",	"font/woff2" },
	{ ".txt",	"text/plain; charset=utf-8" },
	{ NULL,		NULL }
};

/*
 * Load every regular file under `dir` into `out` (which it owns after;
 * release with assets_free()). Hidden files are skipped. Returns 0, or -1
 * when the folder cannot be read (then `out` holds nothing).
 */
int
assets_load(struct assets *out, const char *dir)
{
	out->files = NULL;
	out->n = 0;
	if (assets_walk(out, dir, "", 0) == -1) {
		assets_free(out);
		return (-1);
	}
	qsort(out->files, out->n, sizeof(out->files[0]), assets_cmp);
	return (0);
}

/* Release what assets_load() read. */
void
assets_free(struct assets *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->files[i].path);
		free(a->files[i].data);
	}
	free(a->files);
	a->files = NULL;
	a->n = 0;
}

/* The file at relative `path`, or NULL. Never matches "..". */
const struct asset *
assets_find(const struct assets *a, const char *path)
{
	struct asset	key;

	if (a->n == 0 || strstr(path, "..") != NULL)
		return (NULL);
	key.path = (char *)path;
	return (bsearch(&key, a->files, a->n, sizeof(a->files[0]),
	    assets_cmp));
}

/* The media type for a file name, by extension. */
const char *
assets_type(const char *name)
{
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(name, '.')) != NULL) {
		for (i = 0; assets_types[i].ext != NULL; i++) {
			if (strcmp(dot, assets_types[i].ext) == 0)
				return (assets_types[i].type);
		}
	}
	return ("application/octet-stream");
}

static int
assets_walk(struct assets *a, const char *dir, const char *rel, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 full[4096], sub[4096];
	int		 ret;

	if (depth > ASSETS_MAX_DEPTH)
		return (-1);
	if ((d = opendir(dir)) == NULL)
		return (-1);

	ret = -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir,
		    de->d_name) >= sizeof(full))
			goto out;
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel,
		    rel[0] ? "/" : "", de->d_name) >= sizeof(sub))
			goto out;
		if (stat(full, &st) == -1)
			goto out;
		if (S_ISDIR(st.st_mode)) {
			if (assets_walk(a, full, sub, depth + 1) == -1)
				goto out;
		} else if (S_ISREG(st.st_mode)) {
			if (assets_add(a, full, sub) == -1)
				goto out;
		}
	}
	ret = 0;
out:
	closedir(d);
	return (ret);
}

static int
assets_add(struct assets *a, const char *full, const char *rel)
{
	FILE		*fp;
	struct asset	*grown, *f;
	unsigned char	*data, hash[16];
	long		 len;
	int		 ret;

	ret = -1;
	data = NULL;
	if ((fp = fopen(full, "rb")) == NULL)
		return (-1);
	if (fseek(fp, 0, SEEK_END) == -1 || (len = ftell(fp)) < 0 ||
	    len > ASSETS_MAX_FILE || fseek(fp, 0, SEEK_SET) == -1)
		goto out;
	if ((data = malloc((size_t)len + 1)) == NULL)
		goto out;
	if (len > 0 && fread(data, 1, (size_t)len, fp) != (size_t)len)
		goto out;
	if ((grown = realloc(a->files, (a->n + 1) * sizeof(*grown))) == NULL)
		goto out;
	a->files = grown;
	f = &a->files[a->n];
	if ((f->path = strdup(rel)) == NULL)
		goto out;
	crypto_generichash(hash, sizeof(hash), data, (size_t)len, NULL, 0);
	f->etag[0] = '"';
	sodium_bin2hex(f->etag + 1, sizeof(f->etag) - 2, hash, sizeof(hash));
	f->etag[33] = '"';
	f->etag[34] = '\0';
	f->data = data;
	f->len = (size_t)len;
	f->type = assets_type(rel);
	a->n++;
	data = NULL;
	ret = 0;
out:
	free(data);
	fclose(fp);
	return (ret);
}

static int
assets_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct asset *)a)->path,
	    ((const struct asset *)b)->path));
}
