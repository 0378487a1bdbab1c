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
 * The page cache: whole responses kept as libmicrohttpd response objects,
 * one per encoding (identity, gzip, brotli, each compressed once when the
 * entry is made) plus a 304 for each, so a hit queues an object that is
 * already there: no copy, no lock of ours.  Entries carry tags (what the
 * page shows); a write drops the entries whose tags it hits.  Knows
 * nothing of pages or of the store: the site says what to keep, for how
 * long and with which tags, and when tags change.
 *
 * How readers go without a lock.  The table is an array of buckets, each
 * a singly linked chain of immutable entries; every link is an atomic
 * pointer.  Writers (insert, invalidate, evict) hold one mutex among
 * themselves, build an entry completely before linking it in (a release
 * store), and unlink entries without freeing them.  An unlinked entry is
 * "retired" with the current epoch and the epoch moves on; it is freed
 * only once no reader can still hold it (epoch-based reclamation): each
 * reader thread owns a slot where it writes the epoch it saw on entering
 * (a sequentially consistent store) and 0 on leaving, and a retired entry
 * is freed when its epoch is older than every slot in use.  A reader that
 * entered after the retirement cannot reach the entry, because the unlink
 * came before the epoch moved.  Queuing a response hands libmicrohttpd a
 * reference of its own, so the entry may go as soon as the reader leaves.
 *
 * Eviction is approximately least recently used: a hit stamps the entry
 * with the insert counter (a relaxed store, only when it changed, so hot
 * entries do not bounce a cache line between cores), and when the budget
 * is exceeded the writer drops the oldest stamps until an eighth of the
 * budget is free.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <brotli/encode.h>
#include <microhttpd.h>
#include <sodium.h>
#include <zlib.h>

#include "http.h"
#include "http_int.h"

#define CACHE_READERS	256	/* reader threads with a slot */
#define CACHE_OVERHEAD	256	/* bytes counted per entry beyond bodies */
#define CACHE_RESPONSE_SIZE 320	/* a struct MHD_Response and its mutex */
#define CACHE_HEADER_SIZE 112	/* a header: node, name and value copies
				   (three allocations) and their slack */
#define CACHE_MIN_COMPRESS 256	/* smaller bodies are sent as they are */
/*
 * Levels, measured on a 15 KB post page: gzip 9 takes about 0.2 ms and
 * is no slower than 6 on text this size.  Brotli 6 makes the same size
 * as 9 (3.7 KB) in a twentieth of the time (about 1 ms against 25);
 * 10 and 11 save another 15% for 15 to 20 ms a page, too much for a
 * miss.
 */
#define CACHE_GZIP_LEVEL 9
#define CACHE_BROTLI_QUALITY 6

struct cache_var {
	struct MHD_Response	*resp;	/* 200 (or the status); NULL: none */
	const char		*body;	/* owned by resp (MHD frees it) */
	size_t			 len;	/* bytes */
	char			 etag[40];	/* "\"hex-enc\"" */
};

struct cache_entry {
	struct cache_entry *_Atomic next;	/* bucket chain */
	uint64_t		 hash;	/* of key */
	char			*key;	/* owned, NUL-terminated */
	size_t			 keylen;
	int			 status;
	int			 route;	/* the handler's, for observe */
	int64_t			 expires;	/* clock_now() s; 0: never */
	int64_t			 lastmod;	/* Last-Modified; 0: none */
	uint64_t		*tags;	/* owned */
	size_t			 ntags;
	struct cache_var	 var[CACHE_ENC__MAX];
	size_t			 size;	/* counted against the budget */
	_Atomic uint64_t	 used;	/* tick of the last hit */
	uint64_t		 retired;	/* epoch when unlinked */
	struct cache_entry	*limbo;	/* in the retired list */
};

/* One reader thread's epoch; a cache line each. */
struct reader_slot {
	_Atomic uint64_t	 epoch;	/* 0: not reading */
	char			 pad[56];
};

