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
 * Mustache: parse once, render many times.  The parser turns a template
 * into a flat array of nodes; a section is a node followed by its
 * children, and it records where they end.  Standalone lines, set
 * delimiters and name splitting are all settled while parsing, so a
 * render walks the array, looks names up in the context stack and
 * appends bytes, with no allocation of its own beyond growing the
 * output buffer.
 *
 * Partial indentation is the one thing a parse cannot settle, because
 * the same partial is indented differently at each standalone use.  The
 * spec defines it as "indent every line of the partial's source"; each
 * node therefore records whether a source line starts there, and a
 * render that has an indent writes it at those places and after each
 * newline inside literal text.  Interpolated data is never indented,
 * as the spec requires.
 *
 * Not here: lambdas, dynamic names and template inheritance.  The
 * parser never recurses and never reads outside src[0..len); a render
 * recurses at most LIMIT_TEMPLATE_DEPTH levels.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "render.h"

#define NAME_SHOW	48	/* bytes of a tag name quoted in errors */

enum node_type {
	NODE_TEXT,	/* literal bytes s[0..len) */
	NODE_VAR,	/* {{name}}: value, HTML-escaped */
	NODE_RAW,	/* {{{name}}} or {{&name}}: value as is */
	NODE_SECTION,	/* {{#name}}: children are nodes up to end */
	NODE_INVERTED,	/* {{^name}}: children are nodes up to end */
	NODE_PARTIAL,	/* {{>name}}: s[0..len) is the partial's name */
};

/* A piece of a dotted name, pointing into the template's source copy. */
struct part {
	const char	*p;
	size_t		 len;
};

struct node {
	enum node_type	 type;
	int		 is_bol;	/* a source line starts here */
	int		 is_standalone;	/* partial alone on its line */
	const char	*s;	/* text, or the tag's whole name */
	size_t		 len;	/* bytes of s */
	const char	*ind;	/* standalone partial: whitespace before it */
	size_t		 indlen;	/* bytes of ind */
	size_t		 part;	/* first name piece in tmpl.parts */
	size_t		 nparts;	/* pieces; 0 for the implicit "." */
	size_t		 end;	/* section: index after its last child */
};

struct tmpl {
	char		*src;	/* owned copy of the source */
	size_t		 len;	/* bytes of src */
	struct node	*nodes;	/* owned, in source order */
	size_t		 n;	/* nodes used */
	size_t		 cap;	/* nodes allocated */
	struct part	*parts;	/* owned; name pieces of all nodes */
	size_t		 nparts;	/* pieces used */
	size_t		 partcap;	/* pieces allocated */
};

/* Parser state; every offset is into t->src, every scan stops at len. */
struct parser {
	struct tmpl	*t;
	const char	*src;	/* t->src */
	size_t		 len;	/* t->len */
	const char	*otag;	/* opening delimiter, in src or static */
	size_t		 olen;
	const char	*ctag;	/* closing delimiter */
	size_t		 clen;
	size_t		*open;	/* owned; indices of unclosed sections */
	size_t		 nopen;
	size_t		 opencap;
	char		*err;	/* caller's message buffer, or NULL */
	size_t		 errlen;
};

/* What a render needs besides the template and the place in it. */
struct run {
	render_partial_fn	 partial;
	void			*arg;
	struct buf		*out;
	/* Context stack: the caller's value, then one per open section. */
	const struct mval	*stack[LIMIT_TEMPLATE_DEPTH + 1];
	size_t			 n;	/* entries used in stack */
};

/* The indentation of a standalone partial, inside its callers' own. */
struct indent {
	const char		*p;	/* this level's whitespace */
	size_t			 len;
	const struct indent	*up;	/* the enclosing partial's, or NULL */
};

/* 1 for the blanks allowed around a standalone tag. */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* 1 for the bytes trimmed around a tag name. */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 if a source line starts at offset off. */
static int
at_bol(const struct parser *ps, size_t off)
{
	return off == 0 || ps->src[off - 1] == '\n';
}

/* The line number (from 1) of offset off. */
static size_t
line_of(const struct parser *ps, size_t off)
{
	size_t	 i, line = 1;

	for (i = 0; i < off && i < ps->len; i++)
		if (ps->src[i] == '\n')
			line++;
	return line;
}

