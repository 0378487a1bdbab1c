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
 * The engine-neutral half of the store: picking an engine from the db
 * URL, resetting outputs before dispatch, error and status names, and the
 * per-thread error message.  It holds no SQL and no engine state; each
 * engine (store_sqlite.c, later store_pg.c) owns its connections.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "store_int.h"

/*
 * Thread-local so that a message set by a failing call on one worker is
 * not overwritten by another worker before the first reads it.
 */
static _Thread_local char	 errmsg[512];
/* Messages set since start, on any thread: store_error_count(). */
static _Atomic uint64_t		 nerrors;

static const char *const post_status_names[] = {
	"draft",		/* POST_DRAFT */
	"published",		/* POST_PUBLISHED */
};

static const char *const comment_status_names[COMMENT_STATUS__MAX] = {
	"pending",		/* COMMENT_PENDING */
	"approved",		/* COMMENT_APPROVED */
	"spam",			/* COMMENT_SPAM */
};

void
store_errmsg_set(const char *fmt, ...)
{
	va_list	 ap;

	atomic_fetch_add_explicit(&nerrors, 1, memory_order_relaxed);
	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
}

/* Copies msg into err[errlen] when there is room for anything. */
static void
seterr(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

enum store_err
store_open(const char *url, int create, struct store **out, char *err,
    size_t errlen)
{
	const struct store_ops	*ops;
	struct store		*s;
	const char		*target;
	enum store_err		 e;

	*out = NULL;
	seterr(err, errlen, "");
	if (url == NULL || *url == '\0') {
		seterr(err, errlen, "empty store URL");
		return STORE_ERR;
	}
	if (str_has_prefix(url, "sqlite:")) {
		ops = &store_sqlite_ops;
		target = url + strlen("sqlite:");
	} else if (str_has_prefix(url, "postgres://") ||
	    str_has_prefix(url, "postgresql://")) {
		ops = &store_pg_ops;
		target = url;
	} else {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: unknown store URL "
			    "(expected sqlite:PATH or postgres://...)", url);
		return STORE_ERR;
	}

	s = xcalloc(1, sizeof(*s));
	s->ops = ops;
	if ((e = ops->open(s, target, create, err, errlen)) != STORE_OK) {
		free(s);
		return e;
	}
	*out = s;
	return STORE_OK;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	s->ops->close(s);
	free(s);
}

const char *
store_strerror(enum store_err e)
{
	switch (e) {
	case STORE_OK:
		return "success";
	case STORE_NOTFOUND:
		return "not found";
	case STORE_CONFLICT:
		return "already exists";
	case STORE_BUSY:
		return "database busy";
	case STORE_ERR:
		return "database error";
	}
	return "unknown store error";
}

const char *
store_errmsg(struct store *s)
{
	(void)s;
	return errmsg;
}

const char *
store_errmsg_get(void)
{
	return errmsg;
}

enum store_err
store_ping(struct store *s)
{
	return s->ops->ping(s);
}

enum store_err
store_data_version(struct store *s, int64_t *out)
{
	*out = 0;
	return s->ops->data_version(s, out);
}

enum store_err
store_write_begin(struct store *s)
{
	return s->ops->write_begin(s);
}

enum store_err
store_write_end(struct store *s, int commit)
{
	return s->ops->write_end(s, commit);
}

enum store_err
store_post_save(struct store *s, struct post *p, int *created)
{
	int	 dummy;

	if (created == NULL)
		created = &dummy;
	*created = 0;
	assert(p->nlabels == 0 || p->labels != NULL);
	if (p->path == NULL || *p->path == '\0') {
		store_errmsg_set("post has no path");
		return STORE_ERR;
	}
	if ((unsigned)p->status > POST_PUBLISHED) {
		store_errmsg_set("post %s: bad status %d", p->path,
		    (int)p->status);
		return STORE_ERR;
	}
	if (p->comments_days < 0) {
		store_errmsg_set("post %s: comments_days %d is negative",
		    p->path, p->comments_days);
		return STORE_ERR;
	}
	return s->ops->post_save(s, p, created);
}

enum store_err
store_post_delete(struct store *s, int64_t id)
{
	return s->ops->post_delete(s, id);
}

