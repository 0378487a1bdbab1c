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
 * libmicrohttpd glue: binds, runs the worker threads, turns each request
 * into a struct http_request for the handler and its struct
 * http_response into bytes.  Owns the per-request state (arena, body)
 * from the first byte of the request to its completion.  Knows nothing of
 * pages; a bad request is marked (error_status) and still handed to the
 * handler so the reader gets a themed page that says why.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "http.h"
#include "http_int.h"

struct http_server {
	struct MHD_Daemon	*daemon;
	http_handler_fn		 handler;
	void			*arg;
	size_t			 max_body;	/* bytes */
	struct http_cache	*cache;	/* borrowed, or NULL */
	http_refresh_fn		 refresh;
	void			*refresh_arg;
	http_observe_fn		 observe;
	void			*observe_arg;
};

/* Everything one request owns; freed by request_completed(). */
struct request_state {
	struct http_request	 req;
	struct buf		 body;	/* POST body so far */
	int			 started;	/* first handler call seen */
	int			 too_large;	/* body passed max_body */
	char			*uri;	/* raw request target, arena */
	/* What was sent, for the observe hook: */
	struct http_observation	 obs;	/* status 0: nothing queued */
	struct timespec		 start;	/* first sight of the request */
};

static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	{ 200, "OK" }, { 201, "Created" }, { 301, "Moved Permanently" },
	{ 303, "See Other" },
	{ 304, "Not Modified" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 413, "Content Too Large" },
	{ 414, "URI Too Long" }, { 415, "Unsupported Media Type" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

const char *
http_status_text(int status)
{
	size_t	 i;

	for (i = 0; i < nitems(statuses); i++)
		if (statuses[i].code == status)
			return statuses[i].text;
	return "Error";
}

const char *
http_header(const struct http_request *req, const char *name)
{
	if (req->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static const char *
param_get(const struct http_param *v, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].value;
	return NULL;
}

const char *
http_param(const struct http_request *req, const char *name)
{
	return param_get(req->params, req->nparams, name);
}

const char *
http_form_field(const struct http_request *req, const char *name)
{
	return param_get(req->form, req->nform, name);
}

void
http_response_tag(struct arena *a, struct http_response *res,
    const char *tag)
{
	uint64_t	*v;

	/* Doubling from 8: the array is in the arena, the old copy stays. */
	if (res->ntags == 0 || (res->ntags >= 8 &&
	    (res->ntags & (res->ntags - 1)) == 0)) {
		v = arena_allocarray(a, res->ntags < 8 ? 8 : res->ntags * 2,
		    sizeof(*v));
		if (res->ntags > 0)
			memcpy(v, res->tags, res->ntags * sizeof(*v));
		res->tags = v;
	}
	res->tags[res->ntags++] = http_cache_tag(tag);
}

void
http_response_header(struct http_response *res, const char *name,
    const char *value)
{
	if (res->nheaders == HTTP_HEADERS_MAX) {
		log_warnx("response header %s dropped: too many", name);
		return;
	}
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
}

static void
mark_bad(struct http_request *req, int status, const char *why)
{
	if (req->error_status == 0) {
		req->error_status = status;
		req->error = why;
	}
}

/* MHD_OPTION_URI_LOG_CALLBACK: the first sight of a request. */
static void *
request_begin(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server	*srv = cls;
	struct request_state	*st;
	struct arena		*a;

	(void)conn;
	a = arena_new();
	st = arena_alloc(a, sizeof(*st));
	st->req.arena = a;
	buf_init(&st->body);
	st->uri = arena_strdup(a, uri == NULL ? "" : uri);
	if (srv->observe != NULL)
		clock_gettime(CLOCK_MONOTONIC, &st->start);
	return st;
}

/* MHD_OPTION_NOTIFY_COMPLETED: releases what request_begin made. */
static void
request_completed(void *cls, struct MHD_Connection *conn, void **reqcls,
    enum MHD_RequestTerminationCode code)
{
	struct request_state	*st = *reqcls;
	struct http_server	*srv = cls;
	struct timespec		 now;

	(void)conn;
	(void)code;
	if (st == NULL)
		return;
	if (srv->observe != NULL && st->obs.status != 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		st->obs.usec = (uint64_t)((now.tv_sec - st->start.tv_sec) *
		    1000000 + (now.tv_nsec - st->start.tv_nsec) / 1000);
		st->obs.uri = st->uri;
		srv->observe(srv->observe_arg, &st->req, &st->obs);
	}
	buf_clear(&st->body);
	arena_free(st->req.arena);
	*reqcls = NULL;
}

/* Keeps MHD from decoding anything: we decode paths and queries. */
static size_t
no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

static void
client_addr(struct http_request *req, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo	*ci;
	char				 host[INET6_ADDRSTRLEN];
	const struct sockaddr		*sa;

	req->client_addr = "";
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, host, sizeof(host));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, host, sizeof(host));
	else
		return;
	req->client_addr = arena_strdup(req->arena, host);
}

