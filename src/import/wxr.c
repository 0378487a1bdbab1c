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
 * WordPress's export (Tools > Export, "WXR" 1.2 as WordPress 6 writes
 * it): an RSS 2.0 file whose <item>s carry wp:, content: and dc:
 * elements.  Posts and pages go in with their labels (categories and
 * tags alike) and their comments; attachments, menu items and the
 * other post types are skipped and told.
 *
 * Like blogger.c the file is streamed with libxml2's reader, one <item>
 * expanded at a time, so memory follows the largest item, not the file.
 * WordPress puts a post's comments inside its item, so threads are
 * resolved at the end of each item: nothing waits across items.
 *
 * One file is one store transaction: an XML error or a store error
 * rolls all of it back.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "base.h"
#include "import.h"
#include "import_int.h"
#include "store/store.h"
#include "text/text.h"

#define NS_WP		"http://wordpress.org/export/1.2/"
#define NS_CONTENT	"http://purl.org/rss/1.0/modules/content/"

enum item_type {
	T_OTHER = 0,
	T_POST,
	T_PAGE,
};

struct wcomment {
	int		 line;
	char		*id;		/* wp:comment_id */
	char		*parent;	/* wp:comment_parent, "0" for none */
	char		*author;
	char		*content;
	char		*approved;
	char		*type;		/* wp:comment_type: "", pingback */
	char		*date_gmt;
	char		*date;		/* site zone */
	int64_t		 store_id;	/* 0 until written */
	int		 done;		/* written or skipped */
};

/* One <item>; strings in the per-item arena. */
struct item {
	int		 line;
	char		*id;		/* wp:post_id */
	char		*link;		/* the old permalink, or NULL */
	char		*title;
	char		*content;
	char		*type;
	char		*status;
	char		*name;		/* wp:post_name */
	char		*date_gmt;
	char		*date;		/* site zone */
	char		**labels;
	size_t		 nlabels, caplabels;
	struct wcomment	*comments;
	size_t		 ncomments, capcomments;
};

static int
in_ns(xmlNodePtr n, const char *ns, const char *name)
{
	if (n->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)n->name, name) != 0)
		return 0;
	if (ns == NULL)
		return n->ns == NULL;
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0;
}

static void
comment_read(struct arena *a, xmlNodePtr cn, struct item *it)
{
	struct wcomment	*c;
	xmlNodePtr	 n;

	it->comments = arena_grow(a, it->comments, it->ncomments,
	    &it->capcomments, sizeof(*it->comments));
	c = &it->comments[it->ncomments++];
	memset(c, 0, sizeof(*c));
	c->line = (int)xmlGetLineNo(cn);
	for (n = cn->children; n != NULL; n = n->next) {
		if (in_ns(n, NS_WP, "comment_id"))
			c->id = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "comment_parent"))
			c->parent = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "comment_author"))
			c->author = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "comment_content"))
			c->content = import_xml_text(a, n);
		else if (in_ns(n, NS_WP, "comment_approved"))
			c->approved = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "comment_type"))
			c->type = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "comment_date_gmt"))
			c->date_gmt = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "comment_date"))
			c->date = str_trim(import_xml_text(a, n));
	}
	if (c->id == NULL)
		c->id = arena_printf(a, "#%zu", it->ncomments);
	if (c->content == NULL)
		c->content = arena_strdup(a, "");
}

