/*
 * portalctl: the operators' command line tool.
 *
 *   portalctl migrate            apply the schema migrations (and, with
 *                                PORTAL_NOTES_KEY_FILE set, reseal-notes)
 *   portalctl reseal-notes       seal again, for their meeting and group,
 *                                the case notes sealed the old way, with
 *                                the key of PORTAL_NOTES_KEY_FILE
 *   portalctl check              exit 0 when the schema is the build's
 *   portalctl load-demo          load the demo data into an empty database
 *   portalctl send-mail [--once] deliver the outbox through PORTAL_SMTP_URL
 *                                (and queue reminders 5 days ahead, and
 *                                purge), every PORTAL_MAIL_INTERVAL seconds
 *                                until stopped
 *   portalctl purge              delete what is kept past its retention
 *                                (job_purge.c), once
 *   portalctl create-coordinator EMAIL [FULL NAME]
 *                                the first account of a real deployment:
 *                                its password is read from standard input
 *   portalctl backup DIR         pg_dump (custom format) and a manifest
 *                                into the new folder DIR (backup.c)
 *   portalctl restore DIR        that backup into an empty database,
 *                                checked against its manifest
 *
 * It connects to PORTAL_DATABASE_URL, or to the project-local cluster
 * under var/db of the current folder. PORTAL_SQL_DIR (default: sql) holds
 * the migrations and the demo generator; DEMO_SCALE multiplies the demo.
 */
#include <ctype.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include "backup.h"
#include "db_audit.h"
#include "evaluation.h"
#include "job_coverage.h"
#include "job_evaluation.h"
#include "job_notes.h"
#include "job_purge.h"
#include "job_supervision.h"
#include "mail.h"
#include "migrate.h"
#include "notes.h"
#include "outbox_sql.h"
#include "password.h"
#include "password_policy.h"
#include "site.h"
#include "text.h"
#include "when_sql.h"

/* The demo accounts' password, documented in README.md. */
#define DEMO_PASSWORD	"demo-password-2016"

static PGconn	*ctl_connect(void);
static int	 ctl_migrate(PGconn *, const char *);
static int	 ctl_check(PGconn *);
static int	 ctl_reseal_notes(PGconn *, int);
static int	 ctl_load_demo(PGconn *, const char *);
static int	 ctl_create_coordinator(PGconn *, const char *, const char *);
static int	 ctl_password_read(char *);
static int	 ctl_send_mail(PGconn *, int);
static void	 ctl_purge(PGconn *);
static void	 ctl_stop(int);
static void	 ctl_usage(void);

static volatile sig_atomic_t	ctl_stopping;

int
main(int argc, char *argv[])
{
	PGconn		*conn;
	const char	*sqldir;
	int		 ret;

	if (argc < 2 || (argc > 2 && strcmp(argv[1], "create-coordinator") &&
	    strcmp(argv[1], "send-mail") && strcmp(argv[1], "backup") &&
	    strcmp(argv[1], "restore")) || argc > 4) {
		ctl_usage();
		return (2);
	}
	if ((sqldir = getenv("PORTAL_SQL_DIR")) == NULL || *sqldir == '\0')
		sqldir = "sql";
	if (sodium_init() == -1) {
		fprintf(stderr, "portalctl: libsodium cannot start\n");
		return (1);
	}
	/* The scheduled jobs wait for no lock and no statement for long
	 * (the schema and demo commands may take their time). */
	if (strcmp(argv[1], "send-mail") == 0 || strcmp(argv[1], "purge") == 0)
		setenv("PGOPTIONS", "-c lock_timeout=5s -c statement_timeout=60s",
		    0);
	/* GET /healthz finds the sender's last round by this name (kept
	 * across reconnections, unlike a SET). */
	if (strcmp(argv[1], "send-mail") == 0)
		setenv("PGAPPNAME", "portal-mail", 1);
	if ((conn = ctl_connect()) == NULL)
		return (1);

	if (strcmp(argv[1], "migrate") == 0)
		ret = ctl_migrate(conn, sqldir);
	else if (strcmp(argv[1], "check") == 0)
		ret = ctl_check(conn);
	else if (strcmp(argv[1], "reseal-notes") == 0)
		ret = ctl_reseal_notes(conn, 1);
	else if (strcmp(argv[1], "purge") == 0) {
		ctl_purge(conn);
		ret = 0;
	} else if (strcmp(argv[1], "load-demo") == 0)
		ret = ctl_load_demo(conn, sqldir);
	else if (strcmp(argv[1], "send-mail") == 0)
		ret = ctl_send_mail(conn, argc == 3 && strcmp(argv[2],
		    "--once") == 0);
	else if (strcmp(argv[1], "backup") == 0 && argc == 3)
		ret = backup_write(conn, argv[2]) == -1 ? 1 : 0;
	else if (strcmp(argv[1], "restore") == 0 && argc == 3)
		ret = backup_restore(conn, argv[2], PORTAL_SCHEMA_VERSION) == -1 ?
		    1 : 0;
	else if (strcmp(argv[1], "create-coordinator") == 0 && argc >= 3)
		ret = ctl_create_coordinator(conn, argv[2],
		    argc == 4 ? argv[3] : "Coordinator");
	else {
		ctl_usage();
		ret = 2;
	}
	PQfinish(conn);
	return (ret);
}

