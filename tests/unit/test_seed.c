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
 * The seed text parser (src/import/seed.c).  Golden pairs: each good
 * fixture in tests/fixtures/seed/ is parsed and dumped one field a line,
 * then compared with tests/unit/golden/import/NAME.expected; with
 * GOLDEN_UPDATE=1 in the environment the expected files are rewritten
 * instead (review the diff before committing).  Malformed fixtures and
 * inline rows must fail with their "FILE:LINE: why".  Last,
 * import_seed_file() against a throwaway SQLite store.  Run from the
 * project root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base.h"
#include "import/import.h"
#include "store/store.h"
#include "text/text.h"

#define FIXTURES	"tests/fixtures/seed/"
#define GOLDEN		"tests/unit/golden/import/"

/* Reads path whole into b; fails the test if it cannot. */
static void
slurp(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[4096];
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open (run from the project root)", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	assert_int_equal(ferror(f), 0);
	fclose(f);
}

/* Appends s with backslash, newline, CR and tab escaped: one line. */
static void
dump_str(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			buf_addc(b, *s);
		}
}

static void
dump_time(struct buf *b, const char *tz, int64_t t)
{
	char	 iso[64];

	if (text_date_iso(tz, t, iso, sizeof(iso)) == -1)
		fail_msg("cannot format %lld in %s", (long long)t, tz);
	buf_adds(b, iso);
}

/* The stable text form of a parsed document, compared with golden files. */
static void
dump(struct buf *b, struct arena *a, const struct import_opts *o,
    const struct seed_doc *d)
{
	const char	*path;
	size_t		 i;

	buf_adds(b, "published\t");
	dump_time(b, o->timezone, d->published);
	buf_adds(b, "\ntitle\t");
	dump_str(b, d->title);
	path = import_seed_path(a, o, d);
	buf_addf(b, "\npath\t%s\nlang\t%s\nui_lang\t%s\n",
	    path != NULL ? path : "(null)", d->lang, d->ui_lang);
	for (i = 0; i < d->nparas; i++) {
		buf_adds(b, "para\t");
		dump_str(b, d->paras[i]);
		buf_addc(b, '\n');
	}
	for (i = 0; i < d->nlabels; i++) {
		buf_adds(b, "label\t");
		dump_str(b, d->labels[i]);
		buf_addc(b, '\n');
	}
	for (i = 0; i < d->ncomments; i++) {
		buf_addf(b, "comment\t%zu\tparent=%d\tcreated=", i + 1,
		    d->comments[i].parent);
		if (d->comments[i].created == 0)
			buf_adds(b, "0");
		else
			dump_time(b, o->timezone, d->comments[i].created);
		buf_adds(b, "\tname=");
		dump_str(b, d->comments[i].name);
		buf_adds(b, "\nbody\t");
		dump_str(b, d->comments[i].body);
		buf_addc(b, '\n');
	}
}

struct golden_row {
	const char	*fixture;	/* under FIXTURES, without ".txt" */
	const char	*golden;	/* under GOLDEN, without ".expected" */
	const char	*locale;
	const char	*tz;
};

static const struct golden_row golden_rows[] = {
	{"en-homoglyph", "en-homoglyph", "en", "UTC"},
	{"es-comments", "es-comments", "es", "Europe/Madrid"},
	/* The Spanish date on line 1 is read through the chrome's language. */
	{"es-comments", "es-comments.site-en", "en", "UTC"},
	{"ru", "ru", "ru", "Europe/Moscow"},
	{"ko", "ko", "ko", "Asia/Seoul"},
	{"iso-date", "iso-date", "en", "UTC"},
};

/* Reports the first line where got and want differ. */
static void
golden_diff(const char *path, const char *got, const char *want)
{
	size_t	 line = 1, i;

	for (i = 0; got[i] != '\0' && got[i] == want[i]; i++)
		line += got[i] == '\n';
	fail_msg("%s: differs from line %zu (GOLDEN_UPDATE=1 rewrites)\n"
	    "--- got:\n%s--- want:\n%s", path, line, got, want);
}

