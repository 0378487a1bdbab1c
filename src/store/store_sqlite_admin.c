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
 * The SQLite engine's half of the admin's tables (migration 6): users,
 * sessions, API tokens, post authors and the daily stats.  Kept apart
 * from store_sqlite.c: these are rare, small queries, prepared per call
 * on the connection store_sqlite_conn() gives, with bound parameters
 * only.  It knows nothing of passwords or cookies; it stores hashes.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "base.h"
#include "store_int.h"

#define SECONDS_PER_DAY	86400

static const char *const kind_names[] = { "view", "search", "label" };

/* Prepares sql on this thread's connection; NULL with a message. */
static sqlite3_stmt *
prep(struct store *s, int write, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;

	if ((db = store_sqlite_conn(s, write)) == NULL)
		return NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_errmsg_set("prepare: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Maps a failed step to our code, with the message; finalizes st. */
static enum store_err
fail(sqlite3_stmt *st, int rc, const char *what)
{
	store_errmsg_set("%s: %s", what,
	    sqlite3_errmsg(sqlite3_db_handle(st)));
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_CONFLICT;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return STORE_NOTFOUND;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STORE_BUSY;
	return STORE_ERR;
}

/* Runs a statement that returns no rows; finalizes it. */
static enum store_err
exec(sqlite3_stmt *st, const char *what)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return fail(st, sqlite3_extended_errcode(
		    sqlite3_db_handle(st)), what);
	sqlite3_finalize(st);
	return STORE_OK;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v == NULL ? "" : v, -1, SQLITE_TRANSIENT);
}

static char *
col(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return arena_strndup(a, t == NULL ? "" : (const char *)t,
	    (size_t)sqlite3_column_bytes(st, i));
}

#define USER_COLS "u.id, u.name, u.role, u.pwhash, u.totp_secret, u.created"

static void
user_row(sqlite3_stmt *st, int i, struct arena *a, struct user *u)
{
	u->id = sqlite3_column_int64(st, i);
	u->name = col(st, i + 1, a);
	u->role = col(st, i + 2, a);
	u->pwhash = col(st, i + 3, a);
	u->totp_secret = col(st, i + 4, a);
	u->created = sqlite3_column_int64(st, i + 5);
}

/* Reads one user row from st (parameters bound); finalizes it. */
static enum store_err
user_one(sqlite3_stmt *st, struct arena *a, struct user **out,
    const char *what)
{
	struct user	*u;
	int		 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_finalize(st);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return fail(st, rc, what);
	u = arena_alloc(a, sizeof(*u));
	user_row(st, 0, a, u);
	sqlite3_finalize(st);
	*out = u;
	return STORE_OK;
}

enum store_err
store_sqlite_user_put(struct store *s, struct user *u)
{
	sqlite3_stmt	*st;
	enum store_err	 e;

	if (u->id == 0) {
		st = prep(s, 1, "INSERT INTO users (name, role, pwhash, "
		    "totp_secret, created) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (st == NULL)
			return STORE_ERR;
		bind_text(st, 1, u->name);
	} else {
		st = prep(s, 1, "UPDATE users SET role = ?2, pwhash = ?3, "
		    "totp_secret = ?4 WHERE id = ?6");
		if (st == NULL)
			return STORE_ERR;
		sqlite3_bind_int64(st, 6, u->id);
	}
	bind_text(st, 2, u->role);
	bind_text(st, 3, u->pwhash);
	bind_text(st, 4, u->totp_secret);
	if (u->id == 0)
		sqlite3_bind_int64(st, 5, u->created);
	if ((e = exec(st, "user")) != STORE_OK)
		return e;
	if (u->id == 0)
		u->id = sqlite3_last_insert_rowid(store_sqlite_conn(s, 1));
	else if (sqlite3_changes(store_sqlite_conn(s, 1)) == 0)
		return STORE_NOTFOUND;
	return STORE_OK;
}

enum store_err
store_sqlite_user_get(struct store *s, struct arena *a, const char *name,
    int64_t id, struct user **out)
{
	sqlite3_stmt	*st;

	if (name != NULL) {
		if ((st = prep(s, 0, "SELECT " USER_COLS " FROM users u "
		    "WHERE u.name = ?1")) == NULL)
			return STORE_ERR;
		bind_text(st, 1, name);
	} else {
		if ((st = prep(s, 0, "SELECT " USER_COLS " FROM users u "
		    "WHERE u.id = ?1")) == NULL)
			return STORE_ERR;
		sqlite3_bind_int64(st, 1, id);
	}
	return user_one(st, a, out, "user");
}

enum store_err
store_sqlite_user_list(struct store *s, struct arena *a, struct user **out,
    size_t *n)
{
	sqlite3_stmt	*st;
	struct user	*v = NULL;
	size_t		 k = 0, cap = 0;
	int		 rc;

	if ((st = prep(s, 0, "SELECT " USER_COLS " FROM users u "
	    "ORDER BY u.name")) == NULL)
		return STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		user_row(st, 0, a, &v[k++]);
	}
	if (rc != SQLITE_DONE)
		return fail(st, rc, "users");
	sqlite3_finalize(st);
	*out = v;
	*n = k;
	return STORE_OK;
}

