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
 * The moderation queue: comments by status with the scorer's reasons,
 * approve / spam / delete one or many at once (each decision teaches
 * the spam filter through store_comment_moderate, as the command line
 * does), and a reply as the signed-in user, approved at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site_int.h"

/* Rows on one page: with csrf and the action, within the form limit. */
#define QUEUE_PAGE	(LIMIT_FORM_FIELDS - 3)

static int
action_parse(const char *s, enum moderation_action *out)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "approve") == 0)
		*out = MODERATE_APPROVE;
	else if (strcmp(s, "spam") == 0)
		*out = MODERATE_SPAM;
	else if (strcmp(s, "delete") == 0)
		*out = MODERATE_DELETE;
	else
		return -1;
	return 0;
}

/*
 * Applies act to the comments checked in the form (fields "cID") or to
 * the one named by "one" ("approve:ID"), in one transaction.  Returns
 * how many, or -1 after answering with the reason.
 */
static int
moderate(struct admin_req *ar)
{
	struct http_request	*req = ar->req;
	struct store		*st = ar->s->store;
	struct comment		*c;
	enum moderation_action	 act;
	const char		*one, *colon;
	int64_t			*ids, id;
	enum store_err		 e = STORE_OK;
	size_t			 i, n = 0;

	ids = arena_allocarray(req->arena, req->nform + 1, sizeof(*ids));
	if ((one = http_form_field(req, "one")) != NULL) {
		if ((colon = strchr(one, ':')) == NULL ||
		    str_to_i64(colon + 1, 1, INT64_MAX, &ids[0]) == -1 ||
		    action_parse(arena_strndup(req->arena, one,
		    (size_t)(colon - one)), &act) == -1) {
			admin_fail(ar, 400, "one: expected approve:ID, spam:ID "
			    "or delete:ID.");
			return -1;
		}
		n = 1;
	} else {
		if (action_parse(http_form_field(req, "action"), &act) ==
		    -1) {
			admin_fail(ar, 400, "action: expected approve, spam "
			    "or delete.");
			return -1;
		}
		for (i = 0; i < req->nform; i++)
			if (req->form[i].name[0] == 'c' && str_to_i64(
			    req->form[i].name + 1, 1, INT64_MAX, &id) == 0)
				ids[n++] = id;
	}
	if (n == 0)
		return 0;
	if (store_write_begin(st) != STORE_OK) {
		admin_fail(ar, 503, "The database is busy: try again.");
		return -1;
	}
	for (i = 0; i < n && e == STORE_OK; i++)
		if ((e = store_comment_get(st, req->arena, ids[i], &c)) ==
		    STORE_OK)
			e = store_comment_moderate(st, req->arena, c, act,
			    admin_actor(ar));
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	if (e != STORE_OK) {
		admin_fail(ar, e == STORE_NOTFOUND ? 404 : 503,
		    e == STORE_NOTFOUND ? "A comment you chose is gone "
		    "(someone else acted on it): nothing was changed." :
		    "The database failed: nothing was changed.");
		return -1;
	}
	return (int)n;
}

/* The comment as the queue shows it. */
static struct mval *
comment_value(struct admin_req *ar, const struct comment *c)
{
	struct arena	*a = ar->req->arena;
	struct mval	*v, *reasons;
	struct buf	 b = BUF_INIT;
	char		*list, *r, *save = NULL;

	v = mval_map(a);
	mval_set_int(a, v, "id", c->id);
	mval_set_str(a, v, "name", c->name);
	mval_set_str(a, v, "url", c->url);
	mval_set_str(a, v, "status", comment_status_name(c->status));
	mval_set_str(a, v, "post_title", c->post_title != NULL ?
	    c->post_title : "");
	mval_set_str(a, v, "post_path", c->post_path != NULL ?
	    c->post_path : "");
	mval_set_str(a, v, "when", admin_date(ar, c->created));
	mval_set_str(a, v, "score", arena_printf(a, "%.2f", c->spam_score));
	mval_set_bool(a, v, "is_spammy", c->spam_score >= 0.5);
	comment_body_html(&b, c->body);
	mval_set(a, v, "body_html", mval_strn(a, arena_strndup(a,
	    b.p == NULL ? "" : b.p, b.len), b.len));
	buf_clear(&b);
	reasons = mval_list(a);
	list = arena_strdup(a, c->spam_reasons != NULL ? c->spam_reasons :
	    "");
	for (r = strtok_r(list, ";", &save); r != NULL;
	    r = strtok_r(NULL, ";", &save))
		if (*str_trim(r) != '\0')
			mval_push(a, reasons, mval_str(a, r));
	mval_set(a, v, "reasons", reasons);
	mval_set_bool(a, v, "has_reasons", reasons->n > 0);
	mval_set_bool(a, v, "is_pending", c->status == COMMENT_PENDING);
	mval_set_bool(a, v, "is_approved", c->status == COMMENT_APPROVED);
	mval_set_bool(a, v, "is_spam", c->status == COMMENT_SPAM);
	return v;
}

