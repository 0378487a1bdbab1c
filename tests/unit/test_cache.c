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
 * The page cache (src/http/cache.c) through http.h and http_int.h: the
 * encodings made for an entry and which one a request gets, ETags and
 * 304s, expiry, the memory budget and least-recently-used eviction, tag
 * invalidation and pages made during one, and readers running against a
 * writer (for the sanitizers: a reader must never touch a freed entry).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <microhttpd.h>
#include <zlib.h>

#include "base.h"
#include "http/http.h"
#include "http/http_int.h"

/* A page of about len bytes of HTML-like text, different per seed. */
static void
page(struct http_response *res, size_t len, int seed, const char *type)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
	res->content_type = type;
	buf_init(&res->body);
	buf_addf(&res->body, "<!DOCTYPE html><title>page %d</title>", seed);
	while (res->body.len < len)
		buf_addf(&res->body, "<p>Paragraph %zu of page %d: the "
		    "harbour town votes to keep its night ferry.</p>\n",
		    res->body.len, seed);
}

static struct cache_entry *
entry(struct http_cache *c, const char *key, size_t len, int seed)
{
	struct http_response	 res;
	struct cache_entry	*e;

	page(&res, len, seed, "text/html; charset=utf-8");
	e = cache_entry_new(c, key, strlen(key), &res);
	buf_clear(&res.body);
	return e;
}

static void
put(struct http_cache *c, const char *key, size_t len, int seed)
{
	struct cache_entry	*e;

	e = entry(c, key, len, seed);
	assert_non_null(e);
	assert_int_equal(cache_insert(c, e, http_cache_gen(c)), 0);
}

/* 1 when key is in the cache and fresh at now. */
static int
has(struct http_cache *c, const char *key, int64_t now)
{
	int	 found;

	assert_int_equal(cache_read_begin(c), 0);
	found = cache_find(c, key, strlen(key), now) != NULL;
	cache_read_end(c);
	return found;
}

static void
test_variants(void **state)
{
	struct http_cache	*c;
	struct http_response	 res;
	struct cache_entry	*e;
	struct MHD_Response	*r;
	const char		*id, *gz, *br;
	size_t			 idlen, gzlen, brlen;
	char			 out[32768];
	uLongf			 outlen = sizeof(out);
	z_stream		 z;

	(void)state;
	c = http_cache_new(1 << 20);
	e = entry(c, "/a.html", 15000, 1);
	assert_non_null(e);
	id = cache_entry_body(e, CACHE_IDENTITY, &idlen);
	gz = cache_entry_body(e, CACHE_GZIP, &gzlen);
	br = cache_entry_body(e, CACHE_BROTLI, &brlen);
	assert_true(idlen >= 15000);
	assert_non_null(gz);
	assert_non_null(br);
	assert_true(gzlen < idlen / 3);
	assert_true(brlen < gzlen);
	/* The gzip body is the page. */
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)outlen;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, idlen);
	assert_memory_equal(out, id, idlen);
	inflateEnd(&z);
	/* One strong ETag per encoding, the same stem. */
	assert_int_equal(strlen(cache_entry_etag(e, CACHE_IDENTITY)), 34);
	assert_memory_equal(cache_entry_etag(e, CACHE_GZIP),
	    cache_entry_etag(e, CACHE_IDENTITY), 33);
	assert_string_equal(cache_entry_etag(e, CACHE_GZIP) + 33, "-gz\"");
	assert_string_equal(cache_entry_etag(e, CACHE_BROTLI) + 33, "-br\"");
	assert_non_null(cache_entry_response(e, CACHE_BROTLI));
	r = cache_entry_304(e, CACHE_BROTLI);
	assert_non_null(r);
	assert_string_equal(MHD_get_response_header(r, "ETag"),
	    cache_entry_etag(e, CACHE_BROTLI));
	assert_string_equal(MHD_get_response_header(r, "Content-Encoding"),
	    "br");
	MHD_destroy_response(r);
	cache_entry_discard(e);

	/* Small bodies and images are kept as they are. */
	e = entry(c, "/small", 100, 2);
	assert_null(cache_entry_body(e, CACHE_GZIP, &gzlen));
	assert_null(cache_entry_body(e, CACHE_BROTLI, &brlen));
	cache_entry_discard(e);
	page(&res, 5000, 3, "image/png");
	e = cache_entry_new(c, "/x.png", 6, &res);
	buf_clear(&res.body);
	assert_null(cache_entry_body(e, CACHE_GZIP, &gzlen));
	assert_int_equal(cache_pick(e, "gzip, br"), CACHE_IDENTITY);
	cache_entry_discard(e);

	/* Too large for the budget (an eighth of it): not kept at all. */
	assert_null(entry(c, "/big", 200000, 4));
	http_cache_free(c);
}

