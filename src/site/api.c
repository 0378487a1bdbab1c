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
 * The JSON API, /api/v1/ (search lives in page_search.c): posts, labels
 * and comments.  Reading what a reader could see needs nothing; writing,
 * and reading drafts or held comments, needs a personal API token made
 * in the admin and sent as "Authorization: Bearer TOKEN" (stored only as
 * its SHA-256).  Errors are {"error": "..."} with a 4xx status.  Lists
 * take limit and offset and say where the next page is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "site_int.h"

#define API_LIMIT	20	/* items on a page unless ?limit= */
#define API_LIMIT_MAX	100	/* highest ?limit= */
#define API_OFFSET_MAX	10000	/* highest ?offset= */

struct api_req {
	struct site		*s;
	struct http_request	*req;
	struct http_response	*res;
	struct user		*user;	/* the token's owner, or NULL */
};

/* Sends o (takes ownership) with status. */
static void
api_send(struct api_req *ar, int status, json_t *o)
{
	char	*text;

	ar->res->status = status;
	ar->res->content_type = "application/json";
	buf_reset(&ar->res->body);
	if ((text = json_dumps(o, JSON_COMPACT)) != NULL) {
		buf_adds(&ar->res->body, text);
		buf_addc(&ar->res->body, '\n');
		free(text);
	}
	json_decref(o);
}

static void
fail(struct api_req *ar, int status, const char *why)
{
	api_send(ar, status, json_pack("{s:s}", "error", why));
}

/* The token's user into ar->user; -1 after answering 401. */
static int
authenticate(struct api_req *ar, int required)
{
	const char	*h;
	char		 hash[SITE_HASH_HEX];
	enum store_err	 e;

	h = http_header(ar->req, "Authorization");
	if (h == NULL) {
		if (!required)
			return 0;
		fail(ar, 401, "this needs an API token: send "
		    "\"Authorization: Bearer TOKEN\" (tokens are made in the "
		    "admin, /admin/tokens)");
		http_response_header(ar->res, "WWW-Authenticate",
		    "Bearer realm=\"gazette\"");
		return -1;
	}
	/* The scheme's name is case-insensitive (RFC 7235). */
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		fail(ar, 401, "Authorization: expected \"Bearer TOKEN\"");
		return -1;
	}
	site_hash_hex(h + 7, hash);
	e = store_token_user(ar->s->store, ar->req->arena, hash, &ar->user);
	if (e == STORE_NOTFOUND) {
		fail(ar, 401, "the API token is not valid (revoked or "
		    "mistyped)");
		http_response_header(ar->res, "WWW-Authenticate",
		    "Bearer realm=\"gazette\", error=\"invalid_token\"");
		return -1;
	}
	if (e != STORE_OK) {
		fail(ar, 503, "the database is not answering");
		return -1;
	}
	return 0;
}

/* ?limit= and ?offset=; -1 after answering 400. */
static int
paging(struct api_req *ar, size_t *limit, size_t *offset)
{
	const char	*v;
	int64_t		 n;

	*limit = API_LIMIT;
	*offset = 0;
	if ((v = http_param(ar->req, "limit")) != NULL) {
		if (str_to_i64(v, 1, API_LIMIT_MAX, &n) == -1) {
			fail(ar, 400, "limit: expected a number from 1 to 100");
			return -1;
		}
		*limit = (size_t)n;
	}
	if ((v = http_param(ar->req, "offset")) != NULL) {
		if (str_to_i64(v, 0, API_OFFSET_MAX, &n) == -1) {
			fail(ar, 400, "offset: expected a number from 0 to "
			    "10000");
			return -1;
		}
		*offset = (size_t)n;
	}
	return 0;
}

static json_t *
post_json(struct api_req *ar, const struct post *p, int full)
{
	json_t	*o, *labels;
	size_t	 i;
	int64_t	 now = clock_now();

	labels = json_array();
	for (i = 0; i < p->nlabels; i++)
		json_array_append_new(labels, json_string(p->labels[i]));
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:b, "
	    "s:I}", "id", (json_int_t)p->id, "title", p->title, "slug",
	    p->slug, "path", p->path, "lang", p->lang, "status",
	    p->status == POST_DRAFT ? "draft" : p->published > now ?
	    "scheduled" : "published", "published", (json_int_t)p->published,
	    "updated", (json_int_t)p->updated, "labels", labels, "is_page",
	    p->is_page, "comments", (json_int_t)p->ncomments);
	json_object_set_new(o, "url", json_sprintf("%s%s",
	    ar->s->conf->site_url, p->path));
	if (full) {
		json_object_set_new(o, "html", json_string(p->html));
		if (ar->user != NULL)
			json_object_set_new(o, "body", json_string(p->source));
	}
	return o;
}