static void
test_golden(void **state)
{
	const struct golden_row	*r;
	struct import_opts	 o;
	struct seed_doc		 doc;
	struct arena		*a;
	struct buf		 in = BUF_INIT, out = BUF_INIT, want = BUF_INIT;
	char			 path[256], gpath[256], err[512];
	const char		*update;
	FILE			*f;
	size_t			 i;

	(void)state;
	update = getenv("GOLDEN_UPDATE");
	for (i = 0; i < nitems(golden_rows); i++) {
		r = &golden_rows[i];
		a = arena_new();
		o.locale = r->locale;
		o.timezone = r->tz;
		snprintf(path, sizeof(path), FIXTURES "%s.txt", r->fixture);
		snprintf(gpath, sizeof(gpath), GOLDEN "%s.expected", r->golden);
		buf_reset(&in);
		buf_reset(&out);
		slurp(path, &in);
		if (import_seed_parse(path, in.p, in.len, &o, a, &doc, err,
		    sizeof(err)) == -1)
			fail_msg("%s: %s", path, err);
		dump(&out, a, &o, &doc);
		if (update != NULL && strcmp(update, "1") == 0) {
			if ((f = fopen(gpath, "wb")) == NULL)
				fail_msg("%s: cannot write", gpath);
			fwrite(out.p, 1, out.len, f);
			fclose(f);
		} else {
			buf_reset(&want);
			slurp(gpath, &want);
			if (want.p == NULL || strcmp(out.p, want.p) != 0)
				golden_diff(gpath, out.p,
				    want.p != NULL ? want.p : "");
		}
		arena_free(a);
	}
	buf_clear(&in);
	buf_clear(&out);
	buf_clear(&want);
}

struct bad_row {
	const char	*file;	/* under FIXTURES */
	const char	*err;	/* after "FIXTURES/file:" */
};

static const struct bad_row bad_rows[] = {
	{"bad-utf8.txt", "3: not valid UTF-8"},
	{"nul-byte.txt", "4: not valid UTF-8 text (NUL byte)"},
	{"no-title.txt", "2: missing title"},
	{"bad-date.txt", "1: unknown date \"Septembre 32, 2023\""},
	{"empty.txt", "1: empty file"},
};

static void
test_bad_fixtures(void **state)
{
	const struct import_opts o = {"en", "UTC"};
	struct seed_doc		 doc;
	struct arena		*a = arena_new();
	struct buf		 in = BUF_INIT;
	char			 path[256], err[512], want[512];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(bad_rows); i++) {
		snprintf(path, sizeof(path), FIXTURES "%s", bad_rows[i].file);
		snprintf(want, sizeof(want), "%s:%s", path, bad_rows[i].err);
		buf_reset(&in);
		slurp(path, &in);
		memset(&doc, 0xa5, sizeof(doc));
		assert_int_equal(import_seed_parse(path, in.p != NULL ? in.p :
		    "", in.len, &o, a, &doc, err, sizeof(err)), -1);
		assert_string_equal(err, want);
		/* The document is zeroed on failure. */
		assert_null(doc.title);
		assert_int_equal(doc.nparas, 0);
		assert_int_equal(doc.ncomments, 0);
	}
	buf_clear(&in);
	arena_free(a);
}

struct err_row {
	const char	*text;
	const char	*err;	/* after "t.txt:" */
};