/* Sets "line N: why" in the caller's buffer; returns -1. */
static int __attribute__((format(printf, 3, 4)))
perr(struct parser *ps, size_t off, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (ps->err == NULL || ps->errlen == 0)
		return -1;
	n = snprintf(ps->err, ps->errlen, "line %zu: ", line_of(ps, off));
	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Validates that src[0..len) is UTF-8 without NUL; returns the offset of
 * the first bad byte, or len.  Templates are text, and a NUL would also
 * end a name early where it is compared with a C string key.
 */
static size_t
utf8_bad(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	uint32_t		 c, min;

	while (i < len) {
		if (p[i] == 0)
			return i;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 2;
			c = p[i] & 0x1f;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 3;
			c = p[i] & 0x0f;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 4;
			c = p[i] & 0x07;
			min = 0x10000;
		} else
			return i;
		if (n > len - i)
			return i;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return i;
		i += n;
	}
	return len;
}

/* Appends a zeroed node and returns it. */
static struct node *
node_add(struct tmpl *t, enum node_type type)
{
	struct node	*nd;

	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 32 : t->cap * 2;
		t->nodes = xreallocarray(t->nodes, t->cap, sizeof(*t->nodes));
	}
	nd = &t->nodes[t->n++];
	memset(nd, 0, sizeof(*nd));
	nd->type = type;
	return nd;
}

/* Adds src[from..to) as literal text, unless it is empty. */
static void
text_add(struct parser *ps, size_t from, size_t to)
{
	struct node	*nd;

	if (from >= to)
		return;
	nd = node_add(ps->t, NODE_TEXT);
	nd->s = ps->src + from;
	nd->len = to - from;
	nd->is_bol = at_bol(ps, from);
}

/*
 * An empty text node that only marks a line start, for a tag that
 * writes nothing but begins a line that stays (so an indented partial
 * still indents that line).
 */
static void
bol_add(struct parser *ps)
{
	struct node	*nd;

	nd = node_add(ps->t, NODE_TEXT);
	nd->s = ps->src;
	nd->is_bol = 1;
}

/* Appends one name piece. */
static void
part_add(struct tmpl *t, const char *p, size_t len)
{
	if (t->nparts == t->partcap) {
		t->partcap = t->partcap == 0 ? 32 : t->partcap * 2;
		t->parts = xreallocarray(t->parts, t->partcap,
		    sizeof(*t->parts));
	}
	t->parts[t->nparts].p = p;
	t->parts[t->nparts].len = len;
	t->nparts++;
}

/*
 * Splits the name of nd (already in nd->s, nd->len) into pieces at
 * dots.  "." alone is the implicit iterator; an empty piece ("a..b",
 * ".a", "a.") is an error.
 */
static int
name_split(struct parser *ps, struct node *nd, size_t off)
{
	size_t	 i, start;

	nd->part = ps->t->nparts;
	nd->nparts = 0;
	if (nd->len == 1 && nd->s[0] == '.')
		return 0;
	for (i = start = 0; i <= nd->len; i++) {
		if (i < nd->len && nd->s[i] != '.')
			continue;
		if (i == start)
			return perr(ps, off, "bad name \"%.*s\"",
			    (int)(nd->len > NAME_SHOW ? NAME_SHOW : nd->len),
			    nd->s);
		part_add(ps->t, nd->s + start, i - start);
		nd->nparts++;
		start = i + 1;
	}
	return 0;
}

/*
 * Finds the closing delimiter at or after from, preceded by the byte
 * pre when pre is not NUL ("}" for {{{x}}}, "=" for {{=a b=}}).  The
 * byte must itself lie at or after from.  Returns its offset (of pre,
 * when given) or len.
 */
static size_t
close_find(const struct parser *ps, size_t from, char pre)
{
	const char	*q;
	size_t		 at, pos;

	for (pos = from; pos < ps->len; pos = at + 1) {
		q = memmem(ps->src + pos, ps->len - pos, ps->ctag, ps->clen);
		if (q == NULL)
			break;
		at = (size_t)(q - ps->src);
		if (pre == '\0')
			return at;
		if (at > from && ps->src[at - 1] == pre)
			return at - 1;
	}
	return ps->len;
}

/* Parses "{{=a b=}}" content src[from..to) into new delimiters. */
static int
delims_set(struct parser *ps, size_t from, size_t to, size_t tagoff)
{
	size_t	 o, ol, c, cl;

	while (from < to && is_space(ps->src[from]))
		from++;
	while (to > from && is_space(ps->src[to - 1]))
		to--;
	for (o = from; o < to && !is_space(ps->src[o]); o++)
		continue;
	ol = o - from;
	for (c = o; c < to && is_space(ps->src[c]); c++)
		continue;
	cl = to - c;
	if (ol == 0 || cl == 0 || c == o ||
	    memchr(ps->src + from, '=', ol) != NULL ||
	    memchr(ps->src + c, '=', cl) != NULL)
		return perr(ps, tagoff, "bad delimiters");
	/* The closer must be one word: no blank inside it. */
	for (o = c; o < to; o++)
		if (is_space(ps->src[o]))
			return perr(ps, tagoff, "bad delimiters");
	ps->otag = ps->src + from;
	ps->olen = ol;
	ps->ctag = ps->src + c;
	ps->clen = cl;
	return 0;
}

