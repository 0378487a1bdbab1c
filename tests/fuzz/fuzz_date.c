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
 * Fuzz target: src/text on outside text: text_date_parse and
 * text_date_parse_time (the date and time lines of seed files) and
 * text_slug (titles).  The first input byte picks the locale (bits 0-1:
 * en, es, ru, ko) and the time zone (bits 2-3: UTC, Europe/Madrid,
 * Asia/Seoul, and America/Sao_Paulo, whose old DST rules skipped
 * midnight); the rest, copied with a NUL after it, is the text.
 *
 * Checks what text.h promises: a parsed date is 00:00 of its day in the
 * zone, the long form of text_date_format names that same day (English
 * is checked word for word) and reads back; a failure leaves *out = 0;
 * a slug is only words of a-z0-9 joined by single '-', at most
 * TEXT_SLUG_MAX bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "text/text.h"

#include "fuzz.h"

static const char *const locales[] = { "en", "es", "ru", "ko" };
static const char *const zones[] = { "UTC", "Europe/Madrid", "Asia/Seoul",
	"America/Sao_Paulo" };

static const char *const months_en[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/*
 * A day that text_date_parse gave must be 00:00 of a day in tz, its
 * English long form must name the same (proleptic Gregorian) day that
 * text_date_parts does, and its long form must read back.
 */
static void
check_day(const char *loc, const char *tz, int64_t t)
{
	char	 buf[256], want[64];
	int64_t	 back, t0;
	int	 y, m, d;

	FUZZ_CHECK(text_date_parts(tz, t, &y, &m, &d) == 0);
	FUZZ_CHECK(y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31);
	FUZZ_CHECK(text_date_from_parts(tz, y, m, d, &t0) == 0);
	FUZZ_CHECK(t0 == t);
	FUZZ_CHECK(text_date_format("en", tz, t, TEXT_DATE_LONG, buf,
	    sizeof(buf)) == 0);
	snprintf(want, sizeof(want), "%s %d, %d", months_en[m - 1], d, y);
	if (strcmp(buf, want) != 0) {
		fprintf(stderr, "%s: %lld is %04d-%02d-%02d but formats as "
		    "\"%s\"\n", tz, (long long)t, y, m, d, buf);
		FUZZ_CHECK(!"the long form names another day");
	}
	FUZZ_CHECK(text_date_format(loc, tz, t, TEXT_DATE_LONG, buf,
	    sizeof(buf)) == 0);
	if (text_date_parse(loc, tz, buf, &back) != 0 || back != t) {
		fprintf(stderr, "%s %s: %lld formats as \"%s\", reads back "
		    "as %lld\n", loc, tz, (long long)t, buf, (long long)back);
		FUZZ_CHECK(!"a long date does not read back");
	}
}

/* A slug is words of [a-z0-9] joined by single '-'. */
static void
check_slug(const char *slug)
{
	size_t	 i, len;

	FUZZ_CHECK(slug != NULL);
	len = strlen(slug);
	FUZZ_CHECK(len <= TEXT_SLUG_MAX);
	if (len == 0)
		return;
	FUZZ_CHECK(slug[0] != '-' && slug[len - 1] != '-');
	for (i = 0; i < len; i++) {
		FUZZ_CHECK((slug[i] >= 'a' && slug[i] <= 'z') ||
		    (slug[i] >= '0' && slug[i] <= '9') || slug[i] == '-');
		FUZZ_CHECK(!(slug[i] == '-' && slug[i + 1] == '-'));
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* ICU's per-thread objects, so that leak checkers stay quiet. */
	atexit(text_thread_cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	const char	*loc, *tz;
	char		*s;
	size_t		 len;
	int64_t		 t;
	int		 y, m, d;

	loc = locales[size > 0 ? data[0] & 3 : 0];
	tz = zones[size > 0 ? (data[0] >> 2) & 3 : 0];
	len = size > 0 ? size - 1 : 0;
	/* Exactly len + 1 bytes, so that ASan sees a read past the NUL. */
	if ((s = malloc(len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(s, data + 1, len);
	s[len] = '\0';

	t = 1;
	if (text_date_parse(loc, tz, s, &t) == 0)
		check_day(loc, tz, t);
	else
		FUZZ_CHECK(t == 0);
	t = 1;
	if (text_date_parse_time(loc, tz, s, &t) == 0)
		FUZZ_CHECK(text_date_parts(tz, t, &y, &m, &d) == 0);
	else
		FUZZ_CHECK(t == 0);

	/* The slug reads the bytes, NULs and all: it takes a length. */
	a = arena_new();
	check_slug(text_slug(a, s, len));
	arena_free(a);
	free(s);
	return 0;
}
