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
 * Blogger's Atom export (Settings > Back up content), both the older
 * format (kinds as <category scheme="...g/2005#kind">, drafts in
 * <app:control>, threads in <thr:in-reply-to>) and the newer one
 * (<blogger:type>, <blogger:status>, <blogger:filename>,
 * <blogger:parent>, <blogger:inReplyTo>).
 *
 * The file is streamed with libxml2's reader so memory does not grow
 * with its size: each <entry> is expanded alone, turned into a post or
 * a comment, written, and dropped when the reader moves on.  The map
 * from Blogger ids to store ids lives in a temporary file (idmap.c),
 * and so do the comments whose post or parent comes later in the file,
 * which wait there until the end (Blogger writes posts before their
 * comments, so in practice none wait): memory stays flat whatever the
 * number of entries.
 *
 * Everything of one file is one store transaction: an XML error or a
 * store error rolls all of it back.  Post HTML is sanitized to a small
 * allowlist (html.c, shared with the WordPress importer), and is both
 * the post's html and its source, since there is no Markdown to keep.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "base.h"
#include "import.h"
#include "import_int.h"
#include "store/store.h"
#include "text/text.h"

#define NS_KIND		"http://schemas.google.com/g/2005#kind"
#define NS_LABEL	"http://www.blogger.com/atom/ns#"
#define KIND_PREFIX	"http://schemas.google.com/blogger/2008/kind#"

enum kind {
	K_OTHER = 0,	/* templates, settings: skipped silently */
	K_POST,
	K_PAGE,
	K_COMMENT,
};

/* One entry, read out of its expanded subtree; strings in the arena. */
struct entry {
	enum kind	 kind;
	int		 draft;
	int		 deleted;
	int		 line;
	char		*id;		/* key: digits after "post-" */
	char		*title;
	char		*content;
	char		*path;		/* alternate link or filename */
	char		*author;
	char		*post_ref;	/* comment: the post's key */
	char		*parent_ref;	/* comment: the parent comment's key */
	int64_t		 published, updated;
	char		**labels;
	size_t		 nlabels, caplabels;
};

/* What a Blogger key maps to, for posts and comments alike. */
struct idmap {
	int64_t		 id;
	int64_t		 post_id;	/* for a comment, its post */
	int		 is_comment;
};

struct importer {
	struct import_job	  j;	/* the file, the store, the results */
	struct import_idmap	 *map;	/* Blogger key to store ids */
	FILE			 *wait;	/* comments not yet placeable */
	size_t			  nwait;
};

static int
name_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/*
 * The key Blogger ids meet under: the digits after the last "post-"
 * ("tag:blogger.com,1999:blog-1.post-42"), else after the last "/"
 * (".../comments/default/42"), else the whole string.
 */
static char *
id_key(struct arena *a, const char *s)
{
	const char	*p, *q = NULL;

	if (s == NULL)
		return NULL;
	for (p = s; (p = strstr(p, "post-")) != NULL; p++)
		q = p + 5;
	if (q == NULL && (q = strrchr(s, '/')) != NULL)
		q++;
	if (q == NULL || *q == '\0')
		q = s;
	return arena_strdup(a, q);
}

/* RFC 3339 to epoch seconds; -1 when it does not read as one. */
static int64_t
rfc3339(const char *s)
{
	struct tm	 tm;
	int		 y, mo, d, h, mi, sec, n = 0, oh, om;
	int64_t		 t;
	const char	*p;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n",
	    &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n == 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	p = s + n;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			continue;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm);
	if (*p == 'Z' || *p == 'z')
		return t;
	if ((*p == '+' || *p == '-') &&
	    sscanf(p + 1, "%2d:%2d", &oh, &om) == 2)
		return *p == '+' ? t - (oh * 3600 + om * 60) :
		    t + (oh * 3600 + om * 60);
	return -1;
}

/* The path of a URL: "https://x/a/b.html" -> "/a/b.html". */
static char *
url_path(struct arena *a, const char *u)
{
	const char	*p, *end;

	if (u == NULL)
		return NULL;
	if ((p = strstr(u, "://")) != NULL) {
		if ((p = strchr(p + 3, '/')) == NULL)
			return NULL;
	} else
		p = u;
	end = p + strcspn(p, "?#");
	return arena_strndup(a, p, (size_t)(end - p));
}

