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
 * Reader statistics without cookies or third-party script: views of
 * each page and searches, added up per UTC day in a small table in
 * memory, written to the store in one transaction now and then.  A
 * view is a GET answered 200 for a reader's page; no address, no
 * cookie, no agent is looked at or kept.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "site_int.h"

#define STATS_SLOTS	1024	/* distinct (day, kind, key) held */
#define STATS_FLUSH_AT	(STATS_SLOTS / 2)	/* entries that force a flush */
#define STATS_FLUSH_SEC	60	/* seconds between flushes at most */
#define STATS_KEY_MAX	200	/* bytes of a counted path or query */
#define SECONDS_PER_DAY	86400

struct stats_slot {
	char		*key;	/* owned; NULL: free */
	int64_t		 day;
	enum stats_kind	 kind;
	int64_t		 n;
};

struct site_stats {
	pthread_mutex_t		 lock;	/* guards everything below */
	struct stats_slot	 v[STATS_SLOTS];
	size_t			 n;	/* slots in use */
	int64_t			 flushed;	/* when last written */
};

/* Paths that are not a reader's page. */
static const char *const skip[] = {
	"/admin", "/api/", "/static/", "/feeds/", "/feed.json", "/healthz",
	"/robots.txt", "/sitemap.xml", "/comment", "/metrics",
};

struct site_stats *
stats_new(void)
{
	struct site_stats	*st;

	st = xcalloc(1, sizeof(*st));
	pthread_mutex_init(&st->lock, NULL);
	st->flushed = clock_now();
	return st;
}

void
stats_free(struct site_stats *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < STATS_SLOTS; i++)
		free(st->v[i].key);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static uint64_t
slot_hash(int64_t day, enum stats_kind kind, const char *key)
{
	uint64_t	 h = 1469598103934665603ULL ^ (uint64_t)day ^
	    ((uint64_t)kind << 40);

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

/* Adds one to (today, kind, key); 1 when the table wants a flush. */
static int
count(struct site_stats *st, enum stats_kind kind, const char *key)
{
	struct stats_slot	*sl;
	int64_t			 now = clock_now(), day = now / SECONDS_PER_DAY;
	size_t			 i, at;
	int			 want;

	pthread_mutex_lock(&st->lock);
	at = (size_t)(slot_hash(day, kind, key) % STATS_SLOTS);
	for (i = 0; i < STATS_SLOTS; i++) {
		sl = &st->v[(at + i) % STATS_SLOTS];
		if (sl->key == NULL) {
			sl->key = xstrdup(key);
			sl->day = day;
			sl->kind = kind;
			st->n++;
			break;
		}
		if (sl->day == day && sl->kind == kind &&
		    strcmp(sl->key, key) == 0)
			break;
	}
	if (i < STATS_SLOTS)
		st->v[(at + i) % STATS_SLOTS].n++;
	want = st->n >= STATS_FLUSH_AT || now - st->flushed >=
	    STATS_FLUSH_SEC;
	pthread_mutex_unlock(&st->lock);
	return want;
}

void
site_stats_flush(struct site *s)
{
	struct site_stats	*st = s->stats;
	struct stats_slot	*v;
	enum store_err		 e = STORE_OK;
	size_t			 i, n = 0;

	if (st == NULL)
		return;
	/* Taken out under the lock, written without it. */
	v = xcalloc(STATS_SLOTS, sizeof(*v));
	pthread_mutex_lock(&st->lock);
	for (i = 0; i < STATS_SLOTS; i++)
		if (st->v[i].key != NULL) {
			v[n++] = st->v[i];
			memset(&st->v[i], 0, sizeof(st->v[i]));
		}
	st->n = 0;
	st->flushed = clock_now();
	pthread_mutex_unlock(&st->lock);
	if (n > 0 && (e = store_write_begin(s->store)) == STORE_OK) {
		for (i = 0; i < n && e == STORE_OK; i++)
			e = store_stats_add(s->store, v[i].day, v[i].kind,
			    v[i].key, v[i].n);
		if (store_write_end(s->store, e == STORE_OK) != STORE_OK)
			e = STORE_ERR;
	}
	if (e != STORE_OK)
		log_warnx("stats: %zu counts lost: %s", n,
		    store_errmsg(s->store));
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

void
site_count_view(struct site *s, const char *path, int status)
{
	size_t	 i;

	if (status != 200 || strlen(path) > STATS_KEY_MAX)
		return;
	for (i = 0; i < nitems(skip); i++)
		if (str_has_prefix(path, skip[i]))
			return;
	if (count(s->stats, STATS_VIEW, path))
		site_stats_flush(s);
}

void
site_count_search(struct site *s, const char *q)
{
	char	*key;
	size_t	 len;

	key = xstrdup(q);
	str_trim(key);
	str_ascii_lower(key);
	len = strlen(key);
	if (len > 0 && len <= STATS_KEY_MAX && count(s->stats, STATS_SEARCH,
	    key))
		site_stats_flush(s);
	free(key);
}
