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
 * Search on PostgreSQL with the tokens of the SQLite engine.  A post's
 * title, labels, text and approved comments go through the one text
 * pipeline (text_tokenize, stemmed, in the post's language) here in C,
 * exactly as the FTS5 tokenizer takes them, and the terms are stored
 * as a tsvector literal: weight A the title, B the labels, C the body,
 * D the comments, each field's positions GAP past the last one so that
 * a phrase never runs from one field into the next.  Queries are
 * tsqueries of the terms the pipeline made of the query (phrases with
 * <->, alternatives with |, negation with !), cast from text, so no
 * PostgreSQL dictionary ever touches a token.  Snippets are cut here
 * from the plain text of the title and body, tokenized again only for
 * the rows a page shows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base.h"
#include "text/text.h"
#include "store_pg_int.h"

#define GAP		8	/* positions between two fields */
#define POS_MAX		16383	/* tsvector's highest position */
#define POS_PER_TERM	255	/* tsvector keeps at most 256 a lexeme */

/* One occurrence of a term: where, and in which field (weight). */
struct occ {
	char		*term;	/* owned by the walk's arena */
	int		 pos;
	char		 weight;	/* 'A'..'D' */
};

struct doc_walk {
	struct arena	*a;
	struct occ	*v;
	size_t		 n, cap;
	int		 base;	/* position of the field's first token */
	int		 last;	/* highest position so far */
	char		 weight;
};

static int
doc_cb(void *arg, const struct text_token *t)
{
	struct doc_walk	*w = arg;
	int		 pos;

	pos = w->base + (int)(t->pos > POS_MAX ? POS_MAX : t->pos);
	if (pos > POS_MAX)
		pos = POS_MAX;
	w->v = arena_grow(w->a, w->v, w->n, &w->cap, sizeof(*w->v));
	w->v[w->n].term = arena_strndup(w->a, t->term, t->termlen);
	w->v[w->n].pos = pos;
	w->v[w->n].weight = w->weight;
	w->n++;
	if (pos > w->last)
		w->last = pos;
	return 0;
}

/* Tokenizes one field into w at weight, after the fields before it. */
static void
doc_field(struct doc_walk *w, const char *lang, const char *s, size_t len,
    char weight)
{
	w->weight = weight;
	w->base = w->last == 0 ? 1 : w->last + GAP;
	/* Not UTF-8 (never from the engine) or ICU failing: no tokens. */
	if (text_tokenize(lang, TEXT_TOKEN_STEM, s, len, doc_cb, w) == -1)
		log_warnx("search index: a field could not be tokenized");
}

static int
occ_cmp(const void *x, const void *y)
{
	const struct occ	*a = x, *b = y;
	int			 c;

	if ((c = strcmp(a->term, b->term)) != 0)
		return c;
	return a->pos - b->pos;
}

/* Appends s as a quoted tsvector or tsquery lexeme. */
static void
add_lexeme(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(b, *s);
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* The tsvector literal of w's occurrences, into b. */
static void
doc_literal(struct doc_walk *w, struct buf *b)
{
	size_t	 i, npos = 0;
	int	 lastpos = 0;

	qsort(w->v, w->n, sizeof(*w->v), occ_cmp);
	for (i = 0; i < w->n; i++) {
		if (i == 0 || strcmp(w->v[i].term, w->v[i - 1].term) != 0) {
			if (i > 0)
				buf_addc(b, ' ');
			add_lexeme(b, w->v[i].term);
			buf_addc(b, ':');
			npos = 0;
		} else if (npos >= POS_PER_TERM || w->v[i].pos == lastpos)
			continue;
		else
			buf_addc(b, ',');
		buf_addf(b, "%d%c", w->v[i].pos, w->v[i].weight);
		lastpos = w->v[i].pos;
		npos++;
	}
}

/* Appends s as an element of an array literal, quoted. */
static void
add_elem(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* Appends every row's first column to b, sep between rows. */
static enum store_err
rows_join(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id,
    int64_t post, const char *sep, struct buf *b)
{
	struct pg_params	 p;
	PGresult		*r;
	enum store_err		 e = STORE_OK;
	int			 i;

	pg_params_init(&p);
	pg_param_i64(&p, post);
	if ((r = pg_run(pe, c, id, &p, "search index", &e)) == NULL)
		return e;
	for (i = 0; i < PQntuples(r); i++) {
		if (i > 0)
			buf_adds(b, sep);
		buf_add(b, PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));
	}
	PQclear(r);
	return STORE_OK;
}

/* Logs a change of term's post count for the commit. */
static void
tlog_add(struct pg_engine *pe, const char *term, int delta)
{
	if (pe->ntlog == pe->tlogcap) {
		pe->tlogcap = pe->tlogcap == 0 ? 256 : pe->tlogcap * 2;
		pe->tlog = xreallocarray(pe->tlog, pe->tlogcap,
		    sizeof(*pe->tlog));
	}
	pe->tlog[pe->ntlog].term = xstrdup(term);
	pe->tlog[pe->ntlog].delta = delta;
	pe->ntlog++;
}

void
pg_terms_truncate(struct pg_engine *pe, size_t n)
{
	while (pe->ntlog > n)
		free(pe->tlog[--pe->ntlog].term);
	if (n == 0)
		pe->drows = pe->dtokens = 0;
}

static int
tdelta_cmp(const void *x, const void *y)
{
	const struct pg_tdelta	*a = x, *b = y;

	return strcmp(a->term, b->term);
}

enum store_err
pg_terms_flush(struct pg_engine *pe)
{
	struct pg_params	 p;
	struct buf		 tl = BUF_INIT, dl = BUF_INIT;
	size_t			 i, j, n = 0;
	int64_t			 sum;
	enum store_err		 e = STORE_OK;

	if (pe->drows != 0 || pe->dtokens != 0) {
		pg_params_init(&p);
		pg_param_i64(&p, pe->drows);
		pg_param_i64(&p, pe->dtokens);
		if ((e = pg_do(pe, &pe->w, PS_IX_STATS_APPLY, &p,
		    "search index")) != STORE_OK)
			return e;
		pe->drows = pe->dtokens = 0;
	}
	if (pe->ntlog == 0)
		return STORE_OK;
	qsort(pe->tlog, pe->ntlog, sizeof(*pe->tlog), tdelta_cmp);
	buf_addc(&tl, '{');
	buf_addc(&dl, '{');
	for (i = 0; i < pe->ntlog; i = j) {
		sum = 0;
		for (j = i; j < pe->ntlog &&
		    strcmp(pe->tlog[j].term, pe->tlog[i].term) == 0; j++)
			sum += pe->tlog[j].delta;
		if (sum == 0)
			continue;
		if (n++ > 0) {
			buf_addc(&tl, ',');
			buf_addc(&dl, ',');
		}
		add_elem(&tl, pe->tlog[i].term);
		buf_addf(&dl, "%lld", (long long)sum);
	}
	buf_addc(&tl, '}');
	buf_addc(&dl, '}');
	if (n > 0) {
		pg_params_init(&p);
		pg_param_strn(&p, tl.p, tl.len);
		pg_param_strn(&p, dl.p, dl.len);
		if ((e = pg_do(pe, &pe->w, PS_IX_TERMS_APPLY, &p,
		    "search index")) == STORE_OK) {
			pg_params_init(&p);
			pg_param_strn(&p, tl.p, tl.len);
			e = pg_do(pe, &pe->w, PS_IX_TERMS_PRUNE, &p,
			    "search index");
		}
	}
	buf_clear(&tl);
	buf_clear(&dl);
	if (e == STORE_OK)
		pg_terms_truncate(pe, 0);
	return e;
}

enum store_err
pg_index_del(struct pg_engine *pe, struct pg_conn *c, int64_t id)
{
	struct pg_params	 p;
	PGresult		*r;
	enum store_err		 e = STORE_OK;
	int			 i;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((r = pg_run(pe, c, PS_IX_OLD, &p, "search index", &e)) == NULL)
		return e;
	for (i = 0; i < PQntuples(r); i++)
		if (!PQgetisnull(r, i, 0))
			tlog_add(pe, PQgetvalue(r, i, 0), -1);
	if (PQntuples(r) > 0) {
		pe->drows--;
		pe->dtokens -= pg_get_i64(r, 0, 1);
	}
	PQclear(r);
	return pg_do(pe, c, PS_IX_DELETE, &p, "search index");
}

/* Writes a new index row for post id, which has none. */
static enum store_err
index_insert(struct pg_engine *pe, struct pg_conn *c, int64_t id, int is_logged)
{
	struct pg_params	 p;
	struct doc_walk		 w;
	struct buf		 text = BUF_INIT, extra = BUF_INIT;
	struct buf		 lit = BUF_INIT;
	PGresult		*r;
	char			 lang[16], *title = NULL;
	size_t			 i;
	enum store_err		 e = STORE_OK;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	if ((r = pg_run(pe, c, PS_IX_POST, &p, "search index", &e)) == NULL)
		return e;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return STORE_OK;
	}
	memset(&w, 0, sizeof(w));
	w.a = arena_new();
	/* Columns: lang, title, html, source; as the SQLite engine. */
	store_fts5_html_text(&text, PQgetvalue(r, 0, 2),
	    (size_t)PQgetlength(r, 0, 2));
	if (text.len == 0)
		buf_add(&text, PQgetvalue(r, 0, 3),
		    (size_t)PQgetlength(r, 0, 3));
	store_fts5_lang(lang, sizeof(lang), PQgetvalue(r, 0, 0),
	    text.p == NULL ? "" : text.p, text.len);
	title = arena_strndup(w.a, PQgetvalue(r, 0, 1),
	    (size_t)PQgetlength(r, 0, 1));
	PQclear(r);
	/* Control bytes as spaces: what store_fts5_doc does for FTS5. */
	doc_field(&w, lang, title, strlen(title), 'A');
	if ((e = rows_join(pe, c, PS_IX_LABELS, id, "\n", &extra)) !=
	    STORE_OK)
		goto out;
	doc_field(&w, lang, extra.p == NULL ? "" : extra.p, extra.len, 'B');
	doc_field(&w, lang, text.p == NULL ? "" : text.p, text.len, 'C');
	buf_reset(&extra);
	if ((e = rows_join(pe, c, PS_IX_COMMENTS, id, "\n\n", &extra)) !=
	    STORE_OK)
		goto out;
	doc_field(&w, lang, extra.p == NULL ? "" : extra.p, extra.len, 'D');
	doc_literal(&w, &lit);

	pg_params_init(&p);
	pg_param_i64(&p, id);
	pg_param_str(&p, lang);
	pg_param_str(&p, title);
	pg_param_strn(&p, text.p == NULL ? "" : text.p, text.len);
	pg_param_i64(&p, (int64_t)w.n);
	pg_param_strn(&p, lit.p == NULL ? "" : lit.p, lit.len);
	if ((e = pg_do(pe, c, PS_IX_INSERT, &p, "search index")) != STORE_OK)
		goto out;
	if (is_logged) {
		/* doc_literal sorted the occurrences by term. */
		for (i = 0; i < w.n; i++)
			if (i == 0 || strcmp(w.v[i].term,
			    w.v[i - 1].term) != 0)
				tlog_add(pe, w.v[i].term, 1);
		pe->drows++;
		pe->dtokens += (int64_t)w.n;
	}
out:
	arena_free(w.a);
	buf_clear(&text);
	buf_clear(&extra);
	buf_clear(&lit);
	return e;
}

enum store_err
pg_index_put(struct pg_engine *pe, struct pg_conn *c, int64_t id)
{
	enum store_err	 e;

	if ((e = pg_index_del(pe, c, id)) != STORE_OK)
		return e;
	return index_insert(pe, c, id, 1);
}

/* ---- queries ---- */

static int
has_terms(const struct search_phrase *ph)
{
	size_t	 i;

	for (i = 0; i < ph->nterms; i++)
		if (ph->terms[i] != NULL && ph->terms[i][0] != '\0')
			return 1;
	return 0;
}

/* The end of the group of alternatives that starts at v[i]. */
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

/* Appends one phrase: its terms joined by <-> (followed by). */
static size_t
add_phrase(struct buf *b, const char *const *terms, size_t nterms)
{
	size_t	 i, n = 0;

	for (i = 0; i < nterms; i++) {
		if (terms[i] == NULL || terms[i][0] == '\0')
			continue;
		if (n++ > 0)
			buf_adds(b, " <-> ");
		add_lexeme(b, terms[i]);
	}
	return n;
}

static void
add_group(struct buf *b, const struct search_phrase *v, size_t i,
    size_t end)
{
	size_t	 k = 0;

	buf_addc(b, '(');
	for (; i < end; i++) {
		if (!has_terms(&v[i]))
			continue;
		if (k++ > 0)
			buf_adds(b, " | ");
		buf_addc(b, '(');
		add_phrase(b, v[i].terms, v[i].nterms);
		buf_addc(b, ')');
	}
	buf_addc(b, ')');
}

/*
 * The tsquery of the phrases, as store_fts5_match builds FTS5's: the
 * groups not negated ANDed, each negated one ANDed as !group.  -1 when
 * nothing that is not negated has a term.
 */
static int
query_literal(struct buf *b, const struct search_phrase *v, size_t n)
{
	size_t	 i, end, nt, npos = 0;

	for (i = 0; i < n; i = end) {
		end = group_end(v, n, i, &nt);
		if (v[i].is_negated || nt == 0)
			continue;
		if (npos++ > 0)
			buf_adds(b, " & ");
		add_group(b, v, i, end);
	}
	if (npos == 0)
		return -1;
	for (i = 0; i < n; i = end) {
		end = group_end(v, n, i, &nt);
		if (!v[i].is_negated || nt == 0)
			continue;
		buf_adds(b, " & !");
		add_group(b, v, i, end);
	}
	return 0;
}

/* ---- snippets ---- */

struct snip_tok {
	int	 start, end;
	char	*term;
};

struct snip_walk {
	struct arena	*a;
	struct snip_tok	*v;
	size_t		 n, cap;
};

static int
snip_cb(void *arg, const struct text_token *t)
{
	struct snip_walk	*w = arg;

	w->v = arena_grow(w->a, w->v, w->n, &w->cap, sizeof(*w->v));
	w->v[w->n].start = (int)t->start;
	w->v[w->n].end = (int)t->end;
	w->v[w->n].term = arena_strndup(w->a, t->term, t->termlen);
	w->n++;
	return 0;
}

/* The matches of the query's positive phrases among w's tokens. */
static int
snip_insts(const struct snip_walk *w, const struct search_query *q,
    struct snip_inst *v)
{
	const struct search_phrase	*ph;
	size_t				 i, k, j, t;
	int				 n = 0;

	for (i = 0; i < w->n && n < SNIP_INST_MAX; i++)
		for (k = 0; k < q->nphrases && n < SNIP_INST_MAX; k++) {
			ph = &q->phrases[k];
			if (ph->is_negated || !has_terms(ph))
				continue;
			for (j = 0, t = i; j < ph->nterms; j++) {
				if (ph->terms[j] == NULL ||
				    ph->terms[j][0] == '\0')
					continue;
				if (t >= w->n ||
				    strcmp(w->v[t].term, ph->terms[j]) != 0)
					break;
				t++;
			}
			if (j < ph->nterms)
				continue;
			v[n].first = (int)i;
			v[n].last = (int)t - 1;
			v[n].ph = (int)k;
			n++;
		}
	return n;
}

static int
inst_cmp(const void *x, const void *y)
{
	const struct snip_inst	*a = x, *b = y;

	return a->first != b->first ? a->first - b->first :
	    a->last - b->last;
}

/* Sorts v[0..n) and merges the overlapping ones; returns the new n. */
static int
snip_sort_merge(struct snip_inst *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), inst_cmp);
	return store_snip_merge(v, n);
}

