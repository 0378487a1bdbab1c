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
 * files, migrations (and the upgrade of version 1 and 2 databases),
 * posts and labels, listings, comments, full-text search and its index
 * kept in step by every write, labels by key with rename and merge,
 * moderation (the comment query, the log, the same-body count) and the
 * spam filter's counts, the data version seen across stores and
 * threads, and concurrent readers.  Each
 * test gets a fresh database in its own temporary directory.  The few
 * checks that need the raw file (versions, journal mode) use sqlite3
 * directly; the failing-migration test and the tables of the index's
 * text conventions reach migrate.c and fts5_tokenizer.c through
 * store_int.h.  Query terms are made by the real text pipeline, as
 * src/search makes them.
 */
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "base.h"
#include "store/store.h"
#include "store/store_int.h"
#include "text/text.h"

struct fx {
	char		 dir[64];	/* mkdtemp'd, removed at teardown */
	char		 path[160];	/* DIR/gazette.db, or the PG URL */
	char		 url[168];	/* sqlite:DIR/gazette.db */
	struct store	*s;		/* open on url */
	struct arena	*a;
	int		 is_pg;		/* the PostgreSQL group: path is the
					   URL of a database of its own */
	char		 pgdb[64];	/* that database's name */
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
	/* A test that fixed the clock and failed must not pass it on. */
	clock_set_fixed(0);
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

/* ---- the PostgreSQL group ---- */

/*
 * The same cases run on PostgreSQL, each in a database of its own,
 * created from GAZETTE_TEST_PG (the maintenance database of the server
 * that tests/pg starts) and dropped after.  Without that server the
 * group fails: CI installs PostgreSQL, so a missing one is a fault.
 */
static int	 pg_ndb;

/* Runs fixed SQL on a raw connection to url; 0 or -1 (printed). */
static int
pg_raw_run(const char *url, const char *sql, int64_t *v)
{
	PGconn		*db;
	PGresult	*r;
	int		 rc = 0;

	db = PQconnectdb(url);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "%s: %s", url, PQerrorMessage(db));
		PQfinish(db);
		return -1;
	}
	r = PQexec(db, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
	    v != NULL)
		*v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(db));
		rc = -1;
	}
	PQclear(r);
	PQfinish(db);
	return rc;
}

static int64_t
pg_raw_int(const char *url, const char *sql)
{
	int64_t	 v = -1;

	assert_int_equal(pg_raw_run(url, sql, &v), 0);
	return v;
}

static void
pg_raw_exec(const char *url, const char *sql)
{
	assert_int_equal(pg_raw_run(url, sql, NULL), 0);
}

/* base with its database name (before '?') replaced by name. */
static int
pg_url(char *out, size_t outlen, const char *base, const char *name)
{
	const char	*q, *slash;

	if ((q = strchr(base, '?')) == NULL)
		q = base + strlen(base);
	for (slash = q; slash > base && slash[-1] != '/'; slash--)
		continue;
	if (slash == base)
		return -1;
	return snprintf(out, outlen, "%.*s%s%s", (int)(slash - base), base,
	    name, q) >= (int)outlen ? -1 : 0;
}

static int
setup_pg(void **state)
{
	struct fx	*f;
	const char	*base;
	char		 sql[128], err[256];

	if ((base = getenv("GAZETTE_TEST_PG")) == NULL || *base == '\0') {
		fprintf(stderr, "GAZETTE_TEST_PG is not set: run the store "
		    "tests through tests/run, whose tests/pg starts a "
		    "throwaway PostgreSQL\n");
		return -1;
	}
	f = xcalloc(1, sizeof(*f));
	f->is_pg = 1;
	snprintf(f->pgdb, sizeof(f->pgdb), "gazette_test_%ld_%d",
	    (long)getpid(), pg_ndb++);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->pgdb);
	if (pg_url(f->url, sizeof(f->url), base, f->pgdb) == -1 ||
	    pg_raw_run(base, sql, NULL) == -1) {
		free(f);
		return -1;
	}
	str_copy(f->path, f->url, sizeof(f->path));
	if (store_open(f->url, 1, &f->s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		free(f);
		return -1;
	}
	f->a = arena_new();
	*state = f;
	return 0;
}

static int
teardown_pg(void **state)
{
	struct fx	*f = *state;
	char		 sql[128];

	store_close(f->s);
	arena_free(f->a);
	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", f->pgdb);
	pg_raw_run(getenv("GAZETTE_TEST_PG"), sql, NULL);
	free(f);
	clock_set_fixed(0);
	return 0;
}

/* One integer from a query on a raw connection to path. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	if (str_has_prefix(path, "postgres"))
		return pg_raw_int(path, sql);
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

	if (str_has_prefix(path, "postgres")) {
		pg_raw_exec(path, sql);
		return;
	}
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
		{ "postgres://localhost:1/x", 1, STORE_BUSY,
		    "database unavailable" },
		{ "postgresql://localhost:1/x", 1, STORE_BUSY,
		    "database unavailable" },
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

/* ---- search ---- */

#define NOW	10000		/* "now" of the search tests */

/* A post of the search tests, named by key in the expectations. */
struct sdoc {
	char		 key;
	const char	*title;
	const char	*html;
	const char	*lang;
	enum post_status status;
	int		 is_page;
	int64_t		 published;
	const char	*labels[3];
};

static const struct sdoc sdocs[] = {
	{ 'A', "Walking in the harbour", "<p>The <b>fishermen</b> were "
	    "walking along the quay at dawn &amp; dusk.</p>", "en",
	    POST_PUBLISHED, 0, 1000, { "Travel" } },
	{ 'B', "Red fox", "<p>A quick red fox jumps over the lazy dog.</p>",
	    "en", POST_PUBLISHED, 0, 2000, { "Nature" } },
	{ 'C', "Fox red", "<p>The fox was red and the dog was quick.</p>",
	    "en", POST_PUBLISHED, 0, 3000, { "Nature", "Colours" } },
	{ 'D', "Draft fox", "<p>A red fox in a draft.</p>", "en", POST_DRAFT,
	    0, 4000, { NULL } },
	{ 'E', "Future fox", "<p>A red fox from the future.</p>", "en",
	    POST_PUBLISHED, 0, NOW + 10000, { NULL } },
	{ 'F', "About the fox", "<p>This page is about a fox.</p>", "en",
	    POST_PUBLISHED, 1, 500, { NULL } },
	/* A Cyrillic U+0430 inside "Ukraine", as a homoglyph trick. */
	{ 'G', "War news", "<p>The war in Ukr\xd0\xb0ine goes on.</p>", "en-GB",
	    POST_PUBLISHED, 0, 5000, { "Russia- Ukraine war" } },
	{ 'I', "Market day", "<p>We passed the harbour on the way to the "
	    "market.</p>", "en", POST_PUBLISHED, 0, 7000, { NULL } },
	{ 'J', "Zeppelin", "<p>Nothing matches in the body here.</p>", "en",
	    POST_PUBLISHED, 0, 8000, { NULL } },
	{ 'K', "Los zorros rojos", "<p>Los zorros corren por el "
	    "bosque.</p>", "es", POST_PUBLISHED, 0, 9000, { NULL } },
	/* Sixty words: snippets are cut from it. */
	{ 'L', "Numbers",
	    "<p>x01 x02 x03 x04 x05 x06 x07 x08 x09 x10 x11 x12 x13 x14 "
	    "x15 x16 x17 x18 x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 "
	    "x30 x31 x32 x33 x34 x35 x36 x37 x38 x39 x40 x41 x42 x43 x44 "
	    "x45 x46 x47 x48 x49 x50 x51 x52 x53 x54 x55 x56 x57 x58 x59 "
	    "x60.</p>",
	    "en", POST_PUBLISHED, 0, 9500, { NULL } },
};

/* Saves the search posts; their ids go to ids[] in sdocs order. */
static void
put_sdocs(struct store *s, int64_t *ids)
{
	struct post	 p;
	char		 path[64];
	size_t		 i, j;

	assert_int_equal(store_write_begin(s), STORE_OK);
	for (i = 0; i < nitems(sdocs); i++) {
		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/2023/01/%c.html", sdocs[i].key);
		p.path = path;
		p.slug = path + 9;
		p.title = (char *)(uintptr_t)sdocs[i].title;
		p.source = "*source*";
		p.html = (char *)(uintptr_t)sdocs[i].html;
		p.lang = (char *)(uintptr_t)sdocs[i].lang;
		p.status = sdocs[i].status;
		p.is_page = sdocs[i].is_page;
		p.published = sdocs[i].published;
		p.updated = sdocs[i].published;
		p.labels = (char **)(uintptr_t)sdocs[i].labels;
		for (j = 0; j < nitems(sdocs[i].labels) &&
		    sdocs[i].labels[j] != NULL; j++)
			p.nlabels++;
		assert_int_equal(store_post_save(s, &p, NULL), STORE_OK);
		ids[i] = p.id;
	}
	assert_int_equal(store_write_end(s, 1), STORE_OK);
}

/* Collects the terms of one text_tokenize walk. */
struct terms {
	struct arena	 *a;
	const char	**v;
	size_t		  n, cap;
};

static int
term_add(void *arg, const struct text_token *t)
{
	struct terms	*tm = arg;

	tm->v = arena_grow(tm->a, tm->v, tm->n, &tm->cap, sizeof(*tm->v));
	tm->v[tm->n++] = arena_strndup(tm->a, t->term, t->termlen);
	return 0;
}

/*
 * Makes q from a query as a user types it: words, "quoted phrases" and
 * -negated ones, each made into terms by the text pipeline in lang, as
 * src/search does.
 */
static void
query_make(struct arena *a, const char *text, const char *lang,
    struct search_query *q)
{
	struct search_phrase	*ph;
	struct terms		 tm;
	size_t			 cap = 0, len;
	const char		*p = text, *end;
	int			 neg;

	memset(q, 0, sizeof(*q));
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		neg = *p == '-';
		p += neg;
		if (*p == '"') {
			p++;
			end = strchr(p, '"');
			len = end == NULL ? strlen(p) : (size_t)(end - p);
			end = end == NULL ? p + len : end + 1;
		} else {
			end = strchr(p, ' ');
			len = end == NULL ? strlen(p) : (size_t)(end - p);
			end = p + len;
		}
		memset(&tm, 0, sizeof(tm));
		tm.a = a;
		assert_int_equal(text_tokenize(lang, TEXT_TOKEN_STEM, p, len,
		    term_add, &tm), 0);
		q->phrases = arena_grow(a, q->phrases, q->nphrases, &cap,
		    sizeof(*q->phrases));
		ph = &q->phrases[q->nphrases++];
		ph->terms = tm.v;
		ph->nterms = tm.n;
		ph->is_negated = neg;
		p = end;
	}
}

/* The keys of the hits, in order, into got[len]. */
static void
hit_keys(const struct search_result *r, const int64_t *ids, char *got,
    size_t len)
{
	size_t	 i, j, k = 0;

	for (i = 0; i < r->n && k + 1 < len; i++) {
		got[k] = '?';
		for (j = 0; j < nitems(sdocs); j++)
			if (r->v[i].post.id == ids[j])
				got[k] = sdocs[j].key;
		k++;
	}
	got[k] = '\0';
}

static int
cmp_char(const void *a, const void *b)
{
	return *(const char *)a - *(const char *)b;
}

