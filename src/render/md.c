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
 * Markdown to HTML through cmark-gfm, the only file that sees cmark.
 * cmark runs in its safe mode (raw HTML becomes a comment, dangerous
 * URLs become empty), and on top of that every link and image whose URL
 * names a scheme other than http, https or mailto loses its URL, so the
 * promise in render.h does not depend on cmark's list of bad schemes.
 * Smart punctuation stays off: the text must come out byte for byte.
 */
#include <pthread.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "base.h"
#include "render.h"

/*
 * cmark keeps its extension registry in a global that registration
 * writes without a lock; once registered it is only read.
 */
static pthread_once_t	 md_once = PTHREAD_ONCE_INIT;

/*
 * cmark-gfm is not reentrant once extensions are attached: every parse
 * writes their trigger characters into a global table of special
 * inline characters when it starts and clears them when it ends
 * (github/cmark-gfm#176), so two parses at once corrupt each other's
 * output (a quarter of renders went wrong with four threads here).
 * This lock serializes all cmark work.  Markdown is rendered when a
 * post is saved, not per request, so the lock is never hot.
 */
static pthread_mutex_t	 md_lock = PTHREAD_MUTEX_INITIALIZER;

/* The GFM extensions we attach to every parser. */
static const char *const md_exts[] = { "table", "strikethrough", "autolink" };

/* ASCII case-insensitive: 1 if s[0..len) equals the lower-case lit. */
static int
scheme_is(const char *s, size_t len, const char *lit)
{
	size_t	 i;
	char	 c;

	if (strlen(lit) != len)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/*
 * 1 if url may stay: relative, or http, https or mailto.  Any colon
 * before the first '/', '?' or '#' counts as a scheme, whatever the
 * bytes before it, so tricks such as " javascript:" or "java\tscript:"
 * are refused rather than parsed the way one browser might.
 */
static int
url_allowed(const char *url)
{
	size_t	 i;

	for (i = 0; url[i] != '\0'; i++) {
		if (url[i] == '/' || url[i] == '?' || url[i] == '#')
			return 1;
		if (url[i] == ':')
			return scheme_is(url, i, "http") ||
			    scheme_is(url, i, "https") ||
			    scheme_is(url, i, "mailto");
	}
	return 1;
}

/* Empties the URL of every link and image that url_allowed() refuses. */
static void
md_filter_urls(cmark_node *doc)
{
	cmark_iter		*it;
	cmark_node		*n;
	cmark_event_type	 ev;
	cmark_node_type		 type;
	const char		*url;

	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		type = cmark_node_get_type(n);
		if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE)
			continue;
		url = cmark_node_get_url(n);
		if (url != NULL && !url_allowed(url))
			cmark_node_set_url(n, "");
	}
	cmark_iter_free(it);
}

int
render_md(const char *src, size_t len, struct buf *out)
{
	cmark_mem		*mem;
	cmark_parser		*parser;
	cmark_node		*doc;
	cmark_syntax_extension	*ext;
	char			*html;
	size_t			 i;
	int			 opts = CMARK_OPT_DEFAULT;

	if (src == NULL)
		src = "";
	if (!str_is_utf8(src, len))
		return -1;
	if (pthread_once(&md_once,
	    cmark_gfm_core_extensions_ensure_registered) != 0)
		return -1;

	if (pthread_mutex_lock(&md_lock) != 0)
		return -1;
	mem = cmark_get_default_mem_allocator();
	parser = cmark_parser_new_with_mem(opts, mem);
	for (i = 0; i < nitems(md_exts); i++)
		if ((ext = cmark_find_syntax_extension(md_exts[i])) != NULL)
			cmark_parser_attach_syntax_extension(parser, ext);
	cmark_parser_feed(parser, src, len);
	doc = cmark_parser_finish(parser);
	md_filter_urls(doc);
	html = cmark_render_html_with_mem(doc, opts,
	    cmark_parser_get_syntax_extensions(parser), mem);
	buf_adds(out, html);

	mem->free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	pthread_mutex_unlock(&md_lock);
	return 0;
}