static PGconn *
ctl_connect(void)
{
	PGconn		*conn;
	const char	*url;
	char		 local[PATH_MAX + 64], cwd[PATH_MAX];

	if ((url = getenv("PORTAL_DATABASE_URL")) == NULL || *url == '\0') {
		if (getcwd(cwd, sizeof(cwd)) == NULL) {
			perror("portalctl: getcwd");
			return (NULL);
		}
		snprintf(local, sizeof(local), "host=%s/var/db/run port=5432 "
		    "dbname=portal user=portal", cwd);
		url = local;
	}
	setenv("PGTZ", "Europe/London", 1);
	conn = PQconnectdb(url);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "portalctl: cannot reach the database: %s",
		    PQerrorMessage(conn));
		PQfinish(conn);
		return (NULL);
	}
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	return (conn);
}

static int
ctl_migrate(PGconn *conn, const char *sqldir)
{
	char	dir[PATH_MAX];
	int	applied;

	snprintf(dir, sizeof(dir), "%s/migrations", sqldir);
	if (migrate_apply(conn, dir, &applied) == -1)
		return (1);
	printf("portalctl: schema at version %d (%d migration%s applied)\n",
	    migrate_version(conn), applied, applied == 1 ? "" : "s");
	/* Notes are re-sealed by this build's schema only (an upgrade in
	 * steps passes through older ones). */
	if (migrate_version(conn) != PORTAL_SCHEMA_VERSION)
		return (0);
	return (ctl_reseal_notes(conn, 0));
}

/*
 * Seal again the case notes sealed the old way (job_notes.c), with the
 * key of PORTAL_NOTES_KEY_FILE. Without the key: an error when `asked`
 * (the reseal-notes command), else (after migrate) a warning when notes
 * wait. 0, or 1.
 */
static int
ctl_reseal_notes(PGconn *conn, int asked)
{
	unsigned char	 key[NOTES_KEY_LEN];
	const char	*path;
	char		 err[512];
	long		 pending, done, failed;
	int		 ret;

	if (job_notes_pending(conn, &pending) == -1)
		return (1);
	if ((path = getenv("PORTAL_NOTES_KEY_FILE")) == NULL || *path == '\0') {
		if (!asked && pending == 0)
			return (0);
		fprintf(stderr, "portalctl: %ld supervision case note%s sealed "
		    "the old way; the portal will not show %s until they are "
		    "sealed again: set PORTAL_NOTES_KEY_FILE and run "
		    "`portalctl reseal-notes`\n", pending,
		    pending == 1 ? " is" : "s are", pending == 1 ? "it" :
		    "them");
		return (asked ? 1 : 0);
	}
	if (notes_key_load(path, key, err, sizeof(err)) == -1) {
		fprintf(stderr, "portalctl: PORTAL_NOTES_KEY_FILE: %s\n", err);
		return (1);
	}
	ret = job_notes_reseal(conn, key, &done, &failed) == -1 ? 1 : 0;
	sodium_memzero(key, sizeof(key));
	if (ret == 0 && (asked || done > 0 || failed > 0))
		printf("portalctl: %ld case note%s sealed again for %s "
		    "meeting, %ld that do%s not open left as they are\n",
		    done, done == 1 ? "" : "s", done == 1 ? "its" : "their",
		    failed, failed == 1 ? "es" : "");
	/* After migrate, a note that does not open is told of above; it
	 * does not stop the portal from starting. */
	return (ret == 0 && (failed == 0 || !asked) ? 0 : 1);
}

static int
ctl_check(PGconn *conn)
{
	int	v;

	if ((v = migrate_version(conn)) == -1)
		return (1);
	if (v != PORTAL_SCHEMA_VERSION) {
		fprintf(stderr, "portalctl: the schema is at version %d, this "
		    "build needs %d: run `portalctl migrate`\n", v,
		    PORTAL_SCHEMA_VERSION);
		return (1);
	}
	printf("portalctl: schema at version %d, as this build needs\n", v);
	return (0);
}

