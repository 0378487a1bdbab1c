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
 * Search on PostgreSQL ranks like search on SQLite.  The same site (a
 * few hundred generated posts whose words follow a skewed distribution,
 * so that common words are on most posts and rare ones on a few, with
 * titles, labels and comments) goes into both engines, and a set of
 * queries parsed as the site parses them (search_parse: words,
 * phrases, negation, several languages as alternatives) runs on both.
 * The top 10 of the two must share at least 7 posts on average, and
 * every query must find the same number of posts.  Needs the server
 * that tests/pg starts (GAZETTE_TEST_PG).
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
#include <libpq-fe.h>

#include "base.h"
#include "search/search.h"
#include "store/store.h"
#include "text/text.h"

#define NPOSTS		300
#define TOP		10

static const char *const words[] = {
	"the", "market", "government", "election", "river", "storm",
	"minister", "village", "football", "school", "bridge", "doctor",
	"hospital", "council", "budget", "winter", "harvest", "factory",
	"strike", "railway", "museum", "festival", "painter", "mountain",
	"fisherman", "harbour", "lighthouse", "garden", "library", "teacher",
	"volcano", "island", "treaty", "border", "satellite", "telescope",
	"orchestra", "cathedral", "drought", "flood", "wildfire", "vaccine",
	"parliament", "protest", "reform", "tariff", "currency", "inflation",
	"bakery", "vineyard", "glacier", "earthquake", "tunnel", "airport",
};

static const char *const labels[] = {
	"Politics", "Weather", "Sport", "Culture", "Economy", "Science",
	"Local news",
};

static const char *const queries[] = {
	"market", "storm", "election government", "river bridge",
	"\"fisherman harbour\"", "winter -storm", "festival", "budget",
	"school teacher", "volcano", "island treaty", "railway strike",
	"museum painter", "\"the market\"", "flood", "doctor hospital",
	"inflation currency", "glacier", "orchestra cathedral", "garden",
	"parliament reform", "airport tunnel", "vaccines", "elections",
};

/* A small deterministic generator, so both engines get the same site. */
static uint32_t
rnd(uint32_t *st)
{
	*st = *st * 1664525u + 1013904223u;
	return *st >> 8;
}

/* A word, the first ones far more often than the last. */
static const char *
word(uint32_t *st)
{
	uint32_t	 a, b;

	a = rnd(st) % nitems(words);
	b = rnd(st) % nitems(words);
	return words[a < b ? a : b];
}

static void
text(struct buf *b, uint32_t *st, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, (i % 12) == 0 ? '.' : ' ');
		if ((i % 12) == 0 && i > 0)
			buf_addc(b, ' ');
		buf_adds(b, word(st));
	}
	buf_addc(b, '.');
}

static void
fill(struct store *s)
{
	struct post	 p;
	struct comment	 c;
	struct buf	 title = BUF_INIT, body = BUF_INIT, html = BUF_INIT;
	struct buf	 cb = BUF_INIT;
	char		 path[64], *lv[2];
	uint32_t	 st = 12345;
	int		 i, k;

	assert_int_equal(store_write_begin(s), STORE_OK);
	for (i = 0; i < NPOSTS; i++) {
		buf_reset(&title);
		buf_reset(&body);
		buf_reset(&html);
		text(&title, &st, 2 + rnd(&st) % 4);
		text(&body, &st, 20 + rnd(&st) % 200);
		buf_adds(&html, "<p>");
		buf_add(&html, body.p, body.len);
		buf_adds(&html, "</p>");
		buf_addc(&html, '\0');
		buf_addc(&title, '\0');
		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/2023/%02d/p%d.html",
		    1 + i % 12, i);
		p.path = path;
		p.slug = strrchr(path, '/') + 1;
		p.title = title.p;
		p.source = "";
		p.html = html.p;
		p.lang = "en";
		p.status = POST_PUBLISHED;
		p.published = 1672531200 + (int64_t)i * 3600;
		p.updated = p.published;
		lv[0] = (char *)(uintptr_t)labels[rnd(&st) % nitems(labels)];
		lv[1] = (char *)(uintptr_t)labels[rnd(&st) % nitems(labels)];
		p.labels = lv;
		p.nlabels = 2;
		assert_int_equal(store_post_save(s, &p, NULL), STORE_OK);
		for (k = 0; k < (int)(rnd(&st) % 3); k++) {
			buf_reset(&cb);
			text(&cb, &st, 5 + rnd(&st) % 20);
			buf_addc(&cb, '\0');
			memset(&c, 0, sizeof(c));
			c.post_id = p.id;
			c.name = "Reader";
			c.body = cb.p;
			c.status = COMMENT_APPROVED;
			c.created = p.published + 60 + k;
			assert_int_equal(store_comment_add(s, &c), STORE_OK);
		}
	}
	assert_int_equal(store_write_end(s, 1), STORE_OK);
	buf_clear(&title);
	buf_clear(&body);
	buf_clear(&html);
	buf_clear(&cb);
}

