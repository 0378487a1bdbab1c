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
 * Shared inside src/text only: each file keeps its ICU objects in a
 * cache private to the thread, and text_thread_cleanup() (date.c) drops
 * them all through these.
 */
#ifndef GAZETTE_TEXT_INT_H
#define GAZETTE_TEXT_INT_H

/* ---- slug.c ---- */

/* Closes this thread's transliterator, if it opened one. */
void	 slug_thread_cleanup(void);

#endif /* GAZETTE_TEXT_INT_H */
