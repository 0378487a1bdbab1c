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
 * Observability: the server's observe hook (site_observe) counts every
 * response (by route and status, cache use, latency) and writes the
 * access log; GET /metrics shows the counts in the Prometheus text
 * format with the cache's, the comment outcomes and the store's error
 * count.  Counters are relaxed atomics: exact totals, no lock, and no
 * order among them that anyone relies on.  The access log is written
 * with one write(2) per line on an O_APPEND descriptor, so lines of
 * several threads never mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "site_int.h"

/* Status codes counted one by one; anything else counts as "other". */
static const int statuses[] = {
	200, 301, 302, 303, 304, 400, 403, 404, 405, 413, 414, 415, 429,
	500, 503,
};
#define NSTATUS		(nitems(statuses) + 1)

/* Latency buckets, microseconds (Prometheus "le" in seconds). */
static const uint64_t buckets_us[] = {
	50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000,
	250000, 1000000,
};
#define NBUCKETS	(nitems(buckets_us) + 1)

static const char *const outcomes[SITE_COMMENT__MAX] = {
	"published", "held", "refused", "limited", "error",
};

struct site_metrics {
	_Atomic uint64_t req[SITE_ROUTES_MAX][NSTATUS];
	_Atomic uint64_t hist[NBUCKETS];	/* not cumulative */
	_Atomic uint64_t sum_us;
	_Atomic uint64_t hits, misses;
	_Atomic uint64_t comments[SITE_COMMENT__MAX];
	int		 log_fd;	/* access log, or -1 */
	int		 log_owned;	/* 1: ours to close */
};

int
site_metrics_new(struct site *s, const char *dir, char *err, size_t errlen)
{
	struct site_metrics	*m;
	const char		*path = s->conf->server_access_log;
	char			 full[4096];

	m = xcalloc(1, sizeof(*m));
	m->log_fd = -1;
	if (strcmp(path, "-") == 0)
		m->log_fd = STDERR_FILENO;
	else if (strcmp(path, "off") != 0) {
		/* Relative to the site, like the database. */
		if (path[0] != '/') {
			snprintf(full, sizeof(full), "%s/%s", dir, path);
			path = full;
		}
		m->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC, 0640);
		if (m->log_fd == -1) {
			snprintf(err, errlen, "server.access_log: %s: %s",
			    path, strerror(errno));
			free(m);
			return -1;
		}
		m->log_owned = 1;
	}
	s->metrics = m;
	return 0;
}

void
site_metrics_free(struct site *s)
{
	if (s->metrics == NULL)
		return;
	if (s->metrics->log_owned)
		close(s->metrics->log_fd);
	free(s->metrics);
	s->metrics = NULL;
}

static size_t
status_index(int status)
{
	size_t	 i;

	for (i = 0; i < nitems(statuses); i++)
		if (statuses[i] == status)
			return i;
	return nitems(statuses);
}

void
site_metrics_comment(struct site *s, enum site_comment_outcome o)
{
	atomic_fetch_add_explicit(&s->metrics->comments[o], 1,
	    memory_order_relaxed);
}

/* Appends s to b as a quoted log field: '"', '\' and controls as \xHH. */
static void
log_quoted(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)(s == NULL ? "-" : s); *p != '\0';
	    p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			buf_addf(b, "\\x%02x", *p);
		else
			buf_addc(b, (char)*p);
	}
	buf_addc(b, '"');
}

/* One line of the combined log format. */
static void
access_log(struct site_metrics *m, const struct http_request *req,
    const struct http_observation *o)
{
	struct buf	 b = BUF_INIT;
	struct tm	 tm;
	time_t		 now = time(NULL);
	char		 date[64];
	const char	*p;
	ssize_t		 w;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	buf_addf(&b, "%s - - [%s] \"", req->client_addr[0] != '\0' ?
	    req->client_addr : "-", date);
	/* The request line as sent, made safe the same way as the rest. */
	for (p = req->method_name; p != NULL && *p != '\0'; p++)
		buf_addc(&b, *p < 0x21 || *p == '"' ? '?' : *p);
	buf_addc(&b, ' ');
	for (p = o->uri; p != NULL && *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == '\\' ||
		    *p == 0x7f)
			buf_addf(&b, "\\x%02x", (unsigned char)*p);
		else
			buf_addc(&b, *p);
	}
	buf_addf(&b, " %s\" %d %llu ", o->version != NULL ? o->version :
	    "HTTP/1.1", o->status, (unsigned long long)o->bytes);
	log_quoted(&b, http_header(req, "Referer"));
	buf_addc(&b, ' ');
	log_quoted(&b, http_header(req, "User-Agent"));
	buf_addc(&b, '\n');
	/* A full disk must not stop the site: a lost line is let go. */
	w = write(m->log_fd, b.p, b.len);
	(void)w;
	buf_clear(&b);
}

