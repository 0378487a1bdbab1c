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
 * import: bringing posts in from files.  Today the seed text format
 * (DESIGN.md, "Seed text format"); Blogger and WordPress exports later.
 * Each file is read whole, checked, then written in one transaction:
 * either all of it lands or none.
 *
 * Errors: 0 / -1 with "FILE:LINE: why" in the caller's err buffer.
 * Threads: one import at a time per store writer.
 */
#ifndef GAZETTE_IMPORT_H
#define GAZETTE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;

struct import_opts {
	const char	*locale;	/* site locale, for dates: "es" */
	const char	*timezone;	/* site time zone, for dates: "UTC" */
};

/* One comment found in a seed page's comments section. */
struct seed_comment {
	char		*name;		/* author */
	char		*body;		/* plain text, "\n\n" between paras */
	int64_t		 created;	/* 0 when the block gave no date */
	int		 parent;	/* index+1 of the comment it answers */
};

/* A seed text file, parsed. */
struct seed_doc {
	int64_t		 published;	/* 00:00 of the date line, site zone */
	char		*title;
	char		**paras;	/* body paragraphs, byte-exact */
	size_t		 nparas;
	char		**labels;
	size_t		 nlabels;
	struct seed_comment *comments;
	size_t		 ncomments;
	char		*ui_lang;	/* language of the page chrome, or "" */
	char		*lang;		/* guessed from the text: en es ru ko */
};

/*
 * Parses a seed text file held in buf[0..len) into doc (arena-owned).
 * name is the file name used in messages.  Returns 0, or -1 with
 * "NAME:LINE: why" in err and doc zeroed.  The format, comment blocks
 * included, is described at the top of seed.c (and in gazette(1)).
 */
int	 import_seed_parse(const char *name, const char *buf, size_t len,
	    const struct import_opts *, struct arena *, struct seed_doc *doc,
	    char *err, size_t errlen);

/*
 * The URL path of a parsed seed post: "/YYYY/MM/SLUG.html" with the year
 * and month of doc->published in opts->timezone and the slug from the
 * title (text_slug(), or "post" when the title gives none), as Blogger
 * names posts.  Returns an arena string, or NULL for an unknown zone.
 */
char	*import_seed_path(struct arena *, const struct import_opts *,
	    const struct seed_doc *doc);

struct import_result {
	int		 created;	/* 1: new post, 0: updated */
	char		 path[256];	/* the post's URL path */
	char		 ui_lang[16];	/* the chrome's language, or "" */
	size_t		 ncomments;	/* comments found in the file */
	size_t		 nlabels;
};

/*
 * Reads, parses and stores one seed text file: the post (slug from the
 * title, path /YYYY/MM/SLUG.html in the site zone, paragraphs as HTML),
 * its labels and its comments, in one transaction.  Re-importing the
 * same file updates the post and adds no duplicate comments.  Returns 0
 * and fills *res, or -1 with the file (and line) at fault in err and
 * nothing written.
 */
int	 import_seed_file(struct store *, const struct import_opts *,
	    const char *file, struct import_result *res, char *err,
	    size_t errlen);

/* What an export importer (Blogger, WordPress) stored from one file. */
struct import_counts {
	size_t		 posts;		/* published posts, future ones too */
	size_t		 pages;		/* published pages */
	size_t		 drafts;	/* posts and pages kept as drafts */
	size_t		 comments;	/* comments written or already there */
	size_t		 skipped;	/* entries left out (told on stderr) */
};

/*
 * The local name of file's root element ("feed" for Blogger's Atom,
 * "rss" for WordPress's WXR) into out (xml.c).  Returns 0, or -1 when
 * the file cannot be read or parsed that far (the importer then tells
 * why, by line).
 */
int	 import_xml_root(const char *file, char *out, size_t outlen);

/*
 * Imports a Blogger Atom export (blogger.c: both the older and the 2019
 * format), streamed so memory does not follow the file's size.  Posts
 * keep their /YYYY/MM/SLUG.html path, pages go to /p/SLUG.html, content
 * is sanitized HTML, comments keep their threads and go in with
 * store_comment_put(), so a re-import updates posts and adds no
 * duplicates.  Skipped entries are told on stderr as "FILE:LINE:
 * skipped ID: why" (templates and settings silently).  One transaction:
 * returns 0 and fills *res, or -1 with "FILE: ..." or "FILE:LINE: ..."
 * in err and nothing written.
 */
int	 import_blogger_file(struct store *, const struct import_opts *,
	    const char *file, struct import_counts *res, char *err,
	    size_t errlen);


/*
 * Imports a WordPress WXR 1.2 export (wxr.c), streamed one <item> at a
 * time.  Posts go to /YYYY/MM/SLUG.html (publish date in the site
 * zone), pages to /p/SLUG.html; categories and tags become labels;
 * content is sanitized HTML, bare-newline content getting paragraphs;
 * comments keep their threads and go in with store_comment_put(), so a
 * re-import adds no duplicates.  Skipped items and comments are told on
 * stderr as "FILE:LINE: skipped WHAT ID: why".  One transaction: returns
 * 0 and fills *res, or -1 with "FILE: ..." or "FILE:LINE: ..." in err
 * and nothing written.
 */
int	 import_wxr_file(struct store *, const struct import_opts *,
	    const char *file, struct import_counts *res, char *err,
	    size_t errlen);

#endif /* GAZETTE_IMPORT_H */
