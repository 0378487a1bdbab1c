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
 * Shared inside src/site only: the site struct, the theme, and the
 * helpers every page handler uses.
 */
#ifndef GAZETTE_SITE_INT_H
#define GAZETTE_SITE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "base.h"
#include "http/http.h"
#include "render/render.h"
#include "search/search.h"
#include "store/store.h"
#include "text/text.h"
#include "site.h"

#define SITE_PAGE_SIZE		10	/* posts on one list page */
#define SITE_SECRET_LEN		32	/* bytes of the site key */
#define SITE_TOKEN_MAX_AGE	(2 * 24 * 3600)	/* form token lifetime, s */
#define SITE_RATE_SLOTS		1024	/* client addresses remembered */
#define SITE_RENDER_GUESS	16384	/* bytes reserved for a page body */

enum theme_tmpl {
	THEME_LAYOUT = 0,
	THEME_POST,
	THEME_COMMENT,
	THEME_LIST,
	THEME_ERROR,
	THEME_HELD,
	THEME_SEARCH,
	THEME__MAX
};

/*
 * One client address's token bucket: it holds at most [comments] rate
 * comments and refills at rate a minute, so a burst of rate is allowed
 * and then one every 60/rate seconds.
 */
struct rate_slot {
	uint64_t	 addr;	/* keyed hash of the address; 0 = free */
	int64_t		 at;	/* when tokens was last brought up to date */
	double		 tokens;	/* comments it may send now */
};

#define SITE_THROTTLE_SLOTS	512	/* login failure counters */
#define SITE_SHA1_LEN		20	/* bytes of a SHA-1 digest */
#define SITE_HASH_HEX		65	/* hex SHA-256 and its NUL */

/* Recent login failures of one account name or client address. */
struct throttle_slot {
	uint64_t	 key;	/* keyed hash of "n:NAME" or "a:ADDR"; 0 free */
	int64_t		 since;	/* start of the current window */
	int		 failures;	/* in the window */
};

struct admin;
struct site_stats;

struct site {
	const struct conf	*conf;	/* borrowed */
	struct store		*store;	/* borrowed */
	struct tmpl		*tmpl[THEME__MAX];
	struct arena		*arena;	/* what lives as long as the site */
	struct mval		*msgs;	/* UI text for the site locale */
	struct text_spam_conf	 spam;	/* the scorer's settings, from conf */
	unsigned char		 secret[SITE_SECRET_LEN];
	pthread_mutex_t		 rate_lock;	/* guards rate[] */
	struct rate_slot	 rate[SITE_RATE_SLOTS];
	/* The page cache and its freshness (fresh.c): */
	struct http_cache	*cache;	/* owned; NULL when [cache] size = 0 */
	pthread_mutex_t		 sync_lock;	/* guards seq, dv, synced */
	int64_t			 seq;	/* the last store change applied */
	int64_t			 dv;	/* store_data_version then */
	int			 synced;	/* dv is set */
	_Atomic int64_t		 next_sync;	/* monotonic ms of next look */
	_Atomic int64_t		 next_due;	/* next scheduled post, or 0 */
	struct site_metrics	*metrics;	/* owned (metrics.c) */
	/* the admin (admin.c, account.c, stats.c) */
	struct admin		*admin;	/* its templates; owned */
	struct site_stats	*stats;	/* counts not yet stored; owned */
	pthread_mutex_t		 throttle_lock;	/* guards the two below */
	struct throttle_slot	 throttle[SITE_THROTTLE_SLOTS];
	char			 dummy_hash[SITE_PWHASH_LEN];
};

/* ---- site.c ---- */

/* The UI text the templates use, as the map {{msg.KEY}} reads. */
struct mval	*site_messages(struct arena *, const char *locale);

/* The page context every template shares: site title, locale, msgs. */
struct mval	*site_context(struct site *, struct http_request *,
		    const char *page_title);
/*
 * Renders template t with ctx, wraps it in the layout, and puts it in
 * res with status 200 (unless already set).
 */
