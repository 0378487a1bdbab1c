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

/* ---- server.c ---- */

typedef void (*http_handler_fn)(void *arg, struct http_request *,
    struct http_response *);

struct http_config {
	const char	*listen;	/* "ADDR:PORT", ADDR v4 or [v6] */
	int		 threads;	/* worker threads, each its own loop */
	size_t		 max_body;	/* request body bytes, <= LIMIT_BODY */
	int		 timeout;	/* idle seconds, <= LIMIT_TIMEOUT */
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