static const struct {
	const char	*q;
	const char	*lang;	/* of the query; NULL: "en" */
	const char	*label;
	int64_t		 now;	/* 0: NOW */
	size_t		 offset, limit;
	const char	*want;	/* keys, best first */
	int		 is_set;	/* want's order does not matter */
	size_t		 total;
	const char	*snippet;	/* in the first hit's, or NULL */
} search_rows[] = {
	/* Stemmed forms meet; markup and entities are not text. */
	{ "walks", NULL, NULL, 0, 0, 0, "A", 0, 1,
	    "\002walking\003 along" },
	{ "fishermen", NULL, NULL, 0, 0, 0, "A", 0, 1,
	    "The \002fishermen\003 were" },
	{ "dawn dusk", NULL, NULL, 0, 0, 0, "A", 0, 1, "\002dawn\003 & "
	    "\002dusk\003" },
	/* Phrases keep their order; words alone do not. */
	{ "\"red fox\"", NULL, NULL, 0, 0, 0, "B", 0, 1,
	    "quick \002red fox\003 jumps" },
	{ "\"fox red\"", NULL, NULL, 0, 0, 0, "C", 0, 1, NULL },
	{ "red fox", NULL, NULL, 0, 0, 0, "BC", 1, 2, NULL },
	{ "fox -lazy", NULL, NULL, 0, 0, 0, "C", 0, 1, NULL },
	{ "fox -\"lazy dog\" -zebra", NULL, NULL, 0, 0, 0, "C", 0, 1, NULL },
	{ "-fox", NULL, NULL, 0, 0, 0, "", 0, 0, NULL },
	{ "", NULL, NULL, 0, 0, 0, "", 0, 0, NULL },
	/* Drafts, pages and posts not yet due stay out. */
	{ "fox", NULL, NULL, 0, 0, 0, "BC", 1, 2, NULL },
	{ "fox", NULL, NULL, NOW + 20000, 0, 0, "BCE", 1, 3, NULL },
	{ "draft", NULL, NULL, 0, 0, 0, "", 0, 0, NULL },
	{ "page", NULL, NULL, 0, 0, 0, "", 0, 0, NULL },
	/* Label filter, any spelling of the label. */
	{ "fox", NULL, "nature", 0, 0, 0, "BC", 1, 2, NULL },
	{ "fox", NULL, "NATURE", 0, 0, 0, "BC", 1, 2, NULL },
	{ "fox", NULL, "Colours", 0, 0, 0, "C", 0, 1, NULL },
	{ "fox", NULL, "nosuch", 0, 0, 0, "", 0, 0, NULL },
	{ "war", NULL, "russia-ukraine   war", 0, 0, 0, "G", 0, 1, NULL },
	/* Pages of results; the total counts them all. */
	{ "fox", NULL, NULL, 0, 0, 1, "?", 0, 2, NULL },
	{ "fox", NULL, NULL, 0, 1, 1, "?", 0, 2, NULL },
	{ "fox", NULL, NULL, 0, 2, 1, "", 0, 2, NULL },
	{ "fox", NULL, NULL, 0, 50, 10, "", 0, 2, NULL },
	/* A title match outranks a body match. */
	{ "harbour", NULL, NULL, 0, 0, 0, "AI", 0, 2, NULL },
	/* Only the title matches: the snippet comes from it. */
	{ "zeppelin", NULL, NULL, 0, 0, 0, "J", 0, 1, "\002Zeppelin\003" },
	/* Look-alike letters, in the post and in the query. */
	{ "ukraine", NULL, NULL, 0, 0, 0, "G", 0, 1,
	    "\002Ukr\xd0\xb0ine\003" },
	{ "Ukr\xd0\xb0ine", NULL, NULL, 0, 0, 0, "G", 0, 1, NULL },
	/* Labels are indexed. */
	{ "russia", NULL, NULL, 0, 0, 0, "G", 0, 1, NULL },
	{ "colours", NULL, NULL, 0, 0, 0, "C", 0, 1, NULL },
	/* A post is stemmed in its language; so must the query be. */
	{ "corriendo", "es", NULL, 0, 0, 0, "K", 0, 1, NULL },
	{ "zorro", "es", NULL, 0, 0, 0, "K", 0, 1, NULL },
	{ "corriendo", "en", NULL, 0, 0, 0, "", 0, 0, NULL },
	/* Snippets: a window of 24 words, cut with an ellipsis. */
	{ "x30", NULL, NULL, 0, 0, 0, "L", 0, 1,
	    "\xe2\x80\xa6x26 x27 x28 x29 \002x30\003 x31 x32 x33 x34 x35 "
	    "x36 x37 x38 x39 x40 x41 x42 x43 x44 x45 x46 x47 x48 "
	    "x49\xe2\x80\xa6" },
	{ "x10 x12", NULL, NULL, 0, 0, 0, "L", 0, 1,
	    "\xe2\x80\xa6x06 x07 x08 x09 \002x10\003 x11 \002x12\003 x13 "
	    "x14 x15 x16 x17 x18 x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 "
	    "x29\xe2\x80\xa6" },
	{ "x59", NULL, NULL, 0, 0, 0, "L", 0, 1,
	    "\xe2\x80\xa6x37 x38 x39 x40 x41 x42 x43 x44 x45 x46 x47 x48 "
	    "x49 x50 x51 x52 x53 x54 x55 x56 x57 x58 \002x59\003 x60." },
	{ "x02", NULL, NULL, 0, 0, 0, "L", 0, 1,
	    "x01 \002x02\003 x03 x04 x05 x06 x07 x08 x09 x10 x11 x12 x13 "
	    "x14 x15 x16 x17 x18 x19 x20 x21 x22 x23 x24\xe2\x80\xa6" },
	{ "\"x20 x21\" numbers", NULL, NULL, 0, 0, 0, "L", 0, 1,
	    "\002x20 x21\003" },
	/* Words FTS5 would read as syntax are only words. */
	{ "NOT AND OR NEAR", NULL, NULL, 0, 0, 0, "", 0, 0, NULL },
};

/* Runs search_rows against the posts of put_sdocs. */
static void
search_check(struct fx *f, const int64_t *ids)
{
	struct search_query	 q;
	struct search_result	 r;
	char			 got[16], want[16];
	size_t			 i, j;

	for (i = 0; i < nitems(search_rows); i++) {
		query_make(f->a, search_rows[i].q, search_rows[i].lang ==
		    NULL ? "en" : search_rows[i].lang, &q);
		q.label = search_rows[i].label;
		q.now = search_rows[i].now == 0 ? NOW : search_rows[i].now;
		q.offset = search_rows[i].offset;
		q.limit = search_rows[i].limit;
		if (store_search(f->s, f->a, &q, &r) != STORE_OK)
			fail_msg("row %zu: %s: %s", i, search_rows[i].q,
			    store_errmsg(f->s));
		hit_keys(&r, ids, got, sizeof(got));
		snprintf(want, sizeof(want), "%s", search_rows[i].want);
		if (search_rows[i].is_set) {
			qsort(got, strlen(got), 1, cmp_char);
			qsort(want, strlen(want), 1, cmp_char);
		}
		/* "?": one hit, whichever. */
		if (strcmp(want, "?") == 0 && r.n == 1)
			snprintf(want, sizeof(want), "%s", got);
		if (strcmp(got, want) != 0 || r.total != search_rows[i].total)
			fail_msg("row %zu: %s: got \"%s\" total %zu, want "
			    "\"%s\" total %zu", i, search_rows[i].q, got,
			    r.total, want, search_rows[i].total);
		for (j = 0; j < r.n; j++) {
			/* Plain text: no marker, no markup. */
			if (strchr(r.v[j].snippet, '\x1f') != NULL ||
			    strchr(r.v[j].snippet, '<') != NULL ||
			    r.v[j].snippet[0] == '\0')
				fail_msg("row %zu: snippet \"%s\"", i,
				    r.v[j].snippet);
			if (j > 0 && r.v[j].score > r.v[j - 1].score)
				fail_msg("row %zu: not best first", i);
			assert_non_null(r.v[j].post.title);
		}
		if (search_rows[i].snippet != NULL &&
		    strstr(r.v[0].snippet, search_rows[i].snippet) == NULL)
			fail_msg("row %zu: snippet \"%s\" lacks \"%s\"", i,
			    r.v[0].snippet, search_rows[i].snippet);
	}
}

/* Records reindex progress calls. */
struct progress {
	size_t	 calls;
	size_t	 done, total;	/* of the last call */
};

static void
progress_cb(void *arg, size_t done, size_t total)
{
	struct progress	*pr = arg;

	pr->calls++;
	pr->done = done;
	pr->total = total;
}

static void
test_search(void **state)
{
	struct fx		*f = *state;
	struct search_query	 q;
	struct search_result	 r;
	struct progress		 pr = { 0, 0, 0 };
	int64_t			 ids[nitems(sdocs)];
	char			 sql[512], *sql2;
	sqlite3			*db;
	sqlite3_stmt		*st;

	put_sdocs(f->s, ids);
	search_check(f, ids);

	/* Hits come filled like listings: labels, comment counts. */
	query_make(f->a, "colours", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].post.title, "Fox red");
	assert_int_equal(r.v[0].post.nlabels, 2);
	assert_string_equal(r.v[0].post.labels[0], "Nature");
	assert_string_equal(r.v[0].post.labels[1], "Colours");
	assert_true(r.v[0].score > 0);

	/* The writer sees its own uncommitted posts; a rollback drops them. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, ids[1]), STORE_OK);
	query_make(f->a, "fox", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 2);

	/* A reindex (after a pipeline change, say) changes no answer. */
	if (f->is_pg)
		goto reindex;
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = 'post_search'"), 1);
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema "
	    "WHERE name = 'post_search'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(sql, sizeof(sql), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
reindex:
	assert_int_equal(store_reindex(f->s, progress_cb, &pr), STORE_ERR);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_reindex(f->s, progress_cb, &pr), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(pr.calls, 1);
	assert_int_equal(pr.done, nitems(sdocs));
	assert_int_equal(pr.total, nitems(sdocs));
	search_check(f, ids);

	/* The table made again is the one the migration made. */
	if (f->is_pg)
		goto edits;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema "
	    "WHERE name = 'post_search'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sql2 = arena_strdup(f->a, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_string_equal(sql, sql2);
edits:
	/* Deleted and edited posts leave the index with their words. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, ids[8]), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	query_make(f->a, "zeppelin", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);
	put_post(f->s, "/2023/01/A.html", POST_PUBLISHED, 0, 1000, NULL, 0,
	    NULL);
	query_make(f->a, "fishermen", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM posts"),
	    nitems(sdocs) - 1);
}

/* Hostile terms reach FTS5 only as quoted strings. */
static void
test_search_terms_quoted(void **state)
{
	static const char *const odd[] = { "\"", "\"\"", "a\"b", "*", "(",
	    ")", "fox OR", "NEAR(", ":", "^", "-", "+", "title:fox",
	    "\xe2\x80\x9c", "'" };
	struct fx		*f = *state;
	struct search_phrase	 ph[2];
	struct search_query	 q;
	struct search_result	 r;
	const char		*t[2];
	int64_t			 ids[nitems(sdocs)], nd, total;
	size_t			 i;

	put_sdocs(f->s, ids);
	for (i = 0; i < nitems(odd); i++) {
		memset(&q, 0, sizeof(q));
		memset(ph, 0, sizeof(ph));
		t[0] = odd[i];
		t[1] = "fox";
		ph[0].terms = t;
		ph[0].nterms = 1;
		ph[1].terms = t + 1;
		ph[1].nterms = 1;
		ph[1].is_negated = 1;
		q.phrases = ph;
		q.nphrases = 2;
		q.now = NOW;
		if (store_search(f->s, f->a, &q, &r) != STORE_OK)
			fail_msg("term %zu \"%s\": %s", i, odd[i],
			    store_errmsg(f->s));
		assert_int_equal(r.total, 0);
		assert_int_equal(store_phrase_docs(f->s, t, 2, &nd, &total),
		    STORE_OK);
		assert_int_equal(nd, 0);
	}
	/* Empty terms are skipped. */
	t[0] = "";
	t[1] = "fox";
	ph[0].terms = t;
	ph[0].nterms = 2;
	ph[0].is_negated = 0;
	q.phrases = ph;
	q.nphrases = 1;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 2);
	q.nphrases = 0;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);
	assert_null(r.v);
}

