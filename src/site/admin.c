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
 * The admin's front door: its templates, the login and logout, the
 * session and CSRF checks every other admin page relies on, and the
 * dispatch to the page files (admin_*.c).  Admin pages are never
 * cached and never shown to a reader without a session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site_int.h"

struct admin {
	struct tmpl	*tmpl[ADMIN__MAX];
};

static const char *const names[ADMIN__MAX] = {
	[ADMIN_LAYOUT] = "layout",
	[ADMIN_LOGIN] = "login",
	[ADMIN_DASHBOARD] = "dashboard",
	[ADMIN_POSTS] = "posts",
	[ADMIN_EDITOR] = "editor",
	[ADMIN_COMMENTS] = "comments",
	[ADMIN_REPLY] = "reply",
	[ADMIN_LABELS] = "labels",
	[ADMIN_STATS] = "stats",
	[ADMIN_TOKENS] = "tokens",
	[ADMIN_MESSAGE] = "message",
	[ADMIN_USERS] = "users",
};

int
admin_new(struct site *s, char *err, size_t errlen)
{
	const struct embedded_file	*ef;
	char				 name[64], why[256];
	size_t				 i;

	s->admin = xcalloc(1, sizeof(*s->admin));
	for (i = 0; i < ADMIN__MAX; i++) {
		snprintf(name, sizeof(name), "theme/admin/%s.mustache",
		    names[i]);
		if ((ef = embedded_find(name)) == NULL) {
			snprintf(err, errlen, "(built-in) %s: missing", name);
			return -1;
		}
		s->admin->tmpl[i] = render_tmpl_parse((const char *)ef->data,
		    ef->len, why, sizeof(why));
		if (s->admin->tmpl[i] == NULL) {
			snprintf(err, errlen, "(built-in) %s: %s", name, why);
			return -1;
		}
	}
	return 0;
}

void
admin_free(struct site *s)
{
	size_t	 i;

	if (s->admin == NULL)
		return;
	for (i = 0; i < ADMIN__MAX; i++)
		render_tmpl_free(s->admin->tmpl[i]);
	free(s->admin);
	s->admin = NULL;
}

/*
 * Headers every admin answer carries: never cached, never framed, and
 * scripts from our own /static/ only (the live preview).
 */
static void
private_headers(struct http_response *res)
{
	http_response_header(res, "Cache-Control", "no-store");
	http_response_header(res, "X-Frame-Options", "DENY");
	http_response_header(res, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self' https: data:; "
	    "script-src 'self'; style-src 'self'; form-action 'self'; "
	    "base-uri 'none'; frame-ancestors 'none'");
}

/* POST /admin/preview: the Markdown source as the site will show it. */
static void
preview(struct admin_req *ar)
{
	const char	*src = http_form_field(ar->req, "source");

	if (ar->req->method != HTTP_POST) {
		admin_fail(ar, 405, "The preview takes a POST.");
		return;
	}
	ar->res->content_type = "text/html; charset=utf-8";
	if (src != NULL && render_md(src, strlen(src), &ar->res->body) == -1)
		admin_fail(ar, 400, "source: not valid UTF-8.");
}

