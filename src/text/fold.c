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
 * Label keys: the form under which spellings of one label meet, built
 * from the tokenizer's folded terms (so case, width and look-alike
 * letters fold exactly as search folds them) and the punctuation found
 * between them.  Not here: storing labels or choosing which spelling to
 * show (the store keeps the first one it saw).
 */
#include <string.h>

#include "base.h"
#include "text.h"

#define LABEL_KEY_ROUNDS	4	/* extra passes until a key settles */

/* A key being built: the label and how far the tokens have got. */
struct key_walk {
	struct buf	 b;	/* the key so far */
	const char	*s;	/* the label, borrowed */
	size_t		 prev;	/* byte just past the last token */
	int		 any;	/* a token has been added */
};

/*
 * The joiner a gap between two words stands for: the first hyphen, dash,
 * slash or ampersand in it, whatever spaces surround it ("Russia - Ukraine"
 * is "russia-ukraine", "AT&T" "at&t"); else a space.  The gap is raw
 * input, never folded, so dashes and fullwidth forms are matched here as
 * their ASCII selves.
 */
static char
key_joiner(const unsigned char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '-' || p[i] == '/' || p[i] == '&')
			return (char)p[i];
		if (len - i < 3)
			continue;
		/* U+2010-2015 hyphens and dashes, U+2212 minus. */
		if (p[i] == 0xe2 && p[i + 1] == 0x80 && p[i + 2] >= 0x90 &&
		    p[i + 2] <= 0x95)
			return '-';
		if (p[i] == 0xe2 && p[i + 1] == 0x88 && p[i + 2] == 0x92)
			return '-';
		/* U+FE63 small, U+FF0D, U+FF0F, U+FF06 fullwidth forms. */
		if (p[i] == 0xef && p[i + 1] == 0xb9 && p[i + 2] == 0xa3)
			return '-';
		if (p[i] == 0xef && p[i + 1] == 0xbc) {
			if (p[i + 2] == 0x8d)
				return '-';
			if (p[i + 2] == 0x8f)
				return '/';
			if (p[i + 2] == 0x86)
				return '&';
		}
	}
	return ' ';
}

/* Adds a token to the key, joined to the one before. */
static int
key_add(void *arg, const struct text_token *t)
{
	struct key_walk	*k = arg;

	if (k->any)
		buf_addc(&k->b, key_joiner((const unsigned char *)k->s +
		    k->prev, t->start - k->prev));
	buf_add(&k->b, t->term, t->termlen);
	k->prev = t->end;
	k->any = 1;
	return 0;
}

/* One pass of the pipeline over s: the key before it settles. */
static char *
key_once(struct arena *a, const char *s, size_t len)
{
	struct key_walk	 k;
	char		*key;

	memset(&k, 0, sizeof(k));
	buf_init(&k.b);
	k.s = s;
	/* No stemming, so the language does not matter: skip detection. */
	if (text_tokenize("en", 0, s, len, key_add, &k) != 0 || k.b.len == 0)
		key = arena_strdup(a, "");
	else
		key = arena_strndup(a, k.b.p, k.b.len);
	buf_clear(&k.b);
	return key;
}

char *
text_label_key(struct arena *a, const char *s, size_t len)
{
	char	*key, *next;
	int	 i;

	/*
	 * Whether a Cyrillic word with Latin look-alikes reads as Latin
	 * depends on the letters around it, and folding changes those
	 * letters: fold the key again until it stays put, so that a key is
	 * its own key and every spelling that meets it keeps meeting it.
	 */
	key = key_once(a, s, len);
	for (i = 0; i < LABEL_KEY_ROUNDS; i++) {
		next = key_once(a, key, strlen(key));
		if (strcmp(next, key) == 0)
			break;
		key = next;
	}
	return key;
}
