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
	TEXT_DATE_LONG = 0,	/* "September 12, 2023", "12 de septiembre de 2023" */
	TEXT_DATE_MONTH_YEAR,	/* "September 2023", "septiembre de 2023" */
	TEXT_DATE_YEAR,		/* "2023" ("2023년" in ko) */
	TEXT_DATE_LONG_TIME,	/* "September 13, 2023 at 10:15 AM" */
	TEXT_DATE__MAX
};

/*
 * Formats t as seen in time zone tz (IANA name) in locale's style.
 * Returns 0, or -1 (out = "") for an unknown zone, a malformed locale
 * name, t outside years 1-9999 or a too-small out.  An unknown but
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
 * 1-9999.
 */
int	 text_date_parts(const char *tz, int64_t t, int *year, int *month,
	    int *day);
/*
 * The time of 00:00 on year-month-day in tz (month 1-12).  Where a
 * zone skips midnight (a DST change at 00:00) the day starts at the
 * first instant it has, such as 01:00.  Returns 0, or -1 (*out = 0) for
 * an unknown zone or a day that does not exist (year outside 1-9999,
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
 * Releases the ICU objects cached for the calling thread (they are
 * opened again on next use).  Threads that exit release theirs without
 * this; call it on a thread that outlives its use of text_*, such as
 * the main thread before exit when leak checkers watch.
 */
void	 text_thread_cleanup(void);

#endif /* GAZETTE_TEXT_H */
