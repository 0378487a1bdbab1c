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
 * Is a comment spam?  One reading of the comment (its links, its words
 * through the shared pipeline, look-alike letters) gives both the terms
 * the filter learns (text_spam_terms) and the signals the scorer weighs
 * with the filter's probability (text_spam_check).
 *
 * The score starts from SPAM_PRIOR, or from the filter's probability
 * once it has learned enough, and every signal that speaks against the
 * comment raises it: score = 1 - (1 - base) * prod(1 - strength).  The
 * strengths are set against the default thresholds (hold 0.5, reject
 * 0.9): any one signal holds a comment, except a single word with
 * look-alike letters, which a filter that knows the comment for ham may
 * overrule; signals add up towards rejection, and an overwhelming one
 * (three look-alike words, two blocklist entries, five sends of one
 * text, five links past the limit) rejects alone.  Being written in
 * another language or script is never a signal.
 *
 * Not here: the filter's arithmetic (bayes.c), where counts live (the
 * store), what a verdict does to a comment (src/site), and the time trap
 * and rate limit, which need the request.
 */
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base.h"
#include "text.h"

#define SPAM_PRIOR	0.2	/* score of a comment nothing speaks against */
#define SPAM_LEARNED	10	/* messages before the filter is trusted */
#define SPAM_SHORT	3	/* fewer words than this: "almost no text" */
#define SPAM_HOST_MAX	253	/* bytes of a host name (RFC 1035) */
#define SPAM_SHOW_MAX	32	/* bytes of a word quoted in reasons */
#define SPAM_SHOW_N	4	/* words or entries quoted in a reason */

/* A link in the body. */
struct link {
	char	*host;	/* arena; ASCII lower case, "www." stripped */
	size_t	 start;	/* byte offset in the body */
	size_t	 end;	/* just past the link */
};

/* A word of the body as the pipeline gave it. */
struct word {
	char	*term;	/* arena; folded and stemmed */
	size_t	 start;	/* byte offset in the body */
	size_t	 end;	/* just past the word */
	int	 is_mixed;	/* look-alike letters, in a word of 2+ */
	int	 in_link;	/* part of a link's text */
};

/* What one reading of a comment found; all of it in the arena. */
struct scan {
	struct arena	*a;
	const char	*lang;	/* given, or detected from the body */
	const char	*body;
	size_t		 bodylen;
	struct word	*w;	/* every word, links' too, in order */
	size_t		 nw, wcap;
	struct link	*l;	/* links in the body, in order */
	size_t		 nl, lcap;
	char		*urlhost;	/* the url field's host, or NULL */
	char		**name;	/* "n:" terms of the author's name */
	size_t		 nname, namecap;
	size_t		 nwords;	/* words outside links */
	int		 nmixed;	/* words with look-alike letters */
	int		 has_latin;	/* Latin letters outside links */
	int		 has_other;	/* letters of other scripts */
	size_t		 li;	/* during the walk: first link not passed */
};

/* A blocklist entry read through the pipeline. */
struct entry {
	struct arena	*a;
	char		**t;	/* stemmed terms */
	size_t		 n, cap;
};

/* 1 when s[0..len) starts with the ASCII prefix p, in any case. */
static int
prefix_ci(const char *s, size_t len, const char *p)
{
	size_t	 i;

	for (i = 0; p[i] != '\0'; i++) {
		if (i == len)
			return 0;
		if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]) != p[i])
			return 0;
	}
	return 1;
}

