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
 * Guest comments: the signed form token that lets post pages stay
 * cacheable, POST /comment with its checks (honeypot, time trap, rate,
 * lengths, text), moderation, and the "held for moderation" notice.
 * A comment is acknowledged (303) only after the store committed it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "site_int.h"

#define TOKEN_MAC_LEN	16	/* bytes of HMAC kept in a token */
#define TOKEN_SKEW	60	/* seconds a token may come from the future */

static void
token_mac(struct site *s, int64_t post_id, int64_t ts,
    unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	char	 msg[64];
	int	 n;

	n = snprintf(msg, sizeof(msg), "comment\n%lld\n%lld",
	    (long long)post_id, (long long)ts);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (size_t)n,
	    s->secret);
}

const char *
comment_token(struct site *s, struct arena *a, int64_t post_id)
{
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	char		 hex[2 * TOKEN_MAC_LEN + 1];
	int64_t		 ts = clock_now();

	token_mac(s, post_id, ts, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, TOKEN_MAC_LEN);
	return arena_printf(a, "%lld.%s", (long long)ts, hex);
}

/*
 * Checks a token for post_id.  Returns 0 and the time it was made in
 * *ts, or -1 with the reason in *why.
 */
static int
token_check(struct site *s, const char *token, int64_t post_id, int64_t *ts,
    const char **why)
{
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	unsigned char	 got[TOKEN_MAC_LEN];
	char		 num[24];
	const char	*dot;
	size_t		 binlen;
	int64_t		 now = clock_now();

	*ts = 0;
	*why = "The form token is not valid: reload the page and try again.";
	if ((dot = strchr(token, '.')) == NULL ||
	    (size_t)(dot - token) >= sizeof(num) ||
	    strlen(dot + 1) != 2 * TOKEN_MAC_LEN)
		return -1;
	memcpy(num, token, (size_t)(dot - token));
	num[dot - token] = '\0';
	if (str_to_i64(num, 1, INT64_MAX / 2, ts) == -1 ||
	    sodium_hex2bin(got, sizeof(got), dot + 1, 2 * TOKEN_MAC_LEN,
	    NULL, &binlen, NULL) != 0 || binlen != TOKEN_MAC_LEN)
		return -1;
	token_mac(s, post_id, *ts, mac);
	if (sodium_memcmp(mac, got, TOKEN_MAC_LEN) != 0 ||
	    *ts > now + TOKEN_SKEW)
		return -1;
	if (now - *ts > SITE_TOKEN_MAX_AGE) {
		*why = "The form has expired: reload the page and try again.";
		return -1;
	}
	return 0;
}

int
comments_open(const struct post *p)
{
	if (p->comments_closed)
		return 0;
	return p->comments_days <= 0 || clock_now() <
	    p->published + (int64_t)p->comments_days * 86400;
}

/* A keyed hash of the client address: rate limits without storing IPs. */
static void
addr_hash(struct site *s, const char *addr, unsigned char out[16])
{
	crypto_generichash(out, 16, (const unsigned char *)addr, strlen(addr),
	    s->secret, sizeof(s->secret));
}

/* Takes a token from addr's bucket: 0 when it had one, -1 when empty. */
static int
rate_take(struct site *s, const unsigned char hash[16])
{
	struct rate_slot	*slot;
	uint64_t		 key;
	int64_t			 now = clock_now();
	double			 rate = s->conf->comments_rate;
	int			 ok;

	if (s->conf->comments_rate == 0)
		return 0;
	memcpy(&key, hash, sizeof(key));
	key |= 1;	/* 0 marks a free slot */
	pthread_mutex_lock(&s->rate_lock);
	/* One slot per hash bucket: a collision only refills a bucket. */
	slot = &s->rate[key % SITE_RATE_SLOTS];
	if (slot->addr != key) {
		slot->addr = key;
		slot->at = now;
		slot->tokens = rate;
	}
	if (now > slot->at) {
		slot->tokens += (double)(now - slot->at) * rate / 60;
		if (slot->tokens > rate)
			slot->tokens = rate;
		slot->at = now;
	}
	ok = slot->tokens >= 1;
	if (ok)
		slot->tokens -= 1;
	pthread_mutex_unlock(&s->rate_lock);
	return ok ? 0 : -1;
}