static const struct err_row err_rows[] = {
	{"   \n\t\n\n", "1: empty file"},
	{"\xef\xbb\xbf", "1: empty file"},
	{"\nTitle\n", "1: missing date"},
	{"September 12, 2023\n", "2: missing title"},
	{"September 12, 2023", "2: missing title"},
	{"Sep 12, 2023\nTitle\n", "1: unknown date \"Sep 12, 2023\""},
	{"12 de septiembre de 2023\nT\n", "1: unknown date "
	    "\"12 de septiembre de 2023\""},
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxx\nT\n", "1: unknown date \""
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "...\""},
	{"September 12, 2023\nT\nab\rcd\n", "3: carriage return inside a line"},
	{"September 12, 2023\nT\x07\n", "2: not valid UTF-8 text "
	    "(control character 0x07)"},
	{"September 12, 2023\nT\n\xc3\n", "3: not valid UTF-8"},
	{"September 12, 2023\nT\n\xed\xa0\x80\n", "3: not valid UTF-8"},
	{"September 12, 2023\nT\nBody\nComments\nHello there\n"
	    "Post a Comment\n",
	    "5: expected a comment author line such as \"NAME said...\""},
	{"September 12, 2023\nT\nComments\n  Bob said...\nHi\n"
	    "Post a Comment\n", "4: reply with no comment before it"},
	{"September 12, 2023\nT\nComments\nAnn said...\n"
	    "September 13, 2023\nPost a Comment\n",
	    "5: comment by \"Ann\" has no text"},
	{"September 12, 2023\nT\nComments\n said...\nHi\nPost a Comment\n",
	    "4: expected a comment author line such as \"NAME said...\""},
	{"September 12, 2023\nT\nComments\n\xe2\x86\xb3  said...\nHi\n"
	    "Post a Comment\n", "4: expected a comment author line such as "
	    "\"NAME said...\""},
	{"September 12, 2023\nT\n\xeb\x8c\x93\xea\xb8\x80\n"
	    "\xeb\x8b\x98\xec\x9d\x98 \xeb\xa7\x90...\nHi\n"
	    "\xeb\x8c\x93\xea\xb8\x80 \xec\x93\xb0\xea\xb8\xb0\n",
	    "4: comment author missing"},	/* "님의 말..." alone */
};

static void
test_errors(void **state)
{
	const struct import_opts o = {"en", "UTC"};
	struct seed_doc		 doc;
	struct arena		*a = arena_new();
	char			 err[512], want[512];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(err_rows); i++) {
		snprintf(want, sizeof(want), "t.txt:%s", err_rows[i].err);
		if (import_seed_parse("t.txt", err_rows[i].text,
		    strlen(err_rows[i].text), &o, a, &doc, err,
		    sizeof(err)) != -1)
			fail_msg("row %zu: parsed, want \"%s\"", i, want);
		if (strcmp(err, want) != 0)
			fail_msg("row %zu: got \"%s\", want \"%s\"", i, err,
			    want);
	}
	/* NUL is caught even though strlen would stop there. */
	assert_int_equal(import_seed_parse("t.txt", "September 12, 2023\n\0",
	    20, &o, a, &doc, err, sizeof(err)), -1);
	assert_string_equal(err, "t.txt:2: not valid UTF-8 text (NUL byte)");
	arena_free(a);
}

/* Limits, built at run time: each row's text is header + n * unit + tail. */
struct limit_row {
	const char	*head;
	const char	*unit;
	size_t		 n;
	const char	*tail;
	const char	*err;	/* NULL: must parse */
};

#define D "September 12, 2023\n"

static const struct limit_row limit_rows[] = {
	{D, "x", LIMIT_TITLE, "\n", NULL},
	{D, "x", LIMIT_TITLE + 1, "\n", "2: title longer than 512 bytes"},
	{D "T\nLabels:\n", "y", LIMIT_LABEL, "\n", NULL},
	{D "T\nLabels:\n", "y", LIMIT_LABEL + 1, "\n",
	    "4: label longer than 200 bytes"},
	{D "T\nLabels:\n", "z\n", 3, "", NULL},	/* duplicates count once */
	{D "T\n", "b", LIMIT_IMPORT_LINE, "\n", NULL},
	{D "T\n", "b", LIMIT_IMPORT_LINE + 1, "\n",
	    "3: line longer than 262144 bytes"},
	{D "T\nComments\nAnn said...\n", "c", LIMIT_COMMENT_BODY, "\n"
	    "Post a Comment\n", NULL},
	{D "T\nComments\nAnn said...\n", "c", LIMIT_COMMENT_BODY + 1, "\n"
	    "Post a Comment\n", "5: comment longer than 8192 bytes"},
	{D "T\nComments\n", "n", LIMIT_COMMENT_NAME, " said...\nHi\n"
	    "Post a Comment\n", NULL},
	{D "T\nComments\n", "n", LIMIT_COMMENT_NAME + 1, " said...\nHi\n"
	    "Post a Comment\n", "4: comment author longer than 80 bytes"},
};