static void
test_search_comments(void **state)
{
	static const struct {
		const char	*q;
		int		 hit;
	} rows[] = {
		{ "zebra", 1 }, { "giraffe", 0 }, { "elephant", 0 },
	};
	struct fx		*f = *state;
	struct search_query	 q;
	struct search_result	 r;
	struct comment		 c;
	int64_t			 p, zebra, giraffe, elephant;
	size_t			 i;

	p = put_post(f->s, "/2023/01/quiet.html", POST_PUBLISHED, 0, 1, NULL,
	    0, NULL);
	zebra = put_comment(f->s, p, 0, "Ana", "", "A zebra crossing.",
	    COMMENT_APPROVED, 10);
	giraffe = put_comment(f->s, p, zebra, "Bob", "", "Giraffe necks!",
	    COMMENT_PENDING, 20);
	elephant = put_comment(f->s, p, 0, "Cy", "", "elephant",
	    COMMENT_SPAM, 30);
	for (i = 0; i < nitems(rows); i++) {
		query_make(f->a, rows[i].q, "en", &q);
		q.now = NOW;
		assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
		if (r.total != (size_t)rows[i].hit)
			fail_msg("row %zu: %s: %zu hits", i, rows[i].q,
			    r.total);
	}
	/* A comment match shows the post's text, and its comment count. */
	query_make(f->a, "zebra", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.v[0].post.ncomments, 1);
	assert_string_equal(r.v[0].snippet, "html");

	/* Approving brings a comment in; spam and deletion take it out. */
	query_make(f->a, "giraffe neck", "en", &q);
	q.now = NOW;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_set_status(f->s, giraffe,
	    COMMENT_APPROVED), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	/* Approved again: still there, once. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_set_status(f->s, giraffe,
	    COMMENT_APPROVED), STORE_OK);
	assert_int_equal(store_comment_set_status(f->s, zebra,
	    COMMENT_SPAM), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	query_make(f->a, "zebra", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);

	/* Deleting the parent keeps the reply (moved up) in the index. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, zebra), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, elephant), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, elephant),
	    STORE_NOTFOUND);
	assert_int_equal(store_comment_set_status(f->s, elephant,
	    COMMENT_APPROVED), STORE_NOTFOUND);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	query_make(f->a, "giraffe", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, giraffe), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);

	/* put of a new comment indexes it; the same again changes nothing. */
	memset(&c, 0, sizeof(c));
	c.post_id = p;
	c.name = "Dee";
	c.body = "okapi";
	c.status = COMMENT_APPROVED;
	c.created = 40;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_put(f->s, &c), STORE_OK);
	c.id = 0;
	assert_int_equal(store_comment_put(f->s, &c), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	query_make(f->a, "okapi", "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].post.ncomments, 1);
}

static void
test_search_terms(void **state)
{
	static const struct {
		const char	*prefix;
		size_t		 limit;
		const char	*want;	/* "term:docs ..." */
	} rows[] = {
		{ "d", 0, "dog:2 dawn:1 day:1 draft:1 dusk:1" },
		{ "d", 2, "dog:2 dawn:1" },
		{ "fo", 0, "fox:5" },
		{ "fox", 0, "fox:5" },
		{ "foxes", 0, "" },
		{ "zz", 0, "" },
		{ "\xff", 0, "" },
		{ "", 1, "the:8" },
		{ NULL, 1, "the:8" },
	};
	static const struct {
		const char	*terms[3];
		int64_t		 ndocs;
	} phrases[] = {
		{ { "red", "fox" }, 2 },	/* B, and E (not yet due) */
		{ { "fox", "red" }, 1 },
		{ { "fox" }, 3 },		/* not the draft or the page */
		{ { "nosuch" }, 0 },
		{ { NULL }, 0 },
	};
	struct fx	*f = *state;
	struct buf	 b = BUF_INIT;
	char		**terms;
	int64_t		 ids[nitems(sdocs)], *ndocs, nd, total;
	size_t		 i, j, n, k;

	put_sdocs(f->s, ids);
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(store_terms_prefix(f->s, f->a,
		    rows[i].prefix, rows[i].limit, &terms, &ndocs, &n),
		    STORE_OK);
		buf_reset(&b);
		for (j = 0; j < n; j++)
			buf_addf(&b, "%s%s:%lld", j > 0 ? " " : "", terms[j],
			    (long long)ndocs[j]);
		if (strcmp(b.p == NULL ? "" : b.p, rows[i].want) != 0)
			fail_msg("row %zu: \"%s\": got \"%s\"", i,
			    rows[i].prefix == NULL ? "NULL" : rows[i].prefix,
			    b.p == NULL ? "" : b.p);
	}
	buf_clear(&b);

	/* Every term, most frequent first, then by term. */
	assert_int_equal(store_terms_prefix(f->s, f->a, "", 0, &terms, &ndocs,
	    &n), STORE_OK);
	assert_true(n > 40);
	for (j = 1; j < n; j++)
		assert_true(ndocs[j] < ndocs[j - 1] || (ndocs[j] ==
		    ndocs[j - 1] && strcmp(terms[j - 1], terms[j]) < 0));

	for (i = 0; i < nitems(phrases); i++) {
		for (k = 0; k < 3 && phrases[i].terms[k] != NULL; k++)
			continue;
		assert_int_equal(store_phrase_docs(f->s, phrases[i].terms, k,
		    &nd, &total), STORE_OK);
		if (nd != phrases[i].ndocs)
			fail_msg("phrase %zu: %lld docs", i, (long long)nd);
		/* Published posts that are not pages: all but D and F. */
		assert_int_equal(total, nitems(sdocs) - 2);
	}
}

/* ---- the index's text conventions (fts5_tokenizer.c) ---- */

static void
test_fts5_match(void **state)
{
	static const char *const a[] = { "red", "fox" };
	static const char *const b[] = { "zorr" };
	static const char *const c[] = { "zorro" };
	static const char *const d[] = { "say \"hi\"", "", NULL };
	static const char *const e[] = { "" };
	static const struct {
		struct {
			const char *const *terms;
			size_t		 nterms;
			int		 is_negated;
			int		 alt;
		} ph[4];
		size_t		 n;
		const char	*want;	/* NULL: nothing can match */
	} rows[] = {
		{ { { a, 2, 0, 0 } }, 1, "(\"red\" + \"fox\")" },
		{ { { a, 1, 0, 0 }, { b, 1, 0, 0 } }, 2,
		    "(\"red\" AND \"zorr\")" },
		/* Alternatives: the same word in two languages. */
		{ { { a, 1, 0, 1 }, { b, 1, 0, 2 }, { c, 1, 0, 2 } }, 3,
		    "(\"red\" AND (\"zorr\" OR \"zorro\"))" },
		{ { { a, 2, 0, 1 }, { b, 1, 1, 2 }, { c, 1, 1, 2 } }, 3,
		    "(\"red\" + \"fox\") NOT (\"zorr\" OR \"zorro\")" },
		/* alt 0 never groups. */
		{ { { b, 1, 0, 0 }, { c, 1, 0, 0 } }, 2,
		    "(\"zorr\" AND \"zorro\")" },
		/* Quotes doubled; empty and NULL terms dropped. */
		{ { { d, 3, 0, 0 } }, 1, "(\"say \"\"hi\"\"\")" },
		{ { { e, 1, 0, 0 }, { a, 1, 0, 0 } }, 2, "(\"red\")" },
		{ { { a, 1, 1, 0 } }, 1, NULL },
		{ { { e, 1, 0, 0 }, { a, 1, 1, 0 } }, 2, NULL },
		{ { { a, 0, 0, 0 } }, 1, NULL },
		{ { { a, 1, 0, 0 } }, 0, NULL },
	};
	struct search_phrase	 ph[4];
	struct buf		 bf = BUF_INIT;
	size_t			 i, j;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		for (j = 0; j < rows[i].n; j++) {
			ph[j].terms = (const char **)(uintptr_t)
			    rows[i].ph[j].terms;
			ph[j].nterms = rows[i].ph[j].nterms;
			ph[j].is_negated = rows[i].ph[j].is_negated;
			ph[j].alt = rows[i].ph[j].alt;
		}
		buf_reset(&bf);
		rc = store_fts5_match(&bf, ph, rows[i].n);
		if (rows[i].want == NULL ? rc != -1 : (rc != 0 ||
		    strcmp(bf.p, rows[i].want) != 0))
			fail_msg("row %zu: got %d \"%s\"", i, rc,
			    bf.p == NULL ? "" : bf.p);
	}
	buf_clear(&bf);
}

static void
test_fts5_text(void **state)
{
	static const struct {
		const char	*html;
		const char	*want;
	} html[] = {
		{ "<p>A <b>bold</b> <a href=\"x>y\" title='a>b'>link</a>.</p>",
		    "A bold link." },
		{ "<p>one</p><p>two</p><ul><li>three</li></ul>",
		    "one\ntwo\nthree" },
		{ "a<br>b<br/>c<BR />d", "a\nb\nc\nd" },
		{ "w<em>or</em>d", "word" },
		{ "&amp;&lt;&gt;&quot;&apos;&#39;&#x41;&#X42;&mdash;&hellip;",
		    "&<>\"''AB\xe2\x80\x94\xe2\x80\xa6" },
		{ "&nosuch; &amp &#; &#xZZ; &#0; &#xD800; &#1114112; R&D",
		    "&nosuch; &amp &#; &#xZZ; \xef\xbf\xbd \xef\xbf\xbd "
		    "\xef\xbf\xbd R&D" },
		{ "<!-- <p>hidden</p> -->shown<!-- open", "shown" },
		{ "<script>var x = '<p>';</script>after"
		    "<STYLE>p{}</STYLE>end", "afterend" },
		{ "1 < 2 and 3 <4", "1 < 2 and 3 <4" },
		{ "<!DOCTYPE html><?xml x?>text<", "text<" },
		{ "<p>unclosed <b", "unclosed " },
		{ "", "" },
	};
	static const struct {
		const char	*lang;
		const char	*s;
		size_t		 len;
		const char	*want;
		size_t		 wantlen;
	} doc[] = {
		{ "en", "plain", 5, "\x1f" "en" "\x1f" "plain", 9 },
		{ "es", "", 0, "\x1f" "es" "\x1f", 4 },
		/* Controls as spaces, bad UTF-8 as '?', same length. */
		{ "en", "a\x1f" "b\x02" "c\x03\x00\x7f" "d\t\n\r", 12,
		    "\x1f" "en" "\x1f" "a b c   d\t\n\r", 16 },
		{ "en", "\xff\xc3(\xe2\x82\xed\xa0\x80\xc3\xa9", 10,
		    "\x1f" "en" "\x1f" "\?\?(\?\?\?\?\?\xc3\xa9", 14 },
		{ "ru", "\xd0\xb0\xf0\x9f\x98\x80", 6,
		    "\x1f" "ru" "\x1f" "\xd0\xb0\xf0\x9f\x98\x80", 10 },
	};
	static const struct {
		const char	*lang;
		const char	*text;
		const char	*want;
	} langs[] = {
		{ "en", "", "en" }, { "pt-BR", "", "pt" }, { "ES", "", "es" },
		{ "zh-Hant", "", "zh" }, { "toolonglanguage", "", "toolongl" },
		{ "", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 "
		    "\xd0\xbc\xd0\xb8\xd1\x80", "ru" },
	};
	struct buf	 b = BUF_INIT;
	char		 lang[16];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(html); i++) {
		buf_reset(&b);
		store_fts5_html_text(&b, html[i].html, strlen(html[i].html));
		if (strcmp(b.p == NULL ? "" : b.p, html[i].want) != 0)
			fail_msg("html %zu: got \"%s\"", i, b.p);
	}
	for (i = 0; i < nitems(doc); i++) {
		buf_reset(&b);
		store_fts5_doc(&b, doc[i].lang, doc[i].s, doc[i].len);
		if (b.len != doc[i].wantlen ||
		    memcmp(b.p, doc[i].want, b.len) != 0)
			fail_msg("doc %zu: got %zu bytes", i, b.len);
	}
	for (i = 0; i < nitems(langs); i++) {
		store_fts5_lang(lang, sizeof(lang), langs[i].lang,
		    langs[i].text, strlen(langs[i].text));
		if (strcmp(lang, langs[i].want) != 0)
			fail_msg("lang %zu: got \"%s\"", i, lang);
	}
	buf_clear(&b);
}