struct http_cache {
	uint64_t		 id;	/* tells caches apart in readers' TLS */
	size_t			 budget;	/* bytes */
	size_t			 mask;	/* buckets - 1 */
	struct cache_entry *_Atomic *buckets;
	pthread_mutex_t		 lock;	/* writers; guards the fields below
					   that are not atomic */
	size_t			 bytes;	/* sum of entry sizes */
	struct cache_entry	*limbo;	/* retired, not yet freed */
	_Atomic uint64_t	 epoch;	/* from 1 */
	_Atomic uint64_t	 gen;	/* bumped by every invalidation */
	_Atomic uint64_t	 tick;	/* bumped by every insert */
	_Atomic uint64_t	 nentries, nbytes, nevict, ninval;
	_Atomic unsigned	 nslots;
	struct reader_slot	 slots[CACHE_READERS];
};

static _Atomic uint64_t			 cache_ids;
static _Thread_local uint64_t		 tls_id;	/* cache of tls_slot */
static _Thread_local struct reader_slot	*tls_slot;

static const char *const enc_names[CACHE_ENC__MAX] = {
	NULL, "gzip", "br",
};
static const char *const enc_suffix[CACHE_ENC__MAX] = {
	"", "-gz", "-br",
};

uint64_t
http_cache_tag(const char *tag)
{
	uint64_t	 h = UINT64_C(0xcbf29ce484222325);

	for (; *tag != '\0'; tag++) {
		h ^= (unsigned char)*tag;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static uint64_t
key_hash(const char *key, size_t len)
{
	uint64_t	 h = UINT64_C(0xcbf29ce484222325);
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h ^ (h >> 29);
}

struct http_cache *
http_cache_new(size_t budget)
{
	struct http_cache	*c;
	size_t			 n = 256;

	if (budget == 0)
		return NULL;
	/* About one bucket per 4 KiB of budget: short chains. */
	while (n < budget / 4096 && n < ((size_t)1 << 22))
		n <<= 1;
	c = xcalloc(1, sizeof(*c));
	c->id = atomic_fetch_add(&cache_ids, 1) + 1;
	c->budget = budget;
	c->mask = n - 1;
	c->buckets = xcalloc(n, sizeof(*c->buckets));
	pthread_mutex_init(&c->lock, NULL);
	atomic_init(&c->epoch, 1);
	return c;
}

static void
entry_free(struct cache_entry *e)
{
	size_t	 i;

	if (e == NULL)
		return;
	for (i = 0; i < CACHE_ENC__MAX; i++) {
		if (e->var[i].resp != NULL)
			MHD_destroy_response(e->var[i].resp);
	}
	free(e->key);
	free(e->tags);
	free(e);
}

void
http_cache_free(struct http_cache *c)
{
	struct cache_entry	*e, *next;
	size_t			 i;

	if (c == NULL)
		return;
	for (i = 0; i <= c->mask; i++)
		for (e = atomic_load(&c->buckets[i]); e != NULL; e = next) {
			next = atomic_load(&e->next);
			entry_free(e);
		}
	for (e = c->limbo; e != NULL; e = next) {
		next = e->limbo;
		entry_free(e);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c);
}

/* ---- readers ---- */

int
cache_read_begin(struct http_cache *c)
{
	unsigned	 i;

	if (tls_id != c->id) {
		/* Once per thread: a thread without a slot stays without. */
		i = atomic_fetch_add(&c->nslots, 1);
		tls_slot = i < CACHE_READERS ? &c->slots[i] : NULL;
		tls_id = c->id;
	}
	if (tls_slot == NULL)
		return -1;
	atomic_store(&tls_slot->epoch, atomic_load(&c->epoch));
	return 0;
}

void
cache_read_end(struct http_cache *c)
{
	(void)c;
	atomic_store_explicit(&tls_slot->epoch, 0, memory_order_release);
}

struct cache_entry *
cache_find(struct http_cache *c, const char *key, size_t keylen,
    int64_t now)
{
	struct cache_entry	*e;
	uint64_t		 h, t;

	h = key_hash(key, keylen);
	for (e = atomic_load(&c->buckets[h & c->mask]); e != NULL;
	    e = atomic_load(&e->next))
		if (e->hash == h && e->keylen == keylen &&
		    memcmp(e->key, key, keylen) == 0)
			break;
	if (e == NULL || (e->expires != 0 && now >= e->expires))
		return NULL;
	t = atomic_load_explicit(&c->tick, memory_order_relaxed);
	if (atomic_load_explicit(&e->used, memory_order_relaxed) != t)
		atomic_store_explicit(&e->used, t, memory_order_relaxed);
	return e;
}

int
cache_entry_status(const struct cache_entry *e)
{
	return e->status;
}

int
cache_entry_route(const struct cache_entry *e)
{
	return e->route;
}

const char *
cache_entry_body(const struct cache_entry *e, enum cache_enc enc,
    size_t *len)
{
	*len = e->var[enc].len;
	return e->var[enc].body;
}

const char *
cache_entry_etag(const struct cache_entry *e, enum cache_enc enc)
{
	return e->var[enc].etag;
}

struct MHD_Response *
cache_entry_response(const struct cache_entry *e, enum cache_enc enc)
{
	return e->var[enc].resp;
}

/* Never called for a 304; a reader of a body there would be a bug. */
static ssize_t
no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

/*
 * A 304 for a body of len bytes.  It may carry only the Content-Length
 * of the body a 200 would have had, and libmicrohttpd writes the
 * response's size there but sends no body with a 304: so the response
 * claims len bytes it does not have.
 */
static struct MHD_Response *
not_modified(size_t len)
{
	return MHD_create_response_from_callback(len, 4096, no_body, NULL,
	    NULL);
}

/* MHD_KeyValueIterator: copies one header of the 200 onto the 304. */
static enum MHD_Result
copy_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	MHD_add_response_header(cls, key, value);
	return MHD_YES;
}

struct MHD_Response *
cache_entry_304(const struct cache_entry *e, enum cache_enc enc)
{
	struct MHD_Response	*r;

	/*
	 * Made when asked rather than kept: 304s are rare next to 200s,
	 * and a kept one would double the memory headers take.  The 200's
	 * header list is never changed once made, so reading it from
	 * several threads is safe.
	 */
	if ((r = not_modified(e->var[enc].len)) == NULL)
		return NULL;
	MHD_get_response_headers(e->var[enc].resp, copy_header, r);
	return r;
}

/*
 * A qvalue ("0", "0.5", "1.000") in thousandths; anything else is 0,
 * not acceptable.  By hand: strtod would follow the locale's decimal
 * point.
 */
static int
qvalue(const char *p, const char *end)
{
	int	 q, scale = 100;

	if (p >= end || (*p != '0' && *p != '1'))
		return 0;
	q = (*p++ - '0') * 1000;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9' && scale > 0;
		    p++, scale /= 10)
			q += (*p - '0') * scale;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p != end || q > 1000)
		return 0;
	return q;
}