void
site_observe(void *arg, const struct http_request *req,
    const struct http_observation *o)
{
	struct site		*s = arg;
	struct site_metrics	*m = s->metrics;
	size_t			 i, route;

	route = o->route >= 0 && o->route < SITE_ROUTES_MAX ?
	    (size_t)o->route : 0;
	atomic_fetch_add_explicit(&m->req[route][status_index(o->status)], 1,
	    memory_order_relaxed);
	for (i = 0; i < nitems(buckets_us) && o->usec > buckets_us[i]; i++)
		;
	atomic_fetch_add_explicit(&m->hist[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->sum_us, o->usec, memory_order_relaxed);
	if (o->cache == HTTP_CACHE_HIT)
		atomic_fetch_add_explicit(&m->hits, 1, memory_order_relaxed);
	else if (o->cache == HTTP_CACHE_MISS)
		atomic_fetch_add_explicit(&m->misses, 1, memory_order_relaxed);
	if (m->log_fd != -1)
		access_log(m, req, o);
	/* A revalidated page (304) was still read: it counts as a view. */
	if (req->method == HTTP_GET)
		site_count_view(s, req->path, o->status == 304 ? 200 :
		    o->status);
}

static uint64_t
get(_Atomic uint64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static void
help(struct buf *b, const char *name, const char *type, const char *text)
{
	buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

void
page_metrics(struct site *s, struct http_request *req,
    struct http_response *res)
{
	struct site_metrics	*m = s->metrics;
	struct http_cache_stats	 cs;
	struct buf		*b = &res->body;
	uint64_t		 n, total = 0;
	size_t			 r, i;

	(void)req;
	help(b, "gazette_http_requests_total", "counter",
	    "Responses sent, by route and status.");
	for (r = 0; r < SITE_ROUTES_MAX; r++)
		for (i = 0; i < NSTATUS; i++) {
			if ((n = get(&m->req[r][i])) == 0)
				continue;
			buf_addf(b, "gazette_http_requests_total{route=\"%s\","
			    "status=\"", site_route_name((int)r));
			if (i < nitems(statuses))
				buf_addf(b, "%d", statuses[i]);
			else
				buf_adds(b, "other");
			buf_addf(b, "\"} %llu\n", (unsigned long long)n);
		}
	help(b, "gazette_http_request_duration_seconds", "histogram",
	    "Time from the request's first byte to the response's last.");
	for (i = 0; i < NBUCKETS; i++) {
		total += get(&m->hist[i]);
		if (i < nitems(buckets_us))
			buf_addf(b, "gazette_http_request_duration_seconds_"
			    "bucket{le=\"%g\"} %llu\n",
			    (double)buckets_us[i] / 1e6,
			    (unsigned long long)total);
		else
			buf_addf(b, "gazette_http_request_duration_seconds_"
			    "bucket{le=\"+Inf\"} %llu\n",
			    (unsigned long long)total);
	}
	buf_addf(b, "gazette_http_request_duration_seconds_sum %.6f\n"
	    "gazette_http_request_duration_seconds_count %llu\n",
	    (double)get(&m->sum_us) / 1e6, (unsigned long long)total);

	http_cache_stats(s->cache, &cs);
	help(b, "gazette_cache_hits_total", "counter",
	    "Responses sent from the page cache.");
	buf_addf(b, "gazette_cache_hits_total %llu\n",
	    (unsigned long long)get(&m->hits));
	help(b, "gazette_cache_misses_total", "counter",
	    "Cacheable requests the page cache did not have.");
	buf_addf(b, "gazette_cache_misses_total %llu\n",
	    (unsigned long long)get(&m->misses));
	help(b, "gazette_cache_evictions_total", "counter",
	    "Pages dropped to stay within [cache] size.");
	buf_addf(b, "gazette_cache_evictions_total %llu\n",
	    (unsigned long long)cs.evictions);
	help(b, "gazette_cache_invalidations_total", "counter",
	    "Pages dropped because a write changed what they show.");
	buf_addf(b, "gazette_cache_invalidations_total %llu\n",
	    (unsigned long long)cs.invalidations);
	help(b, "gazette_cache_entries", "gauge", "Pages in the cache.");
	buf_addf(b, "gazette_cache_entries %llu\n",
	    (unsigned long long)cs.entries);
	help(b, "gazette_cache_bytes", "gauge",
	    "Bytes the cached pages take, all encodings.");
	buf_addf(b, "gazette_cache_bytes %llu\n",
	    (unsigned long long)cs.bytes);
	help(b, "gazette_cache_budget_bytes", "gauge",
	    "The cache's memory budget ([cache] size).");
	buf_addf(b, "gazette_cache_budget_bytes %llu\n",
	    (unsigned long long)cs.budget);

	help(b, "gazette_comments_total", "counter",
	    "Comments sent through the form, by outcome.");
	for (i = 0; i < SITE_COMMENT__MAX; i++)
		buf_addf(b, "gazette_comments_total{outcome=\"%s\"} %llu\n",
		    outcomes[i], (unsigned long long)get(&m->comments[i]));
	help(b, "gazette_store_errors_total", "counter",
	    "Errors the store reported.");
	buf_addf(b, "gazette_store_errors_total %llu\n",
	    (unsigned long long)store_error_count());
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	http_response_header(res, "Cache-Control", "no-store");
}