/* Alternatives as src/search sends them: one word, two languages. */
static void
test_search_alternatives(void **state)
{
	struct fx		*f = *state;
	const char		*es[] = { "corr" }, *en[] = { "corriendo" };
	const char		*fox[] = { "fox" }, *lazy[] = { "lazi" };
	const char		*lazy2[] = { "lazy" };
	struct search_phrase	 ph[4];
	struct search_query	 q;
	struct search_result	 r;
	int64_t			 ids[nitems(sdocs)];

	put_sdocs(f->s, ids);
	memset(ph, 0, sizeof(ph));
	memset(&q, 0, sizeof(q));
	ph[0].terms = en;
	ph[0].nterms = 1;
	ph[0].alt = 1;
	ph[1].terms = es;
	ph[1].nterms = 1;
	ph[1].alt = 1;
	q.phrases = ph;
	q.nphrases = 2;
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	assert_string_equal(r.v[0].post.title, "Los zorros rojos");
	assert_non_null(strstr(r.v[0].snippet, "\002corren\003"));

	/* -lazy in either language leaves B out. */
	ph[0].terms = fox;
	ph[0].alt = 1;
	ph[1].terms = lazy;
	ph[1].is_negated = 1;
	ph[1].alt = 2;
	ph[2].terms = lazy2;
	ph[2].nterms = 1;
	ph[2].is_negated = 1;
	ph[2].alt = 2;
	q.nphrases = 3;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	assert_string_equal(r.v[0].post.title, "Fox red");
}

/* ---- labels by key ---- */

static void
test_label_keys(void **state)
{
	static const char *const l1[] = { "Russia- Ukraine war",
	    "russia-ukraine war" };
	static const char *const l2[] = { "Russia - Ukraine  war", "Politics",
	    "POLITICS" };
	static const char *const l3[] = { "RUSSIA-UKRAINE WAR" };
	static const char *const l4[] = { "Russi\xd0\xb0-Ukraine war" };
	static const char *const w2[] = { "Russia- Ukraine war", "Politics" };
	static const char *const l5[] = { "\xf0\x9f\x8e\x89", "!!" };
	static const struct {
		const char	*ask;
		enum store_err	 want;
		const char	*name;
	} rows[] = {
		{ "russia-ukraine war", STORE_OK, "Russia- Ukraine war" },
		{ "Russia -Ukraine War", STORE_OK, "Russia- Ukraine war" },
		{ " RUSSIA-UKRAINE  WAR ", STORE_OK, "Russia- Ukraine war" },
		{ "Russi\xd0\xb0-Ukr\xd0\xb0ine war", STORE_OK,
		    "Russia- Ukraine war" },
		{ "russia ukraine war", STORE_NOTFOUND, NULL },
		{ "politics", STORE_OK, "Politics" },
		{ "\xf0\x9f\x8e\x89", STORE_OK, "\xf0\x9f\x8e\x89" },
		{ "!!", STORE_OK, "!!" },
		{ "!", STORE_NOTFOUND, NULL },
		{ "", STORE_NOTFOUND, NULL },
	};
	static const struct {
		const char	*name;
		const char	*key;
		int64_t		 nposts;
	} list[] = {
		{ "!!", "!!", 0 },
		{ "Politics", "politics", 1 },
		{ "Russia- Ukraine war", "russia-ukraine war", 3 },
		{ "\xf0\x9f\x8e\x89", "\xf0\x9f\x8e\x89", 0 },
	};
	struct fx		*f = *state;
	struct post_query	 pq = { .now = 100 };
	struct post_list	 pl;
	struct post		*g;
	struct label		*lv;
	char			*name;
	int64_t			 p1, p2, p5;
	size_t			 i, n;

	p1 = put_post(f->s, "/2023/01/p1.html", POST_PUBLISHED, 0, 1, l1,
	    nitems(l1), NULL);
	p2 = put_post(f->s, "/2023/01/p2.html", POST_PUBLISHED, 0, 2, l2,
	    nitems(l2), NULL);
	put_post(f->s, "/2023/01/p3.html", POST_DRAFT, 0, 3, l3, nitems(l3),
	    NULL);
	put_post(f->s, "/2023/01/p4.html", POST_PUBLISHED, 0, 4, l4,
	    nitems(l4), NULL);
	p5 = put_post(f->s, "/2023/01/p5.html", POST_DRAFT, 0, 5, l5,
	    nitems(l5), NULL);

	/* One label per key on a post, in the spelling first used. */
	assert_int_equal(store_post_get_id(f->s, f->a, p1, &g), STORE_OK);
	assert_labels(g, l1, 1);
	assert_int_equal(store_post_get_id(f->s, f->a, p2, &g), STORE_OK);
	assert_labels(g, w2, nitems(w2));
	assert_int_equal(store_post_get_id(f->s, f->a, p5, &g), STORE_OK);
	assert_labels(g, l5, nitems(l5));
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM labels"), 4);

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

	/* Counts are of published posts that are due. */
	clock_set_fixed(100);
	assert_int_equal(store_label_list(f->s, f->a, &lv, &n), STORE_OK);
	clock_set_fixed(0);
	assert_int_equal(n, nitems(list));
	for (i = 0; i < n; i++) {
		assert_string_equal(lv[i].name, list[i].name);
		assert_string_equal(lv[i].key, list[i].key);
		if (lv[i].nposts != list[i].nposts)
			fail_msg("label %zu: %lld posts", i,
			    (long long)lv[i].nposts);
	}

	/* Listings by label take any spelling too. */
	pq.label = "RUSSIA -UKRAINE war";
	assert_int_equal(store_post_list(f->s, f->a, &pq, &pl), STORE_OK);
	assert_int_equal(pl.total, 3);
	assert_int_equal(pl.n, 3);
}

/* Posts' labels, as "A,B;C;..." in post order, for compact checks. */
static char *
labels_of(struct fx *f, const int64_t *ids, size_t n)
{
	struct buf	 b = BUF_INIT;
	struct post	*g;
	size_t		 i, j;
	char		*s;

	for (i = 0; i < n; i++) {
		assert_int_equal(store_post_get_id(f->s, f->a, ids[i], &g),
		    STORE_OK);
		if (i > 0)
			buf_addc(&b, ';');
		for (j = 0; j < g->nlabels; j++)
			buf_addf(&b, "%s%s", j > 0 ? "," : "", g->labels[j]);
	}
	s = arena_strdup(f->a, b.p == NULL ? "" : b.p);
	buf_clear(&b);
	return s;
}

/* How many published posts a one-word search finds. */
static size_t
hits(struct fx *f, const char *word)
{
	struct search_query	 q;
	struct search_result	 r;

	query_make(f->a, word, "en", &q);
	q.now = NOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	return r.total;
}

static void
test_label_rename_merge(void **state)
{
	static const char *const l[][3] = {
		{ "Cats", "Pets" },
		{ "Dogs", "X", "Cats" },
		{ "Dogs" },
		{ "Birds", "Y", "Animals" },
		{ "Birds" },
	};
	static const size_t nl[] = { 2, 3, 1, 3, 1 };
	static const struct {
		int		 is_merge;
		const char	*a, *b;
		enum store_err	 want;
		const char	*labels;	/* of the posts after */
		const char	*word;		/* a search for it ... */
		size_t		 nhits;		/* ... finds this many */
	} rows[] = {
		{ 0, "cats", "Felines", STORE_OK,
		    "Felines,Pets;Dogs,X,Felines;Dogs;Birds,Y,Animals;Birds",
		    "felines", 2 },
		{ 0, "cats", "x", STORE_NOTFOUND, NULL, "cats", 0 },
		{ 0, "nosuch", "x", STORE_NOTFOUND, NULL, NULL, 0 },
		/* Onto another label's key: merged, under the new name. */
		{ 0, "dogs", "FELINES", STORE_OK,
		    "FELINES,Pets;FELINES,X;FELINES;Birds,Y,Animals;Birds",
		    "dogs", 0 },
		{ 0, "felines", "Felines", STORE_OK,
		    "Felines,Pets;Felines,X;Felines;Birds,Y,Animals;Birds",
		    "felines", 3 },
		{ 0, "felines", "", STORE_ERR, NULL, NULL, 0 },
		{ 1, "birds", "ANIMALS", STORE_OK,
		    "Felines,Pets;Felines,X;Felines;Animals,Y;Animals",
		    "animals", 2 },
		{ 1, "birds", "animals", STORE_NOTFOUND, NULL, "birds", 0 },
		{ 1, "animals", "nosuch", STORE_NOTFOUND, NULL, NULL, 0 },
		{ 1, "animals", "Animals", STORE_OK,
		    "Felines,Pets;Felines,X;Felines;Animals,Y;Animals",
		    "animals", 2 },
		{ 1, "pets", "x", STORE_OK,
		    "Felines,X;Felines,X;Felines;Animals,Y;Animals",
		    "pets", 0 },
	};
	struct fx	*f = *state;
	struct label	*lv;
	int64_t		 ids[nitems(l)];
	char		 path[64];
	const char	*got;
	size_t		 i, n;
	enum store_err	 e;

	for (i = 0; i < nitems(l); i++) {
		snprintf(path, sizeof(path), "/2023/01/r%zu.html", i);
		ids[i] = put_post(f->s, path, POST_PUBLISHED, 0, 1, l[i],
		    nl[i], NULL);
	}
	/* Writes need the writer; a rollback undoes a rename. */
	assert_int_equal(store_label_rename(f->s, "cats", "Felines"),
	    STORE_ERR);
	assert_int_equal(store_label_merge(f->s, "cats", "dogs"), STORE_ERR);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_label_rename(f->s, "cats", "Felines"),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_int_equal(hits(f, "cats"), 2);

	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(store_write_begin(f->s), STORE_OK);
		e = rows[i].is_merge ?
		    store_label_merge(f->s, rows[i].a, rows[i].b) :
		    store_label_rename(f->s, rows[i].a, rows[i].b);
		assert_int_equal(store_write_end(f->s, 1), STORE_OK);
		if (e != rows[i].want)
			fail_msg("row %zu: got %s", i, store_strerror(e));
		if (rows[i].labels != NULL) {
			got = labels_of(f, ids, nitems(ids));
			if (strcmp(got, rows[i].labels) != 0)
				fail_msg("row %zu: labels %s", i, got);
		}
		if (rows[i].word != NULL && hits(f, rows[i].word) !=
		    rows[i].nhits)
			fail_msg("row %zu: %s: %zu hits", i, rows[i].word,
			    hits(f, rows[i].word));
	}
	assert_int_equal(store_label_list(f->s, f->a, &lv, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_string_equal(lv[0].name, "Animals");
	assert_int_equal(lv[0].nposts, 2);
	assert_string_equal(lv[1].name, "Felines");
	assert_int_equal(lv[1].nposts, 3);
	assert_string_equal(lv[2].name, "X");
	assert_int_equal(lv[2].nposts, 2);
	assert_string_equal(lv[3].name, "Y");
	/* Positions stay distinct within each post. */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM (SELECT 1 "
	    "FROM post_labels GROUP BY post_id, position HAVING count(*) > 1) "
	    "AS dup"),
	    0);
}