/* Fills e from one expanded <entry>. */
static void
entry_read(struct arena *a, xmlNodePtr en, struct entry *e)
{
	xmlNodePtr	 n, m;
	char		*scheme, *term, *rel, *type, *v;

	memset(e, 0, sizeof(*e));
	e->line = (int)xmlGetLineNo(en);
	for (n = en->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n, "id"))
			e->id = id_key(a, import_xml_text(a, n));
		else if (name_is(n, "title"))
			e->title = str_trim(import_xml_text(a, n));
		else if (name_is(n, "content"))
			e->content = import_xml_text(a, n);
		else if (name_is(n, "published"))
			e->published = rfc3339(import_xml_text(a, n));
		else if (name_is(n, "updated"))
			e->updated = rfc3339(import_xml_text(a, n));
		else if (name_is(n, "author")) {
			for (m = n->children; m != NULL; m = m->next)
				if (name_is(m, "name"))
					e->author = str_trim(
					    import_xml_text(a, m));
		} else if (name_is(n, "category")) {
			scheme = import_xml_prop(a, n, "scheme");
			term = import_xml_prop(a, n, "term");
			if (scheme != NULL && strcmp(scheme, NS_KIND) == 0) {
				if (term == NULL ||
				    !str_has_prefix(term, KIND_PREFIX))
					continue;
				term += strlen(KIND_PREFIX);
				e->kind = strcmp(term, "post") == 0 ? K_POST :
				    strcmp(term, "page") == 0 ? K_PAGE :
				    strcmp(term, "comment") == 0 ? K_COMMENT :
				    K_OTHER;
			} else if (scheme == NULL ||
			    strcmp(scheme, NS_LABEL) == 0)
				import_add_label(a, &e->labels, &e->nlabels,
				    &e->caplabels, term);
		} else if (name_is(n, "control")) {
			for (m = n->children; m != NULL; m = m->next)
				if (name_is(m, "draft") &&
				    strcasecmp(str_trim(import_xml_text(a,
				    m)), "yes") == 0)
					e->draft = 1;
		} else if (name_is(n, "link")) {
			rel = import_xml_prop(a, n, "rel");
			type = import_xml_prop(a, n, "type");
			v = import_xml_prop(a, n, "href");
			if (rel == NULL || v == NULL)
				continue;
			if (strcmp(rel, "alternate") == 0 && (type == NULL ||
			    strcmp(type, "text/html") == 0) && e->path == NULL)
				e->path = url_path(a, v);
			else if (strcmp(rel, "related") == 0 &&
			    strstr(v, "/comments/") != NULL)
				e->parent_ref = id_key(a, v);
		} else if (name_is(n, "in-reply-to"))
			e->post_ref = id_key(a, import_xml_prop(a, n, "ref"));
		else if (name_is(n, "type")) {
			v = str_trim(import_xml_text(a, n));
			e->kind = strcmp(v, "POST") == 0 ? K_POST :
			    strcmp(v, "PAGE") == 0 ? K_PAGE :
			    strcmp(v, "COMMENT") == 0 ? K_COMMENT : K_OTHER;
		} else if (name_is(n, "status")) {
			v = str_trim(import_xml_text(a, n));
			if (strcmp(v, "DRAFT") == 0)
				e->draft = 1;
			else if (strcmp(v, "DELETED") == 0)
				e->deleted = 1;
		} else if (name_is(n, "filename")) {
			v = str_trim(import_xml_text(a, n));
			if (*v != '\0')
				e->path = url_path(a, v);
		} else if (name_is(n, "parent"))
			e->post_ref = id_key(a,
			    str_trim(import_xml_text(a, n)));
		else if (name_is(n, "inReplyTo"))
			e->parent_ref = id_key(a,
			    str_trim(import_xml_text(a, n)));
	}
	if (e->title == NULL)
		e->title = arena_strdup(a, "");
	if (e->content == NULL)
		e->content = arena_strdup(a, "");
	if (e->updated <= 0)
		e->updated = e->published;
}

static void
skip(struct importer *im, const struct entry *e, const char *why)
{
	fprintf(stderr, "%s:%d: skipped %s: %s\n", im->j.file, e->line,
	    e->id != NULL ? e->id : "entry", why);
	im->j.res->skipped++;
}

/* 1 and *out when key is known, 0 when not, -1 (err set) on I/O. */
static int
map_find(struct importer *im, const char *key, struct idmap *out)
{
	int	 r;

	memset(out, 0, sizeof(*out));
	if (key == NULL)
		return 0;
	r = import_idmap_get(im->map, key, &out->id, &out->post_id,
	    &out->is_comment);
	if (r == -1)
		import_fail(&im->j, "temporary id map: %s", strerror(errno));
	return r;
}

