# Safeguarding Training Portal: build, run and test.
#
#   make run     install what is missing, build, start the local database
#                and serve the portal on http://127.0.0.1:8888 (PORTAL_PORT)
#   make test    the same set-up in a throwaway cluster, then every test
#
# Everything else is a step of those two.

.SUFFIXES:

VERSION		= 0.1.0
BUILD		= build
# The flags Kore was built with change the layout of struct http_request:
# read when the module is compiled (after deps has installed kore), never
# when make parses this file. app/init.c refuses to compile without them.
KORE_FEATURES_FILE = /usr/share/kore/features
# What installs the build's packages (a test replaces it).
INSTALL_DEPS	= sh conf/bin/install-deps.sh
SCHEMA_VERSION	!= ls sql/migrations 2>/dev/null | sed -n 's/^\([0-9][0-9]*\)_.*\.sql$$/\1/p' | sort -n | tail -n 1 | sed 's/^0*//'

WARNINGS	= -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
		  -Wmissing-declarations -Wshadow -Wpointer-arith -Wsign-compare
CFLAGS_COMMON	= -std=gnu11 -g -O2 $(WARNINGS) -Istats -iquote app \
		  -DPORTAL_VERSION='"$(VERSION)"' \
		  -DPORTAL_SCHEMA_VERSION=$(or $(SCHEMA_VERSION),0)
SANITIZE	= -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=all

