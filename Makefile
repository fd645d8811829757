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
KORE_FEATURES	!= cat /usr/share/kore/features 2>/dev/null || true
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
		  app/staff.c app/route.c app/ical.c app/cache.c
# Kore-facing modules: only inside the kore process.
APP_KORE_SRC	= app/init.c app/reply.c app/db.c app/db_catalogue.c app/seccomp.c \
		  app/db_account.c app/h_health.c app/h_catalogue.c app/h_pages.c \
		  app/h_accounts.c app/auth.c app/db_session.c app/h_session.c \
		  app/h_password_reset.c app/db_staff.c app/h_staff.c \
		  app/db_people.c app/h_people.c app/db_booking.c app/h_bookings.c \
		  app/db_programme.c app/h_programme.c app/db_register.c \
		  app/h_register.c app/db_course.c app/h_course.c
# The operators' command line tool (libpq, no Kore).
CTL_SRC		= app/portalctl.c app/migrate.c app/mail.c app/password.c \
		  app/password_policy.c app/text.c

MODULE		= $(BUILD)/portal.so
PORTALCTL	= $(BUILD)/portalctl
UNIT_SRC	= $(wildcard tests/unit/test_*.c)
HEADERS		= $(wildcard app/*.h stats/*.h)

LIBS		= -lgsl -lgslcblas -lm -lcjson -lsodium -lcsv

all: $(MODULE) $(PORTALCTL) assets

deps:
	@sh conf/bin/install-deps.sh

$(BUILD):
	mkdir -p $(BUILD)

$(MODULE): $(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC) $(HEADERS) \
    sql/migrations Makefile | $(BUILD)
	$(CC) $(CFLAGS_COMMON) -fPIC -shared $(KORE_FEATURES) \
	    $(APP_KORE_SRC) $(APP_PURE_SRC) $(STATS_SRC) -o $@ $(LIBS)

$(PORTALCTL): $(CTL_SRC) $(HEADERS) sql/migrations Makefile | $(BUILD)
	$(CC) $(CFLAGS_COMMON) -I/usr/include/postgresql $(CTL_SRC) -o $@ \
	    -lpq -lsodium -lcurl

assets: assets/dist/.built tests/node_modules/.installed

assets/dist/.built: assets/package.json assets/package-lock.json \
    assets/src/* assets/pages/*
	cd assets && npm ci --no-audit --no-fund --loglevel=error && npm run build
	touch $@

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: deps all
	@sh conf/bin/run.sh

test: deps all
	@sh tests/tools/run-tests.sh

# Unit tests alone (no database): each tests/unit/test_*.c is its own
# Criterion binary, built with ASan and UBSan.
unit: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
	@sh tests/tools/run-unit.sh $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

$(BUILD)/unit/test_%: tests/unit/test_%.c $(APP_PURE_SRC) $(STATS_SRC) \
    $(HEADERS) Makefile
	@mkdir -p $(BUILD)/unit
	$(CC) $(CFLAGS_COMMON) -O1 $(SANITIZE) $< $(APP_PURE_SRC) $(STATS_SRC) \
	    -o $@ -lcriterion $(LIBS)

bench-stats: $(STATS_SRC) tests/bench/bench_stats.c | $(BUILD)
	$(CC) $(CFLAGS_COMMON) -O2 tests/bench/bench_stats.c $(STATS_SRC) \
	    -o $(BUILD)/bench_stats -lgsl -lgslcblas -lm
	$(BUILD)/bench_stats

clean:
	rm -rf $(BUILD) assets/dist

.PHONY: all deps assets run test unit bench-stats clean

# Load benchmarks (wrk, pgbench) at the demo data's 100x scale, with
# their baselines measured in the same run: see tests/bench/run-bench.sh.
bench: deps all
	@sh tests/bench/run-bench.sh

.PHONY: bench