/*
 * Writes the window of s from token first: "..." where the text was
 * cut, each merged match v[0..n) between \002 and \003.
 */
static void
snip_write(struct buf *b, const char *s, size_t len,
    const struct snip_walk *w, int first, const struct snip_inst *v, int n)
{
	int	 p, cur, in, j = 0, last;

	last = first + SNIP_TOKENS;
	if (last > (int)w->n)
		last = (int)w->n;
	cur = first == 0 ? 0 : w->v[first].start;
	if (first > 0)
		buf_adds(b, "\xe2\x80\xa6");
	for (p = first; p < last; p++) {
		while (j < n && v[j].last < p)
			j++;
		in = j < n && v[j].first <= p;
		buf_add(b, s + cur, (size_t)(w->v[p].start - cur));
		if (in && (v[j].first == p || p == first))
			buf_addc(b, '\002');
		buf_add(b, s + w->v[p].start,
		    (size_t)(w->v[p].end - w->v[p].start));
		if (in && (v[j].last == p || p == last - 1))
			buf_addc(b, '\003');
		cur = w->v[p].end;
	}
	if (last < (int)w->n)
		buf_adds(b, "\xe2\x80\xa6");
	else
		buf_add(b, s + cur, len - (size_t)cur);
}

/*
 * The snippet of one hit: about SNIP_TOKENS words of the body around
 * its matches, or of the title when only it has some, or the start of
 * the body (the title when the body is empty); as gazette_snippet().
 */
