/*
 * printer: HTML documents of the portal (the annual report) printed to
 * PDF by headless Chromium (Debian's `chromium`).
 *
 * Kore's workers run under a seccomp allowlist that has no fork or exec,
 * and a filter is inherited by every process started under it, so
 * Chromium cannot run from a worker. Kore's parent process calls the
 * module's kore_parent_configure() (init.c) once, before it forks the
 * workers and before any sandbox: there the printer process is forked. It listens
 * on a Unix socket in the abstract namespace (no file to make, clean or
 * protect) named after the parent's pid, which the workers inherit with
 * the module's memory; it dies with the parent (PR_SET_PDEATHSIG).
 *
 * One document at a time: the worker sends the HTML's length (4 bytes,
 * network order) and the HTML; the printer writes it to a folder of its
 * own under $TMPDIR, with the portal's stylesheet and scripts as files
 * of the assets folder (PORTAL_ASSETS_DIR/dist: no network, nothing
 * fetched), runs Chromium on it with a time limit, and answers a status
 * byte, the PDF's length and the PDF. Chromium runs without its own
 * sandbox (systemd's RestrictNamespaces and a root test run both deny
 * it): it reads only the portal's own document and files.
 */
#define _GNU_SOURCE

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kore/kore.h>

#include "printer.h"

#define PRINTER_MAX_HTML	(16u << 20)
#define PRINTER_MAX_PDF		(64u << 20)
/* Chromium's time to print one report, and a worker's wait for it. */
#define PRINTER_SECONDS		60
#define PRINTER_WAIT		(PRINTER_SECONDS + 30)

static void	printer_serve(int, const char *);
static int	printer_run(const char *, size_t, const char *, char **,
		    size_t *);
static int	printer_write_html(const char *, const char *, size_t,
		    const char *);
static int	printer_read_file(const char *, char **, size_t *);
static int	printer_read_all(int, void *, size_t);
static int	printer_write_all(int, const void *, size_t);
static int	printer_remove(const char *, const struct stat *, int,
		    struct FTW *);

/* The printer's address; set in the parent, inherited by the workers. */
static struct sockaddr_un	printer_addr;
static socklen_t		printer_addrlen;

/*
 * Print `html` (`len` bytes) to PDF: `*pdf` (caller frees) of `*pdflen`
 * bytes. Blocks up to PRINTER_WAIT seconds (call it from a task thread:
 * app/h_reports.c does). Returns 0, or -1 when there
 * is no printer, it failed or it took too long.
 */
int
printer_print(const char *html, size_t len, char **pdf, size_t *pdflen)
{
	struct timeval	 tv;
	uint32_t	 n;
	unsigned char	 status;
	char		*buf;
	int		 fd, rc;

	*pdf = NULL;
	*pdflen = 0;
	if (printer_addrlen == 0 || len == 0 || len > PRINTER_MAX_HTML)
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	rc = -1;
	buf = NULL;
	tv.tv_sec = PRINTER_WAIT;
	tv.tv_usec = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1 ||
	    connect(fd, (struct sockaddr *)&printer_addr,
	    printer_addrlen) == -1)
		goto out;
	n = htonl((uint32_t)len);
	if (printer_write_all(fd, &n, sizeof(n)) == -1 ||
	    printer_write_all(fd, html, len) == -1 ||
	    printer_read_all(fd, &status, 1) == -1 || status != 0 ||
	    printer_read_all(fd, &n, sizeof(n)) == -1)
		goto out;
	n = ntohl(n);
	if (n == 0 || n > PRINTER_MAX_PDF || (buf = malloc(n)) == NULL ||
	    printer_read_all(fd, buf, n) == -1)
		goto out;
	*pdf = buf;
	*pdflen = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return (rc);
}