static void
test_pick(void **state)
{
	static const struct {
		const char	*ae;
		enum cache_enc	 want;
	} rows[] = {
		{ NULL, CACHE_IDENTITY },
		{ "", CACHE_IDENTITY },
		{ "gzip", CACHE_GZIP },
		{ "br", CACHE_BROTLI },
		{ "gzip, deflate, br", CACHE_BROTLI },
		{ "gzip, deflate, br, zstd", CACHE_BROTLI },
		{ "br;q=0.5, gzip", CACHE_GZIP },
		{ "br;q=0, gzip;q=0.1", CACHE_GZIP },
		{ "br; q=0 , gzip ; q=0", CACHE_IDENTITY },
		{ "GZIP", CACHE_GZIP },
		{ "*", CACHE_BROTLI },
		{ "*;q=0.2, br;q=0.1", CACHE_GZIP },
		{ "identity", CACHE_IDENTITY },
		{ "identity;q=1, gzip;q=0.5", CACHE_IDENTITY },
		{ "deflate", CACHE_IDENTITY },
		{ "gzipx, xbr", CACHE_IDENTITY },
		{ "gzip;q=abc", CACHE_IDENTITY },
		{ "gzip;q=1.0001", CACHE_IDENTITY },
		{ "br;q=0.001, gzip;q=0.002", CACHE_GZIP },
		{ "br;q=1.0, gzip;q=0.999", CACHE_BROTLI },
		{ ";;;,,,", CACHE_IDENTITY },
	};
	struct http_cache	*c;
	struct cache_entry	*e;
	size_t			 i;

	(void)state;
	c = http_cache_new(1 << 20);
	e = entry(c, "/a.html", 4000, 1);
	for (i = 0; i < nitems(rows); i++) {
		if (cache_pick(e, rows[i].ae) != rows[i].want)
			fail_msg("Accept-Encoding \"%s\": got %d, want %d",
			    rows[i].ae, cache_pick(e, rows[i].ae),
			    rows[i].want);
	}
	cache_entry_discard(e);
	http_cache_free(c);
}

static void
test_not_modified(void **state)
{
	struct http_cache	*c;
	struct http_response	 res;
	struct cache_entry	*e;
	char			 etag[64], list[160], weak[80];

	(void)state;
	c = http_cache_new(1 << 20);
	page(&res, 2000, 1, "text/html");
	http_response_header(&res, "Last-Modified",
	    "Tue, 12 Sep 2023 10:00:00 GMT");
	e = cache_entry_new(c, "/a", 2, &res);
	buf_clear(&res.body);
	snprintf(etag, sizeof(etag), "%s", cache_entry_etag(e, CACHE_GZIP));
	snprintf(list, sizeof(list), "\"nope\", %s , \"other\"", etag);
	snprintf(weak, sizeof(weak), "W/%s", etag);

	assert_true(cache_not_modified(e, CACHE_GZIP, etag, NULL));
	assert_true(cache_not_modified(e, CACHE_GZIP, list, NULL));
	assert_true(cache_not_modified(e, CACHE_GZIP, weak, NULL));
	assert_true(cache_not_modified(e, CACHE_GZIP, "*", NULL));
	/* Another encoding's tag is another representation. */
	assert_false(cache_not_modified(e, CACHE_IDENTITY, etag, NULL));
	assert_false(cache_not_modified(e, CACHE_GZIP, "\"nope\"", NULL));
	assert_false(cache_not_modified(e, CACHE_GZIP, "", NULL));
	/* Dates: not modified since a time at or after Last-Modified. */
	assert_true(cache_not_modified(e, CACHE_GZIP, NULL,
	    "Tue, 12 Sep 2023 10:00:00 GMT"));
	assert_true(cache_not_modified(e, CACHE_GZIP, NULL,
	    "Wed, 13 Sep 2023 10:00:00 GMT"));
	assert_false(cache_not_modified(e, CACHE_GZIP, NULL,
	    "Tue, 12 Sep 2023 09:59:59 GMT"));
	assert_false(cache_not_modified(e, CACHE_GZIP, NULL, "yesterday"));
	/* If-None-Match wins over If-Modified-Since. */
	assert_false(cache_not_modified(e, CACHE_GZIP, "\"nope\"",
	    "Wed, 13 Sep 2023 10:00:00 GMT"));
	assert_false(cache_not_modified(e, CACHE_GZIP, NULL, NULL));
	cache_entry_discard(e);
	http_cache_free(c);
}