/*
 * The q-value of a coding in an Accept-Encoding list: -1 when the list
 * does not name it (nor "*"), else 0..1000.
 */
static int
accept_q(const char *ae, const char *coding, int *star)
{
	const char	*p = ae, *tok, *end;
	size_t		 toklen, clen = strlen(coding);
	int		 q, found = -1;

	*star = -1;
	while (*p != '\0') {
		p += strspn(p, " \t,");
		tok = p;
		toklen = strcspn(p, " \t;,");
		p += strcspn(p, ";,");
		q = 1000;
		if (*p == ';') {
			end = p + strcspn(p, ",");
			for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
				;
			if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
			    p[1] == '=')
				q = qvalue(p + 2, end);
			p = end;
		}
		if (toklen == clen && strncasecmp(tok, coding, clen) == 0)
			found = q;
		else if (toklen == 1 && *tok == '*')
			*star = q;
		if (toklen == 0 && *p != '\0' && *p != ',')
			p++;
	}
	return found;
}

enum cache_enc
cache_pick(const struct cache_entry *e, const char *ae)
{
	enum cache_enc	 best = CACHE_IDENTITY;
	int		 q, bestq = 0, star, i;

	if (ae == NULL || *ae == '\0')
		return CACHE_IDENTITY;
	/* Smallest first, so a tie goes to the smaller body. */
	for (i = CACHE_ENC__MAX - 1; i > CACHE_IDENTITY; i--) {
		if (e->var[i].resp == NULL)
			continue;
		q = accept_q(ae, enc_names[i], &star);
		if (q < 0)
			q = star < 0 ? 0 : star;
		if (q > bestq) {
			bestq = q;
			best = (enum cache_enc)i;
		}
	}
	/* Identity wins only when explicitly preferred over the rest. */
	if (best != CACHE_IDENTITY) {
		q = accept_q(ae, "identity", &star);
		if (q > bestq)
			best = CACHE_IDENTITY;
	}
	return best;
}

