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
 * The comment spam scorer (src/text/spam.c, bayes.c): tables of comments
 * and the verdicts and reasons they must get, with no filter or with a
 * small filter held in memory; the filter's arithmetic on counts worked
 * out by hand; and the terms the filter learns.  Look-alike letters are
 * written as escapes so that the reader can see them: \xd1\x96 is
 * Cyrillic і, \xd0\xb0 Cyrillic а, \xd0\xbe Cyrillic о, \xd0\xb5
 * Cyrillic е.
 */
#include <math.h>
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

/* One term of an in-memory filter. */
struct model_term {
	const char	*term;
	int64_t		 ham;	/* ham messages with the term */
	int64_t		 spam;	/* spam messages with the term */
};

/* A filter in memory: a small table standing in for the store. */
struct model {
	const struct model_term	*t;
	size_t			 n;
	int64_t			 nham;
	int64_t			 nspam;
	int			 is_broken;	/* the lookup fails */
	struct buf		*seen;	/* if set: the terms asked, joined */
};

/* A text_spam_counts_fn over a struct model. */
static int
model_counts(void *arg, struct arena *a, const char *const *terms, size_t n,
    struct text_spam_counts *out)
{
	struct model	*m = arg;
	size_t		 i, j;

	if (m->is_broken)
		return -1;
	out->ham = arena_allocarray(a, n, sizeof(*out->ham));
	out->spam = arena_allocarray(a, n, sizeof(*out->spam));
	out->nham = m->nham;
	out->nspam = m->nspam;
	for (i = 0; i < n; i++) {
		if (m->seen != NULL)
			buf_addf(m->seen, "%s%s", i > 0 ? " " : "", terms[i]);
		for (j = 0; j < m->n; j++)
			if (strcmp(m->t[j].term, terms[i]) == 0) {
				out->ham[i] = m->t[j].ham;
				out->spam[i] = m->t[j].spam;
			}
	}
	return 0;
}

/* What 20 ham and 20 spam comments on an English blog taught. */
static const struct model_term trained_terms[] = {
	{"thank", 12, 1},
	{"post", 10, 2},
	{"articl", 8, 1},
	{"great", 9, 3},
	{"learn", 6, 0},
	{"cheap", 0, 12},
	{"pill", 0, 10},
	{"discount", 1, 9},
	{"h:pills.example", 0, 8},
	{"s:links3", 1, 14},
	{"s:short", 4, 10},
};
static struct model trained = { trained_terms, nitems(trained_terms),
    20, 20, 0, NULL };
/* The same counts before it has seen any ham. */
static struct model no_ham = { trained_terms, nitems(trained_terms),
    0, 20, 0, NULL };
/* The same, from 5 messages only: weighed at a quarter. */
static struct model few = { trained_terms, nitems(trained_terms),
    2, 3, 0, NULL };
static struct model broken = { trained_terms, nitems(trained_terms),
    20, 20, 1, NULL };

static const char *const blocklist[] = {
	"viagra", " casino ", "cheap pills", "spam.biz",
};

#define P	TEXT_SPAM_PASS
#define H	TEXT_SPAM_HOLD
#define R	TEXT_SPAM_REJECT

struct check_row {
	const char	*what;
	const char	*name;
	const char	*url;
	const char	*body;
	const char	*lang;	/* NULL: detect */
	int64_t		 same_body;
	struct model	*model;	/* NULL: no filter */
	int		 use_blocklist;
	enum text_spam_verdict verdict;
	const char	*reasons;	/* exactly */
	int		 nlinks, nmixed, nblocked;
};

