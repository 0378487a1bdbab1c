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
 * The one text pipeline (src/text/token.c, fold.c, stem.c, lang.c):
 * tables of text and the terms, languages and label keys it must give.
 * Stems are Snowball's published outputs for those words; word splits
 * of Chinese, Japanese and Thai are ICU's dictionaries'.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "text/text.h"

#define S	TEXT_TOKEN_STEM

/* Terms of a walk, joined by spaces, and what the walk reported. */
struct collect {
	struct buf	 b;	/* terms joined by ' ' */
	size_t		 n;	/* tokens seen */
	size_t		 stop_at;	/* 0, or the token count that stops */
	int		 stop_rc;	/* what stopping returns */
};

static int
collect(void *arg, const struct text_token *t)
{
	struct collect	*c = arg;

	assert_int_equal(strlen(t->term), t->termlen);
	assert_true(t->termlen > 0 && t->termlen <= TEXT_TERM_MAX);
	assert_true(t->start < t->end);
	assert_int_equal(t->pos, c->n);
	if (c->n > 0)
		buf_addc(&c->b, ' ');
	buf_add(&c->b, t->term, t->termlen);
	c->n++;
	if (c->stop_at != 0 && c->n == c->stop_at)
		return c->stop_rc;
	return 0;
}

struct token_row {
	const char	*lang;	/* NULL: detect */
	unsigned	 flags;
	const char	*in;
	const char	*terms;	/* expected, joined by spaces */
};

