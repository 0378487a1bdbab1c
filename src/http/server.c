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

#include <microhttpd.h>

#include "http.h"

struct http_server {
	struct MHD_Daemon	*daemon;
	http_handler_fn		 handler;
	void			*arg;
	size_t			 max_body;	/* bytes */
};

/* Everything one request owns; freed by request_completed(). */
struct request_state {
	struct http_request	 req;
	struct buf		 body;	/* POST body so far */
	int			 started;	/* first handler call seen */
	int			 too_large;	/* body passed max_body */
	char			*uri;	/* raw request target, arena */
};

static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	{ 200, "OK" }, { 301, "Moved Permanently" }, { 303, "See Other" },
	{ 304, "Not Modified" }, { 400, "Bad Request" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
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
	struct request_state	*st;
	struct arena		*a;

	(void)cls;
	(void)conn;
	a = arena_new();
	st = arena_alloc(a, sizeof(*st));
	st->req.arena = a;
	buf_init(&st->body);
	st->uri = arena_strdup(a, uri == NULL ? "" : uri);
	return st;
}

/* MHD_OPTION_NOTIFY_COMPLETED: releases what request_begin made. */
static void
request_completed(void *cls, struct MHD_Connection *conn, void **reqcls,
    enum MHD_RequestTerminationCode code)
{
	struct request_state	*st = *reqcls;

	(void)cls;
	(void)conn;
	(void)code;
	if (st == NULL)
		return;
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

static enum MHD_Result
respond(struct MHD_Connection *conn, struct http_response *res)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	size_t			 i, len = res->body.len;

	r = MHD_create_response_from_buffer_with_free_callback(len,
	    buf_release(&res->body), free);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    res->content_type != NULL ? res->content_type :
	    "text/html; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self' https: data:; "
	    "script-src 'none'; frame-ancestors 'none'");
	for (i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->headers[i].name,
		    res->headers[i].value);
	ret = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
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
	(void)version;
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

	memset(&res, 0, sizeof(res));
	res.status = 200;
	buf_init(&res.body);
	srv->handler(srv->arg, &st->req, &res);
	ret = respond(conn, &res);
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
