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
 * The admin's overview pages: the dashboard, the stats page (a chart of
 * page views and comments per day for 90 days drawn here as SVG, top
 * posts, labels and searches) and the personal API tokens.
 */
#include <stdio.h>
#include <string.h>

#include "site_int.h"

#define STATS_DAYS	90	/* days the chart covers */
#define STATS_TOP	10	/* rows in each top list */
#define SECONDS_PER_DAY	86400
#define CHART_W		720	/* SVG user units */
#define CHART_H		220
#define CHART_PAD	40	/* room for the axis labels */
#define TOKEN_NAME_MAX	80	/* bytes of a token's name */

/* The dashboard: what waits, and the newest posts. */
void
admin_dashboard(struct admin_req *ar)
{
	struct arena		*a = ar->req->arena;
	struct post_query	 q;
	struct post_list	 pl;
	struct comment_query	 cq;
	struct comment_list	 cl;
	struct mval		*rows, *row;
	int64_t			 now = clock_now(), drafts = 0, scheduled = 0,
				 published = 0;
	size_t			 i;

	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	q.now = now;
	q.limit = 1000;
	memset(&cq, 0, sizeof(cq));
	cq.status = COMMENT_PENDING;
	cq.limit = 100;
	if (store_post_list(ar->s->store, a, &q, &pl) != STORE_OK ||
	    store_comment_query(ar->s->store, a, &cq, &cl) != STORE_OK) {
		admin_fail(ar, 503, store_errmsg(ar->s->store));
		return;
	}
	rows = mval_list(a);
	for (i = 0; i < pl.n; i++) {
		if (pl.v[i].status == POST_DRAFT)
			drafts++;
		else if (pl.v[i].published > now)
			scheduled++;
		else
			published++;
		if (i < 5) {
			row = site_post_value(ar->s, a, &pl.v[i]);
			mval_set_str(a, row, "when", admin_date(ar,
			    pl.v[i].published));
			mval_set_str(a, row, "status", pl.v[i].status ==
			    POST_DRAFT ? "draft" : pl.v[i].published > now ?
			    "scheduled" : "published");
			mval_push(a, rows, row);
		}
	}
	mval_set_int(a, ar->ctx, "drafts", drafts);
	mval_set_int(a, ar->ctx, "scheduled", scheduled);
	mval_set_int(a, ar->ctx, "published", published);
	mval_set_int(a, ar->ctx, "pending", (int64_t)cl.n);
	mval_set(a, ar->ctx, "recent", rows);
	mval_set_bool(a, ar->ctx, "has_recent", rows->n > 0);
	admin_render(ar, ADMIN_DASHBOARD, "Dashboard");
}

/* "Nov 29" for a UTC day number. */
static const char *
day_label(struct arena *a, int64_t day)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int	 y, m, d;

	if (text_date_parts("UTC", day * SECONDS_PER_DAY, &y, &m, &d) == -1)
		return "";
	return arena_printf(a, "%s %d", mon[m - 1], d);
}

/*
 * The chart: views as a line over an area, comments as bars, on one
 * scale, with the first and last day and the top of the scale marked.
 * Only numbers and our own text go in, escaped all the same.
 */
