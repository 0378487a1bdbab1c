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
 * Fuzz target: the request headers the page cache reads on every hit.
 * The input is split at its first two newlines into Accept-Encoding,
 * If-None-Match and If-Modified-Since values, checked against one
 * cached page that has all three encodings: the encoding picked must be
 * one the page has, and a 304 must be a yes or a no.  Not here: making
 * entries (their input is our own rendering), the server.
 */
#include <string.h>

#include "base.h"
#include "http/http.h"
#include "http/http_int.h"

#include "fuzz.h"

static struct http_cache	*cache;
static struct cache_entry	*entry;	/* reachable until exit */

/* One page with identity, gzip and brotli bodies and a Last-Modified. */
static void
setup(void)
{
	struct http_response	 res;
	int			 i;

	cache = http_cache_new(1 << 20);
	memset(&res, 0, sizeof(res));
	res.status = 200;
	res.content_type = "text/html; charset=utf-8";
	buf_init(&res.body);
	for (i = 0; i < 40; i++)
		buf_addf(&res.body, "<p>Paragraph %d of the page.</p>\n", i);
	http_response_header(&res, "Last-Modified",
	    "Tue, 12 Sep 2023 10:00:00 GMT");
	entry = cache_entry_new(cache, "/p", 2, &res);
	buf_clear(&res.body);
	FUZZ_CHECK(entry != NULL);
}

/* The next newline-ended piece of data as a string (NUL: cut there). */
static const char *
piece(struct arena *a, const char **p, const char *end)
{
	const char	*nl, *s = *p;
	size_t		 len;

	if (s >= end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(end - s));
	len = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
	*p = nl != NULL ? nl + 1 : end;
	return arena_strndup(a, s, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	const char	*p = (const char *)data, *end = p + size;
	const char	*ae, *inm, *ims;
	enum cache_enc	 enc;
	size_t		 len;
	int		 nm;

	if (entry == NULL)
		setup();
	a = arena_new();
	ae = piece(a, &p, end);
	inm = piece(a, &p, end);
	ims = piece(a, &p, end);
	enc = cache_pick(entry, ae);
	FUZZ_CHECK(enc >= CACHE_IDENTITY && enc < CACHE_ENC__MAX);
	FUZZ_CHECK(cache_entry_body(entry, enc, &len) != NULL);
	FUZZ_CHECK(cache_entry_response(entry, enc) != NULL);
	nm = cache_not_modified(entry, enc, inm != NULL && *inm != '\0' ?
	    inm : NULL, ims);
	FUZZ_CHECK(nm == 0 || nm == 1);
	/* A page's own tag always matches. */
	FUZZ_CHECK(cache_not_modified(entry, enc, cache_entry_etag(entry,
	    enc), NULL) == 1);
	arena_free(a);
	return 0;
}
