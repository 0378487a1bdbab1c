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
 * Feeds: Atom 1.0 documents from a list of entries the caller built.
 * Every text and attribute goes through the HTML escaper, which is also
 * correct XML escaping; content is HTML carried as escaped text
 * (type="html"), so no markup of a post can break the document.
 */
#include <string.h>
#include <time.h>

#include "base.h"
#include "render.h"

/* RFC 3339 in UTC: "2023-09-12T00:00:00Z". */
static void
add_time(struct buf *b, int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 s[32];

	if (gmtime_r(&tt, &tm) == NULL)
		tm = (struct tm){ .tm_year = 70, .tm_mday = 1 };
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_adds(b, s);
}

/* <name>escaped text</name> */
static void
add_elem(struct buf *b, const char *name, const char *text)
{
	buf_addf(b, "<%s>", name);
	render_escape_html(b, text, strlen(text));
	buf_addf(b, "</%s>\n", name);
}

static void
add_link(struct buf *b, const char *rel, const char *type, const char *href)
{
	buf_addf(b, "<link rel=\"%s\"%s%s%s href=\"", rel,
	    type != NULL ? " type=\"" : "", type != NULL ? type : "",
	    type != NULL ? "\"" : "");
	render_escape_html(b, href, strlen(href));
	buf_adds(b, "\"/>\n");
}

void
render_feed_atom(struct buf *b, const struct render_feed *f)
{
	const struct render_feed_entry	*e;
	size_t				 i;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	render_escape_html(b, f->lang, strlen(f->lang));
	buf_adds(b, "\">\n");
	add_elem(b, "id", f->id);
	add_elem(b, "title", f->title);
	buf_adds(b, "<updated>");
	add_time(b, f->updated);
	buf_adds(b, "</updated>\n");
	add_link(b, "alternate", "text/html", f->link);
	add_link(b, "self", "application/atom+xml", f->self);
	buf_adds(b, "<generator>gazette</generator>\n");
	for (i = 0; i < f->n; i++) {
		e = &f->v[i];
		buf_adds(b, "<entry>\n");
		add_elem(b, "id", e->id);
		add_elem(b, "title", e->title);
		buf_adds(b, "<updated>");
		add_time(b, e->updated);
		buf_adds(b, "</updated>\n<author>");
		add_elem(b, "name", *e->author != '\0' ? e->author : "-");
		buf_adds(b, "</author>\n");
		add_link(b, "alternate", "text/html", e->link);
		buf_adds(b, "<content type=\"html\">");
		render_escape_html(b, e->content_html,
		    strlen(e->content_html));
		buf_adds(b, "</content>\n</entry>\n");
	}
	buf_adds(b, "</feed>\n");
}
