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
 * Unit tests of the admin's building blocks: SHA-1 and HMAC-SHA-1
 * against the published vectors (FIPS 180-4 examples, RFC 2202), TOTP
 * against RFC 6238's SHA-1 table, passwords, and the store's accounts,
 * sessions, tokens, authors and stats tables on both engines: the same
 * cases on SQLite, then on PostgreSQL in a database per test.
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
#include "pgdb.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void
test_sha1(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} rows[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
		/* 64 bytes: the padding needs a block of its own. */
		{ "0123456701234567012345670123456701234567012345670123456701"
		  "234567", "e0c094e867ef46c350ef54a7f59dd60bed92ae83" },
	};
	unsigned char	 d[SITE_SHA1_LEN];
	char		 h[2 * SITE_SHA1_LEN + 1];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		site_sha1(rows[i].in, strlen(rows[i].in), d);
		hex(d, sizeof(d), h);
		assert_string_equal(h, rows[i].out);
	}
}

/* RFC 2202, test cases 1, 2, 3 and 6 (a key longer than a block). */
static void
test_hmac_sha1(void **state)
{
	unsigned char	 key[80], msg[50], d[SITE_SHA1_LEN];
	char		 h[2 * SITE_SHA1_LEN + 1];

	(void)state;
	memset(key, 0x0b, 20);
	site_hmac_sha1(key, 20, "Hi There", 8, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "b617318655057264e28bc0b6fb378c8ef146be00");
	site_hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(key, 0xaa, 20);
	memset(msg, 0xdd, 50);
	site_hmac_sha1(key, 20, msg, 50, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
	memset(key, 0xaa, 80);
	site_hmac_sha1(key, 80, "Test Using Larger Than Block-Size Key - "
	    "Hash Key First", 54, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

/* RFC 6238 appendix B, SHA-1 rows, as six digits. */
static void
test_totp(void **state)
{
	static const struct {
		int64_t		 t;
		const char	*code;
	} rows[] = {
		{ 59, "287082" },
		{ 1111111109, "081804" },
		{ 1111111111, "050471" },
		{ 1234567890, "005924" },
		{ 2000000000, "279037" },
		{ 20000000000LL, "353130" },
	};
	/* base32 of the RFC's ASCII key "12345678901234567890" */
	const char	*secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
	char		 code[SITE_TOTP_CODE], s2[64];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(site_totp_code(secret, rows[i].t, code), 0);
		assert_string_equal(code, rows[i].code);
		assert_int_equal(site_totp_check(secret, rows[i].code,
		    rows[i].t), 1);
	}
	/* Lower case and spaces read the same; a step either side passes. */
	assert_int_equal(site_totp_code("gezd gnbv gy3t qojq gezd gnbv gy3t "
	    "qojq", 59, code), 0);
	assert_string_equal(code, "287082");
	assert_int_equal(site_totp_check(secret, "081804", 1111111109 + 30),
	    1);
	assert_int_equal(site_totp_check(secret, "081804", 1111111109 + 90),
	    0);
	assert_int_equal(site_totp_check(secret, "08180", 1111111109), 0);
	assert_int_equal(site_totp_check(secret, NULL, 1111111109), 0);
	assert_int_equal(site_totp_code("not base32!", 59, code), -1);
	assert_int_equal(site_totp_code("", 59, code), -1);
	/* A new secret is 32 base32 letters that work. */
	assert_int_equal(site_totp_secret_new(s2, sizeof(s2)), 0);
	assert_int_equal(strlen(s2), 32);
	assert_int_equal(strspn(s2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_int_equal(site_totp_code(s2, 59, code), 0);
	assert_int_equal(site_totp_secret_new(s2, 10), -1);
}

static void
test_password(void **state)
{
	char	 h[SITE_PWHASH_LEN];

	(void)state;
	assert_int_equal(site_password_hash("correct horse", h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_int_equal(site_password_check(h, "correct horse"), 1);
	assert_int_equal(site_password_check(h, "correct hors"), 0);
	assert_int_equal(site_password_check(h, ""), 0);
	assert_int_equal(site_password_check("not a hash", "x"), 0);
}

struct fx {
	char		 dir[64];	/* site files, SQLite's too */
	struct store	*s;
	struct arena	*a;
	char		 pgdb[64];	/* PostgreSQL: the database */
};

static int
setup(void **state)
{
	struct fx	*f;
	char		 url[128], err[256];

	f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/gazette-admin-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(url, sizeof(url), "sqlite:%s/gazette.db", f->dir);
	if (store_open(url, 1, &f->s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		free(f);
		return -1;
	}
	f->a = arena_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 path[128];
	static const char *const files[] = { "gazette.db",
	    "gazette.db-wal", "gazette.db-shm", "secret.key" };
	size_t		 i;

	store_close(f->s);
	arena_free(f->a);
	if (f->pgdb[0] != '\0')
		pgdb_drop(f->pgdb);
	for (i = 0; i < nitems(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	/* A test that fixed the clock and failed must not pass it on. */
	clock_set_fixed(0);
	return 0;
}

static int	 pg_ndb;	/* databases made by setup_pg */

/* The same fixture on PostgreSQL; the directory keeps the site's files. */
static int
setup_pg(void **state)
{
	struct fx	*f;
	char		 url[512], err[256];

	f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/gazette-admin-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	if (pgdb_create(url, sizeof(url), f->pgdb, sizeof(f->pgdb),
	    pg_ndb++) == -1) {
		rmdir(f->dir);
		free(f);
		return -1;
	}
	if (store_open(url, 1, &f->s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		pgdb_drop(f->pgdb);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	f->a = arena_new();
	*state = f;
	return 0;
}

/* Adds a user in its own transaction; returns its id. */
static int64_t
user_add(struct fx *f, const char *name, const char *role)
{
	struct user	 u;

	memset(&u, 0, sizeof(u));
	u.name = (char *)(uintptr_t)name;
	u.role = (char *)(uintptr_t)role;
	u.pwhash = "$argon2id$stand-in";
	u.totp_secret = "";
	u.created = 1700000000;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_user_put(f->s, &u), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	return u.id;
}

static void
test_users(void **state)
{
	struct fx	*f = *state;
	struct user	*u, *v, bad;
	size_t		 n;
	int64_t		 id;

	id = user_add(f, "Olivia", "owner");
	user_add(f, "ana", "author");
	assert_int_equal(store_user_get(f->s, f->a, "OLIVIA", &u), STORE_OK);
	assert_int_equal(u->id, id);
	assert_string_equal(u->name, "Olivia");
	assert_string_equal(u->role, "owner");
	assert_int_equal(store_user_get(f->s, f->a, "nobody", &u),
	    STORE_NOTFOUND);
	assert_null(u);
	assert_int_equal(store_user_list(f->s, f->a, &v, &n), STORE_OK);
	assert_int_equal(n, 2);
	/* By name without case, as the name column compares. */
	assert_string_equal(v[0].name, "ana");
	assert_string_equal(v[1].name, "Olivia");

	memset(&bad, 0, sizeof(bad));
	bad.name = "olivia";
	bad.role = "owner";
	bad.pwhash = "x";
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_user_put(f->s, &bad), STORE_CONFLICT);
	bad.name = "zed";
	bad.role = "king";
	assert_int_equal(store_user_put(f->s, &bad), STORE_ERR);
	assert_non_null(strstr(store_errmsg(f->s), "role"));
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	/* A refused write leaves the transaction usable (PostgreSQL too). */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	bad.name = "OLIVIA";
	bad.role = "author";
	assert_int_equal(store_user_put(f->s, &bad), STORE_CONFLICT);
	bad.name = "zed";
	assert_int_equal(store_user_put(f->s, &bad), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_user_get(f->s, f->a, "Zed", &u), STORE_OK);
	assert_int_equal(u->id, bad.id);
	/* Updating an id that is not there. */
	bad.id += 100;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_user_put(f->s, &bad), STORE_NOTFOUND);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_user_delete(f->s, id), STORE_OK);
	assert_int_equal(store_user_delete(f->s, id), STORE_NOTFOUND);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_user_get_id(f->s, f->a, id, &u),
	    STORE_NOTFOUND);
}

static void
test_sessions_tokens(void **state)
{
	struct fx		*f = *state;
	struct user		*u;
	struct api_token	*t;
	char			*csrf;
	size_t			 n;
	int64_t			 id, tid;

	id = user_add(f, "edgar", "editor");
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_session_put(f->s, "h1", id, "tok1", 1000),
	    STORE_OK);
	assert_int_equal(store_session_put(f->s, "h2", id, "tok2", 2000),
	    STORE_OK);
	assert_int_equal(store_token_put(f->s, id, "script", "th1", &tid),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);

	assert_int_equal(store_session_get(f->s, f->a, "h1", 999, &u, &csrf),
	    STORE_OK);
	assert_string_equal(u->name, "edgar");
	assert_string_equal(csrf, "tok1");
	/* Expired on the server, whatever the cookie says. */
	assert_int_equal(store_session_get(f->s, f->a, "h1", 1000, &u, &csrf),
	    STORE_NOTFOUND);
	assert_null(u);
	assert_null(csrf);
	/* Deleting one also prunes every expired one. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_session_delete(f->s, "", 1500), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_session_get(f->s, f->a, "h1", 0, &u, &csrf),
	    STORE_NOTFOUND);
	assert_int_equal(store_session_get(f->s, f->a, "h2", 1500, &u,
	    &csrf), STORE_OK);

	assert_int_equal(store_token_user(f->s, f->a, "th1", &u), STORE_OK);
	assert_int_equal(u->id, id);
	assert_int_equal(store_token_user(f->s, f->a, "th2", &u),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_list(f->s, f->a, id, &t, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].name, "script");
	/* Another user cannot revoke it; its owner can; sessions die too. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_token_delete(f->s, id + 1, tid),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_delete(f->s, id, tid), STORE_OK);
	assert_int_equal(store_user_delete(f->s, id), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_token_user(f->s, f->a, "th1", &u),
	    STORE_NOTFOUND);
	assert_int_equal(store_session_get(f->s, f->a, "h2", 1500, &u,
	    &csrf), STORE_NOTFOUND);
}

static void
test_authors_stats(void **state)
{
	struct fx		*f = *state;
	struct post		 p;
	struct comment		 c;
	struct stats_row	*v;
	int64_t			 uid, author, views[3], comments[3];
	size_t			 n;
	char			*labels[] = { "Weather" };

	uid = user_add(f, "ana", "author");
	memset(&p, 0, sizeof(p));
	p.path = "/2026/09/rain.html";
	p.slug = "rain";
	p.title = "Rain";
	p.source = p.html = p.lang = "";
	p.status = POST_PUBLISHED;
	p.published = p.updated = 20000 * 86400;
	p.labels = labels;
	p.nlabels = 1;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_save(f->s, &p, NULL), STORE_OK);
	assert_int_equal(store_post_author_set(f->s, p.id, uid), STORE_OK);
	memset(&c, 0, sizeof(c));
	c.post_id = p.id;
	c.name = "r";
	c.email = c.url = c.addr_hash = c.spam_reasons = "";
	c.body = "wet";
	c.status = COMMENT_APPROVED;
	c.created = 20001 * 86400 + 5;
	assert_int_equal(store_comment_add(f->s, &c), STORE_OK);
	assert_int_equal(store_stats_add(f->s, 20000, STATS_VIEW,
	    "/2026/09/rain.html", 3), STORE_OK);
	assert_int_equal(store_stats_add(f->s, 20000, STATS_VIEW,
	    "/2026/09/rain.html", 2), STORE_OK);
	assert_int_equal(store_stats_add(f->s, 20002, STATS_VIEW, "/", 7),
	    STORE_OK);
	assert_int_equal(store_stats_add(f->s, 20002, STATS_SEARCH, "rain",
	    1), STORE_OK);
	assert_int_equal(store_stats_add(f->s, 20002, STATS_LABEL, "x", 1),
	    STORE_ERR);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);

	assert_int_equal(store_post_author_get(f->s, p.id, &author),
	    STORE_OK);
	assert_int_equal(author, uid);
	assert_int_equal(store_post_author_get(f->s, p.id + 1, &author),
	    STORE_OK);
	assert_int_equal(author, 0);

	assert_int_equal(store_stats_days(f->s, 20000, 3, views, comments),
	    STORE_OK);
	assert_int_equal(views[0], 5);
	assert_int_equal(views[1], 0);
	assert_int_equal(views[2], 7);
	assert_int_equal(comments[0], 0);
	assert_int_equal(comments[1], 1);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_VIEW, 20000, 10,
	    &v, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].key, "/");
	assert_int_equal(v[0].n, 7);
	assert_int_equal(v[1].n, 5);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_VIEW, 20001, 10,
	    &v, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_LABEL, 0, 10, &v,
	    &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].key, "Weather");
	assert_int_equal(v[0].n, 5);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_SEARCH, 0, 10, &v,
	    &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].key, "rain");
}

/*
 * Views and searches gather in memory: nothing reaches the store until
 * a flush, which then writes each page's total for the day once.
 */
static void
test_counting(void **state)
{
	struct fx		*f = *state;
	struct conf		 conf;
	struct site		*site;
	struct stats_row	*v;
	char			 err[256];
	size_t			 n, i;

	clock_set_fixed(20000 * 86400 + 3600);
	conf_defaults(&conf);
	site = site_new(&conf, f->s, f->dir, err, sizeof(err));
	assert_non_null(site);
	for (i = 0; i < 5; i++)
		site_count_view(site, "/2026/09/rain.html", 200);
	site_count_view(site, "/2026/09/rain.html", 404);
	site_count_view(site, "/admin/", 200);
	site_count_view(site, "/static/style.css", 200);
	site_count_view(site, "/api/v1/posts", 200);
	site_count_search(site, "  Rain ");
	site_count_search(site, "rain");
	site_count_search(site, "   ");
	assert_int_equal(store_stats_top(f->s, f->a, STATS_VIEW, 0, 10, &v,
	    &n), STORE_OK);
	assert_int_equal(n, 0);
	site_stats_flush(site);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_VIEW, 0, 10, &v,
	    &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].key, "/2026/09/rain.html");
	assert_int_equal(v[0].n, 5);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_SEARCH, 0, 10, &v,
	    &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].key, "rain");
	assert_int_equal(v[0].n, 2);
	/* A minute later the next count writes by itself. */
	clock_set_fixed(20000 * 86400 + 3600 + 60);
	site_count_view(site, "/2026/09/rain.html", 200);
	assert_int_equal(store_stats_top(f->s, f->a, STATS_VIEW, 0, 10, &v,
	    &n), STORE_OK);
	assert_int_equal(v[0].n, 6);
	site_free(site);
	conf_clear(&conf);
	clock_set_fixed(0);
}

/*
 * The editor asks for suggestions for any text, even one with no word
 * to suggest: that found text_keywords sorting a NULL array (UBSan).
 */
static void
test_no_suggestions(void **state)
{
	struct arena		*a = arena_new();
	struct text_keyword	*kw;
	size_t			 n = 99;

	(void)state;
	assert_int_equal(text_keywords(a, "en", "", "x", NULL, 0, NULL, NULL,
	    0, 10, &kw, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(text_keywords(a, NULL, "", "", NULL, 0, NULL, NULL,
	    0, 10, &kw, &n), 0);
	assert_int_equal(n, 0);
	arena_free(a);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define P(fn)	cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1),
		cmocka_unit_test(test_hmac_sha1),
		cmocka_unit_test(test_totp),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_no_suggestions),
		T(test_users),
		T(test_sessions_tokens),
		T(test_authors_stats),
		T(test_counting),
	};
	/* The store's cases again, on the PostgreSQL engine. */
	const struct CMUnitTest pg_tests[] = {
		P(test_users),
		P(test_sessions_tokens),
		P(test_authors_stats),
		P(test_counting),
	};
	int			 rc;

	rc = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	rc |= cmocka_run_group_tests_name("postgres", pg_tests, NULL, NULL);
	return rc;
}
