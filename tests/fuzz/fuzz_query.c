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
 * Fuzz target: the search query language (search_parse, src/search/).
 * The first byte picks the site language.  Besides crashes and leaks it
 * checks what search.h promises: never more than SEARCH_WORDS_MAX words
 * or phrases (each with at most SEARCH_LANGS_MAX variants), every phrase
 * has terms, alternatives share their alt number in a row, and is_empty
 * exactly when no positive phrase is left.
 */
#include <string.h>

#include "base.h"
#include "search/search.h"

#include "fuzz.h"

static const char *const langs[] = { "en", "es", "ru", "ko" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct search_parsed	 sp;
	struct arena		*a;
	char			*q;
	size_t			 i, positive = 0, alts = 0;
	int			 rc, last_alt = 0;

	if (size == 0)
		return 0;
	a = arena_new();
	q = arena_strndup(a, (const char *)data + 1, size - 1);
	rc = search_parse(a, q, langs[data[0] % nitems(langs)], &sp);
	FUZZ_CHECK(rc == (str_is_utf8(q, strlen(q)) ? 0 : -1));
	if (rc == 0) {
		FUZZ_CHECK(sp.q.nphrases <=
		    SEARCH_WORDS_MAX * SEARCH_LANGS_MAX);
		for (i = 0; i < sp.q.nphrases; i++) {
			FUZZ_CHECK(sp.q.phrases[i].nterms > 0);
			FUZZ_CHECK(sp.q.phrases[i].alt >= last_alt);
			if (sp.q.phrases[i].alt != last_alt)
				alts++;
			last_alt = sp.q.phrases[i].alt;
			if (!sp.q.phrases[i].is_negated)
				positive++;
		}
		FUZZ_CHECK(alts <= SEARCH_WORDS_MAX);
		FUZZ_CHECK(sp.is_empty == (positive == 0));
		FUZZ_CHECK(sp.nwords <= SEARCH_WORDS_MAX);
	}
	arena_free(a);
	return 0;
}
