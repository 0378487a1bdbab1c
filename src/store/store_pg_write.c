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
 * The writes of the PostgreSQL engine: posts, comments, labels, the
 * moderation log, the spam filter and redirects, each run in a
 * savepoint of the caller's transaction and each recording the change
 * tags of what it touched (store_pg_notify.c) and keeping the search
 * index in step (store_pg_search.c).  The statements are store_pg.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base.h"
#include "store_pg_int.h"

/* Tags the lists a post at published with labels and kind shows on. */
static enum store_err
tag_post_lists(struct pg_engine *pe, struct pg_conn *c, int64_t id)
{
	struct pg_params	 p;
	PGresult		*r;
	enum store_err		 e = STORE_OK;
	int			 i;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((r = pg_run(pe, c, PS_POST_STATE, &p, "post", &e)) == NULL)
		return e;
	if (PQntuples(r) > 0) {
		e = pg_tagf(pe, "list:%lld", (long long)pg_get_i64(r, 0, 0));
		if (e == STORE_OK && pg_get_i64(r, 0, 1) != 0)
			e = pg_tag(pe, "nav");
	}
	PQclear(r);
	if (e != STORE_OK)
		return e;
	if ((r = pg_run(pe, c, PS_POST_LABEL_KEYS, &p, "post", &e)) == NULL)
		return e;
	for (i = 0; e == STORE_OK && i < PQntuples(r); i++)
		e = pg_tagf(pe, "label:%s", PQgetvalue(r, i, 0));
	PQclear(r);
	return e;
}

/* Replaces post id's labels by p's, in p's order. */
static enum store_err
labels_replace(struct pg_engine *pe, struct pg_conn *c, int64_t id,
    const struct post *post, struct arena *a)
{
	struct pg_params	 p;
	int64_t			 lid;
	size_t			 i;
	const char		*key;
	enum store_err		 e;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((e = pg_do(pe, c, PS_LABELS_DROP_OWN, &p, "post labels")) !=
	    STORE_OK ||
	    (e = pg_do(pe, c, PS_POST_LABELS_CLEAR, &p, "post labels")) !=
	    STORE_OK)
		return e;
	for (i = 0; i < post->nlabels; i++) {
		if (post->labels[i] == NULL || post->labels[i][0] == '\0')
			continue;
		key = pg_label_key(a, post->labels[i]);
		pg_params_init(&p);
		pg_param_str(&p, key);
		e = pg_int(pe, c, PS_LABEL_ID, &p, "label", &lid);
		if (e == STORE_NOTFOUND) {
			pg_params_init(&p);
			pg_param_str(&p, post->labels[i]);
			pg_param_str(&p, key);
			e = pg_int(pe, c, PS_LABEL_INSERT, &p, "label", &lid);
		}
		if (e != STORE_OK)
			return e;
		pg_params_init(&p);
		pg_param_i64(&p, id);
		pg_param_i64(&p, lid);
		pg_param_i64(&p, (int64_t)i);
		if ((e = pg_do(pe, c, PS_POST_LABEL_ADD, &p, "post label")) !=
		    STORE_OK)
			return e;
	}
	return STORE_OK;
}

static void
param_post(struct pg_params *p, const struct post *post)
{
	pg_params_init(p);
	pg_param_str(p, post->path);
	pg_param_str(p, post->slug);
	pg_param_str(p, post->title);
	pg_param_str(p, post->source);
	pg_param_str(p, post->html);
	pg_param_str(p, post->lang);
	pg_param_str(p, post_status_name(post->status));
	pg_param_i64(p, post->is_page != 0);
	pg_param_i64(p, post->published);
	pg_param_i64(p, post->updated);
	pg_param_i64(p, post->comments_closed != 0);
	pg_param_i64(p, post->comments_days);
}