/* In Kore's parent, once, before the workers: listen, fork the printer. */
void
printer_start(void)
{
	char		 assets[PATH_MAX], dist[PATH_MAX + 8];
	const char	*dir;
	pid_t		 parent, pid;
	int		 fd, n;

	if ((dir = getenv("PORTAL_ASSETS_DIR")) == NULL || *dir == '\0')
		dir = "assets";
	if (realpath(dir, assets) == NULL) {
		kore_log(LOG_ERR, "printer: no assets folder %s", dir);
		return;
	}
	snprintf(dist, sizeof(dist), "%s/dist", assets);
	parent = getpid();
	memset(&printer_addr, 0, sizeof(printer_addr));
	printer_addr.sun_family = AF_UNIX;
	n = snprintf(printer_addr.sun_path + 1,
	    sizeof(printer_addr.sun_path) - 1, "portal-printer-%ld",
	    (long)parent);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		kore_log(LOG_ERR, "printer: socket: %s", strerror(errno));
		return;
	}
	if (bind(fd, (struct sockaddr *)&printer_addr,
	    offsetof(struct sockaddr_un, sun_path) + 1 + n) == -1 ||
	    listen(fd, 16) == -1) {
		kore_log(LOG_ERR, "printer: bind: %s", strerror(errno));
		close(fd);
		return;
	}
	if ((pid = fork()) == -1) {
		kore_log(LOG_ERR, "printer: fork: %s", strerror(errno));
		close(fd);
		return;
	}
	if (pid == 0) {
		sigset_t	all;

		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(0);
		sigemptyset(&all);
		(void)sigprocmask(SIG_SETMASK, &all, NULL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_IGN);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGUSR1, SIG_IGN);
		signal(SIGUSR2, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		/* Nothing of Kore's (its listening sockets) but our socket. */
		if (fd != 3 && (dup2(fd, 3) == -1 || close(fd) == -1))
			_exit(1);
		(void)close_range(4, ~0U, 0);
		printer_serve(3, dist);
		_exit(0);
	}
	close(fd);
	printer_addrlen = offsetof(struct sockaddr_un, sun_path) + 1 + n;
	kore_log(LOG_NOTICE, "printer: started (pid %ld)", (long)pid);
}

