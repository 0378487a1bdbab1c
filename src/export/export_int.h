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
 * Shared inside src/export only: writing files so that they appear
 * whole or not at all, and the batches the exporters read posts in.
 */
#ifndef GAZETTE_EXPORT_INT_H
#define GAZETTE_EXPORT_INT_H

#include <stdio.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "store/store.h"

#define EXPORT_BATCH	200	/* posts read from the store at a time */
#define EXPORT_PATH_MAX	4096	/* bytes of a file name, with its folders */

/* ---- files.c ---- */

/* An output file on its way: a temporary name until it is committed. */
struct export_out {
	FILE		*fp;	/* write here */
	char		*path;	/* the final name (owned), NULL: stdout */
	char		*tmp;	/* the temporary name (owned) */
};

/*
 * Opens a temporary file beside path (or standard output for "-").
 * Returns 0, or -1 with the reason in err and *o zeroed.
 */
int	 export_out_open(struct export_out *o, const char *path, char *err,
	    size_t errlen);
/*
 * commit 1: flushes, syncs and renames the file into place (0 or -1
 * with err); commit 0: removes it.  Leaves *o zeroed either way.
 */
int	 export_out_close(struct export_out *o, int commit, char *err,
	    size_t errlen);

/*
 * Writes p[0..len) to the file rel below root, creating folders as
 * needed, atomically (temporary file, then rename), and with compress
 * also rel.gz (gzip) and rel.br (brotli) beside it.  0, or -1 with the
 * file at fault in err.
 */
int	 export_file_put(const char *root, const char *rel, const void *p,
	    size_t len, int compress, char *err, size_t errlen);

/* ---- manifest.c ---- */

/* The list of files a static export writes, kept in the folder. */
struct export_manifest {
	struct export_out o;	/* the new list, on its temporary name */
	struct timespec	 start;	/* files older than this are not ours */
	char		*dir;	/* the export folder (owned) */
};

/* Starts a new list in dir.  0, or -1 with err. */
int	 export_manifest_open(struct export_manifest *, const char *dir,
	    char *err, size_t errlen);
/* Adds a file name (relative to the folder).  0, or -1 on a write error. */
int	 export_manifest_add(struct export_manifest *, const char *name);
/*
 * commit 1: removes the files (and their .gz and .br) that the previous
 * list names and this export did not write, counting them in *nremoved,
 * then puts the new list in place (0, or -1 with err); commit 0: drops
 * the new list and removes nothing.
 */
int	 export_manifest_close(struct export_manifest *, int commit,
	    size_t *nremoved, char *err, size_t errlen);

/* ---- xml.c ---- */

/* An XML file being written, with a sticky error. */
struct export_xml {
	struct export_out o;
	xmlTextWriterPtr w;
	int		 bad;	/* 0 ok, 1 a write failed, 2 the store did */
};

/* Opens path ("-": stdout) and writes the XML declaration.  0 or -1. */
int	 export_xml_open(struct export_xml *, const char *path, char *err,
	    size_t errlen);
/*
 * commit 1: ends the document and puts the file in place (-1 with err
 * if any write failed); commit 0: throws it away.
 */
int	 export_xml_close(struct export_xml *, int commit, char *err,
	    size_t errlen);
/* Each is a no-op once a write failed. */
void	 export_xml_start(struct export_xml *, const char *name);
void	 export_xml_end(struct export_xml *);
void	 export_xml_attr(struct export_xml *, const char *name,
	    const char *value);
void	 export_xml_text(struct export_xml *, const char *text);
/* <name>text</name>, text escaped (NULL as ""). */
void	 export_xml_el(struct export_xml *, const char *name,
	    const char *text);
void	 export_xml_eln(struct export_xml *, const char *name, int64_t v);

/* ---- dates (files.c) ---- */

/* "2023-09-12T08:00:00Z" into out[outlen] (at least 21 bytes). */
void	 export_iso_utc(int64_t t, char *out, size_t outlen);

#endif /* GAZETTE_EXPORT_INT_H */