static const struct check_row check_rows[] = {
	{"plain English", "Ann", "",
	    "Great write-up, thanks. I tried the same on Debian 12 and it "
	    "worked.", "en", 0, NULL, 1, P, "", 0, 0, 0},
	{"Russian", "Иван", "",
	    "Отличная статья, спасибо! У меня на Debian всё заработало, "
	    "хотя пришлось поправить конфиг.", NULL, 0, NULL, 1, P, "",
	    0, 0, 0},
	{"Russian, English filter", "Иван", "",
	    "Отличная статья, спасибо! Всё заработало.", "en", 0, &trained,
	    1, P, "", 0, 0, 0},
	{"Russian with a link", "Оля", "",
	    "Спасибо! Вот документация: https://www.debian.org/doc/ — там "
	    "всё есть.", "ru", 0, NULL, 1, P, "", 1, 0, 0},
	{"Spanish", "Lucía", "",
	    "Muy buen artículo, gracias por compartirlo. Me ayudó mucho con "
	    "la configuración.", NULL, 0, NULL, 1, P, "", 0, 0, 0},
	{"Greek and Japanese", "Ελένη", "",
	    "Πολύ καλό άρθρο. 日本語のテキストもあります。", NULL, 0, NULL, 1,
	    P, "", 0, 0, 0},
	{"web site in the url field", "Ann", "https://ann.example/",
	    "Nice explanation of the migration steps, it saved me an "
	    "afternoon.", NULL, 0, NULL, 1, P, "", 1, 0, 0},
	{"two links, the limit", "Ann", "",
	    "Compare http://a.example/x and www.b.example for the details.",
	    NULL, 0, NULL, 1, P, "", 2, 0, 0},
	/* Links. */
	{"four links", "Deals", "",
	    "Visit http://a.example http://b.example http://c.example "
	    "http://d.example for the best deals today", NULL, 0, NULL, 1, H,
	    "4 links (more than 2)", 4, 0, 0},
	{"url field counts", "Deals", "https://e.example",
	    "Read http://a.example http://b.example for the best deals "
	    "today", NULL, 0, NULL, 1, H, "3 links (more than 2)", 3, 0, 0},
	{"link alone", "x", "", "http://a.example/buy", NULL, 0, NULL, 1, H,
	    "links with almost no text", 1, 0, 0},
	{"seven bare links", "x", "",
	    "http://a.example www.b.example http://c.example/1 "
	    "https://d.example www.e.example http://f.example http://g.example",
	    NULL, 0, NULL, 1, R,
	    "7 links (more than 2); links with almost no text", 7, 0, 0},
	/* Look-alike letters. */
	{"homoglyph", "Bob", "", "Buy v\xd1\x96" "agra today, best price",
	    NULL, 0, NULL, 0, H,
	    "1 word mixes scripts (v\xd1\x96" "agra)", 0, 1, 0},
	{"two homoglyphs", "Bob", "",
	    "Best c\xd0\xb0sino and v\xd1\x96" "agra deals", NULL, 0, NULL, 0,
	    H, "2 words mix scripts (c\xd0\xb0sino, v\xd1\x96" "agra)",
	    0, 2, 0},
	{"three homoglyphs", "Bob", "",
	    "Best c\xd0\xb0sino and v\xd1\x96" "agra and p\xd0\xbekr deals",
	    NULL, 0, NULL, 0, R,
	    "3 words mix scripts (c\xd0\xb0sino, v\xd1\x96" "agra, "
	    "p\xd0\xbekr)", 0, 3, 0},
	{"same homoglyph twice", "Bob", "",
	    "v\xd1\x96" "agra v\xd1\x96" "agra now now now", NULL, 0, NULL, 0,
	    H, "2 words mix scripts (v\xd1\x96" "agra)", 0, 2, 0},
	{"a bilingual slip", "Ann", "",
	    "Thanks, I have \xd0\xb0 lot to learn about this.", NULL, 0, NULL,
	    1, P, "", 0, 0, 0},
	/* Blocklist. */
	{"blocklist by look-alike", "Bob", "", "Get v\xd1\x96" "agra here",
	    NULL, 0, NULL, 1, H,
	    "1 word mixes scripts (v\xd1\x96" "agra); blocklist: viagra",
	    0, 1, 1},
	{"blocklist by inflection", "Bob", "",
	    "VIAGRAS shipped worldwide, no prescription", NULL, 0, NULL, 1, H,
	    "blocklist: viagra", 0, 0, 1},
	{"blocklist, two entries", "Bob", "",
	    "Viagra and casino offers for you", NULL, 0, NULL, 1, R,
	    "blocklist: viagra, casino", 0, 0, 2},
	{"blocklist phrase", "Bob", "", "Cheap pills, fast delivery worldwide",
	    NULL, 0, NULL, 1, H, "blocklist: cheap pills", 0, 0, 1},
	{"blocklist phrase out of order", "Ann", "",
	    "The pills are cheap where I live.", NULL, 0, NULL, 1, P, "",
	    0, 0, 0},
	{"blocklist host", "Bob", "",
	    "More about it on http://www.spam.biz/offer if you want to know",
	    NULL, 0, NULL, 1, H, "blocklist: spam.biz", 1, 0, 1},
	{"blocklist word in a host", "Bob", "",
	    "Our friends at https://Casino-Royal.example/ say hello to all",
	    NULL, 0, NULL, 1, H, "blocklist: casino", 1, 0, 1},
	{"no blocklist", "Bob", "", "VIAGRAS shipped worldwide", NULL, 0,
	    NULL, 0, P, "", 0, 0, 0},
	/* The same text again. */
	{"sent twice", "Ann", "", "Great post!", NULL, 1, NULL, 1, P, "",
	    0, 0, 0},
	{"sent three times", "Ann", "", "Great post!", NULL, 2, NULL, 1, H,
	    "same text sent 3 times", 0, 0, 0},
	{"sent six times", "Ann", "", "Great post!", NULL, 5, NULL, 1, R,
	    "same text sent 6 times", 0, 0, 0},
	/* The filter. */
	{"filter: spam", "Bob", "", "Cheap discount pills", NULL, 0,
	    &trained, 0, R, "filter: 0.99", 0, 0, 0},
	{"filter: spam link", "Bob", "",
	    "Order at http://pills.example now, cheap", NULL, 0, &trained, 0,
	    R, "filter: 0.99", 1, 0, 0},
	{"filter: ham", "Ann", "", "Great post, thanks for the article!",
	    NULL, 0, &trained, 0, P, "", 0, 0, 0},
	{"filter: nothing known", "Ann", "",
	    "Interesting take on compilers and linkers.", NULL, 0, &trained,
	    0, P, "", 0, 0, 0},
	{"filter: ham outweighs a slip", "Ann", "",
	    "Great post, thanks! I learned \xd0\xb0 lot about "
	    "c\xd0\xb0" "ching.",
	    NULL, 0, &trained, 0, P, "1 word mixes scripts (c\xd0\xb0" "ching)",
	    0, 1, 0},
	{"filter without ham", "Bob", "", "Cheap discount pills", NULL, 0,
	    &no_ham, 0, P, "", 0, 0, 0},
	{"filter barely trained", "Bob", "", "Cheap discount pills", NULL, 0,
	    &few, 0, P, "filter: 0.93", 0, 0, 0},
	{"filter fails", "Bob", "", "Cheap discount pills", NULL, 0,
	    &broken, 0, P, "", 0, 0, 0},
};