/* 1 when the list of entity tags inm names etag (weakly, as 7232 says). */
static int
etag_listed(const char *inm, const char *etag)
{
	const char	*p = inm;
	size_t		 len = strlen(etag), n;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		n = strcspn(p, ",");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == len && memcmp(p, etag, len) == 0)
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

int
cache_not_modified(const struct cache_entry *e, enum cache_enc enc,
    const char *inm, const char *ims)
{
	struct tm	 tm;
	const char	*end;

	if (e->status != 200)
		return 0;
	if (inm != NULL)
		return etag_listed(inm, e->var[enc].etag);
	if (ims == NULL || e->lastmod == 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL ||
	    *end != '\0')
		return 0;
	return e->lastmod <= (int64_t)timegm(&tm);
}

/* ---- making entries ---- */

/* 1 for types worth compressing: text, markup, JSON, scripts, SVG. */
static int
compressible(const char *ct)
{
	return str_has_prefix(ct, "text/") ||
	    str_has_prefix(ct, "application/atom+xml") ||
	    str_has_prefix(ct, "application/rss+xml") ||
	    str_has_prefix(ct, "application/xml") ||
	    str_has_prefix(ct, "application/json") ||
	    str_has_prefix(ct, "application/feed+json") ||
	    str_has_prefix(ct, "application/javascript") ||
	    str_has_prefix(ct, "image/svg+xml");
}

/* gzip of in[0..len) into a malloc'd buffer, or NULL. */
static char *
gzip(const char *in, size_t len, size_t *outlen)
{
	z_stream	 z;
	char		*out;
	size_t		 cap;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, CACHE_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)len);
	out = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	/* The bound is about the input's size: keep only what is used. */
	return xreallocarray(out, *outlen, 1);
}

static char *
brotli(const char *in, size_t len, size_t *outlen)
{
	char	*out;
	size_t	 cap;
	int	 lgwin = BROTLI_MIN_WINDOW_BITS;

	cap = BrotliEncoderMaxCompressedSize(len);
	if (cap == 0)
		return NULL;
	/* A window no larger than the page: less memory, same output. */
	while (lgwin < BROTLI_DEFAULT_WINDOW &&
	    ((size_t)1 << lgwin) - 16 < len)
		lgwin++;
	out = xmalloc(cap);
	*outlen = cap;
	if (!BrotliEncoderCompress(CACHE_BROTLI_QUALITY, lgwin,
	    BROTLI_MODE_TEXT, len, (const uint8_t *)in, outlen,
	    (uint8_t *)out)) {
		free(out);
		return NULL;
	}
	return xreallocarray(out, *outlen, 1);
}

