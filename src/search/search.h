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
 * search: what a reader's query means.  Parses the query language
 * (words, "phrases", -exclusions, label:NAME), turns it into the text
 * pipeline's terms for the store, and finds a "did you mean" when
 * nothing matched.  Reaches the index only through store.h.
 *
 * Errors: 0 / -1, NULL for pointer results.  Any thread.
 */
#ifndef GAZETTE_SEARCH_H
#define GAZETTE_SEARCH_H

#include <stddef.h>

#include "store/store.h"

struct arena;

#define SEARCH_QUERY_MAX	256	/* bytes of a query that are read */
#define SEARCH_WORDS_MAX	12	/* words and phrases searched */
#define SEARCH_LANGS_MAX	3	/* languages a query is stemmed in */

struct search_parsed {
	struct search_query q;	/* for store_search; offset/limit unset */
	const char	*label;	/* label: filter, or NULL */
	char		**words;	/* positive words as typed, for hints */
	size_t		 nwords;
	int		 is_cut;	/* part of the query was left out */
	int		 is_empty;	/* nothing to search for */
};

/*
 * Parses query text s (at most SEARCH_QUERY_MAX bytes are read; more
 * sets is_cut) into out, everything in the arena.  Each word or phrase
 * is made into terms by the text pipeline in up to SEARCH_LANGS_MAX
 * languages (the one the query looks like, the site's, English) and the
 * variants become alternatives, so an English query on a Spanish site
 * still meets English stems.  Never fails on odd input: what cannot be
 * searched is dropped (is_empty when nothing is left).  Returns -1 only
 * when s is not valid UTF-8.
 */
int	 search_parse(struct arena *, const char *s, const char *site_lang,
	    struct search_parsed *out);

/*
 * For a query that found nothing: a close label name, or the query with
 * its unknown words replaced by close words of recent titles.  Returns an
 * arena string, or NULL when nothing is close enough.
 */
char	*search_suggest(struct store *, struct arena *,
	    const struct search_parsed *);

/* Edit distance between two UTF-8 strings in code points, capped at max+1. */
size_t	 search_distance(const char *a, const char *b, size_t max);

#endif /* GAZETTE_SEARCH_H */
