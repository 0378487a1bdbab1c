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
 * A Blogger export (the Atom form Blogger has written since 2019, with
 * blogger:type, blogger:status, blogger:filename, blogger:parent and
 * blogger:inReplyTo), the format src/import/blogger.c reads.  Each post
 * is followed by its approved comments; Blogger's export has no
 * moderation state, so held and spam comments stay out.
 *
 * Ids are Blogger's tag URIs with numbers: a post's is its store id, a
 * comment's is "9" and its store id in 18 digits, so the two never
 * meet.  Comments are plain text here and HTML there: paragraphs and
 * line breaks survive the trip through the importer.
 */
#include <stdio.h>
#include <string.h>

#include "base.h"
#include "export.h"
#include "export_int.h"
#include "render/render.h"
#include "store/store.h"

#define NS_BLOGGER	"http://schemas.google.com/blogger/2018"
#define BLOG_TAG	"tag:blogger.com,1999:blog-1"

static const char *
post_tag(struct arena *a, int64_t id)
{
	return arena_printf(a, "%s.post-%lld", BLOG_TAG, (long long)id);
}

static const char *
comment_tag(struct arena *a, int64_t id)
{
	return arena_printf(a, "%s.post-9%018lld", BLOG_TAG, (long long)id);
}

/* A plain-text comment as Blogger's HTML: <p> per paragraph, <br>. */
static const char *
comment_html(struct arena *a, const char *body)
{
	struct buf	 b = BUF_INIT;
	const char	*p, *s;
	char		*out;
	size_t		 n;

	buf_adds(&b, "<p>");
	for (p = body; *p != '\0'; p = s) {
		n = strcspn(p, "\n");
		render_escape_html(&b, p, n);
		s = p + n;
		if (*s == '\0')
			break;
		if (s[1] == '\n') {
			buf_adds(&b, "</p><p>");
			for (s++; *s == '\n'; s++)
				continue;
		} else {
			buf_adds(&b, "<br>");
			s++;
		}
	}
	buf_adds(&b, "</p>");
	out = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return out;
}

static void
date_el(struct export_xml *x, const char *name, int64_t t)
{
	char	 d[32];

	export_iso_utc(t, d, sizeof(d));
	export_xml_el(x, name, d);
}

static void
author(struct export_xml *x, const char *name, const char *uri)
{
	export_xml_start(x, "author");
	export_xml_el(x, "name", name);
	if (uri != NULL && *uri != '\0')
		export_xml_el(x, "uri", uri);
	export_xml_end(x);
}

static void
entry_post(struct export_xml *x, struct arena *a, const struct conf *conf,
    const struct post *p)
{
	size_t	 i;

	export_xml_start(x, "entry");
	export_xml_el(x, "id", post_tag(a, p->id));
	export_xml_el(x, "blogger:type", p->is_page ? "PAGE" : "POST");
	export_xml_el(x, "blogger:status", p->status == POST_DRAFT ?
	    "DRAFT" : "LIVE");
	author(x, conf->site_title, conf->site_url);
	export_xml_start(x, "title");
	export_xml_attr(x, "type", "text");
	export_xml_text(x, p->title);
	export_xml_end(x);
	export_xml_start(x, "content");
	export_xml_attr(x, "type", "html");
	export_xml_text(x, p->html);
	export_xml_end(x);
	date_el(x, "blogger:created", p->published);
	date_el(x, "published", p->published);
	date_el(x, "updated", p->updated);
	for (i = 0; i < p->nlabels; i++) {
		export_xml_start(x, "category");
		export_xml_attr(x, "term", p->labels[i]);
		export_xml_end(x);
	}
	export_xml_el(x, "blogger:filename", p->path);
	export_xml_start(x, "link");
	export_xml_attr(x, "rel", "alternate");
	export_xml_attr(x, "type", "text/html");
	export_xml_attr(x, "href", arena_printf(a, "%s%s", conf->site_url,
	    p->path));
	export_xml_end(x);
	export_xml_end(x);
}

static void
entry_comment(struct export_xml *x, struct arena *a, const struct post *p,
    const struct comment *c)
{
	export_xml_start(x, "entry");
	export_xml_el(x, "id", comment_tag(a, c->id));
	export_xml_el(x, "blogger:type", "COMMENT");
	export_xml_el(x, "blogger:status", "LIVE");
	author(x, c->name, c->url);
	export_xml_start(x, "title");
	export_xml_attr(x, "type", "text");
	export_xml_end(x);
	export_xml_start(x, "content");
	export_xml_attr(x, "type", "html");
	export_xml_text(x, comment_html(a, c->body));
	export_xml_end(x);
	date_el(x, "blogger:created", c->created);
	date_el(x, "published", c->created);
	date_el(x, "updated", c->created);
	export_xml_el(x, "blogger:parent", post_tag(a, p->id));
	if (c->parent_id != 0)
		export_xml_el(x, "blogger:inReplyTo",
		    comment_tag(a, c->parent_id));
	export_xml_end(x);
}

int
export_atom(struct store *st, const struct conf *conf, const char *path,
    export_progress_fn fn, void *arg, struct export_counts *c, char *err,
    size_t errlen)
{
	struct export_xml	 x;
	struct arena		*a;
	struct post_query	 q;
	struct post_list	 pl;
	struct comment_list	 cl;
	size_t			 i, k, done = 0;

	memset(c, 0, sizeof(*c));
	if (export_xml_open(&x, path, err, errlen) == -1)
		return -1;
	a = arena_new();
	export_xml_start(&x, "feed");
	export_xml_attr(&x, "xmlns", "http://www.w3.org/2005/Atom");
	export_xml_attr(&x, "xmlns:blogger", NS_BLOGGER);
	export_xml_el(&x, "id", BLOG_TAG ".archive");
	export_xml_el(&x, "title", conf->site_title);
	date_el(&x, "updated", clock_now());
	export_xml_start(&x, "generator");
	export_xml_attr(&x, "uri", "https://www.blogger.com");
	export_xml_text(&x, "Blogger");
	export_xml_end(&x);
	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	q.include_pages = 1;
	q.limit = EXPORT_BATCH;
	while (!x.bad) {
		arena_reset(a);
		if (store_post_list(st, a, &q, &pl) != STORE_OK) {
			x.bad = 2;
			break;
		}
		for (i = 0; i < pl.n && !x.bad; i++) {
			entry_post(&x, a, conf, &pl.v[i]);
			if (store_comment_list_post(st, a, pl.v[i].id,
			    COMMENT_APPROVED, &cl) != STORE_OK) {
				x.bad = 2;
				break;
			}
			for (k = 0; k < cl.n; k++)
				entry_comment(&x, a, &pl.v[i], &cl.v[k]);
			c->comments += cl.n;
			c->posts++;
			if (fn != NULL && (++done % 64 == 0 || done ==
			    pl.total))
				fn(arg, done, pl.total);
		}
		if (pl.n < EXPORT_BATCH)
			break;
		q.offset += pl.n;
	}
	export_xml_end(&x);	/* feed */
	arena_free(a);
	if (x.bad == 2) {
		snprintf(err, errlen, "reading the site: %s",
		    store_errmsg(st));
		export_xml_close(&x, 0, err, errlen);
		return -1;
	}
	return export_xml_close(&x, 1, err, errlen);
}
