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
 * text: language-aware string work shared by importers, pages and
 * (later) search: slugs for URLs, and calendar dates in the site's time
 * zone and locale, all through ICU.
 *
 * Errors: 0 / -1, NULL for pointer results.
 * Threads: safe from any thread.
 */
#ifndef GAZETTE_TEXT_H
#define GAZETTE_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct arena;

/* ---- slug.c ---- */

/*
 * The URL slug for a title, the way Blogger makes them: transliterated
 * to ASCII, lower case, words of letters and digits joined by '-',
 * shortened as Blogger shortens long titles.  Returns an arena string;
 * never NULL, but may be "" when the title has no letters or digits
 * (callers then pick a fallback such as "post").
 *
 * The rule, in order: transliterate (Russian BGN for Cyrillic, ICU's
 * Any-Latin for other scripts, then Latin-ASCII, lower case); a word is
 * a run of a-z and 0-9, with apostrophes and quotes inside it dropped
 * ("don't" -> "dont"); "a", "an" and "the" are dropped unless they are
 * the first word; whole words are kept while the slug stays within
 * TEXT_SLUG_MAX bytes (a first word longer than that is cut).  Only the
 * first LIMIT_TITLE bytes of title are read; bad UTF-8 reads as U+FFFD.
 */
#define TEXT_SLUG_MAX	39	/* Blogger's limit on the title part of a URL */

char	*text_slug(struct arena *, const char *title, size_t len);

/* ---- date.c ---- */

/*
 * Localized forms come from ICU's CLDR data, with its narrow and
 * no-break spaces turned into plain spaces so that what we print can be
 * typed back, copied and parsed.
 */
enum text_date_style {
	TEXT_DATE_LONG = 0,	/* "September 12, 2023" */
	TEXT_DATE_MONTH_YEAR,	/* "September 2023", "septiembre de 2023" */
	TEXT_DATE_YEAR,		/* "2023" ("2023년" in ko) */
	TEXT_DATE_LONG_TIME,	/* "September 13, 2023 at 10:15 AM" */
	TEXT_DATE__MAX
};

/*
 * Formats t as seen in time zone tz (IANA name) in locale's style.
 * Returns 0, or -1 (out = "") for an unknown zone, a malformed locale
 * name, t outside years 1583-9999 or a too-small out.  An unknown but
 * well-formed locale falls back as ICU falls back (to root).
 *
 * All text_date_* functions keep the ICU objects they open in a cache
 * private to the calling thread, keyed by locale, zone and style, so a
 * page render opens nothing; text_thread_cleanup() or the thread's exit
 * releases them.
 */
int	 text_date_format(const char *locale, const char *tz, int64_t t,
	    enum text_date_style, char *out, size_t outlen);
/*
 * ISO 8601 with the zone's offset: "2023-09-12T00:00:00+03:00" (UTC
 * gives "+00:00").  Needs 26 bytes.  Same failures as text_date_format.
 */
int	 text_date_iso(const char *tz, int64_t t, char *out, size_t outlen);
/*
 * Calendar year, month (1-12) and day of t in tz, proleptic Gregorian.
 * Returns 0, or -1 (outputs 0) for an unknown zone or a year outside
 * 1583-9999.
 */
int	 text_date_parts(const char *tz, int64_t t, int *year, int *month,
	    int *day);
/*
 * The time of 00:00 on year-month-day in tz (month 1-12).  Where a
 * zone skips midnight (a DST change at 00:00) the day starts at the
 * first instant it has, such as 01:00.  Returns 0, or -1 (*out = 0) for
 * an unknown zone or a day that does not exist (year outside 1583-9999,
 * February 30).
 */
int	 text_date_from_parts(const char *tz, int year, int month, int day,
	    int64_t *out);
/*
 * Parses a date line: "September 12, 2023", "2023-09-12", or the long
 * form of locale ("12 de septiembre de 2023"), meaning 00:00 in tz.
 * English is always tried; the long forms may also carry the weekday
 * ("Tuesday, September 12, 2023").  Surrounding spaces are ignored,
 * letter case and runs of spaces are free, but otherwise the text must
 * be exactly what text_date_format would print for that day: no
 * abbreviations, two-digit years or trailing words.  Returns 0 and
 * *out, or -1 (*out = 0).
 */
int	 text_date_parse(const char *locale, const char *tz, const char *s,
	    int64_t *out);
/*
 * Parses a date with an optional time of day, as a comment's time line
 * reads: what text_date_parse takes, or the long date followed by a
 * time as locale or English writes it ("September 13, 2023 at 10:15 AM",
 * "13 de septiembre de 2023, 10:15", "2023년 9월 13일 오전 10:15"), or
 * "2023-09-13 10:15" ('T' also allowed, seconds optional).  The time is
 * wall-clock time in tz; a date alone means 00:00.  Same strictness and
 * returns as text_date_parse.
 */
int	 text_date_parse_time(const char *locale, const char *tz,
	    const char *s, int64_t *out);

/* ---- both ---- */