/* Adds the headers every variant of e carries, and X-Cache. */
static void
add_headers(struct MHD_Response *r, const struct http_response *res,
    const struct cache_entry *e, enum cache_enc enc, const char *xcache)
{
	http_headers_add(r, res);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, e->var[enc].etag);
	if (e->var[CACHE_GZIP].body != NULL ||
	    e->var[CACHE_BROTLI].body != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
		    "Accept-Encoding");
	if (enc_names[enc] != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
		    enc_names[enc]);
	MHD_add_response_header(r, "X-Cache", xcache);
}

/*
 * About what one response object of res takes in libmicrohttpd: the
 * object, and each header a node with its own copies of name and value.
 * Counted so that the budget bounds real memory, not only bodies.
 */
static size_t
response_size(const struct http_response *res)
{
	size_t	 n = CACHE_RESPONSE_SIZE, i;

	/* Ours: Content-Type, the three fixed ones, ETag, Vary, X-Cache. */
	n += 7 * CACHE_HEADER_SIZE + 160 + (res->content_type != NULL ?
	    strlen(res->content_type) : 24);
	for (i = 0; i < res->nheaders; i++)
		n += CACHE_HEADER_SIZE + strlen(res->headers[i].name) +
		    strlen(res->headers[i].value);
	return n;
}

/* The Last-Modified header of res as a time, or 0. */
static int64_t
res_lastmod(const struct http_response *res)
{
	struct tm	 tm;
	size_t		 i;

	for (i = 0; i < res->nheaders; i++) {
		if (strcasecmp(res->headers[i].name, "Last-Modified") != 0)
			continue;
		memset(&tm, 0, sizeof(tm));
		if (strptime(res->headers[i].value,
		    "%a, %d %b %Y %H:%M:%S GMT", &tm) == NULL)
			return 0;
		return (int64_t)timegm(&tm);
	}
	return 0;
}

struct cache_entry *
cache_entry_new(const struct http_cache *c, const char *key, size_t keylen,
    const struct http_response *res)
{
	struct cache_entry	*e;
	unsigned char		 h[16];
	char			 hex[33];
	const char		*body = res->body.p == NULL ? "" : res->body.p;
	const char		*ct = res->content_type != NULL ?
				    res->content_type : "text/html";
	size_t			 len = res->body.len, i, n;
	char			*p;

	if (len + keylen + CACHE_OVERHEAD > c->budget / 8)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->hash = key_hash(key, keylen);
	e->key = xmalloc(keylen + 1);
	memcpy(e->key, key, keylen);
	e->key[keylen] = '\0';
	e->keylen = keylen;
	e->status = res->status;
	e->route = res->route;
	e->expires = res->expires;
	e->lastmod = res_lastmod(res);
	if (res->ntags > 0) {
		e->tags = xreallocarray(NULL, res->ntags, sizeof(*e->tags));
		memcpy(e->tags, res->tags, res->ntags * sizeof(*e->tags));
		e->ntags = res->ntags;
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)body, len,
	    NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));

	p = xmalloc(len + 1);
	memcpy(p, body, len);
	e->var[CACHE_IDENTITY].body = p;
	e->var[CACHE_IDENTITY].len = len;
	if (len >= CACHE_MIN_COMPRESS && compressible(ct)) {
		p = gzip(body, len, &n);
		if (p != NULL && n < len) {
			e->var[CACHE_GZIP].body = p;
			e->var[CACHE_GZIP].len = n;
		} else
			free(p);
		p = brotli(body, len, &n);
		if (p != NULL && n < len) {
			e->var[CACHE_BROTLI].body = p;
			e->var[CACHE_BROTLI].len = n;
		} else
			free(p);
	}
	e->size = sizeof(*e) + keylen + res->ntags * sizeof(*e->tags) +
	    CACHE_OVERHEAD;
	for (i = 0; i < CACHE_ENC__MAX; i++) {
		if (e->var[i].body == NULL)
			continue;
		snprintf(e->var[i].etag, sizeof(e->var[i].etag), "\"%s%s\"",
		    hex, enc_suffix[i]);
		/* The body, and its response object with its headers. */
		e->size += e->var[i].len + response_size(res);
	}
	for (i = 0; i < CACHE_ENC__MAX; i++) {
		if (e->var[i].body == NULL)
			continue;
		/* From here libmicrohttpd owns the bytes. */
		e->var[i].resp =
		    MHD_create_response_from_buffer_with_free_callback(
		    e->var[i].len, (void *)(uintptr_t)e->var[i].body, free);
		if (e->var[i].resp == NULL) {
			/* Bodies not yet handed over are still ours. */
			for (; i < CACHE_ENC__MAX; i++)
				free((void *)(uintptr_t)e->var[i].body);
			entry_free(e);
			return NULL;
		}
		add_headers(e->var[i].resp, res, e, (enum cache_enc)i, "hit");
	}
	return e;
}

