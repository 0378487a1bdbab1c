# tests/fuzz/fuzz.mk: the fuzz targets, for the top Makefile to include
# (it uses that file's O, CC, WARN, ALL_LDFLAGS, LDLIBS, Q and its
# $(O)/%.o rule).  See tests/fuzz/README.md.  `make -f Makefile -f
# tests/fuzz/fuzz.mk` also works, except for `fuzz`, which runs make
# again on the makefile that includes this one.
#
#   make fuzz-replay-build   $(O)/fuzz/replay_<t>: each target with
#                            replay.c, any compiler; replays a corpus
#   make fuzz                clang + libFuzzer + ASan + UBSan in
#                            $(FUZZ_O), each target for FUZZ_SECONDS
#   make fuzz FUZZ_TARGETS=md FUZZ_SECONDS=600 FUZZ_FLAGS=-jobs=2

FUZZ_TARGETS	 = admin blogger conf date form md mustache query seed site spam token wxr
# The page cache's request headers (Accept-Encoding, conditionals).
FUZZ_TARGETS	+= cache
FUZZ_SECONDS	?= 60
FUZZ_CC		?= clang
FUZZ_O		?= build-fuzz
FUZZ_FLAGS	?=
FUZZ_SAN	 = -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer
# The makefile that includes this one, for the clang sub-make.
FUZZ_TOP	:= $(firstword $(MAKEFILE_LIST))

FUZZ_REPLAYS	 = $(FUZZ_TARGETS:%=$(O)/fuzz/replay_%)
FUZZ_BINS	 = $(FUZZ_TARGETS:%=$(O)/fuzz/fuzz_%)

# The objects come from the top Makefile's $(O)/%.o rule.
$(FUZZ_REPLAYS): $(O)/fuzz/replay_%: $(O)/tests/fuzz/fuzz_%.o \
    $(O)/tests/fuzz/replay.o $(O)/libgazette.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(O)/tests/fuzz/fuzz_$*.o \
	    $(O)/tests/fuzz/replay.o $(O)/libgazette.a $(LDLIBS)

# Only meaningful in a build whose SAN has -fsanitize=fuzzer-no-link,
# as `fuzz` sets up; libFuzzer supplies main().
$(FUZZ_BINS): $(O)/fuzz/fuzz_%: $(O)/tests/fuzz/fuzz_%.o $(O)/libgazette.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ \
	    $(O)/tests/fuzz/fuzz_$*.o $(O)/libgazette.a $(LDLIBS)

fuzz-replay-build: $(FUZZ_REPLAYS)

fuzz-build: $(FUZZ_BINS)

# Each target runs on a copy of its corpus in $(FUZZ_O)/corpus/<t> (new
# inputs stay there, not in the tree); crashes, leaks and timeouts land
# in tests/fuzz/crashes/<t>/.  Fails if any target found something.
fuzz:
	@sh scripts/deps fuzz
	$(MAKE) -f $(FUZZ_TOP) O=$(FUZZ_O) CC=$(FUZZ_CC) CFLAGS='-O1 -g' \
	    HARDEN= SAN='$(FUZZ_SAN)' fuzz-build
	@export TZ=UTC LC_ALL=C \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; \
	bad=; \
	for t in $(FUZZ_TARGETS); do \
		w=$(FUZZ_O)/corpus/$$t; c=tests/fuzz/crashes/$$t; \
		mkdir -p $$w $$c; \
		cp tests/fuzz/corpus/$$t/* $$w/ 2>/dev/null; \
		d=; [ -f tests/fuzz/$$t.dict ] && d=-dict=tests/fuzz/$$t.dict; \
		echo "== fuzz $$t ($(FUZZ_SECONDS)s)"; \
		if $(FUZZ_O)/fuzz/fuzz_$$t $$d -max_total_time=$(FUZZ_SECONDS) \
		    -timeout=25 -print_final_stats=1 -artifact_prefix=$$c/ \
		    $(FUZZ_FLAGS) $$w >$(FUZZ_O)/fuzz-$$t.log 2>&1; then \
			grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|Done)' \
			    $(FUZZ_O)/fuzz-$$t.log; \
		else \
			tail -n 60 $(FUZZ_O)/fuzz-$$t.log; \
			ls $$c; \
			bad="$$bad $$t"; \
		fi; \
	done; \
	if [ -n "$$bad" ]; then \
		echo "fuzz: found something in:$$bad (tests/fuzz/crashes/)"; \
		exit 1; \
	fi

fuzz-clean:
	rm -rf $(FUZZ_O)

.PHONY: fuzz fuzz-build fuzz-replay-build fuzz-clean
