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
 * Fuzz target: a whole request through the site, in process.  The input
 * is a synthesized request: byte 0 picks the method (bits 0-1: GET,
 * HEAD, POST, PUT), the bytes up to the first newline are the request
 * target (path and query, as sent), and the rest is a urlencoded body.
 * It is taken apart the way src/http/server.c does (path normalization,
 * query and form decoding, the same limits), then handed to site_handle
 * over a site made once per process: a SQLite store in a temporary
 * folder with one imported post, its labels and a comment.  Checks that
 * no input alone earns a 5xx, that a redirect says where to, and that a
 * page has a body.  Not here: libmicrohttpd's own parsing of the bytes
 * (fuzzed upstream) and request headers (http_header() answers NULL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "http/http.h"
#include "import/import.h"
#include "site/site.h"
#include "store/store.h"

#include "fuzz.h"

static struct store	*st;
static struct site	*site;
static struct conf	 conf;
static char		 dir[64];	/* the site's temporary folder */

static const char seed[] =
    "2024-03-05\n"
    "Harbour lights <and> \"quotes\"\n"
    "The ferry came in late, and the harbour lights were on.\n"
    "A second paragraph with a link http://example.org/x.\n"
    "Labels:\n"
    "Sea & ships\n"
    "night/day\n"
    "Comments\n"
    "Ana said...\n"
    "Lovely evening.\n"
    "March 6, 2024 at 10:00 AM\n"
    "Post a Comment\n";

static void
rm_site(void)
{
	static const char *const files[] = { "gazette.db", "gazette.db-wal",
	    "gazette.db-shm", "secret.key", "seed.txt" };
	char	 path[128];
	size_t	 i;

	for (i = 0; i < nitems(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
cleanup(void)
{
	site_free(site);
	store_close(st);
	conf_clear(&conf);
	rm_site();
}

static void
fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_site: %s: %s\n", what, why);
	rm_site();
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct import_opts	 io = { "en", "UTC" };
	struct import_result	 res;
	char			 url[128], path[128], err[512];
	FILE			*f;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/gazette-fuzz-XXXXXX");
	if (mkdtemp(dir) == NULL)
		fail("mkdtemp", strerror(errno));
	clock_set_fixed(1710000000);	/* 2024-03-09, after the post */
	conf_defaults(&conf);
	conf.comments_min_seconds = 0;
	conf.comments_rate = 0;
	snprintf(url, sizeof(url), "sqlite:%s/gazette.db", dir);
	if (store_open(url, 1, &st, err, sizeof(err)) != STORE_OK)
		fail("store", err);
	snprintf(path, sizeof(path), "%s/seed.txt", dir);
	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(seed, 1, sizeof(seed) - 1, f) != sizeof(seed) - 1 ||
	    fclose(f) != 0)
		fail(path, strerror(errno));
	if (import_seed_file(st, &io, path, &res, err, sizeof(err)) == -1)
		fail("import", err);
	if ((site = site_new(&conf, st, dir, err, sizeof(err))) == NULL)
		fail("site", err);
	atexit(cleanup);
	return 0;
}

/* What server.c's request_parse and request_form make of the bytes. */
static void
request_make(struct http_request *req, const char *target, size_t tlen,
    const char *body, size_t blen)
{
	const char	*q, *why = NULL;
	size_t		 pathlen;

	q = memchr(target, '?', tlen);
	pathlen = q != NULL ? (size_t)(q - target) : tlen;
	req->raw_query = q != NULL ? arena_strndup(req->arena, q + 1,
	    tlen - pathlen - 1) : "";
	req->path = "/";
	if (pathlen > LIMIT_URL) {
		req->error_status = 414;
		req->error = "the address is too long";
		return;
	}
	if ((req->path = http_path_normalize(req->arena, target, pathlen,
	    &why)) == NULL) {
		FUZZ_CHECK(why != NULL);
		req->path = "/";
		req->error_status = 400;
		req->error = why;
		return;
	}
	if (strlen(req->raw_query) > LIMIT_URL)
		req->query_error = "the query is too long";
	else if (http_form_decode(req->arena, req->raw_query,
	    strlen(req->raw_query), &req->params, &req->nparams, &why) == -1)
		req->query_error = arena_printf(req->arena, "query: %s", why);
	if (req->method != HTTP_POST)
		return;
	if (blen > LIMIT_BODY) {
		req->form_status = 413;
		req->form_error = "the request body is too large";
	} else if (http_form_decode(req->arena, body, blen, &req->form,
	    &req->nform, &why) == -1) {
		req->form_status = 400;
		req->form_error = arena_printf(req->arena, "form: %s", why);
	}
}

/* The value of response header name, or NULL. */
static const char *
res_header(const struct http_response *res, const char *name)
{
	size_t	 i;

	for (i = 0; i < res->nheaders; i++)
		if (strcasecmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum http_method methods[] = { HTTP_GET, HTTP_HEAD,
	    HTTP_POST, HTTP_OTHER };
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT" };
	struct http_request	 req;
	struct http_response	 res;
	const char		*text, *nl, *loc;
	size_t			 len, tlen;

	if (site == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size < 1)
		return 0;
	text = (const char *)data + 1;
	len = size - 1;
	nl = memchr(text, '\n', len);
	tlen = nl != NULL ? (size_t)(nl - text) : len;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.method = methods[data[0] & 3];
	req.method_name = names[data[0] & 3];
	req.client_addr = "127.0.0.1";
	request_make(&req, text, tlen, nl != NULL ? nl + 1 : "",
	    nl != NULL ? len - tlen - 1 : 0);

	memset(&res, 0, sizeof(res));
	res.status = 200;
	buf_init(&res.body);
	site_handle(site, &req, &res);

	/* Bad input is the reader's fault: a 4xx, never a 5xx. */
	FUZZ_CHECK(res.status >= 200 && res.status < 500);
	if (res.status == 301 || res.status == 302 || res.status == 303) {
		loc = res_header(&res, "Location");
		FUZZ_CHECK(loc != NULL && loc[0] != '\0');
		/* Never somewhere else: a path, or this site's URL. */
		FUZZ_CHECK((loc[0] == '/' && loc[1] != '/') ||
		    str_has_prefix(loc, conf.site_url));
	} else if (res.status != 304)
		FUZZ_CHECK(res.body.len > 0 || req.method == HTTP_HEAD);
	buf_clear(&res.body);
	arena_free(req.arena);
	return 0;
}