/* ---- upgrading ---- */

/*
 * A database made by version 1 (labels that differ only in spacing,
 * a post carrying two spellings) opens, migrates and answers searches.
 */
static void
test_upgrade_v1(void **state)
{
	static const char v1rows[] =
	    "INSERT INTO posts (id, path, slug, title, source, html, lang, "
	    "status, is_page, published, updated) VALUES "
	    "(1, '/2020/01/boats.html', 'boats', 'Boats', '', "
	    "'<p>Boats rock in the harbour.</p>', 'en', 'published', 0, 5, 5), "
	    "(2, '/2020/01/draft.html', 'draft', 'Draft', '', "
	    "'<p>Harbour draft.</p>', 'en', 'draft', 0, 6, 6);"
	    "INSERT INTO labels (id, name) VALUES (1, 'Russia- Ukraine war'), "
	    "(2, 'russia-ukraine war'), (3, 'Sea'), "
	    "(4, 'Russia - Ukraine war');"
	    "INSERT INTO post_labels VALUES (1, 1, 1), (1, 2, 0), (1, 3, 2), "
	    "(2, 4, 0), (2, 3, 1);"
	    "INSERT INTO comments (post_id, name, body, status, created) "
	    "VALUES (1, 'Ana', 'Lovely sailing.', 'approved', 7), "
	    "(1, 'Spam', 'cheap pills', 'pending', 8);";
	struct fx		*f = *state;
	struct migration	 v[16];
	struct store		*s;
	struct post		*g;
	struct search_query	 q;
	struct search_result	 r;
	sqlite3			*db;
	char			 path[128], url[160], err[256], *name;
	size_t			 n;

	assert_int_equal(migrate_list("schema/sqlite/", v, nitems(v), &n,
	    err, sizeof(err)), 0);
	assert_true(n >= 2);
	snprintf(path, sizeof(path), "%s/v1.db", f->dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(migrate_sqlite_apply(db, v, 1, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(db, v1rows, NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 1);

	assert_int_equal(store_open(url, 0, &s, err, sizeof(err)), STORE_OK);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), (int64_t)n);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM labels"), 2);
	assert_int_equal(raw_int(path,
	    "SELECT count(*) FROM pragma_foreign_key_check"), 0);

	/* The first spelling stays, where the first of them stood. */
	assert_int_equal(store_post_get_id(s, f->a, 1, &g), STORE_OK);
	assert_int_equal(g->nlabels, 2);
	assert_string_equal(g->labels[0], "Russia- Ukraine war");
	assert_string_equal(g->labels[1], "Sea");
	assert_int_equal(store_post_get_id(s, f->a, 2, &g), STORE_OK);
	assert_int_equal(g->nlabels, 2);
	assert_string_equal(g->labels[0], "Russia- Ukraine war");
	assert_int_equal(store_label_get(s, f->a, "RUSSIA - UKRAINE WAR",
	    &name), STORE_OK);
	assert_string_equal(name, "Russia- Ukraine war");

	/* Everything already there is searchable. */
	query_make(f->a, "harbour", "en", &q);
	q.now = 100;
	assert_int_equal(store_search(s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].post.id, 1);
	assert_non_null(strstr(r.v[0].snippet, "\002harbour\003"));
	query_make(f->a, "sail", "en", &q);
	q.now = 100;
	q.label = "russia-ukraine war";
	assert_int_equal(store_search(s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);
	query_make(f->a, "pills", "en", &q);
	q.now = 100;
	assert_int_equal(store_search(s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);
	store_close(s);

	/* Opening again migrates nothing more. */
	assert_int_equal(store_open(url, 0, &s, err, sizeof(err)), STORE_OK);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM labels"), 2);
	store_close(s);
}

/*
 * A database made by version 2 (no moderation columns or tables) opens,
 * migrates to the current version, and its old rows take part in
 * everything new: defaults for the new fields, body hashes and author
 * keys filled, the log and the filter empty and writable.
 */
static void
test_upgrade_v2(void **state)
{
	static const char rows[] =
	    "INSERT INTO posts (id, path, slug, title, source, html, lang, "
	    "status, is_page, published, updated) VALUES "
	    "(1, '/2021/01/boats.html', 'boats', 'Boats', '', "
	    "'<p>Boats rock in the harbour.</p>', 'en', 'published', 0, 5, 5);"
	    "INSERT INTO comments (post_id, name, body, status, created) "
	    "VALUES (1, 'Ana', 'Same old text', 'approved', 7), "
	    "(1, '\xc3\x93LAFUR', 'Same old text', 'pending', 8), "
	    "(1, 'Bob', 'Other text', 'spam', 9);";
	static const char *const terms[] = { "cheap" };
	struct fx		*f = *state;
	struct migration	 v[16];
	struct store		*s;
	struct post		*g;
	struct comment		*m;
	struct comment_query	 cq;
	struct comment_list	 l;
	struct moderation_log	 log;
	struct text_spam_counts	 sc;
	struct search_query	 q;
	struct search_result	 r;
	sqlite3			*db;
	char			 path[128], url[160], err[256];
	int64_t			 count;
	size_t			 n;

	assert_int_equal(migrate_list("schema/sqlite/", v, nitems(v), &n,
	    err, sizeof(err)), 0);
	assert_true(n >= 3);
	assert_string_equal(v[2].name, "schema/sqlite/003-moderation.sql");
	snprintf(path, sizeof(path), "%s/v2.db", f->dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	/*
	 * The rows go in at version 1 and migration 2 indexes them, so the
	 * file is what version 2 would have written: rows and index.
	 */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(migrate_sqlite_apply(db, v, 1, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(db, rows, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(migrate_sqlite_apply(db, v, 2, err, sizeof(err)),
	    STORE_OK);
	sqlite3_close(db);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 2);

	assert_int_equal(store_open(url, 0, &s, err, sizeof(err)), STORE_OK);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), (int64_t)n);
	assert_int_equal(raw_int(path,
	    "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
	assert_int_equal(raw_int(path,
	    "SELECT count(*) FROM comments WHERE body_hash = 0"), 0);

	/* Old rows read with the new fields at their defaults. */
	assert_int_equal(store_post_get_id(s, f->a, 1, &g), STORE_OK);
	assert_int_equal(g->comments_closed, 0);
	assert_int_equal(g->comments_days, 0);
	assert_int_equal(g->ncomments, 1);
	assert_int_equal(store_comment_get(s, f->a, 2, &m), STORE_OK);
	assert_true(m->spam_score == 0.0);
	assert_string_equal(m->spam_reasons, "");
	assert_string_equal(m->post_path, "/2021/01/boats.html");

	/* The old bodies and names are found like new ones. */
	assert_int_equal(store_comment_same_body(s, "Same old text", 0,
	    &count), STORE_OK);
	assert_int_equal(count, 2);
	memset(&cq, 0, sizeof(cq));
	cq.status = COMMENT_STATUS__MAX;
	cq.author = "\xc3\xb3lafur";	/* "ólafur" */
	assert_int_equal(store_comment_query(s, f->a, &cq, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, 2);

	/* The search index came through. */
	query_make(f->a, "harbour", "en", &q);
	q.now = 100;
	assert_int_equal(store_search(s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 1);

	/* New tables are there, empty, and take writes. */
	assert_int_equal(store_moderation_list(s, f->a, 0, 0, &log),
	    STORE_OK);
	assert_int_equal(log.n, 0);
	assert_int_equal(store_spam_counts(s, f->a, terms, nitems(terms),
	    &sc), STORE_OK);
	assert_int_equal(sc.nham + sc.nspam + sc.ham[0] + sc.spam[0], 0);
	assert_int_equal(store_write_begin(s), STORE_OK);
	assert_int_equal(store_moderation_add(s, 3, "spam", "cli:test", ""),
	    STORE_OK);
	assert_int_equal(store_spam_learn(s, terms, nitems(terms), 1, 1),
	    STORE_OK);
	g->comments_closed = 1;
	g->comments_days = 30;
	assert_int_equal(store_post_save(s, g, NULL), STORE_OK);
	assert_int_equal(store_write_end(s, 1), STORE_OK);
	assert_int_equal(store_moderation_list(s, f->a, 3, 0, &log),
	    STORE_OK);
	assert_int_equal(log.n, 1);
	assert_int_equal(store_spam_counts(s, f->a, terms, nitems(terms),
	    &sc), STORE_OK);
	assert_int_equal(sc.nspam, 1);
	assert_int_equal(sc.spam[0], 1);
	assert_int_equal(store_post_get_id(s, f->a, 1, &g), STORE_OK);
	assert_int_equal(g->comments_closed, 1);
	assert_int_equal(g->comments_days, 30);
	store_close(s);

	/* Opening again migrates nothing more. */
	assert_int_equal(store_open(url, 0, &s, err, sizeof(err)), STORE_OK);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM spam_totals"),
	    1);
	assert_int_equal(raw_int(path,
	    "SELECT count(*) FROM moderation_log"), 1);
	store_close(s);
}

/* ---- moderation and the spam filter ---- */

static void
test_post_comment_settings(void **state)
{
	static const struct {
		int	 closed;	/* given */
		int	 days;
		int	 want_closed;	/* read back */
		enum store_err want;
	} rows[] = {
		{ 0, 0, 0, STORE_OK },
		{ 1, 0, 1, STORE_OK },
		{ 0, 14, 0, STORE_OK },
		{ 1, 365, 1, STORE_OK },
		{ 7, 1, 1, STORE_OK },		/* any non-zero is closed */
		{ 0, -1, 0, STORE_ERR },
	};
	struct fx		*f = *state;
	struct post		 p, *g;
	struct post_list	 l;
	struct post_query	 q = { .all_statuses = 1, .now = 100 };
	char			 path[64];
	size_t			 i, j;

	for (i = 0; i < nitems(rows); i++) {
		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/2024/01/p%zu.html", i);
		p.path = path;
		p.slug = strrchr(path, '/') + 1;
		p.title = "t";
		p.status = POST_PUBLISHED;
		p.published = (int64_t)i + 1;
		p.comments_closed = rows[i].closed;
		p.comments_days = rows[i].days;
		assert_int_equal(store_write_begin(f->s), STORE_OK);
		if (store_post_save(f->s, &p, NULL) != rows[i].want)
			fail_msg("row %zu: save: %s", i,
			    store_errmsg(f->s));
		assert_int_equal(store_write_end(f->s, 1), STORE_OK);
		if (rows[i].want != STORE_OK) {
			assert_int_equal(store_post_get_path(f->s, f->a,
			    path, &g), STORE_NOTFOUND);
			continue;
		}
		assert_int_equal(store_post_get_path(f->s, f->a, path, &g),
		    STORE_OK);
		if (g->comments_closed != rows[i].want_closed ||
		    g->comments_days != rows[i].days)
			fail_msg("row %zu: got closed %d days %d", i,
			    g->comments_closed, g->comments_days);
		assert_int_equal(store_post_get_slug(f->s, f->a, p.slug, &g),
		    STORE_OK);
		assert_int_equal(g->comments_days, rows[i].days);
	}

	/* Listings carry them too (newest first: row 4 first). */
	assert_int_equal(store_post_list(f->s, f->a, &q, &l), STORE_OK);
	assert_int_equal(l.n, nitems(rows) - 1);
	for (j = 0; j < l.n; j++) {
		i = l.n - 1 - j;
		assert_int_equal(l.v[j].comments_closed, rows[i].want_closed);
		assert_int_equal(l.v[j].comments_days, rows[i].days);
	}

	/* Saving again replaces them, by path and by id. */
	assert_int_equal(store_post_get_path(f->s, f->a, "/2024/01/p3.html",
	    &g), STORE_OK);
	g->comments_closed = 0;
	g->comments_days = 2;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_save(f->s, g, NULL), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_post_get_id(f->s, f->a, g->id, &g), STORE_OK);
	assert_int_equal(g->comments_closed, 0);
	assert_int_equal(g->comments_days, 2);
}

static void
test_comment_spam_fields(void **state)
{
	static const struct {
		double		 score;
		const char	*reasons;	/* given; NULL: "" */
		enum store_err	 want;
	} rows[] = {
		{ 0.0, NULL, STORE_OK },
		{ 0.25, "3 links", STORE_OK },
		{ 1.0, "same text again; looks like spam (0.99)", STORE_OK },
		{ 0.5, "look-alike letters: \xd1\x80utin", STORE_OK },
		{ -0.01, "", STORE_ERR },
		{ 1.01, "", STORE_ERR },
		{ NAN, "", STORE_ERR },
	};
	struct fx		*f = *state;
	struct comment		 c, *g;
	struct comment_list	 l;
	struct comment_query	 q;
	int64_t			 p, ids[nitems(rows)];
	size_t			 i, j;
	int			 put;

	p = put_post(f->s, "/2024/01/p.html", POST_PUBLISHED, 0, 1, NULL, 0,
	    NULL);
	for (put = 0; put < 2; put++) {
		for (i = 0; i < nitems(rows); i++) {
			memset(&c, 0, sizeof(c));
			c.post_id = p;
			c.name = "N";
			c.body = put ? "by put" : "by add";
			c.status = COMMENT_PENDING;
			c.created = (int64_t)(put * 100 + i);
			c.spam_score = rows[i].score;
			c.spam_reasons = (char *)(uintptr_t)rows[i].reasons;
			assert_int_equal(store_write_begin(f->s), STORE_OK);
			if ((put ? store_comment_put(f->s, &c) :
			    store_comment_add(f->s, &c)) != rows[i].want)
				fail_msg("row %zu (put %d): %s", i, put,
				    store_errmsg(f->s));
			assert_int_equal(store_write_end(f->s, 1), STORE_OK);
			ids[i] = c.id;
			if (rows[i].want != STORE_OK) {
				assert_int_equal(c.id, 0);
				continue;
			}
			assert_int_equal(store_comment_get(f->s, f->a, c.id,
			    &g), STORE_OK);
			assert_true(g->spam_score == rows[i].score);
			assert_string_equal(g->spam_reasons,
			    rows[i].reasons == NULL ? "" : rows[i].reasons);
		}
		/* The lists carry them as well. */
		assert_int_equal(store_comment_list_post(f->s, f->a, p,
		    COMMENT_STATUS__MAX, &l), STORE_OK);
		for (j = 0; j < l.n; j++)
			for (i = 0; i < nitems(rows); i++)
				if (l.v[j].id == ids[i])
					assert_string_equal(
					    l.v[j].spam_reasons,
					    rows[i].reasons == NULL ? "" :
					    rows[i].reasons);
		memset(&q, 0, sizeof(q));
		q.status = COMMENT_PENDING;
		q.limit = 1;
		assert_int_equal(store_comment_query(f->s, f->a, &q, &l),
		    STORE_OK);
		assert_int_equal(l.n, 1);
		assert_true(l.v[0].spam_score == rows[3].score);
		assert_string_equal(l.v[0].spam_reasons, rows[3].reasons);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM comments"),
	    8);
}

/*
 * Fixture for the comment query table.  Letters name comments, in the
 * order they are added; post 1 or 2.  'e' and 'd' share a time, so the
 * later id ('e') comes first.
 */
static const struct {
	char		 key;
	int		 post;
	const char	*name;
	enum comment_status status;
	int64_t		 created;
} cq_comments[] = {
	{ 'a', 1, "Bob", COMMENT_APPROVED, 100 },
	{ 'b', 1, "BOB", COMMENT_PENDING, 200 },
	{ 'c', 2, "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd", COMMENT_SPAM, 300 },
	{ 'd', 2, "\xd0\x98\xd0\x92\xd0\x90\xd0\x9d", COMMENT_PENDING, 400 },
	{ 'e', 1, "Eve", COMMENT_PENDING, 400 },
	{ 'f', 2, "Bobby", COMMENT_APPROVED, 50 },
};

static void
test_comment_query(void **state)
{
	static const struct {
		enum comment_status status;
		char		 lo, hi;	/* id range by key; 0: open */
		const char	*author;
		int		 post;	/* 1, 2, 9 (none) or 0 */
		size_t		 limit;
		const char	*want;	/* keys, in order */
	} rows[] = {
		{ COMMENT_STATUS__MAX, 0, 0, NULL, 0, 0, "edcbaf" },
		{ COMMENT_PENDING, 0, 0, NULL, 0, 0, "edb" },
		{ COMMENT_APPROVED, 0, 0, NULL, 0, 0, "af" },
		{ COMMENT_SPAM, 0, 0, NULL, 0, 0, "c" },
		{ COMMENT_STATUS__MAX, 'b', 'd', NULL, 0, 0, "dcb" },
		{ COMMENT_STATUS__MAX, 'c', 0, NULL, 0, 0, "edcf" },
		{ COMMENT_STATUS__MAX, 0, 'b', NULL, 0, 0, "ba" },
		{ COMMENT_STATUS__MAX, 'd', 'b', NULL, 0, 0, "" },
		{ COMMENT_STATUS__MAX, 0, 0, "bob", 0, 0, "ba" },
		{ COMMENT_STATUS__MAX, 0, 0, "bOb", 0, 0, "ba" },
		{ COMMENT_STATUS__MAX, 0, 0, "Bo", 0, 0, "" },
		/* "иван" and "ИваН": case beyond ASCII. */
		{ COMMENT_STATUS__MAX, 0, 0,
		    "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd", 0, 0, "dc" },
		{ COMMENT_SPAM, 0, 0,
		    "\xd0\x98\xd0\xb2\xd0\xb0\xd0\x9d", 0, 0, "c" },
		{ COMMENT_STATUS__MAX, 0, 0, "nobody", 0, 0, "" },
		{ COMMENT_STATUS__MAX, 0, 0, "", 0, 0, "" },
		{ COMMENT_STATUS__MAX, 0, 0, NULL, 2, 0, "dcf" },
		{ COMMENT_STATUS__MAX, 0, 0, NULL, 9, 0, "" },
		{ COMMENT_PENDING, 0, 0, NULL, 1, 0, "eb" },
		{ COMMENT_STATUS__MAX, 0, 0, NULL, 1, 2, "eb" },
		{ COMMENT_STATUS__MAX, 0, 0, NULL, 0, 1, "e" },
		{ COMMENT_PENDING, 0, 0, NULL, 0, 3, "edb" },
		{ COMMENT_PENDING, 'a', 'e', "BOB", 1, 5, "b" },
		{ COMMENT_APPROVED, 'a', 'f', "bob", 2, 0, "" },
	};
	struct fx		*f = *state;
	struct comment_query	 q;
	struct comment_list	 l, l2;
	int64_t			 posts[3], ids[nitems(cq_comments)];
	char			 got[16];
	size_t			 i, j, k;

	posts[0] = 0;			/* any post */
	posts[1] = put_post(f->s, "/2024/01/one.html", POST_PUBLISHED, 0, 1,
	    NULL, 0, NULL);
	posts[2] = put_post(f->s, "/2024/01/two.html", POST_PUBLISHED, 0, 2,
	    NULL, 0, NULL);
	for (i = 0; i < nitems(cq_comments); i++)
		ids[i] = put_comment(f->s, posts[cq_comments[i].post], 0,
		    cq_comments[i].name, "", "text", cq_comments[i].status,
		    cq_comments[i].created);

	for (i = 0; i < nitems(rows); i++) {
		memset(&q, 0, sizeof(q));
		q.status = rows[i].status;
		if (rows[i].lo != 0)
			q.id_min = ids[rows[i].lo - 'a'];
		if (rows[i].hi != 0)
			q.id_max = ids[rows[i].hi - 'a'];
		q.author = rows[i].author;
		q.post_id = rows[i].post == 9 ? posts[2] + 100 :
		    posts[rows[i].post];
		q.limit = rows[i].limit;
		assert_int_equal(store_comment_query(f->s, f->a, &q, &l),
		    STORE_OK);
		for (j = 0; j < l.n && j < sizeof(got) - 1; j++) {
			got[j] = '?';
			for (k = 0; k < nitems(ids); k++)
				if (l.v[j].id == ids[k])
					got[j] = cq_comments[k].key;
			assert_non_null(l.v[j].post_title);
			assert_string_equal(l.v[j].post_path,
			    cq_comments[got[j] - 'a'].post == 1 ?
			    "/2024/01/one.html" : "/2024/01/two.html");
		}
		got[j] = '\0';
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: got \"%s\", want \"%s\"", i, got,
			    rows[i].want);
	}

	/* store_comment_list is the query by status alone. */
	for (i = 0; i <= COMMENT_STATUS__MAX; i++) {
		memset(&q, 0, sizeof(q));
		q.status = (enum comment_status)i;
		assert_int_equal(store_comment_query(f->s, f->a, &q, &l),
		    STORE_OK);
		assert_int_equal(store_comment_list(f->s, f->a,
		    (enum comment_status)i, &l2), STORE_OK);
		assert_int_equal(l.n, l2.n);
		for (j = 0; j < l.n; j++)
			assert_int_equal(l.v[j].id, l2.v[j].id);
	}

	/* A bad status is refused, with the output reset. */
	memset(&q, 0, sizeof(q));
	q.status = COMMENT_STATUS__MAX + 1;
	l.n = 42;
	assert_int_equal(store_comment_query(f->s, f->a, &q, &l), STORE_ERR);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

static void
test_moderation_log(void **state)
{
	/* Entries as added, in this order, each at its own clock. */
	static const struct {
		int		 comment;	/* index into c[] */
		const char	*action;
		const char	*actor;
		const char	*detail;	/* NULL reads as "" */
		int64_t		 at;
	} adds[] = {
		{ 0, "hold", "scorer", "3 links; looks like spam", 1000 },
		{ 1, "pass", "scorer", NULL, 1005 },
		{ 0, "approve", "cli:ana", "", 1010 },
		{ 0, "delete", "admin:bo", "rude", 1010 },
		{ 2, "spam", NULL, "x", 990 },	/* an older clock */
	};
	static const struct {
		int		 comment;	/* index into c[], -1: all */
		size_t		 limit;
		const char	*want;	/* adds[] indexes, newest first */
	} lists[] = {
		{ -1, 0, "32104" },
		{ -1, 2, "32" },
		{ 0, 0, "320" },
		{ 0, 1, "3" },
		{ 1, 0, "1" },
		{ 2, 5, "4" },
		{ 3, 0, "" },		/* no entries */
	};
	struct fx		*f = *state;
	struct moderation_log	 log;
	struct comment		*g;
	int64_t			 p, c[4];
	char			 got[16];
	size_t			 i, j, k;

	p = put_post(f->s, "/2024/01/p.html", POST_PUBLISHED, 0, 1, NULL, 0,
	    NULL);
	for (i = 0; i < nitems(c); i++)
		c[i] = put_comment(f->s, p, 0, "N", "", "b", COMMENT_PENDING,
		    (int64_t)i);

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	for (i = 0; i < nitems(adds); i++) {
		clock_set_fixed(adds[i].at);
		assert_int_equal(store_moderation_add(f->s,
		    c[adds[i].comment], adds[i].action, adds[i].actor,
		    adds[i].detail), STORE_OK);
	}
	/* The deleted comment's entries stay. */
	assert_int_equal(store_comment_delete(f->s, c[0]), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_comment_get(f->s, f->a, c[0], &g),
	    STORE_NOTFOUND);

	for (i = 0; i < nitems(lists); i++) {
		assert_int_equal(store_moderation_list(f->s, f->a,
		    lists[i].comment < 0 ? 0 : c[lists[i].comment],
		    lists[i].limit, &log), STORE_OK);
		for (j = 0; j < log.n && j < sizeof(got) - 1; j++) {
			got[j] = '?';
			for (k = 0; k < nitems(adds); k++)
				if (log.v[j].at == adds[k].at &&
				    log.v[j].comment_id ==
				    c[adds[k].comment] &&
				    strcmp(log.v[j].action,
				    adds[k].action) == 0)
					got[j] = (char)('0' + k);
			if (got[j] == '?')
				continue;
			k = (size_t)(got[j] - '0');
			assert_string_equal(log.v[j].actor,
			    adds[k].actor == NULL ? "" : adds[k].actor);
			assert_string_equal(log.v[j].detail,
			    adds[k].detail == NULL ? "" : adds[k].detail);
			assert_true(log.v[j].id > 0);
		}
		got[j] = '\0';
		if (strcmp(got, lists[i].want) != 0)
			fail_msg("list %zu: got \"%s\", want \"%s\"", i, got,
			    lists[i].want);
	}

	/* Even deleting the post keeps the log. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_post_delete(f->s, p), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_moderation_list(f->s, f->a, 0, 0, &log),
	    STORE_OK);
	assert_int_equal(log.n, nitems(adds));

	/* Refused: outside a write, and with no action. */
	assert_int_equal(store_moderation_add(f->s, c[1], "pass", "x", ""),
	    STORE_ERR);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_moderation_add(f->s, c[1], NULL, "x", ""),
	    STORE_ERR);
	assert_int_equal(store_moderation_add(f->s, c[1], "", "x", ""),
	    STORE_ERR);
	/* A rolled back write leaves no entry. */
	assert_int_equal(store_moderation_add(f->s, c[1], "hold", "x", ""),
	    STORE_OK);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_int_equal(store_moderation_list(f->s, f->a, c[1], 0, &log),
	    STORE_OK);
	assert_int_equal(log.n, 1);
}

static void
test_same_body(void **state)
{
	/* The comments there are; bodies compare byte for byte. */
	static const struct {
		const char	*body;
		int64_t		 created;
		int		 by_put;
	} adds[] = {
		{ "Buy now", 100, 0 },
		{ "Buy now", 200, 0 },
		{ "buy now", 300, 0 },
		{ "Buy now ", 400, 0 },
		{ "Hello", 500, 0 },
		{ "Buy now", 600, 1 },
		{ "\xd0\x9a\xd1\x83\xd0\xbf\xd0\xb8", 700, 0 },
	};
	static const struct {
		const char	*body;
		int64_t		 since;
		int64_t		 want;
	} rows[] = {
		{ "Buy now", 0, 3 },
		{ "Buy now", 100, 3 },
		{ "Buy now", 101, 2 },
		{ "Buy now", 600, 1 },
		{ "Buy now", 601, 0 },
		{ "buy now", 0, 1 },
		{ "Buy now ", 0, 1 },
		{ "Buy no", 0, 0 },
		{ "\xd0\x9a\xd1\x83\xd0\xbf\xd0\xb8", 0, 1 },
		{ "", 0, 0 },
		{ NULL, 0, 0 },
	};
	struct fx	*f = *state;
	struct comment	 c;
	int64_t		 p[2], count, last = 0;
	size_t		 i;

	p[0] = put_post(f->s, "/2024/01/a.html", POST_PUBLISHED, 0, 1, NULL,
	    0, NULL);
	p[1] = put_post(f->s, "/2024/01/b.html", POST_PUBLISHED, 0, 2, NULL,
	    0, NULL);
	for (i = 0; i < nitems(adds); i++) {
		memset(&c, 0, sizeof(c));
		c.post_id = p[i % 2];
		c.name = "N";
		c.body = (char *)(uintptr_t)adds[i].body;
		c.status = (enum comment_status)(i % 3);
		c.created = adds[i].created;
		assert_int_equal(store_write_begin(f->s), STORE_OK);
		assert_int_equal(adds[i].by_put ? store_comment_put(f->s, &c) :
		    store_comment_add(f->s, &c), STORE_OK);
		assert_int_equal(store_write_end(f->s, 1), STORE_OK);
		last = c.id;
	}

	for (i = 0; i < nitems(rows); i++) {
		count = -1;
		assert_int_equal(store_comment_same_body(f->s, rows[i].body,
		    rows[i].since, &count), STORE_OK);
		if (count != rows[i].want)
			fail_msg("row %zu: \"%s\" since %lld: got %lld", i,
			    rows[i].body == NULL ? "NULL" : rows[i].body,
			    (long long)rows[i].since, (long long)count);
	}

	/* The writer sees its own new comment; a rollback takes it away. */
	memset(&c, 0, sizeof(c));
	c.post_id = p[0];
	c.name = "N";
	c.body = "Buy now";
	c.created = 800;
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_add(f->s, &c), STORE_OK);
	assert_int_equal(store_comment_same_body(f->s, "Buy now", 0, &count),
	    STORE_OK);
	assert_int_equal(count, 4);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_int_equal(store_comment_same_body(f->s, "Buy now", 0, &count),
	    STORE_OK);
	assert_int_equal(count, 3);

	/* A deleted comment no longer counts. */
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_comment_delete(f->s, last - 1), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_comment_same_body(f->s, "Buy now", 0, &count),
	    STORE_OK);
	assert_int_equal(count, 2);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM comments WHERE body_hash = 0"), 0);
}

/* The terms whose counts every step of test_spam_learn checks. */
static const char *const spam_probe[] = { "cheap", "pills", "hello",
    "never" };

static void
test_spam_learn(void **state)
{
	static const struct {
		int		 is_spam;
		int		 delta;
		const char	*terms[4];	/* up to the first NULL */
		int64_t		 nham, nspam;	/* totals afterwards */
		int64_t		 ham[4], spam[4];	/* of spam_probe */
	} steps[] = {
		{ 1, 1, { "cheap", "pills" }, 0, 1,
		    { 0, 0, 0, 0 }, { 1, 1, 0, 0 } },
		/* A term given twice counts once. */
		{ 1, 1, { "pills", "cheap", "pills" }, 0, 2,
		    { 0, 0, 0, 0 }, { 2, 2, 0, 0 } },
		{ 0, 1, { "cheap", "hello" }, 1, 2,
		    { 1, 0, 1, 0 }, { 2, 2, 0, 0 } },
		/* A message with no terms still counts. */
		{ 0, 1, { NULL }, 2, 2,
		    { 1, 0, 1, 0 }, { 2, 2, 0, 0 } },
		{ 1, -1, { "pills", "never" }, 2, 1,
		    { 1, 0, 1, 0 }, { 2, 1, 0, 0 } },
		{ 0, -1, { "hello" }, 1, 1,
		    { 1, 0, 0, 0 }, { 2, 1, 0, 0 } },
		/* Never below 0: counts, then totals. */
		{ 0, -1, { "hello" }, 0, 1,
		    { 1, 0, 0, 0 }, { 2, 1, 0, 0 } },
		{ 0, -1, { "cheap" }, 0, 1,
		    { 0, 0, 0, 0 }, { 2, 1, 0, 0 } },
		/* Empty terms are skipped; delta 0 changes nothing. */
		{ 1, 1, { "", "never" }, 0, 2,
		    { 0, 0, 0, 0 }, { 2, 1, 0, 1 } },
		{ 1, 0, { "never" }, 0, 2,
		    { 0, 0, 0, 0 }, { 2, 1, 0, 1 } },
	};
	struct fx		*f = *state;
	struct text_spam_counts	 sc, sc2;
	size_t			 i, j, n;

	/* Nothing learned yet. */
	assert_int_equal(store_spam_counts(f->s, f->a, spam_probe,
	    nitems(spam_probe), &sc), STORE_OK);
	assert_int_equal(sc.nham + sc.nspam, 0);
	for (j = 0; j < nitems(spam_probe); j++)
		assert_int_equal(sc.ham[j] + sc.spam[j], 0);

	for (i = 0; i < nitems(steps); i++) {
		for (n = 0; n < nitems(steps[i].terms) &&
		    steps[i].terms[n] != NULL; n++)
			;
		assert_int_equal(store_write_begin(f->s), STORE_OK);
		assert_int_equal(store_spam_learn(f->s, steps[i].terms, n,
		    steps[i].is_spam, steps[i].delta), STORE_OK);
		assert_int_equal(store_write_end(f->s, 1), STORE_OK);
		assert_int_equal(store_spam_counts(f->s, f->a, spam_probe,
		    nitems(spam_probe), &sc), STORE_OK);
		if (sc.nham != steps[i].nham || sc.nspam != steps[i].nspam)
			fail_msg("step %zu: totals %lld, %lld", i,
			    (long long)sc.nham, (long long)sc.nspam);
		for (j = 0; j < nitems(spam_probe); j++)
			if (sc.ham[j] != steps[i].ham[j] ||
			    sc.spam[j] != steps[i].spam[j])
				fail_msg("step %zu: %s: ham %lld spam %lld",
				    i, spam_probe[j], (long long)sc.ham[j],
				    (long long)sc.spam[j]);
		/* The adapter the scorer calls says the same. */
		assert_int_equal(store_spam_counter(f->s, f->a, spam_probe,
		    nitems(spam_probe), &sc2), 0);
		assert_int_equal(sc2.nham, sc.nham);
		assert_int_equal(sc2.nspam, sc.nspam);
		assert_memory_equal(sc2.ham, sc.ham,
		    nitems(spam_probe) * sizeof(*sc.ham));
		assert_memory_equal(sc2.spam, sc.spam,
		    nitems(spam_probe) * sizeof(*sc.spam));
	}
	/* Unlearning left no rows for "hello" (gone to 0) or "". */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM spam_terms"),
	    3);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM spam_terms "
	    "WHERE ham < 0 OR spam < 0 OR (ham = 0 AND spam = 0)"), 0);

	/* No terms: totals only. */
	assert_int_equal(store_spam_counts(f->s, f->a, NULL, 0, &sc),
	    STORE_OK);
	assert_null(sc.ham);
	assert_int_equal(sc.nspam, 2);

	/* Outside a write it is refused; a rollback undoes it. */
	assert_int_equal(store_spam_learn(f->s, spam_probe, 1, 1, 1),
	    STORE_ERR);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_spam_learn(f->s, spam_probe,
	    nitems(spam_probe), 1, 1), STORE_OK);
	assert_int_equal(store_spam_counts(f->s, f->a, spam_probe, 1, &sc),
	    STORE_OK);
	assert_int_equal(sc.spam[0], 3);
	assert_int_equal(store_write_end(f->s, 0), STORE_OK);
	assert_int_equal(store_spam_counts(f->s, f->a, spam_probe, 1, &sc),
	    STORE_OK);
	assert_int_equal(sc.spam[0], 2);
	assert_int_equal(sc.nspam, 2);

	/* A hand-edited file without the totals row: 0, then rebuilt. */
	raw_exec(f->path, "DELETE FROM spam_totals");
	assert_int_equal(store_spam_counts(f->s, f->a, spam_probe, 1, &sc),
	    STORE_OK);
	assert_int_equal(sc.nham + sc.nspam, 0);
	assert_int_equal(sc.spam[0], 2);
	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_spam_learn(f->s, NULL, 0, 0, -1), STORE_OK);
	assert_int_equal(store_spam_learn(f->s, NULL, 0, 1, 1), STORE_OK);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_spam_counts(f->s, f->a, NULL, 0, &sc),
	    STORE_OK);
	assert_int_equal(sc.nham, 0);
	assert_int_equal(sc.nspam, 1);
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
	const char		*term[] = { "html" };
	struct search_phrase	 ph = { term, 1, 0, 0 };
	struct search_query	 sq = { &ph, 1, NULL, 1000000, 0, 5 };
	struct search_result	 sr;
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
		/* Each reader connection has the tokenizer (snippets). */
		if (i % 10 == 0 && (store_search(r->s, a, &sq, &sr) !=
		    STORE_OK || sr.total != NPOSTS || sr.n != 5))
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
	/* All joined before any check: a failed one ends the test. */
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(r[i].bad, 0);
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