/* Fills the request from what MHD parsed; marks it bad where it is. */
static void
request_parse(struct request_state *st, struct MHD_Connection *conn,
    const char *method, size_t max_body)
{
	struct http_request	*req = &st->req;
	const char		*q, *why = NULL, *cl;
	size_t			 pathlen;
	int64_t			 len;

	req->conn = conn;
	req->method_name = arena_strdup(req->arena, method);
	if (strcmp(method, "GET") == 0)
		req->method = HTTP_GET;
	else if (strcmp(method, "HEAD") == 0)
		req->method = HTTP_HEAD;
	else if (strcmp(method, "POST") == 0)
		req->method = HTTP_POST;
	else
		req->method = HTTP_OTHER;
	client_addr(req, conn);

	q = strchr(st->uri, '?');
	pathlen = q != NULL ? (size_t)(q - st->uri) : strlen(st->uri);
	req->raw_query = q != NULL ? q + 1 : "";
	if (pathlen > LIMIT_URL) {
		req->path = "/";
		mark_bad(req, 414, "the address is too long");
		return;
	}
	req->path = http_path_normalize(req->arena, st->uri, pathlen, &why);
	if (req->path == NULL) {
		req->path = "/";
		mark_bad(req, 400, why);
		return;
	}
	/* The handler decides: a search page answers a bad query itself. */
	if (strlen(req->raw_query) > LIMIT_URL)
		req->query_error = "the query is too long";
	else if (http_form_decode(req->arena, req->raw_query,
	    strlen(req->raw_query), &req->params, &req->nparams, &why) == -1)
		req->query_error = arena_printf(req->arena, "query: %s", why);

	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL && (str_to_i64(cl, 0, INT64_MAX, &len) == -1 ||
	    (uint64_t)len > max_body))
		mark_bad(req, 413, "the request body is too large");
}

/*
 * Decodes a finished POST body into req->form.  A bad body is marked in
 * form_status, not error_status: only a handler that takes a form cares
 * (a POST to a page that takes none is a 405 whatever its body).
 */
static void
request_form(struct request_state *st)
{
	struct http_request	*req = &st->req;
	const char		*ct, *why = NULL;

	if (req->method != HTTP_POST || req->error_status != 0)
		return;
	if (st->too_large) {
		req->form_status = 413;
		req->form_error = "the request body is too large";
		return;
	}
	ct = http_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	/* JSON (the API) goes to the handler as it came; it is no form. */
	if (ct != NULL && strncasecmp(ct, "application/json", 16) == 0) {
		req->body = arena_strndup(req->arena, st->body.p == NULL ?
		    "" : st->body.p, st->body.len);
		req->bodylen = st->body.len;
	}
	if (ct == NULL || strncasecmp(ct,
	    "application/x-www-form-urlencoded", 33) != 0) {
		req->form_status = 415;
		req->form_error = "the form must be sent as "
		    "application/x-www-form-urlencoded";
		return;
	}
	if (http_form_decode(req->arena, st->body.p == NULL ? "" : st->body.p,
	    st->body.len, &req->form, &req->nform, &why) == -1) {
		req->form_status = 400;
		req->form_error = arena_printf(req->arena, "form: %s", why);
	}
}

void
http_headers_add(struct MHD_Response *r, const struct http_response *res)
{
	size_t	 i;
	int	 has_csp = 0;

	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    res->content_type != NULL ? res->content_type :
	    "text/html; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	for (i = 0; i < res->nheaders; i++) {
		MHD_add_response_header(r, res->headers[i].name,
		    res->headers[i].value);
		if (strcasecmp(res->headers[i].name,
		    "Content-Security-Policy") == 0)
			has_csp = 1;
	}
	/* The handler may set its own (the admin allows its script). */
	if (!has_csp)
		MHD_add_response_header(r, "Content-Security-Policy",
		    "default-src 'self'; img-src 'self' https: data:; "
		    "script-src 'none'; frame-ancestors 'none'");
}