/* Refuses a comment the engine could only half check. */
static enum store_err
comment_check(const struct comment *c)
{
	if ((unsigned)c->status >= COMMENT_STATUS__MAX) {
		store_errmsg_set("comment: bad status %d", (int)c->status);
		return STORE_ERR;
	}
	if (c->name == NULL || c->body == NULL) {
		store_errmsg_set("comment: no name or body");
		return STORE_ERR;
	}
	/* Written this way, a NaN fails too. */
	if (!(c->spam_score >= 0.0 && c->spam_score <= 1.0)) {
		store_errmsg_set("comment: spam score %g outside 0..1",
		    c->spam_score);
		return STORE_ERR;
	}
	return STORE_OK;
}

enum store_err
store_comment_add(struct store *s, struct comment *c)
{
	enum store_err	 e;

	if ((e = comment_check(c)) != STORE_OK)
		return e;
	return s->ops->comment_add(s, c);
}

enum store_err
store_comment_put(struct store *s, struct comment *c)
{
	enum store_err	 e;

	if ((e = comment_check(c)) != STORE_OK)
		return e;
	return s->ops->comment_put(s, c);
}

enum store_err
store_comment_set_status(struct store *s, int64_t id, enum comment_status st)
{
	if ((unsigned)st >= COMMENT_STATUS__MAX) {
		store_errmsg_set("comment %lld: bad status %d", (long long)id,
		    (int)st);
		return STORE_ERR;
	}
	return s->ops->comment_set_status(s, id, st);
}

enum store_err
store_comment_delete(struct store *s, int64_t id)
{
	return s->ops->comment_delete(s, id);
}

enum store_err
store_post_get_id(struct store *s, struct arena *a, int64_t id,
    struct post **out)
{
	*out = NULL;
	return s->ops->post_get_id(s, a, id, out);
}

enum store_err
store_post_get_path(struct store *s, struct arena *a, const char *path,
    struct post **out)
{
	*out = NULL;
	return s->ops->post_get_path(s, a, path, out);
}

enum store_err
store_post_get_slug(struct store *s, struct arena *a, const char *slug,
    struct post **out)
{
	*out = NULL;
	return s->ops->post_get_slug(s, a, slug, out);
}

enum store_err
store_post_list(struct store *s, struct arena *a, const struct post_query *q,
    struct post_list *out)
{
	memset(out, 0, sizeof(*out));
	return s->ops->post_list(s, a, q, out);
}

enum store_err
store_comment_list_post(struct store *s, struct arena *a, int64_t post_id,
    enum comment_status st, struct comment_list *out)
{
	memset(out, 0, sizeof(*out));
	if ((unsigned)st > COMMENT_STATUS__MAX) {
		store_errmsg_set("bad comment status %d", (int)st);
		return STORE_ERR;
	}
	return s->ops->comment_list_post(s, a, post_id, st, out);
}

enum store_err
store_comment_list(struct store *s, struct arena *a, enum comment_status st,
    struct comment_list *out)
{
	struct comment_query	 q;

	memset(&q, 0, sizeof(q));
	q.status = st;
	return store_comment_query(s, a, &q, out);
}

enum store_err
store_comment_query(struct store *s, struct arena *a,
    const struct comment_query *q, struct comment_list *out)
{
	memset(out, 0, sizeof(*out));
	if ((unsigned)q->status > COMMENT_STATUS__MAX) {
		store_errmsg_set("bad comment status %d", (int)q->status);
		return STORE_ERR;
	}
	return s->ops->comment_query(s, a, q, out);
}

enum store_err
store_comment_get(struct store *s, struct arena *a, int64_t id,
    struct comment **out)
{
	*out = NULL;
	return s->ops->comment_get(s, a, id, out);
}

enum store_err
store_commenter_known(struct store *s, const char *name, const char *email,
    int *out)
{
	*out = 0;
	return s->ops->commenter_known(s, name, email == NULL ? "" : email,
	    out);
}

enum store_err
store_label_get(struct store *s, struct arena *a, const char *name,
    char **out)
{
	*out = NULL;
	return s->ops->label_get(s, a, name, out);
}

enum store_err
store_search(struct store *s, struct arena *a, const struct search_query *q,
    struct search_result *out)
{
	size_t	 i;

