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
 */
char	*text_slug(struct arena *, const char *title, size_t len);

/* ---- date.c ---- */

enum text_date_style {
	TEXT_DATE_LONG = 0,	/* "September 12, 2023", "12 de septiembre de 2023" */
	TEXT_DATE_MONTH_YEAR,	/* "September 2023", "septiembre de 2023" */
	TEXT_DATE_YEAR,		/* "2023" */
};

/*
 * Formats t as seen in time zone tz (IANA name) in locale's style.
 * Returns 0, or -1 (out = "") for an unknown zone or a too-small out.
 */
int	 text_date_format(const char *locale, const char *tz, int64_t t,
	    enum text_date_style, char *out, size_t outlen);
/* ISO 8601 with the zone's offset: "2023-09-12T00:00:00+03:00". */
int	 text_date_iso(const char *tz, int64_t t, char *out, size_t outlen);
/* Calendar year, month (1-12) and day of t in tz. */
int	 text_date_parts(const char *tz, int64_t t, int *year, int *month,
	    int *day);
/* The time of 00:00 on year-month-day in tz (month 1-12). */
int	 text_date_from_parts(const char *tz, int year, int month, int day,
	    int64_t *out);
/*
 * Parses a date line: "September 12, 2023", "2023-09-12", or the long
 * form of locale ("12 de septiembre de 2023"), meaning 00:00 in tz.
 * Surrounding spaces are ignored.  Returns 0 and *out, or -1.
 */
int	 text_date_parse(const char *locale, const char *tz, const char *s,
	    int64_t *out);

#endif /* GAZETTE_TEXT_H */