static int
is_public(const struct post *p)
{
	return p->status == POST_PUBLISHED && p->published <= clock_now();
}

static void
posts_list(struct api_req *ar)
{
	struct post_query	 q;
	struct post_list	 pl;
	json_t			*o, *list;
	size_t			 i, limit, offset;
	const char		*label;

	if (paging(ar, &limit, &offset) == -1)
		return;
	memset(&q, 0, sizeof(q));
	q.now = clock_now();
	q.limit = limit;
	q.offset = offset;
	if ((label = http_param(ar->req, "label")) != NULL && *label != '\0')
		q.label = label;
	if (store_post_list(ar->s->store, ar->req->arena, &q, &pl) !=
	    STORE_OK) {
		fail(ar, 503, "the database is not answering");
		return;
	}
	list = json_array();
	for (i = 0; i < pl.n; i++)
		json_array_append_new(list, post_json(ar, &pl.v[i], 0));
	o = json_pack("{s:o, s:I, s:I, s:I}", "posts", list, "total",
	    (json_int_t)pl.total, "limit", (json_int_t)limit, "offset",
	    (json_int_t)offset);
	if (offset + pl.n < pl.total)
		json_object_set_new(o, "next", json_sprintf(
		    "/api/v1/posts?limit=%zu&offset=%zu", limit,
		    offset + pl.n));
	api_send(ar, 200, o);
}

/* Reads a JSON object body; NULL after answering 400/415. */
static json_t *
body_json(struct api_req *ar)
{
	json_error_t	 jerr;
	json_t		*o;

	if (ar->req->form_status == 413) {
		fail(ar, 413, "the request body is too large");
		return NULL;
	}
	if (ar->req->body == NULL) {
		fail(ar, 415, "send the body as application/json");
		return NULL;
	}
	o = json_loadb(ar->req->body, ar->req->bodylen, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (o == NULL || !json_is_object(o)) {
		fail(ar, 400, o == NULL ? arena_printf(ar->req->arena,
		    "body: line %d: %s", jerr.line, jerr.text) :
		    "body: expected a JSON object");
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A string member of o into *out (arena copy); -1 after answering. */
static int
member_str(struct api_req *ar, json_t *o, const char *key, char **out)
{
	json_t	*v;

	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_string(v)) {
		fail(ar, 400, arena_printf(ar->req->arena, "%s: expected a "
		    "string", key));
		return -1;
	}
	*out = arena_strdup(ar->req->arena, json_string_value(v));
	if (strlen(*out) != json_string_length(v)) {
		fail(ar, 400, arena_printf(ar->req->arena, "%s: contains a "
		    "NUL character", key));
		return -1;
	}
	return 0;
}

/*
 * Applies the members of o to p: title, body, slug, lang, labels,
 * is_page, status ("draft" or "published") and published (seconds;
 * later than now schedules).  -1 after answering 400.
 */
static int
post_apply(struct api_req *ar, json_t *o, struct post *p,
    const struct post *old)
{
	struct arena	*a = ar->req->arena;
	json_t		*v, *l;
	char		*status = NULL;
	size_t		 i, cap = 0;

	if (member_str(ar, o, "title", &p->title) == -1 ||
	    member_str(ar, o, "body", &p->source) == -1 ||
	    member_str(ar, o, "slug", &p->slug) == -1 ||
	    member_str(ar, o, "lang", &p->lang) == -1 ||
	    member_str(ar, o, "status", &status) == -1)
		return -1;
	if ((v = json_object_get(o, "labels")) != NULL) {
		if (!json_is_array(v) || json_array_size(v) > LIMIT_LABELS) {
			fail(ar, 400, "labels: expected an array of at most "
			    "64 strings");
			return -1;
		}
		p->labels = NULL;
		p->nlabels = 0;
		json_array_foreach(v, i, l) {
			if (!json_is_string(l) || json_string_length(l) == 0 ||
			    json_string_length(l) > LIMIT_LABEL) {
				fail(ar, 400, "labels: each must be a string "
				    "of 1 to 200 bytes");
				return -1;
			}
			p->labels = arena_grow(a, p->labels, p->nlabels, &cap,
			    sizeof(*p->labels));
			p->labels[p->nlabels++] = arena_strdup(a,
			    json_string_value(l));
		}
	}
	if ((v = json_object_get(o, "is_page")) != NULL) {
		if (!json_is_boolean(v)) {
			fail(ar, 400, "is_page: expected true or false");
			return -1;
		}
		p->is_page = json_is_true(v);
	}
	if (status != NULL) {
		if (strcmp(status, "draft") == 0)
			p->status = POST_DRAFT;
		else if (strcmp(status, "published") == 0) {
			if (old == NULL || !is_public(old))
				p->published = clock_now();
			p->status = POST_PUBLISHED;
		} else {
			fail(ar, 400, "status: expected draft or published");
			return -1;
		}
	}
	if ((v = json_object_get(o, "published")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			fail(ar, 400, "published: expected seconds since "
			    "1970 (UTC)");
			return -1;
		}
		p->published = json_integer_value(v);
	}
	return 0;
}

/* POST /api/v1/posts and /api/v1/posts/ID. */
static void
post_write(struct api_req *ar, struct post *old)
{
	struct arena	*a = ar->req->arena;
	struct post	*p, *saved;
	json_t		*o;
	const char	*why;

	if (old != NULL && !admin_can_edit(ar->s, ar->user, old->id)) {
		fail(ar, 403, "authors may change only their own posts");
		return;
	}
	if ((o = body_json(ar)) == NULL)
		return;
	p = arena_alloc(a, sizeof(*p));
	if (old != NULL)
		*p = *old;
	else {
		p->title = p->source = p->slug = p->lang = "";
		p->published = clock_now();
	}
	if (post_apply(ar, o, p, old) == -1) {
		json_decref(o);
		return;
	}
	json_decref(o);
	if ((why = admin_post_store(ar->s, a, ar->user, p, old)) != NULL) {
		fail(ar, strstr(why, "database") != NULL ? 503 :
		    strstr(why, "belongs to another") != NULL ? 409 : 400,
		    why);
		return;
	}
	if (store_post_get_id(ar->s->store, a, p->id, &saved) != STORE_OK)
		saved = p;
	if (old == NULL)
		http_response_header(ar->res, "Location", arena_printf(a,
		    "/api/v1/posts/%lld", (long long)p->id));
	api_send(ar, old == NULL ? 201 : 200, post_json(ar, saved, 1));
}

static json_t *
comment_json(const struct comment *c)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "id",
	    (json_int_t)c->id, "post", (json_int_t)c->post_id, "parent",
	    (json_int_t)c->parent_id, "name", c->name, "url", c->url, "body",
	    c->body, "status", comment_status_name(c->status), "created",
	    (json_int_t)c->created);
}

