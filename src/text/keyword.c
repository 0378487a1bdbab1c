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
 * Keyword suggestions: which existing labels a post's text supports, and
 * which new ones it could have.  Words come from the shared text
 * pipeline (so a look-alike letter or an inflection changes nothing);
 * candidates are names (runs of capitalised words, "North Korea") and
 * content words, ranked by TF-IDF against the site.  Knows no store: the
 * caller hands in document frequencies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "text.h"

#define KW_CANDIDATES	64	/* candidates whose df is looked up */
#define KW_TITLE_WEIGHT	2	/* a title occurrence counts this many */

/*
 * Words too common to be keywords.  Short lists: stemming and TF-IDF do
 * the rest, these only keep the very frequent words out of the top.
 */
static const char *const stop_en[] = {
	"a", "about", "after", "again", "against", "all", "almost", "also",
	"although", "among", "an", "and", "another", "any", "are", "as", "at",
	"back", "be", "because", "been", "before", "being", "between", "both",
	"but", "by", "can", "could", "did", "do", "does", "during", "each",
	"else", "even", "ever", "every", "few", "for", "from", "get", "had",
	"has", "have", "he", "her", "here", "him", "his", "how", "however",
	"i", "if", "in", "into", "is", "it", "its", "just", "last", "less",
	"like", "lot", "many", "may", "might", "more", "most", "mr", "mrs",
	"much", "must", "my", "never", "new", "no", "nor", "not", "now", "of",
	"often", "on", "once", "one", "only", "or", "other", "our", "out",
	"over", "own", "per", "quite", "rather", "recently", "said", "same",
	"say", "says", "see", "she", "should", "since", "so", "some", "still",
	"such", "than", "that", "the", "their", "them", "then", "there",
	"these", "they", "things", "this", "those", "though", "through", "to",
	"too", "two", "under", "until", "up", "upon", "us", "use", "very",
	"was", "we", "week", "were", "what", "when", "where", "whether",
	"which", "while", "who", "whom", "why", "will", "with", "within",
	"without", "would", "year", "yet", "you", "your",
};
static const char *const stop_es[] = {
	"a", "al", "algo", "como", "con", "cuando", "de", "del", "desde",
	"donde", "dos", "el", "ella", "ellos", "en", "entre", "era", "es",
	"esa", "ese", "eso", "esta", "este", "esto", "fue", "ha", "han",
	"hasta", "hay", "la", "las", "le", "les", "lo", "los", "me", "mi",
	"muy", "más", "no", "nos", "o", "otra", "otro", "para", "pero",
	"poco", "por", "porque", "que", "qué", "se", "sea", "ser", "si",
	"sin", "sobre", "son", "su", "sus", "también", "tan", "te", "todo",
	"todos", "tras", "tu", "un", "una", "uno", "unos", "y", "ya", "yo",
};
static const char *const stop_ru[] = {
	"а", "без", "более", "бы", "был", "была", "были", "было", "в", "вам",
	"вас", "весь", "во", "вот", "все", "всё", "вы", "где", "да", "для",
	"до", "его", "ее", "если", "есть", "еще", "ещё", "её", "же", "за",
	"и", "из", "или", "им", "их", "к", "как", "когда", "кто", "ли", "мы",
	"на", "над", "не", "нет", "ни", "но", "о", "об", "он", "она", "они",
	"оно", "от", "по", "под", "при", "с", "со", "так", "также", "там",
	"то", "того", "только", "у", "уже", "что", "чтобы", "эта", "эти",
	"это", "этот", "я",
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when the folded word is a stop word of lang (lists are sorted). */
static int
is_stopword(const char *lang, const char *w)
{
	const char *const	*list = stop_en;
	size_t			 n = nitems(stop_en);

	if (strcmp(lang, "es") == 0) {
		list = stop_es;
		n = nitems(stop_es);
	} else if (strcmp(lang, "ru") == 0) {
		list = stop_ru;
		n = nitems(stop_ru);
	}
	return bsearch(&w, list, n, sizeof(*list), cmp_str) != NULL ||
	    (strcmp(lang, "en") != 0 && bsearch(&w, stop_en,
	    nitems(stop_en), sizeof(*stop_en), cmp_str) != NULL);
}

/* A word of the post, as the pipeline saw it. */
struct word {
	const char	*stem;	/* stemmed term */
	const char	*fold;	/* folded, not stemmed */
	const char	*surface;	/* the bytes as written */
	int		 is_upper;	/* starts with a capital */
	int		 is_start;	/* first word of a sentence */
	int		 in_title;
	int		 joined;	/* only spaces or a hyphen before it */
};

struct words {
	struct arena	*a;
	const char	*text;	/* what is being tokenized */
	struct word	*v;
	size_t		 n, cap;
	size_t		 first;	/* index of this text's first word */
	size_t		 prev_end;	/* end of the previous token */
	int		 in_title;
	int		 pass;	/* 0: stems, 1: folds of the same words */
};

/* 1 when the gap between two words ends a sentence. */
static int
ends_sentence(const char *gap, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (strchr(".!?:\n\"", gap[i]) != NULL ||
		    (unsigned char)gap[i] == 0xe2)	/* “ ” … */
			return 1;
	return 0;
}

static int
only_joiners(const char *gap, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (gap[i] != ' ' && gap[i] != '-')
			return 0;
	return 1;
}

static int
add_word(void *arg, const struct text_token *tok)
{
	struct words	*w = arg;
	struct word	*d;
	const char	*gap = w->text + w->prev_end;
	size_t		 gaplen = tok->start - w->prev_end, i;

	if (w->pass == 1) {
		i = w->first + tok->pos;
		if (i < w->n)
			w->v[i].fold = arena_strndup(w->a, tok->term,
			    tok->termlen);
		return 0;
	}
	w->v = arena_grow(w->a, w->v, w->n, &w->cap, sizeof(*w->v));
	d = &w->v[w->n++];
	memset(d, 0, sizeof(*d));
	d->stem = arena_strndup(w->a, tok->term, tok->termlen);
	d->fold = d->stem;
	d->surface = arena_strndup(w->a, w->text + tok->start,
	    tok->end - tok->start);
	d->is_upper = tok->is_upper;
	d->is_start = tok->pos == 0 || ends_sentence(gap, gaplen);
	d->in_title = w->in_title;
	d->joined = tok->pos > 0 && only_joiners(gap, gaplen);
	w->prev_end = tok->end;
	return 0;
}

static int
read_words(struct words *w, const char *lang, const char *text, int title)
{
	size_t	 len = strlen(text);

	w->text = text;
	w->first = w->n;
	w->prev_end = 0;
	w->in_title = title;
	w->pass = 0;
	if (text_tokenize(lang, TEXT_TOKEN_STEM, text, len, add_word, w) != 0)
		return -1;
	w->pass = 1;
	return text_tokenize(lang, 0, text, len, add_word, w) != 0 ? -1 : 0;
}

/* A candidate: a run of words [at, at+len) and how often it occurs. */
struct cand {
	size_t		 at, len;	/* first occurrence */
	double		 tf;
	double		 boost;
	int		 is_name;
	double		 score;
};

static int
same_run(const struct word *v, size_t a, size_t b, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (strcmp(v[a + i].stem, v[b + i].stem) != 0)
			return 0;
	return 1;
}

/* Counts the run in cands (adds it when new). */
static void
count_run(struct arena *a, struct cand **c, size_t *n, size_t *cap,
    const struct word *v, size_t at, size_t len, int is_name)
{
	size_t	 i;
	double	 w = v[at].in_title ? KW_TITLE_WEIGHT : 1;

	for (i = 0; i < *n; i++)
		if ((*c)[i].len == len && same_run(v, (*c)[i].at, at, len)) {
			(*c)[i].tf += w;
			(*c)[i].is_name |= is_name;
			/* Show the spelling without a possessive. */
			if (strpbrk(v[(*c)[i].at].surface, "'\xe2") != NULL &&
			    strpbrk(v[at].surface, "'\xe2") == NULL)
				(*c)[i].at = at;
			return;
		}
	*c = arena_grow(a, *c, *n, cap, sizeof(**c));
	memset(&(*c)[*n], 0, sizeof(**c));
	(*c)[*n].at = at;
	(*c)[*n].len = len;
	(*c)[*n].tf = w;
	(*c)[*n].is_name = is_name;
	(*n)++;
}

static int
by_score(const void *a, const void *b)
{
	const struct cand	*x = a, *y = b;

	return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

static int
kw_by_score(const void *a, const void *b)
{
	const struct text_keyword	*x = a, *y = b;

	if (x->is_existing != y->is_existing)
		return y->is_existing - x->is_existing;
	return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

/* The run's words as written, from the first word to the last. */
static char *
run_text(struct arena *a, const struct word *v, size_t at, size_t len,
    int is_name)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	char		*s;

	for (i = 0; i < len; i++)
		buf_addf(&b, "%s%s", i > 0 ? " " : "", is_name ||
		    v[at + i].is_upper ? v[at + i].surface : v[at + i].fold);
	s = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	/* "Russia's" names the same thing as "Russia". */
	if (len == 1 && (strstr(s, "'s") != NULL || strstr(s, "\xe2\x80\x99s")))
		*strstr(s, strstr(s, "'s") != NULL ? "'s" : "\xe2\x80\x99s") =
		    '\0';
	return s;
}

static const char **
run_terms(struct arena *a, const struct word *v, size_t at, size_t len)
{
	const char	**t;
	size_t		 i;

	t = arena_allocarray(a, len, sizeof(*t));
	for (i = 0; i < len; i++)
		t[i] = v[at + i].stem;
	return t;
}

/* Occurrences of the label's stemmed words, in order, in the post. */
static double
label_tf(struct arena *a, const char *lang, const char *label,
    const struct word *v, size_t n, const char ***terms, size_t *nterms)
{
	struct words	 lw;
	size_t		 i, j;
	double		 tf = 0;

	memset(&lw, 0, sizeof(lw));
	lw.a = a;
	*terms = NULL;
	*nterms = 0;
	if (read_words(&lw, lang, label, 0) == -1 || lw.n == 0)
		return 0;
	for (i = 0; i + lw.n <= n; i++) {
		for (j = 0; j < lw.n; j++)
			if (strcmp(v[i + j].stem, lw.v[j].stem) != 0)
				break;
		if (j == lw.n)
			tf += v[i].in_title ? KW_TITLE_WEIGHT : 1;
	}
	*terms = run_terms(a, lw.v, 0, lw.n);
	*nterms = lw.n;
	return tf;
}

static double
idf(text_df_fn df, void *arg, int64_t ndocs, const char *const *terms,
    size_t n)
{
	int64_t	 d = df != NULL ? df(arg, terms, n) : -1;

	if (d < 0 || ndocs <= 0)
		return 1;
	return log((double)(ndocs + 1) / (double)(d + 1)) + 1;
}

int
text_keywords(struct arena *a, const char *lang, const char *title,
    const char *body, const char *const *labels, size_t nlabels,
    text_df_fn df, void *arg, int64_t ndocs, size_t limit,
    struct text_keyword **out, size_t *nout)
{
	struct words		 w;
	struct cand		*c = NULL;
	struct text_keyword	*kw;
	const char		**terms;
	size_t			 nc = 0, cap = 0, i, j, k, run, nk = 0;
	size_t			 nterms;
	double			 tf, max = 0;

	*out = NULL;
	*nout = 0;
	if (lang == NULL || *lang == '\0')
		lang = text_lang_detect(body, strlen(body), "en");
	memset(&w, 0, sizeof(w));
	w.a = a;
	if (read_words(&w, lang, title, 1) == -1 ||
	    read_words(&w, lang, body, 0) == -1)
		return -1;

	for (i = 0; i < w.n; i++) {
		/* Content words. */
		if (!is_stopword(lang, w.v[i].fold) &&
		    str_utf8_count(w.v[i].fold, strlen(w.v[i].fold)) >= 2 &&
		    strspn(w.v[i].fold, "0123456789") != strlen(w.v[i].fold))
			count_run(a, &c, &nc, &cap, w.v, i, 1,
			    w.v[i].is_upper && !w.v[i].is_start);
		/* Names: two or more capitalised words in a row. */
		if (!w.v[i].is_upper || (i > 0 && w.v[i].joined &&
		    w.v[i - 1].is_upper && !is_stopword(lang, w.v[i - 1].fold)))
			continue;
		if (is_stopword(lang, w.v[i].fold))
			continue;
		for (run = 1; i + run < w.n && w.v[i + run].is_upper &&
		    w.v[i + run].joined && !w.v[i + run].is_start &&
		    w.v[i + run].in_title == w.v[i].in_title; run++)
			;
		if (run >= 2 && run <= 4)
			count_run(a, &c, &nc, &cap, w.v, i, run, 1);
	}

	/* TF-IDF for the likeliest candidates only: df costs a lookup. */
	for (i = 0; i < nc; i++) {
		c[i].boost = (c[i].is_name ? 1.5 : 1) * (c[i].len > 1 ? 1.5 :
		    1);
		c[i].score = c[i].tf * c[i].boost;
	}
	/* c is NULL when the text has no candidate: qsort must not see it. */
	if (nc > 1)
		qsort(c, nc, sizeof(*c), by_score);
	if (nc > KW_CANDIDATES)
		nc = KW_CANDIDATES;
	for (i = 0; i < nc; i++) {
		terms = run_terms(a, w.v, c[i].at, c[i].len);
		c[i].score *= idf(df, arg, ndocs, terms, c[i].len);
	}
	if (nc > 1)
		qsort(c, nc, sizeof(*c), by_score);

	kw = arena_allocarray(a, nlabels + nc + 1, sizeof(*kw));
	for (i = 0; i < nlabels; i++) {
		tf = label_tf(a, lang, labels[i], w.v, w.n, &terms, &nterms);
		if (tf == 0)
			continue;
		kw[nk].phrase = arena_strdup(a, labels[i]);
		kw[nk].terms = terms;
		kw[nk].nterms = nterms;
		kw[nk].is_existing = 1;
		kw[nk].score = tf * (nterms > 1 ? 1.5 : 1) *
		    idf(df, arg, ndocs, terms, nterms);
		nk++;
	}
	for (i = 0; i < nc; i++) {
		/* Skip what an existing label already says. */
		for (j = 0; j < nk; j++) {
			if (!kw[j].is_existing || kw[j].nterms != c[i].len)
				continue;
			for (k = 0; k < c[i].len; k++)
				if (strcmp(kw[j].terms[k],
				    w.v[c[i].at + k].stem) != 0)
					break;
			if (k == c[i].len)
				break;
		}
		if (j < nk)
			continue;
		kw[nk].phrase = run_text(a, w.v, c[i].at, c[i].len,
		    c[i].is_name);
		kw[nk].terms = run_terms(a, w.v, c[i].at, c[i].len);
		kw[nk].nterms = c[i].len;
		kw[nk].score = c[i].score;
		nk++;
	}
	for (i = 0; i < nk; i++)
		if (kw[i].score > max)
			max = kw[i].score;
	for (i = 0; i < nk && max > 0; i++)
		kw[i].score /= max;
	qsort(kw, nk, sizeof(*kw), kw_by_score);
	if (limit > 0 && nk > limit)
		nk = limit;
	*out = kw;
	*nout = nk;
	return 0;
}
