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
 * "Did you mean": for a query that found nothing, the closest label, or
 * the query with its unknown words replaced by close words from recent
 * titles.  Works on folded words (the text pipeline without stemming), so
 * case and look-alike letters never count as typos.
 */
#include <string.h>

#include "base.h"
#include "search.h"
#include "text/text.h"

#define SUGGEST_TITLES	500	/* recent posts whose title words are read */

/* Decodes the UTF-8 code point at *s (valid input) and advances. */
static uint32_t
next_cp(const char **s)
{
	const unsigned char	*p = (const unsigned char *)*s;
	uint32_t		 c;
	int			 n, i;

	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	c = p[0] & (0x3f >> (n - 1));
	for (i = 1; i < n && p[i] != '\0'; i++)
		c = (c << 6) | (p[i] & 0x3f);
	*s += i;
	return c;
}

size_t
search_distance(const char *a, const char *b, size_t max)
{
	uint32_t	 ca[64], cb[64];
	size_t		 na = 0, nb = 0, i, j, prev, cur, row[65], best;

	while (*a != '\0' && na < nitems(ca))
		ca[na++] = next_cp(&a);
	while (*b != '\0' && nb < nitems(cb))
		cb[nb++] = next_cp(&b);
	if ((na > nb ? na - nb : nb - na) > max)
		return max + 1;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		prev = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= nb; j++) {
			cur = row[j];
			row[j] = prev + (ca[i - 1] != cb[j - 1]);
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[nb] > max ? max + 1 : row[nb];
}

/* How far apart two words may be: one edit per four characters. */
static size_t
allowed(const char *word)
{
	size_t	 n = str_utf8_count(word, strlen(word)) / 4;

	return n == 0 ? 1 : n > 3 ? 3 : n;
}

/* The folded words of a text, without stemming. */
struct words {
	struct arena	*a;
	char		**v;
	size_t		 n;
	size_t		 cap;
};

static int
add_word(void *arg, const struct text_token *tok)
{
	struct words	*w = arg;

	w->v = arena_grow(w->a, w->v, w->n, &w->cap, sizeof(*w->v));
	w->v[w->n++] = arena_strndup(w->a, tok->term, tok->termlen);
	return 0;
}

static void
fold_words(struct arena *a, const char *s, struct words *w)
{
	memset(w, 0, sizeof(*w));
	w->a = a;
	text_tokenize(NULL, 0, s, strlen(s), add_word, w);
}

/* The label whose key is closest to the whole query, or NULL. */
static char *
close_label(struct store *st, struct arena *a, const char *key)
{
	struct label	*labels;
	size_t		 n, i, d, best = SIZE_MAX, max = allowed(key);
	char		*name = NULL;

	if (*key == '\0' ||
	    store_label_list(st, a, &labels, &n) != STORE_OK)
		return NULL;
	for (i = 0; i < n; i++) {
		d = search_distance(key, labels[i].key, max);
		if (d <= max && d < best && labels[i].nposts > 0) {
			best = d;
			name = labels[i].name;
		}
	}
	return name;
}

char *
search_suggest(struct store *st, struct arena *a,
    const struct search_parsed *sp)
{
	struct post_query	 pq;
	struct post_list	 pl;
	struct words		 qw, tw, all;
	struct buf		 b = BUF_INIT;
	char			*joined, *best, *out = NULL;
	size_t			 i, j, d, bestd;
	int			 changed = 0;

	if (sp->nwords == 0)
		return NULL;
	for (i = 0; i < sp->nwords; i++)
		buf_addf(&b, "%s%s", i > 0 ? " " : "", sp->words[i]);
	joined = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	if ((out = close_label(st, a, text_label_key(a, joined,
	    strlen(joined)))) != NULL)
		return out;

	memset(&pq, 0, sizeof(pq));
	pq.now = clock_now();
	pq.limit = SUGGEST_TITLES;
	if (store_post_list(st, a, &pq, &pl) != STORE_OK)
		return NULL;
	memset(&all, 0, sizeof(all));
	all.a = a;
	for (i = 0; i < pl.n; i++) {
		fold_words(a, pl.v[i].title, &tw);
		for (j = 0; j < tw.n; j++)
			add_word(&all, &(struct text_token){ .term = tw.v[j],
			    .termlen = strlen(tw.v[j]) });
	}
	fold_words(a, joined, &qw);
	for (i = 0; i < qw.n; i++) {
		best = NULL;
		bestd = SIZE_MAX;
		for (j = 0; j < all.n && bestd > 0; j++) {
			d = search_distance(qw.v[i], all.v[j],
			    allowed(qw.v[i]));
			if (d <= allowed(qw.v[i]) && d < bestd) {
				bestd = d;
				best = all.v[j];
			}
		}
		if (best != NULL && bestd > 0) {
			qw.v[i] = best;
			changed = 1;
		}
		buf_addf(&b, "%s%s", i > 0 ? " " : "", qw.v[i]);
	}
	if (changed)
		out = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return out;
}