# Modules free of Kore: linked into the Kore module, portalctl and the
# unit tests alike.
STATS_SRC	= $(wildcard stats/*.c)
APP_PURE_SRC	= app/qs.c app/assets.c app/password.c app/text.c \
		  app/password_policy.c app/account.c app/token.c app/csv.c \
		  app/staff.c app/route.c app/ical.c app/cache.c \
		  app/evaluation.c \
		  app/field.c app/site.c
# Kore-facing modules: only inside the kore process.
APP_KORE_SRC	= app/init.c app/reply.c app/db.c app/db_catalogue.c app/seccomp.c \
		  app/db_account.c app/h_health.c app/h_catalogue.c app/h_pages.c \
		  app/h_accounts.c app/auth.c app/db_session.c app/h_session.c \
		  app/h_password_reset.c app/db_staff.c app/h_staff.c \
		  app/db_people.c app/h_people.c app/db_booking.c app/h_bookings.c \
		  app/db_programme.c app/h_programme.c app/db_register.c \
		  app/h_register.c app/db_course.c app/h_course.c \
		  app/db_evaluation.c app/h_evaluations.c \
		  app/db_attendee.c app/h_attendees.c \
		  app/db_manager_review.c app/h_manager_reviews.c
# Workforce coverage (issue 11): agencies, imported training records,
# staffing returns, coverage reports.
APP_PURE_SRC	+= app/agency.c app/training.c app/coverage.c
APP_KORE_SRC	+= app/db_agency.c app/h_agencies.c app/db_training.c \
		   app/h_training.c app/db_coverage.c app/h_coverage.c
# Impact reports and the attendance history (issue 12).
APP_PURE_SRC	+= app/history.c app/report.c app/report_html.c
APP_KORE_SRC	+= app/db_history.c app/h_imports.c app/db_report.c \
		   app/db_report_answer.c \
		   app/h_reports.c
# Password tasks that own their data (issue 9).
APP_KORE_SRC	+= app/pwtask.c
APP_KORE_SRC	+= app/db_import.c app/import_task.c
# Reports gathered in threads, off the request path.
APP_KORE_SRC	+= app/report_task.c app/reply_report.c

# The operators' command line tool (libpq, no Kore).
CTL_SRC		= app/portalctl.c app/migrate.c app/mail.c app/password.c \
		  app/backup.c \
		  app/job_purge.c \
		  app/password_policy.c app/text.c app/site.c \
		  app/job_evaluation.c app/evaluation.c app/token.c app/csv.c \
		  $(STATS_SRC) app/job_coverage.c

# DSL group supervision (issue 13).
APP_PURE_SRC	+= app/term.c app/notes.c app/supervision.c app/year.c
# The sign-in throttle (issue 19).
APP_PURE_SRC	+= app/throttle.c
APP_KORE_SRC	+= app/db_supervision.c app/h_supervision.c \
		  app/db_supervision_report.c app/h_supervision_report.c
CTL_SRC		+= app/job_supervision.c app/term.c
# Case notes sealed for their meeting: portalctl reseal-notes.
CTL_SRC		+= app/job_notes.c app/notes.c

# Walk-ins a coordinator reviews, line managers a practitioner confirms.
APP_PURE_SRC	+= app/walkin.c
APP_KORE_SRC	+= app/db_line_manager.c app/h_line_manager.c

MODULE		= $(BUILD)/portal.so
PORTALCTL	= $(BUILD)/portalctl
UNIT_SRC	= $(wildcard tests/unit/test_*.c)
HEADERS		= $(wildcard app/*.h stats/*.h)

LIBS		= -lgsl -lgslcblas -lm -lcjson -lsodium -lcsv

all: $(MODULE) $(PORTALCTL) assets

deps:
	@$(INSTALL_DEPS)

$(BUILD):
	mkdir -p $(BUILD)

# $(call kore_module,FLAGS): the Kore module into $@, compiled with FLAGS
# and the flags Kore was built with, read when the recipe runs.
define kore_module
	@test -s $(KORE_FEATURES_FILE) || { echo "$(KORE_FEATURES_FILE)" \
	    "is missing: install kore (make deps)" >&2; exit 1; }
	$(CC) $(CFLAGS_COMMON) $(1) -fPIC -shared $$(cat $(KORE_FEATURES_FILE)) \
	    $(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC) -o $@ $(LIBS)
endef

$(MODULE): $(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC) $(HEADERS) \
    sql/migrations Makefile | deps $(BUILD)
	$(call kore_module,)

# The same module built with AddressSanitizer: tests/integration/
# limits.test.mjs runs its production-shape server on it (the ASan
# runtime preloaded into kore), so that a use after free, such as a task
# reading a request Kore freed when its client hung up, stops the test.
MODULE_ASAN	= $(BUILD)/portal-asan.so

$(MODULE_ASAN): $(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC) $(HEADERS) \
    sql/migrations Makefile | deps $(BUILD)
	$(call kore_module,-O1 -fsanitize=address -fno-omit-frame-pointer)

$(PORTALCTL): $(CTL_SRC) $(HEADERS) sql/migrations Makefile | deps $(BUILD)
	$(CC) $(CFLAGS_COMMON) -I/usr/include/postgresql $(CTL_SRC) -o $@ \
	    -lpq -lcurl $(LIBS)

assets: assets/dist/.built tests/node_modules/.installed

assets/dist/.built: assets/package.json assets/package-lock.json \
    assets/src/* assets/pages/* | deps
	cd assets && npm ci --no-audit --no-fund --loglevel=error && npm run build
	touch $@

tests/node_modules/.installed: tests/package.json tests/package-lock.json | deps
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: deps all
	@sh conf/bin/run.sh

test: deps all $(MODULE_ASAN)
	@sh tests/tools/run-tests.sh

# Unit tests alone (no database): each tests/unit/test_*.c is its own
# Criterion binary, built with ASan and UBSan.
unit: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
	@sh tests/tools/run-unit.sh $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

# The Kore-free sources, compiled once with the sanitizers into an archive
# that every test binary links (not once per test binary).
UNIT_OBJ	= $(patsubst %.c,$(BUILD)/unit/obj/%.o,$(APP_PURE_SRC) $(STATS_SRC))

$(BUILD)/unit/obj/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O1 $(SANITIZE) -c $< -o $@

$(BUILD)/unit/libportal.a: $(UNIT_OBJ)
	rm -f $@
	ar rcs $@ $(UNIT_OBJ)

$(BUILD)/unit/test_%: tests/unit/test_%.c $(BUILD)/unit/libportal.a \
    $(HEADERS) Makefile
	$(CC) $(CFLAGS_COMMON) -O1 $(SANITIZE) $< $(BUILD)/unit/libportal.a \
	    -o $@ -lcriterion $(LIBS)

bench-stats: $(STATS_SRC) tests/bench/bench_stats.c | $(BUILD)
	$(CC) $(CFLAGS_COMMON) -O2 tests/bench/bench_stats.c $(STATS_SRC) \
	    -o $(BUILD)/bench_stats -lgsl -lgslcblas -lm
	$(BUILD)/bench_stats

clean:
	rm -rf $(BUILD) assets/dist

.PHONY: all deps assets run test unit bench-stats clean

# `make install` (DESTDIR and PREFIX as Debian packaging expects): the
# module, portalctl, the pages, the migrations and the demo generator
# where the FHS says; the Kore configuration, the settings and the nginx
# site in SYSCONFDIR (kept when already there: they are the operator's);
# systemd units for the portal, its mail sender and its nightly backup,
# and the portal user for systemd-sysusers. README.md, Production, says what comes next.
PREFIX		?= /usr/local
SYSCONFDIR	?= /etc/portal
BINDIR		= $(PREFIX)/bin
LIBDIR		= $(PREFIX)/lib/portal
DATADIR		= $(PREFIX)/share/portal
UNITDIR		?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR	?= $(PREFIX)/lib/sysusers.d
INSTALL_SUBST	= sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		  -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: $(MODULE) $(PORTALCTL) assets/dist/.built
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(DATADIR)/conf $(DESTDIR)$(DATADIR)/sql/migrations \
	    $(DESTDIR)$(DATADIR)/sql/demo $(DESTDIR)$(DATADIR)/assets \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(SYSCONFDIR)
	install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/credentials
	install -m 0755 $(PORTALCTL) $(DESTDIR)$(BINDIR)/portalctl
	install -m 0644 $(MODULE) $(DESTDIR)$(LIBDIR)/portal.so
	install -m 0644 conf/routes.conf conf/common-passwords.txt \
	    $(DESTDIR)$(DATADIR)/conf/
	install -m 0644 sql/migrations/*.sql $(DESTDIR)$(DATADIR)/sql/migrations/
	install -m 0644 sql/demo/*.sql $(DESTDIR)$(DATADIR)/sql/demo/
	install -m 0644 README.md $(DESTDIR)$(DATADIR)/README.md
	rm -rf $(DESTDIR)$(DATADIR)/assets/dist
	cp -R assets/dist $(DESTDIR)$(DATADIR)/assets/dist
	rm -f $(DESTDIR)$(DATADIR)/assets/dist/.built
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/assets/dist
	install -m 0755 conf/bin/notes-key.sh $(DESTDIR)$(DATADIR)/notes-key.sh
	install -m 0755 conf/systemd/portal-backup.sh $(DESTDIR)$(DATADIR)/portal-backup.sh
	install -m 0644 conf/systemd/portal-backup.timer $(DESTDIR)$(UNITDIR)/portal-backup.timer
	for u in portal portal-mail portal-backup; do \
	    $(INSTALL_SUBST) conf/systemd/$$u.service.in >$(DESTDIR)$(UNITDIR)/$$u.service && \
	    chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.service || exit 1; done
	install -m 0644 conf/systemd/portal.sysusers $(DESTDIR)$(SYSUSERSDIR)/portal.conf
	{ echo "# Installed by make install from conf/prod.conf."; \
	  sed -e 's|^load /srv/portal/build/portal.so|load $(LIBDIR)/portal.so|' \
	      -e 's|include /srv/portal/conf/routes.conf|include $(DATADIR)/conf/routes.conf|' \
	      conf/prod.conf; } >$(DESTDIR)$(SYSCONFDIR)/kore.conf.new
	cp conf/systemd/portal.env $(DESTDIR)$(SYSCONFDIR)/portal.env.new
	cp conf/nginx-portal.conf $(DESTDIR)$(SYSCONFDIR)/nginx-portal.conf.new
	for f in kore.conf portal.env nginx-portal.conf; do \
	    if [ -e $(DESTDIR)$(SYSCONFDIR)/$$f ]; then \
	        echo "kept $(SYSCONFDIR)/$$f (the new one is $$f.new)"; \
	    else mv $(DESTDIR)$(SYSCONFDIR)/$$f.new $(DESTDIR)$(SYSCONFDIR)/$$f; fi; \
	    chmod 0644 $(DESTDIR)$(SYSCONFDIR)/$$f* ; done

.PHONY: install


# Load benchmarks (wrk, pgbench) at the demo data's 100x scale, with
# their baselines measured in the same run: see tests/bench/run-bench.sh.
bench: deps all
	@sh tests/bench/run-bench.sh

.PHONY: bench
