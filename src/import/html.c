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
 * HTML shared by the importers (Blogger, WordPress): an allowlist
 * sanitizer for post bodies and an HTML-to-text pass for comments.
 * Both parse with libxml2's forgiving HTML parser, which never fetches
 * anything, and walk the tree to a bounded depth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "base.h"
#include "import_int.h"
#include "render/render.h"

/* Allowed elements; attributes are checked in emit_attrs(). */
static const char *const allowed[] = {
	"p", "a", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote",
	"br", "h2", "h3", "h4", "h5", "h6", "img", "pre", "code",
};

/* Elements dropped with their text: code or data, never prose. */
static const char *const dropped[] = {
	"script", "style", "iframe", "object", "embed", "noscript",
	"template", "textarea", "select", "title", "head",
};

static int
in_list(const char *s, const char *const *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcasecmp(s, v[i]) == 0)
			return 1;
	return 0;
}

#define NELEM(v)	(sizeof(v) / sizeof((v)[0]))

static int
name_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* 1 for an http, https or mailto URL, or a relative one (no scheme). */
static int
url_ok(const char *u, int relative, int mailto)
{
	size_t	 n;

	while (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r')
		u++;
	if (strncasecmp(u, "http://", 7) == 0 ||
	    strncasecmp(u, "https://", 8) == 0)
		return 1;
	if (mailto && strncasecmp(u, "mailto:", 7) == 0)
		return 1;
	if (!relative || strncmp(u, "//", 2) == 0)
		return 0;
	/* A colon before any of "/?#" would make it a scheme. */
	n = strcspn(u, ":/?#");
	return u[n] != ':';
}

static void
emit_attr(struct buf *out, const char *name, const char *v)
{
	buf_addf(out, " %s=\"", name);
	render_escape_html(out, v, strlen(v));
	buf_addc(out, '"');
}

/* Appends the sanitized HTML of n's children to out. */
static void
sanitize_nodes(xmlNodePtr n, struct buf *out, int depth)
{
	const char	*name;
	xmlChar		*v;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				render_escape_html(out,
				    (const char *)n->content,
				    strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		name = (const char *)n->name;
		if (in_list(name, dropped, NELEM(dropped)))
			continue;
		/* Past this depth keep the text only: no deep nesting out. */
		if (depth > 64 || !in_list(name, allowed, NELEM(allowed))) {
			sanitize_nodes(n->children, out, depth + 1);
			continue;
		}
		buf_addf(out, "<%s", name);
		if (strcmp(name, "a") == 0) {
			v = xmlGetProp(n, (const xmlChar *)"href");
			if (v != NULL && url_ok((const char *)v, 1, 1))
				emit_attr(out, "href", (const char *)v);
			xmlFree(v);
		} else if (strcmp(name, "img") == 0) {
			v = xmlGetProp(n, (const xmlChar *)"src");
			if (v == NULL || !url_ok((const char *)v, 0, 0)) {
				/* No safe source: no image. */
				xmlFree(v);
				out->len -= strlen(name) + 1;
				continue;
			}
			emit_attr(out, "src", (const char *)v);
			xmlFree(v);
			if ((v = xmlGetProp(n, (const xmlChar *)"alt")) !=
			    NULL)
				emit_attr(out, "alt", (const char *)v);
			xmlFree(v);
		}
		buf_addc(out, '>');
		if (strcmp(name, "br") == 0 || strcmp(name, "img") == 0)
			continue;
		sanitize_nodes(n->children, out, depth + 1);
		buf_addf(out, "</%s>", name);
	}
}

/* Comment HTML to plain text: <br> a newline, a paragraph a blank line. */
static void
plain_nodes(xmlNodePtr n, struct buf *out, int depth)
{
	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content != NULL)
			buf_adds(out, (const char *)n->content);
		if (n->type != XML_ELEMENT_NODE || depth > 64 ||
		    in_list((const char *)n->name, dropped, NELEM(dropped)))
			continue;
		if (strcasecmp((const char *)n->name, "br") == 0) {
			buf_addc(out, '\n');
			continue;
		}
		plain_nodes(n->children, out, depth + 1);
		if (strcasecmp((const char *)n->name, "p") == 0)
			buf_adds(out, "\n\n");
	}
}

/* Parses an HTML fragment; NULL for an empty one.  Free with xmlFreeDoc. */
static htmlDocPtr
html_parse(const char *s, xmlNodePtr *body)
{
	htmlDocPtr	 doc;
	xmlNodePtr	 n;

	*body = NULL;
	if (*s == '\0')
		return NULL;
	doc = htmlReadMemory(s, (int)strlen(s), NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc == NULL)
		return NULL;
	for (n = xmlDocGetRootElement(doc); n != NULL; ) {
		if (name_is(n, "body")) {
			*body = n->children;
			break;
		}
		if (name_is(n, "html"))
			n = n->children;
		else
			n = n->next;
	}
	return doc;
}


char *
import_html_sanitize(struct arena *a, const char *s)
{
	struct buf	 out = BUF_INIT;
	htmlDocPtr	 doc;
	xmlNodePtr	 body;
	char		*r;

	doc = html_parse(s, &body);
	sanitize_nodes(body, &out, 0);
	xmlFreeDoc(doc);
	r = arena_strndup(a, out.p != NULL ? out.p : "", out.len);
	buf_clear(&out);
	return r;
}

char *
import_html_text(struct arena *a, const char *s)
{
	struct buf	 out = BUF_INIT;
	htmlDocPtr	 doc;
	xmlNodePtr	 body;
	char		*r;

	doc = html_parse(s, &body);
	plain_nodes(body, &out, 0);
	xmlFreeDoc(doc);
	r = arena_strndup(a, out.p != NULL ? out.p : "", out.len);
	buf_clear(&out);
	return str_trim(r);
}
