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
 * Fuzz target: the seed text importer's parser (import_seed_parse,
 * src/import/seed.c), which reads the date, title, body, labels and
 * Blogger-style comment blocks of a page saved as text.  The site is
 * Spanish in Madrid's zone, so Spanish and English dates both parse.
 * Each input gets a fresh arena.  Checks the limits and shapes import.h
 * and seed.c promise for a parsed document, that a refused one comes
 * back zeroed with a message, and that import_seed_path names it.  Not
 * here: the store (seed_file.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "import/import.h"
#include "text/text.h"

#include "fuzz.h"

static const struct import_opts opts = { "es", "Europe/Madrid" };

/* 1 if s is one of the page chrome languages seed.c recognizes. */
static int
is_ui_lang(const char *s)
{
	return strcmp(s, "en") == 0 || strcmp(s, "es") == 0 ||
	    strcmp(s, "ru") == 0 || strcmp(s, "ko") == 0;
}

/* 1 if s looks like a language code: two or three a-z letters. */
static int
is_lang_code(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return i == 2 || i == 3;
}

/* 1 if s[0..len) is text the parser could have kept. */
static int
is_str(const char *s, size_t max)
{
	size_t	 len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	return len <= max && str_is_utf8(s, len);
}

/* Checks a document import_seed_parse accepted. */
static void
check_doc(struct arena *a, const struct seed_doc *doc)
{
	const struct seed_comment	*cm;
	const char			*path, *dot;
	size_t				 i, j;

	FUZZ_CHECK(is_str(doc->title, LIMIT_TITLE));
	FUZZ_CHECK(doc->nparas == 0 || doc->paras != NULL);
	for (i = 0; i < doc->nparas; i++)
		FUZZ_CHECK(is_str(doc->paras[i], LIMIT_IMPORT_LINE));

	FUZZ_CHECK(doc->nlabels <= LIMIT_LABELS);
	FUZZ_CHECK(doc->nlabels == 0 || doc->labels != NULL);
	for (i = 0; i < doc->nlabels; i++) {
		FUZZ_CHECK(is_str(doc->labels[i], LIMIT_LABEL));
		FUZZ_CHECK(doc->labels[i][0] != '\0');
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(doc->labels[i], doc->labels[j]) != 0);
	}

	FUZZ_CHECK(doc->ncomments == 0 || doc->comments != NULL);
	for (i = 0; i < doc->ncomments; i++) {
		cm = &doc->comments[i];
		FUZZ_CHECK(is_str(cm->name, LIMIT_COMMENT_NAME));
		FUZZ_CHECK(is_str(cm->body, LIMIT_COMMENT_BODY));
		FUZZ_CHECK(cm->body[0] != '\0');
		/* A reply answers an earlier comment that is no reply. */
		FUZZ_CHECK(cm->parent >= 0 && (size_t)cm->parent <= i);
		if (cm->parent > 0)
			FUZZ_CHECK(doc->comments[cm->parent - 1].parent == 0);
	}

	FUZZ_CHECK(doc->ui_lang != NULL);
	FUZZ_CHECK(doc->ui_lang[0] == '\0' || is_ui_lang(doc->ui_lang));
	/* Guessed by text_lang_detect: en, es, ru, ko, but also de, zh... */
	FUZZ_CHECK(doc->lang != NULL && is_lang_code(doc->lang));

	/* "/YYYY/MM/SLUG.html", as the site's {year}/{month} routes want. */
	path = import_seed_path(a, &opts, doc);
	FUZZ_CHECK(path != NULL);
	FUZZ_CHECK(strlen(path) > 14 && path[0] == '/' && path[5] == '/' &&
	    path[8] == '/');
	for (i = 1; i < 8; i++)
		FUZZ_CHECK(i == 5 || (path[i] >= '0' && path[i] <= '9'));
	dot = strrchr(path, '.');
	FUZZ_CHECK(dot != NULL && strcmp(dot, ".html") == 0);
	FUZZ_CHECK(dot > path + 9);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* ICU's per-thread objects, so that leak checkers stay quiet. */
	atexit(text_thread_cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct seed_doc	 zero;
	struct seed_doc			 doc;
	struct arena			*a;
	char				 err[512];

	a = arena_new();
	memset(&doc, 0xa5, sizeof(doc));
	if (import_seed_parse("fuzz.txt", (const char *)data, size, &opts, a,
	    &doc, err, sizeof(err)) == 0)
		check_doc(a, &doc);
	else {
		FUZZ_CHECK(memcmp(&doc, &zero, sizeof(doc)) == 0);
		FUZZ_CHECK(strncmp(err, "fuzz.txt:", 9) == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	}
	arena_free(a);
	return 0;
}