static void
test_limits(void **state)
{
	const struct import_opts o = {"en", "UTC"};
	const struct limit_row	*r;
	struct seed_doc		 doc;
	struct arena		*a = arena_new();
	struct buf		 b = BUF_INIT;
	char			 err[512], want[512], label[16];
	size_t			 i, j;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(limit_rows); i++) {
		r = &limit_rows[i];
		buf_reset(&b);
		buf_adds(&b, r->head);
		for (j = 0; j < r->n; j++)
			buf_adds(&b, r->unit);
		buf_adds(&b, r->tail);
		rc = import_seed_parse("t.txt", b.p, b.len, &o, a, &doc, err,
		    sizeof(err));
		if (r->err == NULL) {
			if (rc != 0)
				fail_msg("row %zu: %s", i, err);
			continue;
		}
		snprintf(want, sizeof(want), "t.txt:%s", r->err);
		if (rc != -1 || strcmp(err, want) != 0)
			fail_msg("row %zu: got %d \"%s\", want \"%s\"", i, rc,
			    err, want);
	}

	/* LIMIT_LABELS labels parse; one more does not. */
	buf_reset(&b);
	buf_adds(&b, D "T\nKeywords:\n");
	for (j = 0; j < LIMIT_LABELS; j++) {
		snprintf(label, sizeof(label), "label%zu\n", j);
		buf_adds(&b, label);
	}
	assert_int_equal(import_seed_parse("t.txt", b.p, b.len, &o, a, &doc,
	    err, sizeof(err)), 0);
	assert_int_equal(doc.nlabels, LIMIT_LABELS);
	buf_adds(&b, "one more\n");
	assert_int_equal(import_seed_parse("t.txt", b.p, b.len, &o, a, &doc,
	    err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "t.txt:%d: more than %d labels",
	    LIMIT_LABELS + 4, LIMIT_LABELS);
	assert_string_equal(err, want);

	/* A file past LIMIT_IMPORT_FILE is refused before it is read. */
	buf_reset(&b);
	buf_grow(&b, (size_t)LIMIT_IMPORT_FILE + 1);
	memset(b.p, 'a', (size_t)LIMIT_IMPORT_FILE + 1);
	assert_int_equal(import_seed_parse("t.txt", b.p,
	    (size_t)LIMIT_IMPORT_FILE + 1, &o, a, &doc, err, sizeof(err)), -1);
	assert_string_equal(err, "t.txt: file larger than 67108864 bytes");

	/* An unknown site zone is named, with no line. */
	{
		const struct import_opts bad = {"en", "Mars/Olympus"};

		assert_int_equal(import_seed_parse("t.txt", D "T\n",
		    strlen(D "T\n"), &bad, a, &doc, err, sizeof(err)), -1);
		assert_string_equal(err,
		    "t.txt: unknown time zone \"Mars/Olympus\"");
	}
	buf_clear(&b);
	arena_free(a);
}

/* Good inputs that are not worth a golden file: the counts tell. */
struct shape_row {
	const char	*text;
	size_t		 nparas, nlabels, ncomments;
	const char	*ui_lang;
	const char	*lang;
};