static void
test_check(void **state)
{
	const struct check_row		*r;
	struct text_spam_conf		 conf;
	struct text_spam_input		 in;
	struct text_spam_result		 res, again;
	struct arena			*a;
	size_t				 i, bad = 0;

	(void)state;
	a = arena_new();
	for (i = 0; i < nitems(check_rows); i++) {
		r = &check_rows[i];
		memset(&conf, 0, sizeof(conf));
		conf.hold = 0.5;
		conf.reject = 0.9;
		conf.max_links = 2;
		if (r->use_blocklist) {
			conf.blocklist = blocklist;
			conf.nblocklist = nitems(blocklist);
		}
		memset(&in, 0, sizeof(in));
		in.name = r->name;
		in.email = "";
		in.url = r->url;
		in.body = r->body;
		in.lang = r->lang;
		in.same_body = r->same_body;
		if (text_spam_check(a, &conf, &in, r->model != NULL ?
		    model_counts : NULL, r->model, &res) != 0)
			fail_msg("%s: failed", r->what);
		if (res.verdict != r->verdict || strcmp(res.reasons,
		    r->reasons) != 0 || res.nlinks != r->nlinks ||
		    res.nmixed != r->nmixed || res.nblocked != r->nblocked) {
			print_error("%s: verdict %d, score %.3f, bayes %.3f, "
			    "links %d, mixed %d, blocked %d, reasons \"%s\"\n",
			    r->what, res.verdict, res.score, res.bayes,
			    res.nlinks, res.nmixed, res.nblocked, res.reasons);
			bad++;
		}
		assert_true(res.score >= 0 && res.score <= 1);
		assert_true(res.bayes >= 0 && res.bayes <= 1);
		/* The same comment, the same answer. */
		assert_int_equal(text_spam_check(a, &conf, &in, r->model !=
		    NULL ? model_counts : NULL, r->model, &again), 0);
		assert_true(again.score == res.score);
		assert_string_equal(again.reasons, res.reasons);
	}
	arena_free(a);
	assert_int_equal(bad, 0);
}