/*
 * Releases the ICU objects and stemmers cached for the calling thread
 * (they are opened again on next use).  Threads that exit release theirs
 * without this; call it on a thread that outlives its use of text_*,
 * such as the main thread before exit when leak checkers watch.  Not
 * from inside a text_tokenize callback.
 */
void	 text_thread_cleanup(void);

/* ---- token.c, fold.c, stem.c, lang.c: the one text pipeline ---- */

/*
 * Every piece of gazette that looks for words in text (the search index,
 * search queries, keyword suggestions, spam checks, label keys) goes
 * through this one pipeline, so that they all agree on what a word is:
 *
 *   ICU word segmentation (every script; Chinese and Japanese split by
 *   ICU's dictionary, Korean by spaces)
 *   -> NFKC casefold (typographic apostrophes as "'")
 *   -> for a word that mixes scripts (Latin with a Cyrillic "а"), the
 *      letters of its minority scripts replaced by their look-alikes in
 *      its majority script (by UTS #39 confusable skeletons), so it
 *      matches the one-script word it imitates: "Рutin" is "putin";
 *      also a Cyrillic or Greek word made only of letters with Latin
 *      look-alikes, in text with more Latin than Cyrillic and Greek
 *      letters ("have а lot"); any other word wholly in one script is
 *      kept as it is
 *   -> Snowball stemming in the text's language (when asked), after
 *      dropping an elided article in French, Italian or Catalan ("l'");
 *      a word in a script that language is not written in takes the
 *      stemmer of its script's main language (English for Latin words
 *      in a Korean post, Russian for Cyrillic words in an English one),
 *      so that posts and queries meet whatever language each is given
 *
 * Words of one letter or digit are kept ("K", "5"), so are short ones
 * ("UN").  Punctuation and spaces are not tokens, nor are the "@" of
 * "@name" and the "_" of "_name" (ends of a word are letters, digits or
 * marks).
 */
#define TEXT_TERM_MAX	64	/* bytes of a term; longer ones are cut */

struct text_token {
	const char	*term;	/* folded (and stemmed) term, NUL-terminated;
				   valid during the callback only */
	size_t		 termlen;	/* bytes */
	size_t		 start;	/* byte offset of the word in the input */
	size_t		 end;	/* byte offset just past the word */
	size_t		 pos;	/* index of the word among the tokens */
	int		 is_mixed;	/* look-alike letters were replaced */
	int		 is_upper;	/* the word began with a capital */
};

/*
 * Called for each token; a non-zero return stops the walk.  It may call
 * text_tokenize again (the inner walk gets buffers of its own).
 */
typedef int (*text_token_fn)(void *arg, const struct text_token *);

enum text_token_flags {
	TEXT_TOKEN_STEM = 1 << 0,	/* stem each term in the language */
};

/*
 * Tokenizes s[0..len) as text in language lang ("en", "es", "ru", ...;
 * NULL or "" to detect it with text_lang_detect).  Returns 0 when every
 * token was handed to fn, the callback's non-zero value when it stopped
 * the walk, or -1 when s is not valid UTF-8 (fn is then never called;
 * NUL is valid, a separator) or ICU fails (logged).  Any thread; the
 * thread's break iterator and buffers are reused, so a walk allocates
 * nothing and its memory does not grow with len.
 */
int	 text_tokenize(const char *lang, unsigned flags, const char *s,
	    size_t len, text_token_fn fn, void *arg);

/*
 * The language of s, as a code with a Snowball stemmer or a script of its
 * own: "ru" (Cyrillic; "uk", "sr" or "bg" when letters Russian lacks say
 * so), "ko" (Hangul), "ja" (kana), "zh" (Han), "el", "ar", ..., and among
 * Latin-script languages en, es, de, fr, pt, it by their common words;
 * fallback (or "en" when NULL) when it cannot tell.  The script with the
 * most letters decides, so a few look-alike letters cannot change the
 * answer.  Reads at most the first 16 KiB; bytes that are not UTF-8 are
 * skipped.  Returns a static string, or fallback itself.
 */
const char *text_lang_detect(const char *s, size_t len, const char *fallback);

/* 1 when lang has a Snowball stemmer in this build. */
int	 text_lang_has_stemmer(const char *lang);

/*
 * A label's key, the form under which spellings of one label meet: the
 * tokens (folded, not stemmed) of s joined by a single space, and
 * hyphens and other in-word punctuation kept but the spaces around them
 * dropped: "Russia- Ukraine war", "russia-ukraine war" and "Russia -
 * Ukraine  war" all give "russia-ukraine war"; a look-alike letter gives
 * the same key as the real one.  Between two words, a '-' (or a Unicode
 * dash), '/' or '&' anywhere in the gap joins them with that character;
 * any other gap is one space.  Returns an arena string ("" for a label
 * with no letters or digits, or not valid UTF-8).
 */
char	*text_label_key(struct arena *, const char *s, size_t len);

/* ---- keyword.c ---- */

/* One suggested keyword for a post. */
struct text_keyword {
	char		*phrase;	/* as the text writes it ("North Korea"),
					   or the existing label's name */
	const char	**terms;	/* its stemmed terms */
	size_t		 nterms;
	double		 score;	/* higher is better; 0..1 */
	int		 is_existing;	/* a label the text supports */
};