static enum store_err
post_save_do(struct store *s, struct post *post, int *created)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	struct arena		*a;
	int64_t			 id, pathid, v;
	enum store_err		 e;
	int			 isnew = 0;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_str(&p, post->path);
	e = pg_int(pe, c, PS_POST_ID_BY_PATH, &p, "post save", &pathid);
	if (e != STORE_OK && e != STORE_NOTFOUND)
		return e;
	if (post->id != 0) {
		pg_params_init(&p);
		pg_param_i64(&p, post->id);
		e = pg_int(pe, c, PS_POST_STATE, &p, "post save", &v);
		if (e == STORE_NOTFOUND)
			store_errmsg_set("post %lld: no such post",
			    (long long)post->id);
		if (e != STORE_OK)
			return e;
		if (pathid != 0 && pathid != post->id) {
			store_errmsg_set("%s: path taken by post %lld",
			    post->path, (long long)pathid);
			return STORE_CONFLICT;
		}
		id = post->id;
	} else
		id = pathid;

	/* What it was on: its old date, labels and kind. */
	if (id != 0 && (e = tag_post_lists(pe, c, id)) != STORE_OK)
		return e;
	param_post(&p, post);
	if (id != 0) {
		pg_param_i64(&p, id);
		if ((e = pg_do(pe, c, PS_POST_UPDATE, &p, post->path)) !=
		    STORE_OK)
			return e;
	} else {
		if ((e = pg_int(pe, c, PS_POST_INSERT, &p, post->path,
		    &id)) != STORE_OK)
			return e;
		isnew = 1;
	}
	a = arena_new();
	e = labels_replace(pe, c, id, post, a);
	arena_free(a);
	if (e != STORE_OK)
		return e;
	if ((e = pg_tagf(pe, "post:%lld", (long long)id)) != STORE_OK ||
	    (e = tag_post_lists(pe, c, id)) != STORE_OK)
		return e;
	if ((e = pg_index_put(pe, c, id)) != STORE_OK)
		return e;
	post->id = id;
	*created = isnew;
	return STORE_OK;
}

static enum store_err
post_delete_do(struct store *s, int64_t id)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	int64_t			 v;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((e = pg_int(pe, c, PS_POST_STATE, &p, "post delete", &v)) ==
	    STORE_NOTFOUND) {
		store_errmsg_set("post %lld: no such post", (long long)id);
		return e;
	}
	if (e != STORE_OK ||
	    (e = tag_post_lists(pe, c, id)) != STORE_OK ||
	    (e = pg_tagf(pe, "post:%lld", (long long)id)) != STORE_OK)
		return e;
	/* Terms counts first: afterwards the index row is gone. */
	if ((e = pg_index_del(pe, c, id)) != STORE_OK ||
	    (e = pg_do(pe, c, PS_LABELS_DROP_OWN, &p, "post delete")) !=
	    STORE_OK)
		return e;
	return pg_do(pe, c, PS_POST_DELETE, &p, "post delete");
}

/* Comment id's post, approval and parent; NOTFOUND with a message. */
static enum store_err
comment_state(struct pg_engine *pe, struct pg_conn *c, int64_t id,
    int64_t *post, int *approved, int64_t *parent)
{
	struct pg_params	 p;
	PGresult		*r;
	enum store_err		 e = STORE_OK;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((r = pg_run(pe, c, PS_COMMENT_STATE, &p, "comment", &e)) == NULL)
		return e;
	if (PQntuples(r) == 0) {
		store_errmsg_set("comment %lld: no such comment",
		    (long long)id);
		e = STORE_NOTFOUND;
	} else {
		*post = pg_get_i64(r, 0, 0);
		*approved = pg_get_i64(r, 0, 1) != 0;
		*parent = pg_get_i64(r, 0, 2);
	}
	PQclear(r);
	return e;
}

static enum store_err
comment_parent_check(struct pg_engine *pe, struct pg_conn *c,
    const struct comment *m)
{
	int64_t		 post, parent;
	enum store_err	 e;
	int		 approved;

	if (m->parent_id == 0)
		return STORE_OK;
	e = comment_state(pe, c, m->parent_id, &post, &approved, &parent);
	if (e == STORE_OK && post != m->post_id)
		e = STORE_NOTFOUND;
	if (e == STORE_NOTFOUND)
		store_errmsg_set("comment %lld: no such comment on post %lld",
		    (long long)m->parent_id, (long long)m->post_id);
	return e;
}

static enum store_err
comment_insert(struct pg_engine *pe, struct pg_conn *c, struct comment *m)
{
	struct pg_params	 p;
	struct arena		*a;
	enum store_err		 e;

	a = arena_new();
	pg_params_init(&p);
	pg_param_i64(&p, m->post_id);
	if (m->parent_id == 0)
		pg_param_null(&p);
	else
		pg_param_i64(&p, m->parent_id);
	pg_param_str(&p, m->name);
	pg_param_str(&p, m->email);
	pg_param_str(&p, m->url);
	pg_param_str(&p, m->body);
	pg_param_str(&p, comment_status_name(m->status));
	pg_param_i64(&p, m->created);
	pg_param_str(&p, m->addr_hash);
	pg_param_f64(&p, m->spam_score);
	pg_param_str(&p, m->spam_reasons);
	pg_param_i64(&p, pg_body_hash(m->body, strlen(m->body)));
	pg_param_str(&p, pg_label_key(a, m->name));
	e = pg_int(pe, c, PS_COMMENT_INSERT, &p, "comment add", &m->id);
	arena_free(a);
	if (e == STORE_NOTFOUND)
		store_errmsg_set("comment add: post %lld: no such post",
		    (long long)m->post_id);
	if (e != STORE_OK)
		return e;
	if ((e = pg_tagf(pe, "post:%lld", (long long)m->post_id)) !=
	    STORE_OK)
		return e;
	if (m->status == COMMENT_APPROVED)
		return pg_index_put(pe, c, m->post_id);
	return STORE_OK;
}