void		 site_render(struct site *, struct http_request *,
		    struct http_response *, enum theme_tmpl t,
		    struct mval *ctx);
/* A themed error page with status and the reason for the reader. */
void		 site_error(struct site *, struct http_request *,
		    struct http_response *, int status, const char *why);
/* "/search/label/North%20Korea" for a label name (arena string). */
const char	*site_label_href(struct arena *, const char *name);
/* A post as a template value: title, path, dates, html, labels... */
struct mval	*site_post_value(struct site *, struct arena *,
		    const struct post *);
/* Sets Last-Modified from t. */
void		 site_last_modified(struct http_request *,
		    struct http_response *, int64_t t);

/* ---- theme.c ---- */

int		 theme_load(struct site *, const char *dir, char *err,
		    size_t errlen);
void		 theme_free(struct site *);
const struct tmpl *theme_partial(void *arg, const char *name, size_t len);

/* ---- page_post.c ---- */

void	 page_post(struct site *, struct http_request *,
	    struct http_response *, const char *path);

/* ---- page_list.c ---- */

void	 page_front(struct site *, struct http_request *,
	    struct http_response *);
void	 page_year(struct site *, struct http_request *,
	    struct http_response *, int year);
void	 page_month(struct site *, struct http_request *,
	    struct http_response *, int year, int month);
void	 page_label(struct site *, struct http_request *,
	    struct http_response *, const char *label);

/* ---- comment.c ---- */

/* A form token for post_id, valid from now for SITE_TOKEN_MAX_AGE. */
const char *comment_token(struct site *, struct arena *, int64_t post_id);
void	 comment_post(struct site *, struct http_request *,
	    struct http_response *);
void	 comment_held(struct site *, struct http_request *,
	    struct http_response *);
/* 1 while p takes new comments (its switch and its days). */
int	 comments_open(const struct post *p);
/* /feeds/POSTID/comments/default and /feeds/moderation/TOKEN. */
void	 comment_feed(struct site *, struct http_request *,
	    struct http_response *, const char *post_id);
void	 comment_queue_feed(struct site *, struct http_request *,
	    struct http_response *, const char *token);
/* A comment body as HTML: paragraphs, line breaks, nofollow links. */
void	 comment_body_html(struct buf *, const char *body);

/* ---- page_search.c ---- */

/* /search?q= (as a page, or JSON when as_json or asked for). */
void	 page_search(struct site *, struct http_request *,
	    struct http_response *, int as_json);

/* ---- page_feed.c ---- */

enum site_feed {
	SITE_FEED_ATOM = 0,	/* ?alt=rss switches to RSS */
	SITE_FEED_RSS,
	SITE_FEED_JSON,
};

/*
 * The post feed in fmt (label NULL), or a label's (any spelling), with
 * ?max-results= and ?start-index= paging.
 */
void	 page_feed(struct site *, struct http_request *,
	    struct http_response *, enum site_feed fmt, const char *label);
void	 page_robots(struct site *, struct http_request *,
	    struct http_response *);

/* ---- sitemap.c ---- */

#define SITEMAP_MAX_URLS	50000	/* the protocol's cap for one file */

/*
 * The sitemap of the posts published by now, at most per_file URLs a
 * file, for /sitemap.xml (n 0) or /sitemap-N.xml (n N): with more than
 * per_file URLs, /sitemap.xml is an index of the N files (each with the
 * newest lastmod in it), else the one urlset, and /sitemap-N.xml
 * exists only in the first case.  Appends the XML to out and sets
 * *lastmod to its newest change.  Returns 200, 404 (no such part) or
 * 503 (store error; out may hold part of the document).
 */
int	 site_sitemap(struct store *, const char *site_url, int64_t now,
	    size_t per_file, int64_t n, struct buf *out, int64_t *lastmod);
/* /sitemap.xml (part NULL) and /sitemap-PART.xml. */
void	 page_sitemap(struct site *, struct http_request *,
	    struct http_response *, const char *part);

/* ---- fresh.c ---- */