static void
test_expiry_and_replace(void **state)
{
	struct http_cache	*c;
	struct http_response	 res;
	struct cache_entry	*e;
	struct http_cache_stats	 st;
	size_t			 len;

	(void)state;
	c = http_cache_new(1 << 20);
	page(&res, 1000, 1, "text/html");
	res.expires = 5000;
	e = cache_entry_new(c, "/list", 5, &res);
	buf_clear(&res.body);
	assert_int_equal(cache_insert(c, e, http_cache_gen(c)), 0);
	assert_true(has(c, "/list", 4999));
	assert_false(has(c, "/list", 5000));
	assert_false(has(c, "/lis", 1));
	assert_false(has(c, "/list?page=2", 1));

	/* The same key again replaces the entry. */
	put(c, "/list", 3000, 2);
	assert_true(has(c, "/list", 9999));
	http_cache_stats(c, &st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(cache_read_begin(c), 0);
	e = cache_find(c, "/list", 5, 1);
	assert_true(cache_entry_body(e, CACHE_IDENTITY, &len) != NULL);
	assert_true(len >= 3000);
	cache_read_end(c);
	http_cache_free(c);
}

static void
test_budget_lru(void **state)
{
	struct http_cache	*c;
	struct http_cache_stats	 st;
	char			 key[32];
	int			 i;

	(void)state;
	/* Entries of ~5 KB (with overhead) in 64 KB: about a dozen fit. */
	c = http_cache_new(64 * 1024);
	for (i = 0; i < 10; i++) {
		snprintf(key, sizeof(key), "/p%d", i);
		put(c, key, 100, i);
	}
	/* Uncompressible-size pages: no variants, size is what we say. */
	http_cache_stats(c, &st);
	assert_int_equal(st.entries, 10);
	assert_true(st.bytes <= st.budget);
	/* /p0 and /p1 are read now: they are the recently used ones. */
	assert_true(has(c, "/p0", 1));
	assert_true(has(c, "/p1", 1));
	for (i = 10; i < 200; i++) {
		snprintf(key, sizeof(key), "/p%d", i);
		put(c, key, 100, i);
		assert_true(has(c, "/p0", 1));
		assert_true(has(c, "/p1", 1));
		http_cache_stats(c, &st);
		assert_true(st.bytes <= st.budget);
	}
	http_cache_stats(c, &st);
	assert_true(st.evictions > 150);
	assert_true(st.entries + st.evictions == 200);
	/* The oldest untouched ones went first. */
	assert_false(has(c, "/p2", 1));
	assert_false(has(c, "/p100", 1));
	assert_true(has(c, "/p199", 1));
	http_cache_free(c);
}

static void
test_tags(void **state)
{
	struct http_cache	*c;
	struct http_response	 res;
	struct cache_entry	*e;
	struct arena		*a;
	uint64_t		 t[2], gen;
	const char *const	 keys[] = { "/post1", "/post2", "/front",
				    "/label" };
	const char *const	 tags[][3] = {
		{ "post:1", "nav", NULL },
		{ "post:2", "nav", NULL },
		{ "list", "post:1", "post:2" },
		{ "label:russia", "post:2", NULL },
	};
	size_t			 i, j;

	(void)state;
	c = http_cache_new(1 << 20);
	a = arena_new();
	for (i = 0; i < nitems(keys); i++) {
		page(&res, 1000, (int)i, "text/html");
		for (j = 0; j < 3 && tags[i][j] != NULL; j++)
			http_response_tag(a, &res, tags[i][j]);
		e = cache_entry_new(c, keys[i], strlen(keys[i]), &res);
		buf_clear(&res.body);
		assert_int_equal(cache_insert(c, e, http_cache_gen(c)), 0);
	}
	/* A comment on post 1: its page and the front page. */
	t[0] = http_cache_tag("post:1");
	assert_int_equal(http_cache_invalidate(c, t, 1), 2);
	assert_false(has(c, "/post1", 1));
	assert_false(has(c, "/front", 1));
	assert_true(has(c, "/post2", 1));
	assert_true(has(c, "/label", 1));
	/* Nothing shows this: nothing goes. */
	t[0] = http_cache_tag("label:ukraine");
	t[1] = http_cache_tag("post:9");
	assert_int_equal(http_cache_invalidate(c, t, 2), 0);
	assert_true(has(c, "/post2", 1));

	/*
	 * A page made while a write was applied may show the old data: it
	 * is not kept.  One made after is.
	 */
	gen = http_cache_gen(c);
	e = entry(c, "/post1", 1000, 7);
	t[0] = http_cache_tag("label:russia");
	assert_int_equal(http_cache_invalidate(c, t, 1), 1);
	assert_int_equal(cache_insert(c, e, gen), -1);
	assert_false(has(c, "/post1", 1));
	put(c, "/post1", 1000, 8);
	assert_true(has(c, "/post1", 1));

	assert_int_equal(http_cache_clear(c), 2);
	assert_false(has(c, "/post1", 1));
	assert_false(has(c, "/post2", 1));
	arena_free(a);
	http_cache_free(c);
	/* A NULL cache (size 0) is a quiet no-op. */
	assert_null(http_cache_new(0));
	assert_int_equal(http_cache_invalidate(NULL, t, 1), 0);
}

/* ---- readers against a writer ---- */

struct race {
	struct http_cache	*c;
	_Atomic int		 stop;
	_Atomic uint64_t	 found;
};

static void *
reader(void *arg)
{
	struct race		*r = arg;
	struct cache_entry	*e;
	const char		*b;
	char			 key[16];
	size_t			 len;
	uint64_t		 found = 0, sum = 0;
	int			 i = 0;

	while (!atomic_load(&r->stop)) {
		snprintf(key, sizeof(key), "/k%d", i++ % 8);
		if (cache_read_begin(r->c) == -1)
			break;
		if ((e = cache_find(r->c, key, strlen(key), 1)) != NULL) {
			/* Touch the bytes: a freed entry shows under ASan. */
			b = cache_entry_body(e, CACHE_IDENTITY, &len);
			sum += (unsigned char)b[len - 1];
			found++;
		}
		cache_read_end(r->c);
	}
	atomic_fetch_add(&r->found, found + (sum == 0));
	return NULL;
}

static void
test_readers_race_writer(void **state)
{
	struct race	 r;
	pthread_t	 t[3];
	uint64_t	 tag;
	char		 key[16];
	int		 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.c = http_cache_new(64 * 1024);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
	for (i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "/k%d", i % 8);
		put(r.c, key, 100, i);
		if (i % 7 == 0) {
			tag = http_cache_tag("none");
			http_cache_invalidate(r.c, &tag, 1);
		}
		if (i % 101 == 0)
			http_cache_clear(r.c);
	}
	atomic_store(&r.stop, 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_true(atomic_load(&r.found) > 0);
	http_cache_free(r.c);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_not_modified),
		cmocka_unit_test(test_expiry_and_replace),
		cmocka_unit_test(test_budget_lru),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_readers_race_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
