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
 * Decoding of application/x-www-form-urlencoded bytes: query strings and
 * comment form bodies.  Bounded, refuses what a handler must never see
 * (NUL, invalid UTF-8), and allocates only from the request arena.
 */
#include <string.h>

#include "http.h"
#include "http_int.h"

int
http_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes s[0..len) ('+' is a space) into a new arena string.  Returns
 * NULL with *why set on a bad escape, %00 or invalid UTF-8.
 */
static char *
decode(struct arena *a, const char *s, size_t len, size_t *outlen,
    const char **why)
{
	char	*out;
	size_t	 i, n = 0;
	int	 hi, lo;

	out = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			out[n++] = ' ';
		else if (s[i] == '%') {
			if (len - i < 3) {
				*why = "truncated %-escape";
				return NULL;
			}
			if ((hi = http_hexval(s[i + 1])) < 0 ||
			    (lo = http_hexval(s[i + 2])) < 0) {
				*why = "bad %-escape";
				return NULL;
			}
			if (hi == 0 && lo == 0) {
				*why = "NUL byte (%00)";
				return NULL;
			}
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '\0') {
			*why = "NUL byte";
			return NULL;
		} else
			out[n++] = s[i];
	}
	out[n] = '\0';
	if (!str_is_utf8(out, n)) {
		*why = "not valid UTF-8";
		return NULL;
	}
	*outlen = n;
	return out;
}

int
http_form_decode(struct arena *a, const char *s, size_t len,
    struct http_param **out, size_t *nout, const char **why)
{
	struct http_param	*v;
	const char		*p, *end, *amp, *eq;
	size_t			 n = 0, i, namelen, vlen;
	char			*name, *value;
	const char		*reason;

	*out = NULL;
	*nout = 0;
	v = arena_allocarray(a, LIMIT_FORM_FIELDS, sizeof(*v));
	for (p = s, end = s + len; p < end; p = amp < end ? amp + 1 : end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;	/* "a=1&&b=2" */
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		reason = NULL;
		if ((name = decode(a, p, (size_t)(eq - p), &namelen,
		    &reason)) == NULL) {
			*why = arena_printf(a, "parameter name: %s", reason);
			return -1;
		}
		value = decode(a, eq < amp ? eq + 1 : amp,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, &vlen, &reason);
		if (value == NULL) {
			*why = arena_printf(a, "parameter \"%s\": %s",
			    strlen(name) > 40 ? "(long name)" : name, reason);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (strcmp(v[i].name, name) == 0)
				break;
		if (i < n)
			continue;
		if (n == LIMIT_FORM_FIELDS) {
			*why = "too many parameters";
			return -1;
		}
		v[n].name = name;
		v[n].value = value;
		v[n].valuelen = vlen;
		n++;
	}
	*out = v;
	*nout = n;
	return 0;
}