static const char *
chart(struct arena *a, int64_t from, const int64_t *views,
    const int64_t *comments, size_t n)
{
	struct buf	 b = BUF_INIT;
	const char	*first, *last, *svg;
	double		 w, h, x, y, bw;
	int64_t		 max = 1, vt = 0, ct = 0;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (views[i] > max)
			max = views[i];
		if (comments[i] > max)
			max = comments[i];
		vt += views[i];
		ct += comments[i];
	}
	w = CHART_W - 2 * CHART_PAD;
	h = CHART_H - 2 * CHART_PAD;
	bw = w / (double)n;
	first = day_label(a, from);
	last = day_label(a, from + (int64_t)n - 1);
	buf_addf(&b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">"
	    "<title id=\"chart-title\">Page views and comments per day</title>"
	    "<desc id=\"chart-desc\">From %s to %s: %lld page views and "
	    "%lld comments in all; the busiest day had %lld.</desc>",
	    CHART_W, CHART_H, first, last, (long long)vt, (long long)ct,
	    (long long)max);
	buf_addf(&b, "<g class=\"grid\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
	    CHART_PAD, CHART_PAD, CHART_W - CHART_PAD, CHART_PAD, CHART_PAD,
	    CHART_H - CHART_PAD, CHART_W - CHART_PAD, CHART_H - CHART_PAD);
	buf_adds(&b, "<g class=\"comments\">");
	for (i = 0; i < n; i++) {
		if (comments[i] == 0)
			continue;
		y = h * (double)comments[i] / (double)max;
		buf_addf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\"/>", CHART_PAD + bw * (double)i + bw * 0.2,
		    CHART_H - CHART_PAD - y, bw * 0.6, y);
	}
	buf_adds(&b, "</g><path class=\"views-area\" d=\"");
	for (i = 0; i < n; i++) {
		x = CHART_PAD + bw * ((double)i + 0.5);
		y = CHART_H - CHART_PAD - h * (double)views[i] / (double)max;
		buf_addf(&b, "%s%.1f %.1f ", i == 0 ? "M" : "L", x, y);
	}
	buf_addf(&b, "L%.1f %d L%.1f %d Z\"/><path class=\"views\" d=\"",
	    CHART_PAD + bw * ((double)n - 0.5), CHART_H - CHART_PAD,
	    CHART_PAD + bw * 0.5, CHART_H - CHART_PAD);
	for (i = 0; i < n; i++) {
		x = CHART_PAD + bw * ((double)i + 0.5);
		y = CHART_H - CHART_PAD - h * (double)views[i] / (double)max;
		buf_addf(&b, "%s%.1f %.1f ", i == 0 ? "M" : "L", x, y);
	}
	buf_adds(&b, "\"/>");
	buf_addf(&b, "<g class=\"axis\"><text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%lld</text><text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">0</text><text x=\"%d\" y=\"%d\">",
	    CHART_PAD - 6, CHART_PAD + 5, (long long)max, CHART_PAD - 6,
	    CHART_H - CHART_PAD + 5, CHART_PAD, CHART_H - 6);
	render_escape_html(&b, first, strlen(first));
	buf_addf(&b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
	    CHART_W - CHART_PAD, CHART_H - 4);
	render_escape_html(&b, last, strlen(last));
	buf_adds(&b, "</text></g></svg>");
	svg = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return svg;
}

/*
 * A top list as template rows: key (a path shows as its post's title),
 * n, and a bar width in percent of the first.
 */
static struct mval *
top_rows(struct admin_req *ar, const struct stats_row *v, size_t n,
    int is_path)
{
	struct arena	*a = ar->req->arena;
	struct mval	*rows, *row;
	struct post	*p;
	size_t		 i;

	rows = mval_list(a);
	for (i = 0; i < n; i++) {
		row = mval_map(a);
		mval_set_str(a, row, "key", v[i].key);
		mval_set_str(a, row, "name", is_path && store_post_get_path(
		    ar->s->store, a, v[i].key, &p) == STORE_OK ? p->title :
		    v[i].key);
		mval_set_int(a, row, "n", v[i].n);
		mval_set_int(a, row, "pct", v[0].n > 0 ? v[i].n * 100 /
		    v[0].n : 0);
		mval_set_bool(a, row, "is_path", is_path);
		mval_push(a, rows, row);
	}
	return rows;
}

void
admin_stats(struct admin_req *ar)
{
	struct arena		*a = ar->req->arena;
	struct store		*st = ar->s->store;
	struct stats_row	*posts, *labels, *searches;
	int64_t			 views[STATS_DAYS], comments[STATS_DAYS];
	int64_t			 from, vt = 0, ct = 0;
	size_t			 i, np, nl, ns;

	site_stats_flush(ar->s);
	from = clock_now() / SECONDS_PER_DAY - (STATS_DAYS - 1);
	if (store_stats_days(st, from, STATS_DAYS, views, comments) !=
	    STORE_OK || store_stats_top(st, a, STATS_VIEW, from, STATS_TOP,
	    &posts, &np) != STORE_OK || store_stats_top(st, a, STATS_LABEL,
	    from, STATS_TOP, &labels, &nl) != STORE_OK ||
	    store_stats_top(st, a, STATS_SEARCH, from, STATS_TOP, &searches,
	    &ns) != STORE_OK) {
		admin_fail(ar, 503, store_errmsg(st));
		return;
	}
	for (i = 0; i < STATS_DAYS; i++) {
		vt += views[i];
		ct += comments[i];
	}
	mval_set(a, ar->ctx, "chart", mval_str(a, chart(a, from, views,
	    comments, STATS_DAYS)));
	mval_set_int(a, ar->ctx, "total_views", vt);
	mval_set_int(a, ar->ctx, "total_comments", ct);
	mval_set_int(a, ar->ctx, "today_views", views[STATS_DAYS - 1]);
	mval_set(a, ar->ctx, "top_posts", top_rows(ar, posts, np, 1));
	mval_set(a, ar->ctx, "top_labels", top_rows(ar, labels, nl, 0));
	mval_set(a, ar->ctx, "top_searches", top_rows(ar, searches, ns, 0));
	mval_set_bool(a, ar->ctx, "has_posts", np > 0);
	mval_set_bool(a, ar->ctx, "has_labels", nl > 0);
	mval_set_bool(a, ar->ctx, "has_searches", ns > 0);
	admin_render(ar, ADMIN_STATS, "Stats");
}

