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
 * The static export: every public URL of the site, asked of the site's
 * own request handler (site_handle) as a GET without a connection, and
 * the answer written to a file.  There is no second renderer, so a page
 * here is byte for byte the page the server sends at the same moment
 * (GAZETTE_NOW fixes that moment).  Which URLs: the list pages and
 * their ?page=N pages (followed until one is missing), every published
 * post and page with its comment feed, the year and month archives of
 * the posts, every label's page and feeds, the post feeds, the sitemap,
 * robots.txt, the theme's assets and a 404 page.
 *
 * Posts are read a batch at a time and each request has an arena that
 * is reset after it, so memory stays the size of the largest page.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "export.h"
#include "export_int.h"
#include "http/http.h"
#include "render/render.h"
#include "site/site.h"
#include "store/store.h"
#include "text/text.h"

#define YEAR_MAX	9999	/* archives exist for years 1..YEAR_MAX */

struct walk {
	struct site		*site;
	struct store		*st;
	const struct conf	*conf;
	const char		*out;	/* the export folder */
	struct arena		*ra;	/* one request's memory */
	export_progress_fn	 fn;
	void			*arg;
	struct export_counts	*c;
	char			*err;
	size_t			 errlen;
	size_t			 done, total;	/* for progress */
	unsigned char		*months;	/* [year * 13 + month]: has
						   posts; month 0: the year */
	struct export_manifest	 m;	/* the names written */
};