/* A copy of s without surrounding spaces and with CRLF turned into LF. */
static char *
clean_text(struct arena *a, const char *s)
{
	char	*out, *p;
	size_t	 n = 0;

	out = arena_strdup(a, s == NULL ? "" : s);
	for (p = out; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			out[n++] = *p;
	out[n] = '\0';
	return str_trim(out);
}

/* 1 if s has a control character (any, even newline). */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Checks the reader's fields; returns NULL or why they are refused. */
static const char *
check_fields(struct arena *a, const char *name, const char *email,
    const char *url, const char *body)
{
	size_t	 len;

	if (*name == '\0')
		return "Please give your name.";
	if (str_utf8_count(name, strlen(name)) > LIMIT_COMMENT_NAME ||
	    has_control(name))
		return arena_printf(a, "The name must be one line of at most "
		    "%d characters.", LIMIT_COMMENT_NAME);
	if (*email != '\0' && (strlen(email) > LIMIT_COMMENT_EMAIL ||
	    has_control(email) || strpbrk(email, " <>\"") != NULL ||
	    strchr(email, '@') == NULL || strchr(email, '@') == email))
		return "The email address is not valid.";
	if (*url != '\0' && ((!str_has_prefix(url, "http://") &&
	    !str_has_prefix(url, "https://")) || strlen(url) <= 8 ||
	    strlen(url) > LIMIT_COMMENT_URL || has_control(url) ||
	    strpbrk(url, " <>\"'`") != NULL))
		return "The web address must start with http:// or https:// "
		    "and have no spaces.";
	len = strlen(body);
	if (len == 0)
		return "The comment is empty.";
	if (len > LIMIT_COMMENT_BODY)
		return arena_printf(a, "The comment is longer than %d bytes.",
		    LIMIT_COMMENT_BODY);
	if (!str_is_text(body, len, NULL))
		return "The comment contains control characters.";
	return NULL;
}

/*
 * The status a new comment gets: the scorer's verdict first (spam is
 * filed away, a doubtful one held), then the site's moderation mode.
 */
static enum store_err
initial_status(struct site *s, const struct comment *c,
    const struct text_spam_result *sr, enum comment_status *st)
{
	enum store_err	 e = STORE_OK;
	int		 known = 0;

	if (sr->verdict == TEXT_SPAM_REJECT) {
		*st = COMMENT_SPAM;
		return STORE_OK;
	}
	if (sr->verdict == TEXT_SPAM_HOLD) {
		*st = COMMENT_PENDING;
		return STORE_OK;
	}
	switch (s->conf->comments_moderation) {
	case CONF_MOD_NONE:
		*st = COMMENT_APPROVED;
		break;
	case CONF_MOD_ALL:
		*st = COMMENT_PENDING;
		break;
	case CONF_MOD_LINKS:
		*st = sr->nlinks > s->conf->comments_max_links ?
		    COMMENT_PENDING : COMMENT_APPROVED;
		break;
	default:
		if (*c->email != '\0')
			e = store_commenter_known(s->store, c->name, c->email,
			    &known);
		*st = known ? COMMENT_APPROVED : COMMENT_PENDING;
		break;
	}
	return e;
}

/* The scorer's word for a verdict, as the moderation log keeps it. */
static const char *
verdict_name(enum text_spam_verdict v)
{
	return v == TEXT_SPAM_REJECT ? "reject" : v == TEXT_SPAM_HOLD ?
	    "hold" : "pass";
}

/* Scores c (filled but for status) with the site's filter. */
static enum store_err
score(struct site *s, struct arena *a, struct comment *c, const char *lang,
    struct text_spam_result *sr)
{
	struct text_spam_input	 in;
	enum store_err		 e;

	memset(&in, 0, sizeof(in));
	in.name = c->name;
	in.email = c->email;
	in.url = c->url;
	in.body = c->body;
	in.lang = lang;
	e = store_comment_same_body(s->store, c->body, clock_now() - 86400,
	    &in.same_body);
	if (e != STORE_OK)
		return e;
	if (text_spam_check(a, &s->spam, &in, store_spam_counter, s->store,
	    sr) == -1)
		return STORE_ERR;	/* the fields were checked as UTF-8 */
	c->spam_score = sr->score;
	c->spam_reasons = sr->reasons;
	return STORE_OK;
}

void
comment_post(struct site *s, struct http_request *req,
    struct http_response *res)
{
	struct arena	*a = req->arena;
	struct comment	 c, *parent;
	struct post	*p;
	struct text_spam_result sr;
	const char	*v, *why;
	char		*name, *email, *url, *body;
	unsigned char	 hash[16];
	char		 hex[33];
	int64_t		 post_id, parent_id = 0, ts;
	enum store_err	 e;

	http_response_header(res, "Cache-Control", "no-store");
	v = http_form_field(req, "website");
	if (v != NULL && *v != '\0') {
		site_error(s, req, res, 400, "The field \"website\" must stay "
		    "empty: it is a trap for spam robots.");
		return;
	}
	if ((v = http_form_field(req, "post")) == NULL ||
	    str_to_i64(v, 1, INT64_MAX, &post_id) == -1) {
		site_error(s, req, res, 400, "The field \"post\" must be a "
		    "post number.");
		return;
	}
	if ((v = http_form_field(req, "parent")) != NULL && *v != '\0' &&
	    str_to_i64(v, 1, INT64_MAX, &parent_id) == -1) {
		site_error(s, req, res, 400, "The field \"parent\" must be a "
		    "comment number.");
		return;
	}
	if ((v = http_form_field(req, "token")) == NULL || *v == '\0') {
		site_error(s, req, res, 400, "The form token is missing: "
		    "reload the page and try again.");
		return;
	}
	if (token_check(s, v, post_id, &ts, &why) == -1) {
		site_error(s, req, res, 403, why);
		return;
	}
	if (clock_now() - ts < s->conf->comments_min_seconds) {
		site_error(s, req, res, 429, "The comment came too quickly "
		    "after the page loaded; wait a few seconds and send it "
		    "again.");
		http_response_header(res, "Retry-After", arena_printf(a, "%d",
		    s->conf->comments_min_seconds));
		return;
	}
	name = clean_text(a, http_form_field(req, "name"));
	email = clean_text(a, http_form_field(req, "email"));
	url = clean_text(a, http_form_field(req, "url"));
	body = clean_text(a, http_form_field(req, "body"));
	if ((why = check_fields(a, name, email, url, body)) != NULL) {
		site_error(s, req, res, 400, why);
		return;
	}
	addr_hash(s, req->client_addr, hash);
	if (rate_take(s, hash) == -1) {
		site_error(s, req, res, 429, "Too many comments from your "
		    "address; wait a minute and try again.");
		http_response_header(res, "Retry-After", "60");
		return;
	}

	e = store_post_get_id(s->store, a, post_id, &p);
	if (e == STORE_NOTFOUND || (e == STORE_OK &&
	    (p->status != POST_PUBLISHED || p->published > clock_now()))) {
		site_error(s, req, res, 404, "There is no such post.");
		return;
	}
	if (e == STORE_OK && !comments_open(p)) {
		site_error(s, req, res, 403, "Comments on this post are "
		    "closed.");
		return;
	}
	if (e == STORE_OK && parent_id != 0) {
		e = store_comment_get(s->store, a, parent_id, &parent);
		if (e == STORE_NOTFOUND || (e == STORE_OK &&
		    (parent->post_id != post_id ||
		    parent->status != COMMENT_APPROVED))) {
			site_error(s, req, res, 400, "The comment you answer "
			    "is not on this post.");
			return;
		}
	}
	memset(&c, 0, sizeof(c));
	c.post_id = post_id;
	c.parent_id = parent_id;
	c.name = name;
	c.email = email;
	c.url = url;
	c.body = body;
	c.created = clock_now();
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	c.addr_hash = hex;
	if (e == STORE_OK)
		e = score(s, a, &c, p->lang, &sr);
	if (e == STORE_OK)
		e = initial_status(s, &c, &sr, &c.status);
	/* The comment and the scorer's reasons land together, or neither. */
	if (e == STORE_OK && (e = store_write_begin(s->store)) == STORE_OK) {
		e = store_comment_add(s->store, &c);
		if (e == STORE_OK)
			e = store_moderation_add(s->store, c.id,
			    verdict_name(sr.verdict), "scorer", sr.reasons);
		e = store_write_end(s->store, e == STORE_OK) != STORE_OK ?
		    STORE_ERR : e;
	}
	if (e == STORE_OK && sr.verdict != TEXT_SPAM_PASS)
		log_info("comment %lld on post %lld: %s (score %.2f): %s",
		    (long long)c.id, (long long)post_id,
		    verdict_name(sr.verdict), sr.score, sr.reasons);
	if (e != STORE_OK) {
		log_warnx("comment on post %lld: %s", (long long)post_id,
		    store_errmsg(s->store));
		site_error(s, req, res, 503, "The comment could not be saved; "
		    "please send it again in a moment.");
		return;
	}
	res->status = 303;
	http_response_header(res, "Location", c.status == COMMENT_APPROVED ?
	    arena_printf(a, "%s#c%lld", p->path, (long long)c.id) :
	    arena_printf(a, "/comment/held?post=%lld", (long long)post_id));
	res->content_type = "text/plain; charset=utf-8";
	buf_adds(&res->body, c.status == COMMENT_APPROVED ?
	    "Comment published.\n" : "Comment held for moderation.\n");
}

void
comment_held(struct site *s, struct http_request *req,
    struct http_response *res)
{
	struct mval	*ctx;
	struct post	*p = NULL;
	const char	*v;
	int64_t		 id = 0;

	if ((v = http_param(req, "post")) != NULL &&
	    str_to_i64(v, 1, INT64_MAX, &id) == -1) {
		site_error(s, req, res, 400, "The parameter \"post\" must be a "
		    "post number.");
		return;
	}
	if (id != 0 && (store_post_get_id(s->store, req->arena, id, &p) !=
	    STORE_OK || p->status != POST_PUBLISHED))
		p = NULL;
	ctx = site_context(s, req, render_msg(s->conf->site_locale,
	    "held_title"));
	mval_set_bool(req->arena, ctx, "robots_noindex", 1);
	mval_set_bool(req->arena, ctx, "has_canonical", 0);
	mval_set_bool(req->arena, ctx, "has_post", p != NULL);
	mval_set_str(req->arena, ctx, "post_path", p != NULL ? p->path : "");
	mval_set_str(req->arena, ctx, "post_title", p != NULL ? p->title : "");
	http_response_header(res, "Cache-Control", "no-store");
	site_render(s, req, res, THEME_HELD, ctx);
}

/* Length of the http(s) URL at s, without trailing punctuation, or 0. */
static size_t
url_len(const char *s)
{
	size_t	 n;

	if (!str_has_prefix(s, "http://") && !str_has_prefix(s, "https://"))
		return 0;
	n = strcspn(s, " \t\n<>\"'");
	while (n > 0 && strchr(".,;:!?)]}", s[n - 1]) != NULL)
		n--;
	return n > 8 ? n : 0;
}

void
comment_body_html(struct buf *out, const char *body)
{
	const char	*p = body, *start;
	size_t		 n;
	int		 in_para = 0;

	while (*p != '\0') {
		if (*p == '\n') {
			/* A blank line (spaces allowed) ends the paragraph. */
			start = p + 1;
			while (*start == ' ' || *start == '\t' ||
			    *start == '\r')
				start++;
			if (*start == '\n' || *start == '\0') {
				if (in_para)
					buf_adds(out, "</p>\n");
				in_para = 0;
				while (*start == '\n' || *start == ' ' ||
				    *start == '\t' || *start == '\r')
					start++;
				p = start;
				continue;
			}
			if (in_para)
				buf_adds(out, "<br>\n");
			p++;
			continue;
		}
		if (!in_para) {
			buf_adds(out, "<p>");
			in_para = 1;
		}
		if ((n = url_len(p)) > 0) {
			buf_adds(out, "<a href=\"");
			render_escape_html(out, p, n);
			buf_adds(out, "\" rel=\"nofollow ugc\">");
			render_escape_html(out, p, n);
			buf_adds(out, "</a>");
			p += n;
			continue;
		}
		n = strcspn(p, "\nh");
		if (n == 0)
			n = 1;
		render_escape_html(out, p, n);
		p += n;
	}
	if (in_para)
		buf_adds(out, "</p>");
}

const char *
site_queue_feed(struct site *s, struct arena *a)
{
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	char		 hex[2 * TOKEN_MAC_LEN + 1];

	crypto_auth_hmacsha256(mac, (const unsigned char *)"moderation-feed",
	    15, s->secret);
	sodium_bin2hex(hex, sizeof(hex), mac, TOKEN_MAC_LEN);
	return arena_printf(a, "/feeds/moderation/%s", hex);
}

/* A comment as a feed entry; title is what the entry is called. */
static void
feed_entry(struct site *s, struct arena *a, const struct comment *c,
    const char *title, const char *extra, struct render_feed_entry *e)
{
	struct buf	 b = BUF_INIT;

	comment_body_html(&b, c->body);
	if (extra != NULL && *extra != '\0') {
		buf_adds(&b, "\n<p>");
		render_escape_html(&b, extra, strlen(extra));
		buf_adds(&b, "</p>");
	}
	e->id = arena_printf(a, "%s%s#c%lld", s->conf->site_url, c->post_path,
	    (long long)c->id);
	e->link = e->id;
	e->title = title;
	e->author = c->name;
	e->content_html = arena_strndup(a, b.p == NULL ? "" : b.p, b.len);
	e->updated = c->created;
	buf_clear(&b);
}

static void
send_feed(struct http_response *res, const struct render_feed *f)
{
	render_feed_atom(&res->body, f);
	res->content_type = "application/atom+xml; charset=utf-8";
}

void
comment_feed(struct site *s, struct http_request *req,
    struct http_response *res, const char *id)
{
	struct arena			*a = req->arena;
	struct render_feed		 f;
	struct render_feed_entry	*v;
	struct comment_list		 cl;
	struct post			*p;
	int64_t				 post_id;
	size_t				 i;

	if (str_to_i64(id, 1, INT64_MAX, &post_id) == -1 ||
	    store_post_get_id(s->store, a, post_id, &p) != STORE_OK ||
	    p->status != POST_PUBLISHED || p->published > clock_now()) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	if (store_comment_list_post(s->store, a, post_id, COMMENT_APPROVED,
	    &cl) != STORE_OK) {
		site_error(s, req, res, 503, "The database is not answering; "
		    "try again in a moment.");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.id = arena_printf(a, "%s%s", s->conf->site_url, req->path);
	f.self = f.id;
	f.link = arena_printf(a, "%s%s#comments", s->conf->site_url,
	    p->path);
	f.title = arena_printf(a, "%s: %s", render_msg(s->conf->site_locale,
	    "comments"), p->title);
	f.lang = s->conf->site_locale;
	f.updated = p->updated;
	v = arena_allocarray(a, cl.n + 1, sizeof(*v));
	/* Newest first, as feed readers expect. */
	for (i = 0; i < cl.n; i++) {
		cl.v[cl.n - 1 - i].post_path = p->path;
		feed_entry(s, a, &cl.v[cl.n - 1 - i], cl.v[cl.n - 1 - i].name,
		    NULL, &v[i]);
		if (cl.v[cl.n - 1 - i].created > f.updated)
			f.updated = cl.v[cl.n - 1 - i].created;
	}
	f.v = v;
	f.n = cl.n;
	http_response_header(res, "Cache-Control", "no-cache");
	send_feed(res, &f);
	site_cache_keep(s, req, res, 0);
	site_cache_tag(req, res, "post:%lld", (long long)post_id);
}

void
comment_queue_feed(struct site *s, struct http_request *req,
    struct http_response *res, const char *token)
{
	struct arena			*a = req->arena;
	struct render_feed		 f;
	struct render_feed_entry	*v;
	struct comment_query		 q;
	struct comment_list		 held, spam;
	const char			*want;
	size_t				 i;

	want = site_queue_feed(s, a) + strlen("/feeds/moderation/");
	if (strlen(token) != strlen(want) ||
	    sodium_memcmp(token, want, strlen(want)) != 0) {
		site_error(s, req, res, 404, NULL);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.status = COMMENT_PENDING;
	q.limit = 100;
	if (store_comment_query(s->store, a, &q, &held) != STORE_OK ||
	    (q.status = COMMENT_SPAM, store_comment_query(s->store, a, &q,
	    &spam)) != STORE_OK) {
		site_error(s, req, res, 503, "The database is not answering; "
		    "try again in a moment.");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.id = arena_printf(a, "%s%s", s->conf->site_url, req->path);
	f.self = f.id;
	f.link = s->conf->site_url;
	f.title = arena_printf(a, "%s: %s", s->conf->site_title,
	    render_msg(s->conf->site_locale, "held_title"));
	f.lang = s->conf->site_locale;
	v = arena_allocarray(a, held.n + spam.n + 1, sizeof(*v));
	for (i = 0; i < held.n + spam.n; i++) {
		const struct comment *c = i < held.n ? &held.v[i] :
		    &spam.v[i - held.n];

		feed_entry(s, a, c, arena_printf(a, "[%s] %s: %s",
		    comment_status_name(c->status), c->name, c->post_title),
		    c->spam_reasons, &v[i]);
		if (c->created > f.updated)
			f.updated = c->created;
	}
	f.v = v;
	f.n = held.n + spam.n;
	http_response_header(res, "Cache-Control", "no-store");
	http_response_header(res, "X-Robots-Tag", "noindex");
	send_feed(res, &f);
}
