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
 * Fuzz target: the shared tokenizer (text_tokenize, text_label_key,
 * text_lang_detect, src/text/).  The first byte picks the language and
 * whether to stem.  Besides crashes and leaks it checks what text.h
 * promises: -1 exactly for invalid UTF-8; tokens in order, inside the
 * input, not overlapping; terms non-empty, at most TEXT_TERM_MAX bytes,
 * valid UTF-8; positions counting from 0; a label key is idempotent.
 */
#include <string.h>

#include "base.h"
#include "text/text.h"

#include "fuzz.h"

static const char *const langs[] = { NULL, "en", "es", "ru", "ko", "zh",
    "de", "fr", "xx" };

struct seen {
	size_t	 len;	/* input bytes */
	size_t	 prev_end;
	size_t	 n;
};

static int
check(void *arg, const struct text_token *t)
{
	struct seen	*s = arg;

	FUZZ_CHECK(t->start < t->end && t->end <= s->len);
	FUZZ_CHECK(t->start >= s->prev_end);
	FUZZ_CHECK(t->pos == s->n);
	FUZZ_CHECK(t->termlen > 0 && t->termlen <= TEXT_TERM_MAX);
	FUZZ_CHECK(strlen(t->term) == t->termlen);
	FUZZ_CHECK(str_is_utf8(t->term, t->termlen));
	s->prev_end = t->end;
	s->n++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	struct seen	 s;
	const char	*text = (const char *)data + 1, *lang;
	char		*key, *again, *copy;
	size_t		 len, i;
	int		 rc;

	if (size == 0)
		return 0;
	len = size - 1;
	lang = langs[data[0] % nitems(langs)];
	memset(&s, 0, sizeof(s));
	s.len = len;
	rc = text_tokenize(lang, data[0] & 0x80 ? TEXT_TOKEN_STEM : 0, text,
	    len, check, &s);
	/* The tokenizer reads NUL as a word break, not as bad UTF-8. */
	a = arena_new();
	copy = arena_strndup(a, text, len);
	for (i = 0; i < len; i++)
		if (copy[i] == '\0')
			copy[i] = ' ';
	FUZZ_CHECK(rc == (str_is_utf8(copy, len) ? 0 : -1));
	FUZZ_CHECK(text_lang_detect(text, len, "en") != NULL);

	key = text_label_key(a, text, len);
	FUZZ_CHECK(key != NULL && str_is_utf8(key, strlen(key)));
	again = text_label_key(a, key, strlen(key));
	FUZZ_CHECK(strcmp(key, again) == 0);
	arena_free(a);
	return 0;
}
