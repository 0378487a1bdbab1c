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

#endif /* GAZETTE_SITE_H */
