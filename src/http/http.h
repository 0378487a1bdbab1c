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
 * http: the web server, apart from what any page means.  libmicrohttpd
 * glue (server.c), path normalization and routing (route.c), and query
 * and form decoding (form.c).  Never sees the store: it hands each
 * request to one handler function and sends what that fills in.
 *
 * Errors: 0 / -1, NULL for pointer results, a message in err buffers.
 * Threads: handlers run on the server's worker threads, many at once;
 * everything a request owns lives in its arena.
 */
#ifndef GAZETTE_HTTP_H
#define GAZETTE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_OTHER = 1 << 3,	/* anything else: answered 405 */
};

/* One decoded name=value pair of a query string or form. */
struct http_param {
	const char	*name;	/* NUL-terminated, valid UTF-8 */
	const char	*value;	/* NUL-terminated, valid UTF-8, no NUL inside */
	size_t		 valuelen;	/* bytes */
};

struct http_request {
	struct arena	*arena;	/* freed when the request completes */
	enum http_method method;
	const char	*method_name;	/* as sent */
	const char	*path;	/* normalized; %2F stays encoded */
	const char	*raw_query;	/* after '?', undecoded, or "" */
	struct http_param *params;	/* decoded query */
	size_t		 nparams;
	struct http_param *form;	/* decoded urlencoded POST body */
	size_t		 nform;
	const char	*client_addr;	/* "127.0.0.1", "::1" */
	int		 error_status;	/* 0, or 4xx when the request is bad */
	const char	*error;	/* why it is bad, for the reader */
	int		 form_status;	/* 0, or 4xx for a bad POST body */
	const char	*form_error;	/* why the body is bad */
	const char	*query_error;	/* why the query string is bad, or
					   NULL (params then hold nothing) */
	void		*conn;	/* struct MHD_Connection, for http_header() */
	const char	*body;	/* a POST body sent as application/json
				   (NUL-terminated, may hold NUL), or NULL;
				   form_status is then 415 all the same */
	size_t		 bodylen;	/* bytes */
};

struct http_header {
	const char	*name;	/* borrowed: static or request arena */
	const char	*value;
};

#define HTTP_HEADERS_MAX 12

struct http_response {
	int		 status;	/* 200 unless set */
	const char	*content_type;	/* with charset; NULL: text/html */
	struct buf	 body;	/* handed to the server after the handler */
	struct http_header headers[HTTP_HEADERS_MAX];	/* extra headers */
	size_t		 nheaders;
	/* For the page cache (cache.c) and the observe hook: */
	int		 is_cacheable;	/* 1: the cache may keep a 200 to a
					   GET or HEAD; 0 (default): never */
	int64_t		 expires;	/* clock_now() second from which the
					   cached copy is stale; 0: only an
					   invalidation ends it */
	uint64_t	*tags;	/* http_cache_tag() of what the page shows,
				   in the request arena */
	size_t		 ntags;
	int		 route;	/* the handler's kind of page, passed back
				   to observe (0: none) */
};

/* Request header name (case-insensitive), or NULL. Borrowed. */
const char	*http_header(const struct http_request *, const char *name);
/* Decoded query parameter, or NULL.  Borrowed from the request. */
const char	*http_param(const struct http_request *, const char *name);
/* Decoded form field, or NULL.  Borrowed from the request. */
const char	*http_form_field(const struct http_request *, const char *name);
/* Adds a response header; drops it (and logs) past HTTP_HEADERS_MAX. */
void		 http_response_header(struct http_response *, const char *name,
		    const char *value);
/*
 * Adds tag (http_cache_tag of it) to what the response shows; the array
 * grows in arena a, the request's.
 */
void		 http_response_tag(struct arena *a, struct http_response *,
		    const char *tag);

/* ---- form.c ---- */

/*
 * Decodes an application/x-www-form-urlencoded string s[0..len) into an
 * arena array.  Refuses (returns -1 with the reason in *why, a static
 * string or an arena one) bad %-escapes, %00, invalid UTF-8, and more than
 * LIMIT_FORM_FIELDS pairs.  A repeated name keeps the first value.
 */
int	 http_form_decode(struct arena *, const char *s, size_t len,
	    struct http_param **out, size_t *nout, const char **why);

/* ---- route.c ---- */

/*
 * Normalizes a raw request path into an arena string: percent-decodes
 * (but keeps %2F as "%2F" so encoded slashes stay inside one segment),
 * resolves "." and ".." (never above "/"), and merges repeated slashes.
 * Returns NULL with the reason in *why for a path that is not absolute,
 * too long (LIMIT_URL), has a bad escape or %00, or is not UTF-8.
 */
char	*http_path_normalize(struct arena *, const char *raw, size_t len,
	    const char **why);

/*
 * A route: a pattern and the methods it answers.  Patterns are literal
 * text with captures: {year} four digits, {month} two digits, {seg} one
 * or more bytes other than '/', {rest} one or more bytes of anything.  A
 * literal after {seg} in the same segment (".html") must end it.
 */
struct http_route {
	const char	*pattern;	/* "/{year}/{month}/{seg}.html" */
	unsigned	 methods;	/* enum http_method bits */
	int		 id;	/* the caller's handler number */
};

struct span {
	const char	*p;	/* borrowed from the matched path */
	size_t		 len;
};

