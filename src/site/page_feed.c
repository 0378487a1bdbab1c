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
 * What machines read: the post feeds (Atom, RSS, JSON Feed, and a
 * label's Atom feed, at Blogger's addresses so old subscriptions keep
 * working) and robots.txt; sitemap.xml is sitemap.c's.
 */
#include <string.h>
#include <time.h>

#include "site_int.h"

#define FEED_DEFAULT_RESULTS	25	/* Blogger's default max-results */
#define FEED_MAX_RESULTS	500	/* Blogger's highest max-results */
#define FEED_MAX_START		1000000	/* highest start-index we page to */

static const char *const db_busy =
    "The database is not answering; try again in a moment.";

/* ?NAME= as an integer in [min, max], dflt when absent; -1 on 400. */
static int
feed_param(struct site *s, struct http_request *req,
    struct http_response *res, const char *name, int64_t min, int64_t max,
    int64_t dflt, int64_t *out)
{
	const char	*v;

	*out = dflt;
	if ((v = http_param(req, name)) == NULL)
		return 0;
	if (str_to_i64(v, min, max, out) == -1) {
		site_error(s, req, res, 400, arena_printf(req->arena,
		    "The parameter \"%s\" must be a whole number from "
		    "%lld to %lld.", name, (long long)min, (long long)max));
		return -1;
	}
	return 0;
}

void
page_feed(struct site *s, struct http_request *req,
    struct http_response *res, enum site_feed fmt, const char *label)
{
	struct arena			*a = req->arena;
	struct render_feed		 f;
	struct render_feed_entry	*v;
	struct post_query		 q;
	struct post_list		 pl;
	const char			*alt, *self;
	char				*name = NULL;
	int64_t				 max, start;
	enum store_err			 e;
	size_t				 i;

	if (fmt == SITE_FEED_ATOM && (alt = http_param(req, "alt")) != NULL) {
		if (strcmp(alt, "rss") == 0)
			fmt = SITE_FEED_RSS;
		else if (strcmp(alt, "atom") != 0) {
			site_error(s, req, res, 400, "The parameter \"alt\" "
			    "must be \"atom\" or \"rss\".");
			return;
		}
	}
	if (feed_param(s, req, res, "max-results", 1, FEED_MAX_RESULTS,
	    FEED_DEFAULT_RESULTS, &max) == -1 ||
	    feed_param(s, req, res, "start-index", 1, FEED_MAX_START, 1,
	    &start) == -1)
		return;
	if (label != NULL) {
		e = store_label_get(s->store, a, label, &name);
		if (e == STORE_NOTFOUND) {
			site_error(s, req, res, 404, NULL);
			return;
		}
		if (e != STORE_OK) {
			site_error(s, req, res, 503, db_busy);
			return;
		}
	}
	memset(&q, 0, sizeof(q));
	q.now = clock_now();
	q.label = name;
	q.offset = (size_t)(start - 1);
	q.limit = (size_t)max;
	if (store_post_list(s->store, a, &q, &pl) != STORE_OK) {
		log_warnx("%s: %s", req->path, store_errmsg(s->store));
		site_error(s, req, res, 503, db_busy);
		return;
	}

	memset(&f, 0, sizeof(f));
	/* A label feed is named by the display name, whatever was asked. */
	if (name != NULL) {
		struct buf	 b = BUF_INIT;

		buf_adds(&b, "/feeds/posts/default/-/");
		render_escape_url(&b, name, strlen(name));
		self = arena_printf(a, "%s%s", s->conf->site_url, b.p);
		buf_clear(&b);
		f.link = arena_printf(a, "%s%s", s->conf->site_url,
		    site_label_href(a, name));
		f.title = arena_printf(a, "%s: %s", s->conf->site_title,
		    name);
	} else {
		self = arena_printf(a, "%s%s", s->conf->site_url,
		    fmt == SITE_FEED_JSON ? "/feed.json" :
		    "/feeds/posts/default");
		f.link = arena_printf(a, "%s/", s->conf->site_url);
		f.title = s->conf->site_title;
	}
	/* One id for the feed in every format and at every page. */
	f.id = self;
	f.self = fmt == SITE_FEED_RSS ? arena_printf(a, "%s?alt=rss", self) :
	    self;
	f.lang = s->conf->site_locale;
	v = arena_allocarray(a, pl.n + 1, sizeof(*v));
	for (i = 0; i < pl.n; i++) {
		const struct post *p = &pl.v[i];

		v[i].id = arena_printf(a, "%s%s", s->conf->site_url, p->path);
		v[i].link = v[i].id;
		v[i].title = p->title;
		/* Posts carry no author of their own; the site speaks. */
		v[i].author = s->conf->site_title;
		v[i].content_html = p->html;
		v[i].updated = p->updated;
		v[i].published = p->published;
		v[i].labels = p->labels;
		v[i].nlabels = p->nlabels;
		if (p->updated > f.updated)
			f.updated = p->updated;
	}
	f.v = v;
	f.n = pl.n;
	if (f.updated == 0)
		f.updated = clock_now();
	else
		site_last_modified(req, res, f.updated);
	http_response_header(res, "Cache-Control", "no-cache");
	switch (fmt) {
	case SITE_FEED_ATOM:
		render_feed_atom(&res->body, &f);
		res->content_type = "application/atom+xml; charset=utf-8";
		break;
	case SITE_FEED_RSS:
		render_feed_rss(&res->body, &f);
		res->content_type = "application/rss+xml; charset=utf-8";
		break;
	case SITE_FEED_JSON:
		if (render_feed_json(&res->body, &f) == -1) {
			site_error(s, req, res, 500, NULL);
			return;
		}
		res->content_type = "application/feed+json; charset=utf-8";
		break;
	}
	site_cache_keep(s, req, res, site_cache_lists_expire(s));
	if (name != NULL)
		site_cache_label(req, res, name);
	else
		site_cache_tag(req, res, "list");
	site_cache_posts(req, res, pl.v, pl.n);
}

void
page_robots(struct site *s, struct http_request *req,
    struct http_response *res)
{
	(void)req;
	res->content_type = "text/plain; charset=utf-8";
	http_response_header(res, "Cache-Control", "public, max-age=3600");
	/* Comment posting and search results are no pages to index. */
	buf_addf(&res->body, "User-agent: *\nAllow: /\nDisallow: /comment\n"
	    "Disallow: /search\n\nSitemap: %s/sitemap.xml\n",
	    s->conf->site_url);
	site_cache_keep(s, req, res, 0);
}
