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
 * Engine glue between SQLite and the text pipeline (src/text): the FTS5
 * tokenizer "gazette", the FTS5 function gazette_snippet(), the SQL
 * function gazette_label_key(), and the conventions the search index
 * rests on, kept together because each is half of a contract with the
 * tokenizer:
 *
 *   - every indexed value starts with a language marker, "\x1f" LANG
 *     "\x1f", which the tokenizer reads and skips, and which snippets
 *     never show;
 *   - a post's body is indexed as plain text made from its html;
 *   - queries reach FTS5 as terms the pipeline already made, quoted, so
 *     the tokenizer passes them through instead of tokenizing again.
 *
 * Not here: which rows are written when, and every SQL statement
 * (store_sqlite.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "base.h"
#include "text/text.h"
#include "store_int.h"

#define MARK		'\x1f'	/* around the language at a value's start */
#define LANG_MAX	8	/* bytes of a language code in a marker */

/* What a document-mode tokenize hands to tok_cb. */
struct tok_arg {
	void	*ctx;		/* FTS5's, passed back to xtoken */
	int	(*xtoken)(void *, int, const char *, int, int, int);
	size_t	 off;		/* marker bytes before the text */
};

/*
 * The length of the marker at the start of s (0 when there is none),
 * and its language in lang[LANG_MAX + 1] ("" when there is none).
 */
static size_t
mark_len(const char *s, size_t len, char *lang)
{
	size_t	 i;

	lang[0] = '\0';
	if (len < 2 || s[0] != MARK)
		return 0;
	for (i = 1; i < len && i <= LANG_MAX + 1; i++)
		if (s[i] == MARK) {
			memcpy(lang, s + 1, i - 1);
			lang[i - 1] = '\0';
			return i + 1;
		}
	return 0;
}

/* Hands one pipeline token to FTS5, with offsets into the whole value. */
static int
tok_cb(void *arg, const struct text_token *t)
{
	struct tok_arg	*ta = arg;

	return ta->xtoken(ta->ctx, 0, t->term, (int)t->termlen,
	    (int)(t->start + ta->off), (int)(t->end + ta->off));
}

/* The white space that separates query terms. */
static int
is_qspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The tokenizer.  Documents (and auxiliary functions such as snippet(),
 * which must see the same tokens at the same offsets) go through
 * text_tokenize with stemming in the marker's language.  A query does
 * not: store_fts5_match() quotes terms the pipeline already made, and
 * running them through the pipeline again would stem a stem.  So query
 * text is split on ASCII white space and each piece passed on unchanged.
 */
static int
tok_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *s,
    int slen, int (*xtoken)(void *, int, const char *, int, int, int))
{
	struct tok_arg	 ta;
	char		 lang[LANG_MAX + 1];
	size_t		 len, i, start;
	int		 rc;

	(void)tok;
	if (s == NULL || slen <= 0)
		return SQLITE_OK;
	len = (size_t)slen;
	if (flags & FTS5_TOKENIZE_QUERY) {
		for (i = 0; i < len;) {
			while (i < len && is_qspace(s[i]))
				i++;
			start = i;
			while (i < len && !is_qspace(s[i]))
				i++;
			if (i > start && (rc = xtoken(ctx, 0, s + start,
			    (int)(i - start), (int)start, (int)i)) !=
			    SQLITE_OK)
				return rc;
		}
		return SQLITE_OK;
	}
	ta.ctx = ctx;
	ta.xtoken = xtoken;
	ta.off = mark_len(s, len, lang);
	rc = text_tokenize(lang[0] == '\0' ? NULL : lang, TEXT_TOKEN_STEM,
	    s + ta.off, len - ta.off, tok_cb, &ta);
	if (rc != -1)
		return rc;
	/*
	 * Text that is not UTF-8 (store_fts5_doc never writes any, so a
	 * hand-edited value) has no tokens, rather than an error that
	 * would make its row impossible to delete.  Otherwise ICU could
	 * not run, and indexing nothing would hide that.
	 */
	return str_is_utf8(s + ta.off, len - ta.off) ? SQLITE_ERROR :
	    SQLITE_OK;
}

