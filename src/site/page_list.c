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
 * Lists of posts: the front page, the year and month archives and the
 * label pages, all newest first and paginated with ?page=N.
 */
#include <string.h>

#include "site_int.h"

/*
 * Renders posts matching q (offset/limit set here from ?page) under
 * heading (NULL for none), with pager links built on base_href.
 */
static void
list_page(struct site *s, struct http_request *req,
    struct http_response *res, struct post_query *q, const char *title,
    const char *heading, const char *base_href)
{
	struct arena		*a = req->arena;
	struct post_list	 pl;
	struct mval		*ctx, *posts;
	const char		*ps;
	int64_t			 page = 1, newest = 0;
	size_t			 i;
	int			 has_older;

	if ((ps = http_param(req, "page")) != NULL &&
	    str_to_i64(ps, 1, LIMIT_PAGE, &page) == -1) {
		site_error(s, req, res, 400, arena_printf(a, "The parameter "
		    "\"page\" must be a whole number from 1 to %d.",
		    LIMIT_PAGE));
		return;
	}
	q->now = clock_now();
	q->offset = (size_t)(page - 1) * SITE_PAGE_SIZE;
	q->limit = SITE_PAGE_SIZE;
	if (store_post_list(s->store, a, q, &pl) != STORE_OK) {
		log_warnx("%s: %s", req->path, store_errmsg(s->store));
		site_error(s, req, res, 503, "The database is not answering; "
		    "try again in a moment.");
		return;
	}
	if (pl.n == 0 && page > 1) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	ctx = site_context(s, req, title);
	if (page > 1)
		mval_set_str(a, ctx, "canonical", arena_printf(a,
		    "%s%s?page=%lld", s->conf->site_url, req->path,
		    (long long)page));
	/* The front page's heading is the site title, for screen readers. */
	mval_set_bool(a, ctx, "has_heading", 1);
	mval_set_bool(a, ctx, "heading_hidden", heading == NULL);
	mval_set_str(a, ctx, "heading", heading != NULL ? heading :
	    s->conf->site_title);
	posts = mval_list(a);
	for (i = 0; i < pl.n; i++) {
		mval_push(a, posts, site_post_value(s, a, &pl.v[i]));
		if (pl.v[i].updated > newest)
			newest = pl.v[i].updated;
	}
	mval_set(a, ctx, "posts", posts);
	mval_set_bool(a, ctx, "has_posts", pl.n > 0);
	has_older = q->offset + pl.n < pl.total;
	mval_set_bool(a, ctx, "has_pager", page > 1 || has_older);
	mval_set_bool(a, ctx, "has_newer", page > 1);
	mval_set_str(a, ctx, "newer", page == 2 ? base_href :
	    arena_printf(a, "%s?page=%lld", base_href, (long long)page - 1));
	mval_set_bool(a, ctx, "has_older", has_older);
	mval_set_str(a, ctx, "older", arena_printf(a, "%s?page=%lld",
	    base_href, (long long)page + 1));
	site_last_modified(req, res, newest);
	http_response_header(res, "Cache-Control", "no-cache");
	site_render(s, req, res, THEME_LIST, ctx);
	/* The caller tagged the list; a scheduled post ends it too. */
	site_cache_keep(s, req, res, site_cache_lists_expire(s));
	site_cache_posts(req, res, pl.v, pl.n);
}

void
page_front(struct site *s, struct http_request *req,
    struct http_response *res)
{
	struct post_query	 q;

	memset(&q, 0, sizeof(q));
	site_cache_tag(req, res, "list");
	list_page(s, req, res, &q, NULL, NULL, "/");
}

/*
 * A date archive: posts published from y/m/1 up to (not including)
 * ny/nm/1 in the site's zone, titled with the period in its style.
 */
static void
page_archive(struct site *s, struct http_request *req,
    struct http_response *res, int y, int m, int ny, int nm,
    enum text_date_style style)
{
	struct post_query	 q;
	char			 label[64];
	const char		*title;

	memset(&q, 0, sizeof(q));
	if (text_date_from_parts(s->conf->site_timezone, y, m, 1,
	    &q.from) == -1 || text_date_from_parts(s->conf->site_timezone,
	    ny, nm, 1, &q.to) == -1) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	text_date_format(s->conf->site_locale, s->conf->site_timezone, q.from,
	    style, label, sizeof(label));
	title = arena_printf(req->arena, "%s %s",
	    render_msg(s->conf->site_locale, "posts_from"), label);
	if (style == TEXT_DATE_YEAR)
		site_cache_tag(req, res, "archive:%04d", y);
	else
		site_cache_tag(req, res, "archive:%04d-%02d", y, m);
	list_page(s, req, res, &q, title, title, req->path);
}

void
page_year(struct site *s, struct http_request *req,
    struct http_response *res, int year)
{
	page_archive(s, req, res, year, 1, year + 1, 1, TEXT_DATE_YEAR);
}

void
page_month(struct site *s, struct http_request *req,
    struct http_response *res, int year, int month)
{
	page_archive(s, req, res, year, month, month == 12 ? year + 1 : year,
	    month == 12 ? 1 : month + 1, TEXT_DATE_MONTH_YEAR);
}

void
page_label(struct site *s, struct http_request *req,
    struct http_response *res, const char *label)
{
	struct post_query	 q;
	char			*name;
	const char		*title;
	enum store_err		 e;

	e = store_label_get(s->store, req->arena, label, &name);
	if (e == STORE_NOTFOUND) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	if (e != STORE_OK) {
		site_error(s, req, res, 503, "The database is not answering; "
		    "try again in a moment.");
		return;
	}
	/* One label, one page: other spellings move to the display name. */
	if (strcmp(name, label) != 0) {
		res->status = 301;
		http_response_header(res, "Location",
		    site_label_href(req->arena, name));
		http_response_header(res, "Cache-Control",
		    "public, max-age=3600");
		buf_adds(&res->body, "Moved to the label's page.\n");
		res->content_type = "text/plain; charset=utf-8";
		return;
	}
	memset(&q, 0, sizeof(q));
	q.label = name;
	site_cache_label(req, res, name);
	title = arena_printf(req->arena, "%s: %s",
	    render_msg(s->conf->site_locale, "posts_labeled"), name);
	list_page(s, req, res, &q, title, title,
	    site_label_href(req->arena, name));
}
