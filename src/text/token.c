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
 * The tokenizer of the one text pipeline (text.h): ICU word breaks, NFKC
 * casefold, look-alike letters of a mixed-script word replaced by the
 * letters of the word's own script (UTS #39 skeletons), then Snowball
 * stems (stem.c).  It owns, per thread, a word break iterator, a spoof
 * checker and fixed buffers, so a walk allocates nothing and takes no
 * lock; the pthread key's destructor or text_thread_cleanup() releases
 * them.
 *
 * Input is read in chunks of at most TOKEN_CHUNK bytes, each cut after a
 * space where there is one, so memory stays fixed whatever the length;
 * offsets in the chunk are kept per UTF-16 unit so that token offsets are
 * exact bytes of the caller's UTF-8.
 *
 * Not here: what a caller does with the terms (indexing, keywords, spam
 * scores), stop words, and language detection (lang.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "base.h"
#include "text.h"
#include "text_int.h"

/*
 * Bytes of input segmented at a time.  At most 65535, as offsets inside
 * a chunk are 16-bit; 16 KiB keeps the per-thread buffers under 80 KiB
 * while a chunk still holds many paragraphs.
 */
#define TOKEN_CHUNK	16384
/*
 * UTF-16 units of one word that are folded and stemmed.  The term keeps
 * TEXT_TERM_MAX bytes anyway; this bounds the work on a "word" of a
 * thousand letters.
 */
#define TOKEN_WORD_MAX	256
#define TOKEN_FOLD_MAX	1024	/* UTF-16 units of a folded word */
#define TOKEN_SKEL_MAX	32	/* UTF-16 units of one letter's skeleton */
#define TOKEN_NSCRIPT	4	/* scripts counted inside one word */

/* One per thread, behind token_key. */
struct token_cache {
	UBreakIterator	*brk;	/* owned; word rules of the root locale */
	USpoofChecker	*spoof;	/* owned; opened at the first mixed word */
	int		 busy;	/* a walk is using it (callbacks may nest) */
	UChar		 u[TOKEN_CHUNK];	/* the chunk in UTF-16 */
	uint16_t	 off[TOKEN_CHUNK + 1];	/* chunk byte of each unit */
	UChar		 fold[TOKEN_FOLD_MAX];	/* a word, folded */
	UChar		 mix[TOKEN_FOLD_MAX];	/* look-alikes swapped */
	char		 utf8[TOKEN_FOLD_MAX * 3 + 1];	/* a folded word */
	char		 term[TEXT_TERM_MAX + 1];	/* what callbacks see */
};

/* One text_tokenize call: its arguments and how far it has got. */
struct token_walk {
	struct token_cache	*c;	/* this thread's, or the call's own */
	const UNormalizer2	*nfkc;	/* NFKC_Casefold; ICU's, never closed */
	int			 stem;	/* TEXT_TOKEN_STEM was asked */
	struct sb_stemmer	*st;	/* borrowed (stem.c); NULL: no stems */
	UScriptCode		 script;	/* the one the language uses */
	UScriptCode		 other;	/* script other_st is for */
	struct sb_stemmer	*other_st;	/* borrowed; NULL: no stems */
	int			 elide;	/* drop "l'", "d'", ... (fr, it, ca) */
	int			 latin_text;	/* the chunk is mostly Latin */
	text_token_fn		 fn;
	void			*arg;
	size_t			 base;	/* input byte where the chunk starts */
	size_t			 pos;	/* tokens handed out so far */
};

static pthread_key_t	 token_key;
static pthread_once_t	 token_once = PTHREAD_ONCE_INIT;
static int		 token_key_ok;	/* set once by token_key_init */

/*
 * The Cyrillic (REV_CYRILLIC) and Greek (REV_GREEK) letter that looks
 * like each Latin letter a-z (0: none), from ICU's confusables, for a
 * Cyrillic word with a Latin letter slipped in.  Skeletons only map
 * towards Latin, so this is the way back.  Written once under rev_once,
 * read-only after.
 */
enum { REV_CYRILLIC, REV_GREEK, REV__MAX };
static pthread_once_t	 rev_once = PTHREAD_ONCE_INIT;
static UChar32		 rev[REV__MAX][26];

/* Elided articles and prepositions of French, Italian and Catalan. */
static const char *const token_elisions[] = {
	"all", "c", "d", "dall", "dell", "j", "jusqu", "l", "lorsqu", "m",
	"n", "nell", "puisqu", "qu", "quell", "quest", "s", "sull", "t", "un",
};

static void
token_cache_free(void *p)
{
	struct token_cache	*c = p;

	if (c == NULL)
		return;
	ubrk_close(c->brk);
	if (c->spoof != NULL)
		uspoof_close(c->spoof);
	free(c);
}

static void
token_key_init(void)
{
	token_key_ok = pthread_key_create(&token_key, token_cache_free) == 0;
}

/* A new cache with its break iterator; NULL (logged) if ICU fails. */
static struct token_cache *
token_cache_new(void)
{
	struct token_cache	*c;
	UErrorCode		 e = U_ZERO_ERROR;

	c = xmalloc(sizeof(*c));
	c->spoof = NULL;
	c->busy = 0;
	/*
	 * "root", not the process locale, which may be en_US_POSIX, whose
	 * word rules split "U.S.A" and "e.g" at the dots: every host must
	 * split words alike, or posts and queries would not meet.
	 */
	c->brk = ubrk_open(UBRK_WORD, "root", NULL, 0, &e);
	if (U_FAILURE(e)) {
		log_warnx("token: cannot open word break iterator: %s",
		    u_errorName(e));
		free(c);
		return NULL;
	}
	return c;
}

/*
 * This thread's cache, or a new one that *own then holds when the
 * thread's is in use (a callback tokenizing) or cannot be kept.
 */
static struct token_cache *
token_cache_get(struct token_cache **own)
{
	struct token_cache	*c = NULL;

	*own = NULL;
	pthread_once(&token_once, token_key_init);
	if (token_key_ok && (c = pthread_getspecific(token_key)) != NULL &&
	    !c->busy)
		return c;
	if (c == NULL && (c = token_cache_new()) != NULL && token_key_ok &&
	    pthread_setspecific(token_key, c) == 0)
		return c;
	if (c != NULL && c->busy)
		c = token_cache_new();
	*own = c;
	return c;
}

void
token_thread_cleanup(void)
{
	struct token_cache	*c;

	pthread_once(&token_once, token_key_init);
	if (!token_key_ok || (c = pthread_getspecific(token_key)) == NULL)
		return;
	if (c->busy)
		return;	/* called from a callback: the walk still needs it */
	pthread_setspecific(token_key, NULL);
	token_cache_free(c);
}

/*
 * 1 if s[0..len) is UTF-8 as RFC 3629 has it: no overlong forms, no
 * surrogates, nothing past U+10FFFF.  NUL is a code point like another.
 */
static int
token_utf8_ok(const unsigned char *s, size_t len)
{
	uint64_t	 v;
	size_t		 i = 0, n;
	unsigned char	 b, lo, hi;

	while (i < len) {
		/* Text is mostly ASCII: eight bytes at a time. */
		if (len - i >= 8) {
			memcpy(&v, s + i, sizeof(v));
			if ((v & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		b = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf)
			n = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			n = 2;
			if (b == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (b == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (b >= 0xf0 && b <= 0xf4) {
			n = 3;
			if (b == 0xf0)
				lo = 0x90;	/* overlong */
			else if (b == 0xf4)
				hi = 0x8f;	/* past U+10FFFF */
		} else
			return 0;
		if (len - i <= n || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		if (n >= 2 && (s[i + 2] & 0xc0) != 0x80)
			return 0;
		if (n == 3 && (s[i + 3] & 0xc0) != 0x80)
			return 0;
		i += n + 1;
	}
	return 1;
}

/*
 * 1 if a chunk may end after c: a space, or a CJK comma or full stop.
 * The spaces are Unicode's White_Space list, spelled out because asking
 * ICU for each letter of a text costs more than the test.
 */
static inline int
token_is_cut(UChar32 c)
{
	if (c < 0x80)
		return c == ' ' || c == '\n' || c == '\t' || c == '\r';
	if (c < 0x2000)
		return c == 0x85 || c == 0xa0 || c == 0x1680;
	return c <= 0x200a || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	    c == 0x205f || (c >= 0x3000 && c <= 0x3002);
}

/*
 * Decodes the next chunk of s[0..len) (valid UTF-8) into c->u and c->off;
 * *nunits is its UTF-16 length.  Returns the bytes it took: all of s if
 * they fit, else up to the last place token_is_cut allows (a word is
 * never split there), or, in a chunk with no such place, up to the last
 * whole code point.  *is_latin tells whether the chunk has more Latin
 * letters than Cyrillic and Greek ones, by code point ranges: a count,
 * not a judgement, and cheap enough for every byte.
 */
static size_t
token_chunk(struct token_cache *c, const unsigned char *s, size_t len,
    int32_t *nunits, int *is_latin)
{
	size_t	 lim, i = 0, k, cut = 0, nlatin = 0, nother = 0;
	int32_t	 n = 0, ncut = 0;
	UChar32	 cp;

	lim = len < TOKEN_CHUNK ? len : TOKEN_CHUNK;
	while (i < lim) {
		if (s[i] < 0x80) {
			c->off[n] = (uint16_t)i;
			c->u[n++] = s[i];
			nlatin += (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
			if (token_is_cut(s[i++])) {
				cut = i;
				ncut = n;
			}
			continue;
		}
		k = s[i] < 0xe0 ? 2 : s[i] < 0xf0 ? 3 : 4;
		if (i + k > lim)
			break;
		if (k == 2)
			cp = (s[i] & 0x1f) << 6 | (s[i + 1] & 0x3f);
		else if (k == 3)
			cp = (s[i] & 0x0f) << 12 | (s[i + 1] & 0x3f) << 6 |
			    (s[i + 2] & 0x3f);
		else
			cp = (s[i] & 0x07) << 18 | (s[i + 1] & 0x3f) << 12 |
			    (s[i + 2] & 0x3f) << 6 | (s[i + 3] & 0x3f);
		if (cp >= 0x370 && cp <= 0x52f)
			nother++;	/* Greek, Cyrillic */
		else if (cp >= 0xc0 && cp <= 0x24f)
			nlatin++;
		c->off[n] = (uint16_t)i;
		if (cp <= 0xffff)
			c->u[n++] = (UChar)cp;
		else {
			c->u[n++] = U16_LEAD(cp);
			c->off[n] = (uint16_t)i;	/* never a boundary */
			c->u[n++] = U16_TRAIL(cp);
		}
		i += k;
		if (token_is_cut(cp)) {
			cut = i;
			ncut = n;
		}
	}
	if (i < len && ncut > 0) {
		i = cut;
		n = ncut;
	}
	c->off[n] = (uint16_t)i;
	*nunits = n;
	*is_latin = nlatin > nother;
	return i;
}

/*
 * The script of c for telling a mixed word: Common for what all scripts
 * share (digits, marks, apostrophes), and one script for Han, kana,
 * Bopomofo and Hangul, which Japanese and Korean words mix by right.
 */
static UScriptCode
token_script(UChar32 c)
{
	UErrorCode	 e = U_ZERO_ERROR;
	UScriptCode	 sc;

	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? USCRIPT_LATIN :
		    USCRIPT_COMMON;
	/* The letters of most text, without a property lookup. */
	if (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7)
		return USCRIPT_LATIN;
	if (c >= 0x400 && c <= 0x4ff && (c < 0x483 || c > 0x489))
		return USCRIPT_CYRILLIC;
	sc = uscript_getScript(c, &e);
	switch (sc) {
	case USCRIPT_INHERITED:
	case USCRIPT_UNKNOWN:
		return USCRIPT_COMMON;
	case USCRIPT_HIRAGANA:
	case USCRIPT_KATAKANA:
	case USCRIPT_KATAKANA_OR_HIRAGANA:
	case USCRIPT_BOPOMOFO:
	case USCRIPT_HANGUL:
		return USCRIPT_HAN;
	default:
		return sc;
	}
}

/*
 * NFKC_Casefold of s[0..len) into out (room for cap units); returns the
 * units written, 0 if ICU fails.
 */
static int32_t
token_nfkc(const UNormalizer2 *nfkc, const UChar *s, int32_t len, UChar *out,
    int32_t cap)
{
	UErrorCode	 e;
	int32_t	 n;

	for (;;) {
		e = U_ZERO_ERROR;
		n = unorm2_normalize(nfkc, s, len, out, cap, &e);
		if (U_SUCCESS(e))
			return n;
		if (e != U_BUFFER_OVERFLOW_ERROR || len <= 1)
			return 0;
		/*
		 * Folding can grow text eighteenfold (U+FDFA): fold less of
		 * the word rather than keep a buffer for the worst case.
		 */
		len /= 2;
		if (U16_IS_LEAD(s[len - 1]))
			len--;
	}
}

/* Fills rev from ICU's skeletons. */
static void
rev_init(void)
{
	static const UChar32	 ranges[REV__MAX][2] = {
		{0x0430, 0x052f},	/* Cyrillic, lower case first */
		{0x03b1, 0x03ff},	/* Greek */
	};
	USpoofChecker		*sc;
	const UNormalizer2	*nfkc;
	UChar			 in[2], sk[TOKEN_SKEL_MAX], f[TOKEN_SKEL_MAX];
	UChar32			 cp;
	UErrorCode		 e = U_ZERO_ERROR;
	int32_t			 n;
	size_t			 r;

	nfkc = unorm2_getNFKCCasefoldInstance(&e);
	sc = uspoof_open(&e);
	if (U_FAILURE(e)) {
		log_warnx("token: cannot open spoof checker: %s",
		    u_errorName(e));
		if (sc != NULL)
			uspoof_close(sc);
		return;
	}
	for (r = 0; r < REV__MAX; r++) {
		for (cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			if (!u_islower(cp))
				continue;
			in[0] = (UChar)cp;
			e = U_ZERO_ERROR;
			n = uspoof_getSkeleton(sc, 0, in, 1, sk, nitems(sk),
			    &e);
			if (U_FAILURE(e))
				continue;
			n = token_nfkc(nfkc, sk, n, f, nitems(f));
			if (n == 1 && f[0] >= 'a' && f[0] <= 'z' &&
			    rev[r][f[0] - 'a'] == 0)
				rev[r][f[0] - 'a'] = cp;
		}
	}
	uspoof_close(sc);
}

/*
 * Writes to out (room for cap units) what the letter cp of another
 * script reads as in a word of script dom: its skeleton when that is
 * in dom's script; in a Cyrillic or Greek word, the letter of that script
 * with the same skeleton; else cp itself (*swapped = 0).  Returns the
 * units written.
 */
static int32_t
token_lookalike(struct token_cache *c, UChar32 cp, UScriptCode dom,
    UChar *out, int32_t cap, int *swapped)
{
	UChar		 in[2], sk[TOKEN_SKEL_MAX];
	UChar32		 r = 0, x;
	UErrorCode	 e = U_ZERO_ERROR;
	int32_t		 inlen = 0, n, i, len = 0;
	int		 ok = 1;

	*swapped = 1;
	U16_APPEND_UNSAFE(in, inlen, cp);
	if (c->spoof == NULL && (c->spoof = uspoof_open(&e)) == NULL) {
		log_warnx("token: cannot open spoof checker: %s",
		    u_errorName(e));
		goto keep;
	}
	n = uspoof_getSkeleton(c->spoof, 0, in, inlen, sk, nitems(sk), &e);
	if (U_FAILURE(e))
		goto keep;
	if ((dom == USCRIPT_CYRILLIC || dom == USCRIPT_GREEK) && n == 1 &&
	    (sk[0] | 0x20) >= 'a' && (sk[0] | 0x20) <= 'z') {
		pthread_once(&rev_once, rev_init);
		r = rev[dom == USCRIPT_CYRILLIC ? REV_CYRILLIC :
		    REV_GREEK][(sk[0] | 0x20) - 'a'];
		if (r != 0) {
			if (cap < U16_LENGTH(r))
				return 0;
			U16_APPEND_UNSAFE(out, len, r);
			return len;
		}
	}
	/*
	 * Towards Latin only a-z and accents count: the skeletons of "и"
	 * and "з" are the rare letter "ᴎ" and the digit "3", which no
	 * reader would type for them.
	 */
	for (i = 0; i < n && ok;) {
		U16_NEXT(sk, i, n, x);
		if (dom == USCRIPT_LATIN)
			ok = x < 0x80 ? (x | 0x20) >= 'a' && (x | 0x20) <= 'z' :
			    (U_GET_GC_MASK(x) & U_GC_M_MASK) != 0;
		else
			ok = token_script(x) == dom ||
			    token_script(x) == USCRIPT_COMMON;
	}
	if (ok) {
		if (n > cap)
			return 0;
		memcpy(out, sk, (size_t)n * sizeof(*out));
		return n;
	}
keep:
	*swapped = 0;
	if (cap < inlen)
		return 0;
	memcpy(out, in, (size_t)inlen * sizeof(*out));
	return inlen;
}

/*
 * Folds the word u[0..len) (not all ASCII) into c->utf8; returns its
 * bytes and sets *is_mixed and *script (the script the word ends up in,
 * USCRIPT_COMMON for one without letters).  A word in one script is
 * only folded; in a word that mixes scripts the letters of the minority
 * scripts become their look-alikes in the majority one (a tie goes to
 * Latin), so "Рutin" with a Cyrillic Р reads "putin" and a Latin y in
 * Russian "пyтин" reads "путин", while letters with no look-alike
 * stay.  Mapping letter by letter, not the whole word to its skeleton,
 * is what keeps the result equal to the honest word: the skeleton of
 * "ammunition" itself is "arnrnunition".
 *
 * In mostly Latin text a Cyrillic or Greek word whose every letter has a
 * Latin look-alike is taken for a disguised Latin word too: "have а lot"
 * with a Cyrillic а.  The text's letters decide, not the language the
 * caller names, so a post and a query agree whatever language each is
 * given.  Latin words in Cyrillic text are left alone, as they are
 * mostly names ("iPhone") rather than disguises.
 * XXX A real Russian word of such letters ("сор") quoted in English text
 * reads as Latin ("cop").
 */
static size_t
token_fold(struct token_walk *w, const UChar *u, int32_t len, int *is_mixed,
    UScriptCode *script)
{
	struct token_cache	*c = w->c;
	UScriptCode		 sc[TOKEN_NSCRIPT], s, dom = USCRIPT_COMMON;
	UErrorCode		 e = U_ZERO_ERROR;
	UChar32			 cp;
	int32_t			 cnt[TOKEN_NSCRIPT], n, m, i, j, k, ns = 0;
	int			 swapped, kept = 0;

	*is_mixed = 0;
	*script = USCRIPT_COMMON;
	n = token_nfkc(w->nfkc, u, len, c->fold, TOKEN_FOLD_MAX);
	for (i = 0; i < n;) {
		U16_NEXT(c->fold, i, n, cp);
		/* Typographic apostrophes as the ASCII one: "don’t". */
		if (cp == 0x2018 || cp == 0x2019)
			c->fold[i - 1] = '\'';
		if ((s = token_script(cp)) == USCRIPT_COMMON)
			continue;
		for (k = 0; k < ns && sc[k] != s; k++)
			continue;
		if (k == ns) {
			if (ns == TOKEN_NSCRIPT)
				continue;
			sc[ns] = s;
			cnt[ns++] = 0;
		}
		cnt[k]++;
	}
	if (ns > 1) {
		for (dom = sc[0], k = 0, j = 1; j < ns; j++)
			if (cnt[j] > cnt[k] || (cnt[j] == cnt[k] &&
			    sc[j] == USCRIPT_LATIN)) {
				k = j;
				dom = sc[j];
			}
	} else if (ns == 1 && w->latin_text && (sc[0] == USCRIPT_CYRILLIC ||
	    sc[0] == USCRIPT_GREEK))
		dom = USCRIPT_LATIN;
	if (ns > 0)
		*script = sc[0];
	if (dom != USCRIPT_COMMON) {
		for (m = 0, i = 0; i < n;) {
			j = i;
			U16_NEXT(c->fold, i, n, cp);
			s = token_script(cp);
			if (s == USCRIPT_COMMON || s == dom) {
				if (m + (i - j) > TOKEN_FOLD_MAX)
					break;
				memcpy(c->mix + m, c->fold + j,
				    (size_t)(i - j) * sizeof(UChar));
				m += i - j;
			} else {
				m += token_lookalike(c, cp, dom, c->mix + m,
				    TOKEN_FOLD_MAX - m, &swapped);
				kept += !swapped;
			}
		}
		if (ns > 1 || kept == 0) {
			*is_mixed = 1;
			*script = dom;
			/* Skeletons may be upper case ("Р" is "P"). */
			n = token_nfkc(w->nfkc, c->mix, m, c->fold,
			    TOKEN_FOLD_MAX);
		}
	}
	u_strToUTF8(c->utf8, (int32_t)sizeof(c->utf8), &m, c->fold, n, &e);
	if (U_FAILURE(e))
		return 0;
	return (size_t)m;
}

/* 1 if c may begin or end a word: a letter or digit (marks may end). */
static int
token_is_edge(UChar32 c, int at_end)
{
	uint32_t	 mask = U_GC_L_MASK | U_GC_N_MASK;

	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
		    (c | 0x20) <= 'z');
	if (at_end)
		mask |= U_GC_M_MASK;
	return (U_GET_GC_MASK(c) & mask) != 0;
}

/* Drops an elided article from term p[0..*len): "l'homme" is "homme". */
static const char *
token_elide(const char *p, size_t *len)
{
	const char	*q;
	size_t		 i, n;

	if ((q = memchr(p, '\'', *len < 8 ? *len : 8)) == NULL)
		return p;
	n = (size_t)(q - p);
	if (n + 1 == *len)
		return p;
	for (i = 0; i < nitems(token_elisions); i++)
		if (strlen(token_elisions[i]) == n &&
		    memcmp(token_elisions[i], p, n) == 0) {
			*len -= n + 1;
			return q + 1;
		}
	return p;
}

/*
 * The stemmer for a word in script s: the language's own, or for a word
 * in a script the language is not written in, the stemmer of the main
 * language of that script (English for Latin, Russian for Cyrillic, ...)
 * or none.  So "iPhones" in a Korean post and "фестиваля" in an English
 * one stem as an English or a Russian query would stem them, and a post
 * and a query meet whatever language each was given.
 */
static struct sb_stemmer *
token_stemmer(struct token_walk *w, UScriptCode s)
{
	const char	*lang;

	if (!w->stem)
		return NULL;
	if (s == USCRIPT_COMMON || s == w->script)
		return w->st;
	if (s != w->other) {
		switch (s) {
		case USCRIPT_LATIN:
			lang = "en";
			break;
		case USCRIPT_CYRILLIC:
			lang = "ru";
			break;
		case USCRIPT_GREEK:
			lang = "el";
			break;
		case USCRIPT_ARABIC:
			lang = "ar";
			break;
		case USCRIPT_ARMENIAN:
			lang = "hy";
			break;
		case USCRIPT_DEVANAGARI:
			lang = "hi";
			break;
		case USCRIPT_TAMIL:
			lang = "ta";
			break;
		default:
			lang = NULL;
			break;
		}
		w->other = s;
		w->other_st = lang != NULL ? stem_get(lang) : NULL;
	}
	return w->other_st;
}

/*
 * Makes the token of the segment u[a..b) of the chunk and hands it to
 * the callback.  Returns the callback's value, or 0 for a segment that
 * makes no term.
 */
static int
token_word(struct token_walk *w, int32_t a, int32_t b)
{
	struct token_cache	*c = w->c;
	const UChar		*u = c->u;
	struct text_token	 t;
	struct sb_stemmer	*st;
	const char		*p;
	UScriptCode		 script = USCRIPT_COMMON;
	UChar32			 cp;
	UChar			 ch;
	size_t			 n;
	int32_t			 i, e;
	int			 ascii = 1;

	/* ICU keeps "@" in "@user" and "_" in "_tmp": trim to letters. */
	while (a < b) {
		i = a;
		U16_NEXT(u, i, b, cp);
		if (token_is_edge(cp, 0))
			break;
		a = i;
	}
	while (b > a) {
		i = b;
		U16_PREV(u, a, i, cp);
		if (token_is_edge(cp, 1))
			break;
		b = i;
	}
	if (a == b)
		return 0;
	memset(&t, 0, sizeof(t));
	t.start = w->base + c->off[a];
	t.end = w->base + c->off[b];
	U16_GET(u, a, a, b, cp);
	if (cp < 0x80)
		t.is_upper = cp >= 'A' && cp <= 'Z';
	else
		t.is_upper = u_isupper(cp) || u_istitle(cp);

	e = b - a > TOKEN_WORD_MAX ? a + TOKEN_WORD_MAX : b;
	if (e < b && U16_IS_LEAD(u[e - 1]))
		e--;
	for (i = a; i < e && ascii; i++)
		ascii = u[i] < 0x80;
	if (ascii) {
		/* NFKC_Casefold of ASCII is its lower case. */
		for (i = a, n = 0; i < e; i++) {
			ch = u[i];
			if (ch >= 'A' && ch <= 'Z')
				ch += 'a' - 'A';
			if (ch >= 'a' && ch <= 'z')
				script = USCRIPT_LATIN;
			c->utf8[n++] = (char)ch;
		}
	} else
		n = token_fold(w, u + a, e - a, &t.is_mixed, &script);
	p = c->utf8;
	if (w->elide && script == USCRIPT_LATIN)
		p = token_elide(p, &n);
	if ((st = token_stemmer(w, script)) != NULL && n > 0)
		p = stem_run(st, p, n, &n);
	if (n > TEXT_TERM_MAX) {
		n = TEXT_TERM_MAX;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	if (n == 0)
		return 0;
	memcpy(c->term, p, n);
	c->term[n] = '\0';
	t.term = c->term;
	t.termlen = n;
	t.pos = w->pos++;
	return w->fn(w->arg, &t);
}

/* 1 if lang ("fr", "fr-CA", ...) elides articles: fr, it, ca. */
static int
token_lang_elides(const char *lang)
{
	char	 code[4];

	if (lang_code(lang, code) == -1)
		return 0;
	return memcmp(code, "fr", 3) == 0 || memcmp(code, "it", 3) == 0 ||
	    memcmp(code, "ca", 3) == 0;
}

int
text_tokenize(const char *lang, unsigned flags, const char *s, size_t len,
    text_token_fn fn, void *arg)
{
	struct token_walk	 w;
	struct token_cache	*own;
	UErrorCode		 e = U_ZERO_ERROR;
	size_t			 done = 0;
	int32_t			 n, a, b;
	int			 rc = 0;

	if (len == 0)
		return 0;
	if (!token_utf8_ok((const unsigned char *)s, len))
		return -1;
	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.arg = arg;
	w.nfkc = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e)) {
		log_warnx("token: no NFKC_Casefold data: %s", u_errorName(e));
		return -1;
	}
	if (flags & TEXT_TOKEN_STEM) {
		if (lang == NULL || *lang == '\0')
			lang = text_lang_detect(s, len, NULL);
		w.stem = 1;
		w.st = stem_get(lang);
		w.script = lang_script(lang);
		w.other = USCRIPT_INVALID_CODE;
		w.elide = token_lang_elides(lang);
	}
	if ((w.c = token_cache_get(&own)) == NULL)
		return -1;
	w.c->busy = 1;
	while (done < len && rc == 0) {
		w.base = done;
		done += token_chunk(w.c, (const unsigned char *)s + done,
		    len - done, &n, &w.latin_text);
		ubrk_setText(w.c->brk, w.c->u, n, &e);
		if (U_FAILURE(e)) {
			log_warnx("token: ubrk_setText: %s", u_errorName(e));
			rc = -1;
			break;
		}
		a = ubrk_first(w.c->brk);
		while (rc == 0 && (b = ubrk_next(w.c->brk)) != UBRK_DONE) {
			/* Statuses below NONE_LIMIT: spaces, punctuation. */
			if (ubrk_getRuleStatus(w.c->brk) >=
			    UBRK_WORD_NONE_LIMIT)
				rc = token_word(&w, a, b);
			a = b;
		}
	}
	w.c->busy = 0;
	token_cache_free(own);
	return rc;
}