/* 1 when c's post is out, or ar's user may see it anyway. */
static int
visible(struct api_req *ar, const struct comment *c)
{
	struct post	*p;

	if (ar->user != NULL && account_can(ar->user, ACCOUNT_EDITOR))
		return 1;
	return store_post_get_id(ar->s->store, ar->req->arena, c->post_id,
	    &p) == STORE_OK && is_public(p);
}

/* GET .../comments?status=: approved for all, the others for editors. */
static void
comments_list(struct api_req *ar, int64_t post_id)
{
	struct comment_query	 q;
	struct comment_list	 cl;
	const char		*status;
	json_t			*list, *o;
	size_t			 i, limit, offset;
	int			 st = COMMENT_APPROVED;

	if (paging(ar, &limit, &offset) == -1)
		return;
	if ((status = http_param(ar->req, "status")) != NULL &&
	    (st = comment_status_parse(status)) == -1) {
		fail(ar, 400, "status: expected pending, approved or spam");
		return;
	}
	if (st != COMMENT_APPROVED && (ar->user == NULL ||
	    !account_can(ar->user, ACCOUNT_EDITOR))) {
		fail(ar, ar->user == NULL ? 401 : 403, "only editors and the "
		    "owner see comments that are not approved");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.status = (enum comment_status)st;
	q.post_id = post_id;
	q.limit = offset + limit + 1;
	if (store_comment_query(ar->s->store, ar->req->arena, &q, &cl) !=
	    STORE_OK) {
		fail(ar, 503, "the database is not answering");
		return;
	}
	list = json_array();
	for (i = offset; i < cl.n && i < offset + limit; i++)
		if (post_id != 0 || visible(ar, &cl.v[i]))
			json_array_append_new(list, comment_json(&cl.v[i]));
	o = json_pack("{s:o, s:I, s:I}", "comments", list, "limit",
	    (json_int_t)limit, "offset", (json_int_t)offset);
	if (cl.n > offset + limit)
		json_object_set_new(o, "next", json_sprintf(
		    "/api/v1/comments?status=%s&limit=%zu&offset=%zu%s",
		    comment_status_name((enum comment_status)st), limit,
		    offset + limit, post_id != 0 ? arena_printf(
		    ar->req->arena, "&post=%lld", (long long)post_id) : ""));
	api_send(ar, 200, o);
}

/* POST /api/v1/comments/ID {"action": "approve"|"spam"|"delete"}. */
static void
comment_write(struct api_req *ar, int64_t id)
{
	struct store		*st = ar->s->store;
	struct comment		*c;
	enum moderation_action	 act;
	enum store_err		 e;
	char			*action = NULL;
	json_t			*o;

	if (!account_can(ar->user, ACCOUNT_EDITOR)) {
		fail(ar, 403, "only editors and the owner moderate comments");
		return;
	}
	if ((o = body_json(ar)) == NULL)
		return;
	if (member_str(ar, o, "action", &action) == -1) {
		json_decref(o);
		return;
	}
	json_decref(o);
	if (action != NULL && strcmp(action, "approve") == 0)
		act = MODERATE_APPROVE;
	else if (action != NULL && strcmp(action, "spam") == 0)
		act = MODERATE_SPAM;
	else if (action != NULL && strcmp(action, "delete") == 0)
		act = MODERATE_DELETE;
	else {
		fail(ar, 400, "action: expected approve, spam or delete");
		return;
	}
	if (store_write_begin(st) != STORE_OK) {
		fail(ar, 503, "the database is busy");
		return;
	}
	if ((e = store_comment_get(st, ar->req->arena, id, &c)) == STORE_OK)
		e = store_comment_moderate(st, ar->req->arena, c, act,
		    arena_printf(ar->req->arena, "api:%s", ar->user->name));
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	if (e != STORE_OK) {
		fail(ar, e == STORE_NOTFOUND ? 404 : 503, e == STORE_NOTFOUND ?
		    "no such comment" : "the database failed");
		return;
	}
	if (act == MODERATE_DELETE) {
		api_send(ar, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id,
		    "deleted", 1));
		return;
	}
	c->status = act == MODERATE_SPAM ? COMMENT_SPAM : COMMENT_APPROVED;
	api_send(ar, 200, comment_json(c));
}

