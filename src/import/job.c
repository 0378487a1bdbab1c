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
 * What the export importers share about the file under way: its error
 * messages, which always name the file, and the store's reason when the
 * store failed.
 */
#include <stdarg.h>
#include <stdio.h>

#include "base.h"
#include "import.h"
#include "import_int.h"
#include "store/store.h"

int
import_fail(struct import_job *j, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(j->err, j->errlen, "%s: ", j->file);
	if (n < 0 || (size_t)n >= j->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(j->err + n, j->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int
import_store_fail(struct import_job *j, int line, const char *what,
    enum store_err err)
{
	const char	*msg = store_errmsg(j->st);

	return import_fail(j, "line %d: store: %s: %s%s%s%s", line, what,
	    store_strerror(err), *msg != '\0' ? " (" : "",
	    msg, *msg != '\0' ? ")" : "");
}