	memset(out, 0, sizeof(*out));
	assert(q->nphrases == 0 || q->phrases != NULL);
	for (i = 0; i < q->nphrases; i++)
		assert(q->phrases[i].nterms == 0 ||
		    q->phrases[i].terms != NULL);
	return s->ops->search(s, a, q, out);
}

enum store_err
store_terms_prefix(struct store *s, struct arena *a, const char *prefix,
    size_t limit, char ***terms, int64_t **ndocs, size_t *n)
{
	*terms = NULL;
	*ndocs = NULL;
	*n = 0;
	return s->ops->terms_prefix(s, a, prefix == NULL ? "" : prefix, limit,
	    terms, ndocs, n);
}

enum store_err
store_phrase_docs(struct store *s, const char *const *terms, size_t nterms,
    int64_t *ndocs, int64_t *total)
{
	*ndocs = 0;
	*total = 0;
	assert(nterms == 0 || terms != NULL);
	return s->ops->phrase_docs(s, terms, nterms, ndocs, total);
}

enum store_err
store_reindex(struct store *s, void (*progress)(void *, size_t, size_t),
    void *arg)
{
	return s->ops->reindex(s, progress, arg);
}

enum store_err
store_label_list(struct store *s, struct arena *a, struct label **out,
    size_t *n)
{
	*out = NULL;
	*n = 0;
	return s->ops->label_list(s, a, out, n);
}

enum store_err
store_label_rename(struct store *s, const char *name, const char *newname)
{
	if (name == NULL)
		return STORE_NOTFOUND;
	/* Like store_post_save, which never stores an empty label. */
	if (newname == NULL || *newname == '\0') {
		store_errmsg_set("label %s: empty new name", name);
		return STORE_ERR;
	}
	if (strlen(newname) > LIMIT_LABEL) {
		store_errmsg_set("label %s: new name longer than %d bytes",
		    name, LIMIT_LABEL);
		return STORE_ERR;
	}
	return s->ops->label_rename(s, name, newname);
}

enum store_err
store_label_merge(struct store *s, const char *from, const char *into)
{
	if (from == NULL || into == NULL)
		return STORE_NOTFOUND;
	return s->ops->label_merge(s, from, into);
}

enum store_err
store_moderation_add(struct store *s, int64_t comment_id, const char *action,
    const char *actor, const char *detail)
{
	if (action == NULL || *action == '\0') {
		store_errmsg_set("moderation log: comment %lld: no action",
		    (long long)comment_id);
		return STORE_ERR;
	}
	return s->ops->moderation_add(s, comment_id, action,
	    actor == NULL ? "" : actor, detail == NULL ? "" : detail);
}

enum store_err
store_moderation_list(struct store *s, struct arena *a, int64_t comment_id,
    size_t limit, struct moderation_log *out)
{
	memset(out, 0, sizeof(*out));
	return s->ops->moderation_list(s, a, comment_id, limit, out);
}

enum store_err
store_comment_same_body(struct store *s, const char *body, int64_t since,
    int64_t *count)
{
	*count = 0;
	if (body == NULL)
		return STORE_OK;
	return s->ops->comment_same_body(s, body, since, count);
}

enum store_err
store_spam_counts(struct store *s, struct arena *a, const char *const *terms,
    size_t n, struct text_spam_counts *out)
{
	memset(out, 0, sizeof(*out));
	assert(n == 0 || terms != NULL);
	return s->ops->spam_counts(s, a, terms, n, out);
}

int
store_spam_counter(void *arg, struct arena *a, const char *const *terms,
    size_t n, struct text_spam_counts *out)
{
	struct store	*s = arg;

	/*
	 * The scorer goes on without the counts and cannot see
	 * store_errmsg(), so this is the last place that knows why.
	 */
	if (store_spam_counts(s, a, terms, n, out) != STORE_OK) {
		log_warnx("spam filter counts: %s", store_errmsg_get());
		return -1;
	}
	return 0;
}

/* qsort order of term pointers: by the terms' bytes. */
static int
term_cmp(const void *a, const void *b)
{
	const char *const	*x = a;
	const char *const	*y = b;

	return strcmp(*x, *y);
}

