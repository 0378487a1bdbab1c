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
 * Markdown rendering: golden pairs, then a table of inputs render_md()
 * must refuse or must render in a given way.
 *
 * Golden pairs live in tests/unit/golden/md/: NAME.md is rendered and
 * compared byte for byte with NAME.html; each pair is one test.  Run
 * from the project root.  With GOLDEN_UPDATE=1 in the environment the
 * test writes NAME.html from the current output instead of comparing
 * (what `make golden-update` does); review the diff before committing.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "render/render.h"

#define GOLDEN_DIR	"tests/unit/golden/md"

/* Reads path into b; returns 0 or -1. */
static int
file_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[4096];
	size_t	 n;
	int	 rc;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}

/* Writes p[0..len) to path; returns 0 or -1. */
static int
file_write(const char *path, const char *p, size_t len)
{
	FILE	*f;
	int	 rc = 0;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	if (len > 0 && fwrite(p, 1, len, f) != len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* One golden pair; *state is NAME (without ".md"). */
static void
test_golden(void **state)
{
	const char	*name = *state;
	struct buf	 src = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	char		*mdpath, *htmlpath, *update;

	mdpath = xasprintf("%s/%s.md", GOLDEN_DIR, name);
	htmlpath = xasprintf("%s/%s.html", GOLDEN_DIR, name);
	if (file_read(mdpath, &src) == -1)
		fail_msg("%s: %s", mdpath, strerror(errno));
	assert_int_equal(render_md(src.p, src.len, &got), 0);

	update = getenv("GOLDEN_UPDATE");
	if (update != NULL && strcmp(update, "1") == 0) {
		if (file_write(htmlpath, got.p, got.len) == -1)
			fail_msg("%s: %s", htmlpath, strerror(errno));
		print_message("wrote %s\n", htmlpath);
	} else {
		if (file_read(htmlpath, &want) == -1)
			fail_msg("%s: %s (GOLDEN_UPDATE=1 writes it)", htmlpath,
			    strerror(errno));
		if (got.len != want.len ||
		    memcmp(got.p, want.p, got.len) != 0)
			print_message("%s: got\n%s---\nwant\n%s---\n", name,
			    got.p, want.p);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.p, want.p, got.len);
	}
	free(mdpath);
	free(htmlpath);
	buf_clear(&src);
	buf_clear(&got);
	buf_clear(&want);
}

struct mdcase {
	const char	*name;
	const char	*src;
	size_t		 len;	/* 0 for strlen(src) */
	int		 rc;	/* what render_md returns */
	const char	*want;	/* output when rc is 0 */
};

static const struct mdcase mdcases[] = {
	{ "empty", "", 0, 0, "" },
	{ "plain", "hi", 0, 0, "<p>hi</p>\n" },
	{ "invalid byte", "caf\xe9", 0, -1, NULL },
	{ "truncated sequence", "\xd0", 0, -1, NULL },
	{ "overlong slash", "a\xc0\xaf", 0, -1, NULL },
	{ "surrogate", "\xed\xa0\x80", 0, -1, NULL },
	{ "NUL", "a\0b", 3, -1, NULL },
	{ "no smart quotes", "\"a\" 'b' -- c...", 0, 0,
	  "<p>&quot;a&quot; 'b' -- c...</p>\n" },
	{ "raw html dropped", "<script>alert(1)</script>", 0, 0,
	  "<!-- raw HTML omitted -->\n" },
	{ "javascript link emptied", "[x](javascript:alert(1))", 0, 0,
	  "<p><a href=\"\">x</a></p>\n" },
	{ "spaced scheme emptied", "[x](< javascript:alert(1)>)", 0, 0,
	  "<p><a href=\"\">x</a></p>\n" },
	{ "data link emptied", "[x](data:text/html,hi)", 0, 0,
	  "<p><a href=\"\">x</a></p>\n" },
	{ "data image emptied", "![x](data:image/png;base64,AA)", 0, 0,
	  "<p><img src=\"\" alt=\"x\" /></p>\n" },
	{ "colon after slash is relative", "[x](/a:b)", 0, 0,
	  "<p><a href=\"/a:b\">x</a></p>\n" },
	{ "https kept", "[x](HTTPS://e.example/)", 0, 0,
	  "<p><a href=\"HTTPS://e.example/\">x</a></p>\n" },
	{ "strikethrough", "~~x~~", 0, 0, "<p><del>x</del></p>\n" },
};

/* Every row of mdcases; names each failing row. */
static void
test_table(void **state)
{
	struct buf	 out = BUF_INIT;
	const char	*got;
	size_t		 i, len, nfail = 0;
	int		 rc;

	(void)state;
	for (i = 0; i < nitems(mdcases); i++) {
		buf_reset(&out);
		len = mdcases[i].len != 0 ? mdcases[i].len :
		    strlen(mdcases[i].src);
		rc = render_md(mdcases[i].src, len, &out);
		got = out.p != NULL ? out.p : "";
		if (rc != mdcases[i].rc) {
			print_message("FAIL %s: rc %d, want %d\n",
			    mdcases[i].name, rc, mdcases[i].rc);
			nfail++;
		} else if (rc == -1 && out.len != 0) {
			print_message("FAIL %s: wrote output on failure\n",
			    mdcases[i].name);
			nfail++;
		} else if (rc == 0 && strcmp(got, mdcases[i].want) != 0) {
			print_message("FAIL %s: got \"%s\", want \"%s\"\n",
			    mdcases[i].name, got, mdcases[i].want);
			nfail++;
		}
	}
	buf_clear(&out);
	assert_int_equal(nfail, 0);
}

#define MT_THREADS	4
#define MT_RUNS		2000

/* Uses every extension whose trigger characters cmark keeps globally. */
static const char mt_src[] = "a ~~x~~ www.example.com *e*\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n";

/* One thread: renders mt_src MT_RUNS times; returns how many differed. */
static void *
mt_worker(void *arg)
{
	const char	*want = arg;
	struct buf	 out = BUF_INIT;
	size_t		 i, *nbad;

	nbad = xcalloc(1, sizeof(*nbad));
	for (i = 0; i < MT_RUNS; i++) {
		buf_reset(&out);
		if (render_md(mt_src, sizeof(mt_src) - 1, &out) != 0 ||
		    strcmp(out.p, want) != 0)
			(*nbad)++;
	}
	buf_clear(&out);
	return nbad;
}

/*
 * Renders from several threads at once: cmark-gfm's global table of
 * special characters once made a quarter of these come out wrong
 * (strikethrough and autolinks missing).
 */
static void
test_threads(void **state)
{
	pthread_t	 th[MT_THREADS];
	struct buf	 want = BUF_INIT;
	void		*ret;
	size_t		 i, nbad = 0;

	(void)state;
	assert_int_equal(render_md(mt_src, sizeof(mt_src) - 1, &want), 0);
	assert_non_null(strstr(want.p, "<del>x</del>"));
	for (i = 0; i < MT_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, mt_worker,
		    want.p), 0);
	for (i = 0; i < MT_THREADS; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		nbad += *(size_t *)ret;
		free(ret);
	}
	buf_clear(&want);
	assert_int_equal(nbad, 0);
}

