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
 * WordPress's export format, WXR 1.2 as WordPress 6 writes it (an RSS
 * 2.0 channel with wp:, content:, dc: and excerpt: elements), so that
 * Tools > Import > WordPress takes a gazette site: the site as the one
 * author, every label as a category, then one <item> per post, page or
 * draft with its categories and its comments (threads by
 * wp:comment_parent, moderation state in wp:comment_approved).
 *
 * Written with libxml2's xmlTextWriter as the posts come out of the
 * store, a batch at a time: memory stays flat whatever the site's size.
 * Text is escaped rather than put in CDATA sections, which XML readers
 * take alike and which cannot be broken by a "]]>" in a post.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base.h"
#include "export.h"
#include "export_int.h"
#include "store/store.h"
#include "text/text.h"

#define NS_WP		"http://wordpress.org/export/1.2/"
#define AUTHOR_LOGIN	"gazette"	/* the one author every post has */

/* "2023-09-12 08:00:00" in UTC (tz NULL) or in the zone tz. */
static void
wp_date(const char *tz, int64_t t, char *out, size_t outlen)
{
	char	 iso[64];

	if (tz == NULL) {
		export_iso_utc(t, iso, sizeof(iso));
	} else if (text_date_iso(tz, t, iso, sizeof(iso)) == -1)
		export_iso_utc(t, iso, sizeof(iso));
	/* "2023-09-12T08:00:00..." -> "2023-09-12 08:00:00" */
	snprintf(out, outlen, "%.10s %.8s", iso, iso + 11);
}

