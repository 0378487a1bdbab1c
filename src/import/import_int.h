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
 * Helpers shared by the importers in src/import/; not for other
 * directories, which include import.h only.
 */
#ifndef GAZETTE_IMPORT_INT_H
#define GAZETTE_IMPORT_INT_H

#include <libxml/xmlreader.h>

#define IMPORT_XMLERR	256	/* bytes kept of the parser's first error */

#include "store/store.h"

struct arena;
struct import_counts;
struct import_opts;

/* ---- job.c ---- */

/* What every export importer carries through one file. */
struct import_job {
	struct store		 *st;
	const struct import_opts *opts;
	const char		 *file;	/* for messages */
	struct import_counts	 *res;	/* what was stored */
	char			 *err;	/* the caller's message buffer */
	size_t			  errlen;
	char			  xmlerr[IMPORT_XMLERR]; /* first parse error */
};

/* Puts "FILE: " and the message in j->err; returns -1. */
int	 import_fail(struct import_job *j, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "FILE: line N: store: what: why (engine message)"; returns -1. */
int	 import_store_fail(struct import_job *j, int line, const char *what,
	    enum store_err err);
/*
 * Adds label term to a post's labels[0..*n) (capacity *cap, in arena a)
 * unless it is empty, too long, already there, or the post has
 * LIMIT_LABELS: exports carry labels as loosely as their authors typed.
 */
void	 import_add_label(struct arena *a, char ***labels, size_t *n,
	    size_t *cap, const char *term);

/* ---- xml.c ---- */

/*
 * A streaming reader on file with no network, no entity expansion and no
 * DTD loading, whose first error goes into xmlerr[IMPORT_XMLERR] (which
 * must outlive it).  NULL when the file cannot be opened.
 */
xmlTextReaderPtr import_xml_open(const char *file, char *xmlerr);
/* Attribute name of n (an arena copy), or NULL when it has none. */
char	*import_xml_prop(struct arena *, xmlNodePtr n, const char *name);
/* The text inside n, entities decoded (an arena copy; "" if none). */
char	*import_xml_text(struct arena *, xmlNodePtr n);
/* Puts "FILE:LINE: malformed XML: why" in err; returns -1. */
int	 import_xml_fail(char *err, size_t errlen, const char *file,
	    xmlTextReaderPtr, const char *xmlerr);

/* ---- html.c ---- */

/*
 * The HTML fragment s cut down to a small allowlist of elements (p, a,
 * em, strong, lists, headings, img, pre, code...) with only safe href,
 * src and alt attributes; script, style and the like go with their
 * text.  Returns an arena string ("" for empty input).
 */
char	*import_html_sanitize(struct arena *, const char *s);
/*
 * The HTML fragment s as plain text for a comment: <br> a newline, the
 * end of a <p> a blank line, trimmed.  Returns an arena string.
 */
char	*import_html_text(struct arena *, const char *s);

/* ---- idmap.c ---- */

/*
 * A map from an export's ids (strings) to store ids, on disk in an
 * unlinked temporary file: memory stays the same whatever its size.
 */
struct import_idmap;

/* NULL when no temporary file can be made (errno set). */
struct import_idmap *import_idmap_new(void);
void	 import_idmap_free(struct import_idmap *);	/* NULL: no-op */
/* Adds key or replaces its values.  0, or -1 on an I/O error. */
int	 import_idmap_put(struct import_idmap *, const char *key, int64_t id,
	    int64_t post_id, int is_comment);
/*
 * 1 and the values when key is there; 0 (outputs zeroed) when not; -1
 * on an I/O error.
 */
int	 import_idmap_get(struct import_idmap *, const char *key,
	    int64_t *id, int64_t *post_id, int *is_comment);

#endif /* GAZETTE_IMPORT_INT_H */
