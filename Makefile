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

# The source lists follow from the file names (ARCHITECTURE.md, Layers):
#   app/h_*.c, app/db_*.c   handlers and database access, inside Kore only
#   app/job_*.c             the background jobs of portalctl (libpq, no Kore)
#   app/*.c (the rest)      Kore-free modules: rules, parsing, rendering,
#                           linked into the module, portalctl and the unit
#                           tests alike, less the files named below
#   stats/*.c               the statistics engine (libc and GSL only)
# A new file takes its layer from its name; only a new file of the two
# named lists needs an edit here.
STATS_SRC	= $(wildcard stats/*.c)
APP_SRC		= $(wildcard app/*.c)
# Unprefixed but Kore-facing: the module's init, replies, the database
# pool, the sandbox, sign-in, the tasks that run beside a request, the
# report answers and the threads that gather them, the printer Kore's
# parent starts, and who may use an agency's routes.
APP_KORE_NAMED	= app/init.c app/reply.c app/db.c app/seccomp.c app/auth.c \
		  app/pwtask.c app/import_task.c app/printer.c \
		  app/report_task.c app/reply_report.c \
		  app/agency_access.c
# Unprefixed but portalctl's alone (it has main; they use libpq and curl).
CTL_NAMED	= app/portalctl.c app/migrate.c app/mail.c app/backup.c
JOB_SRC		= $(wildcard app/job_*.c)
APP_KORE_SRC	= $(wildcard app/h_*.c app/db_*.c) $(APP_KORE_NAMED)
APP_PURE_SRC	= $(filter-out $(APP_KORE_SRC) $(CTL_NAMED) $(JOB_SRC),$(APP_SRC))
CTL_SRC		= $(CTL_NAMED) $(JOB_SRC)
# The files that are Kore-free and must stay so (tests/tools/check-layers.sh).
KORE_FREE_SRC	= $(APP_PURE_SRC) $(CTL_SRC) $(STATS_SRC)

MODULE		= $(BUILD)/portal.so
PORTALCTL	= $(BUILD)/portalctl
UNIT_SRC	= $(wildcard tests/unit/test_*.c)
# Each object file records the headers it includes (-MMD), so a header
# change rebuilds only the files that include it.
DEPFLAGS	= -MMD -MP

LIBS		= -lgsl -lgslcblas -lm -lcjson -lsodium -lcsv

all: $(MODULE) $(PORTALCTL) assets

deps:
	@$(INSTALL_DEPS)

$(BUILD):
	mkdir -p $(BUILD)

# The module's objects: every one compiled with the flags Kore was built
# with, read when the recipe runs (after deps has installed kore).
define kore_features_check
	@test -s $(KORE_FEATURES_FILE) || { echo "$(KORE_FEATURES_FILE)" \
	    "is missing: install kore (make deps)" >&2; exit 1; }
endef
KORE_FEATURES	= $$(cat $(KORE_FEATURES_FILE))
MODULE_OBJ	= $(patsubst %.c,$(BUILD)/obj/%.o,$(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC))
CTL_OBJ		= $(patsubst %.c,$(BUILD)/obj/%.o,$(CTL_SRC))

$(BUILD)/obj/%.o: %.c Makefile | deps
	$(kore_features_check)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(DEPFLAGS) -fPIC $(KORE_FEATURES) -c $< -o $@

$(MODULE): $(MODULE_OBJ) Makefile | deps $(BUILD)
	$(CC) -shared $(MODULE_OBJ) -o $@ $(LIBS)

# The same module built with AddressSanitizer: tests/integration/
# limits.test.mjs runs its production-shape server on it (the ASan
# runtime preloaded into kore), so that a use after free, such as a task
# reading a request Kore freed when its client hung up, stops the test.
MODULE_ASAN	= $(BUILD)/portal-asan.so
ASAN_FLAGS	= -O1 -fsanitize=address -fno-omit-frame-pointer
ASAN_OBJ	= $(patsubst %.c,$(BUILD)/asan/%.o,$(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC))

$(BUILD)/asan/%.o: %.c Makefile | deps
	$(kore_features_check)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(ASAN_FLAGS) $(DEPFLAGS) -fPIC $(KORE_FEATURES) \
	    -c $< -o $@

$(MODULE_ASAN): $(ASAN_OBJ) Makefile | deps $(BUILD)
	$(CC) $(ASAN_FLAGS) -shared $(ASAN_OBJ) -o $@ $(LIBS)

# portalctl: its own files and the Kore-free ones it calls, taken from an
# archive (the linker pulls in only the members it needs).
$(BUILD)/libpure.a: $(patsubst %.c,$(BUILD)/obj/%.o,$(APP_PURE_SRC) $(STATS_SRC))
	rm -f $@
	ar rcs $@ $^

$(PORTALCTL): $(CTL_OBJ) $(BUILD)/libpure.a Makefile | deps $(BUILD)
	$(CC) $(CTL_OBJ) $(BUILD)/libpure.a -o $@ -lpq -lcurl $(LIBS)

# The schema version the code expects is compiled in: the files that use
# it are rebuilt when a migration is added.
SCHEMA_USERS	!= grep -l PORTAL_SCHEMA_VERSION app/*.c 2>/dev/null
$(patsubst %.c,$(BUILD)/obj/%.o,$(SCHEMA_USERS)) \
$(patsubst %.c,$(BUILD)/asan/%.o,$(SCHEMA_USERS)): sql/migrations

-include $(MODULE_OBJ:.o=.d) $(CTL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d)

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

test: deps all $(MODULE_ASAN) check-layers
	@sh tests/tools/run-tests.sh

# No Kore-free file includes a Kore header, directly or through another
# header: the layers of ARCHITECTURE.md, checked.
check-layers:
	@sh tests/tools/check-layers.sh $(KORE_FREE_SRC)

# Unit tests alone (no database): each tests/unit/test_*.c is its own
# Criterion binary, built with ASan and UBSan.
unit: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
	@sh tests/tools/run-unit.sh $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

# The Kore-free sources, compiled once with the sanitizers into an archive
# that every test binary links (not once per test binary).
UNIT_OBJ	= $(patsubst %.c,$(BUILD)/unit/obj/%.o,$(APP_PURE_SRC) $(STATS_SRC))

$(BUILD)/unit/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O1 $(SANITIZE) $(DEPFLAGS) -c $< -o $@

$(BUILD)/unit/libportal.a: $(UNIT_OBJ)
	rm -f $@
	ar rcs $@ $(UNIT_OBJ)

$(BUILD)/unit/test_%: tests/unit/test_%.c $(BUILD)/unit/libportal.a Makefile
	$(CC) $(CFLAGS_COMMON) -O1 $(SANITIZE) $(DEPFLAGS) -MF $@.d -MT $@ \
	    $< $(BUILD)/unit/libportal.a -o $@ -lcriterion $(LIBS)

-include $(UNIT_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%.d)

bench-stats: $(STATS_SRC) tests/bench/bench_stats.c | $(BUILD)
	$(CC) $(CFLAGS_COMMON) -O2 tests/bench/bench_stats.c $(STATS_SRC) \
	    -o $(BUILD)/bench_stats -lgsl -lgslcblas -lm
	$(BUILD)/bench_stats

clean:
	rm -rf $(BUILD) assets/dist

.PHONY: all deps assets run test check-layers unit bench-stats clean

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