static enum store_err
comment_add_do(struct store *s, struct comment *m)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if ((e = comment_parent_check(pe, c, m)) != STORE_OK)
		return e;
	return comment_insert(pe, c, m);
}

static enum store_err
comment_put_do(struct store *s, struct comment *m)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	int64_t			 id;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, m->post_id);
	pg_param_i64(&p, m->created);
	pg_param_str(&p, m->name);
	pg_param_str(&p, m->body);
	e = pg_int(pe, c, PS_COMMENT_FIND, &p, "comment put", &id);
	if (e == STORE_OK) {
		m->id = id;
		return STORE_OK;
	}
	if (e != STORE_NOTFOUND)
		return e;
	if ((e = comment_parent_check(pe, c, m)) != STORE_OK)
		return e;
	return comment_insert(pe, c, m);
}

static enum store_err
comment_set_status_do(struct store *s, int64_t id,
    enum comment_status cs)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	int64_t			 post, parent;
	enum store_err		 e;
	int			 was;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if ((e = comment_state(pe, c, id, &post, &was, &parent)) != STORE_OK)
		return e;
	pg_params_init(&p);
	pg_param_i64(&p, id);
	pg_param_str(&p, comment_status_name(cs));
	if ((e = pg_do(pe, c, PS_COMMENT_SET_STATUS, &p, "comment status")) !=
	    STORE_OK ||
	    (e = pg_tagf(pe, "post:%lld", (long long)post)) != STORE_OK)
		return e;
	if (was != (cs == COMMENT_APPROVED))
		return pg_index_put(pe, c, post);
	return STORE_OK;
}

static enum store_err
comment_delete_do(struct store *s, int64_t id)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	int64_t			 post, parent;
	enum store_err		 e;
	int			 was;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if ((e = comment_state(pe, c, id, &post, &was, &parent)) != STORE_OK)
		return e;
	pg_params_init(&p);
	pg_param_i64(&p, id);
	if (parent == 0)
		pg_param_null(&p);
	else
		pg_param_i64(&p, parent);
	if ((e = pg_do(pe, c, PS_COMMENT_REPARENT, &p, "comment delete")) !=
	    STORE_OK)
		return e;
	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((e = pg_do(pe, c, PS_COMMENT_DELETE, &p, "comment delete")) !=
	    STORE_OK ||
	    (e = pg_tagf(pe, "post:%lld", (long long)post)) != STORE_OK)
		return e;
	return was ? pg_index_put(pe, c, post) : STORE_OK;
}

/* ---- labels ---- */

static enum store_err
label_find(struct pg_engine *pe, struct pg_conn *c, const char *name,
    int64_t *id)
{
	struct pg_params	 p;
	struct arena		*a;
	enum store_err		 e;

	a = arena_new();
	pg_params_init(&p);
	pg_param_str(&p, pg_label_key(a, name));
	e = pg_int(pe, c, PS_LABEL_ID, &p, "label", id);
	arena_free(a);
	if (e == STORE_NOTFOUND)
		store_errmsg_set("label %s: no such label", name);
	return e;
}

static enum store_err
run_ids(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id, int64_t x,
    int64_t y, int two)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_i64(&p, x);
	if (two)
		pg_param_i64(&p, y);
	return pg_do(pe, c, id, &p, "label merge");
}

static enum store_err
label_merge_ids(struct pg_engine *pe, struct pg_conn *c, int64_t from,
    int64_t into)
{
	enum store_err	 e;

	if ((e = run_ids(pe, c, PS_LABEL_MERGE_POS, from, into, 1)) !=
	    STORE_OK ||
	    (e = run_ids(pe, c, PS_LABEL_MERGE_DUP, from, into, 1)) !=
	    STORE_OK ||
	    (e = run_ids(pe, c, PS_LABEL_MERGE_MOVE, from, into, 1)) !=
	    STORE_OK)
		return e;
	return run_ids(pe, c, PS_LABEL_DELETE, from, 0, 0);
}