/* Creates the cache per [cache] size; 0 or -1 (store error, logged). */
int	 site_cache_init(struct site *);
void	 site_cache_clear(struct site *);
/*
 * Lets the page cache keep res until expires (clock_now() seconds, 0:
 * until a tag of it changes); HTML pages get the "nav" tag.  No-op when
 * the cache is off.  Tags are added with the two functions below.
 */
void	 site_cache_keep(struct site *, struct http_request *,
	    struct http_response *, int64_t expires);
/* Adds one tag, printf-style ("label:%s"). */
void	 site_cache_tag(struct http_request *, struct http_response *,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds post:ID for each of v[0..n). */
void	 site_cache_posts(struct http_request *, struct http_response *,
	    const struct post *v, size_t n);
/* Adds label:KEY for a label name, keyed as the store keys it. */
void	 site_cache_label(struct http_request *, struct http_response *,
	    const char *name);
/* When dated lists go stale by themselves (a scheduled post), or 0. */
int64_t	 site_cache_lists_expire(struct site *);
/* Applies the store's changes to the cache now (after a local write). */
void	 site_sync(struct site *);

/* ---- metrics.c ---- */

enum site_comment_outcome {
	SITE_COMMENT_PUBLISHED = 0,
	SITE_COMMENT_HELD,	/* held for moderation or filed as spam */
	SITE_COMMENT_REFUSED,	/* a 4xx: bad form, token, closed... */
	SITE_COMMENT_LIMITED,	/* 429: too fast, too many */
	SITE_COMMENT_ERROR,	/* 5xx: the store failed */
	SITE_COMMENT__MAX
};

#define SITE_ROUTES_MAX	32	/* route ids counted (site.c's, + 1) */

/*
 * Opens the access log ([server] access_log, relative to dir); -1 with
 * err naming it.
 */
int	 site_metrics_new(struct site *, const char *dir, char *err,
	    size_t errlen);
void	 site_metrics_free(struct site *);
void	 site_metrics_comment(struct site *, enum site_comment_outcome);
/* GET /metrics. */
void	 page_metrics(struct site *, struct http_request *,
	    struct http_response *);
/* The name of a res->route for metrics ("post"; 0 is "none"). */
const char *site_route_name(int route);

/* ---- static.c ---- */

void	 static_file(struct site *, struct http_request *,
	    struct http_response *, const char *name);

/* ---- sha1.c: for TOTP only ---- */

void	 site_sha1(const void *, size_t, unsigned char out[SITE_SHA1_LEN]);
void	 site_hmac_sha1(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char out[SITE_SHA1_LEN]);

/* ---- account.c ---- */

enum account_role {
	ACCOUNT_OWNER = 0,	/* everything, users too */
	ACCOUNT_EDITOR,		/* every post, comments, labels, stats */
	ACCOUNT_AUTHOR,		/* their own posts */
};

enum account_login {
	ACCOUNT_LOGIN_OK = 0,	/* session made, cookie set in res */
	ACCOUNT_LOGIN_WRONG,	/* unknown name, bad password or code */
	ACCOUNT_LOGIN_THROTTLED,	/* too many failures lately */
	ACCOUNT_LOGIN_STALE,	/* the form's token is bad or old */
	ACCOUNT_LOGIN_ERROR,	/* the store failed */
};

/* The hex SHA-256 of secret (what the store keeps of ids and tokens). */
void	 site_hash_hex(const char *secret, char out[SITE_HASH_HEX]);
/* nbytes (<= 64) random bytes as hex, an arena string. */
char	*site_random_hex(struct arena *, size_t nbytes);
/* The token a login form carries (signed, timed; no session yet). */
const char *account_login_token(struct site *, struct arena *);
/* Checks a login and on success starts a session (sets the cookie). */
enum account_login account_login(struct site *, struct http_request *,
	    struct http_response *, const char *name, const char *pw,
	    const char *code, const char *token);
/* The request's session: 0 with its user and CSRF token, or -1. */
int	 account_session(struct site *, struct http_request *,
	    struct user **, const char **csrf);
/* 1 when the form's csrf field is the session's (constant time). */
int	 account_csrf_ok(struct http_request *, const char *csrf);
/* Ends the request's session and clears the cookie. */
void	 account_logout(struct site *, struct http_request *,
	    struct http_response *);
/* 1 when the site is served over TLS (cookies get Secure). */
int	 account_is_secure(struct site *, struct http_request *);
/* 1 when u's role is need or higher. */
int	 account_can(const struct user *, enum account_role need);

/* ---- admin.c: /admin/..., and what its pages share ---- */

enum admin_tmpl {
	ADMIN_LAYOUT = 0,
	ADMIN_LOGIN,
	ADMIN_DASHBOARD,
	ADMIN_POSTS,
	ADMIN_EDITOR,
	ADMIN_COMMENTS,
	ADMIN_REPLY,
	ADMIN_LABELS,
	ADMIN_STATS,
	ADMIN_TOKENS,
	ADMIN_MESSAGE,
	ADMIN_USERS,
	ADMIN__MAX
};

/* One admin request: who asks, and the page context being built. */
struct admin_req {
	struct site		*s;
	struct http_request	*req;
	struct http_response	*res;
	struct user		*user;	/* signed in */
	const char		*csrf;	/* the session's form token */
	struct mval		*ctx;	/* for the page template */
	const char		*rest;	/* path after /admin/, "" for home */
};

int	 admin_new(struct site *, char *err, size_t errlen);
void	 admin_free(struct site *);
/* Everything under /admin (rest: what follows "/admin/", or ""). */
void	 admin_handle(struct site *, struct http_request *,
	    struct http_response *, const char *rest);
/* Renders admin template t with ar->ctx inside the admin layout. */
void	 admin_render(struct admin_req *, enum admin_tmpl t,
	    const char *title);
/* A 303 to location. */
void	 admin_redirect(struct admin_req *, const char *location);
/* A page that says why (status 4xx), in the admin's look. */
void	 admin_fail(struct admin_req *, int status, const char *why);
/* "actor" for the moderation log: "admin:NAME". */
const char *admin_actor(struct admin_req *);
/* A time as the site shows it in lists ("September 12, 2023 at ..."). */
const char *admin_date(struct admin_req *, int64_t t);

/* ---- admin_posts.c ---- */

void	 admin_posts(struct admin_req *);
/*
 * Completes and saves p as user u (the editor and the API): checks the
 * title and slug (made from the title when empty), detects the language
 * when empty, renders the Markdown source, derives the address from the
 * slug and publish time, then in one transaction saves it, records u as
 * the author of a new post, and keeps old's public address (old: the
 * post as stored, or NULL) as a redirect.  Returns NULL, or why not for
 * the reader (an arena or static string).
 */
const char *admin_post_store(struct site *, struct arena *,
	    const struct user *u, struct post *p, const struct post *old);
/* 1 when u may edit post id (0: a new one). */
int	 admin_can_edit(struct site *, const struct user *u, int64_t id);
void	 admin_editor(struct admin_req *, const char *id);

/* ---- admin_comments.c ---- */

void	 admin_comments(struct admin_req *);
void	 admin_reply(struct admin_req *, const char *id);

/* ---- admin_labels.c ---- */

void	 admin_labels(struct admin_req *);

/* ---- admin_users.c ---- */

void	 admin_users(struct admin_req *);

/* ---- admin_stats.c ---- */

void	 admin_stats(struct admin_req *);
void	 admin_dashboard(struct admin_req *);
void	 admin_tokens(struct admin_req *);

/* ---- stats.c ---- */

struct site_stats *stats_new(void);
void	 stats_free(struct site_stats *);	/* NULL is a no-op */

/* ---- api.c: /api/v1/... but search (page_search.c) ---- */

void	 api_handle(struct site *, struct http_request *,
	    struct http_response *, const char *rest);

#endif /* GAZETTE_SITE_INT_H */