static const struct token_row token_rows[] = {
	/* English: Snowball stems, both forms of a word meet. */
	{"en", S, "Pin and Kim: Friends in need (of ammunition)",
	    "pin and kim friend in need of ammunit"},
	{"en", S, "ammunitions ammunition Running runs",
	    "ammunit ammunit run run"},
	{"en", 0, "Running ammunitions", "running ammunitions"},
	{"en", S, "the dog's bones", "the dog bone"},
	/* Longer than the stems a thread remembers. */
	{"en", S, "antidisestablishmentarianisms antidisestablishmentarianism",
	    "antidisestablishmentarian antidisestablishmentarian"},
	/*
	 * The seed's look-alikes: Cyrillic а in "have а lot" and
	 * "аmmunition", Cyrillic Р in "Рutin".
	 */
	{"en", 0, "have \xd0\xb0 lot", "have a lot"},
	{"en", S, "\xd0\xb0mmunition", "ammunit"},
	{"en", 0, "\xd0\xa0utin", "putin"},
	{"en", 0, "Russi\xd0\xb0 Ukraine", "russia ukraine"},
	/* Greek ο and Latin: the Latin majority wins. */
	{"en", 0, "g\xce\xbf\xce\xbfgle", "google"},
	/* Russian: kept Cyrillic, stemmed; "Путина" meets "Путин". */
	{"ru", S, "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd\xd0\xb0 \xd0\xb8 "
	    "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd",
	    "\xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd \xd0\xb8 "
	    "\xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd"},
	/* Путин встретился с Кимом на Дальнем Востоке */
	{"ru", S, "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd "
	    "\xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x82\xd0\xb8\xd0\xbb"
	    "\xd1\x81\xd1\x8f \xd1\x81 \xd0\x9a\xd0\xb8\xd0\xbc\xd0\xbe"
	    "\xd0\xbc \xd0\xbd\xd0\xb0 \xd0\x94\xd0\xb0\xd0\xbb\xd1\x8c"
	    "\xd0\xbd\xd0\xb5\xd0\xbc \xd0\x92\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe"
	    "\xd0\xba\xd0\xb5",
	    "\xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd "
	    "\xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x82 \xd1\x81 "
	    "\xd0\xba\xd0\xb8\xd0\xbc \xd0\xbd\xd0\xb0 "
	    "\xd0\xb4\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd "
	    "\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe\xd0\xba"},
	/* A Latin y in Russian "Пyтин" reads as Cyrillic у. */
	{"ru", 0, "\xd0\x9fy\xd1\x82\xd0\xb8\xd0\xbd",
	    "\xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd"},
	/* "сор" is Russian in Russian text, not the Latin "cop". */
	{"ru", 0, "\xd1\x81\xd0\xbe\xd1\x80", "\xd1\x81\xd0\xbe\xd1\x80"},
	/* Spanish. */
	{"es", S, "Comentarios comentario Publicar un comentario",
	    "comentari comentari public un comentari"},
	{"es", S, "\xc2\xbfQu\xc3\xa9 pasar\xc3\xa1 en Espa\xc3\xb1" "a?",
	    "que pas en espa\xc3\xb1"},
	/* German: Häuser/Haus meet, ß folds to ss. */
	{"de", S, "Die H\xc3\xa4user und das Haus an der Stra\xc3\x9f" "e",
	    "die haus und das haus an der strass"},
	/* French: elided articles go, then stems. */
	{"fr", S, "L'homme et les hommes qu'il aimait",
	    "homm et le homm il aim"},
	{"fr", 0, "L'homme", "l'homme"},
	/* Italian and Portuguese. */
	{"it", S, "Dell'anno e l'amica delle amiche",
	    "anno e amic dell amic"},
	{"pt", S, "Os coment\xc3\xa1rios e o coment\xc3\xa1rio",
	    "os coment\xc3\xa1ri e o coment\xc3\xa1ri"},
	/* Korean: words by spaces, no stemmer. 동네 도서관 소식을 전합니다 */
	{"ko", S, "\xeb\x8f\x99\xeb\x84\xa4 \xeb\x8f\x84\xec\x84\x9c"
	    "\xea\xb4\x80 \xec\x86\x8c\xec\x8b\x9d\xec\x9d\x84 "
	    "\xec\xa0\x84\xed\x95\xa9\xeb\x8b\x88\xeb\x8b\xa4",
	    "\xeb\x8f\x99\xeb\x84\xa4 \xeb\x8f\x84\xec\x84\x9c\xea\xb4\x80 "
	    "\xec\x86\x8c\xec\x8b\x9d\xec\x9d\x84 "
	    "\xec\xa0\x84\xed\x95\xa9\xeb\x8b\x88\xeb\x8b\xa4"},
	/* Chinese: 我们今天去北京大学学习中文。 */
	{"zh", S, "\xe6\x88\x91\xe4\xbb\xac\xe4\xbb\x8a\xe5\xa4\xa9\xe5\x8e\xbb"
	    "\xe5\x8c\x97\xe4\xba\xac\xe5\xa4\xa7\xe5\xad\xa6\xe5\xad\xa6"
	    "\xe4\xb9\xa0\xe4\xb8\xad\xe6\x96\x87\xe3\x80\x82",
	    "\xe6\x88\x91\xe4\xbb\xac \xe4\xbb\x8a\xe5\xa4\xa9 \xe5\x8e\xbb "
	    "\xe5\x8c\x97\xe4\xba\xac \xe5\xa4\xa7\xe5\xad\xa6 "
	    "\xe5\xad\xa6\xe4\xb9\xa0 \xe4\xb8\xad\xe6\x96\x87"},
	/* Japanese: 日本語の文章です。 */
	{"ja", S, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x96\x87"
	    "\xe7\xab\xa0\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe3\x81\xae "
	    "\xe6\x96\x87\xe7\xab\xa0 \xe3\x81\xa7\xe3\x81\x99"},
	/* Kanji with katakana is one script for Japanese: 東京タワー */
	{"ja", 0, "\xe6\x9d\xb1\xe4\xba\xac\xe3\x82\xbf\xe3\x83\xaf\xe3\x83"
	    "\xbc",
	    "\xe6\x9d\xb1\xe4\xba\xac\xe3\x82\xbf\xe3\x83\xaf\xe3\x83\xbc"},
	/* Thai, by ICU's dictionary: สวัสดีครับ */
	{"th", S, "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8"
	    "\x94\xe0\xb8\xb5\xe0\xb8\x84\xe0\xb8\xa3\xe0\xb8\xb1\xe0\xb8\x9a",
	    "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94"
	    "\xe0\xb8\xb5 \xe0\xb8\x84\xe0\xb8\xa3\xe0\xb8\xb1\xe0\xb8\x9a"},
	/* Greek: Ελληνικά κείμενα */
	{"el", 0, "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba"
	    "\xce\xac \xce\xba\xce\xb5\xce\xaf\xce\xbc\xce\xb5\xce\xbd\xce\xb1",
	    "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac "
	    "\xce\xba\xce\xb5\xce\xaf\xce\xbc\xce\xb5\xce\xbd\xce\xb1"},
	/* Short terms and digits are kept; fullwidth letters fold. */
	{"en", S, "UN K 2023", "un k 2023"},
	{"en", 0, "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc"},
	{"en", 0, "3.14 1,000 U.S.A. e.g. foo_bar",
	    "3.14 1,000 u.s.a e.g foo_bar"},
	/* Typographic apostrophe as ASCII; "@", "#", "_" at ends dropped. */
	{"en", 0, "don\xe2\x80\x99t don't", "don't don't"},
	{"en", 0, "@user #tag _tmp", "user tag tmp"},
	/* Soft hyphen inside a word vanishes. */
	{"en", 0, "Rus\xc2\xadsia", "russia"},
	/* Punctuation, spaces and emoji are not tokens. */
	{"en", 0, "I \xe2\x9d\xa4\xef\xb8\x8f NY", "i ny"},
	{"en", S, "  ... --- !!! \xe2\x80\x94 ", ""},
	{"en", S, "", ""},
	/* Language detected when NULL or "". */
	{NULL, S, "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd\xd0\xb0",
	    "\xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd"},
	{"", S, "Los comentarios de la semana",
	    "los comentari de la seman"},
	/*
	 * A word in a script the language is not written in takes the
	 * stemmer of that script's main language: English for Latin words,
	 * Russian for Cyrillic ones.
	 */
	{"en", S, "\xd1\x84\xd0\xb5\xd1\x81\xd1\x82\xd0\xb8\xd0\xb2\xd0\xb0"
	    "\xd0\xbb\xd1\x8f Friends",	/* фестиваля */
	    "\xd1\x84\xd0\xb5\xd1\x81\xd1\x82\xd0\xb8\xd0\xb2\xd0\xb0"
	    "\xd0\xbb friend"},
	{"ru", S, "Friends \xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd\xd0\xb0",
	    "friend \xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd"},
	{"ko", S, "iPhones \xeb\x8f\x99\xeb\x84\xa4",
	    "iphon \xeb\x8f\x99\xeb\x84\xa4"},
	/* A language without a stemmer, or an unknown one: folded only. */
	{"xx", S, "Running Friends", "running friends"},
	{"en-US", S, "Running", "run"},
};

