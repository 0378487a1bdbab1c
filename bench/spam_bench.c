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
 * Spam filter evaluation: 5-fold cross-validation of text_spam_check
 * over a labelled set of comments (bench/spam/comments.tsv, described in
 * bench/spam/README.md).  The set is shuffled the same way every run and
 * dealt into folds evenly by label and language; for each fold a model
 * of term counts is learned in memory from the other four, through the
 * same text_spam_terms the site learns with, and the fold is scored
 * against it.  "Same body" counts identical bodies in the training part.
 *
 * Prints precision and recall for spam and the false positive rate on
 * ham (overall, Russian, Spanish) at the hold and the reject thresholds,
 * per fold, as a mean over folds, and pooled.  Asserts nothing: the goal
 * line says where we want to be.
 *
 * Usage: spam_bench [-v] FILE
 *	-v lists every comment judged wrongly at the hold threshold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "text/text.h"

#define NFOLD		5
#define SEED		20260401u	/* any fixed value: one shuffle */
#define HOLD		0.5
#define REJECT		0.9
#define MAX_LINKS	2
#define FILE_MAX	(16u << 20)	/* bytes of the set we read */

enum label {
	LABEL_HAM = 0,
	LABEL_SPAM,
	LABEL__MAX
};

static const char *const labels[LABEL__MAX] = { "ham", "spam" };
static const char *const langs[] = { "en", "es", "ru", "ko", "de", "fr" };
#define NLANG		nitems(langs)
#define LANG_ES		1	/* index in langs */
#define LANG_RU		2

static const char *const blocklist[] = { "viagra", "casino" };

struct item {
	enum label	 label;
	size_t		 lang;	/* index in langs */
	const char	*name;	/* name, url, body: borrowed from the file */
	const char	*url;	/* "" when none */
	const char	*body;	/* with "\n", "\t" and "\\" unescaped */
	size_t		 line;	/* line in the file */
	size_t		 order;	/* place after the shuffle */
	int		 fold;	/* 0..NFOLD-1 */
	const char	**terms;	/* text_spam_terms; the data arena */
	size_t		 nterms;
};

/* One term's counts; term NULL marks an empty slot. */
struct slot {
	const char	*term;	/* borrowed from the data arena */
	int64_t		 ham;	/* training ham messages with the term */
	int64_t		 spam;	/* training spam messages with the term */
};

/* The in-memory model: open addressing, linear probing. */
struct model {
	struct slot	*slots;	/* owned; free with model_clear() */
	size_t		 cap;	/* a power of two, or 0 */
	size_t		 n;	/* slots in use */
	int64_t		 nham;	/* ham messages learned */
	int64_t		 nspam;	/* spam messages learned */
};

/* What was flagged at one threshold. */
struct tally {
	size_t	 nspam;		/* spam scored */
	size_t	 tp;		/* spam at or above the threshold */
	size_t	 nham[NLANG];	/* ham scored, by language */
	size_t	 fp[NLANG];	/* ham at or above the threshold */
};

/* Running sums of per-fold figures, for the mean. */
struct mean {
	double	 sum[5];	/* precision, recall, fp, fp ru, fp es */
	int	 n[5];		/* folds where the figure is defined */
};

