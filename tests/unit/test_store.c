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
 * The store, through store.h, on the SQLite engine: opening and refusing
 * files, migrations, posts and labels, listings, comments, the data
 * version seen across stores and threads, and concurrent readers.  Each
 * test gets a fresh database in its own temporary directory.  The few
 * checks that need the raw file (versions, journal mode) use sqlite3
 * directly; the failing-migration test reaches migrate.c through
 * store_int.h.
 */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base.h"
#include "store/store.h"
#include "store/store_int.h"

struct fx {
	char		 dir[64];	/* mkdtemp'd, removed at teardown */
	char		 path[128];	/* DIR/gazette.db */
	char		 url[160];	/* sqlite:DIR/gazette.db */
	struct store	*s;		/* open on url */
	struct arena	*a;
};

/* Removes every file in dir, then dir (the tests make no subdirs). */
static void
rmdir_all(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int
setup(void **state)
{
	struct fx	*f;
	char		 err[256];

	f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/gazette-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/gazette.db", f->dir);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	if (store_open(f->url, 1, &f->s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		rmdir_all(f->dir);
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

	store_close(f->s);
	arena_free(f->a);
	rmdir_all(f->dir);
	free(f);
	return 0;
}

/* Writes a file with the given bytes. */
static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*fp;

	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* One integer from a query on a raw connection to path. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Runs SQL on a raw read-write connection to path. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

/* Saves one post in its own transaction; returns its id. */
static int64_t
put_post(struct store *s, const char *path, enum post_status st,
    int is_page, int64_t published, const char *const *labels,
    size_t nlabels, int *created)
{
	struct post	 p;
	const char	*slug;

	memset(&p, 0, sizeof(p));
	slug = strrchr(path, '/') + 1;
	p.path = (char *)(uintptr_t)path;
	p.slug = (char *)(uintptr_t)slug;
	p.title = (char *)(uintptr_t)path;
	p.source = "source";
	p.html = "<p>html</p>";
	p.lang = "en";
	p.status = st;
	p.is_page = is_page;
	p.published = published;
	p.updated = published;
	p.labels = (char **)(uintptr_t)labels;
	p.nlabels = nlabels;
	assert_int_equal(store_write_begin(s), STORE_OK);
	assert_int_equal(store_post_save(s, &p, created), STORE_OK);
	assert_int_equal(store_write_end(s, 1), STORE_OK);
	assert_true(p.id > 0);
	return p.id;
}

/* Adds one comment in its own transaction; returns its id. */
static int64_t
put_comment(struct store *s, int64_t post, int64_t parent, const char *name,
    const char *email, const char *body, enum comment_status st,
    int64_t created)
{
	struct comment	 c;

	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.parent_id = parent;
	c.name = (char *)(uintptr_t)name;
	c.email = (char *)(uintptr_t)email;
	c.url = "";
	c.body = (char *)(uintptr_t)body;
	c.status = st;
	c.created = created;
	c.addr_hash = "h";
	assert_int_equal(store_write_begin(s), STORE_OK);
	assert_int_equal(store_comment_add(s, &c), STORE_OK);
	assert_int_equal(store_write_end(s, 1), STORE_OK);
	assert_true(c.id > 0);
	return c.id;
}

/* Asserts that a post's labels are exactly want[0..n). */
static void
assert_labels(const struct post *p, const char *const *want, size_t n)
{
	size_t	 i;

	assert_int_equal(p->nlabels, n);
	for (i = 0; i < n; i++)
		assert_string_equal(p->labels[i], want[i]);
}

/* ---- opening ---- */

/* Copies pattern into buf with each '@' replaced by dir. */
static void
subst(char *buf, size_t len, const char *pattern, const char *dir)
{
	struct buf	 b = BUF_INIT;

	for (; *pattern != '\0'; pattern++)
		if (*pattern == '@')
			buf_adds(&b, dir);
		else
			buf_addc(&b, *pattern);
	assert_int_equal(str_copy(buf, b.p == NULL ? "" : b.p, len), 0);
	buf_clear(&b);
}

static void
test_open_urls(void **state)
{
	static const struct {
		const char	*url;	/* @: the test directory */
		int		 create;
		enum store_err	 want;
		const char	*msg;	/* in err, or NULL */
	} rows[] = {
		{ "", 1, STORE_ERR, "empty store URL" },
		{ "mysql://@", 1, STORE_ERR, "unknown store URL" },
		{ "postgres://localhost/x", 1, STORE_ERR,
		    "PostgreSQL engine not built yet" },
		{ "postgresql://localhost/x", 1, STORE_ERR,
		    "PostgreSQL engine not built yet" },
		{ "sqlite:", 1, STORE_ERR, "no database path" },
		{ "sqlite::memory:", 1, STORE_ERR, "in-memory" },
		{ "sqlite:@/missing.db", 0, STORE_ERR, "no such database" },
		{ "sqlite:@/nodir/x.db", 1, STORE_ERR, "unable to open" },
		{ "sqlite:@/junk.txt", 0, STORE_ERR,
		    "not a gazette database" },
		{ "sqlite:@/junk.txt", 1, STORE_ERR,
		    "not a gazette database" },
		{ "sqlite:@/short", 1, STORE_ERR, "not a gazette database" },
		{ "sqlite:@/foreign.db", 1, STORE_ERR,
		    "not a gazette database" },
		{ "sqlite:@/empty", 0, STORE_ERR, "not a gazette database" },
		{ "sqlite:@/empty", 1, STORE_OK, NULL },
		{ "sqlite:@/new.db", 1, STORE_OK, NULL },
		{ "sqlite:@/gazette.db", 0, STORE_OK, NULL },
		{ "sqlite:@/gazette.db", 1, STORE_OK, NULL },
	};
	struct fx	*f = *state;
	struct store	*s;
	char		 url[256], err[256], junk[600], p[256];
	size_t		 i;

	memset(junk, 'x', sizeof(junk));
	snprintf(p, sizeof(p), "%s/junk.txt", f->dir);
	write_file(p, junk, sizeof(junk));
	snprintf(p, sizeof(p), "%s/short", f->dir);
	write_file(p, "hi\n", 3);
	snprintf(p, sizeof(p), "%s/empty", f->dir);
	write_file(p, "", 0);
	snprintf(p, sizeof(p), "%s/foreign.db", f->dir);
	raw_exec(p, "CREATE TABLE other (x); INSERT INTO other VALUES (1)");

	for (i = 0; i < nitems(rows); i++) {
		subst(url, sizeof(url), rows[i].url, f->dir);
		s = (struct store *)&s;	/* must be reset */
		memset(err, 'z', sizeof(err));
		err[sizeof(err) - 1] = '\0';
		if (store_open(url, rows[i].create, &s, err, sizeof(err)) !=
		    rows[i].want)
			fail_msg("row %zu: %s: %s", i, url, err);
		if (rows[i].want != STORE_OK) {
			assert_null(s);
			if (strstr(err, rows[i].msg) == NULL)
				fail_msg("row %zu: %s: \"%s\" lacks \"%s\"",
				    i, url, err, rows[i].msg);
		}
		store_close(s);
	}

	/* Refused files were left as they were: no WAL, no new tables. */
	snprintf(p, sizeof(p), "%s/junk.txt-wal", f->dir);
	assert_int_not_equal(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/foreign.db", f->dir);
	assert_int_equal(raw_int(p, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(raw_int(p, "SELECT count(*) FROM other"), 1);
	snprintf(p, sizeof(p), "%s/foreign.db-wal", f->dir);
	assert_int_not_equal(access(p, F_OK), 0);
}

static void
test_open_migrations_idempotent(void **state)
{
	struct fx		*f = *state;
	struct migration	 v[16];
	struct store		*s;
	char			 err[256];
	int64_t			 nobj;
	size_t			 n;
	int			 i;

	assert_int_equal(migrate_list("schema/sqlite/", v, nitems(v), &n,
	    err, sizeof(err)), 0);
	assert_true(n >= 1);
	assert_int_equal(v[0].version, 1);
	assert_string_equal(v[0].name, "schema/sqlite/001-init.sql");

	nobj = raw_int(f->path, "SELECT count(*) FROM sqlite_schema");
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_open(f->url, i % 2, &s, err,
		    sizeof(err)), STORE_OK);
		store_close(s);
	}
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    (int64_t)n);
	assert_int_equal(raw_int(f->path, "PRAGMA application_id"),
	    STORE_SQLITE_APP_ID);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM sqlite_schema"), nobj);
	assert_int_equal(raw_int(f->path,
	    "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

static void
test_open_too_new(void **state)
{
	struct fx	*f = *state;
	struct store	*s = NULL;
	char		 err[256];

	store_close(f->s);
	f->s = NULL;
	raw_exec(f->path, "PRAGMA user_version = 99");
	assert_int_equal(store_open(f->url, 0, &s, err, sizeof(err)),
	    STORE_ERR);
	assert_null(s);
	assert_non_null(strstr(err, "schema version 99 is newer"));
	assert_non_null(strstr(err, f->path));
	/* Refusing changed nothing. */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
	assert_int_equal(store_open(f->url, 1, &s, err, sizeof(err)),
	    STORE_ERR);
}

/*
 * A migration that fails half-way leaves the database at the version
 * before it, with none of its changes; a good one after it applies.
 */
static void
test_migration_failure_rolls_back(void **state)
{
	struct fx		*f = *state;
	struct migration	 v[16];
	sqlite3			*db;
	struct store		*s = NULL;
	char			 err[256];
	size_t			 n;

	assert_int_equal(migrate_list("schema/sqlite/", v, nitems(v) - 1,
	    &n, err, sizeof(err)), 0);
	store_close(f->s);
	f->s = NULL;

	v[n].version = (int)n + 1;
	v[n].name = "schema/sqlite/999-bad.sql";
	v[n].sql = "CREATE TABLE extra (x); "
	    "INSERT INTO extra VALUES (1); "
	    "INSERT INTO nosuch VALUES (1);";
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(migrate_sqlite_apply(db, v, n + 1, err,
	    sizeof(err)), STORE_ERR);
	assert_non_null(strstr(err, "999-bad.sql"));
	assert_non_null(strstr(err, "nosuch"));
	sqlite3_close(db);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    (int64_t)n);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "sqlite_schema WHERE name = 'extra'"), 0);

	/* Leaving dangling foreign keys is a failure too. */
	v[n].sql = "INSERT INTO post_labels VALUES (42, 42, 0);";
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(migrate_sqlite_apply(db, v, n + 1, err,
	    sizeof(err)), STORE_ERR);
	assert_non_null(strstr(err, "foreign keys"));
	sqlite3_close(db);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM post_labels"), 0);

	v[n].sql = "CREATE TABLE extra (x);";
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(migrate_sqlite_apply(db, v, n + 1, err,
	    sizeof(err)), STORE_OK);
	/* Applying again is a no-op. */
	assert_int_equal(migrate_sqlite_apply(db, v, n + 1, err,
	    sizeof(err)), STORE_OK);
	sqlite3_close(db);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    (int64_t)n + 1);

	/* And now this binary finds the database too new. */
	assert_int_equal(store_open(f->url, 0, &s, err, sizeof(err)),
	    STORE_ERR);
	assert_non_null(strstr(err, "newer"));
}

