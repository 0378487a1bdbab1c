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
 * Unit tests of src/search: the query language and the edit distance,
 * and of the keyword ranking in src/text/keyword.c, with a fixed
 * document-frequency table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "search/search.h"
#include "text/text.h"

/* The parsed query, one line per phrase: "[-]alt:term term". */
static char *
dump(struct arena *a, const struct search_parsed *sp)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, j;
	char		*s;

	for (i = 0; i < sp->q.nphrases; i++) {
		buf_addf(&b, "%s%d:", sp->q.phrases[i].is_negated ? "-" : "",
		    sp->q.phrases[i].alt);
		for (j = 0; j < sp->q.phrases[i].nterms; j++)
			buf_addf(&b, "%s%s", j > 0 ? " " : "",
			    sp->q.phrases[i].terms[j]);
		buf_addc(&b, '\n');
	}
	if (sp->label != NULL)
		buf_addf(&b, "label:%s\n", sp->label);
	if (sp->is_cut)
		buf_adds(&b, "cut\n");
	if (sp->is_empty)
		buf_adds(&b, "empty\n");
	s = arena_strdup(a, b.p == NULL ? "" : b.p);
	buf_clear(&b);
	return s;
}

static void
test_parse(void **state)
{
	static const struct {
		const char	*site;
		const char	*q;
		const char	*want;	/* dump(), or a prefix of it */
	} rows[] = {
		{ "en", "", "empty\n" },
		{ "en", "   ", "empty\n" },
		{ "en", "\"\"", "empty\n" },
		{ "en", "---", "empty\n" },
		{ "en", "-ferry", "-1:ferri\nempty\n" },
		{ "en", "ferries", "1:ferri\n" },
		{ "en", "KOREA", "1:korea\n" },
		{ "en", "\"North Korea\"", "1:north korea\n" },
		{ "en", "ferry -harbour", "1:ferri\n-2:harbour\n" },
		{ "en", "label:\"North Korea\" arms",
		  "1:arm\nlabel:North Korea\n" },
		{ "en", "label:Russia", "label:Russia\nempty\n" },
		{ "en", "\xd0\xa0utin", "1:putin\n" },
		{ "ru", "\xd1\x84\xd0\xb5\xd1\x81\xd1\x82\xd0\xb8\xd0\xb2\xd0"
		  "\xb0\xd0\xbb\xd1\x8f", "1:\xd1\x84\xd0\xb5\xd1\x81\xd1\x82"
		  "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbb\n" },
		{ "en", "a b c d e f g h i j k l m", "1:a\n2:b\n3:c\n4:d\n5:e\n"
		  "6:f\n7:g\n8:h\n9:i\n10:j\n11:k\n12:l\ncut\n" },
		{ "en", "!!! ???", "empty\n" },
	};
	struct arena		*a = arena_new();
	struct search_parsed	 sp;
	const char		*got;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(search_parse(a, rows[i].q, rows[i].site,
		    &sp), 0);
		got = dump(a, &sp);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu (%s): got\n%s", i, rows[i].q, got);
	}
	assert_int_equal(search_parse(a, "\xff", "en", &sp), -1);
	arena_free(a);
}

/* A Spanish site's query meets English stems too, as an alternative. */
static void
test_parse_languages(void **state)
{
	struct arena		*a = arena_new();
	struct search_parsed	 sp;
	size_t			 i, en = 0;

	(void)state;
	assert_int_equal(search_parse(a, "ammunitions", "es", &sp), 0);
	assert_true(sp.q.nphrases >= 2);
	for (i = 0; i < sp.q.nphrases; i++) {
		assert_int_equal(sp.q.phrases[i].alt, 1);
		if (strcmp(sp.q.phrases[i].terms[0], "ammunit") == 0)
			en = 1;
	}
	assert_true(en);
	arena_free(a);
}

static void
test_distance(void **state)
{
	static const struct {
		const char	*a, *b;
		size_t		 max, want;
	} rows[] = {
		{ "ferries", "ferries", 2, 0 },
		{ "feries", "ferries", 2, 1 },
		{ "kazan", "kazzan", 2, 1 },
		{ "abc", "xyz", 2, 3 },
		{ "abc", "abcdefgh", 2, 3 },
		{ "", "ab", 2, 2 },
		{ "\xd0\xba\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xbd\xd1\x8c",
		  "\xd0\xba\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xbd", 2, 1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (search_distance(rows[i].a, rows[i].b, rows[i].max) !=
		    rows[i].want)
			fail_msg("row %zu: %zu", i, search_distance(rows[i].a,
			    rows[i].b, rows[i].max));
}

/* Document frequencies of a pretend site of 100 posts. */
static int64_t
fake_df(void *arg, const char *const *terms, size_t n)
{
	(void)arg;
	if (n == 1 && strcmp(terms[0], "harbour") == 0)
		return 90;	/* on almost every post: a weak keyword */
	return 1;
}

static void
test_keywords(void **state)
{
	static const char *const labels[] = { "Ferries", "Mountains",
	    "ferry lines" };
	struct arena		*a = arena_new();
	struct text_keyword	*kw;
	size_t			 n, i;
	int			 saw_name = 0;

	(void)state;
	assert_int_equal(text_keywords(a, "en", "Ferries return to Long "
	    "Harbour", "The ferries of Long Harbour sail again. Long Harbour "
	    "has waited. A ferry line to Grey Island opens too, and Grey "
	    "Island welcomes the ferry.", labels, nitems(labels), fake_df,
	    NULL, 100, 8, &kw, &n), 0);
	assert_true(n > 2);
	/* The supported label first, the unsupported ones not at all. */
	assert_string_equal(kw[0].phrase, "Ferries");
	assert_int_equal(kw[0].is_existing, 1);
	for (i = 0; i < n; i++) {
		assert_string_not_equal(kw[i].phrase, "Mountains");
		assert_true(kw[i].score >= 0 && kw[i].score <= 1);
		if (i > 0 && kw[i].is_existing == kw[i - 1].is_existing)
			assert_true(kw[i].score <= kw[i - 1].score);
		if (strcmp(kw[i].phrase, "Long Harbour") == 0 ||
		    strcmp(kw[i].phrase, "Grey Island") == 0)
			saw_name++;
		/* "ferry" says what the label "Ferries" says already. */
		assert_true(kw[i].is_existing || strcmp(kw[i].phrase,
		    "ferry") != 0);
	}
	assert_int_equal(saw_name, 2);
	assert_int_equal(text_keywords(a, "en", "t", "\xff", NULL, 0, NULL,
	    NULL, 0, 5, &kw, &n), -1);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_languages),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_keywords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