static uint64_t
rng_next(uint64_t *s)
{
	uint64_t	 z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
hash(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The slot of term, or the empty slot where it would go. */
static struct slot *
model_find(const struct model *m, const char *term)
{
	size_t	 i;

	i = hash(term) & (m->cap - 1);
	while (m->slots[i].term != NULL && strcmp(m->slots[i].term, term) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void
model_grow(struct model *m)
{
	struct slot	*old = m->slots;
	size_t		 oldcap = m->cap, i;

	m->cap = oldcap == 0 ? 1024 : oldcap * 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].term != NULL)
			*model_find(m, old[i].term) = old[i];
	free(old);
}

static void
model_learn(struct model *m, const struct item *it)
{
	struct slot	*s;
	size_t		 i;

	for (i = 0; i < it->nterms; i++) {
		if ((m->n + 1) * 2 > m->cap)
			model_grow(m);
		s = model_find(m, it->terms[i]);
		if (s->term == NULL) {
			s->term = it->terms[i];
			m->n++;
		}
		if (it->label == LABEL_SPAM)
			s->spam++;
		else
			s->ham++;
	}
	if (it->label == LABEL_SPAM)
		m->nspam++;
	else
		m->nham++;
}

static void
model_clear(struct model *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* A text_spam_counts_fn over struct model. */
static int
model_counts(void *arg, struct arena *a, const char *const *terms, size_t n,
    struct text_spam_counts *out)
{
	const struct model	*m = arg;
	const struct slot	*s;
	size_t			 i;

	out->ham = arena_allocarray(a, n, sizeof(*out->ham));
	out->spam = arena_allocarray(a, n, sizeof(*out->spam));
	for (i = 0; i < n; i++) {
		if (m->cap == 0)
			continue;
		s = model_find(m, terms[i]);
		if (s->term != NULL) {
			out->ham[i] = s->ham;
			out->spam[i] = s->spam;
		}
	}
	out->nham = m->nham;
	out->nspam = m->nspam;
	return 0;
}

/* Turns "\n", "\t" and "\\" into the bytes they stand for, in place. */
static void
unescape(char *s)
{
	char	*d = s;

	for (; *s != '\0'; s++) {
		if (s[0] != '\\' ||
		    (s[1] != 'n' && s[1] != 't' && s[1] != '\\')) {
			*d++ = *s;
			continue;
		}
		s++;
		*d++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : '\\';
	}
	*d = '\0';
}

static int
lang_index(const char *lang, size_t *out)
{
	size_t	 i;

	for (i = 0; i < NLANG; i++)
		if (strcmp(lang, langs[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

/*
 * Reads the whole of path into b and splits it into items (pointing into
 * b).  Returns 0, or -1 with a message on stderr.
 */
static int
load(const char *path, struct buf *b, struct item **out, size_t *n)
{
	FILE		*f;
	struct item	*it = NULL, *cur;
	char		*p, *eol, *field[5], chunk[65536];
	size_t		 got, nit = 0, cap = 0, line = 0, len, i;
	int		 rc = -1;

	*out = NULL;
	*n = 0;
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "spam_bench: %s: cannot open\n", path);
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + got > FILE_MAX) {
			fprintf(stderr, "spam_bench: %s: too large\n", path);
			goto out;
		}
		buf_add(b, chunk, got);
	}
	if (ferror(f)) {
		fprintf(stderr, "spam_bench: %s: read error\n", path);
		goto out;
	}
	if (b->len > 0 && memchr(b->p, '\0', b->len) != NULL) {
		fprintf(stderr, "spam_bench: %s: NUL byte\n", path);
		goto out;
	}
	for (p = b->p; p != NULL && *p != '\0'; p = eol) {
		line++;
		if ((eol = strchr(p, '\n')) != NULL)
			*eol++ = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		if ((len = strlen(p)) > 0 && p[len - 1] == '\r')
			p[len - 1] = '\0';
		for (i = 0; i < 4; i++) {
			field[i] = p;
			if ((p = strchr(p, '\t')) == NULL)
				break;
			*p++ = '\0';
		}
		field[4] = p;
		if (i < 4 || strchr(p, '\t') != NULL) {
			fprintf(stderr, "spam_bench: %s:%zu: want 5 fields\n",
			    path, line);
			goto out;
		}
		if (nit == cap) {
			cap = cap * 2 + 64;
			it = xreallocarray(it, cap, sizeof(*it));
		}
		cur = &it[nit];
		memset(cur, 0, sizeof(*cur));
		cur->line = line;
		if (strcmp(field[0], labels[LABEL_HAM]) == 0)
			cur->label = LABEL_HAM;
		else if (strcmp(field[0], labels[LABEL_SPAM]) == 0)
			cur->label = LABEL_SPAM;
		else {
			fprintf(stderr, "spam_bench: %s:%zu: label \"%s\"\n",
			    path, line, field[0]);
			goto out;
		}
		if (lang_index(field[1], &cur->lang) == -1) {
			fprintf(stderr, "spam_bench: %s:%zu: language \"%s\"\n",
			    path, line, field[1]);
			goto out;
		}
		cur->name = field[2];
		cur->url = field[3];
		unescape(field[4]);
		cur->body = field[4];
		if (!str_is_utf8(cur->name, strlen(cur->name)) ||
		    !str_is_utf8(cur->url, strlen(cur->url)) ||
		    !str_is_utf8(cur->body, strlen(cur->body))) {
			fprintf(stderr, "spam_bench: %s:%zu: not UTF-8\n",
			    path, line);
			goto out;
		}
		nit++;
	}
	if (nit == 0) {
		fprintf(stderr, "spam_bench: %s: no comments\n", path);
		goto out;
	}
	*out = it;
	*n = nit;
	it = NULL;
	rc = 0;
out:
	free(it);
	fclose(f);
	return rc;
}

static int
cmp_group(const void *va, const void *vb)
{
	const struct item	*a = va, *b = vb;

	if (a->label != b->label)
		return a->label < b->label ? -1 : 1;
	if (a->lang != b->lang)
		return a->lang < b->lang ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * Shuffles the items (the same way every run), then deals them round
 * the folds one (label, language) group after another, so every fold
 * gets its share of each group (say, Russian ham) and folds differ in
 * size by one item at most.
 */
static void
deal(struct item *it, size_t n)
{
	struct item	 t;
	uint64_t	 s = SEED;
	size_t		 i, j;

	for (i = n - 1; i > 0; i--) {
		j = rng_next(&s) % (i + 1);
		t = it[i];
		it[i] = it[j];
		it[j] = t;
	}
	for (i = 0; i < n; i++)
		it[i].order = i;
	qsort(it, n, sizeof(*it), cmp_group);
	for (i = 0; i < n; i++)
		it[i].fold = i % NFOLD;
}

static void
tally_add(struct tally *t, const struct item *it, double score, double th)
{
	if (it->label == LABEL_SPAM) {
		t->nspam++;
		if (score >= th)
			t->tp++;
	} else {
		t->nham[it->lang]++;
		if (score >= th)
			t->fp[it->lang]++;
	}
}

static void
tally_sum(struct tally *to, const struct tally *t)
{
	size_t	 i;

	to->nspam += t->nspam;
	to->tp += t->tp;
	for (i = 0; i < NLANG; i++) {
		to->nham[i] += t->nham[i];
		to->fp[i] += t->fp[i];
	}
}

/* The five figures of a tally; -1 where undefined. */
static void
figures(const struct tally *t, double f[5])
{
	size_t	 nham = 0, fp = 0, i;

	for (i = 0; i < NLANG; i++) {
		nham += t->nham[i];
		fp += t->fp[i];
	}
	f[0] = t->tp + fp > 0 ? (double)t->tp / (t->tp + fp) : -1;
	f[1] = t->nspam > 0 ? (double)t->tp / t->nspam : -1;
	f[2] = nham > 0 ? (double)fp / nham : -1;
	f[3] = t->nham[LANG_RU] > 0 ?
	    (double)t->fp[LANG_RU] / t->nham[LANG_RU] : -1;
	f[4] = t->nham[LANG_ES] > 0 ?
	    (double)t->fp[LANG_ES] / t->nham[LANG_ES] : -1;
}

static void
mean_add(struct mean *m, const double f[5])
{
	size_t	 i;

	for (i = 0; i < 5; i++)
		if (f[i] >= 0) {
			m->sum[i] += f[i];
			m->n[i]++;
		}
}

static void
mean_get(const struct mean *m, double f[5])
{
	size_t	 i;

	for (i = 0; i < 5; i++)
		f[i] = m->n[i] > 0 ? m->sum[i] / m->n[i] : -1;
}

static void
print_figures(const double f[5])
{
	size_t	 i;

	for (i = 0; i < 2; i++)
		if (f[i] < 0)
			printf("     -");
		else
			printf(" %5.3f", f[i]);
	for (; i < 5; i++)
		if (f[i] < 0)
			printf("      -");
		else
			printf(" %5.1f%%", f[i] * 100);
}

static void
print_row(const char *what, size_t nham, size_t nspam, const struct tally *h,
    const struct tally *r)
{
	double	 f[5];

	printf("%-6s %4zu %4zu  ", what, nham, nspam);
	figures(h, f);
	print_figures(f);
	printf("   ");
	figures(r, f);
	print_figures(f);
	printf("\n");
}

static void
print_mean(const struct mean *h, const struct mean *r)
{
	double	 f[5];

	printf("%-6s %4s %4s  ", "mean", "", "");
	mean_get(h, f);
	print_figures(f);
	printf("   ");
	mean_get(r, f);
	print_figures(f);
	printf("\n");
}

/* Prints a comment judged wrongly: where, why, and how it starts. */
static void
print_miss(const struct item *it, const struct text_spam_result *r)
{
	const char	*p = it->body;
	size_t		 len;

	/* Its first line, cut after about 70 bytes at a character's end. */
	len = strcspn(p, "\n");
	if (len > 70)
		for (len = 70; ((unsigned char)p[len] & 0xc0) == 0x80; len++)
			;
	printf("  %s line %zu (%s, fold %d) score %.2f bayes %.2f [%s]\n"
	    "    %s: %.*s%s\n", it->label == LABEL_SPAM ? "missed spam" :
	    "flagged ham", it->line, langs[it->lang], it->fold + 1, r->score,
	    r->bayes, r->reasons, it->name, (int)len, p, p[len] != '\0' ?
	    "..." : "");
}

int
main(int argc, char *argv[])
{
	struct text_spam_conf	 conf;
	struct text_spam_input	 in;
	struct text_spam_result	 res;
	struct tally		 th, tr, allh, allr;
	struct mean		 mh, mr;
	struct model		 m;
	struct arena		*data, *a;
	struct buf		 file = BUF_INIT;
	struct item		*it = NULL;
	const char		*path;
	char			 what[16];
	double			 f[5];
	size_t			 n, i, j, nham = 0, nspam = 0, fh, fs;
	size_t			 nlang[LABEL__MAX][NLANG];
	int			 fold, verbose = 0, nerr = 0;

	if (argc == 3 && strcmp(argv[1], "-v") == 0)
		verbose = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: spam_bench [-v] FILE\n");
		return 2;
	}
	path = argv[argc - 1];
	if (load(path, &file, &it, &n) == -1) {
		buf_clear(&file);
		return 1;
	}
	deal(it, n);

	/* Terms once for every comment; folds only regroup them. */
	data = arena_new();
	memset(nlang, 0, sizeof(nlang));
	for (i = 0; i < n; i++) {
		if (text_spam_terms(data, langs[it[i].lang], it[i].name,
		    it[i].url, it[i].body, &it[i].terms, &it[i].nterms) == -1) {
			fprintf(stderr, "spam_bench: %s:%zu: no terms\n", path,
			    it[i].line);
			nerr++;
		}
		nlang[it[i].label][it[i].lang]++;
		if (it[i].label == LABEL_SPAM)
			nspam++;
		else
			nham++;
	}

	memset(&conf, 0, sizeof(conf));
	conf.hold = HOLD;
	conf.reject = REJECT;
	conf.max_links = MAX_LINKS;
	conf.blocklist = blocklist;
	conf.nblocklist = nitems(blocklist);

	printf("spam filter: %zu comments (%zu ham, %zu spam), %d-fold "
	    "cross-validation\n", n, nham, nspam, NFOLD);
	for (j = 0; j < LABEL__MAX; j++) {
		printf("  %-4s", labels[j]);
		for (i = 0; i < NLANG; i++)
			printf(" %s %zu", langs[i], nlang[j][i]);
		printf("\n");
	}
	printf("hold %.2f, reject %.2f, max_links %d, blocklist", HOLD,
	    REJECT, MAX_LINKS);
	for (i = 0; i < nitems(blocklist); i++)
		printf("%s %s", i > 0 ? "," : "", blocklist[i]);
	printf("; flagged: score >= threshold\n");
	printf("%-6s %4s %4s   %-40s%s\n", "", "", "", "-------------- at hold "
	    "--------------", "------------- at reject -------------");
	printf("%-6s %4s %4s   %s %s %s %s %s    %s %s %s %s %s\n", "fold",
	    "ham", "spam", " prec", "  rec", "ham fp", " ru fp", " es fp",
	    " prec", "  rec", "ham fp", " ru fp", " es fp");

	memset(&allh, 0, sizeof(allh));
	memset(&allr, 0, sizeof(allr));
	memset(&mh, 0, sizeof(mh));
	memset(&mr, 0, sizeof(mr));
	memset(&m, 0, sizeof(m));
	a = arena_new();
	for (fold = 0; fold < NFOLD; fold++) {
		for (i = 0; i < n; i++)
			if (it[i].fold != fold)
				model_learn(&m, &it[i]);
		memset(&th, 0, sizeof(th));
		memset(&tr, 0, sizeof(tr));
		fh = fs = 0;
		for (i = 0; i < n; i++) {
			if (it[i].fold != fold)
				continue;
			memset(&in, 0, sizeof(in));
			in.name = it[i].name;
			in.email = "";
			in.url = it[i].url;
			in.body = it[i].body;
			in.lang = langs[it[i].lang];
			for (j = 0; j < n; j++)
				if (it[j].fold != fold &&
				    strcmp(it[j].body, it[i].body) == 0)
					in.same_body++;
			arena_reset(a);
			if (text_spam_check(a, &conf, &in, model_counts, &m,
			    &res) == -1) {
				fprintf(stderr, "spam_bench: %s:%zu: not "
				    "scored\n", path, it[i].line);
				nerr++;
				continue;
			}
			tally_add(&th, &it[i], res.score, HOLD);
			tally_add(&tr, &it[i], res.score, REJECT);
			if (it[i].label == LABEL_SPAM)
				fs++;
			else
				fh++;
			if (verbose && (it[i].label == LABEL_SPAM) !=
			    (res.score >= HOLD))
				print_miss(&it[i], &res);
		}
		model_clear(&m);
		snprintf(what, sizeof(what), "%d", fold + 1);
		print_row(what, fh, fs, &th, &tr);
		figures(&th, f);
		mean_add(&mh, f);
		figures(&tr, f);
		mean_add(&mr, f);
		tally_sum(&allh, &th);
		tally_sum(&allr, &tr);
	}
	print_mean(&mh, &mr);
	print_row("pooled", nham, nspam, &allh, &allr);
	printf("goal: spam recall >= 0.95 with ham false positives <= 1%%\n");
	if (nerr > 0)
		printf("(%d comments could not be read or scored)\n", nerr);

	arena_free(a);
	arena_free(data);
	free(it);
	buf_clear(&file);
	text_thread_cleanup();
	return 0;
}