/* ---- posts ---- */

static void
test_post_save_and_get(void **state)
{
	/* U+0430 inside English, CJK, emoji, CR LF: all byte-exact. */
	static const char title[] = "Pin and Kim: have \xd0\xb0 lot";
	static const char source[] = "caf\xc3\xa9\r\n\xed\x95\x9c\xea\xb5"
	    "\xad\xec\x96\xb4 \xf0\x9f\x98\x80\t'quote' \"dq\" %s ;--";
	static const char *const l1[] = { "World", "News" };
	static const char *const l2[] = { "Asia" };
	struct fx	*f = *state;
	struct post	 p, *g;
	int		 created = -1;
	int64_t		 id;

	memset(&p, 0, sizeof(p));
	p.path = "/2023/09/pin-and-kim.html";
	p.slug = "pin-and-kim";
	p.title = (char *)(uintptr_t)title;
	p.source = (char *)(uintptr_t)source;
	p.html = "<p>x</p>";
	p.lang = "en";
	p.status = POST_PUBLISHED;
	p.published = 1694476800;
	p.updated = 1694476801;
	p.labels = (char **)(uintptr_t)l1;
	p.nlabels = nitems(l1);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_save(f->s, &p, &created), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(created, 1);
	assert_true(p.id > 0);
	id = p.id;

	assert_int_equal(store_post_get_id(f->s, f->a, id, &g), STORE_OK);
	assert_int_equal(g->id, id);
	assert_string_equal(g->path, "/2023/09/pin-and-kim.html");
	assert_string_equal(g->slug, "pin-and-kim");
	assert_memory_equal(g->title, title, sizeof(title));
	assert_memory_equal(g->source, source, sizeof(source));
	assert_string_equal(g->html, "<p>x</p>");
	assert_string_equal(g->lang, "en");
	assert_int_equal(g->status, POST_PUBLISHED);
	assert_int_equal(g->is_page, 0);
	assert_int_equal(g->published, 1694476800);
	assert_int_equal(g->updated, 1694476801);
	assert_int_equal(g->ncomments, 0);
	assert_labels(g, l1, nitems(l1));

	/* Saving the same path again updates it, labels replaced. */
	memset(&p, 0, sizeof(p));
	p.path = "/2023/09/pin-and-kim.html";
	p.slug = "pin-and-kim";
	p.title = "New title";
	p.status = POST_DRAFT;
	p.published = 1694476800;
	p.updated = 1694480000;
	p.labels = (char **)(uintptr_t)l2;
	p.nlabels = nitems(l2);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_save(f->s, &p, NULL), STORE_OK);
	assert_int_equal(store_post_save(f->s, &p, &created), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(created, 0);
	assert_int_equal(p.id, id);
	assert_int_equal(store_post_get_path(f->s, f->a,
	    "/2023/09/pin-and-kim.html", &g), STORE_OK);
	assert_int_equal(g->id, id);
	assert_string_equal(g->title, "New title");
	assert_string_equal(g->source, "");	/* NULL is stored as "" */
	assert_int_equal(g->status, POST_DRAFT);
	assert_int_equal(g->updated, 1694480000);
	assert_labels(g, l2, nitems(l2));

	assert_int_equal(store_post_get_slug(f->s, f->a, "pin-and-kim", &g),
	    STORE_OK);
	assert_int_equal(g->id, id);

	/* Misses. */
	g = (struct post *)&g;
	assert_int_equal(store_post_get_id(f->s, f->a, id + 100, &g),
	    STORE_NOTFOUND);
	assert_null(g);
	g = (struct post *)&g;
	assert_int_equal(store_post_get_path(f->s, f->a, "/nope.html", &g),
	    STORE_NOTFOUND);
	assert_null(g);
	assert_int_equal(store_post_get_slug(f->s, f->a, "nope", &g),
	    STORE_NOTFOUND);
	assert_null(g);
}