/* The filter's own number, from rows where the arithmetic is known. */
static void
test_check_bayes(void **state)
{
	struct text_spam_conf	 conf = { 0.5, 0.9, 2, NULL, 0 };
	struct text_spam_input	 in = { "", "", "", "Cheap pills", "en", 0 };
	struct text_spam_result	 res;
	struct arena		*a;

	(void)state;
	a = arena_new();
	/* No filter: 0.5, and only the prior. */
	assert_int_equal(text_spam_check(a, &conf, &in, NULL, NULL, &res), 0);
	assert_true(res.bayes == 0.5);
	assert_true(fabs(res.score - 0.2) < 1e-9);
	/* Trained: the filter decides alone. */
	assert_int_equal(text_spam_check(a, &conf, &in, model_counts,
	    &trained, &res), 0);
	assert_true(res.bayes > 0.95);
	assert_true(res.score == res.bayes);
	assert_int_equal(res.verdict, TEXT_SPAM_REJECT);
	/* From 5 messages it counts for a quarter. */
	assert_int_equal(text_spam_check(a, &conf, &in, model_counts, &few,
	    &res), 0);
	assert_true(fabs(res.score - (0.2 + 0.25 * (res.bayes - 0.2))) <
	    1e-9);
	arena_free(a);
}

/* The filter is asked about exactly the terms text_spam_terms gives. */
static void
test_check_terms(void **state)
{
	struct text_spam_conf	 conf = { 0.5, 0.9, 2, NULL, 0 };
	struct text_spam_input	 in = { "Ann Lee", "", "ann.example",
	    "Thanks for https://x.example and www.y.example!", NULL, 0 };
	struct text_spam_result	 res;
	struct model		 m = trained;
	struct buf		 seen = BUF_INIT, want = BUF_INIT;
	struct arena		*a;
	const char		**t;
	size_t			 n, i;

	(void)state;
	a = arena_new();
	m.seen = &seen;
	assert_int_equal(text_spam_check(a, &conf, &in, model_counts, &m,
	    &res), 0);
	assert_int_equal(text_spam_terms(a, NULL, in.name, in.url, in.body,
	    &t, &n), 0);
	for (i = 0; i < n; i++)
		buf_addf(&want, "%s%s", i > 0 ? " " : "", t[i]);
	assert_string_equal(seen.p, want.p);
	assert_string_equal(want.p, "s:links3 s:url h:ann.example "
	    "h:x.example h:y.example n:ann n:lee thank for and");
	buf_clear(&seen);
	buf_clear(&want);
	arena_free(a);
}

struct bayes_row {
	const char	*what;
	int64_t		 nham, nspam;
	size_t		 n;
	int64_t		 ham[20], spam[20];
	double		 want;
	size_t		 nclues;
};

#define B15	{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
#define S3	{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}

/*
 * f(w) = (0.5 + n p) / (1 + n), p = (s/nspam) / (h/nham + s/nspam),
 * n = h + s.  One clue: I = f.  Two clues a, b: H = ab (1 - ln ab),
 * S = (1-a)(1-b) (1 - ln (1-a)(1-b)), I = (1 + H - S) / 2.
 */
static const struct bayes_row bayes_rows[] = {
	{"no ham learned", 0, 5, 1, {0}, {3}, 0.5, 0},
	{"no spam learned", 5, 0, 1, {3}, {0}, 0.5, 0},
	{"no terms", 5, 5, 0, {0}, {0}, 0.5, 0},
	{"unseen term", 5, 5, 1, {0}, {0}, 0.5, 0},
	/* f = (0.5 + 3) / 4 = 0.875 */
	{"one spam clue", 4, 4, 1, {0}, {3}, 0.875, 1},
	/* p = 0.5 / (0.1 + 0.5), f = (0.5 + 2 p) / 3 = 0.7222 */
	{"normalised", 10, 2, 1, {1}, {1}, (0.5 + 2.0 * 5 / 6) / 3, 1},
	{"evidence both ways", 4, 4, 2, {0, 3}, {3, 0}, 0.5, 2},
	/* H = .765625 (1 - ln .765625), S = .015625 (1 - ln .015625) */
	{"two spam clues", 4, 4, 2, {0, 0}, {3, 3}, 0.9447436983894028, 2},
	{"two ham clues", 4, 4, 2, {3, 3}, {0, 0}, 0.0552563016105972, 2},
	/* f = 3.5 / 6 is too close to 0.5; f = 9.5 / 10 alone. */
	{"weak term ignored", 10, 10, 2, {2, 0}, {3, 9}, 0.95, 1},
	/* Only 15 of 20 count. */
	{"fifteen clues", 4, 4, 20, B15, S3, 0.9997653505947685, 15},
	/* The ham clue (f = 0.25) is the least telling of 16. */
	{"most telling", 4, 4, 16, B15,
	    {0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},
	    0.9997653505947685, 15},
	/* Impossible counts are read as 0 and nspam: f = 4.5 / 5. */
	{"counts clamped", 4, 4, 1, {-5}, {99}, 0.9, 1},
	{"huge counts", INT64_MAX, INT64_MAX, 1, {0}, {INT64_MAX}, 1, 1},
};