/* Rewrites the index rows of label lid's posts. */
static enum store_err
label_reindex(struct pg_engine *pe, struct pg_conn *c, int64_t lid)
{
	struct pg_params	 p;
	PGresult		*r;
	int64_t			*v;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	pg_params_init(&p);
	pg_param_i64(&p, lid);
	if ((r = pg_run(pe, c, PS_LABEL_POSTS, &p, "label", &e)) == NULL)
		return e;
	n = PQntuples(r);
	v = xreallocarray(NULL, n == 0 ? 1 : (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = pg_get_i64(r, i, 0);
	PQclear(r);
	for (i = 0; e == STORE_OK && i < n; i++)
		e = pg_index_put(pe, c, v[i]);
	free(v);
	return e;
}

static enum store_err
label_rename_do(struct store *s, const char *name, const char *newname)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	struct arena		*a;
	int64_t			 from, to;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if ((e = label_find(pe, c, name, &from)) != STORE_OK)
		return e;
	if ((e = label_find(pe, c, newname, &to)) == STORE_NOTFOUND)
		to = from;
	else if (e != STORE_OK)
		return e;
	if (to != from && (e = label_merge_ids(pe, c, from, to)) != STORE_OK)
		return e;
	a = arena_new();
	pg_params_init(&p);
	pg_param_i64(&p, to);
	pg_param_str(&p, newname);
	pg_param_str(&p, pg_label_key(a, newname));
	e = pg_do(pe, c, PS_LABEL_RENAME, &p, "label rename");
	arena_free(a);
	if (e != STORE_OK || (e = pg_tag(pe, "all")) != STORE_OK)
		return e;
	return label_reindex(pe, c, to);
}

static enum store_err
label_merge_do(struct store *s, const char *from, const char *into)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	int64_t			 fid, iid;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if ((e = label_find(pe, c, from, &fid)) != STORE_OK ||
	    (e = label_find(pe, c, into, &iid)) != STORE_OK)
		return e;
	if (fid == iid)
		return STORE_OK;
	if ((e = label_merge_ids(pe, c, fid, iid)) != STORE_OK ||
	    (e = pg_tag(pe, "all")) != STORE_OK)
		return e;
	/* from's posts now carry into; rewriting into's covers them. */
	return label_reindex(pe, c, iid);
}

/* ---- moderation, spam filter, redirects ---- */

static enum store_err
moderation_add_do(struct store *s, int64_t comment_id,
    const char *action, const char *actor, const char *detail)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, comment_id);
	pg_param_str(&p, action);
	pg_param_str(&p, actor);
	pg_param_i64(&p, clock_now());
	pg_param_str(&p, detail);
	return pg_do(pe, c, PS_MOD_ADD, &p, "moderation log");
}

static enum store_err
spam_learn_do(struct store *s, const char *const *terms, size_t n,
    int is_spam, int delta)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	int64_t			 dham, dspam;
	size_t			 i;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	dham = is_spam ? 0 : delta;
	dspam = is_spam ? delta : 0;
	for (i = 0; i < n; i++) {
		pg_params_init(&p);
		pg_param_str(&p, terms[i]);
		pg_param_i64(&p, dham);
		pg_param_i64(&p, dspam);
		if ((e = pg_do(pe, c, delta > 0 ? PS_SPAM_TERM_ADD :
		    PS_SPAM_TERM_SUB, &p, "spam learn")) != STORE_OK)
			return e;
		if (delta > 0)
			continue;
		pg_params_init(&p);
		pg_param_str(&p, terms[i]);
		if ((e = pg_do(pe, c, PS_SPAM_TERM_PRUNE, &p, "spam learn")) !=
		    STORE_OK)
			return e;
	}
	pg_params_init(&p);
	pg_param_i64(&p, dham);
	pg_param_i64(&p, dspam);
	return pg_do(pe, c, PS_SPAM_TOTALS_ADD, &p, "spam learn");
}

static enum store_err
redirect_put_do(struct store *s, const char *from, const char *to)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_str(&p, from);
	pg_param_str(&p, to);
	if ((e = pg_do(pe, c, PS_REDIRECT_PUT, &p, "redirect")) != STORE_OK)
		return e;
	return pg_tag(pe, "redirect");
}

/* ---- every write in a savepoint ---- */