/* 1 when c is one of set; never for NUL. */
static int
is_in(int c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static int
is_alnum_ascii(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * The code point at s[*i], which the caller has checked is UTF-8, and
 * *i moved past it.  Never reads at or past len.
 */
static UChar32
next_cp(const char *s, size_t len, size_t *i)
{
	const unsigned char	*p = (const unsigned char *)s;
	UChar32			 c = p[*i];
	size_t			 n, k;

	n = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
	if (n > 0)
		c &= 0x3f >> n;
	(*i)++;
	for (k = 0; k < n && *i < len; k++, (*i)++)
		c = (c << 6) | (p[*i] & 0x3f);
	return c;
}

/* 1 when a letter, digit or mark (an IDN host's or path's) goes on. */
static int
is_word_cp(UChar32 c)
{
	return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/*
 * Where a link starting at s[from] ends: at a space, a quote or a
 * bracket, or a character that is not a letter beyond ASCII; sentence
 * punctuation at its end belongs to the sentence.
 */
static size_t
link_end(const char *s, size_t len, size_t from)
{
	size_t	 i = from, j;
	UChar32	 c;

	while (i < len) {
		j = i;
		c = next_cp(s, len, &j);
		if (c < 0x80 ? c <= ' ' || c == 0x7f ||
		    is_in(c, "<>\"'`(){}[]|\\^") : !is_word_cp(c))
			break;
		i = j;
	}
	while (i > from && is_in(s[i - 1], ".,;:!?"))
		i--;
	return i;
}

/*
 * The host of the link whose text (after any scheme) starts s[0..len):
 * in the authority, after any user@ and before any port; ASCII
 * lower-cased, a leading "www." dropped, at most SPAM_HOST_MAX bytes.
 * NULL when there is none, or when need_dot and it has no dot (a bare
 * word is no host).  Reads only the authority, which stops at the first
 * character that cannot be in one, so that text full of would-be links
 * ("www.a,www.a,...") costs linear time.
 */
static char *
link_host(struct arena *a, const char *s, size_t len, int need_dot)
{
	char	 host[SPAM_HOST_MAX + 1], *p;
	size_t	 i, j, at = 0, end, hl = 0;
	UChar32	 c;

	for (i = 0; i < len; i = j) {
		j = i;
		c = next_cp(s, len, &j);
		if (c < 0x80 ? !is_alnum_ascii(c) && !is_in(c, "-._~:@%") :
		    !is_word_cp(c))
			break;
		if (c == '@')
			at = j;
	}
	end = i;
	for (i = at; i < end; i = j) {
		j = i;
		c = next_cp(s, end, &j);
		if (c < 0x80 ? !is_alnum_ascii(c) && !is_in(c, "-._") :
		    !is_word_cp(c))
			break;
		if (hl + (j - i) > SPAM_HOST_MAX)
			break;
		for (; i < j; i++)
			host[hl++] = s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] | 0x20 : s[i];
	}
	host[hl] = '\0';
	while (hl > 0 && host[hl - 1] == '.')
		host[--hl] = '\0';
	p = host;
	if (prefix_ci(p, hl, "www."))
		p += 4;
	while (*p == '.')
		p++;
	if (*p == '\0' || (need_dot && strchr(p, '.') == NULL))
		return NULL;
	return arena_strdup(a, p);
}

/* The host of the url field: "http://host/...", "//host" or "host". */
static char *
url_host(struct arena *a, const char *url)
{
	size_t	 len, i, from = 0;
	int	 need_dot = 1;

	while (is_in(*url, " \t\r\n"))
		url++;
	len = strlen(url);
	for (i = 0; i < len && (is_alnum_ascii(url[i]) ||
	    is_in(url[i], "+-.")); i++)
		;
	if (i > 0 && prefix_ci(url + i, len - i, "://")) {
		from = i + 3;
		need_dot = 0;
	} else if (prefix_ci(url, len, "//"))
		from = 2;
	return link_host(a, url + from, len - from, need_dot);
}

/* A byte that can come before "www." inside a longer URL or word. */
static int
is_url_byte(int c)
{
	return is_alnum_ascii(c) || is_in(c, ".-_/@:") || (c & 0x80);
}

/* Finds the body's links: http://, https:// and www. */
static void
scan_links(struct scan *sc)
{
	const char	*s = sc->body;
	size_t		 len = sc->bodylen, i = 0, from, end;
	char		*host;
	int		 is_www;

	while (i < len) {
		if (prefix_ci(s + i, len - i, "http://"))
			from = i + 7;
		else if (prefix_ci(s + i, len - i, "https://"))
			from = i + 8;
		else if (prefix_ci(s + i, len - i, "www.") &&
		    (i == 0 || !is_url_byte(s[i - 1])))
			from = i;
		else {
			i++;
			continue;
		}
		is_www = from == i;
		host = link_host(sc->a, s + from, len - from, is_www);
		if (host == NULL) {
			i = is_www ? i + 4 : from;
			continue;
		}
		end = link_end(s, len, from);
		sc->l = arena_grow(sc->a, sc->l, sc->nl, &sc->lcap,
		    sizeof(*sc->l));
		sc->l[sc->nl].host = host;
		sc->l[sc->nl].start = i;
		sc->l[sc->nl].end = end;
		sc->nl++;
		i = end;
	}
}

/* Notes which scripts the letters of s[0..len) belong to. */
static void
scan_letters(struct scan *sc, const char *s, size_t len)
{
	UErrorCode	 err;
	UScriptCode	 script;
	size_t		 i = 0;
	UChar32		 c;

	while (i < len) {
		c = next_cp(s, len, &i);
		if (!u_isalpha(c))
			continue;
		err = U_ZERO_ERROR;
		script = uscript_getScript(c, &err);
		if (U_FAILURE(err))
			continue;
		if (script == USCRIPT_LATIN)
			sc->has_latin = 1;
		else if (script != USCRIPT_COMMON &&
		    script != USCRIPT_INHERITED)
			sc->has_other = 1;
	}
}

static int
scan_word(void *arg, const struct text_token *t)
{
	struct scan	*sc = arg;
	struct word	*w;
	size_t		 len = t->end - t->start;

	while (sc->li < sc->nl && sc->l[sc->li].end <= t->start)
		sc->li++;
	sc->w = arena_grow(sc->a, sc->w, sc->nw, &sc->wcap, sizeof(*sc->w));
	w = &sc->w[sc->nw++];
	w->term = arena_strndup(sc->a, t->term, t->termlen);
	w->start = t->start;
	w->end = t->end;
	w->in_link = sc->li < sc->nl && sc->l[sc->li].start < t->end;
	/*
	 * A one-letter word ("а" typed for "a") is the usual slip of a
	 * bilingual keyboard; disguises hide longer words.
	 */
	w->is_mixed = t->is_mixed &&
	    str_utf8_count(sc->body + t->start, len) >= 2;
	if (w->is_mixed && sc->nmixed < INT32_MAX)
		sc->nmixed++;
	if (!w->in_link) {
		sc->nwords++;
		scan_letters(sc, sc->body + t->start, len);
	}
	return 0;
}

static int
scan_name(void *arg, const struct text_token *t)
{
	struct scan	*sc = arg;

	sc->name = arena_grow(sc->a, sc->name, sc->nname, &sc->namecap,
	    sizeof(*sc->name));
	sc->name[sc->nname++] = arena_printf(sc->a, "n:%.*s",
	    (int)t->termlen, t->term);
	return 0;
}

/* Reads a comment once; -1 for invalid UTF-8 (or ICU failing). */
static int
scan(struct scan *sc, struct arena *a, const char *lang, const char *name,
    const char *url, const char *body)
{
	memset(sc, 0, sizeof(*sc));
	if (name == NULL)
		name = "";
	if (url == NULL)
		url = "";
	if (body == NULL)
		body = "";
	sc->a = a;
	sc->body = body;
	sc->bodylen = strlen(body);
	if (!str_is_utf8(name, strlen(name)) || !str_is_utf8(url,
	    strlen(url)) || !str_is_utf8(body, sc->bodylen))
		return -1;
	/* Once, so that the body, the name and blocklist stem alike. */
	if (lang == NULL || *lang == '\0')
		lang = text_lang_detect(body, sc->bodylen, "en");
	sc->lang = lang;
	scan_links(sc);
	sc->urlhost = url_host(a, url);
	if (text_tokenize(lang, TEXT_TOKEN_STEM, body, sc->bodylen, scan_word,
	    sc) != 0)
		return -1;
	if (text_tokenize(lang, 0, name, strlen(name), scan_name, sc) != 0)
		return -1;
	return 0;
}

static int
scan_nlinks(const struct scan *sc)
{
	size_t	 n = sc->nl + (sc->urlhost != NULL);

	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* Adds s unless it is there already or the list is full. */
static void
term_add(const char **v, size_t *n, const char *s)
{
	size_t	 i;

	if (*n == TEXT_SPAM_TERMS_MAX || *s == '\0')
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return;
	v[(*n)++] = s;
}

/*
 * The terms of a scan, the most telling first so that the bound cuts
 * only body words: signals, hosts, the name, then the body's words.
 */
static void
scan_terms(const struct scan *sc, const char ***terms, size_t *n)
{
	const char	**v;
	size_t		 i;
	int		 nlinks = scan_nlinks(sc);

	v = arena_allocarray(sc->a, TEXT_SPAM_TERMS_MAX, sizeof(*v));
	*n = 0;
	if (sc->nmixed > 0)
		term_add(v, n, "s:mixed");
	if (nlinks >= 3)
		term_add(v, n, "s:links3");
	else if (nlinks == 2)
		term_add(v, n, "s:links2");
	else if (nlinks == 1)
		term_add(v, n, "s:links1");
	/* The filter learns whether other scripts are usual here. */
	if (sc->has_other && !sc->has_latin)
		term_add(v, n, "s:nolatin");
	if (sc->nwords < SPAM_SHORT)
		term_add(v, n, "s:short");
	if (sc->urlhost != NULL) {
		term_add(v, n, "s:url");
		term_add(v, n, arena_printf(sc->a, "h:%s", sc->urlhost));
	}
	for (i = 0; i < sc->nl && *n < TEXT_SPAM_TERMS_MAX; i++)
		term_add(v, n, arena_printf(sc->a, "h:%s", sc->l[i].host));
	for (i = 0; i < sc->nname; i++)
		term_add(v, n, sc->name[i]);
	for (i = 0; i < sc->nw && *n < TEXT_SPAM_TERMS_MAX; i++)
		if (!sc->w[i].in_link)
			term_add(v, n, sc->w[i].term);
	*terms = v;
}

int
text_spam_terms(struct arena *a, const char *lang, const char *name,
    const char *url, const char *body, const char ***terms, size_t *n)
{
	struct scan	 sc;

	*terms = NULL;
	*n = 0;
	if (scan(&sc, a, lang, name, url, body) == -1)
		return -1;
	scan_terms(&sc, terms, n);
	return 0;
}

static int
entry_word(void *arg, const struct text_token *t)
{
	struct entry	*e = arg;

	e->t = arena_grow(e->a, e->t, e->n, &e->cap, sizeof(*e->t));
	e->t[e->n++] = arena_strndup(e->a, t->term, t->termlen);
	return 0;
}

/*
 * 1 when host is word or a subdomain of it (word has a dot), or has
 * word as one of its dot- or dash-separated labels.
 */
static int
host_has(const char *host, const char *word, size_t len)
{
	size_t	 hl = strlen(host), i, j;

	if (len == 0)
		return 0;
	if (memchr(word, '.', len) != NULL)
		return (hl == len || (hl > len && host[hl - len - 1] == '.')) &&
		    memcmp(host + hl - len, word, len) == 0;
	for (i = 0; i < hl; i = j + 1) {
		for (j = i; j < hl && !is_in(host[j], ".-"); j++)
			;
		if (j - i == len && memcmp(host + i, word, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * 1 when the body has the blocklist entry s[0..len): its terms in a row
 * among the body's words (links' words too), or a linked host it names.
 */
static int
blocked(const struct scan *sc, const char *s, size_t len)
{
	struct entry	 e;
	char		*low;
	size_t		 i, j;

	memset(&e, 0, sizeof(e));
	e.a = sc->a;
	/* The owner's list, not the comment: a bad entry just never hits. */
	if (text_tokenize(sc->lang, TEXT_TOKEN_STEM, s, len, entry_word,
	    &e) != 0 || e.n == 0)
		return 0;
	for (i = 0; i + e.n <= sc->nw; i++) {
		for (j = 0; j < e.n; j++)
			if (strcmp(sc->w[i + j].term, e.t[j]) != 0)
				break;
		if (j == e.n)
			return 1;
	}
	if (e.n != 1)
		return 0;
	low = arena_strndup(sc->a, s, len);
	str_ascii_lower(low);
	if (sc->urlhost != NULL && host_has(sc->urlhost, low, len))
		return 1;
	for (i = 0; i < sc->nl; i++)
		if (host_has(sc->l[i].host, low, len))
			return 1;
	return 0;
}

/* Appends s[0..len), cut to SPAM_SHOW_MAX bytes at a character. */
static void
show(struct buf *b, const char *s, size_t len)
{
	size_t	 cut = len;

	if (len > SPAM_SHOW_MAX) {
		cut = SPAM_SHOW_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	buf_add(b, s, cut);
	if (cut < len)
		buf_adds(b, "...");
}

static void
reason(struct buf *b)
{
	if (b->len > 0)
		buf_adds(b, "; ");
}

/* Names the distinct words with look-alike letters, as written. */
static void
show_mixed(struct buf *b, const struct scan *sc)
{
	const struct word	*w;
	const char		*seen[SPAM_SHOW_N];
	size_t			 nseen = 0, i, k;

	for (i = 0; i < sc->nw; i++) {
		w = &sc->w[i];
		if (!w->is_mixed)
			continue;
		for (k = 0; k < nseen; k++)
			if (strcmp(seen[k], w->term) == 0)
				break;
		if (k < nseen)
			continue;
		if (nseen == SPAM_SHOW_N) {
			buf_adds(b, ", ...");
			return;
		}
		buf_adds(b, nseen > 0 ? ", " : "");
		show(b, sc->body + w->start, w->end - w->start);
		seen[nseen++] = w->term;
	}
}

/* An entry without the spaces around it, as the owner wrote it. */
static const char *
trim(const char *s, size_t *len)
{
	*len = strlen(s);
	while (*len > 0 && is_in(*s, " \t\r\n")) {
		s++;
		(*len)--;
	}
	while (*len > 0 && is_in(s[*len - 1], " \t\r\n"))
		(*len)--;
	return s;
}

/* Hundredths, whatever the locale says a decimal point is. */
static void
show_prob(struct buf *b, double p)
{
	int	 h = (int)(p * 100 + 0.5);

	buf_addf(b, "%d.%02d", h / 100, h % 100);
}

/*
 * How much the filter's probability counts: not at all before it has
 * seen both kinds or when no term told it anything, half at most until
 * it has learned SPAM_LEARNED messages, fully after.
 */
static double
filter_weight(const struct text_spam_counts *c, size_t nclues)
{
	double	 learned;

	if (nclues == 0 || c->nham <= 0 || c->nspam <= 0)
		return 0;
	learned = (double)c->nham + (double)c->nspam;
	if (learned >= SPAM_LEARNED)
		return 1;
	return learned / (2.0 * SPAM_LEARNED);
}

/* Strength of too many links, by how many over the limit. */
static double
links_strength(int over)
{
	double	 s = 0.45 + 0.1 * over;

	return s < 0.95 ? s : 0.95;
}

int
text_spam_check(struct arena *a, const struct text_spam_conf *conf,
    const struct text_spam_input *in, text_spam_counts_fn fn, void *arg,
    struct text_spam_result *out)
{
	struct scan		 sc;
	struct text_spam_counts	 counts;
	struct buf		 r = BUF_INIT;
	const char		**terms, *s;
	size_t			 nterms, nclues = 0, i, len;
	double			 keep = 1, base, bayes = 0.5, w = 0, score;
	int			 nlinks, nblocked = 0;

	memset(out, 0, sizeof(*out));
	out->reasons = arena_strdup(a, "");
	out->bayes = 0.5;
	if (scan(&sc, a, in->lang, in->name, in->url, in->body) == -1)
		return -1;
	scan_terms(&sc, &terms, &nterms);

	memset(&counts, 0, sizeof(counts));
	if (fn != NULL && nterms > 0 &&
	    fn(arg, a, terms, nterms, &counts) == 0) {
		bayes = text_bayes_clues(&counts, nterms, &nclues);
		w = filter_weight(&counts, nclues);
	}
	base = SPAM_PRIOR + w * (bayes - SPAM_PRIOR);

	nlinks = scan_nlinks(&sc);
	if (conf->max_links >= 0 && nlinks > conf->max_links) {
		keep *= 1 - links_strength(nlinks - conf->max_links);
		reason(&r);
		buf_addf(&r, "%d link%s (more than %d)", nlinks,
		    nlinks == 1 ? "" : "s", conf->max_links);
	}
	if (sc.nmixed > 0) {
		keep *= 1 - (sc.nmixed == 1 ? 0.45 : sc.nmixed == 2 ? 0.8 :
		    0.95);
		reason(&r);
		buf_addf(&r, "%d %s scripts (", sc.nmixed, sc.nmixed == 1 ?
		    "word mixes" : "words mix");
		show_mixed(&r, &sc);
		buf_addc(&r, ')');
	}
	for (i = 0; conf->blocklist != NULL && i < conf->nblocklist; i++) {
		if (conf->blocklist[i] == NULL)
			continue;
		s = trim(conf->blocklist[i], &len);
		if (!blocked(&sc, s, len))
			continue;
		if (nblocked == 0) {
			reason(&r);
			buf_adds(&r, "blocklist: ");
		} else if (nblocked < SPAM_SHOW_N)
			buf_adds(&r, ", ");
		if (nblocked < SPAM_SHOW_N)
			show(&r, s, len);
		else if (nblocked == SPAM_SHOW_N)
			buf_adds(&r, ", ...");
		nblocked++;
	}
	/* The owner's own list: one hit holds, two reject. */
	if (nblocked > 0)
		keep *= 1 - (nblocked == 1 ? 0.6 : 0.95);
	/* Once more is a double click; a third time is a campaign. */
	if (in->same_body >= 2) {
		keep *= 1 - (in->same_body == 2 ? 0.6 : in->same_body == 3 ?
		    0.8 : 0.95);
		reason(&r);
		buf_addf(&r, "same text sent %lld times",
		    in->same_body < INT64_MAX ? (long long)in->same_body + 1 :
		    (long long)in->same_body);
	}
	if (sc.nl > 0 && sc.nwords < SPAM_SHORT) {
		keep *= 1 - 0.5;
		reason(&r);
		buf_adds(&r, "links with almost no text");
	}
	if (w > 0 && bayes >= 0.5) {
		reason(&r);
		buf_adds(&r, "filter: ");
		show_prob(&r, bayes);
	}

	score = 1 - (1 - base) * keep;
	score = score < 0 ? 0 : score > 1 ? 1 : score;
	out->score = score;
	out->verdict = score >= conf->reject ? TEXT_SPAM_REJECT :
	    score >= conf->hold ? TEXT_SPAM_HOLD : TEXT_SPAM_PASS;
	if (r.len > 0)
		out->reasons = arena_strndup(a, r.p, r.len);
	buf_clear(&r);
	out->bayes = bayes;
	out->nlinks = nlinks;
	out->nmixed = sc.nmixed;
	out->nblocked = nblocked;
	return 0;
}