static const struct shape_row shape_rows[] = {
	/* Title only. */
	{D "Only a title\n", 0, 0, 0, "", "en"},
	/* A byte order mark, CRLF, and no final line end. */
	{"\xef\xbb\xbf" D "T\r\nOne\r\n\r\nTwo", 2, 0, 0, "", "en"},
	/* A keywords heading with no labels, and chrome with no heading. */
	{D "T\nBody\nKEYWORDS :\n\nPost a Comment\n", 1, 0, 0, "en", "en"},
	/* Spacing and case are free; the colon may be fullwidth. */
	{D "T\nBody\n  labels\t:  \nx\n", 1, 1, 0, "", "en"},
	{D "T\nBody\n\xeb\x9d\xbc\xeb\xb2\xa8 \xef\xbc\x9a\nx\n", 1, 1, 0, "",
	    "en"},
	{D "T\nBody\n\xd0\x9c\xd0\x95\xd0\xa2\xd0\x9a\xd0\x98:\nx\n", 1, 1, 0,
	    "", "en"},	/* МЕТКИ: */
	/* Without a colon it is body text. */
	{D "T\nBody\nLabels\nx\n", 3, 0, 0, "", "en"},
	/* Or with more on the line. */
	{D "T\nBody\nLabels: a, b\n", 2, 0, 0, "", "en"},
	/* The chrome right after the body. */
	{D "T\nBody\nComments\nAnn said...\nHi\nPost a Comment", 1, 0, 1, "en",
	    "en"},
	/* A heading without the closing line is body text. */
	{D "T\nBody\nComments\nAnn said...\nHi\n", 4, 0, 0, "", "en"},
	/* A heading in another language than the closing line is not one. */
	{D "T\nBody\nComentarios\nPost a Comment\n", 2, 0, 0, "en", "en"},
	/* Counted and empty headings, with colons. */
	{D "T\nBody\n1 comment:\nAnn said\xe2\x80\xa6\nHi\nPost a Comment\n", 1,
	    0, 1, "en", "en"},
	{D "T\nBody\nNo comments:\nPost a Comment\n", 1, 0, 0, "en", "en"},
	{D "T\nBody\nNo hay comentarios\nPUBLICAR UN COMENTARIO\n", 1, 0, 0,
	    "es", "en"},
	{D "T\nBody\n\xeb\x8c\x93\xea\xb8\x80 3\xea\xb0\x9c\n"
	    "\xeb\x8c\x93\xea\xb8\x80 \xec\x93\xb0\xea\xb8\xb0\n", 1, 0, 0,
	    "ko", "en"},	/* 댓글 3개 / 댓글 쓰기 */
	{D "T\nBody\n3\xea\xb0\x9c\xec\x9d\x98 \xeb\x8c\x93\xea\xb8\x80\n"
	    "\xeb\x8c\x93\xea\xb8\x80 \xec\x93\xb0\xea\xb8\xb0\n", 1, 0, 0,
	    "ko", "en"},	/* 3개의 댓글 */
	{D "T\nBody\n3 \xea\xb0\x9c\xec\x9d\x98 \xeb\x8c\x93\xea\xb8\x80\n"
	    "\xeb\x8c\x93\xea\xb8\x80 \xec\x93\xb0\xea\xb8\xb0\n", 2, 0, 0,
	    "ko", "en"},	/* "3 개의 댓글" is not a heading */
	{D "T\nBody\n3comments\nPost a Comment\n", 2, 0, 0, "en", "en"},
	/* Blocks without time lines, split by a blank line. */
	{D "T\nB\nComments\nAnn said...\nHi\n\nBob said...\nYo\n"
	    "Post a Comment\n", 1, 0, 2, "en", "en"},
	/* Without the blank line an author line is text. */
	{D "T\nB\nComments\nAnn said...\nHi\nBob said...\nYo\n"
	    "Post a Comment\n", 1, 0, 1, "en", "en"},
	/* Action links between blocks are skipped. */
	{D "T\nB\nComments\nReply\nAnn said...\nHi\nSeptember 12, 2023\n"
	    "Delete\nReplies\n\n Bob said...\nYo\nPost a Comment\n", 1, 0, 2,
	    "en", "en"},
	/* Language of the text. */
	{D "T\nLa casa de la playa es grande y tiene un jard\xc3\xad"
	    "n.\n", 1, 0, 0, "", "es"},
	{D "T\n\xc2\xbfQu\xc3\xa9 tal?\n", 1, 0, 0, "", "es"},
	{D "T\nThe house by the sea is large and has a garden.\n", 1, 0, 0,
	    "", "en"},
	{D "\xd0\x9d\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8 "
	    "\xd0\xb4\xd0\xbd\xd1\x8f\n", 0, 0, 0, "", "ru"},
	    /* Новости дня */
	{D "\xec\x98\xa4\xeb\x8a\x98\xec\x9d\x98 \xec\x86\x8c\xec\x8b\x9d\n", 0,
	    0, 0, "", "ko"},	/* 오늘의 소식 */
	{D "T\n123 456\n", 1, 0, 0, "", "en"},
};

