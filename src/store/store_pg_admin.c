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
 * The PostgreSQL engine's half of the admin's tables (migration 2):
 * users, sessions, API tokens, post authors and the daily stats, as
 * store_sqlite_admin.c has them for SQLite.  The statements are
 * store_pg.c's; each write is one statement run in a savepoint
 * (pg_savepoint) so that a refused one leaves the transaction usable.
 * None of them records a change tag, as none does on SQLite: no public
 * page shows accounts, sessions, tokens, authors or counts (a post's
 * author only decides who may edit it in the admin), so no cached page
 * goes stale.  It stores hashes, never passwords or secrets.
 */
#include <stdint.h>
#include <string.h>

#include <libpq-fe.h>

#include "base.h"
#include "store_pg_int.h"

#define SECONDS_PER_DAY	86400

static const char *const kind_names[] = { "view", "search", "label" };

/* One write statement: its parameters, and where its id goes. */
struct write1 {
	enum pg_stmt		 id;
	const struct pg_params	*p;
	const char		*what;
	int64_t			*out;	/* NULL: no row wanted */
};

static enum store_err
write1_do(struct store *s, void *arg)
{
	struct pg_engine	*pe = s->engine;
	struct write1		*w = arg;
	struct pg_conn		*c;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if (w->out == NULL)
		return pg_do(pe, c, w->id, w->p, w->what);
	/* RETURNING id: no row is an id that is not there. */
	return pg_int(pe, c, w->id, w->p, w->what, w->out);
}

/* Runs write statement id in a savepoint; *out its first value. */
static enum store_err
write1(struct store *s, enum pg_stmt id, const struct pg_params *p,
    const char *what, int64_t *out)
{
	struct write1	 w;

	w.id = id;
	w.p = p;
	w.what = what;
	w.out = out;
	return pg_savepoint(s, write1_do, &w);
}

/* Runs read statement id; the caller PQclear()s the result. */
static PGresult *
read1(struct store *s, enum pg_stmt id, const struct pg_params *p,
    const char *what, enum store_err *e)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;

	if ((c = pg_conn_read(pe)) == NULL) {
		*e = STORE_ERR;
		return NULL;
	}
	return pg_run(pe, c, id, p, what, e);
}

/* Fills u from row i of a result whose first columns are USER_COLS. */
static void
user_row(const PGresult *r, int i, struct arena *a, struct user *u)
{
	u->id = pg_get_i64(r, i, 0);
	u->name = pg_get_str(r, i, 1, a);
	u->role = pg_get_str(r, i, 2, a);
	u->pwhash = pg_get_str(r, i, 3, a);
	u->totp_secret = pg_get_str(r, i, 4, a);
	u->created = pg_get_i64(r, i, 5);
}

/* The one user (and csrf, when wanted) that statement id finds. */
static enum store_err
user_one(struct store *s, struct arena *a, enum pg_stmt id,
    const struct pg_params *p, const char *what, struct user **out,
    char **csrf)
{
	PGresult	*r;
	struct user	*u;
	enum store_err	 e = STORE_OK;

	if ((r = read1(s, id, p, what, &e)) == NULL)
		return e;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return STORE_NOTFOUND;
	}
	u = arena_alloc(a, sizeof(*u));
	user_row(r, 0, a, u);
	if (csrf != NULL)
		*csrf = pg_get_str(r, 0, 6, a);
	PQclear(r);
	*out = u;
	return STORE_OK;
}

enum store_err
store_pg_user_put(struct store *s, struct user *u)
{
	struct pg_params	 p;
	int64_t			 id;
	enum store_err		 e;

	pg_params_init(&p);
	if (u->id == 0)
		pg_param_str(&p, u->name);
	else
		pg_param_i64(&p, u->id);
	pg_param_str(&p, u->role);
	pg_param_str(&p, u->pwhash);
	pg_param_str(&p, u->totp_secret);
	if (u->id == 0) {
		pg_param_i64(&p, u->created);
		if ((e = write1(s, PS_USER_INSERT, &p, "user", &id)) ==
		    STORE_OK)
			u->id = id;
		return e;
	}
	return write1(s, PS_USER_UPDATE, &p, "user", &id);
}