static void
test_tokenize(void **state)
{
	const struct token_row	*r;
	struct collect		 c;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(token_rows); i++) {
		r = &token_rows[i];
		memset(&c, 0, sizeof(c));
		buf_init(&c.b);
		rc = text_tokenize(r->lang, r->flags, r->in, strlen(r->in),
		    collect, &c);
		if (rc != 0 || strcmp(c.b.len ? c.b.p : "", r->terms) != 0)
			fail_msg("row %zu \"%s\": rc %d, got \"%s\", want "
			    "\"%s\"", i, r->in, rc, c.b.len ? c.b.p : "",
			    r->terms);
		buf_clear(&c.b);
	}
}

/* One token as a walk must report it. */
struct offset_row {
	const char	*term;
	size_t		 start, end;
	int		 is_upper, is_mixed;
};

struct offsets {
	const struct offset_row	*want;
	size_t			 n, nwant;
};

static int
check_offsets(void *arg, const struct text_token *t)
{
	struct offsets		*o = arg;
	const struct offset_row	*w;

	assert_true(o->n < o->nwant);
	w = &o->want[o->n];
	assert_string_equal(t->term, w->term);
	assert_int_equal(t->start, w->start);
	assert_int_equal(t->end, w->end);
	assert_int_equal(t->pos, o->n);
	assert_int_equal(t->is_upper != 0, w->is_upper);
	assert_int_equal(t->is_mixed != 0, w->is_mixed);
	o->n++;
	return 0;
}