struct MHD_Response *
cache_entry_miss(const struct cache_entry *e, const struct http_response *res,
    enum cache_enc enc, int is_304)
{
	struct MHD_Response	*r;

	if (is_304)
		r = not_modified(e->var[enc].len);
	else
		r = MHD_create_response_from_buffer(e->var[enc].len,
		    (void *)(uintptr_t)e->var[enc].body,
		    MHD_RESPMEM_MUST_COPY);
	if (r != NULL)
		add_headers(r, res, e, enc, "miss");
	return r;
}

void
cache_entry_discard(struct cache_entry *e)
{
	entry_free(e);
}

/* ---- writers (under c->lock) ---- */

/* Frees retired entries that no reader can hold any more. */
static void
reclaim(struct http_cache *c)
{
	struct cache_entry	*e, **pp;
	uint64_t		 min = UINT64_MAX, v;
	unsigned		 i, n;

	if (c->limbo == NULL)
		return;
	n = atomic_load(&c->nslots);
	if (n > CACHE_READERS)
		n = CACHE_READERS;
	for (i = 0; i < n; i++)
		if ((v = atomic_load(&c->slots[i].epoch)) != 0 && v < min)
			min = v;
	for (pp = &c->limbo; (e = *pp) != NULL;) {
		if (e->retired < min) {
			*pp = e->limbo;
			entry_free(e);
		} else
			pp = &e->limbo;
	}
}

/* Unlinks e (found in its bucket) and retires it. */
static void
unlink_entry(struct http_cache *c, struct cache_entry *e)
{
	struct cache_entry *_Atomic	*pp;
	struct cache_entry		*x;

	for (pp = &c->buckets[e->hash & c->mask];
	    (x = atomic_load(pp)) != NULL; pp = &x->next)
		if (x == e) {
			atomic_store(pp, atomic_load(&e->next));
			break;
		}
	c->bytes -= e->size;
	atomic_fetch_sub(&c->nentries, 1);
	atomic_store(&c->nbytes, c->bytes);
	e->retired = atomic_fetch_add(&c->epoch, 1);
	e->limbo = c->limbo;
	c->limbo = e;
}

static int
cmp_used(const void *a, const void *b)
{
	uint64_t	 x, y;

	x = atomic_load_explicit(&(*(struct cache_entry *const *)a)->used,
	    memory_order_relaxed);
	y = atomic_load_explicit(&(*(struct cache_entry *const *)b)->used,
	    memory_order_relaxed);
	return x < y ? -1 : x > y;
}

/* Drops the least recently used entries until 1/8 of the budget is free. */
static void
evict(struct http_cache *c)
{
	struct cache_entry	**v, *e;
	size_t			 n = 0, i, goal;

	v = xreallocarray(NULL, atomic_load(&c->nentries) + 1, sizeof(*v));
	for (i = 0; i <= c->mask; i++)
		for (e = atomic_load(&c->buckets[i]); e != NULL;
		    e = atomic_load(&e->next))
			v[n++] = e;
	qsort(v, n, sizeof(*v), cmp_used);
	goal = c->budget - c->budget / 8;
	for (i = 0; i < n && c->bytes > goal; i++) {
		unlink_entry(c, v[i]);
		atomic_fetch_add(&c->nevict, 1);
	}
	free(v);
}