static void
test_bayes(void **state)
{
	const struct bayes_row	*r;
	struct text_spam_counts	 c;
	int64_t			 ham[20], spam[20];
	size_t			 i, nclues;
	double			 p;

	(void)state;
	c.ham = ham;
	c.spam = spam;
	for (i = 0; i < nitems(bayes_rows); i++) {
		r = &bayes_rows[i];
		memcpy(ham, r->ham, sizeof(ham));
		memcpy(spam, r->spam, sizeof(spam));
		c.nham = r->nham;
		c.nspam = r->nspam;
		p = text_bayes_clues(&c, r->n, &nclues);
		if (fabs(p - r->want) > 1e-6 || nclues != r->nclues)
			fail_msg("%s: %.9f from %zu clues", r->what, p,
			    nclues);
		assert_true(text_bayes(&c, r->n) == p);
	}
	/* Strong evidence is strong; without counts, nothing. */
	c.nham = c.nspam = 4;
	ham[0] = ham[1] = 0;
	spam[0] = spam[1] = 3;
	assert_true(text_bayes(&c, 2) > 0.9);
	ham[0] = ham[1] = 3;
	spam[0] = spam[1] = 0;
	assert_true(text_bayes(&c, 2) < 0.1);
	assert_true(text_bayes(NULL, 3) == 0.5);
	c.ham = NULL;
	assert_true(text_bayes(&c, 2) == 0.5);
}

/* 1 when the term is in t[0..n). */
static int
has(const char **t, size_t n, const char *term)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i], term) == 0)
			return 1;
	return 0;
}

struct terms_row {
	const char	*what;
	const char	*name;
	const char	*url;
	const char	*body;
	const char	*lang;
	const char	*want;	/* terms joined by spaces, exactly */
};

static const struct terms_row terms_rows[] = {
	{"words, stemmed and deduplicated", "", "",
	    "Running runs, run RUN!", "en", "run"},
	{"hosts", "", "example.net",
	    "Read http://WWW.Example.COM/a and "
	    "https://user:pw@news.example.org:8080/x?y=1, www.third.example. "
	    "Also HTTP://Example.com#top again.", "en",
	    "s:links3 s:url h:example.net h:example.com h:news.example.org "
	    "h:third.example read and also again"},
	{"not links", "", "not a url",
	    "awww.no and www. and http:// and me@mail.example", "en",
	    "awww.no and www http me@mail.exampl"},
	/* A would-be link hides no real one after it. */
	{"link after a would-be one", "", "",
	    "www.a,www.b.example and http://,http://c.example", "en",
	    "s:links2 h:b.example h:c.example www.a and http"},
	{"link in brackets and at a sentence's end", "", "",
	    "See (www.a.example), [x](http://b.example/p). Then "
	    "<a href=\"https://c.example\">it</a>!", "en",
	    "s:links3 h:a.example h:b.example h:c.example see x then a href "
	    "it"},
	{"international host", "", "",
	    "Сайт http://Пример.рф/путь хороший, правда", "ru",
	    "s:links1 s:nolatin h:Пример.рф сайт хорош правд"},
	{"look-alike", "", "", "Buy v\xd1\x96" "agra today please", "en",
	    "s:mixed buy viagra today pleas"},
	{"name", "Ann-Marie O'Neil", "", "Thanks a lot for this", "en",
	    "n:ann n:marie n:o'neil thank a lot for this"},
	{"no Latin letters", "", "", "Отличная статья, спасибо", NULL,
	    "s:nolatin отличн стат спасиб"},
	{"Latin among Cyrillic", "", "", "Отличная статья про Debian",
	    NULL, "отличн стат про debian"},
	{"empty", "", "", "", NULL, "s:short"},
};