static int
map_add(struct importer *im, const char *key, int64_t id, int64_t post_id,
    int is_comment)
{
	if (key == NULL)
		return 0;
	if (import_idmap_put(im->map, key, id, post_id, is_comment) == -1)
		return import_fail(&im->j, "temporary id map: %s",
		    strerror(errno));
	return 0;
}

/* /YYYY/MM/SLUG.html or /p/SLUG.html: the slug, or NULL. */
static char *
path_slug(struct arena *a, const char *path, int page)
{
	const char	*s;
	size_t		 n;
	int		 y, m, k = 0;

	if (path == NULL)
		return NULL;
	if (page) {
		if (!str_has_prefix(path, "/p/"))
			return NULL;
		s = path + 3;
	} else {
		if (sscanf(path, "/%4d/%2d/%n", &y, &m, &k) != 2 || k != 9)
			return NULL;
		s = path + k;
	}
	n = strlen(s);
	if (n <= 5 || n - 5 > LIMIT_SLUG || strcmp(s + n - 5, ".html") != 0 ||
	    strcspn(s, "/?#\"'<>&") != n)
		return NULL;
	return arena_strndup(a, s, n - 5);
}

static int
put_post(struct importer *im, struct arena *a, struct entry *e)
{
	struct post	 p;
	struct buf	 txt = BUF_INIT;
	enum store_err	 rc;
	char		*slug;
	int		 y, m, d, created;

	if (e->published <= 0) {
		skip(im, e, "no valid published time");
		return 0;
	}
	memset(&p, 0, sizeof(p));
	p.is_page = e->kind == K_PAGE;
	/* Drafts never had a URL; give them the one Blogger would. */
	if (e->path == NULL) {
		slug = text_slug(a, e->title, strlen(e->title));
		if (slug == NULL || *slug == '\0')
			slug = "post";
		if (p.is_page)
			e->path = arena_printf(a, "/p/%s.html", slug);
		else {
			if (text_date_parts(im->j.opts->timezone, e->published,
			    &y, &m, &d) == -1)
				return import_fail(&im->j,
				    "unknown time zone \"%s\"",
				    im->j.opts->timezone);
			e->path = arena_printf(a, "/%04d/%02d/%s.html", y, m,
			    slug);
		}
	}
	if ((p.slug = path_slug(a, e->path, p.is_page)) == NULL) {
		skip(im, e, "its URL path is not /YYYY/MM/SLUG.html "
		    "or /p/SLUG.html");
		return 0;
	}
	if (strlen(e->title) > LIMIT_TITLE) {
		skip(im, e, "title too long");
		return 0;
	}
	p.path = e->path;
	p.title = e->title;
	p.html = import_html_sanitize(a, e->content);
	p.source = p.html;
	buf_adds(&txt, e->title);
	buf_addc(&txt, '\n');
	buf_adds(&txt, import_html_text(a, e->content));
	p.lang = arena_strdup(a, text_lang_detect(txt.p, txt.len,
	    im->j.opts->locale != NULL ? im->j.opts->locale : "en"));
	buf_clear(&txt);
	p.status = e->draft ? POST_DRAFT : POST_PUBLISHED;
	p.published = e->published;
	p.updated = e->updated;
	p.labels = e->labels;
	p.nlabels = e->nlabels;
	if ((rc = store_post_save(im->j.st, &p, &created)) != STORE_OK)
		return import_store_fail(&im->j, e->line, "saving a post", rc);
	if (map_add(im, e->id, p.id, p.id, 0) == -1)
		return -1;
	if (e->draft)
		im->j.res->drafts++;
	else if (p.is_page)
		im->j.res->pages++;
	else
		im->j.res->posts++;
	return 0;
}

