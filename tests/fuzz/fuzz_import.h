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
 * The harness both export-importer fuzz targets share: the input is
 * written to a memfd and imported into a store made once per process in
 * a temporary folder, removed at exit.  Besides crashes and leaks it
 * checks what import.h promises: a refused file names itself and writes
 * nothing (the number of posts and comments stays the same).  Included
 * by fuzz_blogger.c and fuzz_wxr.c only.
 */
#ifndef GAZETTE_FUZZ_IMPORT_H
#define GAZETTE_FUZZ_IMPORT_H

#include <sys/mman.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "import/import.h"
#include "store/store.h"

#include "fuzz.h"

/* import_blogger_file and import_wxr_file alike. */
typedef int (*import_file_fn)(struct store *, const struct import_opts *,
    const char *, struct import_counts *, char *, size_t);

static struct store	*st;
static int		 in_fd = -1;	/* the memfd holding the input */
static char		 in_path[64];	/* "/proc/self/fd/N" */
static char		 dir[64];	/* the store's temporary folder */

static void
cleanup(void)
{
	char	 path[128];

	store_close(st);
	snprintf(path, sizeof(path), "%s/gazette.db", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/gazette.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/gazette.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 url[128], err[256];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/gazette-fuzz-XXXXXX");
	if (mkdtemp(dir) == NULL ||
	    (in_fd = memfd_create("gazette-fuzz-import", MFD_CLOEXEC)) == -1) {
		fprintf(stderr, "fuzz_import: %s\n", strerror(errno));
		abort();
	}
	snprintf(in_path, sizeof(in_path), "/proc/self/fd/%d", in_fd);
	snprintf(url, sizeof(url), "sqlite:%s/gazette.db", dir);
	if (store_open(url, 1, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "fuzz_import: %s\n", err);
		abort();
	}
	atexit(cleanup);
	return 0;
}

/* Posts (all kinds) and comments in the store now. */
static void
counts(size_t *posts, size_t *comments)
{
	struct arena		*a = arena_new();
	struct post_query	 q;
	struct post_list	 pl;
	struct comment_list	 cl;

	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	q.include_pages = 1;
	q.limit = 1;
	FUZZ_CHECK(store_post_list(st, a, &q, &pl) == STORE_OK);
	FUZZ_CHECK(store_comment_list(st, a, COMMENT_STATUS__MAX, &cl) ==
	    STORE_OK);
	*posts = pl.total;
	*comments = cl.n;
	arena_free(a);
}

/* One input through importer fn: the body of both targets. */
static int
fuzz_import(import_file_fn fn, const uint8_t *data, size_t size)
{
	struct import_opts	 io = { "es", "Europe/Madrid" };
	struct import_counts	 res;
	char			 err[512];
	size_t			 off = 0, p0, c0, p1, c1;
	ssize_t			 n;

	if (st == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	FUZZ_CHECK(ftruncate(in_fd, 0) == 0);
	while (off < size) {
		n = pwrite(in_fd, data + off, size - off, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		FUZZ_CHECK(n > 0);
		off += (size_t)n;
	}
	counts(&p0, &c0);
	err[0] = '\0';
	if (fn(st, &io, in_path, &res, err, sizeof(err)) == -1) {
		FUZZ_CHECK(strncmp(err, in_path, strlen(in_path)) == 0);
		counts(&p1, &c1);
		FUZZ_CHECK(p1 == p0 && c1 == c0);
	}
	return 0;
}

#endif /* GAZETTE_FUZZ_IMPORT_H */