/*
 * How many of the site's posts contain the phrase (stemmed terms, in
 * order); -1 when unknown.
 */
typedef int64_t (*text_df_fn)(void *arg, const char *const *terms,
    size_t nterms);

/*
 * Ranked keyword suggestions for a post with title and body in language
 * lang (NULL: detect): first the existing labels (labels[0..nlabels))
 * whose words the text contains, then new candidates: names (runs of
 * capitalised words such as "North Korea", kept whole) and content
 * words, scored by TF-IDF against the site (df of each candidate, ndocs
 * posts in all).  At most limit of them, best first within each group.
 * Returns 0 with an arena array in *out, or -1 when the text is not
 * valid UTF-8.
 */
int	 text_keywords(struct arena *, const char *lang, const char *title,
	    const char *body, const char *const *labels, size_t nlabels,
	    text_df_fn df, void *arg, int64_t ndocs, size_t limit,
	    struct text_keyword **out, size_t *n);

/* ---- spam.c, bayes.c: is a comment spam? ---- */

/* The filter's learned counts for some terms (see text_spam_terms). */
struct text_spam_counts {
	int64_t		*ham;	/* ham[i]: ham messages with terms[i] */
	int64_t		*spam;	/* spam[i]: spam messages with terms[i] */
	int64_t		 nham;	/* ham messages learned in all */
	int64_t		 nspam;	/* spam messages learned in all */
};

/*
 * Where the scorer finds the counts: the store (store_spam_counter) or,
 * for evaluation, a model in memory.  Fills out with arena arrays of n.
 * Returns 0, or -1 when the counts cannot be had (the scorer then goes
 * on without them).
 */
typedef int (*text_spam_counts_fn)(void *arg, struct arena *,
    const char *const *terms, size_t n, struct text_spam_counts *out);

/*
 * The distinct terms the filter learns and judges a comment by: the
 * body's words through the pipeline (stemmed in lang; NULL: detect),
 * the author's name words with a "n:" prefix, each linked host with
 * "h:" ("h:example.com", from the url field and links in the body), and
 * signal terms ("s:mixed" for a look-alike word, "s:links3" for three
 * or more links, "s:nolatin"...).  At most TEXT_SPAM_TERMS_MAX.
 * Returns 0 with an arena array, or -1 for invalid UTF-8.
 */
#define TEXT_SPAM_TERMS_MAX	256

int	 text_spam_terms(struct arena *, const char *lang, const char *name,
	    const char *url, const char *body, const char ***terms,
	    size_t *n);

/*
 * The probability that a message with these terms' counts is spam,
 * naive Bayes (Robinson's combining with Fisher's chi-square, over the
 * most telling terms), 0.5 when the filter knows nothing yet.
 */
double	 text_bayes(const struct text_spam_counts *, size_t n);
/*
 * text_bayes, and in *nclues how many terms it combined (at most 15);
 * 0 means no term says anything either way and the result is 0.5.
 */
double	 text_bayes_clues(const struct text_spam_counts *, size_t n,
	    size_t *nclues);

struct text_spam_conf {
	double		 hold;	/* score at or above: hold for moderation */
	double		 reject;	/* score at or above: spam */
	int		 max_links;	/* more links than this count against */
	const char *const *blocklist;	/* words or phrases never wanted */
	size_t		 nblocklist;
};

struct text_spam_input {
	const char	*name;
	const char	*email;	/* "" when not given */
	const char	*url;	/* "" when not given */
	const char	*body;
	const char	*lang;	/* the post's language, or NULL */
	int64_t		 same_body;	/* earlier comments with this body */
};

enum text_spam_verdict {
	TEXT_SPAM_PASS = 0,	/* publish (moderation mode permitting) */
	TEXT_SPAM_HOLD,	/* hold for the owner */
	TEXT_SPAM_REJECT,	/* file as spam, never shown */
};

struct text_spam_result {
	double		 score;	/* 0 ham .. 1 spam */
	enum text_spam_verdict verdict;
	char		*reasons;	/* "; "-separated, arena; "" if none */
	double		 bayes;	/* the filter's own probability */
	int		 nlinks;	/* links in the body and url field */
	int		 nmixed;	/* words mixing scripts */
	int		 nblocked;	/* blocklist hits */
};

/*
 * Scores a comment: links (count and hosts), words mixing scripts (a
 * look-alike letter inside a word; text wholly in another script is
 * not a signal), blocklist words matched on the pipeline's terms (so a
 * look-alike or inflected spelling still matches), the same body sent
 * again, and the learned filter (counts from fn; NULL: none).  Every
 * signal that counts is named in reasons.  Returns 0, or -1 for invalid
 * UTF-8.
 */
int	 text_spam_check(struct arena *, const struct text_spam_conf *,
	    const struct text_spam_input *, text_spam_counts_fn fn,
	    void *arg, struct text_spam_result *out);

#endif /* GAZETTE_TEXT_H */
