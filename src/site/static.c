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
 * /static/NAME: the theme's assets (style sheet), from the binary.  Only
 * plain names under the theme's static folder are served; the path was
 * normalized before routing, so nothing can climb out of it.
 */
#include <string.h>

#include "site_int.h"

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
};

void
static_file(struct site *s, struct http_request *req,
    struct http_response *res, const char *name)
{
	const struct embedded_file	*ef;
	const char			*type = NULL;
	size_t				 i, len = strlen(name), elen;

	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != len ||
	    name[0] == '.') {
		site_error(s, req, res, 404, NULL);
		return;
	}
	for (i = 0; i < nitems(types); i++) {
		elen = strlen(types[i].ext);
		if (len > elen && strcmp(name + len - elen, types[i].ext) == 0)
			type = types[i].type;
	}
	ef = embedded_find(arena_printf(req->arena, "theme/static/%s", name));
	if (ef == NULL || type == NULL) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	buf_add(&res->body, ef->data, ef->len);
	res->content_type = type;
	http_response_header(res, "Cache-Control", "public, max-age=86400");
	/* Built into the binary: nothing but a new binary changes it. */
	site_cache_keep(s, req, res, 0);
}
