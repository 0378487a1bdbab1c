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
 * Fuzz target: Markdown to HTML (render_md, src/render/md.c, over
 * cmark-gfm).  Besides crashes and leaks it checks what render.h
 * promises about the output, independently of md.c's own code:
 *  - raw HTML is dropped: every '<' in the output opens a tag that
 *    cmark-gfm itself writes, or its "raw HTML omitted" comment;
 *  - every href and src value is relative or http, https or mailto
 *    (after undoing the HTML escaping a browser undoes).
 * cmark-gfm is a system library, so libFuzzer sees no coverage inside
 * it; the oracle is what makes this target worth running.
 */
#include <string.h>

#include "base.h"
#include "render/render.h"

#include "fuzz.h"

/* Tags cmark-gfm writes with the table, strikethrough and autolink. */
static const char *const tags[] = {
	"a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
	"h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "table",
	"tbody", "td", "th", "thead", "tr", "ul",
};

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* 1 if the tag name s[0..len) is one cmark-gfm writes. */
static int
tag_known(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < nitems(tags); i++)
		if (strlen(tags[i]) == len && memcmp(tags[i], s, len) == 0)
			return 1;
	return 0;
}

/*
 * 1 if the attribute value v[0..len), as written in the HTML, is a URL
 * render.h allows: the entities cmark writes in attributes are undone
 * first, then any ':' before the first '/', '?' or '#' names a scheme.
 */
static int
url_ok(const char *v, size_t len)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&quot;", '"' }, { "&lt;", '<' },
		{ "&gt;", '>' }, { "&#x27;", '\'' }, { "&#39;", '\'' },
	};
	char	 scheme[16];	/* lower case; longer ones are refused */
	size_t	 i, k, n = 0, el;
	int	 is_long = 0;
	char	 c;

	for (i = 0; i < len; i += el) {
		c = v[i];
		el = 1;
		if (c == '&') {
			/* An entity cmark does not write: be strict. */
			for (k = 0; k < nitems(ents); k++) {
				el = strlen(ents[k].ent);
				if (len - i >= el &&
				    memcmp(v + i, ents[k].ent, el) == 0)
					break;
			}
			if (k == nitems(ents))
				return 0;
			c = ents[k].c;
		}
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (c == ':') {
			scheme[n] = '\0';
			return !is_long && (strcmp(scheme, "http") == 0 ||
			    strcmp(scheme, "https") == 0 ||
			    strcmp(scheme, "mailto") == 0);
		}
		if (n < sizeof(scheme) - 1)
			scheme[n++] = lower(c);
		else
			is_long = 1;
	}
	return 1;
}

/* Checks every tag and every href/src value of html[0..len). */
static void
check_html(const char *html, size_t len)
{
	static const char	 omitted[] = "<!-- raw HTML omitted -->";
	const char		*p, *end = html + len, *q, *v;
	size_t			 n;

	for (p = html; (p = memchr(p, '<', (size_t)(end - p))) != NULL;
	    p++) {
		if ((size_t)(end - p) >= sizeof(omitted) - 1 &&
		    memcmp(p, omitted, sizeof(omitted) - 1) == 0)
			continue;
		q = p + 1;
		if (q < end && *q == '/')
			q++;
		for (n = 0; q + n < end && is_alnum(q[n]); n++)
			continue;
		if (!tag_known(q, n)) {
			fprintf(stderr, "unexpected tag: %.*s\n",
			    (int)(end - p > 60 ? 60 : end - p), p);
			FUZZ_CHECK(!"raw HTML in the output");
		}
	}
	for (p = html; p < end; p++) {
		if ((size_t)(end - p) >= 7 && memcmp(p, " href=\"", 7) == 0)
			v = p + 7;
		else if ((size_t)(end - p) >= 6 && memcmp(p, " src=\"", 6) == 0)
			v = p + 6;
		else
			continue;
		if ((q = memchr(v, '"', (size_t)(end - v))) == NULL)
			FUZZ_CHECK(!"unterminated attribute");
		if (!url_ok(v, (size_t)(q - v))) {
			fprintf(stderr, "URL refused: %.*s\n",
			    (int)(q - v > 80 ? 80 : q - v), v);
			FUZZ_CHECK(!"a URL render.h does not allow");
		}
		p = q;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 out = BUF_INIT;
	int		 rc;

	rc = render_md((const char *)data, size, &out);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(rc == 0 || out.len == 0);
	FUZZ_CHECK((rc == 0) == str_is_utf8((const char *)data, size));
	if (rc == 0)
		check_html(out.p != NULL ? out.p : "", out.len);
	buf_clear(&out);
	return 0;
}