static void
labels_list(struct api_req *ar)
{
	struct label	*v;
	json_t		*list;
	size_t		 i, n;

	if (store_label_list(ar->s->store, ar->req->arena, &v, &n) !=
	    STORE_OK) {
		fail(ar, 503, "the database is not answering");
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:I, s:s}",
		    "name", v[i].name, "posts", (json_int_t)v[i].nposts,
		    "path", site_label_href(ar->req->arena, v[i].name)));
	api_send(ar, 200, json_pack("{s:o}", "labels", list));
}

/* "posts/12/comments" into parts: kind, id, sub. */
static int
split(struct arena *a, const char *rest, char **kind, int64_t *id,
    char **sub)
{
	char	*dup, *slash, *slash2;

	*id = 0;
	*sub = NULL;
	dup = arena_strdup(a, rest);
	*kind = dup;
	if ((slash = strchr(dup, '/')) == NULL)
		return 0;
	*slash++ = '\0';
	if ((slash2 = strchr(slash, '/')) != NULL) {
		*slash2++ = '\0';
		*sub = slash2;
	}
	return str_to_i64(slash, 1, INT64_MAX, id);
}

void
api_handle(struct site *s, struct http_request *req,
    struct http_response *res, const char *rest)
{
	struct api_req	 ar;
	struct post	*p;
	enum store_err	 e;
	char		*kind, *sub;
	int64_t		 id;
	int		 is_get = req->method != HTTP_POST;

	memset(&ar, 0, sizeof(ar));
	ar.s = s;
	ar.req = req;
	ar.res = res;
	http_response_header(res, "Cache-Control", "no-store");
	if (split(req->arena, rest, &kind, &id, &sub) == -1) {
		fail(&ar, 404, "no such resource");
		return;
	}
	if (authenticate(&ar, !is_get) == -1)
		return;
	if (strcmp(kind, "labels") == 0 && id == 0 && is_get)
		labels_list(&ar);
	else if (strcmp(kind, "posts") == 0 && id == 0 && sub == NULL) {
		if (is_get)
			posts_list(&ar);
		else
			post_write(&ar, NULL);
	} else if (strcmp(kind, "posts") == 0 && id != 0) {
		e = store_post_get_id(s->store, req->arena, id, &p);
		if (e == STORE_OK && !is_public(p) && (ar.user == NULL ||
		    !admin_can_edit(s, ar.user, id)))
			e = STORE_NOTFOUND;
		if (e != STORE_OK)
			fail(&ar, e == STORE_NOTFOUND ? 404 : 503,
			    e == STORE_NOTFOUND ? "no such post" :
			    "the database is not answering");
		else if (sub != NULL && strcmp(sub, "comments") == 0 && is_get)
			comments_list(&ar, id);
		else if (sub != NULL)
			fail(&ar, 404, "no such resource");
		else if (is_get)
			api_send(&ar, 200, post_json(&ar, p, 1));
		else
			post_write(&ar, p);
	} else if (strcmp(kind, "comments") == 0 && id == 0 && is_get)
		comments_list(&ar, 0);
	else if (strcmp(kind, "comments") == 0 && id != 0 && sub == NULL &&
	    !is_get)
		comment_write(&ar, id);
	else
		fail(&ar, is_get ? 404 : 405, is_get ? "no such resource" :
		    "this resource cannot be written");
}
