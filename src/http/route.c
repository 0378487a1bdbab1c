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
 * Request paths: normalization before anything looks at them, and the
 * pattern matcher that maps them to handlers.  Knows no page by name:
 * the route table belongs to the site.
 */
#include <string.h>

#include "http.h"
#include "http_int.h"

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t	 n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

char *
http_path_normalize(struct arena *a, const char *raw, size_t len,
    const char **why)
{
	char	*dec, *out, *seg;
	size_t	 i, n = 0, o = 0, seglen;
	int	 hi, lo, c;

	*why = NULL;
	if (len == 0 || raw[0] != '/') {
		*why = "the path must start with /";
		return NULL;
	}
	if (len > LIMIT_URL) {
		*why = "the path is too long";
		return NULL;
	}
	/* Pass 1: percent-decoding, keeping %2F encoded. */
	dec = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		if (raw[i] == '\0') {
			*why = "NUL byte in the path";
			return NULL;
		}
		if (raw[i] != '%') {
			dec[n++] = raw[i];
			continue;
		}
		if (len - i < 3 || (hi = http_hexval(raw[i + 1])) < 0 ||
		    (lo = http_hexval(raw[i + 2])) < 0) {
			*why = "bad %-escape in the path";
			return NULL;
		}
		c = hi << 4 | lo;
		if (c == 0) {
			*why = "NUL byte (%00) in the path";
			return NULL;
		}
		if (c == '/') {
			memcpy(dec + n, "%2F", 3);
			n += 3;
		} else
			dec[n++] = (char)c;
		i += 2;
	}
	dec[n] = '\0';
	if (!str_is_utf8(dec, n)) {
		*why = "the path is not valid UTF-8";
		return NULL;
	}
	/* Pass 2: segments; "." vanishes, ".." drops the previous one. */
	out = arena_alloc(a, n + 2);
	for (i = 0; i < n;) {
		while (i < n && dec[i] == '/')
			i++;
		seg = dec + i;
		while (i < n && dec[i] != '/')
			i++;
		seglen = (size_t)(dec + i - seg);
		if (seglen == 0 || (seglen == 1 && seg[0] == '.'))
			continue;
		if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;	/* the slash before it */
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, seg, seglen);
		o += seglen;
	}
	/* Keep a trailing slash: "/2023/" differs from "/2023". */
	if (o == 0 || ends_with(dec, n, "/") || ends_with(dec, n, "/.") ||
	    ends_with(dec, n, "/.."))
		out[o++] = '/';
	if (o >= 2 && out[o - 1] == '/' && out[o - 2] == '/')
		o--;
	out[o] = '\0';
	return out;
}

/* Matches one capture kind at p; returns its length or 0. */
static size_t
capture(const char *kind, size_t kindlen, const char *p, const char *suffix,
    size_t suffixlen)
{
	size_t	 n, seg;

	if (kindlen == 4 && memcmp(kind, "year", 4) == 0) {
		for (n = 0; n < 4; n++)
			if (p[n] < '0' || p[n] > '9')
				return 0;
		return 4;
	}
	if (kindlen == 5 && memcmp(kind, "month", 5) == 0) {
		if (p[0] < '0' || p[0] > '1' || p[1] < '0' || p[1] > '9')
			return 0;
		return 2;
	}
	if (kindlen == 4 && memcmp(kind, "rest", 4) == 0)
		return strlen(p);
	if (kindlen == 3 && memcmp(kind, "seg", 3) == 0) {
		seg = strcspn(p, "/");
		/* A literal suffix in the same segment must end it. */
		if (suffixlen > 0) {
			if (seg <= suffixlen ||
			    memcmp(p + seg - suffixlen, suffix, suffixlen) != 0)
				return 0;
			return seg - suffixlen;
		}
		return seg;
	}
	return 0;
}

static int
match(const char *pat, const char *path, struct span caps[HTTP_ROUTE_CAPS])
{
	const char	*close, *suffix;
	size_t		 ncaps = 0, n, suffixlen;

	while (*pat != '\0') {
		if (*pat != '{') {
			if (*pat++ != *path++)
				return 0;
			continue;
		}
		if ((close = strchr(pat, '}')) == NULL ||
		    ncaps == HTTP_ROUTE_CAPS)
			return 0;
		suffix = close + 1;
		suffixlen = strcspn(suffix, "/{");
		n = capture(pat + 1, (size_t)(close - pat - 1), path, suffix,
		    suffixlen);
		if (n == 0)
			return 0;
		caps[ncaps].p = path;
		caps[ncaps].len = n;
		ncaps++;
		path += n;
		pat = suffix;
	}
	return *path == '\0';
}

const struct http_route *
http_route_match(const struct http_route *routes, size_t n, const char *path,
    struct span caps[HTTP_ROUTE_CAPS])
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		memset(caps, 0, sizeof(*caps) * HTTP_ROUTE_CAPS);
		if (match(routes[i].pattern, path, caps))
			return &routes[i];
	}
	memset(caps, 0, sizeof(*caps) * HTTP_ROUTE_CAPS);
	return NULL;
}