/*
 * A failed statement aborts the whole of a PostgreSQL transaction, but
 * the store's contract (and the SQLite engine) keeps a transaction
 * usable after a write that failed.  So every write runs in a
 * savepoint, released when it worked and rolled back to when it did
 * not, taking its change tags with it.
 */
/* What a write may have to take back. */
struct op_mark {
	size_t		 ntags, ntlog;
	int64_t		 drows, dtokens;
};

/* How many term changes may wait for the commit. */
#define TLOG_FLUSH	200000

static enum store_err
op_begin(struct pg_engine *pe, struct op_mark *m)
{
	PGresult	*r;
	enum store_err	 e = STORE_OK;

	if (pg_conn_write(pe) == NULL)
		return STORE_ERR;
	/* A long import: apply what waits, outside any savepoint. */
	if (pe->ntlog > TLOG_FLUSH && (e = pg_terms_flush(pe)) != STORE_OK)
		return e;
	m->ntags = pe->ntags;
	m->ntlog = pe->ntlog;
	m->drows = pe->drows;
	m->dtokens = pe->dtokens;
	r = PQexec(pe->w.db, "SAVEPOINT gazette_op");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		e = pg_res_err(pe->w.db, r, "savepoint");
	PQclear(r);
	return e;
}

static enum store_err
op_end(struct pg_engine *pe, const struct op_mark *m, enum store_err e)
{
	PGresult	*r;

	r = PQexec(pe->w.db, e == STORE_OK ? "RELEASE SAVEPOINT gazette_op" :
	    "ROLLBACK TO SAVEPOINT gazette_op; RELEASE SAVEPOINT gazette_op");
	if (PQresultStatus(r) != PGRES_COMMAND_OK && e == STORE_OK)
		e = pg_res_err(pe->w.db, r, "savepoint");
	PQclear(r);
	if (e == STORE_OK)
		return e;
	while (pe->ntags > m->ntags)
		free(pe->tags[--pe->ntags]);
	pg_terms_truncate(pe, m->ntlog);
	pe->drows = m->drows;
	pe->dtokens = m->dtokens;
	return e;
}

enum store_err
pg_savepoint(struct store *s, enum store_err (*fn)(struct store *, void *),
    void *arg)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, fn(s, arg));
}

enum store_err
store_pg_post_save_op(struct store *s, struct post *post, int *created)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, post_save_do(s, post, created));
}

enum store_err
store_pg_post_delete_op(struct store *s, int64_t id)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, post_delete_do(s, id));
}

enum store_err
store_pg_comment_add_op(struct store *s, struct comment *m)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, comment_add_do(s, m));
}

enum store_err
store_pg_comment_put_op(struct store *s, struct comment *m)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, comment_put_do(s, m));
}

enum store_err
store_pg_comment_set_status_op(struct store *s, int64_t id,
    enum comment_status cs)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, comment_set_status_do(s, id, cs));
}

enum store_err
store_pg_comment_delete_op(struct store *s, int64_t id)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, comment_delete_do(s, id));
}

enum store_err
store_pg_label_rename_op(struct store *s, const char *name,
    const char *newname)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, label_rename_do(s, name, newname));
}

enum store_err
store_pg_label_merge_op(struct store *s, const char *from, const char *into)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, label_merge_do(s, from, into));
}

enum store_err
store_pg_moderation_add_op(struct store *s, int64_t comment_id,
    const char *action, const char *actor, const char *detail)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, moderation_add_do(s, comment_id,
	    action, actor, detail));
}

enum store_err
store_pg_spam_learn_op(struct store *s, const char *const *terms, size_t n,
    int is_spam, int delta)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, spam_learn_do(s, terms, n, is_spam,
	    delta));
}

enum store_err
store_pg_redirect_put_op(struct store *s, const char *from, const char *to)
{
	struct op_mark	 mk;
	enum store_err	 e;

	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, redirect_put_do(s, from, to));
}

enum store_err
store_pg_reindex_op(struct store *s, void (*progress)(void *, size_t, size_t),
    void *arg)
{
	struct op_mark	 mk;
	enum store_err	 e;

	/* The rebuild recounts the terms: apply what waits first. */
	if (pg_conn_write(s->engine) == NULL ||
	    (e = pg_terms_flush(s->engine)) != STORE_OK)
		return STORE_ERR;
	if ((e = op_begin(s->engine, &mk)) != STORE_OK)
		return e;
	return op_end(s->engine, &mk, store_pg_reindex(s, progress, arg));
}

