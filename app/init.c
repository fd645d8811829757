/*
 * init: the Kore module's start-up, run in every worker after privileges
 * are dropped and the sandbox is on. It refuses to serve, with a message
 * that says why, when the database cannot be reached or its schema is not
 * the one this build was made for.
 *
 * The module is never reloaded. On SIGHUP Kore unloads and loads its
 * modules again (dlclose, dlopen) in the parent and in each worker; in a
 * worker that would pull the code from under the threads that gather
 * reports, run imports and hash passwords, and load again what they
 * share (the pool, the pages). So portal_init() refuses the unload (Kore
 * then leaves the worker's module as it is), and the parent pins the
 * module in memory (RTLD_NODELETE) before it forks any worker, so that
 * a worker it starts later runs the same build with the same printer. A
 * new build, new pages or a new key need a restart (README.md, "Upgrades").
 *
 * Configuration is by environment (see README.md):
 *   PORTAL_DATABASE_URL   libpq connection string or URL (required)
 *   PORTAL_ASSETS_DIR     the assets folder (default: assets)
 *   PORTAL_CONF_DIR       the conf folder (default: conf)
 *   PORTAL_TRUST_PROXY    1 behind the TLS proxy (X-Forwarded-*)
 *   PORTAL_REPORTS_DATABASE_URL  a read replica for the reports (optional)
 *   PORTAL_PUBLIC_URL     the portal's address in mailed links
 *   PORTAL_REQUESTS_PER_CLIENT  registrations and reset requests a
 *                         client address may make an hour (default 20)
 *   PORTAL_NOTES_KEY_FILE the key of supervision case notes (notes.h)
 *   PORTAL_FOLLOWUP_DAYS  days from a session's end to its evaluation
 *                         follow-up (default 90)
 */
#define _GNU_SOURCE	/* dladdr(), RTLD_NODELETE */

#include <kore/kore.h>
#include <kore/http.h>

/*
 * Kore's features change the layout of its structures: a module built
 * without the flags of /usr/share/kore/features corrupts memory silently.
 */
#if !defined(KORE_USE_PGSQL) || !defined(KORE_USE_TASKS)
#error "build the module with the flags of /usr/share/kore/features"
#endif

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <sodium.h>

#include "db.h"
#include "db_account.h"
#include "evaluation.h"
#include "notes.h"
#include "password.h"
#include "portal.h"
#include "printer.h"
#include "report_task.h"
#include "site.h"

struct assets	portal_pages;
struct assets	portal_static;
struct password_policy portal_password_policy;
char		portal_dummy_hash[PASSWORD_HASH_MAX];
int		portal_requests_per_client = ACCOUNT_REQUESTS_PER_CLIENT;
int		portal_followup_days = EVALUATION_FOLLOWUP_DAYS;
unsigned char	portal_notes_key[NOTES_KEY_LEN];
int		portal_notes_key_set;

/*
 * What a database call may wait, so that a held lock or a database that
 * does not answer never stalls a worker (whose calls are synchronous) for
 * long: connecting, waiting for a row lock (a booking behind another on
 * the same session answers 503 after it), any one statement, and a
 * transaction left open. libpq reads them from the environment; options
 * an operator puts in PGOPTIONS come after these and win.
 */
#define PORTAL_DB_CONNECT_TIMEOUT	"3"
#define PORTAL_DB_OPTIONS		"-c lock_timeout=2s " \
	"-c statement_timeout=5s -c idle_in_transaction_session_timeout=30s"

/* Lists of common passwords refused for new passwords. */
#define PORTAL_COMMON_PASSWORDS_DEBIAN	"/usr/share/john/password.lst"

void	kore_parent_configure(int, char **);

static void	portal_init_database(void);

/*
 * Kore's parent, once, before it forks the workers: pin the module (its
 * reload on SIGHUP then keeps this image), and start the printer.
 */
void
kore_parent_configure(int argc, char **argv)
{
	Dl_info	 self;

	(void)argc;
	(void)argv;
	if (dladdr((void *)kore_parent_configure, &self) == 0 ||
	    self.dli_fname == NULL || dlopen(self.dli_fname, RTLD_NOW |
	    RTLD_NOLOAD | RTLD_NODELETE) == NULL)
		kore_log(LOG_WARNING, "portal: the module is not pinned: a "
		    "reload (SIGHUP) would load it again");
	printer_start();
}

/*
 * Start-up: the database. Connections get the partnership's time zone,
 * the limits of PORTAL_DB_OPTIONS and the portal's address (for the
 * links of mail the database writes); the database must be at this
 * build's schema version; reports read a replica when one is set.
 * Stops the server (fatalx()) when it cannot.
 */
