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
 * Keeping the page cache fresh: what a page shows, as cache tags (the
 * page handlers call the site_cache_* helpers), and what the store says
 * changed, turned into the same tags (site_sync).  The cache mechanism
 * itself is http's (src/http/cache.c); the change log is the store's
 * (store_changes_since).
 *
 * Page tags:
 *	post:ID		a post's page, comment feed, and any list showing it
 *	post:*		pages that show every post (the sitemap)
 *	list		the front page, the post feeds
 *	archive:Y, archive:Y-MM	date archives (in the site's time zone)
 *	label:KEY	a label's page and feed
 *	nav		every page with the navigation
 * A change "list:T" of the store becomes list, archive:Y and archive:Y-MM
 * of T; "all" (or a tag this code does not know) clears the cache.
 *
 * Writes of another process show through the store's data version,
 * checked at most every SITE_SYNC_MS by whichever request comes first
 * (the others do not wait: they skip the check while it runs), so a hit
 * costs one clock read and one atomic load.  Writes of this process call
 * site_sync when they commit, so the next request sees them.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "site_int.h"

#define SITE_SYNC_MS	1	/* how stale another process's write may be */

static int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
site_cache_tag(struct http_request *req, struct http_response *res,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 tag[256];

	va_start(ap, fmt);
	vsnprintf(tag, sizeof(tag), fmt, ap);
	va_end(ap);
	http_response_tag(req->arena, res, tag);
}

void
site_cache_keep(struct site *s, struct http_request *req,
    struct http_response *res, int64_t expires)
{
	if (s->cache == NULL)
		return;
	res->is_cacheable = 1;
	res->expires = expires;
	if (str_has_prefix(res->content_type != NULL ? res->content_type :
	    "text/html", "text/html"))
		site_cache_tag(req, res, "nav");
}

void
site_cache_posts(struct http_request *req, struct http_response *res,
    const struct post *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		site_cache_tag(req, res, "post:%lld", (long long)v[i].id);
}

void
site_cache_label(struct http_request *req, struct http_response *res,
    const char *name)
{
	const char	*key;

	/* As the store keys labels (gazette_label_key). */
	key = text_label_key(req->arena, name, strlen(name));
	site_cache_tag(req, res, "label:%s", *key != '\0' ? key : name);
}

int64_t
site_cache_lists_expire(struct site *s)
{
	return atomic_load_explicit(&s->next_due, memory_order_relaxed);
}

/* Learns when the next scheduled post goes live (under sync_lock). */
static void
next_due_update(struct site *s)
{
	int64_t	 when;

	if (store_post_next_due(s->store, clock_now(), &when) != STORE_OK) {
		log_warnx("cache: %s", store_errmsg(s->store));
		/* Unknown: keep lists a minute at most. */
		when = clock_now() + 60;
	}
	atomic_store(&s->next_due, when);
}

/* The page tags of one change tag; 0, or -1 when it means "all". */
static int
change_tags(struct site *s, const char *tag, uint64_t **v, size_t *n,
    size_t *cap, struct arena *a)
{
	const char	*add[4];
	char		 y[32], ym[32];
	size_t		 nadd = 0, i;
	int64_t		 t;
	int		 year, month, day;

	if (str_has_prefix(tag, "post:")) {
		add[nadd++] = tag;
		add[nadd++] = "post:*";
	} else if (str_has_prefix(tag, "label:") || strcmp(tag, "nav") == 0)
		add[nadd++] = tag;
	else if (strcmp(tag, "redirect") == 0)
		return 0;	/* no cached page answers for a redirect */
	else if (str_has_prefix(tag, "list:") &&
	    str_to_i64(tag + 5, INT64_MIN, INT64_MAX, &t) == 0) {
		add[nadd++] = "list";
		if (text_date_parts(s->conf->site_timezone, t, &year, &month,
		    &day) == 0) {
			snprintf(y, sizeof(y), "archive:%04d", year);
			snprintf(ym, sizeof(ym), "archive:%04d-%02d", year,
			    month);
			add[nadd++] = y;
			add[nadd++] = ym;
		} else
			return -1;
	} else
		return -1;
	for (i = 0; i < nadd; i++) {
		*v = arena_grow(a, *v, *n, cap, sizeof(**v));
		(*v)[(*n)++] = http_cache_tag(add[i]);
	}
	return 0;
}

/* Reads the changes since s->seq and drops their pages (under sync_lock). */
static void
sync_locked(struct site *s)
{
	struct arena		*a;
	struct store_change	*v;
	uint64_t		*tags = NULL;
	size_t			 n, i, ntags = 0, cap = 0;
	int64_t			 last, dv;
	int			 all = 0, lists = 0;

	if (store_data_version(s->store, &dv) == STORE_OK && dv == s->dv &&
	    s->synced)
		goto due;
	a = arena_new();
	if (store_changes_since(s->store, a, s->seq, &v, &n, &last) !=
	    STORE_OK) {
		log_warnx("cache: %s", store_errmsg(s->store));
		arena_free(a);
		return;
	}
	s->dv = dv;
	s->synced = 1;
	s->seq = last;
	for (i = 0; i < n && !all; i++) {
		if (str_has_prefix(v[i].tag, "list:"))
			lists = 1;
		if (change_tags(s, v[i].tag, &tags, &ntags, &cap, a) == -1)
			all = 1;
	}
	if (all)
		http_cache_clear(s->cache);
	else if (ntags > 0)
		http_cache_invalidate(s->cache, tags, ntags);
	arena_free(a);
	if (all || lists)
		next_due_update(s);
due:
	/* A scheduled post went live: lists expired; learn the next one. */
	if (atomic_load(&s->next_due) != 0 &&
	    clock_now() >= atomic_load(&s->next_due))
		next_due_update(s);
}

void
site_sync(struct site *s)
{
	if (s->cache == NULL)
		return;
	pthread_mutex_lock(&s->sync_lock);
	sync_locked(s);
	pthread_mutex_unlock(&s->sync_lock);
}

void
site_refresh(void *arg)
{
	struct site	*s = arg;
	int64_t		 now;

	now = mono_ms();
	if (now < atomic_load_explicit(&s->next_sync, memory_order_relaxed))
		return;
	/* Someone else is at it: serve what is there meanwhile. */
	if (pthread_mutex_trylock(&s->sync_lock) != 0)
		return;
	atomic_store(&s->next_sync, now + SITE_SYNC_MS);
	sync_locked(s);
	pthread_mutex_unlock(&s->sync_lock);
}

int
site_cache_init(struct site *s)
{
	struct arena		*a;
	struct store_change	*v;
	size_t			 n;

	pthread_mutex_init(&s->sync_lock, NULL);
	if (s->conf->cache_size == 0)
		return 0;
	a = arena_new();
	if (store_changes_since(s->store, a, -1, &v, &n, &s->seq) !=
	    STORE_OK) {
		log_warnx("cache: %s", store_errmsg(s->store));
		arena_free(a);
		return -1;
	}
	arena_free(a);
	s->cache = http_cache_new(s->conf->cache_size);
	next_due_update(s);
	return 0;
}

void
site_cache_clear(struct site *s)
{
	http_cache_free(s->cache);
	s->cache = NULL;
	pthread_mutex_destroy(&s->sync_lock);
}