/* Creates a token for the user; the secret is shown this once. */
static const char *
token_create(struct admin_req *ar, const char *name)
{
	char		*tok, hash[SITE_HASH_HEX];
	int64_t		 id;
	enum store_err	 e;

	tok = arena_printf(ar->req->arena, "gz_%s",
	    site_random_hex(ar->req->arena, 32));
	site_hash_hex(tok, hash);
	if (store_write_begin(ar->s->store) != STORE_OK)
		return NULL;
	e = store_token_put(ar->s->store, ar->user->id, name, hash, &id);
	if (store_write_end(ar->s->store, e == STORE_OK) != STORE_OK ||
	    e != STORE_OK)
		return NULL;
	return tok;
}

void
admin_tokens(struct admin_req *ar)
{
	struct http_request	*req = ar->req;
	struct arena		*a = req->arena;
	struct api_token	*v;
	struct mval		*rows, *row;
	const char		*op, *name, *tok = NULL, *f;
	enum store_err		 e;
	int64_t			 id;
	size_t			 i, n;

	if (req->method == HTTP_POST) {
		op = (f = http_form_field(req, "op")) != NULL ? f : "";
		if (strcmp(op, "create") == 0) {
			name = http_form_field(req, "name");
			if (name == NULL || *name == '\0' ||
			    strlen(name) > TOKEN_NAME_MAX) {
				admin_fail(ar, 400, "name: give the token a "
				    "name (at most 80 bytes).");
				return;
			}
			if ((tok = token_create(ar, name)) == NULL) {
				admin_fail(ar, 503, "The token could not be "
				    "made.");
				return;
			}
		} else if (strcmp(op, "delete") == 0) {
			if ((f = http_form_field(req, "id")) == NULL ||
			    str_to_i64(f, 1, INT64_MAX, &id) == -1) {
				admin_fail(ar, 400, "id: expected a token id.");
				return;
			}
			e = store_write_begin(ar->s->store);
			if (e == STORE_OK) {
				e = store_token_delete(ar->s->store,
				    ar->user->id, id);
				if (store_write_end(ar->s->store,
				    e == STORE_OK) != STORE_OK)
					e = STORE_ERR;
			}
			if (e != STORE_OK) {
				admin_fail(ar, e == STORE_NOTFOUND ? 404 : 503,
				    "The token could not be revoked.");
				return;
			}
			admin_redirect(ar, "/admin/tokens");
			return;
		} else {
			admin_fail(ar, 400, "op: expected create or delete.");
			return;
		}
	}
	if (store_token_list(ar->s->store, a, ar->user->id, &v, &n) !=
	    STORE_OK) {
		admin_fail(ar, 503, store_errmsg(ar->s->store));
		return;
	}
	rows = mval_list(a);
	for (i = 0; i < n; i++) {
		row = mval_map(a);
		mval_set_int(a, row, "id", v[i].id);
		mval_set_str(a, row, "name", v[i].name);
		mval_set_str(a, row, "created", admin_date(ar, v[i].created));
		mval_push(a, rows, row);
	}
	mval_set(a, ar->ctx, "tokens", rows);
	mval_set_bool(a, ar->ctx, "has_tokens", n > 0);
	mval_set_bool(a, ar->ctx, "has_new", tok != NULL);
	mval_set_str(a, ar->ctx, "new_token", tok != NULL ? tok : "");
	admin_render(ar, ADMIN_TOKENS, "API tokens");
}