static void
test_post_save_by_id(void **state)
{
	struct fx	*f = *state;
	struct post	 p, *g;
	int64_t		 a, b;
	int		 created = -1;

	a = put_post(f->s, "/2023/01/same.html", POST_PUBLISHED, 0, 100,
	    NULL, 0, NULL);
	b = put_post(f->s, "/2024/01/same.html", POST_PUBLISHED, 0, 200,
	    NULL, 0, NULL);

	/* A slug clash: the newest wins. */
	assert_int_equal(store_post_get_slug(f->s, f->a, "same.html", &g),
	    STORE_OK);
	assert_int_equal(g->id, b);

	memset(&p, 0, sizeof(p));
	p.title = "t";
	p.slug = "moved.html";
	p.status = POST_PUBLISHED;
	p.published = 300;
	assert_int_equal(store_write_begin(f->s), STORE_OK);

	/* The id names one post, the path another. */
	p.id = a;
	p.path = "/2024/01/same.html";
	assert_int_equal(store_post_save(f->s, &p, &created),
	    STORE_CONFLICT);
	assert_int_equal(created, 0);
	assert_int_equal(p.id, a);

	/* No such id. */
	p.id = b + 1000;
	assert_int_equal(store_post_save(f->s, &p, NULL), STORE_NOTFOUND);

	/* By id, the path changes. */
	p.id = a;
	p.path = "/2025/01/moved.html";
	assert_int_equal(store_post_save(f->s, &p, &created), STORE_OK);
	assert_int_equal(created, 0);
	assert_int_equal(p.id, a);

	/* No path at all. */
	p.id = 0;
	p.path = NULL;
	assert_int_equal(store_post_save(f->s, &p, NULL), STORE_ERR);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);

	assert_int_equal(store_post_get_path(f->s, f->a,
	    "/2023/01/same.html", &g), STORE_NOTFOUND);
	assert_int_equal(store_post_get_path(f->s, f->a,
	    "/2025/01/moved.html", &g), STORE_OK);
	assert_int_equal(g->id, a);
	assert_int_equal(g->published, 300);

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, a), STORE_OK);
	assert_int_equal(store_post_delete(f->s, a), STORE_NOTFOUND);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_post_get_id(f->s, f->a, a, &g),
	    STORE_NOTFOUND);

	/* Ids are never reused, even the highest. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, b), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_true(put_post(f->s, "/x/y.html", POST_DRAFT, 0, 1, NULL, 0,
	    NULL) > b);
}

static void
test_write_rules(void **state)
{
	struct fx	*f = *state;
	struct post	 p, *g;
	struct comment	 c;
	int		 created = -1;

	memset(&p, 0, sizeof(p));
	p.path = "/2023/01/a.html";
	p.slug = "a";
	p.title = "a";

	/* Writes need the writer. */
	assert_int_equal(store_post_save(f->s, &p, &created), STORE_ERR);
	assert_non_null(strstr(store_errmsg(f->s), "store_write_begin"));
	assert_int_equal(store_write_end(f->s, 1), STORE_ERR);

	/* Rolled back: nothing stays; meanwhile the writer sees it. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_write_begin(f->s), STORE_ERR);
	assert_int_equal(store_post_save(f->s, &p, &created), STORE_OK);
	assert_int_equal(created, 1);
	assert_int_equal(store_post_get_path(f->s, f->a, p.path, &g),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_int_equal(store_post_get_path(f->s, f->a, p.path, &g),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM posts"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM labels"), 0);

	/* A failed statement leaves the transaction usable. */
	memset(&c, 0, sizeof(c));
	c.post_id = 12345;
	c.name = "n";
	c.body = "b";
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	p.status = (enum post_status)7;
	assert_int_equal(store_post_save(f->s, &p, NULL), STORE_ERR);
	assert_int_equal(store_comment_add(f->s, &c), STORE_NOTFOUND);
	assert_non_null(strstr(store_errmsg(f->s), "no such post"));
	p.status = POST_PUBLISHED;
	p.id = 0;
	assert_int_equal(store_post_save(f->s, &p, NULL), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM posts"), 1);
}