static int
ctl_load_demo(PGconn *conn, const char *sqldir)
{
	char		 file[PATH_MAX], hash[PASSWORD_HASH_MAX];
	const char	*s;
	int		 scale, ret;

	scale = 1;
	if ((s = getenv("DEMO_SCALE")) != NULL && *s != '\0') {
		scale = atoi(s);
		if (scale < 1 || scale > 1000) {
			fprintf(stderr, "portalctl: DEMO_SCALE must be 1 to "
			    "1000\n");
			return (1);
		}
	}
	if (password_hash(DEMO_PASSWORD, hash) == -1) {
		fprintf(stderr, "portalctl: out of memory hashing\n");
		return (1);
	}
	snprintf(file, sizeof(file), "%s/demo", sqldir);
	if ((ret = migrate_load_demo(conn, file, scale, hash)) == -1)
		return (1);
	if (ret == 0)
		printf("portalctl: the database has data: no demo loaded\n");
	else
		printf("portalctl: demo data loaded at scale %d\n", scale);
	return (0);
}

/*
 * Give `email` a coordinator's account, with the password read from
 * standard input (one line). A person already on the books keeps their
 * record; an existing account gains the role and keeps its password.
 */
static int
ctl_create_coordinator(PGconn *conn, const char *email, const char *name)
{
	PGresult		*res;
	const char		*params[3];
	char			 hash[PASSWORD_HASH_MAX], lower[255];
	size_t			 i;

	/* The address, in lower case, and the name. */
	if (!text_is_email(email) || strlen(email) >= sizeof(lower)) {
		fprintf(stderr, "portalctl: %s is not an e-mail address\n",
		    email);
		return (1);
	}
	for (i = 0; email[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)email[i]);
	lower[i] = '\0';
	if (!text_is_clean(name) || text_utf8_length(name) > 200) {
		fprintf(stderr, "portalctl: the name is not valid\n");
		return (1);
	}

	/* The password, from standard input, hashed. */
	if (ctl_password_read(hash) == -1)
		return (1);

	/* The person, found or made, their account and their roles. */
	params[0] = lower;
	params[1] = name;
	params[2] = hash;
	res = PQexecParams(conn,
	    "WITH person AS ("
	    "  INSERT INTO people (full_name, email, agency_id)"
	    "  VALUES ($2, $1, NULL)"
	    "  ON CONFLICT ((lower(email))) WHERE email IS NOT NULL"
	    "  DO UPDATE SET email = EXCLUDED.email"
	    "  RETURNING id),"
	    " account AS ("
	    "  INSERT INTO accounts (person_id, password_hash)"
	    "  SELECT id, $3 FROM person"
	    "  ON CONFLICT (person_id) DO NOTHING),"
	    " roles AS ("
	    "  INSERT INTO account_roles (person_id, role)"
	    "  SELECT id, r FROM person,"
	    "         unnest(ARRAY['practitioner', 'coordinator']) r"
	    "  ON CONFLICT DO NOTHING)"
	    DB_AUDIT_ROW
	    "NULL, 'account.create_coordinator', 'person', id, NULL,"
	    "       '{\"by\":\"portalctl\"}' FROM person",
	    3, NULL, params, NULL, NULL, 0);
	sodium_memzero(hash, sizeof(hash));
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		return (1);
	}
	PQclear(res);
	printf("portalctl: %s is a coordinator\n", lower);
	return (0);
}

/*
 * Read a password (one line) from standard input, check it against the
 * policy new passwords meet (length, the common passwords lists), and
 * hash it into `hash` (PASSWORD_HASH_MAX bytes); the password itself is
 * wiped. Returns 0, or -1 with the reason on standard error.
 */
static int
ctl_password_read(char *hash)
{
	struct password_policy	 policy;
	const char		*why, *conf;
	char			 pw[512], lists[PATH_MAX];
	size_t			 len;
	int			 ret;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Password (12 characters or more): ");
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "portalctl: no password on standard input\n");
		return (-1);
	}
	len = strcspn(pw, "\r\n");
	pw[len] = '\0';

	memset(&policy, 0, sizeof(policy));
	if ((conf = getenv("PORTAL_CONF_DIR")) == NULL || *conf == '\0')
		conf = "conf";
	snprintf(lists, sizeof(lists), "%s/common-passwords.txt", conf);
	(void)password_policy_load(&policy, lists);
	(void)password_policy_load(&policy, "/usr/share/john/password.lst");
	why = password_policy_check(&policy, pw);
	password_policy_free(&policy);
	if (why != NULL) {
		sodium_memzero(pw, sizeof(pw));
		fprintf(stderr, "portalctl: %s\n", why);
		return (-1);
	}
	ret = password_hash(pw, hash);
	sodium_memzero(pw, sizeof(pw));
	if (ret == -1) {
		fprintf(stderr, "portalctl: out of memory hashing\n");
		return (-1);
	}
	return (0);
}

/*
 * Queue the reminders due (sessions starting within 5 days, confirmed
 * places not yet reminded) and deliver what is due, once or every
 * PORTAL_MAIL_INTERVAL seconds (default 5) until SIGTERM or SIGINT.
 */
