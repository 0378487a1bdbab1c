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
 * Fuzz target: the comment spam scorer (text_spam_terms, text_spam_check,
 * text_bayes, src/text/spam.c and bayes.c).  Byte 0 picks the language
 * (bits 0-2), whether a filter in memory answers (bit 3), the earlier
 * comments with the same body (bits 4-5), and with bit 6 set the rest is
 * read as counts for text_bayes instead.  Otherwise the rest is the
 * author's name, NUL, the url field, NUL, the body (later NULs read as
 * spaces).
 *
 * Besides crashes and leaks it checks what text.h promises: -1 exactly
 * when a field is not UTF-8, with outputs reset; at most
 * TEXT_SPAM_TERMS_MAX distinct, non-empty UTF-8 terms, which are what
 * the filter is asked about; a score and a probability in [0, 1]; the
 * verdict the thresholds give; reasons in UTF-8 (words quoted in them
 * cut at a character); the same answer twice.
 */
#include <math.h>
#include <string.h>

#include "base.h"
#include "text/text.h"

#include "fuzz.h"

static const char *const langs[] = { NULL, "en", "es", "ru", "ko", "de",
    "", "xx" };

/* Includes entries that can never match: empty, one letter, not UTF-8. */
static const char *const blocklist[] = { "viagra", "casino",
    "cheap pills", "spam.biz", "", "\xd0\xb0", "\xff", "a" };

/* What the filter was asked, to compare with text_spam_terms. */
struct asked {
	const char *const	*terms;
	size_t			 n;
	int			 called;
};

static uint32_t
hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* A filter in memory: counts made up from each term's hash. */
static int
counts(void *arg, struct arena *a, const char *const *terms, size_t n,
    struct text_spam_counts *out)
{
	struct asked	*k = arg;
	size_t		 i;

	k->terms = terms;
	k->n = n;
	k->called = 1;
	out->ham = arena_allocarray(a, n, sizeof(*out->ham));
	out->spam = arena_allocarray(a, n, sizeof(*out->spam));
	for (i = 0; i < n; i++) {
		out->ham[i] = hash(terms[i]) % 7;
		out->spam[i] = (hash(terms[i]) >> 8) % 7;
	}
	out->nham = 6;
	out->nspam = 6;
	return 0;
}

