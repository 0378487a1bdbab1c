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
 * Fuzz target: the site configuration file (conf_load, src/base/conf.c,
 * over inih).  base.h has no in-memory loader, so each input is written
 * to one memfd made once per process and loaded through its
 * /proc/self/fd path: no file in the tree, nothing left behind.  Every
 * input starts from conf_defaults() and ends with conf_clear(); a load
 * that works must leave every key within the limits gazette.conf(5)
 * gives, and one that fails must say why.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#include "fuzz.h"

static int	 conf_fd = -1;	/* the memfd, for the process's life */
static char	 conf_path[64];	/* "/proc/self/fd/N" */

/* 1 if s is a string the struct owns and may print. */
static int
is_str(const char *s)
{
	return s != NULL && str_is_utf8(s, strlen(s));
}

/* Checks a configuration conf_load accepted. */
static void
check_conf(const struct conf *c)
{
	FUZZ_CHECK(is_str(c->site_title) && c->site_title[0] != '\0' &&
	    strlen(c->site_title) <= LIMIT_TITLE);
	FUZZ_CHECK(is_str(c->site_url));
	FUZZ_CHECK(str_has_prefix(c->site_url, "http://") ||
	    str_has_prefix(c->site_url, "https://"));
	FUZZ_CHECK(c->site_url[strlen(c->site_url) - 1] != '/');
	FUZZ_CHECK(is_str(c->site_locale));
	FUZZ_CHECK(strcmp(c->site_locale, "en") == 0 ||
	    strcmp(c->site_locale, "es") == 0 ||
	    strcmp(c->site_locale, "ru") == 0 ||
	    strcmp(c->site_locale, "ko") == 0);
	FUZZ_CHECK(is_str(c->site_timezone) && c->site_timezone[0] != '\0');
	FUZZ_CHECK(is_str(c->server_listen));
	FUZZ_CHECK(is_str(c->store_db));
	FUZZ_CHECK(c->server_threads >= 1 &&
	    c->server_threads <= CONF_THREADS_MAX);
	FUZZ_CHECK(c->server_max_body >= 1 &&
	    c->server_max_body <= LIMIT_BODY);
	FUZZ_CHECK(c->server_timeout >= 1 &&
	    c->server_timeout <= LIMIT_TIMEOUT);
	FUZZ_CHECK(c->comments_moderation == CONF_MOD_NONE ||
	    c->comments_moderation == CONF_MOD_FIRST_TIME ||
	    c->comments_moderation == CONF_MOD_ALL);
	FUZZ_CHECK(c->comments_min_seconds >= 0);
	FUZZ_CHECK(c->comments_rate >= 0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((conf_fd = memfd_create("gazette-fuzz.conf", MFD_CLOEXEC)) == -1) {
		fprintf(stderr, "fuzz_conf: memfd_create: %s\n",
		    strerror(errno));
		abort();
	}
	snprintf(conf_path, sizeof(conf_path), "/proc/self/fd/%d", conf_fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	 c;
	char		 err[512];
	size_t		 off = 0;
	ssize_t		 n;

	if (conf_fd == -1)
		LLVMFuzzerInitialize(NULL, NULL);
	FUZZ_CHECK(ftruncate(conf_fd, 0) == 0);
	while (off < size) {
		n = pwrite(conf_fd, data + off, size - off, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		FUZZ_CHECK(n > 0);
		off += (size_t)n;
	}

	conf_defaults(&c);
	err[0] = '\0';
	if (conf_load(&c, conf_path, err, sizeof(err)) == 0)
		check_conf(&c);
	else {
		FUZZ_CHECK(err[0] != '\0');
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	}
	conf_clear(&c);
	return 0;
}
