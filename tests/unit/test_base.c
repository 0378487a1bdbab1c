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
 * Unit tests of src/base: the configuration file, UTF-8 and number
 * checks, buffers and arenas.
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

/* Writes text to a temporary file; returns its path (static). */
static const char *
tmpfile_with(const char *text)
{
	static char	 path[64];
	FILE		*f;
	int		 fd;

	strcpy(path, "/tmp/gazette-conf-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_conf(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;	/* substring of the error, or NULL */
	} rows[] = {
		{ "", NULL },
		{ "[site]\ntitle = News\nlocale = es\n", NULL },
		{ "[site]\ntimezone = Europe/Madrid\n", NULL },
		{ "[server]\nlisten = [::1]:8080\nthreads = 4\n", NULL },
		{ "[comments]\nmoderation = none\nrate = 0\n", NULL },
		{ "[store]\ndb = postgres://u@127.0.0.1/db\n", NULL },
		{ "[site]\ncolour = red\n", ":2: unknown key \"colour\" in [site]" },
		{ "[nope]\nx = 1\n", ":2: unknown key \"x\" in [nope]" },
		{ "\n\n[site]\nlocale = xx\n", ":4: site.locale: unknown locale" },
		{ "[site]\ntimezone = Mars/Base\n", ":2: site.timezone" },
		{ "[site]\ntimezone = ../etc/passwd\n", ":2: site.timezone" },
		{ "[site]\nurl = ftp://x\n", ":2: site.url: bad value" },
		{ "[site]\nurl = http://\n", ":2: site.url: bad value" },
		{ "[site]\nurl = https:///x\n", ":2: site.url: bad value" },
		{ "[server]\nlisten = 8080\n", ":2: server.listen" },
		{ "[server]\nlisten = 127.0.0.1:99999\n", ":2: server.listen" },
		{ "[server]\nthreads = 0\n", ":2: server.threads: bad value" },
		{ "[server]\nthreads = 65\n", ":2: server.threads: bad value" },
		{ "[server]\nmax_body = 1000000\n", ":2: server.max_body" },
		{ "[server]\nper_address = 0\nconnections = 1024\n", NULL },
		{ "[server]\nuser = www-data\nsandbox = off\n", NULL },
		{ "[server]\nper_address = -1\n", ":2: server.per_address" },
		{ "[server]\nconnections = 1025\n", ":2: server.connections" },
		{ "[server]\nuser = a:b\n", ":2: server.user: bad value" },
		{ "[server]\nsandbox = yes\n", ":2: server.sandbox: bad" },
		{ "[store]\ndb = mysql://x\n", ":2: store.db: bad value" },
		{ "[comments]\nmoderation = maybe\n", ":2: comments.moderation" },
		{ "[comments]\nmin_seconds = -1\n", ":2: comments.min_seconds" },
		{ "[site\n", ":1: syntax error" },
		{ "just words\n", ":1: syntax error" },
		{ "[site]\ntitle = A\n  url = http://x\n", ":3: indented line" },
		{ "[site]\ncolour = red\n[comments]\nmoderation = x\n",
		  ":2: unknown key \"colour\"" },
		{ "; comment\n  ; indented comment\n[site]\n", NULL },
		{ "[comments]\ndepth = 6\nmax_links = 0\nmoderation = links\n"
		  "[spam]\nhold = 0.4\nreject = 0.95\nblocklist = a, b c\n",
		  NULL },
		{ "[comments]\ndepth = 0\n", ":2: comments.depth" },
		{ "[comments]\ndepth = 17\n", ":2: comments.depth" },
		{ "[spam]\nhold = 1.5\n", ":2: spam.hold" },
		{ "[spam]\nreject = -0.1\n", ":2: spam.reject" },
		{ "[spam]\nhold = 0.9\nreject = 0.5\n", "spam.hold (0.9) is "
		  "above spam.reject (0.5)" },
	};
	struct conf	 c;
	char		 err[512];
	const char	*path;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		conf_defaults(&c);
		path = tmpfile_with(rows[i].text);
		err[0] = '\0';
		rc = conf_load(&c, path, err, sizeof(err));
		unlink(path);
		conf_clear(&c);
		if (rows[i].err == NULL && rc != 0)
			fail_msg("row %zu: refused: %s", i, err);
		if (rows[i].err != NULL && (rc != -1 ||
		    strstr(err, rows[i].err) == NULL))
			fail_msg("row %zu: expected \"%s\", got rc %d \"%s\"",
			    i, rows[i].err, rc, err);
	}
}