/* 1 written, 0 must wait (post or parent unknown yet), -1 error. */
static int
put_comment(struct importer *im, struct arena *a, struct entry *e)
{
	struct comment	 c;
	struct idmap	 post, parent;
	enum store_err	 rc;
	int		 r;

	memset(&parent, 0, sizeof(parent));
	if ((r = map_find(im, e->post_ref, &post)) != 1)
		return r;
	if (e->parent_ref != NULL && strcmp(e->parent_ref, e->post_ref) != 0 &&
	    (r = map_find(im, e->parent_ref, &parent)) != 1)
		return r;
	memset(&c, 0, sizeof(c));
	c.post_id = post.post_id;
	c.parent_id = parent.is_comment && parent.post_id == post.post_id ?
	    parent.id : 0;
	c.name = e->author != NULL && *e->author != '\0' ? e->author :
	    "Anonymous";
	if (strlen(c.name) > LIMIT_COMMENT_NAME)
		c.name = arena_strndup(a, c.name, LIMIT_COMMENT_NAME);
	c.email = "";
	c.url = "";
	c.body = import_html_text(a, e->content);
	c.status = COMMENT_APPROVED;
	c.created = e->published > 0 ? e->published : e->updated;
	c.addr_hash = "";
	if (*c.body == '\0') {
		skip(im, e, "empty comment");
		return 1;
	}
	if ((rc = store_comment_put(im->j.st, &c)) != STORE_OK)
		return import_store_fail(&im->j, e->line, "saving a comment",
		    rc);
	if (map_add(im, e->id, c.id, c.post_id, 1) == -1)
		return -1;
	im->j.res->comments++;
	return 1;
}

/* A string of a waiting comment: its length (SIZE_MAX: NULL), bytes. */
static int
wait_str(FILE *fp, const char *v)
{
	size_t	 n = v != NULL ? strlen(v) : SIZE_MAX;

	if (fwrite(&n, sizeof(n), 1, fp) != 1)
		return -1;
	return v == NULL || n == 0 || fwrite(v, n, 1, fp) == 1 ? 0 : -1;
}

/* Reads what wait_str wrote into the arena; -1 at the end or on error. */
static int
wait_str_read(FILE *fp, struct arena *a, char **out)
{
	size_t	 n;

	*out = NULL;
	if (fread(&n, sizeof(n), 1, fp) != 1)
		return -1;
	if (n == SIZE_MAX)
		return 0;
	if (n > LIMIT_IMPORT_FILE)
		return -1;
	*out = arena_alloc(a, n + 1);
	return n == 0 || fread(*out, n, 1, fp) == 1 ? 0 : -1;
}

/* Appends a comment that cannot be placed yet to the file fp. */
static int
wait_put(FILE *fp, const struct entry *e)
{
	int64_t	 v[4];

	v[0] = e->kind;
	v[1] = e->line;
	v[2] = e->published;
	v[3] = e->updated;
	if (fwrite(v, sizeof(v), 1, fp) != 1 || wait_str(fp, e->id) == -1 ||
	    wait_str(fp, e->content) == -1 || wait_str(fp, e->author) == -1 ||
	    wait_str(fp, e->post_ref) == -1 ||
	    wait_str(fp, e->parent_ref) == -1)
		return -1;
	return 0;
}

/* The next waiting comment of fp: 1, 0 at the end, -1 on an error. */
static int
wait_get(FILE *fp, struct arena *a, struct entry *e)
{
	int64_t	 v[4];

	memset(e, 0, sizeof(*e));
	if (fread(v, sizeof(v), 1, fp) != 1)
		return feof(fp) ? 0 : -1;
	e->kind = (enum kind)v[0];
	e->line = (int)v[1];
	e->published = v[2];
	e->updated = v[3];
	if (wait_str_read(fp, a, &e->id) == -1 ||
	    wait_str_read(fp, a, &e->content) == -1 ||
	    wait_str_read(fp, a, &e->author) == -1 ||
	    wait_str_read(fp, a, &e->post_ref) == -1 ||
	    wait_str_read(fp, a, &e->parent_ref) == -1)
		return -1;
	if (e->content == NULL)
		e->content = arena_strdup(a, "");
	return 1;
}

static int
wait_add(struct importer *im, const struct entry *e)
{
	if ((im->wait == NULL && (im->wait = tmpfile()) == NULL) ||
	    wait_put(im->wait, e) == -1)
		return import_fail(&im->j, "temporary file: %s",
		    strerror(errno));
	im->nwait++;
	return 0;
}

static int
entry_put(struct importer *im, struct arena *a, struct entry *e)
{
	int	 r;

	if (e->kind == K_OTHER)
		return 0;
	if (e->deleted) {
		skip(im, e, "deleted");
		return 0;
	}
	if (e->kind == K_POST || e->kind == K_PAGE)
		return put_post(im, a, e);
	if (e->post_ref == NULL) {
		skip(im, e, "comment names no post");
		return 0;
	}
	if ((r = put_comment(im, a, e)) == 0)
		return wait_add(im, e);
	return r == -1 ? -1 : 0;
}

/*
 * Places the waiting comments whose post and parent now exist, a pass
 * over the waiting file at a time (each pass copies what still waits to
 * a new file) until a pass places none; the rest are skipped.
 */
