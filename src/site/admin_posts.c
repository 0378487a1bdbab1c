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
 * The admin's posts: the list with its filters, and the editor (title,
 * slug, Markdown with a server-rendered preview, labels with keyword
 * suggestions as one-click chips, language, draft / publish now /
 * schedule).  A scheduled post is a published one whose time is still
 * to come: it goes live by time alone, so a restart changes nothing.
 * Authors see and edit only their own posts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site_int.h"

#define POSTS_SCAN	1000	/* newest posts the list filters over */
#define POSTS_SHOWN	50	/* rows on one list page */
#define CHIPS_MAX	10	/* keyword suggestions offered */

int
admin_can_edit(struct site *s, const struct user *u, int64_t id)
{
	int64_t	 author;

	if (account_can(u, ACCOUNT_EDITOR) || id == 0)
		return 1;
	if (store_post_author_get(s->store, id, &author) != STORE_OK)
		return 0;
	return author == u->id;
}

static const char *
status_of(const struct post *p, int64_t now)
{
	if (p->status == POST_DRAFT)
		return "draft";
	return p->published > now ? "scheduled" : "published";
}

/* 1 when hay contains needle, ASCII case folded. */
static int
contains(const char *hay, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

/* The list's address for another page, with the same filters. */
static const char *
page_href(struct admin_req *ar, const char *status, const char *label,
    const char *text, int64_t page)
{
	struct buf	 b = BUF_INIT;
	const char	*href;

	buf_adds(&b, "/admin/posts?status=");
	render_escape_url(&b, status, strlen(status));
	if (label != NULL) {
		buf_adds(&b, "&label=");
		render_escape_url(&b, label, strlen(label));
	}
	buf_adds(&b, "&q=");
	render_escape_url(&b, text, strlen(text));
	buf_addf(&b, "&page=%lld", (long long)page);
	href = arena_strndup(ar->req->arena, b.p, b.len);
	buf_clear(&b);
	return href;
}

void
admin_posts(struct admin_req *ar)
{
	struct arena		*a = ar->req->arena;
	struct post_query	 q;
	struct post_list	 pl;
	struct mval		*rows, *row, *opt, *opts;
	struct label		*labels;
	const char		*want, *label, *text, *st, *f;
	static const char *const statuses[] = { "all", "draft", "scheduled",
	    "published", "page" };
	int64_t			 now = clock_now(), page = 1;
	size_t			 i, n = 0, nlabels;

	if ((want = http_param(ar->req, "status")) == NULL || *want == '\0')
		want = "all";
	if ((label = http_param(ar->req, "label")) != NULL && *label == '\0')
		label = NULL;
	if ((text = http_param(ar->req, "q")) == NULL)
		text = "";
	if ((f = http_param(ar->req, "page")) != NULL &&
	    str_to_i64(f, 1, POSTS_SCAN / POSTS_SHOWN, &page) == -1) {
		admin_fail(ar, 400, "page: expected a page number from 1 to "
		    "20.");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	q.include_pages = 1;
	q.now = now;
	q.label = label;
	q.limit = POSTS_SCAN;
	if (store_post_list(ar->s->store, a, &q, &pl) != STORE_OK ||
	    store_label_list(ar->s->store, a, &labels, &nlabels) != STORE_OK) {
		admin_fail(ar, 503, store_errmsg(ar->s->store));
		return;
	}
	rows = mval_list(a);
	for (i = 0; i < pl.n && n < (size_t)page * POSTS_SHOWN + 1; i++) {
		st = pl.v[i].is_page ? "page" : status_of(&pl.v[i], now);
		if (strcmp(want, "all") != 0 && strcmp(want, st) != 0)
			continue;
		if (!contains(pl.v[i].title, text))
			continue;
		if (!account_can(ar->user, ACCOUNT_EDITOR) &&
		    !admin_can_edit(ar->s, ar->user, pl.v[i].id))
			continue;
		/* Matches before this page, and one after it, are counted. */
		if (n++ < (size_t)(page - 1) * POSTS_SHOWN ||
		    n > (size_t)page * POSTS_SHOWN)
			continue;
		row = site_post_value(ar->s, a, &pl.v[i]);
		mval_set_str(a, row, "status", pl.v[i].is_page ? "page" :
		    status_of(&pl.v[i], now));
		mval_set_str(a, row, "when", admin_date(ar,
		    pl.v[i].published));
		mval_set_bool(a, row, "is_public", pl.v[i].status ==
		    POST_PUBLISHED && pl.v[i].published <= now);
		mval_push(a, rows, row);
	}
	if (n > (size_t)page * POSTS_SHOWN)
		mval_set_str(a, ar->ctx, "next", page_href(ar, want, label,
		    text, page + 1));
	if (page > 1)
		mval_set_str(a, ar->ctx, "prev", page_href(ar, want, label,
		    text, page - 1));
	opts = mval_list(a);
	for (i = 0; i < nitems(statuses); i++) {
		opt = mval_map(a);
		mval_set_str(a, opt, "value", statuses[i]);
		mval_set_bool(a, opt, "selected", strcmp(want,
		    statuses[i]) == 0);
		mval_push(a, opts, opt);
	}
	mval_set(a, ar->ctx, "statuses", opts);
	opts = mval_list(a);
	for (i = 0; i < nlabels; i++) {
		opt = mval_map(a);
		mval_set_str(a, opt, "value", labels[i].name);
		mval_set_bool(a, opt, "selected", label != NULL &&
		    strcmp(label, labels[i].name) == 0);
		mval_push(a, opts, opt);
	}
	mval_set(a, ar->ctx, "labels", opts);
	mval_set_str(a, ar->ctx, "q", text);
	mval_set(a, ar->ctx, "posts", rows);
	mval_set_bool(a, ar->ctx, "has_posts", rows->n > 0);
	admin_render(ar, ADMIN_POSTS, "Posts");
}

/* text_df_fn over the search index, for keyword suggestions. */
static int64_t
index_df(void *arg, const char *const *terms, size_t nterms)
{
	struct store	*st = arg;
	int64_t		 n, total;

	if (store_phrase_docs(st, terms, nterms, &n, &total) != STORE_OK)
		return -1;
	return n;
}

/* The editor's form as it was sent, or as the post is. */
struct draft {
	int64_t		 id;
	const char	*title, *slug, *source, *labels, *lang, *when;
	int		 is_page;
};

/* Splits "a, b, c" into p's labels, trimmed, each once, at most the limit. */
static void
labels_set(struct arena *a, struct post *p, const char *list)
{
	char	*dup, *w, *save = NULL;
	size_t	 i, cap = 0;

	p->labels = NULL;
	p->nlabels = 0;
	dup = arena_strdup(a, list);
	for (w = strtok_r(dup, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (*str_trim(w) == '\0' || strlen(w) > LIMIT_LABEL ||
		    p->nlabels == LIMIT_LABELS)
			continue;
		for (i = 0; i < p->nlabels; i++)
			if (strcasecmp(p->labels[i], w) == 0)
				break;
		if (i < p->nlabels)
			continue;
		p->labels = arena_grow(a, p->labels, p->nlabels, &cap,
		    sizeof(*p->labels));
		p->labels[p->nlabels++] = w;
	}
}

static const char *
labels_join(struct arena *a, const struct post *p)
{
	struct buf	 b = BUF_INIT;
	const char	*s;
	size_t		 i;

	for (i = 0; i < p->nlabels; i++)
		buf_addf(&b, "%s%s", i > 0 ? ", " : "", p->labels[i]);
	s = arena_strndup(a, b.p == NULL ? "" : b.p, b.len);
	buf_clear(&b);
	return s;
}

/* "2026-11-29T08:15": t in the site's zone, as datetime-local reads. */
static const char *
local_time(struct admin_req *ar, int64_t t)
{
	const char	*tz = ar->s->conf->site_timezone;
	int64_t		 midnight, min;
	int		 y, m, d;

	if (text_date_parts(tz, t, &y, &m, &d) == -1 ||
	    text_date_from_parts(tz, y, m, d, &midnight) == -1)
		return "";
	min = (t - midnight) / 60;
	return arena_printf(ar->req->arena, "%04d-%02d-%02dT%02d:%02d", y, m,
	    d, (int)(min / 60), (int)(min % 60));
}

/* Offers the keyword suggestions not on the post yet as chips. */
static void
chips(struct admin_req *ar, const struct post *p)
{
	struct arena		*a = ar->req->arena;
	struct text_keyword	*kw;
	struct label		*labels;
	struct post_query	 q;
	struct post_list	 pl;
	struct mval		*list, *c;
	const char		**names;
	size_t			 i, j, n, nlabels;

	list = mval_list(a);
	memset(&q, 0, sizeof(q));
	q.now = clock_now();
	q.limit = 1;
	if (*p->title == '\0' && *p->source == '\0')
		goto out;
	if (store_label_list(ar->s->store, a, &labels, &nlabels) !=
	    STORE_OK || store_post_list(ar->s->store, a, &q, &pl) != STORE_OK)
		goto out;
	names = arena_allocarray(a, nlabels + 1, sizeof(*names));
	for (i = 0; i < nlabels; i++)
		names[i] = labels[i].name;
	if (text_keywords(a, *p->lang != '\0' ? p->lang : NULL, p->title,
	    p->source, names, nlabels, index_df, ar->s->store,
	    (int64_t)pl.total, CHIPS_MAX, &kw, &n) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < p->nlabels; j++)
			if (strcasecmp(p->labels[j], kw[i].phrase) == 0)
				break;
		if (j < p->nlabels)
			continue;
		c = mval_map(a);
		mval_set_str(a, c, "name", kw[i].phrase);
		mval_set_bool(a, c, "is_existing", kw[i].is_existing);
		mval_push(a, list, c);
	}
out:
	mval_set(a, ar->ctx, "chips", list);
	mval_set_bool(a, ar->ctx, "has_chips", list->n > 0);
}

/* Shows the editor for p (its fields as they stand). */
static void
editor_show(struct admin_req *ar, const struct post *p, const char *when,
    const char *error, int preview)
{
	struct arena	*a = ar->req->arena;
	struct buf	 html = BUF_INIT;
	int64_t		 now = clock_now();

	mval_set_int(a, ar->ctx, "id", p->id);
	mval_set_bool(a, ar->ctx, "is_new", p->id == 0);
	mval_set_str(a, ar->ctx, "form_action", p->id == 0 ?
	    "/admin/posts/new" : arena_printf(a, "/admin/posts/%lld",
	    (long long)p->id));
	mval_set_str(a, ar->ctx, "post_title", p->title);
	mval_set_str(a, ar->ctx, "slug", p->slug);
	mval_set_str(a, ar->ctx, "source", p->source);
	mval_set_str(a, ar->ctx, "post_labels", labels_join(a, p));
	mval_set_str(a, ar->ctx, "post_lang", p->lang);
	mval_set_bool(a, ar->ctx, "is_page", p->is_page);
	mval_set_str(a, ar->ctx, "when", when);
	mval_set_str(a, ar->ctx, "tz", ar->s->conf->site_timezone);
	mval_set_str(a, ar->ctx, "status", p->id == 0 ? "new" :
	    status_of(p, now));
	mval_set_bool(a, ar->ctx, "is_public", p->id != 0 &&
	    p->status == POST_PUBLISHED && p->published <= now);
	mval_set_bool(a, ar->ctx, "is_scheduled", p->id != 0 &&
	    p->status == POST_PUBLISHED && p->published > now);
	mval_set_str(a, ar->ctx, "path", p->path != NULL ? p->path : "");
	mval_set_str(a, ar->ctx, "published_at", p->id != 0 ?
	    admin_date(ar, p->published) : "");
	mval_set_bool(a, ar->ctx, "has_error", error != NULL);
	mval_set_str(a, ar->ctx, "error", error != NULL ? error : "");
	mval_set_bool(a, ar->ctx, "saved", error == NULL &&
	    http_param(ar->req, "saved") != NULL);
	if (preview && render_md(p->source, strlen(p->source), &html) == 0) {
		mval_set_bool(a, ar->ctx, "has_preview", 1);
		mval_set(a, ar->ctx, "preview", mval_strn(a,
		    arena_strndup(a, html.p == NULL ? "" : html.p, html.len),
		    html.len));
	}
	buf_clear(&html);
	chips(ar, p);
	if (error != NULL && ar->res->status == 200)
		ar->res->status = 400;
	admin_render(ar, ADMIN_EDITOR, p->id == 0 ? "New post" :
	    arena_printf(a, "Edit: %s", p->title));
}

static int
slug_ok(const char *s)
{
	size_t	 len = strlen(s);

	return len > 0 && len <= LIMIT_SLUG && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") == len && s[0] != '-';
}

const char *
admin_post_store(struct site *s, struct arena *a, const struct user *u,
    struct post *p, const struct post *old)
{
	struct store	*st = s->store;
	struct buf	 html = BUF_INIT;
	enum store_err	 e;
	int		 created, y, m, d;

	if (p->title == NULL || *p->title == '\0' ||
	    strlen(p->title) > LIMIT_TITLE)
		return "title: a post needs a title (at most 512 bytes).";
	if (p->slug == NULL || *p->slug == '\0')
		p->slug = text_slug(a, p->title, strlen(p->title));
	if (*p->slug == '\0')
		p->slug = "post";
	if (!slug_ok(p->slug))
		return "slug: use lower-case letters, digits and dashes (at "
		    "most 100).";
	if (p->lang == NULL || *p->lang == '\0')
		p->lang = arena_strdup(a, text_lang_detect(p->source,
		    strlen(p->source), s->conf->site_locale));
	if (render_md(p->source, strlen(p->source), &html) == -1) {
		buf_clear(&html);
		return "body: not valid UTF-8.";
	}
	p->html = arena_strndup(a, html.p == NULL ? "" : html.p, html.len);
	buf_clear(&html);
	p->updated = clock_now();
	/*
	 * A post that is out keeps its address (an imported one may have
	 * an address of another form) unless its slug or kind changes.
	 */
	if (old != NULL && old->status == POST_PUBLISHED &&
	    old->published <= clock_now() && strcmp(old->slug, p->slug) == 0 &&
	    old->is_page == p->is_page)
		p->path = old->path;
	else if (p->is_page)
		p->path = arena_printf(a, "/p/%s.html", p->slug);
	else if (text_date_parts(s->conf->site_timezone, p->published, &y,
	    &m, &d) == -1)
		return "published: outside the years 1583 to 9999.";
	else
		p->path = arena_printf(a, "/%04d/%02d/%s.html", y, m, p->slug);
	if (store_write_begin(st) != STORE_OK)
		return "The database is busy: try again.";
	e = store_post_save(st, p, &created);
	if (e == STORE_OK && created)
		e = store_post_author_set(st, p->id, u->id);
	/* A post that was out keeps its old address as a redirect. */
	if (e == STORE_OK && old != NULL && old->status == POST_PUBLISHED &&
	    old->published <= clock_now() && strcmp(old->path, p->path) != 0)
		e = store_redirect_put(st, old->path, p->path);
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	if (e == STORE_CONFLICT)
		return arena_printf(a, "The address %s belongs to another "
		    "post: change the slug.", p->path);
	if (e != STORE_OK) {
		log_warnx("post save: %s", store_errmsg(st));
		return "The post could not be saved (database error).";
	}
	return NULL;
}

/* POST to the editor: preview, add a chip, save, publish, schedule. */
static void
editor_post(struct admin_req *ar, struct post *p, const struct post *old)
{
	struct http_request	*req = ar->req;
	struct arena		*a = req->arena;
	const char		*action, *chip, *when, *labels, *f, *why;
	int64_t			 now = clock_now(), t = 0;

	action = (f = http_form_field(req, "action")) != NULL ? f : "preview";
	p->title = arena_strdup(a, (f = http_form_field(req, "title")) !=
	    NULL ? f : "");
	str_trim(p->title);
	p->source = arena_strdup(a, (f = http_form_field(req, "source")) !=
	    NULL ? f : "");
	p->slug = arena_strdup(a, (f = http_form_field(req, "slug")) !=
	    NULL ? f : "");
	str_trim(p->slug);
	p->lang = arena_strdup(a, (f = http_form_field(req, "lang")) !=
	    NULL ? f : "");
	str_trim(p->lang);
	p->is_page = http_form_field(req, "is_page") != NULL;
	labels = (f = http_form_field(req, "labels")) != NULL ? f : "";
	when = (f = http_form_field(req, "when")) != NULL ? f : "";
	if ((chip = http_form_field(req, "chip")) != NULL) {
		labels = *labels == '\0' ? chip : arena_printf(a, "%s, %s",
		    labels, chip);
		action = "preview";
	}
	labels_set(a, p, labels);
	if (strcmp(action, "delete") == 0 && old != NULL) {
		if (store_write_begin(ar->s->store) == STORE_OK &&
		    store_write_end(ar->s->store, store_post_delete(
		    ar->s->store, p->id) == STORE_OK) == STORE_OK) {
			admin_redirect(ar, "/admin/posts?deleted=1");
			return;
		}
		editor_show(ar, p, when, "The post could not be deleted.", 0);
		return;
	}
	if (strcmp(action, "preview") == 0) {
		editor_show(ar, p, when, NULL, 1);
		return;
	}
	if (*when != '\0' && text_date_parse_time("en",
	    ar->s->conf->site_timezone, when, &t) == -1) {
		editor_show(ar, p, when, "when: not a date and time such as "
		    "2026-12-01T09:30.", 0);
		return;
	}
	if (strcmp(action, "schedule") == 0) {
		if (t <= now) {
			editor_show(ar, p, when, "when: to schedule a post, "
			    "pick a time in the future.", 0);
			return;
		}
		p->status = POST_PUBLISHED;
		p->published = t;
	} else if (strcmp(action, "publish") == 0) {
		p->status = POST_PUBLISHED;
		/* Already out: keep its date (and so its address). */
		if (old == NULL || old->status != POST_PUBLISHED ||
		    old->published > now)
			p->published = now;
	} else {
		p->status = POST_DRAFT;
		p->published = t != 0 ? t : old != NULL ? old->published : now;
	}
	if ((why = admin_post_store(ar->s, a, ar->user, p, old)) != NULL) {
		editor_show(ar, p, when, why, 0);
		return;
	}
	admin_redirect(ar, arena_printf(a, "/admin/posts/%lld?saved=1",
	    (long long)p->id));
}

void
admin_editor(struct admin_req *ar, const char *sid)
{
	struct arena	*a = ar->req->arena;
	struct post	*p, *old = NULL;
	enum store_err	 e;
	int64_t		 id = 0;

	if (strcmp(sid, "new") != 0 && str_to_i64(sid, 1, INT64_MAX,
	    &id) == -1) {
		admin_fail(ar, 404, "There is no such post.");
		return;
	}
	if (id != 0) {
		if ((e = store_post_get_id(ar->s->store, a, id, &old)) !=
		    STORE_OK) {
			admin_fail(ar, e == STORE_NOTFOUND ? 404 : 503,
			    e == STORE_NOTFOUND ? "There is no such post." :
			    store_errmsg(ar->s->store));
			return;
		}
		if (!admin_can_edit(ar->s, ar->user, id)) {
			admin_fail(ar, 403, "Authors edit only their own "
			    "posts.");
			return;
		}
	}
	p = arena_alloc(a, sizeof(*p));
	if (old != NULL)
		*p = *old;
	else {
		p->title = p->source = p->slug = p->lang = "";
		p->published = clock_now();
	}
	if (ar->req->method == HTTP_POST)
		editor_post(ar, p, old);
	else
		editor_show(ar, p, old != NULL ? local_time(ar,
		    old->published) : "", NULL, old != NULL);
}