static const struct tmpl *
admin_partial(void *arg, const char *name, size_t len)
{
	struct site	*s = arg;
	size_t		 i;

	for (i = 0; i < ADMIN__MAX; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return s->admin->tmpl[i];
	return NULL;
}

void
admin_render(struct admin_req *ar, enum admin_tmpl t, const char *title)
{
	struct arena	*a = ar->req->arena;
	struct buf	 content = BUF_INIT;
	struct mval	*ctx = ar->ctx;

	mval_set_str(a, ctx, "lang", ar->s->conf->site_locale);
	mval_set_str(a, ctx, "site_title", ar->s->conf->site_title);
	mval_set_str(a, ctx, "title", title);
	mval_set_str(a, ctx, "csrf", ar->csrf != NULL ? ar->csrf : "");
	if (ar->user != NULL) {
		mval_set_bool(a, ctx, "signed_in", 1);
		mval_set_str(a, ctx, "user_name", ar->user->name);
		mval_set_str(a, ctx, "user_role", ar->user->role);
		mval_set_bool(a, ctx, "is_editor",
		    account_can(ar->user, ACCOUNT_EDITOR));
	}
	mval_set_bool(a, ctx, arena_printf(a, "nav_%s", names[t]), 1);
	if (render_tmpl_run(ar->s->admin->tmpl[t], ctx, admin_partial, ar->s,
	    &content) == -1)
		log_warnx("%s: template nesting too deep", ar->req->path);
	mval_set(a, ctx, "content", mval_strn(a, arena_strndup(a,
	    content.p == NULL ? "" : content.p, content.len), content.len));
	buf_clear(&content);
	buf_reset(&ar->res->body);
	if (render_tmpl_run(ar->s->admin->tmpl[ADMIN_LAYOUT], ctx,
	    admin_partial, ar->s, &ar->res->body) == -1)
		log_warnx("%s: layout nesting too deep", ar->req->path);
	if (ar->res->status == 0)
		ar->res->status = 200;
	ar->res->content_type = "text/html; charset=utf-8";
}

void
admin_redirect(struct admin_req *ar, const char *location)
{
	ar->res->status = 303;
	http_response_header(ar->res, "Location", location);
	ar->res->content_type = "text/plain; charset=utf-8";
	buf_reset(&ar->res->body);
	buf_adds(&ar->res->body, "See other.\n");
}

void
admin_fail(struct admin_req *ar, int status, const char *why)
{
	ar->res->status = status;
	mval_set_str(ar->req->arena, ar->ctx, "message", why);
	admin_render(ar, ADMIN_MESSAGE, http_status_text(status));
}

const char *
admin_actor(struct admin_req *ar)
{
	return arena_printf(ar->req->arena, "admin:%s", ar->user->name);
}

const char *
admin_date(struct admin_req *ar, int64_t t)
{
	char	 d[128];

	if (text_date_format(ar->s->conf->site_locale,
	    ar->s->conf->site_timezone, t, TEXT_DATE_LONG_TIME, d,
	    sizeof(d)) == -1)
		return "";
	return arena_strdup(ar->req->arena, d);
}

/* GET and POST /admin/login. */
static void
login(struct admin_req *ar)
{
	struct http_request	*req = ar->req;
	struct arena		*a = req->arena;
	const char		*why = NULL, *next;

	if (req->method == HTTP_POST) {
		switch (account_login(ar->s, req, ar->res,
		    http_form_field(req, "name"),
		    http_form_field(req, "password"),
		    http_form_field(req, "code"),
		    http_form_field(req, "token"))) {
		case ACCOUNT_LOGIN_OK:
			next = http_form_field(req, "next");
			/* Only a path of ours, never another site. */
			if (next == NULL || !str_has_prefix(next, "/admin") ||
			    strcspn(next, "\\\r\n\t ") != strlen(next))
				next = "/admin/";
			admin_redirect(ar, next);
			return;
		case ACCOUNT_LOGIN_WRONG:
			ar->res->status = 403;
			why = "Wrong name, password or code.";
			break;
		case ACCOUNT_LOGIN_THROTTLED:
			ar->res->status = 429;
			why = "Too many failed attempts: wait a quarter of an "
			    "hour and try again.";
			break;
		case ACCOUNT_LOGIN_STALE:
			ar->res->status = 400;
			why = "The form was too old: please try again.";
			break;
		case ACCOUNT_LOGIN_ERROR:
			ar->res->status = 503;
			why = "The database is not answering: try again "
			    "shortly.";
			break;
		}
		mval_set_str(a, ar->ctx, "name", http_form_field(req,
		    "name"));
	}
	mval_set_str(a, ar->ctx, "token", account_login_token(ar->s, a));
	mval_set_str(a, ar->ctx, "next", (next = http_param(req,
	    "next")) != NULL ? next : (next = http_form_field(req,
	    "next")) != NULL ? next : "/admin/");
	mval_set_bool(a, ar->ctx, "has_error", why != NULL);
	mval_set_str(a, ar->ctx, "error", why != NULL ? why : "");
	admin_render(ar, ADMIN_LOGIN, "Sign in");
}

/* The id in "posts/ID" style paths after prefix, or NULL. */
static const char *
after(const char *rest, const char *prefix)
{
	size_t	 n = strlen(prefix);

	if (strncmp(rest, prefix, n) != 0 || rest[n] == '\0' ||
	    strchr(rest + n, '/') != NULL)
		return NULL;
	return rest + n;
}

/* Where a reader without a session goes: the login, then back here. */
static const char *
login_next(struct http_request *req)
{
	struct buf	 b = BUF_INIT;
	const char	*loc;

	if (strcmp(req->path, "/admin") == 0 ||
	    strcmp(req->path, "/admin/") == 0)
		return "/admin/login";
	buf_adds(&b, "/admin/login?next=");
	render_escape_url(&b, req->path, strlen(req->path));
	loc = arena_strndup(req->arena, b.p, b.len);
	buf_clear(&b);
	return loc;
}

void
admin_handle(struct site *s, struct http_request *req,
    struct http_response *res, const char *rest)
{
	struct admin_req	 ar;
	const char		*id;

	memset(&ar, 0, sizeof(ar));
	ar.s = s;
	ar.req = req;
	ar.res = res;
	ar.rest = rest;
	ar.ctx = mval_map(req->arena);
	private_headers(res);
	if (strcmp(rest, "login") == 0) {
		if (req->method != HTTP_POST && account_session(s, req,
		    &ar.user, &ar.csrf) == 0)
			admin_redirect(&ar, "/admin/");
		else
			login(&ar);
		return;
	}
	if (account_session(s, req, &ar.user, &ar.csrf) == -1) {
		if (req->method == HTTP_POST) {
			admin_fail(&ar, 403, "You are not signed in (or your "
			    "session ended): sign in and try again.");
			return;
		}
		admin_redirect(&ar, login_next(req));
		return;
	}
	if (req->method == HTTP_POST && !account_csrf_ok(req, ar.csrf)) {
		admin_fail(&ar, 403, "This form is not from your session "
		    "(missing or wrong CSRF token): reload the page and try "
		    "again.");
		return;
	}
	if (strcmp(rest, "logout") == 0 && req->method == HTTP_POST) {
		account_logout(s, req, res);
		admin_redirect(&ar, "/admin/login");
	} else if (*rest == '\0')
		admin_dashboard(&ar);
	else if (strcmp(rest, "preview") == 0)
		preview(&ar);
	else if (strcmp(rest, "posts") == 0)
		admin_posts(&ar);
	else if ((id = after(rest, "posts/")) != NULL)
		admin_editor(&ar, id);
	else if (strcmp(rest, "tokens") == 0)
		admin_tokens(&ar);
	else if (strcmp(rest, "users") == 0)
		admin_users(&ar);
	else if (!account_can(ar.user, ACCOUNT_EDITOR) &&
	    (strcmp(rest, "comments") == 0 || strcmp(rest, "labels") == 0 ||
	    strcmp(rest, "stats") == 0 || after(rest, "comments/") != NULL))
		admin_fail(&ar, 403, "Your role (author) cannot see this "
		    "page; an editor or the owner can.");
	else if (strcmp(rest, "comments") == 0)
		admin_comments(&ar);
	else if ((id = after(rest, "comments/")) != NULL)
		admin_reply(&ar, id);
	else if (strcmp(rest, "labels") == 0)
		admin_labels(&ar);
	else if (strcmp(rest, "stats") == 0)
		admin_stats(&ar);
	else
		admin_fail(&ar, 404, "There is no such admin page.");
}