/*
 * A word on more posts than the ranking window: the newest window's worth
 * are ranked, the total says "at least", and later pages stop there.
 */
static void
test_search_window(void **state)
{
	struct fx		*f = *state;
	struct search_query	 q;
	struct search_result	 r;
	struct post		 p;
	char			 path[64];
	size_t			 i, n = STORE_SEARCH_WINDOW + 20;

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		snprintf(path, sizeof(path), "/2020/01/w%zu.html", i);
		p.path = path;
		p.slug = path + 9;
		p.title = "Window";
		p.source = "common words everywhere";
		p.html = "<p>common words everywhere</p>";
		p.lang = "en";
		p.status = POST_PUBLISHED;
		p.published = p.updated = 1577836800 + (int64_t)i;
		assert_int_equal(store_post_save(f->s, &p, NULL), STORE_OK);
	}
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);

	query_make(f->a, "everywhere", "en", &q);
	q.now = 2000000000;
	q.limit = 10;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, STORE_SEARCH_WINDOW);
	assert_int_equal(r.is_capped, 1);
	assert_int_equal(r.n, 10);
	/* Equal scores: the newest first, from the newest window. */
	assert_string_equal(r.v[0].post.path, "/2020/01/w1019.html");
	q.offset = STORE_SEARCH_WINDOW;
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.is_capped, 1);

	query_make(f->a, "window", "en", &q);
	q.now = 2000000000;
	q.limit = 10;
	q.offset = 0;
	q.phrases[0].terms[0] = "nowher";
	assert_int_equal(store_search(f->s, f->a, &q, &r), STORE_OK);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.is_capped, 0);
}