/* Fills it from one expanded <item>. */
static void
item_read(struct arena *a, xmlNodePtr in, struct item *it)
{
	xmlNodePtr	 n;
	char		*dom;

	memset(it, 0, sizeof(*it));
	it->line = (int)xmlGetLineNo(in);
	for (n = in->children; n != NULL; n = n->next) {
		if (in_ns(n, NULL, "title"))
			it->title = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_CONTENT, "encoded"))
			it->content = import_xml_text(a, n);
		else if (in_ns(n, NS_WP, "post_id"))
			it->id = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NULL, "link"))
			it->link = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "post_type"))
			it->type = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "status"))
			it->status = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "post_name"))
			it->name = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "post_date_gmt"))
			it->date_gmt = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NS_WP, "post_date"))
			it->date = str_trim(import_xml_text(a, n));
		else if (in_ns(n, NULL, "category")) {
			dom = import_xml_prop(a, n, "domain");
			if (dom != NULL && (strcmp(dom, "category") == 0 ||
			    strcmp(dom, "post_tag") == 0))
				import_add_label(a, &it->labels, &it->nlabels,
				    &it->caplabels,
				    str_trim(import_xml_text(a, n)));
		} else if (in_ns(n, NS_WP, "comment"))
			comment_read(a, n, it);
	}
	if (it->title == NULL)
		it->title = arena_strdup(a, "");
	if (it->content == NULL)
		it->content = arena_strdup(a, "");
	if (it->type == NULL)
		it->type = arena_strdup(a, "post");
	if (it->status == NULL)
		it->status = arena_strdup(a, "publish");
}

/*
 * "YYYY-MM-DD HH:MM:SS" to epoch seconds, as UTC when tz is NULL, else
 * as wall time in tz.  -1 for WordPress's "0000-00-00 00:00:00" (what
 * an unpublished draft has in post_date_gmt) or anything unreadable.
 * In a zone the time is 00:00 plus the hours since, so on a DST change
 * day a time after the change is an hour off; only the fallback for a
 * missing GMT date takes that path.
 */
static int64_t
wp_date(const char *s, const char *tz)
{
	int	 y, mo, d, h, mi, sec, n = 0;
	int64_t	 t;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d,
	    &h, &mi, &sec, &n) != 6 || n == 0 || s[n] != '\0')
		return -1;
	if (y < 1583 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	if (text_date_from_parts(tz != NULL ? tz : "UTC", y, mo, d, &t) == -1)
		return -1;
	return t + h * 3600 + mi * 60 + sec;
}

static int64_t
item_time(const struct import_opts *opts, const char *gmt, const char *local)
{
	int64_t	 t;

	if ((t = wp_date(gmt, NULL)) != -1)
		return t;
	return wp_date(local, opts->timezone);
}

/*
 * wpautop, the little of it we need: WordPress stores classic-editor
 * posts with bare newlines and adds <p> and <br> when it shows them.
 * When the content has no block tags, each blank-line-separated block
 * becomes a <p> and a lone newline a <br>.  Content with block tags
 * (the block editor's, or hand-written HTML) is left as it is.
 */
static char *
autop(struct arena *a, const char *s)
{
	static const char *const block[] = {
		"<p>", "<p ", "<div", "<ul", "<ol", "<h1", "<h2", "<h3",
		"<h4", "<h5", "<h6", "<blockquote", "<pre", "<table",
		"<figure", "<hr", "<!-- wp:",
	};
	struct buf	 out = BUF_INIT;
	const char	*p, *end, *q;
	size_t		 i;
	char		*r;

	for (i = 0; i < sizeof(block) / sizeof(block[0]); i++)
		if (strcasestr(s, block[i]) != NULL)
			return arena_strdup(a, s);
	for (p = s; *p != '\0'; p = end) {
		/* A block ends at a line holding only white space. */
		for (end = p; *end != '\0'; end++) {
			if (*end != '\n')
				continue;
			for (q = end + 1; *q == ' ' || *q == '\t' ||
			    *q == '\r'; q++)
				continue;
			if (*q == '\n' || *q == '\0')
				break;
		}
		while (p < end && isspace((unsigned char)*p))
			p++;
		for (q = end; q > p && isspace((unsigned char)q[-1]); q--)
			continue;
		if (q > p) {
			buf_adds(&out, "<p>");
			for (; p < q; p++) {
				if (*p == '\n')
					buf_adds(&out, "<br>");
				if (*p != '\r')
					buf_addc(&out, *p);
			}
			buf_adds(&out, "</p>\n");
		}
		while (*end == '\n' || *end == '\r' || *end == ' ' ||
		    *end == '\t')
			end++;
	}
	r = arena_strndup(a, out.p != NULL ? out.p : "", out.len);
	buf_clear(&out);
	return r;
}