static int
ctl_send_mail(PGconn *conn, int once)
{
	struct mail_config	 cfg;
	PGresult		*res;
	const char		*s, *params[1];
	int			 sent, failed, interval, ret, days;

	memset(&cfg, 0, sizeof(cfg));
	if ((cfg.smtp_url = getenv("PORTAL_SMTP_URL")) == NULL ||
	    *cfg.smtp_url == '\0')
		cfg.smtp_url = "smtp://127.0.0.1:2525";
	cfg.from = site_mail_from();
	params[0] = site_public_url();
	cfg.max_attempts = 8;
	interval = 5;
	if ((s = getenv("PORTAL_MAIL_INTERVAL")) != NULL && atoi(s) > 0)
		interval = atoi(s);
	days = evaluation_followup_days(getenv(EVALUATION_FOLLOWUP_SETTING));
	signal(SIGTERM, ctl_stop);
	signal(SIGINT, ctl_stop);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ret = 0;
	while (!ctl_stopping) {
		res = PQexecParams(conn,
		    "WITH due AS ("
		    "  UPDATE bookings b SET reminded_at = now()"
		    "    FROM sessions s"
		    "   WHERE s.id = b.session_id AND b.status = 'confirmed'"
		    "     AND b.reminded_at IS NULL AND s.status = 'scheduled'"
		    "     AND s.starts_at > now()"
		    "     AND s.starts_at <= now() + interval '5 days'"
		    "  RETURNING b.id, b.person_id, s.starts_at, s.ends_at,"
		    "            s.venue, s.course_id)"
		    OUTBOX_SQL_MAIL
		    "p.email, 'Reminder: ' || c.title,"
		    "  'Dear ' || p.full_name || E',\\n\\nA reminder of your "
		    "place on this course:\\n\\n' || c.title || E'\\n'"
		    "  || " WHEN_SQL("d.starts_at") " || ' to '"
		    "  || " WHEN_SQL_CLOCK("d.ends_at")
		    "  || E'\\n' || d.venue || E'\\n\\n'"
		    "  || E'If you cannot come, cancel in your bookings so that "
		    "someone on the waitlist can have the place: ' || $1::text"
		    "  || E'/bookings\\n'"
		    "  FROM due d JOIN people p ON p.id = d.person_id"
		    "  JOIN courses c ON c.id = d.course_id"
		    " WHERE p.email IS NOT NULL", 1, NULL, params, NULL, NULL,
		    0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			fprintf(stderr, "portalctl: %s", PQerrorMessage(conn));
		PQclear(res);
		/* Workforce coverage: expiry reminders, leads' digests. */
		if (job_coverage_reminders(conn) == -1)
			ret = 1;
		/* Evaluations: reminders, follow-ups, managers' links. */
		(void)job_evaluation_run(conn, site_public_url(), days);
		ctl_purge(conn);
		/* DSL supervision: reminders, coordinators' digest. */
		(void)job_supervision(conn);
		if (mail_send_due(conn, &cfg, &sent, &failed) == -1) {
			if (PQstatus(conn) != CONNECTION_OK)
				PQreset(conn);
			ret = 1;
		} else if (sent + failed > 0)
			printf("portalctl: %d sent, %d refused\n", sent, failed);
		fflush(stdout);
		if (once)
			break;
		sleep((unsigned int)interval);
	}
	curl_global_cleanup();
	return (once ? ret : 0);
}

/* Run the purge once and say what went, when anything did. */
static void
ctl_purge(PGconn *conn)
{
	struct job_purge_counts	n;

	if (job_purge(conn, &n) == -1)
		return;
	if (n.login_attempts + n.web_sessions + n.password_resets + n.mail +
	    n.email_links + n.unverified_accounts + n.report_answers +
	    n.report_changes + n.account_requests > 0)
		printf("portalctl: purged %ld sign-in attempts, %ld sessions, "
		    "%ld reset links, %ld sent mails, %ld e-mail links, "
		    "%ld unverified accounts, %ld report answers, %ld report "
		    "changes, %ld registrations and reset requests\n",
		    n.login_attempts, n.web_sessions, n.password_resets, n.mail,
		    n.email_links, n.unverified_accounts, n.report_answers,
		    n.report_changes, n.account_requests);
	fflush(stdout);
}

static void
ctl_stop(int sig)
{
	(void)sig;
	ctl_stopping = 1;
}

static void
ctl_usage(void)
{
	fprintf(stderr, "usage: portalctl migrate | check | load-demo | purge |\n"
	    "       portalctl reseal-notes |\n"
	    "       portalctl send-mail [--once] |\n"
	    "       portalctl backup DIR | portalctl restore DIR |\n"
	    "       portalctl create-coordinator EMAIL [FULL NAME] "
	    "< password\n");
}
