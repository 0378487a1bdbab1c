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
 * base: what every other directory leans on.  Allocation that aborts on
 * exhaustion, a growable byte buffer, a bump arena for request- and
 * command-scoped memory, logging, UTF-8 and number checks, the injectable
 * clock, files compiled into the binary, and the site configuration.
 *
 * Errors: functions that can fail return 0 on success and -1 on failure,
 * or NULL for pointer results.  The x* allocators never fail: they log and
 * abort().  Everything here may be called from any thread unless its
 * contract says otherwise.
 */
#ifndef GAZETTE_BASE_H
#define GAZETTE_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "limits.h"

#define GAZETTE_VERSION "0.1.0"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* ---- alloc.c ---- */

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* ---- buf.c ---- */

/*
 * A growable byte string, always NUL-terminated after len bytes so that
 * b.p can be handed to C string functions.  Caller-owned struct: start
 * with BUF_INIT or buf_init(), release with buf_clear().
 */
struct buf {
	char	*p;	/* owned; NULL until the first append */
	size_t	 len;	/* bytes used, not counting the NUL */
	size_t	 cap;	/* bytes allocated */
};
#define BUF_INIT { NULL, 0, 0 }

void	 buf_init(struct buf *);
void	 buf_clear(struct buf *);	/* frees; leaves a zeroed struct */
void	 buf_reset(struct buf *);	/* len = 0, keeps the memory */
void	 buf_grow(struct buf *, size_t);	/* room for n more bytes */
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vaddf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Hands the bytes to the caller (free with free()); leaves b empty. */
char	*buf_release(struct buf *);

/* ---- arena.c ---- */

/*
 * A bump allocator: many small allocations, one release.  Used for
 * everything a request or a command reads from the store or builds for a
 * page.  Not thread-safe: one arena per request or per thread.
 */
struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);	/* NULL is a no-op */
/* Frees all but the first block; the arena is empty again. */
void		 arena_reset(struct arena *);
void		*arena_alloc(struct arena *, size_t);	/* zeroed, aligned */
void		*arena_allocarray(struct arena *, size_t, size_t);
/*
 * For arrays that grow one element at a time: returns v unchanged while
 * n < *cap, else a copy of v's n elements in a new array of twice the
 * room (*cap updated).  The old array stays in the arena until it goes.
 */
void		*arena_grow(struct arena *, void *v, size_t n, size_t *cap,
		    size_t size);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* ---- log.c ---- */

/*
 * Logging to stderr.  log_warn appends strerror(errno); log_warnx does
 * not.  log_debug prints only when log_verbose is set.
 */
extern int	 log_verbose;
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

/* ---- str.c ---- */

/*
 * Returns 1 if s[0..len) is valid UTF-8 with no NUL and no C0 control
 * other than tab, LF and CR, else 0.  When it returns 0 and badoff is not
 * NULL, *badoff is the byte offset of the first bad byte.
 */
int	 str_is_text(const char *, size_t, size_t *badoff);
/* Returns 1 if s[0..len) is valid UTF-8 (any code point but NUL). */
int	 str_is_utf8(const char *, size_t);
/* Number of code points in valid UTF-8 s[0..len). */
size_t	 str_utf8_count(const char *, size_t);
/*
 * Parses a decimal integer within [min, max] from the whole of s.
 * Returns 0 and sets *out, or -1 (and *out = 0) when s is empty, not a
 * number, has trailing bytes, or is out of range.
 */
int	 str_to_i64(const char *, int64_t min, int64_t max, int64_t *out);
/* Copies with truncation check: 0 when it fit, -1 when it was cut. */
int	 str_copy(char *dst, const char *src, size_t dstlen);
/* Removes leading and trailing ASCII whitespace in place; returns s. */
char	*str_trim(char *);
/* 1 if s starts with prefix. */
int	 str_has_prefix(const char *, const char *);
/* Lower-cases ASCII letters in place. */
void	 str_ascii_lower(char *);

/* ---- clock.c ---- */

/*
 * The time as the program sees it: the real clock, unless a fixed one was
 * set (tests) with clock_set_fixed() or the GAZETTE_NOW environment
 * variable (seconds since the epoch), read once at start.
 */
int64_t	 clock_now(void);
void	 clock_set_fixed(int64_t);	/* 0 returns to the real clock */

/* ---- embedded files (generated: build/embedded.c) ---- */

/*
 * Files compiled into the binary: the default theme and the schema
 * migrations.  Names are paths below the embedding root, such as
 * "theme/post.mustache" or "schema/sqlite/001-init.sql".
 */
