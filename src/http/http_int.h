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
 * Shared inside src/http only.
 */
#ifndef GAZETTE_HTTP_INT_H
#define GAZETTE_HTTP_INT_H

/* ---- form.c ---- */

/* The value of hex digit c, or -1. */
int	 http_hexval(char c);

/* ---- cache.c ---- */

struct MHD_Response;
struct cache_entry;

enum cache_enc {
	CACHE_IDENTITY = 0,
	CACHE_GZIP,
	CACHE_BROTLI,
	CACHE_ENC__MAX
};

/*
 * A reader's section: entries found between begin and end stay valid
 * until end.  begin returns -1 when the thread has no reader slot left
 * (more than 256 threads): then it must not look anything up.
 */
int		 cache_read_begin(struct http_cache *);
void		 cache_read_end(struct http_cache *);
/* The fresh entry for key at time now (clock_now()), or NULL. */
struct cache_entry *cache_find(struct http_cache *, const char *key,
		    size_t keylen, int64_t now);
int		 cache_entry_status(const struct cache_entry *);
int		 cache_entry_route(const struct cache_entry *);
/* The variant's body (NULL when it has none) and ETag.  Borrowed. */
const char	*cache_entry_body(const struct cache_entry *, enum cache_enc,
		    size_t *len);
const char	*cache_entry_etag(const struct cache_entry *, enum cache_enc);
/* The encoding to send for an Accept-Encoding value (NULL: none). */
enum cache_enc	 cache_pick(const struct cache_entry *, const char *ae);
/* 1 when If-None-Match / If-Modified-Since (each may be NULL) allow 304. */
int		 cache_not_modified(const struct cache_entry *, enum cache_enc,
		    const char *inm, const char *ims);
/* The cached response object (hit).  Borrowed. */
struct MHD_Response *cache_entry_response(const struct cache_entry *,
		    enum cache_enc);
/*
 * A 304 Not Modified with the headers of the cached response (and its
 * Content-Length), or NULL: the caller queues and destroys it.
 */
struct MHD_Response *cache_entry_304(const struct cache_entry *,
		    enum cache_enc);
/*
 * A new entry for key made from res (body copied and compressed), not
 * yet in the cache; NULL when it is too large for c.  Give it to
 * cache_insert or cache_entry_discard.
 */
struct cache_entry *cache_entry_new(const struct http_cache *c,
		    const char *key, size_t keylen,
		    const struct http_response *res);
/*
 * A response for the request that made e (X-Cache: miss, body copied):
 * the caller queues and destroys it.  NULL when out of memory.
 */
struct MHD_Response *cache_entry_miss(const struct cache_entry *,
		    const struct http_response *, enum cache_enc, int is_304);
void		 cache_entry_discard(struct cache_entry *);
/*
 * Publishes e, replacing an entry of the same key, evicting as needed;
 * takes ownership.  When the cache was invalidated since gen
 * (http_cache_gen before the page was made) e is freed instead and -1
 * returned.
 */
int		 cache_insert(struct http_cache *, struct cache_entry *,
		    uint64_t gen);

/* ---- server.c ---- */

/* Adds Content-Type, the security headers and res's own headers. */
void		 http_headers_add(struct MHD_Response *,
		    const struct http_response *);

#endif /* GAZETTE_HTTP_INT_H */
