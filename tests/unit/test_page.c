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
 * Golden pages: each tests/unit/golden/page/NAME.json names a built-in
 * template, a locale and the data a handler would give it; the test
 * renders it inside the layout and compares with NAME.html.  With
 * GOLDEN_UPDATE=1 in the environment it rewrites the .html files
 * instead, for review in the commit.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base.h"
#include "render/render.h"
#include "site/site_int.h"
#include "json_mval.h"

#define GOLDEN_DIR "tests/unit/golden/page"

/* The built-in template called name, parsed (caller frees). */
static struct tmpl *
builtin(const char *name, size_t len)
{
	const struct embedded_file	*ef;
	char				 path[128], err[256];
	struct tmpl			*t;

	snprintf(path, sizeof(path), "theme/%.*s.mustache", (int)len, name);
	if ((ef = embedded_find(path)) == NULL)
		return NULL;
	t = render_tmpl_parse((const char *)ef->data, ef->len, err,
	    sizeof(err));
	if (t == NULL)
		fail_msg("%s: %s", path, err);
	return t;
}

/* Partials come from the built-in theme; one parse per name. */
struct partials {
	struct tmpl	*comment;
};

static const struct tmpl *
partial(void *arg, const char *name, size_t len)
{
	struct partials	*p = arg;

	if (len == 7 && memcmp(name, "comment", 7) == 0) {
		if (p->comment == NULL)
			p->comment = builtin(name, len);
		return p->comment;
	}
	return NULL;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE		*f;
	struct buf	 b = BUF_INIT;
	char		 chunk[4096];
	size_t		 n;

	*len = 0;
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_release(&b);
}

/* Renders one golden case; returns 0 when it matches. */
static int
golden_case(const char *name)
{
	struct partials	 ps = { NULL };
	struct arena	*a = arena_new();
	struct buf	 content = BUF_INIT, page = BUF_INIT;
	struct tmpl	*t, *layout;
	struct mval	*ctx;
	json_t		*doc;
	json_error_t	 jerr;
	const char	*tname, *locale;
	char		 path[512], *want;
	size_t		 wantlen;
	FILE		*f;
	int		 rc = 0;

	snprintf(path, sizeof(path), "%s/%s.json", GOLDEN_DIR, name);
	if ((doc = json_load_file(path, 0, &jerr)) == NULL)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	tname = json_string_value(json_object_get(doc, "template"));
	locale = json_string_value(json_object_get(doc, "locale"));
	assert_non_null(tname);
	assert_non_null(locale);
	t = builtin(tname, strlen(tname));
	layout = builtin("layout", 6);
	assert_non_null(t);
	assert_non_null(layout);

	ctx = from_json(a, json_object_get(doc, "context"));
	mval_set(a, ctx, "msg", site_messages(a, locale));
	assert_int_equal(render_tmpl_run(t, ctx, partial, &ps, &content), 0);
	mval_set(a, ctx, "content", mval_strn(a, content.p, content.len));
	assert_int_equal(render_tmpl_run(layout, ctx, partial, &ps, &page),
	    0);

	snprintf(path, sizeof(path), "%s/%s.html", GOLDEN_DIR, name);
	if (getenv("GOLDEN_UPDATE") != NULL) {
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(page.p, 1, page.len, f);
		fclose(f);
	} else {
		want = slurp(path, &wantlen);
		if (want == NULL || wantlen != page.len ||
		    memcmp(want, page.p, wantlen) != 0) {
			print_message("%s differs; got:\n%s\n", path, page.p);
			rc = -1;
		}
		free(want);
	}
	render_tmpl_free(t);
	render_tmpl_free(layout);
	render_tmpl_free(ps.comment);
	buf_clear(&content);
	buf_clear(&page);
	json_decref(doc);
	arena_free(a);
	return rc;
}

static void
test_golden_pages(void **state)
{
	DIR		*d;
	struct dirent	*e;
	char		 name[256];
	size_t		 len, n = 0, bad = 0;

	(void)state;
	d = opendir(GOLDEN_DIR);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 5),
		    e->d_name);
		n++;
		if (golden_case(name) != 0)
			bad++;
	}
	closedir(d);
	assert_true(n >= 4);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
