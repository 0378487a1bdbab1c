# gazette: one Makefile, GNU make.  `make` builds ./gazette; `make test`
# installs what is missing, builds, and runs every test twice: as built,
# and under AddressSanitizer + UndefinedBehaviorSanitizer.

PREFIX	?= /usr/local
DESTDIR	?=
O	?= build
LISTEN	?= 127.0.0.1:8080
V	?= 0
Q_0	 = @
Q	 = $(Q_$(V))	# make V=1 shows every command

PKGS	 = libmicrohttpd sqlite3 libcmark-gfm icu-uc icu-i18n inih \
	   libsodium jansson libxml-2.0 zlib libbrotlienc libpq libseccomp
PKG_CF	!= pkg-config --cflags $(PKGS) 2>/dev/null || true
PKG_LD	!= pkg-config --libs $(PKGS) 2>/dev/null || true

WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2
HARDEN	 = -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
SAN	 =
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(CFLAGS) $(WARN) \
	   $(HARDEN) $(SAN) $(PKG_CF) -Isrc/base -Isrc -MMD -MP
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(SAN) $(LDFLAGS)
LDLIBS	+= $(PKG_LD) -lcmark-gfm-extensions -lstemmer -lpthread -lm

LIB_SRC	!= find src -name '*.c' ! -path 'src/cli/*' | sort
CLI_SRC	!= find src/cli -name '*.c' | sort
TEST_SRC != find tests/unit -name 'test_*.c' | sort
EMBED	!= find src/site/theme src/store/schema src/cli/demo -type f | sort

LIB_OBJ	 = $(LIB_SRC:%.c=$(O)/%.o) $(O)/embedded.o
CLI_OBJ	 = $(CLI_SRC:%.c=$(O)/%.o)
TESTS	 = $(TEST_SRC:tests/unit/%.c=$(O)/tests/%)

all: $(O)/gazette
	@if [ "$(O)" = build ]; then ln -sf build/gazette gazette; fi

$(O)/gazette: $(CLI_OBJ) $(O)/libgazette.a
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(O)/libgazette.a $(LDLIBS)

$(O)/libgazette.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(LIB_OBJ)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/embedded.c: $(O)/tools/embed $(EMBED)
	$(Q)$(O)/tools/embed $@ \
	    $(foreach f,$(EMBED),$(patsubst src/cli/%,%,$(patsubst src/site/%,%,$(patsubst src/store/%,%,$(f))))=$(f))

$(O)/embedded.o: $(O)/embedded.c
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# A host tool, built without sanitizers so it runs anywhere.
$(O)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -Wall -Wextra -Werror -o $@ tools/embed.c

$(O)/tests/%: tests/unit/%.c $(O)/libgazette.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(O)/libgazette.a \
	    $(LDLIBS) -lcmocka

unit-build: $(O)/gazette $(TESTS) fuzz-replay-build

$(O)/bench/%: bench/%.c $(O)/libgazette.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(O)/libgazette.a \
	    $(LDLIBS)

# Benchmarks print figures and ratios; they never fail on speed.
bench:
	@sh scripts/deps bench
	$(MAKE) all build/bench/search_bench build/bench/spam_bench
	$(MAKE) build/bench/render_bench build/bench/mhd_ref
	sh bench/run

deps:
	@sh scripts/deps

run: deps
	$(MAKE) all
	./gazette demo --listen $(LISTEN)

# Every test, plain build first, then the sanitizer build.
test: deps
	$(MAKE) unit-build
	$(MAKE) O=build-san SAN='$(SANFLAGS)' HARDEN= unit-build
	sh tests/run build build-san

check: test

# Fast loop while developing: plain build only.
test-quick: unit-build
	sh tests/run build

# SIGKILL under a mixed write load, 20 rounds (make test runs 3).
test-crash: all
	CRASH_ROUNDS=20 GAZETTE_BIN=$(CURDIR)/$(O)/gazette TZ=UTC LC_ALL=C \
	    node --test tests/integration/crash.test.mjs

# Unit tests and the integration tests' server under valgrind memcheck;
# slow, so not part of make test.
test-valgrind: unit-build
	sh tests/valgrind/run $(O)

# clang-format 14 cannot express our aligned KNF declarations, so
# .clang-format serves editors and `make format-check` only advises.
lint:
	mandoc -Tlint -Werror docs/*.[15]
	cppcheck --error-exitcode=1 --enable=warning,portability -q \
	    --std=c11 -Isrc/base -Isrc src
	sh scripts/layers
	python3 scripts/sqlcheck
	@n=$$(python3 scripts/sqlcheck tests/fixtures/sqlcheck/bad.c | \
	    wc -l); [ "$$n" -eq 6 ] || { echo "sqlcheck missed some of" \
	    "tests/fixtures/sqlcheck/bad.c ($$n of 6)"; exit 1; }

format-check:
	-clang-format --dry-run src/*/*.[ch] tests/unit/*.c 2>&1 | head -40

# Rewrites the expected files of the golden tests; review the diff.
golden-update: unit-build
	GOLDEN_UPDATE=1 TZ=UTC LC_ALL=C $(O)/tests/test_md
	GOLDEN_UPDATE=1 TZ=UTC LC_ALL=C $(O)/tests/test_seed
	GOLDEN_UPDATE=1 TZ=UTC LC_ALL=C $(O)/tests/test_page

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 build/gazette $(DESTDIR)$(PREFIX)/bin/gazette
	install -m 644 docs/gazette.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/gazette.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/

clean:
	rm -rf build build-san gazette

.PHONY: all deps run test check bench test-quick unit-build lint format-check \
	golden-update install clean
.PHONY: test-crash test-valgrind

include tests/fuzz/fuzz.mk

sinclude $(shell find $(O) -name '*.d' 2>/dev/null)
sinclude local.mk