static void
test_labels(void **state)
{
	static const char *const l1[] = { "Zeta", "alpha", "ZETA", "Mid",
	    "" };
	static const char *const w1[] = { "Zeta", "alpha", "Mid" };
	static const char *const l2[] = { "Mid", "New" };
	static const char *const l3[] = { "ALPHA" };
	static const char *const l4[] = { "Solo" };
	static const char *const l5[] = { "SOLO" };
	static const struct {
		const char	*ask;
		enum store_err	 want;
		const char	*name;
	} rows[] = {
		{ "zeta", STORE_NOTFOUND, NULL },	/* orphaned, dropped */
		{ "alpha", STORE_OK, "alpha" },		/* post 2 keeps it */
		{ "Alpha", STORE_OK, "alpha" },
		{ "mid", STORE_OK, "Mid" },
		{ "NEW", STORE_OK, "New" },
		{ "solo", STORE_OK, "SOLO" },		/* respelled */
		{ "", STORE_NOTFOUND, NULL },
		{ "nosuch", STORE_NOTFOUND, NULL },
	};
	struct fx	*f = *state;
	struct post	*g;
	char		*name;
	int64_t		 id, id3;
	size_t		 i;

	id = put_post(f->s, "/2023/01/one.html", POST_PUBLISHED, 0, 1,
	    l1, nitems(l1), NULL);
	assert_int_equal(store_post_get_id(f->s, f->a, id, &g), STORE_OK);
	assert_labels(g, w1, nitems(w1));
	assert_int_equal(store_label_get(f->s, f->a, "zeta", &name),
	    STORE_OK);
	assert_string_equal(name, "Zeta");

	put_post(f->s, "/2023/01/two.html", POST_PUBLISHED, 0, 2,
	    l3, nitems(l3), NULL);
	put_post(f->s, "/2023/01/one.html", POST_PUBLISHED, 0, 1,
	    l2, nitems(l2), NULL);
	id3 = put_post(f->s, "/2023/01/three.html", POST_PUBLISHED, 0, 3,
	    l4, nitems(l4), NULL);
	put_post(f->s, "/2023/01/three.html", POST_PUBLISHED, 0, 3,
	    l5, nitems(l5), NULL);
	assert_int_equal(store_post_get_id(f->s, f->a, id, &g), STORE_OK);
	assert_labels(g, l2, nitems(l2));
	assert_int_equal(store_post_get_id(f->s, f->a, id3, &g), STORE_OK);
	assert_labels(g, l5, nitems(l5));

	for (i = 0; i < nitems(rows); i++) {
		name = (char *)&name;
		if (store_label_get(f->s, f->a, rows[i].ask, &name) !=
		    rows[i].want)
			fail_msg("row %zu: %s", i, rows[i].ask);
		if (rows[i].want == STORE_OK)
			assert_string_equal(name, rows[i].name);
		else
			assert_null(name);
	}

	/* Deleting a post drops the labels only it had. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, id3), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_label_get(f->s, f->a, "solo", &name),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM labels"), 3);
}

/*
 * Fixture for the listing table.  Letters name posts; now is 5000.
 * F and B share a time, so the later id (F) comes first.
 */
static const struct {
	char		 key;
	const char	*path;
	enum post_status status;
	int		 is_page;
	int64_t		 published;
	const char	*labels[2];
} list_posts[] = {
	{ 'A', "/1970/01/a.html", POST_PUBLISHED, 0, 1000,
	    { "News", "World" } },
	{ 'B', "/1970/01/b.html", POST_PUBLISHED, 0, 2000, { "news", NULL } },
	{ 'C', "/1970/01/c.html", POST_DRAFT, 0, 3000, { "World", NULL } },
	{ 'D', "/1970/01/d.html", POST_PUBLISHED, 0, 9000, { "News", NULL } },
	{ 'E', "/p/about.html", POST_PUBLISHED, 1, 500, { NULL, NULL } },
	{ 'F', "/1970/01/f.html", POST_PUBLISHED, 0, 2000, { "World", NULL } },
};

static void
test_post_list(void **state)
{
	static const struct {
		struct post_query q;
		const char	*want;	/* keys, in order */
		size_t		 total;
	} rows[] = {
		{ { .now = 5000 }, "FBA", 3 },
		{ { .now = 5000, .limit = 2 }, "FB", 3 },
		{ { .now = 5000, .offset = 2, .limit = 2 }, "A", 3 },
		{ { .now = 5000, .offset = 10 }, "", 3 },
		{ { .now = 5000, .label = "news" }, "BA", 2 },
		{ { .now = 5000, .label = "WORLD" }, "FA", 2 },
		{ { .now = 5000, .label = "nosuch" }, "", 0 },
		{ { .now = 5000, .from = 1500, .to = 2500 }, "FB", 2 },
		{ { .now = 5000, .from = 2000, .to = 2001 }, "FB", 2 },
		{ { .now = 5000, .from = 1000, .to = 2000 }, "A", 1 },
		{ { .now = 5000, .from = 2500 }, "", 0 },
		{ { .now = 5000, .to = 1500 }, "A", 1 },
		{ { .now = 10000 }, "DFBA", 4 },
		{ { .now = 0 }, "", 0 },
		{ { .now = 5000, .all_statuses = 1 }, "DCFBA", 5 },
		{ { .now = 5000, .all_statuses = 1, .include_pages = 1 },
		    "DCFBAE", 6 },
		{ { .now = 5000, .include_pages = 1 }, "FBAE", 4 },
		{ { .now = 5000, .include_pages = 1, .limit = 1,
		    .offset = 3 }, "E", 4 },
		{ { .now = 5000, .all_statuses = 1, .label = "world" },
		    "CFA", 3 },
		{ { .now = 5000, .include_pages = 1, .label = "News" },
		    "BA", 2 },
		{ { .now = 5000, .all_statuses = 1, .from = 2000,
		    .to = 3001 }, "CFB", 3 },
	};
	struct fx		*f = *state;
	struct post_list	 l;
	const char		*labels[2];
	char			 got[16];
	size_t			 i, j, k, nl;

	for (i = 0; i < nitems(list_posts); i++) {
		nl = 0;
		for (j = 0; j < 2; j++)
			if (list_posts[i].labels[j] != NULL)
				labels[nl++] = list_posts[i].labels[j];
		put_post(f->s, list_posts[i].path, list_posts[i].status,
		    list_posts[i].is_page, list_posts[i].published, labels,
		    nl, NULL);
	}

	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(store_post_list(f->s, f->a, &rows[i].q, &l),
		    STORE_OK);
		for (j = 0; j < l.n && j < sizeof(got) - 1; j++) {
			got[j] = '?';
			for (k = 0; k < nitems(list_posts); k++)
				if (strcmp(l.v[j].path,
				    list_posts[k].path) == 0)
					got[j] = list_posts[k].key;
		}
		got[j] = '\0';
		if (strcmp(got, rows[i].want) != 0 ||
		    l.total != rows[i].total)
			fail_msg("row %zu: got \"%s\" total %zu, want \"%s\" "
			    "total %zu", i, got, l.total, rows[i].want,
			    rows[i].total);
	}

	/* Rows come with their labels, as stored. */
	{
		struct post_query	 q = { .now = 5000, .limit = 1,
					     .offset = 2 };
		static const char *const want[] = { "News", "World" };

		assert_int_equal(store_post_list(f->s, f->a, &q, &l),
		    STORE_OK);
		assert_int_equal(l.n, 1);
		assert_labels(&l.v[0], want, nitems(want));
	}
}