enum store_err
store_spam_learn(struct store *s, const char *const *terms, size_t n,
    int is_spam, int delta)
{
	const char	**v;
	size_t		 i, k;
	enum store_err	 e;

	assert(n == 0 || terms != NULL);
	if (delta == 0)
		return STORE_OK;
	/*
	 * Counts are of messages that have a term, so a term given twice
	 * must count once; empty terms can never be looked up.
	 */
	v = xreallocarray(NULL, n == 0 ? 1 : n, sizeof(*v));
	for (i = k = 0; i < n; i++)
		if (terms[i] != NULL && terms[i][0] != '\0')
			v[k++] = terms[i];
	qsort(v, k, sizeof(*v), term_cmp);
	for (i = n = 0; i < k; i++)
		if (n == 0 || strcmp(v[n - 1], v[i]) != 0)
			v[n++] = v[i];
	e = s->ops->spam_learn(s, v, n, is_spam != 0, delta);
	free(v);
	return e;
}

enum store_err
store_redirect_put(struct store *s, const char *from, const char *to)
{
	assert(from != NULL && to != NULL);
	if (*from != '/' || *to != '/')
		return STORE_ERR;
	return s->ops->redirect_put(s, from, to);
}

enum store_err
store_redirect_get(struct store *s, struct arena *a, const char *from,
    char **to)
{
	*to = NULL;
	return s->ops->redirect_get(s, a, from, to);
}

enum store_err
store_backup(struct store *s, const char *path)
{
	assert(path != NULL);
	return s->ops->backup(s, path);
}

enum store_err
store_changes_since(struct store *s, struct arena *a, int64_t after,
    struct store_change **v, size_t *n, int64_t *last)
{
	*v = NULL;
	*n = 0;
	*last = 0;
	/*
	 * An engine without a change log: every call says "all" and moves
	 * the number on, so a cache stays correct, only less precise.
	 */
	if (s->ops->changes_since == NULL) {
		*last = after < 0 ? 1 : after + 1;
		if (after < 0)
			return STORE_OK;
		*v = arena_alloc(a, sizeof(**v));
		(*v)->seq = *last;
		(*v)->tag = arena_strdup(a, "all");
		*n = 1;
		return STORE_OK;
	}
	return s->ops->changes_since(s, a, after, v, n, last);
}

enum store_err
store_post_next_due(struct store *s, int64_t now, int64_t *when)
{
	*when = 0;
	if (s->ops->post_next_due == NULL)
		return STORE_OK;
	return s->ops->post_next_due(s, now, when);
}

uint64_t
store_error_count(void)
{
	return atomic_load_explicit(&nerrors, memory_order_relaxed);
}

const char *
comment_status_name(enum comment_status st)
{
	if ((unsigned)st >= COMMENT_STATUS__MAX)
		return "unknown";
	return comment_status_names[st];
}

