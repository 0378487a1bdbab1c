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
 * The seed text format parser: one blog page, as a browser's "save as
 * text" or a copy and paste gives it, into a struct seed_doc.  Storing
 * the result is seed_file.c's job; this file touches no store, so the
 * parser can be tested and fuzzed on its own.
 *
 * The format (DESIGN.md, "Seed text format"), line by line:
 *
 *  - The file is UTF-8 text: no NUL, no control character but tab, and
 *    lines end in LF or CRLF (a CR anywhere else is refused).  A UTF-8
 *    byte order mark is skipped.  At most LIMIT_IMPORT_FILE bytes and
 *    LIMIT_IMPORT_LINE bytes a line.
 *  - Line 1 is the date: "September 12, 2023" (always English),
 *    "2023-09-12", or the long date of the site locale or of the page's
 *    UI language ("12 de septiembre de 2023"), with or without the
 *    weekday.  It means 00:00 in the site's time zone.
 *  - Line 2 is the title (outer spaces trimmed), at most LIMIT_TITLE
 *    bytes.
 *  - Then the body: each line that is not blank is one paragraph, kept
 *    byte for byte (a look-alike letter stays what it is).
 *  - The body ends at a keywords line: "KEYWORDS :", "Keywords:",
 *    "Labels:", "Etiquetas:", "Метки:", "Ярлыки:", "라벨:" (any case,
 *    spaces free around the word and the colon, nothing else on the
 *    line).  One label per following line, outer spaces trimmed, blank
 *    lines skipped, exact duplicates dropped; at most LIMIT_LABELS labels
 *    of LIMIT_LABEL bytes.  No labels after the line is fine.
 *  - The page chrome closes the file: its last line that is not blank
 *    is "Post a Comment", "Publicar un comentario", "Отправить
 *    комментарий" or "댓글 쓰기" (any case), which sets the UI language
 *    (en, es, ru, ko).  Before it, after the body or the labels, a
 *    heading in the same language opens the comments section:
 *      en  Comments, N comments, 1 comment, No comments
 *      es  Comentarios, N comentarios, 1 comentario, No hay comentarios,
 *          Sin comentarios
 *      ru  Комментарии, N комментариев / комментария / комментарий,
 *          Нет комментариев
 *      ko  댓글, 댓글 N개, N개의 댓글, 댓글 없음
 *    each with an optional trailing colon.  Without the closing line
 *    there is no chrome: a heading is then plain text.  With the closing
 *    line but no heading there are no comments.
 *
 * Between the heading and the closing line, comment blocks, modelled on
 * how a Blogger page reads as text:
 *
 *	Ana said...
 *	First paragraph of the comment,
 *	which may run over several lines.
 *
 *	Second paragraph.
 *	September 13, 2023 at 10:15 AM
 *
 *	  Luis said...
 *	  A reply, indented.
 *	  September 13, 2023 at 11:02 AM
 *	↳ Ana said...
 *	Another reply to Ana's comment.
 *
 *  - An author line is NAME followed by " said...", " dijo...",
 *    " сказал(а)...", " сказал...", " сказала..." or " 님의 말..." (the
 *    space before 님 is optional; "…" may stand for "..."; the words in
 *    any case).  NAME is at most LIMIT_COMMENT_NAME bytes.
 *  - An author line that starts with a space or a tab, or with "↳", is a
 *    reply to the last comment that was not a reply.  Replies to replies
 *    are not kept apart: Blogger threads are one level deep.
 *  - Then the comment's text: outer spaces of each line are trimmed,
 *    lines of a paragraph are joined with "\n", and blank lines separate
 *    paragraphs ("\n\n").  At most LIMIT_COMMENT_BODY bytes, not empty.
 *  - The block ends at its time line, a line that is only a date with an
 *    optional time as text_date_parse_time() reads it in the UI language,
 *    English or the site locale ("September 13, 2023 at 10:15 AM", "13 de
 *    septiembre de 2023, 10:15", "2023-09-13 10:15"); the time is the
 *    site zone's wall time.  A text line that is only a date therefore
 *    ends its block.  A block may lack its time line, when an author line
 *    follows a blank line or the chrome closes; its comment then takes
 *    the post's date (created = 0 here).
 *  - Between blocks, blank lines and Blogger's action links are skipped:
 *    Reply, Replies, Delete, Responder, Respuestas, Eliminar, Ответить,
 *    Ответы, Удалить, 답글, 답장, 삭제.  Anything else there is an error.
 *
 * The text's language (doc->lang), for the post's lang attribute and
 * stemming, is guessed from the title and body by text_lang_detect():
 * the script with most letters names it (Hangul ko, Cyrillic ru, Han zh,
 * ...); Latin text is told by its common words (en, es, de, fr, pt, it),
 * else English (en).  A look-alike letter or two cannot change the
 * answer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "import.h"
#include "text/text.h"

#define KEY_MAX		64	/* bytes of a folded line matched as a phrase */
#define QUOTE_MAX	60	/* bytes of a bad line quoted in a message */
#define LANG_GUESS_MAX	(64 * 1024)	/* bytes copied for the guess */

/* A line of the file, without its line end. */
struct line {
	const char	*p;	/* borrowed from the file's buffer */
	size_t		 len;
};

/* Reads lines of buf; copy the struct to mark a place and come back. */
struct cursor {
	const char	*buf;
	size_t		 len;	/* bytes in buf */
	size_t		 off;	/* where the next line starts */
	size_t		 lineno;	/* the line last read, from 1 */
};

/* A fixed phrase of the page chrome and the UI language it belongs to. */
struct phrase {
	const char	*text;	/* folded: lower case */
	const char	*lang;
};

static const struct phrase closings[] = {
	{"post a comment", "en"},
	{"publicar un comentario", "es"},
	{"отправить комментарий", "ru"},
	{"댓글 쓰기", "ko"},
};

static const struct phrase headings[] = {
	{"comments", "en"},
	{"no comments", "en"},
	{"comentarios", "es"},
	{"no hay comentarios", "es"},
	{"sin comentarios", "es"},
	{"комментарии", "ru"},
	{"нет комментариев", "ru"},
	{"댓글", "ko"},
	{"댓글 없음", "ko"},
};

/* What follows "N " in a counted heading ("3 comments"). */
static const struct phrase counted[] = {
	{"comments", "en"},
	{"comment", "en"},
	{"comentarios", "es"},
	{"comentario", "es"},
	{"комментариев", "ru"},
	{"комментария", "ru"},
	{"комментарий", "ru"},
	{"개의 댓글", "ko"},	/* "3개의 댓글": no space after N */
};

static const char *const keywords[] = {
	"keywords", "labels", "etiquetas", "метки", "ярлыки", "라벨",
};

static const char *const actions[] = {
	"reply", "replies", "delete", "responder", "respuestas", "eliminar",
	"ответить", "ответы", "удалить", "답글", "답장", "삭제",
};

/* Author line endings, folded; "\xe2\x80\xa6" is the ellipsis "…". */
static const char *const said[] = {
	" said...", " said\xe2\x80\xa6",
	" dijo...", " dijo\xe2\x80\xa6",
	" сказал(а)...", " сказал(а)\xe2\x80\xa6",
	" сказал...", " сказал\xe2\x80\xa6",
	" сказала...", " сказала\xe2\x80\xa6",
	"님의 말...", "님의 말\xe2\x80\xa6",
};

/* The parser's state: where messages go and what it is building. */
struct parser {
	const char		 *name;	/* file name for messages */
	const struct import_opts *opts;
	struct arena		 *a;	/* owns everything in doc */
	char			 *err;
	size_t			  errlen;
	const char		 *ui_lang;	/* static; "" without chrome */
	struct seed_comment	 *comments;	/* heap, grown; moved to a */
	size_t			  ncomments, capcomments;
};

/* Writes "NAME:LINE: why" (no line when lineno is 0); returns -1. */
static int
perr(struct parser *ps, size_t lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *ps, size_t lineno, const char *fmt, ...)
{
	va_list	 ap;
	char	 why[256];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (lineno > 0)
		snprintf(ps->err, ps->errlen, "%s:%zu: %s", ps->name, lineno,
		    why);
	else
		snprintf(ps->err, ps->errlen, "%s: %s", ps->name, why);
	return -1;
}

/* Reads the next line into *l; 0 at the end of the buffer. */
static int
cur_next(struct cursor *c, struct line *l)
{
	const char	*nl;

	if (c->off >= c->len)
		return 0;
	l->p = c->buf + c->off;
	nl = memchr(l->p, '\n', c->len - c->off);
	l->len = nl != NULL ? (size_t)(nl - l->p) : c->len - c->off;
	c->off += l->len + (nl != NULL);
	if (l->len > 0 && l->p[l->len - 1] == '\r')
		l->len--;
	c->lineno++;
	return 1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* l without its outer spaces and tabs. */
static struct line
trim(struct line l)
{
	while (l.len > 0 && is_space(l.p[0])) {
		l.p++;
		l.len--;
	}
	while (l.len > 0 && is_space(l.p[l.len - 1]))
		l.len--;
	return l;
}

static int
is_blank(struct line l)
{
	return trim(l).len == 0;
}

/*
 * Lower-cases ASCII and Cyrillic capitals of p[0..len) into out, which
 * has room for len + 1 bytes.  Every mapping keeps its byte length, so
 * offsets in out are offsets in p.  Enough for the fixed phrases above;
 * full Unicode folding is not needed to match them.
 */
static void
fold(const char *p, size_t len, char *out)
{
	unsigned char	 c, c2;
	size_t		 i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)p[i];
		if (c >= 'A' && c <= 'Z')
			out[i] = (char)(c + 32);
		else if (c == 0xd0 && i + 1 < len) {
			c2 = (unsigned char)p[i + 1];
			if (c2 >= 0x90 && c2 <= 0x9f) {	/* А-П */
				out[i] = (char)0xd0;
				out[i + 1] = (char)(c2 + 0x20);
			} else if (c2 >= 0xa0 && c2 <= 0xaf) {	/* Р-Я */
				out[i] = (char)0xd1;
				out[i + 1] = (char)(c2 - 0x20);
			} else if (c2 >= 0x80 && c2 <= 0x8f) {	/* Ѐ-Џ */
				out[i] = (char)0xd1;
				out[i + 1] = (char)(c2 + 0x10);
			} else {
				out[i] = (char)c;
				out[i + 1] = (char)c2;
			}
			i++;
		} else
			out[i] = (char)c;
	}
	out[len] = '\0';
}

