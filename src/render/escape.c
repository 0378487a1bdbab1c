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
 * Escaping by output context: HTML text and attribute values, and URL
 * path segments or query values.  Every byte a reader sees that came
 * from data passes through here or through cmark; nothing here decides
 * whether a value is safe, only how to write it.
 */
#include <string.h>

#include "base.h"
#include "render.h"

/*
 * Escapes that are safe in text and in both quoted attribute forms.
 * The single quote gets a numeric reference because &apos; is not
 * HTML 4 and some feed readers still choke on it.
 */
static const struct {
	const char	*s;	/* replacement */
	size_t		 len;	/* its bytes */
} html_esc[256] = {
	['&'] = { "&amp;", 5 },
	['<'] = { "&lt;", 4 },
	['>'] = { "&gt;", 4 },
	['"'] = { "&quot;", 6 },
	['\''] = { "&#39;", 5 },
};

void
render_escape_html(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, run;

	if (len == 0)
		return;
	/* Most values need nothing: copy runs, not bytes. */
	buf_grow(b, len);
	for (i = run = 0; i < len; i++) {
		if (html_esc[p[i]].s == NULL)
			continue;
		buf_add(b, s + run, i - run);
		buf_add(b, html_esc[p[i]].s, html_esc[p[i]].len);
		run = i + 1;
	}
	buf_add(b, s + run, len - run);
}

/* 1 for the RFC 3986 unreserved set: ALPHA DIGIT - . _ ~ */
static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

void
render_escape_url(struct buf *b, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	char			 enc[3];
	size_t			 i, run;

	if (len == 0)
		return;
	buf_grow(b, len);
	enc[0] = '%';
	for (i = run = 0; i < len; i++) {
		if (is_unreserved(p[i]))
			continue;
		buf_add(b, s + run, i - run);
		enc[1] = hex[p[i] >> 4];
		enc[2] = hex[p[i] & 0x0f];
		buf_add(b, enc, sizeof(enc));
		run = i + 1;
	}
	buf_add(b, s + run, len - run);
}
