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
 * /sitemap.xml: the front page and every published post and page with
 * its last change.  The sitemap protocol allows 50,000 URLs a file, so
 * a larger site gets a sitemap index instead, pointing at
 * /sitemap-1.xml, /sitemap-2.xml... of at most that many URLs each, in
 * the same order (front page, then posts newest first).  Posts are read
 * in batches, so even the index of a huge site costs little memory.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "site_int.h"

#define SITEMAP_BATCH	500	/* posts read from the store at a time */

/* W3C datetime (the RFC 3339 profile sitemaps take), in UTC. */
static void
add_lastmod(struct buf *b, int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 d[32];

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(d, sizeof(d), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_addf(b, "<lastmod>%s</lastmod>", d);
}

static void
add_url(struct buf *b, const char *tag, const char *site_url,
    const char *path, int64_t t)
{
	buf_addf(b, "<%s><loc>", tag);
	render_escape_html(b, site_url, strlen(site_url));
	render_escape_html(b, path, strlen(path));
	buf_adds(b, "</loc>");
	add_lastmod(b, t);
	buf_addf(b, "</%s>\n", tag);
}

/*
 * Posts [from, to) of the newest-first list, a batch at a time: each
 * added to out as a <url> when out is not NULL; the newest change among
 * them in *newest.  0, or -1 on a store error.
 */
static int
walk(struct store *st, int64_t now, size_t from, size_t to,
    const char *site_url, struct buf *out, int64_t *newest)
{
	struct arena		*a;
	struct post_query	 q;
	struct post_list	 pl;
	size_t			 i;
	int			 rc = -1;

	a = arena_new();
	memset(&q, 0, sizeof(q));
	q.now = now;
	q.include_pages = 1;
	q.offset = from;
	while (q.offset < to) {
		arena_reset(a);
		q.limit = to - q.offset < SITEMAP_BATCH ? to - q.offset :
		    SITEMAP_BATCH;
		if (store_post_list(st, a, &q, &pl) != STORE_OK)
			goto out;
		for (i = 0; i < pl.n; i++) {
			if (pl.v[i].updated > *newest)
				*newest = pl.v[i].updated;
			if (out != NULL)
				add_url(out, "url", site_url, pl.v[i].path,
				    pl.v[i].updated);
		}
		if (pl.n < q.limit)
			break;
		q.offset += pl.n;
	}
	rc = 0;
out:
	arena_free(a);
	return rc;
}

int
site_sitemap(struct store *st, const char *site_url, int64_t now,
    size_t per_file, int64_t n, struct buf *out, int64_t *lastmod)
{
	struct arena		*a;
	struct post_query	 q;
	struct post_list	 pl;
	int64_t			 newest = 0, t, nfiles, k;
	size_t			 nurls, from, to;
	char			 part[48];

	*lastmod = 0;
	if (per_file < 2)
		per_file = 2;
	a = arena_new();
	memset(&q, 0, sizeof(q));
	q.now = now;
	q.include_pages = 1;
	q.limit = 1;
	if (store_post_list(st, a, &q, &pl) != STORE_OK) {
		arena_free(a);
		return 503;
	}
	arena_free(a);
	/* URL 0 is the front page; URL i > 0 is post i - 1. */
	nurls = pl.total + 1;
	nfiles = (int64_t)((nurls + per_file - 1) / per_file);
	if (n == 0 && nfiles == 1) {
		buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
		    "sitemap/0.9\">\n");
		/* The front page changes with the posts it shows. */
		if (walk(st, now, 0, pl.total < SITE_PAGE_SIZE ? pl.total :
		    SITE_PAGE_SIZE, site_url, NULL, &newest) == -1)
			return 503;
		add_url(out, "url", site_url, "/", newest);
		if (walk(st, now, 0, pl.total, site_url, out, &newest) == -1)
			return 503;
		buf_adds(out, "</urlset>\n");
		*lastmod = newest;
		return 200;
	}
	if (n == 0) {
		buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
		    "sitemap/0.9\">\n");
		for (k = 1; k <= nfiles; k++) {
			t = 0;
			from = (size_t)(k - 1) * per_file;
			to = from + per_file < nurls ? from + per_file : nurls;
			if (walk(st, now, from == 0 ? 0 : from - 1, to - 1,
			    site_url, NULL, &t) == -1)
				return 503;
			snprintf(part, sizeof(part), "/sitemap-%lld.xml",
			    (long long)k);
			add_url(out, "sitemap", site_url, part, t);
			if (t > newest)
				newest = t;
		}
		buf_adds(out, "</sitemapindex>\n");
		*lastmod = newest;
		return 200;
	}
	/* A part exists only while the site needs an index. */
	if (nfiles == 1 || n < 1 || n > nfiles)
		return 404;
	from = (size_t)(n - 1) * per_file;
	to = from + per_file < nurls ? from + per_file : nurls;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
	    "\n");
	if (from == 0) {
		if (walk(st, now, 0, pl.total < SITE_PAGE_SIZE ? pl.total :
		    SITE_PAGE_SIZE, site_url, NULL, &newest) == -1)
			return 503;
		add_url(out, "url", site_url, "/", newest);
		from = 1;
	}
	t = newest;
	if (walk(st, now, from - 1, to - 1, site_url, out, &t) == -1)
		return 503;
	buf_adds(out, "</urlset>\n");
	*lastmod = t;
	return 200;
}

void
page_sitemap(struct site *s, struct http_request *req,
    struct http_response *res, const char *part)
{
	int64_t		 n = 0, lastmod;
	int		 status;

	if (part != NULL && str_to_i64(part, 1, INT64_MAX / 2, &n) == -1) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	status = site_sitemap(s->store, s->conf->site_url, clock_now(),
	    SITEMAP_MAX_URLS, n, &res->body, &lastmod);
	if (status != 200) {
		if (status == 503)
			log_warnx("%s: %s", req->path,
			    store_errmsg(s->store));
		buf_reset(&res->body);
		site_error(s, req, res, status, status == 503 ?
		    "The database is not answering; try again in a moment." :
		    NULL);
		return;
	}
	site_last_modified(req, res, lastmod);
	http_response_header(res, "Cache-Control", "no-cache");
	res->content_type = "application/xml; charset=utf-8";
	/* Every post's address and date: any post change touches it. */
	site_cache_keep(s, req, res, site_cache_lists_expire(s));
	site_cache_tag(req, res, "list");
	site_cache_tag(req, res, "nav");
	site_cache_tag(req, res, "post:*");
}