int
comment_status_parse(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < nitems(comment_status_names); i++)
		if (strcmp(name, comment_status_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
post_status_name(enum post_status st)
{
	if ((unsigned)st >= nitems(post_status_names))
		return "unknown";
	return post_status_names[st];
}

int
post_status_parse(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < nitems(post_status_names); i++)
		if (strcmp(name, post_status_names[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- accounts, sessions, API tokens, authors, stats (the admin) ---- */

static const char *const role_names[] = { "owner", "editor", "author" };

/*
 * An engine that has not implemented the admin's tables yet answers
 * STORE_ERR with a message rather than crashing.
 */
#define ADMIN_OP(s, op)							\
	do {								\
		if ((s)->ops->op == NULL) {				\
			store_errmsg_set("%s: %s: not supported by this " \
			    "engine yet", (s)->ops->name, #op);		\
			return STORE_ERR;				\
		}							\
	} while (0)

/* Refuses a user the engine's CHECK would refuse less clearly. */
static enum store_err
user_check(const struct user *u)
{
	size_t	 i;

	if (u->name == NULL || *u->name == '\0' || u->pwhash == NULL ||
	    *u->pwhash == '\0') {
		store_errmsg_set("user: no name or password");
		return STORE_ERR;
	}
	for (i = 0; i < nitems(role_names); i++)
		if (u->role != NULL && strcmp(u->role, role_names[i]) == 0)
			return STORE_OK;
	store_errmsg_set("user %s: role must be owner, editor or author",
	    u->name);
	return STORE_ERR;
}

enum store_err
store_user_put(struct store *s, struct user *u)
{
	enum store_err	 e;

	if ((e = user_check(u)) != STORE_OK)
		return e;
	ADMIN_OP(s, user_put);
	return s->ops->user_put(s, u);
}

enum store_err
store_user_get(struct store *s, struct arena *a, const char *name,
    struct user **out)
{
	*out = NULL;
	ADMIN_OP(s, user_get);
	return s->ops->user_get(s, a, name, 0, out);
}

enum store_err
store_user_get_id(struct store *s, struct arena *a, int64_t id,
    struct user **out)
{
	*out = NULL;
	ADMIN_OP(s, user_get);
	return s->ops->user_get(s, a, NULL, id, out);
}

enum store_err
store_user_list(struct store *s, struct arena *a, struct user **out,
    size_t *n)
{
	*out = NULL;
	*n = 0;
	ADMIN_OP(s, user_list);
	return s->ops->user_list(s, a, out, n);
}

enum store_err
store_user_delete(struct store *s, int64_t id)
{
	ADMIN_OP(s, user_delete);
	return s->ops->user_delete(s, id);
}

enum store_err
store_session_put(struct store *s, const char *id_hash, int64_t user_id,
    const char *csrf, int64_t expires)
{
	ADMIN_OP(s, session_put);
	return s->ops->session_put(s, id_hash, user_id, csrf, expires);
}

enum store_err
store_session_get(struct store *s, struct arena *a, const char *id_hash,
    int64_t now, struct user **out, char **csrf)
{
	*out = NULL;
	*csrf = NULL;
	ADMIN_OP(s, session_get);
	return s->ops->session_get(s, a, id_hash, now, out, csrf);
}

enum store_err
store_session_delete(struct store *s, const char *id_hash, int64_t now)
{
	ADMIN_OP(s, session_delete);
	return s->ops->session_delete(s, id_hash, now);
}

enum store_err
store_token_put(struct store *s, int64_t user_id, const char *name,
    const char *token_hash, int64_t *id)
{
	*id = 0;
	ADMIN_OP(s, token_put);
	return s->ops->token_put(s, user_id, name, token_hash, id);
}

enum store_err
store_token_user(struct store *s, struct arena *a, const char *token_hash,
    struct user **out)
{
	*out = NULL;
	ADMIN_OP(s, token_user);
	return s->ops->token_user(s, a, token_hash, out);
}

enum store_err
store_token_list(struct store *s, struct arena *a, int64_t user_id,
    struct api_token **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	ADMIN_OP(s, token_list);
	return s->ops->token_list(s, a, user_id, out, n);
}

enum store_err
store_token_delete(struct store *s, int64_t user_id, int64_t id)
{
	ADMIN_OP(s, token_delete);
	return s->ops->token_delete(s, user_id, id);
}

enum store_err
store_post_author_set(struct store *s, int64_t post_id, int64_t user_id)
{
	ADMIN_OP(s, post_author_set);
	return s->ops->post_author_set(s, post_id, user_id);
}

enum store_err
store_post_author_get(struct store *s, int64_t post_id, int64_t *user_id)
{
	*user_id = 0;
	ADMIN_OP(s, post_author_get);
	return s->ops->post_author_get(s, post_id, user_id);
}

enum store_err
store_stats_add(struct store *s, int64_t day, enum stats_kind kind,
    const char *key, int64_t n)
{
	if (kind == STATS_LABEL || key == NULL) {
		store_errmsg_set("stats: only views and searches are added");
		return STORE_ERR;
	}
	ADMIN_OP(s, stats_add);
	return s->ops->stats_add(s, day, kind, key, n);
}

enum store_err
store_stats_days(struct store *s, int64_t from, size_t n, int64_t *views,
    int64_t *comments)
{
	memset(views, 0, n * sizeof(*views));
	memset(comments, 0, n * sizeof(*comments));
	ADMIN_OP(s, stats_days);
	return s->ops->stats_days(s, from, n, views, comments);
}

enum store_err
store_stats_top(struct store *s, struct arena *a, enum stats_kind kind,
    int64_t from, size_t limit, struct stats_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	ADMIN_OP(s, stats_top);
	return s->ops->stats_top(s, a, kind, from, limit, out, n);
}
