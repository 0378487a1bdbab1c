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
 * A post's page, /YYYY/MM/SLUG.html: the article, its labels, its
 * approved comments (replies under the comment they answer, one level
 * deep) and the comment form.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "site_int.h"

#define DESCRIPTION_MAX	200	/* bytes of the meta description */

/* A comment as a template value, without its replies. */
static struct mval *
comment_value(struct site *s, struct arena *a, const struct comment *c)
{
	struct mval	*v;
	struct buf	 b = BUF_INIT;
	char		 date[128], iso[64];

	v = mval_map(a);
	mval_set_int(a, v, "id", c->id);
	mval_set_str(a, v, "name", c->name);
	mval_set_bool(a, v, "has_url", c->url[0] != '\0');
	mval_set_str(a, v, "url", c->url);
	text_date_iso(s->conf->site_timezone, c->created, iso, sizeof(iso));
	text_date_format(s->conf->site_locale, s->conf->site_timezone,
	    c->created, TEXT_DATE_LONG, date, sizeof(date));
	mval_set_str(a, v, "datetime", arena_strdup(a, iso));
	mval_set_str(a, v, "date", arena_strdup(a, date));
	comment_body_html(&b, c->body);
	mval_set_str(a, v, "body_html", arena_strndup(a, b.p == NULL ? "" :
	    b.p, b.len));
	buf_clear(&b);
	mval_set_bool(a, v, "has_replies", 0);
	return v;
}

/*
 * Builds the comment tree, oldest first at every level: each comment
 * whose parent is shown goes under it, as deep as [comments] depth
 * allows (a deeper reply goes under the deepest allowed ancestor); one
 * whose parent is not shown (held, deleted) is top level.
 */
static struct mval *
comment_tree(struct site *s, struct arena *a, const struct comment_list *cl)
{
	struct mval	*top, **vals, **replies;
	size_t		*up, *depth, i, j, t, none = SIZE_MAX;
	size_t		 max = (size_t)s->conf->comments_depth;

	top = mval_list(a);
	vals = arena_allocarray(a, cl->n + 1, sizeof(*vals));
	replies = arena_allocarray(a, cl->n + 1, sizeof(*replies));
	up = arena_allocarray(a, cl->n + 1, sizeof(*up));
	depth = arena_allocarray(a, cl->n + 1, sizeof(*depth));
	for (i = 0; i < cl->n; i++) {
		vals[i] = comment_value(s, a, &cl->v[i]);
		up[i] = none;
		depth[i] = 1;
		/* Oldest first, so a parent always comes before a reply. */
		for (j = 0; j < i && cl->v[i].parent_id != 0; j++)
			if (cl->v[j].id == cl->v[i].parent_id)
				break;
		if (cl->v[i].parent_id == 0 || j == i) {
			mval_push(a, top, vals[i]);
			continue;
		}
		for (t = j; depth[t] >= max && up[t] != none; t = up[t])
			;
		up[i] = t;
		depth[i] = depth[t] + 1;
		if (replies[t] == NULL) {
			replies[t] = mval_list(a);
			mval_set(a, vals[t], "replies", replies[t]);
			mval_set_bool(a, vals[t], "has_replies", 1);
		}
		mval_push(a, replies[t], vals[i]);
	}
	return top;
}

/*
 * The post as schema.org BlogPosting JSON-LD, for search engines.  It
 * goes into the page raw, inside a <script> data block, so every '<' is
 * written as \u003c: no text of the post can close the block.
 */
static const char *
json_ld(struct site *s, struct arena *a, const struct post *p,
    const char *canonical, const char *published, const char *updated)
{
	json_t		*o, *kw, *org;
	struct buf	 b = BUF_INIT;
	const char	*out;
	char		*js, *q;
	size_t		 i;

	o = json_object();
	json_object_set_new(o, "@context", json_string("https://schema.org"));
	json_object_set_new(o, "@type", json_string("BlogPosting"));
	json_object_set_new(o, "headline", json_string(p->title));
	json_object_set_new(o, "datePublished", json_string(published));
	json_object_set_new(o, "dateModified", json_string(updated));
	json_object_set_new(o, "inLanguage", json_string(p->lang));
	json_object_set_new(o, "mainEntityOfPage", json_string(canonical));
	kw = json_array();
	for (i = 0; i < p->nlabels; i++)
		json_array_append_new(kw, json_string(p->labels[i]));
	json_object_set_new(o, "keywords", kw);
	org = json_object();
	json_object_set_new(org, "@type", json_string("Organization"));
	json_object_set_new(org, "name", json_string(s->conf->site_title));
	json_object_set_new(o, "publisher", org);
	js = json_dumps(o, JSON_COMPACT | JSON_ESCAPE_SLASH);
	json_decref(o);
	for (q = js; q != NULL && *q != '\0'; q++) {
		if (*q == '<')
			buf_adds(&b, "\\u003c");
		else
			buf_addc(&b, *q);
	}
	free(js);
	out = arena_strndup(a, b.p == NULL ? "{}" : b.p, b.len);
	buf_clear(&b);
	return out;
}

