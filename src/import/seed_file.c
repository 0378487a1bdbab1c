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
 * Storing a seed text file: read it (bounded), parse it (seed.c), turn
 * it into a post with its labels and comments, and write them in one
 * store transaction, so that a failure leaves the site as it was.  Kept
 * apart from seed.c so the parser links and fuzzes without a store.
 *
 * The post: path and slug from import_seed_path(); the body as one
 * escaped <p> per paragraph for html, and the paragraphs joined by blank
 * lines for source; lang as the parser guessed it; published at 00:00 of
 * the date line.  Its "updated" time stays as stored when a re-import
 * changes nothing, so feeds do not see a change that did not happen.
 * Comments are approved (they were public on the old page) and dated by
 * their time line, or the post's date when they had none; the store's
 * store_comment_put() keeps a re-import from adding them twice.
 *
 * XXX Two different articles with the same title in the same month get
 * the same path, and the second import updates the first; Blogger adds
 * "_NN" instead, but a seed file carries no id to tell them apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "import.h"
#include "render/render.h"
#include "store/store.h"

/* Reads path whole into b, refusing more than LIMIT_IMPORT_FILE bytes. */
static int
read_file(const char *path, struct buf *b, char *err, size_t errlen)
{
	char	 chunk[65536];
	ssize_t	 n;
	int	 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		/* Checked as it grows: the file may be a pipe, or growing. */
		if (b->len + (size_t)n > LIMIT_IMPORT_FILE) {
			snprintf(err, errlen, "%s: file larger than %d bytes",
			    path, LIMIT_IMPORT_FILE);
			goto out;
		}
		buf_add(b, chunk, (size_t)n);
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* 1 when the stored post shows what p would: nothing to bump. */
static int
post_same(const struct post *old, const struct post *p)
{
	size_t	 i;

	if (strcmp(old->title, p->title) != 0 ||
	    strcmp(old->html, p->html) != 0 ||
	    strcmp(old->source, p->source) != 0 ||
	    strcmp(old->lang, p->lang) != 0 || old->status != p->status ||
	    old->published != p->published || old->nlabels != p->nlabels)
		return 0;
	for (i = 0; i < p->nlabels; i++)
		if (strcmp(old->labels[i], p->labels[i]) != 0)
			return 0;
	return 1;
}

/* Fills p from doc: everything but id and updated. */
static int
post_build(struct arena *a, const struct import_opts *opts,
    const struct seed_doc *doc, struct post *p)
{
	struct buf	 html = BUF_INIT, src = BUF_INIT;
	const char	*slash;
	size_t		 i;

	memset(p, 0, sizeof(*p));
	if ((p->path = import_seed_path(a, opts, doc)) == NULL)
		return -1;
	slash = strrchr(p->path, '/');
	p->slug = arena_strndup(a, slash + 1,
	    strlen(slash + 1) - strlen(".html"));
	for (i = 0; i < doc->nparas; i++) {
		if (i > 0) {
			buf_addc(&html, '\n');
			buf_adds(&src, "\n\n");
		}
		buf_adds(&html, "<p>");
		render_escape_html(&html, doc->paras[i], strlen(doc->paras[i]));
		buf_adds(&html, "</p>");
		buf_adds(&src, doc->paras[i]);
	}
	p->html = arena_strndup(a, html.p != NULL ? html.p : "", html.len);
	p->source = arena_strndup(a, src.p != NULL ? src.p : "", src.len);
	buf_clear(&html);
	buf_clear(&src);
	p->title = doc->title;
	p->lang = doc->lang;
	p->status = POST_PUBLISHED;
	p->is_page = 0;
	p->published = doc->published;
	p->labels = doc->labels;
	p->nlabels = doc->nlabels;
	return 0;
}

/* Writes "FILE: store: why (engine message)"; returns -1. */
static int
store_fail(struct store *st, const char *file, const char *what,
    enum store_err e, char *err, size_t errlen)
{
	const char	*msg = store_errmsg(st);

	snprintf(err, errlen, "%s: store: %s: %s%s%s%s", file, what,
	    store_strerror(e), *msg != '\0' ? " (" : "", msg,
	    *msg != '\0' ? ")" : "");
	return -1;
}

int
import_seed_file(struct store *st, const struct import_opts *opts,
    const char *file, struct import_result *res, char *err, size_t errlen)
{
	struct seed_doc	 doc;
	struct post	 p, *old = NULL;
	struct comment	 c;
	struct arena	*a;
	struct buf	 b = BUF_INIT;
	int64_t		*ids;
	enum store_err	 e;
	size_t		 i;
	int		 created = 0, rc = -1, in_tx = 0;

	memset(res, 0, sizeof(*res));
	if (errlen > 0)
		err[0] = '\0';
	a = arena_new();
	if (read_file(file, &b, err, errlen) == -1)
		goto out;
	if (import_seed_parse(file, b.p != NULL ? b.p : "", b.len, opts, a,
	    &doc, err, errlen) == -1)
		goto out;
	if (post_build(a, opts, &doc, &p) == -1) {
		snprintf(err, errlen, "%s: unknown time zone \"%s\"", file,
		    opts->timezone);
		goto out;
	}

	/* Read before taking the writer, which is then held for writes only. */
	e = store_post_get_path(st, a, p.path, &old);
	if (e == STORE_NOTFOUND)
		p.updated = p.published;
	else if (e == STORE_OK)
		p.updated = post_same(old, &p) ? old->updated : clock_now();
	else {
		store_fail(st, file, "reading the post", e, err, errlen);
		goto out;
	}

	if ((e = store_write_begin(st)) != STORE_OK) {
		store_fail(st, file, "starting the write", e, err, errlen);
		goto out;
	}
	in_tx = 1;
	if ((e = store_post_save(st, &p, &created)) != STORE_OK) {
		store_fail(st, file, "saving the post", e, err, errlen);
		goto out;
	}
	ids = arena_allocarray(a, doc.ncomments + 1, sizeof(*ids));
	for (i = 0; i < doc.ncomments; i++) {
		memset(&c, 0, sizeof(c));
		c.post_id = p.id;
		/* The parser only points back to comments before this one. */
		c.parent_id = doc.comments[i].parent > 0 ?
		    ids[doc.comments[i].parent - 1] : 0;
		c.name = doc.comments[i].name;
		c.email = "";
		c.url = "";
		c.body = doc.comments[i].body;
		c.status = COMMENT_APPROVED;
		c.created = doc.comments[i].created != 0 ?
		    doc.comments[i].created : doc.published;
		c.addr_hash = "";
		if ((e = store_comment_put(st, &c)) != STORE_OK) {
			store_fail(st, file, "saving a comment", e, err,
			    errlen);
			goto out;
		}
		ids[i] = c.id;
	}
	in_tx = 0;
	if ((e = store_write_end(st, 1)) != STORE_OK) {
		store_fail(st, file, "committing", e, err, errlen);
		goto out;
	}

	res->created = created;
	str_copy(res->path, p.path, sizeof(res->path));
	str_copy(res->ui_lang, doc.ui_lang, sizeof(res->ui_lang));
	res->ncomments = doc.ncomments;
	res->nlabels = doc.nlabels;
	rc = 0;
out:
	if (in_tx)
		store_write_end(st, 0);
	buf_clear(&b);
	arena_free(a);
	return rc;
}