static void
top(struct store *s, struct arena *a, const char *q, int64_t *ids,
    size_t *n, size_t *total)
{
	struct search_parsed	 sp;
	struct search_result	 r;
	size_t			 i;

	assert_int_equal(search_parse(a, q, "en", &sp), 0);
	sp.q.now = 2000000000;
	sp.q.limit = TOP;
	assert_int_equal(store_search(s, a, &sp.q, &r), STORE_OK);
	for (i = 0; i < r.n; i++)
		ids[i] = r.v[i].post.id;
	*n = r.n;
	*total = r.total;
}

static void
test_overlap(void **state)
{
	struct store	*sq, *pg;
	struct arena	*a;
	const char	*base;
	char		 dir[64], url[256], err[256], sql[96], path[128];
	int64_t		 x[TOP], y[TOP];
	size_t		 i, j, k, nx, ny, tx, ty, common, sum = 0, nq = 0;
	PGconn		*db;
	PGresult	*r;
	const char	*q, *slash;

	(void)state;
	base = getenv("GAZETTE_TEST_PG");
	if (base == NULL || *base == '\0')
		fail_msg("GAZETTE_TEST_PG is not set: run through tests/run");
	/* A database of its own, next to the maintenance one. */
	snprintf(sql, sizeof(sql), "gazette_overlap_%ld", (long)getpid());
	db = PQconnectdb(base);
	assert_int_equal(PQstatus(db), CONNECTION_OK);
	r = PQexec(db, arena_printf(a = arena_new(), "CREATE DATABASE %s",
	    sql));
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	q = strchr(base, '?');
	for (slash = q; slash > base && slash[-1] != '/'; slash--)
		continue;
	snprintf(url, sizeof(url), "%.*s%s%s", (int)(slash - base), base, sql,
	    q);

	snprintf(dir, sizeof(dir), "/tmp/gazette-overlap-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "sqlite:%s/gazette.db", dir);
	assert_int_equal(store_open(path, 1, &sq, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_open(url, 1, &pg, err, sizeof(err)), STORE_OK);
	fill(sq);
	fill(pg);

	for (i = 0; i < nitems(queries); i++) {
		top(sq, a, queries[i], x, &nx, &tx);
		top(pg, a, queries[i], y, &ny, &ty);
		if (tx != ty)
			fail_msg("%s: %zu posts on SQLite, %zu on PostgreSQL",
			    queries[i], tx, ty);
		if (nx == 0)
			continue;
		for (common = 0, j = 0; j < nx; j++)
			for (k = 0; k < ny; k++)
				if (x[j] == y[k])
					common++;
		/* Fewer than TOP hits: all of them must be the same. */
		printf("# %-24s %zu found, top %zu: %zu in common\n",
		    queries[i], tx, nx, common);
		sum += common * TOP / nx;
		nq++;
	}
	printf("# average overlap of the top %d: %.2f\n", TOP,
	    (double)sum / (double)nq);
	assert_true(nq >= nitems(queries) - 2);
	assert_true(sum >= 7 * nq);

	store_close(sq);
	store_close(pg);
	snprintf(err, sizeof(err), "%s/gazette.db", dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/gazette.db-wal", dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/gazette.db-shm", dir);
	unlink(err);
	rmdir(dir);
	r = PQexec(db, arena_printf(a, "DROP DATABASE %s", sql));
	PQclear(r);
	PQfinish(db);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_overlap),
	};
	int			 rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	text_thread_cleanup();
	return rc;
}