/* The tokenizer keeps no state; an instance only has to be non-NULL. */
static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	(void)argc;
	*out = xcalloc(1, 1);
	return SQLITE_OK;
}

/* Frees what tok_create made. */
static void
tok_delete(Fts5Tokenizer *tok)
{
	free(tok);
}

/*
 * gazette_label_key(name): text_label_key() of name, or name itself when
 * that is "" (a label of only symbols, such as an emoji).  A real key
 * always has a letter or digit and such a name has none, so the two
 * kinds never collide.
 */
static void
fn_label_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*s;
	struct arena	*a;
	char		*k;
	int		 len;

	(void)argc;
	if ((s = (const char *)sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	len = sqlite3_value_bytes(argv[0]);
	a = arena_new();
	k = text_label_key(a, s, (size_t)len);
	if (*k == '\0')
		sqlite3_result_text(ctx, s, len, SQLITE_TRANSIENT);
	else
		sqlite3_result_text(ctx, k, -1, SQLITE_TRANSIENT);
	arena_free(a);
}

static void	 snip_fn(const Fts5ExtensionApi *, Fts5Context *,
		    sqlite3_context *, int, sqlite3_value **);

/* db's FTS5 API, or NULL when this SQLite has no FTS5. */
static fts5_api *
fts5_api_get(sqlite3 *db)
{
	sqlite3_stmt	*st = NULL;
	fts5_api	*api = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	if (sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL) ==
	    SQLITE_OK)
		sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
store_fts5_register(sqlite3 *db)
{
	fts5_tokenizer	 tok = { tok_create, tok_delete, tok_tokenize };
	fts5_tokenizer	 have;
	fts5_api	*api;
	void		*ud;
	int		 rc;

	rc = sqlite3_create_function(db, "gazette_label_key", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_label_key, NULL,
	    NULL);
	if (rc != SQLITE_OK)
		return rc;
	if ((api = fts5_api_get(db)) == NULL || api->iVersion < 2)
		return SQLITE_ERROR;
	/* FTS5 keeps every registration until close: register once. */
	if (api->xFindTokenizer(api, "gazette", &ud, &have) == SQLITE_OK)
		return SQLITE_OK;
	if ((rc = api->xCreateFunction(api, "gazette_snippet", NULL, snip_fn,
	    NULL)) != SQLITE_OK)
		return rc;
	return api->xCreateTokenizer(api, "gazette", NULL, &tok, NULL);
}

/* ---- the text that gets indexed ---- */

/*
 * The length of the valid UTF-8 sequence at s[0..len), or 0: no overlong
 * forms, surrogates or code points past U+10FFFF.
 */
static size_t
utf8_len(const unsigned char *s, size_t len)
{
	size_t		 n, i;
	uint32_t	 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void
store_fts5_lang(char *out, size_t outlen, const char *lang, const char *text,
    size_t len)
{
	size_t	 i;

	if (lang == NULL || *lang == '\0')
		lang = text_lang_detect(text, len, NULL);
	/* The primary subtag ("pt" of "pt-BR") picks the stemmer. */
	for (i = 0; i + 1 < outlen && i < LANG_MAX && lang[i] != '\0'; i++) {
		if (lang[i] >= 'A' && lang[i] <= 'Z')
			out[i] = (char)(lang[i] | 0x20);
		else if (lang[i] >= 'a' && lang[i] <= 'z')
			out[i] = lang[i];
		else
			break;
	}
	out[i] = '\0';
}

void
store_fts5_doc(struct buf *b, const char *lang, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n, run;
	char			 c;

	buf_addc(b, MARK);
	buf_adds(b, lang);
	buf_addc(b, MARK);
	if (len == 0)
		return;
	buf_grow(b, len);
	/*
	 * Same length in and out, so offsets hold; control bytes would
	 * pass for our marker or snippet() delimiters, and the pipeline
	 * refuses text that is not UTF-8.
	 */
	for (i = run = 0; i < len; i += n) {
		if ((n = utf8_len(u + i, len - i)) == 0)
			c = '?';
		else if (n == 1 && (u[i] < 0x20 || u[i] == 0x7f) &&
		    u[i] != '\t' && u[i] != '\n' && u[i] != '\r')
			c = ' ';
		else
			continue;
		/* Good bytes go in runs, the bad one as its stand-in. */
		buf_add(b, s + run, i - run);
		buf_addc(b, c);
		n = 1;
		run = i + 1;
	}
	buf_add(b, s + run, len - run);
}

/* Entities beyond the five that escaping produces, as imports carry. */
static const struct {
	const char	*name;
	const char	*text;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", " " }, { "shy", "" },
	{ "mdash", "\xe2\x80\x94" }, { "ndash", "\xe2\x80\x93" },
	{ "hellip", "\xe2\x80\xa6" }, { "lsquo", "\xe2\x80\x98" },
	{ "rsquo", "\xe2\x80\x99" }, { "ldquo", "\xe2\x80\x9c" },
	{ "rdquo", "\xe2\x80\x9d" }, { "laquo", "\xc2\xab" },
	{ "raquo", "\xc2\xbb" }, { "copy", "\xc2\xa9" },
	{ "middot", "\xc2\xb7" }, { "bull", "\xe2\x80\xa2" },
	{ "euro", "\xe2\x82\xac" }, { "deg", "\xc2\xb0" },
	{ "times", "\xc3\x97" },
};

/* Appends code point cp as UTF-8, U+FFFD for one that is not allowed. */
static void
add_cp(struct buf *b, uint32_t cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80)
		buf_addc(b, (char)cp);
	else if (cp < 0x800) {
		buf_addc(b, (char)(0xc0 | cp >> 6));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(b, (char)(0xe0 | cp >> 12));
		buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | cp >> 18));
		buf_addc(b, (char)(0x80 | (cp >> 12 & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/*
 * Decodes the entity at s[i] == '&' into b; returns the index after it.
 * Anything that is not a known entity stays as a literal '&'.
 */
static size_t
entity(struct buf *b, const char *s, size_t len, size_t i)
{
	size_t		 j, k, nlen;
	uint32_t	 cp = 0;
	int		 hex, digits = 0;

	for (j = i + 1; j < len && j < i + 12 && s[j] != ';'; j++)
		continue;
	if (j >= len || s[j] != ';' || j == i + 1) {
		buf_addc(b, '&');
		return i + 1;
	}
	nlen = j - i - 1;
	if (s[i + 1] == '#') {
		hex = i + 2 < j && (s[i + 2] == 'x' || s[i + 2] == 'X');
		for (k = i + 2 + hex; k < j; k++, digits++) {
			if (s[k] >= '0' && s[k] <= '9')
				cp = cp * (hex ? 16 : 10) +
				    (uint32_t)(s[k] - '0');
			else if (hex && (s[k] | 0x20) >= 'a' &&
			    (s[k] | 0x20) <= 'f')
				cp = cp * 16 + (uint32_t)((s[k] | 0x20) - 'a' +
				    10);
			else
				break;
			if (cp > 0x10ffff)
				cp = 0x110000;	/* stays out of range */
		}
		if (k != j || digits == 0) {
			buf_addc(b, '&');
			return i + 1;
		}
		add_cp(b, cp);
		return j + 1;
	}
	for (k = 0; k < nitems(entities); k++)
		if (strlen(entities[k].name) == nlen &&
		    memcmp(entities[k].name, s + i + 1, nlen) == 0) {
			buf_adds(b, entities[k].text);
			return j + 1;
		}
	buf_addc(b, '&');
	return i + 1;
}

/* An ASCII letter, as tag names are made of. */
static int
is_alpha(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Elements that end a line of text: words on either side stay apart. */
static const char *const blocks[] = {
	"address", "article", "aside", "blockquote", "br", "caption", "dd",
	"div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2",
	"h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
	"p", "pre", "section", "table", "td", "th", "tr", "ul",
};

/* 1 when name[0..len) names a block element, case aside. */
static int
is_block(const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < nitems(blocks); i++)
		if (strlen(blocks[i]) == len &&
		    strncasecmp(blocks[i], name, len) == 0)
			return 1;
	return 0;
}

/* The index just past the first "</name" ... ">" at or after i, or len. */
static size_t
skip_element(const char *s, size_t len, size_t i, const char *name,
    size_t nlen)
{
	for (; i + 2 + nlen <= len; i++)
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, nlen) == 0) {
			while (i < len && s[i] != '>')
				i++;
			return i < len ? i + 1 : len;
		}
	return len;
}

/*
 * Skips the tag, comment or declaration at s[i] == '<'; returns the
 * index after it, having added a line break for a block element.  A '<'
 * that starts none of these is text.
 */
static size_t
tag(struct buf *b, const char *s, size_t len, size_t i)
{
	const char	*name;
	size_t		 j, nlen;
	char		 q = 0;

	if (i + 1 >= len || (!is_alpha(s[i + 1]) && s[i + 1] != '/' &&
	    s[i + 1] != '!' && s[i + 1] != '?')) {
		buf_addc(b, '<');
		return i + 1;
	}
	if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		for (j = i + 4; j + 3 <= len; j++)
			if (memcmp(s + j, "-->", 3) == 0)
				return j + 3;
		return len;
	}
	j = i + 1 + (s[i + 1] == '/');
	name = s + j;
	while (j < len && (is_alpha(s[j]) || (s[j] >= '0' && s[j] <= '9')))
		j++;
	nlen = (size_t)(s + j - name);
	for (; j < len; j++) {
		if (q != 0) {
			if (s[j] == q)
				q = 0;
		} else if (s[j] == '"' || s[j] == '\'')
			q = s[j];
		else if (s[j] == '>')
			break;
	}
	j = j < len ? j + 1 : len;
	if (is_block(name, nlen) && b->len > 0 && b->p[b->len - 1] != '\n')
		buf_addc(b, '\n');
	/* Sanitized html has neither, but their text is never prose. */
	if (s[i + 1] != '/' && ((nlen == 6 && strncasecmp(name, "script",
	    6) == 0) || (nlen == 5 && strncasecmp(name, "style", 5) == 0)))
		return skip_element(s, len, j, name, nlen);
	return j;
}

void
store_fts5_html_text(struct buf *b, const char *s, size_t len)
{
	size_t	 i = 0, j;

	buf_grow(b, len);
	while (i < len) {
		if (s[i] == '<')
			i = tag(b, s, len, i);
		else if (s[i] == '&')
			i = entity(b, s, len, i);
		else {
			for (j = i + 1; j < len && s[j] != '<' && s[j] != '&';
			    j++)
				continue;
			buf_add(b, s + i, j - i);
			i = j;
		}
	}
	while (b->len > 0 && b->p[b->len - 1] == '\n')
		b->p[--b->len] = '\0';
}

/* ---- queries ---- */

size_t
store_fts5_phrase(struct buf *b, const char *const *terms, size_t nterms)
{
	const char	*t;
	size_t		 i, n = 0;

	for (i = 0; i < nterms; i++) {
		if ((t = terms[i]) == NULL || *t == '\0')
			continue;
		if (n++ > 0)
			buf_adds(b, " + ");
		buf_addc(b, '"');
		for (; *t != '\0'; t++) {
			if (*t == '"')
				buf_addc(b, '"');
			buf_addc(b, *t);
		}
		buf_addc(b, '"');
	}
	return n;
}

/* 1 when the phrase has a term that is not empty. */
static int
has_terms(const struct search_phrase *ph)
{
	size_t	 i;

	for (i = 0; i < ph->nterms; i++)
		if (ph->terms[i] != NULL && ph->terms[i][0] != '\0')
			return 1;
	return 0;
}

/*
 * The end of the group of alternatives that starts at v[i]: the
 * phrases next to it with the same non-zero alt (one phrase when alt is
 * 0).  *nterms gets how many of them have terms.
 */
static size_t
group_end(const struct search_phrase *v, size_t n, size_t i, size_t *nterms)
{
	size_t	 j = i;

	*nterms = 0;
	do {
		*nterms += has_terms(&v[j]);
		j++;
	} while (j < n && v[i].alt != 0 && v[j].alt == v[i].alt &&
	    v[j].is_negated == v[i].is_negated);
	return j;
}

/* Appends the group v[i..end) as one phrase or (alternatives OR ...). */
static void
add_group(struct buf *b, const struct search_phrase *v, size_t i,
    size_t end, size_t nterms)
{
	size_t	 k = 0;

	if (nterms > 1)
		buf_addc(b, '(');
	for (; i < end; i++) {
		if (!has_terms(&v[i]))
			continue;
		if (k++ > 0)
			buf_adds(b, " OR ");
		store_fts5_phrase(b, v[i].terms, v[i].nterms);
	}
	if (nterms > 1)
		buf_addc(b, ')');
}

int
store_fts5_match(struct buf *b, const struct search_phrase *v, size_t n)
{
	size_t	 i, end, nt, npos = 0;

	buf_addc(b, '(');
	for (i = 0; i < n; i = end) {
		end = group_end(v, n, i, &nt);
		if (v[i].is_negated || nt == 0)
			continue;
		if (npos++ > 0)
			buf_adds(b, " AND ");
		add_group(b, v, i, end, nt);
	}
	buf_addc(b, ')');
	if (npos == 0)
		return -1;
	for (i = 0; i < n; i = end) {
		end = group_end(v, n, i, &nt);
		if (!v[i].is_negated || nt == 0)
			continue;
		buf_adds(b, " NOT ");
		add_group(b, v, i, end, nt);
	}
	return 0;
}

/* ---- snippets ---- */

/* What the tokenizer walk collects: the window's tokens. */
struct snip_walk {
	int	 first;			/* position of the first token */
	int	 pos;			/* position of the next token */
	int	 n;			/* tokens collected */
	int	 start[SNIP_TOKENS];	/* their byte offsets */
	int	 end[SNIP_TOKENS];
	int	 has_more;		/* tokens follow the window */
};

/* Collects the window's tokens; stops the walk after it. */
static int
snip_cb(void *arg, int tflags, const char *tok, int toklen, int start,
    int end)
{
	struct snip_walk	*w = arg;

	(void)tok;
	(void)toklen;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (w->pos >= w->first) {
		if (w->n == SNIP_TOKENS) {
			w->has_more = 1;
			return SQLITE_DONE;	/* the rest is not needed */
		}
		w->start[w->n] = start;
		w->end[w->n] = end;
		w->n++;
	}
	w->pos++;
	return SQLITE_OK;
}

/* The matches in column col, sorted, into v[SNIP_INST_MAX]; returns n. */
static int
snip_insts(const Fts5ExtensionApi *api, Fts5Context *fc, int col,
    struct snip_inst *v)
{
	struct snip_inst	 t;
	int			 i, j, n = 0, ninst, ph, c, off;

	if (api->xInstCount(fc, &ninst) != SQLITE_OK)
		return 0;
	for (i = 0; i < ninst && n < SNIP_INST_MAX; i++) {
		if (api->xInst(fc, i, &ph, &c, &off) != SQLITE_OK || c != col)
			continue;
		t.first = off;
		t.last = off + api->xPhraseSize(fc, ph) - 1;
		t.ph = ph;
		for (j = n; j > 0 && v[j - 1].first > t.first; j--)
			v[j] = v[j - 1];
		v[j] = t;
		n++;
	}
	return n;
}

/*
 * Appends the window w of text s[0..len) to b: "..." where text was
 * cut, the merged matches v[0..n) between \002 and \003.  mark is the
 * length of the language marker, which is never shown.
 */
static void
snip_write(struct buf *b, const char *s, int len, int mark,
    const struct snip_walk *w, const struct snip_inst *v, int n)
{
	int	 k, p, j = 0, cur, in;

	cur = w->first == 0 || w->n == 0 ? mark : w->start[0];
	if (w->first > 0 && w->n > 0)
		buf_adds(b, "\xe2\x80\xa6");
	for (k = 0; k < w->n; k++) {
		p = w->first + k;
		while (j < n && v[j].last < p)
			j++;
		in = j < n && v[j].first <= p;
		buf_add(b, s + cur, (size_t)(w->start[k] - cur));
		if (in && (v[j].first == p || k == 0))
			buf_addc(b, '\002');
		buf_add(b, s + w->start[k], (size_t)(w->end[k] - w->start[k]));
		if (in && (v[j].last == p || k == w->n - 1))
			buf_addc(b, '\003');
		cur = w->end[k];
	}
	if (w->has_more)
		buf_adds(b, "\xe2\x80\xa6");
	else
		buf_add(b, s + cur, (size_t)(len - cur));
}

/*
 * gazette_snippet(post_search, col, fallback): about SNIP_TOKENS words
 * of column col around its matches, or of column fallback when only
 * that one has matches, or the start of col (or of fallback, when col
 * is empty) when neither has; plain text, without the marker, matches
 * between \002 and \003.  FTS5's own snippet() tokenizes the whole
 * column twice for every row; this one tokenizes it once and only up to
 * the end of the window, which matters because a body is long and the
 * pipeline is the costly part.
 */
static void
snip_fn(const Fts5ExtensionApi *api, Fts5Context *fc, sqlite3_context *ctx,
    int argc, sqlite3_value **argv)
{
	struct snip_inst	 v[SNIP_INST_MAX];
	struct snip_walk	 w;
	struct buf		 b = BUF_INIT;
	const char		*s;
	char			 lang[LANG_MAX + 1];
	int			 col, alt, n, ntok, len, mark, rc;

	if (argc != 2) {
		sqlite3_result_error(ctx, "gazette_snippet: two arguments", -1);
		return;
	}
	col = sqlite3_value_int(argv[0]);
	alt = sqlite3_value_int(argv[1]);
	if ((n = snip_insts(api, fc, col, v)) == 0 &&
	    (n = snip_insts(api, fc, alt, v)) > 0)
		col = alt;
	if (api->xColumnText(fc, col, &s, &len) != SQLITE_OK || s == NULL)
		len = 0;
	/* No match anywhere shown: the start of col, else of alt. */
	if (n == 0 && (size_t)len <= mark_len(s, (size_t)len, lang)) {
		col = alt;
		if (api->xColumnText(fc, col, &s, &len) != SQLITE_OK ||
		    s == NULL)
			len = 0;
	}
	if (len == 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	mark = (int)mark_len(s, (size_t)len, lang);
	if (api->xColumnSize(fc, col, &ntok) != SQLITE_OK)
		ntok = 0;
	memset(&w, 0, sizeof(w));
	w.first = store_snip_place(v, n, ntok);
	rc = api->xTokenize(fc, s, len, &w, snip_cb);
	/*
	 * Fewer tokens than the index says: the pipeline changed since
	 * (a reindex is due).  The start then, not the whole text.
	 */
	if (rc == SQLITE_OK && w.n == 0 && w.first > 0) {
		memset(&w, 0, sizeof(w));
		n = 0;
		rc = api->xTokenize(fc, s, len, &w, snip_cb);
	}
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	snip_write(&b, s, len, mark, &w, v, store_snip_merge(v, n));
	sqlite3_result_text(ctx, b.p == NULL ? "" : b.p, (int)b.len,
	    SQLITE_TRANSIENT);
	buf_clear(&b);
}