/* Stands in for the pairs when none were found: that is a failure. */
static void
test_no_golden(void **state)
{
	(void)state;
	fail_msg("no golden pairs in %s (run from the project root)",
	    GOLDEN_DIR);
}

/* qsort() comparison of two C strings. */
static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the golden pairs, sorted; caller frees each and the list. */
static char **
golden_names(size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**list = NULL;
	size_t		 len;

	*n = 0;
	if ((d = opendir(GOLDEN_DIR)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".md") != 0)
			continue;
		list = xreallocarray(list, *n + 1, sizeof(*list));
		list[(*n)++] = xstrndup(de->d_name, len - 3);
	}
	closedir(d);
	if (*n > 0)
		qsort(list, *n, sizeof(*list), str_cmp);
	return list;
}

int
main(void)
{
	struct CMUnitTest	*tests;
	char			**names;
	size_t			 i, nnames, n = 0;
	int			 rc;

	names = golden_names(&nnames);
	tests = xcalloc(nnames + 3, sizeof(*tests));
	tests[n].name = "cases";
	tests[n++].test_func = test_table;
	tests[n].name = "threads";
	tests[n++].test_func = test_threads;
	if (nnames == 0) {
		tests[n].name = "golden";
		tests[n++].test_func = test_no_golden;
	}
	for (i = 0; i < nnames; i++) {
		tests[n].name = names[i];
		tests[n].test_func = test_golden;
		tests[n++].initial_state = names[i];
	}
	rc = _cmocka_run_group_tests("md", tests, n, NULL, NULL);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