static void
portal_init_database(void)
{
	const char	*conninfo, *options, *url;
	char		 err[512], pgoptions[1024];
	int		 version;

	/* Times leave the database in the partnership's time zone. */
	setenv("PGTZ", "Europe/London", 1);
	setenv("PGCONNECT_TIMEOUT", PORTAL_DB_CONNECT_TIMEOUT, 0);
	if ((options = getenv("PGOPTIONS")) == NULL)
		options = "";
	if (strstr(options, PORTAL_DB_OPTIONS) == NULL) {
		/*
		 * The portal's address, for the links of mail the database
		 * writes (evaluation invitations); one without spaces or
		 * backslashes only, which PGOPTIONS would have to escape.
		 */
		url = site_public_url();
		if (strpbrk(url, " \t\\") != NULL)
			url = NULL;
		snprintf(pgoptions, sizeof(pgoptions), "%s%s%s %s",
		    PORTAL_DB_OPTIONS, url != NULL ?
		    " -c portal.public_url=" : "", url != NULL ? url : "",
		    options);
		setenv("PGOPTIONS", pgoptions, 1);
	}

	/* The pool, once the schema is at the version this build needs. */
	if ((conninfo = getenv("PORTAL_DATABASE_URL")) == NULL ||
	    *conninfo == '\0')
		fatalx("portal: PORTAL_DATABASE_URL is not set");
	if (db_schema_version(conninfo, &version, err, sizeof(err)) == -1)
		fatalx("portal: %s", err);
	if (version != PORTAL_SCHEMA_VERSION)
		fatalx("portal: the database schema is at version %d and this "
		    "build needs %d: run `portalctl migrate`", version,
		    PORTAL_SCHEMA_VERSION);
	db_init(conninfo);
	/* Reports read a replica when one is set (README: configuration). */
	if ((conninfo = getenv("PORTAL_REPORTS_DATABASE_URL")) != NULL &&
	    *conninfo != '\0')
		db_init_reports(conninfo);
	/* Reports are gathered in threads with connections of their own. */
	if (report_task_init(getenv("PORTAL_DATABASE_URL"), conninfo) == -1)
		fatalx("portal: out of memory");
}

/* Kore calls this at load of the module, and at unload, which it refuses. */
int
portal_init(int state)
{
	const char	*dir, *limit;
	char		 path[1024], err[512], *end;
	long		 n;

	if (state == KORE_MODULE_UNLOAD) {
		kore_log(LOG_NOTICE, "portal: not reloaded (restart the "
		    "service to run a new build)");
		return (KORE_RESULT_ERROR);
	}

	/*
	 * A start-up error is the configuration's, not the worker's: fatalx()
	 * asks Kore's parent to stop the server. fatal() would only end this
	 * worker, and under prod.conf's death policy (restart) its successor
	 * would fail the same way, for ever, while the port stays open.
	 */

	/* GSL's default handler aborts: that would kill a worker. */
	gsl_set_error_handler_off();
	if (sodium_init() == -1)
		fatalx("portal: libsodium cannot start");

	/* The database, at the schema version this build needs. */
	portal_init_database();

	/* The pages and the static files, in memory. */
	if ((dir = getenv("PORTAL_ASSETS_DIR")) == NULL || *dir == '\0')
		dir = "assets";
	snprintf(path, sizeof(path), "%s/dist/pages", dir);
	if (assets_load(&portal_pages, path) == -1)
		fatalx("portal: cannot read the pages in %s (run `make`)", path);
	snprintf(path, sizeof(path), "%s/dist", dir);
	if (assets_load(&portal_static, path) == -1)
		fatalx("portal: cannot read %s (run `make`)", path);

	/* The common passwords a new password may not be. */
	if ((dir = getenv("PORTAL_CONF_DIR")) == NULL || *dir == '\0')
		dir = "conf";
	snprintf(path, sizeof(path), "%s/common-passwords.txt", dir);
	if (password_policy_load(&portal_password_policy, path) == -1 ||
	    password_policy_load(&portal_password_policy,
	    PORTAL_COMMON_PASSWORDS_DEBIAN) == -1)
		fatalx("portal: cannot read the common passwords lists (%s, "
		    "%s)", path, PORTAL_COMMON_PASSWORDS_DEBIAN);

	/* The settings: requests a client may make, the follow-up's days. */
	if ((limit = getenv("PORTAL_REQUESTS_PER_CLIENT")) != NULL &&
	    *limit != '\0') {
		n = strtol(limit, &end, 10);
		if (*end != '\0' || n < 1 || n > INT_MAX)
			fatalx("portal: PORTAL_REQUESTS_PER_CLIENT must be a "
			    "whole number, 1 or more");
		portal_requests_per_client = (int)n;
	}
	portal_followup_days = evaluation_followup_days(
	    getenv(EVALUATION_FOLLOWUP_SETTING));
	/* Case notes: without a key they can be neither written nor read;
	 * a key that is set but unusable stops the portal. */
	if ((dir = getenv("PORTAL_NOTES_KEY_FILE")) != NULL && *dir != '\0') {
		if (notes_key_load(dir, portal_notes_key, err,
		    sizeof(err)) == -1)
			fatalx("portal: PORTAL_NOTES_KEY_FILE: %s", err);
		portal_notes_key_set = 1;
	} else
		kore_log(LOG_WARNING, "PORTAL_NOTES_KEY_FILE is not set: "
		    "supervision case notes cannot be written or read");

	/* A hash to check unknown addresses' passwords against, so that
	 * signing in takes as long whether the address is known or not. */
	if (password_hash("no one's password", portal_dummy_hash) == -1)
		fatalx("portal: cannot hash (out of memory?)");

	return (KORE_RESULT_OK);
}