/* Old addresses of imported posts: put, overwrite, look up. */
static void
test_redirects(void **state)
{
	struct fx	*f = *state;
	char		*to;

	assert_int_equal(store_write_begin(f->s), STORE_OK);
	assert_int_equal(store_redirect_put(f->s, "/?p=7", "/2023/09/a.html"),
	    STORE_OK);
	assert_int_equal(store_redirect_put(f->s, "/2023/09/12/a/",
	    "/2023/09/a.html"), STORE_OK);
	assert_int_equal(store_redirect_put(f->s, "/?p=7", "/2023/09/b.html"),
	    STORE_OK);
	assert_int_equal(store_redirect_put(f->s, "no-slash", "/x.html"),
	    STORE_ERR);
	assert_int_equal(store_write_end(f->s, 1), STORE_OK);
	assert_int_equal(store_redirect_get(f->s, f->a, "/?p=7", &to),
	    STORE_OK);
	assert_string_equal(to, "/2023/09/b.html");
	assert_int_equal(store_redirect_get(f->s, f->a, "/2023/09/12/a/", &to),
	    STORE_OK);
	assert_string_equal(to, "/2023/09/a.html");
	assert_int_equal(store_redirect_get(f->s, f->a, "/?p=8", &to),
	    STORE_NOTFOUND);
	assert_null(to);
}