/* Offsets are bytes of the input, whatever the script. */
static void
test_offsets(void **state)
{
	/* "Привет, мир! 東京 Рutin @Kim 𝐀𝐁" (𝐀 is four bytes). */
	static const char in[] =
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	    "\xd0\xbc\xd0\xb8\xd1\x80! \xe6\x9d\xb1\xe4\xba\xac "
	    "\xd0\xa0utin @Kim \xf0\x9d\x90\x80\xf0\x9d\x90\x81";
	static const struct offset_row want[] = {
		{"\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", 0, 12,
		    1, 0},
		{"\xd0\xbc\xd0\xb8\xd1\x80", 14, 20, 0, 0},
		{"\xe6\x9d\xb1\xe4\xba\xac", 22, 28, 0, 0},
		{"putin", 29, 35, 1, 1},
		{"kim", 37, 40, 1, 0},
		{"ab", 41, 49, 1, 0},
	};
	struct offsets	 o = {want, 0, nitems(want)};

	(void)state;
	assert_int_equal(text_tokenize("ru", 0, in, strlen(in),
	    check_offsets, &o), 0);
	assert_int_equal(o.n, nitems(want));
}

static int
count_calls(void *arg, const struct text_token *t)
{
	(void)t;
	(*(size_t *)arg)++;
	return 0;
}

/* Bad UTF-8 gives -1 before any callback. */
static void
test_invalid(void **state)
{
	static const char *const bad[] = {
		"good words then \xff",
		"\xc3",			/* cut short */
		"caf\xc3",
		"\xc0\xaf",		/* overlong "/" */
		"\xe0\x80\xaf",		/* overlong, three bytes */
		"\xed\xa0\x80",		/* a surrogate */
		"\xf4\x90\x80\x80",	/* past U+10FFFF */
		"\xf8\x88\x80\x80\x80",	/* five bytes */
		"\x80 continuation first",
		"abcdefgh\xe2\x82",	/* cut after an ASCII run */
	};
	struct arena	*a;
	size_t		 i, n = 0;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		assert_int_equal(text_tokenize("en", S, bad[i],
		    strlen(bad[i]), count_calls, &n), -1);
		assert_int_equal(text_tokenize(NULL, 0, bad[i],
		    strlen(bad[i]), count_calls, &n), -1);
	}
	assert_int_equal(n, 0);
	/* NUL is a code point like another: a separator. */
	assert_int_equal(text_tokenize("en", 0, "a\0b", 3, count_calls, &n), 0);
	assert_int_equal(n, 2);
	a = arena_new();
	assert_string_equal(text_label_key(a, "caf\xc3", 4), "");
	arena_free(a);
}

/* A callback's non-zero value stops the walk and is returned. */
static void
test_stop(void **state)
{
	struct collect	 c;

	(void)state;
	memset(&c, 0, sizeof(c));
	buf_init(&c.b);
	c.stop_at = 2;
	c.stop_rc = 7;
	assert_int_equal(text_tokenize("en", S, "one two three four", 18,
	    collect, &c), 7);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.b.p, "one two");
	buf_clear(&c.b);
}

