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
 * Shared inside src/http only.
 */
#ifndef GAZETTE_HTTP_INT_H
#define GAZETTE_HTTP_INT_H

/* ---- form.c ---- */

/* The value of hex digit c, or -1. */
int	 http_hexval(char c);

#endif /* GAZETTE_HTTP_INT_H */