/* Records section node idx as open. */
static void
open_push(struct parser *ps, size_t idx)
{
	if (ps->nopen == ps->opencap) {
		ps->opencap = ps->opencap == 0 ? 16 : ps->opencap * 2;
		ps->open = xreallocarray(ps->open, ps->opencap,
		    sizeof(*ps->open));
	}
	ps->open[ps->nopen++] = idx;
}

/* Offset of a node's name in the source, for messages. */
static size_t
name_off(const struct parser *ps, const struct node *nd)
{
	return (size_t)(nd->s - ps->src);
}

/*
 * Handles one tag that starts at tag (the opening delimiter) after
 * literal text that started at text.  Sets *next to where parsing goes
 * on.  Returns 0 or -1 with the message set.
 */
static int
tag_parse(struct parser *ps, size_t text, size_t tag, size_t *next)
{
	struct node	*nd;
	struct node	*sec;
	size_t		 c, nfrom, nto, tagend, ls, e;
	int		 standalone = 0, bol;
	char		 type;

	c = tag + ps->olen;
	type = c < ps->len ? ps->src[c] : '\0';
	switch (type) {
	case '!':
	case '#':
	case '^':
	case '/':
	case '>':
	case '&':
		nfrom = c + 1;
		nto = close_find(ps, nfrom, '\0');
		tagend = nto + ps->clen;
		break;
	case '{':
	case '=':
		nfrom = c + 1;
		nto = close_find(ps, nfrom, type == '{' ? '}' : '=');
		tagend = nto + 1 + ps->clen;
		break;
	default:
		type = 'v';
		nfrom = c;
		nto = close_find(ps, nfrom, '\0');
		tagend = nto + ps->clen;
		break;
	}
	if (nto >= ps->len)
		return perr(ps, tag, "unclosed tag");

	/*
	 * Standalone: the tag is alone on its line but for blanks.  The
	 * scan back stops at the previous tag because delimiters hold no
	 * blanks, so a tag earlier on the line always fails the test.
	 */
	ls = tag;
	e = tagend;
	if (type != 'v' && type != '&' && type != '{') {
		while (ls > text && is_blank(ps->src[ls - 1]))
			ls--;
		while (e < ps->len && is_blank(ps->src[e]))
			e++;
		if (at_bol(ps, ls)) {
			if (e == ps->len)
				standalone = 1;
			else if (ps->src[e] == '\n') {
				standalone = 1;
				e++;
			} else if (ps->src[e] == '\r' && e + 1 < ps->len &&
			    ps->src[e + 1] == '\n') {
				standalone = 1;
				e += 2;
			}
		}
	}
	text_add(ps, text, standalone ? ls : tag);
	*next = standalone ? e : tagend;
	bol = !standalone && at_bol(ps, tag);

	/* The name, trimmed; comments and delimiters have none. */
	while (nfrom < nto && is_space(ps->src[nfrom]))
		nfrom++;
	while (nto > nfrom && is_space(ps->src[nto - 1]))
		nto--;
	if (type != '!' && type != '=' && nfrom == nto)
		return perr(ps, tag, "empty tag");

	switch (type) {
	case '!':
		if (bol)
			bol_add(ps);
		return 0;
	case '=':
		if (delims_set(ps, nfrom, nto, tag) == -1)
			return -1;
		if (bol)
			bol_add(ps);
		return 0;
	case '/':
		if (ps->nopen == 0)
			return perr(ps, tag, "\"%.*s\" closes no open section",
			    (int)(nto - nfrom > NAME_SHOW ? NAME_SHOW :
			    nto - nfrom), ps->src + nfrom);
		sec = &ps->t->nodes[ps->open[ps->nopen - 1]];
		if (sec->len != nto - nfrom ||
		    memcmp(sec->s, ps->src + nfrom, sec->len) != 0)
			return perr(ps, tag, "\"%.*s\" closes section \"%.*s\" "
			    "opened on line %zu",
			    (int)(nto - nfrom > NAME_SHOW ? NAME_SHOW :
			    nto - nfrom), ps->src + nfrom,
			    (int)(sec->len > NAME_SHOW ? NAME_SHOW : sec->len),
			    sec->s, line_of(ps, name_off(ps, sec)));
		/* The marker belongs to the body, so it repeats with it. */
		if (bol)
			bol_add(ps);
		ps->t->nodes[ps->open[--ps->nopen]].end = ps->t->n;
		return 0;
	case '>':
		nd = node_add(ps->t, NODE_PARTIAL);
		nd->s = ps->src + nfrom;
		nd->len = nto - nfrom;
		nd->is_bol = bol;
		nd->is_standalone = standalone;
		if (standalone) {
			nd->ind = ps->src + ls;
			nd->indlen = tag - ls;
		}
		return 0;
	default:
		break;
	}

	switch (type) {
	case '#':
		nd = node_add(ps->t, NODE_SECTION);
		break;
	case '^':
		nd = node_add(ps->t, NODE_INVERTED);
		break;
	case 'v':
		nd = node_add(ps->t, NODE_VAR);
		break;
	default:
		nd = node_add(ps->t, NODE_RAW);
		break;
	}
	nd->s = ps->src + nfrom;
	nd->len = nto - nfrom;
	nd->is_bol = bol;
	if (name_split(ps, nd, tag) == -1)
		return -1;
	if (type == '#' || type == '^')
		open_push(ps, ps->t->n - 1);
	return 0;
}