/* Terms longer than TEXT_TERM_MAX bytes are cut at a UTF-8 boundary. */
static void
test_term_max(void **state)
{
	struct collect	 c;
	char		 in[512];
	size_t		 i, n;

	(void)state;
	/* 100 ASCII letters: the first 64. */
	memset(in, 'a', 100);
	memset(&c, 0, sizeof(c));
	buf_init(&c.b);
	assert_int_equal(text_tokenize("en", 0, in, 100, collect, &c), 0);
	assert_int_equal(c.b.len, TEXT_TERM_MAX);
	buf_clear(&c.b);

	/* "1" and 40 "ж": byte 64 is inside a letter, so 63 bytes. */
	in[0] = '1';
	for (i = 0, n = 1; i < 40; i++) {
		in[n++] = '\xd0';
		in[n++] = '\xb6';
	}
	memset(&c, 0, sizeof(c));
	buf_init(&c.b);
	assert_int_equal(text_tokenize("en", 0, in, n, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.b.len, 63);
	assert_memory_equal(c.b.p, in, 63);
	buf_clear(&c.b);

	/* 30 Hangul syllables (3 bytes each): 21 of them. */
	for (i = 0, n = 0; i < 30; i++) {
		memcpy(in + n, "\xea\xb0\x80", 3);
		n += 3;
	}
	memset(&c, 0, sizeof(c));
	buf_init(&c.b);
	assert_int_equal(text_tokenize("ko", S, in, n, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.b.len, 63);
	assert_memory_equal(c.b.p, in, 63);
	buf_clear(&c.b);
}

/* Checks each token against the word at its offsets in the input. */
struct long_walk {
	const char	*in;
	size_t		 n, prev_end;
	int		 bad;
};

static int
check_long(void *arg, const struct text_token *t)
{
	struct long_walk	*w = arg;
	size_t			 len = t->end - t->start;

	if (t->start < w->prev_end || t->pos != w->n)
		w->bad++;
	/* The words are lower-case, so a term is its word. */
	if (len != t->termlen || memcmp(w->in + t->start, t->term, len) != 0)
		w->bad++;
	w->prev_end = t->end;
	w->n++;
	return 0;
}

/* Input longer than a chunk: no word is lost, split or misplaced. */
static void
test_long(void **state)
{
	static const char *const words[] = {
		"word",
		"\xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe",	/* слово */
		"\xe4\xb8\xad", "k", "2023",
	};
	struct buf		 b = BUF_INIT;
	struct long_walk	 w;
	size_t			 i, n = 0;

	(void)state;
	/* About 300 KiB, words of many lengths and scripts. */
	for (i = 0; b.len < 300 * 1024; i++) {
		buf_adds(&b, words[i % nitems(words)]);
		buf_adds(&b, i % 7 == 0 ? "\n" : i % 5 == 0 ? ", " : " ");
		n++;
	}
	memset(&w, 0, sizeof(w));
	w.in = b.p;
	assert_int_equal(text_tokenize("en", 0, b.p, b.len, check_long, &w),
	    0);
	assert_int_equal(w.bad, 0);
	assert_int_equal(w.n, n);

	/* Chinese sentences with no spaces are cut after their "。". */
	buf_reset(&b);
	for (n = 0; b.len < 100 * 1024; n++)
		buf_adds(&b, "\xe4\xb8\xad\xe6\x96\x87\xe3\x80\x82");
	memset(&w, 0, sizeof(w));
	w.in = b.p;
	assert_int_equal(text_tokenize("zh", 0, b.p, b.len, check_long, &w),
	    0);
	assert_int_equal(w.bad, 0);
	assert_int_equal(w.n, n);

	/*
	 * One word of 100,000 letters has no place to cut: it comes out
	 * in pieces, each within the input and cut to TEXT_TERM_MAX.
	 */
	buf_reset(&b);
	for (i = 0; i < 100000; i++)
		buf_addc(&b, 'x');
	n = 0;
	assert_int_equal(text_tokenize("en", 0, b.p, b.len, count_calls, &n),
	    0);
	assert_true(n >= 1 && n <= 100000 / 8192);
	buf_clear(&b);
}

/* A callback may tokenize other text; the outer walk goes on intact. */
struct nested {
	struct buf	 outer, inner;
};

static int
nested_inner(void *arg, const struct text_token *t)
{
	struct nested	*n = arg;

	buf_add(&n->inner, t->term, t->termlen);
	buf_addc(&n->inner, ' ');
	return 0;
}

static int
nested_outer(void *arg, const struct text_token *t)
{
	struct nested	*n = arg;
	char		 term[TEXT_TERM_MAX + 1];

	memcpy(term, t->term, t->termlen + 1);
	assert_int_equal(text_tokenize("es", S, "Los comentarios", 15,
	    nested_inner, n), 0);
	/* The outer term is still the one we were given. */
	assert_string_equal(t->term, term);
	buf_add(&n->outer, t->term, t->termlen);
	buf_addc(&n->outer, ' ');
	return 0;
}

static void
test_nested(void **state)
{
	struct nested	 n;

	(void)state;
	memset(&n, 0, sizeof(n));
	assert_int_equal(text_tokenize("en", S, "Friends of ammunitions", 22,
	    nested_outer, &n), 0);
	assert_string_equal(n.outer.p, "friend of ammunit ");
	assert_string_equal(n.inner.p, "los comentari los comentari "
	    "los comentari ");
	buf_clear(&n.outer);
	buf_clear(&n.inner);
}

struct lang_row {
	const char	*in;
	const char	*fallback;
	const char	*want;
};

static const struct lang_row lang_rows[] = {
	{"Pin and Kim: Friends in need (of ammunition). The two leaders "
	    "have a lot to talk about.", NULL, "en"},
	/* A look-alike letter cannot change it. */
	{"They have \xd0\xb0 lot of it", "es", "en"},
	{"Los comentarios de la semana y las respuestas del autor.", NULL,
	    "es"},
	{"\xc2\xbfQu\xc3\xa9 pasa?", NULL, "es"},
	{"Die Regierung hat sich mit der Frage nicht befasst.", NULL, "de"},
	{"Le gouvernement ne s'est pas occup\xc3\xa9 de la question.", NULL,
	    "fr"},
	{"O governo n\xc3\xa3o tratou da quest\xc3\xa3o com os deputados.",
	    NULL, "pt"},
	{"Il governo non si \xc3\xa8 occupato della questione.", NULL, "it"},
	/* Путин встретился с Кимом */
	{"\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd "
	    "\xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x82\xd0\xb8\xd0\xbb"
	    "\xd1\x81\xd1\x8f \xd1\x81 \xd0\x9a\xd0\xb8\xd0\xbc\xd0\xbe"
	    "\xd0\xbc", NULL, "ru"},
	/* Україна є державою у Східній Європі, її столиця Київ */
	{"\xd0\xa3\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd\xd0\xb0 \xd1\x94 "
	    "\xd0\xb4\xd0\xb5\xd1\x80\xd0\xb6\xd0\xb0\xd0\xb2\xd0\xbe\xd1\x8e "
	    "\xd1\x83 \xd0\xa1\xd1\x85\xd1\x96\xd0\xb4\xd0\xbd\xd1\x96\xd0\xb9 "
	    "\xd0\x84\xd0\xb2\xd1\x80\xd0\xbe\xd0\xbf\xd1\x96, "
	    "\xd1\x97\xd1\x97 "
	    "\xd1\x81\xd1\x82\xd0\xbe\xd0\xbb\xd0\xb8\xd1\x86\xd1\x8f "
	    "\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2", NULL, "uk"},
	/* Србија је држава у југоисточној Европи */
	{"\xd0\xa1\xd1\x80\xd0\xb1\xd0\xb8\xd1\x98\xd0\xb0 \xd1\x98\xd0\xb5 "
	    "\xd0\xb4\xd1\x80\xd0\xb6\xd0\xb0\xd0\xb2\xd0\xb0 \xd1\x83 "
	    "\xd1\x98\xd1\x83\xd0\xb3\xd0\xbe\xd0\xb8\xd1\x81\xd1\x82\xd0\xbe"
	    "\xd1\x87\xd0\xbd\xd0\xbe\xd1\x98 \xd0\x95\xd0\xb2\xd1\x80\xd0\xbe"
	    "\xd0\xbf\xd0\xb8", NULL, "sr"},
	/* България е държава в Югоизточна Европа, тъй като */
	{"\xd0\x91\xd1\x8a\xd0\xbb\xd0\xb3\xd0\xb0\xd1\x80\xd0\xb8\xd1\x8f "
	    "\xd0\xb5 \xd0\xb4\xd1\x8a\xd1\x80\xd0\xb6\xd0\xb0\xd0\xb2\xd0\xb0 "
	    "\xd0\xb2 \xd0\xae\xd0\xb3\xd0\xbe\xd0\xb8\xd0\xb7\xd1\x82\xd0\xbe"
	    "\xd1\x87\xd0\xbd\xd0\xb0 \xd0\x95\xd0\xb2\xd1\x80\xd0\xbe\xd0\xbf"
	    "\xd0\xb0, \xd1\x82\xd1\x8a\xd0\xb9 \xd0\xba\xd0\xb0\xd1\x82\xd0"
	    "\xbe", NULL, "bg"},
	/* 동네 도서관 소식 */
	{"\xeb\x8f\x99\xeb\x84\xa4 \xeb\x8f\x84\xec\x84\x9c\xea\xb4\x80 "
	    "\xec\x86\x8c\xec\x8b\x9d", NULL, "ko"},
	/* 日本語の文章です。 */
	{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x96\x87"
	    "\xe7\xab\xa0\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82", NULL, "ja"},
	/* 城市图书馆延长开放时间 */
	{"\xe5\x9f\x8e\xe5\xb8\x82\xe5\x9b\xbe\xe4\xb9\xa6\xe9\xa6\x86\xe5"
	    "\xbb\xb6\xe9\x95\xbf\xe5\xbc\x80\xe6\x94\xbe\xe6\x97\xb6\xe9\x97"
	    "\xb4", NULL, "zh"},
	/* Ελληνικά κείμενα */
	{"\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac "
	    "\xce\xba\xce\xb5\xce\xaf\xce\xbc\xce\xb5\xce\xbd\xce\xb1", NULL,
	    "el"},
	/* مرحبا بالعالم, שלום עולם, नमस्ते दुनिया, สวัสดีครับ */
	{"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84"
	    "\xd8\xb9\xd8\xa7\xd9\x84\xd9\x85", NULL, "ar"},
	{"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d",
	    NULL, "he"},
	{"\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0"
	    "\xa5\x87 \xe0\xa4\xa6\xe0\xa5\x81\xe0\xa4\xa8\xe0\xa4\xbf\xe0\xa4"
	    "\xaf\xe0\xa4\xbe", NULL, "hi"},
	{"\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0"
	    "\xb8\xb5\xe0\xb8\x84\xe0\xb8\xa3\xe0\xb8\xb1\xe0\xb8\x9a", NULL,
	    "th"},
	/* No signal: the fallback, or "en". */
	{"12345 !!!", "es", "es"},
	{"12345 !!!", NULL, "en"},
	{"Xyzzy plugh", "de", "de"},
	{"", "ko", "ko"},
	/* Bytes that are not UTF-8 are skipped. */
	{"\xff\xfe the cat and the dog \xc3", NULL, "en"},
};

static void
test_lang_detect(void **state)
{
	const struct lang_row	*r;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(lang_rows); i++) {
		r = &lang_rows[i];
		if (strcmp(text_lang_detect(r->in, strlen(r->in),
		    r->fallback), r->want) != 0)
			fail_msg("row %zu \"%s\": got %s, want %s", i, r->in,
			    text_lang_detect(r->in, strlen(r->in),
			    r->fallback), r->want);
	}
	assert_string_equal(text_lang_detect(NULL, 0, NULL), "en");
}

static void
test_has_stemmer(void **state)
{
	static const char *const yes[] = {
		"en", "es", "ru", "de", "fr", "pt", "it", "pt-BR", "EN",
		"en_GB", "el", "ar",
	};
	static const char *const no[] = {
		"ko", "zh", "ja", "", "english", "xx", "e", "-en",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(yes); i++)
		if (!text_lang_has_stemmer(yes[i]))
			fail_msg("%s: no stemmer", yes[i]);
	for (i = 0; i < nitems(no); i++)
		if (text_lang_has_stemmer(no[i]))
			fail_msg("%s: a stemmer", no[i]);
	assert_false(text_lang_has_stemmer(NULL));
}

struct key_row {
	const char	*label;
	const char	*key;
};

static const struct key_row key_rows[] = {
	{"Russia- Ukraine war", "russia-ukraine war"},
	{"russia-ukraine war", "russia-ukraine war"},
	{"Russia - Ukraine  war", "russia-ukraine war"},
	{"Russi\xd0\xb0-Ukraine war", "russia-ukraine war"},	/* Cyrillic а */
	{"Russia \xe2\x80\x93 Ukraine war", "russia-ukraine war"},	/* – */
	{"RUSSIA\xef\xbc\x8dUKRAINE WAR", "russia-ukraine war"},	/* － */
	{"North Korea", "north korea"},
	{"  North   Korea  ", "north korea"},
	{"North, Korea", "north korea"},
	{"AT&T", "at&t"},
	{"Q & A", "q&a"},
	{"TCP/IP", "tcp/ip"},
	{"Ammunition", "ammunition"},	/* never stemmed */
	{"\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd",	/* Путин */
	    "\xd0\xbf\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd"},
	/* сор: Cyrillic text, so not the Latin "cop". */
	{"\xd1\x81\xd0\xbe\xd1\x80", "\xd1\x81\xd0\xbe\xd1\x80"},
	{"\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc"},
	{"", ""},
	{"!!! --- ???", ""},
};

static void
test_label_key(void **state)
{
	struct arena	*a;
	size_t		 i;

	(void)state;
	a = arena_new();
	for (i = 0; i < nitems(key_rows); i++)
		if (strcmp(text_label_key(a, key_rows[i].label,
		    strlen(key_rows[i].label)), key_rows[i].key) != 0)
			fail_msg("row %zu \"%s\": got \"%s\", want \"%s\"", i,
			    key_rows[i].label, text_label_key(a,
			    key_rows[i].label, strlen(key_rows[i].label)),
			    key_rows[i].key);
	arena_free(a);
}

/* Each thread keeps its own iterator and stemmers; exit releases them. */
static void *
worker(void *arg)
{
	static const char in[] = "Friends comentarios \xd0\xb0mmunition";
	struct collect	 c;
	struct arena	*a;
	intptr_t	 bad = 0;
	size_t		 i;

	(void)arg;
	a = arena_new();
	for (i = 0; i < 200; i++) {
		memset(&c, 0, sizeof(c));
		buf_init(&c.b);
		if (text_tokenize(i % 2 ? "en" : "es", S, in, strlen(in),
		    collect, &c) != 0)
			bad++;
		if (strcmp(c.b.p, i % 2 ? "friend comentario ammunit" :
		    "friends comentari ammunition") != 0)
			bad++;
		buf_clear(&c.b);
		if (strcmp(text_label_key(a, "Russia - Ukraine", 16),
		    "russia-ukraine") != 0)
			bad++;
	}
	arena_free(a);
	/* No cleanup call: the thread's exit must release its cache. */
	return (void *)bad;
}

static void
test_threads(void **state)
{
	pthread_t	 th[4];
	void		*bad;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(th); i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, NULL), 0);
	for (i = 0; i < nitems(th); i++) {
		assert_int_equal(pthread_join(th[i], &bad), 0);
		assert_int_equal((intptr_t)bad, 0);
	}
	/* Usable again after a cleanup, and a second cleanup is harmless. */
	text_thread_cleanup();
	text_thread_cleanup();
	assert_null(worker(NULL));
}

static int
teardown(void **state)
{
	(void)state;
	text_thread_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_term_max),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_lang_detect),
		cmocka_unit_test(test_has_stemmer),
		cmocka_unit_test(test_label_key),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