static void
test_shapes(void **state)
{
	const struct import_opts o = {"en", "UTC"};
	const struct shape_row	*r;
	struct seed_doc		 doc;
	struct arena		*a = arena_new();
	char			 err[512];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(shape_rows); i++) {
		r = &shape_rows[i];
		if (import_seed_parse("t.txt", r->text, strlen(r->text), &o, a,
		    &doc, err, sizeof(err)) == -1)
			fail_msg("row %zu: %s", i, err);
		if (doc.nparas != r->nparas || doc.nlabels != r->nlabels ||
		    doc.ncomments != r->ncomments ||
		    strcmp(doc.ui_lang, r->ui_lang) != 0 ||
		    strcmp(doc.lang, r->lang) != 0)
			fail_msg("row %zu: got %zu paras, %zu labels, %zu "
			    "comments, ui \"%s\", lang %s", i, doc.nparas,
			    doc.nlabels, doc.ncomments, doc.ui_lang, doc.lang);
	}
	arena_free(a);
}

/* Details the golden files show less directly. */
static void
test_details(void **state)
{
	const struct import_opts o = {"en", "UTC"};
	struct seed_doc		 doc;
	struct arena		*a = arena_new();
	char			 err[512];
	const char		*s;

	(void)state;
	/* Body bytes are kept as they are, outer spaces included. */
	s = D "  Title  \n  indented line \t\n";
	assert_int_equal(import_seed_parse("t.txt", s, strlen(s), &o, a, &doc,
	    err, sizeof(err)), 0);
	assert_string_equal(doc.title, "Title");
	assert_string_equal(doc.paras[0], "  indented line \t");
	assert_int_equal(doc.published, 1694476800);

	/* Comment text: trimmed lines, "\n" inside a paragraph, "\n\n"
	 * between; the block's time line sets created. */
	s = D "T\nComments\nAnn said...\n  one\ntwo  \n\n\nthree\n"
	    "September 13, 2023 at 10:15 AM\n\n"
	    "\xe2\x86\xb3 Bob said...\nok\n\tCy said...\nsure\n"
	    "Dee said...\nnew\nPost a Comment\n";
	assert_int_equal(import_seed_parse("t.txt", s, strlen(s), &o, a, &doc,
	    err, sizeof(err)), 0);
	assert_int_equal(doc.ncomments, 2);
	assert_string_equal(doc.comments[0].name, "Ann");
	assert_string_equal(doc.comments[0].body, "one\ntwo\n\nthree");
	assert_int_equal(doc.comments[0].created, 1694600100);
	assert_int_equal(doc.comments[0].parent, 0);
	/* "\tCy said..." follows a text line with no blank: text of Bob's. */
	assert_string_equal(doc.comments[1].name, "Bob");
	assert_string_equal(doc.comments[1].body,
	    "ok\nCy said...\nsure\nDee said...\nnew");
	assert_int_equal(doc.comments[1].parent, 1);
	assert_int_equal(doc.comments[1].created, 0);

	/* A reply to a reply hangs from the last top-level comment. */
	s = D "T\nComments\nAnn said...\na\n\n  Bob said...\nb\n\n"
	    "    Cy said...\nc\n\nDee said...\nd\n\n  Eve said...\ne\n"
	    "Post a Comment\n";
	assert_int_equal(import_seed_parse("t.txt", s, strlen(s), &o, a, &doc,
	    err, sizeof(err)), 0);
	assert_int_equal(doc.ncomments, 5);
	assert_int_equal(doc.comments[1].parent, 1);
	assert_int_equal(doc.comments[2].parent, 1);
	assert_int_equal(doc.comments[3].parent, 0);
	assert_int_equal(doc.comments[4].parent, 4);

	/* The seed's own shape: labels run into the chrome heading, and
	 * the closing line has no line end. */
	s = D "T\nBody\nKEYWORDS :\nalpha\nbeta gamma\nComentarios\n"
	    "Publicar un comentario";
	assert_int_equal(import_seed_parse("t.txt", s, strlen(s), &o, a, &doc,
	    err, sizeof(err)), 0);
	assert_int_equal(doc.nlabels, 2);
	assert_string_equal(doc.labels[1], "beta gamma");
	assert_string_equal(doc.ui_lang, "es");
	assert_int_equal(doc.ncomments, 0);
	assert_string_equal(import_seed_path(a, &o, &doc), "/2023/09/t.html");

	/* A title with no letters gets "post". */
	s = D "!!!\n";
	assert_int_equal(import_seed_parse("t.txt", s, strlen(s), &o, a, &doc,
	    err, sizeof(err)), 0);
	assert_string_equal(import_seed_path(a, &o, &doc),
	    "/2023/09/post.html");
	arena_free(a);
}

