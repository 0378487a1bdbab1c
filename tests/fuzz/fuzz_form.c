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
 * Fuzz target: what src/http makes of request bytes before a handler
 * runs.  The input is decoded as a query string or urlencoded form body
 * (http_form_decode), and as a request path (http_path_normalize), whose
 * result, when accepted, goes through http_route_match over the route
 * table of src/site/site.c.  Checks the promises of http.h on every
 * accepted result.  Not here: the server itself and the handlers.
 */
#include <string.h>

#include "base.h"
#include "http/http.h"

#include "fuzz.h"

#define PAGE_METHODS (HTTP_GET | HTTP_HEAD)

/* A copy of the table in src/site/site.c (which keeps its own static). */
static const struct http_route routes[] = {
	{ "/", PAGE_METHODS, 0 },
	{ "/{year}/", PAGE_METHODS, 1 },
	{ "/{year}/{month}/", PAGE_METHODS, 2 },
	{ "/{year}/{month}/{seg}.html", PAGE_METHODS, 3 },
	{ "/search/label/{rest}", PAGE_METHODS, 4 },
	{ "/static/{rest}", PAGE_METHODS, 5 },
	{ "/healthz", PAGE_METHODS, 6 },
	{ "/comment", HTTP_POST, 7 },
	{ "/comment/held", PAGE_METHODS, 8 },
};

/* Decodes data as a form and checks each pair against http.h. */
static void
fuzz_form(struct arena *a, const char *data, size_t size)
{
	struct http_param	*params;
	const char		*why = NULL;
	size_t			 n, i, j;

	if (http_form_decode(a, data, size, &params, &n, &why) == -1) {
		FUZZ_CHECK(why != NULL);
		return;
	}
	FUZZ_CHECK(n <= LIMIT_FORM_FIELDS);
	FUZZ_CHECK(n == 0 || params != NULL);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(params[i].name != NULL);
		FUZZ_CHECK(params[i].value != NULL);
		FUZZ_CHECK(strlen(params[i].value) == params[i].valuelen);
		FUZZ_CHECK(str_is_utf8(params[i].name,
		    strlen(params[i].name)));
		FUZZ_CHECK(str_is_utf8(params[i].value, params[i].valuelen));
		/* A repeated name keeps the first value: names are unique. */
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(params[i].name, params[j].name) != 0);
	}
}

/* Normalizes data as a path, checks the result and routes it. */
static void
fuzz_path(struct arena *a, const char *data, size_t size)
{
	const struct http_route	*r;
	struct span		 caps[HTTP_ROUTE_CAPS];
	const char		*why = NULL;
	char			*path;
	size_t			 len, i;

	if ((path = http_path_normalize(a, data, size, &why)) == NULL) {
		FUZZ_CHECK(why != NULL);
		return;
	}
	len = strlen(path);
	FUZZ_CHECK(path[0] == '/');
	FUZZ_CHECK(str_is_utf8(path, len));
	/* Dot segments resolved and repeated slashes merged. */
	FUZZ_CHECK(strstr(path, "//") == NULL);
	FUZZ_CHECK(strstr(path, "/./") == NULL);
	FUZZ_CHECK(strstr(path, "/../") == NULL);
	FUZZ_CHECK(!(len >= 2 && strcmp(path + len - 2, "/.") == 0));
	FUZZ_CHECK(!(len >= 3 && strcmp(path + len - 3, "/..") == 0));

	memset(caps, 0xa5, sizeof(caps));
	r = http_route_match(routes, nitems(routes), path, caps);
	for (i = 0; i < HTTP_ROUTE_CAPS; i++) {
		if (caps[i].p == NULL) {
			FUZZ_CHECK(caps[i].len == 0);
			continue;
		}
		FUZZ_CHECK(r != NULL);
		FUZZ_CHECK(caps[i].p >= path);
		FUZZ_CHECK(caps[i].len > 0);
		FUZZ_CHECK(caps[i].len <= len);
		FUZZ_CHECK((size_t)(caps[i].p - path) <= len - caps[i].len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;

	a = arena_new();
	fuzz_form(a, (const char *)data, size);
	fuzz_path(a, (const char *)data, size);
	arena_free(a);
	return 0;
}
