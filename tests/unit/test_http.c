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
 * Unit tests of src/http that need no server: path normalization, the
 * route matcher and form decoding, table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "http/http.h"

static void
test_normalize(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: refused */
	} rows[] = {
		{ "/", "/" },
		{ "/a/b", "/a/b" },
		{ "/a/b/", "/a/b/" },
		{ "//a///b//", "/a/b/" },
		{ "/a/./b", "/a/b" },
		{ "/a/../b", "/b" },
		{ "/../../etc/passwd", "/etc/passwd" },
		{ "/a/b/..", "/a/" },
		{ "/a/.", "/a/" },
		{ "/static/%2e%2e/x", "/x" },
		{ "/search/label/North%20Korea", "/search/label/North Korea" },
		{ "/search/label/a%2Fb", "/search/label/a%2Fb" },
		{ "/search/label/a%2fb", "/search/label/a%2Fb" },
		{ "/%D0%B0", "/\xd0\xb0" },
		{ "/a%00b", NULL },
		{ "/a%zzb", NULL },
		{ "/a%4", NULL },
		{ "/%C3%28", NULL },
		{ "a/b", NULL },
		{ "", NULL },
	};
	struct arena	*a = arena_new();
	const char	*why;
	char		*got;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		got = http_path_normalize(a, rows[i].in, strlen(rows[i].in),
		    &why);
		if (rows[i].out == NULL) {
			if (got != NULL)
				fail_msg("%s: accepted as %s", rows[i].in, got);
			assert_non_null(why);
		} else {
			if (got == NULL)
				fail_msg("%s: refused: %s", rows[i].in, why);
			assert_string_equal(got, rows[i].out);
		}
	}
	arena_free(a);
}

static void
test_route(void **state)
{
	static const struct http_route routes[] = {
		{ "/", HTTP_GET, 0 },
		{ "/{year}/", HTTP_GET, 1 },
		{ "/{year}/{month}/", HTTP_GET, 2 },
		{ "/{year}/{month}/{seg}.html", HTTP_GET, 3 },
		{ "/search/label/{rest}", HTTP_GET, 4 },
		{ "/comment", HTTP_POST, 5 },
	};
	static const struct {
		const char	*path;
		int		 id;	/* -1: no match */
		const char	*cap0, *cap2;
	} rows[] = {
		{ "/", 0, NULL, NULL },
		{ "/2023/", 1, "2023", NULL },
		{ "/2023", -1, NULL, NULL },
		{ "/202/", -1, NULL, NULL },
		{ "/2023/09/", 2, "2023", NULL },
		{ "/2023/9/", -1, NULL, NULL },
		{ "/2023/09/pin-and-kim.html", 3, "2023", "pin-and-kim" },
		{ "/2023/09/.html", -1, NULL, NULL },
		{ "/2023/09/a.htm", -1, NULL, NULL },
		{ "/2023/09/a/b.html", -1, NULL, NULL },
		{ "/search/label/North Korea", 4, "North Korea", NULL },
		{ "/search/label/", -1, NULL, NULL },
		{ "/comment", 5, NULL, NULL },
		{ "/comments", -1, NULL, NULL },
	};
	const struct http_route	*r;
	struct span		 caps[HTTP_ROUTE_CAPS];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		r = http_route_match(routes, nitems(routes), rows[i].path,
		    caps);
		if (rows[i].id == -1) {
			if (r != NULL)
				fail_msg("%s: matched route %d", rows[i].path,
				    r->id);
			continue;
		}
		if (r == NULL || r->id != rows[i].id)
			fail_msg("%s: expected route %d", rows[i].path,
			    rows[i].id);
		if (rows[i].cap0 != NULL) {
			assert_int_equal(caps[0].len, strlen(rows[i].cap0));
			assert_memory_equal(caps[0].p, rows[i].cap0,
			    caps[0].len);
		}
		if (rows[i].cap2 != NULL) {
			assert_int_equal(caps[2].len, strlen(rows[i].cap2));
			assert_memory_equal(caps[2].p, rows[i].cap2,
			    caps[2].len);
		}
	}
}

static void
test_form(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		size_t		 n;
		const char	*name0, *value0;
	} rows[] = {
		{ "", 0, 0, NULL, NULL },
		{ "a=1", 0, 1, "a", "1" },
		{ "a=1&b=2", 0, 2, "a", "1" },
		{ "a=x+y%21", 0, 1, "a", "x y!" },
		{ "a", 0, 1, "a", "" },
		{ "a=&&b=", 0, 2, "a", "" },
		{ "a=1&a=2", 0, 1, "a", "1" },
		{ "n=%D0%B0", 0, 1, "n", "\xd0\xb0" },
		{ "a=%00", -1, 0, NULL, NULL },
		{ "a=%G1", -1, 0, NULL, NULL },
		{ "a=%4", -1, 0, NULL, NULL },
		{ "a=%", -1, 0, NULL, NULL },
		{ "%FF=1", -1, 0, NULL, NULL },
		{ "a=%C3%28", -1, 0, NULL, NULL },
		{ "a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1&l=1&m=1&n=1"
		  "&o=1&p=1&q=1", -1, 0, NULL, NULL },
	};
	struct arena		*a = arena_new();
	struct http_param	*v;
	const char		*why;
	size_t			 i, n;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		why = NULL;
		rc = http_form_decode(a, rows[i].in, strlen(rows[i].in), &v,
		    &n, &why);
		if (rc != rows[i].rc)
			fail_msg("%s: rc %d, expected %d (%s)", rows[i].in, rc,
			    rows[i].rc, why != NULL ? why : "");
		if (rc == -1) {
			assert_non_null(why);
			assert_null(v);
			continue;
		}
		assert_int_equal(n, rows[i].n);
		if (rows[i].name0 != NULL) {
			assert_string_equal(v[0].name, rows[i].name0);
			assert_string_equal(v[0].value, rows[i].value0);
		}
	}
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