int
cache_insert(struct http_cache *c, struct cache_entry *e, uint64_t gen)
{
	struct cache_entry	*x;

	pthread_mutex_lock(&c->lock);
	if (atomic_load(&c->gen) != gen) {
		/* A write came while the page was made: it may be stale. */
		pthread_mutex_unlock(&c->lock);
		entry_free(e);
		return -1;
	}
	for (x = atomic_load(&c->buckets[e->hash & c->mask]); x != NULL;
	    x = atomic_load(&x->next))
		if (x->hash == e->hash && x->keylen == e->keylen &&
		    memcmp(x->key, e->key, e->keylen) == 0) {
			unlink_entry(c, x);
			break;
		}
	atomic_store_explicit(&e->used, atomic_fetch_add(&c->tick, 1) + 1,
	    memory_order_relaxed);
	atomic_store(&e->next, atomic_load(&c->buckets[e->hash & c->mask]));
	atomic_store(&c->buckets[e->hash & c->mask], e);
	c->bytes += e->size;
	atomic_fetch_add(&c->nentries, 1);
	atomic_store(&c->nbytes, c->bytes);
	if (c->bytes > c->budget) {
		evict(c);
		reclaim(c);
#ifdef __GLIBC__
		/*
		 * An eighth of the budget was just freed in pieces between
		 * live entries; without this glibc keeps those pages and
		 * the process grows to about twice its budget.
		 */
		malloc_trim(0);
#endif
	} else
		reclaim(c);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

uint64_t
http_cache_gen(struct http_cache *c)
{
	return atomic_load(&c->gen);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t
http_cache_invalidate(struct http_cache *c, const uint64_t *tags,
    size_t ntags)
{
	struct cache_entry	*e, *next;
	uint64_t		*set;
	size_t			 i, j, n = 0;

	if (c == NULL || ntags == 0)
		return 0;
	set = xreallocarray(NULL, ntags, sizeof(*set));
	memcpy(set, tags, ntags * sizeof(*set));
	qsort(set, ntags, sizeof(*set), cmp_u64);
	pthread_mutex_lock(&c->lock);
	atomic_fetch_add(&c->gen, 1);
	for (i = 0; i <= c->mask; i++)
		for (e = atomic_load(&c->buckets[i]); e != NULL; e = next) {
			next = atomic_load(&e->next);
			for (j = 0; j < e->ntags; j++)
				if (bsearch(&e->tags[j], set, ntags,
				    sizeof(*set), cmp_u64) != NULL)
					break;
			if (j < e->ntags) {
				unlink_entry(c, e);
				n++;
			}
		}
	atomic_fetch_add(&c->ninval, n);
	reclaim(c);
	pthread_mutex_unlock(&c->lock);
	free(set);
	return n;
}

size_t
http_cache_clear(struct http_cache *c)
{
	struct cache_entry	*e, *next;
	size_t			 i, n = 0;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->lock);
	atomic_fetch_add(&c->gen, 1);
	for (i = 0; i <= c->mask; i++)
		for (e = atomic_load(&c->buckets[i]); e != NULL; e = next) {
			next = atomic_load(&e->next);
			unlink_entry(c, e);
			n++;
		}
	atomic_fetch_add(&c->ninval, n);
	reclaim(c);
	pthread_mutex_unlock(&c->lock);
	return n;
}

void
http_cache_stats(struct http_cache *c, struct http_cache_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (c == NULL)
		return;
	st->budget = c->budget;
	st->entries = atomic_load_explicit(&c->nentries, memory_order_relaxed);
	st->bytes = atomic_load_explicit(&c->nbytes, memory_order_relaxed);
	st->evictions = atomic_load_explicit(&c->nevict, memory_order_relaxed);
	st->invalidations = atomic_load_explicit(&c->ninval,
	    memory_order_relaxed);
}