void
admin_comments(struct admin_req *ar)
{
	struct http_request	*req = ar->req;
	struct arena		*a = req->arena;
	struct comment_query	 q;
	struct comment_list	 cl;
	struct mval		*rows, *tabs, *tab;
	static const char *const statuses[] = { "pending", "approved",
	    "spam" };
	const char		*want, *f;
	int64_t			 before = 0;
	size_t			 i;
	int			 n, st;

	if ((want = http_param(req, "status")) == NULL)
		want = (f = http_form_field(req, "status")) != NULL ? f :
		    "pending";
	if ((st = comment_status_parse(want)) == -1) {
		admin_fail(ar, 400, "status: expected pending, approved or "
		    "spam.");
		return;
	}
	if (req->method == HTTP_POST) {
		if ((n = moderate(ar)) >= 0)
			admin_redirect(ar, arena_printf(a, "/admin/comments?"
			    "status=%s&done=%d", want, n));
		return;
	}
	if ((f = http_param(req, "before")) != NULL &&
	    str_to_i64(f, 1, INT64_MAX, &before) == -1) {
		admin_fail(ar, 400, "before: expected a comment id.");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.status = (enum comment_status)st;
	q.id_max = before > 0 ? before - 1 : 0;
	q.id_min = before > 0 ? 1 : 0;
	q.limit = QUEUE_PAGE + 1;
	if (store_comment_query(ar->s->store, a, &q, &cl) != STORE_OK) {
		admin_fail(ar, 503, store_errmsg(ar->s->store));
		return;
	}
	rows = mval_list(a);
	for (i = 0; i < cl.n && i < QUEUE_PAGE; i++)
		mval_push(a, rows, comment_value(ar, &cl.v[i]));
	tabs = mval_list(a);
	for (i = 0; i < nitems(statuses); i++) {
		tab = mval_map(a);
		mval_set_str(a, tab, "name", statuses[i]);
		mval_set_bool(a, tab, "current", (int)i == st);
		mval_push(a, tabs, tab);
	}
	mval_set(a, ar->ctx, "tabs", tabs);
	mval_set_str(a, ar->ctx, "status", want);
	mval_set(a, ar->ctx, "comments", rows);
	mval_set_bool(a, ar->ctx, "has_comments", rows->n > 0);
	mval_set_bool(a, ar->ctx, "has_more", cl.n > QUEUE_PAGE);
	if (cl.n > QUEUE_PAGE)
		mval_set_int(a, ar->ctx, "older", cl.v[QUEUE_PAGE - 1].id);
	if ((f = http_param(req, "done")) != NULL)
		mval_set_str(a, ar->ctx, "done", f);
	admin_render(ar, ADMIN_COMMENTS, "Comments");
}

void
admin_reply(struct admin_req *ar, const char *sid)
{
	struct http_request	*req = ar->req;
	struct arena		*a = req->arena;
	struct store		*st = ar->s->store;
	struct comment		*c, r;
	const char		*body;
	enum store_err		 e;
	int64_t			 id;

	if (str_to_i64(sid, 1, INT64_MAX, &id) == -1 ||
	    (e = store_comment_get(st, a, id, &c)) == STORE_NOTFOUND) {
		admin_fail(ar, 404, "There is no such comment.");
		return;
	}
	if (e != STORE_OK) {
		admin_fail(ar, 503, store_errmsg(st));
		return;
	}
	if (req->method == HTTP_POST) {
		body = http_form_field(req, "body");
		if (body == NULL || *body == '\0' ||
		    strlen(body) > LIMIT_COMMENT_BODY) {
			admin_fail(ar, 400, "body: a reply needs text (at most "
			    "8192 bytes).");
			return;
		}
		memset(&r, 0, sizeof(r));
		r.post_id = c->post_id;
		r.parent_id = c->id;
		r.name = ar->user->name;
		r.email = r.url = r.addr_hash = r.spam_reasons = "";
		r.body = arena_strdup(a, body);
		r.status = COMMENT_APPROVED;
		r.created = clock_now();
		if (store_write_begin(st) != STORE_OK) {
			admin_fail(ar, 503, "The database is busy.");
			return;
		}
		e = store_comment_add(st, &r);
		if (e == STORE_OK && c->status == COMMENT_PENDING)
			/* Answering a held comment is approving it. */
			e = store_comment_moderate(st, a, c,
			    MODERATE_APPROVE, admin_actor(ar));
		if (store_write_end(st, e == STORE_OK) != STORE_OK ||
		    e != STORE_OK) {
			admin_fail(ar, 503, "The reply could not be saved.");
			return;
		}
		admin_redirect(ar, arena_printf(a, "%s#c%lld", c->post_path,
		    (long long)r.id));
		return;
	}
	mval_set(a, ar->ctx, "comment", comment_value(ar, c));
	admin_render(ar, ADMIN_REPLY, "Reply");
}