void
render_tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->src);
	free(t->nodes);
	free(t->parts);
	free(t);
}

struct tmpl *
render_tmpl_parse(const char *src, size_t len, char *err, size_t errlen)
{
	struct parser	 ps;
	struct tmpl	*t;
	struct node	*sec;
	const char	*q;
	size_t		 pos, tag, bad;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&ps, 0, sizeof(ps));
	ps.err = err;
	ps.errlen = errlen;
	ps.src = src;
	ps.len = len;
	if ((bad = utf8_bad(src, len)) < len) {
		perr(&ps, bad, "not valid UTF-8");
		return NULL;
	}

	t = xcalloc(1, sizeof(*t));
	t->src = xmalloc(len + 1);
	if (len > 0)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	ps.t = t;
	ps.src = t->src;
	ps.otag = "{{";
	ps.olen = 2;
	ps.ctag = "}}";
	ps.clen = 2;

	pos = 0;
	while (pos < len) {
		q = memmem(ps.src + pos, len - pos, ps.otag, ps.olen);
		if (q == NULL) {
			text_add(&ps, pos, len);
			break;
		}
		tag = (size_t)(q - ps.src);
		if (tag_parse(&ps, pos, tag, &pos) == -1)
			goto fail;
	}
	if (ps.nopen > 0) {
		sec = &t->nodes[ps.open[ps.nopen - 1]];
		perr(&ps, name_off(&ps, sec), "section \"%.*s\" not closed",
		    (int)(sec->len > NAME_SHOW ? NAME_SHOW : sec->len),
		    sec->s);
		goto fail;
	}
	free(ps.open);
	return t;
fail:
	free(ps.open);
	render_tmpl_free(t);
	return NULL;
}

/* The value of key[0..len) in v when v is a map, or NULL. */
static const struct mval *
map_get(const struct mval *v, const char *key, size_t len)
{
	const struct mval_pair	*p;

	if (v == NULL || v->type != MVAL_MAP)
		return NULL;
	for (p = v->pairs; p != NULL; p = p->next)
		if (p->key != NULL && strncmp(p->key, key, len) == 0 &&
		    p->key[len] == '\0')
			return p->v;
	return NULL;
}

/*
 * Resolves the name of nd: the first piece walks the context stack from
 * the top, the rest only descend from what the first found (so a broken
 * chain is a miss, not a lookup further down the stack).
 */
static const struct mval *
lookup(const struct run *r, const struct tmpl *t, const struct node *nd)
{
	const struct part	*pt;
	const struct mval	*v = NULL;
	size_t			 i;

	if (nd->nparts == 0)
		return r->stack[r->n - 1];
	pt = &t->parts[nd->part];
	for (i = r->n; i-- > 0;)
		if ((v = map_get(r->stack[i], pt[0].p, pt[0].len)) != NULL)
			break;
	for (i = 1; i < nd->nparts && v != NULL; i++)
		v = map_get(v, pt[i].p, pt[i].len);
	return v;
}

/* Falsey: missing, null, false, or an empty list. */
static int
is_falsey(const struct mval *v)
{
	return v == NULL || v->type == MVAL_NULL ||
	    (v->type == MVAL_BOOL && !v->b) ||
	    (v->type == MVAL_LIST && v->items == NULL);
}

