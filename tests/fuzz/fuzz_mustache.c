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
 * Fuzz target: Mustache source (src/render/mustache.c).  The input is
 * parsed with render_tmpl_parse; a template that parses is rendered
 * against a small fixed context shaped like a page's (strings that need
 * escaping, a list of maps, booleans, an empty list, a nested map), with
 * a partial resolver that answers every name with the template itself,
 * so that any {{>x}} recurses until LIMIT_TEMPLATE_DEPTH stops it.
 *
 * Two things keep one input's work linear in its size rather than
 * exponential, so that a slow input means a real problem:
 *  - the list has two items but the first hides "items" (false), so
 *    nested {{#items}} sections iterate twice only along one path;
 *  - the resolver answers at most PARTIAL_BUDGET calls per input, then
 *    reports an unknown partial, since a template with two {{>x}} tags
 *    would otherwise render 2^32 times before reaching the limit.
 * Both are limits of this harness, not of the renderer: templates come
 * from the site's owner, whom the depth limit protects from mistakes.
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "render/render.h"

#include "fuzz.h"

#define PARTIAL_BUDGET	256	/* partial lookups answered per input */

struct resolver {
	const struct tmpl	*self;	/* the template being rendered */
	size_t			 calls;	/* lookups answered so far */
};

/* Every partial is the template itself, until the budget runs out. */
static const struct tmpl *
resolve(void *arg, const char *name, size_t namelen)
{
	struct resolver	*rs = arg;

	(void)name;
	(void)namelen;
	if (rs->calls >= PARTIAL_BUDGET)
		return NULL;
	rs->calls++;
	return rs->self;
}

/* The context: built once, read-only afterwards. */
static struct mval *
context_new(struct arena *a)
{
	struct mval	*top, *items, *it, *post, *author;

	top = mval_map(a);
	mval_set_str(a, top, "title", "Tom & \"Jerry\" <b>'s</b>");
	mval_set_str(a, top, "url", "/2023/09/a-b.html?x=1&y=2");
	mval_set_str(a, top, "empty", "");
	mval_set_bool(a, top, "flag", 1);
	mval_set_bool(a, top, "off", 0);
	mval_set_int(a, top, "n", 42);
	mval_set(a, top, "none", mval_str(a, NULL));
	mval_set(a, top, "list0", mval_list(a));

	items = mval_list(a);
	it = mval_map(a);
	mval_set_str(a, it, "name", "Ana <ana@example.org>");
	mval_set_str(a, it, "body", "line one\nline two");
	mval_set_bool(a, it, "items", 0);
	mval_push(a, items, it);
	it = mval_map(a);
	mval_set_str(a, it, "name", "Luis & Co");
	mval_set_bool(a, it, "reply", 1);
	mval_push(a, items, it);
	mval_set(a, top, "items", items);

	post = mval_map(a);
	author = mval_map(a);
	mval_set_str(a, author, "name", "Зоя");
	mval_set(a, post, "author", author);
	mval_set_str(a, post, "title", "\xea\xb8\x80 <i>title</i>");
	mval_set(a, top, "post", post);
	return top;
}

static struct arena	*ctx_arena;	/* owns ctx, for the process's life */
static struct mval	*ctx;	/* read-only once built */

static void
ctx_free(void)
{
	arena_free(ctx_arena);
	ctx_arena = NULL;
	ctx = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ctx == NULL) {
		ctx_arena = arena_new();
		ctx = context_new(ctx_arena);
		atexit(ctx_free);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolver	 rs;
	struct tmpl	*t;
	struct buf	 out = BUF_INIT;
	char		 err[256];

	if (ctx == NULL)
		LLVMFuzzerInitialize(NULL, NULL);

	err[0] = 'x';
	if ((t = render_tmpl_parse((const char *)data, size, err,
	    sizeof(err))) == NULL) {
		FUZZ_CHECK(err[0] != '\0' && err[0] != 'x');
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}

	rs.self = t;
	rs.calls = 0;
	(void)render_tmpl_run(t, ctx, resolve, &rs, &out);
	FUZZ_CHECK(out.len == 0 || out.p[out.len] == '\0');

	/* And without partials: those tags render as nothing. */
	buf_reset(&out);
	(void)render_tmpl_run(t, ctx, NULL, NULL, &out);

	buf_clear(&out);
	render_tmpl_free(t);
	return 0;
}
