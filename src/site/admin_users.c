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
 * The admin's accounts page: everyone may change their own password
 * here; the owner also sees every account, adds one with a first
 * password, and deletes others.  `gazette user` does the same from the
 * shell, and is the only way to set up TOTP (the secret is shown there).
 */
#include <string.h>

#include <sodium.h>

#include "site_int.h"

#define USER_NAME_MAX	64	/* bytes, as `gazette user add` */
#define PASSWORD_MIN	8	/* characters */
#define PASSWORD_MAX	1024	/* bytes */

static int
name_ok(const char *name)
{
	size_t	 len = strlen(name);

	return len > 0 && len <= USER_NAME_MAX && strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == len;
}

/* Why pw will not do, or NULL. */
static const char *
password_why(const char *pw)
{
	if (pw == NULL || str_utf8_count(pw, strlen(pw)) < PASSWORD_MIN)
		return "password: at least 8 characters, please.";
	if (strlen(pw) > PASSWORD_MAX)
		return "password: at most 1024 bytes.";
	return NULL;
}

/* Saves u (new when u->id is 0) in its own transaction. */
static enum store_err
put(struct store *st, struct user *u)
{
	enum store_err	 e;

	if ((e = store_write_begin(st)) != STORE_OK)
		return e;
	e = store_user_put(st, u);
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	return e;
}

/* The POST forms; returns NULL when done, else why not. */
static const char *
act(struct admin_req *ar, const char *op)
{
	struct http_request	*req = ar->req;
	struct store		*st = ar->s->store;
	struct user		 nu, *u;
	const char		*name, *role, *pw, *why;
	char			 hash[SITE_PWHASH_LEN];
	enum store_err		 e;

	pw = http_form_field(req, "password");
	if (strcmp(op, "passwd") == 0) {
		if (!site_password_check(ar->user->pwhash,
		    (why = http_form_field(req, "current")) != NULL ? why : ""))
			return "current: that is not your password.";
		if ((why = password_why(pw)) != NULL)
			return why;
		if (site_password_hash(pw, hash) == -1)
			return "The password could not be hashed.";
		ar->user->pwhash = hash;
		e = put(st, ar->user);
		sodium_memzero(hash, sizeof(hash));
		return e == STORE_OK ? NULL : "The password was not saved.";
	}
	if (!account_can(ar->user, ACCOUNT_OWNER))
		return "Only the owner manages accounts.";
	name = http_form_field(req, "name");
	if (name == NULL || !name_ok(name))
		return "name: letters, digits, '.', '_' and '-', at most 64.";
	if (strcmp(op, "delete") == 0) {
		if (store_user_get(st, req->arena, name, &u) != STORE_OK)
			return "name: there is no such account.";
		if (u->id == ar->user->id)
			return "name: you cannot delete your own account here.";
		if ((e = store_write_begin(st)) == STORE_OK) {
			e = store_user_delete(st, u->id);
			if (store_write_end(st, e == STORE_OK) != STORE_OK)
				e = STORE_ERR;
		}
		return e == STORE_OK ? NULL : "The account was not deleted.";
	}
	if (strcmp(op, "add") != 0)
		return "op: expected add, delete or passwd.";
	role = http_form_field(req, "role");
	if (role == NULL || (strcmp(role, "owner") != 0 &&
	    strcmp(role, "editor") != 0 && strcmp(role, "author") != 0))
		return "role: expected owner, editor or author.";
	if ((why = password_why(pw)) != NULL)
		return why;
	if (site_password_hash(pw, hash) == -1)
		return "The password could not be hashed.";
	memset(&nu, 0, sizeof(nu));
	nu.name = arena_strdup(req->arena, name);
	nu.role = arena_strdup(req->arena, role);
	nu.pwhash = hash;
	nu.totp_secret = "";
	nu.created = clock_now();
	e = put(st, &nu);
	sodium_memzero(hash, sizeof(hash));
	if (e == STORE_CONFLICT)
		return "name: that account exists already.";
	return e == STORE_OK ? NULL : "The account was not saved.";
}

void
admin_users(struct admin_req *ar)
{
	struct arena	*a = ar->req->arena;
	struct user	*v;
	struct mval	*rows, *row;
	const char	*op, *why;
	size_t		 i, n;

	if (ar->req->method == HTTP_POST) {
		op = http_form_field(ar->req, "op");
		if ((why = act(ar, op != NULL ? op : "")) != NULL) {
			admin_fail(ar, strstr(why, "Only the owner") != NULL ?
			    403 : 400, why);
			return;
		}
		admin_redirect(ar, arena_printf(a, "/admin/users?done=%s",
		    strcmp(op, "passwd") == 0 ? "password" : op));
		return;
	}
	rows = mval_list(a);
	if (account_can(ar->user, ACCOUNT_OWNER)) {
		if (store_user_list(ar->s->store, a, &v, &n) != STORE_OK) {
			admin_fail(ar, 503, store_errmsg(ar->s->store));
			return;
		}
		for (i = 0; i < n; i++) {
			row = mval_map(a);
			mval_set_str(a, row, "name", v[i].name);
			mval_set_str(a, row, "role", v[i].role);
			mval_set_bool(a, row, "has_totp",
			    *v[i].totp_secret != '\0');
			mval_set_bool(a, row, "is_me", v[i].id ==
			    ar->user->id);
			mval_set_str(a, row, "since", admin_date(ar,
			    v[i].created));
			mval_push(a, rows, row);
		}
	}
	mval_set(a, ar->ctx, "users", rows);
	mval_set_bool(a, ar->ctx, "is_owner", account_can(ar->user,
	    ACCOUNT_OWNER));
	mval_set_str(a, ar->ctx, "done", http_param(ar->req, "done"));
	admin_render(ar, ADMIN_USERS, "Accounts");
}
