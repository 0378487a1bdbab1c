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
 * The sitemap past one file: site_sitemap() with a small per-file cap
 * (the protocol's is 50,000) turns /sitemap.xml into an index of
 * /sitemap-N.xml parts, each with its newest lastmod, and every URL is
 * in exactly one part, in order.  A site under the cap gets the plain
 * urlset and no parts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base.h"
#include "site/site_int.h"

#define URL	"https://s.example"
#define NPOSTS	7
#define T0	1700000000	/* first post's publish time */

struct fixture {
	char		 dir[64];
	char		 db[96];
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture	*f;
	struct post	 p;
	char		 err[256], url[128], path[64], title[32];
	int		 i;

	f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/gazette-sitemap-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/g.db", f->dir);
	snprintf(url, sizeof(url), "sqlite:%s", f->db);
	if (store_open(url, 1, &f->st, err, sizeof(err)) != STORE_OK ||
	    store_write_begin(f->st) != STORE_OK)
		return -1;
	/* Post i published a day after post i - 1, updated an hour later. */
	for (i = 0; i < NPOSTS; i++) {
		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/2023/11/post-%d.html", i);
		snprintf(title, sizeof(title), "Post %d", i);
		p.path = path;
		p.slug = path + 9;
		p.title = title;
		p.source = p.html = "<p>x</p>";
		p.lang = "en";
		p.status = POST_PUBLISHED;
		p.published = T0 + i * 86400;
		p.updated = p.published + 3600;
		if (store_post_save(f->st, &p, NULL) != STORE_OK)
			return -1;
	}
	if (store_write_end(f->st, 1) != STORE_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 p[128];

	store_close(f->st);
	unlink(f->db);
	snprintf(p, sizeof(p), "%s-wal", f->db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->db);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
count(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* The text of the k-th (0-based) <loc>, into out. */
static void
loc(const char *s, int k, char *out, size_t outlen)
{
	const char	*p = s, *e;

	for (; k >= 0; k--)
		p = strstr(p, "<loc>") + 5;
	e = strstr(p, "</loc>");
	snprintf(out, outlen, "%.*s", (int)(e - p), p);
}

static void
test_plain(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b = BUF_INIT;
	int64_t		 lastmod;
	char		 u[256];

	/* Eight URLs (front page and seven posts) fit in a file of 8. */
	assert_int_equal(site_sitemap(f->st, URL, T0 + 100 * 86400, 8, 0, &b,
	    &lastmod), 200);
	buf_addc(&b, '\0');
	assert_non_null(strstr(b.p, "<urlset "));
	assert_null(strstr(b.p, "<sitemapindex"));
	assert_int_equal(count(b.p, "<url>"), NPOSTS + 1);
	loc(b.p, 0, u, sizeof(u));
	assert_string_equal(u, URL "/");
	loc(b.p, 1, u, sizeof(u));
	assert_string_equal(u, URL "/2023/11/post-6.html");
	assert_int_equal(lastmod, T0 + 6 * 86400 + 3600);
	buf_reset(&b);
	/* No parts while one file holds everything. */
	assert_int_equal(site_sitemap(f->st, URL, T0 + 100 * 86400, 8, 1, &b,
	    &lastmod), 404);
	buf_clear(&b);
}

static void
test_index(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b = BUF_INIT;
	int64_t		 lastmod;
	char		 u[256], want[64];
	int		 n, k, seen = 0;

	/* Eight URLs, three a file: an index of three parts. */
	assert_int_equal(site_sitemap(f->st, URL, T0 + 100 * 86400, 3, 0, &b,
	    &lastmod), 200);
	buf_addc(&b, '\0');
	assert_non_null(strstr(b.p, "<sitemapindex xmlns=\"http://www."
	    "sitemaps.org/schemas/sitemap/0.9\">"));
	assert_int_equal(count(b.p, "<sitemap>"), 3);
	for (k = 0; k < 3; k++) {
		loc(b.p, k, u, sizeof(u));
		snprintf(want, sizeof(want), URL "/sitemap-%d.xml", k + 1);
		assert_string_equal(u, want);
	}
	/* Part 3 holds posts 1 and 0: its newest change is post 1's. */
	assert_non_null(strstr(b.p, "<loc>" URL "/sitemap-3.xml</loc>"
	    "<lastmod>2023-11-15T23:13:20Z</lastmod>"));
	assert_int_equal(lastmod, T0 + 6 * 86400 + 3600);
	/* The parts hold every URL once, newest first. */
	for (n = 1; n <= 3; n++) {
		buf_reset(&b);
		assert_int_equal(site_sitemap(f->st, URL, T0 + 100 * 86400, 3,
		    n, &b, &lastmod), 200);
		buf_addc(&b, '\0');
		assert_non_null(strstr(b.p, "<urlset "));
		k = count(b.p, "<url>");
		assert_int_equal(k, n < 3 ? 3 : 2);
		for (k--; k >= 0; k--) {
			loc(b.p, k, u, sizeof(u));
			if (seen + k == 0)
				snprintf(want, sizeof(want), URL "/");
			else
				snprintf(want, sizeof(want),
				    URL "/2023/11/post-%d.html",
				    NPOSTS - (seen + k));
			assert_string_equal(u, want);
		}
		seen += count(b.p, "<url>");
	}
	assert_int_equal(seen, NPOSTS + 1);
	buf_reset(&b);
	assert_int_equal(site_sitemap(f->st, URL, T0 + 100 * 86400, 3, 4, &b,
	    &lastmod), 404);
	buf_clear(&b);
}

static void
test_not_due(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b = BUF_INIT;
	int64_t		 lastmod;

	/* Before post 3 is due only posts 0..2 count: four URLs. */
	assert_int_equal(site_sitemap(f->st, URL, T0 + 2 * 86400, 3, 0, &b,
	    &lastmod), 200);
	buf_addc(&b, '\0');
	assert_int_equal(count(b.p, "<sitemap>"), 2);
	assert_null(strstr(b.p, "post-3"));
	buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_not_due),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