static char *
snippet(struct arena *a, const struct search_query *q, const char *lang,
    const char *title, size_t titlelen, const char *body, size_t bodylen)
{
	struct snip_inst	 v[SNIP_INST_MAX];
	struct snip_walk	 w;
	struct buf		 b = BUF_INIT;
	const char		*s = body;
	size_t			 len = bodylen;
	char			*out;
	int			 n, pass, first;

	memset(&w, 0, sizeof(w));
	w.a = arena_new();
	for (pass = 0; pass < 2; pass++) {
		w.n = 0;
		s = pass == 0 ? body : title;
		len = pass == 0 ? bodylen : titlelen;
		if (text_tokenize(lang, TEXT_TOKEN_STEM, s, len, snip_cb,
		    &w) == -1)
			w.n = 0;
		if ((n = snip_insts(&w, q, v)) > 0)
			break;
	}
	if (n == 0) {
		/* No match shown anywhere: the start of the body. */
		s = bodylen > 0 ? body : title;
		len = bodylen > 0 ? bodylen : titlelen;
		w.n = 0;
		if (text_tokenize(lang, TEXT_TOKEN_STEM, s, len, snip_cb,
		    &w) == -1)
			w.n = 0;
	}
	if (w.n == 0)
		buf_add(&b, s, len > 200 ? 200 : len);
	else {
		first = store_snip_place(v, n, (int)w.n);
		snip_write(&b, s, len, &w, first, v, snip_sort_merge(v, n));
	}
	out = arena_strndup(a, b.p == NULL ? "" : b.p, b.len);
	buf_clear(&b);
	arena_free(w.a);
	return out;
}

