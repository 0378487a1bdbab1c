/*
 * Copyright (c) 2026 The gazette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
 */

/*
 * The libFuzzer entry points every fuzz_<t>.c defines, declared once so
 * that -Wmissing-prototypes holds, plus the one check the targets share.
 * libFuzzer (clang -fsanitize=fuzzer) or replay.c (any compiler) calls
 * them; nothing in src/ sees this header.
 */
#ifndef GAZETTE_FUZZ_H
#define GAZETTE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Runs the target on data[0..size), which it must not keep.  Returns 0;
 * a bug shows as a crash, a sanitizer report, or a FUZZ_CHECK abort.
 */
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Optional: one-time set-up before the first input.  A target defines it
 * only when it needs it; libFuzzer and replay.c call it if present.
 */
int	 LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A property the code under test promises (its contract in the header):
 * when it does not hold, say which and abort, so that libFuzzer saves the
 * input as a crash.  Not assert(): it must fire with NDEBUG too.
 */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", \
			    __FILE__, __LINE__, #cond);			\
			abort();					\
		}							\
	} while (0)

#endif /* GAZETTE_FUZZ_H */
