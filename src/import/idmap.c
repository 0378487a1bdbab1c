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
 * The map from an export's own ids to store ids, kept in an unlinked
 * temporary file instead of memory, so that an import of millions of
 * entries needs no more memory than one of ten.  An open-addressing
 * hash table of fixed-size slots read and written with pread/pwrite
 * (no mapping, so the pages stay the kernel's cache, not our resident
 * memory), doubled into a new file when half full.
 *
 * Keys up to IDMAP_KEY - 1 bytes (Blogger's are numbers of about 20
 * digits) are kept whole; a longer key is kept as its 64-bit hash,
 * which in a file of millions of keys meets another by chance with odds
 * of about one in a million million.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "import_int.h"

#define IDMAP_KEY	40	/* bytes of a slot's key, NUL included */
#define IDMAP_START	1024	/* slots of a new table */

struct slot {
	char		 key[IDMAP_KEY];	/* "" for a free slot */
	int64_t		 id;
	int64_t		 post_id;
	int64_t		 is_comment;
};

struct import_idmap {
	FILE		*fp;	/* the table's file, unlinked */
	size_t		 cap;	/* slots, a power of two */
	size_t		 n;	/* slots in use */
};

/* FNV-1a, 64 bits. */
static uint64_t
hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The key as a slot holds it: whole, or "#" and its hash in hex. */
static void
slot_key(const char *key, char out[IDMAP_KEY])
{
	if (strlen(key) < IDMAP_KEY && key[0] != '#')
		snprintf(out, IDMAP_KEY, "%s", key);
	else
		snprintf(out, IDMAP_KEY, "#%016llx",
		    (unsigned long long)hash(key));
}

/* A new file of cap free slots. */
static FILE *
table_new(size_t cap)
{
	FILE	*fp;

	if ((fp = tmpfile()) == NULL)
		return NULL;
	/* Free slots read as zeroes: a file with a hole is enough. */
	if (ftruncate(fileno(fp), (off_t)(cap * sizeof(struct slot))) ==
	    -1) {
		fclose(fp);
		return NULL;
	}
	return fp;
}

static int
slot_read(FILE *fp, size_t i, struct slot *s)
{
	return pread(fileno(fp), s, sizeof(*s), (off_t)(i * sizeof(*s))) ==
	    (ssize_t)sizeof(*s) ? 0 : -1;
}

static int
slot_write(FILE *fp, size_t i, const struct slot *s)
{
	return pwrite(fileno(fp), s, sizeof(*s), (off_t)(i * sizeof(*s))) ==
	    (ssize_t)sizeof(*s) ? 0 : -1;
}

/*
 * The slot where key is, or the free slot where it would go: its index
 * in *at, and 1 when it holds key, 0 when free.  -1 on a read error.
 */
static int
probe(FILE *fp, size_t cap, const char *key, struct slot *s, size_t *at)
{
	size_t	 i;

	for (i = (size_t)hash(key) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (slot_read(fp, i, s) == -1)
			return -1;
		*at = i;
		if (s->key[0] == '\0')
			return 0;
		if (strcmp(s->key, key) == 0)
			return 1;
	}
}

struct import_idmap *
import_idmap_new(void)
{
	struct import_idmap	*m;

	m = xcalloc(1, sizeof(*m));
	m->cap = IDMAP_START;
	if ((m->fp = table_new(m->cap)) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
import_idmap_free(struct import_idmap *m)
{
	if (m == NULL)
		return;
	fclose(m->fp);
	free(m);
}

/* Doubles the table into a new file, a slot at a time. */
static int
grow(struct import_idmap *m)
{
	struct slot	 s, t;
	FILE		*fp;
	size_t		 i, at, cap = m->cap * 2;

	if ((fp = table_new(cap)) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (slot_read(m->fp, i, &s) == -1)
			goto fail;
		if (s.key[0] == '\0')
			continue;
		if (probe(fp, cap, s.key, &t, &at) == -1 ||
		    slot_write(fp, at, &s) == -1)
			goto fail;
	}
	fclose(m->fp);
	m->fp = fp;
	m->cap = cap;
	return 0;
fail:
	fclose(fp);
	return -1;
}

int
import_idmap_put(struct import_idmap *m, const char *key, int64_t id,
    int64_t post_id, int is_comment)
{
	struct slot	 s;
	char		 k[IDMAP_KEY];
	size_t		 at;
	int		 r;

	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return -1;
	slot_key(key, k);
	if ((r = probe(m->fp, m->cap, k, &s, &at)) == -1)
		return -1;
	memset(&s, 0, sizeof(s));
	memcpy(s.key, k, sizeof(s.key));
	s.id = id;
	s.post_id = post_id;
	s.is_comment = is_comment;
	if (slot_write(m->fp, at, &s) == -1)
		return -1;
	if (r == 0)
		m->n++;
	return 0;
}

int
import_idmap_get(struct import_idmap *m, const char *key, int64_t *id,
    int64_t *post_id, int *is_comment)
{
	struct slot	 s;
	char		 k[IDMAP_KEY];
	size_t		 at;
	int		 r;

	*id = *post_id = 0;
	*is_comment = 0;
	slot_key(key, k);
	if ((r = probe(m->fp, m->cap, k, &s, &at)) != 1)
		return r;
	*id = s.id;
	*post_id = s.post_id;
	*is_comment = (int)s.is_comment;
	return 1;
}