/* RFC 822, as RSS wants it. */
static void
rfc822(int64_t t, char *out, size_t outlen)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(out, outlen, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

/* A category's nicename: the label's slug, or its key when none. */
static const char *
nicename(struct arena *a, const char *label)
{
	char	*s;

	s = text_slug(a, label, strlen(label));
	return s != NULL && *s != '\0' ? s : label;
}

static void
channel_head(struct export_xml *x, struct arena *a, struct store *st,
    const struct conf *conf)
{
	struct label	*v;
	char		 d[64];
	size_t		 i, n = 0;

	export_xml_start(x, "channel");
	export_xml_el(x, "title", conf->site_title);
	export_xml_el(x, "link", conf->site_url);
	export_xml_el(x, "description", "");
	rfc822(clock_now(), d, sizeof(d));
	export_xml_el(x, "pubDate", d);
	export_xml_el(x, "language", conf->site_locale);
	export_xml_el(x, "wp:wxr_version", "1.2");
	export_xml_el(x, "wp:base_site_url", conf->site_url);
	export_xml_el(x, "wp:base_blog_url", conf->site_url);
	export_xml_start(x, "wp:author");
	export_xml_el(x, "wp:author_id", "1");
	export_xml_el(x, "wp:author_login", AUTHOR_LOGIN);
	export_xml_el(x, "wp:author_email", "");
	export_xml_el(x, "wp:author_display_name", conf->site_title);
	export_xml_el(x, "wp:author_first_name", "");
	export_xml_el(x, "wp:author_last_name", "");
	export_xml_end(x);
	if (store_label_list(st, a, &v, &n) != STORE_OK) {
		x->bad = 2;
		return;
	}
	for (i = 0; i < n; i++) {
		export_xml_start(x, "wp:category");
		export_xml_eln(x, "wp:term_id", i + 1);
		export_xml_el(x, "wp:category_nicename",
		    nicename(a, v[i].name));
		export_xml_el(x, "wp:category_parent", "");
		export_xml_el(x, "wp:cat_name", v[i].name);
		export_xml_end(x);
	}
	export_xml_el(x, "generator", "gazette");
}

static void
comment(struct export_xml *x, const struct conf *conf, const struct comment *c)
{
	char	 d[64];

	export_xml_start(x, "wp:comment");
	export_xml_eln(x, "wp:comment_id", c->id);
	export_xml_el(x, "wp:comment_author", c->name);
	export_xml_el(x, "wp:comment_author_email", c->email);
	export_xml_el(x, "wp:comment_author_url", c->url);
	export_xml_el(x, "wp:comment_author_IP", "");
	wp_date(conf->site_timezone, c->created, d, sizeof(d));
	export_xml_el(x, "wp:comment_date", d);
	wp_date(NULL, c->created, d, sizeof(d));
	export_xml_el(x, "wp:comment_date_gmt", d);
	export_xml_el(x, "wp:comment_content", c->body);
	export_xml_el(x, "wp:comment_approved",
	    c->status == COMMENT_APPROVED ? "1" :
	    c->status == COMMENT_SPAM ? "spam" : "0");
	export_xml_el(x, "wp:comment_type", "comment");
	export_xml_eln(x, "wp:comment_parent", c->parent_id);
	export_xml_el(x, "wp:comment_user_id", "0");
	export_xml_end(x);
}

static void
item(struct export_xml *x, struct arena *a, struct store *st,
    const struct conf *conf, const struct post *p, size_t *ncomments)
{
	struct comment_list	 cl;
	char			 d[64];
	size_t			 i;
	int			 due;

	due = p->published <= clock_now();
	export_xml_start(x, "item");
	export_xml_el(x, "title", p->title);
	export_xml_el(x, "link", arena_printf(a, "%s%s", conf->site_url,
	    p->path));
	rfc822(p->published, d, sizeof(d));
	export_xml_el(x, "pubDate", d);
	export_xml_el(x, "dc:creator", AUTHOR_LOGIN);
	export_xml_start(x, "guid");
	export_xml_attr(x, "isPermaLink", "false");
	export_xml_text(x, arena_printf(a, "%s%s", conf->site_url, p->path));
	export_xml_end(x);
	export_xml_el(x, "description", "");
	export_xml_el(x, "content:encoded", p->html);
	export_xml_el(x, "excerpt:encoded", "");
	export_xml_eln(x, "wp:post_id", p->id);
	wp_date(conf->site_timezone, p->published, d, sizeof(d));
	export_xml_el(x, "wp:post_date", d);
	wp_date(NULL, p->published, d, sizeof(d));
	export_xml_el(x, "wp:post_date_gmt", d);
	wp_date(conf->site_timezone, p->updated, d, sizeof(d));
	export_xml_el(x, "wp:post_modified", d);
	wp_date(NULL, p->updated, d, sizeof(d));
	export_xml_el(x, "wp:post_modified_gmt", d);
	export_xml_el(x, "wp:comment_status",
	    p->comments_closed ? "closed" : "open");
	export_xml_el(x, "wp:ping_status", "closed");
	export_xml_el(x, "wp:post_name", p->slug);
	export_xml_el(x, "wp:status", p->status == POST_DRAFT ? "draft" :
	    due ? "publish" : "future");
	export_xml_el(x, "wp:post_parent", "0");
	export_xml_el(x, "wp:menu_order", "0");
	export_xml_el(x, "wp:post_type", p->is_page ? "page" : "post");
	export_xml_el(x, "wp:post_password", "");
	export_xml_el(x, "wp:is_sticky", "0");
	for (i = 0; i < p->nlabels; i++) {
		export_xml_start(x, "category");
		export_xml_attr(x, "domain", "category");
		export_xml_attr(x, "nicename", nicename(a, p->labels[i]));
		export_xml_text(x, p->labels[i]);
		export_xml_end(x);
	}
	if (store_comment_list_post(st, a, p->id, COMMENT_STATUS__MAX,
	    &cl) != STORE_OK) {
		x->bad = 2;
		return;
	}
	for (i = 0; i < cl.n; i++)
		comment(x, conf, &cl.v[i]);
	*ncomments += cl.n;
	export_xml_end(x);
}

int
export_wxr(struct store *st, const struct conf *conf, const char *path,
    export_progress_fn fn, void *arg, struct export_counts *c, char *err,
    size_t errlen)
{
	struct export_xml	 x;
	struct arena		*a;
	struct post_query	 q;
	struct post_list	 pl;
	size_t			 i, done = 0;

	memset(c, 0, sizeof(*c));
	if (export_xml_open(&x, path, err, errlen) == -1)
		return -1;
	a = arena_new();
	export_xml_start(&x, "rss");
	export_xml_attr(&x, "version", "2.0");
	export_xml_attr(&x, "xmlns:excerpt",
	    "http://wordpress.org/export/1.2/excerpt/");
	export_xml_attr(&x, "xmlns:content",
	    "http://purl.org/rss/1.0/modules/content/");
	export_xml_attr(&x, "xmlns:wfw",
	    "http://wellformedweb.org/CommentAPI/");
	export_xml_attr(&x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	export_xml_attr(&x, "xmlns:wp", NS_WP);
	channel_head(&x, a, st, conf);
	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	q.include_pages = 1;
	q.limit = EXPORT_BATCH;
	while (!x.bad) {
		arena_reset(a);
		if (store_post_list(st, a, &q, &pl) != STORE_OK) {
			x.bad = 2;
			break;
		}
		for (i = 0; i < pl.n && !x.bad; i++) {
			item(&x, a, st, conf, &pl.v[i], &c->comments);
			c->posts++;
			if (fn != NULL && (++done % 64 == 0 || done ==
			    pl.total))
				fn(arg, done, pl.total);
		}
		if (pl.n < EXPORT_BATCH)
			break;
		q.offset += pl.n;
	}
	export_xml_end(&x);	/* channel */
	export_xml_end(&x);	/* rss */
	arena_free(a);
	if (x.bad == 2) {
		snprintf(err, errlen, "reading the site: %s",
		    store_errmsg(st));
		export_xml_close(&x, 0, err, errlen);
		return -1;
	}
	return export_xml_close(&x, 1, err, errlen);
}