/*
 * The trimmed, folded line in key (KEY_MAX bytes) with runs of spaces
 * made one and, with strip_colon, one trailing ':' or '：' (and the
 * spaces before it) gone.  Returns 0, or -1 when it is too long to be
 * any phrase we match.
 */
static int
line_key(struct line l, int strip_colon, char *key)
{
	char	 tmp[KEY_MAX];
	size_t	 i, n = 0;

	l = trim(l);
	if (l.len >= KEY_MAX)
		return -1;
	fold(l.p, l.len, tmp);
	for (i = 0; i < l.len; i++) {
		if (is_space(tmp[i]) && (n == 0 || key[n - 1] == ' '))
			continue;
		key[n++] = is_space(tmp[i]) ? ' ' : tmp[i];
	}
	if (strip_colon) {
		if (n >= 1 && key[n - 1] == ':')
			n--;
		else if (n >= 3 && memcmp(key + n - 3, "\xef\xbc\x9a", 3) == 0)
			n -= 3;
		while (n > 0 && key[n - 1] == ' ')
			n--;
	}
	key[n] = '\0';
	return 0;
}

/* The phrase in v[0..n) equal to key, or NULL. */
static const struct phrase *
phrase_find(const struct phrase *v, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].text, key) == 0)
			return &v[i];
	return NULL;
}