int
export_static_name(const char *path, const char *query, char *out,
    size_t outlen)
{
	struct buf	 b = BUF_INIT;
	const char	*p, *seg, *suffix = NULL;
	int64_t		 page = 0;
	size_t		 i, n;
	int		 rc = -1, is_list, is_feed, is_label;

	if (path[0] != '/')
		return -1;
	is_list = path[strlen(path) - 1] == '/';
	/* Everything under /feeds/ is a feed, even a label with a dot. */
	is_feed = str_has_prefix(path, "/feeds/");
	is_label = str_has_prefix(path, "/search/label/");
	/* The queries that have files: ?page=N of lists, ?alt=rss. */
	if (is_feed && strcmp(query, "alt=rss") == 0)
		suffix = ".rss";
	else if (*query != '\0' && (!str_has_prefix(query, "page=") ||
	    !(is_list || is_label) ||
	    str_to_i64(query + 5, 2, LIMIT_PAGE, &page) == -1))
		return -1;
	/* The path's %2F (kept encoded by normalizing) is a folder here. */
	for (p = path + 1; *p != '\0'; p++) {
		if (strncmp(p, "%2F", 3) == 0) {
			buf_addc(&b, '/');
			p += 2;
		} else
			buf_addc(&b, *p);
	}
	buf_addc(&b, '\0');
	b.len--;
	/* No empty, "." or ".." segment: nothing may land outside out. */
	for (seg = b.p; seg != NULL && *seg != '\0'; ) {
		n = strcspn(seg, "/");
		if ((n == 0 && seg[n] == '/') || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			goto out;
		seg = seg[n] == '/' ? seg + n + 1 : NULL;
	}
	/* Nor a control byte: the names are listed one a line. */
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
			goto out;
	if (is_list)
		buf_adds(&b, "index");
	if (page != 0)
		buf_addf(&b, ",page=%lld", (long long)page);
	if (is_list || is_label)
		buf_adds(&b, ".html");
	else if (is_feed)
		buf_adds(&b, suffix != NULL ? suffix : ".atom");
	if (b.len == 0 || b.len + 1 > outlen)
		goto out;
	memcpy(out, b.p, b.len);
	out[b.len] = '\0';
	rc = 0;
out:
	buf_clear(&b);
	return rc;
}

static void
tick(struct walk *w)
{
	w->done++;
	if (w->fn != NULL && (w->done % 64 == 0 || w->done == w->total))
		w->fn(w->arg, w->done < w->total ? w->done : w->total,
		    w->total);
}

/*
 * Asks the site for raw (an undecoded path, as a browser sends it) with
 * query, and writes the answer when its status is want.  Returns the
 * status the site gave (0 for a URL that has no file), or -1 with err
 * set when a file could not be written.
 */
static int
fetch(struct walk *w, const char *raw, const char *query, int want)
{
	struct http_request	 req;
	struct http_response	 res;
	const char		*why;
	char			 name[4096];
	int			 status;

	arena_reset(w->ra);
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	buf_init(&res.body);
	req.arena = w->ra;
	req.method = HTTP_GET;
	req.method_name = "GET";
	req.raw_query = query;
	req.client_addr = "127.0.0.1";
	if ((req.path = http_path_normalize(w->ra, raw, strlen(raw),
	    &why)) == NULL || export_static_name(req.path, query, name,
	    sizeof(name)) == -1) {
		log_warnx("%s%s%s: no file name for this address", raw,
		    *query != '\0' ? "?" : "", query);
		w->c->skipped++;
		return 0;
	}
	if (http_form_decode(w->ra, query, strlen(query), &req.params,
	    &req.nparams, &why) == -1)
		req.query_error = why;
	site_handle(w->site, &req, &res);
	status = res.status == 0 ? 200 : res.status;
	if (status == want) {
		if (export_file_put(w->out, name, res.body.p == NULL ? "" :
		    res.body.p, res.body.len, 1, w->err, w->errlen) == -1) {
			buf_clear(&res.body);
			return -1;
		}
		if (export_manifest_add(&w->m, name) == -1) {
			snprintf(w->err, w->errlen, "%s: %s", w->m.o.tmp,
			    strerror(errno));
			buf_clear(&res.body);
			return -1;
		}
		w->c->files++;
		w->c->bytes += res.body.len;
	}
	buf_clear(&res.body);
	return status;
}

/* A list page and its ?page=2, 3... while the site has them. */
static int
list(struct walk *w, const char *raw)
{
	char	 q[32];
	int	 page, st;

	if ((st = fetch(w, raw, "", 200)) == -1)
		return -1;
	for (page = 2; st == 200 && page <= LIMIT_PAGE; page++) {
		snprintf(q, sizeof(q), "page=%d", page);
		if ((st = fetch(w, raw, q, 200)) == -1)
			return -1;
	}
	return 0;
}

/* Every published post and page, its comment feed, and its archives. */
static int
posts(struct walk *w)
{
	struct arena		*a;
	struct post_query	 q;
	struct post_list	 pl;
	const struct post	*p;
	char			 feed[64];
	int			 y, m, d, rc = -1;
	size_t			 i;

	a = arena_new();
	memset(&q, 0, sizeof(q));
	q.now = clock_now();
	q.include_pages = 1;
	q.limit = EXPORT_BATCH;
	for (;;) {
		arena_reset(a);
		if (store_post_list(w->st, a, &q, &pl) != STORE_OK) {
			snprintf(w->err, w->errlen, "reading posts: %s",
			    store_errmsg(w->st));
			goto out;
		}
		for (i = 0; i < pl.n; i++) {
			p = &pl.v[i];
			if (fetch(w, p->path, "", 200) == -1)
				goto out;
			snprintf(feed, sizeof(feed),
			    "/feeds/%lld/comments/default", (long long)p->id);
			if (fetch(w, feed, "", 200) == -1)
				goto out;
			if (!p->is_page && text_date_parts(
			    w->conf->site_timezone, p->published, &y, &m,
			    &d) == 0 && y >= 1 && y <= YEAR_MAX) {
				w->months[y * 13] = 1;
				w->months[y * 13 + m] = 1;
			}
			tick(w);
		}
		if (pl.n < EXPORT_BATCH)
			break;
		q.offset += pl.n;
	}
	rc = 0;
out:
	arena_free(a);
	return rc;
}

static int
archives(struct walk *w)
{
	char	 path[16];
	int	 y, m;

	for (y = YEAR_MAX; y >= 1; y--) {
		if (!w->months[y * 13])
			continue;
		snprintf(path, sizeof(path), "/%04d/", y);
		if (list(w, path) == -1)
			return -1;
		for (m = 12; m >= 1; m--) {
			if (!w->months[y * 13 + m])
				continue;
			snprintf(path, sizeof(path), "/%04d/%02d/", y, m);
			if (list(w, path) == -1)
				return -1;
		}
	}
	return 0;
}

/* "/search/label/NAME" and the label's feeds, NAME %-encoded. */
static int
labels(struct walk *w)
{
	struct arena	*a;
	struct label	*v;
	struct buf	 b = BUF_INIT;
	size_t		 i, n;
	int		 rc = -1;

	a = arena_new();
	if (store_label_list(w->st, a, &v, &n) != STORE_OK) {
		snprintf(w->err, w->errlen, "reading labels: %s",
		    store_errmsg(w->st));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (v[i].nposts == 0)
			continue;
		buf_reset(&b);
		render_escape_url(&b, v[i].name, strlen(v[i].name));
		buf_addc(&b, '\0');
		if (list(w, arena_printf(a, "/search/label/%s", b.p)) == -1 ||
		    fetch(w, arena_printf(a, "/feeds/posts/default/-/%s",
		    b.p), "", 200) == -1 ||
		    fetch(w, arena_printf(a, "/feeds/posts/default/-/%s",
		    b.p), "alt=rss", 200) == -1)
			goto out;
		tick(w);
	}
	rc = 0;
out:
	buf_clear(&b);
	arena_free(a);
	return rc;
}

static int
machines(struct walk *w)
{
	char	 path[64];
	size_t	 i;
	int	 n, st;

	if (fetch(w, "/feeds/posts/default", "", 200) == -1 ||
	    fetch(w, "/feeds/posts/default", "alt=rss", 200) == -1 ||
	    fetch(w, "/feed.json", "", 200) == -1 ||
	    fetch(w, "/robots.txt", "", 200) == -1 ||
	    fetch(w, "/sitemap.xml", "", 200) == -1)
		return -1;
	/* A large site's sitemap is an index of /sitemap-N.xml files. */
	for (n = 1, st = 200; st == 200; n++) {
		snprintf(path, sizeof(path), "/sitemap-%d.xml", n);
		if ((st = fetch(w, path, "", 200)) == -1)
			return -1;
	}
	for (i = 0; i < embedded_nfiles; i++) {
		if (!str_has_prefix(embedded_files[i].name, "theme/static/"))
			continue;
		snprintf(path, sizeof(path), "/static/%s",
		    embedded_files[i].name + strlen("theme/static/"));
		if (fetch(w, path, "", 200) == -1)
			return -1;
	}
	/* The page a static host shows for a missing file. */
	return fetch(w, "/404.html", "", 404) == -1 ? -1 : 0;
}

int
export_static(struct site *site, struct store *st, const struct conf *conf,
    const char *out, export_progress_fn fn, void *arg,
    struct export_counts *c, char *err, size_t errlen)
{
	struct walk		 w;
	struct post_query	 q;
	struct post_list	 pl;
	struct label		*lv;
	size_t			 nl = 0;
	int			 rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&w, 0, sizeof(w));
	w.site = site;
	w.st = st;
	w.conf = conf;
	w.out = out;
	w.fn = fn;
	w.arg = arg;
	w.c = c;
	w.err = err;
	w.errlen = errlen;
	if (mkdir(out, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		return -1;
	}
	if (export_manifest_open(&w.m, out, err, errlen) == -1)
		return -1;
	w.ra = arena_new();
	w.months = xcalloc((YEAR_MAX + 1) * 13, 1);
	/* The whole, for the progress bar: posts, labels, the rest. */
	memset(&q, 0, sizeof(q));
	q.now = clock_now();
	q.include_pages = 1;
	q.limit = 1;
	if (store_post_list(st, w.ra, &q, &pl) != STORE_OK ||
	    store_label_list(st, w.ra, &lv, &nl) != STORE_OK) {
		snprintf(err, errlen, "reading the site: %s",
		    store_errmsg(st));
		goto out;
	}
	w.total = pl.total + nl + 1;
	c->posts = pl.total;
	if (list(&w, "/") == -1 || posts(&w) == -1 || archives(&w) == -1 ||
	    labels(&w) == -1 || machines(&w) == -1)
		goto out;
	w.done = w.total - 1;
	tick(&w);
	rc = 0;
out:
	if (export_manifest_close(&w.m, rc == 0, &c->removed, err,
	    errlen) == -1)
		rc = -1;
	free(w.months);
	arena_free(w.ra);
	return rc;
}
