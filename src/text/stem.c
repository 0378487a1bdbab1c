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
 * Snowball stemming (libstemmer) for the text pipeline: which of our
 * language codes have a stemmer, and this thread's stemmer for one.  A
 * stemmer keeps its work buffer inside, so one object must never be used
 * by two threads at once: each thread opens its own, one per language,
 * on first use, and keeps it until it exits or calls
 * text_thread_cleanup().  There is at most one per Snowball language, so
 * the cache needs no eviction, and a stemmer handed out stays valid for
 * the whole of a walk even when a callback tokenizes in another language.
 *
 * Not here: deciding the language (lang.c) or what a word is (token.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "base.h"
#include "text.h"
#include "text_int.h"

/* Our language codes (ISO 639-1 where there is one) to Snowball's names. */
static const struct stem_lang {
	char		 code[4];	/* primary subtag, as lang_code */
	const char	*name;	/* libstemmer algorithm */
} stem_langs[] = {
	{"ar", "arabic"},
	{"ca", "catalan"},
	{"da", "danish"},
	{"de", "german"},
	{"el", "greek"},
	{"en", "english"},
	{"es", "spanish"},
	{"eu", "basque"},
	{"fi", "finnish"},
	{"fr", "french"},
	{"ga", "irish"},
	{"hi", "hindi"},
	{"hu", "hungarian"},
	{"hy", "armenian"},
	{"id", "indonesian"},
	{"it", "italian"},
	{"lt", "lithuanian"},
	{"nb", "norwegian"},
	{"ne", "nepali"},
	{"nl", "dutch"},
	{"nn", "norwegian"},
	{"no", "norwegian"},
	{"pt", "portuguese"},
	{"ro", "romanian"},
	{"ru", "russian"},
	{"sr", "serbian"},
	{"sv", "swedish"},
	{"ta", "tamil"},
	{"tr", "turkish"},
	{"yi", "yiddish"},
};

#define STEM_NLANG	nitems(stem_langs)

/*
 * Snowball takes 100-300 ns a word, as much as the rest of the pipeline,
 * while text repeats its words (Zipf): a thread remembers its recent
 * stems in a direct-mapped table, 64 bytes an entry.  2048 entries took
 * the whole pipeline from 21 to 32 MB/s on varied English text and from
 * 28 to 36 MB/s on Russian; twice as many gained 6% more.
 */
#define STEM_MEMO_N	2048	/* entries; a power of two */
#define STEM_MEMO_LEN	27	/* bytes of a word or stem remembered */

struct stem_memo {
	const struct sb_stemmer	*st;	/* NULL: empty */
	unsigned char		 wlen, slen;	/* bytes */
	char			 w[STEM_MEMO_LEN];	/* the word */
	char			 s[STEM_MEMO_LEN];	/* its stem */
};

/* One per thread, behind stem_key. */
struct stem_cache {
	/* By index in stem_langs. */
	struct sb_stemmer	*st[STEM_NLANG];	/* owned; NULL: none */
	unsigned char		 failed[STEM_NLANG];	/* 1: cannot open */
	struct stem_memo	 memo[STEM_MEMO_N];
};

static pthread_key_t	 stem_key;
static pthread_once_t	 stem_once = PTHREAD_ONCE_INIT;
static int		 stem_key_ok;	/* set once by stem_key_init */

/* Deletes a thread's stemmers; the pthread key's destructor. */
static void
stem_cache_free(void *p)
{
	struct stem_cache	*c = p;
	size_t			 i;

	if (c == NULL)
		return;
	for (i = 0; i < STEM_NLANG; i++)
		sb_stemmer_delete(c->st[i]);
	free(c);
}

static void
stem_key_init(void)
{
	stem_key_ok = pthread_key_create(&stem_key, stem_cache_free) == 0;
}

/*
 * The index in stem_langs of lang's primary subtag ("pt" for "pt-BR" or
 * "pt_BR", any case), or -1.
 */
static int
stem_lang_index(const char *lang)
{
	char	 code[4];
	size_t	 i;

	if (lang_code(lang, code) == -1)
		return -1;
	for (i = 0; i < STEM_NLANG; i++)
		if (memcmp(stem_langs[i].code, code, sizeof(code)) == 0)
			return (int)i;
	return -1;
}

int
text_lang_has_stemmer(const char *lang)
{
	const char	**l;
	int		  i;

	if ((i = stem_lang_index(lang)) == -1)
		return 0;
	/* The build's libstemmer may lack an algorithm: ask it. */
	for (l = sb_stemmer_list(); *l != NULL; l++)
		if (strcmp(*l, stem_langs[i].name) == 0)
			return 1;
	return 0;
}

struct sb_stemmer *
stem_get(const char *lang)
{
	struct stem_cache	*c;
	int			 i;

	if ((i = stem_lang_index(lang)) == -1)
		return NULL;
	pthread_once(&stem_once, stem_key_init);
	if (!stem_key_ok)
		return NULL;
	if ((c = pthread_getspecific(stem_key)) == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(stem_key, c) != 0) {
			free(c);
			return NULL;
		}
	}
	if (c->st[i] == NULL && !c->failed[i]) {
		c->st[i] = sb_stemmer_new(stem_langs[i].name, "UTF_8");
		if (c->st[i] == NULL) {
			/* Once is enough: the answer will not change. */
			log_warnx("stem: no Snowball stemmer \"%s\"",
			    stem_langs[i].name);
			c->failed[i] = 1;
		}
	}
	return c->st[i];
}

const char *
stem_run(struct sb_stemmer *st, const char *w, size_t len, size_t *outlen)
{
	struct stem_cache	*c;
	struct stem_memo	*m = NULL;
	const sb_symbol		*p;
	uint32_t		 h = 2166136261u;	/* FNV-1a */
	size_t			 i;

	*outlen = len;
	if (len > INT32_MAX)
		return w;
	if (len <= STEM_MEMO_LEN &&
	    (c = pthread_getspecific(stem_key)) != NULL) {
		for (i = 0; i < len; i++)
			h = (h ^ (unsigned char)w[i]) * 16777619u;
		h ^= (uint32_t)((uintptr_t)st >> 4);
		m = &c->memo[h & (STEM_MEMO_N - 1)];
		if (m->st == st && m->wlen == len &&
		    memcmp(m->w, w, len) == 0) {
			*outlen = m->slen;
			return m->s;
		}
	}
	p = sb_stemmer_stem(st, (const sb_symbol *)w, (int)len);
	if (p == NULL)
		return w;	/* out of memory inside libstemmer: unstemmed */
	*outlen = (size_t)sb_stemmer_length(st);
	if (m != NULL && *outlen <= STEM_MEMO_LEN) {
		m->st = st;
		m->wlen = (unsigned char)len;
		m->slen = (unsigned char)*outlen;
		memcpy(m->w, w, len);
		memcpy(m->s, p, *outlen);
	}
	return (const char *)p;
}

void
stem_thread_cleanup(void)
{
	pthread_once(&stem_once, stem_key_init);
	if (!stem_key_ok)
		return;
	stem_cache_free(pthread_getspecific(stem_key));
	pthread_setspecific(stem_key, NULL);
}