/* Writes the indentation, outermost partial's first. */
static void
indent_put(struct buf *out, const struct indent *ind)
{
	if (ind == NULL)
		return;
	indent_put(out, ind->up);
	buf_add(out, ind->p, ind->len);
}

/* Writes literal text, indenting every line but a final empty one. */
static void
text_put(struct buf *out, const char *s, size_t len,
    const struct indent *ind)
{
	const char	*nl;

	while (len > 0 && (nl = memchr(s, '\n', len - 1)) != NULL) {
		buf_add(out, s, (size_t)(nl - s) + 1);
		indent_put(out, ind);
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	buf_add(out, s, len);
}

/* Writes a value: strings (escaped unless raw) and booleans. */
static void
value_put(struct buf *out, const struct mval *v, int raw)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case MVAL_STR:
		if (raw)
			buf_add(out, v->s, v->len);
		else
			render_escape_html(out, v->s, v->len);
		break;
	case MVAL_BOOL:
		buf_adds(out, v->b ? "true" : "false");
		break;
	default:
		/* Lists and maps have no text of their own. */
		break;
	}
}

/*
 * Renders nodes [from, to) of t at nesting depth (sections and partials
 * entered so far).  Returns 0, or -1 past LIMIT_TEMPLATE_DEPTH.
 */
static int
run_nodes(struct run *r, const struct tmpl *t, size_t from, size_t to,
    int depth, const struct indent *ind)
{
	const struct node	*nd;
	const struct mval	*v;
	const struct mval_item	*it;
	const struct tmpl	*p;
	const struct indent	*pi;
	struct indent		 pind;
	size_t			 i;

	for (i = from; i < to; i++) {
		nd = &t->nodes[i];
		if (ind != NULL && nd->is_bol)
			indent_put(r->out, ind);
		switch (nd->type) {
		case NODE_TEXT:
			if (ind == NULL)
				buf_add(r->out, nd->s, nd->len);
			else
				text_put(r->out, nd->s, nd->len, ind);
			break;
		case NODE_VAR:
		case NODE_RAW:
			value_put(r->out, lookup(r, t, nd),
			    nd->type == NODE_RAW);
			break;
		case NODE_SECTION:
			v = lookup(r, t, nd);
			if (!is_falsey(v)) {
				if (depth >= LIMIT_TEMPLATE_DEPTH)
					return -1;
				if (v->type != MVAL_LIST) {
					r->stack[r->n++] = v;
					if (run_nodes(r, t, i + 1, nd->end,
					    depth + 1, ind) == -1)
						return -1;
					r->n--;
				} else
					for (it = v->items; it != NULL;
					    it = it->next) {
						r->stack[r->n++] = it->v;
						if (run_nodes(r, t, i + 1,
						    nd->end, depth + 1,
						    ind) == -1)
							return -1;
						r->n--;
					}
			}
			i = nd->end - 1;
			break;
		case NODE_INVERTED:
			if (is_falsey(lookup(r, t, nd))) {
				if (depth >= LIMIT_TEMPLATE_DEPTH)
					return -1;
				if (run_nodes(r, t, i + 1, nd->end, depth + 1,
				    ind) == -1)
					return -1;
			}
			i = nd->end - 1;
			break;
		case NODE_PARTIAL:
			if (r->partial == NULL ||
			    (p = r->partial(r->arg, nd->s, nd->len)) == NULL)
				break;
			if (depth >= LIMIT_TEMPLATE_DEPTH)
				return -1;
			/*
			 * Only a standalone partial is indented, by its
			 * own whitespace inside whatever indents its line;
			 * an inline one starts afresh, as the spec's
			 * "indent the partial's source" implies.  No
			 * whitespace adds no level, which keeps the common
			 * unindented partial on the plain text path.
			 */
			pind.p = nd->ind;
			pind.len = nd->indlen;
			pind.up = ind;
			if (!nd->is_standalone)
				pi = NULL;
			else if (nd->indlen == 0)
				pi = ind;
			else
				pi = &pind;
			if (run_nodes(r, p, 0, p->n, depth + 1, pi) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

int
render_tmpl_run(const struct tmpl *t, const struct mval *ctx,
    render_partial_fn partial, void *arg, struct buf *out)
{
	struct run	 r;

	r.partial = partial;
	r.arg = arg;
	r.out = out;
	r.stack[0] = ctx;
	r.n = 1;
	return run_nodes(&r, t, 0, t->n, 0, NULL);
}
