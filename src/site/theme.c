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
 * The theme: the built-in templates, each replaceable by a file of the
 * same name in the site's templates/ folder.  Parsed once at start; the
 * parsed templates are shared read-only by every thread.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site_int.h"

#define THEME_FILE_MAX	(1024 * 1024)	/* bytes in one template file */

static const char *const names[THEME__MAX] = {
	[THEME_LAYOUT] = "layout",
	[THEME_POST] = "post",
	[THEME_COMMENT] = "comment",
	[THEME_LIST] = "list",
	[THEME_ERROR] = "error",
	[THEME_HELD] = "held",
	[THEME_SEARCH] = "search",
};

/*
 * Reads DIR/templates/NAME.mustache into b.  Returns 1 when read, 0 when
 * there is no such file, -1 with err set on a read error.
 */
static int
read_override(const char *dir, const char *name, struct buf *b,
    char *path, size_t pathlen, char *err, size_t errlen)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	snprintf(path, pathlen, "%s/templates/%s.mustache", dir, name);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > THEME_FILE_MAX) {
			snprintf(err, errlen, "%s: larger than %d bytes", path,
			    THEME_FILE_MAX);
			fclose(f);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	if (!str_is_utf8(b->p == NULL ? "" : b->p, b->len)) {
		snprintf(err, errlen, "%s: not valid UTF-8", path);
		return -1;
	}
	return 1;
}

int
theme_load(struct site *s, const char *dir, char *err, size_t errlen)
{
	const struct embedded_file	*ef;
	struct buf			 b = BUF_INIT;
	char				 path[4096], why[256], name[64];
	size_t				 i;
	int				 rc;

	for (i = 0; i < THEME__MAX; i++) {
		buf_reset(&b);
		rc = read_override(dir, names[i], &b, path, sizeof(path),
		    err, errlen);
		if (rc == -1)
			break;
		if (rc == 0) {
			snprintf(name, sizeof(name), "theme/%s.mustache",
			    names[i]);
			snprintf(path, sizeof(path), "(built-in) %s", name);
			if ((ef = embedded_find(name)) == NULL) {
				snprintf(err, errlen, "%s: missing", path);
				break;
			}
			buf_add(&b, ef->data, ef->len);
		}
		s->tmpl[i] = render_tmpl_parse(b.p == NULL ? "" : b.p, b.len,
		    why, sizeof(why));
		if (s->tmpl[i] == NULL) {
			snprintf(err, errlen, "%s: %s", path, why);
			break;
		}
	}
	buf_clear(&b);
	return i == THEME__MAX ? 0 : -1;
}

void
theme_free(struct site *s)
{
	size_t	 i;

	for (i = 0; i < THEME__MAX; i++) {
		render_tmpl_free(s->tmpl[i]);
		s->tmpl[i] = NULL;
	}
}

const struct tmpl *
theme_partial(void *arg, const char *name, size_t len)
{
	struct site	*s = arg;
	size_t		 i;

	for (i = 0; i < THEME__MAX; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return s->tmpl[i];
	return NULL;
}
