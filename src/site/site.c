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
 * The site: its lifetime, the route table, and what every page shares
 * (the layout context, error pages, post values, HTTP dates).  Each kind
 * of page lives in a page_*.c file of its own.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "site_int.h"

enum route_id {
	R_FRONT,
	R_YEAR,
	R_MONTH,
	R_POST,
	R_LABEL,
	R_STATIC,
	R_HEALTH,
	R_COMMENT,
	R_HELD,
	R_SEARCH,
	R_API_SEARCH,
	R_COMMENT_FEED,
	R_QUEUE_FEED,
	R_FEED,
	R_FEED_LABEL,
	R_FEED_JSON,
	R_ROBOTS,
	R_SITEMAP,
	R_SITEMAP_PART,
	R_METRICS,
	R_ADMIN,
	R_ADMIN_HOME,
	R_API,
};

#define PAGE_METHODS (HTTP_GET | HTTP_HEAD)

static const struct http_route routes[] = {
	{ "/", PAGE_METHODS, R_FRONT },
	{ "/{year}/", PAGE_METHODS, R_YEAR },
	{ "/{year}/{month}/", PAGE_METHODS, R_MONTH },
	{ "/{year}/{month}/{seg}.html", PAGE_METHODS, R_POST },
	{ "/p/{seg}.html", PAGE_METHODS, R_POST },
	{ "/search/label/{rest}", PAGE_METHODS, R_LABEL },
	{ "/static/{rest}", PAGE_METHODS, R_STATIC },
	{ "/healthz", PAGE_METHODS, R_HEALTH },
	{ "/comment", HTTP_POST, R_COMMENT },
	{ "/comment/held", PAGE_METHODS, R_HELD },
	{ "/search", PAGE_METHODS, R_SEARCH },
	{ "/api/v1/search", PAGE_METHODS, R_API_SEARCH },
	{ "/feeds/{seg}/comments/default", PAGE_METHODS, R_COMMENT_FEED },
	{ "/feeds/moderation/{seg}", PAGE_METHODS, R_QUEUE_FEED },
	{ "/feeds/posts/default", PAGE_METHODS, R_FEED },
	{ "/feeds/posts/default/-/{rest}", PAGE_METHODS, R_FEED_LABEL },
	{ "/feed.json", PAGE_METHODS, R_FEED_JSON },
	{ "/robots.txt", PAGE_METHODS, R_ROBOTS },
	{ "/sitemap.xml", PAGE_METHODS, R_SITEMAP },
	{ "/sitemap-{seg}.xml", PAGE_METHODS, R_SITEMAP_PART },
	{ "/metrics", PAGE_METHODS, R_METRICS },
	{ "/admin", PAGE_METHODS | HTTP_POST, R_ADMIN_HOME },
	{ "/admin/", PAGE_METHODS | HTTP_POST, R_ADMIN_HOME },
	{ "/admin/{rest}", PAGE_METHODS | HTTP_POST, R_ADMIN },
	{ "/api/v1/{rest}", PAGE_METHODS | HTTP_POST, R_API },
};

/* Metric names of the routes, by res->route (route id + 1; 0: none). */
static const char *const route_names[] = {
	"none", "front", "year", "month", "post", "label", "static",
	"health", "comment", "held", "search", "api_search", "comment_feed",
	"queue_feed", "feed", "label_feed", "feed_json", "robots", "sitemap",
	"sitemap_part", "metrics", "admin", "admin_home", "api",
};

/* Every message key the built-in templates use, as {{msg.KEY}}. */
static const char *const msg_keys[] = {
	"back_to_post", "cancel_reply", "comment_text", "comments",
	"comments_closed", "did_you_mean", "email_optional", "held_text",
	"held_title", "home", "honeypot", "labels", "menu", "name",
	"newer_posts", "no_comments",
	"no_posts", "no_results", "older_posts", "page", "post_comment",
	"powered_by", "publish", "reply", "reply_to", "results", "search",
	"search_cut", "search_empty", "search_label", "search_results",
	"skip_to_content", "url_optional",
};