/* The id of the label with name's key; NOTFOUND when none. */
static enum store_err
label_id(struct pg_engine *pe, struct pg_conn *c, const char *name,
    int64_t *id)
{
	struct pg_params	 p;
	struct arena		*a;
	enum store_err		 e;

	a = arena_new();
	pg_params_init(&p);
	pg_param_str(&p, pg_label_key(a, name));
	e = pg_int(pe, c, PS_LABEL_ID, &p, "label", id);
	arena_free(a);
	return e;
}

/* ---- ranking: BM25 as FTS5 computes it ---- */

#define BM25_K1		1.2
#define BM25_B		0.75

/* One phrase of the query that counts for the rank. */
struct rphrase {
	size_t		*term;	/* indexes into the distinct terms */
	size_t		 n;
	double		 idf;
};

/* One term of one post: its positions and their weight letters. */
struct rterm {
	int		*pos;
	char		*w;
	size_t		 n;
};

/* One post of the window. */
struct rdoc {
	int64_t		 id, pub;
	double		 len;	/* tokens in all fields */
	struct rterm	*t;	/* by distinct term */
	double		 score;
};

/* The rank's column weights: those of the SQLite engine's bm25(). */
static double
col_weight(char w)
{
	switch (w) {
	case 'A':
		return 10.0;	/* title */
	case 'B':
		return 5.0;	/* labels */
	case 'C':
		return 1.0;	/* body */
	default:
		return 0.3;	/* comments */
	}
}