/* import_seed_file(): one transaction, re-import updates, no duplicates. */
static void
test_import_file(void **state)
{
	const struct import_opts o = {"es", "Europe/Madrid"};
	const char		*es = FIXTURES "es-comments.txt";
	struct import_result	 res;
	struct post_query	 q;
	struct post_list	 pl;
	struct comment_list	 cl;
	struct post		*p;
	struct store		*st;
	struct arena		*a = arena_new();
	char			 dir[] = "/tmp/gazette-test-seed.XXXXXX";
	char			 url[128], path[128], err[512];
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	size_t			 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
	if (store_open(url, 1, &st, err, sizeof(err)) != STORE_OK)
		fail_msg("store_open: %s", err);

	if (import_seed_file(st, &o, es, &res, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(res.created, 1);
	assert_string_equal(res.path,
	    "/2023/09/el-mercado-de-abastos-vuelve-abrir-los.html");
	assert_string_equal(res.ui_lang, "es");
	assert_int_equal(res.ncomments, 3);
	assert_int_equal(res.nlabels, 3);

	assert_int_equal(store_post_get_path(st, a, res.path, &p), STORE_OK);
	assert_string_equal(p->slug, "el-mercado-de-abastos-vuelve-abrir-los");
	assert_string_equal(p->lang, "es");
	assert_int_equal(p->status, POST_PUBLISHED);
	assert_int_equal(p->published, 1694469600);
	assert_int_equal(p->updated, 1694469600);
	assert_int_equal(p->nlabels, 3);
	assert_string_equal(p->labels[2], "comercio local");
	assert_true(str_has_prefix(p->html, "<p>Los vecinos del barrio"));
	assert_non_null(strstr(p->html, "</p>\n<p>El ayuntamiento"));
	assert_non_null(strstr(p->source, "semana.\n\nEl ayuntamiento"));

	assert_int_equal(store_comment_list_post(st, a, p->id,
	    COMMENT_STATUS__MAX, &cl), STORE_OK);
	assert_int_equal(cl.n, 3);
	assert_string_equal(cl.v[0].name, "Marta");
	assert_int_equal(cl.v[0].status, COMMENT_APPROVED);
	assert_int_equal(cl.v[0].created, 1694590800);
	assert_string_equal(cl.v[1].name, "Jorge");
	assert_int_equal(cl.v[1].parent_id, cl.v[0].id);
	assert_int_equal(cl.v[2].parent_id, 0);

	/* Again: the same post, updated, and no comment twice. */
	if (import_seed_file(st, &o, es, &res, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(res.created, 0);
	assert_int_equal(store_comment_list_post(st, a, p->id,
	    COMMENT_STATUS__MAX, &cl), STORE_OK);
	assert_int_equal(cl.n, 3);

	/* Failures name the file and write nothing. */
	assert_int_equal(import_seed_file(st, &o, FIXTURES "bad-date.txt",
	    &res, err, sizeof(err)), -1);
	assert_string_equal(err, FIXTURES "bad-date.txt:1: unknown date "
	    "\"Septembre 32, 2023\"");
	assert_string_equal(res.path, "");
	assert_int_equal(import_seed_file(st, &o, FIXTURES "no-such.txt",
	    &res, err, sizeof(err)), -1);
	assert_string_equal(err,
	    FIXTURES "no-such.txt: No such file or directory");
	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	assert_int_equal(store_post_list(st, a, &q, &pl), STORE_OK);
	assert_int_equal(pl.total, 1);

	store_close(st);
	for (i = 0; i < nitems(suffixes); i++) {
		snprintf(path, sizeof(path), "%s/t.db%s", dir, suffixes[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
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
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_import_file),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