static void
test_conf_values(void **state)
{
	struct conf	 c;
	char		 err[256];
	const char	*path;

	(void)state;
	conf_defaults(&c);
	assert_string_equal(c.site_locale, "en");
	assert_int_equal(c.comments_moderation, CONF_MOD_FIRST_TIME);
	assert_int_equal(c.comments_min_seconds, 3);
	assert_int_equal(c.comments_rate, 5);
	path = tmpfile_with("[site]\nurl = https://news.example/\n"
	    "[comments]\nmoderation = all\n");
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), 0);
	unlink(path);
	assert_string_equal(c.site_url, "https://news.example");
	assert_int_equal(c.comments_moderation, CONF_MOD_ALL);
	assert_int_equal(conf_load(&c, "/nonexistent/gazette.conf", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/gazette.conf"));
	conf_clear(&c);
}

static void
test_text_checks(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 is_text;
		int		 is_utf8;
	} rows[] = {
		{ "plain", 5, 1, 1 },
		{ "tab\tand\nnewline\r", 16, 1, 1 },
		{ "h\xd0\xb0ve", 5, 1, 1 },
		{ "\xea\xb8\xb0\xec\x82\xac", 6, 1, 1 },
		{ "\xf0\x9f\x98\x80", 4, 1, 1 },
		{ "bell\x07", 5, 0, 1 },
		{ "nul\0x", 5, 0, 0 },
		{ "\xc3\x28", 2, 0, 0 },
		{ "\xc0\xaf", 2, 0, 0 },
		{ "\xed\xa0\x80", 3, 0, 0 },
		{ "\xf4\x90\x80\x80", 4, 0, 0 },
		{ "\xe2\x82", 2, 0, 0 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (str_is_text(rows[i].s, rows[i].len, NULL) !=
		    rows[i].is_text)
			fail_msg("row %zu: str_is_text", i);
		if (str_is_utf8(rows[i].s, rows[i].len) != rows[i].is_utf8)
			fail_msg("row %zu: str_is_utf8", i);
	}
}

static void
test_numbers(void **state)
{
	static const struct {
		const char	*s;
		int		 rc;
		int64_t		 v;
	} rows[] = {
		{ "1", 0, 1 }, { "100000", 0, 100000 }, { "0", -1, 0 },
		{ "100001", -1, 0 }, { "", -1, 0 }, { " 1", -1, 0 },
		{ "1 ", -1, 0 }, { "1x", -1, 0 }, { "-1", -1, 0 },
		{ "99999999999999999999", -1, 0 },
	};
	int64_t	 v;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (str_to_i64(rows[i].s, 1, 100000, &v) != rows[i].rc ||
		    v != rows[i].v)
			fail_msg("row %zu: \"%s\"", i, rows[i].s);
	}
}

static void
test_buf_arena(void **state)
{
	struct buf	 b = BUF_INIT;
	struct arena	*a;
	char		*p, *big;
	int		 i;

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.p));
	assert_true(strncmp(b.p, "0,1,2,", 6) == 0);
	p = buf_release(&b);
	assert_null(b.p);
	free(p);

	a = arena_new();
	for (i = 0; i < 10000; i++) {
		p = arena_printf(a, "item %d", i);
		assert_string_equal(p, arena_printf(a, "item %d", i));
	}
	big = arena_alloc(a, 1 << 20);
	assert_int_equal(big[(1 << 20) - 1], 0);
	arena_reset(a);
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
	arena_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_conf_values),
		cmocka_unit_test(test_text_checks),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_buf_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