/* Index of term t among v[0..*n), added when new. */
static size_t
term_index(struct arena *a, const char ***v, size_t *n, size_t *cap,
    const char *t)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], t) == 0)
			return i;
	*v = arena_grow(a, *v, *n, cap, sizeof(**v));
	(*v)[*n] = t;
	return (*n)++;
}

/* 1 when term t of d has position pos. */
static int
has_pos(const struct rterm *t, int pos)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (t->pos[i] == pos)
			return 1;
	return 0;
}

/*
 * The weighted count of phrase ph in d: each instance counts the
 * weight of the field it is in (a phrase never spans two).
 */
static double
phrase_freq(const struct rdoc *d, const struct rphrase *ph)
{
	const struct rterm	*t0 = &d->t[ph->term[0]];
	double			 f = 0;
	size_t			 k, j;

	for (k = 0; k < t0->n; k++) {
		for (j = 1; j < ph->n; j++)
			if (!has_pos(&d->t[ph->term[j]], t0->pos[k] + (int)j))
				break;
		if (j == ph->n)
			f += col_weight(t0->w[k]);
	}
	return f;
}

static int
rdoc_cmp(const void *x, const void *y)
{
	const struct rdoc	*a = x, *b = y;

	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	if (a->pub != b->pub)
		return a->pub < b->pub ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* Parses "1,5,9" and "ACC" into t, in the arena. */
static void
rterm_parse(struct arena *a, struct rterm *t, const char *pos,
    const char *w)
{
	const char	*p;
	size_t		 n = 1, i;
	char		*end;

	for (p = pos; *p != '\0'; p++)
		n += *p == ',';
	t->pos = arena_allocarray(a, n, sizeof(*t->pos));
	t->w = arena_strdup(a, w);
	for (i = 0, p = pos; i < n && *p != '\0'; i++) {
		t->pos[i] = (int)strtol(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
	}
	t->n = i < strlen(w) ? i : strlen(w);
}

enum store_err
store_pg_search(struct store *s, struct arena *a,
    const struct search_query *q, struct search_result *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	struct search_hit	*v = NULL;
	struct rphrase		*ph = NULL;
	struct rdoc		*docs = NULL, *d;
	struct buf		 m = BUF_INIT, tl = BUF_INIT, ql = BUF_INIT;
	struct buf		 il = BUF_INIT;
	struct arena		*ta;
	PGresult		*r = NULL;
	const char		**terms = NULL;
	size_t			 nterms = 0, tcap = 0, nph = 0, phcap = 0;
	size_t			 ndocs = 0, dcap = 0, i, j, k, first, last;
	int64_t			 lid = 0, id, nrows, ntok;
	double			 avgdl, f, nhit;
	enum store_err		 e = STORE_OK;
	int			 row, nr, col = PG_POST_NCOLS;

	if (query_literal(&m, q->phrases, q->nphrases) == -1) {
		buf_clear(&m);
		return STORE_OK;
	}
	if ((c = pg_conn_read(pe)) == NULL ||
	    (c == &pe->w && pg_terms_flush(pe) != STORE_OK)) {
		buf_clear(&m);
		return STORE_ERR;
	}
	ta = arena_new();
	if (q->label != NULL &&
	    (e = label_id(pe, c, q->label, &lid)) != STORE_OK) {
		if (e == STORE_NOTFOUND)
			e = STORE_OK;
		goto out;
	}

	/* The phrases that rank: those of the groups not negated. */
	for (i = 0; i < q->nphrases; i++) {
		if (q->phrases[i].is_negated || !has_terms(&q->phrases[i]))
			continue;
		ph = arena_grow(ta, ph, nph, &phcap, sizeof(*ph));
		ph[nph].term = arena_allocarray(ta, q->phrases[i].nterms,
		    sizeof(*ph[nph].term));
		ph[nph].n = 0;
		for (j = 0; j < q->phrases[i].nterms; j++)
			if (q->phrases[i].terms[j] != NULL &&
			    q->phrases[i].terms[j][0] != '\0')
				ph[nph].term[ph[nph].n++] = term_index(ta,
				    &terms, &nterms, &tcap,
				    q->phrases[i].terms[j]);
		nph++;
	}
	buf_addc(&tl, '{');
	for (i = 0; i < nterms; i++) {
		if (i > 0)
			buf_addc(&tl, ',');
		add_elem(&tl, terms[i]);
	}
	buf_addc(&tl, '}');

	/* The window, with the query's terms of each post. */
	pg_params_init(&p);
	pg_param_strn(&p, m.p, m.len);
	pg_param_i64(&p, q->now);
	pg_param_i64(&p, lid);
	pg_param_i64(&p, STORE_SEARCH_WINDOW);
	pg_param_strn(&p, tl.p, tl.len);
	if ((r = pg_run(pe, c, PS_SEARCH_WINDOW, &p, "search", &e)) == NULL)
		goto out;
	nr = PQntuples(r);
	for (row = 0; row < nr; row++) {
		id = pg_get_i64(r, row, 0);
		if (ndocs == 0 || docs[ndocs - 1].id != id) {
			docs = arena_grow(ta, docs, ndocs, &dcap,
			    sizeof(*docs));
			d = &docs[ndocs++];
			d->id = id;
			d->pub = pg_get_i64(r, row, 1);
			d->len = (double)pg_get_i64(r, row, 2);
			d->t = arena_allocarray(ta, nterms == 0 ? 1 : nterms,
			    sizeof(*d->t));
			d->score = 0;
		}
		if (PQgetisnull(r, row, 3))
			continue;
		for (k = 0; k < nterms; k++)
			if (strcmp(terms[k], PQgetvalue(r, row, 3)) == 0)
				rterm_parse(ta, &docs[ndocs - 1].t[k],
				    PQgetvalue(r, row, 4),
				    PQgetvalue(r, row, 5));
	}
	PQclear(r);
	r = NULL;
	if (ndocs == 0)
		goto out;

	/* Collection figures: rows, their average length, phrase hits. */
	if ((r = pg_run(pe, c, PS_SEARCH_STATS, NULL, "search", &e)) == NULL)
		goto out;
	nrows = PQntuples(r) > 0 ? pg_get_i64(r, 0, 0) : 0;
	ntok = PQntuples(r) > 0 ? pg_get_i64(r, 0, 1) : 0;
	PQclear(r);
	r = NULL;
	avgdl = nrows > 0 ? (double)ntok / (double)nrows : 1.0;
	if (avgdl <= 0)
		avgdl = 1.0;
	buf_reset(&tl);
	buf_addc(&tl, '{');
	buf_addc(&ql, '{');
	for (i = 0; i < nph; i++) {
		if (i > 0) {
			buf_addc(&tl, ',');
			buf_addc(&ql, ',');
		}
		if (ph[i].n == 1) {
			add_elem(&tl, terms[ph[i].term[0]]);
			buf_adds(&ql, "NULL");
			continue;
		}
		buf_adds(&tl, "NULL");
		buf_reset(&m);
		for (j = 0; j < ph[i].n; j++) {
			if (j > 0)
				buf_adds(&m, " <-> ");
			add_lexeme(&m, terms[ph[i].term[j]]);
		}
		buf_addc(&m, '\0');
		add_elem(&ql, m.p);
	}
	buf_addc(&tl, '}');
	buf_addc(&ql, '}');
	pg_params_init(&p);
	pg_param_strn(&p, tl.p, tl.len);
	pg_param_strn(&p, ql.p, ql.len);
	if ((r = pg_run(pe, c, PS_SEARCH_NHIT, &p, "search", &e)) == NULL)
		goto out;
	for (i = 0; i < nph; i++) {
		nhit = i < (size_t)PQntuples(r) ?
		    (double)pg_get_i64(r, (int)i, 0) : 0;
		/* FTS5's IDF, with its floor for very common phrases. */
		ph[i].idf = log(((double)nrows - nhit + 0.5) / (nhit + 0.5));
		if (ph[i].idf <= 0.0)
			ph[i].idf = 1e-6;
	}
	PQclear(r);
	r = NULL;

	for (k = 0; k < ndocs; k++) {
		d = &docs[k];
		for (i = 0; i < nph; i++) {
			f = phrase_freq(d, &ph[i]);
			d->score += ph[i].idf * f * (BM25_K1 + 1.0) /
			    (f + BM25_K1 * (1.0 - BM25_B + BM25_B * d->len /
			    avgdl));
		}
	}
	qsort(docs, ndocs, sizeof(*docs), rdoc_cmp);

	/* The page: its rows whole, in rank order. */
	first = q->offset < ndocs ? q->offset : ndocs;
	last = q->limit == 0 || q->limit > ndocs - first ? ndocs :
	    first + q->limit;
	if (first == last)
		goto out;
	buf_addc(&il, '{');
	for (k = first; k < last; k++)
		buf_addf(&il, "%s%lld", k > first ? "," : "",
		    (long long)docs[k].id);
	buf_addc(&il, '}');
	pg_params_init(&p);
	pg_param_strn(&p, il.p, il.len);
	if ((r = pg_run(pe, c, PS_SEARCH_ROWS, &p, "search", &e)) == NULL)
		goto out;
	v = arena_allocarray(a, last - first, sizeof(*v));
	for (row = 0; row < PQntuples(r); row++) {
		id = pg_get_i64(r, row, 0);
		for (k = first; k < last && docs[k].id != id; k++)
			continue;
		if (k == last)
			continue;
		pg_post_row(r, row, a, &v[k - first].post);
		v[k - first].score = docs[k].score;
		v[k - first].snippet = snippet(a, q, PQgetvalue(r, row, col),
		    PQgetvalue(r, row, col + 1),
		    (size_t)PQgetlength(r, row, col + 1),
		    PQgetvalue(r, row, col + 2),
		    (size_t)PQgetlength(r, row, col + 2));
	}
	PQclear(r);
	r = NULL;
	/* A post deleted in between leaves a hole: close it up. */
	for (i = k = 0; i < last - first; i++)
		if (v[i].post.path != NULL)
			v[k++] = v[i];
	last = first + k;
out:
	arena_free(ta);
	buf_clear(&m);
	buf_clear(&tl);
	buf_clear(&ql);
	buf_clear(&il);
	if (e == STORE_OK) {
		out->v = v;
		out->n = v == NULL ? 0 : last - first;
		out->total = ndocs;
		out->is_capped = ndocs >= STORE_SEARCH_WINDOW;
	}
	return e;
}

enum store_err
store_pg_terms_prefix(struct store *s, struct arena *a, const char *prefix,
    size_t limit, char ***terms, int64_t **ndocs, size_t *np)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	PGresult		*r;
	char			*up;
	const char		*hi;
	size_t			 len;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	/* Every indexed term is UTF-8: nothing starts with anything else. */
	len = strlen(prefix);
	if (!str_is_utf8(prefix, len))
		return STORE_OK;
	/* As the SQLite engine: up to the first string past the prefix. */
	up = arena_strndup(a, prefix, len);
	while (len > 0 && (unsigned char)up[len - 1] == 0xff)
		up[--len] = '\0';
	if (len > 0) {
		up[len - 1] = (char)((unsigned char)up[len - 1] + 1);
		hi = up;
	} else
		hi = "\xf4\x8f\xbf\xbf";
	/* The writer sees its own changes: apply those that wait. */
	if ((c = pg_conn_read(pe)) == NULL ||
	    (c == &pe->w && pg_terms_flush(pe) != STORE_OK))
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_str(&p, prefix);
	/* PostgreSQL refuses text that is not UTF-8: a cut byte is. */
	if (str_is_utf8(hi, strlen(hi)))
		pg_param_str(&p, hi);
	else
		pg_param_str(&p, "\xf4\x8f\xbf\xbf");
	pg_param_limit(&p, limit);
	if ((r = pg_run(pe, c, PS_TERMS, &p, "search terms", &e)) == NULL)
		return e;
	n = PQntuples(r);
	if (n > 0) {
		*terms = arena_allocarray(a, (size_t)n, sizeof(**terms));
		*ndocs = arena_allocarray(a, (size_t)n, sizeof(**ndocs));
	}
	for (i = 0; i < n; i++) {
		(*terms)[i] = pg_get_str(r, i, 0, a);
		(*ndocs)[i] = pg_get_i64(r, i, 1);
	}
	PQclear(r);
	*np = (size_t)n;
	return STORE_OK;
}

enum store_err
store_pg_phrase_docs(struct store *s, const char *const *terms,
    size_t nterms, int64_t *ndocs, int64_t *total)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	struct buf		 m = BUF_INIT;
	int64_t			 nd = 0, nt = 0;
	enum store_err		 e;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	if ((e = pg_int(pe, c, PS_COUNT_PUBLISHED, NULL, "phrase docs",
	    &nt)) != STORE_OK)
		return e;
	if (add_phrase(&m, terms, nterms) > 0) {
		pg_params_init(&p);
		pg_param_strn(&p, m.p, m.len);
		e = pg_int(pe, c, PS_PHRASE_DOCS, &p, "phrase docs", &nd);
	}
	buf_clear(&m);
	if (e == STORE_OK) {
		*ndocs = nd;
		*total = nt;
	}
	return e;
}