static int
secret_load(struct site *s, const char *dir, char *err, size_t errlen)
{
	char	 path[4096], hex[2 * SITE_SECRET_LEN + 2];
	size_t	 binlen;
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "%s/secret.key", dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 && errno == ENOENT) {
		if (site_secret_create(dir, err, errlen) == -1)
			return -1;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 2 * SITE_SECRET_LEN || sodium_hex2bin(s->secret,
	    sizeof(s->secret), hex, 2 * SITE_SECRET_LEN, NULL, &binlen,
	    NULL) != 0 || binlen != SITE_SECRET_LEN) {
		snprintf(err, errlen, "%s: not a site key (64 hex digits)",
		    path);
		return -1;
	}
	return 0;
}

int
site_secret_create(const char *dir, char *err, size_t errlen)
{
	unsigned char	 key[SITE_SECRET_LEN];
	char		 path[4096], hex[2 * SITE_SECRET_LEN + 2];
	size_t		 len;
	int		 fd;

	if (sodium_init() == -1) {
		snprintf(err, errlen, "libsodium: cannot initialize");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/secret.key", dir);
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex) - 1, key, sizeof(key));
	len = strlen(hex);
	hex[len++] = '\n';
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (write(fd, hex, len) != (ssize_t)len || fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* The scorer's settings; the blocklist split at commas, trimmed. */
static void
spam_conf(struct site *s)
{
	const char	**v = NULL;
	char		*list, *word, *save = NULL;
	size_t		 n = 0, cap = 0;

	s->spam.hold = s->conf->spam_hold;
	s->spam.reject = s->conf->spam_reject;
	s->spam.max_links = s->conf->comments_max_links;
	list = arena_strdup(s->arena, s->conf->spam_blocklist);
	for (word = strtok_r(list, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (*str_trim(word) == '\0')
			continue;
		v = arena_grow(s->arena, v, n, &cap, sizeof(*v));
		v[n++] = word;
	}
	s->spam.blocklist = v;
	s->spam.nblocklist = n;
}

struct mval *
site_messages(struct arena *a, const char *locale)
{
	struct mval	*msgs;
	size_t		 i;

	msgs = mval_map(a);
	for (i = 0; i < nitems(msg_keys); i++)
		mval_set_str(a, msgs, msg_keys[i], render_msg(locale,
		    msg_keys[i]));
	return msgs;
}

struct site *
site_new(const struct conf *conf, struct store *store, const char *dir,
    char *err, size_t errlen)
{
	struct site	*s;

	if (sodium_init() == -1) {
		snprintf(err, errlen, "libsodium: cannot initialize");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->conf = conf;
	s->store = store;
	s->arena = arena_new();
	pthread_mutex_init(&s->rate_lock, NULL);
	pthread_mutex_init(&s->throttle_lock, NULL);
	s->stats = stats_new();
	s->msgs = site_messages(s->arena, conf->site_locale);
	spam_conf(s);
	if (site_cache_init(s) == -1) {
		snprintf(err, errlen, "store: %s", store_errmsg(store));
		site_free(s);
		return NULL;
	}
	if (secret_load(s, dir, err, errlen) == -1 ||
	    theme_load(s, dir, err, errlen) == -1 ||
	    site_metrics_new(s, dir, err, errlen) == -1 ||
	    admin_new(s, err, errlen) == -1) {
		site_free(s);
		return NULL;
	}
	return s;
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	site_stats_flush(s);
	stats_free(s->stats);
	admin_free(s);
	pthread_mutex_destroy(&s->throttle_lock);
	theme_free(s);
	site_cache_clear(s);
	site_metrics_free(s);
	arena_free(s->arena);
	pthread_mutex_destroy(&s->rate_lock);
	sodium_memzero(s->secret, sizeof(s->secret));
	free(s);
}

struct mval *
site_context(struct site *s, struct http_request *req, const char *title)
{
	struct arena	*a = req->arena;
	struct mval	*ctx;

	ctx = mval_map(a);
	mval_set_str(a, ctx, "lang", s->conf->site_locale);
	mval_set_str(a, ctx, "site_title", s->conf->site_title);
	mval_set(a, ctx, "msg", s->msgs);
	mval_set_bool(a, ctx, "has_page_title", title != NULL);
	mval_set_str(a, ctx, "page_title", title != NULL ? title : "");
	mval_set_str(a, ctx, "og_title",
	    title != NULL ? title : s->conf->site_title);
	mval_set_str(a, ctx, "og_type", "website");
	mval_set_bool(a, ctx, "has_canonical", 1);
	mval_set_str(a, ctx, "canonical", arena_printf(a, "%s%s",
	    s->conf->site_url, req->path));
	mval_set_bool(a, ctx, "has_description", 0);
	mval_set_bool(a, ctx, "has_published", 0);
	mval_set_bool(a, ctx, "robots_noindex", 0);
	mval_set_str(a, ctx, "search_q", "");
	mval_set_bool(a, ctx, "has_comments_feed", 0);
	mval_set_bool(a, ctx, "has_feeds", 1);
	return ctx;
}

void
site_render(struct site *s, struct http_request *req,
    struct http_response *res, enum theme_tmpl t, struct mval *ctx)
{
	struct buf	 content = BUF_INIT;

	/* Room for a typical page at once, not a dozen doublings. */
	buf_grow(&content, SITE_RENDER_GUESS);
	if (render_tmpl_run(s->tmpl[t], ctx, theme_partial, s,
	    &content) == -1)
		log_warnx("%s: template nesting too deep", req->path);
	mval_set(req->arena, ctx, "content", mval_strn(req->arena,
	    arena_strndup(req->arena, content.p == NULL ? "" : content.p,
	    content.len), content.len));
	buf_clear(&content);
	buf_reset(&res->body);
	buf_grow(&res->body, SITE_RENDER_GUESS + 4096);
	if (render_tmpl_run(s->tmpl[THEME_LAYOUT], ctx, theme_partial, s,
	    &res->body) == -1)
		log_warnx("%s: layout nesting too deep", req->path);
	if (res->status == 0)
		res->status = 200;
	res->content_type = "text/html; charset=utf-8";
}

void
site_error(struct site *s, struct http_request *req,
    struct http_response *res, int status, const char *why)
{
	struct mval	*ctx;
	const char	*title, *key;

	switch (status) {
	case 404:
		key = "not_found_title";
		if (why == NULL)
			why = render_msg(s->conf->site_locale,
			    "not_found_text");
		break;
	case 405:
		key = "method_not_allowed_title";
		break;
	case 400:
	case 413:
	case 414:
	case 415:
		key = "bad_request_title";
		break;
	default:
		key = "error_title";
		break;
	}
	title = render_msg(s->conf->site_locale, key);
	ctx = site_context(s, req, title);
	mval_set_bool(req->arena, ctx, "has_canonical", 0);
	mval_set_bool(req->arena, ctx, "robots_noindex", 1);
	mval_set_str(req->arena, ctx, "title", title);
	mval_set_str(req->arena, ctx, "message", why != NULL ? why :
	    http_status_text(status));
	res->status = status;
	res->nheaders = 0;
	http_response_header(res, "Cache-Control", "no-store");
	site_render(s, req, res, THEME_ERROR, ctx);
}

const char *
site_label_href(struct arena *a, const char *name)
{
	struct buf	 b = BUF_INIT;
	const char	*href;

	buf_adds(&b, "/search/label/");
	render_escape_url(&b, name, strlen(name));
	href = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return href;
}

struct mval *
site_post_value(struct site *s, struct arena *a, const struct post *p)
{
	struct mval	*v, *labels, *l;
	char		 date[128], iso[64];
	size_t		 i;

	v = mval_map(a);
	mval_set_int(a, v, "id", p->id);
	mval_set_str(a, v, "title", p->title);
	mval_set_str(a, v, "path", p->path);
	mval_set_str(a, v, "lang", p->lang);
	mval_set_str(a, v, "html", p->html);
	mval_set_bool(a, v, "is_page", p->is_page);
	text_date_iso(s->conf->site_timezone, p->published, iso, sizeof(iso));
	text_date_format(s->conf->site_locale, s->conf->site_timezone,
	    p->published, TEXT_DATE_LONG, date, sizeof(date));
	mval_set_str(a, v, "datetime", arena_strdup(a, iso));
	mval_set_str(a, v, "date", arena_strdup(a, date));
	mval_set_int(a, v, "ncomments", p->ncomments);
	labels = mval_list(a);
	for (i = 0; i < p->nlabels; i++) {
		l = mval_map(a);
		mval_set_str(a, l, "name", p->labels[i]);
		mval_set_str(a, l, "href", site_label_href(a, p->labels[i]));
		mval_set_bool(a, l, "last", i + 1 == p->nlabels);
		mval_push(a, labels, l);
	}
	mval_set(a, v, "labels", labels);
	mval_set_bool(a, v, "has_labels", p->nlabels > 0);
	return v;
}

void
site_last_modified(struct http_request *req, struct http_response *res,
    int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 date[64];

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	http_response_header(res, "Last-Modified",
	    arena_strdup(req->arena, date));
}

/* /healthz: "ok" while the store answers. */
static void
page_health(struct site *s, struct http_response *res)
{
	res->content_type = "text/plain; charset=utf-8";
	http_response_header(res, "Cache-Control", "no-store");
	if (store_ping(s->store) == STORE_OK) {
		buf_adds(&res->body, "ok\n");
		return;
	}
	res->status = 503;
	buf_adds(&res->body, "store unavailable\n");
}

static int
span_int(struct span sp)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < sp.len; i++)
		v = v * 10 + (sp.p[i] - '0');
	return v;
}

/* The label from /search/label/..., with the kept %2F turned back to /. */
static char *
label_from_path(struct arena *a, struct span sp)
{
	char	*out;
	size_t	 i, n = 0;

	out = arena_alloc(a, sp.len + 1);
	for (i = 0; i < sp.len; i++) {
		if (sp.len - i >= 3 && memcmp(sp.p + i, "%2F", 3) == 0) {
			out[n++] = '/';
			i += 2;
		} else
			out[n++] = sp.p[i];
	}
	return out;
}

/*
 * Answers 301 when an imported site's old address from moved to a post
 * here; returns 1 if it did.
 */
static int
moved(struct site *s, struct http_request *req, struct http_response *res,
    const char *from)
{
	char	*to;

	if ((req->method & (HTTP_GET | HTTP_HEAD)) == 0 ||
	    store_redirect_get(s->store, req->arena, from, &to) != STORE_OK)
		return 0;
	res->status = 301;
	http_response_header(res, "Location", to);
	http_response_header(res, "Cache-Control", "public, max-age=86400");
	res->content_type = "text/plain; charset=utf-8";
	buf_adds(&res->body, "Moved.\n");
	return 1;
}

static const char *
allow_header(unsigned methods)
{
	if (methods == HTTP_POST)
		return "POST";
	return "GET, HEAD";
}

const char *
site_route_name(int route)
{
	if (route < 0 || (size_t)route >= nitems(route_names))
		return "none";
	return route_names[route];
}

void
site_http_config(struct site *s, struct http_config *hc)
{
	hc->cache = s->cache;
	hc->refresh = s->cache != NULL ? site_refresh : NULL;
	hc->refresh_arg = s;
	hc->observe = site_observe;
	hc->observe_arg = s;
}

/* What became of a comment sent through the form, for metrics. */
static enum site_comment_outcome
comment_outcome(const struct http_response *res)
{
	size_t	 i;

	if (res->status == 303) {
		for (i = 0; i < res->nheaders; i++)
			if (strcmp(res->headers[i].name, "Location") == 0 &&
			    str_has_prefix(res->headers[i].value,
			    "/comment/held"))
				return SITE_COMMENT_HELD;
		return SITE_COMMENT_PUBLISHED;
	}
	if (res->status == 429)
		return SITE_COMMENT_LIMITED;
	return res->status >= 500 ? SITE_COMMENT_ERROR :
	    SITE_COMMENT_REFUSED;
}

static void	 route(struct site *, struct http_request *,
		    struct http_response *);

void
site_handle(void *arg, struct http_request *req, struct http_response *res)
{
	struct site	*s = arg;

	route(s, req, res);
	/* A write here shows on the next request, on every thread. */
	if (req->method == HTTP_POST)
		site_sync(s);
}

static void
route(struct site *s, struct http_request *req, struct http_response *res)
{
	const struct http_route		*r;
	struct span			 caps[HTTP_ROUTE_CAPS];
	const char			*v;
	char				*to;
	int				 month;

	if (req->error_status != 0) {
		site_error(s, req, res, req->error_status, req->error);
		return;
	}
	if ((r = http_route_match(routes, nitems(routes), req->path,
	    caps)) == NULL) {
		if (!moved(s, req, res, req->path))
			site_error(s, req, res, 404, NULL);
		return;
	}
	res->route = r->id + 1;
	if ((r->methods & req->method) == 0) {
		site_error(s, req, res, 405, arena_printf(req->arena,
		    "%s is not allowed here; use %s.", req->method_name,
		    allow_header(r->methods)));
		http_response_header(res, "Allow", allow_header(r->methods));
		return;
	}
	if (req->query_error != NULL && r->id != R_SEARCH &&
	    r->id != R_API_SEARCH) {
		site_error(s, req, res, 400, req->query_error);
		return;
	}
	/* The API reads JSON bodies and answers in JSON itself. */
	if ((r->methods & HTTP_POST) && req->form_status != 0 &&
	    r->id != R_API) {
		site_error(s, req, res, req->form_status, req->form_error);
		return;
	}
	switch (r->id) {
	case R_FRONT:
		/* A WordPress link: /?p=ID or /?page_id=ID. */
		if ((v = http_param(req, "p")) != NULL ||
		    (v = http_param(req, "page_id")) != NULL) {
			if (!moved(s, req, res, arena_printf(req->arena,
			    "/?%s=%s", http_param(req, "p") != NULL ? "p" :
			    "page_id", v)))
				site_error(s, req, res, 404, NULL);
			break;
		}
		page_front(s, req, res);
		break;
	case R_YEAR:
		page_year(s, req, res, span_int(caps[0]));
		break;
	case R_MONTH:
		month = span_int(caps[1]);
		if (month < 1 || month > 12)
			site_error(s, req, res, 404, NULL);
		else
			page_month(s, req, res, span_int(caps[0]), month);
		break;
	case R_POST:
		page_post(s, req, res, req->path);
		/* A slug changed in the admin leaves its old address. */
		if (res->status == 404 && store_redirect_get(s->store,
		    req->arena, req->path, &to) == STORE_OK) {
			buf_reset(&res->body);
			res->nheaders = 0;
			moved(s, req, res, req->path);
		}
		break;
	case R_LABEL:
		page_label(s, req, res, label_from_path(req->arena, caps[0]));
		break;
	case R_STATIC:
		static_file(s, req, res, arena_strndup(req->arena, caps[0].p,
		    caps[0].len));
		break;
	case R_HEALTH:
		page_health(s, res);
		break;
	case R_COMMENT:
		comment_post(s, req, res);
		site_metrics_comment(s, comment_outcome(res));
		break;
	case R_HELD:
		comment_held(s, req, res);
		break;
	case R_SEARCH:
		page_search(s, req, res, 0);
		break;
	case R_API_SEARCH:
		page_search(s, req, res, 1);
		break;
	case R_COMMENT_FEED:
		comment_feed(s, req, res, arena_strndup(req->arena, caps[0].p,
		    caps[0].len));
		break;
	case R_QUEUE_FEED:
		comment_queue_feed(s, req, res, arena_strndup(req->arena,
		    caps[0].p, caps[0].len));
		break;
	case R_FEED:
		page_feed(s, req, res, SITE_FEED_ATOM, NULL);
		break;
	case R_FEED_LABEL:
		page_feed(s, req, res, SITE_FEED_ATOM,
		    label_from_path(req->arena, caps[0]));
		break;
	case R_FEED_JSON:
		page_feed(s, req, res, SITE_FEED_JSON, NULL);
		break;
	case R_ROBOTS:
		page_robots(s, req, res);
		break;
	case R_SITEMAP:
		page_sitemap(s, req, res, NULL);
		break;
	case R_SITEMAP_PART:
		page_sitemap(s, req, res, arena_strndup(req->arena,
		    caps[0].p, caps[0].len));
		break;
	case R_METRICS:
		page_metrics(s, req, res);
		break;
	case R_ADMIN_HOME:
		admin_handle(s, req, res, "");
		break;
	case R_ADMIN:
		admin_handle(s, req, res, arena_strndup(req->arena,
		    caps[0].p, caps[0].len));
		break;
	case R_API:
		api_handle(s, req, res, arena_strndup(req->arena, caps[0].p,
		    caps[0].len));
		break;
	}
	/* Page views are counted by site_observe, cache hits too. */
	if (r->id == R_SEARCH && (v = http_param(req, "q")) != NULL)
		site_count_search(s, v);
}