struct embedded_file {
	const char		*name;	/* relative path */
	const unsigned char	*data;	/* NUL-terminated, static */
	size_t			 len;	/* bytes, not counting the NUL */
};
extern const struct embedded_file	 embedded_files[];
extern const size_t			 embedded_nfiles;
/* The file named name, or NULL.  Names are sorted by the generator. */
const struct embedded_file *embedded_find(const char *name);

/* ---- conf.c ---- */

enum conf_moderation {
	CONF_MOD_NONE = 0,	/* publish what passes the checks */
	CONF_MOD_FIRST_TIME,	/* hold unless name+email had one approved */
	CONF_MOD_ALL,		/* hold every comment */
	CONF_MOD_LINKS,		/* hold a comment with more than max_links */
};

/*
 * The site configuration, from DIR/gazette.conf.  Every key has a
 * default (conf_defaults()); strings are owned by the struct and released
 * by conf_clear().
 */
struct conf {
	char	*site_title;	/* [site] title */
	char	*site_url;	/* [site] url, no trailing slash */
	char	*site_locale;	/* [site] locale: en, es, ru, ko */
	char	*site_timezone;	/* [site] timezone: an IANA name */
	char	*server_listen;	/* [server] listen: ADDR:PORT */
	int	 server_threads;	/* [server] threads, 1..THREADS_MAX */
	char	*store_db;	/* [store] db: sqlite:PATH or postgres://... */
	enum conf_moderation comments_moderation; /* [comments] moderation */
	int	 comments_min_seconds;	/* [comments] min_seconds: time trap */
	int	 comments_rate;	/* [comments] rate: per minute per address */
	int	 comments_depth;	/* [comments] depth: nesting, 1..16 */
	int	 comments_max_links;	/* [comments] max_links: 0..100 */
	double	 spam_hold;	/* [spam] hold: score that holds, 0..1 */
	double	 spam_reject;	/* [spam] reject: score that files as spam */
	char	*spam_blocklist;	/* [spam] blocklist: comma-separated */
	size_t	 server_max_body;	/* [server] max_body, <= LIMIT_BODY */
	int	 server_timeout;	/* [server] timeout, seconds */
	size_t	 cache_size;	/* [cache] size: page cache bytes, 0 off */
	char	*server_access_log;	/* [server] access_log: PATH, "-"
					   (stderr) or "off" */
	int	 server_connections;	/* [server] connections, in all */
	int	 server_per_address;	/* [server] per_address, 0 = off */
	char	*server_user;	/* [server] user to drop to, or NULL */
	int	 server_sandbox;	/* [server] sandbox: 1 on, 0 off */
};

void	 conf_defaults(struct conf *);
void	 conf_clear(struct conf *);
/*
 * Reads path into c (which must hold defaults or an earlier read).
 * Returns 0, or -1 with a message "FILE:LINE: why" in err.  A missing
 * file is an error; the caller decides whether that matters.
 */
int	 conf_load(struct conf *, const char *path, char *err, size_t errlen);
/*
 * Sets one key, as if read from the file at line 0 (used for command
 * line overrides such as --db).  Same errors as conf_load.
 */
int	 conf_set(struct conf *, const char *section, const char *key,
	    const char *value, char *err, size_t errlen);
/*
 * Parses a byte size: digits with an optional K, M or G (powers of
 * 1024) into *out, at most max.  Returns 0, or -1 (*out 0).
 */
int	 conf_size_parse(const char *, uint64_t max, uint64_t *out);
/* Names a moderation mode, for messages. */
const char *conf_moderation_name(enum conf_moderation);

/* ---- privdrop.c ---- */

/*
 * Gives up root for good: becomes user (its group alone, no other
 * groups) and checks that setuid(0) now fails and that dir (when not
 * NULL) is writable.  user NULL: nothing to do (a warning when running
 * as root).  Not root: nothing to give up, returns 0.  Returns -1 with a
 * message in err when the user is unknown or root, or any step fails;
 * the caller must then stop.  May be called with threads running: the
 * C library changes the ids of every thread.
 */
int	 priv_drop(const char *user, const char *dir, char *err,
	    size_t errlen);

/* ---- sandbox.c ---- */

/*
 * Installs the serving seccomp filter on every thread of the process
 * (Linux): the system calls serving needs, plus socket and connect when
 * allow_net (a networked store); EPERM for anything else, and death for
 * execve, ptrace and the like.  Irreversible.  Does nothing (and logs
 * it) in an AddressSanitizer build or under valgrind.  Returns 0, or -1
 * with a message in err.
 */
int	 sandbox_enter(int allow_net, char *err, size_t errlen);

#endif /* GAZETTE_BASE_H */
