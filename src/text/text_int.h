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
 * them all through these; and the pieces of the text pipeline that its
 * files share.
 */
#ifndef GAZETTE_TEXT_INT_H
#define GAZETTE_TEXT_INT_H

#include <stddef.h>

#include <unicode/uscript.h>

/* ---- slug.c ---- */

/* Closes this thread's transliterator, if it opened one. */
void	 slug_thread_cleanup(void);

/* ---- lang.c ---- */

/*
 * The primary subtag of lang ("pt" for "pt-BR" or "PT_br") in code,
 * lower case and NUL-padded, so tables compare it as four bytes.
 * Returns 0, or -1 (code all NUL) for NULL, "" or a subtag past three
 * letters.
 */
int	 lang_code(const char *lang, char code[4]);

/*
 * The script lang ("en", "pt-BR", ...) is written in: Latin unless the
 * code is known to be another's; USCRIPT_HAN for ja, zh and ko (Hangul).
 */
UScriptCode lang_script(const char *lang);

/* ---- stem.c ---- */

struct sb_stemmer;

/*
 * This thread's Snowball stemmer for lang ("en", "pt-BR", ...), opened
 * on first use; NULL when lang has none.  Borrowed: valid on this thread
 * until stem_thread_cleanup() or the thread's exit.
 */
struct sb_stemmer *stem_get(const char *lang);
/*
 * The stem of the folded word w[0..len) (UTF-8) by st (from stem_get on
 * this thread), and its length in *outlen.  Borrowed until the next
 * stem_run on this thread; w itself when libstemmer fails.
 */
const char *stem_run(struct sb_stemmer *st, const char *w, size_t len,
	    size_t *outlen);
/* Deletes this thread's stemmers and the stems it remembers. */
void	 stem_thread_cleanup(void);

/* ---- token.c ---- */

/* Closes this thread's break iterator and spoof checker, frees buffers. */
void	 token_thread_cleanup(void);

#endif /* GAZETTE_TEXT_INT_H */