/* The printer's loop: one document at a time, for good. */
static void
printer_serve(int lfd, const char *dist)
{
	struct timeval	 tv;
	uint32_t	 n;
	unsigned char	 status;
	char		*html, *pdf;
	size_t		 pdflen;
	int		 c;

	for (;;) {
		if ((c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
			if (errno != EINTR)
				sleep(1);
			continue;
		}
		tv.tv_sec = 30;
		tv.tv_usec = 0;
		(void)setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		(void)setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		html = pdf = NULL;
		pdflen = 0;
		if (printer_read_all(c, &n, sizeof(n)) == 0 &&
		    (n = ntohl(n)) > 0 && n <= PRINTER_MAX_HTML &&
		    (html = malloc(n)) != NULL &&
		    printer_read_all(c, html, n) == 0) {
			status = printer_run(html, n, dist, &pdf, &pdflen) ==
			    0 ? 0 : 1;
			n = htonl((uint32_t)pdflen);
			if (printer_write_all(c, &status, 1) == 0 &&
			    status == 0 && printer_write_all(c, &n,
			    sizeof(n)) == 0)
				(void)printer_write_all(c, pdf, pdflen);
		}
		free(html);
		free(pdf);
		close(c);
	}
}

/*
 * Print `html` in a folder of its own with Chromium, within
 * PRINTER_SECONDS; the PDF into `*pdf` (caller frees). 0 or -1.
 */
static int
printer_run(const char *html, size_t len, const char *dist, char **pdf,
    size_t *pdflen)
{
	struct timespec	 pause = { 0, 100000000 };
	char		 dir[PATH_MAX], page[PATH_MAX + 16], out[PATH_MAX + 16];
	char		 profile[PATH_MAX + 32], arg_out[PATH_MAX + 32];
	char		 url[PATH_MAX + 32];
	const char	*tmp, *chromium;
	pid_t		 pid;
	int		 status, rc, waited, fd;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((chromium = getenv("PORTAL_CHROMIUM")) == NULL || *chromium == '\0')
		chromium = "/usr/bin/chromium";
	snprintf(dir, sizeof(dir), "%s/portal-print.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		kore_log(LOG_ERR, "printer: mkdtemp: %s", strerror(errno));
		return (-1);
	}
	rc = -1;
	snprintf(page, sizeof(page), "%s/report.html", dir);
	snprintf(out, sizeof(out), "%s/report.pdf", dir);
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(arg_out, sizeof(arg_out), "--print-to-pdf=%s", out);
	snprintf(url, sizeof(url), "file://%s", page);
	if (printer_write_html(page, html, len, dist) == -1)
		goto out;
	if ((pid = fork()) == -1)
		goto out;
	if (pid == 0) {
		(void)setpgid(0, 0);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setenv("HOME", dir, 1);
		/* Nothing preloaded into Kore (the tests' AddressSanitizer
		 * runtime) is preloaded into Chromium. */
		unsetenv("LD_PRELOAD");
		execl(chromium, chromium, "--headless", "--no-sandbox",
		    "--disable-gpu", "--no-first-run",
		    "--no-default-browser-check",
		    "--disable-background-networking",
		    "--disable-component-update",
		    "--disable-sync", "--disable-extensions",
		    "--allow-file-access-from-files", "--no-pdf-header-footer",
		    "--virtual-time-budget=10000", profile, arg_out, url,
		    (char *)NULL);
		_exit(127);
	}
	(void)setpgid(pid, pid);
	for (waited = 0; waited < PRINTER_SECONDS * 10; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		nanosleep(&pause, NULL);
	}
	/* Chromium's helpers as well as Chromium, whatever happened. */
	(void)kill(-pid, SIGKILL);
	if (waited == PRINTER_SECONDS * 10) {
		(void)waitpid(pid, &status, 0);
		kore_log(LOG_ERR, "printer: chromium took over %d s",
		    PRINTER_SECONDS);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		kore_log(LOG_ERR, "printer: chromium failed (%d)", status);
		goto out;
	}
	rc = printer_read_file(out, pdf, pdflen);
	if (rc == -1)
		kore_log(LOG_ERR, "printer: chromium wrote no PDF");
out:
	(void)nftw(dir, printer_remove, 16, FTW_DEPTH | FTW_PHYS);
	return (rc);
}

/*
 * Write `html` to `path`, each "/assets/ of the document (its stylesheet
 * and scripts) made a file of `dist`. 0 or -1.
 */
static int
printer_write_html(const char *path, const char *html, size_t len,
    const char *dist)
{
	static const char	 from[] = "\"/assets/";
	const char		*p, *end, *hit;
	FILE			*f;
	int			 rc;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	p = html;
	end = html + len;
	while (p < end && (hit = memmem(p, (size_t)(end - p), from,
	    sizeof(from) - 1)) != NULL) {
		fwrite(p, 1, (size_t)(hit - p), f);
		fprintf(f, "\"file://%s/", dist);
		p = hit + sizeof(from) - 1;
	}
	fwrite(p, 1, (size_t)(end - p), f);
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return (rc);
}

/* The whole of file `path` into `*data` (caller frees). 0 or -1. */
static int
printer_read_file(const char *path, char **data, size_t *len)
{
	struct stat	 st;
	char		*buf;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	rc = -1;
	buf = NULL;
	if (fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    (size_t)st.st_size > PRINTER_MAX_PDF ||
	    (buf = malloc((size_t)st.st_size)) == NULL ||
	    printer_read_all(fd, buf, (size_t)st.st_size) == -1) {
		free(buf);
		goto out;
	}
	*data = buf;
	*len = (size_t)st.st_size;
	rc = 0;
out:
	close(fd);
	return (rc);
}

static int
printer_read_all(int fd, void *buf, size_t len)
{
	char	*p = buf;
	ssize_t	 r;

	while (len > 0) {
		if ((r = read(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		p += r;
		len -= (size_t)r;
	}
	return (0);
}

static int
printer_write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 r;

	while (len > 0) {
		if ((r = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		p += r;
		len -= (size_t)r;
	}
	return (0);
}

static int
printer_remove(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);
	return (0);
}