/* The first paragraph of the source, cut at a character boundary. */
static const char *
description(struct arena *a, const struct post *p)
{
	const char	*src = p->source, *end;
	size_t		 len;

	while (*src == '\n' || *src == ' ')
		src++;
	end = strstr(src, "\n\n");
	len = end != NULL ? (size_t)(end - src) : strlen(src);
	if (len > DESCRIPTION_MAX) {
		len = DESCRIPTION_MAX;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	return arena_strndup(a, src, len);
}

/*
 * When a cached copy of p's page goes stale by itself: well before its
 * comment form token expires (a quarter of the token's life, so a
 * reader who loads the page has most of it left), and when its comments
 * close by date.
 */
static int64_t
post_expires(const struct post *p)
{
	int64_t	 now = clock_now(), t, close;

	t = now + SITE_TOKEN_MAX_AGE / 4;
	if (p->comments_days > 0 && !p->comments_closed) {
		close = p->published + (int64_t)p->comments_days * 86400;
		if (close > now && close < t)
			t = close;
	}
	return t;
}

void
page_post(struct site *s, struct http_request *req,
    struct http_response *res, const char *path)
{
	struct arena		*a = req->arena;
	struct post		*p;
	struct comment_list	 cl;
	struct mval		*ctx, *reply;
	const char		*rs;
	enum store_err		 e;
	int64_t			 reply_id = 0;
	size_t			 i;
	char			 iso[64], upd[64];

	e = store_post_get_path(s->store, a, path, &p);
	if (e == STORE_NOTFOUND || (e == STORE_OK &&
	    (p->status != POST_PUBLISHED || p->published > clock_now()))) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	if (e == STORE_OK)
		e = store_comment_list_post(s->store, a, p->id,
		    COMMENT_APPROVED, &cl);
	if (e != STORE_OK) {
		log_warnx("%s: %s", path, store_errmsg(s->store));
		site_error(s, req, res, 503, "The database is not answering; "
		    "try again in a moment.");
		return;
	}
	if ((rs = http_param(req, "reply")) != NULL &&
	    str_to_i64(rs, 1, INT64_MAX, &reply_id) == -1) {
		site_error(s, req, res, 400, "The parameter \"reply\" must be "
		    "a comment number.");
		return;
	}

	ctx = site_context(s, req, p->title);
	mval_set(a, ctx, "post", site_post_value(s, a, p));
	mval_set_str(a, ctx, "og_type", "article");
	mval_set_bool(a, ctx, "has_description", 1);
	mval_set_str(a, ctx, "description", description(a, p));
	mval_set_bool(a, ctx, "has_published", 1);
	text_date_iso(s->conf->site_timezone, p->published, iso, sizeof(iso));
	mval_set_str(a, ctx, "published", arena_strdup(a, iso));
	text_date_iso(s->conf->site_timezone, p->updated, upd, sizeof(upd));
	mval_set_bool(a, ctx, "has_json_ld", 1);
	mval_set_str(a, ctx, "json_ld", json_ld(s, a, p, arena_printf(a,
	    "%s%s", s->conf->site_url, p->path), iso, upd));
	mval_set(a, ctx, "comments", comment_tree(s, a, &cl));
	mval_set_bool(a, ctx, "has_comments", cl.n > 0);
	mval_set_str(a, ctx, "token", comment_token(s, a, p->id));
	mval_set_bool(a, ctx, "comments_open", comments_open(p));
	mval_set_bool(a, ctx, "has_comments_feed", 1);
	mval_set_str(a, ctx, "comments_feed", arena_printf(a,
	    "/feeds/%lld/comments/default", (long long)p->id));
	mval_set_bool(a, ctx, "has_reply", 0);
	for (i = 0; i < cl.n && reply_id != 0; i++)
		if (cl.v[i].id == reply_id) {
			reply = mval_map(a);
			mval_set_int(a, reply, "id", cl.v[i].id);
			mval_set_str(a, reply, "name", cl.v[i].name);
			mval_set(a, ctx, "reply", reply);
			mval_set_bool(a, ctx, "has_reply", 1);
			/* A reply form is one visitor's: keep it unindexed. */
			mval_set_bool(a, ctx, "robots_noindex", 1);
		}
	site_last_modified(req, res, p->updated);
	http_response_header(res, "Cache-Control", "no-cache");
	site_render(s, req, res, THEME_POST, ctx);
	site_cache_keep(s, req, res, post_expires(p));
	site_cache_tag(req, res, "post:%lld", (long long)p->id);
}