/* ---- comments ---- */

static void
test_comments(void **state)
{
	struct fx		*f = *state;
	struct comment		 c, *g;
	struct comment_list	 l;
	struct post		*p;
	int64_t			 p1, p2, c1, c2, c3, c4, other;

	p1 = put_post(f->s, "/2023/01/p1.html", POST_PUBLISHED, 0, 1, NULL,
	    0, NULL);
	p2 = put_post(f->s, "/2023/01/p2.html", POST_PUBLISHED, 0, 2, NULL,
	    0, NULL);
	c1 = put_comment(f->s, p1, 0, "Ana", "ana@x", "first",
	    COMMENT_APPROVED, 100);
	c2 = put_comment(f->s, p1, c1, "Bob", "", "reply", COMMENT_PENDING,
	    200);
	c3 = put_comment(f->s, p1, c2, "Cy", "", "reply to reply",
	    COMMENT_APPROVED, 300);
	other = put_comment(f->s, p2, 0, "Dee", "", "elsewhere",
	    COMMENT_SPAM, 50);

	/* Bad parents and posts. */
	memset(&c, 0, sizeof(c));
	c.post_id = p1;
	c.name = "Eve";
	c.body = "x";
	c.status = COMMENT_PENDING;
	c.created = 400;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	c.parent_id = other;		/* a comment of another post */
	assert_int_equal(store_comment_add(f->s, &c), STORE_NOTFOUND);
	c.parent_id = other + 100;	/* no such comment */
	assert_int_equal(store_comment_add(f->s, &c), STORE_NOTFOUND);
	c.parent_id = 0;
	c.post_id = p2 + 100;		/* no such post */
	assert_int_equal(store_comment_add(f->s, &c), STORE_NOTFOUND);
	assert_int_equal(c.id, 0);
	c.status = COMMENT_STATUS__MAX;
	c.post_id = p1;
	assert_int_equal(store_comment_add(f->s, &c), STORE_ERR);

	/* put: the same name, time and body is the same comment. */
	memset(&c, 0, sizeof(c));
	c.post_id = p1;
	c.name = "Ana";
	c.body = "first";
	c.created = 100;
	c.status = COMMENT_SPAM;
	assert_int_equal(store_comment_put(f->s, &c), STORE_OK);
	assert_int_equal(c.id, c1);
	c.id = 0;
	c.body = "second";
	c.created = 150;
	c.status = COMMENT_PENDING;
	assert_int_equal(store_comment_put(f->s, &c), STORE_OK);
	c4 = c.id;
	assert_true(c4 > other);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);

	/* A post's comments, oldest first, by status or all. */
	assert_int_equal(store_comment_list_post(f->s, f->a, p1,
	    COMMENT_STATUS__MAX, &l), STORE_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].id, c1);
	assert_int_equal(l.v[1].id, c4);
	assert_int_equal(l.v[2].id, c2);
	assert_int_equal(l.v[3].id, c3);
	assert_int_equal(l.v[2].parent_id, c1);
	assert_int_equal(l.v[0].parent_id, 0);
	assert_int_equal(l.v[0].status, COMMENT_APPROVED);
	assert_string_equal(l.v[0].email, "ana@x");
	assert_string_equal(l.v[0].addr_hash, "h");
	assert_string_equal(l.v[1].email, "");	/* NULL is stored as "" */
	assert_string_equal(l.v[3].post_path, "/2023/01/p1.html");
	assert_int_equal(store_comment_list_post(f->s, f->a, p1,
	    COMMENT_APPROVED, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, c1);
	assert_int_equal(l.v[1].id, c3);
	assert_int_equal(store_comment_list_post(f->s, f->a, p2 + 100,
	    COMMENT_STATUS__MAX, &l), STORE_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_post_get_id(f->s, f->a, p1, &p), STORE_OK);
	assert_int_equal(p->ncomments, 2);

	/* Everything, newest first, with the post's title. */
	assert_int_equal(store_comment_list(f->s, f->a, COMMENT_STATUS__MAX,
	    &l), STORE_OK);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.v[0].id, c3);
	assert_int_equal(l.v[4].id, other);
	assert_string_equal(l.v[4].post_title, "/2023/01/p2.html");
	assert_int_equal(store_comment_list(f->s, f->a, COMMENT_PENDING, &l),
	    STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, c2);
	assert_int_equal(l.v[1].id, c4);

	/* Moderation. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_set_status(f->s, c2,
	    COMMENT_APPROVED), STORE_OK);
	assert_int_equal(store_comment_set_status(f->s, c3 + 100,
	    COMMENT_APPROVED), STORE_NOTFOUND);
	assert_int_equal(store_comment_set_status(f->s, c2,
	    COMMENT_STATUS__MAX), STORE_ERR);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_comment_get(f->s, f->a, c2, &g), STORE_OK);
	assert_int_equal(g->status, COMMENT_APPROVED);
	assert_string_equal(g->name, "Bob");
	assert_string_equal(g->body, "reply");
	assert_int_equal(g->created, 200);
	assert_int_equal(g->post_id, p1);
	assert_string_equal(g->post_title, "/2023/01/p1.html");
	g = (struct comment *)&g;
	assert_int_equal(store_comment_get(f->s, f->a, c3 + 100, &g),
	    STORE_NOTFOUND);
	assert_null(g);

	/* Deleting c2 moves its reply c3 up to c1. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, c2), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, c2), STORE_NOTFOUND);
	/* And deleting c1 makes c3 top level. */
	assert_int_equal(store_comment_get(f->s, f->a, c3, &g), STORE_OK);
	assert_int_equal(g->parent_id, c1);
	assert_int_equal(store_comment_delete(f->s, c1), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_comment_get(f->s, f->a, c3, &g), STORE_OK);
	assert_int_equal(g->parent_id, 0);

	/* A post goes with its (threaded) comments. */
	put_comment(f->s, p1, c3, "Fay", "", "deep", COMMENT_APPROVED, 500);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, p1), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_comment_get(f->s, f->a, c3, &g),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM comments"),
	    1);
}

