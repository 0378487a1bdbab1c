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
 * Uncached render benchmark: the site's handler called in-process for
 * one page, as the server calls it on a cache miss (store reads,
 * templates, escaping; no HTTP), N times after a warm-up.  Prints the
 * time per render (mean, p50, p99), the page size, and how many heap
 * allocations a render makes outside its request arena (counted by
 * wrapping malloc in this program).  Prints figures; asserts nothing.
 *
 * Usage: render_bench SITEDIR PATH [N]
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "http/http.h"
#include "site/site.h"
#include "store/store.h"

void	*__libc_malloc(size_t);
void	*__libc_calloc(size_t, size_t);
void	*__libc_realloc(void *, size_t);

static _Atomic unsigned long	 nallocs;

/* Counting wrappers: every heap allocation of the process passes here. */
void *
malloc(size_t n)
{
	atomic_fetch_add_explicit(&nallocs, 1, memory_order_relaxed);
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
	atomic_fetch_add_explicit(&nallocs, 1, memory_order_relaxed);
	return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
	atomic_fetch_add_explicit(&nallocs, 1, memory_order_relaxed);
	return __libc_realloc(p, n);
}

static double
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One render of path; returns the body size and the status in *status. */
static size_t
render(struct site *site, const char *path, int *status,
    unsigned long *arena_allocs)
{
	struct http_request	 req;
	struct http_response	 res;
	unsigned long		 before;
	size_t			 len;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.method = HTTP_GET;
	req.method_name = "GET";
	req.path = path;
	req.raw_query = "";
	req.client_addr = "127.0.0.1";
	memset(&res, 0, sizeof(res));
	res.status = 200;
	buf_init(&res.body);
	before = atomic_load(&nallocs);
	site_handle(site, &req, &res);
	*arena_allocs = atomic_load(&nallocs) - before;
	len = res.body.len;
	*status = res.status;
	buf_clear(&res.body);
	arena_free(req.arena);
	return len;
}

int
main(int argc, char *argv[])
{
	struct conf	 conf;
	struct store	*store = NULL;
	struct site	*site = NULL;
	char		 err[512], path[4096];
	double		*t, t0, sum = 0;
	unsigned long	 allocs = 0, a;
	size_t		 n = 20000, i, len = 0;
	int		 status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: render_bench SITEDIR PATH [N]\n");
		return 2;
	}
	if (argc > 3)
		n = strtoul(argv[3], NULL, 10);
	if (n == 0)
		n = 1;
	if (chdir(argv[1]) == -1) {
		perror(argv[1]);
		return 1;
	}
	conf_defaults(&conf);
	if (conf_load(&conf, "gazette.conf", err, sizeof(err)) == -1) {
		fprintf(stderr, "render_bench: %s\n", err);
		return 1;
	}
	conf.cache_size = 0;	/* every call renders */
	if (store_open(conf.store_db, 0, &store, err, sizeof(err)) !=
	    STORE_OK || (site = site_new(&conf, store, ".", err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "render_bench: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof(path), "%s", argv[2]);
	/* Warm-up: statements prepared, templates and pages in memory. */
	for (i = 0; i < 200; i++)
		len = render(site, path, &status, &a);
	t = calloc(n, sizeof(*t));
	for (i = 0; i < n; i++) {
		t0 = now_us();
		render(site, path, &status, &a);
		t[i] = now_us() - t0;
		sum += t[i];
		allocs += a;
	}
	qsort(t, n, sizeof(*t), cmp_double);
	printf("uncached render of %s: status %d, %zu bytes\n", path, status,
	    len);
	printf("  %zu renders: mean %.1f us, p50 %.1f us, p99 %.1f us "
	    "(goal < 100 us)\n", n, sum / (double)n, t[n / 2],
	    t[n * 99 / 100]);
	printf("  heap allocations per render: %.1f (arena blocks "
	    "included)\n", (double)allocs / (double)n);
	free(t);
	site_free(site);
	store_close(store);
	conf_clear(&conf);
	text_thread_cleanup();
	return 0;
}