enum store_err
store_pg_user_get(struct store *s, struct arena *a, const char *name,
    int64_t id, struct user **out)
{
	struct pg_params	 p;

	pg_params_init(&p);
	if (name != NULL) {
		pg_param_str(&p, name);
		return user_one(s, a, PS_USER_BY_NAME, &p, "user", out, NULL);
	}
	pg_param_i64(&p, id);
	return user_one(s, a, PS_USER_BY_ID, &p, "user", out, NULL);
}

enum store_err
store_pg_user_list(struct store *s, struct arena *a, struct user **out,
    size_t *np)
{
	PGresult	*r;
	struct user	*v;
	enum store_err	 e = STORE_OK;
	int		 i, n;

	if ((r = read1(s, PS_USER_LIST, NULL, "users", &e)) == NULL)
		return e;
	n = PQntuples(r);
	v = n == 0 ? NULL : arena_allocarray(a, (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++)
		user_row(r, i, a, &v[i]);
	PQclear(r);
	*out = v;
	*np = (size_t)n;
	return STORE_OK;
}

enum store_err
store_pg_user_delete(struct store *s, int64_t id)
{
	struct pg_params	 p;
	int64_t			 v;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	return write1(s, PS_USER_DELETE, &p, "user delete", &v);
}

enum store_err
store_pg_session_put(struct store *s, const char *id_hash, int64_t user_id,
    const char *csrf, int64_t expires)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_str(&p, id_hash);
	pg_param_i64(&p, user_id);
	pg_param_str(&p, csrf);
	pg_param_i64(&p, clock_now());
	pg_param_i64(&p, expires);
	return write1(s, PS_SESSION_INSERT, &p, "session", NULL);
}

enum store_err
store_pg_session_get(struct store *s, struct arena *a, const char *id_hash,
    int64_t now, struct user **out, char **csrf)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_str(&p, id_hash);
	pg_param_i64(&p, now);
	return user_one(s, a, PS_SESSION_GET, &p, "session", out, csrf);
}

enum store_err
store_pg_session_delete(struct store *s, const char *id_hash, int64_t now)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_str(&p, id_hash);
	pg_param_i64(&p, now);
	return write1(s, PS_SESSION_DELETE, &p, "session delete", NULL);
}

enum store_err
store_pg_token_put(struct store *s, int64_t user_id, const char *name,
    const char *token_hash, int64_t *id)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_i64(&p, user_id);
	pg_param_str(&p, name);
	pg_param_str(&p, token_hash);
	pg_param_i64(&p, clock_now());
	return write1(s, PS_TOKEN_INSERT, &p, "token", id);
}

enum store_err
store_pg_token_user(struct store *s, struct arena *a,
    const char *token_hash, struct user **out)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_str(&p, token_hash);
	return user_one(s, a, PS_TOKEN_USER, &p, "token", out, NULL);
}

enum store_err
store_pg_token_list(struct store *s, struct arena *a, int64_t user_id,
    struct api_token **out, size_t *np)
{
	struct pg_params	 p;
	PGresult		*r;
	struct api_token	*v;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	pg_params_init(&p);
	pg_param_i64(&p, user_id);
	if ((r = read1(s, PS_TOKEN_LIST, &p, "tokens", &e)) == NULL)
		return e;
	n = PQntuples(r);
	v = n == 0 ? NULL : arena_allocarray(a, (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].id = pg_get_i64(r, i, 0);
		v[i].user_id = pg_get_i64(r, i, 1);
		v[i].name = pg_get_str(r, i, 2, a);
		v[i].created = pg_get_i64(r, i, 3);
		v[i].last_used = pg_get_i64(r, i, 4);
	}
	PQclear(r);
	*out = v;
	*np = (size_t)n;
	return STORE_OK;
}

