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
 * Who is at the admin: passwords (argon2id), sessions (a random id in an
 * HttpOnly cookie, only its SHA-256 stored, expiring on the server),
 * per-session CSRF tokens, and login throttling per account name and per
 * client address.  The login answers an unknown name exactly as it
 * answers a wrong password, after the same argon2id work.  What the
 * pages show is admin_*.c's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "site_int.h"

#define SESSION_TTL		(12 * 3600)	/* seconds a login lasts */
#define SESSION_COOKIE		"gazette_session"
#define LOGIN_TOKEN_AGE		3600	/* seconds a login form stays good */
#define THROTTLE_WINDOW		(15 * 60)	/* seconds failures count */
#define THROTTLE_NAME_MAX	5	/* failures per account name */
#define THROTTLE_ADDR_MAX	20	/* failures per client address */

int
site_password_hash(const char *pw, char out[SITE_PWHASH_LEN])
{
	if (sodium_init() == -1)
		return -1;
	return crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

int
site_password_check(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void
site_hash_hex(const char *secret, char out[SITE_HASH_HEX])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(out, SITE_HASH_HEX, h, sizeof(h));
}

char *
site_random_hex(struct arena *a, size_t nbytes)
{
	unsigned char	 r[64];
	char		*s;

	if (nbytes > sizeof(r))
		nbytes = sizeof(r);
	randombytes_buf(r, nbytes);
	s = arena_alloc(a, 2 * nbytes + 1);
	sodium_bin2hex(s, 2 * nbytes + 1, r, nbytes);
	return s;
}

/*
 * The slot of key in the throttle table (keyed hash, never the name).
 * XXX A flood of distinct names can push a name's slot out and so reset
 * its count; the per-address count still holds such a flood back.
 */
static struct throttle_slot *
throttle_slot(struct site *s, const char *kind, const char *key, int add)
{
	struct throttle_slot	*t, *oldest = NULL;
	unsigned char		 h[8];
	uint64_t		 k = 0;
	char			*lower;
	size_t			 i;

	lower = xasprintf("%s:%s", kind, key);
	str_ascii_lower(lower);
	crypto_generichash(h, sizeof(h), (unsigned char *)lower,
	    strlen(lower), s->secret, sizeof(s->secret));
	free(lower);
	for (i = 0; i < 8; i++)
		k = k << 8 | h[i];
	k |= 1;
	for (i = 0; i < SITE_THROTTLE_SLOTS; i++) {
		t = &s->throttle[i];
		if (t->key == k)
			return t;
		if (oldest == NULL || t->since < oldest->since)
			oldest = t;
	}
	if (!add)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	oldest->key = k;
	return oldest;
}

/* 1 when kind:key has failed too often lately. */
static int
throttled(struct site *s, const char *kind, const char *key, int max,
    int64_t now)
{
	struct throttle_slot	*t;

	t = throttle_slot(s, kind, key, 0);
	return t != NULL && now - t->since < THROTTLE_WINDOW &&
	    t->failures >= max;
}

static void
throttle_fail(struct site *s, const char *kind, const char *key,
    int64_t now)
{
	struct throttle_slot	*t;

	t = throttle_slot(s, kind, key, 1);
	if (now - t->since >= THROTTLE_WINDOW) {
		t->since = now;
		t->failures = 0;
	}
	t->failures++;
}

/* Takes back one failure of kind:key (the attempt succeeded). */
static void
throttle_undo(struct site *s, const char *kind, const char *key)
{
	struct throttle_slot	*t;

	if ((t = throttle_slot(s, kind, key, 0)) != NULL && t->failures > 0)
		t->failures--;
}

/* A login form token: time and MAC, good for LOGIN_TOKEN_AGE. */
static const char *
login_token_at(struct site *s, struct arena *a, int64_t ts)
{
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	char		 msg[64], hex[2 * sizeof(mac) + 1];

	snprintf(msg, sizeof(msg), "login:%lld", (long long)ts);
	crypto_auth_hmacsha256(mac, (unsigned char *)msg, strlen(msg),
	    s->secret);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	return arena_printf(a, "%lld.%s", (long long)ts, hex);
}

const char *
account_login_token(struct site *s, struct arena *a)
{
	return login_token_at(s, a, clock_now());
}

static int
login_token_ok(struct site *s, struct arena *a, const char *tok)
{
	const char	*want;
	int64_t		 ts, now = clock_now();
	char		 num[24];
	const char	*dot;

	if (tok == NULL || (dot = strchr(tok, '.')) == NULL ||
	    (size_t)(dot - tok) >= sizeof(num))
		return 0;
	memcpy(num, tok, (size_t)(dot - tok));
	num[dot - tok] = '\0';
	if (str_to_i64(num, 0, INT64_MAX / 2, &ts) == -1 || ts > now ||
	    now - ts > LOGIN_TOKEN_AGE)
		return 0;
	want = login_token_at(s, a, ts);
	return strlen(want) == strlen(tok) &&
	    sodium_memcmp(want, tok, strlen(tok)) == 0;
}

/* A hash to verify against when the name is unknown: same work. */
static const char *
dummy_hash(struct site *s)
{
	unsigned char	 r[16];
	char		 pw[2 * sizeof(r) + 1];

	if (s->dummy_hash[0] == '\0') {
		randombytes_buf(r, sizeof(r));
		sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
		if (site_password_hash(pw, s->dummy_hash) == -1)
			log_warnx("login: cannot make the stand-in hash");
	}
	return s->dummy_hash;
}

enum account_login
account_login(struct site *s, struct http_request *req,
    struct http_response *res, const char *name, const char *pw,
    const char *code, const char *token)
{
	struct user	*u = NULL;
	enum store_err	 e;
	const char	*hash, *cookie, *addr = req->client_addr;
	char		 idhash[SITE_HASH_HEX], *id, *csrf;
	int64_t		 now = clock_now();
	int		 ok;

	if (!login_token_ok(s, req->arena, token))
		return ACCOUNT_LOGIN_STALE;
	if (name == NULL || pw == NULL || *name == '\0' ||
	    strlen(name) > 200 || strlen(pw) > 1024)
		return ACCOUNT_LOGIN_WRONG;
	/*
	 * Each attempt counts as a failure from the start, so that guesses
	 * sent side by side cannot all slip in before the first one fails;
	 * a success takes its count back.
	 */
	pthread_mutex_lock(&s->throttle_lock);
	ok = !throttled(s, "n", name, THROTTLE_NAME_MAX, now) &&
	    !throttled(s, "a", addr, THROTTLE_ADDR_MAX, now);
	if (ok) {
		throttle_fail(s, "n", name, now);
		throttle_fail(s, "a", addr, now);
	}
	hash = dummy_hash(s);
	pthread_mutex_unlock(&s->throttle_lock);
	if (!ok)
		return ACCOUNT_LOGIN_THROTTLED;
	e = store_user_get(s->store, req->arena, name, &u);
	if (e != STORE_OK && e != STORE_NOTFOUND)
		return ACCOUNT_LOGIN_ERROR;
	/* An unknown name costs the same argon2id run as a known one. */
	ok = site_password_check(u != NULL ? u->pwhash : hash, pw) &&
	    u != NULL;
	if (ok && *u->totp_secret != '\0')
		ok = site_totp_check(u->totp_secret, code, now);
	if (!ok)
		return ACCOUNT_LOGIN_WRONG;
	pthread_mutex_lock(&s->throttle_lock);
	throttle_undo(s, "n", name);
	throttle_undo(s, "a", addr);
	pthread_mutex_unlock(&s->throttle_lock);
	id = site_random_hex(req->arena, 32);
	csrf = site_random_hex(req->arena, 24);
	site_hash_hex(id, idhash);
	if (store_write_begin(s->store) != STORE_OK)
		return ACCOUNT_LOGIN_ERROR;
	e = store_session_delete(s->store, "", now);
	if (e == STORE_OK)
		e = store_session_put(s->store, idhash, u->id, csrf,
		    now + SESSION_TTL);
	if (store_write_end(s->store, e == STORE_OK) != STORE_OK ||
	    e != STORE_OK) {
		log_warnx("login: %s", store_errmsg(s->store));
		return ACCOUNT_LOGIN_ERROR;
	}
	cookie = arena_printf(req->arena, "%s=%s; Path=/; Max-Age=%d; "
	    "HttpOnly; SameSite=Strict%s", SESSION_COOKIE, id, SESSION_TTL,
	    account_is_secure(s, req) ? "; Secure" : "");
	http_response_header(res, "Set-Cookie", cookie);
	return ACCOUNT_LOGIN_OK;
}

int
account_is_secure(struct site *s, struct http_request *req)
{
	const char	*proto;

	if (str_has_prefix(s->conf->site_url, "https:"))
		return 1;
	proto = http_header(req, "X-Forwarded-Proto");
	return proto != NULL && strcmp(proto, "https") == 0;
}

/* The session id from the Cookie header (arena string), or NULL. */
static char *
cookie_session(struct http_request *req)
{
	const char	*c, *p, *end;
	size_t		 n = strlen(SESSION_COOKIE);

	if ((c = http_header(req, "Cookie")) == NULL)
		return NULL;
	for (p = c; (p = strstr(p, SESSION_COOKIE)) != NULL; p += n) {
		if ((p == c || p[-1] == ' ' || p[-1] == ';') && p[n] == '=') {
			p += n + 1;
			end = p + strcspn(p, "; ");
			if (end - p != 64)
				return NULL;
			return arena_strndup(req->arena, p,
			    (size_t)(end - p));
		}
	}
	return NULL;
}

int
account_session(struct site *s, struct http_request *req, struct user **u,
    const char **csrf)
{
	char	*id, *tok, idhash[SITE_HASH_HEX];

	*u = NULL;
	*csrf = NULL;
	if ((id = cookie_session(req)) == NULL)
		return -1;
	site_hash_hex(id, idhash);
	if (store_session_get(s->store, req->arena, idhash, clock_now(), u,
	    &tok) != STORE_OK)
		return -1;
	*csrf = tok;
	return 0;
}

int
account_csrf_ok(struct http_request *req, const char *csrf)
{
	const char	*got = http_form_field(req, "csrf");

	return got != NULL && csrf != NULL && strlen(got) == strlen(csrf) &&
	    sodium_memcmp(got, csrf, strlen(csrf)) == 0;
}

void
account_logout(struct site *s, struct http_request *req,
    struct http_response *res)
{
	char	*id, idhash[SITE_HASH_HEX];

	if ((id = cookie_session(req)) != NULL) {
		site_hash_hex(id, idhash);
		if (store_write_begin(s->store) == STORE_OK)
			store_write_end(s->store, store_session_delete(s->store,
			    idhash, clock_now()) == STORE_OK);
	}
	http_response_header(res, "Set-Cookie", arena_printf(req->arena,
	    "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
	    SESSION_COOKIE, account_is_secure(s, req) ? "; Secure" : ""));
}

int
account_can(const struct user *u, enum account_role need)
{
	enum account_role	 have = ACCOUNT_AUTHOR;

	if (strcmp(u->role, "owner") == 0)
		have = ACCOUNT_OWNER;
	else if (strcmp(u->role, "editor") == 0)
		have = ACCOUNT_EDITOR;
	return have <= need;
}
