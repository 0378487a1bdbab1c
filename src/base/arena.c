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
 * A bump allocator.  Memory comes in blocks that double in size; a large
 * request gets a block of its own.  Everything goes at arena_free() or
 * arena_reset().  Allocations are zeroed and aligned for any type.
 */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

#define ARENA_FIRST	4096
#define ARENA_ALIGN	alignof(max_align_t)

struct block {
	struct block	*next;	/* older block */
	size_t		 cap;	/* usable bytes after the header */
	size_t		 used;	/* bytes handed out */
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct block	*head;	/* newest block; the first block is last */
};

static struct block *
block_new(size_t cap)
{
	struct block	*b;

	b = xmalloc(sizeof(*b) + cap);
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

struct arena *
arena_new(void)
{
	struct arena	*a;

	a = xmalloc(sizeof(*a));
	a->head = block_new(ARENA_FIRST);
	return a;
}

void
arena_free(struct arena *a)
{
	struct block	*b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void
arena_reset(struct arena *a)
{
	struct block	*b;

	while (a->head->next != NULL) {
		b = a->head;
		a->head = b->next;
		free(b);
	}
	a->head->used = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block	*b;
	size_t		 off, cap;
	void		*p;

	if (n > SIZE_MAX / 2)
		abort();
	off = (a->head->used + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (off + n > a->head->cap) {
		cap = a->head->cap * 2;
		if (cap < n)
			cap = n;
		b = block_new(cap);
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	p = a->head->data + off;
	a->head->used = off + n;
	memset(p, 0, n);
	return p;
}

void *
arena_allocarray(struct arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / 2 / size)
		abort();
	return arena_alloc(a, n * size);
}

void *
arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	void	*nv;

	if (n < *cap)
		return v;
	*cap = *cap == 0 ? 16 : *cap * 2;
	nv = arena_allocarray(a, *cap, size);
	if (n > 0)
		memcpy(nv, v, n * size);
	return nv;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char	*p;

	p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p, small[256];
	int	 n;

	/* A stack buffer for the length: most strings fit in one pass. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
