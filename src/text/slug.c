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
 * Slugs: the last part of a post's URL, made from its title the way
 * Blogger makes it, so that a blog moved here keeps its links.  This file
 * owns one ICU transliterator per thread.  It does not make slugs unique
 * (the store's path key does) nor pick a fallback for titles without
 * letters (callers do).
 *
 * Google does not document Blogger's rule; we follow what its users
 * measured and published:
 *  - the title part of a post URL keeps at most 39 characters, whole
 *    words only: "Blogger: Generate A URL Before You Publish" (2012)
 *    at cwl.cc, 2012/05/bloggingger-generate-url-before-you-publish.html
 *    ("[post title up to 39 characters].html"), and "How Blogger
 *    Generates a Post URL" (2009) at www.bloggertothelimit.com,
 *    2009/09/how-blogger-generates-post-url.html ("Blogger has a 39
 *    character limit");
 *  - "a", "an" and "the" are left out inside a title but kept as its
 *    first word: "Post Editor Removes Unnecessary Words In URLs" (2016)
 *    at blogging.nitecruzr.net,
 *    2016/01/post-editor-removes-unnecessary-words.html, and "The The
 *    The The The" (2008) at isplotchy.blogspot.com, 2008/04/the-the.html
 *    ("Here Come The Birds" became here-come-birds.html);
 *  - punctuation is left out (same posts).
 * So "Pin and Kim: Friends in need (of ammunition)" (41 characters in
 * full) gives "pin-and-kim-friends-in-need-of".
 *
 * XXX Blogger names posts with non-Latin titles "blog-post_NN.html"; we
 * transliterate instead, which reads better and cannot collide.
 * XXX The 2008 post saw "The The The The The" become "the-the"; we give
 * "the".  No rule we could find explains Blogger's answer.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "base.h"
#include "text.h"
#include "text_int.h"

/*
 * NFKC first so fullwidth letters and ligatures read as plain ones;
 * Cyrillic by the BGN/PCGN Russian table, which spells "ж" "zh" and
 * "щ" "shch" where Any-Latin would leave diacritics for Latin-ASCII to
 * strip ("z", "s"); every other script by ICU's defaults.
 */
#define SLUG_RULES "NFKC; Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower"

/* Transliteration grows text (one Han character is a pinyin syllable). */
#define SLUG_GROWTH_MAX 64

static pthread_key_t	 slug_key;
static pthread_once_t	 slug_once = PTHREAD_ONCE_INIT;
static int		 slug_key_ok;	/* set once by slug_key_init */

/* Releases a thread's transliterator when the thread exits. */
static void
slug_trans_free(void *p)
{
	utrans_close(p);
}

static void
slug_key_init(void)
{
	slug_key_ok = pthread_key_create(&slug_key, slug_trans_free) == 0;
}

/*
 * This thread's transliterator, opened on first use: opening one parses
 * the rules and costs far more than a title, and ICU forbids sharing one
 * between threads.  NULL when ICU cannot open it.
 */
static UTransliterator *
slug_trans(void)
{
	UTransliterator	*t;
	UChar		 id[sizeof(SLUG_RULES)];
	UErrorCode	 e = U_ZERO_ERROR;

	pthread_once(&slug_once, slug_key_init);
	if (!slug_key_ok)
		return NULL;
	if ((t = pthread_getspecific(slug_key)) != NULL)
		return t;
	u_uastrcpy(id, SLUG_RULES);
	t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	if (U_FAILURE(e)) {
		log_warnx("slug: cannot open transliterator: %s",
		    u_errorName(e));
		return NULL;
	}
	if (pthread_setspecific(slug_key, t) != 0) {
		utrans_close(t);
		return NULL;
	}
	return t;
}

void
slug_thread_cleanup(void)
{
	UTransliterator	*t;

	pthread_once(&slug_once, slug_key_init);
	if (!slug_key_ok)
		return;
	if ((t = pthread_getspecific(slug_key)) != NULL) {
		pthread_setspecific(slug_key, NULL);
		utrans_close(t);
	}
}

/*
 * Transliterates s[0..len) and returns it as bytes, one per UTF-16 unit:
 * ASCII stays, anything else (a script ICU cannot romanize) becomes a
 * space.  Caller frees with free().  Without a transliterator the
 * title's own ASCII is all that is kept.
 */
static char *
slug_ascii(const char *s, size_t len, size_t *outlen)
{
	UTransliterator	*t;
	UChar		*u = NULL;
	char		*out;
	int32_t		 n, cap, ulen, lim, i;
	UErrorCode	 e = U_ZERO_ERROR;

	u_strFromUTF8WithSub(NULL, 0, &n, s, (int32_t)len, 0xfffd, NULL, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		n = 0;
	cap = n * 4 + 16;
	t = slug_trans();
	for (;;) {
		u = xreallocarray(u, (size_t)cap, sizeof(*u));
		e = U_ZERO_ERROR;
		u_strFromUTF8WithSub(u, cap, &ulen, s, (int32_t)len, 0xfffd,
		    NULL, &e);
		if (U_FAILURE(e)) {
			ulen = 0;
			break;
		}
		if (t == NULL)
			break;
		lim = ulen;
		utrans_transUChars(t, u, &ulen, cap, 0, &lim, &e);
		if (e != U_BUFFER_OVERFLOW_ERROR)
			break;
		if (cap >= n * SLUG_GROWTH_MAX + 16) {
			ulen = 0;	/* absurd growth: give up, slug "" */
			break;
		}
		cap *= 2;
	}
	if (U_FAILURE(e))
		ulen = 0;
	out = xmalloc((size_t)ulen + 1);
	for (i = 0; i < ulen; i++)
		out[i] = u[i] < 0x80 ? (char)u[i] : ' ';
	out[ulen] = '\0';
	free(u);
	*outlen = (size_t)ulen;
	return out;
}

/* 1 for the words Blogger leaves out of a title after its first word. */
static int
slug_is_dropped(const char *w, size_t len)
{
	return (len == 1 && w[0] == 'a') ||
	    (len == 2 && memcmp(w, "an", 2) == 0) ||
	    (len == 3 && memcmp(w, "the", 3) == 0);
}

char *
text_slug(struct arena *a, const char *title, size_t len)
{
	char	 slug[TEXT_SLUG_MAX + 1], word[TEXT_SLUG_MAX + 1];
	char	*s, c;
	size_t	 slen = 0, wlen, wfull, i, n, nwords = 0;

	if (title == NULL)
		return arena_strdup(a, "");
	if (len > LIMIT_TITLE) {
		len = LIMIT_TITLE;
		/* Do not cut a UTF-8 sequence in two. */
		while (len > 0 && ((unsigned char)title[len] & 0xc0) == 0x80)
			len--;
	}
	s = slug_ascii(title, len, &n);
	for (i = 0; i < n;) {
		/*
		 * A word: letters and digits, with apostrophes and quotes
		 * inside it dropped so "don't" and the BGN hard sign ("ob"yem")
		 * stay one word.  Only the first TEXT_SLUG_MAX bytes are
		 * kept, but wfull counts all of them.
		 */
		wlen = wfull = 0;
		for (; i < n; i++) {
			c = s[i];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c == '\'' || c == '"')
				continue;
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				break;
			if (wlen < TEXT_SLUG_MAX)
				word[wlen++] = c;
			wfull++;
		}
		i++;
		if (wfull == 0)
			continue;
		if (nwords++ > 0 && slug_is_dropped(word, wfull))
			continue;
		if (slen == 0) {
			memcpy(slug, word, wlen);
			slen = wlen;
			if (wfull > wlen)
				break;	/* one word past the limit: cut it */
		} else if (slen + 1 + wfull <= TEXT_SLUG_MAX) {
			slug[slen++] = '-';
			memcpy(slug + slen, word, wlen);
			slen += wlen;
		} else
			break;
	}
	free(s);
	return arena_strndup(a, slug, slen);
}
