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
 * Feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 documents from a list of
 * entries the caller built.  Every XML text and attribute goes through
 * the HTML escaper, which is also correct XML escaping; content is HTML
 * carried as escaped text (type="html", RSS description), so no markup
 * of a post can break the document.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

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

/*
 * RFC 822 (as RFC 1123 amends it) in GMT: "Tue, 12 Sep 2023 00:00:00
 * +0000".  Names spelled out here because strftime's %a and %b follow
 * the C locale, which a caller may have changed.
 */
static void
add_time822(struct buf *b, int64_t t)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL)
		tm = (struct tm){ .tm_year = 70, .tm_mday = 1, .tm_wday = 4 };
	buf_addf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
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
	size_t				 i, j;

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
		buf_adds(b, "</updated>\n");
		if (e->published > 0) {
			buf_adds(b, "<published>");
			add_time(b, e->published);
			buf_adds(b, "</published>\n");
		}
		buf_adds(b, "<author>");
		add_elem(b, "name", *e->author != '\0' ? e->author : "-");
		buf_adds(b, "</author>\n");
		add_link(b, "alternate", "text/html", e->link);
		for (j = 0; j < e->nlabels; j++) {
			buf_adds(b, "<category term=\"");
			render_escape_html(b, e->labels[j],
			    strlen(e->labels[j]));
			buf_adds(b, "\"/>\n");
		}
		buf_adds(b, "<content type=\"html\">");
		render_escape_html(b, e->content_html,
		    strlen(e->content_html));
		buf_adds(b, "</content>\n</entry>\n");
	}
	buf_adds(b, "</feed>\n");
}

void
render_feed_rss(struct buf *b, const struct render_feed *f)
{
	const struct render_feed_entry	*e;
	size_t				 i, j;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<rss version=\"2.0\" "
	    "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
	add_elem(b, "title", f->title);
	add_elem(b, "link", f->link);
	add_elem(b, "description", f->description != NULL ?
	    f->description : f->title);
	add_elem(b, "language", f->lang);
	buf_adds(b, "<lastBuildDate>");
	add_time822(b, f->updated);
	buf_adds(b, "</lastBuildDate>\n");
	/* RSS has no self link of its own; readers use Atom's. */
	buf_adds(b, "<atom:link rel=\"self\" type=\"application/rss+xml\" "
	    "href=\"");
	render_escape_html(b, f->self, strlen(f->self));
	buf_adds(b, "\"/>\n<generator>gazette</generator>\n");
	for (i = 0; i < f->n; i++) {
		e = &f->v[i];
		buf_adds(b, "<item>\n");
		add_elem(b, "title", e->title);
		add_elem(b, "link", e->link);
		buf_adds(b, "<guid isPermaLink=\"true\">");
		render_escape_html(b, e->id, strlen(e->id));
		buf_adds(b, "</guid>\n<pubDate>");
		add_time822(b, e->published > 0 ? e->published : e->updated);
		buf_adds(b, "</pubDate>\n");
		for (j = 0; j < e->nlabels; j++)
			add_elem(b, "category", e->labels[j]);
		add_elem(b, "description", e->content_html);
		buf_adds(b, "</item>\n");
	}
	buf_adds(b, "</channel>\n</rss>\n");
}

/* RFC 3339 as a new jansson string. */
static json_t *
json_time(int64_t t)
{
	struct buf	 b = BUF_INIT;
	json_t		*j;

	add_time(&b, t);
	j = json_stringn(b.p, b.len);
	buf_clear(&b);
	return j;
}

int
render_feed_json(struct buf *b, const struct render_feed *f)
{
	const struct render_feed_entry	*e;
	json_t				*o, *items, *it, *tags, *au;
	char				*s;
	size_t				 i, j;

	o = json_object();
	json_object_set_new(o, "version",
	    json_string("https://jsonfeed.org/version/1.1"));
	json_object_set_new(o, "title", json_string(f->title));
	json_object_set_new(o, "home_page_url", json_string(f->link));
	json_object_set_new(o, "feed_url", json_string(f->self));
	if (f->description != NULL)
		json_object_set_new(o, "description",
		    json_string(f->description));
	json_object_set_new(o, "language", json_string(f->lang));
	items = json_array();
	for (i = 0; i < f->n; i++) {
		e = &f->v[i];
		it = json_object();
		json_object_set_new(it, "id", json_string(e->id));
		json_object_set_new(it, "url", json_string(e->link));
		json_object_set_new(it, "title", json_string(e->title));
		json_object_set_new(it, "content_html",
		    json_string(e->content_html));
		json_object_set_new(it, "date_published", json_time(
		    e->published > 0 ? e->published : e->updated));
		json_object_set_new(it, "date_modified",
		    json_time(e->updated));
		if (*e->author != '\0') {
			au = json_object();
			json_object_set_new(au, "name",
			    json_string(e->author));
			json_object_set_new(it, "authors",
			    json_pack("[o]", au));
		}
		if (e->nlabels > 0) {
			tags = json_array();
			for (j = 0; j < e->nlabels; j++)
				json_array_append_new(tags,
				    json_string(e->labels[j]));
			json_object_set_new(it, "tags", tags);
		}
		json_array_append_new(items, it);
	}
	json_object_set_new(o, "items", items);
	/*
	 * Strings that are not UTF-8 come back from json_string as NULL,
	 * which json_object_set_new drops; the dump then still encodes.
	 */
	s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return -1;
	buf_adds(b, s);
	buf_addc(b, '\n');
	free(s);
	return 0;
}
