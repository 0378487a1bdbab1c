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
 * The learned half of the spam scorer: from how many ham and spam
 * messages held each term, the probability that a message with these
 * terms is spam.  Gary Robinson's per-term estimate, combined over the
 * most telling terms with Fisher's chi-square method, as SpamBayes does
 * it.  Pure arithmetic: the counts come from the caller (the store or a
 * model in memory), and what the probability is worth next to the
 * other signals is spam.c's business.
 */
#include <math.h>

#include "text.h"

/*
 * Robinson's prior: a term seen BAYES_S times counts as much as the
 * assumed probability BAYES_X of a term never seen.
 */
#define BAYES_S		1.0
#define BAYES_X		0.5
#define BAYES_MIN_DIST	0.1	/* |f - 0.5| below this says nothing */
#define BAYES_CLUES	15	/* terms combined, the most telling first */
/*
 * f never quite reaches 0 or 1 (the prior sees to that), but with counts
 * in the billions 1 - f rounds to 1 in a double, and log(0) would make
 * the chi-square meaningless.
 */
#define BAYES_F_MIN	1e-9

struct clue {
	double	 f;	/* Robinson's f(w) */
	double	 dist;	/* |f - 0.5| */
};

static int64_t
clamp64(int64_t v, int64_t hi)
{
	return v < 0 ? 0 : v > hi ? hi : v;
}

/*
 * Robinson's f(w) for a term held by h of nham ham and s of nspam spam
 * messages; -1 when the term was never seen.
 */
static double
term_f(int64_t h, int64_t s, int64_t nham, int64_t nspam)
{
	double	 hr, sr, p, n, f;

	h = clamp64(h, nham);
	s = clamp64(s, nspam);
	if (h == 0 && s == 0)
		return -1;
	/* Frequencies, so that a filter fed more ham is not biased. */
	hr = (double)h / (double)nham;
	sr = (double)s / (double)nspam;
	p = sr / (hr + sr);
	n = (double)h + (double)s;
	f = (BAYES_S * BAYES_X + n * p) / (BAYES_S + n);
	if (f < BAYES_F_MIN)
		f = BAYES_F_MIN;
	if (f > 1 - BAYES_F_MIN)
		f = 1 - BAYES_F_MIN;
	return f;
}

/*
 * Keeps v[0..*n) sorted by dist, largest first, at most BAYES_CLUES; a
 * tie keeps the earlier term, so the choice depends only on the order
 * of the terms.
 */
static void
clue_add(struct clue *v, size_t *n, double f)
{
	double	 dist = fabs(f - 0.5);
	size_t	 i;

	if (*n == BAYES_CLUES && dist <= v[*n - 1].dist)
		return;
	if (*n < BAYES_CLUES)
		(*n)++;
	for (i = *n - 1; i > 0 && v[i - 1].dist < dist; i--)
		v[i] = v[i - 1];
	v[i].f = f;
	v[i].dist = dist;
}

/*
 * The chance that a chi-square variable with v (even) degrees of
 * freedom is at least x2: the series for even v, exact to rounding.
 */
static double
chi2q(double x2, int v)
{
	double	 m = x2 / 2, term, sum;
	int	 i;

	term = exp(-m);
	sum = term;
	for (i = 1; i < v / 2; i++) {
		term *= m / i;
		sum += term;
	}
	return sum < 1 ? sum : 1;
}

double
text_bayes_clues(const struct text_spam_counts *c, size_t n,
    size_t *nclues)
{
	struct clue	 v[BAYES_CLUES];
	size_t		 nv = 0, i;
	double		 f, lnf = 0, ln1f = 0, h, s, p;

	*nclues = 0;
	if (c == NULL || n == 0 || c->ham == NULL || c->spam == NULL ||
	    c->nham <= 0 || c->nspam <= 0)
		return 0.5;
	for (i = 0; i < n; i++) {
		f = term_f(c->ham[i], c->spam[i], c->nham, c->nspam);
		if (f >= 0 && fabs(f - 0.5) >= BAYES_MIN_DIST)
			clue_add(v, &nv, f);
	}
	if (nv == 0)
		return 0.5;

	/*
	 * Fisher: if the terms were random, -2 ln of the product of their
	 * f (or of 1 - f) would follow chi-square with 2n degrees of
	 * freedom.  H is near 1 when the product of f is large (all
	 * spammy), S when the product of 1 - f is; I weighs the two.
	 */
	for (i = 0; i < nv; i++) {
		lnf += log(v[i].f);
		ln1f += log1p(-v[i].f);
	}
	h = chi2q(-2 * lnf, 2 * (int)nv);
	s = chi2q(-2 * ln1f, 2 * (int)nv);
	p = (1 + h - s) / 2;
	*nclues = nv;
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

double
text_bayes(const struct text_spam_counts *c, size_t n)
{
	size_t	 nclues;

	return text_bayes_clues(c, n, &nclues);
}
