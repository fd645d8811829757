/*
 * Unit tests of app/assets.c: reading a folder of web files into memory.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "assets.h"

static char	dir[64];

static void
write_file(const char *rel, const char *text)
{
	char	path[256];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	cr_assert_not_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
setup(void)
{
	char	sub[128];

	strcpy(dir, "/tmp/test_assets.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/img", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	write_file("portal.css", "body{}");
	write_file("img/logo.svg", "<svg/>");
	write_file(".hidden", "secret");
	write_file("page.html", "<p>a</p>");
}

static void
teardown(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(assets, .init = setup, .fini = teardown);

Test(assets, loads_files_with_types_and_etags)
{
	struct assets		 a;
	const struct asset	*f, *g;

	cr_assert_eq(assets_load(&a, dir), 0);
	cr_assert_eq(a.n, 3, "hidden files are skipped");
	cr_assert_not_null(f = assets_find(&a, "portal.css"));
	cr_assert_eq(f->len, 6);
	cr_assert_eq(memcmp(f->data, "body{}", 6), 0);
	cr_assert_str_eq(f->type, "text/css; charset=utf-8");
	cr_assert_eq(strlen(f->etag), 34);
	cr_assert_eq(f->etag[0], '"');
	cr_assert_not_null(g = assets_find(&a, "img/logo.svg"));
	cr_assert_str_eq(g->type, "image/svg+xml");
	cr_assert_str_neq(f->etag, g->etag);
	cr_assert_null(assets_find(&a, ".hidden"));
	cr_assert_null(assets_find(&a, "img/../portal.css"));
	cr_assert_null(assets_find(&a, "nope.css"));
	assets_free(&a);
	cr_assert_eq(a.n, 0);
}

Test(assets, missing_folder_is_an_error)
{
	struct assets	a;

	cr_assert_eq(assets_load(&a, "/nonexistent/portal/assets"), -1);
	cr_assert_eq(a.n, 0);
	cr_assert_null(a.files);
}

Test(assets, media_types_by_extension)
{
	cr_assert_str_eq(assets_type("a.html"), "text/html; charset=utf-8");
	cr_assert_str_eq(assets_type("a.js"), "text/javascript; charset=utf-8");
	cr_assert_str_eq(assets_type("a.unknown"), "application/octet-stream");
	cr_assert_str_eq(assets_type("noext"), "application/octet-stream");
}