static void
test_terms(void **state)
{
	const struct terms_row	*r;
	struct arena		*a;
	struct buf		 b = BUF_INIT;
	const char		**t;
	size_t			 i, j, n, nbad = 0;

	(void)state;
	a = arena_new();
	for (i = 0; i < nitems(terms_rows); i++) {
		r = &terms_rows[i];
		if (text_spam_terms(a, r->lang, r->name, r->url, r->body, &t,
		    &n) != 0)
			fail_msg("%s: failed", r->what);
		buf_reset(&b);
		buf_adds(&b, "");
		for (j = 0; j < n; j++)
			buf_addf(&b, "%s%s", j > 0 ? " " : "", t[j]);
		if (strcmp(b.p, r->want) != 0) {
			print_error("%s: \"%s\"\n", r->what, b.p);
			nbad++;
		}
	}
	buf_clear(&b);
	arena_free(a);
	assert_int_equal(nbad, 0);
}

/* A long comment: the bound holds, signals and hosts stay inside it. */
static void
test_terms_bound(void **state)
{
	struct arena	*a;
	struct buf	 b = BUF_INIT;
	const char	**t;
	size_t		 i, j, n;

	(void)state;
	a = arena_new();
	for (i = 0; i < 400; i++)
		buf_addf(&b, "w%zu ", i);
	buf_adds(&b, "http://last.example/ w0 w1");
	assert_int_equal(text_spam_terms(a, "en", "Zed", "", b.p, &t, &n), 0);
	assert_int_equal(n, TEXT_SPAM_TERMS_MAX);
	assert_true(has(t, n, "s:links1"));
	assert_true(has(t, n, "h:last.example"));
	assert_true(has(t, n, "n:zed"));
	assert_true(has(t, n, "w0"));
	assert_false(has(t, n, "w399"));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(t[i], t[j]);
	buf_clear(&b);
	arena_free(a);
}

static void
test_invalid(void **state)
{
	struct text_spam_conf	 conf = { 0.5, 0.9, 2, NULL, 0 };
	struct text_spam_input	 in = { "Ann", "", "", "ok", NULL, 0 };
	struct text_spam_result	 res;
	struct arena		*a;
	const char		**t;
	const char		*bad[] = { "caf\xc3", "\xff", "a\xed\xa0\x80",
	    "\xc0\xaf" };
	size_t			 i, n;

	(void)state;
	a = arena_new();
	for (i = 0; i < nitems(bad); i++) {
		n = 1;
		t = bad;
		assert_int_equal(text_spam_terms(a, NULL, "", "", bad[i], &t,
		    &n), -1);
		assert_null(t);
		assert_int_equal(n, 0);
		assert_int_equal(text_spam_terms(a, NULL, bad[i], "", "ok",
		    &t, &n), -1);
		assert_int_equal(text_spam_terms(a, NULL, "", bad[i], "ok",
		    &t, &n), -1);
		in.body = bad[i];
		assert_int_equal(text_spam_check(a, &conf, &in, NULL, NULL,
		    &res), -1);
		assert_string_equal(res.reasons, "");
		assert_int_equal(res.verdict, TEXT_SPAM_PASS);
		in.body = "ok";
		in.url = bad[i];
		assert_int_equal(text_spam_check(a, &conf, &in, NULL, NULL,
		    &res), -1);
		in.url = "";
	}
	arena_free(a);
}

/* Reasons quote at most SPAM_SHOW_N words, each cut to 32 bytes. */
static void
test_reasons_bounded(void **state)
{
	struct text_spam_conf	 conf = { 0.5, 0.9, 2, NULL, 0 };
	struct text_spam_input	 in = { "", "", "", NULL, "en", 0 };
	struct text_spam_result	 res;
	struct arena		*a;

	(void)state;
	a = arena_new();
	in.body = "v\xd1\x96" "agraaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
	    "\xd0\xb0" "b \xd0\xb0" "c \xd0\xb0" "d \xd0\xb0" "e";
	assert_int_equal(text_spam_check(a, &conf, &in, NULL, NULL, &res), 0);
	assert_string_equal(res.reasons, "5 words mix scripts (v\xd1\x96"
	    "agraaaaaaaaaaaaaaaaaaaaaaaaaa..., \xd0\xb0" "b, \xd0\xb0"
	    "c, \xd0\xb0" "d, ...)");
	assert_int_equal(res.verdict, TEXT_SPAM_REJECT);
	arena_free(a);
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
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_bayes),
		cmocka_unit_test(test_check_terms),
		cmocka_unit_test(test_bayes),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_terms_bound),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_reasons_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