static int64_t
get64(const uint8_t *p)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/* Bit 6: any counts at all, even negative or past nham and nspam. */
static void
fuzz_bayes(const uint8_t *data, size_t size)
{
	struct text_spam_counts	 c;
	int64_t			 ham[64], spam[64];
	size_t			 n, i, nclues;
	double			 p;

	if (size < 16)
		return;
	c.nham = get64(data);
	c.nspam = get64(data + 8);
	data += 16;
	size -= 16;
	n = size / 16 < 64 ? size / 16 : 64;
	for (i = 0; i < n; i++) {
		ham[i] = get64(data + 16 * i);
		spam[i] = get64(data + 16 * i + 8);
	}
	c.ham = ham;
	c.spam = spam;
	p = text_bayes_clues(&c, n, &nclues);
	FUZZ_CHECK(!isnan(p) && p >= 0 && p <= 1);
	FUZZ_CHECK(nclues <= 15 && nclues <= n);
	if (c.nham <= 0 || c.nspam <= 0 || nclues == 0)
		FUZZ_CHECK(p == 0.5);
	FUZZ_CHECK(text_bayes(&c, n) == p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a;
	struct text_spam_conf	 conf;
	struct text_spam_input	 in;
	struct text_spam_result	 res, again;
	struct asked		 k;
	const char		**terms, *part[3];
	char			*copy;
	size_t			 len, i, j, n, nh, end;
	int			 valid, rc, flags;

	if (size == 0)
		return 0;
	flags = data[0];
	if (flags & 0x40) {
		fuzz_bayes(data + 1, size - 1);
		return 0;
	}
	a = arena_new();
	len = size - 1;
	copy = arena_strndup(a, (const char *)data + 1, len);
	part[0] = copy;
	part[1] = part[2] = "";
	if ((end = strlen(copy)) < len) {
		part[1] = copy + end + 1;
		end += 1 + strlen(part[1]);
	}
	if (end < len) {
		part[2] = copy + end + 1;
		/* The body runs to the end: its NULs read as spaces. */
		for (i = end + 1; i < len; i++)
			if (copy[i] == '\0')
				copy[i] = ' ';
	}
	valid = 1;
	for (i = 0; i < 3; i++)
		valid &= str_is_utf8(part[i], strlen(part[i]));

	memset(&conf, 0, sizeof(conf));
	conf.hold = 0.5;
	conf.reject = 0.9;
	conf.max_links = 2;
	conf.blocklist = blocklist;
	conf.nblocklist = nitems(blocklist);
	memset(&in, 0, sizeof(in));
	in.name = part[0];
	in.email = "";
	in.url = part[1];
	in.body = part[2];
	in.lang = langs[flags & 7];
	in.same_body = (flags >> 4) & 3;

	rc = text_spam_terms(a, in.lang, in.name, in.url, in.body, &terms,
	    &n);
	FUZZ_CHECK(rc == (valid ? 0 : -1));
	if (rc == -1)
		FUZZ_CHECK(terms == NULL && n == 0);
	FUZZ_CHECK(n <= TEXT_SPAM_TERMS_MAX);
	for (i = nh = 0; i < n; i++) {
		FUZZ_CHECK(terms[i][0] != '\0');
		FUZZ_CHECK(str_is_utf8(terms[i], strlen(terms[i])));
		for (j = i + 1; j < n; j++)
			FUZZ_CHECK(strcmp(terms[i], terms[j]) != 0);
		if (strncmp(terms[i], "h:", 2) == 0)
			nh++;
	}

	memset(&k, 0, sizeof(k));
	rc = text_spam_check(a, &conf, &in, flags & 8 ? counts : NULL, &k,
	    &res);
	FUZZ_CHECK(rc == (valid ? 0 : -1));
	FUZZ_CHECK(res.reasons != NULL);
	FUZZ_CHECK(str_is_utf8(res.reasons, strlen(res.reasons)));
	if (rc == -1) {
		FUZZ_CHECK(res.verdict == TEXT_SPAM_PASS && res.score == 0 &&
		    *res.reasons == '\0');
		arena_free(a);
		return 0;
	}
	FUZZ_CHECK(!isnan(res.score) && res.score >= 0 && res.score <= 1);
	FUZZ_CHECK(!isnan(res.bayes) && res.bayes >= 0 && res.bayes <= 1);
	FUZZ_CHECK(res.verdict == (res.score >= conf.reject ?
	    TEXT_SPAM_REJECT : res.score >= conf.hold ? TEXT_SPAM_HOLD :
	    TEXT_SPAM_PASS));
	FUZZ_CHECK(res.nlinks >= 0 && (size_t)res.nlinks >= nh);
	FUZZ_CHECK(res.nmixed >= 0);
	FUZZ_CHECK(res.nblocked >= 0 &&
	    (size_t)res.nblocked <= conf.nblocklist);
	/* Signal terms come first, so the bound never drops them. */
	FUZZ_CHECK((res.nmixed > 0) == (n > 0 &&
	    strcmp(terms[0], "s:mixed") == 0));
	if (k.called) {
		FUZZ_CHECK(k.n == n);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(strcmp(k.terms[i], terms[i]) == 0);
	} else
		FUZZ_CHECK(!(flags & 8) || n == 0);

	memset(&k, 0, sizeof(k));
	FUZZ_CHECK(text_spam_check(a, &conf, &in, flags & 8 ? counts : NULL,
	    &k, &again) == 0);
	FUZZ_CHECK(again.score == res.score && again.verdict == res.verdict);
	FUZZ_CHECK(strcmp(again.reasons, res.reasons) == 0);
	arena_free(a);
	return 0;
}
