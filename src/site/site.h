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
 * site: what the URLs mean.  Wires the server (http) to the data (store)
 * and the pages (render): the route table, one handler per kind of page,
 * the comment form, the theme.
 *
 * Errors: 0 / -1, NULL for pointer results, messages in err buffers.
 * Threads: site_handle runs on every worker thread at once; a struct site
 * is read-only after site_new() except for the comment rate table, which
 * has its own lock.
 */
#ifndef GAZETTE_SITE_H
#define GAZETTE_SITE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct conf;
struct http_request;
struct http_response;
struct store;
struct site;

/*
 * Loads the theme (DIR/templates/NAME.mustache where present, else the
 * built-in one) and the site secret (DIR/secret.key) for a site whose
 * configuration is conf and whose data is store (both borrowed; they
 * must outlive the site).  Returns NULL with the file and line at fault
 * in err.  Free with site_free().
 */
struct site	*site_new(const struct conf *, struct store *, const char *dir,
		    char *err, size_t errlen);
void		 site_free(struct site *);	/* NULL is a no-op */

/*
 * The path of the moderation queue's Atom feed: secret, derived from
 * the site key, for the owner's feed reader.  An arena string.
 */
const char	*site_queue_feed(struct site *, struct arena *);

struct http_config;
struct http_observation;

/*
 * Fills the page cache and hook fields of an http_config for serving
 * the site: the cache ([cache] size), the refresh hook that applies
 * other processes' writes, and the observe hook (metrics, access log).
 */
void		 site_http_config(struct site *, struct http_config *);
/* The http_observe_fn for a site (arg is the struct site). */
void		 site_observe(void *arg, const struct http_request *,
		    const struct http_observation *);
/* The http_refresh_fn for a site (arg is the struct site). */
void		 site_refresh(void *arg);

/* The http_handler_fn for a site (arg is the struct site). */
void		 site_handle(void *arg, struct http_request *,
		    struct http_response *);

/*
 * Creates DIR/secret.key (random, mode 0600), the key that signs comment
 * form tokens and hashes client addresses.  Refuses to overwrite one.
 */
int		 site_secret_create(const char *dir, char *err, size_t errlen);

/* ---- the admin's accounts (account.c, totp.c), shared with the CLI ---- */

#define SITE_PWHASH_LEN	128	/* crypto_pwhash_STRBYTES */
#define SITE_TOTP_CODE	7	/* six digits and a NUL */

/* The argon2id string of a password into out; 0, or -1 out of memory. */
int	 site_password_hash(const char *pw, char out[SITE_PWHASH_LEN]);
/* 1 when pw matches the argon2id string hash, else 0. */
int	 site_password_check(const char *hash, const char *pw);
/* A new random TOTP secret, base32 (33 bytes of out needed); 0 or -1. */
int	 site_totp_secret_new(char *out, size_t outlen);
/* The 6-digit code of secret (base32) at time t; 0, or -1 bad secret. */
int	 site_totp_code(const char *secret, int64_t t,
	    char out[SITE_TOTP_CODE]);
/* 1 when code is secret's code at now, or one step before or after. */
int	 site_totp_check(const char *secret, const char *code, int64_t now);
/* The otpauth:// URI authenticator apps read (an arena string). */
char	*site_totp_uri(struct arena *, const char *issuer, const char *user,
	    const char *secret);

/* ---- stats.c: page views and searches, counted in memory ---- */

/*
 * Counts a response: a GET answered 200 for a reader's page (not the
 * admin, the API, feeds or assets) adds one view of path for today.
 * Counts gather in memory and reach the store in one write now and
 * then (at most a minute apart, sooner when many pages are counted),
 * never a write per view.  No cookie, no address is kept.  Any thread.
 */
void	 site_count_view(struct site *, const char *path, int status);
/* Counts one search for query q (trimmed, lower-cased, capped). */
void	 site_count_search(struct site *, const char *q);
/* Writes what has been counted so far (the admin, and at exit). */
void	 site_stats_flush(struct site *);

#endif /* GAZETTE_SITE_H */
