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
#include <string.h>

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

void
import_add_label(struct arena *a, char ***labels, size_t *n, size_t *cap,
    const char *term)
{
	size_t	 i;

	if (term == NULL || *term == '\0' || *n >= LIMIT_LABELS ||
	    strlen(term) > LIMIT_LABEL)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*labels)[i], term) == 0)
			return;
	*labels = arena_grow(a, *labels, *n, cap, sizeof(**labels));
	(*labels)[(*n)++] = arena_strdup(a, term);
}
