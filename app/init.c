/*
 * init: the Kore module's start-up, run in every worker after privileges
 * are dropped and the sandbox is on. It refuses to serve, with a message
 * that says why, when the database cannot be reached or its schema is not
 * the one this build was made for.
 *
 * Configuration is by environment (see README.md):
 *   PORTAL_DATABASE_URL   libpq connection string or URL (required)
 *   PORTAL_ASSETS_DIR     the assets folder (default: assets)
 *   PORTAL_CONF_DIR       the conf folder (default: conf)
 *   PORTAL_TRUST_PROXY    1 behind the TLS proxy (X-Forwarded-*)
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <sodium.h>

#include "db.h"
#include "password.h"
#include "portal.h"

struct assets	portal_pages;
struct assets	portal_static;
struct password_policy portal_password_policy;
char		portal_dummy_hash[PASSWORD_HASH_MAX];

/* Lists of common passwords refused for new passwords. */
#define PORTAL_COMMON_PASSWORDS_DEBIAN	"/usr/share/john/password.lst"

/* Kore calls this at load and unload of the module. */
int
portal_init(int state)
{
	const char	*conninfo, *dir;
	char		 path[1024], err[512];
	int		 version;

	if (state == KORE_MODULE_UNLOAD) {
		assets_free(&portal_pages);
		assets_free(&portal_static);
		password_policy_free(&portal_password_policy);
		return (KORE_RESULT_OK);
	}

	/* GSL's default handler aborts: that would kill a worker. */
	gsl_set_error_handler_off();
	if (sodium_init() == -1)
		fatal("portal: libsodium cannot start");

	/* Times leave the database in the partnership's time zone. */
	setenv("PGTZ", "Europe/London", 1);

	if ((conninfo = getenv("PORTAL_DATABASE_URL")) == NULL ||
	    *conninfo == '\0')
		fatal("portal: PORTAL_DATABASE_URL is not set");
	if (db_schema_version(conninfo, &version, err, sizeof(err)) == -1)
		fatal("portal: %s", err);
	if (version != PORTAL_SCHEMA_VERSION)
		fatal("portal: the database schema is at version %d and this "
		    "build needs %d: run `portalctl migrate`", version,
		    PORTAL_SCHEMA_VERSION);
	db_init(conninfo);

	if ((dir = getenv("PORTAL_ASSETS_DIR")) == NULL || *dir == '\0')
		dir = "assets";
	snprintf(path, sizeof(path), "%s/dist/pages", dir);
	if (assets_load(&portal_pages, path) == -1)
		fatal("portal: cannot read the pages in %s (run `make`)", path);
	snprintf(path, sizeof(path), "%s/dist", dir);
	if (assets_load(&portal_static, path) == -1)
		fatal("portal: cannot read %s (run `make`)", path);

	if ((dir = getenv("PORTAL_CONF_DIR")) == NULL || *dir == '\0')
		dir = "conf";
	snprintf(path, sizeof(path), "%s/common-passwords.txt", dir);
	if (password_policy_load(&portal_password_policy, path) == -1 ||
	    password_policy_load(&portal_password_policy,
	    PORTAL_COMMON_PASSWORDS_DEBIAN) == -1)
		fatal("portal: cannot read the common passwords lists (%s, "
		    "%s)", path, PORTAL_COMMON_PASSWORDS_DEBIAN);

	if (password_hash("no one's password", portal_dummy_hash) == -1)
		fatal("portal: cannot hash (out of memory?)");

	return (KORE_RESULT_OK);
}