#define HTTP_ROUTE_CAPS 4

/*
 * The first route in routes[0..n) whose pattern matches path, with its
 * captures in caps (unused ones zeroed), or NULL.
 */
const struct http_route *http_route_match(const struct http_route *routes,
	    size_t n, const char *path, struct span caps[HTTP_ROUTE_CAPS]);

/* ---- cache.c ---- */

/*
 * The page cache: whole responses to GET and HEAD, kept in memory with
 * identity, gzip and brotli bodies made once, strong ETags, 304s, and
 * tags that say what each page shows.  The server looks a request up
 * before calling the handler (a hit takes no lock and copies nothing)
 * and keeps what a handler marked is_cacheable.  Whoever knows what
 * changed (the site) calls http_cache_invalidate with its tags.
 *
 * Threads: every function may be called from any thread at once.
 */
struct http_cache;

struct http_cache_stats {
	uint64_t	 budget;	/* bytes allowed */
	uint64_t	 entries;	/* pages kept */
	uint64_t	 bytes;	/* their size, all variants, with overhead */
	uint64_t	 evictions;	/* dropped to stay within budget */
	uint64_t	 invalidations;	/* dropped by tags or clear */
};

/*
 * A cache of at most budget bytes (bodies of every variant plus a fixed
 * overhead per entry); a page larger than an eighth of it is not kept.
 * Returns NULL for a budget of 0 (no cache).  Free with
 * http_cache_free(), after the server using it has stopped.
 */
struct http_cache *http_cache_new(size_t budget);
void		 http_cache_free(struct http_cache *);	/* NULL: no-op */
/* The 64-bit value a tag string is kept as. */
uint64_t	 http_cache_tag(const char *tag);
/*
 * Drops every entry that carries any of tags[0..n), and makes pages that
 * were being made meanwhile not be kept (they may show the old data).
 * Returns how many entries it dropped.  NULL cache: 0.
 */
size_t		 http_cache_invalidate(struct http_cache *, const uint64_t *tags,
		    size_t n);
/* Drops every entry (and pages being made); returns how many. */
size_t		 http_cache_clear(struct http_cache *);
/* A number that changes with every invalidation or clear. */
uint64_t	 http_cache_gen(struct http_cache *);
/* Counters for metrics; zeroes for a NULL cache. */
void		 http_cache_stats(struct http_cache *, struct http_cache_stats *);

/* ---- server.c ---- */

typedef void (*http_handler_fn)(void *arg, struct http_request *,
    struct http_response *);

enum http_cache_use {
	HTTP_CACHE_NONE = 0,	/* not looked up (no cache, not a GET...) */
	HTTP_CACHE_HIT,		/* answered from the cache */
	HTTP_CACHE_MISS,	/* looked up, made by the handler */
};

/* What the server sent for one request, for the observe hook. */
struct http_observation {
	int		 status;	/* as sent (304 for a revalidation) */
	uint64_t	 bytes;	/* body bytes queued (0 for HEAD, 304) */
	uint64_t	 usec;	/* first byte of the request to the end of
				   the response, microseconds */
	int		 route;	/* the handler's res->route (kept with a
				   cached page) */
	enum http_cache_use cache;
	const char	*version;	/* "HTTP/1.1" */
	const char	*uri;	/* the request target as sent */
};

/*
 * Called once for every response the server sends, cached or not, on
 * the worker thread that sent it, after the last byte was handed to the
 * kernel (or the client went away).  The request is still readable
 * (headers through http_header(), its arena); nothing of it may be kept.
 * Must be quick and must not block for long: it runs on the hit path.
 */
typedef void (*http_observe_fn)(void *arg, const struct http_request *,
    const struct http_observation *);
/*
 * Called before every cache lookup, on the worker thread: the place to
 * notice writes made elsewhere and invalidate.  Must not take a lock
 * that a cache hit of another thread could wait for.
 */
typedef void (*http_refresh_fn)(void *arg);

struct http_config {
	const char	*listen;	/* "ADDR:PORT", ADDR v4 or [v6] */
	int		 threads;	/* worker threads, each its own loop */
	size_t		 max_body;	/* request body bytes, <= LIMIT_BODY */
	int		 timeout;	/* idle seconds, <= LIMIT_TIMEOUT */
	struct http_cache *cache;	/* borrowed; NULL: no page cache */
	http_refresh_fn	 refresh;	/* may be NULL */
	void		*refresh_arg;
	http_observe_fn	 observe;	/* may be NULL */
	void		*observe_arg;
	int		 connections;	/* open at once, 1..LIMIT_CONNECTIONS */
	int		 per_address;	/* open per client address, 0: any */
};

struct http_server;

/*
 * Binds and starts serving on worker threads; every request that gets
 * past the limits goes to handler(arg, ...).  Returns NULL with a
 * message in err when the address is bad or cannot be bound.
 */
struct http_server *http_server_start(const struct http_config *,
	    http_handler_fn handler, void *arg, char *err, size_t errlen);
/* Stops accepting, finishes the requests under way, frees.  NULL: no-op. */
void	 http_server_stop(struct http_server *);
/* The port actually bound (useful with port 0). */
int	 http_server_port(const struct http_server *);

/* Reason phrase for a status code ("Not Found"). */
const char *http_status_text(int status);

#endif /* GAZETTE_HTTP_H */
