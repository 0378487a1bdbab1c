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
 * Logging to stderr, one line a message, prefixed with the program name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

int	 log_verbose;

static void __attribute__((format(printf, 2, 0)))
vlog(const char *errstr, const char *fmt, va_list ap)
{
	char	 msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errstr != NULL)
		fprintf(stderr, "gazette: %s: %s\n", msg, errstr);
	else
		fprintf(stderr, "gazette: %s\n", msg);
}

void
log_warn(const char *fmt, ...)
{
	const char	*errstr = strerror(errno);
	va_list		 ap;

	va_start(ap, fmt);
	vlog(errstr, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}
