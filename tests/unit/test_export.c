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
 * The static export's file names: which file holds the page at a
 * (normalized) path and query, and which addresses have none.  nginx
 * (contrib/nginx-static.conf) must map the URLs the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "export/export.h"

static void
test_static_name(void **state)
{
	static const struct {
		const char	*path;
		const char	*query;
		const char	*file;	/* NULL: no file */
	} rows[] = {
		{ "/", "", "index.html" },
		{ "/", "page=2", "index,page=2.html" },
		{ "/", "page=100000", "index,page=100000.html" },
		{ "/", "page=1", NULL },
		{ "/", "page=0", NULL },
		{ "/", "page=x", NULL },
		{ "/", "p=42", NULL },
		{ "/2023/", "", "2023/index.html" },
		{ "/2023/09/", "page=3", "2023/09/index,page=3.html" },
		{ "/2023/09/pin-and-kim.html", "", "2023/09/pin-and-kim.html" },
		{ "/2023/09/pin-and-kim.html", "page=2", NULL },
		{ "/p/about.html", "", "p/about.html" },
		{ "/search/label/North Korea", "", "search/label/North Korea.html" },
		{ "/search/label/North Korea", "page=2",
		  "search/label/North Korea,page=2.html" },
		{ "/search/label/C++%2FRust", "", "search/label/C++/Rust.html" },
		{ "/search/label/..", "", NULL },
		{ "/search/label/%2F..%2F..%2Fetc", "", NULL },
		{ "/search/label/a%2F%2Fb", "", NULL },
		{ "/feeds/posts/default", "", "feeds/posts/default.atom" },
		{ "/feeds/posts/default", "alt=rss", "feeds/posts/default.rss" },
		{ "/feeds/posts/default", "alt=json", NULL },
		{ "/feeds/posts/default", "max-results=5", NULL },
		{ "/feeds/posts/default/-/Супы", "",
		  "feeds/posts/default/-/Супы.atom" },
		{ "/feeds/posts/default/-/node.js", "alt=rss",
		  "feeds/posts/default/-/node.js.rss" },
		{ "/search/label/node.js", "", "search/label/node.js.html" },
		{ "/feeds/12/comments/default", "",
		  "feeds/12/comments/default.atom" },
		{ "/feed.json", "", "feed.json" },
		{ "/sitemap.xml", "", "sitemap.xml" },
		{ "/sitemap-2.xml", "", "sitemap-2.xml" },
		{ "/robots.txt", "", "robots.txt" },
		{ "/static/style.css", "", "static/style.css" },
		{ "/search/label/a\nb", "", NULL },
		{ "/search/label/a\x7f", "", NULL },
		{ "relative", "", NULL },
	};
	char	 out[256];
	size_t	 i;
	int	 rc;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		rc = export_static_name(rows[i].path, rows[i].query, out,
		    sizeof(out));
		if (rows[i].file == NULL) {
			if (rc != -1)
				fail_msg("row %zu: %s?%s gave \"%s\"", i,
				    rows[i].path, rows[i].query, out);
			continue;
		}
		if (rc != 0 || strcmp(out, rows[i].file) != 0)
			fail_msg("row %zu: %s?%s: got %d \"%s\"", i,
			    rows[i].path, rows[i].query, rc,
			    rc == 0 ? out : "");
	}
	/* A name that does not fit is refused, not cut. */
	assert_int_equal(export_static_name("/2023/09/pin-and-kim.html", "",
	    out, 10), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