enum store_err
store_sqlite_user_delete(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;
	enum store_err	 e;

	if ((st = prep(s, 1, "DELETE FROM users WHERE id = ?1")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	if ((e = exec(st, "user delete")) != STORE_OK)
		return e;
	return sqlite3_changes(store_sqlite_conn(s, 1)) == 0 ?
	    STORE_NOTFOUND : STORE_OK;
}

enum store_err
store_sqlite_session_put(struct store *s, const char *id_hash,
    int64_t user_id, const char *csrf, int64_t expires)
{
	sqlite3_stmt	*st;

	if ((st = prep(s, 1, "INSERT INTO sessions (id_hash, user_id, csrf, "
	    "created, expires) VALUES (?1, ?2, ?3, ?4, ?5)")) == NULL)
		return STORE_ERR;
	bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, user_id);
	bind_text(st, 3, csrf);
	sqlite3_bind_int64(st, 4, clock_now());
	sqlite3_bind_int64(st, 5, expires);
	return exec(st, "session");
}

enum store_err
store_sqlite_session_get(struct store *s, struct arena *a,
    const char *id_hash, int64_t now, struct user **out, char **csrf)
{
	sqlite3_stmt	*st;
	struct user	*u;
	int		 rc;

	if ((st = prep(s, 0, "SELECT " USER_COLS ", x.csrf FROM sessions x "
	    "JOIN users u ON u.id = x.user_id "
	    "WHERE x.id_hash = ?1 AND x.expires > ?2")) == NULL)
		return STORE_ERR;
	bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_finalize(st);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return fail(st, rc, "session");
	u = arena_alloc(a, sizeof(*u));
	user_row(st, 0, a, u);
	*csrf = col(st, 6, a);
	sqlite3_finalize(st);
	*out = u;
	return STORE_OK;
}

enum store_err
store_sqlite_session_delete(struct store *s, const char *id_hash,
    int64_t now)
{
	sqlite3_stmt	*st;

	if ((st = prep(s, 1, "DELETE FROM sessions WHERE id_hash = ?1 "
	    "OR expires <= ?2")) == NULL)
		return STORE_ERR;
	bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, now);
	return exec(st, "session delete");
}