static int
wait_flush(struct importer *im)
{
	struct arena	*a;
	struct entry	 e;
	struct idmap	 m;
	FILE		*next = NULL;
	size_t		 left;
	int		 r, g, rc = -1, placed = 1;

	if (im->wait == NULL)
		return 0;
	a = arena_new();
	while (placed && im->nwait > 0) {
		placed = 0;
		left = 0;
		rewind(im->wait);
		if ((next = tmpfile()) == NULL)
			goto io;
		for (;;) {
			arena_reset(a);
			if ((g = wait_get(im->wait, a, &e)) == 0)
				break;
			if (g == -1)
				goto io;
			if ((r = put_comment(im, a, &e)) == -1)
				goto out;
			if (r == 1)
				placed = 1;
			else if (wait_put(next, &e) == -1)
				goto io;
			else
				left++;
		}
		fclose(im->wait);
		im->wait = next;
		next = NULL;
		im->nwait = left;
	}
	rewind(im->wait);
	for (;;) {
		arena_reset(a);
		if ((g = wait_get(im->wait, a, &e)) == 0)
			break;
		if (g == -1)
			goto io;
		if ((r = map_find(im, e.post_ref, &m)) == -1)
			goto out;
		skip(im, &e, r == 0 ? "its post is not in the file (or was "
		    "skipped)" : "the comment it answers is not in the file");
	}
	rc = 0;
	goto out;
io:
	import_fail(&im->j, "temporary file: %s", strerror(errno));
out:
	if (next != NULL)
		fclose(next);
	arena_free(a);
	return rc;
}

int
import_blogger_file(struct store *st, const struct import_opts *opts,
    const char *file, struct import_counts *res, char *err, size_t errlen)
{
	struct importer		 im;
	struct entry		 e;
	struct arena		*ea;
	xmlTextReaderPtr	 r = NULL;
	xmlNodePtr		 n;
	enum store_err		 se;
	int			 ret, rc = -1, in_tx = 0, seen_root = 0;

	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	if (errlen > 0)
		err[0] = '\0';
	im.j.st = st;
	im.j.opts = opts;
	im.j.file = file;
	im.j.res = res;
	im.j.err = err;
	im.j.errlen = errlen;
	ea = arena_new();
	if ((im.map = import_idmap_new()) == NULL) {
		import_fail(&im.j, "temporary id map: %s", strerror(errno));
		goto out;
	}
	if ((r = import_xml_open(file, im.j.xmlerr)) == NULL) {
		import_fail(&im.j, "cannot open or read the file");
		goto out;
	}
	if ((se = store_write_begin(st)) != STORE_OK) {
		import_store_fail(&im.j, 0, "starting the write", se);
		goto out;
	}
	in_tx = 1;
	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		if (!seen_root) {
			seen_root = 1;
			if (strcmp((const char *)xmlTextReaderConstLocalName(r),
			    "feed") != 0) {
				snprintf(err, errlen, "%s:%d: not an Atom feed",
				    file, xmlTextReaderGetParserLineNumber(r));
				goto out;
			}
			ret = xmlTextReaderRead(r);
			continue;
		}
		if (xmlTextReaderDepth(r) != 1 || strcmp((const char *)
		    xmlTextReaderConstLocalName(r), "entry") != 0) {
			ret = xmlTextReaderNext(r);
			continue;
		}
		if ((n = xmlTextReaderExpand(r)) == NULL) {
			import_xml_fail(im.j.err, im.j.errlen, im.j.file, r,
			    im.j.xmlerr);
			goto out;
		}
		entry_read(ea, n, &e);
		if (entry_put(&im, ea, &e) == -1)
			goto out;
		arena_reset(ea);
		/* Next frees the expanded subtree as it moves past it. */
		ret = xmlTextReaderNext(r);
	}
	if (ret == -1 || im.j.xmlerr[0] != '\0') {
		import_xml_fail(im.j.err, im.j.errlen, im.j.file, r,
		    im.j.xmlerr);
		goto out;
	}
	if (!seen_root) {
		import_fail(&im.j, "empty file");
		goto out;
	}
	if (wait_flush(&im) == -1)
		goto out;
	in_tx = 0;
	if ((se = store_write_end(st, 1)) != STORE_OK) {
		import_store_fail(&im.j, 0, "committing", se);
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
	arena_free(ea);
	import_idmap_free(im.map);
	if (im.wait != NULL)
		fclose(im.wait);
	return rc;
}
