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
 * The store's change log (store_changes_since) and next-due time
 * (store_post_next_due) on the SQLite engine: each kind of write records
 * the tags store.h promises, seen from another store on the same file as
 * another process would see them; a reader too far behind gets "all".
 */
#include <dirent.h>
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
#include "store/store.h"

struct fx {
	char		 dir[64];	/* mkdtemp'd, removed at teardown */
	char		 url[160];	/* sqlite:DIR/gazette.db */
	struct store	*s;		/* the writer */
	struct store	*r;		/* another store on the same file */
	struct arena	*a;
	int64_t		 seq;		/* last change seen through r */
};

static int
setup(void **state)
{
	struct fx		*f;
	struct store_change	*v;
	size_t			 n;
	char			 err[256];

	f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/gazette-changes-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->url, sizeof(f->url), "sqlite:%s/gazette.db", f->dir);
	if (store_open(f->url, 1, &f->s, err, sizeof(err)) != STORE_OK ||
	    store_open(f->url, 0, &f->r, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	f->a = arena_new();
	if (store_changes_since(f->r, f->a, -1, &v, &n, &f->seq) != STORE_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	store_close(f->s);
	store_close(f->r);
	arena_free(f->a);
	if ((d = opendir(f->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/*
 * The tags committed since the last call, read through the other store,
 * sorted and without repeats, joined with spaces.
 */
static const char *
changes(struct fx *f)
{
	struct store_change	*v;
	struct buf		 b = BUF_INIT;
	const char		**tags, *t;
	size_t			 n, i, j, k = 0;
	int64_t			 last;
	char			*out;

	assert_int_equal(store_changes_since(f->r, f->a, f->seq, &v, &n,
	    &last), STORE_OK);
	assert_true(n == 0 || last == v[n - 1].seq);
	f->seq = last;
	tags = arena_allocarray(f->a, n + 1, sizeof(*tags));
	for (i = 0; i < n; i++) {
		for (j = 0; j < k && strcmp(tags[j], v[i].tag) != 0; j++)
			;
		if (j < k)
			continue;
		/* Insertion sort: a handful of tags. */
		for (j = k++; j > 0 && strcmp(tags[j - 1], v[i].tag) > 0; j--)
			tags[j] = tags[j - 1];
		tags[j] = v[i].tag;
	}
	for (i = 0; i < k; i++) {
		t = tags[i];
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, t);
	}
	out = arena_strndup(f->a, b.p == NULL ? "" : b.p, b.len);
	buf_clear(&b);
	return out;
}

static int64_t
save(struct store *s, const char *path, enum post_status st, int is_page,
    int64_t published, const char *const *labels, size_t nlabels)
{
	struct post	 p;

	memset(&p, 0, sizeof(p));
	p.path = (char *)(uintptr_t)path;
	p.slug = (char *)(uintptr_t)(strrchr(path, '/') + 1);
	p.title = (char *)(uintptr_t)path;
	p.source = "text";
	p.html = "<p>text</p>";
	p.lang = "en";
	p.status = st;
	p.is_page = is_page;
	p.published = published;
	p.updated = published;
	p.labels = (char **)(uintptr_t)labels;
	p.nlabels = nlabels;
	assert_int_equal(store_write_begin(s), STORE_OK);
	assert_int_equal(store_post_save(s, &p, NULL), STORE_OK);
	assert_int_equal(store_write_end(s, 1), STORE_OK);
	return p.id;
}

static int64_t
comment(struct store *s, int64_t post)
{
	struct comment	 c;

	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.name = "Ana";
	c.email = "";
	c.url = "";
	c.body = "Hello.";
	c.addr_hash = "";
	c.spam_reasons = "";
	c.status = COMMENT_PENDING;
	c.created = 1000;
	assert_int_equal(store_write_begin(s), STORE_OK);
	assert_int_equal(store_comment_add(s, &c), STORE_OK);
	assert_int_equal(store_write_end(s, 1), STORE_OK);
	return c.id;
}

static void
test_post_changes(void **state)
{
	struct fx		*f = *state;
	const char *const	 l1[] = { "North Korea", "Russia" };
	const char *const	 l2[] = { "Russia" };
	int64_t			 id, pg;

	/* A fresh database has seen nothing since the number we took. */
	assert_string_equal(changes(f), "");

	id = save(f->s, "/2023/09/a.html", POST_PUBLISHED, 0, 1694476800,
	    l1, 2);
	assert_int_equal(id, 1);
	assert_string_equal(changes(f),
	    "label:north korea label:russia list:1694476800 post:1");

	/* Moved to another date and off a label: both times, both labels. */
	save(f->s, "/2023/09/a.html", POST_PUBLISHED, 0, 1700000000, l2, 1);
	assert_string_equal(changes(f), "label:north korea label:russia "
	    "list:1694476800 list:1700000000 post:1");

	/* A draft is on no list. */
	save(f->s, "/2023/09/d.html", POST_DRAFT, 0, 1694476800, NULL, 0);
	assert_string_equal(changes(f), "post:2");

	/* A page changes the navigation, not the dated lists. */
	pg = save(f->s, "/p/about.html", POST_PUBLISHED, 1, 1694476800,
	    NULL, 0);
	assert_string_equal(changes(f), "nav post:3");

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, id), STORE_OK);
	assert_int_equal(store_post_delete(f->s, pg), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_string_equal(changes(f),
	    "label:russia list:1700000000 nav post:1 post:3");

	/* A rolled-back write leaves no trace. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, 2), STORE_OK);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_string_equal(changes(f), "");
}

static void
test_comment_and_label_changes(void **state)
{
	struct fx		*f = *state;
	const char *const	 l1[] = { "Russia" };
	const char *const	 l2[] = { "Ukraine" };
	int64_t			 a, c;

	a = save(f->s, "/2023/09/a.html", POST_PUBLISHED, 0, 100, l1, 1);
	save(f->s, "/2023/09/b.html", POST_PUBLISHED, 0, 200, l2, 1);
	save(f->s, "/2023/09/c.html", POST_PUBLISHED, 0, 300, NULL, 0);
	(void)changes(f);

	/* Comment writes touch their post only. */
	c = comment(f->s, a);
	assert_string_equal(changes(f), "post:1");
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_set_status(f->s, c, COMMENT_APPROVED),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_string_equal(changes(f), "post:1");
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, c), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_string_equal(changes(f), "post:1");

	/* A rename: both keys and the posts that show the label. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_label_rename(f->s, "russia", "Rusia"),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_string_equal(changes(f), "label:rusia label:russia post:1");

	/* A merge: both labels and the posts that move. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_label_merge(f->s, "Ukraine", "Rusia"),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_string_equal(changes(f), "label:rusia label:ukraine post:2");

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_redirect_put(f->s, "/?p=1", "/2023/09/a.html"),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_string_equal(changes(f), "redirect");
}

static void
test_changes_pruned(void **state)
{
	struct fx		*f = *state;
	struct store_change	*v;
	size_t			 n, i;
	int64_t			 last, before;
	char			 path[64];

	before = f->seq;
	/* Two tags a post: past the 8192 kept. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	for (i = 0; i < 5000; i++) {
		struct post	 p;

		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/2023/09/p%zu.html", i);
		p.path = path;
		p.slug = path + 9;
		p.title = path;
		p.source = p.html = p.lang = "";
		p.status = POST_PUBLISHED;
		p.published = p.updated = (int64_t)i;
		assert_int_equal(store_post_save(f->s, &p, NULL), STORE_OK);
	}
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_changes_since(f->r, f->a, before, &v, &n,
	    &last), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].tag, "all");
	assert_true(last > before);
	/* From there on, exact again. */
	save(f->s, "/2023/09/p1.html", POST_DRAFT, 0, 1, NULL, 0);
	assert_int_equal(store_changes_since(f->r, f->a, last, &v, &n,
	    &last), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].tag, "post:2");
	assert_string_equal(v[1].tag, "list:1");
	/* after = -1 only tells the number. */
	assert_int_equal(store_changes_since(f->r, f->a, -1, &v, &n,
	    &before), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(before, last);
}

static void
test_next_due(void **state)
{
	struct fx	*f = *state;
	int64_t		 when;

	assert_int_equal(store_post_next_due(f->r, 1000, &when), STORE_OK);
	assert_int_equal(when, 0);
	save(f->s, "/2023/09/a.html", POST_PUBLISHED, 0, 900, NULL, 0);
	save(f->s, "/2023/09/b.html", POST_PUBLISHED, 0, 3000, NULL, 0);
	save(f->s, "/2023/09/c.html", POST_PUBLISHED, 0, 2000, NULL, 0);
	save(f->s, "/2023/09/d.html", POST_DRAFT, 0, 1500, NULL, 0);
	save(f->s, "/p/e.html", POST_PUBLISHED, 1, 1200, NULL, 0);
	assert_int_equal(store_post_next_due(f->r, 1000, &when), STORE_OK);
	assert_int_equal(when, 2000);
	assert_int_equal(store_post_next_due(f->r, 2000, &when), STORE_OK);
	assert_int_equal(when, 3000);
	assert_int_equal(store_post_next_due(f->r, 3000, &when), STORE_OK);
	assert_int_equal(when, 0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		T(test_post_changes),
		T(test_comment_and_label_changes),
		T(test_changes_pruned),
		T(test_next_due),
	};
	int			 rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	text_thread_cleanup();
	return rc;
}
