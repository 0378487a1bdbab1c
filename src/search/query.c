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
 * The query language: words, "quoted phrases", -exclusions (of either),
 * and label:NAME (or label:"two words").  Everything else is a word; no
 * input is an error.  Each word or phrase goes through the text pipeline
 * in a few languages, and the store gets the variants as alternatives.
 */
#include <string.h>
#include <strings.h>

#include "base.h"
#include "search.h"
#include "text/text.h"

/* Terms of one word or phrase in one language, built by a callback. */
struct terms {
	struct arena	*a;
	const char	**v;
	size_t		 n;
	size_t		 cap;
};

static int
add_term(void *arg, const struct text_token *tok)
{
	struct terms	*t = arg;

	t->v = arena_grow(t->a, t->v, t->n, &t->cap, sizeof(*t->v));
	t->v[t->n++] = arena_strndup(t->a, tok->term, tok->termlen);
	return 0;
}

static int
same_terms(const struct search_phrase *p, const struct terms *t)
{
	size_t	 i;

	if (p->nterms != t->n)
		return 0;
	for (i = 0; i < t->n; i++)
		if (strcmp(p->terms[i], t->v[i]) != 0)
			return 0;
	return 1;
}

/*
 * Adds the phrase text[0..len) to out, once per language whose terms
 * differ, as alternatives sharing one alt number.  Returns 1 if it added
 * anything.
 */
static int
add_phrase(struct arena *a, struct search_parsed *out, size_t *cap,
    const char *const *langs, size_t nlangs, const char *text, size_t len,
    int negated, int alt)
{
	struct search_phrase	*p;
	struct terms		 t;
	size_t			 i, j, first = out->q.nphrases;
	int			 dup;

	for (i = 0; i < nlangs; i++) {
		memset(&t, 0, sizeof(t));
		t.a = a;
		if (text_tokenize(langs[i], TEXT_TOKEN_STEM, text, len,
		    add_term, &t) != 0 || t.n == 0)
			continue;
		for (dup = 0, j = first; j < out->q.nphrases && !dup; j++)
			dup = same_terms(&out->q.phrases[j], &t);
		if (dup)
			continue;
		out->q.phrases = arena_grow(a, out->q.phrases, out->q.nphrases,
		    cap, sizeof(*out->q.phrases));
		p = &out->q.phrases[out->q.nphrases++];
		p->terms = t.v;
		p->nterms = t.n;
		p->is_negated = negated;
		p->alt = alt;
	}
	return out->q.nphrases > first;
}

/* Length of the longest prefix of s[0..len) that ends on a character. */
static size_t
utf8_cut(const char *s, size_t len)
{
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * The next item at *p (before end): a quoted or bare run.  Sets *start
 * and *len to its text without quotes, moves *p past it.
 */
static void
next_item(const char **p, const char *end, const char **start, size_t *len)
{
	const char	*q = *p, *close;

	if (*q == '"') {
		q++;
		close = memchr(q, '"', (size_t)(end - q));
		*start = q;
		*len = (size_t)((close != NULL ? close : end) - q);
		*p = close != NULL ? close + 1 : end;
		return;
	}
	*start = q;
	while (q < end && !is_space(*q))
		q++;
	*len = (size_t)(q - *start);
	*p = q;
}

int
search_parse(struct arena *a, const char *s, const char *site_lang,
    struct search_parsed *out)
{
	const char	*langs[SEARCH_LANGS_MAX], *p, *end, *item, *l;
	size_t		 slen, len, nlangs = 0, i, cap = 0, wcap = 0, items = 0;
	int		 negated, alt = 0;

	memset(out, 0, sizeof(*out));
	slen = strlen(s);
	if (!str_is_utf8(s, slen))
		return -1;
	if (slen > SEARCH_QUERY_MAX) {
		slen = utf8_cut(s, SEARCH_QUERY_MAX);
		out->is_cut = 1;
	}
	l = text_lang_detect(s, slen, site_lang);
	langs[nlangs++] = l;
	if (site_lang != NULL && strcmp(site_lang, l) != 0)
		langs[nlangs++] = site_lang;
	for (i = 0; i < nlangs && strcmp(langs[i], "en") != 0; i++)
		;
	if (i == nlangs && nlangs < SEARCH_LANGS_MAX)
		langs[nlangs++] = "en";

	for (p = s, end = s + slen; p < end;) {
		if (is_space(*p)) {
			p++;
			continue;
		}
		negated = 0;
		if (*p == '-' && p + 1 < end && !is_space(p[1])) {
			negated = 1;
			p++;
		}
		if (!negated && end - p > 6 &&
		    strncasecmp(p, "label:", 6) == 0) {
			p += 6;
			next_item(&p, end, &item, &len);
			if (len > 0)
				out->label = arena_strndup(a, item, len);
			continue;
		}
		next_item(&p, end, &item, &len);
		if (len == 0)
			continue;
		if (items == SEARCH_WORDS_MAX) {
			out->is_cut = 1;
			break;
		}
		if (!add_phrase(a, out, &cap, langs, nlangs, item, len,
		    negated, ++alt))
			continue;
		items++;
		if (!negated) {
			out->words = arena_grow(a, out->words, out->nwords,
			    &wcap, sizeof(*out->words));
			out->words[out->nwords++] = arena_strndup(a, item, len);
		}
	}
	/* Exclusions alone match nothing: there must be something to find. */
	out->is_empty = out->nwords == 0;
	out->q.label = out->label;
	return 0;
}
