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

#include "site_int.h"

#define DESCRIPTION_MAX	200	/* bytes of the meta description */

/*
 * A comment as a template value, without its replies; b is scratch
 * space the caller reuses from one comment to the next.
 */
static struct mval *
comment_value(struct site *s, struct arena *a, const struct comment *c,
    struct buf *b)
{
	struct mval	*v;
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
	buf_reset(b);
	comment_body_html(b, c->body);
	mval_set_str(a, v, "body_html", arena_strndup(a, b->p == NULL ? "" :
	    b->p, b->len));
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
	struct buf	 b = BUF_INIT;
	size_t		*up, *depth, i, j, t, none = SIZE_MAX;
	size_t		 max = (size_t)s->conf->comments_depth;

	top = mval_list(a);
	vals = arena_allocarray(a, cl->n + 1, sizeof(*vals));
	replies = arena_allocarray(a, cl->n + 1, sizeof(*replies));
	up = arena_allocarray(a, cl->n + 1, sizeof(*up));
	depth = arena_allocarray(a, cl->n + 1, sizeof(*depth));
	for (i = 0; i < cl->n; i++) {
		vals[i] = comment_value(s, a, &cl->v[i], &b);
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
	buf_clear(&b);
	return top;
}

/*
 * Appends s as a JSON string, escaped as jansson's JSON_ESCAPE_SLASH
 * output was, and with every '<' as \u003c so that no text can close
 * the <script> block the string goes into.
 */
static void
json_str(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '/':
			buf_adds(b, "\\/");
			break;
		case '<':
			buf_adds(b, "\\u003c");
			break;
		case '\b':
			buf_adds(b, "\\b");
			break;
		case '\f':
			buf_adds(b, "\\f");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (*p < 0x20)
				buf_addf(b, "\\u%04x", *p);
			else
				buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
}

/*
 * The post as schema.org BlogPosting JSON-LD, for search engines.  It
 * goes into the page raw, inside a <script> data block.  Written by hand
 * into one buffer rather than built as a jansson tree: a page render
 * then allocates nothing for it outside its arena and this buffer.
 */
static const char *
json_ld(struct site *s, struct arena *a, const struct post *p,
    const char *canonical, const char *published, const char *updated)
{
	struct buf	 b = BUF_INIT;
	const char	*out;
	size_t		 i;

	buf_grow(&b, 1024);
	buf_adds(&b, "{\"@context\":\"https:\\/\\/schema.org\","
	    "\"@type\":\"BlogPosting\",\"headline\":");
	json_str(&b, p->title);
	buf_adds(&b, ",\"datePublished\":");
	json_str(&b, published);
	buf_adds(&b, ",\"dateModified\":");
	json_str(&b, updated);
	buf_adds(&b, ",\"inLanguage\":");
	json_str(&b, p->lang);
	buf_adds(&b, ",\"mainEntityOfPage\":");
	json_str(&b, canonical);
	buf_adds(&b, ",\"keywords\":[");
	for (i = 0; i < p->nlabels; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		json_str(&b, p->labels[i]);
	}
	buf_adds(&b, "],\"publisher\":{\"@type\":\"Organization\","
	    "\"name\":");
	json_str(&b, s->conf->site_title);
	buf_adds(&b, "}}");
	out = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return out;
}

/*
 * The text of the first paragraph of sanitized html: tags dropped, the
 * entities the sanitizer writes decoded (the template escapes again).
 * For imported posts, whose source is their html.
 */
static const char *
html_first_para(struct arena *a, const char *html)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&#34;", '"' },
	};
	struct buf	 b = BUF_INIT;
	const char	*q, *end;
	char		*out;
	size_t		 i;

	if ((end = strstr(html, "</p>")) == NULL)
		end = html + strlen(html);
	for (q = html; q < end; ) {
		if (*q == '<') {
			if ((q = memchr(q, '>', (size_t)(end - q))) == NULL)
				break;
			q++;
			continue;
		}
		if (*q == '&') {
			for (i = 0; i < nitems(ents); i++)
				if (strncmp(q, ents[i].ent,
				    strlen(ents[i].ent)) == 0)
					break;
			if (i < nitems(ents)) {
				buf_addc(&b, ents[i].c);
				q += strlen(ents[i].ent);
				continue;
			}
		}
		buf_addc(&b, *q == '\n' ? ' ' : *q);
		q++;
	}
	out = arena_strndup(a, b.p == NULL ? "" : b.p, b.len);
	buf_clear(&b);
	return out;
}

/* The first paragraph of the source, cut at a character boundary. */
static const char *
description(struct arena *a, const struct post *p)
{
	const char	*src = p->source, *end;
	size_t		 len;

	/* An imported post has no Markdown: its source is its html. */
	if (strcmp(p->source, p->html) == 0)
		src = html_first_para(a, p->html);

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
