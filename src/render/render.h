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
 * render: turning data into bytes for readers.  Mustache templates over
 * a small value tree (struct mval), Markdown to safe HTML (cmark-gfm),
 * HTML and URL escaping, and the UI message catalogs.  Never runs a
 * query: callers hand it everything it shows.
 *
 * Errors: 0 / -1 for plain success/failure, NULL for pointer results,
 * with a message in the caller's err buffer where one is taken.
 * Threads: everything here is safe to call from any thread; a parsed
 * template is read-only and may be shared.
 */
#ifndef GAZETTE_RENDER_H
#define GAZETTE_RENDER_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

/* ---- escape.c ---- */

/* Appends s[0..len) escaped for HTML text and attribute values. */
void	 render_escape_html(struct buf *, const char *s, size_t len);
/*
 * Appends s[0..len) percent-encoded for one URL path segment or query
 * value (RFC 3986 unreserved characters stay as they are).
 */
void	 render_escape_url(struct buf *, const char *s, size_t len);

/* ---- mval.c: the data a template sees ---- */

enum mval_type {
	MVAL_NULL = 0,	/* falsey, renders as "" */
	MVAL_BOOL,	/* b */
	MVAL_STR,	/* s, len: escaped by {{x}}, raw by {{{x}}} / {{&x}} */
	MVAL_LIST,	/* items */
	MVAL_MAP,	/* pairs */
};

struct mval_pair;
struct mval_item;

/*
 * A value.  All values and the strings they point to live in an arena
 * (or are static); nothing in a tree is freed on its own.
 */
struct mval {
	enum mval_type		 type;
	int			 b;	/* MVAL_BOOL */
	const char		*s;	/* MVAL_STR, borrowed */
	size_t			 len;	/* MVAL_STR bytes */
	struct mval_item	*items;	/* MVAL_LIST, first item */
	struct mval_item	*last;	/* MVAL_LIST, for appending */
	size_t			 n;	/* MVAL_LIST items */
	struct mval_pair	*pairs;	/* MVAL_MAP, newest first */
};

struct mval_item {
	struct mval		*v;
	struct mval_item	*next;
};

struct mval_pair {
	const char		*key;	/* borrowed */
	struct mval		*v;
	struct mval_pair	*next;
};

struct mval	*mval_map(struct arena *);
struct mval	*mval_list(struct arena *);
struct mval	*mval_bool(struct arena *, int);
/*
 * A string value; s is borrowed and must live as long as the arena.
 * A NULL s gives an MVAL_NULL value.
 */
struct mval	*mval_str(struct arena *, const char *s);
struct mval	*mval_strn(struct arena *, const char *s, size_t len);
/* Sets key (borrowed) in map to v; a later set of the same key wins. */
void		 mval_set(struct arena *, struct mval *map, const char *key,
		    struct mval *v);
/* Shorthands for mval_set with a string, an integer, or a boolean. */
void		 mval_set_str(struct arena *, struct mval *map,
		    const char *key, const char *s);
void		 mval_set_int(struct arena *, struct mval *map,
		    const char *key, int64_t);
void		 mval_set_bool(struct arena *, struct mval *map,
		    const char *key, int);
/* Appends v to list. */
void		 mval_push(struct arena *, struct mval *list, struct mval *v);
/* The value of key in map, or NULL. */
const struct mval *mval_get(const struct mval *map, const char *key);

/* ---- mustache.c ---- */

/*
 * A parsed template: variables ({{x}} escaped, {{{x}}} and {{&x}} raw),
 * dotted names, implicit iterator {{.}}, sections, inverted sections,
 * comments, partials ({{>name}}, with standalone indentation) and set
 * delimiters, as the Mustache spec says.  No lambdas.  Falsey values
 * are a missing name, MVAL_NULL, false and an empty list; an empty
 * string is truthy.  A boolean prints as "true" or "false"; a list or
 * a map prints nothing.
 */
struct tmpl;

/*
 * Parses src[0..len), which must be UTF-8 without NUL.  Returns the
 * template (it keeps its own copy of src), or NULL with "line N: why"
 * in err.  Free with render_tmpl_free().
 */
struct tmpl	*render_tmpl_parse(const char *src, size_t len, char *err,
		    size_t errlen);
void		 render_tmpl_free(struct tmpl *);	/* NULL is a no-op */

/*
 * Finds the partial called name[0..namelen); returns a template that
 * stays valid during the render, or NULL for an unknown partial (which
 * renders as nothing).
 */
typedef const struct tmpl *(*render_partial_fn)(void *arg, const char *name,
    size_t namelen);

/*
 * Renders t with ctx as the top of the context stack, appending to out.
 * partial may be NULL (no partials).  Returns 0, or -1 when sections and
 * partials nest deeper than LIMIT_TEMPLATE_DEPTH (out then holds the
 * output up to that point).
 */
int		 render_tmpl_run(const struct tmpl *t, const struct mval *ctx,
		    render_partial_fn partial, void *arg, struct buf *out);

/* ---- md.c ---- */

/*
 * Renders CommonMark with the GitHub table, strikethrough and autolink
 * extensions to HTML, appending to out.  Raw HTML in the source is
 * dropped and only http, https, mailto and relative links are kept.
 * Returns 0, or -1 when src is not valid UTF-8.
 */
int		 render_md(const char *src, size_t len, struct buf *out);

/* ---- i18n.c ---- */

/*
 * The UI text for key in locale ("en", "es", "ru", "ko"); falls back to
 * English for an unknown locale or a key a catalog lacks, and to the key
 * itself for an unknown key ("" for NULL).  Only the language part of
 * locale counts, in any case: "es-MX" and "es_ES.UTF-8" are "es".
 * Returns a static string (or key).
 */
const char	*render_msg(const char *locale, const char *key);
/* 1 when locale has a catalog. */
int		 render_locale_known(const char *locale);

/* ---- feed.c ---- */

/* One entry of a feed; every string is borrowed. */
struct render_feed_entry {
	const char	*id;	/* a stable URI: "tag:..." or the link */
	const char	*title;	/* plain text */
	const char	*link;	/* absolute URL */
	const char	*author;	/* plain text */
	const char	*content_html;	/* safe HTML (sanitized at save) */
	int64_t		 updated;	/* seconds since the epoch */
	int64_t		 published;	/* 0: not shown (Atom), updated (RSS) */
	char *const	*labels;	/* category names, or NULL */
	size_t		 nlabels;
};

struct render_feed {
	const char	*id;	/* stable URI of the feed */
	const char	*title;	/* plain text */
	const char	*link;	/* the page the feed follows */
	const char	*self;	/* the feed's own URL */
	const char	*lang;	/* xml:lang */
	const char	*description;	/* plain text; NULL: the title */
	int64_t		 updated;	/* newest change */
	const struct render_feed_entry *v;
	size_t		 n;
};

/* Appends f as an Atom 1.0 document (RFC 4287); all text escaped. */
void		 render_feed_atom(struct buf *, const struct render_feed *f);
/*
 * Appends f as an RSS 2.0 document: dates in RFC 822 form, content as
 * escaped HTML in each item's description, the id as a permalink guid.
 */
void		 render_feed_rss(struct buf *, const struct render_feed *f);
/* Appends f as a JSON Feed 1.1 document; 0, or -1 if it cannot encode. */
int		 render_feed_json(struct buf *, const struct render_feed *f);

#endif /* GAZETTE_RENDER_H */