static void
test_commenter_known(void **state)
{
	static const struct {
		const char	*name;
		const char	*email;
		int		 want;
	} rows[] = {
		{ "Ana Mar\xc3\xad" "a", "Ana@Example.com", 1 },
		{ "ANA MAR\xc3\xad" "A", "ana@EXAMPLE.COM", 1 },
		{ "Ana Mar\xc3\xad" "a", "other@example.com", 0 },
		{ "Ana", "Ana@Example.com", 0 },
		{ "Bob", "bob@x", 0 },		/* only pending */
		{ "Eve", "eve@x", 0 },		/* only spam */
		{ "nomail", "", 1 },
		{ "nomail", NULL, 1 },
		{ "Nobody", "", 0 },
	};
	struct fx	*f = *state;
	int64_t		 p;
	size_t		 i;
	int		 known;

	p = put_post(f->s, "/2023/01/p.html", POST_PUBLISHED, 0, 1, NULL, 0,
	    NULL);
	put_comment(f->s, p, 0, "Ana Mar\xc3\xad" "a", "Ana@Example.com", "a",
	    COMMENT_APPROVED, 1);
	put_comment(f->s, p, 0, "Bob", "bob@x", "b", COMMENT_PENDING, 2);
	put_comment(f->s, p, 0, "Eve", "eve@x", "e", COMMENT_SPAM, 3);
	put_comment(f->s, p, 0, "NoMail", "", "n", COMMENT_APPROVED, 4);

	for (i = 0; i < nitems(rows); i++) {
		known = -1;
		assert_int_equal(store_commenter_known(f->s, rows[i].name,
		    rows[i].email, &known), STORE_OK);
		if (known != rows[i].want)
			fail_msg("row %zu: %s <%s>: got %d", i, rows[i].name,
			    rows[i].email == NULL ? "NULL" : rows[i].email,
			    known);
	}
}