/* ---- PostgreSQL only ---- */

/* Milliseconds on the monotonic clock, for a deadline. */
static int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when tag is among v[0..n). */
static int
has_tag(const struct store_change *v, size_t n, const char *tag)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].tag, tag) == 0)
			return 1;
	return 0;
}

/*
 * A write through one handle reaches another handle on the same
 * database (another node) by NOTIFY within 500 ms: its data version
 * moves and the change log says what the write touched.
 */
static void
test_pg_changes(void **state)
{
	static const char *const labels[] = { "Sea Birds" };
	struct fx		*f = *state;
	struct store		*b;
	struct store_change	*v;
	struct timespec		 ts = { 0, 10 * 1000000L };
	char			 err[256], tag[64];
	size_t			 n;
	int64_t			 v0, v1, last0, last, id, cid, deadline;

	assert_int_equal(store_open(f->url, 0, &b, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_changes_since(f->s, f->a, -1, &v, &n, &last0),
	    STORE_OK);
	assert_int_equal(n, 0);
	/* The listener connects; let its first bump pass. */
	assert_int_equal(store_data_version(f->s, &v0), STORE_OK);
	deadline = mono_ms() + 2000;
	do {
		nanosleep(&ts, NULL);
		v1 = v0;
		assert_int_equal(store_data_version(f->s, &v0), STORE_OK);
	} while ((v0 != v1 || mono_ms() < deadline - 1700) &&
	    mono_ms() < deadline);

	id = put_post(b, "/2023/05/gulls.html", POST_PUBLISHED, 0, 1684000000,
	    labels, 1, NULL);
	deadline = mono_ms() + 500;
	while (store_data_version(f->s, &v1) == STORE_OK && v1 == v0 &&
	    mono_ms() < deadline)
		nanosleep(&ts, NULL);
	assert_int_not_equal(v1, v0);
	assert_int_equal(store_changes_since(f->s, f->a, last0, &v, &n, &last),
	    STORE_OK);
	assert_true(last > last0);
	snprintf(tag, sizeof(tag), "post:%lld", (long long)id);
	assert_true(has_tag(v, n, tag));
	assert_true(has_tag(v, n, "list:1684000000"));
	assert_true(has_tag(v, n, "label:sea birds"));
	assert_false(has_tag(v, n, "nav"));
	assert_int_equal(v[n - 1].seq, last);

	/* A comment tags its post only; nothing after the newest. */
	cid = put_comment(b, id, 0, "Ann", "", "Gulls!", COMMENT_APPROVED,
	    1684000100);
	assert_true(cid > 0);
	last0 = last;
	assert_int_equal(store_changes_since(f->s, f->a, last0, &v, &n, &last),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].tag, tag);
	assert_int_equal(store_changes_since(f->s, f->a, last, &v, &n, &last0),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(last0, last);

	/* A rollback records nothing. */
	assert_int_equal(store_write_begin(b), STORE_OK);
	assert_int_equal(store_redirect_put(b, "/old", "/new"), STORE_OK);
	assert_int_equal(store_write_end(b, 0), STORE_OK);
	assert_int_equal(store_changes_since(f->s, f->a, last, &v, &n, &last0),
	    STORE_OK);
	assert_int_equal(n, 0);

	/* A reader older than the pruned log hears "all". */
	raw_exec(f->path, "DELETE FROM changes; UPDATE changes_state SET "
	    "pruned = (SELECT last_value FROM changes_seq)");
	assert_int_equal(store_changes_since(f->s, f->a, 1, &v, &n, &last0),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].tag, "all");
	/* The rolled-back write used a sequence number all the same. */
	assert_true(last0 >= last);
	store_close(b);
}

/* The next post to fall due, drafts and past posts aside. */
static void
test_pg_next_due(void **state)
{
	struct fx	*f = *state;
	int64_t		 when;

	assert_int_equal(store_post_next_due(f->s, 100, &when), STORE_OK);
	assert_int_equal(when, 0);
	put_post(f->s, "/a.html", POST_PUBLISHED, 0, 50, NULL, 0, NULL);
	put_post(f->s, "/b.html", POST_DRAFT, 0, 150, NULL, 0, NULL);
	put_post(f->s, "/c.html", POST_PUBLISHED, 0, 300, NULL, 0, NULL);
	put_post(f->s, "/d.html", POST_PUBLISHED, 0, 200, NULL, 0, NULL);
	assert_int_equal(store_post_next_due(f->s, 100, &when), STORE_OK);
	assert_int_equal(when, 200);
	assert_int_equal(store_post_next_due(f->s, 200, &when), STORE_OK);
	assert_int_equal(when, 300);
}

/* Backups are pg_dump's job; a database of something else is refused. */
static void
test_pg_refusals(void **state)
{
	struct fx	*f = *state;
	struct store	*s;
	char		 err[256], url[200], sql[160];

	assert_int_equal(store_backup(f->s, "x.db"), STORE_ERR);
	assert_non_null(strstr(store_errmsg(f->s), "pg_dump"));

	/* Empty: refused without create; a foreign table: refused. */
	assert_int_equal(pg_url(url, sizeof(url), getenv("GAZETTE_TEST_PG"),
	    "gazette_test_foreign"), 0);
	pg_raw_exec(getenv("GAZETTE_TEST_PG"),
	    "CREATE DATABASE gazette_test_foreign");
	assert_int_equal(store_open(url, 0, &s, err, sizeof(err)), STORE_ERR);
	assert_non_null(strstr(err, "not a gazette database"));
	pg_raw_exec(url, "CREATE TABLE t (x int)");
	assert_int_equal(store_open(url, 1, &s, err, sizeof(err)), STORE_ERR);
	assert_non_null(strstr(err, "other tables"));
	snprintf(sql, sizeof(sql), "DROP DATABASE gazette_test_foreign");
	pg_raw_exec(getenv("GAZETTE_TEST_PG"), sql);

	/* Nobody there: "unavailable", not a crash. */
	assert_int_equal(store_open("postgresql:///x?host=/nonexistent", 0,
	    &s, err, sizeof(err)), STORE_BUSY);
	assert_non_null(strstr(err, "unavailable"));
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define P(fn)	cmocka_unit_test_setup_teardown(fn, setup_pg, teardown_pg)

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
		T(test_search),
		T(test_search_terms_quoted),
		T(test_search_comments),
		T(test_search_terms),
		T(test_search_alternatives),
		T(test_search_window),
		T(test_redirects),
		cmocka_unit_test(test_fts5_match),
		cmocka_unit_test(test_fts5_text),
		T(test_label_keys),
		T(test_label_rename_merge),
		T(test_upgrade_v1),
		T(test_upgrade_v2),
		T(test_post_comment_settings),
		T(test_comment_spam_fields),
		T(test_comment_query),
		T(test_moderation_log),
		T(test_same_body),
		T(test_spam_learn),
		T(test_data_version),
		T(test_threads),
		cmocka_unit_test(test_names),
	};
	/* The same cases on PostgreSQL, but for the SQLite file's own. */
	const struct CMUnitTest	 pg_tests[] = {
		P(test_post_save_and_get),
		P(test_post_save_by_id),
		P(test_write_rules),
		P(test_labels),
		P(test_post_list),
		P(test_comments),
		P(test_commenter_known),
		P(test_search),
		P(test_search_terms_quoted),
		P(test_search_comments),
		P(test_search_terms),
		P(test_search_alternatives),
		P(test_search_window),
		P(test_redirects),
		P(test_label_keys),
		P(test_label_rename_merge),
		P(test_post_comment_settings),
		P(test_comment_spam_fields),
		P(test_comment_query),
		P(test_moderation_log),
		P(test_same_body),
		P(test_spam_learn),
		P(test_threads),
		P(test_pg_changes),
		P(test_pg_next_due),
		P(test_pg_refusals),
	};
	int			 rc;

	rc = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	rc |= cmocka_run_group_tests_name("postgres", pg_tests, NULL, NULL);
	/* The pipeline's per-thread ICU objects, for the leak checker. */
	text_thread_cleanup();
	return rc;
}