static int
word_in(const char *const *v, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], key) == 0)
			return 1;
	return 0;
}

/* The UI language of a closing line ("Post a Comment"), or NULL. */
static const char *
closing_lang(struct line l)
{
	const struct phrase	*ph;
	char			 key[KEY_MAX];

	if (line_key(l, 0, key) == -1)
		return NULL;
	ph = phrase_find(closings, nitems(closings), key);
	return ph != NULL ? ph->lang : NULL;
}

/* The UI language of a comments heading ("3 comments:"), or NULL. */
static const char *
heading_lang(struct line l)
{
	const struct phrase	*ph;
	const char		*p;
	char			 key[KEY_MAX];

	if (line_key(l, 1, key) == -1)
		return NULL;
	if ((ph = phrase_find(headings, nitems(headings), key)) != NULL)
		return ph->lang;
	/* "댓글 3개" */
	if (strncmp(key, "댓글 ", strlen("댓글 ")) == 0) {
		p = key + strlen("댓글 ");
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
		return strcmp(p, "개") == 0 ? "ko" : NULL;
	}
	/* "3 comments", "3개의 댓글" */
	for (p = key; *p >= '0' && *p <= '9'; p++)
		continue;
	if (p == key)
		return NULL;
	if (*p == ' ')
		p++;
	ph = phrase_find(counted, nitems(counted), p);
	if (ph == NULL)
		return NULL;
	/* Only Korean writes the count against the word. */
	if ((p[-1] == ' ') != (strcmp(ph->lang, "ko") != 0))
		return NULL;
	return ph->lang;
}