/* ---- data version ---- */

struct dv_arg {
	struct store	*s;
	int64_t		 v;
	enum store_err	 e;
};

static void *
dv_thread(void *arg)
{
	struct dv_arg	*d = arg;

	d->e = store_data_version(d->s, &d->v);
	return NULL;
}

/* store_data_version on a fresh thread. */
static int64_t
dv_elsewhere(struct store *s)
{
	struct dv_arg	 d = { s, 0, STORE_ERR };
	pthread_t	 t;

	assert_int_equal(pthread_create(&t, NULL, dv_thread, &d), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(d.e, STORE_OK);
	return d.v;
}

static void
test_data_version(void **state)
{
	struct fx	*f = *state;
	struct store	*b;
	struct post	*g;
	char		 err[256];
	int64_t		 v1, v2, v3, v4;

	assert_int_equal(store_open(f->url, 0, &b, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_data_version(f->s, &v1), STORE_OK);
	assert_int_equal(store_data_version(f->s, &v2), STORE_OK);
	assert_int_equal(v1, v2);

	/* Another store on the file (as another process would) writes. */
	put_post(b, "/2023/01/b.html", POST_PUBLISHED, 0, 1, NULL, 0, NULL);
	assert_int_equal(store_data_version(f->s, &v2), STORE_OK);
	assert_int_not_equal(v1, v2);
	assert_int_equal(store_data_version(f->s, &v3), STORE_OK);
	assert_int_equal(v2, v3);
	/* And this store's reader sees the new row. */
	assert_int_equal(store_post_get_path(f->s, f->a, "/2023/01/b.html",
	    &g), STORE_OK);

	/* Our own commit. */
	put_post(f->s, "/2023/01/a.html", POST_PUBLISHED, 0, 1, NULL, 0,
	    NULL);
	assert_int_equal(store_data_version(f->s, &v3), STORE_OK);
	assert_int_not_equal(v2, v3);

	/* A rollback changes nothing. */
	assert_int_equal(store_write_begin(b), STORE_OK);
	assert_int_equal(store_write_end(b, 0), STORE_OK);
	assert_int_equal(store_data_version(f->s, &v4), STORE_OK);
	assert_int_equal(v3, v4);

	/*
	 * Numbers compare across threads: a write after this thread's
	 * look shows on a thread that never looked before.
	 */
	v3 = dv_elsewhere(f->s);
	put_post(b, "/2023/01/c.html", POST_PUBLISHED, 0, 1, NULL, 0, NULL);
	v4 = dv_elsewhere(f->s);
	assert_int_not_equal(v3, v4);
	assert_int_equal(store_data_version(f->s, &v1), STORE_OK);
	assert_int_not_equal(v1, v3);

	store_close(b);
}

/* ---- threads ---- */

#define NPOSTS		40
#define NROUNDS		150

struct reader_arg {
	struct store	*s;
	int		 bad;	/* failed checks; cmocka asserts are not
				 * safe off the main thread */
};

static void *
reader_thread(void *arg)
{
	struct reader_arg	*r = arg;
	struct post_query	 q = { .now = 1000000, .limit = 10 };
	struct post_list	 l;
	struct post		*p;
	struct arena		*a;
	char			 path[64];
	int			 i;

	a = arena_new();
	for (i = 0; i < NROUNDS; i++) {
		q.offset = (size_t)(i % 5) * 10;
		if (store_post_list(r->s, a, &q, &l) != STORE_OK ||
		    l.total != NPOSTS || l.n != (q.offset < 40 ? 10 : 0))
			r->bad++;
		snprintf(path, sizeof(path), "/2023/01/p%d.html",
		    i % NPOSTS);
		if (store_post_get_path(r->s, a, path, &p) != STORE_OK ||
		    strcmp(p->path, path) != 0 || p->nlabels != 1)
			r->bad++;
		arena_reset(a);
	}
	arena_free(a);
	return NULL;
}

static void *
writer_thread(void *arg)
{
	struct reader_arg	*r = arg;
	struct post		 p;
	char			 path[64];
	int			 i;

	for (i = 0; i < NROUNDS / 3; i++) {
		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/draft/d%d.html", i);
		p.path = path;
		p.slug = path;
		p.title = path;
		p.status = POST_DRAFT;
		p.published = i;
		if (store_write_begin(r->s) != STORE_OK) {
			r->bad++;
			continue;
		}
		if (store_post_save(r->s, &p, NULL) != STORE_OK)
			r->bad++;
		if (store_write_end(r->s, 1) != STORE_OK)
			r->bad++;
	}
	return NULL;
}

static void
test_threads(void **state)
{
	static const char *const label[] = { "Same" };
	struct fx		*f = *state;
	struct reader_arg	 r[3];
	pthread_t		 t[3];
	char			 path[64];
	int			 i;

	for (i = 0; i < NPOSTS; i++) {
		snprintf(path, sizeof(path), "/2023/01/p%d.html", i);
		put_post(f->s, path, POST_PUBLISHED, 0, 1000 + i,
		    label, 1, NULL);
	}
	for (i = 0; i < 3; i++) {
		r[i].s = f->s;
		r[i].bad = 0;
		assert_int_equal(pthread_create(&t[i], NULL,
		    i < 2 ? reader_thread : writer_thread, &r[i]), 0);
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(r[i].bad, 0);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM posts"),
	    NPOSTS + NROUNDS / 3);
}

/* ---- names ---- */

static void
test_names(void **state)
{
	static const struct {
		const char	*name;
		int		 comment;	/* parse result */
		int		 post;
	} rows[] = {
		{ "pending", COMMENT_PENDING, -1 },
		{ "approved", COMMENT_APPROVED, -1 },
		{ "spam", COMMENT_SPAM, -1 },
		{ "draft", -1, POST_DRAFT },
		{ "published", -1, POST_PUBLISHED },
		{ "Spam", -1, -1 },
		{ "", -1, -1 },
		{ NULL, -1, -1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(comment_status_parse(rows[i].name),
		    rows[i].comment);
		assert_int_equal(post_status_parse(rows[i].name),
		    rows[i].post);
		if (rows[i].comment >= 0)
			assert_string_equal(comment_status_name(
			    (enum comment_status)rows[i].comment),
			    rows[i].name);
		if (rows[i].post >= 0)
			assert_string_equal(post_status_name(
			    (enum post_status)rows[i].post), rows[i].name);
	}
	assert_string_equal(comment_status_name(COMMENT_STATUS__MAX),
	    "unknown");
	assert_string_equal(store_strerror(STORE_OK), "success");
	assert_string_equal(store_strerror(STORE_NOTFOUND), "not found");
	assert_string_equal(store_strerror(STORE_CONFLICT), "already exists");
	assert_string_equal(store_strerror(STORE_BUSY), "database busy");
	assert_string_equal(store_strerror(STORE_ERR), "database error");
	store_close(NULL);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		T(test_open_urls),
		T(test_open_migrations_idempotent),
		T(test_open_too_new),
		T(test_migration_failure_rolls_back),
		T(test_post_save_and_get),
		T(test_post_save_by_id),
		T(test_write_rules),
		T(test_labels),
		T(test_post_list),
		T(test_comments),
		T(test_commenter_known),
		T(test_data_version),
		T(test_threads),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