static void
skip(struct import_job *im, int line, const char *what, const char *id,
    const char *why)
{
	fprintf(stderr, "%s:%d: skipped %s %s: %s\n", im->file, line, what,
	    id != NULL && *id != '\0' ? id : "?", why);
	im->res->skipped++;
}

/* 1 when s is a slug we can put in a path as it is. */
static int
slug_ok(const char *s)
{
	size_t	 n;

	n = strlen(s);
	if (n == 0 || n > LIMIT_SLUG)
		return 0;
	/* WordPress percent-encodes non-ASCII slugs: remake those. */
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static enum comment_status
comment_status(const char *approved, int *ok)
{
	*ok = 1;
	if (approved != NULL && strcmp(approved, "1") == 0)
		return COMMENT_APPROVED;
	if (approved != NULL && strcmp(approved, "0") == 0)
		return COMMENT_PENDING;
	if (approved != NULL && strcmp(approved, "spam") == 0)
		return COMMENT_SPAM;
	*ok = 0;
	return COMMENT_PENDING;
}

static struct wcomment *
comment_find(struct item *it, const char *id)
{
	size_t	 i;

	for (i = 0; i < it->ncomments; i++)
		if (strcmp(it->comments[i].id, id) == 0)
			return &it->comments[i];
	return NULL;
}

/*
 * Writes the item's comments, parents before replies whatever their
 * order in the file.  A reply whose parent is not in the item, or was
 * skipped (trash), goes in at the top level rather than being lost.
 */
static int
put_comments(struct import_job *im, struct arena *a, struct item *it,
    int64_t post_id)
{
	struct wcomment	*c, *par;
	struct comment	 sc;
	enum store_err	 rc;
	size_t		 i, left;
	int		 ok, progress;

	for (i = 0; i < it->ncomments; i++) {
		c = &it->comments[i];
		if (c->done)
			continue;
		comment_status(c->approved, &ok);
		if (c->approved != NULL && strcmp(c->approved, "trash") == 0) {
			skip(im, c->line, "comment", c->id, "in the trash");
			c->done = 1;
		} else if (!ok) {
			skip(im, c->line, "comment", c->id,
			    "unknown wp:comment_approved");
			c->done = 1;
		} else if (c->type != NULL && (strcmp(c->type,
		    "pingback") == 0 || strcmp(c->type, "trackback") == 0)) {
			skip(im, c->line, "comment", c->id, c->type);
			c->done = 1;
		} else if (*import_html_text(a, c->content) == '\0') {
			skip(im, c->line, "comment", c->id, "empty comment");
			c->done = 1;
		} else if (item_time(im->opts, c->date_gmt, c->date) == -1) {
			skip(im, c->line, "comment", c->id, "no valid date");
			c->done = 1;
		}
	}
	/* Each pass writes the comments whose parent is written. */
	for (progress = 1; progress; ) {
		progress = 0;
		for (i = 0, left = 0; i < it->ncomments; i++) {
			c = &it->comments[i];
			if (c->done)
				continue;
			par = c->parent == NULL || strcmp(c->parent, "0") == 0 ?
			    NULL : comment_find(it, c->parent);
			if (par == c)
				par = NULL;
			if (par != NULL && !par->done) {
				left++;
				continue;
			}
			memset(&sc, 0, sizeof(sc));
			sc.post_id = post_id;
			sc.parent_id = par != NULL ? par->store_id : 0;
			sc.name = c->author != NULL && *c->author != '\0' ?
			    c->author : "Anonymous";
			if (strlen(sc.name) > LIMIT_COMMENT_NAME)
				sc.name = arena_strndup(a, sc.name,
				    LIMIT_COMMENT_NAME);
			sc.email = "";
			sc.url = "";
			sc.body = import_html_text(a, c->content);
			sc.status = comment_status(c->approved, &ok);
			sc.created = item_time(im->opts, c->date_gmt, c->date);
			sc.addr_hash = "";
			if ((rc = store_comment_put(im->st, &sc)) != STORE_OK)
				return import_store_fail(im, c->line,
				    "saving a comment", rc);
			c->store_id = sc.id;
			c->done = 1;
			im->res->comments++;
			progress = 1;
		}
		if (left == 0)
			break;
	}
	/* Only a loop of parents is left: write those at the top level. */
	for (i = 0; i < it->ncomments; i++)
		if (!it->comments[i].done) {
			it->comments[i].parent = NULL;
			return put_comments(im, a, it, post_id);
		}
	return 0;
}


/*
 * The old blog's addresses of a post, kept as redirects so that links to
 * them keep working: WordPress's /?p=ID (/?page_id=ID for a page) and
 * the path of its permalink, when that differs from the new one.
 */
static enum store_err
keep_old_urls(struct import_job *im, struct arena *a, const struct item *it,
    const struct post *p)
{
	const char	*path;
	enum store_err	 e = STORE_OK;
	int64_t		 id;

	if (it->id != NULL && str_to_i64(it->id, 1, INT64_MAX, &id) == 0)
		e = store_redirect_put(im->st, arena_printf(a, "/?%s=%lld",
		    p->is_page ? "page_id" : "p", (long long)id), p->path);
	if (e != STORE_OK || it->link == NULL)
		return e;
	/* The path of "https://old.example/2023/09/12/slug/". */
	if ((path = strstr(it->link, "://")) == NULL)
		return STORE_OK;
	if ((path = strchr(path + 3, '/')) == NULL || strcmp(path, "/") == 0 ||
	    strcmp(path, p->path) == 0 || strchr(path, '?') != NULL ||
	    !str_is_text(path, strlen(path), NULL) || strlen(path) > LIMIT_URL)
		return STORE_OK;
	return store_redirect_put(im->st, path, p->path);
}

static int
item_put(struct import_job *im, struct arena *a, struct item *it)
{
	struct post	 p;
	struct buf	 txt = BUF_INIT;
	enum store_err	 rc;
	const char	*st = it->status;
	char		*slug;
	int		 y, m, d, draft;

	memset(&p, 0, sizeof(p));
	if (strcmp(it->type, "post") == 0)
		p.is_page = 0;
	else if (strcmp(it->type, "page") == 0)
		p.is_page = 1;
	else {
		skip(im, it->line, it->type, it->id, "not a post or a page");
		return 0;
	}
	if (strcmp(st, "publish") == 0 || strcmp(st, "future") == 0)
		draft = 0;
	else if (strcmp(st, "draft") == 0 || strcmp(st, "pending") == 0 ||
	    strcmp(st, "private") == 0)
		draft = 1;
	else {
		skip(im, it->line, it->type, it->id, arena_printf(a,
		    "status \"%s\"", st));
		return 0;
	}
	if ((p.published = item_time(im->opts, it->date_gmt,
	    it->date)) == -1) {
		skip(im, it->line, it->type, it->id, "no valid date");
		return 0;
	}
	if (strlen(it->title) > LIMIT_TITLE) {
		skip(im, it->line, it->type, it->id, "title too long");
		return 0;
	}
	if (it->name != NULL && slug_ok(it->name))
		slug = it->name;
	else {
		slug = text_slug(a, it->title, strlen(it->title));
		if (slug == NULL || *slug == '\0')
			slug = "post";
	}
	if (p.is_page)
		p.path = arena_printf(a, "/p/%s.html", slug);
	else {
		if (text_date_parts(im->opts->timezone, p.published, &y, &m,
		    &d) == -1)
			return import_fail(im, "unknown time zone \"%s\"",
			    im->opts->timezone);
		p.path = arena_printf(a, "/%04d/%02d/%s.html", y, m, slug);
	}
	p.slug = slug;
	p.title = it->title;
	p.html = import_html_sanitize(a, autop(a, it->content));
	p.source = p.html;
	buf_adds(&txt, it->title);
	buf_addc(&txt, '\n');
	buf_adds(&txt, import_html_text(a, it->content));
	p.lang = arena_strdup(a, text_lang_detect(txt.p, txt.len,
	    im->opts->locale != NULL ? im->opts->locale : "en"));
	buf_clear(&txt);
	p.status = draft ? POST_DRAFT : POST_PUBLISHED;
	p.updated = p.published;
	p.labels = it->labels;
	p.nlabels = it->nlabels;
	if ((rc = store_post_save(im->st, &p, NULL)) != STORE_OK)
		return import_store_fail(im, it->line, "saving a post", rc);
	if (!draft && (rc = keep_old_urls(im, a, it, &p)) != STORE_OK)
		return import_store_fail(im, it->line,
		    "keeping an old address", rc);
	if (draft)
		im->res->drafts++;
	else if (p.is_page)
		im->res->pages++;
	else
		im->res->posts++;
	return put_comments(im, a, it, p.id);
}

int
import_wxr_file(struct store *st, const struct import_opts *opts,
    const char *file, struct import_counts *res, char *err, size_t errlen)
{
	struct import_job	 im;
	struct item		 it;
	struct arena		*ia;
	xmlTextReaderPtr	 r;
	xmlNodePtr		 n;
	enum store_err		 se;
	const char		*name;
	int			 ret, depth, rc = -1, in_tx = 0, seen_root = 0;

	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	if (errlen > 0)
		err[0] = '\0';
	im.st = st;
	im.opts = opts;
	im.file = file;
	im.res = res;
	im.err = err;
	im.errlen = errlen;
	ia = arena_new();
	if ((r = import_xml_open(file, im.xmlerr)) == NULL) {
		import_fail(&im, "cannot open or read the file");
		goto out;
	}
	if ((se = store_write_begin(st)) != STORE_OK) {
		import_store_fail(&im, 0, "starting the write", se);
		goto out;
	}
	in_tx = 1;
	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		name = (const char *)xmlTextReaderConstLocalName(r);
		depth = xmlTextReaderDepth(r);
		if (!seen_root) {
			seen_root = 1;
			if (strcmp(name, "rss") != 0) {
				snprintf(err, errlen, "%s:%d: not an RSS "
				    "(WordPress WXR) file", file,
				    xmlTextReaderGetParserLineNumber(r));
				goto out;
			}
			ret = xmlTextReaderRead(r);
			continue;
		}
		/* rss > channel > item; the rest (authors, terms) unused. */
		if (depth == 1 && strcmp(name, "channel") == 0) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		if (depth != 2 || strcmp(name, "item") != 0) {
			ret = xmlTextReaderNext(r);
			continue;
		}
		if ((n = xmlTextReaderExpand(r)) == NULL) {
			import_xml_fail(im.err, im.errlen, im.file, r,
			    im.xmlerr);
			goto out;
		}
		item_read(ia, n, &it);
		if (item_put(&im, ia, &it) == -1)
			goto out;
		arena_reset(ia);
		/* Next frees the expanded subtree as it moves past it. */
		ret = xmlTextReaderNext(r);
	}
	if (ret == -1 || im.xmlerr[0] != '\0') {
		import_xml_fail(im.err, im.errlen, im.file, r,
		    im.xmlerr);
		goto out;
	}
	if (!seen_root) {
		import_fail(&im, "empty file");
		goto out;
	}
	in_tx = 0;
	if ((se = store_write_end(st, 1)) != STORE_OK) {
		import_store_fail(&im, 0, "committing", se);
		goto out;
	}
	rc = 0;
out:
	if (in_tx)
		store_write_end(st, 0);
	if (rc == -1) {
		/* Nothing was written: the counts would mislead. */
		memset(res, 0, sizeof(*res));
	}
	if (r != NULL)
		xmlFreeTextReader(r);
	arena_free(ia);
	return rc;
}