#define REINDEX_STEP	1000

enum store_err
store_pg_reindex(struct store *s, void (*progress)(void *, size_t, size_t),
    void *arg)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	PGresult		*r;
	int64_t			*v;
	size_t			 i, n;
	enum store_err		 e = STORE_OK;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	if ((r = pg_run(pe, c, PS_POST_IDS, NULL, "reindex", &e)) == NULL)
		return e;
	n = (size_t)PQntuples(r);
	v = xreallocarray(NULL, n == 0 ? 1 : n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = pg_get_i64(r, (int)i, 0);
	PQclear(r);
	if ((e = pg_do(pe, c, PS_IX_CLEAR, NULL, "reindex")) != STORE_OK ||
	    (e = pg_do(pe, c, PS_IX_TERMS_CLEAR, NULL, "reindex")) !=
	    STORE_OK ||
	    (e = pg_tag(pe, "all")) != STORE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((e = index_insert(pe, c, v[i], 0)) != STORE_OK)
			goto out;
		if (progress != NULL && (i + 1) % REINDEX_STEP == 0)
			progress(arg, i + 1, n);
	}
	/* Counted afresh from the new rows, not change by change. */
	if ((e = pg_do(pe, c, PS_IX_REBUILD_TERMS, NULL, "reindex")) !=
	    STORE_OK ||
	    (e = pg_do(pe, c, PS_IX_REBUILD_STATS, NULL, "reindex")) !=
	    STORE_OK)
		goto out;
	if (progress != NULL && (n == 0 || n % REINDEX_STEP != 0))
		progress(arg, n, n);
out:
	free(v);
	return e;
}
