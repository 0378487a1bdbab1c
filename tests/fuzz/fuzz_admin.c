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
 * Fuzz target: the admin's and the API's handling of outside bytes that
 * need no session.  The input is read as a TOTP secret (base32 decoding,
 * the code and its check must agree), as an HMAC-SHA-1 key and message,
 * and as the rest of a GET path under /api/v1/ and /admin/, which goes
 * through site_handle on a real site in a temporary folder: the API must
 * answer JSON with a 4xx or 200, the admin a redirect to its login or a
 * page, and neither a 5xx.  Not here: signed-in pages (they need a
 * cookie, which needs a connection).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "http/http.h"
#include "site/site.h"
#include "site/site_int.h"
#include "store/store.h"

#include "fuzz.h"

static char		 dir[64];
static struct conf	 conf;
static struct store	*store;
static struct site	*site;

static void
cleanup(void)
{
	char		 path[128];
	static const char *const files[] = { "gazette.db", "gazette.db-wal",
	    "gazette.db-shm", "secret.key" };
	size_t		 i;

	site_free(site);
	store_close(store);
	conf_clear(&conf);
	for (i = 0; i < nitems(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 url[128], err[256];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/gazette-fuzz-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	conf_defaults(&conf);
	snprintf(url, sizeof(url), "sqlite:%s/gazette.db", dir);
	if (store_open(url, 1, &store, err, sizeof(err)) != STORE_OK ||
	    (site = site_new(&conf, store, dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_admin: %s\n", err);
		abort();
	}
	atexit(cleanup);
	return 0;
}

/*
 * GET prefix + data through the site; returns the status (0 for a path
 * refused before routing), with *under 1 when the normalized path is
 * still below prefix (and not the search page).
 */
static int
get(const char *prefix, const char *data, size_t size, const char **type,
    int *under)
{
	struct http_request	 req;
	struct http_response	 res;
	const char		*why = NULL;
	char			*raw;
	int			 status;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	raw = arena_printf(req.arena, "%s%.*s", prefix, (int)size, data);
	req.method = HTTP_GET;
	req.method_name = "GET";
	req.raw_query = "";
	req.client_addr = "127.0.0.1";
	if ((req.path = http_path_normalize(req.arena, raw, strlen(raw),
	    &why)) == NULL) {
		arena_free(req.arena);
		return 0;
	}
	/* /api/v1/search is the search page's, not the API's. */
	*under = str_has_prefix(req.path, prefix) &&
	    strlen(req.path) > strlen(prefix) &&
	    strcmp(req.path, "/api/v1/search") != 0;
	memset(&res, 0, sizeof(res));
	res.status = 200;
	buf_init(&res.body);
	site_handle(site, &req, &res);
	status = res.status;
	*type = res.content_type;
	buf_clear(&res.body);
	arena_free(req.arena);
	return status;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	 mac[SITE_SHA1_LEN];
	char		*s, code[SITE_TOTP_CODE];
	const char	*type = NULL;
	int		 st, under = 0;

	if (site == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	s = xstrndup((const char *)data, size);
	if (site_totp_code(s, 1111111109, code) == 0) {
		FUZZ_CHECK(strlen(code) == 6 && strspn(code,
		    "0123456789") == 6);
		FUZZ_CHECK(site_totp_check(s, code, 1111111109) == 1);
	}
	site_hmac_sha1(data, size, data, size, mac);
	if (memchr(data, '\0', size) == NULL) {
		st = get("/api/v1/", s, strlen(s), &type, &under);
		FUZZ_CHECK(st == 0 || (st >= 200 && st < 500));
		if (st != 0 && under)
			FUZZ_CHECK(type != NULL && strcmp(type,
			    "application/json") == 0);
		st = get("/admin/", s, strlen(s), &type, &under);
		FUZZ_CHECK(st == 0 || st == 303 || st == 200 || st == 404 ||
		    st == 400);
	}
	free(s);
	return 0;
}