enum store_err
store_pg_token_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct pg_params	 p;
	int64_t			 v;

	pg_params_init(&p);
	pg_param_i64(&p, user_id);
	pg_param_i64(&p, id);
	return write1(s, PS_TOKEN_DELETE, &p, "token delete", &v);
}

enum store_err
store_pg_post_author_set(struct store *s, int64_t post_id, int64_t user_id)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_i64(&p, post_id);
	pg_param_i64(&p, user_id);
	return write1(s, PS_AUTHOR_SET, &p, "post author", NULL);
}

enum store_err
store_pg_post_author_get(struct store *s, int64_t post_id, int64_t *user_id)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	enum store_err		 e;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, post_id);
	e = pg_int(pe, c, PS_AUTHOR_GET, &p, "post author", user_id);
	/* A post without an author is not an error: *user_id stays 0. */
	return e == STORE_NOTFOUND ? STORE_OK : e;
}

enum store_err
store_pg_stats_add(struct store *s, int64_t day, enum stats_kind kind,
    const char *key, int64_t n)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_i64(&p, day);
	pg_param_str(&p, kind_names[kind]);
	pg_param_str(&p, key);
	pg_param_i64(&p, n);
	return write1(s, PS_STATS_ADD, &p, "stats", NULL);
}

/* Adds each (day, count) row of statement id into v[day - from]. */
static enum store_err
day_rows(struct store *s, enum pg_stmt id, const struct pg_params *p,
    int64_t from, size_t n, int64_t *v)
{
	PGresult	*r;
	enum store_err	 e = STORE_OK;
	int64_t		 d;
	int		 i;

	if ((r = read1(s, id, p, "stats", &e)) == NULL)
		return e;
	for (i = 0; i < PQntuples(r); i++) {
		d = pg_get_i64(r, i, 0) - from;
		if (d >= 0 && (size_t)d < n)
			v[d] += pg_get_i64(r, i, 1);
	}
	PQclear(r);
	return STORE_OK;
}

enum store_err
store_pg_stats_days(struct store *s, int64_t from, size_t n, int64_t *views,
    int64_t *comments)
{
	struct pg_params	 p;
	enum store_err		 e;

	pg_params_init(&p);
	pg_param_i64(&p, from);
	pg_param_i64(&p, from + (int64_t)n);
	if ((e = day_rows(s, PS_STATS_VIEWS, &p, from, n, views)) !=
	    STORE_OK)
		return e;
	pg_params_init(&p);
	pg_param_i64(&p, from * SECONDS_PER_DAY);
	pg_param_i64(&p, (from + (int64_t)n) * SECONDS_PER_DAY);
	return day_rows(s, PS_STATS_COMMENTS, &p, from, n, comments);
}

enum store_err
store_pg_stats_top(struct store *s, struct arena *a, enum stats_kind kind,
    int64_t from, size_t limit, struct stats_row **out, size_t *np)
{
	struct pg_params	 p;
	PGresult		*r;
	struct stats_row	*v;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	pg_params_init(&p);
	pg_param_i64(&p, from);
	if (kind != STATS_LABEL)
		pg_param_str(&p, kind_names[kind]);
	pg_param_limit(&p, limit);
	if ((r = read1(s, kind == STATS_LABEL ? PS_STATS_TOP_LABELS :
	    PS_STATS_TOP, &p, "stats", &e)) == NULL)
		return e;
	n = PQntuples(r);
	v = n == 0 ? NULL : arena_allocarray(a, (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].key = pg_get_str(r, i, 0, a);
		v[i].n = pg_get_i64(r, i, 1);
	}
	PQclear(r);
	*out = v;
	*np = (size_t)n;
	return STORE_OK;
}
