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
 * The static export's list of the files it wrote, OUT/.gazette-export,
 * one name a line, so that the next export into OUT can remove the
 * pages that are gone (a deleted post, a label no post has any more)
 * and nothing else: files it never wrote are never touched.
 *
 * A file is gone when it is on the old list and this export did not
 * write it, which its modification time tells: every file this export
 * writes is a new file, made after the new list was opened, so its
 * time is at least the list's own.  The kernel stamps files with the
 * same coarse clock either way, so the comparison holds to the tick.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "export_int.h"

#define MANIFEST	".gazette-export"

/* 1 when name is a plain relative path that stays inside the folder. */
static int
name_ok(const char *name)
{
	const char	*seg;
	size_t		 n;

	if (*name == '\0' || *name == '/')
		return 0;
	for (seg = name; seg != NULL; seg = seg[n] == '/' ? seg + n + 1 :
	    NULL) {
		n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
	}
	return 1;
}

int
export_manifest_open(struct export_manifest *m, const char *dir, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*path;

	memset(m, 0, sizeof(*m));
	path = xasprintf("%s/%s", dir, MANIFEST);
	if (export_out_open(&m->o, path, err, errlen) == -1) {
		free(path);
		return -1;
	}
	free(path);
	if (fstat(fileno(m->o.fp), &st) == -1) {
		snprintf(err, errlen, "%s: %s", m->o.tmp, strerror(errno));
		export_out_close(&m->o, 0, err, errlen);
		return -1;
	}
	m->start = st.st_mtim;
	m->dir = xstrdup(dir);
	return 0;
}

int
export_manifest_add(struct export_manifest *m, const char *name)
{
	if (fprintf(m->o.fp, "%s\n", name) < 0)
		return -1;
	return 0;
}

/* 1 when the file at path was last written before the export began. */
static int
is_stale(const struct export_manifest *m, const char *path)
{
	struct stat	 st;

	if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	return st.st_mtim.tv_sec < m->start.tv_sec ||
	    (st.st_mtim.tv_sec == m->start.tv_sec &&
	    st.st_mtim.tv_nsec < m->start.tv_nsec);
}

/* Removes what the old list names and this export did not write. */
static void
prune(struct export_manifest *m, size_t *nremoved)
{
	static const char *const alt[] = { "", ".gz", ".br" };
	FILE		*fp;
	char		*line = NULL, *path, *old;
	size_t		 cap = 0, i;
	ssize_t		 n;

	old = xasprintf("%s/%s", m->dir, MANIFEST);
	fp = fopen(old, "r");
	free(old);
	if (fp == NULL)
		return;
	while ((n = getline(&line, &cap, fp)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (!name_ok(line))
			continue;
		path = xasprintf("%s/%s", m->dir, line);
		if (is_stale(m, path)) {
			for (i = 0; i < nitems(alt); i++) {
				free(path);
				path = xasprintf("%s/%s%s", m->dir, line,
				    alt[i]);
				if (is_stale(m, path) && unlink(path) == 0 &&
				    i == 0)
					(*nremoved)++;
			}
		}
		free(path);
	}
	free(line);
	fclose(fp);
}

int
export_manifest_close(struct export_manifest *m, int commit,
    size_t *nremoved, char *err, size_t errlen)
{
	int	 rc;

	*nremoved = 0;
	if (commit)
		prune(m, nremoved);
	rc = export_out_close(&m->o, commit, err, errlen);
	free(m->dir);
	memset(m, 0, sizeof(*m));
	return rc;
}