/* Notes what goes out, for the observe hook. */
static void
sent(struct request_state *st, int status, size_t len, int route,
    enum http_cache_use cache)
{
	st->obs.status = status;
	st->obs.bytes = st->req.method == HTTP_HEAD || status == 304 ? 0 :
	    len;
	st->obs.route = route;
	st->obs.cache = cache;
}

static enum MHD_Result
respond(struct MHD_Connection *conn, struct request_state *st,
    struct http_response *res)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	size_t			 len = res->body.len;

	r = MHD_create_response_from_buffer_with_free_callback(len,
	    buf_release(&res->body), free);
	if (r == NULL)
		return MHD_NO;
	http_headers_add(r, res);
	ret = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES && st->obs.status == 0)
		sent(st, res->status, len, res->route, HTTP_CACHE_NONE);
	return ret;
}

/* The cache key: the normalized path and the query as sent. */
static const char *
cache_key(struct http_request *req, size_t *len)
{
	size_t	 plen = strlen(req->path), qlen = strlen(req->raw_query);
	char	*k;

	if (qlen == 0) {
		*len = plen;
		return req->path;
	}
	k = arena_alloc(req->arena, plen + qlen + 2);
	memcpy(k, req->path, plen);
	k[plen] = '?';
	memcpy(k + plen + 1, req->raw_query, qlen);
	*len = plen + 1 + qlen;
	return k;
}

/*
 * A GET or HEAD with the cache on: answered from an entry when there is
 * one (no lock, nothing copied: the cached response object is queued),
 * else made by the handler and kept when it says it may be.
 */
static enum MHD_Result
respond_cached(struct http_server *srv, struct request_state *st,
    struct MHD_Connection *conn)
{
	struct http_request	*req = &st->req;
	struct http_cache	*c = srv->cache;
	struct http_response	 res;
	struct cache_entry	*e;
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	enum cache_enc		 enc;
	const char		*key, *ae, *inm, *ims;
	size_t			 keylen, len;
	uint64_t		 gen;
	int			 is_304, status, route;

	if (srv->refresh != NULL)
		srv->refresh(srv->refresh_arg);
	key = cache_key(req, &keylen);
	ae = http_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	inm = http_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
	ims = http_header(req, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (cache_read_begin(c) == 0) {
		if ((e = cache_find(c, key, keylen, clock_now())) != NULL) {
			enc = cache_pick(e, ae);
			is_304 = cache_not_modified(e, enc, inm, ims);
			status = is_304 ? 304 : cache_entry_status(e);
			cache_entry_body(e, enc, &len);
			route = cache_entry_route(e);
			if (!is_304)
				ret = MHD_queue_response(conn,
				    (unsigned)status,
				    cache_entry_response(e, enc));
			else if ((r = cache_entry_304(e, enc)) != NULL) {
				ret = MHD_queue_response(conn,
				    (unsigned)status, r);
				MHD_destroy_response(r);
			} else
				ret = MHD_NO;
			/* From here e may be freed by a writer. */
			cache_read_end(c);
			if (ret == MHD_YES)
				sent(st, status, len, route, HTTP_CACHE_HIT);
			return ret;
		}
		cache_read_end(c);
	}

	gen = http_cache_gen(c);
	memset(&res, 0, sizeof(res));
	res.status = 200;
	buf_init(&res.body);
	srv->handler(srv->arg, req, &res);
	if (!res.is_cacheable || res.status != 200 ||
	    (e = cache_entry_new(c, key, keylen, &res)) == NULL) {
		ret = respond(conn, st, &res);
		if (ret == MHD_YES)
			st->obs.cache = HTTP_CACHE_MISS;
		buf_clear(&res.body);
		return ret;
	}
	enc = cache_pick(e, ae);
	is_304 = cache_not_modified(e, enc, inm, ims);
	r = cache_entry_miss(e, &res, enc, is_304);
	cache_entry_body(e, enc, &len);
	cache_insert(c, e, gen);
	if (r == NULL) {
		ret = respond(conn, st, &res);
		buf_clear(&res.body);
		return ret;
	}
	status = is_304 ? 304 : res.status;
	ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES)
		sent(st, status, len, res.route, HTTP_CACHE_MISS);
	buf_clear(&res.body);
	return ret;
}

