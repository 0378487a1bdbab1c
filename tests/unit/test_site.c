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
 * Unit tests of src/site helpers that need no server: how a comment's
 * plain text becomes HTML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "site/site_int.h"

static void
test_comment_html(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} rows[] = {
		{ "", "" },
		{ "Hello", "<p>Hello</p>" },
		{ "a\nb", "<p>a<br>\nb</p>" },
		{ "a\n\nb", "<p>a</p>\n<p>b</p>" },
		{ "a\n  \n\n b", "<p>a</p>\n<p>b</p>" },
		{ "<script>alert(1)</script>",
		  "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" },
		{ "see https://example.org/a?b=1&c=2.",
		  "<p>see <a href=\"https://example.org/a?b=1&amp;c=2\" "
		  "rel=\"nofollow ugc\">https://example.org/a?b=1&amp;c=2</a>."
		  "</p>" },
		{ "(http://x.example/y)",
		  "<p>(<a href=\"http://x.example/y\" rel=\"nofollow ugc\">"
		  "http://x.example/y</a>)</p>" },
		{ "javascript:alert(1) http:// https",
		  "<p>javascript:alert(1) http:// https</p>" },
		{ "http://a.example/\"onmouseover=\"x",
		  "<p><a href=\"http://a.example/\" rel=\"nofollow ugc\">"
		  "http://a.example/</a>&quot;onmouseover=&quot;x</p>" },
		{ "h\xd0\xb0ve a look", "<p>h\xd0\xb0ve a look</p>" },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		buf_reset(&b);
		comment_body_html(&b, rows[i].in);
		if (strcmp(b.p == NULL ? "" : b.p, rows[i].out) != 0)
			fail_msg("row %zu: got \"%s\"", i, b.p);
	}
	buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comment_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
