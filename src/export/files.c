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
 * Writing export files so that a reader (nginx, an rsync, WordPress's
 * importer) never sees half of one: every file goes to a temporary name
 * in its final folder and is renamed over the old one when complete.
 * Also the gzip and brotli copies a static host serves to clients that
 * take them.  Does not decide what goes in a file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <brotli/encode.h>
#include <zlib.h>

#include "base.h"
#include "export_int.h"

/*
 * Compression effort.  The copies are made once and served many times,
 * so gzip gets its best; brotli past 5 costs several times the CPU
 * (profiled: quality 9 was most of an export's user time) for a few
 * per cent on pages this size.
 */
#define GZIP_LEVEL	9
#define BROTLI_QUALITY	5

void
export_iso_utc(int64_t t, char *out, size_t outlen)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Creates every folder of path's parent under it (mkdir -p). */
static int
make_parents(char *path)
{
	char	*p;

	for (p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Writes all of p[0..len) to fd; 0 or -1 (errno set). */
static int
write_all(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, c, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes p[0..len) to path through a temporary file and a rename. */
static int
put_atomic(const char *path, const void *p, size_t len, char *err,
    size_t errlen)
{
	char	 tmp[EXPORT_PATH_MAX];
	int	 fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    sizeof(tmp)) {
		snprintf(err, errlen, "%s: name too long", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Readable by the web server, as a file made with umask 022. */
	if (fchmod(fd, 0644) == -1 || write_all(fd, p, len) == -1 ||
	    close(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* gzip (RFC 1952) of p[0..len) into out; 0 or -1. */
static int
gzip_buf(const void *p, size_t len, struct buf *out)
{
	z_stream	 z;
	uLong		 bound;
	int		 rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len) + 32;
	buf_reset(out);
	buf_grow(out, bound);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->p;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* brotli of p[0..len) into out; 0 or -1. */
static int
brotli_buf(const void *p, size_t len, struct buf *out)
{
	size_t	 n;

	n = BrotliEncoderMaxCompressedSize(len);
	if (n == 0)
		n = len + 1024;
	buf_reset(out);
	buf_grow(out, n);
	if (!BrotliEncoderCompress(BROTLI_QUALITY, BROTLI_DEFAULT_WINDOW,
	    BROTLI_MODE_TEXT, len, p, &n, (uint8_t *)out->p))
		return -1;
	out->len = n;
	return 0;
}

int
export_file_put(const char *root, const char *rel, const void *p,
    size_t len, int compress, char *err, size_t errlen)
{
	struct buf	 z = BUF_INIT;
	char		 path[EXPORT_PATH_MAX], alt[EXPORT_PATH_MAX + 8];
	int		 rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >=
	    sizeof(path) - 4) {
		snprintf(err, errlen, "%s/%s: name too long", root, rel);
		return -1;
	}
	if (make_parents(path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (put_atomic(path, p, len, err, errlen) == -1)
		return -1;
	if (!compress)
		return 0;
	snprintf(alt, sizeof(alt), "%s.gz", path);
	if (gzip_buf(p, len, &z) == -1) {
		snprintf(err, errlen, "%s: gzip failed", alt);
		goto out;
	}
	if (put_atomic(alt, z.p, z.len, err, errlen) == -1)
		goto out;
	snprintf(alt, sizeof(alt), "%s.br", path);
	if (brotli_buf(p, len, &z) == -1) {
		snprintf(err, errlen, "%s: brotli failed", alt);
		goto out;
	}
	if (put_atomic(alt, z.p, z.len, err, errlen) == -1)
		goto out;
	rc = 0;
out:
	buf_clear(&z);
	return rc;
}

int
export_out_open(struct export_out *o, const char *path, char *err,
    size_t errlen)
{
	int	 fd;

	memset(o, 0, sizeof(*o));
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(o->tmp)) == -1 || fchmod(fd, 0644) == -1 ||
	    (o->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->path);
		free(o->tmp);
		memset(o, 0, sizeof(*o));
		return -1;
	}
	return 0;
}

int
export_out_close(struct export_out *o, int commit, char *err,
    size_t errlen)
{
	int	 rc = 0;

	if (o->fp == NULL)
		return 0;
	if (o->path == NULL) {
		/* Standard output: nothing to rename, but say if it failed. */
		if (fflush(o->fp) == EOF || ferror(o->fp)) {
			snprintf(err, errlen, "standard output: %s",
			    strerror(errno));
			rc = -1;
		}
		memset(o, 0, sizeof(*o));
		return commit ? rc : 0;
	}
	if (commit && (fflush(o->fp) == EOF || ferror(o->fp) ||
	    fsync(fileno(o->fp)) == -1)) {
		snprintf(err, errlen, "%s: %s", o->path, strerror(errno));
		commit = 0;
		rc = -1;
	}
	if (fclose(o->fp) == EOF && commit) {
		snprintf(err, errlen, "%s: %s", o->path, strerror(errno));
		commit = 0;
		rc = -1;
	}
	if (commit && rename(o->tmp, o->path) == -1) {
		snprintf(err, errlen, "%s: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (!commit || rc == -1)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return rc;
}
