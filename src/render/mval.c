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
 * The value tree templates read.  Every node comes from the caller's
 * arena and every string is borrowed, so building a page's data costs a
 * few bump allocations and releasing it costs nothing here.  Lookup is
 * by the mustache engine (mustache.c); this file only builds.
 */
#include <inttypes.h>
#include <string.h>

#include "base.h"
#include "render.h"

/* A zeroed value of type t. */
static struct mval *
mval_new(struct arena *a, enum mval_type t)
{
	struct mval	*v;

	v = arena_alloc(a, sizeof(*v));
	v->type = t;
	return v;
}

struct mval *
mval_map(struct arena *a)
{
	return mval_new(a, MVAL_MAP);
}

struct mval *
mval_list(struct arena *a)
{
	return mval_new(a, MVAL_LIST);
}

struct mval *
mval_bool(struct arena *a, int b)
{
	struct mval	*v;

	v = mval_new(a, MVAL_BOOL);
	v->b = b != 0;
	return v;
}

struct mval *
mval_str(struct arena *a, const char *s)
{
	if (s == NULL)
		return mval_new(a, MVAL_NULL);
	return mval_strn(a, s, strlen(s));
}

struct mval *
mval_strn(struct arena *a, const char *s, size_t len)
{
	struct mval	*v;

	if (s == NULL)
		return mval_new(a, MVAL_NULL);
	v = mval_new(a, MVAL_STR);
	v->s = s;
	v->len = len;
	return v;
}

/*
 * Prepends rather than replacing: a later set then shadows an earlier
 * one for every reader (lookups take the first match), and setting is
 * O(1) however large the map grows.
 */
void
mval_set(struct arena *a, struct mval *map, const char *key, struct mval *v)
{
	struct mval_pair	*p;

	if (map == NULL || map->type != MVAL_MAP || key == NULL)
		return;
	p = arena_alloc(a, sizeof(*p));
	p->key = key;
	p->v = v;
	p->next = map->pairs;
	map->pairs = p;
}

void
mval_set_str(struct arena *a, struct mval *map, const char *key,
    const char *s)
{
	mval_set(a, map, key, mval_str(a, s));
}

void
mval_set_int(struct arena *a, struct mval *map, const char *key, int64_t i)
{
	mval_set(a, map, key, mval_str(a, arena_printf(a, "%" PRId64, i)));
}

void
mval_set_bool(struct arena *a, struct mval *map, const char *key, int b)
{
	mval_set(a, map, key, mval_bool(a, b));
}

void
mval_push(struct arena *a, struct mval *list, struct mval *v)
{
	struct mval_item	*it;

	if (list == NULL || list->type != MVAL_LIST)
		return;
	it = arena_alloc(a, sizeof(*it));
	it->v = v;
	if (list->last == NULL)
		list->items = it;
	else
		list->last->next = it;
	list->last = it;
	list->n++;
}

const struct mval *
mval_get(const struct mval *map, const char *key)
{
	const struct mval_pair	*p;

	if (map == NULL || map->type != MVAL_MAP || key == NULL)
		return NULL;
	for (p = map->pairs; p != NULL; p = p->next)
		if (p->key != NULL && strcmp(p->key, key) == 0)
			return p->v;
	return NULL;
}