enum store_err
store_sqlite_token_put(struct store *s, int64_t user_id, const char *name,
    const char *token_hash, int64_t *id)
{
	sqlite3_stmt	*st;
	enum store_err	 e;

	if ((st = prep(s, 1, "INSERT INTO api_tokens (user_id, name, "
	    "token_hash, created) VALUES (?1, ?2, ?3, ?4)")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, user_id);
	bind_text(st, 2, name);
	bind_text(st, 3, token_hash);
	sqlite3_bind_int64(st, 4, clock_now());
	if ((e = exec(st, "token")) != STORE_OK)
		return e;
	*id = sqlite3_last_insert_rowid(store_sqlite_conn(s, 1));
	return STORE_OK;
}

enum store_err
store_sqlite_token_user(struct store *s, struct arena *a,
    const char *token_hash, struct user **out)
{
	sqlite3_stmt	*st;

	if ((st = prep(s, 0, "SELECT " USER_COLS " FROM api_tokens t "
	    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1")) ==
	    NULL)
		return STORE_ERR;
	bind_text(st, 1, token_hash);
	return user_one(st, a, out, "token");
}

enum store_err
store_sqlite_token_list(struct store *s, struct arena *a, int64_t user_id,
    struct api_token **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct api_token	*v = NULL;
	size_t			 k = 0, cap = 0;
	int			 rc;

	if ((st = prep(s, 0, "SELECT id, user_id, name, created, last_used "
	    "FROM api_tokens WHERE user_id = ?1 ORDER BY id DESC")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, user_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].user_id = sqlite3_column_int64(st, 1);
		v[k].name = col(st, 2, a);
		v[k].created = sqlite3_column_int64(st, 3);
		v[k].last_used = sqlite3_column_int64(st, 4);
		k++;
	}
	if (rc != SQLITE_DONE)
		return fail(st, rc, "tokens");
	sqlite3_finalize(st);
	*out = v;
	*n = k;
	return STORE_OK;
}

enum store_err
store_sqlite_token_delete(struct store *s, int64_t user_id, int64_t id)
{
	sqlite3_stmt	*st;
	enum store_err	 e;

	if ((st = prep(s, 1, "DELETE FROM api_tokens WHERE id = ?1 AND "
	    "user_id = ?2")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	if ((e = exec(st, "token delete")) != STORE_OK)
		return e;
	return sqlite3_changes(store_sqlite_conn(s, 1)) == 0 ?
	    STORE_NOTFOUND : STORE_OK;
}

enum store_err
store_sqlite_post_author_set(struct store *s, int64_t post_id,
    int64_t user_id)
{
	sqlite3_stmt	*st;

	if ((st = prep(s, 1, "INSERT INTO post_authors (post_id, user_id) "
	    "VALUES (?1, ?2) ON CONFLICT (post_id) DO UPDATE SET "
	    "user_id = ?2")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, user_id);
	return exec(st, "post author");
}

enum store_err
store_sqlite_post_author_get(struct store *s, int64_t post_id,
    int64_t *user_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = prep(s, 0, "SELECT user_id FROM post_authors "
	    "WHERE post_id = ?1")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, post_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*user_id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return fail(st, rc, "post author");
	sqlite3_finalize(st);
	return STORE_OK;
}

enum store_err
store_sqlite_stats_add(struct store *s, int64_t day, enum stats_kind kind,
    const char *key, int64_t n)
{
	sqlite3_stmt	*st;

	if ((st = prep(s, 1, "INSERT INTO stats_daily (day, kind, key, n) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (day, kind, key) "
	    "DO UPDATE SET n = n + ?4")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, day);
	bind_text(st, 2, kind_names[kind]);
	bind_text(st, 3, key);
	sqlite3_bind_int64(st, 4, n);
	return exec(st, "stats");
}

/* Adds each (day, count) row of st into v[day - from], within n days. */
static enum store_err
day_rows(sqlite3_stmt *st, int64_t from, size_t n, int64_t *v)
{
	int64_t	 d;
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d = sqlite3_column_int64(st, 0) - from;
		if (d >= 0 && (size_t)d < n)
			v[d] += sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		return fail(st, rc, "stats");
	sqlite3_finalize(st);
	return STORE_OK;
}

enum store_err
store_sqlite_stats_days(struct store *s, int64_t from, size_t n,
    int64_t *views, int64_t *comments)
{
	sqlite3_stmt	*st;
	enum store_err	 e;

	if ((st = prep(s, 0, "SELECT day, sum(n) FROM stats_daily "
	    "WHERE kind = 'view' AND day >= ?1 AND day < ?2 "
	    "GROUP BY day")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, from + (int64_t)n);
	if ((e = day_rows(st, from, n, views)) != STORE_OK)
		return e;
	if ((st = prep(s, 0, "SELECT created / 86400, count(*) FROM comments "
	    "WHERE created >= ?1 AND created < ?2 GROUP BY 1")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, from * SECONDS_PER_DAY);
	sqlite3_bind_int64(st, 2, (from + (int64_t)n) * SECONDS_PER_DAY);
	return day_rows(st, from, n, comments);
}

enum store_err
store_sqlite_stats_top(struct store *s, struct arena *a,
    enum stats_kind kind, int64_t from, size_t limit,
    struct stats_row **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct stats_row	*v = NULL;
	size_t			 k = 0, cap = 0;
	int			 rc;

	if (kind == STATS_LABEL)
		st = prep(s, 0, "SELECT l.name, sum(d.n) FROM stats_daily d "
		    "JOIN posts p ON p.path = d.key "
		    "JOIN post_labels pl ON pl.post_id = p.id "
		    "JOIN labels l ON l.id = pl.label_id "
		    "WHERE d.kind = 'view' AND d.day >= ?1 "
		    "GROUP BY l.id ORDER BY 2 DESC, 1 LIMIT ?3");
	else
		st = prep(s, 0, "SELECT key, sum(n) FROM stats_daily "
		    "WHERE kind = ?2 AND day >= ?1 "
		    "GROUP BY key ORDER BY 2 DESC, 1 LIMIT ?3");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, from);
	if (kind != STATS_LABEL)
		bind_text(st, 2, kind_names[kind]);
	sqlite3_bind_int64(st, 3, limit == 0 ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		v[k].key = col(st, 0, a);
		v[k].n = sqlite3_column_int64(st, 1);
		k++;
	}
	if (rc != SQLITE_DONE)
		return fail(st, rc, "stats");
	sqlite3_finalize(st);
	*out = v;
	*n = k;
	return STORE_OK;
}