static enum MHD_Result
request_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *uploadlen, void **reqcls)
{
	struct http_server	*srv = cls;
	struct request_state	*st = *reqcls;
	struct http_response	 res;
	enum MHD_Result		 ret;

	(void)url;
	if (st == NULL)
		return MHD_NO;
	if (!st->started) {
		/*
		 * Only set up on the first call: queueing a response now
		 * would make libmicrohttpd close the connection afterwards.
		 */
		st->started = 1;
		request_parse(st, conn, method, srv->max_body);
		if (st->req.error_status != 413)
			return MHD_YES;
	} else if (*uploadlen > 0) {
		if (!st->too_large && st->req.error_status == 0 &&
		    *uploadlen <= srv->max_body - st->body.len)
			buf_add(&st->body, upload, *uploadlen);
		else
			st->too_large = 1;
		*uploadlen = 0;
		return MHD_YES;
	}
	request_form(st);
	st->obs.version = arena_strdup(st->req.arena, version);
	if (srv->cache != NULL && st->req.error_status == 0 &&
	    (st->req.method & (HTTP_GET | HTTP_HEAD)) != 0)
		return respond_cached(srv, st, conn);

	memset(&res, 0, sizeof(res));
	res.status = 200;
	buf_init(&res.body);
	srv->handler(srv->arg, &st->req, &res);
	ret = respond(conn, st, &res);
	buf_clear(&res.body);
	return ret;
}

/* Parses "ADDR:PORT" ("[::1]:8080" for IPv6) into ss. */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res = NULL;
	char		 host[256];
	const char	*colon, *h;
	size_t		 hlen;
	int		 rc;

	if ((colon = strrchr(listen, ':')) == NULL) {
		snprintf(err, errlen, "listen address \"%s\": expected "
		    "ADDR:PORT", listen);
		return -1;
	}
	h = listen;
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host)) {
		snprintf(err, errlen, "listen address \"%s\": bad host",
		    listen);
		return -1;
	}
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
		snprintf(err, errlen, "listen address \"%s\": %s", listen,
		    gai_strerror(rc));
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

/* The total connection limit: LIMIT_CONNECTIONS unless set lower. */
static unsigned int
conn_limit(const struct http_config *cfg)
{
	if (cfg->connections < 1 || cfg->connections > LIMIT_CONNECTIONS)
		return LIMIT_CONNECTIONS;
	return (unsigned int)cfg->connections;
}

struct http_server *
http_server_start(const struct http_config *cfg, http_handler_fn handler,
    void *arg, char *err, size_t errlen)
{
	struct http_server	*srv;
	struct sockaddr_storage	 ss;
	unsigned int		 flags;

	if (parse_listen(cfg->listen, &ss, err, errlen) == -1)
		return NULL;
	srv = xcalloc(1, sizeof(*srv));
	srv->handler = handler;
	srv->arg = arg;
	srv->max_body = cfg->max_body > LIMIT_BODY ? LIMIT_BODY :
	    cfg->max_body;
	srv->cache = cfg->cache;
	srv->refresh = cfg->refresh;
	srv->refresh_arg = cfg->refresh_arg;
	srv->observe = cfg->observe;
	srv->observe_arg = cfg->observe_arg;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (log_verbose)
		flags |= MHD_USE_ERROR_LOG;
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL,
	    request_access, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(cfg->threads > 1 ?
	    cfg->threads : 1),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout,
	    MHD_OPTION_CONNECTION_LIMIT, conn_limit(cfg),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)(cfg->per_address > 0 ? cfg->per_address : 0),
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(2 * LIMIT_HEADER),
	    MHD_OPTION_URI_LOG_CALLBACK, request_begin, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, srv,
	    MHD_OPTION_END);
	if (srv->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s (address in use "
		    "or not available)", cfg->listen);
		free(srv);
		return NULL;
	}
	return srv;
}

int
http_server_port(const struct http_server *srv)
{
	const union MHD_DaemonInfo	*di;

	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return di == NULL ? 0 : di->port;
}

void
http_server_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