static int
is_keywords_line(struct line l)
{
	char	 key[KEY_MAX];
	size_t	 n;

	l = trim(l);
	if (l.len == 0)
		return 0;
	/* The colon is required: a body line may be just "Labels". */
	n = l.len;
	if (!(l.p[n - 1] == ':' ||
	    (n >= 3 && memcmp(l.p + n - 3, "\xef\xbc\x9a", 3) == 0)))
		return 0;
	if (line_key(l, 1, key) == -1)
		return 0;
	return word_in(keywords, nitems(keywords), key);
}

static int
is_action_line(struct line l)
{
	char	 key[KEY_MAX];

	if (line_key(l, 0, key) == -1)
		return 0;
	return word_in(actions, nitems(actions), key);
}

/*
 * Copies at most QUOTE_MAX bytes of l into out (QUOTE_MAX + 4 bytes),
 * cut between characters, with "..." when cut.
 */
static void
quote(struct line l, char *out)
{
	size_t	 n = l.len;

	if (n > QUOTE_MAX) {
		n = QUOTE_MAX;
		while (n > 0 && ((unsigned char)l.p[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, l.p, n);
	strcpy(out + n, n < l.len ? "..." : "");
}

/*
 * Checks every line for length and stray carriage returns, and finds the
 * last line that is not blank (*last, its cursor mark, lineno 0 if
 * none).
 */
static int
scan_lines(struct parser *ps, struct cursor c, struct cursor *last,
    struct line *lastl)
{
	struct cursor	 mark;
	struct line	 l;

	memset(last, 0, sizeof(*last));
	memset(lastl, 0, sizeof(*lastl));
	for (;;) {
		mark = c;
		if (!cur_next(&c, &l))
			break;
		if (l.len > LIMIT_IMPORT_LINE)
			return perr(ps, c.lineno, "line longer than %d bytes",
			    LIMIT_IMPORT_LINE);
		if (memchr(l.p, '\r', l.len) != NULL)
			return perr(ps, c.lineno,
			    "carriage return inside a line");
		if (!is_blank(l)) {
			*last = mark;
			*lastl = l;
		}
	}
	return 0;
}

/* Line 1: the date, read in the site locale, else the UI language. */
static int
parse_date(struct parser *ps, struct line l, struct seed_doc *doc)
{
	char		*s, q[QUOTE_MAX + 4];
	struct line	 t = trim(l);

	if (t.len == 0)
		return perr(ps, 1, "missing date");
	s = arena_strndup(ps->a, t.p, t.len);
	if (text_date_parse(ps->opts->locale, ps->opts->timezone, s,
	    &doc->published) == 0)
		return 0;
	if (*ps->ui_lang != '\0' &&
	    text_date_parse(ps->ui_lang, ps->opts->timezone, s,
	    &doc->published) == 0)
		return 0;
	quote(t, q);
	return perr(ps, 1, "unknown date \"%s\"", q);
}

static int
parse_title(struct parser *ps, int have, struct line l, struct seed_doc *doc)
{
	struct line	 t;

	if (!have || (t = trim(l)).len == 0)
		return perr(ps, 2, "missing title");
	if (t.len > LIMIT_TITLE)
		return perr(ps, 2, "title longer than %d bytes", LIMIT_TITLE);
	doc->title = arena_strndup(ps->a, t.p, t.len);
	return 0;
}

/* Body paragraphs: the lines after c, up to line end (exclusive). */
static void
parse_body(struct parser *ps, struct cursor c, size_t end,
    struct seed_doc *doc)
{
	struct cursor	 first = c;
	struct line	 l;
	size_t		 n = 0;

	while (c.lineno + 1 < end && cur_next(&c, &l))
		n += !is_blank(l);
	doc->paras = arena_allocarray(ps->a, n + 1, sizeof(char *));
	c = first;
	while (c.lineno + 1 < end && cur_next(&c, &l))
		if (!is_blank(l))
			doc->paras[doc->nparas++] =
			    arena_strndup(ps->a, l.p, l.len);
}

/* Labels: the lines after c, up to line end (exclusive). */
static int
parse_labels(struct parser *ps, struct cursor c, size_t end,
    struct seed_doc *doc)
{
	struct line	 l;
	size_t		 i;

	doc->labels = arena_allocarray(ps->a, LIMIT_LABELS + 1,
	    sizeof(char *));
	while (c.lineno + 1 < end && cur_next(&c, &l)) {
		l = trim(l);
		if (l.len == 0)
			continue;
		if (l.len > LIMIT_LABEL)
			return perr(ps, c.lineno, "label longer than %d bytes",
			    LIMIT_LABEL);
		for (i = 0; i < doc->nlabels; i++)
			if (strlen(doc->labels[i]) == l.len &&
			    memcmp(doc->labels[i], l.p, l.len) == 0)
				break;
		if (i < doc->nlabels)
			continue;
		if (doc->nlabels == LIMIT_LABELS)
			return perr(ps, c.lineno, "more than %d labels",
			    LIMIT_LABELS);
		doc->labels[doc->nlabels++] = arena_strndup(ps->a, l.p, l.len);
	}
	return 0;
}

/*
 * If l is a comment author line, sets *name (trimmed, in name[0..*namelen)
 * of the line) and *is_reply and returns 1; else 0.
 */
static int
author_line(struct line l, struct line *name, int *is_reply)
{
	char	 f[64 + 1];
	size_t	 i, n;

	*is_reply = l.len > 0 && is_space(l.p[0]);
	l = trim(l);
	if (l.len >= 3 && memcmp(l.p, "\xe2\x86\xb3", 3) == 0) {	/* ↳ */
		*is_reply = 1;
		l.p += 3;
		l.len -= 3;
		l = trim(l);
	}
	/* Only the tail is compared; fold no more than the longest ending. */
	n = l.len < 64 ? l.len : 64;
	fold(l.p + l.len - n, n, f);
	for (i = 0; i < nitems(said); i++) {
		if (strlen(said[i]) > n ||
		    strcmp(f + n - strlen(said[i]), said[i]) != 0)
			continue;
		name->p = l.p;
		name->len = l.len - strlen(said[i]);
		*name = trim(*name);
		return 1;
	}
	return 0;
}

/* Appends the comment being built to ps->comments. */
static int
comment_end(struct parser *ps, size_t lineno, struct line name,
    int parent, struct buf *body, int64_t created)
{
	struct seed_comment	*c;

	if (body->len == 0)
		return perr(ps, lineno, "comment by \"%.*s\" has no text",
		    (int)name.len, name.p);
	if (ps->ncomments == ps->capcomments) {
		ps->capcomments = ps->capcomments ? ps->capcomments * 2 : 8;
		ps->comments = xreallocarray(ps->comments, ps->capcomments,
		    sizeof(*ps->comments));
	}
	c = &ps->comments[ps->ncomments++];
	c->name = arena_strndup(ps->a, name.p, name.len);
	c->body = arena_strndup(ps->a, body->p, body->len);
	c->created = created;
	c->parent = parent;
	buf_reset(body);
	return 0;
}

/* A comment time line, read in the UI language, English or the site's. */
static int
comment_time(struct parser *ps, struct line l, int64_t *out)
{
	char	 s[257];

	l = trim(l);
	if (l.len == 0 || l.len >= sizeof(s))
		return -1;
	memcpy(s, l.p, l.len);
	s[l.len] = '\0';
	if (text_date_parse_time(ps->ui_lang, ps->opts->timezone, s, out) == 0)
		return 0;
	return text_date_parse_time(ps->opts->locale, ps->opts->timezone, s,
	    out);
}

/* Comment blocks: the lines after c, up to line end (exclusive). */
static int
parse_comments(struct parser *ps, struct cursor c, size_t end,
    struct seed_doc *doc)
{
	struct buf	 body = BUF_INIT;
	struct line	 l, t, name, cur;	/* cur: the block's author */
	const char	*sep;
	size_t		 start = 0, i;	/* start: the block's first line */
	int64_t		 created;
	int		 in_block = 0, blank = 0, is_reply = 0;
	int		 top = 0, parent = 0;	/* comment numbers, 1-based */
	int		 rc = -1;

	memset(&cur, 0, sizeof(cur));
	while (c.lineno + 1 < end && cur_next(&c, &l)) {
		t = trim(l);
		if (in_block) {
			if (t.len == 0) {
				blank = body.len > 0;
				continue;
			}
			if (comment_time(ps, l, &created) == 0) {
				if (comment_end(ps, c.lineno, cur, parent,
				    &body, created) == -1)
					goto out;
				in_block = 0;
				continue;
			}
			if (!blank || !author_line(l, &name, &is_reply)) {
				sep = body.len == 0 ? "" :
				    blank ? "\n\n" : "\n";
				if (body.len + strlen(sep) + t.len >
				    LIMIT_COMMENT_BODY) {
					perr(ps, c.lineno, "comment longer "
					    "than %d bytes",
					    LIMIT_COMMENT_BODY);
					goto out;
				}
				buf_adds(&body, sep);
				buf_add(&body, t.p, t.len);
				blank = 0;
				continue;
			}
			/* A block without its time line: the post's date. */
			if (comment_end(ps, start, cur, parent, &body, 0) == -1)
				goto out;
		} else {
			if (t.len == 0 || is_action_line(l))
				continue;
			if (!author_line(l, &name, &is_reply)) {
				perr(ps, c.lineno, "expected a comment author "
				    "line such as \"NAME said...\"");
				goto out;
			}
		}
		/* A new block starts at this author line. */
		if (name.len == 0) {
			perr(ps, c.lineno, "comment author missing");
			goto out;
		}
		if (name.len > LIMIT_COMMENT_NAME) {
			perr(ps, c.lineno, "comment author longer than %d "
			    "bytes", LIMIT_COMMENT_NAME);
			goto out;
		}
		if (is_reply && top == 0) {
			perr(ps, c.lineno, "reply with no comment before it");
			goto out;
		}
		parent = is_reply ? top : 0;
		if (!is_reply)
			top = (int)ps->ncomments + 1;
		cur = name;
		start = c.lineno;
		in_block = 1;
		blank = 0;
	}
	if (in_block && comment_end(ps, start, cur, parent, &body, 0) == -1)
		goto out;
	doc->comments = arena_allocarray(ps->a, ps->ncomments + 1,
	    sizeof(*doc->comments));
	for (i = 0; i < ps->ncomments; i++)
		doc->comments[i] = ps->comments[i];
	doc->ncomments = ps->ncomments;
	rc = 0;
out:
	buf_clear(&body);
	return rc;
}

/*
 * The language of the title and body, by text_lang_detect (English when
 * it cannot tell).  Only the start is read, so the copy stops there.
 */
static const char *
lang_guess(const struct seed_doc *doc)
{
	struct buf	 b = BUF_INIT;
	const char	*lang;
	size_t		 i;

	buf_adds(&b, doc->title);
	for (i = 0; i < doc->nparas && b.len < LANG_GUESS_MAX; i++) {
		buf_addc(&b, '\n');
		buf_adds(&b, doc->paras[i]);
	}
	lang = text_lang_detect(b.p, b.len, "en");
	buf_clear(&b);
	return lang;
}

int
import_seed_parse(const char *name, const char *buf, size_t len,
    const struct import_opts *opts, struct arena *a, struct seed_doc *doc,
    char *err, size_t errlen)
{
	struct parser	 ps;
	struct cursor	 c, body, last, kw, head, mark;
	struct line	 l, date, title, lastl;
	const char	*hl;
	size_t		 bad, i, close_no, kw_no, head_no, lineno;
	int64_t		 t;
	int		 have_title, rc = -1;
	unsigned char	 ch;

	memset(doc, 0, sizeof(*doc));
	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.opts = opts;
	ps.a = a;
	ps.err = err;
	ps.errlen = errlen;
	ps.ui_lang = "";
	if (errlen > 0)
		err[0] = '\0';

	if (len > LIMIT_IMPORT_FILE)
		return perr(&ps, 0, "file larger than %d bytes",
		    LIMIT_IMPORT_FILE);
	if (text_date_from_parts(opts->timezone, 2000, 1, 1, &t) == -1)
		return perr(&ps, 0, "unknown time zone \"%s\"",
		    opts->timezone != NULL ? opts->timezone : "");
	if (!str_is_text(buf, len, &bad)) {
		lineno = 1;
		for (i = 0; i < bad; i++)
			lineno += buf[i] == '\n';
		ch = (unsigned char)buf[bad];
		if (ch == 0)
			return perr(&ps, lineno,
			    "not valid UTF-8 text (NUL byte)");
		if (ch < 0x20 || ch == 0x7f)
			return perr(&ps, lineno, "not valid UTF-8 text "
			    "(control character 0x%02x)", ch);
		return perr(&ps, lineno, "not valid UTF-8");
	}

	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.len = len;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c.off = 3;	/* a byte order mark */
	if (scan_lines(&ps, c, &last, &lastl) == -1)
		goto fail;
	if (last.buf == NULL) {
		perr(&ps, 1, "empty file");
		goto fail;
	}
	memset(&date, 0, sizeof(date));
	memset(&title, 0, sizeof(title));
	cur_next(&c, &date);
	have_title = cur_next(&c, &title);
	body = c;	/* a mark before line 3 */

	/*
	 * The chrome first, as its language helps to read the date.  It is
	 * there only when the last line that is not blank closes it (at
	 * line 3 or later: line 2 is always the title).
	 */
	close_no = SIZE_MAX;
	if (last.lineno >= 2 && (ps.ui_lang = closing_lang(lastl)) != NULL)
		close_no = last.lineno + 1;
	else
		ps.ui_lang = "";

	/* The keywords line, then the heading, both before the closing. */
	kw_no = 0;
	memset(&kw, 0, sizeof(kw));
	memset(&head, 0, sizeof(head));
	for (c = body; c.lineno + 1 < close_no;) {
		mark = c;
		if (!cur_next(&c, &l))
			break;
		if (is_keywords_line(l)) {
			kw = mark;
			kw_no = c.lineno;
			break;
		}
	}
	head_no = 0;
	if (close_no != SIZE_MAX) {
		c = body;
		if (kw_no > 0) {
			c = kw;
			cur_next(&c, &l);	/* past the keywords line */
		}
		while (c.lineno + 1 < close_no && cur_next(&c, &l)) {
			hl = heading_lang(l);
			if (hl != NULL && strcmp(hl, ps.ui_lang) == 0) {
				head = c;	/* a mark after the heading */
				head_no = c.lineno;
				break;
			}
		}
	}

	if (parse_date(&ps, date, doc) == -1 ||
	    parse_title(&ps, have_title, title, doc) == -1)
		goto fail;
	parse_body(&ps, body,
	    kw_no > 0 ? kw_no : head_no > 0 ? head_no : close_no, doc);
	if (kw_no > 0) {
		c = kw;
		cur_next(&c, &l);	/* past the keywords line */
		if (parse_labels(&ps, c, head_no > 0 ? head_no : close_no,
		    doc) == -1)
			goto fail;
	} else
		doc->labels = arena_allocarray(a, 1, sizeof(char *));
	if (head_no > 0) {
		if (parse_comments(&ps, head, close_no, doc) == -1)
			goto fail;
	} else
		doc->comments = arena_allocarray(a, 1, sizeof(*doc->comments));
	doc->ui_lang = arena_strdup(a, ps.ui_lang);
	doc->lang = arena_strdup(a, lang_guess(doc));
	rc = 0;
fail:
	free(ps.comments);
	if (rc == -1)
		memset(doc, 0, sizeof(*doc));
	return rc;
}

char *
import_seed_path(struct arena *a, const struct import_opts *opts,
    const struct seed_doc *doc)
{
	const char	*slug;
	int		 y, m, d;

	if (text_date_parts(opts->timezone, doc->published, &y, &m, &d) == -1)
		return NULL;
	slug = text_slug(a, doc->title, strlen(doc->title));
	if (*slug == '\0')
		slug = "post";
	return arena_printf(a, "/%04d/%02d/%s.html", y, m, slug);
}
