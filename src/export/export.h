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
 * export: taking a site out again.  A WordPress WXR 1.2 file and a
 * Blogger-style Atom export (the formats src/import reads back), and
 * the whole public site as static files, each page made by the site's
 * own request handler so it is byte for byte what the server sends.
 *
 * Everything streams: posts are read from the store a batch at a time
 * and written out at once, so memory does not follow the site's size.
 *
 * Errors: 0 / -1 with "what: why" (naming the file) in the caller's err
 * buffer.  Threads: one export at a time per site; it only reads the
 * store, so a server may go on serving meanwhile.
 */
#ifndef GAZETTE_EXPORT_H
#define GAZETTE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct site;
struct store;

/* Called now and then with the work done so far and the whole. */
typedef void (*export_progress_fn)(void *arg, size_t done, size_t total);

/* What an export wrote. */
struct export_counts {
	size_t		 posts;		/* posts and pages, drafts included */
	size_t		 comments;
	size_t		 files;		/* static: files written (no .gz/.br) */
	size_t		 bytes;		/* static: their bytes, uncompressed */
	size_t		 skipped;	/* static: URLs with no file name */
	size_t		 removed;	/* static: files of an earlier export
					   that are gone from the site */
};

/*
 * Writes every post, page and draft with its labels and comments (all
 * statuses) as a WordPress WXR 1.2 file at path ("-": standard output),
 * labels as categories, the site as the one author.  The file appears
 * whole or not at all (written beside path, then renamed).  Returns 0
 * and fills *counts, or -1 with the reason in err.
 */
int	 export_wxr(struct store *, const struct conf *, const char *path,
	    export_progress_fn, void *arg, struct export_counts *counts,
	    char *err, size_t errlen);

/*
 * The same as a Blogger export (the newer Atom form, with blogger:type,
 * blogger:status, blogger:filename, blogger:parent and
 * blogger:inReplyTo), which import_blogger_file() reads back.  Blogger
 * keeps no moderation state, so only approved comments go in.
 */
int	 export_atom(struct store *, const struct conf *, const char *path,
	    export_progress_fn, void *arg, struct export_counts *counts,
	    char *err, size_t errlen);

/*
 * Writes the public site into the folder out (created when missing):
 * every list page, post, page, archive, label page, feed (Atom, RSS,
 * JSON Feed, label and comment feeds), the sitemap, robots.txt, the
 * theme's assets and a 404 page, each beside a .gz and a .br copy.
 * Each file is written to a temporary name and renamed, so a reader of
 * out sees the old file or the new one, never half of one.  The names
 * written go to out/.gazette-export; files an earlier export listed
 * there and this one did not write are removed at the end, and only
 * those.  How URLs become file names: export_static_name().  Returns 0
 * and fills
 * *counts, or -1 with the file at fault in err.
 */
int	 export_static(struct site *, struct store *, const struct conf *,
	    const char *out, export_progress_fn, void *arg,
	    struct export_counts *counts, char *err, size_t errlen);

/*
 * The file, relative to the export folder, that holds the page at the
 * normalized path with the raw query string query ("" for none):
 *
 *	/, /2023/, /2023/09/	INDEX: "index.html", "2023/index.html"
 *	?page=N on a list	",page=N" before ".html": "index,page=2.html"
 *	/search/label/L		"search/label/L.html" (L decoded, %2F a /)
 *	/feeds/...		"... .atom", with ?alt=rss "... .rss"
 *	anything else		the path itself: "2023/09/x.html",
 *				"feed.json", "sitemap.xml", "static/style.css"
 *
 * Writes it into out[outlen] and returns 0; -1 when the URL has no
 * file (another query, a control character, or a segment that is
 * empty, "." or "..").
 */
int	 export_static_name(const char *path, const char *query, char *out,
	    size_t outlen);

#endif /* GAZETTE_EXPORT_H */
